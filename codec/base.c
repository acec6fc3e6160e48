/* ward: base64, base32hex and hex codecs (RFC 4648), strict decoding. */
#include <stdbool.h>

#include "base.h"
#include "error.h"

static const char b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32_alpha[] = "0123456789abcdefghijklmnopqrstuv";

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- base64 ---- */

void base64_encode(strbuf *sb, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i + 3 <= n && !sb->err) {
		uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) |
		             p[i + 2];
		char q[4] = { b64_alpha[(v >> 18) & 63], b64_alpha[(v >> 12) & 63],
		              b64_alpha[(v >> 6) & 63], b64_alpha[v & 63] };
		strbuf_putn(sb, q, 4);
		i += 3;
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		char q[4] = { b64_alpha[(v >> 18) & 63], b64_alpha[(v >> 12) & 63],
		              '=', '=' };
		strbuf_putn(sb, q, 4);
	} else if (n - i == 2) {
		uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
		char q[4] = { b64_alpha[(v >> 18) & 63], b64_alpha[(v >> 12) & 63],
		              b64_alpha[(v >> 6) & 63], '=' };
		strbuf_putn(sb, q, 4);
	}
}

/* url: the URL-safe alphabet of RFC 4648 §5 ('-' and '_' for '+', '/') */
static int b64_value(char c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* url also accepts a last quartet without its padding (RFC 4648 §3.2
 * allows leaving it out where the length is known, as RFC 8484 §6 does). */
static int b64_decode(const char *s, size_t n, bool ws, bool url,
                      uint8_t *out, size_t cap, size_t *outlen)
{
	uint32_t acc = 0;  /* bits of the current quartet */
	unsigned have = 0; /* characters in the current quartet */
	unsigned pad = 0;  /* '=' seen in the current quartet */
	bool done = false; /* a padded quartet ended the data */
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (ws && is_blank(c))
			continue;
		if (done)
			return WARD_EBASE64; /* data after the final padded quartet */
		if (c == '=') {
			if (have < 2)
				return WARD_EBASE64; /* "=" too early in a quartet */
			pad++;
			acc <<= 6;
		} else {
			int v = b64_value(c, url);
			if (v < 0 || pad)
				return WARD_EBASE64;
			acc = (acc << 6) | (uint32_t)v;
		}
		if (++have < 4)
			continue;
		size_t nbytes = 3 - pad;
		/* the bits the padding drops must be zero (RFC 4648 §3.5) */
		if ((pad == 1 && (acc & 0xff)) || (pad == 2 && (acc & 0xffff)))
			return WARD_EBASE64;
		if (cap - o < nbytes)
			return WARD_ESPACE;
		out[o++] = (uint8_t)(acc >> 16);
		if (nbytes > 1)
			out[o++] = (uint8_t)(acc >> 8);
		if (nbytes > 2)
			out[o++] = (uint8_t)acc;
		if (pad)
			done = true;
		acc = 0;
		have = 0;
		pad = 0;
	}
	if (have && !(url && have >= 2 && !pad))
		return WARD_EBASE64; /* not a whole number of quartets */
	if (have) {
		/* an unpadded tail of 2 or 3 characters: 1 or 2 octets, and the
		 * bits left over must be zero (RFC 4648 §3.5) */
		size_t nbytes = have - 1;
		unsigned spare = have * 6 - (unsigned)nbytes * 8;
		if (acc & ((1u << spare) - 1))
			return WARD_EBASE64;
		acc >>= spare;
		if (cap - o < nbytes)
			return WARD_ESPACE;
		if (nbytes == 2)
			out[o++] = (uint8_t)(acc >> 8);
		out[o++] = (uint8_t)acc;
	}
	*outlen = o;
	return 0;
}

int base64_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen)
{
	return b64_decode(s, n, false, false, out, cap, outlen);
}

int base64_decode_ws(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen)
{
	return b64_decode(s, n, true, false, out, cap, outlen);
}

int base64url_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen)
{
	return b64_decode(s, n, false, true, out, cap, outlen);
}

/* ---- base32hex ---- */

void base32hex_encode(strbuf *sb, const uint8_t *p, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	for (size_t i = 0; i < n && !sb->err; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			strbuf_putc(sb, b32_alpha[(acc >> bits) & 31]);
		}
		acc &= (1u << bits) - 1;
	}
	if (bits)
		strbuf_putc(sb, b32_alpha[(acc << (5 - bits)) & 31]);
}

static int b32_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'v')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'V')
		return c - 'A' + 10;
	return -1;
}

int base32hex_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen)
{
	/* Unpadded lengths: 8 chars make 5 octets; a final group of 2, 4, 5
	 * or 7 chars makes 1, 2, 3 or 4 octets; 1, 3, 6 are impossible. */
	size_t rem = n % 8;
	if (rem == 1 || rem == 3 || rem == 6)
		return WARD_EBASE32;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b32_value(s[i]);
		if (v < 0)
			return WARD_EBASE32;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return WARD_ESPACE;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		return WARD_EBASE32; /* non-zero pad bits */
	*outlen = o;
	return 0;
}

/* ---- hex ---- */

void hex_encode_lower(strbuf *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n && !sb->err; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		strbuf_putn(sb, two, 2);
	}
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_dec(const char *s, size_t n, bool ws, uint8_t *out,
                   size_t cap, size_t *outlen)
{
	size_t o = 0;
	int hi = -1;
	for (size_t i = 0; i < n; i++) {
		if (ws && is_blank(s[i]))
			continue;
		int v = hex_digit_value(s[i]);
		if (v < 0)
			return WARD_EHEX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (o >= cap)
			return WARD_ESPACE;
		out[o++] = (uint8_t)((hi << 4) | v);
		hi = -1;
	}
	if (hi >= 0)
		return WARD_EHEX; /* odd number of digits */
	*outlen = o;
	return 0;
}

int hex_decode(const char *s, size_t n, uint8_t *out, size_t cap,
               size_t *outlen)
{
	return hex_dec(s, n, false, out, cap, outlen);
}

int hex_decode_ws(const char *s, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen)
{
	return hex_dec(s, n, true, out, cap, outlen);
}
