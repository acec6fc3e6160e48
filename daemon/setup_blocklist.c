/* wardd setup: one blocklist into a set (see setup_blocklist.h). */
#include "daemon/setup_blocklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec/error.h"

static void collect(void *ctx, const char *msg)
{
	struct bl_load *ld = ctx;
	if (ld->ndiag < sizeof ld->diag / sizeof ld->diag[0]) {
		char *m = strdup(msg);
		if (m)
			ld->diag[ld->ndiag++] = m;
	}
}

int setup_blocklist_parse(struct bl_load *ld, const char *name,
                          const uint8_t *buf, size_t len, bool allow,
                          uint64_t seed)
{
	ld->set = blocklist_set_new(seed);
	if (!ld->set) {
		snprintf(ld->why, sizeof ld->why, "out of memory");
		return ld->err = WARD_ENOMEM;
	}
	int r = blocklist_parse(ld->set, name, buf, len, allow, collect, ld,
	                        &ld->st);
	if (r == WARD_ELIMIT) {
		snprintf(ld->why, sizeof ld->why, "more names than a list may "
		         "hold (%u); the first %zu are used", BLOCKLIST_MAX_ENTRIES,
		         blocklist_set_count(ld->set));
	} else if (r < 0) {
		snprintf(ld->why, sizeof ld->why, "%s", ward_strerror(r));
		blocklist_set_free(ld->set);
		ld->set = NULL;
	}
	if (ld->set)
		blocklist_set_compact(ld->set);
	return ld->err = r;
}

int setup_blocklist_file(struct bl_load *ld, const conf_io *io,
                         const char *path, bool allow, uint64_t seed)
{
	char *text = NULL;
	size_t len = 0;
	uint64_t id[2];
	const char *why = "cannot be read";
	if (io->read_file(io->ctx, path, &text, &len, id, &why) < 0) {
		snprintf(ld->why, sizeof ld->why, "%s", why);
		return ld->err = WARD_EIO;
	}
	int r = setup_blocklist_parse(ld, path, (const uint8_t *)text, len,
	                              allow, seed);
	free(text);
	return r;
}

void setup_blocklist_load_free(struct bl_load *ld)
{
	blocklist_set_free(ld->set);
	ld->set = NULL;
	for (size_t i = 0; i < ld->ndiag; i++)
		free(ld->diag[i]);
	ld->ndiag = 0;
}

bool setup_blocklist_is_url(const char *spec)
{
	return !strncasecmp(spec, "http://", 7) ||
	       !strncasecmp(spec, "https://", 8);
}

void setup_blocklist_options(struct wardd_setup *s, const ward_conf *c)
{
	s->rc.blocklist_nxdomain = c->blocklist_nxdomain;
	if (c->blocklist_ttl != CONF_UNSET)
		s->rc.blocklist_ttl = (uint32_t)c->blocklist_ttl;
}
