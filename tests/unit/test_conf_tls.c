/* Unit tests: the encrypted-DNS options (tls-port=, https-port=,
 * tls-certificate=, tls-key=; docs/encrypted-dns.md): parsed with their
 * file:line, dumped and parsed back the same, and the checks between
 * them (a port without a certificate or key is an error, a certificate
 * without a port a warning). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "error.h"
#include "strbuf.h"

static int load(ward_conf *c, const char *text)
{
	assert_int_equal(conf_init(c, NULL), 0);
	conf_load_buffer(c, "t.conf", text, strlen(text));
	return conf_finish(c);
}

static bool has_diag(const ward_conf *c, const char *text)
{
	for (size_t i = 0; i < c->diags.n; i++)
		if (strstr(c->diags.v[i].text, text))
			return true;
	return false;
}

static void test_parsed(void **state)
{
	(void)state;
	ward_conf c;
	assert_int_equal(load(&c, "port=5353\ntls-port=853\nhttps-port=443\n"
	                          "tls-certificate=/etc/ward/cert.pem\n"
	                          "tls-key=/etc/ward/key.pem\n"), 0);
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.warnings, 0);
	assert_int_equal(c.tls_port, 853);
	assert_int_equal(c.https_port, 443);
	assert_int_equal(c.tls_port_loc.line, 2);
	assert_string_equal(c.tls_certificate.s, "/etc/ward/cert.pem");
	assert_int_equal(c.tls_certificate.loc.line, 4);
	assert_string_equal(c.tls_key.s, "/etc/ward/key.pem");
	assert_int_equal(c.tls_key.loc.line, 5);
	assert_string_equal(c.tls_key.loc.file, "t.conf");

	/* the dump gives the same configuration back */
	char buf[4096];
	strbuf sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(conf_dump(&c, &sb), 0);
	assert_non_null(strstr(buf, "tls-port=853\n"));
	assert_non_null(strstr(buf, "https-port=443\n"));
	assert_non_null(strstr(buf, "tls-certificate=/etc/ward/cert.pem\n"));
	ward_conf c2;
	assert_int_equal(load(&c2, buf), 0);
	assert_int_equal(c2.tls_port, 853);
	assert_int_equal(c2.https_port, 443);
	assert_string_equal(c2.tls_key.s, "/etc/ward/key.pem");
	conf_free(&c2);
	conf_free(&c);

	/* off by default, and nothing dumped */
	assert_int_equal(load(&c, "port=53\n"), 0);
	assert_int_equal(c.tls_port, 0);
	assert_int_equal(c.https_port, 0);
	assert_null(c.tls_certificate.s);
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(conf_dump(&c, &sb), 0);
	assert_null(strstr(buf, "tls"));
	conf_free(&c);
}

static void test_errors(void **state)
{
	(void)state;
	ward_conf c;
	assert_int_equal(load(&c, "tls-port=853\n"), WARD_ECONF);
	assert_int_equal(c.errors, 2);
	assert_true(has_diag(&c, "t.conf:1: option 'tls-port': needs tls-certificate=FILE"));
	assert_true(has_diag(&c, "t.conf:1: option 'tls-port': needs tls-key=FILE"));
	conf_free(&c);

	assert_int_equal(load(&c, "tls-certificate=/c.pem\nhttps-port=8443\n"),
	                 WARD_ECONF);
	assert_int_equal(c.errors, 1);
	assert_true(has_diag(&c, "t.conf:2: option 'https-port': needs tls-key=FILE"));
	conf_free(&c);

	assert_int_equal(load(&c, "tls-port=65536\n"), WARD_ECONF);
	conf_free(&c);
	assert_int_equal(load(&c, "tls-port=abc\n"), WARD_ECONF);
	conf_free(&c);
	assert_int_equal(load(&c, "tls-certificate=\n"), WARD_ECONF);
	conf_free(&c);
	/* given once */
	assert_int_equal(load(&c, "tls-port=853\ntls-port=854\n"
	                          "tls-certificate=/c\ntls-key=/k\n"), WARD_ECONF);
	conf_free(&c);

	/* a certificate without a port: a warning, usable */
	assert_int_equal(load(&c, "tls-certificate=/c.pem\ntls-key=/k.pem\n"), 0);
	assert_int_equal(c.warnings, 1);
	assert_true(has_diag(&c, "t.conf:1: warning: option 'tls-certificate': unused"));
	conf_free(&c);

	/* port 0: off, no certificate needed */
	assert_int_equal(load(&c, "tls-port=0\nhttps-port=0\n"), 0);
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsed),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
