/* wardd: the dashboard's HTTP server (libmicrohttpd, http.h): start and
 * stop, routing, HTTP Basic authentication, the security headers every
 * response carries. Pages are GET and HEAD: they change nothing. The
 * actions are POST forms: /diagnose (it sends queries) from the DNSSEC
 * failures page and /blocklists/... from the blocklists page, each
 * carrying the token bound to the browser's session (CSRF, http_csrf.c),
 * checked before anything runs (docs/dashboard.md, "Security"); any other
 * method or path gets 405. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"

static const char csp[] =
	"default-src 'none'; style-src 'self'; script-src 'self'; "
	"connect-src 'self'; img-src 'self'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

static void headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status,
                                  const char *type, struct hbuf *b,
                                  const struct http_reply *rep)
{
	if (b->oom) {
		hbuf_free(b);
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		hbuf_puts(b, "out of memory\n");
		type = "text/plain; charset=utf-8";
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(
	        b->len, b->p ? b->p : (char *)"", b->p ? MHD_RESPMEM_MUST_FREE
	                                              : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		hbuf_free(b);
		return MHD_NO;
	}
	b->p = NULL;              /* MHD frees it */
	headers(r, type);
	if (rep && rep->location[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rep->location);
	if (rep && rep->cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rep->cookie);
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status,
                                const char *type, struct hbuf *b)
{
	return send_reply(c, status, type, b, NULL);
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
                                 const char *text)
{
	struct hbuf b;
	hbuf_init(&b);
	hbuf_puts(&b, text);
	return send_buf(c, status, "text/plain; charset=utf-8", &b);
}

static enum MHD_Result send_static(struct MHD_Connection *c, const char *body,
                                   const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	        strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	headers(r, type);
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

/* Constant time in the length of the given password. */
static bool password_ok(const char *want, const char *got)
{
	size_t wl = strlen(want), gl = strlen(got);
	unsigned diff = (unsigned)(wl ^ gl);
	for (size_t i = 0; i < gl; i++)
		diff |= (unsigned char)got[i] ^ (unsigned char)want[i % (wl ? wl : 1)];
	return diff == 0;
}

static bool authorised(struct http_server *h, struct MHD_Connection *c)
{
	if (!h->password)
		return true;
	char *pass = NULL;
	char *user = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = user && pass && password_ok(h->password, pass);
	if (user)
		MHD_free(user);
	if (pass)
		MHD_free(pass);
	return ok;
}

/* Without a password, the Host header must be an address or "localhost":
 * a page on another site that rebinds its name to this address (DNS
 * rebinding) sends its own name and gets nothing. */
static bool host_ok(struct http_server *h, struct MHD_Connection *c)
{
	if (h->password)
		return true;
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_HOST);
	if (!host || !*host)
		return false;
	char buf[128];
	size_t n = strlen(host);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, host, n + 1);
	if (buf[0] == '[') {              /* [v6]:port */
		char *end = strchr(buf, ']');
		if (!end)
			return false;
		*end = 0;
		uint8_t a6[16];
		return inet_pton(AF_INET6, buf + 1, a6) == 1;
	}
	char *colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	uint8_t a4[4];
	return !strcmp(buf, "localhost") || inet_pton(AF_INET, buf, a4) == 1;
}

static enum MHD_Result refuse_auth(struct MHD_Connection *c);

/* POST /blocklists/...: the form collected over the calls MHD makes (the
 * first with no body, then the body in pieces, then one with none left),
 * the host and credentials checked on the first. */
static enum MHD_Result handle_post(struct http_server *h,
                                   struct MHD_Connection *c, const char *url,
                                   const char *upload_data,
                                   size_t *upload_data_size, void **con_cls)
{
	struct http_form *f = *con_cls;
	if (!f) {
		if (!host_ok(h, c))
			return send_text(c, MHD_HTTP_MISDIRECTED_REQUEST,
			                 "use the dashboard's address (or localhost) "
			                 "as the host name\n");
		if (!authorised(h, c))
			return refuse_auth(c);
		if (!(f = http_form_new(c)))
			return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			                 "out of memory\n");
		*con_cls = f;
		return MHD_YES;
	}
	if (*upload_data_size) {
		http_form_feed(f, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct hbuf b;
	hbuf_init(&b);
	struct http_reply rep = { .status = 500 };
	if (!strcmp(url, "/diagnose"))
		rep.status = http_diag_post(h, c, f, &b);
	else
		post_blocklists(h, c, url, f, &b, &rep);
	return send_reply(c, rep.status, rep.status == 303 ?
	                  "text/plain; charset=utf-8" : "text/html; charset=utf-8",
	                  &b, &rep);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	http_form_free(*con_cls);
	*con_cls = NULL;
}

static enum MHD_Result refuse_auth(struct MHD_Connection *c)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	        strlen("authentication required\n"),
	        (void *)"authentication required\n", MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	headers(r, "text/plain; charset=utf-8");
	enum MHD_Result ok = MHD_queue_basic_auth_fail_response(c, "wardd", r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
	struct http_server *h = cls;
	(void)version;
	bool form = !strcmp(url, "/diagnose") || !strncmp(url, "/blocklists/", 12);
	if (!strcmp(method, MHD_HTTP_METHOD_POST) && form)
		return handle_post(h, c, url, upload_data, upload_data_size,
		                   con_cls);
	if ((strcmp(method, MHD_HTTP_METHOD_GET) &&
	     strcmp(method, MHD_HTTP_METHOD_HEAD)) || form) {
		*upload_data_size = 0;
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		                 "GET and HEAD only (POST for the forms of the "
		                 "DNSSEC failures and blocklists pages)\n");
	}
	if (!host_ok(h, c))
		return send_text(c, MHD_HTTP_MISDIRECTED_REQUEST,
		                 "use the dashboard's address (or localhost) as the "
		                 "host name, or set dashboard-password=\n");
	if (!authorised(h, c))
		return refuse_auth(c);
	struct http_query q = {
		.client = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "client"),
		.name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name"),
		.rcode = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "rcode"),
	};
	if (!strcmp(url, "/static/ward.css"))
		return send_static(c, http_css, "text/css; charset=utf-8");
	if (!strcmp(url, "/static/log.js"))
		return send_static(c, http_log_js, "text/javascript; charset=utf-8");
	if (!strcmp(url, "/log/events")) {
		const char *since = MHD_lookup_connection_value(c,
		        MHD_GET_ARGUMENT_KIND, "since");
		const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                               "Last-Event-ID");
		unsigned status = 0;
		struct MHD_Response *r = sse_response(h, &q, last ? last : since,
		                                      &status);
		if (!r)
			return send_text(c, status, status == 400 ?
			                 "bad filter or since= value\n" :
			                 "too many live-log streams\n");
		enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return ok;
	}
	struct hbuf b;
	hbuf_init(&b);
	unsigned status;
	const char *html = "text/html; charset=utf-8";
	if (!strcmp(url, "/metrics")) {
		status = page_metrics(h, &b);
		return send_buf(c, status, "text/plain; version=0.0.4; charset=utf-8",
		                &b);
	}
	if (!strcmp(url, "/"))
		status = page_overview(h, &b);
	else if (!strcmp(url, "/leases"))
		status = page_leases(h, &b);
	else if (!strcmp(url, "/log"))
		status = page_log(h, &q, &b);
	else if (!strcmp(url, "/dnssec")) {
		struct http_reply rep = { .status = 200 };
		char tok[HTTP_CSRF_LEN + 1];
		http_csrf_page(h, c, &rep, tok);
		status = page_dnssec(h, tok, &b);
		return send_reply(c, status, html, &b, &rep);
	}
	else if (!strcmp(url, "/config"))
		status = page_config(h, &b);
	else if (!strcmp(url, "/blocklists")) {
		struct http_reply rep = { .status = 200 };
		page_blocklists(h, c, MHD_lookup_connection_value(c,
		                MHD_GET_ARGUMENT_KIND, "done"), q.name, &b, &rep);
		return send_reply(c, rep.status, html, &b, &rep);
	}
	else if (!strcmp(url, "/favicon.ico"))
		return send_text(c, MHD_HTTP_NOT_FOUND, "");
	else {
		html_begin(&b, PAGE_OVERVIEW, "Not found");
		hbuf_puts(&b, "<p>No such page. The pages are in the bar above.</p>");
		html_end(&b);
		status = MHD_HTTP_NOT_FOUND;
	}
	return send_buf(c, status, html, &b);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	wlog(WLOG_WARNING, "dashboard: %s", msg);
}

static int read_small(const char *path, char **out)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return WARD_EIO;
	char *buf = malloc(HTTP_TLS_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return WARD_ENOMEM;
	}
	size_t n = fread(buf, 1, HTTP_TLS_FILE_MAX + 1, f);
	bool err = ferror(f);
	fclose(f);
	if (err || n > HTTP_TLS_FILE_MAX || n == 0) {
		free(buf);
		errno = err ? EIO : EFBIG;
		return WARD_EIO;
	}
	buf[n] = 0;
	*out = buf;
	return 0;
}

/* `ward conf dump` with the password line hidden */
static char *conf_dump_text(const ward_conf *c)
{
	size_t cap = 1u << 16;
	for (int tries = 0; tries < 6; tries++, cap *= 4) {
		char *buf = malloc(cap);
		if (!buf)
			return NULL;
		strbuf sb = strbuf_init(buf, cap);
		if (conf_dump(c, &sb) == 0) {
			char *p = strstr(buf, "dashboard-password=");
			if (p && (p == buf || p[-1] == '\n')) {
				char *eol = strchr(p, '\n');
				size_t tail = eol ? strlen(eol) : 0;
				const char *hid = "dashboard-password=(hidden)";
				size_t hl = strlen(hid);
				if ((size_t)(p - buf) + hl + tail < cap) {
					memmove(p + hl, eol ? eol : p + strlen(p), tail + 1);
					memcpy(p, hid, hl);
				}
			}
			return buf;
		}
		free(buf);
	}
	return NULL;
}

static void server_free(struct http_server *h)
{
	if (!h)
		return;
	free(h->password);
	free(h->cert_pem);
	free(h->key_pem);
	free(h->conf_dump);
	free(h->conf_path);
	free(h->conf_diags);
	http_diag_free(h);
	pthread_mutex_destroy(&h->sse_mu);
	free(h);
}

int http_server_start(struct wardd *d, const char *conf_path)
{
	const ward_conf *conf = d->conf;
	if (!conf->dashboard)
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	d->dash = dash_new(conf->dnssec && !conf->proxy_dnssec,
	                   (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	struct http_server *h = calloc(1, sizeof *h);
	if (!d->dash || !h) {
		free(h);
		wlog(WLOG_ERR, "dashboard: out of memory");
		return WARD_ENOMEM;
	}
	pthread_mutex_init(&h->sse_mu, NULL);
	h->dash = d->dash;
	h->tls = conf->dashboard_tls_cert != NULL;
	if (http_diag_new(h) < 0) {
		server_free(h);
		wlog(WLOG_ERR, "dashboard: out of memory or no random bytes");
		return WARD_ENOMEM;
	}
	if ((conf->dashboard_password && !(h->password = strdup(conf->dashboard_password))) ||
	    (conf_path && !(h->conf_path = strdup(conf_path))) ||
	    !(h->conf_dump = conf_dump_text(conf))) {
		server_free(h);
		wlog(WLOG_ERR, "dashboard: out of memory");
		return WARD_ENOMEM;
	}
	struct hbuf diags;
	hbuf_init(&diags);
	conf_check_text(conf, &diags);
	if (diags.oom || !(h->conf_diags = diags.p)) {
		hbuf_free(&diags);
		server_free(h);
		wlog(WLOG_ERR, "dashboard: out of memory");
		return WARD_ENOMEM;
	}
	if (h->tls) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			wlog(WLOG_ERR, "dashboard: this libmicrohttpd has no TLS "
			     "support; remove dashboard-tls-cert/-key or install one "
			     "built with GnuTLS");
			server_free(h);
			return WARD_ENOTSUP;
		}
		const char *files[2] = { conf->dashboard_tls_cert,
		                         conf->dashboard_tls_key };
		char **dst[2] = { &h->cert_pem, &h->key_pem };
		for (int i = 0; i < 2; i++) {
			if (read_small(files[i], dst[i]) < 0) {
				wlog(WLOG_ERR, "dashboard: cannot read %s: %m", files[i]);
				server_free(h);
				return WARD_EIO;
			}
		}
	}
	if (http_csrf_init(&h->csrf) < 0) {
		wlog(WLOG_ERR, "dashboard: no random bytes for the CSRF key");
		server_free(h);
		return WARD_EIO;
	}
	int r = http_bridge_init(&h->bridge, d);
	if (r < 0) {
		wlog(WLOG_ERR, "dashboard: %s", uv_strerror(r));
		server_free(h);
		return r;
	}
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	bool v6 = conf->dashboard_ip.family == AF_INET6;
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, conf->dashboard_ip.addr, 16);
		s6->sin6_port = htons(conf->dashboard_port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, conf->dashboard_ip.addr, 4);
		s4->sin_port = htons(conf->dashboard_port);
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG |
	                 (v6 ? MHD_USE_IPv6 : 0) | (h->tls ? MHD_USE_TLS : 0);
	struct MHD_OptionItem tls_opts[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert_pem },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, h->key_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
	        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONN_MAX,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT_S,
	        MHD_OPTION_ARRAY, h->tls ? tls_opts : tls_opts + 2,
	        MHD_OPTION_END);
	char addr[INET6_ADDRSTRLEN] = "?";
	inet_ntop(v6 ? AF_INET6 : AF_INET, conf->dashboard_ip.addr, addr,
	          sizeof addr);
	if (!h->mhd) {
		wlog(WLOG_ERR, "dashboard: cannot listen on %s#%u (%s:%u): %m",
		     addr, conf->dashboard_port, conf->dashboard_loc.file,
		     conf->dashboard_loc.line);
		http_bridge_close(&h->bridge);
		d->http = h;             /* freed by http_server_free */
		return WARD_EIO;
	}
	d->http = h;
	wlog(WLOG_INFO, "dashboard on %s://%s%s%s:%u/%s",
	     h->tls ? "https" : "http", v6 ? "[" : "", addr, v6 ? "]" : "",
	     conf->dashboard_port, h->password ? " (password required)" : "");
	return 0;
}

void http_server_stop(struct wardd *d)
{
	struct http_server *h = d->http;
	if (!h)
		return;
	http_bridge_close(&h->bridge);   /* waiting handlers return */
	http_diag_stop(h);               /* running diagnoses end */
	dash_close(h->dash);             /* live-log streams end */
	if (h->mhd) {
		MHD_stop_daemon(h->mhd);     /* joins the server's threads */
		h->mhd = NULL;
	}
}

void http_server_free(struct wardd *d)
{
	if (d->http) {
		http_bridge_free(&d->http->bridge);
		server_free(d->http);
		d->http = NULL;
	}
	dash_free(d->dash);
	d->dash = NULL;
}
