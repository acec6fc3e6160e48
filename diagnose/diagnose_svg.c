/* ward diagnose: the chain picture as SVG in memory, for wardd's dashboard
 * (docs/dashboard.md, "One-click diagnosis"). The DOT text
 * (diagnose_graph.c) is written to `dot -Tsvg` on a pipe and the SVG read
 * back from another; the child gets a bounded time (killed after it) and
 * a bounded output, so a slow or stuck graphviz cannot hold the caller's
 * thread. Nothing is written to disk. The caller ignores SIGPIPE (wardd
 * does: signals.c), so a dot that dies early is a failed write. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diagnose.h"

extern char **environ;

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Spawn dot with stdin/stdout on pipes (stderr to /dev/null). */
static int spawn_dot(pid_t *pid, int *to, int *from, char *err, size_t errlen)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close_fd(&in[0]);
		close_fd(&in[1]);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = { "dot", "-Tsvg", NULL };
	int rc = posix_spawnp(pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close_fd(&in[0]);
	close_fd(&out[1]);
	if (rc) {
		snprintf(err, errlen, "cannot run graphviz `dot`: %s (install the "
		         "graphviz package)", strerror(rc));
		close_fd(&in[1]);
		close_fd(&out[0]);
		return -1;
	}
	*to = in[1];
	*from = out[0];
	fcntl(*to, F_SETFL, O_NONBLOCK);
	fcntl(*from, F_SETFL, O_NONBLOCK);
	return 0;
}

int diag_graph_svg(const struct diag_model *m, int timeout_ms, size_t max,
                   char **svg, size_t *len, char *err, size_t errlen)
{
	*svg = NULL;
	*len = 0;
	char *dot = NULL;
	size_t dotlen = 0;
	FILE *f = open_memstream(&dot, &dotlen);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	diag_graph_dot(m, f);
	if (fclose(f) || !dot) {
		free(dot);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pid_t pid;
	int to = -1, from = -1;
	if (spawn_dot(&pid, &to, &from, err, errlen) < 0) {
		free(dot);
		return -1;
	}
	char *buf = malloc(max + 1);
	size_t got = 0, sent = 0;
	bool too_big = false, timed_out = false;
	int64_t until = diag_now_ms() + timeout_ms;
	while (buf && from >= 0) {
		int64_t left = until - diag_now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd p[2] = { { from, POLLIN, 0 }, { to, POLLOUT, 0 } };
		int np = to >= 0 ? 2 : 1;
		int r = poll(p, (nfds_t)np, (int)left);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (np == 2 && p[1].revents) {
			ssize_t w = write(to, dot + sent, dotlen - sent);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				close_fd(&to); /* dot went away: read what it said */
			else if (sent == dotlen)
				close_fd(&to); /* end of input: dot lays out now */
		}
		if (p[0].revents) {
			if (got == max) {
				too_big = true;
				break;
			}
			ssize_t n = read(from, buf + got, max - got);
			if (n == 0)
				close_fd(&from);
			else if (n > 0)
				got += (size_t)n;
			else if (errno != EAGAIN && errno != EINTR)
				close_fd(&from);
		}
	}
	close_fd(&to);
	bool unfinished = from >= 0;
	close_fd(&from);
	free(dot);
	if (unfinished)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (timed_out || too_big || unfinished) {
		snprintf(err, errlen, timed_out ? "`dot` took more than %d ms"
		         : too_big ? "`dot` wrote more than %d bytes"
		         : "`dot` could not be read (%d)",
		         timed_out ? timeout_ms : too_big ? (int)max : 0);
		free(buf);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(err, errlen, "`dot -Tsvg` failed");
		free(buf);
		return -1;
	}
	buf[got] = 0;
	/* from the <svg element on: no XML declaration or DOCTYPE inline */
	char *start = strstr(buf, "<svg");
	if (!start) {
		snprintf(err, errlen, "`dot -Tsvg` wrote no <svg> element");
		free(buf);
		return -1;
	}
	*len = got - (size_t)(start - buf);
	memmove(buf, start, *len + 1);
	*svg = buf;
	return 0;
}
