/* wardd: TLS over a libuv stream with memory BIOs; see tls_stream.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "codec/error.h"
#include "daemon/tls_stream.h"

/* TLS 1.2: ECDHE key exchange and AEAD ciphers only; TLS 1.3 suites are
 * all AEAD and OpenSSL's defaults are kept */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"
#define TLS_ALPN_MAX 16

struct alpn_arg {
	unsigned char wire[TLS_ALPN_MAX + 1];   /* length-prefixed, RFC 7301 §3.1 */
	unsigned len;
};

static int alpn_arg_index = -1;

static void set_why(char *why, size_t n, const char *prefix)
{
	unsigned long e = ERR_peek_last_error();
	char buf[200] = "";
	if (e)
		ERR_error_string_n(e, buf, sizeof buf);
	/* "error:0A000086:SSL routines::certificate verify failed": the part
	 * after the last ':' is the reason */
	const char *r = strrchr(buf, ':');
	snprintf(why, n, "%s%s%s", prefix, *buf ? ": " : "",
	         r && r[1] ? r + 1 : buf);
	ERR_clear_error();
}

static int alpn_select(SSL *ssl, const unsigned char **out,
                       unsigned char *outlen, const unsigned char *in,
                       unsigned inlen, void *arg)
{
	(void)ssl;
	const struct alpn_arg *a = arg;
	unsigned char *sel = NULL;
	if (SSL_select_next_proto(&sel, outlen, a->wire, a->len, in, inlen) !=
	    OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_ALERT_FATAL;   /* no_application_protocol */
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

static void free_alpn(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
                      long argl, void *argp)
{
	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	free(ptr);
}

/* a readable file, or why not (OpenSSL's own message for a missing file
 * is "system lib") */
static bool readable(const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	fclose(f);
	return true;
}

SSL_CTX *tls_ctx_server(const char *cert_file, const char *key_file,
                        const char *alpn, char *why, size_t whylen)
{
	ERR_clear_error();
	if (alpn_arg_index < 0)
		alpn_arg_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL,
		                                          free_alpn);
	size_t al = alpn ? strlen(alpn) : 0;
	if (al == 0 || al > TLS_ALPN_MAX) {
		snprintf(why, whylen, "bad ALPN protocol name");
		return NULL;
	}
	if (!readable(cert_file, why, whylen) || !readable(key_file, why, whylen))
		return NULL;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	struct alpn_arg *a = calloc(1, sizeof *a);
	if (!ctx || !a) {
		free(a);
		SSL_CTX_free(ctx);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	SSL_CTX_set_ex_data(ctx, alpn_arg_index, a);
	a->wire[0] = (unsigned char)al;
	memcpy(a->wire + 1, alpn, al);
	a->len = (unsigned)al + 1;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
	                    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	if (!SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS)) {
		set_why(why, whylen, "cipher list");
		goto fail;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		char p[300];
		snprintf(p, sizeof p, "%s: not a PEM certificate", cert_file);
		set_why(why, whylen, p);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		char p[600];
		if (ERR_GET_REASON(ERR_peek_last_error()) ==
		    X509_R_KEY_VALUES_MISMATCH)
			snprintf(p, sizeof p, "%s does not match the certificate "
			         "in %s", key_file, cert_file);
		else
			snprintf(p, sizeof p, "%s: not a PEM private key", key_file);
		set_why(why, whylen, p);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		char p[600];
		snprintf(p, sizeof p, "%s does not match the certificate in %s",
		         key_file, cert_file);
		set_why(why, whylen, p);
		goto fail;
	}
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select, a);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

struct tls_write {
	uv_write_t req;
	uint8_t data[];
};

static void on_written(uv_write_t *req, int status)
{
	(void)status;
	free(req->data);
}

static void fail(tls_stream *t, const char *what)
{
	if (!t->failed) {
		t->failed = true;
		set_why(t->why, sizeof t->why, what);
	} else {
		ERR_clear_error();
	}
}

/* everything OpenSSL wrote into the out BIO goes to the stream */
static int flush(tls_stream *t)
{
	size_t n = (size_t)BIO_ctrl_pending(t->wbio);
	if (n == 0)
		return 0;
	struct tls_write *w = malloc(sizeof *w + n);
	if (!w) {
		fail(t, "out of memory");
		return TLS_STREAM_ERROR;
	}
	int got = BIO_read(t->wbio, w->data, (int)n);
	if (got <= 0) {
		free(w);
		return 0;
	}
	w->req.data = w;
	uv_buf_t b = uv_buf_init((char *)w->data, (unsigned)got);
	if (uv_write(&w->req, t->s, &b, 1, on_written) < 0) {
		free(w);
		if (!t->failed) {
			t->failed = true;
			snprintf(t->why, sizeof t->why, "write failed");
		}
		return TLS_STREAM_ERROR;
	}
	return 0;
}

int tls_stream_init(tls_stream *t, SSL_CTX *ctx, uv_stream_t *s, bool server)
{
	memset(t, 0, sizeof *t);
	t->s = s;
	t->ssl = SSL_new(ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		SSL_free(t->ssl);
		memset(t, 0, sizeof *t);
		ERR_clear_error();
		return WARD_ENOMEM;
	}
	/* an empty memory BIO says "retry", not EOF */
	BIO_set_mem_eof_return(t->rbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	if (server) {
		SSL_set_accept_state(t->ssl);
	} else {
		SSL_set_connect_state(t->ssl);
		ERR_clear_error();
		SSL_do_handshake(t->ssl);   /* the ClientHello */
		flush(t);
	}
	return 0;
}

void tls_stream_free(tls_stream *t)
{
	if (t->ssl)
		SSL_free(t->ssl);   /* frees both BIOs */
	memset(t, 0, sizeof *t);
}

static int handshake(tls_stream *t)
{
	ERR_clear_error();
	int r = SSL_do_handshake(t->ssl);
	int fr = flush(t);
	if (r == 1) {
		t->established = true;
		return fr;
	}
	int e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return fr;
	fail(t, "handshake");
	return TLS_STREAM_ERROR;
}

int tls_stream_feed(tls_stream *t, const uint8_t *buf, size_t len)
{
	if (t->failed)
		return TLS_STREAM_ERROR;
	if (len && BIO_write(t->rbio, buf, (int)len) != (int)len) {
		fail(t, "out of memory");
		return TLS_STREAM_ERROR;
	}
	if (!t->established)
		return handshake(t);
	return 0;
}

ssize_t tls_stream_read(tls_stream *t, uint8_t *buf, size_t cap)
{
	if (t->failed)
		return TLS_STREAM_ERROR;
	if (!t->established || cap == 0)
		return TLS_STREAM_AGAIN;
	size_t got = 0;
	ERR_clear_error();
	int ok = SSL_read_ex(t->ssl, buf, cap, &got);
	int e = ok ? SSL_ERROR_NONE : SSL_get_error(t->ssl, 0);
	/* post-handshake messages (tickets, key updates) may want an answer */
	if (flush(t) < 0)
		return TLS_STREAM_ERROR;
	if (ok)
		return (ssize_t)got;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return TLS_STREAM_AGAIN;
	if (e == SSL_ERROR_ZERO_RETURN)
		return TLS_STREAM_EOF;
	fail(t, "read");
	return TLS_STREAM_ERROR;
}

static int write_one(tls_stream *t, const void *p, size_t len)
{
	size_t done = 0;
	ERR_clear_error();
	/* memory BIOs grow: the whole buffer is taken at once */
	if (len && (!SSL_write_ex(t->ssl, p, len, &done) || done != len)) {
		fail(t, "write");
		flush(t);
		return TLS_STREAM_ERROR;
	}
	return flush(t);
}

int tls_stream_write(tls_stream *t, const uv_buf_t *bufs, unsigned n)
{
	if (t->failed || !t->established)
		return TLS_STREAM_ERROR;
	if (n == 1)
		return write_one(t, bufs[0].base, bufs[0].len);
	/* several pieces (a length and a message) go out as one record */
	size_t total = 0;
	for (unsigned i = 0; i < n; i++)
		total += bufs[i].len;
	uint8_t *tmp = malloc(total ? total : 1);
	if (!tmp) {
		fail(t, "out of memory");
		return TLS_STREAM_ERROR;
	}
	size_t off = 0;
	for (unsigned i = 0; i < n; i++) {
		memcpy(tmp + off, bufs[i].base, bufs[i].len);
		off += bufs[i].len;
	}
	int r = write_one(t, tmp, total);
	free(tmp);
	return r;
}

void tls_stream_close_notify(tls_stream *t)
{
	if (!t->ssl || t->failed || !t->established)
		return;
	ERR_clear_error();
	SSL_shutdown(t->ssl);
	ERR_clear_error();
	flush(t);
}

const char *tls_stream_alpn(const tls_stream *t, size_t *len)
{
	const unsigned char *p = NULL;
	unsigned l = 0;
	if (t->ssl)
		SSL_get0_alpn_selected(t->ssl, &p, &l);
	*len = l;
	return l ? (const char *)p : NULL;
}
