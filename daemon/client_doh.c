/* wardd: DNS over HTTPS towards clients (RFC 8484) on https-port=: TLS
 * (tls_stream.c, ALPN "h2") and HTTP/2 (libnghttp2). Each request stream
 * is collected within bounds (WARDD_DOH_MAX_STREAMS open streams,
 * WARDD_DOH_MAX_HEADER_BYTES of headers, a body of one DNS message), then
 * doh_request.c turns it into a DNS message or an HTTP error status. The
 * answer goes back on its stream as application/dns-message with a
 * freshness lifetime no longer than its smallest TTL (RFC 8484 §5.1).
 * Connection cap, handshake and idle timers, the pending count and the
 * write-queue limit are conn.c's. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "codec/msg.h"
#include "daemon/client_tls.h"
#include "daemon/doh_request.h"

#define DOH_METHOD_MAX 7               /* longer is neither GET nor POST */
#define DOH_CTYPE_MAX 63
#define DOH_SEND_CHUNK 16384           /* HTTP/2 output gathered per TLS write */
#define DOH_HDR_OVERHEAD 32            /* RFC 9113 §6.5.2: per header field */

struct doh_stream {
	int32_t id;
	char method[DOH_METHOD_MAX];
	size_t method_len;
	char *path;
	size_t path_len;
	char ctype[DOH_CTYPE_MAX];
	size_t ctype_len;
	bool has_ctype;
	uint8_t *body;
	size_t body_len;
	size_t header_bytes;
	bool header_too_big, body_too_big;
	bool done;                 /* request complete: query sent or refused */
	bool answered;
	uint8_t *resp;
	size_t resp_len, resp_off;
	struct doh_stream *prev, *next;   /* struct doh's list */
};

struct doh {
	struct tls_conn tc;
	nghttp2_session *h2;
	bool in_recv;              /* inside nghttp2_session_mem_recv */
	bool heard;                /* the client's preface came: HTTP/2 may
	                            * speak (not before: an HTTP/1.1 client
	                            * gets a plain 400) */
	unsigned streams;          /* open request streams */
	unsigned resets;           /* RST_STREAM frames received */
	struct doh_stream *list;   /* open streams (nghttp2_session_del does
	                            * not report them closed) */
};

static void doh_flush(struct tcp_conn *c);

static void stream_free(struct doh *x, struct doh_stream *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		x->list = s->next;
	if (s->next)
		s->next->prev = s->prev;
	x->streams--;
	free(s->path);
	free(s->body);
	free(s->resp);
	free(s);
}

static ssize_t read_resp(nghttp2_session *h2, int32_t id, uint8_t *buf,
                         size_t length, uint32_t *flags,
                         nghttp2_data_source *src, void *ud)
{
	(void)h2; (void)id; (void)ud;
	struct doh_stream *s = src->ptr;
	size_t n = s->resp_len - s->resp_off;
	if (n > length)
		n = length;
	memcpy(buf, s->resp + s->resp_off, n);
	s->resp_off += n;
	if (s->resp_off == s->resp_len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

#define NV(n, v) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, strlen(v), \
                   NGHTTP2_NV_FLAG_NONE }

/* The smallest TTL of the answer and authority records (RFC 8484 §5.1);
 * 0 for a message without them. */
static uint32_t min_ttl(const uint8_t *buf, size_t len)
{
	dns_msg m;
	if (dns_msg_parse(&m, buf, len) < 0)
		return 0;
	uint32_t best = UINT32_MAX;
	for (int sec = DNS_SEC_ANSWER; sec <= DNS_SEC_AUTHORITY; sec++) {
		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, &m, (enum dns_section)sec);
		while (dns_rr_iter_next(&it, &v) == 1)
			if (v.ttl < best)
				best = v.ttl;
	}
	return best == UINT32_MAX ? 0 : best;
}

static void respond(struct tcp_conn *c, struct doh_stream *s, unsigned status,
                    const uint8_t *body, size_t len, bool dns)
{
	struct doh *x = c->enc;
	if (s->answered)
		return;
	s->answered = true;
	s->resp = malloc(len ? len : 1);
	if (!s->resp) {
		nghttp2_submit_rst_stream(x->h2, NGHTTP2_FLAG_NONE, s->id,
		                          NGHTTP2_INTERNAL_ERROR);
		return;
	}
	memcpy(s->resp, body, len);
	s->resp_len = len;
	s->resp_off = 0;
	char st[8], clen[24], cc[40];
	snprintf(st, sizeof st, "%u", status);
	snprintf(clen, sizeof clen, "%zu", len);
	if (dns)
		snprintf(cc, sizeof cc, "max-age=%" PRIu32, min_ttl(body, len));
	else
		snprintf(cc, sizeof cc, "no-store");
	nghttp2_nv nv[] = {
		NV(":status", st),
		NV("content-type", dns ? DOH_MEDIA_TYPE : "text/plain"),
		NV("content-length", clen),
		NV("cache-control", cc),
		NV("allow", "GET, POST"),
	};
	size_t n = sizeof nv / sizeof nv[0];
	if (status != DOH_BAD_METHOD)
		n--;    /* allow: only with 405 (RFC 9110 §15.5.6) */
	nghttp2_data_provider dp = { .source.ptr = s, .read_callback = read_resp };
	if (nghttp2_submit_response(x->h2, s->id, nv, n, &dp) != 0)
		nghttp2_submit_rst_stream(x->h2, NGHTTP2_FLAG_NONE, s->id,
		                          NGHTTP2_INTERNAL_ERROR);
}

static void respond_error(struct tcp_conn *c, struct doh_stream *s,
                          unsigned status)
{
	char text[64];
	int n = snprintf(text, sizeof text, "%s\n",
	                 doh_status_text((enum doh_status)status));
	c->d->st.doh_errors++;
	respond(c, s, status, (const uint8_t *)text, (size_t)n, false);
}

/* A whole request: to the engine, or refused with its status. */
static void request_done(struct tcp_conn *c, struct doh_stream *s)
{
	if (s->done)
		return;
	s->done = true;
	if (s->header_too_big) {
		respond_error(c, s, 431);
		return;
	}
	if (s->body_too_big) {
		respond_error(c, s, DOH_TOO_LARGE);
		return;
	}
	struct doh_request r = {
		.method = s->method, .method_len = s->method_len,
		.path = s->path, .path_len = s->path_len,
		.content_type = s->has_ctype ? s->ctype : NULL,
		.content_type_len = s->ctype_len,
		.body = s->body, .body_len = s->body_len,
	};
	size_t cap = s->path_len > s->body_len ? s->path_len : s->body_len;
	if (cap > DOH_MSG_MAX)
		cap = DOH_MSG_MAX;
	uint8_t *msg = malloc(cap + 1);
	if (!msg) {
		respond_error(c, s, 503);
		return;
	}
	size_t len = 0;
	enum doh_status st = doh_request_parse(&r, msg, cap, &len);
	if (st != DOH_OK) {
		free(msg);
		respond_error(c, s, st);
		return;
	}
	struct wardd *d = c->d;
	uint64_t busy = d->st.dropped_busy;
	d->st.doh_queries++;
	c->outstanding++;
	/* the engine may answer at once: respond() runs from in here */
	if (!wardd_query_stream(d, msg, len, c, (uint32_t)s->id)) {
		c->outstanding--;
		respond_error(c, s, d->st.dropped_busy != busy ? 503 : 400);
	}
	free(msg);
}

static struct doh_stream *stream_of(struct doh *x, int32_t id)
{
	return nghttp2_session_get_stream_user_data(x->h2, id);
}

static int on_begin_headers(nghttp2_session *h2, const nghttp2_frame *f,
                            void *ud)
{
	struct tcp_conn *c = ud;
	struct doh *x = c->enc;
	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	if (x->streams >= WARDD_DOH_MAX_STREAMS) {
		nghttp2_submit_rst_stream(h2, NGHTTP2_FLAG_NONE, f->hd.stream_id,
		                          NGHTTP2_REFUSED_STREAM);
		return 0;
	}
	struct doh_stream *s = calloc(1, sizeof *s);
	if (!s)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	s->id = f->hd.stream_id;
	if (nghttp2_session_set_stream_user_data(h2, s->id, s) != 0) {
		free(s);
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	}
	x->streams++;
	s->next = x->list;
	if (s->next)
		s->next->prev = s;
	x->list = s;
	return 0;
}

static bool is(const uint8_t *name, size_t len, const char *lit)
{
	return len == strlen(lit) && !memcmp(name, lit, len);
}

static int on_header(nghttp2_session *h2, const nghttp2_frame *f,
                     const uint8_t *name, size_t nlen, const uint8_t *value,
                     size_t vlen, uint8_t flags, void *ud)
{
	(void)h2; (void)flags;
	struct doh *x = ((struct tcp_conn *)ud)->enc;
	struct doh_stream *s = stream_of(x, f->hd.stream_id);
	if (!s || s->header_too_big || f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	s->header_bytes += nlen + vlen + DOH_HDR_OVERHEAD;
	if (s->header_bytes > WARDD_DOH_MAX_HEADER_BYTES) {
		s->header_too_big = true;   /* answered 431 at the end */
		return 0;
	}
	if (is(name, nlen, ":method")) {
		s->method_len = vlen < DOH_METHOD_MAX ? vlen : DOH_METHOD_MAX;
		memcpy(s->method, value, s->method_len);
	} else if (is(name, nlen, ":path")) {
		char *p = malloc(vlen + 1);
		if (!p)
			return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
		memcpy(p, value, vlen);
		free(s->path);
		s->path = p;
		s->path_len = vlen;
	} else if (is(name, nlen, "content-type")) {
		s->has_ctype = true;
		s->ctype_len = vlen < DOH_CTYPE_MAX ? vlen : DOH_CTYPE_MAX;
		memcpy(s->ctype, value, s->ctype_len);
	}
	return 0;
}

static int on_data(nghttp2_session *h2, uint8_t flags, int32_t id,
                   const uint8_t *data, size_t len, void *ud)
{
	(void)h2; (void)flags;
	struct doh *x = ((struct tcp_conn *)ud)->enc;
	struct doh_stream *s = stream_of(x, id);
	if (!s || s->body_too_big || len == 0)
		return 0;
	if (len > DOH_MSG_MAX - s->body_len) {
		s->body_too_big = true;    /* the rest is read and dropped */
		free(s->body);
		s->body = NULL;
		s->body_len = 0;
		return 0;
	}
	uint8_t *b = realloc(s->body, s->body_len + len);
	if (!b)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	memcpy(b + s->body_len, data, len);
	s->body = b;
	s->body_len += len;
	return 0;
}

static int on_frame(nghttp2_session *h2, const nghttp2_frame *f, void *ud)
{
	struct tcp_conn *c = ud;
	struct doh *x = c->enc;
	if (f->hd.type == NGHTTP2_RST_STREAM &&
	    ++x->resets > WARDD_DOH_MAX_RESETS) {
		/* streams opened and cancelled at once cost us work, not
		 * them (the "rapid reset" attack) */
		nghttp2_session_terminate_session(h2, NGHTTP2_ENHANCE_YOUR_CALM);
		return 0;
	}
	if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) &&
	    (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
		struct doh_stream *s = stream_of(x, f->hd.stream_id);
		if (s)
			request_done(c, s);
	}
	return 0;
}

static int on_close(nghttp2_session *h2, int32_t id, uint32_t err, void *ud)
{
	(void)err;
	struct doh *x = ((struct tcp_conn *)ud)->enc;
	struct doh_stream *s = stream_of(x, id);
	if (!s)
		return 0;
	nghttp2_session_set_stream_user_data(h2, id, NULL);
	stream_free(x, s);
	return 0;
}

static void doh_answer(struct tcp_conn *c, uint32_t stream,
                       const uint8_t *buf, size_t len)
{
	struct doh *x = c->enc;
	if (conn_write_full(c)) {
		conn_close(c);   /* it does not read its answers */
		return;
	}
	struct doh_stream *s = stream_of(x, (int32_t)stream);
	if (s)     /* NULL: the client cancelled the stream */
		respond(c, s, 200, buf, len, true);
	conn_touch(c);
	doh_flush(c);
}

/* What nghttp2 has to send, through TLS; the connection ends when HTTP/2
 * is done with it (GOAWAY both ways, a protocol error) or the client
 * finished sending and has every answer. */
static void doh_flush(struct tcp_conn *c)
{
	struct doh *x = c->enc;
	if (x->in_recv || c->closing || !x->tc.t.established || !x->heard)
		return;
	uint8_t out[DOH_SEND_CHUNK];
	size_t used = 0;
	for (;;) {
		const uint8_t *data;
		ssize_t n = nghttp2_session_mem_send(x->h2, &data);
		if (n < 0) {
			conn_close(c);
			return;
		}
		if (used && (n == 0 || used + (size_t)n > sizeof out)) {
			uv_buf_t b = uv_buf_init((char *)out, (unsigned)used);
			if (tls_stream_write(&x->tc.t, &b, 1) < 0) {
				conn_close(c);
				return;
			}
			used = 0;
		}
		if (n == 0)
			break;
		if ((size_t)n > sizeof out) {
			uv_buf_t b = uv_buf_init((char *)data, (unsigned)n);
			if (tls_stream_write(&x->tc.t, &b, 1) < 0) {
				conn_close(c);
				return;
			}
			continue;
		}
		memcpy(out + used, data, (size_t)n);
		used += (size_t)n;
	}
	if ((!nghttp2_session_want_read(x->h2) &&
	     !nghttp2_session_want_write(x->h2)) ||
	    (c->eof && !c->outstanding))
		conn_shutdown(c);
}

/* HTTP/1.1 (or anything else) where the HTTP/2 preface belongs */
static void not_h2(struct tcp_conn *c)
{
	struct doh *x = c->enc;
	static const char r[] = "HTTP/1.1 400 Bad Request\r\n"
		"Content-Type: text/plain\r\nContent-Length: 26\r\n"
		"Connection: close\r\n\r\nDNS over HTTPS is HTTP/2\r\n";
	uv_buf_t b = uv_buf_init((char *)r, sizeof r - 1);
	c->d->st.doh_errors++;
	tls_stream_write(&x->tc.t, &b, 1);
	conn_shutdown(c);
}

static void doh_pull(struct tcp_conn *c)
{
	struct doh *x = c->enc;
	uint8_t buf[TLS_READ_CHUNK];
	while (!c->closing && !c->eof) {
		ssize_t n = tls_stream_read(&x->tc.t, buf, sizeof buf);
		if (n == TLS_STREAM_AGAIN)
			break;
		if (n == TLS_STREAM_EOF) {
			conn_read_end(c, UV_EOF);
			break;
		}
		if (n < 0) {
			conn_close(c);
			return;
		}
		x->in_recv = true;
		ssize_t r = nghttp2_session_mem_recv(x->h2, buf, (size_t)n);
		x->in_recv = false;
		if (r == NGHTTP2_ERR_BAD_CLIENT_MAGIC) {
			not_h2(c);
			return;
		}
		if (r < 0) {
			conn_close(c);
			return;
		}
		x->heard = true;
	}
	doh_flush(c);
}

static void doh_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct tcp_conn *c = h->data;
	(void)suggested;
	*b = tls_conn_room(&((struct doh *)c->enc)->tc);
}

static void doh_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct tcp_conn *c = s->data;
	struct doh *x = c->enc;
	(void)b;
	if (c->closing || nread == 0)
		return;
	if (tls_conn_input(c, &x->tc, nread) < 0)
		return;
	if (nread < 0) {
		doh_pull(c);
		if (!c->closing)
			conn_read_end(c, nread);
		return;
	}
	if (!x->tc.t.established)
		return;
	conn_touch(c);
	doh_pull(c);
}

static void doh_finish(struct tcp_conn *c)
{
	struct doh *x = c->enc;
	/* GOAWAY (RFC 9113 §6.8) when HTTP/2 is still up, then close_notify */
	if (x->heard &&
	    nghttp2_session_terminate_session(x->h2, NGHTTP2_NO_ERROR) == 0)
		doh_flush(c);
	tls_stream_close_notify(&x->tc.t);
}

static void doh_release(struct tcp_conn *c)
{
	struct doh *x = c->enc;
	if (!x)
		return;
	/* the streams' data goes with the session (on_close for each) */
	if (x->h2)
		nghttp2_session_del(x->h2);
	while (x->list)
		stream_free(x, x->list);
	tls_stream_free(&x->tc.t);
	free(x);
	c->enc = NULL;
}

static int doh_start(struct tcp_conn *c)
{
	struct doh *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	c->enc = x;
	if (tls_conn_start(c, &x->tc, c->d->tls_doh) < 0)
		return -1;
	nghttp2_session_callbacks *cb;
	if (nghttp2_session_callbacks_new(&cb) != 0)
		return -1;
	nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
	int r = nghttp2_session_server_new(&x->h2, cb, c);
	nghttp2_session_callbacks_del(cb);
	if (r != 0)
		return -1;
	nghttp2_settings_entry iv[] = {
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, WARDD_DOH_MAX_STREAMS },
		{ NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, WARDD_DOH_MAX_HEADER_BYTES },
		{ NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
	};
	return nghttp2_submit_settings(x->h2, NGHTTP2_FLAG_NONE, iv,
	                               sizeof iv / sizeof iv[0]) ? -1 : 0;
}

static const struct conn_ops doh_ops = {
	.kind = CONN_DOH,
	.alloc = doh_alloc,
	.read = doh_read,
	.first_timeout_ms = WARDD_TLS_HANDSHAKE_MS,
	.start = doh_start,
	.answer = doh_answer,
	.first_timeout = tls_conn_first_timeout,
	.finish = doh_finish,
	.release = doh_release,
};

void doh_on_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	if (status < 0)
		return;
	conn_accept(l->d, server, &doh_ops);
}
