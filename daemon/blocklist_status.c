/* wardd: a copy of the blocklists' state for the dashboard (blocklist_run.h),
 * made on the loop thread; the HTTP thread renders it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/blocklist_int.h"
#include "daemon/wardd.h"

int blocklists_status_get(const struct wardd *d, struct blocklists_status *st)
{
	memset(st, 0, sizeof *st);
	st->manual = -1;
	const ward_conf *c = d->conf;
	st->nxdomain = c->blocklist_nxdomain;
	st->ttl = c->blocklist_ttl;
	st->refresh = c->blocklist_refresh;
	const struct wardd_blocklists *m = d->bl;
	if (!m)
		return 0;
	st->on = true;
	st->src = calloc(m->n, sizeof *st->src);
	if (!st->src || bl_entries_copy(&st->entries, &m->manual) < 0) {
		blocklists_status_free(st);
		return WARD_ENOMEM;
	}
	st->n = m->n;
	for (size_t i = 0; i < m->n; i++) {
		const struct bl_source *s = &m->src[i];
		struct bl_source_status *o = &st->src[i];
		snprintf(o->spec, sizeof o->spec, "%s", s->spec);
		o->url = s->url;
		o->allow = s->allow;
		o->manual = s->manual;
		o->busy = blocklists_busy(m, i);
		o->names = blocklist_set_count(blocklist_slot(m->bl, i));
		o->loads = s->loads;
		o->failures = s->failures;
		o->lines = s->lines;
		o->bad = s->bad;
		o->last_ms = s->last_ms;
		o->ok_ms = s->ok_ms;
		snprintf(o->err, sizeof o->err, "%s", s->err);
		if (s->manual)
			st->manual = (long)i;
	}
	return 0;
}

void blocklists_status_free(struct blocklists_status *st)
{
	free(st->src);
	bl_entries_free(&st->entries);
	memset(st, 0, sizeof *st);
	st->manual = -1;
}
