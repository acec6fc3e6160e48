/* ward ctl: talk to a running wardd over its control socket (docs/ctl.md).
 *
 *   ward ctl [--socket PATH] [--timeout SECONDS] COMMAND [ARGS...]
 *
 * The request is checked here with the daemon's own parser (a typo is a
 * usage error without a daemon), sent as one line, and the response's data
 * lines are printed on standard output; the status line's text goes to
 * standard error and its code is the exit status (0 done, 1 failed,
 * 2 bad request or a configuration with errors). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmds.h"
#include "daemon/ctl_proto.h"
#include "error.h"

#define CTL_CLIENT_TIMEOUT_S 30

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ward ctl [--socket PATH] [--timeout SECONDS] COMMAND [ARGS]\n"
	        "\n"
	        "Commands for a running wardd (its control-socket=, default %s):\n"
	        "  stats [--json]            counters (what SIGUSR1 logs)\n"
	        "  cache dump [NAME]         cached entries: name type ttl-left kind status\n"
	        "  cache flush [NAME]        remove every entry, or those of NAME\n"
	        "  leases list [--json]      active DHCP leases\n"
	        "  leases delete IP|MAC      end a lease as a DHCPRELEASE does\n"
	        "  reload                    read the configuration, hosts and resolv\n"
	        "                            files again, clear the cache (SIGHUP+)\n"
	        "  log queries on|off        log-queries lines\n"
	        "  log debug on|off          debug messages\n"
	        "  verify                    check wardd's configuration files now,\n"
	        "                            as 'ward conf check' does (nothing applied)\n"
	        "  blocklist list            every list (number, names, last read,\n"
	        "                            result) and the names added by hand\n"
	        "  blocklist block NAME      block NAME and below at once (kept in\n"
	        "                            dashboard-blocklist=); allow NAME lets\n"
	        "                            it through every list; remove NAME\n"
	        "  blocklist refresh [N|all] read or fetch list N (or all) again now\n"
	        "  ping                      is wardd answering?\n"
	        "Exit status: 0 done, 1 failed, 2 bad request or configuration errors.\n",
	        CTL_DEFAULT_SOCKET);
}

static int connect_to(const char *path, unsigned timeout_s)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "ward ctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "ward ctl: socket: %s\n", strerror(errno));
		return -1;
	}
	struct timeval tv = { (time_t)timeout_s, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		if (e == ENOENT || e == ECONNREFUSED)
			fprintf(stderr, "ward ctl: no wardd listens on %s (%s); is it "
			        "running, with this control-socket=?\n", path,
			        strerror(e));
		else if (e == EACCES || e == EPERM)
			fprintf(stderr, "ward ctl: %s: permission denied (the control "
			        "socket is for root and the user wardd runs as)\n",
			        path);
		else
			fprintf(stderr, "ward ctl: %s: %s\n", path, strerror(e));
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Print the response; returns the exit status. */
static int read_response(int fd)
{
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int code = -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;     /* cut short */
		line[--n] = '\0';
		const char *data;
		size_t dlen;
		int c = 0;
		int k = ctl_response_line(line, (size_t)n, &c, &data, &dlen);
		if (k == 1) {
			fwrite(data, 1, dlen, stdout);
			putchar('\n');
			continue;
		}
		if (k < 0) {
			fprintf(stderr, "ward ctl: not a control protocol line from "
			        "wardd\n");
			code = 1;
			break;
		}
		code = c;
		if (dlen)
			fprintf(stderr, "ward ctl: %.*s\n", (int)dlen, data);
		break;
	}
	if (code < 0) {
		fprintf(stderr, "ward ctl: %s before the response ended\n",
		        ferror(f) && (errno == EAGAIN || errno == EWOULDBLOCK)
		        ? "timed out" : "connection closed");
		code = 1;
	}
	free(line);
	fclose(f);
	fflush(stdout);
	return code;
}

int cmd_ctl(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_SOCKET;
	unsigned timeout = CTL_CLIENT_TIMEOUT_S;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strncmp(argv[i], "--socket=", 9)) {
			path = argv[i] + 9;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;
			unsigned long t = strtoul(argv[++i], &end, 10);
			if (*end || t == 0 || t > 3600) {
				fprintf(stderr, "ward ctl: --timeout takes 1..3600 seconds\n");
				return 2;
			}
			timeout = (unsigned)t;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	char req[CTL_REQ_MAX + 1];
	strbuf sb = strbuf_init(req, sizeof req);
	if (ctl_request_format(&sb, argc - i, argv + i) < 0) {
		fprintf(stderr, "ward ctl: arguments must be non-empty printable "
		        "words, %u octets in all at most\n", CTL_REQ_MAX - 1);
		return 2;
	}
	struct ctl_req parsed;
	char err[256];
	if (ctl_parse((const uint8_t *)req, sb.len - 1, &parsed, err,
	              sizeof err) < 0) {
		fprintf(stderr, "ward ctl: %s\n", err);
		usage(stderr);
		return 2;
	}
	int fd = connect_to(path, timeout);
	if (fd < 0)
		return 1;
	/* wardd may answer and close before reading (a refused peer): the
	 * response is read whatever the write did */
	int werr = write_all(fd, req, sb.len) < 0 ? errno : 0;
	if (werr && werr != EPIPE && werr != ECONNRESET) {
		fprintf(stderr, "ward ctl: cannot send the request: %s\n",
		        strerror(werr));
		close(fd);
		return 1;
	}
	return read_response(fd);
}
