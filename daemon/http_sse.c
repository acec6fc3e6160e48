/* wardd: GET /log/events — the live query log as server-sent events
 * (HTML Living Standard §9.2). Each answer matching the stream's filters
 * (client=, name=, rcode=) is one event:
 *     id: SEQ
 *     event: query
 *     data: {"seq":..,"time_ms":..,"client":"..","name":"..",...}
 * A stream starts after ?since=SEQ or Last-Event-ID (a reconnecting
 * EventSource sends it), else with the last HTTP_SSE_BACKLOG answers. Its
 * connection thread (MHD thread per connection) waits on the log's
 * condition variable; a comment line every HTTP_SSE_KEEPALIVE_MS finds
 * a client that went away. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/http.h"

#define SSE_BATCH 32

struct sse {
	struct http_server *h;
	struct qlog_filter f;
	uint64_t after;
	struct hbuf out;
	size_t off;
	struct qlog_entry batch[SSE_BATCH];
};

void sse_entry_json(struct hbuf *b, const struct qlog_entry *e)
{
	char rcb[8];
	const char *rc = qlog_rcode_str(e->rcode, rcb);
	hbuf_printf(b, "{\"seq\":%llu,\"time_ms\":%lld,\"client\":",
	            (unsigned long long)e->seq, (long long)e->time_ms);
	hbuf_json(b, e->client);
	hbuf_puts(b, ",\"name\":");
	hbuf_json(b, e->name);
	hbuf_puts(b, ",\"type\":");
	hbuf_json(b, e->type);
	hbuf_puts(b, ",\"rcode\":");
	hbuf_json(b, rc);
	hbuf_printf(b, ",\"latency_us\":%u,\"tcp\":%s,\"cached\":%s,\"local\":%s,"
	            "\"ad\":%s,\"dnssec\":\"%s\",\"ede\":", e->latency_us,
	            e->tcp ? "true" : "false", e->cached ? "true" : "false",
	            e->local ? "true" : "false", e->ad ? "true" : "false",
	            qlog_verdict_name(e->verdict));
	if (e->has_ede)
		hbuf_printf(b, "%u", e->ede);
	else
		hbuf_puts(b, "null");
	hbuf_puts(b, ",\"ede_text\":");
	hbuf_json(b, e->ede_text);
	hbuf_puts(b, "}");
}

static void fill(struct sse *s)
{
	s->out.len = 0;
	s->off = 0;
	uint64_t upto;
	size_t n = dash_ring_copy(s->h->dash, false, s->after, &s->f, s->batch,
	                          SSE_BATCH, &upto);
	s->after = upto;
	for (size_t i = 0; i < n; i++) {
		hbuf_printf(&s->out, "id: %llu\nevent: query\ndata: ",
		            (unsigned long long)s->batch[i].seq);
		sse_entry_json(&s->out, &s->batch[i]);
		hbuf_puts(&s->out, "\n\n");
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	(void)pos;
	for (;;) {
		if (s->out.oom)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (s->off < s->out.len) {
			size_t n = s->out.len - s->off;
			if (n > max)
				n = max;
			memcpy(buf, s->out.p + s->off, n);
			s->off += n;
			return (ssize_t)n;
		}
		fill(s);
		if (s->out.len)
			continue;
		if (!dash_log_wait(s->h->dash, s->after, HTTP_SSE_KEEPALIVE_MS)) {
			pthread_mutex_lock(&s->h->dash->mu);
			bool closing = s->h->dash->closing;
			pthread_mutex_unlock(&s->h->dash->mu);
			if (closing)
				return MHD_CONTENT_READER_END_OF_STREAM;
			s->out.len = 0;
			s->off = 0;
			hbuf_puts(&s->out, ": keepalive\n\n");
		}
	}
}

static void done(void *cls)
{
	struct sse *s = cls;
	pthread_mutex_lock(&s->h->sse_mu);
	s->h->sse_streams--;
	pthread_mutex_unlock(&s->h->sse_mu);
	hbuf_free(&s->out);
	free(s);
}

struct MHD_Response *sse_response(struct http_server *h,
                                  const struct http_query *q,
                                  const char *since, unsigned *status)
{
	struct sse *s = calloc(1, sizeof *s);
	if (!s) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return NULL;
	}
	const char *why;
	uint64_t after = 0;
	if (qlog_filter_parse(&s->f, q->client, q->name, q->rcode, &why) < 0 ||
	    (since && *since && qlog_seq_parse(since, &after) < 0)) {
		free(s);
		*status = MHD_HTTP_BAD_REQUEST;
		return NULL;
	}
	if (!since || !*since) {
		uint64_t last = dash_log_last(h->dash);
		after = last > HTTP_SSE_BACKLOG ? last - HTTP_SSE_BACKLOG : 0;
	}
	s->h = h;
	s->after = after;
	hbuf_init(&s->out);
	hbuf_puts(&s->out, ": connected\nretry: 2000\n\n");
	pthread_mutex_lock(&h->sse_mu);
	bool full = h->sse_streams >= HTTP_SSE_MAX;
	if (!full)
		h->sse_streams++;
	pthread_mutex_unlock(&h->sse_mu);
	if (full) {
		hbuf_free(&s->out);
		free(s);
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return NULL;
	}
	struct MHD_Response *r = MHD_create_response_from_callback(
	        MHD_SIZE_UNKNOWN, 4096, reader, s, done);
	if (!r) {
		done(s);
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	return r;
}
