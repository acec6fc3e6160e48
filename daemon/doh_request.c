/* wardd: DNS over HTTPS request parsing (RFC 8484 §4.1); see doh_request.h. */
#include <stdbool.h>
#include <string.h>

#include "base.h"
#include "daemon/doh_request.h"
#include "error.h"

static bool same_text(const char *a, size_t an, const char *lit)
{
	size_t ln = strlen(lit);
	return an == ln && memcmp(a, lit, ln) == 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* "application/dns-message", any case, optional ";parameters" and blanks */
static bool media_ok(const char *s, size_t n)
{
	if (!s)
		return false;
	size_t end = 0;
	while (end < n && s[end] != ';')
		end++;
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	size_t ln = strlen(DOH_MEDIA_TYPE);
	if (end != ln)
		return false;
	for (size_t i = 0; i < ln; i++)
		if (lower(s[i]) != DOH_MEDIA_TYPE[i])
			return false;
	return true;
}

/* GET: the one dns= parameter of the query string q[0..n) */
static enum doh_status get_message(const char *q, size_t n, uint8_t *out,
                                   size_t cap, size_t *len)
{
	const char *val = NULL;
	size_t vlen = 0;
	size_t i = 0;
	while (i <= n) {
		size_t start = i;
		while (i < n && q[i] != '&')
			i++;
		if (i - start >= 4 && memcmp(q + start, "dns=", 4) == 0) {
			if (val)
				return DOH_BAD_REQUEST;    /* which one? */
			val = q + start + 4;
			vlen = i - start - 4;
		}
		i++;
	}
	if (!val || vlen == 0)
		return DOH_BAD_REQUEST;
	/* RFC 8484 §6 sends it unpadded; padding is tolerated */
	size_t dlen;
	int r = base64url_decode(val, vlen, out, cap, &dlen);
	if (r == WARD_ESPACE)
		return DOH_TOO_LARGE;
	if (r < 0 || dlen < DOH_MSG_MIN)
		return DOH_BAD_REQUEST;
	*len = dlen;
	return DOH_OK;
}

enum doh_status doh_request_parse(const struct doh_request *r, uint8_t *out,
                                  size_t cap, size_t *len)
{
	*len = 0;
	bool get = same_text(r->method, r->method_len, "GET");
	bool post = same_text(r->method, r->method_len, "POST");
	if (!r->path || r->path_len == 0)
		return DOH_BAD_REQUEST;
	/* the path up to the query string (or a fragment, which a client
	 * should not send) */
	size_t plen = 0;
	while (plen < r->path_len && r->path[plen] != '?' &&
	       r->path[plen] != '#')
		plen++;
	if (!same_text(r->path, plen, DOH_PATH))
		return DOH_NOT_FOUND;
	if (!get && !post)
		return DOH_BAD_METHOD;
	if (get) {
		if (plen == r->path_len || r->path[plen] != '?')
			return DOH_BAD_REQUEST;
		size_t qs = plen + 1, qe = qs;
		while (qe < r->path_len && r->path[qe] != '#')
			qe++;
		return get_message(r->path + qs, qe - qs, out, cap, len);
	}
	if (!media_ok(r->content_type, r->content_type_len))
		return DOH_BAD_MEDIA;
	if (r->body_len > cap || r->body_len > DOH_MSG_MAX)
		return DOH_TOO_LARGE;
	if (r->body_len < DOH_MSG_MIN || !r->body)
		return DOH_BAD_REQUEST;
	memcpy(out, r->body, r->body_len);
	*len = r->body_len;
	return DOH_OK;
}

const char *doh_status_text(enum doh_status st)
{
	switch (st) {
	case DOH_OK: return "OK";
	case DOH_BAD_REQUEST: return "Bad Request";
	case DOH_NOT_FOUND: return "Not Found";
	case DOH_BAD_METHOD: return "Method Not Allowed";
	case DOH_TOO_LARGE: return "Payload Too Large";
	case DOH_BAD_MEDIA: return "Unsupported Media Type";
	}
	return "Error";
}
