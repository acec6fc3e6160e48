/* Fuzz harness: the DNS over HTTPS request parser (daemon/doh_request.c).
 * The input is cut at the first three '\n' into method, :path and
 * content-type; the rest is the body. Checks: an accepted request gives a
 * message of DOH_MSG_MIN..cap bytes, equal to the body for POST and to the
 * base64url decoding of dns= for GET (decoded again by a reference
 * decoder here); a refused one gives no bytes. The first byte also picks
 * a small output buffer now and then, to exercise DOH_TOO_LARGE. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "daemon/doh_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[DOH_MSG_MAX];

/* a second, independent decoder: 4 characters to 3 bytes at a time */
static long ref_decode(const char *s, size_t n, uint8_t *o, size_t cap)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	while (n && s[n - 1] == '=')
		n--;
	size_t k = 0;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		size_t m = n - i < 4 ? n - i : 4;
		for (size_t j = 0; j < 4; j++) {
			uint32_t d = 0;
			if (j < m) {
				const char *p = memchr(al, s[i + j], 64);
				if (!p || !s[i + j])
					return -1;
				d = (uint32_t)(p - al);
			}
			v = v << 6 | d;
		}
		for (size_t j = 0; j + 1 < m; j++) {
			if (k >= cap)
				return -2;
			o[k++] = (uint8_t)(v >> (16 - 8 * j));
		}
	}
	return (long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *part[3] = { NULL, NULL, NULL };
	size_t plen[3] = { 0, 0, 0 };
	size_t i = 0;
	for (int k = 0; k < 3; k++) {
		size_t st = i;
		while (i < size && s[i] != '\n')
			i++;
		part[k] = s + st;
		plen[k] = i - st;
		if (i < size)
			i++;
	}
	struct doh_request r = {
		.method = part[0], .method_len = plen[0],
		.path = part[1], .path_len = plen[1],
		.content_type = plen[2] ? part[2] : NULL,
		.content_type_len = plen[2],
		.body = data + i, .body_len = size - i,
	};
	size_t cap = size && (data[0] & 7) == 7 ? 40 : sizeof out;
	size_t len = 12345;
	enum doh_status st = doh_request_parse(&r, out, cap, &len);
	if (st != DOH_OK) {
		if (len != 0 || !doh_status_text(st))
			__builtin_trap();
		return 0;
	}
	if (len < DOH_MSG_MIN || len > cap)
		__builtin_trap();
	if (plen[0] == 4) {   /* POST: the body as it is */
		if (len != r.body_len || memcmp(out, r.body, len))
			__builtin_trap();
		return 0;
	}
	/* GET: the dns= value decodes the same way here */
	const char *q = memchr(r.path, '?', r.path_len);
	if (!q)
		__builtin_trap();
	static uint8_t ref[DOH_MSG_MAX];
	const char *end = r.path + r.path_len;
	for (const char *p = q + 1; p < end;) {
		const char *e = p;
		while (e < end && *e != '&' && *e != '#')
			e++;
		if (e - p >= 4 && !memcmp(p, "dns=", 4)) {
			long n = ref_decode(p + 4, (size_t)(e - p - 4), ref, sizeof ref);
			if (n != (long)len || memcmp(ref, out, len))
				__builtin_trap();
			return 0;
		}
		if (e < end && *e == '#')
			break;
		p = e + 1;
	}
	__builtin_trap();   /* accepted without a dns= parameter */
}
