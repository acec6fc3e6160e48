/* ward: reading dnsmasq-syntax configuration: lines, quotes and comments,
 * option dispatch through the table, conf-file/conf-dir includes,
 * command-line arguments, diagnostics.
 *
 * The line grammar (dnsmasq's, made precise; docs/configuration.md):
 *  - a line is `name`, `name=value` or blank; blanks around the name and
 *    after '=' are dropped, so are blanks at the end of the line;
 *  - '#' starts a comment at the start of a line or after a blank, when not
 *    between quotes ("server=1.2.3.4#53" keeps its '#');
 *  - between double quotes ',' '#' and blanks lose their meaning, and
 *    \\ \" \t \e \b \r \n are escapes; a quoted part may be anywhere in
 *    the value ("a"b"c" is abc);
 *  - values are split at unquoted commas; unquoted blanks around each
 *    field are dropped.
 * Command-line arguments are in conf_args.c, file access in conf_io.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* ---- init / free ---- */

int conf_init(ward_conf *c, const conf_io *io)
{
	memset(c, 0, sizeof *c);
	c->io = io ? *io : conf_io_posix;
	c->arena = conf_arena_new();
	c->st = calloc(1, sizeof *c->st);
	if (c->st) {
		c->st->seen = calloc(conf_def_count(), sizeof *c->st->seen);
		c->st->warned = calloc(conf_def_count(), 1);
	}
	if (!c->arena || !c->st || !c->st->seen || !c->st->warned) {
		conf_free(c);
		return WARD_ENOMEM;
	}
	c->port = CONF_DEFAULT_PORT;
	c->local_ttl = 0;
	c->neg_ttl = c->max_ttl = CONF_UNSET;
	c->min_cache_ttl = c->max_cache_ttl = CONF_UNSET;
	c->cache_size = CONF_DEFAULT_CACHE_SIZE;
	c->edns_packet_max = CONF_DEFAULT_EDNS_PACKET_MAX;
	c->dnssec_check_unsigned = true;
	c->dhcp_lease_max = CONF_DEFAULT_LEASE_MAX;
	c->blocklist_refresh = CONF_DEFAULT_BLOCKLIST_REFRESH;
	c->blocklist_ttl = CONF_UNSET;
	return 0;
}

void conf_free(ward_conf *c)
{
	if (!c)
		return;
	free(c->listen_addresses.v);
	free(c->interfaces.v);
	free(c->except_interfaces.v);
	free(c->no_dhcp_interfaces.v);
	free(c->servers.v);
	free(c->resolv_files.v);
	free(c->addn_hosts.v);
	free(c->domains.v);
	free(c->addresses.v);
	free(c->host_records.v);
	free(c->cnames.v);
	free(c->txt_records.v);
	free(c->srv_records.v);
	free(c->mx_records.v);
	free(c->ptr_records.v);
	free(c->trust_anchors.v);
	free(c->dnssec_ntas.v);
	free(c->filter_rr.v);
	free(c->bogus_nxdomain.v);
	free(c->blocklists.v);
	free(c->allowlists.v);
	free(c->dhcp_ranges.v);
	free(c->dhcp_hosts.v);
	free(c->dhcp_options.v);
	free(c->dhcp_ignore.v);
	free(c->dhcp_broadcast.v);
	free(c->dhcp_vendorclasses.v);
	free(c->dhcp_userclasses.v);
	free(c->dhcp_macs.v);
	free(c->dhcp_matches.v);
	free(c->tag_ifs.v);
	free(c->diags.v);
	if (c->st) {
		free(c->st->seen);
		free(c->st->warned);
		free(c->st->done.v);
		free(c->st->onces.v);
		for (size_t i = 0; i < c->st->pending.n; i++)
			free(c->st->pending.v[i].val);
		free(c->st->pending.v);
		free(c->st);
	}
	conf_arena_free(c->arena);
	memset(c, 0, sizeof *c);
}

void conf_set_diag_fn(ward_conf *c, conf_diag_fn fn, void *ctx)
{
	c->diag_fn = fn;
	c->diag_ctx = ctx;
}

/* ---- diagnostics ---- */

/* "file:line: " with the file name sanitised (it may come from a
 * conf-file= value). */
static void put_loc(strbuf *sb, const conf_loc *loc)
{
	strbuf_put_sanitized(sb, (const uint8_t *)loc->file, strlen(loc->file));
	if (loc->line)
		strbuf_printf(sb, ":%u", loc->line);
	strbuf_puts(sb, ": ");
}

static void emit(ward_conf *c, const conf_loc *loc, enum conf_severity sev,
                 int code, const char *option, const char *text)
{
	if (sev == CONF_ERROR)
		c->errors++;
	else
		c->warnings++;
	conf_diag d = {
		.severity = sev, .code = code, .file = loc->file, .line = loc->line,
		.option = option, .text = text, .unimplemented = c->st->unimpl,
	};
	c->st->unimpl = NULL;
	if (c->diags.n < CONF_DIAG_MAX) {
		conf_diag *k = CONF_PUSH(c->diags);
		if (k) {
			*k = d;
			k->text = conf_arena_strndup(c->arena, text, strlen(text));
			if (option)
				k->option = conf_arena_strndup(c->arena, option,
				                               strlen(option));
			if (d.unimplemented)
				k->unimplemented = conf_arena_strndup(
				        c->arena, d.unimplemented,
				        strlen(d.unimplemented));
			if (!k->text) {
				c->diags.n--;
			} else {
				d = *k;
			}
		}
	}
	if (c->diag_fn)
		c->diag_fn(c->diag_ctx, &d);
}

static void vdiag(ward_conf *c, const conf_loc *loc, enum conf_severity sev,
                  int code, const char *option, bool with_option,
                  const char *fmt, va_list ap)
{
	char buf[CONF_DIAG_TEXT_MAX];
	strbuf sb = strbuf_init(buf, sizeof buf);
	put_loc(&sb, loc);
	if (sev == CONF_WARNING)
		strbuf_puts(&sb, "warning: ");
	if (with_option && option)
		strbuf_printf(&sb, "option '%s': ", option);
	char msg[CONF_DIAG_TEXT_MAX];
	vsnprintf(msg, sizeof msg, fmt, ap);
	strbuf_puts(&sb, msg);
	if (sb.err && sizeof buf > 4)
		memcpy(buf + sizeof buf - 4, "...", 4);
	emit(c, loc, sev, code, option, buf);
}

void conf_diag_at(ward_conf *c, const conf_loc *loc, enum conf_severity sev,
                  int code, const char *option, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, loc, sev, code, option, false, fmt, ap);
	va_end(ap);
}

int conf_bad(conf_ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(x->c, &x->loc, CONF_ERROR, WARD_ECONFVAL, x->optname, true, fmt, ap);
	va_end(ap);
	return WARD_ECONFVAL;
}

void conf_warn(conf_ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(x->c, &x->loc, CONF_WARNING, 0, x->optname, true, fmt, ap);
	va_end(ap);
}

const char *conf_show(conf_ctx *x, const char *s, size_t n)
{
	char *buf = x->show[x->show_next++ % 4];
	strbuf sb = strbuf_init(buf, sizeof x->show[0]);
	size_t lim = 256;
	strbuf_put_sanitized(&sb, (const uint8_t *)s, n < lim ? n : lim);
	if (n > lim)
		strbuf_puts(&sb, "...");
	return buf;
}

/* Warn once per key for the whole configuration. */
static bool first_time(ward_conf *c, const char *key)
{
	struct conf_state *st = c->st;
	for (size_t i = 0; i < st->onces.n; i++)
		if (!strcmp(st->onces.v[i], key))
			return false;
	const char **k = CONF_PUSH(st->onces);
	if (k)
		*k = conf_arena_strndup(c->arena, key, strlen(key));
	return true;
}

void conf_warn_unimplemented_once(conf_ctx *x, const char *what)
{
	char key[128];
	snprintf(key, sizeof key, "%s/%s", x->optname, what);
	if (first_time(x->c, key)) {
		snprintf(key, sizeof key, "%s: %s", x->optname, what);
		x->c->st->unimpl = key;
		conf_warn(x, "%s is not implemented by ward yet; ignored", what);
	}
}

/* ---- splitting a value into fields ---- */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

int conf_split(conf_ctx *x)
{
	if (x->f)
		return 0;
	size_t count = 1;
	for (size_t i = 0; i < x->len; i++)
		if (x->val[i] == ',' && !(x->q[i] & CONF_Q_CHAR))
			count++;
	x->f = calloc(count, sizeof *x->f);
	if (!x->f)
		return WARD_ENOMEM;
	/* the fields are cut out of val in place: each ends where its comma
	 * (or first trailing blank) was */
	size_t start = 0;
	x->nf = 0;
	if (x->len == 0 && !(x->q[0] & CONF_Q_MARK))
		return 0;
	for (size_t i = 0; i <= x->len; i++) {
		if (i < x->len && !(x->val[i] == ',' && !(x->q[i] & CONF_Q_CHAR)))
			continue;
		size_t b = start, e = i;
		while (b < e && is_blank(x->val[b]) && !(x->q[b] & CONF_Q_CHAR))
			b++;
		while (e > b && is_blank(x->val[e - 1]) &&
		       !(x->q[e - 1] & CONF_Q_CHAR))
			e--;
		conf_field *f = &x->f[x->nf++];
		f->s = x->val + b;
		f->q = x->q + b;
		f->len = e - b;
		f->quoted = false;
		for (size_t k = start; k <= i && !f->quoted; k++)
			if ((x->q[k] & CONF_Q_MARK) ||
			    (k < i && (x->q[k] & CONF_Q_CHAR)))
				f->quoted = true;
		start = i + 1;
	}
	for (size_t k = 0; k < x->nf; k++)
		x->f[k].s[x->f[k].len] = '\0';
	return 0;
}

/* ---- the lexer ---- */

/* One physical line p[0..n) -> out/q (both with room for n + 2, q zeroed).
 * q[i] & CONF_Q_CHAR: out[i] was between quotes; q[i] & CONF_Q_MARK: a
 * quoted part started at position i (so that "" still makes a field
 * quoted). In file mode '#' at the start or after a blank begins a
 * comment. Returns the length, or -1 for an unterminated quote. */
long conf_lex(const char *p, size_t n, bool comments, char *out, uint8_t *q)
{
	size_t o = 0;
	bool inq = false, prev_blank = true;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (!inq) {
			if (ch == '"') {
				inq = true;
				q[o] |= CONF_Q_MARK;
				prev_blank = false;
				continue;
			}
			if (ch == '#' && comments && prev_blank)
				break;
			prev_blank = is_blank(ch);
			out[o++] = prev_blank ? ' ' : ch;
			continue;
		}
		if (ch == '"') {
			inq = false;
			continue;
		}
		if (ch == '\\' && i + 1 < n) {
			char v = 0;
			switch (p[i + 1]) {
			case '\\': v = '\\'; break;
			case '"': v = '"'; break;
			case 't': v = '\t'; break;
			case 'e': v = 27; break;
			case 'b': v = '\b'; break;
			case 'r': v = '\r'; break;
			case 'n': v = '\n'; break;
			}
			if (v) {
				q[o] |= CONF_Q_CHAR;
				out[o++] = v;
				i++;
				continue;
			}
		}
		q[o] |= CONF_Q_CHAR;
		out[o++] = ch;
	}
	if (inq)
		return -1;
	return (long)o;
}

/* ---- dispatch ---- */

static const conf_optdef *canonical(const conf_optdef *d)
{
	if (d->info.alias_of) {
		const conf_optdef *c = conf_def_find(d->info.alias_of,
		                                     strlen(d->info.alias_of));
		if (c)
			return c;
	}
	return d;
}

int conf_dispatch(conf_ctx *x, const char *name, size_t nlen)
{
	ward_conf *c = x->c;
	char nbuf[96];
	size_t shown = nlen < sizeof nbuf - 1 ? nlen : sizeof nbuf - 1;
	memcpy(nbuf, name, shown);
	nbuf[shown] = '\0';
	const conf_optdef *d = conf_def_find(name, nlen);
	if (!d) {
		const char *nm = conf_show(x, name, nlen);
		if (!x->cmdline && nlen > 2 && name[0] == '-' && name[1] == '-' &&
		    conf_def_find(name + 2, nlen - 2)) {
			conf_diag_at(c, &x->loc, CONF_ERROR, WARD_ECONFOPT, NULL,
			             "unknown option '%s' (write '%s' without the "
			             "leading '--' in a file)", nm,
			             conf_show(x, name + 2, nlen - 2));
			return WARD_ECONFOPT;
		}
		/* the search costs: a file of garbage gets hints for its first
		 * lines only */
		const char *hint = c->st->suggestions++ < 20 ?
		                   conf_def_suggest(name, nlen) : NULL;
		if (hint)
			conf_diag_at(c, &x->loc, CONF_ERROR, WARD_ECONFOPT, NULL,
			             "unknown option '%s' (did you mean '%s'?)", nm,
			             hint);
		else
			conf_diag_at(c, &x->loc, CONF_ERROR, WARD_ECONFOPT, NULL,
			             "unknown option '%s'", nm);
		return WARD_ECONFOPT;
	}
	x->def = d;
	x->optname = d->info.name;
	if (d->info.arg == CONF_ARG_NONE && x->has_value)
		return conf_bad(x, "takes no value (got '%s')",
		                conf_show(x, x->val, x->len));
	if (d->info.arg == CONF_ARG_REQUIRED && !x->has_value)
		return conf_bad(x, "needs a value (%s=...)", d->info.name);

	const conf_optdef *cd = canonical(d);
	size_t idx = conf_def_index(cd);
	if (d->info.status == CONF_ST_NOT_IMPLEMENTED) {
		if (!c->st->warned[idx]) {
			c->st->warned[idx] = 1;
			c->st->unimpl = d->info.name;
			conf_diag_at(c, &x->loc, CONF_WARNING, 0, d->info.name,
			             "option '%s' is not implemented by ward yet; "
			             "ignored", d->info.name);
		}
		return 0;
	}
	if (d->info.status == CONF_ST_IGNORED) {
		if (!c->st->warned[idx]) {
			c->st->warned[idx] = 1;
			conf_warn(x, "has no effect in a configuration; ignored");
		}
		return 0;
	}
	if (cd->flags & CONF_F_ONCE) {
		struct conf_seen *s = &c->st->seen[idx];
		if (s->set && s->cmdline == x->cmdline) {
			if (s->loc.line)
				return conf_bad(x, "is given more than once (first at "
				                "%s:%u)", conf_show(x, s->loc.file,
				                                    strlen(s->loc.file)),
				                s->loc.line);
			return conf_bad(x, "is given more than once (first on the %s)",
			                s->loc.file);
		}
		if (s->set && !s->cmdline && x->cmdline) {
			conf_warn(x, "ignored: the configuration file sets it (%s:%u), "
			          "and files override the command line",
			          conf_show(x, s->loc.file, strlen(s->loc.file)),
			          s->loc.line);
			return 0;
		}
		int r = d->parse(x);
		if (r == 0) {
			/* only a value that took counts: a bad first line is one
			 * error, not two */
			s->set = true;
			s->cmdline = x->cmdline;
			s->loc = x->loc;
		}
		return r;
	}
	return d->parse(x);
}

/* Parse one logical line; loc is filled in. */
static int do_line(ward_conf *c, const conf_loc *loc, char *buf, uint8_t *q,
                   size_t len)
{
	/* trim */
	size_t b = 0, e = len;
	while (b < e && buf[b] == ' ' && !(q[b] & CONF_Q_CHAR))
		b++;
	while (e > b && buf[e - 1] == ' ' && !(q[e - 1] & CONF_Q_CHAR))
		e--;
	if (b == e)
		return 0;
	char *eq = memchr(buf + b, '=', e - b);
	size_t nend = eq ? (size_t)(eq - buf) : e;
	size_t ne = nend;
	while (ne > b && buf[ne - 1] == ' ' && !(q[ne - 1] & CONF_Q_CHAR))
		ne--;
	size_t vb = eq ? nend + 1 : e;
	while (vb < e && buf[vb] == ' ' && !(q[vb] & CONF_Q_CHAR))
		vb++;
	buf[e] = '\0';
	conf_ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.loc = *loc;
	x.has_value = eq != NULL;
	x.val = buf + vb;
	x.q = q + vb;
	x.len = e - vb;
	x.cmdline = false;
	if (ne == b) {
		conf_diag_at(c, loc, CONF_ERROR, WARD_ECONFOPT, NULL,
		             "missing option name before '='");
		return WARD_ECONFOPT;
	}
	x.optname = NULL;
	int r = conf_dispatch(&x, buf + b, ne - b);
	free(x.f);
	return r;
}

static const char *intern(ward_conf *c, const char *s)
{
	return conf_arena_strndup(c->arena, s, strlen(s));
}

/* Parse the text of one file (name already interned). */
static int parse_text(ward_conf *c, const char *name, const char *text,
                      size_t len)
{
	size_t cap = 256;
	char *buf = malloc(cap);
	uint8_t *q = malloc(cap);
	int ret = 0;
	if (!buf || !q) {
		ret = WARD_ENOMEM;
		goto out;
	}
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		const char *p = text + pos;
		pos = nl ? end + 1 : len;
		if (n && p[n - 1] == '\r')
			n--;
		conf_loc loc = { name, line };
		if (memchr(p, '\0', n)) {
			conf_diag_at(c, &loc, CONF_ERROR, WARD_ESYNTAX, NULL,
			             "line has a NUL byte; ignored");
			continue;
		}
		if (n > CONF_LINE_MAX) {
			conf_diag_at(c, &loc, CONF_ERROR, WARD_ELIMIT, NULL,
			             "line is longer than %u bytes; ignored",
			             CONF_LINE_MAX);
			continue;
		}
		if (n + 2 > cap) {
			size_t ncap = n + 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				ret = WARD_ENOMEM;
				goto out;
			}
			buf = nb;
			uint8_t *nq = realloc(q, ncap);
			if (!nq) {
				ret = WARD_ENOMEM;
				goto out;
			}
			q = nq;
			cap = ncap;
		}
		memset(q, 0, n + 2);
		long l = conf_lex(p, n, true, buf, q);
		if (l < 0) {
			conf_diag_at(c, &loc, CONF_ERROR, WARD_EQUOTE, NULL,
			             "unterminated quoted string (a '\"' is missing)");
			continue;
		}
		int r = do_line(c, &loc, buf, q, (size_t)l);
		if (r == WARD_ENOMEM) {
			ret = r;
			goto out;
		}
	}
out:
	free(buf);
	free(q);
	return ret;
}

static bool same_id(const uint64_t a[2], const uint64_t b[2])
{
	return (a[0] || a[1]) && a[0] == b[0] && a[1] == b[1];
}

/* Read and parse one file at include depth st->depth; `from` is the line
 * that included it (NULL at the top). */
static int load_one(ward_conf *c, conf_ctx *from, const char *path)
{
	struct conf_state *st = c->st;
	char *text = NULL;
	size_t len = 0;
	uint64_t id[2] = { 0, 0 };
	const char *why = NULL;
	conf_loc top = { intern(c, path), 0 };
	if (!top.file)
		return WARD_ENOMEM;
	if (st->depth >= CONF_INCLUDE_MAX_DEPTH) {
		if (from)
			return conf_bad(from, "'%s' is nested more than %d files deep",
			                conf_show(from, path, strlen(path)),
			                CONF_INCLUDE_MAX_DEPTH);
		return WARD_ECONFDEPTH;
	}
	int r = c->io.read_file(c->io.ctx, path, &text, &len, id, &why);
	if (r) {
		if (r == WARD_ENOMEM)
			return r;
		if (from)
			return conf_bad(from, "cannot read '%s': %s",
			                conf_show(from, path, strlen(path)),
			                why ? why : ward_strerror(r));
		conf_diag_at(c, &top, CONF_ERROR, r, NULL,
		             "cannot read the configuration file: %s",
		             why ? why : ward_strerror(r));
		return WARD_ECONF;
	}
	/* an include loop: the file is being read further up */
	for (unsigned i = 0; i < st->depth; i++) {
		if (same_id(st->stack[i].id, id) ||
		    (!(id[0] || id[1]) && !strcmp(st->stack[i].name, path))) {
			free(text);
			if (!from)
				return 0;
			char chain[512];
			strbuf sb = strbuf_init(chain, sizeof chain);
			for (unsigned k = i; k < st->depth; k++) {
				strbuf_put_sanitized(&sb, (const uint8_t *)st->stack[k].name,
				                     strlen(st->stack[k].name));
				strbuf_puts(&sb, " -> ");
			}
			strbuf_put_sanitized(&sb, (const uint8_t *)path, strlen(path));
			conf_warn(from, "'%s' is already being read (include loop: "
			          "%s); skipped", conf_show(from, path, strlen(path)),
			          chain);
			return 0;
		}
	}
	for (size_t i = 0; i < st->done.n; i++) {
		if (same_id(st->done.v[i].id, id) ||
		    (!(id[0] || id[1]) && !strcmp(st->done.v[i].name, path))) {
			free(text);
			if (from)
				conf_warn(from, "'%s' was already read (%s); skipped",
				          conf_show(from, path, strlen(path)),
				          conf_show(from, st->done.v[i].name,
				                    strlen(st->done.v[i].name)));
			return 0;
		}
	}
	struct conf_readfile *rf = CONF_PUSH(st->done);
	if (!rf) {
		free(text);
		return WARD_ENOMEM;
	}
	rf->name = top.file;
	rf->id[0] = id[0];
	rf->id[1] = id[1];
	st->stack[st->depth].name = top.file;
	st->stack[st->depth].id[0] = id[0];
	st->stack[st->depth].id[1] = id[1];
	st->depth++;
	r = parse_text(c, top.file, text, len);
	st->depth--;
	free(text);
	return r;
}

int conf_include_file(conf_ctx *x, const char *path)
{
	return load_one(x->c, x, path);
}

int conf_load_file(ward_conf *c, const char *path)
{
	unsigned before = c->errors;
	int r = load_one(c, NULL, path);
	if (r == WARD_ENOMEM)
		return r;
	return c->errors > before ? WARD_ECONF : 0;
}

int conf_load_buffer(ward_conf *c, const char *name, const char *text,
                     size_t len)
{
	struct conf_state *st = c->st;
	unsigned before = c->errors;
	const char *nm = intern(c, name ? name : "(buffer)");
	if (!nm)
		return WARD_ENOMEM;
	if (st->depth >= CONF_INCLUDE_MAX_DEPTH)
		return WARD_ECONFDEPTH;
	struct conf_readfile *rf = CONF_PUSH(st->done);
	if (!rf)
		return WARD_ENOMEM;
	rf->name = nm;
	st->stack[st->depth].name = nm;
	st->stack[st->depth].id[0] = st->stack[st->depth].id[1] = 0;
	st->depth++;
	int r = parse_text(c, nm, text, len);
	st->depth--;
	if (r == WARD_ENOMEM)
		return r;
	return c->errors > before ? WARD_ECONF : 0;
}

/* ---- conf-file= and conf-dir= ---- */

int conf_opt_conf_file(conf_ctx *x)
{
	x->c->conf_file_given = true;
	if (!x->has_value || x->len == 0)
		return 0; /* "--conf-file" alone: no default file, read nothing */
	const char *path;
	int r = conf_parse_path(x, false, &path);
	if (r)
		return r;
	if (x->cmdline && x->c->st->defer) {
		struct conf_pending *p = CONF_PUSH(x->c->st->pending);
		if (!p)
			return WARD_ENOMEM;
		p->def = x->def;
		p->optname = x->optname;
		p->argi = x->loc.line;
		p->val = strdup(path);
		return p->val ? 0 : WARD_ENOMEM;
	}
	return conf_include_file(x, path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, size_t n, const char *suf, size_t sn)
{
	return n >= sn && !memcmp(s + n - sn, suf, sn);
}

int conf_opt_conf_dir(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0 || x->f[0].len == 0)
		return conf_bad(x, "directory name is empty");
	if (x->cmdline && x->c->st->defer) {
		struct conf_pending *p = CONF_PUSH(x->c->st->pending);
		if (!p)
			return WARD_ENOMEM;
		p->def = x->def;
		p->optname = x->optname;
		p->argi = x->loc.line;
		p->val = malloc(x->len + 1);
		if (!p->val)
			return WARD_ENOMEM;
		/* keep the text as written (quotes are gone; the fields are
		 * plain) */
		size_t o = 0;
		for (size_t i = 0; i < x->nf; i++) {
			if (i)
				p->val[o++] = ',';
			memcpy(p->val + o, x->f[i].s, x->f[i].len);
			o += x->f[i].len;
		}
		p->val[o] = '\0';
		return 0;
	}
	/* copy what is needed: including reuses nothing of x, but keep the
	 * strings in the arena for the messages of nested files */
	const char *dir = conf_arena_strndup(x->c->arena, x->f[0].s, x->f[0].len);
	if (!dir)
		return WARD_ENOMEM;
	size_t next = x->nf - 1;
	const char **exts = next ? conf_arena_alloc(x->c->arena,
	                                            next * sizeof *exts) : NULL;
	bool *only = next ? conf_arena_alloc(x->c->arena, next) : NULL;
	bool any_only = false;
	if (next && (!exts || !only))
		return WARD_ENOMEM;
	for (size_t i = 0; i < next; i++) {
		const conf_field *f = &x->f[i + 1];
		if (f->len == 0 || (f->len == 1 && f->s[0] == '*'))
			return conf_bad(x, "extension %zu is empty", i + 1);
		only[i] = f->s[0] == '*';
		any_only |= only[i];
		exts[i] = conf_arena_strndup(x->c->arena, f->s + only[i],
		                             f->len - only[i]);
		if (!exts[i])
			return WARD_ENOMEM;
	}
	char **names = NULL;
	size_t n = 0;
	const char *why = NULL;
	r = x->c->io.list_dir(x->c->io.ctx, dir, &names, &n, &why);
	if (r) {
		if (r == WARD_ENOMEM)
			return r;
		return conf_bad(x, "cannot read directory '%s': %s",
		                conf_show(x, dir, strlen(dir)),
		                why ? why : ward_strerror(r));
	}
	qsort(names, n, sizeof *names, cmp_str);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		size_t nl = strlen(nm);
		bool skip = nl == 0 || nm[0] == '.' || nm[nl - 1] == '~' ||
		            (nl >= 2 && nm[0] == '#' && nm[nl - 1] == '#');
		bool matched_only = false;
		for (size_t k = 0; k < next && !skip; k++) {
			bool m = ends_with(nm, nl, exts[k], strlen(exts[k]));
			if (only[k])
				matched_only |= m;
			else if (m)
				skip = true;
		}
		if (any_only && !matched_only)
			skip = true;
		if (skip || ret == WARD_ENOMEM)
			continue;
		size_t dl = strlen(dir);
		char *path = malloc(dl + nl + 2);
		if (!path) {
			ret = WARD_ENOMEM;
			continue;
		}
		memcpy(path, dir, dl);
		size_t o = dl;
		if (dl && dir[dl - 1] != '/')
			path[o++] = '/';
		memcpy(path + o, nm, nl + 1);
		r = conf_include_file(x, path);
		free(path);
		if (r == WARD_ENOMEM)
			ret = r;
		else if (r && !ret)
			ret = r;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* ---- checks across options ---- */

int conf_finish(ward_conf *c)
{
	bool have_domain = false;
	for (size_t i = 0; i < c->domains.n; i++)
		if (c->domains.v[i].scope == CONF_DOMAIN_ALL)
			have_domain = true;
	for (size_t i = 0; i < c->srv_records.n; i++) {
		const conf_srv *s = &c->srv_records.v[i];
		if (s->relative && !have_domain)
			conf_diag_at(c, &s->loc, CONF_WARNING, 0, "srv-host",
			             "option 'srv-host': the name has no domain and "
			             "no domain= is set; it is used as written");
	}
	conf_dashboard_finish(c);
	/* encrypted DNS needs a certificate and its key (docs/encrypted-dns.md) */
	if (c->tls_port || c->https_port) {
		const conf_loc *at = c->tls_port ? &c->tls_port_loc
		                                 : &c->https_port_loc;
		const char *opt = c->tls_port ? "tls-port" : "https-port";
		if (!c->tls_certificate.s)
			conf_diag_at(c, at, CONF_ERROR, WARD_ECONFVAL, opt,
			             "option '%s': needs tls-certificate=FILE", opt);
		if (!c->tls_key.s)
			conf_diag_at(c, at, CONF_ERROR, WARD_ECONFVAL, opt,
			             "option '%s': needs tls-key=FILE", opt);
	} else if (c->tls_certificate.s || c->tls_key.s) {
		const conf_str *s = c->tls_certificate.s ? &c->tls_certificate
		                                         : &c->tls_key;
		conf_diag_at(c, &s->loc, CONF_WARNING, 0, c->tls_certificate.s ?
		             "tls-certificate" : "tls-key", "option '%s': unused "
		             "without tls-port= or https-port=",
		             c->tls_certificate.s ? "tls-certificate" : "tls-key");
	}
	return c->errors ? WARD_ECONF : 0;
}

