/* wardd: the TLS part DoT (client_dot.c) and DoH (client_doh.c) share on
 * top of conn.c: a tls_stream per connection, the ciphertext read buffer,
 * handshake counting (client_tls.c). */
#ifndef WARD_DAEMON_CLIENT_TLS_H
#define WARD_DAEMON_CLIENT_TLS_H

#include "daemon/conn.h"
#include "daemon/tls_stream.h"

#define TLS_READ_CHUNK 16384           /* ciphertext read at once */

struct tls_conn {
	tls_stream t;
	uint8_t rbuf[TLS_READ_CHUNK];
};

/* TLS on accepted connection c with context ssl_ctx (an SSL_CTX). */
int tls_conn_start(struct tcp_conn *c, struct tls_conn *tc, void *ssl_ctx);
/* The read buffer for the socket's alloc callback. */
uv_buf_t tls_conn_room(struct tls_conn *tc);
/* Ciphertext read (nread as libuv gives it): drives the handshake and
 * counts it. Returns 1 when the handshake just completed, 0 when all is
 * well, -1 when c is closing (failed handshake, TLS error, EOF before the
 * handshake ended). */
int tls_conn_input(struct tcp_conn *c, struct tls_conn *tc, ssize_t nread);
/* The handshake timer ran out. */
void tls_conn_first_timeout(struct tcp_conn *c);

#endif
