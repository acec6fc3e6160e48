/* ward replay: the configuration part of a scenario, up to CONFIG_END.
 *
 * testbound: unbound.conf text — clauses ("server:", "stub-zone:", ...) and
 * "key: value" lines, '#' comments, values maybe quoted; plus testbound's own
 * lines COMMANDLINE, AUTOTRUST_FILE id ... AUTOTRUST_END, TEMPFILE_NAME name
 * (the value of the option before it) and TEMPFILE_CONTENTS name ...
 * TEMPFILE_END. Deckard: flat "key: value" lines with ';' comments. */
#include <limits.h>
#include <string.h>

#include "codec/error.h"
#include "replay/rpl_int.h"

/* The unbound.conf clauses (a key with no value that opens a block). */
static const char *const clauses[] = {
	"server", "stub-zone", "forward-zone", "auth-zone", "view",
	"remote-control", "python", "dynlib", "dnstap", "rpz", "cachedb",
	"ipset", "dnscrypt",
};

static bool is_clause(rpl_slice key)
{
	for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
		if (rpl_slice_is(key, clauses[i]))
			return true;
	return false;
}

/* Growable arrays of the configuration while it is read. */
struct cfg_state {
	rpl_config *cfg;
	rpl_option *opts;
	size_t nopts, capopts;
	rpl_anchor *anchors;
	size_t nanchors, capanchors;
	const char **afiles;
	size_t nafiles, capafiles;
	rpl_zone_cfg *zones;
	size_t nzones, capzones;
	bool zopen;                /* the last zone still takes options */
	rpl_addr *zaddrs;          /* of the last zone */
	size_t nzaddrs, capzaddrs;
	const char **zhosts;
	size_t nzhosts, capzhosts;
	rpl_file *files;
	size_t nfiles, capfiles;
	const char **cmd;
	size_t ncmd, capcmd;
	const char *clause;
	char pending_key[64];      /* "key:" waiting for TEMPFILE_NAME */
	unsigned pending_line;
};

static int oom(rpl_parser *p)
{
	return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
}

static int push_str(rpl_parser *p, const char ***v, size_t *n, size_t *cap,
                    rpl_slice s)
{
	const char **slot = rpl_arena_push(p->arena, v, n, cap, sizeof *slot);
	if (!slot || !(*slot = rpl_arena_strndup(p->arena, s.s, s.n)))
		return oom(p);
	return 0;
}

static int parse_bool(rpl_slice v)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (rpl_slice_casei(v, yes[i]))
			return 1;
		if (rpl_slice_casei(v, no[i]))
			return 0;
	}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int rpl_parse_date(rpl_slice s, int64_t *out)
{
	unsigned long v[6];
	static const unsigned widths[6] = { 4, 2, 2, 2, 2, 2 };
	bool all_digits = s.n > 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.s[i] < '0' || s.s[i] > '9')
			all_digits = false;
	if (all_digits && s.n == 14) {
		size_t at = 0;
		for (int i = 0; i < 6; i++) {
			rpl_slice part = { s.s + at, widths[i] };
			if (!rpl_parse_ulong(part, 9999, &v[i]))
				return WARD_ESYNTAX;
			at += widths[i];
		}
		static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
		                                    30, 31, 30, 31 };
		if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
		    v[3] > 23 || v[4] > 59 || v[5] > 60)
			return WARD_ERANGE;
		int64_t days = days_from_civil((int64_t)v[0], (unsigned)v[1],
		                               (unsigned)v[2]);
		*out = days * 86400 + (int64_t)(v[3] * 3600 + v[4] * 60 + v[5]);
		return 0;
	}
	bool neg = s.n && s.s[0] == '-';
	rpl_slice num = neg ? (rpl_slice){ s.s + 1, s.n - 1 } : s;
	unsigned long secs;
	if (!rpl_parse_ulong(num, (unsigned long)LONG_MAX, &secs))
		return WARD_ESYNTAX;
	*out = neg ? -(int64_t)secs : (int64_t)secs;
	return 0;
}

/* Unquote "value" or 'value'; NUL or text after the closing quote is an
 * error. */
static int unquote(rpl_parser *p, rpl_slice *v)
{
	if (!v->n || (v->s[0] != '"' && v->s[0] != '\''))
		return 0;
	const char *close = memchr(v->s + 1, v->s[0], v->n - 1);
	if (!close)
		return rpl_fail(p, p->lineno, WARD_EQUOTE, "unterminated quote");
	rpl_slice after = { close + 1, (size_t)(v->s + v->n - close - 1) };
	if (rpl_trim(after).n)
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "text after the closing quote");
	v->s++;
	v->n = (size_t)(close - v->s);
	return 0;
}

/* The text before a '#' (testbound) or ';' (Deckard) comment outside
 * quotes. */
static rpl_slice strip_conf_comment(rpl_slice s, char mark)
{
	char quote = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == mark) {
			s.n = i;
			break;
		}
	}
	return rpl_trim(s);
}

static bool valid_key(rpl_slice k)
{
	if (!k.n || k.n >= 64)
		return false;
	for (size_t i = 0; i < k.n; i++) {
		char c = k.s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* "key: value" (value may be empty); false when the line is not one. */
static bool split_key(rpl_slice line, rpl_slice *key, rpl_slice *value)
{
	const char *colon = memchr(line.s, ':', line.n);
	if (!colon)
		return false;
	key->s = line.s;
	key->n = (size_t)(colon - line.s);
	*key = rpl_trim(*key);
	value->s = colon + 1;
	value->n = (size_t)(line.s + line.n - colon - 1);
	*value = rpl_trim(*value);
	return valid_key(*key);
}

static int zone_close(rpl_parser *p, struct cfg_state *st)
{
	if (!st->zopen)
		return 0;
	st->zopen = false;
	rpl_zone_cfg *z = &st->zones[st->nzones - 1];
	z->addrs = st->zaddrs;
	z->naddrs = st->nzaddrs;
	z->hosts = st->zhosts;
	z->nhosts = st->nzhosts;
	st->zaddrs = NULL;
	st->nzaddrs = st->capzaddrs = 0;
	st->zhosts = NULL;
	st->nzhosts = st->capzhosts = 0;
	if (!z->name_text)
		return rpl_fail(p, z->line, WARD_ESYNTAX, "%s without a name",
		                z->forward ? "forward-zone" : "stub-zone");
	return 0;
}

static int zone_open(rpl_parser *p, struct cfg_state *st, bool forward,
                     unsigned line)
{
	int r = zone_close(p, st);
	if (r < 0)
		return r;
	rpl_zone_cfg *z = rpl_arena_push(p->arena, &st->zones, &st->nzones,
	                                 &st->capzones, sizeof *z);
	if (!z)
		return oom(p);
	st->zopen = true;
	z->forward = forward;
	z->prime = -1;
	z->first = -1;
	z->line = line;
	return 0;
}

static int zone_set_name(rpl_parser *p, rpl_zone_cfg *z, rpl_slice v)
{
	char show[RPL_SHOW_MAX];
	dns_name root;
	dns_name_root(&root);
	int r = dns_name_from_text(&z->name, v.s, v.n, &root);
	if (r < 0)
		return rpl_fail(p, p->lineno, r, "bad zone name '%s': %s",
		                rpl_show(v, show, sizeof show), ward_strerror(r));
	z->name_text = rpl_arena_strndup(p->arena, v.s, v.n);
	return z->name_text ? 0 : oom(p);
}

/* "ip[@port][#tls-name]" of stub-addr / forward-addr. */
static int zone_add_addr(rpl_parser *p, struct cfg_state *st, rpl_slice v)
{
	char show[RPL_SHOW_MAX];
	const char *hash = memchr(v.s, '#', v.n);
	rpl_slice a = { v.s, hash ? (size_t)(hash - v.s) : v.n };
	rpl_addr *slot = rpl_arena_push(p->arena, &st->zaddrs, &st->nzaddrs,
	                                &st->capzaddrs, sizeof *slot);
	if (!slot)
		return oom(p);
	if (rpl_addr_parse(a.s, a.n, slot) < 0)
		return rpl_fail(p, p->lineno, WARD_EADDR, "bad address '%s'",
		                rpl_show(v, show, sizeof show));
	return 0;
}

static int add_anchor(rpl_parser *p, struct cfg_state *st, rpl_slice v)
{
	rpl_anchor *a = rpl_arena_push(p->arena, &st->anchors, &st->nanchors,
	                               &st->capanchors, sizeof *a);
	if (!a || !(a->text = rpl_arena_strndup(p->arena, v.s, v.n)))
		return oom(p);
	a->line = p->lineno;
	int r = rpl_parse_rr_line(p, v, &a->rr);
	return r < 0 ? r : 0;
}

static int set_date(rpl_parser *p, rpl_config *cfg, rpl_slice v)
{
	char show[RPL_SHOW_MAX];
	int64_t t;
	int r = rpl_parse_date(v, &t);
	if (r < 0)
		return rpl_fail(p, p->lineno, r, "bad date '%s' (YYYYMMDDHHMMSS "
		                "or seconds)", rpl_show(v, show, sizeof show));
	cfg->have_date = true;
	cfg->date = t;
	cfg->date_ignore = t == -1;
	return 0;
}

static int set_bool(rpl_parser *p, int *out, rpl_slice key, rpl_slice v)
{
	char show[RPL_SHOW_MAX], show2[RPL_SHOW_MAX];
	int b = parse_bool(v);
	if (b < 0)
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "%s: '%s' is not yes or no",
		                rpl_show(key, show, sizeof show),
		                rpl_show(v, show2, sizeof show2));
	*out = b;
	return 0;
}

/* Record one option and interpret the ones the scenario model extracts. */
static int add_option(rpl_parser *p, struct cfg_state *st, rpl_slice key,
                      rpl_slice v, unsigned line)
{
	rpl_config *cfg = st->cfg;
	rpl_option *o = rpl_arena_push(p->arena, &st->opts, &st->nopts,
	                               &st->capopts, sizeof *o);
	if (!o)
		return oom(p);
	o->clause = st->clause;
	o->key = rpl_arena_strndup(p->arena, key.s, key.n);
	o->value = rpl_arena_strndup(p->arena, v.s, v.n);
	o->line = line;
	if (!o->key || !o->value)
		return oom(p);

	bool zone = strcmp(st->clause, "stub-zone") == 0 ||
	            strcmp(st->clause, "forward-zone") == 0;
	if (zone && st->zopen) {
		rpl_zone_cfg *z = &st->zones[st->nzones - 1];
		if (rpl_slice_is(key, "name"))
			return zone_set_name(p, z, v);
		if (rpl_slice_is(key, "stub-addr") || rpl_slice_is(key, "forward-addr"))
			return zone_add_addr(p, st, v);
		if (rpl_slice_is(key, "stub-host") || rpl_slice_is(key, "forward-host"))
			return push_str(p, &st->zhosts, &st->nzhosts,
			                &st->capzhosts, v);
		if (rpl_slice_is(key, "stub-prime"))
			return set_bool(p, &z->prime, key, v);
		if (rpl_slice_is(key, "stub-first") || rpl_slice_is(key, "forward-first"))
			return set_bool(p, &z->first, key, v);
		return 0;
	}
	if (p->dialect == RPL_DIALECT_DECKARD && rpl_slice_is(key, "stub-addr")) {
		if (!st->nzones) {
			int r = zone_open(p, st, false, line);
			if (r < 0)
				return r;
			rpl_slice root = { ".", 1 };
			if ((r = zone_set_name(p, &st->zones[0], root)) < 0)
				return r;
		}
		return zone_add_addr(p, st, v);
	}
	if (rpl_slice_is(key, "trust-anchor"))
		return add_anchor(p, st, v);
	if (rpl_slice_is(key, "trust-anchor-file") ||
	    rpl_slice_is(key, "auto-trust-anchor-file") ||
	    rpl_slice_is(key, "trusted-keys-file"))
		return push_str(p, &st->afiles, &st->nafiles,
		                &st->capafiles, v);
	if (rpl_slice_is(key, "val-override-date") ||
	    rpl_slice_is(key, "val-override-timestamp"))
		return set_date(p, cfg, v);
	if (rpl_slice_is(key, "qname-minimisation") ||
	    rpl_slice_is(key, "query-minimization"))
		return set_bool(p, &cfg->qname_minimisation, key, v);
	return 0;
}

/* Lines up to end_word into one arena string (TEMPFILE/AUTOTRUST blocks). */
static int read_block(rpl_parser *p, const char *end_word, const char *begin,
                      rpl_file *f)
{
	size_t start = p->pos, stop = p->pos;
	unsigned first = p->lineno;
	rpl_slice line, tok;
	while (rpl_next_line(p, &line)) {
		rpl_slice rest = line;
		if (rpl_token(&rest, &tok) && rpl_slice_is(tok, end_word)) {
			f->content = rpl_arena_strndup(p->arena, p->text + start,
			                               stop - start);
			f->len = stop - start;
			return f->content ? 0 : oom(p);
		}
		stop = p->pos;
	}
	return rpl_fail(p, first, WARD_ERPL_NESTING, "%s without %s", begin,
	                end_word);
}

static int add_file(rpl_parser *p, struct cfg_state *st, rpl_slice rest,
                    bool autotrust)
{
	const char *begin = autotrust ? "AUTOTRUST_FILE" : "TEMPFILE_CONTENTS";
	rpl_slice name = rpl_trim(rest);
	if (!name.n)
		return rpl_fail(p, p->lineno, WARD_ESYNTAX, "%s needs a name", begin);
	rpl_file *f = rpl_arena_push(p->arena, &st->files, &st->nfiles,
	                             &st->capfiles, sizeof *f);
	if (!f || !(f->name = rpl_arena_strndup(p->arena, name.s, name.n)))
		return oom(p);
	f->autotrust = autotrust;
	f->line = p->lineno;
	if (autotrust) {
		/* testbound adds auto-trust-anchor-file: "id" for it */
		int r = push_str(p, &st->afiles, &st->nafiles,
		                 &st->capafiles, name);
		if (r < 0)
			return r;
	}
	return read_block(p, autotrust ? "AUTOTRUST_END" : "TEMPFILE_END",
	                  begin, f);
}

static int conf_line(rpl_parser *p, struct cfg_state *st, rpl_slice line)
{
	char show[RPL_SHOW_MAX];
	char mark = p->dialect == RPL_DIALECT_DECKARD ? ';' : '#';
	rpl_slice body = strip_conf_comment(line, mark), key, val;
	int r;

	if (!body.n)
		return 0;
	if (st->pending_key[0])
		return rpl_fail(p, st->pending_line, WARD_ESYNTAX,
		                "'%s:' has no value", st->pending_key);
	if (!split_key(body, &key, &val))
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "expected 'key: value', got '%s'",
		                rpl_show(body, show, sizeof show));
	if (p->dialect == RPL_DIALECT_TESTBOUND && is_clause(key)) {
		const char *name = rpl_arena_strndup(p->arena, key.s, key.n);
		if (!name)
			return oom(p);
		st->clause = name;
		if (rpl_slice_is(key, "stub-zone") || rpl_slice_is(key, "forward-zone")) {
			r = zone_open(p, st, rpl_slice_is(key, "forward-zone"),
			              p->lineno);
		} else {
			r = zone_close(p, st);
		}
		if (r < 0 || !val.n)
			return r;
		/* "server: key: value" on one line */
		return conf_line(p, st, val);
	}
	bool empty = !val.n;
	if ((r = unquote(p, &val)) < 0)
		return r;
	if (empty && p->dialect == RPL_DIALECT_TESTBOUND) {
		memcpy(st->pending_key, key.s, key.n);
		st->pending_key[key.n] = '\0';
		st->pending_line = p->lineno;
		return 0;
	}
	return add_option(p, st, key, val, p->lineno);
}

/* Look ahead: does the configuration part have unbound.conf clauses? */
static enum rpl_dialect detect(rpl_parser *p)
{
	size_t pos = p->pos;
	unsigned lineno = p->lineno;
	enum rpl_dialect d = RPL_DIALECT_TESTBOUND;
	bool keys = false;
	rpl_slice line, tok, key, val;
	while (rpl_next_line(p, &line)) {
		rpl_slice rest = line;
		if (!rpl_token(&rest, &tok))
			continue;
		if (rpl_slice_is(tok, "CONFIG_END") ||
		    rpl_slice_is(tok, "SCENARIO_BEGIN"))
			break;
		rpl_slice body = strip_conf_comment(line, '#');
		if (body.n && body.s[0] == ';')
			continue;
		if (split_key(body, &key, &val)) {
			if (is_clause(key)) {
				keys = false;
				break;
			}
			keys = true;
		}
	}
	if (keys)
		d = RPL_DIALECT_DECKARD;
	p->pos = pos;
	p->lineno = lineno;
	return d;
}

int rpl_config_parse(rpl_parser *p, rpl_config *cfg)
{
	char show[RPL_SHOW_MAX];
	struct cfg_state st;
	rpl_slice line, tok;
	int r = 0;

	memset(&st, 0, sizeof st);
	memset(cfg, 0, sizeof *cfg);
	cfg->qname_minimisation = -1;
	st.cfg = cfg;
	st.clause = "";
	if (p->dialect == RPL_DIALECT_AUTO)
		p->dialect = detect(p);

	bool ended = false;
	while (!ended && r == 0 && rpl_next_line(p, &line)) {
		rpl_slice rest = line;
		if (!rpl_token(&rest, &tok) || tok.s[0] == ';')
			continue;
		if (rpl_slice_is(tok, "CONFIG_END")) {
			ended = true;
		} else if (rpl_slice_is(tok, "SCENARIO_BEGIN")) {
			rpl_unread_line(p); /* no CONFIG_END: be lenient */
			ended = true;
		} else if (rpl_slice_is(tok, "COMMANDLINE")) {
			r = push_str(p, &st.cmd, &st.ncmd, &st.capcmd,
			             rpl_trim(rest));
		} else if (rpl_slice_is(tok, "AUTOTRUST_FILE")) {
			r = add_file(p, &st, rest, true);
		} else if (rpl_slice_is(tok, "TEMPFILE_CONTENTS")) {
			r = add_file(p, &st, rest, false);
		} else if (rpl_slice_is(tok, "TEMPFILE_NAME")) {
			rpl_slice name = rpl_trim(rest);
			if (!st.pending_key[0] || !name.n) {
				r = rpl_fail(p, p->lineno, WARD_ESYNTAX,
				             "TEMPFILE_NAME must follow an option "
				             "without a value ('root-hints:')");
			} else {
				rpl_slice key = { st.pending_key, strlen(st.pending_key) };
				r = add_option(p, &st, key, name, st.pending_line);
				st.pending_key[0] = '\0';
			}
		} else if (rpl_slice_is(tok, "AUTOTRUST_END") ||
		           rpl_slice_is(tok, "TEMPFILE_END")) {
			r = rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
			             "%s without its beginning",
			             rpl_show(tok, show, sizeof show));
		} else {
			r = conf_line(p, &st, line);
		}
	}
	if (r < 0)
		return r;
	if (st.pending_key[0])
		return rpl_fail(p, st.pending_line, WARD_ESYNTAX,
		                "'%s:' has no value", st.pending_key);
	if ((r = zone_close(p, &st)) < 0)
		return r;
	if (!ended)
		return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
		                "end of file before CONFIG_END / SCENARIO_BEGIN");

	cfg->opts = st.opts;
	cfg->nopts = st.nopts;
	cfg->anchors = st.anchors;
	cfg->nanchors = st.nanchors;
	cfg->anchor_files = st.afiles;
	cfg->nanchor_files = st.nafiles;
	cfg->zones = st.zones;
	cfg->nzones = st.nzones;
	cfg->files = st.files;
	cfg->nfiles = st.nfiles;
	cfg->cmdline = st.cmd;
	cfg->ncmdline = st.ncmd;
	size_t nh = 0;
	for (size_t i = 0; i < st.nopts; i++)
		if (!strncmp(st.opts[i].key, "harden-", 7))
			nh++;
	if (nh) {
		const rpl_option **h = rpl_arena_array(p->arena, nh, sizeof *h);
		if (!h)
			return oom(p);
		nh = 0;
		for (size_t i = 0; i < st.nopts; i++)
			if (!strncmp(st.opts[i].key, "harden-", 7))
				h[nh++] = &st.opts[i];
		cfg->harden = h;
		cfg->nharden = nh;
	}
	return 0;
}

const char *rpl_config_get(const rpl_config *c, const char *key)
{
	for (size_t i = c->nopts; i-- > 0;)
		if (strcmp(c->opts[i].key, key) == 0)
			return c->opts[i].value;
	return NULL;
}

int rpl_config_bool(const rpl_config *c, const char *key, int dflt)
{
	const char *v = rpl_config_get(c, key);
	if (!v)
		return dflt;
	rpl_slice s = { v, strlen(v) };
	int b = parse_bool(s);
	return b < 0 ? dflt : b;
}
