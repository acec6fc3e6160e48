/* wardd: the control socket (docs/ctl.md) — a libuv pipe server on a unix
 * socket, mode 0600, owned by the user wardd runs as. One request per
 * connection (ctl_proto.h): read at most CTL_REQ_MAX octets up to "\n",
 * run the command on the loop thread, write the response in one go,
 * close. Bounds: CTL_MAX_CONNS connections (more are closed at once),
 * CTL_REQUEST_MS to send the request, CTL_RESPONSE_MS to read the response
 * (a client that does not read is closed: the daemon never waits on it),
 * one response of at most CTL_RESP_MAX octets queued per connection.
 * Besides the file mode, the peer's uid (SO_PEERCRED) must be root's or
 * wardd's own. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/ctl.h"

#define CTL_BACKLOG 16

struct ctl_conn {
	struct ctl_server *srv;
	uv_pipe_t h;
	uv_timer_t timer;
	unsigned handles_open;      /* h and timer, until both closed */
	bool closing, answered;
	uint8_t req[CTL_REQ_MAX];
	size_t len;
	char *out;                  /* the response body (data lines) */
	char status[CTL_STATUS_MAX];
	uv_write_t wr;
	uv_shutdown_t sh;
	long uid;                   /* peer, -1 unknown */
	struct ctl_conn *prev, *next;
};

struct ctl_server {
	struct wardd *d;
	uv_pipe_t pipe;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_conn *conns;
	unsigned nconns;
	struct ctl_server_stats st;
};

static void on_conn_closed(uv_handle_t *h)
{
	struct ctl_conn *c = h->data;
	if (--c->handles_open)
		return;
	free(c->out);
	free(c);
}

static void conn_close(struct ctl_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	struct ctl_server *s = c->srv;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->h, on_conn_closed);
	uv_close((uv_handle_t *)&c->timer, on_conn_closed);
}

static void on_timeout(uv_timer_t *t)
{
	struct ctl_conn *c = t->data;
	c->srv->st.timeouts++;
	conn_close(c);   /* too slow to ask, or to read its answer */
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

static void on_written(uv_write_t *req, int status)
{
	struct ctl_conn *c = req->data;
	if (c->closing)
		return;
	if (status < 0 ||
	    uv_shutdown(&c->sh, (uv_stream_t *)&c->h, on_shutdown) < 0)
		conn_close(c);
}

/* Write the response (body, then the status line) and close after it. */
static void respond(struct ctl_conn *c, size_t body_len, enum ctl_code code,
                    const char *msg)
{
	strbuf st = strbuf_init(c->status, sizeof c->status);
	ctl_put_status(&st, code, msg);
	if (st.err) {   /* a long message: cut, the line still ends */
		st = strbuf_init(c->status, sizeof c->status);
		ctl_put_status(&st, code, "(message too long)");
	}
	uv_buf_t b[2];
	unsigned nb = 0;
	if (body_len)
		b[nb++] = uv_buf_init(c->out, (unsigned)body_len);
	b[nb++] = uv_buf_init(c->status, (unsigned)st.len);
	c->wr.data = c;
	c->sh.data = c;
	uv_timer_start(&c->timer, on_timeout, CTL_RESPONSE_MS, 0);
	if (uv_write(&c->wr, (uv_stream_t *)&c->h, b, nb, on_written) < 0)
		conn_close(c);
}

static void handle(struct ctl_conn *c, size_t line_len)
{
	struct ctl_server *s = c->srv;
	c->answered = true;
	uv_read_stop((uv_stream_t *)&c->h);
	struct ctl_req req;
	char msg[CTL_STATUS_MAX - 16];
	if (ctl_parse(c->req, line_len, &req, msg, sizeof msg) < 0) {
		s->st.bad_requests++;
		wlog(WLOG_DEBUG, "control: bad request from uid %ld: %s", c->uid, msg);
		respond(c, 0, CTL_BAD, msg);
		return;
	}
	s->st.commands++;
	if (wlog_debug()) {
		char shown[CTL_REQ_MAX * 4 + 1];
		strbuf sb = strbuf_init(shown, sizeof shown);
		strbuf_put_sanitized(&sb, c->req, line_len);
		wlog(WLOG_DEBUG, "control: request from uid %ld: %s", c->uid, shown);
	}
	c->out = malloc(CTL_RESP_MAX);
	if (!c->out) {
		respond(c, 0, CTL_FAILED, "out of memory");
		return;
	}
	strbuf out = strbuf_init(c->out, CTL_RESP_MAX);
	enum ctl_code code = ctl_cmd_run(s->d, &req, &out, msg, sizeof msg);
	size_t len = out.len;
	if (out.err) {
		/* cut after the last whole line: the status says so */
		while (len && c->out[len - 1] != '\n')
			len--;
		s->st.truncated++;
		snprintf(msg, sizeof msg, "output cut at %zu octets (the limit is "
		         "%u); ask for one name", len, CTL_RESP_MAX);
		code = CTL_FAILED;
	}
	respond(c, len, code, msg);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct ctl_conn *c = h->data;
	(void)suggested;
	b->base = (char *)c->req + c->len;
	b->len = sizeof c->req - c->len;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct ctl_conn *c = st->data;
	(void)b;
	if (c->closing || c->answered)
		return;
	if (nread < 0) {
		/* end of input ends the request too; nothing sent: just close */
		if (nread == UV_EOF && c->len)
			handle(c, c->len);
		else
			conn_close(c);
		return;
	}
	size_t from = c->len;
	c->len += (size_t)nread;
	uint8_t *nl = memchr(c->req + from, '\n', c->len - from);
	if (nl) {
		handle(c, (size_t)(nl - c->req));
		return;
	}
	if (c->len == sizeof c->req) {
		c->answered = true;
		uv_read_stop(st);
		c->srv->st.bad_requests++;
		char msg[64];
		snprintf(msg, sizeof msg, "request longer than %u octets",
		         CTL_REQ_MAX - 1);
		respond(c, 0, CTL_BAD, msg);
	}
}

static long peer_uid(uv_pipe_t *p)
{
	uv_os_fd_t fd;
	struct ucred cr;
	socklen_t len = sizeof cr;
	if (uv_fileno((uv_handle_t *)p, &fd) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return -1;
	return (long)cr.uid;
}

static void on_refused_closed(uv_handle_t *h)
{
	free(h);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct ctl_server *s = server->data;
	struct wardd *d = s->d;
	if (status < 0)
		return;
	if (d->stopping || s->nconns >= CTL_MAX_CONNS) {
		uv_pipe_t *t = malloc(sizeof *t);
		if (!t)
			return;
		uv_pipe_init(d->loop, t, 0);
		if (uv_accept(server, (uv_stream_t *)t) == 0)
			s->st.refused_busy++;
		uv_close((uv_handle_t *)t, on_refused_closed);
		return;
	}
	struct ctl_conn *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->srv = s;
	uv_pipe_init(d->loop, &c->h, 0);
	uv_timer_init(d->loop, &c->timer);
	c->h.data = c;
	c->timer.data = c;
	c->handles_open = 2;
	c->next = s->conns;
	if (c->next)
		c->next->prev = c;
	s->conns = c;
	s->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->h) < 0) {
		conn_close(c);
		return;
	}
	s->st.accepted++;
	c->uid = peer_uid(&c->h);
	if (c->uid != 0 && c->uid != (long)geteuid()) {
		/* the file mode keeps others out; this holds if it was changed */
		s->st.refused_peer++;
		c->answered = true;
		wlog(WLOG_WARNING, "control: connection from uid %ld refused", c->uid);
		respond(c, 0, CTL_BAD, "permission denied");
		return;
	}
	uv_timer_start(&c->timer, on_timeout, CTL_REQUEST_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->h, on_alloc, on_read) < 0)
		conn_close(c);
}

/* Is something listening on path? (a stale socket file is replaced) */
static bool socket_alive(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	bool alive = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return alive;
}

/* The socket belongs to the user wardd runs as once privileges are
 * dropped (process_drop_privileges: user=, default nobody, as root). */
static int give_to_run_user(const ward_conf *conf, const char *path)
{
	if (geteuid() != 0)
		return 0;
	const char *user = conf->user ? conf->user : "nobody";
	if (!*user)
		return 0;
	struct passwd *pw = getpwnam(user);
	if (!pw)
		return 0;   /* the privilege drop reports the unknown user */
	return chown(path, pw->pw_uid, pw->pw_gid);
}

static void on_server_closed(uv_handle_t *h)
{
	free(h->data);
}

/* A failure to set up the socket: fatal for a configured control-socket=;
 * for the default path (another wardd may hold it) a warning, and wardd
 * runs without one. */
static int fail_start(struct ctl_server *s, bool handle_open, bool dflt)
{
	if (handle_open)
		uv_close((uv_handle_t *)&s->pipe, on_server_closed);
	else
		free(s);
	if (dflt) {
		wlog(WLOG_WARNING, "no control socket (set control-socket= to "
		     "choose another path, or control-socket= empty for none)");
		return 0;
	}
	return WARD_EIO;
}

int ctl_server_start(struct wardd *d)
{
	const char *path = d->conf->control_socket;
	bool dflt = !path;
	if (!path)
		path = geteuid() == 0 ? CTL_DEFAULT_SOCKET : "";
	if (!*path)
		return 0;
	struct ctl_server *s = calloc(1, sizeof *s);
	if (!s)
		return WARD_ENOMEM;
	s->d = d;
	if (strlen(path) >= sizeof s->path) {
		wlog(dflt ? WLOG_WARNING : WLOG_ERR, "control socket %s: path too "
		     "long", path);
		return fail_start(s, false, dflt);
	}
	snprintf(s->path, sizeof s->path, "%s", path);
	int lvl = dflt ? WLOG_WARNING : WLOG_ERR;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			wlog(lvl, "control socket %s: a file that is not a socket is "
			     "in the way", path);
			return fail_start(s, false, dflt);
		}
		if (socket_alive(path)) {
			wlog(lvl, "control socket %s: another process listens on it "
			     "(is wardd already running?)", path);
			return fail_start(s, false, dflt);
		}
		unlink(path);   /* left behind by a wardd that was killed */
	}
	uv_pipe_init(d->loop, &s->pipe, 0);
	s->pipe.data = s;
	/* never reachable by others, not even between bind and chmod */
	mode_t old = umask(0177);
	int r = uv_pipe_bind(&s->pipe, path);
	umask(old);
	if (r < 0) {
		wlog(lvl, "control socket %s: %s", path, uv_strerror(r));
		return fail_start(s, true, dflt);
	}
	if (chmod(path, 0600) < 0 || give_to_run_user(d->conf, path) < 0) {
		wlog(lvl, "control socket %s: cannot set its owner and mode: %m",
		     path);
		unlink(path);
		return fail_start(s, true, dflt);
	}
	if ((r = uv_listen((uv_stream_t *)&s->pipe, CTL_BACKLOG,
	                   on_connection)) < 0) {
		wlog(lvl, "control socket %s: %s", path, uv_strerror(r));
		unlink(path);
		return fail_start(s, true, dflt);
	}
	d->ctl = s;
	wlog(WLOG_INFO, "control socket %s", path);
	return 0;
}

void ctl_server_stop(struct wardd *d)
{
	struct ctl_server *s = d->ctl;
	if (!s)
		return;
	d->ctl = NULL;
	while (s->conns)
		conn_close(s->conns);
	/* after the privilege drop the directory may not be ours: then the
	 * next start replaces the stale socket */
	unlink(s->path);
	uv_close((uv_handle_t *)&s->pipe, on_server_closed);
}

const struct ctl_server_stats *ctl_server_get_stats(const struct wardd *d)
{
	return d->ctl ? &d->ctl->st : NULL;
}
