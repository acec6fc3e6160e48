/* Unit tests: the DNS over HTTPS request parser (daemon/doh_request.c),
 * with the examples of RFC 8484 §4.1.1 and every refusal it has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "daemon/doh_request.h"
#include "strbuf.h"

/* RFC 8484 §4.1.1: www.example.com A, ID 0, RD */
static const uint8_t rfc_query[] = {
	0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
};

static uint8_t out[DOH_MSG_MAX];

static enum doh_status get(const char *path, size_t *len)
{
	struct doh_request r = { .method = "GET", .method_len = 3,
	                         .path = path, .path_len = strlen(path) };
	return doh_request_parse(&r, out, sizeof out, len);
}

static enum doh_status post(const char *path, const char *ct,
                            const uint8_t *body, size_t blen, size_t cap,
                            size_t *len)
{
	struct doh_request r = { .method = "POST", .method_len = 4,
	                         .path = path, .path_len = strlen(path),
	                         .content_type = ct,
	                         .content_type_len = ct ? strlen(ct) : 0,
	                         .body = body, .body_len = blen };
	return doh_request_parse(&r, out, cap, len);
}

static void test_rfc8484_get(void **state)
{
	(void)state;
	size_t len = 0;
	assert_int_equal(get("/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
	                     &len), DOH_OK);
	assert_int_equal(len, sizeof rfc_query);
	assert_memory_equal(out, rfc_query, len);
	/* other parameters around it are ignored; a fragment ends it */
	assert_int_equal(get("/dns-query?ct=a&dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB&x#frag",
	                     &len), DOH_OK);
	assert_memory_equal(out, rfc_query, sizeof rfc_query);
}

static void test_rfc8484_post(void **state)
{
	(void)state;
	size_t len = 0;
	assert_int_equal(post("/dns-query", "application/dns-message", rfc_query,
	                      sizeof rfc_query, sizeof out, &len), DOH_OK);
	assert_int_equal(len, sizeof rfc_query);
	assert_memory_equal(out, rfc_query, len);
	/* media type: any case, parameters allowed */
	assert_int_equal(post("/dns-query", "Application/DNS-Message; x=1",
	                      rfc_query, sizeof rfc_query, sizeof out, &len),
	                 DOH_OK);
}

static void test_refusals(void **state)
{
	(void)state;
	size_t len = 99;
	assert_int_equal(get("/dns-query", &len), DOH_BAD_REQUEST);
	assert_int_equal(len, 0);
	assert_int_equal(get("/dns-query?", &len), DOH_BAD_REQUEST);
	assert_int_equal(get("/dns-query?dns=", &len), DOH_BAD_REQUEST);
	assert_int_equal(get("/dns-query?name=example.com", &len), DOH_BAD_REQUEST);
	assert_int_equal(get("/dns-query?dns=AAAB!AAB", &len), DOH_BAD_REQUEST);
	assert_int_equal(get("/dns-query?dns=AAAB+AAB", &len), DOH_BAD_REQUEST);  /* base64, not url */
	assert_int_equal(get("/dns-query?dns=AAABA", &len), DOH_BAD_REQUEST);     /* length 1 mod 4 */
	assert_int_equal(get("/dns-query?dns=AAAB", &len), DOH_BAD_REQUEST);      /* < a header */
	assert_int_equal(get("/dns-query?dns=AAABAAABAAAAAAAAAAABAAE&dns=AAABAAABAAAAAAAAAAABAAE",
	                     &len), DOH_BAD_REQUEST);
	assert_int_equal(get("/dns-queryx?dns=AAABAAABAAAAAAAAAAABAAE", &len), DOH_NOT_FOUND);
	assert_int_equal(get("/", &len), DOH_NOT_FOUND);
	assert_int_equal(get("", &len), DOH_BAD_REQUEST);
	struct doh_request r = { .method = "PUT", .method_len = 3,
	                         .path = "/dns-query", .path_len = 10 };
	assert_int_equal(doh_request_parse(&r, out, sizeof out, &len), DOH_BAD_METHOD);
	r.method = "get";   /* methods are case-sensitive (RFC 9110 §9.1) */
	assert_int_equal(doh_request_parse(&r, out, sizeof out, &len), DOH_BAD_METHOD);
	assert_int_equal(post("/dns-query", NULL, rfc_query, sizeof rfc_query,
	                      sizeof out, &len), DOH_BAD_MEDIA);
	assert_int_equal(post("/dns-query", "application/dns-messages", rfc_query,
	                      sizeof rfc_query, sizeof out, &len), DOH_BAD_MEDIA);
	assert_int_equal(post("/dns-query", "application/dns-message", rfc_query, 11,
	                      sizeof out, &len), DOH_BAD_REQUEST);
	assert_int_equal(post("/dns-query", "application/dns-message", rfc_query,
	                      sizeof rfc_query, 20, &len), DOH_TOO_LARGE);
	assert_int_equal(len, 0);
	assert_string_equal(doh_status_text(DOH_BAD_MEDIA), "Unsupported Media Type");
}

static void test_get_too_large(void **state)
{
	(void)state;
	struct doh_request r = { .method = "GET", .method_len = 3,
	                         .path = "/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
	                         .path_len = 0 };
	r.path_len = strlen(r.path);
	size_t len;
	assert_int_equal(doh_request_parse(&r, out, 32, &len), DOH_TOO_LARGE);
	assert_int_equal(doh_request_parse(&r, out, 33, &len), DOH_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8484_get),
		cmocka_unit_test(test_rfc8484_post),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_get_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
