/* wardd: the resolver daemon (docs/wardd.md).
 *
 *   wardd [--conf-file=FILE] [--option[=value]]...
 *
 * Reads dnsmasq's configuration syntax (every option also as a command-line
 * argument; without --conf-file, /etc/dnsmasq.conf when it exists, as
 * dnsmasq does), prints the configuration's diagnostics, exits 2 on
 * errors; otherwise binds its sockets, becomes a daemon (unless
 * --keep-in-foreground / --no-daemon), writes its pid file, drops
 * privileges and serves DNS over UDP and TCP until SIGTERM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/blocklist_run.h"
#include "daemon/ctl.h"
#include "daemon/dhcp_serve.h"
#include "daemon/upstream_tls.h"
#include "daemon/http.h"
#include "daemon/wardd.h"

#ifndef WARD_VERSION
#define WARD_VERSION "0.1.0-dev"
#endif

#define DEFAULT_PID_FILE "/run/wardd.pid"

static void print_diag(void *ctx, const conf_diag *d)
{
	(void)ctx;
	fprintf(stderr, "%s\n", d->text);
}

static void usage(void)
{
	printf("usage: wardd [--conf-file=FILE] [--OPTION[=VALUE]]...\n"
	       "A DNS resolver configured with dnsmasq's options (dnsmasq(8)).\n"
	       "  --conf-file=FILE      configuration (default %s if it exists)\n"
	       "  --test                check the configuration and exit\n"
	       "  --keep-in-foreground  do not become a daemon (also --no-daemon)\n"
	       "  --recursive           resolve from the root (root-hints=FILE)\n"
	       "  --version             print the version\n"
	       "Every dnsmasq option is accepted as --option[=value]; see "
	       "docs/wardd.md.\n", WARDD_DEFAULT_CONF);
}

static bool has_arg(int argc, char **argv, const char *a, const char *b)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
			return true;
	return false;
}

static void log_startup(struct wardd *d)
{
	const struct wardd_setup *s = &d->gen->setup;
	int64_t size = d->conf->cache_size < 0 ? CONF_DEFAULT_CACHE_SIZE
	                                       : d->conf->cache_size;
	wlog(WLOG_INFO, "started, version %s cachesize %lld", WARD_VERSION,
	     (long long)size);
	if (s->recursive) {
		if (s->hints)
			wlog(WLOG_INFO, "recursive resolution from the root hints in %s "
			     "(%zu addresses)", d->conf->root_hints, s->n_hints);
		else
			wlog(WLOG_INFO, "recursive resolution from the built-in root "
			     "servers");
	}
	for (size_t i = 0; i < s->n_fwd; i++) {
		const struct res_forwarder *f = &s->fwd[i];
		char dom[DNS_NAME_TEXT_MAX];
		dns_name_str(&f->domain, dom);
		if (f->local_only) {
			wlog(WLOG_INFO, "using only locally-known addresses for domain "
			     "%s", dom);
			continue;
		}
		char ip[64];
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof ss);
		if (f->addr.family == 6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			memcpy(&s6->sin6_addr, f->addr.ip, 16);
			s6->sin6_port = htons(f->addr.port);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			s4->sin_family = AF_INET;
			memcpy(&s4->sin_addr, f->addr.ip, 4);
			s4->sin_port = htons(f->addr.port);
		}
		sockaddr_text((struct sockaddr *)&ss, ip, sizeof ip);
		const char *tls_name = NULL;
		char tls[300] = "";
		if (upstream_tls_lookup(d, &f->addr, &tls_name))
			snprintf(tls, sizeof tls, " over TLS (certificate for %s)",
			         tls_name ? tls_name : "the address");
		if (f->domain.len == 1)
			wlog(WLOG_INFO, "using nameserver %s%s", ip, tls);
		else
			wlog(WLOG_INFO, "using nameserver %s for domain %s%s", ip, dom,
			     tls);
	}
	if (s->hosts_files)
		wlog(WLOG_INFO, "read %u hosts entries from %u files",
		     s->hosts_entries, s->hosts_files);
}

/* The configuration file wardd read (the last --conf-file=/-C given, or
 * the default it found), for the dashboard's file check; NULL if none. */
static const char *conf_path_of(int argc, char **argv, bool default_read)
{
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--conf-file=", 12) && argv[i][12])
			path = argv[i] + 12;
		else if (!strcmp(argv[i], "-C") && i + 1 < argc)
			path = argv[i + 1];
	}
	return path ? path : default_read ? WARDD_DEFAULT_CONF : NULL;
}

static void shutdown_loop(struct wardd *d)
{
	d->stopping = true;
	signals_stop(d);
	ctl_server_stop(d);
	blocklists_stop(d);
	resolv_watch_stop(d);
	dhcp_serve_stop(d->dhcp);
	http_server_stop(d);
	listen_close(d);
	tcp_client_close_all(d);
	upstream_close_all(d);
	upstream_tls_close_all(d);
	uv_timer_stop(&d->timer);
	uv_close((uv_handle_t *)&d->timer, NULL);
	uv_run(d->loop, UV_RUN_DEFAULT);   /* the close callbacks */
}

/* --test: what setup finds wrong in the files it reads, on stderr */
static void test_log(void *ctx, bool warning, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "wardd: %s%s\n", warning ? "warning: " : "", msg);
}

int main(int argc, char **argv)
{
	if (has_arg(argc, argv, "--version", "-v")) {
		printf("wardd %s\n", WARD_VERSION);
		return 0;
	}
	if (has_arg(argc, argv, "--help", "-w")) {
		usage();
		return 0;
	}
	bool test_only = has_arg(argc, argv, "--test", NULL);

	static ward_conf conf;
	if (conf_init(&conf, NULL)) {
		fprintf(stderr, "wardd: out of memory\n");
		return WARDD_EXIT_MEM;
	}
	conf_set_diag_fn(&conf, print_diag, NULL);
	/* --test is wardd's to act on, not a configuration option */
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return WARDD_EXIT_MEM;
	int nargs = 0;
	for (int i = 0; i < argc; i++)
		if (i == 0 || strcmp(argv[i], "--test"))
			args[nargs++] = argv[i];
	/* args stay: ward ctl verify and reload read the configuration again */
	if (wardd_conf_read(&conf, nargs, args) == WARD_ENOMEM) {
		free(args);
		return WARDD_EXIT_MEM;
	}
	if (!conf_ok(&conf)) {
		fprintf(stderr, "wardd: %u error%s in the configuration; not "
		        "started\n", conf.errors, conf.errors == 1 ? "" : "s");
		conf_free(&conf);
		free(args);
		return WARDD_EXIT_CONF;
	}
	if (test_only) {
		/* dnsmasq --test checks the syntax; wardd also reads the files
		 * the configuration names (root hints, hosts files) */
		struct wardd_setup s;
		int r = setup_build(&s, &conf, wardd_random, NULL, test_log, NULL);
		setup_free(&s);
		char why[512];
		if (!r && upstream_tls_check(&conf, why, sizeof why) < 0) {
			fprintf(stderr, "wardd: server-tls: %s\n", why);
			r = WARD_ECONF;
		}
		if (!r)
			r = tls_clients_check(&conf);   /* tls-certificate=, tls-key= */
		blocklists_check(&conf, test_log, NULL);
		conf_free(&conf);
		free(args);
		if (r) {
			fprintf(stderr, "wardd: %s\n", r == WARD_ECONF ?
			        "a file the configuration names is missing or "
			        "unusable (see above)" : ward_strerror(r));
			return WARDD_EXIT_CONF;
		}
		fprintf(stderr, "wardd: syntax check OK.\n");
		return 0;
	}

	bool foreground = conf.keep_in_foreground || conf.no_daemon;
	if (wlog_open(&conf, foreground) < 0)
		return WARDD_EXIT_FS;
	int ready_fd = -1;
	if (!foreground && process_daemonise(&ready_fd) < 0) {
		fprintf(stderr, "wardd: cannot become a daemon: %s\n",
		        strerror(errno));
		return WARDD_EXIT_OTHER;
	}
	wlog_startup(true);

	static struct wardd d;
	uv_loop_t *loop = uv_default_loop();
	int status = 0;
	int r = wardd_init(&d, loop, &conf);
	if (r) {
		status = r == WARD_ENOMEM ? WARDD_EXIT_MEM : WARDD_EXIT_CONF;
		goto out_conf;
	}
	/* before privileges go: a CA file may be readable by root only */
	d.conf_argc = nargs;
	d.conf_argv = args;
	if ((r = upstream_tls_start(&d)) < 0) {
		status = r == WARD_ENOMEM ? WARDD_EXIT_MEM : WARDD_EXIT_CONF;
		goto out;
	}
	if ((r = listen_open(&d)) < 0) {
		status = WARDD_EXIT_NET;
		goto out;
	}
	/* DHCP: lease file, sockets and packet socket before privileges go */
	if ((r = dhcp_serve_start(&d, &d.dhcp)) < 0) {
		status = r == WARD_ENOMEM ? WARDD_EXIT_MEM :
		         d.dhcp && d.dhcp->store_failed ? WARDD_EXIT_FS :
		         WARDD_EXIT_NET;
		goto out;
	}
	/* the control socket, owned by the user wardd is about to become */
	if ((r = ctl_server_start(&d)) < 0) {
		status = r == WARD_ENOMEM ? WARDD_EXIT_MEM : WARDD_EXIT_FS;
		goto out;
	}
	/* the dashboard: its port, and the TLS key read, before privileges go */
	if ((r = http_server_start(&d, conf_path_of(argc, argv,
	        !conf.conf_file_given && access(WARDD_DEFAULT_CONF, F_OK) == 0))) < 0) {
		status = r == WARD_ENOMEM ? WARDD_EXIT_MEM : WARDD_EXIT_NET;
		goto out;
	}
	const char *pid_file = conf.pid_file ? conf.pid_file :
	                       geteuid() == 0 ? DEFAULT_PID_FILE : "";
	if (*pid_file) {
		if (process_write_pid(pid_file) < 0) {
			status = WARDD_EXIT_FS;
			goto out;
		}
		d.pid_file = pid_file;
	}
	if (process_drop_privileges(&conf) < 0) {
		status = WARDD_EXIT_OTHER;
		goto out;
	}
	dhcp_serve_ready(d.dhcp);
	if ((r = signals_start(&d)) < 0) {
		wlog(WLOG_ERR, "cannot handle signals: %s", uv_strerror(r));
		status = WARDD_EXIT_OTHER;
		goto out;
	}
	if (resolv_watch_start(&d) < 0) {
		status = WARDD_EXIT_MEM;
		goto out;
	}
	if (blocklists_start(&d) < 0) {
		status = WARDD_EXIT_MEM;
		goto out;
	}
	log_startup(&d);
	wlog_startup(false);
	process_ready(ready_fd, 0);
	ready_fd = -1;
	uv_run(loop, UV_RUN_DEFAULT);
out:
	shutdown_loop(&d);
	if (d.pid_file && unlink(d.pid_file) < 0)
		wlog(WLOG_WARNING, "cannot remove pid file %s: %m (the directory "
		     "is not writable for the user wardd runs as)", d.pid_file);
	dhcp_serve_free(d.dhcp);
	d.dhcp = NULL;
	upstream_tls_free(&d);
	http_server_free(&d);
	wardd_free(&d);
out_conf:
	uv_loop_close(loop);
	process_ready(ready_fd, status);
	conf_free(&conf);
	free(args);
	wlog_close();
	return status;
}
