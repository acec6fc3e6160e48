/* wardd: the names added by hand on the dashboard's blocklists page
 * (blocklist_run.h, docs/dashboard.md "Blocklists"): one more blocklist
 * source whose file wardd writes itself. A change is made on the loop
 * thread: the new text is parsed into a set first (the same parser as
 * every list), then written to FILE.tmp, fsync'd, renamed over FILE and
 * the directory fsync'd, and only then is the set put in force and the
 * change reported done. A crash leaves FILE old or new, never partial;
 * a failed write changes nothing. The file is small (at most
 * BL_ENTRIES_FILE_MAX bytes), so this costs a few milliseconds of the
 * loop per click — the same order as a DHCP lease commit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/blocklist_int.h"
#include "daemon/wardd.h"

const char *blocklists_manual_path(const ward_conf *c)
{
	if (!c->dashboard)
		return NULL;
	return c->dashboard_blocklist ? c->dashboard_blocklist
	                              : BLOCKLIST_MANUAL_DEFAULT;
}

/* The file's bytes; a missing file is empty (*len 0, *buf NULL). */
static int read_file(const char *path, char **buf, size_t *len, char *why,
                     size_t whylen)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "cannot be read: %s", strerror(errno));
		return WARD_EIO;
	}
	char *b = malloc(BL_ENTRIES_FILE_MAX + 1);
	if (!b) {
		fclose(f);
		snprintf(why, whylen, "out of memory");
		return WARD_ENOMEM;
	}
	size_t n = fread(b, 1, BL_ENTRIES_FILE_MAX + 1, f);
	bool err = ferror(f);
	fclose(f);
	if (err || n > BL_ENTRIES_FILE_MAX) {
		free(b);
		snprintf(why, whylen, err ? "cannot be read" :
		         "larger than %u bytes", BL_ENTRIES_FILE_MAX);
		return err ? WARD_EIO : WARD_ELIMIT;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* text into a set for the manual source; 0 or a ward_err with why */
static int build(struct wardd_blocklists *m, const char *text, size_t len,
                 struct bl_load *ld)
{
	memset(ld, 0, sizeof *ld);
	int r = setup_blocklist_parse(ld, m->msrc->spec, (const uint8_t *)text,
	                              len, false, m->seed);
	if (r == WARD_ELIMIT)
		r = 0;                   /* the first names, with why noted */
	return ld->set ? r : (r ? r : WARD_ENOMEM);
}

int blocklist_manual_load(struct wardd_blocklists *m)
{
	struct bl_source *s = m->msrc;
	char *text;
	size_t len;
	char why[256] = "";
	int r = read_file(s->spec, &text, &len, why, sizeof why);
	struct bl_entries e;
	bl_entries_init(&e);
	if (r == 0 && (r = bl_entries_parse(&e, (const uint8_t *)text, len)) < 0)
		snprintf(why, sizeof why, "%s", r == WARD_ELIMIT ?
		         "more than 10000 lines" : ward_strerror(r));
	struct bl_load ld;
	memset(&ld, 0, sizeof ld);
	if (r == 0 && (r = build(m, text, len, &ld)) < 0)
		snprintf(why, sizeof why, "%s", ld.why);
	free(text);
	if (r < 0) {
		s->failures++;
		s->last_ms = blocklists_now_ms();
		snprintf(s->err, sizeof s->err, "%s", why);
		m->manual_read = false;
		setup_blocklist_load_free(&ld);
		bl_entries_free(&e);
		return r;
	}
	for (size_t i = 0; i < ld.ndiag; i++)
		wlog(WLOG_WARNING, "%s", ld.diag[i]);
	wlog(WLOG_INFO, "dashboard blocklist %s: %zu names", s->spec,
	     blocklist_set_count(ld.set));
	blocklists_put_in_force(m, s, &ld);
	setup_blocklist_load_free(&ld);
	bl_entries_free(&m->manual);
	m->manual = e;
	m->manual_read = true;
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* text to path atomically: path.tmp, fsync, rename, fsync of the dir */
static int write_atomic(const char *path, const char *text, size_t len,
                        char *why, size_t whylen)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
		snprintf(why, whylen, "the file name is too long");
		return WARD_EIO;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		return WARD_EIO;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int err = off < len ? errno : 0;
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		unlink(tmp);
		snprintf(why, whylen, "cannot write %s: %s", path,
		         strerror(err ? err : EIO));
		return WARD_EIO;
	}
	if (fsync_dir_of(path) < 0) {
		/* renamed, maybe not durable yet: said, the change stands */
		wlog(WLOG_WARNING, "dashboard blocklist %s: fsync of its "
		     "directory failed: %m", path);
	}
	return 0;
}

int blocklists_manual_change(struct wardd *d, enum bl_change op,
                             const char *name, char *msg, size_t msglen)
{
	struct wardd_blocklists *m = d->bl;
	if (!m || !m->msrc) {
		snprintf(msg, msglen, "the dashboard keeps no names of its own "
		         "(it is off)");
		return WARD_ENOTSUP;
	}
	if (!m->manual_read) {
		/* writing now would replace a file we could not read */
		snprintf(msg, msglen, "%s could not be read (%s), and a change "
		         "would overwrite it: fix or remove the file, then read it "
		         "again (its \"read now\" button)", m->msrc->spec,
		         m->msrc->err);
		return WARD_EIO;
	}
	char nm[BL_ENTRY_NAME_MAX + 1];
	const char *why;
	if (bl_entries_name(name, nm, &why) < 0) {
		snprintf(msg, msglen, "%s", why);
		return WARD_EINVAL;
	}
	struct bl_entries e;
	bl_entries_init(&e);
	int r = bl_entries_copy(&e, &m->manual);
	long at = bl_entries_find(&m->manual, nm);
	if (r == 0 && op == BL_CHANGE_REMOVE) {
		r = bl_entries_remove(&e, nm);
		if (r == WARD_ENOTFOUND)
			snprintf(msg, msglen, "not on the dashboard's list: %s", nm);
	} else if (r == 0) {
		bool allow = op == BL_CHANGE_ALLOW;
		if (at >= 0) {
			bool was_allow = m->manual.v[at].kind == BL_ENTRY_ALLOW;
			snprintf(msg, msglen, was_allow == allow ? "already %s: %s" :
			         "already %s (remove it first): %s",
			         was_allow ? "allowed" : "blocked", nm);
			bl_entries_free(&e);
			return was_allow == allow ? 1 : WARD_EINVAL;
		}
		r = bl_entries_add(&e, nm, allow);
		if (r == WARD_ELIMIT)
			snprintf(msg, msglen, "the list is full (%u lines)",
			         BL_ENTRIES_MAX);
	}
	char *text = NULL;
	size_t len = 0;
	struct bl_load ld;
	memset(&ld, 0, sizeof ld);
	if (r == 0 && (r = bl_entries_format(&e, &text, &len)) == 0 &&
	    (r = build(m, text, len, &ld)) < 0)
		snprintf(msg, msglen, "%s", ld.why);
	if (r == 0)
		r = write_atomic(m->msrc->spec, text, len, msg, msglen);
	free(text);
	if (r < 0) {
		if (r == WARD_ENOMEM)
			snprintf(msg, msglen, "out of memory");
		setup_blocklist_load_free(&ld);
		bl_entries_free(&e);
		return r;
	}
	blocklists_put_in_force(m, m->msrc, &ld);
	setup_blocklist_load_free(&ld);
	bl_entries_free(&m->manual);
	m->manual = e;
	const char *did = op == BL_CHANGE_REMOVE ? "removed" :
	                  op == BL_CHANGE_ALLOW ? "allowed" : "blocked";
	snprintf(msg, msglen, "%s %s", nm, did);
	wlog(WLOG_INFO, "dashboard: %s %s (%s)", nm, did, m->msrc->spec);
	return 0;
}
