/* wardd: the resolv files are watched, as dnsmasq polls them (unless
 * no-poll or no-resolv): when one changes, appears or disappears, the
 * upstream servers are read again (a reload that keeps the cache). */
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/wardd.h"

static void on_change(uv_fs_poll_t *h, int status, const uv_stat_t *prev,
                      const uv_stat_t *curr)
{
	(void)prev;
	(void)curr;
	struct wardd *d = h->data;
	char path[4096];
	size_t len = sizeof path;
	if (uv_fs_poll_getpath(h, path, &len) < 0)
		strcpy(path, "a resolv file");
	if (status < 0 && status != UV_ENOENT)
		return;
	wlog(WLOG_INFO, "reading %s", path);
	wardd_reload(d, false);
}

int resolv_watch_start(struct wardd *d)
{
	const ward_conf *c = d->conf;
	if (c->no_resolv || c->no_poll)
		return 0;
	size_t n = c->resolv_files.n ? c->resolv_files.n : 1;
	d->polls = calloc(n, sizeof *d->polls);
	if (!d->polls)
		return WARD_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *path = c->resolv_files.n ? c->resolv_files.v[i].s
		                                     : SETUP_DEFAULT_RESOLV;
		if (!path || !*path)
			continue;
		uv_fs_poll_t *p = &d->polls[d->npolls];
		if (uv_fs_poll_init(d->loop, p) < 0)
			continue;
		d->npolls++;
		p->data = d;
		uv_fs_poll_start(p, on_change, path, WARDD_RESOLV_POLL_MS);
	}
	return 0;
}

void resolv_watch_stop(struct wardd *d)
{
	for (unsigned i = 0; i < d->npolls; i++)
		uv_close((uv_handle_t *)&d->polls[i], NULL);
	d->npolls = 0;
}
