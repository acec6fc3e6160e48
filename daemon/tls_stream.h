/* wardd: TLS over a libuv stream, OpenSSL with memory BIOs (no blocking
 * socket, no thread). The owner keeps its uv stream and its read loop:
 * it hands the ciphertext it reads to tls_stream_feed() (which also runs
 * the handshake), pulls plaintext with tls_stream_read() and sends with
 * tls_stream_write(). Every byte OpenSSL produces (handshake flights,
 * alerts, records, close_notify) is written to the stream here with
 * uv_write; the write requests own their bytes, so closing the stream at
 * any time is safe. Server and client sides (docs/encrypted-dns.md).
 *
 * Backpressure is the owner's: it stops reading the socket while it does
 * not pull plaintext, so what is buffered stays bounded by one read. */
#ifndef WARD_DAEMON_TLS_STREAM_H
#define WARD_DAEMON_TLS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include <openssl/ssl.h>

#define TLS_STREAM_ERR_MAX 120           /* reason text kept for the log */

/* tls_stream_read() results besides a byte count */
#define TLS_STREAM_AGAIN 0               /* nothing decrypted yet */
#define TLS_STREAM_EOF (-1)              /* the peer sent close_notify */
#define TLS_STREAM_ERROR (-2)            /* broken: close the connection */

typedef struct tls_stream {
	SSL *ssl;
	BIO *rbio, *wbio;                /* network side: in, out */
	uv_stream_t *s;
	bool established;
	bool failed;
	char why[TLS_STREAM_ERR_MAX];    /* the first failure, "" if none */
} tls_stream;

/* A server context: TLS 1.2 and newer, AEAD suites with forward secrecy
 * for TLS 1.2 (RFC 9325 §4.2, also what HTTP/2 needs, RFC 9113 §9.2.2),
 * no renegotiation or compression, the PEM certificate chain and key of
 * the files given. alpn: the one protocol offered ("dot", "h2"); a client
 * offering others only gets a no_application_protocol alert (RFC 7301
 * §3.2), a client offering none is served. NULL on failure with a reason
 * in why ("cert.pem: No such file or directory", "key does not match the
 * certificate"). */
SSL_CTX *tls_ctx_server(const char *cert_file, const char *key_file,
                        const char *alpn, char *why, size_t whylen);
void tls_ctx_free(SSL_CTX *ctx);

/* Start TLS on stream s (connected or accepted). 0 or WARD_ENOMEM. A
 * client (server false) sends its ClientHello at once. */
int tls_stream_init(tls_stream *t, SSL_CTX *ctx, uv_stream_t *s, bool server);
void tls_stream_free(tls_stream *t);

/* Ciphertext read from the stream. Drives the handshake (t->established
 * turns true when it completes). Returns 0, or TLS_STREAM_ERROR when TLS
 * failed (an alert may be on its way: let the writes out, then close). */
int tls_stream_feed(tls_stream *t, const uint8_t *buf, size_t len);

/* Plaintext into buf[0..cap): a byte count, TLS_STREAM_AGAIN,
 * TLS_STREAM_EOF or TLS_STREAM_ERROR. */
ssize_t tls_stream_read(tls_stream *t, uint8_t *buf, size_t cap);

/* Encrypt and send the buffers as one record sequence. 0 or
 * TLS_STREAM_ERROR. */
int tls_stream_write(tls_stream *t, const uv_buf_t *bufs, unsigned n);

/* Send close_notify (RFC 8446 §6.1); the caller shuts the stream down. */
void tls_stream_close_notify(tls_stream *t);

/* The protocol ALPN selected, NULL when none (len 0). */
const char *tls_stream_alpn(const tls_stream *t, size_t *len);

#endif
