/* Unit tests: codec/base.c — base64, base32hex, hex (RFC 4648 §10 test
 * vectors, plus strictness: padding, pad bits, alphabet, whitespace). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "error.h"
#include "strbuf.h"

struct vec {
	const char *plain;
	const char *b64;
	const char *b32hex; /* RFC 4648 §10 BASE32-HEX, lowercase, unpadded */
	const char *hex;
};

static const struct vec vecs[] = {
	{ "", "", "", "" },
	{ "f", "Zg==", "co", "66" },
	{ "fo", "Zm8=", "cpng", "666F" },
	{ "foo", "Zm9v", "cpnmu", "666F6F" },
	{ "foob", "Zm9vYg==", "cpnmuog", "666F6F62" },
	{ "fooba", "Zm9vYmE=", "cpnmuoj1", "666F6F6261" },
	{ "foobar", "Zm9vYmFy", "cpnmuoj1e8", "666F6F626172" },
};

#define NVEC (sizeof vecs / sizeof vecs[0])

static void test_encode_vectors(void **state)
{
	(void)state;
	char buf[64];
	for (size_t i = 0; i < NVEC; i++) {
		const uint8_t *p = (const uint8_t *)vecs[i].plain;
		size_t n = strlen(vecs[i].plain);
		strbuf sb = strbuf_init(buf, sizeof buf);
		base64_encode(&sb, p, n);
		assert_string_equal(buf, vecs[i].b64);
		assert_int_equal(sb.len, BASE64_ENCODED_LEN(n));
		sb = strbuf_init(buf, sizeof buf);
		base32hex_encode(&sb, p, n);
		assert_string_equal(buf, vecs[i].b32hex);
		assert_int_equal(sb.len, BASE32HEX_ENCODED_LEN(n));
		sb = strbuf_init(buf, sizeof buf);
		strbuf_hex(&sb, p, n);
		assert_string_equal(buf, vecs[i].hex);
	}
}

static void test_decode_vectors(void **state)
{
	(void)state;
	uint8_t out[64];
	size_t len;
	for (size_t i = 0; i < NVEC; i++) {
		const char *plain = vecs[i].plain;
		size_t n = strlen(plain);

		len = 99;
		assert_int_equal(base64_decode(vecs[i].b64, strlen(vecs[i].b64), out,
		                               sizeof out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(out, plain, n);

		len = 99;
		assert_int_equal(base32hex_decode(vecs[i].b32hex,
		                                  strlen(vecs[i].b32hex), out,
		                                  sizeof out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(out, plain, n);

		len = 99;
		assert_int_equal(hex_decode(vecs[i].hex, strlen(vecs[i].hex), out,
		                            sizeof out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(out, plain, n);
	}
}

static int b64(const char *s)
{
	uint8_t out[64];
	size_t len;
	return base64_decode(s, strlen(s), out, sizeof out, &len);
}

static void test_base64_strict(void **state)
{
	(void)state;
	assert_int_equal(b64("Zg="), WARD_EBASE64);        /* not a quartet */
	assert_int_equal(b64("Zg"), WARD_EBASE64);         /* padding missing */
	assert_int_equal(b64("Zh=="), WARD_EBASE64);       /* pad bits set */
	assert_int_equal(b64("Zm9="), WARD_EBASE64);       /* pad bits set */
	assert_int_equal(b64("Z==="), WARD_EBASE64);       /* too much padding */
	assert_int_equal(b64("===="), WARD_EBASE64);
	assert_int_equal(b64("Zg==Zg=="), WARD_EBASE64);   /* data after pad */
	assert_int_equal(b64("Zg=a"), WARD_EBASE64);       /* data inside pad */
	assert_int_equal(b64("Zm9v*A=="), WARD_EBASE64);   /* alphabet */
	assert_int_equal(b64("Zm9v-_=="), WARD_EBASE64);   /* base64url is not */
	assert_int_equal(b64("Zm9 v"), WARD_EBASE64);      /* no blanks here */
	assert_int_equal(b64("Zm9v\n"), WARD_EBASE64);
	assert_int_equal(b64("+/+/"), 0);

	uint8_t out[8];
	size_t len = 0;
	const char *ws = " Zm9v\tYm\nFy ";
	assert_int_equal(base64_decode_ws(ws, strlen(ws), out, sizeof out, &len),
	                 0);
	assert_int_equal(len, 6);
	assert_memory_equal(out, "foobar", 6);
	/* a quartet split by blanks is still one quartet */
	assert_int_equal(base64_decode_ws("Zm 9v", 5, out, sizeof out, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(base64_decode_ws("Zg= =", 5, out, sizeof out, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(base64_decode_ws("Zg== Zg==", 9, out, sizeof out, &len),
	                 WARD_EBASE64);
	/* output space */
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 5, &len), WARD_ESPACE);
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 6, &len), 0);
}

static int b32(const char *s)
{
	uint8_t out[64];
	size_t len;
	return base32hex_decode(s, strlen(s), out, sizeof out, &len);
}

static void test_base32hex_strict(void **state)
{
	(void)state;
	assert_int_equal(b32("c"), WARD_EBASE32);        /* 1 char: no octet */
	assert_int_equal(b32("cpn"), WARD_EBASE32);      /* 3 chars: impossible */
	assert_int_equal(b32("cpnmuo"), WARD_EBASE32);   /* 6 chars: impossible */
	assert_int_equal(b32("cp"), WARD_EBASE32);       /* pad bits set */
	assert_int_equal(b32("co======"), WARD_EBASE32); /* no padding in NSEC3 */
	assert_int_equal(b32("cw"), WARD_EBASE32);       /* 'w' not base32hex */
	assert_int_equal(b32("c o"), WARD_EBASE32);
	assert_int_equal(b32("CPNMUOJ1E8"), 0);           /* case-insensitive */

	/* RFC 5155 Appendix A: hash of "example" */
	uint8_t out[32];
	size_t len;
	const char *h = "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom";
	assert_int_equal(base32hex_decode(h, strlen(h), out, sizeof out, &len), 0);
	assert_int_equal(len, 20);
	char buf[64];
	strbuf sb = strbuf_init(buf, sizeof buf);
	base32hex_encode(&sb, out, len);
	assert_string_equal(buf, h);
	assert_int_equal(base32hex_decode(h, strlen(h), out, 19, &len),
	                 WARD_ESPACE);
}

static void test_hex_strict(void **state)
{
	(void)state;
	uint8_t out[8];
	size_t len;
	assert_int_equal(hex_decode("abc", 3, out, sizeof out, &len), WARD_EHEX);
	assert_int_equal(hex_decode("0g", 2, out, sizeof out, &len), WARD_EHEX);
	assert_int_equal(hex_decode("0x12", 4, out, sizeof out, &len), WARD_EHEX);
	assert_int_equal(hex_decode("12 34", 5, out, sizeof out, &len), WARD_EHEX);
	assert_int_equal(hex_decode_ws("1 2 3 4", 7, out, sizeof out, &len), 0);
	assert_int_equal(len, 2);
	assert_int_equal(out[0], 0x12);
	assert_int_equal(out[1], 0x34);
	assert_int_equal(hex_decode("aBcD", 4, out, sizeof out, &len), 0);
	assert_int_equal(out[0], 0xab);
	assert_int_equal(out[1], 0xcd);
	assert_int_equal(hex_decode("aabbcc", 6, out, 2, &len), WARD_ESPACE);
	assert_int_equal(hex_digit_value('F'), 15);
	assert_int_equal(hex_digit_value('G'), -1);

	char buf[16];
	strbuf sb = strbuf_init(buf, sizeof buf);
	hex_encode_lower(&sb, (const uint8_t *)"\xab\x01", 2);
	assert_string_equal(buf, "ab01");
}

/* Every length 0..64 of every byte pattern round-trips. */
static void test_roundtrip_lengths(void **state)
{
	(void)state;
	uint8_t in[64], out[64];
	char buf[256];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof in; n++) {
		size_t len;
		strbuf sb = strbuf_init(buf, sizeof buf);
		base64_encode(&sb, in, n);
		assert_int_equal(base64_decode(buf, sb.len, out, sizeof out, &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(in, out, n);
		sb = strbuf_init(buf, sizeof buf);
		base32hex_encode(&sb, in, n);
		assert_int_equal(base32hex_decode(buf, sb.len, out, sizeof out, &len),
		                 0);
		assert_int_equal(len, n);
		assert_memory_equal(in, out, n);
	}
}

/* Encoders stop cleanly on a full strbuf. */
static void test_encode_overflow(void **state)
{
	(void)state;
	char buf[5];
	strbuf sb = strbuf_init(buf, sizeof buf);
	base64_encode(&sb, (const uint8_t *)"foobar", 6);
	assert_int_equal(sb.err, WARD_ESPACE);
	sb = strbuf_init(buf, sizeof buf);
	base32hex_encode(&sb, (const uint8_t *)"foobar", 6);
	assert_int_equal(sb.err, WARD_ESPACE);
}

/* base64url (RFC 4648 §5) against base64's base64 with the two characters swapped,
 * every length 0..200: unpadded and padded forms decode the same */
static void test_base64url_vs_base64(void **state)
{
	(void)state;
	uint8_t in[200], dec[200];
	char text[400];
	srand(8484);
	for (size_t n = 0; n < sizeof in; n++) {
		for (size_t i = 0; i < n; i++)
			in[i] = (uint8_t)rand();
		strbuf sb = strbuf_init(text, sizeof text);
		base64_encode(&sb, in, n);
		assert_int_equal(sb.err, 0);
		size_t tl = sb.len;
		for (size_t i = 0; i < tl; i++)
			text[i] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
		size_t got = 999;
		assert_int_equal(base64url_decode(text, tl, dec, sizeof dec, &got), 0);
		assert_int_equal(got, n);
		assert_memory_equal(dec, in, n);
		size_t unpadded = tl;
		while (unpadded && text[unpadded - 1] == '=')
			unpadded--;
		got = 999;
		assert_int_equal(base64url_decode(text, unpadded, dec, sizeof dec, &got), 0);
		assert_int_equal(got, n);
		assert_memory_equal(dec, in, n);
		if (n)
			assert_int_equal(base64url_decode(text, unpadded, dec, n - 1, &got),
			                 WARD_ESPACE);
	}
	/* spare bits must be zero: "AB" is 0x00 with a stray bit */
	size_t got;
	assert_int_equal(base64url_decode("AB", 2, dec, sizeof dec, &got), WARD_EBASE64);
	assert_int_equal(base64url_decode("AA", 2, dec, sizeof dec, &got), 0);
	assert_int_equal(got, 1);
	assert_int_equal(base64url_decode("AA=", 3, dec, sizeof dec, &got), WARD_EBASE64);
	assert_int_equal(base64url_decode("AA===", 5, dec, sizeof dec, &got), WARD_EBASE64);
	assert_int_equal(base64url_decode("A", 1, dec, sizeof dec, &got), WARD_EBASE64);
	/* the standard alphabet's two characters are not base64url */
	assert_int_equal(base64url_decode("+/8=", 4, dec, sizeof dec, &got), WARD_EBASE64);
	assert_int_equal(base64url_decode("-_8", 3, dec, sizeof dec, &got), 0);
	assert_int_equal(got, 2);
	assert_int_equal(dec[0], 0xfb);
	assert_int_equal(dec[1], 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_vectors),
		cmocka_unit_test(test_decode_vectors),
		cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_base32hex_strict),
		cmocka_unit_test(test_hex_strict),
		cmocka_unit_test(test_roundtrip_lengths),
		cmocka_unit_test(test_encode_overflow),
		cmocka_unit_test(test_base64url_vs_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
