/* wardd: forwarding to upstreams over DNS-over-TLS (RFC 7858), for
 * ward's server-tls= (docs/encrypted-dns-upstream.md).
 *
 * The engine knows nothing of TLS: it sends to an address and port as
 * ever, and upstream_send hands a SEND whose destination is a server-tls=
 * address to upstream_tls_send. Each such server has a small pool of
 * connections kept open (RFC 7858 §3.4): queries are pipelined on one
 * connection, each under an ID unique on it (the engine's ID is put back
 * in the reply), answers may come in any order. OpenSSL runs on memory
 * BIOs driven by libuv TCP streams: no blocking call, no thread.
 *
 *   upstream_tls.c       the pool: servers, the SSL_CTX, picking a
 *                        connection, failures handed back to the engine,
 *                        statistics
 *   upstream_tls_conn.c  one connection: connect, handshake, verify,
 *                        framing, timers */
#ifndef WARD_DAEMON_UPSTREAM_TLS_H
#define WARD_DAEMON_UPSTREAM_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "codec/dns_stream.h"
#include "daemon/wardd.h"

/* ---- limits (named constants, DESIGN.md) ---- */
#define UPTLS_MAX_SERVERS 64          /* distinct server-tls= addresses */
#define UPTLS_MAX_CONNS 4             /* connections per server */
#define UPTLS_MAX_INFLIGHT 64         /* queries in flight per connection */
#define UPTLS_HANDSHAKE_MS 5000       /* TCP connect + TLS handshake */
#define UPTLS_IDLE_MS 20000           /* an idle connection is closed */
#define UPTLS_QUERY_MS WARDD_UPSTREAM_LINGER_MS /* a query without a reply
                                       * by then: the connection is stuck */
#define UPTLS_BACKOFF_MIN_MS 250      /* after a failed connect/handshake */
#define UPTLS_BACKOFF_MAX_MS 16000
#define UPTLS_READ_CHUNK 16384        /* plaintext read at a time */
#define UPTLS_MAX_DEFERRED 4096       /* failures waiting to reach the engine */
#define UPTLS_DEFAULT_PORT 853

struct uptls_stats {
	uint64_t connects, handshakes, resumed, connect_failed,
	         handshake_failed, verify_failed, closed_idle, closed_peer,
	         closed_error, queries, queries_reused, replies, failed,
	         dropped, stray_replies, protocol_errors, stuck, expired;
};

struct uptls_pool;
struct uptls_conn;

/* One server-tls= address. */
struct uptls_server {
	struct uptls_pool *pool;
	struct res_addr addr;
	char text[80];                /* "ADDR#PORT" for the log */
	const char *name;             /* authentication name, or NULL */
	SSL_SESSION *session;         /* for resumption, or NULL */
	struct uptls_conn *conns;     /* list */
	unsigned nconns;
	uint64_t backoff_until;       /* ms; no new connection before */
	unsigned backoff_ms;          /* 0 after a good handshake */
};

/* A query sent on a connection. */
struct uptls_query {
	struct engine_gen *g;         /* NULL: the slot is free */
	uint32_t token;
	uint16_t wire_id;             /* the ID on this connection */
	uint16_t orig_id;             /* the engine's */
	bool tcp;                     /* the engine's flag, given back */
	uint64_t sent;                /* ms */
	uint64_t sent_us;             /* uv_hrtime / 1000: the dashboard's RTT */
};

enum uptls_state { UPTLS_CONNECTING = 0, UPTLS_HANDSHAKE, UPTLS_READY,
                   UPTLS_CLOSING };

struct uptls_conn {
	struct uptls_server *srv;
	enum uptls_state state;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_connect_t creq;
	unsigned handles_open;
	SSL *ssl;
	BIO *rbio, *wbio;             /* network side: in, out (memory) */
	uint8_t *plain;               /* framed queries waiting for the
	                               * handshake */
	size_t plain_len, plain_cap;
	dns_stream_rd rd;
	struct uptls_query q[UPTLS_MAX_INFLIGHT];
	unsigned nq;
	uint64_t started, last_active;  /* ms */
	uint64_t last_rx;             /* ms: the last reply */
	uint64_t sent;                /* queries put on this connection */
	bool keep_session;            /* closed cleanly: its session stays
	                               * resumable */
	struct uptls_conn *next;
};

/* A failure waiting to be told to the engine (out of the call stack that
 * found it). */
struct uptls_deferred {
	struct engine_gen *g;
	uint32_t token;
};

struct uptls_pool {
	struct wardd *d;
	SSL_CTX *ctx;
	struct uptls_server *srv;
	size_t nsrv;
	uv_timer_t defer_timer;
	bool defer_timer_open;
	struct uptls_deferred *deferred;
	size_t ndeferred, deferred_cap;
	bool stopping;
	struct uptls_stats st;
};

/* ---- upstream_tls.c ---- */
/* Build the pool from the configuration (server-tls=, tls-upstream-ca=):
 * 0 (also when there is no server-tls=), or a negative ward_err (logged). */
int upstream_tls_start(struct wardd *d);
/* A SEND for a server-tls= address: true when taken (sent, queued or
 * failed back to the engine), false for any other destination. */
bool upstream_tls_send(struct wardd *d, struct engine_gen *g,
                       const struct res_action *a);
/* Close every connection (shutdown); then, after the loop ran the close
 * callbacks, upstream_tls_free. */
void upstream_tls_close_all(struct wardd *d);
void upstream_tls_free(struct wardd *d);
void upstream_tls_log_stats(struct wardd *d);
/* The server-tls= authentication of an address: 1 with *name (NULL:
 * checked against the address), 0 when it is not a TLS upstream. */
int upstream_tls_lookup(const struct wardd *d, const struct res_addr *a,
                        const char **name);
/* --test: the SSL context can be built (CA file readable). 0 or
 * WARD_ECONF with the reason in why. */
int upstream_tls_check(const ward_conf *c, char *why, size_t whylen);

/* The query of slot i is over (reply given or failed): drop the engine
 * reference it held. */
void uptls_query_release(struct uptls_pool *p, struct uptls_query *q);
/* Tell the engine later that this query failed (the reference moves to
 * the deferred list). */
void uptls_query_defer_fail(struct uptls_pool *p, struct uptls_query *q);
/* A connect or handshake failed: no new connection for a while. */
void uptls_server_backoff(struct uptls_server *s, uint64_t now);
/* The dashboard's per-upstream counters (dash.h), as upstream.c keeps them
 * for UDP and TCP: every query handed to a server-tls= address is sent;
 * it ends with a reply (RTT from the moment it was handed over) or lost
 * (failed back to the engine, expired, or still out at shutdown). */
void uptls_dash_sent(struct uptls_pool *p, const struct res_addr *a);
void uptls_dash_reply(struct uptls_pool *p, const struct res_addr *a,
                      uint64_t sent_us);
void uptls_dash_lost(struct uptls_pool *p, const struct res_addr *a);

/* ---- upstream_tls_conn.c ---- */
/* A new connection to s (connecting), or NULL. */
struct uptls_conn *uptls_conn_open(struct uptls_server *s);
/* Put a query on c (c->nq < UPTLS_MAX_INFLIGHT). 0 or a negative
 * ward_err (nothing taken). */
int uptls_conn_query(struct uptls_conn *c, struct engine_gen *g,
                     const struct res_action *a);
/* Close c: its queries fail back to the engine (unless shutting down). */
void uptls_conn_close(struct uptls_conn *c);

#endif
