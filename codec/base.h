/* ward: base64 (RFC 4648 §4), base32hex (RFC 4648 §7, unpadded, as NSEC3
 * uses it, RFC 5155 §3.3) and hex (base16, RFC 4648 §8).
 *
 * Encoders append to a strbuf (sticky WARD_ESPACE). Decoders are strict:
 * characters outside the alphabet, bad padding, non-zero pad bits and
 * impossible lengths are errors (WARD_EBASE64 / WARD_EBASE32 / WARD_EHEX),
 * output that does not fit `cap` is WARD_ESPACE. The `_ws` variants skip
 * blanks (space, tab, CR, LF) anywhere between characters, as DNS
 * presentation format allows inside base64 and hex fields (RFC 4034 §2.2,
 * §5.3); the plain variants reject them. */
#ifndef WARD_BASE_H
#define WARD_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Encoded sizes (without NUL). */
#define BASE64_ENCODED_LEN(n) ((((n) + 2) / 3) * 4)
#define BASE32HEX_ENCODED_LEN(n) (((n) * 8 + 4) / 5)
/* Upper bounds of decoded sizes for n characters of text. */
#define BASE64_DECODED_MAX(n) (((n) / 4) * 3 + 3)
#define BASE32HEX_DECODED_MAX(n) (((n) * 5) / 8 + 1)

/* base64 with '=' padding, no line breaks. */
void base64_encode(strbuf *sb, const uint8_t *p, size_t n);
int base64_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen);
int base64_decode_ws(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen);
/* base64url (RFC 4648 §5), padding optional: WARD_EBASE64 or WARD_ESPACE. */
int base64url_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen);

/* base32hex ("0123456789abcdefghijklmnopqrstuv"), no padding. Encoding is
 * lowercase; decoding is case-insensitive and rejects '='. */
void base32hex_encode(strbuf *sb, const uint8_t *p, size_t n);
int base32hex_decode(const char *s, size_t n, uint8_t *out, size_t cap,
                     size_t *outlen);

/* Hex: encoding uppercase (strbuf_hex) or lowercase; decoding accepts both
 * cases and needs an even number of digits. */
void hex_encode_lower(strbuf *sb, const uint8_t *p, size_t n);
int hex_decode(const char *s, size_t n, uint8_t *out, size_t cap,
               size_t *outlen);
int hex_decode_ws(const char *s, size_t n, uint8_t *out, size_t cap,
                  size_t *outlen);

/* Value of one hex digit, -1 if c is not one. */
int hex_digit_value(char c);

#endif
