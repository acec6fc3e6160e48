/* wardd: the daemon's state and the parts of its event loop (libuv).
 *
 *   listen.c      listening addresses (port=, listen-address=, interface=,
 *                 except-interface=, bind-interfaces) -> UDP+TCP sockets
 *   client_udp.c  client queries over UDP
 *   client_tcp.c  client connections over TCP (RFC 7766)
 *   client_dot.c  DNS over TLS (RFC 7858), client_doh.c DNS over HTTPS
 *                 (RFC 8484); conn.c what the three share (conn.h);
 *                 client_tls.c their certificates and listeners;
 *                 tls_stream.c TLS over a libuv stream; doh_request.c
 *                 DoH request parsing; answer_pad.c EDNS(0) padding
 *   upstream.c    the engine's SENDs: a fresh socket per query
 *   upstream_tls*.c  SENDs to server-tls= addresses: pooled TLS
 *                 connections (daemon/upstream_tls.h)
 *   drive.c       engines, the pending-client table, the timer, stats
 *   signals.c     SIGHUP / SIGUSR1 / SIGTERM / SIGINT
 *   ctl_*.c       the control socket of `ward ctl` (docs/ctl.md)
 *   wardd_conf.c  the configuration from the command line (start, ctl)
 *   blocklist_*.c blocklists: files, URL fetches, refresh (blocklist_run.h)
 *   process.c     daemonising, pid file, privileges
 *   log.c         syslog / stderr / file; querylog.c: log-queries lines
 *   dhcp_*.c      DHCPv4 (daemon/dhcp_serve.h)
 *   dash.c, http_*.c  the web dashboard and /metrics (daemon/http.h)
 *   wardd.c       main()
 * docs/wardd.md describes the behaviour. */
#ifndef WARD_DAEMON_WARDD_H
#define WARD_DAEMON_WARDD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "daemon/conf.h"
#include "daemon/setup.h"
#include "resolver/engine.h"

/* ---- limits (named constants, DESIGN.md) ---- */
#define WARDD_MAX_LISTENERS 64          /* listening addresses */
#define WARDD_PENDING_BITS 12
#define WARDD_PENDING_MAX (1u << WARDD_PENDING_BITS) /* client queries in flight */
#define WARDD_TCP_MAX_CONNS 128         /* client TCP connections at once */
#define WARDD_TCP_IDLE_MS 10000         /* RFC 7766 §6.2.3: close idle connections */
#define WARDD_TCP_MAX_PIPELINE 32       /* outstanding queries per connection */
#define WARDD_TCP_MAX_WRITE_BYTES (512u * 1024) /* unread answers queued */
#define WARDD_TLS_MAX_CONNS 128         /* DoT and DoH connections at once */
#define WARDD_TLS_HANDSHAKE_MS 5000     /* from accept to the end of the TLS handshake */
#define WARDD_DOH_MAX_STREAMS 32        /* HTTP/2 requests open per connection */
#define WARDD_DOH_MAX_HEADER_BYTES 8192 /* one request's header list (RFC 9113 §6.5.2 sizes) */
#define WARDD_DOH_MAX_RESETS 200        /* RST_STREAMs a client may send on one connection */
#define WARDD_UPSTREAM_MAX 2048         /* upstream sockets open at once */
#define WARDD_UPSTREAM_LINGER_MS (RES_TIMEOUT_MAX_MS + 1000) /* an upstream socket outlives the engine's longest attempt by 1 s */
#define WARDD_MAX_RETIRED 8             /* engines draining after SIGHUP */
#define WARDD_UDP_RECV_MAX 65536        /* receive buffer */
#define WARDD_UDP_BATCH 20              /* client datagrams read with one recvmmsg (libuv's cap) */
#define WARDD_UDP_SEND_BATCH 32         /* answers sent with one sendmmsg */
#define WARDD_UDP_SEND_BYTES (64u * 1024) /* bytes of answers held for one sendmmsg */
#define WARDD_RESOLV_POLL_MS 1000       /* resolv files checked for changes (dnsmasq: each second) */

/* dnsmasq's exit codes (dnsmasq(8) EXIT CODES); configuration errors are
 * 2 in ward (issue #4) like network problems */
#define WARDD_DEFAULT_CONF "/etc/dnsmasq.conf"
#define WARDD_MAX_OLD_CONFS WARDD_MAX_RETIRED /* configurations replaced by
                                        * ctl reload, kept while engines
                                        * built from them may run */

#define WARDD_EXIT_CONF 2
#define WARDD_EXIT_NET 2
#define WARDD_EXIT_FS 3
#define WARDD_EXIT_MEM 4
#define WARDD_EXIT_OTHER 5

struct wardd;
struct wardd_dhcp;
struct uptls_pool;
struct ctl_server;
struct dash;
struct http_server;

struct listener {
	struct wardd *d;
	struct sockaddr_storage addr;
	uv_udp_t udp;
	uv_tcp_t tcp;
	bool udp_open, tcp_open;
	uv_tcp_t dot, doh;         /* tls-port=, https-port= (client_tls.c) */
	bool dot_open, doh_open;
};

enum conn_kind { CONN_TCP = 0, CONN_DOT, CONN_DOH };
struct conn_ops;

/* A client connection carrying DNS (TCP, DoT or DoH; daemon/conn.h). */
struct tcp_conn {
	struct wardd *d;
	const struct conn_ops *ops;
	enum conn_kind kind;
	void *enc;                 /* DoT/DoH: TLS and HTTP/2 state */
	uv_tcp_t h;
	uv_timer_t idle;
	uv_shutdown_t shutdown;
	struct sockaddr_storage peer;
	uint8_t *buf;              /* bytes read, not yet a whole message */
	size_t len, cap;
	unsigned outstanding;      /* queries without their answer yet */
	unsigned handles_open;     /* h and idle, until both closed */
	bool closing, reading;
	bool eof;                  /* the client finished sending */
	bool in_take;              /* take_messages running (re-entry guard) */
	bool touched;              /* past the first timeout (TLS handshake) */
	uint64_t last_active;      /* ms */
	struct tcp_conn *prev, *next;
};

/* One engine with what it was built from. After SIGHUP the old one is
 * retired: it gets no new client queries and is freed once idle. */
struct engine_gen {
	res_engine *e;
	struct wardd_setup setup;
	unsigned clients;          /* pending client queries */
	unsigned upstreams;        /* upstream sockets open */
};

/* A client query the engine is working on: where its answer goes. */
struct pending {
	uint64_t tag;              /* 0: free */
	struct engine_gen *gen;
	bool tcp;
	struct listener *l;        /* UDP: the socket it came in on */
	struct sockaddr_storage peer;
	uint64_t start_us;         /* arrival (uv_hrtime), for the latency */
	struct tcp_conn *conn;     /* TCP, DoT, DoH */
	uint32_t stream;           /* DoH: the HTTP/2 stream */
};

struct wardd_stats {
	uint64_t udp_queries, tcp_queries, malformed, dropped_busy,
	         tcp_conns, tcp_refused, tcp_idle_closed, answers_local,
	         answers_sent, answers_at_once, upstream_socket_errors, upstream_dropped,
	         upstream_bad_source, reloads;
	/* answers that left in UDP GSO sends (client_udp.c), and those sends */
	uint64_t udp_gso_answers, udp_gso_sends;
	/* encrypted DNS (client_tls.c) */
	uint64_t tls_conns, tls_refused, tls_handshakes, tls_failures,
	         dot_queries, doh_queries, doh_errors;
};

struct wardd {
	uv_loop_t *loop;
	ward_conf *conf;
	cache_t *cache;
	struct engine_gen *gen;                  /* current */
	struct engine_gen *retired[WARDD_MAX_RETIRED];
	unsigned nretired;
	uv_timer_t timer;
	uint64_t timer_due;
	struct listener *listeners;
	unsigned nlisteners;
	struct pending pending[WARDD_PENDING_MAX];
	unsigned npending;
	uint64_t seq;
	uint64_t starting_tag;                   /* the query res_query_start has */
	struct tcp_conn *conns;                  /* list */
	unsigned nconns;                         /* plain TCP */
	unsigned nenc_conns;                     /* DoT and DoH */
	void *tls_dot, *tls_doh;                 /* SSL_CTX (client_tls.c) */
	unsigned nupstreams;
	uv_signal_t sig_hup, sig_usr1, sig_term, sig_int;
	unsigned signals_open;                   /* initialised, in that order */
	struct wardd_stats st;
	bool stopping;
	void *upstreams;                         /* upstream.c's list */
	uv_fs_poll_t *polls;                     /* resolv_watch.c */
	unsigned npolls;
	const char *pid_file;                    /* written by us, or NULL */
	struct wardd_dhcp *dhcp;                 /* dhcp_run.c; NULL: no DHCP */
	struct uptls_pool *tls;                  /* upstream_tls.c; NULL: no
	                                          * server-tls= */
	/* the configuration: conf is the one read at start (sockets, DHCP,
	 * process, log); new engines are built from dns_conf, which `ward ctl
	 * reload` replaces by the files read again (docs/ctl.md) */
	ward_conf *dns_conf;
	ward_conf *old_confs[WARDD_MAX_OLD_CONFS];
	unsigned nold_confs;
	int conf_argc;                           /* the command line it came */
	char **conf_argv;                        /* from (verify, reload) */
	struct ctl_server *ctl;                  /* ctl_server.c; NULL: none */
	struct dash *dash;                       /* dash.c; NULL: no dashboard */
	struct http_server *http;                /* http_server.c */
	struct wardd_blocklists *bl;             /* blocklist_run.c; NULL: none */
};

/* drive.c */
int wardd_init(struct wardd *d, uv_loop_t *loop, ward_conf *conf);
void wardd_free(struct wardd *d);
uint64_t wardd_now(const struct wardd *d);
/* A client query: into the current engine. false: dropped (garbage, or
 * too many in flight), no answer will come. */
bool wardd_query(struct wardd *d, const uint8_t *pkt, size_t len, bool tcp,
                 struct listener *l, const struct sockaddr *peer,
                 struct tcp_conn *conn);
/* The same for a query of a DoH stream (its answer goes to that stream). */
bool wardd_query_stream(struct wardd *d, const uint8_t *pkt, size_t len,
                        struct tcp_conn *conn, uint32_t stream);
/* Run the engine's actions and re-arm the timer. */
void wardd_pump(struct wardd *d, struct engine_gen *g);
void wardd_wallclock(const struct wardd *d, struct engine_gen *g);
/* Forget the pending queries of a TCP connection that is going away. */
void wardd_forget_conn(struct wardd *d, struct tcp_conn *c);
/* A new engine from the same configuration, files read again (SIGHUP:
 * with the cache cleared; a changed resolv file: cache kept). */
int wardd_reload(struct wardd *d, bool clear_cache);
void wardd_log_stats(struct wardd *d);
/* The engine counters of the current and the retired generations, summed
 * (SIGUSR1, ward ctl stats, the dashboard). */
void wardd_engine_stats(const struct wardd *d, struct res_stats *es);
void wardd_gen_release(struct wardd *d, struct engine_gen *g);
void wardd_random(void *ctx, uint8_t *buf, size_t n);

/* wardd_conf.c: read the configuration from a command line into c (which
 * conf_init prepared): 0, WARD_ECONF (errors, in c's diagnostics) or
 * WARD_ENOMEM. */
int wardd_conf_read(ward_conf *c, int argc, char **argv);
/* Free the configurations ctl reload replaced once no engine built from
 * them runs (all: at exit, the current dns_conf too when it is not conf). */
void wardd_conf_prune(struct wardd *d, bool all);

/* listen.c */
int listen_open(struct wardd *d);
void listen_close(struct wardd *d);

/* client_udp.c / client_tcp.c */
int udp_client_start(struct listener *l);
void udp_client_answer(struct listener *l, const struct sockaddr *peer,
                       const uint8_t *buf, size_t len);
int tcp_client_start(struct listener *l);
/* conn.c: the answer to a query of connection c */
void conn_answer(struct tcp_conn *c, uint32_t stream, const uint8_t *buf,
                 size_t len);
void tcp_client_close_all(struct wardd *d);

/* client_tls.c: certificates (before privileges are dropped), the DoT
 * and DoH sockets of a listener, statistics */
int tls_clients_setup(struct wardd *d);
/* SIGHUP: the certificate and key again; on failure the old ones stay */
void tls_clients_reload(struct wardd *d);
/* wardd --test: can the certificate and key be used? 0 or WARD_ECONF */
int tls_clients_check(const ward_conf *c);
int tls_clients_start(struct listener *l);
void tls_clients_close(struct listener *l);
void tls_clients_free(struct wardd *d);
void tls_clients_log_stats(struct wardd *d);
/* client_dot.c, client_doh.c: the accept callbacks */
void dot_on_connection(uv_stream_t *server, int status);
void doh_on_connection(uv_stream_t *server, int status);

/* upstream.c */
void upstream_send(struct wardd *d, struct engine_gen *g,
                   const struct res_action *a);
void upstream_close_all(struct wardd *d);
/* The socket address of an engine address (upstream.c, upstream_tls_conn.c). */
void upstream_sockaddr(const struct res_addr *a, struct sockaddr_storage *ss);

/* resolv_watch.c */
int resolv_watch_start(struct wardd *d);
void resolv_watch_stop(struct wardd *d);

/* signals.c */
int signals_start(struct wardd *d);
void signals_stop(struct wardd *d);

/* process.c */
int process_daemonise(int *ready_fd);
void process_ready(int ready_fd, int status);
int process_write_pid(const char *path);
int process_drop_privileges(const ward_conf *c);

/* log.c */
enum wlog_level { WLOG_ERR = 3, WLOG_WARNING = 4, WLOG_INFO = 6,
                  WLOG_DEBUG = 7 };
int wlog_open(const ward_conf *c, bool foreground);
void wlog_close(void);
/* Until the daemon is ready, errors are printed on stderr too. */
void wlog_startup(bool on);
/* WLOG_DEBUG messages are dropped unless debug is on (ward ctl log debug). */
void wlog_set_debug(bool on);
bool wlog_debug(void);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void wlog(int level, const char *fmt, ...);

/* querylog.c (log-queries) */
void querylog_query(const uint8_t *pkt, size_t len, const struct sockaddr *peer,
                    bool tcp);
/* how: "reply" (after an upstream exchange), "cached", "config",
 * "blocked" (a blocklist's answer) */
void querylog_reply(const uint8_t *pkt, size_t len, const char *how);
void querylog_forwarded(const uint8_t *pkt, size_t len, const char *to);
const char *sockaddr_text(const struct sockaddr *sa, char *buf, size_t n);

#endif
