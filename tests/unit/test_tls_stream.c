/* Unit tests: TLS over libuv streams (daemon/tls_stream.c), both sides in
 * one process over a socketpair: handshake, ALPN, 200 KB echoed back in
 * both directions (many records), close_notify seen as EOF; a client
 * offering only another ALPN protocol and bytes that are not TLS fail
 * the handshake with a reason. The certificate is made here with OpenSSL
 * (nothing on disk but two temporary files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "daemon/tls_stream.h"

#define ECHO_BYTES (200u * 1024)

static char cert_path[64], key_path[64];

static int make_cert(void **state)
{
	(void)state;
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	if (!k || !x)
		return -1;
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	                           (const unsigned char *)"ward.test", -1, -1, 0);
	X509_set_issuer_name(x, n);
	if (!X509_sign(x, k, EVP_sha256()))
		return -1;
	strcpy(cert_path, "/tmp/ward-tls-cert.XXXXXX");
	strcpy(key_path, "/tmp/ward-tls-key.XXXXXX");
	int cf = mkstemp(cert_path), kf = mkstemp(key_path);
	FILE *c = fdopen(cf, "w"), *kk = fdopen(kf, "w");
	if (!c || !kk)
		return -1;
	PEM_write_X509(c, x);
	PEM_write_PrivateKey(kk, k, NULL, NULL, 0, NULL, NULL);
	fclose(c);
	fclose(kk);
	X509_free(x);
	EVP_PKEY_free(k);
	return 0;
}

static int drop_cert(void **state)
{
	(void)state;
	unlink(cert_path);
	unlink(key_path);
	return 0;
}

/* one end of the socketpair */
struct end {
	uv_pipe_t p;
	tls_stream t;
	uint8_t rbuf[16384];
	uint8_t *got;            /* plaintext received */
	size_t ngot;
	bool echo;               /* the server sends back what it gets */
	bool sent;               /* the client sent its payload */
	bool eof, failed;
	struct end *peer;
};

static uint8_t payload[ECHO_BYTES];

static void on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
	struct end *e = h->data;
	(void)sz;
	*b = uv_buf_init((char *)e->rbuf, sizeof e->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct end *e = s->data;
	(void)b;
	if (n <= 0) {
		if (n < 0)
			uv_read_stop(s);
		return;
	}
	if (tls_stream_feed(&e->t, e->rbuf, (size_t)n) < 0) {
		e->failed = true;
		uv_read_stop(s);
		return;
	}
	if (!e->t.established)
		return;
	if (!e->echo && !e->sent) {
		/* the client: the payload in pieces of odd sizes */
		e->sent = true;
		for (size_t off = 0; off < ECHO_BYTES;) {
			size_t k = ECHO_BYTES - off < 7001 ? ECHO_BYTES - off : 7001;
			uv_buf_t ub = uv_buf_init((char *)payload + off, (unsigned)k);
			assert_int_equal(tls_stream_write(&e->t, &ub, 1), 0);
			off += k;
		}
	}
	uint8_t buf[5000];
	for (;;) {
		ssize_t r = tls_stream_read(&e->t, buf, sizeof buf);
		if (r == TLS_STREAM_AGAIN)
			break;
		if (r == TLS_STREAM_EOF) {
			e->eof = true;
			uv_read_stop(s);
			break;
		}
		assert_true(r > 0);
		memcpy(e->got + e->ngot, buf, (size_t)r);
		e->ngot += (size_t)r;
		if (e->echo) {
			uv_buf_t ub[2] = { uv_buf_init((char *)buf, (unsigned)r / 2),
			                   uv_buf_init((char *)buf + r / 2,
			                               (unsigned)(r - r / 2)) };
			assert_int_equal(tls_stream_write(&e->t, ub, 2), 0);
		} else if (e->ngot == ECHO_BYTES) {
			tls_stream_close_notify(&e->t);
			uv_read_stop(s);
		}
	}
}

static void pair(uv_loop_t *loop, struct end *s, struct end *c)
{
	int fds[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	memset(s, 0, sizeof *s);
	memset(c, 0, sizeof *c);
	uv_pipe_init(loop, &s->p, 0);
	uv_pipe_init(loop, &c->p, 0);
	uv_pipe_open(&s->p, fds[0]);
	uv_pipe_open(&c->p, fds[1]);
	s->p.data = s;
	c->p.data = c;
	s->got = malloc(ECHO_BYTES);
	c->got = malloc(ECHO_BYTES);
	assert_non_null(s->got);
	assert_non_null(c->got);
	s->echo = true;
}

static void unpair(uv_loop_t *loop, struct end *s, struct end *c)
{
	uv_close((uv_handle_t *)&s->p, NULL);
	uv_close((uv_handle_t *)&c->p, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
	tls_stream_free(&s->t);
	tls_stream_free(&c->t);
	free(s->got);
	free(c->got);
}

static SSL_CTX *client_ctx(const char *alpn)
{
	SSL_CTX *cc = SSL_CTX_new(TLS_client_method());
	assert_non_null(cc);
	assert_int_equal(SSL_CTX_load_verify_locations(cc, cert_path, NULL), 1);
	SSL_CTX_set_verify(cc, SSL_VERIFY_PEER, NULL);
	unsigned char wire[16];
	wire[0] = (unsigned char)strlen(alpn);
	memcpy(wire + 1, alpn, wire[0]);
	assert_int_equal(SSL_CTX_set_alpn_protos(cc, wire, wire[0] + 1u), 0);
	return cc;
}

static void test_echo(void **state)
{
	(void)state;
	char why[256];
	SSL_CTX *sc = tls_ctx_server(cert_path, key_path, "dot", why, sizeof why);
	assert_non_null(sc);
	SSL_CTX *cc = client_ctx("dot");
	for (size_t i = 0; i < ECHO_BYTES; i++)
		payload[i] = (uint8_t)(i * 7 + i / 251);
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct end s, c;
	pair(&loop, &s, &c);
	assert_int_equal(tls_stream_init(&s.t, sc, (uv_stream_t *)&s.p, true), 0);
	uv_read_start((uv_stream_t *)&s.p, on_alloc, on_read);
	uv_read_start((uv_stream_t *)&c.p, on_alloc, on_read);
	assert_int_equal(tls_stream_init(&c.t, cc, (uv_stream_t *)&c.p, false), 0);
	uv_run(&loop, UV_RUN_DEFAULT);   /* ends when both stopped reading */
	assert_true(s.t.established);
	assert_true(c.t.established);
	size_t al;
	const char *a = tls_stream_alpn(&s.t, &al);
	assert_int_equal(al, 3);
	assert_memory_equal(a, "dot", 3);
	assert_int_equal(s.ngot, ECHO_BYTES);
	assert_memory_equal(s.got, payload, ECHO_BYTES);
	assert_int_equal(c.ngot, ECHO_BYTES);
	assert_memory_equal(c.got, payload, ECHO_BYTES);
	assert_true(s.eof);              /* the client's close_notify */
	assert_false(s.failed || c.failed);
	unpair(&loop, &s, &c);
	uv_loop_close(&loop);
	SSL_CTX_free(cc);
	tls_ctx_free(sc);
}

static void test_alpn_refused(void **state)
{
	(void)state;
	char why[256];
	SSL_CTX *sc = tls_ctx_server(cert_path, key_path, "dot", why, sizeof why);
	SSL_CTX *cc = client_ctx("h2");
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct end s, c;
	pair(&loop, &s, &c);
	assert_int_equal(tls_stream_init(&s.t, sc, (uv_stream_t *)&s.p, true), 0);
	uv_read_start((uv_stream_t *)&s.p, on_alloc, on_read);
	uv_read_start((uv_stream_t *)&c.p, on_alloc, on_read);
	assert_int_equal(tls_stream_init(&c.t, cc, (uv_stream_t *)&c.p, false), 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_true(s.failed);
	assert_true(c.failed);           /* it got the alert */
	assert_false(s.t.established);
	assert_non_null(strstr(s.t.why, "handshake"));
	assert_int_equal(s.ngot, 0);
	unpair(&loop, &s, &c);
	uv_loop_close(&loop);
	SSL_CTX_free(cc);
	tls_ctx_free(sc);
}

static void test_not_tls(void **state)
{
	(void)state;
	char why[256];
	SSL_CTX *sc = tls_ctx_server(cert_path, key_path, "h2", why, sizeof why);
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct end s, c;
	pair(&loop, &s, &c);
	assert_int_equal(tls_stream_init(&s.t, sc, (uv_stream_t *)&s.p, true), 0);
	static const char req[] = "GET /dns-query HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(tls_stream_feed(&s.t, (const uint8_t *)req,
	                                 sizeof req - 1), TLS_STREAM_ERROR);
	assert_true(s.t.failed);
	assert_true(strlen(s.t.why) > strlen("handshake"));
	assert_int_equal(tls_stream_read(&s.t, s.rbuf, sizeof s.rbuf),
	                 TLS_STREAM_ERROR);
	uv_buf_t b = uv_buf_init((char *)req, 4);
	assert_int_equal(tls_stream_write(&s.t, &b, 1), TLS_STREAM_ERROR);
	unpair(&loop, &s, &c);
	uv_loop_close(&loop);
	tls_ctx_free(sc);
}

static void test_ctx_errors(void **state)
{
	(void)state;
	char why[512];
	assert_null(tls_ctx_server("/nonexistent/cert.pem", key_path, "dot", why,
	                           sizeof why));
	assert_non_null(strstr(why, "/nonexistent/cert.pem: No such file"));
	/* the key given as the certificate */
	assert_null(tls_ctx_server(key_path, key_path, "dot", why, sizeof why));
	assert_non_null(strstr(why, "not a PEM certificate"));
	assert_null(tls_ctx_server(cert_path, cert_path, "dot", why, sizeof why));
	assert_non_null(strstr(why, "not a PEM private key"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_alpn_refused),
		cmocka_unit_test(test_not_tls),
		cmocka_unit_test(test_ctx_errors),
	};
	return cmocka_run_group_tests(tests, make_cert, drop_cert);
}
