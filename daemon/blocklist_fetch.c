/* wardd: one blocklist download with libcurl (see blocklist_run.h). Runs on
 * a libuv worker thread: no signals (CURLOPT_NOSIGNAL), bounded in size
 * and time, only http and https (also across redirects). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/blocklist_run.h"

#ifndef WARD_VERSION
#define WARD_VERSION "0.1.0-dev"
#endif

struct sink {
	uint8_t *buf;
	size_t len, cap, max;
	bool too_big;
	const atomic_int *stop;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;
	if (add > s->max - s->len) {
		s->too_big = true;
		return 0; /* aborts the transfer */
	}
	if (s->len + add > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->len + add)
			cap *= 2;
		if (cap > s->max)
			cap = s->max;
		uint8_t *b = realloc(s->buf, cap);
		if (!b)
			return 0;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	return add;
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn,
                       curl_off_t ut, curl_off_t un)
{
	(void)dt; (void)dn; (void)ut; (void)un;
	const struct sink *s = ctx;
	return atomic_load(s->stop) ? 1 : 0;
}

int blocklist_fetch_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : WARD_ENOMEM;
}

void blocklist_fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

int blocklist_fetch(const char *url, size_t max, const atomic_int *stop,
                    uint8_t **out, size_t *len, char *why, size_t whylen)
{
	*out = NULL;
	*len = 0;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(why, whylen, "libcurl could not start a transfer");
		return WARD_EIO;
	}
	struct sink s = { .max = max, .stop = stop };
	char err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)BLOCKLIST_CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)BLOCKLIST_FETCH_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "wardd/" WARD_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK && status == 200) {
		*out = s.buf;
		*len = s.len;
		return 0;
	}
	free(s.buf);
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(why, whylen, "larger than %zu bytes", max);
	else if (atomic_load(stop))
		snprintf(why, whylen, "aborted (wardd is stopping)");
	else if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR)
		snprintf(why, whylen, "HTTP status %ld", status);
	else
		snprintf(why, whylen, "%s", err[0] ? err : curl_easy_strerror(rc));
	return WARD_EIO;
}
