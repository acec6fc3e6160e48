/* wardd: signals, as dnsmasq uses them (dnsmasq(8) NOTES):
 * SIGHUP re-reads the hosts files and resolv files and clears the cache
 * (the configuration file itself is not re-read, as with dnsmasq) and the
 * TLS certificate of tls-port=/https-port= (client_tls.c);
 * SIGUSR1 writes cache and query statistics to the log;
 * SIGTERM and SIGINT stop the daemon cleanly. */
#include <signal.h>

#include "daemon/blocklist_run.h"
#include "daemon/wardd.h"

static void on_hup(uv_signal_t *s, int sig)
{
	(void)sig;
	struct wardd *d = s->data;
	wlog(WLOG_INFO, "SIGHUP: clearing the cache, reading hosts and resolv "
	     "files again");
	wardd_reload(d, true);
	tls_clients_reload(d);   /* a renewed certificate */
	blocklists_reload(d);
}

static void on_usr1(uv_signal_t *s, int sig)
{
	(void)sig;
	wardd_log_stats(s->data);
}

static void on_term(uv_signal_t *s, int sig)
{
	struct wardd *d = s->data;
	wlog(WLOG_INFO, "exiting on receipt of %s",
	     sig == SIGTERM ? "SIGTERM" : "SIGINT");
	d->stopping = true;
	uv_stop(d->loop);
}

int signals_start(struct wardd *d)
{
	struct { uv_signal_t *h; uv_signal_cb cb; int sig; } t[] = {
		{ &d->sig_hup, on_hup, SIGHUP },
		{ &d->sig_usr1, on_usr1, SIGUSR1 },
		{ &d->sig_term, on_term, SIGTERM },
		{ &d->sig_int, on_term, SIGINT },
	};
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int r = uv_signal_init(d->loop, t[i].h);
		if (r < 0)
			return r;
		t[i].h->data = d;
		d->signals_open++;
		if ((r = uv_signal_start(t[i].h, t[i].cb, t[i].sig)) < 0)
			return r;
	}
	return 0;
}

void signals_stop(struct wardd *d)
{
	uv_signal_t *h[] = { &d->sig_hup, &d->sig_usr1, &d->sig_term,
	                     &d->sig_int };
	for (size_t i = 0; i < d->signals_open; i++)
		if (!uv_is_closing((uv_handle_t *)h[i]))
			uv_close((uv_handle_t *)h[i], NULL);
	d->signals_open = 0;
}
