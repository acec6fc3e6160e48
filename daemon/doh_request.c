/* wardd: DNS over HTTPS request parsing (RFC 8484 §4.1); see doh_request.h. */
#include <stdbool.h>
#include <string.h>

#include "daemon/doh_request.h"

static int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

long doh_base64url_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
	/* padding is not sent (RFC 8484 §6) but costs nothing to accept */
	size_t pad = 0;
	while (n > 0 && s[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (n % 4 == 1 || (pad && (n + pad) % 4 != 0))
		return -1;
	size_t need = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
	if (need > cap)
		return -2;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64url_value(s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)   /* spare bits of the last character must be zero */
		return -1;
	return (long)o;
}

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
	long r = doh_base64url_decode(val, vlen, out, cap);
	if (r == -2)
		return DOH_TOO_LARGE;
	if (r < DOH_MSG_MIN)
		return DOH_BAD_REQUEST;
	*len = (size_t)r;
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
