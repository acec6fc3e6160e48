/* ward: a DNS message as one JSON object in the style of RFC 8427
 * ("Representing DNS Messages in JSON"). Every string is escaped per
 * RFC 8259 §7; names and rdata come from the presentation-format printers,
 * which already turn non-printable octets into \DDD. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edns.h"
#include "msg.h"

/* JSON string body: '"', '\\' and controls escaped; valid UTF-8 kept; when
 * the bytes are not valid UTF-8 the octets >= 0x80 become \DDD text. */
static void json_put_text(strbuf *sb, const uint8_t *p, size_t n)
{
	bool utf8 = edns_utf8_valid(p, n);
	for (size_t i = 0; i < n && !sb->err; i++) {
		uint8_t c = p[i];
		switch (c) {
		case '"': strbuf_puts(sb, "\\\""); continue;
		case '\\': strbuf_puts(sb, "\\\\"); continue;
		case '\n': strbuf_puts(sb, "\\n"); continue;
		case '\r': strbuf_puts(sb, "\\r"); continue;
		case '\t': strbuf_puts(sb, "\\t"); continue;
		case '\b': strbuf_puts(sb, "\\b"); continue;
		case '\f': strbuf_puts(sb, "\\f"); continue;
		}
		if (c < 0x20 || c == 0x7f)
			strbuf_printf(sb, "\\u%04x", c);
		else if (c >= 0x80 && !utf8)
			strbuf_printf(sb, "\\\\%03u", c);
		else
			strbuf_putc(sb, (char)c);
	}
}

static void json_str(strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	json_put_text(sb, (const uint8_t *)s, strlen(s));
	strbuf_putc(sb, '"');
}

static void json_key(strbuf *sb, bool *first, const char *key)
{
	if (!*first)
		strbuf_putc(sb, ',');
	*first = false;
	strbuf_printf(sb, "\"%s\":", key);
}

static void json_uint(strbuf *sb, bool *first, const char *key,
                      unsigned long v)
{
	json_key(sb, first, key);
	strbuf_printf(sb, "%lu", v);
}

static void json_kstr(strbuf *sb, bool *first, const char *key, const char *v)
{
	json_key(sb, first, key);
	json_str(sb, v);
}

static void json_hex(strbuf *sb, bool *first, const char *key,
                     const uint8_t *p, size_t n)
{
	json_key(sb, first, key);
	strbuf_putc(sb, '"');
	strbuf_hex(sb, p, n);
	strbuf_putc(sb, '"');
}

static void json_name(strbuf *sb, bool *first, const char *key,
                      const dns_msg *m, const dns_rr_view *v)
{
	dns_name n;
	char buf[DNS_NAME_TEXT_MAX];
	json_key(sb, first, key);
	if (dns_rr_view_owner(m, v, &n) < 0) {
		strbuf_puts(sb, "null");
		return;
	}
	json_str(sb, dns_name_str(&n, buf));
}

/* rdata presentation text of a view into a JSON string, through a temporary
 * buffer that grows when the text is long. */
static int json_rdata_text(strbuf *sb, const dns_msg *m, const dns_rr_view *v)
{
	char small[4096];
	char *buf = small;
	size_t cap = sizeof small;
	int r;
	for (;;) {
		strbuf tmp = strbuf_init(buf, cap);
		r = dns_rr_view_rdata_to_text(m, v, &tmp);
		if (r == 0 && tmp.err)
			r = tmp.err;
		if (r == 0) {
			strbuf_putc(sb, '"');
			json_put_text(sb, (const uint8_t *)tmp.buf, tmp.len);
			strbuf_putc(sb, '"');
			break;
		}
		if (r != WARD_ESPACE || cap >= ((size_t)16 << 20))
			break;
		if (buf != small)
			free(buf);
		cap *= 4;
		buf = malloc(cap);
		if (!buf) {
			r = WARD_ENOMEM;
			break;
		}
	}
	if (buf != small)
		free(buf);
	return r;
}

static void json_rr(strbuf *sb, const dns_msg *m, const dns_rr_view *v)
{
	bool first = true;
	char tbuf[16], cbuf[16];
	const char *tname = dns_type_str(v->type, tbuf);
	bool opt = v->type == DNS_T_OPT && v->section == DNS_SEC_ADDITIONAL;

	strbuf_putc(sb, '{');
	json_name(sb, &first, "NAME", m, v);
	json_uint(sb, &first, "TYPE", v->type);
	json_kstr(sb, &first, "TYPEname", tname);
	json_uint(sb, &first, "CLASS", v->rclass);
	if (!opt)
		json_kstr(sb, &first, "CLASSname", dns_class_str(v->rclass, cbuf));
	if (v->section != DNS_SEC_QUESTION) {
		json_uint(sb, &first, "TTL", v->ttl);
		json_uint(sb, &first, "RDLENGTH", v->rdlen);
		bool hex = opt || !dns_type_known(v->type);
		if (!hex) {
			char key[32];
			snprintf(key, sizeof key, "rdata%s", tname);
			size_t mark = sb->len;
			json_key(sb, &first, key);
			int r = json_rdata_text(sb, m, v);
			if (r < 0 && !sb->err) {
				strbuf_truncate(sb, mark);
				json_kstr(sb, &first, "rdataError", ward_strerror(r));
				hex = true;
			}
		}
		if (hex)
			json_hex(sb, &first, "RDATAHEX", m->pkt + v->rdata_off,
			         v->rdlen);
	}
	strbuf_putc(sb, '}');
}

static void json_section(strbuf *sb, bool *first, const char *key,
                         const dns_msg *m, enum dns_section s)
{
	dns_rr_iter it;
	dns_rr_view v;
	bool any = false;
	json_key(sb, first, key);
	strbuf_putc(sb, '[');
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v)) {
		if (any)
			strbuf_putc(sb, ',');
		any = true;
		json_rr(sb, m, &v);
	}
	strbuf_putc(sb, ']');
}

static void json_opt(strbuf *sb, const edns_opt *o)
{
	bool first = true;
	char text[2048];
	const char *name = edns_opt_name(o->code);
	strbuf_putc(sb, '{');
	json_uint(sb, &first, "code", o->code);
	if (name)
		json_kstr(sb, &first, "name", name);
	json_hex(sb, &first, "dataHEX", o->data, o->len);
	switch (o->code) {
	case EDNS_OPT_EDE: {
		edns_ede e;
		if (edns_ede_parse(o, &e) < 0)
			break;
		json_uint(sb, &first, "infoCode", e.info_code);
		if (edns_ede_name(e.info_code))
			json_kstr(sb, &first, "purpose", edns_ede_name(e.info_code));
		if (e.text_len) {
			json_key(sb, &first, "extraText");
			strbuf_putc(sb, '"');
			json_put_text(sb, e.text, e.text_len);
			strbuf_putc(sb, '"');
		}
		break;
	}
	case EDNS_OPT_COOKIE: {
		edns_cookie c;
		if (edns_cookie_parse(o, &c) < 0)
			break;
		json_hex(sb, &first, "client", c.client, sizeof c.client);
		if (c.server_len)
			json_hex(sb, &first, "server", c.server, c.server_len);
		break;
	}
	case EDNS_OPT_ECS: {
		edns_ecs e;
		if (edns_ecs_parse(o, &e) < 0)
			break;
		json_uint(sb, &first, "family", e.family);
		json_uint(sb, &first, "sourcePrefix", e.source_prefix);
		json_uint(sb, &first, "scopePrefix", e.scope_prefix);
		break;
	}
	}
	strbuf tsb = strbuf_init(text, sizeof text);
	edns_opt_to_text(o, &tsb);
	if (!tsb.err)
		json_kstr(sb, &first, "text", text);
	strbuf_putc(sb, '}');
}

static void json_edns(strbuf *sb, bool *first, const dns_msg *m)
{
	edns_info e;
	if (edns_from_msg(m, &e) < 0)
		return;
	bool f = true;
	json_key(sb, first, "EDNS");
	strbuf_putc(sb, '{');
	json_uint(sb, &f, "version", e.version);
	json_uint(sb, &f, "flags", e.flags);
	json_uint(sb, &f, "DO", (e.flags & EDNS_FLAG_DO) ? 1 : 0);
	json_uint(sb, &f, "udpSize", e.udp_size);
	json_uint(sb, &f, "extendedRCODE", e.ext_rcode);
	json_key(sb, &f, "options");
	strbuf_putc(sb, '[');
	edns_opt_iter it;
	edns_opt o;
	bool any = false;
	edns_opt_iter_init(&it, e.opts, e.opts_len);
	while (edns_opt_iter_next(&it, &o) > 0) {
		if (any)
			strbuf_putc(sb, ',');
		any = true;
		json_opt(sb, &o);
	}
	strbuf_puts(sb, "]}");
}

int dns_msg_print_json_ex(const dns_msg *m, strbuf *sb, unsigned flags)
{
	bool first = true;
	char buf[16];
	strbuf_putc(sb, '{');
	if (m->len >= DNS_HEADER_LEN && m->err != WARD_EHEADER) {
		uint16_t f = m->flags;
		json_uint(sb, &first, "ID", m->id);
		json_uint(sb, &first, "QR", (f & DNS_FLAG_QR) ? 1 : 0);
		json_uint(sb, &first, "Opcode", DNS_OPCODE(f));
		json_uint(sb, &first, "AA", (f & DNS_FLAG_AA) ? 1 : 0);
		json_uint(sb, &first, "TC", (f & DNS_FLAG_TC) ? 1 : 0);
		json_uint(sb, &first, "RD", (f & DNS_FLAG_RD) ? 1 : 0);
		json_uint(sb, &first, "RA", (f & DNS_FLAG_RA) ? 1 : 0);
		json_uint(sb, &first, "AD", (f & DNS_FLAG_AD) ? 1 : 0);
		json_uint(sb, &first, "CD", (f & DNS_FLAG_CD) ? 1 : 0);
		json_uint(sb, &first, "RCODE", dns_msg_rcode(m));
		json_uint(sb, &first, "QDCOUNT", m->count[0]);
		json_uint(sb, &first, "ANCOUNT", m->count[1]);
		json_uint(sb, &first, "NSCOUNT", m->count[2]);
		json_uint(sb, &first, "ARCOUNT", m->count[3]);

		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, m, DNS_SEC_QUESTION);
		if (dns_rr_iter_next(&it, &v)) {
			json_name(sb, &first, "QNAME", m, &v);
			json_uint(sb, &first, "QTYPE", v.type);
			json_kstr(sb, &first, "QTYPEname", dns_type_str(v.type, buf));
			json_uint(sb, &first, "QCLASS", v.rclass);
			json_kstr(sb, &first, "QCLASSname",
			          dns_class_str(v.rclass, buf));
		}
		json_section(sb, &first, "questionRRs", m, DNS_SEC_QUESTION);
		json_section(sb, &first, "answerRRs", m, DNS_SEC_ANSWER);
		json_section(sb, &first, "authorityRRs", m, DNS_SEC_AUTHORITY);
		json_section(sb, &first, "additionalRRs", m, DNS_SEC_ADDITIONAL);
		if (m->has_opt)
			json_edns(sb, &first, m);
	}
	if (flags & DNS_JSON_OCTETS)
		json_hex(sb, &first, "messageOctetsHEX", m->pkt, m->len);
	if (m->err) {
		bool f = true;
		char comment[256];
		bool hdr = m->err == WARD_EHEADER || m->len < DNS_HEADER_LEN;
		json_key(sb, &first, "malformed");
		strbuf_putc(sb, '{');
		json_kstr(sb, &f, "error", ward_strerror(m->err));
		json_key(sb, &f, "code");
		strbuf_printf(sb, "%d", m->err);
		if (!hdr) {
			json_kstr(sb, &f, "section",
			          dns_section_name(m->err_section, false));
			json_uint(sb, &f, "after", m->parsed[m->err_section]);
			json_uint(sb, &f, "offset", m->err_off);
		}
		strbuf_putc(sb, '}');
		if (hdr)
			snprintf(comment, sizeof comment, "MALFORMED: %s (%zu octets)",
			         ward_strerror(m->err), m->len);
		else if (m->err == WARD_ETRAILING)
			snprintf(comment, sizeof comment,
			         "MALFORMED: %s: %zu octets after the last record",
			         ward_strerror(m->err), m->len - m->end_off);
		else
			snprintf(comment, sizeof comment,
			         "MALFORMED: %s in %s after %u records (offset %zu)",
			         ward_strerror(m->err),
			         dns_section_name(m->err_section, false),
			         m->parsed[m->err_section], m->err_off);
		json_kstr(sb, &first, "comment", comment);
	}
	strbuf_putc(sb, '}');
	return sb->err;
}

int dns_msg_print_json(const dns_msg *m, strbuf *sb)
{
	return dns_msg_print_json_ex(m, sb, 0);
}
