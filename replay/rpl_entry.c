/* ward replay: one ENTRY_BEGIN ... ENTRY_END block — MATCH, ADJUST, REPLY,
 * SECTION lines (records: rpl_record.c), HEX_ANSWER / HEX_EDNSDATA / RAW
 * bytes, EXTRA_PACKET; each packet is built (rpl_build.c) when it ends. */
#include <string.h>

#include "codec/base.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "replay/rpl_int.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A packet while its lines are read. */
struct pkt_state {
	rpl_packet pkt;
	bool do_flag;
	rpl_rr *rrs[4];
	size_t n[4], cap[4];
};

/* Hex data being collected (HEX_ANSWER_BEGIN, HEX_EDNSDATA_BEGIN, RAW). */
struct hex_state {
	size_t len;                /* octets in p->rdbuf */
	int half;                  /* pending high nibble, -1 none */
	unsigned start_line;
};

static int hex_append(rpl_parser *p, struct hex_state *h, rpl_slice line)
{
	char show[RPL_SHOW_MAX];
	for (size_t i = 0; i < line.n; i++) {
		char c = line.s[i];
		if (c == ';')
			break;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f')
			continue;
		int v = hex_digit_value(c);
		if (v < 0) {
			rpl_slice bad = { line.s + i, 1 };
			return rpl_fail(p, p->lineno, WARD_EHEX,
			                "bad character '%s' in hex data",
			                rpl_show(bad, show, sizeof show));
		}
		if (h->half < 0) {
			h->half = v;
			continue;
		}
		if (h->len >= RPL_PKT_MAX)
			return rpl_fail(p, p->lineno, WARD_ELIMIT,
			                "hex data longer than %u octets",
			                (unsigned)RPL_PKT_MAX);
		p->rdbuf[h->len++] = (uint8_t)(h->half << 4 | v);
		h->half = -1;
	}
	return 0;
}

static int hex_finish(rpl_parser *p, struct hex_state *h, const uint8_t **out,
                      size_t *outlen)
{
	if (h->half >= 0)
		return rpl_fail(p, p->lineno, WARD_EHEX,
		                "odd number of hex digits in the data that starts "
		                "at line %u", h->start_line);
	uint8_t *copy = rpl_arena_memdup(p->arena, p->rdbuf, h->len);
	if (!copy)
		return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
	*out = copy;
	*outlen = h->len;
	return 0;
}

/* "serial=N", "serial = N", "ede:any": the value after the keyword. */
static bool keyword_value(rpl_slice tok, size_t kwlen, rpl_slice *rest,
                          rpl_slice *val)
{
	rpl_slice v = { tok.s + kwlen, tok.n - kwlen };
	if (!v.n && !rpl_token(rest, &v))
		return false;
	if (v.s[0] != '=' && v.s[0] != ':')
		return false;
	v.s++;
	v.n--;
	if (!v.n && !rpl_token(rest, &v))
		return false;
	*val = v;
	return true;
}

static const struct { const char *word; uint32_t bit; } match_words[] = {
	{ "opcode", RPL_M_OPCODE }, { "qtype", RPL_M_QTYPE },
	{ "qname", RPL_M_QNAME }, { "qcase", RPL_M_QCASE },
	{ "subdomain", RPL_M_SUBDOMAIN }, { "rcode", RPL_M_RCODE },
	{ "flags", RPL_M_FLAGS }, { "question", RPL_M_QUESTION },
	{ "answer", RPL_M_ANSWER }, { "authority", RPL_M_AUTHORITY },
	{ "additional", RPL_M_ADDITIONAL }, { "all", RPL_M_ALL },
	{ "all_noedns", RPL_M_ALL_NOEDNS }, { "ttl", RPL_M_TTL },
	{ "DO", RPL_M_DO }, { "noedns", RPL_M_NOEDNS },
	{ "ednsdata", RPL_M_EDNSDATA }, { "client_cookie", RPL_M_CLIENT_COOKIE },
	{ "server_cookie", RPL_M_SERVER_COOKIE }, { "edns", RPL_M_EDNS },
	{ "nsid", RPL_M_NSID },
};

static int parse_match(rpl_parser *p, rpl_entry *e, rpl_slice rest)
{
	char show[RPL_SHOW_MAX];
	rpl_slice tok, val;
	while (rpl_token(&rest, &tok)) {
		bool done = false;
		for (size_t i = 0; i < NELEM(match_words); i++) {
			if (rpl_slice_casei(tok, match_words[i].word)) {
				uint32_t bit = match_words[i].bit;
				if (e->dialect == RPL_DIALECT_DECKARD && bit == RPL_M_ALL)
					bit = RPL_M_OPCODE | RPL_M_QTYPE | RPL_M_QNAME |
					      RPL_M_FLAGS | RPL_M_RCODE | RPL_M_ANSWER |
					      RPL_M_AUTHORITY | RPL_M_ADDITIONAL;
				else if (e->dialect == RPL_DIALECT_DECKARD &&
				         bit == RPL_M_QUESTION)
					bit = RPL_M_QTYPE | RPL_M_QNAME;
				e->match |= bit;
				done = true;
				break;
			}
		}
		if (done)
			continue;
		if (rpl_slice_casei(tok, "UDP")) {
			e->transport = RPL_TRANSPORT_UDP;
		} else if (rpl_slice_casei(tok, "TCP")) {
			e->transport = RPL_TRANSPORT_TCP;
		} else if (tok.n >= 6 && memcmp(tok.s, "serial", 6) == 0) {
			unsigned long v;
			if (!keyword_value(tok, 6, &rest, &val) ||
			    !rpl_parse_ulong(val, UINT32_MAX, &v))
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "MATCH serial needs =<number>");
			e->match |= RPL_M_SERIAL;
			e->serial = (uint32_t)v;
		} else if (tok.n >= 3 && memcmp(tok.s, "ede", 3) == 0 &&
		           (tok.n == 3 || tok.s[3] == '=' || tok.s[3] == ':')) {
			unsigned long v;
			if (!keyword_value(tok, 3, &rest, &val))
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "MATCH ede needs =<info-code> or =any");
			if (rpl_slice_is(val, "any")) {
				e->ede_any = true;
			} else if (rpl_parse_ulong(val, UINT16_MAX, &v)) {
				e->ede_code = (uint16_t)v;
			} else {
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "bad MATCH ede value '%s'",
				                rpl_show(val, show, sizeof show));
			}
			e->match |= RPL_M_EDE;
		} else {
			return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
			                "unknown MATCH keyword '%s'",
			                rpl_show(tok, show, sizeof show));
		}
	}
	return 0;
}

static const struct { const char *word; uint16_t rcode; } rcode_words[] = {
	{ "NOERROR", DNS_RCODE_NOERROR }, { "FORMERR", DNS_RCODE_FORMERR },
	{ "SERVFAIL", DNS_RCODE_SERVFAIL }, { "NXDOMAIN", DNS_RCODE_NXDOMAIN },
	{ "NOTIMPL", DNS_RCODE_NOTIMP }, { "NOTIMP", DNS_RCODE_NOTIMP },
	{ "REFUSED", DNS_RCODE_REFUSED }, { "YXDOMAIN", DNS_RCODE_YXDOMAIN },
	{ "YXRRSET", DNS_RCODE_YXRRSET }, { "NXRRSET", DNS_RCODE_NXRRSET },
	{ "NOTAUTH", DNS_RCODE_NOTAUTH }, { "NOTZONE", DNS_RCODE_NOTZONE },
	{ "BADVERS", DNS_RCODE_BADVERS }, { "BADSIG", 16 }, { "BADKEY", 17 },
	{ "BADTIME", 18 }, { "BADMODE", 19 }, { "BADNAME", 20 },
	{ "BADALG", 21 }, { "BADTRUNC", 22 }, { "BADCOOKIE", DNS_RCODE_BADCOOKIE },
};

static const struct { const char *word; uint16_t bit; } flag_words[] = {
	{ "QR", DNS_FLAG_QR }, { "AA", DNS_FLAG_AA }, { "TC", DNS_FLAG_TC },
	{ "RD", DNS_FLAG_RD }, { "RA", DNS_FLAG_RA }, { "AD", DNS_FLAG_AD },
	{ "CD", DNS_FLAG_CD },
};

static const struct { const char *word; unsigned opcode; } opcode_words[] = {
	{ "QUERY", DNS_OPCODE_QUERY }, { "IQUERY", DNS_OPCODE_IQUERY },
	{ "STATUS", DNS_OPCODE_STATUS }, { "NOTIFY", DNS_OPCODE_NOTIFY },
	{ "UPDATE", DNS_OPCODE_UPDATE },
};

static int parse_reply(rpl_parser *p, struct pkt_state *ps, rpl_slice rest)
{
	char show[RPL_SHOW_MAX];
	rpl_slice tok;
	while (rpl_token(&rest, &tok)) {
		bool done = false;
		for (size_t i = 0; !done && i < NELEM(rcode_words); i++) {
			if (rpl_slice_is(tok, rcode_words[i].word)) {
				ps->pkt.rcode = rcode_words[i].rcode;
				done = true;
			}
		}
		for (size_t i = 0; !done && i < NELEM(flag_words); i++) {
			if (rpl_slice_is(tok, flag_words[i].word)) {
				ps->pkt.flags |= flag_words[i].bit;
				done = true;
			}
		}
		for (size_t i = 0; !done && i < NELEM(opcode_words); i++) {
			if (rpl_slice_is(tok, opcode_words[i].word)) {
				ps->pkt.flags &= (uint16_t)~DNS_FLAGS_OPCODE(0xf);
				ps->pkt.flags |= DNS_FLAGS_OPCODE(opcode_words[i].opcode);
				done = true;
			}
		}
		if (done)
			continue;
		if (rpl_slice_is(tok, "DO")) {
			ps->do_flag = true;
			continue;
		}
		return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
		                "unknown REPLY keyword '%s'",
		                rpl_show(tok, show, sizeof show));
	}
	return 0;
}

static int parse_adjust(rpl_parser *p, rpl_entry *e, struct pkt_state *ps,
                        rpl_slice rest)
{
	char show[RPL_SHOW_MAX];
	rpl_slice tok, val;
	while (rpl_token(&rest, &tok)) {
		unsigned long v;
		if (rpl_slice_is(tok, "copy_id")) {
			e->adjust |= RPL_A_COPY_ID;
		} else if (rpl_slice_is(tok, "copy_query")) {
			e->adjust |= RPL_A_COPY_QUERY;
		} else if (rpl_slice_is(tok, "copy_ednsdata_assume_clientsubnet")) {
			e->adjust |= RPL_A_COPY_ECS;
		} else if (rpl_slice_is(tok, "increment_ecs_scope")) {
			e->adjust |= RPL_A_INC_ECS_SCOPE;
		} else if (rpl_slice_is(tok, "raw_id")) {
			e->adjust |= RPL_A_RAW_ID;
		} else if (rpl_slice_is(tok, "do_not_answer")) {
			e->adjust |= RPL_A_DO_NOT_ANSWER;
		} else if (rpl_slice_prefix(tok, "sleep")) {
			if (!keyword_value(tok, 5, &rest, &val) ||
			    !rpl_parse_ulong(val, UINT32_MAX, &v))
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "ADJUST sleep needs =<seconds>");
			e->sleep = (unsigned)v;
		} else if (rpl_slice_prefix(tok, "packet_sleep")) {
			if (!keyword_value(tok, 12, &rest, &val) ||
			    !rpl_parse_ulong(val, UINT32_MAX, &v))
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "ADJUST packet_sleep needs =<seconds>");
			ps->pkt.packet_sleep = (unsigned)v;
		} else {
			return rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
			                "unknown ADJUST keyword '%s'",
			                rpl_show(tok, show, sizeof show));
		}
	}
	return 0;
}

static int add_record(rpl_parser *p, struct pkt_state *ps, int section,
                      rpl_slice line)
{
	dns_rr rr;
	int r;
	if (section == DNS_SEC_QUESTION) {
		if (memmem(line.s, line.n, "${", 2))
			return rpl_fail(p, p->lineno, WARD_ENOTSUP,
			                "testbound macros (${...}) are not supported");
		r = rpl_parse_question(p, line, &rr);
	} else {
		r = rpl_parse_rr_line(p, line, &rr);
	}
	if (r < 0)
		return r;
	if (ps->n[section] >= UINT16_MAX)
		return rpl_fail(p, p->lineno, WARD_ELIMIT,
		                "more than 65535 records in a section");
	rpl_rr *slot = rpl_arena_push(p->arena, &ps->rrs[section],
	                              &ps->n[section], &ps->cap[section],
	                              sizeof *slot);
	if (!slot)
		return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
	slot->rr = rr;
	slot->line = p->lineno;
	slot->unchecked = r == 1;
	if (slot->unchecked)
		ps->pkt.unchecked = true;
	return 0;
}

/* Close the packet being read: EDNS defaults of the dialect, the records
 * into the arena, the message built. */
static int packet_finish(rpl_parser *p, struct pkt_state *ps, rpl_packet **pkts,
                         size_t *npkts, size_t *cap)
{
	rpl_packet *pkt = &ps->pkt;
	if (p->dialect == RPL_DIALECT_DECKARD) {
		pkt->edns = true;
		pkt->udp_size = RPL_DECKARD_EDNS_UDP;
	} else {
		pkt->edns = ps->do_flag || pkt->has_ednsdata;
		pkt->udp_size = RPL_TB_EDNS_UDP;
	}
	if (pkt->rcode > 15)
		pkt->edns = true;
	pkt->edns_flags = ps->do_flag ? EDNS_FLAG_DO : 0;
	for (int s = 0; s < 4; s++) {
		pkt->rrs[s] = ps->rrs[s];
		pkt->count[s] = ps->n[s];
	}
	if (pkt->has_ednsdata && edns_opts_check(pkt->ednsdata, pkt->ednsdata_len))
		return rpl_fail(p, pkt->line, WARD_EOPT,
		                "HEX_EDNSDATA is not a list of EDNS options");
	size_t len = 0;
	int r = rpl_packet_build(pkt, NULL, p->pktbuf, RPL_PKT_MAX, &len);
	if (r < 0)
		return rpl_fail(p, pkt->line, r,
		                "the entry's message cannot be built: %s",
		                ward_strerror(r));
	dns_msg m;
	r = dns_msg_parse(&m, p->pktbuf, len);
	if (r < 0 && !pkt->unchecked)
		return rpl_fail(p, pkt->line, r,
		                "the entry's message does not parse back: %s",
		                ward_strerror(r));
	pkt->wire = rpl_arena_memdup(p->arena, p->pktbuf, len);
	pkt->wire_len = len;
	rpl_packet *slot = rpl_arena_push(p->arena, pkts, npkts, cap, sizeof *slot);
	if (!pkt->wire || !slot)
		return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
	*slot = *pkt;
	return 0;
}

static void packet_start(struct pkt_state *ps, unsigned line)
{
	memset(ps, 0, sizeof *ps);
	ps->pkt.line = line;
}

static bool is_block_keyword(rpl_slice tok)
{
	return rpl_slice_is(tok, "RANGE_BEGIN") || rpl_slice_is(tok, "RANGE_END") ||
	       rpl_slice_is(tok, "STEP") || rpl_slice_is(tok, "SCENARIO_END") ||
	       rpl_slice_is(tok, "SCENARIO_BEGIN") || rpl_slice_is(tok, "CONFIG_END");
}

enum read_mode { MODE_LINES, MODE_HEX_ANSWER, MODE_HEX_EDNS, MODE_RAW };

int rpl_entry_parse(rpl_parser *p, rpl_entry *e)
{
	char show[RPL_SHOW_MAX];
	struct pkt_state ps;
	struct hex_state hex = { 0, -1, 0 };
	rpl_packet *pkts = NULL;
	size_t npkts = 0, cap = 0;
	int section = DNS_SEC_QUESTION;
	enum read_mode mode = MODE_LINES;
	bool have_match = false, have_adjust = false;
	rpl_slice line, tok;
	int r;

	memset(e, 0, sizeof *e);
	e->line = p->lineno;
	e->dialect = p->dialect;
	packet_start(&ps, p->lineno);

	while (rpl_next_line(p, &line)) {
		rpl_slice body = rpl_trim(line), rest = body;
		bool have_tok = rpl_token(&rest, &tok);

		if (mode == MODE_HEX_ANSWER || mode == MODE_HEX_EDNS) {
			const char *end = mode == MODE_HEX_ANSWER ? "HEX_ANSWER_END"
			                                          : "HEX_EDNSDATA_END";
			if (have_tok && rpl_slice_is(tok, end)) {
				const uint8_t *bytes;
				size_t n;
				if ((r = hex_finish(p, &hex, &bytes, &n)) < 0)
					return r;
				if (mode == MODE_HEX_ANSWER) {
					ps.pkt.raw = bytes;
					ps.pkt.raw_len = n;
					ps.pkt.has_raw = true;
				} else {
					if (n > UINT16_MAX)
						return rpl_fail(p, p->lineno, WARD_ELIMIT,
						                "HEX_EDNSDATA longer than 65535 octets");
					ps.pkt.ednsdata = bytes;
					ps.pkt.ednsdata_len = (uint16_t)n;
					ps.pkt.has_ednsdata = true;
				}
				mode = MODE_LINES;
				continue;
			}
			if (have_tok && (rpl_slice_is(tok, "ENTRY_END") ||
			                 is_block_keyword(tok)))
				return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
				                "%s before %s (hex data starts at line %u)",
				                rpl_show(tok, show, sizeof show), end,
				                hex.start_line);
			if ((r = hex_append(p, &hex, body)) < 0)
				return r;
			continue;
		}
		if (mode == MODE_RAW) {
			if (!have_tok || body.s[0] == ';')
				continue;
			body = rpl_strip_comment(body, false);
			hex = (struct hex_state){ 0, -1, p->lineno };
			if (!rpl_slice_is(body, "NULL") &&
			    (r = hex_append(p, &hex, body)) < 0)
				return r;
			if ((r = hex_finish(p, &hex, &ps.pkt.raw, &ps.pkt.raw_len)) < 0)
				return r;
			ps.pkt.has_raw = true;
			mode = MODE_LINES;
			continue;
		}

		if (!have_tok || body.s[0] == ';' || body.s[0] == '#')
			continue;
		if ((r = rpl_directive(p, body)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		if (rpl_slice_is(tok, "ENTRY_END")) {
			if ((r = packet_finish(p, &ps, &pkts, &npkts, &cap)) < 0)
				return r;
			e->pkts = pkts;
			e->npkts = npkts;
			if (e->dialect == RPL_DIALECT_DECKARD) {
				if (!have_match)
					e->match = RPL_M_OPCODE | RPL_M_QTYPE | RPL_M_QNAME;
				if (!have_adjust)
					e->adjust |= RPL_A_COPY_ID;
			}
			return 0;
		}
		r = 0;
		if (rpl_slice_is(tok, "MATCH")) {
			have_match = true;
			r = parse_match(p, e, rpl_strip_comment(rest, true));
		} else if (rpl_slice_is(tok, "REPLY") || rpl_slice_is(tok, "FLAGS")) {
			r = parse_reply(p, &ps, rpl_strip_comment(rest, true));
		} else if (rpl_slice_is(tok, "ADJUST")) {
			have_adjust = true;
			r = parse_adjust(p, e, &ps, rpl_strip_comment(rest, true));
		} else if (rpl_slice_is(tok, "EXTRA_PACKET")) {
			r = packet_finish(p, &ps, &pkts, &npkts, &cap);
			packet_start(&ps, p->lineno);
		} else if (rpl_slice_is(tok, "SECTION")) {
			rpl_slice which = rpl_strip_comment(rest, true);
			if (rpl_slice_is(which, "QUESTION"))
				section = DNS_SEC_QUESTION;
			else if (rpl_slice_is(which, "ANSWER"))
				section = DNS_SEC_ANSWER;
			else if (rpl_slice_is(which, "AUTHORITY"))
				section = DNS_SEC_AUTHORITY;
			else if (rpl_slice_is(which, "ADDITIONAL"))
				section = DNS_SEC_ADDITIONAL;
			else
				r = rpl_fail(p, p->lineno, WARD_ERPL_KEYWORD,
				             "bad section '%s'",
				             rpl_show(which, show, sizeof show));
		} else if (rpl_slice_is(tok, "HEX_ANSWER_BEGIN") ||
		           rpl_slice_is(tok, "HEX_EDNSDATA_BEGIN")) {
			bool answer = rpl_slice_is(tok, "HEX_ANSWER_BEGIN");
			if (answer ? ps.pkt.has_raw : ps.pkt.has_ednsdata)
				r = rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
				             "a second %s in one packet",
				             answer ? "HEX_ANSWER_BEGIN"
				                    : "HEX_EDNSDATA_BEGIN");
			hex = (struct hex_state){ 0, -1, p->lineno };
			mode = answer ? MODE_HEX_ANSWER : MODE_HEX_EDNS;
		} else if (rpl_slice_is(tok, "HEX_ANSWER_END") ||
		           rpl_slice_is(tok, "HEX_EDNSDATA_END")) {
			r = rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
			             "%s without its _BEGIN",
			             rpl_show(tok, show, sizeof show));
		} else if (rpl_slice_is(tok, "RAW")) {
			if (ps.pkt.has_raw)
				r = rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
				             "a second RAW in one entry");
			mode = MODE_RAW;
		} else if (rpl_slice_is(tok, "MANDATORY")) {
			e->mandatory = true;
		} else if (rpl_slice_is(tok, "TSIG")) {
			rpl_slice kn, sec, more = rpl_strip_comment(rest, false);
			if (!rpl_token(&more, &kn) || !rpl_token(&more, &sec) || more.n)
				return rpl_fail(p, p->lineno, WARD_ESYNTAX,
				                "TSIG takes a key name and a secret");
			e->tsig_name = rpl_arena_strndup(p->arena, kn.s, kn.n);
			e->tsig_secret = rpl_arena_strndup(p->arena, sec.s, sec.n);
			if (!e->tsig_name || !e->tsig_secret)
				return rpl_fail(p, p->lineno, WARD_ENOMEM, "out of memory");
		} else if (rpl_slice_is(tok, "ENTRY_BEGIN") || is_block_keyword(tok)) {
			r = rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
			             "%s inside the entry that starts at line %u "
			             "(missing ENTRY_END?)",
			             rpl_show(tok, show, sizeof show), e->line);
		} else {
			r = add_record(p, &ps, section, body);
		}
		if (r < 0)
			return r;
	}
	if (mode == MODE_HEX_ANSWER || mode == MODE_HEX_EDNS)
		return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
		                "end of file in hex data that starts at line %u",
		                hex.start_line);
	return rpl_fail(p, p->lineno, WARD_ERPL_NESTING,
	                "end of file in the entry that starts at line %u "
	                "(missing ENTRY_END)", e->line);
}
