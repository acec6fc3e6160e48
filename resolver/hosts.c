/* ward resolver: hosts-file parser (see hosts.h). */
#include "resolver/hosts.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "codec/error.h"

#define HOSTS_FILE_MAX (64u * 1024 * 1024) /* refuse larger files */

static void report(localdata_diag_fn diag, void *ctx, const char *fname,
                   unsigned line, const char *msg, const char *tok, size_t toklen)
{
	if (!diag)
		return;
	char buf[512];
	char safe[80];
	size_t n = 0;
	/* sanitise the offending token before it reaches a log */
	for (size_t i = 0; i < toklen && n + 5 < sizeof(safe); i++) {
		unsigned char c = (unsigned char)tok[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			safe[n++] = (char)c;
		} else {
			snprintf(safe + n, sizeof(safe) - n, "\\%03u", c);
			n += 4;
		}
	}
	safe[n] = '\0';
	if (toklen)
		snprintf(buf, sizeof(buf), "%s:%u: %s: \"%s\"", fname, line, msg, safe);
	else
		snprintf(buf, sizeof(buf), "%s:%u: %s", fname, line, msg);
	diag(ctx, buf);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* dnsmasq accepts letters, digits, '-', '_' and dots between labels. */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 253 || s[0] == '.')
		return false;
	size_t lab = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (lab == 0)
				return false;
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++lab > 63)
			return false;
	}
	return true;
}

/* One line (no newline, comment already cut). */
static int parse_line(localdata *ld, const char *fname, unsigned lineno,
                      const char *s, size_t n, localdata_diag_fn diag,
                      void *ctx, struct localdata_load_stats *st)
{
	size_t i = 0;
	while (i < n && is_space(s[i]))
		i++;
	if (i == n)
		return 0;
	size_t a0 = i;
	while (i < n && !is_space(s[i]))
		i++;
	char abuf[INET6_ADDRSTRLEN + 1];
	uint8_t addr[16];
	int family;
	size_t alen = i - a0;
	if (alen >= sizeof(abuf)) {
		report(diag, ctx, fname, lineno, "bad address", s + a0, alen);
		st->bad++;
		return 0;
	}
	memcpy(abuf, s + a0, alen);
	abuf[alen] = '\0';
	if (inet_pton(AF_INET, abuf, addr) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, abuf, addr) == 1)
		family = AF_INET6;
	else {
		report(diag, ctx, fname, lineno, "bad address", s + a0, alen);
		st->bad++;
		return 0;
	}
	bool first = true, bad = false;
	unsigned names = 0;
	for (;;) {
		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			break;
		size_t t0 = i;
		while (i < n && !is_space(s[i]))
			i++;
		size_t tl = i - t0;
		char nbuf[256];
		if (!name_ok(s + t0, tl) || tl >= sizeof(nbuf)) {
			report(diag, ctx, fname, lineno, "bad name", s + t0, tl);
			bad = true;
			continue;
		}
		memcpy(nbuf, s + t0, tl);
		nbuf[tl] = '\0';
		int rc = localdata_add_host(ld, nbuf, family, addr, first);
		if (rc == WARD_ENOMEM)
			return rc;
		if (rc < 0) {
			report(diag, ctx, fname, lineno, ward_strerror(rc), s + t0, tl);
			bad = true;
			continue;
		}
		first = false;
		names++;
		st->entries++;
	}
	if (names == 0 && !bad) {
		report(diag, ctx, fname, lineno, "address without a name", NULL, 0);
		bad = true;
	}
	if (bad)
		st->bad++;
	return 0;
}

int hosts_load_buffer(localdata *ld, const char *fname, const char *buf,
                      size_t len, localdata_diag_fn diag, void *ctx,
                      struct localdata_load_stats *stats)
{
	struct localdata_load_stats dummy = { 0 };
	struct localdata_load_stats *st = stats ? stats : &dummy;
	if (!ld || (!buf && len))
		return WARD_EINVAL;
	if (!fname)
		fname = "(buffer)";
	size_t pos = 0;
	unsigned lineno = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *line = buf + pos;
		size_t ll = end - pos;
		lineno++;
		st->lines++;
		pos = nl ? end + 1 : len;
		const char *hash = memchr(line, '#', ll);
		if (hash)
			ll = (size_t)(hash - line);
		if (ll > HOSTS_LINE_MAX) {
			report(diag, ctx, fname, lineno, "line too long", NULL, 0);
			st->bad++;
			continue;
		}
		int rc = parse_line(ld, fname, lineno, line, ll, diag, ctx, st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int load_file(localdata *ld, const char *path, localdata_diag_fn diag,
                     void *ctx, struct localdata_load_stats *st)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		goto ioerr;
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return WARD_ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= HOSTS_FILE_MAX) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				goto ioerr;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return WARD_ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool err = ferror(f) != 0;
	fclose(f);
	if (err) {
		free(buf);
		goto ioerr;
	}
	st->files++;
	int rc = hosts_load_buffer(ld, path, buf, n, diag, ctx, st);
	free(buf);
	return rc;
ioerr:
	if (diag) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s: cannot read: %s", path, strerror(errno));
		diag(ctx, msg);
	}
	return WARD_EIO;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hosts_load_path(localdata *ld, const char *path, localdata_diag_fn diag,
                    void *ctx, struct localdata_load_stats *stats)
{
	struct localdata_load_stats dummy = { 0 };
	struct localdata_load_stats *st = stats ? stats : &dummy;
	struct stat sb;
	if (!ld || !path)
		return WARD_EINVAL;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return load_file(ld, path, diag, ctx, st);
	DIR *d = opendir(path);
	if (!d)
		return load_file(ld, path, diag, ctx, st); /* reports the error */
	char **names = NULL;
	size_t nn = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* ., .. and hidden files, as dnsmasq */
		size_t l = strlen(de->d_name);
		if (l > 0 && de->d_name[l - 1] == '~')
			continue; /* editor backups, as dnsmasq */
		if (nn == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **x = realloc(names, nc * sizeof(*x));
			if (!x) {
				rc = WARD_ENOMEM;
				break;
			}
			names = x;
			cap = nc;
		}
		size_t pl = strlen(path) + 1 + l + 1;
		names[nn] = malloc(pl);
		if (!names[nn]) {
			rc = WARD_ENOMEM;
			break;
		}
		snprintf(names[nn], pl, "%s/%s", path, de->d_name);
		nn++;
	}
	closedir(d);
	if (rc == 0 && nn > 1)
		qsort(names, nn, sizeof(*names), cmp_str);
	int ret = rc;
	for (size_t i = 0; i < nn; i++) {
		if (ret == 0) {
			struct stat fs;
			if (stat(names[i], &fs) == 0 && S_ISREG(fs.st_mode)) {
				int r = load_file(ld, names[i], diag, ctx, st);
				if (r == WARD_ENOMEM)
					ret = r; /* an unreadable file is reported, not fatal */
			}
		}
		free(names[i]);
	}
	free(names);
	return ret;
}
