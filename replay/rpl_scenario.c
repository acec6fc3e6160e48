/* ward replay: loading a scenario — the file, SCENARIO_BEGIN/END, RANGE
 * blocks and STEP lines (entries: rpl_entry.c, configuration:
 * rpl_config.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "replay/rpl_int.h"

static int oom(rpl_parser *p)
{
	return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
}

/* A comment or blank line of the scenario part. */
static bool skip_line(rpl_slice line)
{
	rpl_slice t = rpl_trim(line);
	return !t.n || t.s[0] == ';';
}

static int parse_range(rpl_parser *p, rpl_slice rest, rpl_range *rg)
{
	char show[RPL_SHOW_MAX];
	rpl_slice a, b, tok, line;
	unsigned long first, last;
	size_t capaddr = 0, capent = 0;
	int r;

	rg->line = p->lineno;
	rest = rpl_strip_comment(rest, false);
	if (!rpl_token(&rest, &a) || !rpl_token(&rest, &b) ||
	    !rpl_parse_ulong(a, LONG_MAX, &first) ||
	    !rpl_parse_ulong(b, LONG_MAX, &last))
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "RANGE_BEGIN needs the first and last step");
	if (first > last)
		return rpl_fail(p, p->lineno, WARD_ERANGE,
		                "RANGE_BEGIN %lu %lu: first step after the last",
		                first, last);
	rg->first = (long)first;
	rg->last = (long)last;
	if (rpl_token(&rest, &tok)) { /* Deckard: RANGE_BEGIN a b address */
		rpl_addr *ad = rpl_arena_push(p->arena, &rg->addrs, &rg->naddrs,
		                              &capaddr, sizeof *ad);
		if (!ad)
			return oom(p);
		if (rest.n || rpl_addr_parse(tok.s, tok.n, ad) < 0)
			return rpl_fail(p, p->lineno, WARD_EADDR,
			                "bad address '%s' after RANGE_BEGIN",
			                rpl_show(tok, show, sizeof show));
	}
	while (rpl_next_line(p, &line)) {
		if (skip_line(line))
			continue;
		if ((r = rpl_directive(p, rpl_trim(line))) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		rest = rpl_strip_comment(line, false);
		rpl_token(&rest, &tok);
		if (rpl_slice_is(tok, "RANGE_END"))
			return 0;
		if (rpl_slice_is(tok, "ADDRESS")) {
			rpl_slice arg = rpl_trim(rest), ip;
			rpl_addr *ad = rpl_arena_push(p->arena, &rg->addrs,
			                              &rg->naddrs, &capaddr, sizeof *ad);
			if (!ad)
				return oom(p);
			if (!rpl_token(&rest, &ip) || rest.n ||
			    rpl_addr_parse(ip.s, ip.n, ad) < 0)
				return rpl_fail(p, p->lineno, WARD_EADDR,
				                "bad ADDRESS '%s'",
				                rpl_show(arg, show, sizeof show));
			continue;
		}
		if (rpl_slice_is(tok, "ENTRY_BEGIN")) {
			rpl_entry *e = rpl_arena_push(p->arena, &rg->entries,
			                              &rg->nentries, &capent, sizeof *e);
			if (!e)
				return oom(p);
			if ((r = rpl_entry_parse(p, e)) < 0)
				return r;
			continue;
		}
		return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
		                "expected ENTRY_BEGIN, ADDRESS or RANGE_END in the "
		                "range of line %u, got '%s'", rg->line,
		                rpl_show(tok, show, sizeof show));
	}
	return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
	                "end of file in the range that starts at line %u "
	                "(missing RANGE_END)", rg->line);
}

static const struct {
	const char *word;
	enum rpl_step_type type;
	bool entry;
} step_words[] = {
	{ "NOTHING", RPL_STEP_NOTHING, false },
	{ "QUERY", RPL_STEP_QUERY, true },
	{ "CHECK_ANSWER", RPL_STEP_CHECK_ANSWER, true },
	{ "CHECK_OUT_QUERY", RPL_STEP_CHECK_OUT_QUERY, true },
	{ "REPLY", RPL_STEP_REPLY, true },
	{ "TIMEOUT", RPL_STEP_TIMEOUT, false },
	{ "TIME_PASSES", RPL_STEP_TIME_PASSES, false },
	{ "TRAFFIC", RPL_STEP_TRAFFIC, false },
	{ "ERROR", RPL_STEP_ERROR, false },
	{ "ASSIGN", RPL_STEP_ASSIGN, false },
	{ "INFRA_RTT", RPL_STEP_INFRA_RTT, false },
	{ "CHECK_AUTOTRUST", RPL_STEP_CHECK_AUTOTRUST, false },
	{ "CHECK_TEMPFILE", RPL_STEP_CHECK_TEMPFILE, false },
	{ "FLUSH_MESSAGE", RPL_STEP_FLUSH_MESSAGE, false },
	{ "EXPIRE_MESSAGE", RPL_STEP_EXPIRE_MESSAGE, false },
};

const char *rpl_step_type_name(enum rpl_step_type t)
{
	for (size_t i = 0; i < sizeof step_words / sizeof step_words[0]; i++)
		if (step_words[i].type == t)
			return step_words[i].word;
	return "?";
}

/* Seconds with an optional fraction ("1800", "0.05") as microseconds. */
static bool parse_elapse(rpl_slice s, int64_t *us)
{
	const char *dot = memchr(s.s, '.', s.n);
	rpl_slice ip = { s.s, dot ? (size_t)(dot - s.s) : s.n };
	unsigned long sec = 0, frac = 0;
	if (ip.n && !rpl_parse_ulong(ip, 1000000000ul, &sec))
		return false;
	if (dot) {
		rpl_slice fp = { dot + 1, s.n - ip.n - 1 };
		if (!ip.n && !fp.n)
			return false;
		unsigned long scale = 100000;
		for (size_t i = 0; i < fp.n; i++) {
			char c = fp.s[i];
			if (c < '0' || c > '9')
				return false;
			frac += (unsigned long)(c - '0') * scale;
			scale /= 10;
		}
	} else if (!ip.n) {
		return false;
	}
	*us = (int64_t)sec * 1000000 + (int64_t)frac;
	return true;
}

/* FILE_BEGIN ... FILE_END lines of CHECK_AUTOTRUST / CHECK_TEMPFILE. */
static int parse_file_lines(rpl_parser *p, rpl_step *st)
{
	rpl_slice line, tok;
	size_t cap = 0;
	unsigned first = p->lineno;
	while (rpl_next_line(p, &line) && skip_line(line))
		;
	rpl_slice rest = line;
	if (p->lineno == first || !rpl_token(&rest, &tok) ||
	    !rpl_slice_is(tok, "FILE_BEGIN"))
		return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
		                "FILE_BEGIN expected after %s",
		                rpl_step_type_name(st->type));
	while (rpl_next_line(p, &line)) {
		rest = line;
		if (rpl_token(&rest, &tok) && rpl_slice_is(tok, "FILE_END")) {
			return 0;
		}
		const char **slot = rpl_arena_push(p->arena, &st->lines, &st->nlines,
		                                   &cap, sizeof *slot);
		if (!slot || !(*slot = rpl_arena_strndup(p->arena, line.s, line.n)))
			return oom(p);
	}
	return rpl_fail(p, first, WARD_ERPL_NESTING, "FILE_BEGIN without FILE_END");
}

static int parse_step(rpl_parser *p, rpl_slice rest, rpl_step *st)
{
	char show[RPL_SHOW_MAX];
	rpl_slice num, word, tok, line;
	unsigned long n;
	size_t w;
	int r;

	st->line = p->lineno;
	if (!rpl_token(&rest, &num) || !rpl_parse_ulong(num, LONG_MAX, &n))
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "STEP needs a step number");
	st->number = (long)n;
	if (!rpl_token(&rest, &word))
		return rpl_fail(p, p->lineno, WARD_ESYNTAX, "STEP %lu has no type", n);
	for (w = 0; w < sizeof step_words / sizeof step_words[0]; w++)
		if (rpl_slice_is(word, step_words[w].word))
			break;
	if (w == sizeof step_words / sizeof step_words[0])
		return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
		                "unknown step type '%s'",
		                rpl_show(word, show, sizeof show));
	st->type = step_words[w].type;

	switch (st->type) {
	case RPL_STEP_QUERY:
		if (p->dialect == RPL_DIALECT_TESTBOUND) {
			/* testbound's client address unless ADDRESS says */
			rpl_addr_parse("127.0.0.1", 9, &st->addr);
			st->has_addr = true;
		}
		break;
	case RPL_STEP_TIME_PASSES: {
		rpl_slice save = rest;
		if (rpl_token(&rest, &tok) && rpl_slice_is(tok, "EVAL")) {
			rpl_slice ex = rpl_trim(rest);
			if (!ex.n)
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "TIME_PASSES EVAL needs an expression");
			st->eval = rpl_arena_strndup(p->arena, ex.s, ex.n);
			return st->eval ? 0 : oom(p);
		}
		rest = save;
		break;
	}
	case RPL_STEP_ASSIGN: {
		rpl_slice var, eq;
		rest = rpl_trim(rest);
		if (!rpl_token(&rest, &var) || !rpl_token(&rest, &eq) ||
		    !rpl_slice_is(eq, "=") || !rpl_trim(rest).n)
			return rpl_fail(p, p->lineno, WARD_ESYNTAX,
			                "ASSIGN is 'ASSIGN name = expression'");
		rest = rpl_trim(rest);
		st->var = rpl_arena_strndup(p->arena, var.s, var.n);
		st->value = rpl_arena_strndup(p->arena, rest.s, rest.n);
		return st->var && st->value ? 0 : oom(p);
	}
	case RPL_STEP_INFRA_RTT: {
		rpl_slice ip;
		if (!rpl_token(&rest, &ip) ||
		    rpl_addr_parse(ip.s, ip.n, &st->addr) < 0)
			return rpl_fail(p, p->lineno, WARD_EADDR,
			                "INFRA_RTT needs an address, a zone and a rtt");
		st->has_addr = true;
		rest = rpl_strip_comment(rest, false);
		if (!rest.n)
			return rpl_fail(p, p->lineno, WARD_ESYNTAX,
			                "INFRA_RTT needs a zone and a rtt");
		st->value = rpl_arena_strndup(p->arena, rest.s, rest.n);
		return st->value ? 0 : oom(p);
	}
	case RPL_STEP_FLUSH_MESSAGE:
	case RPL_STEP_EXPIRE_MESSAGE:
		rest = rpl_strip_comment(rest, false);
		if (!rest.n)
			return rpl_fail(p, p->lineno, WARD_ESYNTAX,
			                "%s needs 'name type class'",
			                rpl_step_type_name(st->type));
		st->value = rpl_arena_strndup(p->arena, rest.s, rest.n);
		return st->value ? 0 : oom(p);
	case RPL_STEP_CHECK_AUTOTRUST:
	case RPL_STEP_CHECK_TEMPFILE:
		rest = rpl_strip_comment(rest, false);
		if (!rest.n)
			return rpl_fail(p, p->lineno, WARD_ESYNTAX, "%s needs a name",
			                rpl_step_type_name(st->type));
		st->id = rpl_arena_strndup(p->arena, rest.s, rest.n);
		if (!st->id)
			return oom(p);
		return parse_file_lines(p, st);
	default:
		break;
	}

	/* [ADDRESS ip] [ELAPSE seconds], in testbound's order */
	rest = rpl_strip_comment(rest, false);
	while (rpl_token(&rest, &tok)) {
		rpl_slice arg;
		if (rpl_slice_is(tok, "ADDRESS") && rpl_token(&rest, &arg)) {
			if (rpl_addr_parse(arg.s, arg.n, &st->addr) < 0)
				return rpl_fail(p, p->lineno, WARD_EADDR,
				                "bad ADDRESS '%s'",
				                rpl_show(arg, show, sizeof show));
			st->has_addr = true;
		} else if (rpl_slice_is(tok, "ELAPSE") && rpl_token(&rest, &arg)) {
			if (!parse_elapse(arg, &st->elapse_us))
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "bad ELAPSE '%s'",
				                rpl_show(arg, show, sizeof show));
		} else {
			return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
			                "unexpected '%s' on the STEP line",
			                rpl_show(tok, show, sizeof show));
		}
	}
	if (!step_words[w].entry)
		return 0;
	/* the entry follows (comments and $ORIGIN may come between) */
	while (rpl_next_line(p, &line)) {
		if (skip_line(line))
			continue;
		if ((r = rpl_directive(p, rpl_trim(line))) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		rest = line;
		rpl_token(&rest, &tok);
		if (rpl_slice_is(tok, "ENTRY_BEGIN")) {
			rpl_entry *e = rpl_arena_alloc(p->arena, sizeof *e);
			if (!e)
				return oom(p);
			st->entry = e;
			return rpl_entry_parse(p, e);
		}
		if (p->dialect == RPL_DIALECT_DECKARD) {
			rpl_unread_line(p); /* Deckard: the entry is optional */
			return 0;
		}
		return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
		                "STEP %ld %s: expected ENTRY_BEGIN, got '%s'",
		                st->number, step_words[w].word,
		                rpl_show(tok, show, sizeof show));
	}
	if (p->dialect == RPL_DIALECT_DECKARD)
		return 0;
	return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
	                "end of file: STEP %ld %s has no entry", st->number,
	                step_words[w].word);
}

static int parse_scenario(rpl_parser *p, rpl_scenario *s)
{
	char show[RPL_SHOW_MAX];
	rpl_slice line, rest, tok;
	rpl_range *ranges = NULL;
	rpl_step *steps = NULL;
	size_t capr = 0, caps = 0;
	bool begun = false;
	int r;

	if ((r = rpl_config_parse(p, &s->config)) < 0)
		return r;
	s->dialect = p->dialect;
	while (rpl_next_line(p, &line)) {
		if (skip_line(line))
			continue;
		if ((r = rpl_directive(p, rpl_trim(line))) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		rest = line;
		rpl_token(&rest, &tok);
		if (!begun) {
			if (!rpl_slice_is(tok, "SCENARIO_BEGIN"))
				return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
				                "expected SCENARIO_BEGIN, got '%s'",
				                rpl_show(tok, show, sizeof show));
			rest = rpl_trim(rest);
			s->title = rpl_arena_strndup(p->arena, rest.s, rest.n);
			if (!s->title)
				return oom(p);
			begun = true;
		} else if (rpl_slice_is(tok, "RANGE_BEGIN")) {
			rpl_range *rg = rpl_arena_push(p->arena, &ranges, &s->nranges,
			                               &capr, sizeof *rg);
			if (!rg)
				return oom(p);
			s->ranges = ranges;
			if ((r = parse_range(p, rest, rg)) < 0)
				return r;
		} else if (rpl_slice_is(tok, "STEP")) {
			rpl_step *st = rpl_arena_push(p->arena, &steps, &s->nsteps,
			                              &caps, sizeof *st);
			if (!st)
				return oom(p);
			s->steps = steps;
			if ((r = parse_step(p, rest, st)) < 0)
				return r;
			if (s->nsteps > 1 && steps[s->nsteps - 2].number >= st->number)
				return rpl_fail(p, st->line, WARD_ERPL_STEPORDER,
				                "STEP %ld after STEP %ld: step numbers "
				                "must increase", st->number,
				                steps[s->nsteps - 2].number);
		} else if (rpl_slice_is(tok, "SCENARIO_END")) {
			return 0;
		} else if (rpl_slice_is(tok, "RANGE_END")) {
			/* a stray RANGE_END: testbound skips lines it does not
			 * know between blocks, and iter_failreply.rpl has one */
			continue;
		} else {
			return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
			                "unexpected '%s' in the scenario (expected "
			                "RANGE_BEGIN, STEP or SCENARIO_END)",
			                rpl_show(tok, show, sizeof show));
		}
	}
	return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
	                begun ? "end of file before SCENARIO_END"
	                      : "no SCENARIO_BEGIN");
}

rpl_scenario *rpl_load_buffer_dialect(const char *text, size_t len,
                                      const char *name,
                                      enum rpl_dialect dialect,
                                      rpl_error *err)
{
	rpl_error local;
	rpl_parser p;
	if (!err)
		err = &local;
	memset(err, 0, sizeof *err);
	memset(&p, 0, sizeof p);
	p.name = name ? name : "(buffer)";
	p.err = err;
	if (!text && len) {
		rpl_fail(&p, 0, WARD_EINVAL, "no text");
		return NULL;
	}
	if (len > RPL_FILE_MAX) {
		rpl_fail(&p, 0, WARD_ELIMIT, "larger than %u octets",
		         (unsigned)RPL_FILE_MAX);
		return NULL;
	}
	rpl_arena *arena = malloc(sizeof *arena);
	if (!arena) {
		rpl_fail(&p, 0, WARD_ENOMEM, "out of memory");
		return NULL;
	}
	rpl_arena_init(arena);
	rpl_scenario *s = rpl_arena_alloc(arena, sizeof *s);
	p.arena = arena;
	p.text = text ? text : "";
	p.len = len;
	p.dialect = dialect;
	p.default_ttl = RPL_DEFAULT_TTL;
	dns_name_root(&p.origin);
	p.rdbuf = rpl_arena_alloc(arena, DNS_RDATA_MAX + 1);
	p.pktbuf = rpl_arena_alloc(arena, RPL_PKT_MAX);
	if (!s || !p.rdbuf || !p.pktbuf ||
	    !(s->name = rpl_arena_strndup(arena, p.name, strlen(p.name)))) {
		rpl_fail(&p, 0, WARD_ENOMEM, "out of memory");
		rpl_arena_free(arena);
		free(arena);
		return NULL;
	}
	s->arena = arena;
	if (parse_scenario(&p, s) < 0) {
		rpl_arena_free(arena);
		free(arena);
		return NULL;
	}
	return s;
}

rpl_scenario *rpl_load_buffer(const char *text, size_t len, const char *name,
                              rpl_error *err)
{
	return rpl_load_buffer_dialect(text, len, name, RPL_DIALECT_AUTO, err);
}

rpl_scenario *rpl_load_file(const char *path, rpl_error *err)
{
	rpl_error local;
	if (!err)
		err = &local;
	memset(err, 0, sizeof *err);
	FILE *f = fopen(path, "rb");
	if (!f) {
		err->code = WARD_EIO;
		snprintf(err->msg, sizeof err->msg, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len < cap)
			break;
		if (cap > RPL_FILE_MAX) {
			free(buf);
			fclose(f);
			err->code = WARD_ELIMIT;
			snprintf(err->msg, sizeof err->msg,
			         "%s: larger than %u octets", path,
			         (unsigned)RPL_FILE_MAX);
			return NULL;
		}
		char *nb = realloc(buf, cap * 2);
		if (!nb)
			free(buf);
		buf = nb;
		cap *= 2;
	}
	bool ioerr = ferror(f) != 0;
	fclose(f);
	if (!buf || ioerr) {
		free(buf);
		err->code = buf ? WARD_EIO : WARD_ENOMEM;
		snprintf(err->msg, sizeof err->msg, "%s: %s", path,
		         buf ? "read error" : "out of memory");
		return NULL;
	}
	rpl_scenario *s = rpl_load_buffer(buf, len, path, err);
	free(buf);
	return s;
}

void rpl_free(rpl_scenario *s)
{
	if (!s)
		return;
	rpl_arena *a = s->arena;
	rpl_arena_free(a);
	free(a);
}

const rpl_step *rpl_step_find(const rpl_scenario *s, long number)
{
	size_t lo = 0, hi = s->nsteps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->steps[mid].number == number)
			return &s->steps[mid];
		if (s->steps[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const rpl_step *rpl_step_next(const rpl_scenario *s, size_t *i)
{
	if (*i >= s->nsteps)
		return NULL;
	return &s->steps[(*i)++];
}
