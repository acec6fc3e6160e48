/* ward resolver: the hand-added blocklist entries (blocklist_entries.h). */
#include "resolver/blocklist_entries.h"

#include <stdlib.h>
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"

#define BL_ENTRIES_HEADER \
	"# wardd: names added on the dashboard (docs/dashboard.md). One a " \
	"line: NAME blocks it and every name below it, @@||NAME^ allows them."

void bl_entries_init(struct bl_entries *e)
{
	memset(e, 0, sizeof *e);
}

void bl_entries_free(struct bl_entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	memset(e, 0, sizeof *e);
}

static int push(struct bl_entries *e, enum bl_entry_kind k, const char *s,
                size_t n)
{
	if (e->n >= BL_ENTRIES_MAX)
		return WARD_ELIMIT;
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct bl_entry *v = realloc(e->v, cap * sizeof *v);
		if (!v)
			return WARD_ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	char *t = malloc(n + 1);
	if (!t)
		return WARD_ENOMEM;
	memcpy(t, s, n);
	t[n] = 0;
	e->v[e->n].kind = k;
	e->v[e->n].text = t;
	e->n++;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The never-blocked names of hosts lists (blocklist_parse.c skips them). */
static bool never_blocked(const char *s)
{
	static const char *const names[] = {
		"localhost", "localhost.localdomain", "local", "broadcasthost",
		"ip6-localhost", "ip6-loopback", "ip6-localnet",
		"ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
		"ip6-allhosts",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(s, names[i]))
			return true;
	return strspn(s, "0123456789.") == strlen(s);
}

/* s[0..n) as a name: 0 with out filled, or WARD_EINVAL and *why. */
static int name_check(const char *s, size_t n, char *out, const char **why)
{
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	if (n && s[n - 1] == '.')
		n--;
	if (n == 0) {
		*why = "no name given";
		return WARD_EINVAL;
	}
	if (n > BL_ENTRY_NAME_MAX) {
		*why = "the name is longer than 253 characters";
		return WARD_EINVAL;
	}
	size_t lab = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == lab) {
				*why = "the name has an empty label (two dots in a row, "
				       "or a dot at the start)";
				return WARD_EINVAL;
			}
			if (i - lab > 63) {
				*why = "a label of the name is longer than 63 characters";
				return WARD_EINVAL;
			}
			lab = i + 1;
			if (i < n)
				out[i] = '.';
			continue;
		}
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_')) {
			*why = "a name has only letters, digits, '-' and '_' between "
			       "its dots (no blanks, no URL, no wildcard)";
			return WARD_EINVAL;
		}
		out[i] = c;
	}
	out[n] = 0;
	if (never_blocked(out)) {
		*why = "localhost and IPv4 addresses are never blocked";
		return WARD_EINVAL;
	}
	return 0;
}

int bl_entries_name(const char *in, char out[BL_ENTRY_NAME_MAX + 1],
                    const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	out[0] = 0;
	if (!in) {
		*why = "no name given";
		return WARD_EINVAL;
	}
	return name_check(in, strlen(in), out, why);
}

/* One line (no newline): an entry of ours, or kept verbatim. The text is
 * cut first (at a NUL byte, a final CR, byte order marks at its start)
 * and classified as cut, so writing it back and reading it again gives
 * the same entry. */
static int parse_line(struct bl_entries *e, const char *line, size_t n)
{
	char name[BL_ENTRY_NAME_MAX + 1];
	const char *why;
	const char *nul = memchr(line, 0, n);
	if (nul)
		n = (size_t)(nul - line);
	while (n && line[n - 1] == '\r')
		n--;
	while (n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
		line += 3;
		n -= 3;
	}
	size_t a = 0, b = n;
	while (a < b && is_blank(line[a]))
		a++;
	while (b > a && is_blank(line[b - 1]))
		b--;
	const char *t = line + a;
	size_t tl = b - a;
	if (tl > 5 && !memcmp(t, "@@||", 4) && t[tl - 1] == '^' &&
	    name_check(t + 4, tl - 5, name, &why) == 0)
		return push(e, BL_ENTRY_ALLOW, name, strlen(name));
	if (tl && t[0] != '#' && t[0] != '!' &&
	    name_check(t, tl, name, &why) == 0)
		return push(e, BL_ENTRY_BLOCK, name, strlen(name));
	return push(e, BL_ENTRY_OTHER, line, n);
}

int bl_entries_parse(struct bl_entries *e, const uint8_t *buf, size_t len)
{
	bl_entries_free(e);
	if (len > BL_ENTRIES_FILE_MAX)
		return WARD_ELIMIT;
	if (!buf && len)
		return WARD_EINVAL;
	wire_rd rd = wire_rd_init(buf, len);
	static const uint8_t bom[3] = { 0xef, 0xbb, 0xbf };
	if (len >= 3 && !memcmp(buf, bom, 3))
		wire_rd_skip(&rd, 3);
	while (wire_rd_left(&rd)) {
		size_t n = 0;
		wire_rd probe = rd;
		while (wire_rd_left(&probe) && wire_rd_peek(&probe) != '\n') {
			wire_rd_skip(&probe, 1);
			n++;
		}
		const uint8_t *line = wire_rd_view(&rd, n);
		if (wire_rd_left(&rd))
			wire_rd_skip(&rd, 1); /* the newline */
		int r = parse_line(e, (const char *)line, line ? n : 0);
		if (r < 0) {
			bl_entries_free(e);
			return r;
		}
	}
	return 0;
}

long bl_entries_find(const struct bl_entries *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].kind != BL_ENTRY_OTHER && !strcmp(e->v[i].text, name))
			return (long)i;
	return -1;
}

int bl_entries_add(struct bl_entries *e, const char *name, bool allow)
{
	if (bl_entries_find(e, name) >= 0)
		return 1;
	if (e->n == 0) {
		int r = push(e, BL_ENTRY_OTHER, BL_ENTRIES_HEADER,
		             strlen(BL_ENTRIES_HEADER));
		if (r < 0)
			return r;
	}
	return push(e, allow ? BL_ENTRY_ALLOW : BL_ENTRY_BLOCK, name,
	            strlen(name));
}

int bl_entries_remove(struct bl_entries *e, const char *name)
{
	size_t w = 0;
	bool found = false;
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].kind != BL_ENTRY_OTHER && !strcmp(e->v[i].text, name)) {
			free(e->v[i].text);
			found = true;
			continue;
		}
		e->v[w++] = e->v[i];
	}
	e->n = w;
	return found ? 0 : WARD_ENOTFOUND;
}

size_t bl_entries_count(const struct bl_entries *e, enum bl_entry_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < e->n; i++)
		n += e->v[i].kind == k;
	return n;
}

int bl_entries_format(const struct bl_entries *e, char **out, size_t *len)
{
	size_t total = 1;
	for (size_t i = 0; i < e->n; i++)
		total += strlen(e->v[i].text) + 6;   /* "@@||" "^" "\n" */
	char *p = malloc(total);
	if (!p)
		return WARD_ENOMEM;
	size_t at = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct bl_entry *x = &e->v[i];
		size_t tl = strlen(x->text);
		if (x->kind == BL_ENTRY_ALLOW) {
			memcpy(p + at, "@@||", 4);
			at += 4;
		}
		memcpy(p + at, x->text, tl);
		at += tl;
		if (x->kind == BL_ENTRY_ALLOW)
			p[at++] = '^';
		p[at++] = '\n';
	}
	p[at] = 0;
	*out = p;
	*len = at;
	return 0;
}

int bl_entries_copy(struct bl_entries *dst, const struct bl_entries *src)
{
	bl_entries_free(dst);
	for (size_t i = 0; i < src->n; i++) {
		int r = push(dst, src->v[i].kind, src->v[i].text,
		             strlen(src->v[i].text));
		if (r < 0) {
			bl_entries_free(dst);
			return r;
		}
	}
	return 0;
}
