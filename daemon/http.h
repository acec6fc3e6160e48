/* wardd: the web dashboard and Prometheus /metrics (docs/dashboard.md),
 * served with libmicrohttpd on dashboard-address=IP#PORT.
 *
 *   http_server.c    the MHD daemon, routing, authentication, headers
 *   http_snapshot.c  wardd's state copied on the event loop (uv_async)
 *   http_metrics.c   GET /metrics (Prometheus text format 0.0.4)
 *   http_pages.c     the HTML pages (work without JavaScript)
 *   http_config.c    the configuration page: dump and file check
 *   http_html.c      a growing text buffer, HTML escaping, the page frame
 *                    and the embedded assets (CSS, the log's script)
 *   http_sse.c       GET /log/events: the live query log (server-sent events)
 *   http_diagnose.c  POST /diagnose from a failures row: token, bounds,
 *                    cache, pages
 *   http_diagnose_run.c  one diagnosis: wardd's anchors and servers copied
 *                    on the loop, `ward diagnose`'s walk (diagnose/) in the
 *                    connection's thread, the result page with the SVG
 *   http_blocklists.c  the blocklists page and its actions (POST)
 *   http_post.c      a POST's form fields (libmicrohttpd's parser)
 *   http_csrf.c      the session cookie and the token every POST carries
 *   dash.c           what is counted, on the event loop (dash.h)
 *
 * Threads: MHD runs its own listening thread plus one thread per
 * connection (MHD_USE_INTERNAL_POLLING_THREAD |
 * MHD_USE_THREAD_PER_CONNECTION), so a server-sent-events stream can block
 * waiting for the next query without stalling the other connections.
 * These threads never touch the engine, the cache or the DHCP engine: they
 * ask the event loop for a copy (http_snapshot_take) and wait for it, and
 * read the query-log rings under their mutex (dash.h). */
#ifndef WARD_DAEMON_HTTP_H
#define WARD_DAEMON_HTTP_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "daemon/dash.h"
#include "daemon/dhcp_serve.h"
#include "daemon/wardd.h"
#include "resolver/cache.h"

#define HTTP_CONN_MAX 32            /* connections at once */
#define HTTP_SSE_MAX 8              /* live-log streams at once */
#define HTTP_SSE_KEEPALIVE_MS 10000 /* a comment line when nothing happens */
#define HTTP_SSE_BACKLOG 50         /* entries a new stream starts with */
#define HTTP_CONN_TIMEOUT_S 30      /* idle connections closed */
#define HTTP_SNAPSHOT_WAIT_MS 2000  /* the loop must answer within this */
#define HTTP_LEASES_MAX 4096        /* leases copied for the page */
#define HTTP_PAGE_ROWS 200          /* log / failure rows on a page */
#define HTTP_TLS_FILE_MAX (64u * 1024) /* certificate or key file */
/* the one-click diagnosis (http_diagnose.c) */
#define HTTP_DIAG_RUNNING_MAX 2     /* diagnoses at once; more: "busy" (503) */
#define HTTP_DIAG_TIME_MS 10000     /* a walk's total time */
#define HTTP_DIAG_TRY_MS 2000       /* one exchange's timeout */
#define HTTP_DIAG_DOT_MS 3000       /* graphviz `dot` for the picture */
#define HTTP_DIAG_SVG_MAX (2u << 20) /* the picture's bytes */
#define HTTP_DIAG_CACHE_S 60        /* a result is shown again this long */
#define HTTP_DIAG_CACHE_MAX 16      /* results kept (per name and type) */
#define HTTP_DIAG_FORM_MAX 4096     /* the POST body */
#define HTTP_DIAG_SERVERS_MAX 16    /* root or forwarder addresses used */

struct wardd;

/* ---- for wardd.c ---- */

/* When dashboard-address= is set: the counters (d->dash), the event-loop
 * side of the snapshot and the HTTP server thread (d->http). Call before
 * privileges are dropped (the TLS key is read). conf_path: the
 * configuration file wardd read (for the check on the configuration page),
 * or NULL. 0, or a negative ward_err / libuv error (logged). */
int http_server_start(struct wardd *d, const char *conf_path);
/* Stop the server thread and close the loop handles (before the final
 * uv_run of the shutdown). */
void http_server_stop(struct wardd *d);
/* Free what is left (after that uv_run). */
void http_server_free(struct wardd *d);

/* ---- snapshot (http_snapshot.c) ---- */

struct http_lease {
	uint32_t ip;                 /* host order */
	int64_t expires;             /* unix s, DHCP_LEASE_INFINITE */
	char mac[3 * 16];
	char host[DHCP_LEASE_HOSTNAME_MAX + 1];
};

struct http_snap {
	int64_t now_ms;              /* unix */
	struct dash_counters k;
	struct wardd_stats st;
	struct res_stats es;         /* current and retired engines */
	struct cache_stats cs;
	bool dnssec, recursive;
	unsigned n_upstreams;
	bool dhcp;
	struct wardd_dhcp_stats ds;
	size_t leases_active;
	size_t leases_due;           /* past their expiry, not yet removed */
	struct http_lease *leases;   /* when asked: malloc()ed, nleases; the
	                              * last expired ones (k.expired) too */
	size_t nleases;
	bool leases_truncated;
};

typedef void (*http_loop_fn)(struct wardd *d, void *arg);

struct http_bridge {
	uv_async_t async;
	bool async_open;
	struct wardd *d;             /* read on the loop thread only */
	pthread_mutex_t take_mu;     /* one take at a time */
	pthread_mutex_t mu;          /* guards the fields below */
	pthread_cond_t cv;
	struct http_snap *target;    /* where the loop writes; NULL: nobody waits */
	bool want_leases;
	http_loop_fn fn;             /* called on the loop when set */
	void *fn_arg;
	uint64_t asked, done;
	bool closed;
};

int http_bridge_init(struct http_bridge *b, struct wardd *d);
/* Loop thread: no more snapshots (takes then fail at once). */
void http_bridge_close(struct http_bridge *b);
void http_bridge_free(struct http_bridge *b);
/* HTTP thread: fill s (zeroed first) on the event loop and wait for it.
 * 0, WARD_ELIMIT (no answer within HTTP_SNAPSHOT_WAIT_MS), WARD_EINVAL
 * (closed) or WARD_ENOMEM. Free with http_snap_free. */
int http_snapshot_take(struct http_bridge *b, struct http_snap *s,
                       bool want_leases);
void http_snap_free(struct http_snap *s);
/* HTTP thread: run fn(d, arg) on the event loop and wait for it, with the
 * limits of http_snapshot_take (0, WARD_ELIMIT, WARD_EINVAL). fn runs on
 * the loop thread, so it must be short: a copy (the diagnosis's inputs) or
 * a small change (the blocklists page's). When the wait gives up, fn has
 * not run and never will: an action reported as failed does not happen
 * later behind the user's back. */
int http_bridge_call(struct http_bridge *b, http_loop_fn fn, void *arg);

/* ---- text buffer and HTML (http_html.c) ---- */

struct hbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

void hbuf_init(struct hbuf *b);
void hbuf_free(struct hbuf *b);
void hbuf_putn(struct hbuf *b, const char *s, size_t n);
void hbuf_puts(struct hbuf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void hbuf_printf(struct hbuf *b, const char *fmt, ...);
/* HTML text or attribute value: & < > " ' escaped, controls dropped. */
void hbuf_html(struct hbuf *b, const char *s);
/* A query-string value: percent-encoded except unreserved characters. */
void hbuf_url(struct hbuf *b, const char *s);
/* A JSON string with its quotes. */
void hbuf_json(struct hbuf *b, const char *s);

enum http_page { PAGE_OVERVIEW, PAGE_LEASES, PAGE_LOG, PAGE_DNSSEC,
                 PAGE_CONFIG, PAGE_BLOCKLISTS };
void html_begin(struct hbuf *b, enum http_page cur, const char *title);
void html_end(struct hbuf *b);
extern const char http_css[];
extern const char http_log_js[];

/* ---- CSRF (http_csrf.c) ---- */
#define HTTP_SID_COOKIE "ward_sid"
#define HTTP_SID_LEN 32              /* hex digits of a session id */
#define HTTP_CSRF_LEN 64             /* hex digits of a token */
struct http_csrf {
	uint8_t key[32];             /* drawn at start */
};
struct MHD_Connection;
int http_csrf_init(struct http_csrf *k);
/* The session id of the request's cookie (false: none or malformed). */
bool http_csrf_session(struct MHD_Connection *c, char sid[HTTP_SID_LEN + 1]);
int http_csrf_new_session(char sid[HTTP_SID_LEN + 1]);
void http_csrf_token(const struct http_csrf *k, const char *sid,
                     char tok[HTTP_CSRF_LEN + 1]);
/* Does tok belong to session sid? (constant time) */
bool http_csrf_ok(const struct http_csrf *k, const char *sid, const char *tok);

/* ---- the server's read-only state for the handlers ---- */

struct http_server {
	struct MHD_Daemon *mhd;
	struct dash *dash;
	struct http_bridge bridge;
	char *password;              /* NULL: none */
	bool tls;
	char *cert_pem, *key_pem;
	char *conf_dump;             /* `ward conf dump` text, password hidden */
	char *conf_path;             /* for the check page, or NULL */
	char *conf_diags;            /* the diagnostics wardd started with */
	pthread_mutex_t sse_mu;
	unsigned sse_streams;
	struct http_diag *diag;      /* http_diagnose.c */
	struct http_csrf csrf;       /* the token of every POST form */
};

/* ---- pages (http_pages.c, http_metrics.c) ----
 * Each fills b (text/html or text/plain) and returns the HTTP status. */
struct http_query {
	const char *client, *name, *rcode;   /* filters, may be NULL */
};
unsigned page_overview(struct http_server *h, struct hbuf *b);
unsigned page_leases(struct http_server *h, struct hbuf *b);
unsigned page_log(struct http_server *h, const struct http_query *q,
                  struct hbuf *b);
/* tok: the session's form token (http_csrf_page) for the diagnose buttons */
unsigned page_dnssec(struct http_server *h, const char *tok, struct hbuf *b);
unsigned page_config(struct http_server *h, struct hbuf *b);
unsigned page_metrics(struct http_server *h, struct hbuf *b);
/* What `ward conf check` prints for c (one diagnostic a line, then the
 * summary line), into b. */
void conf_check_text(const ward_conf *c, struct hbuf *b);
/* The same numbers in the Prometheus text format from a snapshot. */
void metrics_render(const struct http_snap *s, struct hbuf *b);
/* Resident memory of this process (/proc/self/statm), 0 if unknown. */
uint64_t http_rss_bytes(void);
/* Address text of a res_addr ("192.0.2.1#53"). */
void http_addr_text(const struct res_addr *a, char *buf, size_t n);

/* ---- the one-click diagnosis (http_diagnose.c) ---- */
/* The state. 0 or WARD_ENOMEM. */
int http_diag_new(struct http_server *h);
void http_diag_free(struct http_server *h);
/* wardd stops: running walks ask no more questions (the exchange under
 * way ends within one or two tries of HTTP_DIAG_TRY_MS), so
 * MHD_stop_daemon does not wait long. */
void http_diag_stop(struct http_server *h);
/* The "Diagnose" button of a failures row: a POST form to /diagnose with
 * the name, the type and the session's form token tok (http_csrf_page). */
void http_diag_button(const char *tok, struct hbuf *b, const char *name,
                      const char *type);
/* A form to diagnose any name (name and type fields, the token). */
void http_diag_form(const char *tok, struct hbuf *b);
/* POST /diagnose with its whole form (http_post.c): the token checked,
 * the diagnosis run (blocking, in the connection's thread); the HTTP
 * status of the page written to b. */
struct MHD_Connection;
struct http_form;
unsigned http_diag_post(struct http_server *h, struct MHD_Connection *c,
                        const struct http_form *f, struct hbuf *b);
/* ward_dashboard_diagnoses_running and _total for /metrics. */
void http_diag_metrics(struct http_server *h, struct hbuf *b);
/* One diagnosis with wardd's running configuration (http_diagnose_run.c):
 * the result (everything under the page title) into out and 0, or -1
 * with a message in err. Blocking, at most HTTP_DIAG_TIME_MS plus `dot`'s
 * HTTP_DIAG_DOT_MS; *stopping set by another thread ends it early. */
int http_diag_run(struct http_server *h, const dns_name *qname,
                  uint16_t qtype, atomic_bool *stopping, struct hbuf *out,
                  char *err, size_t errlen);

/* ---- live log (http_sse.c) ---- */
struct MHD_Connection;
struct MHD_Response;
/* The response for GET /log/events, or NULL with *status set (400 for a
 * bad filter, 503 when HTTP_SSE_MAX streams run). */
struct MHD_Response *sse_response(struct http_server *h,
                                  const struct http_query *q,
                                  const char *last_event_id,
                                  unsigned *status);
/* One entry as the JSON object of an event's data line. */
void sse_entry_json(struct hbuf *b, const struct qlog_entry *e);

/* ---- POST forms (http_post.c) and the blocklists page
 * (http_blocklists.c) ---- */
#define HTTP_POST_MAX 8192            /* bytes of a form */
#define HTTP_FIELD_MAX 512            /* bytes of one field's value */
struct MHD_PostProcessor;
struct http_form {
	struct MHD_PostProcessor *pp;
	size_t bytes;
	bool too_big;                 /* a field or the form too long */
	char csrf[HTTP_FIELD_MAX], name[HTTP_FIELD_MAX], kind[HTTP_FIELD_MAX],
	     source[HTTP_FIELD_MAX], type[HTTP_FIELD_MAX];
};
/* A form for this POST (NULL: out of memory, or not a form). */
struct http_form *http_form_new(struct MHD_Connection *c);
/* Feed body bytes. */
void http_form_feed(struct http_form *f, const char *data, size_t len);
void http_form_free(struct http_form *f);

/* What a handler answers besides the body. */
struct http_reply {
	unsigned status;
	char location[256];           /* a redirect (303), or "" */
	char cookie[160];             /* a Set-Cookie value, or "" */
};
/* The session of the request (a new one, with its cookie in rep, when it
 * has none) and that session's form token; tok is "" when no random
 * bytes could be had (every POST is then refused). */
void http_csrf_page(const struct http_server *h, struct MHD_Connection *c,
                    struct http_reply *rep, char tok[HTTP_CSRF_LEN + 1]);
struct http_query;
/* GET /blocklists; done/name: what the last action did (query string). */
void page_blocklists(struct http_server *h, struct MHD_Connection *c,
                     const char *done, const char *name,
                     struct hbuf *b, struct http_reply *rep);
/* POST /blocklists/add, /remove, /refresh (url): the token checked, the
 * action run on the loop; a redirect to the page, or the page with an
 * error (400, 403, 409, 503). */
void post_blocklists(struct http_server *h, struct MHD_Connection *c,
                     const char *url, const struct http_form *f,
                     struct hbuf *b, struct http_reply *rep);

#endif
