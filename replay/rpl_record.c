/* ward replay: the records of an entry in zone-file text (with testbound's
 * leniencies), questions, and the $ORIGIN / $TTL lines testbound keeps for
 * the whole file. */
#include <stdio.h>
#include <string.h>

#include "codec/error.h"
#include "codec/zone.h"
#include "replay/rpl_int.h"

int rpl_directive(rpl_parser *p, rpl_slice line)
{
	char show[RPL_SHOW_MAX];
	rpl_slice rest = rpl_strip_comment(line, false), tok, arg;
	if (!rpl_token(&rest, &tok))
		return 0;
	bool origin = rpl_slice_is(tok, "$ORIGIN");
	if (!origin && !rpl_slice_is(tok, "$TTL"))
		return 0;
	if (!rpl_token(&rest, &arg) || rest.n)
		return rpl_fail(p, p->lineno, WARD_EDIRECTIVE,
		                "%s takes exactly one argument",
		                origin ? "$ORIGIN" : "$TTL");
	if (origin) {
		dns_name root, n;
		dns_name_root(&root);
		int r = dns_name_from_text(&n, arg.s, arg.n, &root);
		if (r < 0)
			return rpl_fail(p, p->lineno, r, "bad $ORIGIN '%s': %s",
			                rpl_show(arg, show, sizeof show),
			                ward_strerror(r));
		p->origin = n;
	} else {
		uint32_t ttl;
		int r = zone_ttl_from_text(arg.s, arg.n, &ttl);
		if (r < 0)
			return rpl_fail(p, p->lineno, r, "bad $TTL '%s'",
			                rpl_show(arg, show, sizeof show));
		p->default_ttl = ttl;
	}
	return 1;
}

/* "name [ttl] [class] type" (the type last; ttl and class in any order). */
int rpl_parse_question(rpl_parser *p, rpl_slice line, dns_rr *rr)
{
	char show[RPL_SHOW_MAX];
	rpl_slice rest = rpl_strip_comment(line, false), tok[6];
	size_t nt = 0;
	while (nt < 6 && rpl_token(&rest, &tok[nt]))
		nt++;
	if (rest.n || nt < 2 || nt > 4)
		return rpl_fail(p, p->lineno, WARD_ESYNTAX,
		                "a question is 'name [class] type'");
	memset(rr, 0, sizeof *rr);
	int r = dns_name_from_text(&rr->owner, tok[0].s, tok[0].n, &p->origin);
	if (r < 0)
		return rpl_fail(p, p->lineno, r, "bad name '%s': %s",
		                rpl_show(tok[0], show, sizeof show),
		                ward_strerror(r));
	r = dns_type_from_text(tok[nt - 1].s, tok[nt - 1].n, &rr->type);
	if (r < 0)
		return rpl_fail(p, p->lineno, r, "unknown RR type '%s'",
		                rpl_show(tok[nt - 1], show, sizeof show));
	rr->rclass = DNS_C_IN;
	bool have_class = false, have_ttl = false;
	for (size_t i = 1; i + 1 < nt; i++) {
		unsigned long ttl;
		if (!have_ttl && rpl_parse_ulong(tok[i], UINT32_MAX, &ttl)) {
			have_ttl = true;
		} else if (!have_class &&
		           dns_class_from_text(tok[i].s, tok[i].n, &rr->rclass) >= 0) {
			have_class = true;
		} else {
			return rpl_fail(p, p->lineno, WARD_ESYNTAX,
			                "unexpected '%s' in a question",
			                rpl_show(tok[i], show, sizeof show));
		}
	}
	return 0;
}

/* One zone-file record from text[0..n): 0 with the rdata in p->rdbuf, or a
 * negative ward_err with the zone parser's "file:line: message" in msg. */
static int zone_line(rpl_parser *p, const char *text, size_t n, dns_rr *rr,
                     char msg[ZONE_ERRMSG_MAX])
{
	zone_parser zp;
	zone_parser_init(&zp, text, n, &p->origin, p->default_ttl, p->name);
	zone_parser_set_line(&zp, p->lineno);
	int r = zone_parser_next(&zp, rr, p->rdbuf, DNS_RDATA_MAX + 1);
	if (r < 0) {
		memcpy(msg, zp.errmsg, ZONE_ERRMSG_MAX);
	} else if (r == 0) {
		r = WARD_ESYNTAX;
		snprintf(msg, ZONE_ERRMSG_MAX, "%s:%u: no record on the line",
		         p->name, p->lineno);
	} else {
		dns_rr extra;
		uint8_t none[1];
		r = zone_parser_next(&zp, &extra, none, 0) == 0 ? 0 : WARD_ETRAILING;
		if (r < 0)
			snprintf(msg, ZONE_ERRMSG_MAX,
			         "%s:%u: more than one record on the line", p->name,
			         p->lineno);
	}
	zone_parser_free(&zp);
	return r;
}

/* Where the type token of a record line is ("owner [ttl] [class] type"). */
static bool find_type(rpl_slice line, rpl_slice *type_tok, uint16_t *type)
{
	rpl_slice rest = line, tok;
	if (!rpl_token(&rest, &tok)) /* owner */
		return false;
	for (int i = 0; i < 3 && rpl_token(&rest, &tok); i++) {
		uint16_t v;
		if (tok.s[0] >= '0' && tok.s[0] <= '9')
			continue;
		if (dns_type_from_text(tok.s, tok.n, type) >= 0) {
			*type_tok = tok;
			return true;
		}
		if (dns_class_from_text(tok.s, tok.n, &v) < 0)
			return false;
	}
	return false;
}

/* The last rdata field of these types is base64 (or hex): ldns accepts it
 * empty, testbound scenarios use that for broken signatures. */
static int empty_last_field(uint16_t type)
{
	switch (type) {
	case DNS_T_RRSIG: case DNS_T_SIG: case DNS_T_DNSKEY: case DNS_T_KEY:
	case DNS_T_CDNSKEY:
		return 'b';
	case DNS_T_DS: case DNS_T_CDS: case DNS_T_DLV: case DNS_T_TLSA:
	case DNS_T_SMIMEA: case DNS_T_SSHFP:
		return 'h';
	default:
		return 0;
	}
}

/* Retry a record with text[0..n) in place of the line. */
static int retry(rpl_parser *p, const char *text, size_t n, dns_rr *rr)
{
	char msg[ZONE_ERRMSG_MAX];
	return zone_line(p, text, n, rr, msg);
}

/* testbound (ldns) takes some rdata the codec refuses, and scenarios use
 * that to send broken records on purpose:
 *  - the RFC 3597 form "\# len hex" whatever the type's layout says;
 *  - an empty last base64/hex field (a signature left out);
 *  - base64 without its '=' padding.
 * Retry those with the rdata taken as written; 1 when that worked (the
 * record is then marked unchecked), else err. */
static int parse_lenient(rpl_parser *p, rpl_slice line, int err, dns_rr *rr)
{
	rpl_slice tt;
	uint16_t type;
	if (!find_type(line, &tt, &type))
		return err;
	rpl_slice rd = { tt.s + tt.n, (size_t)(line.s + line.n - tt.s - tt.n) };
	rd = rpl_trim(rd);
	int kind = empty_last_field(type);
	bool generic = rd.n >= 2 && rd.s[0] == '\\' && rd.s[1] == '#';
	bool empty = err == WARD_EMISSING && kind;
	bool unpadded = err == WARD_EBASE64 && kind == 'b';
	if (!generic && !empty && !unpadded)
		return err;
	rpl_slice body = rpl_strip_comment(line, false);
	const char *tt_end = tt.s + tt.n, *body_end = body.s + body.n;
	if (tt_end > body_end)
		return err;
	size_t cap = body.n + 16;
	char *text = rpl_arena_alloc(p->arena, cap);
	if (!text)
		return WARD_ENOMEM;
	int n;
	if (generic) { /* the same line with an unknown type: opaque rdata */
		n = snprintf(text, cap, "%.*s%s%.*s", (int)(tt.s - body.s), body.s,
		             "TYPE65534", (int)(body_end - tt_end), tt_end);
		if (n < 0 || (size_t)n >= cap || retry(p, text, (size_t)n, rr) < 0)
			return err;
	} else if (empty) { /* one filler octet in the empty last field */
		n = snprintf(text, cap, "%.*s%s", (int)body.n, body.s,
		             kind == 'b' ? " AA==" : " 00");
		if (n < 0 || (size_t)n >= cap || retry(p, text, (size_t)n, rr) < 0 ||
		    !rr->rdlen)
			return err;
		rr->rdlen--;
	} else { /* the padding the base64 is missing */
		n = snprintf(text, cap, "%.*s=", (int)body.n, body.s);
		if (n < 0 || (size_t)n >= cap)
			return err;
		if (retry(p, text, (size_t)n, rr) < 0) {
			n = snprintf(text, cap, "%.*s==", (int)body.n, body.s);
			if (n < 0 || (size_t)n >= cap ||
			    retry(p, text, (size_t)n, rr) < 0)
				return err;
		}
	}
	rr->type = type;
	return 1;
}

/* One record in zone-file syntax, with the file's $ORIGIN and $TTL; the
 * rdata is left in p->rdbuf. 0, 1 (taken unchecked) or an error. */
static int parse_record(rpl_parser *p, rpl_slice line, dns_rr *rr)
{
	char msg[ZONE_ERRMSG_MAX];
	int r = zone_line(p, line.s, line.n, rr, msg);
	if (r < 0) {
		int r2 = parse_lenient(p, line, r, rr);
		if (r2 > 0) {
			r = 1;
		} else {
			if (p->err && p->err->code == 0) {
				p->err->code = r;
				p->err->line = p->lineno;
				snprintf(p->err->msg, sizeof p->err->msg, "%s", msg);
			}
			return r;
		}
	}
	if (rr->type == DNS_T_OPT)
		r = rpl_fail(p, p->lineno, WARD_EINVAL,
		             "OPT records are written as REPLY DO or "
		             "HEX_EDNSDATA_BEGIN, not in a section");
	return r;
}

int rpl_parse_rr_line(rpl_parser *p, rpl_slice line, dns_rr *rr)
{
	if (memmem(line.s, line.n, "${", 2))
		return rpl_fail(p, p->lineno, WARD_ENOTSUP,
		                "testbound macros (${...}) are not supported");
	int r = parse_record(p, line, rr);
	if (r < 0)
		return r;
	int unchecked = r;
	if (rr->rdlen) {
		rr->rdata = rpl_arena_memdup(p->arena, rr->rdata, rr->rdlen);
		if (!rr->rdata)
			return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
	} else {
		rr->rdata = NULL;
	}
	return unchecked;
}
