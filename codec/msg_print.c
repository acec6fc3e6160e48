/* ward: dig-like text of a DNS message, also of a partially parsed one. */
#include <stdio.h>
#include <string.h>

#include "edns.h"
#include "msg.h"

static void print_header(const dns_msg *m, strbuf *sb, bool update)
{
	char num[16];
	unsigned op = DNS_OPCODE(m->flags);
	uint16_t rc = dns_msg_rcode(m);
	const char *opname = dns_opcode_name(op);
	const char *rcname = dns_rcode_name(rc);

	strbuf_puts(sb, ";; ->>HEADER<<- opcode: ");
	if (opname) {
		strbuf_puts(sb, opname);
	} else {
		snprintf(num, sizeof num, "OPCODE%u", op);
		strbuf_puts(sb, num);
	}
	strbuf_puts(sb, ", status: ");
	if (rcname)
		strbuf_puts(sb, rcname);
	else
		strbuf_printf(sb, "RCODE%u", rc);
	strbuf_printf(sb, ", id: %u\n", m->id);

	static const struct { uint16_t bit; const char *name; } flags[] = {
		{ DNS_FLAG_QR, "qr" }, { DNS_FLAG_AA, "aa" }, { DNS_FLAG_TC, "tc" },
		{ DNS_FLAG_RD, "rd" }, { DNS_FLAG_RA, "ra" }, { DNS_FLAG_AD, "ad" },
		{ DNS_FLAG_CD, "cd" },
	};
	strbuf_puts(sb, ";; flags:");
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (m->flags & flags[i].bit)
			strbuf_printf(sb, " %s", flags[i].name);
	strbuf_putc(sb, ';');
	if (m->flags & DNS_FLAG_Z)
		strbuf_printf(sb, " MBZ: 0x%04x;", DNS_FLAG_Z);
	if (update)
		strbuf_printf(sb, " ZONE: %u, PREREQ: %u, UPDATE: %u, ADDITIONAL: %u\n",
		              m->count[0], m->count[1], m->count[2], m->count[3]);
	else
		strbuf_printf(sb, " QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n",
		              m->count[0], m->count[1], m->count[2], m->count[3]);
}

static void print_edns(const dns_msg *m, strbuf *sb)
{
	edns_info e;
	if (edns_from_msg(m, &e) < 0)
		return;
	strbuf_puts(sb, "\n;; OPT PSEUDOSECTION:\n");
	strbuf_printf(sb, "; EDNS: version: %u, flags:", e.version);
	if (e.flags & EDNS_FLAG_DO)
		strbuf_puts(sb, " do");
	if (e.flags & ~EDNS_FLAG_DO)
		strbuf_printf(sb, "; MBZ: 0x%04x", e.flags & ~EDNS_FLAG_DO);
	strbuf_printf(sb, "; udp: %u\n", e.udp_size);
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, e.opts, e.opts_len);
	while (edns_opt_iter_next(&it, &o) > 0) {
		strbuf_puts(sb, "; ");
		edns_opt_to_text(&o, sb);
		strbuf_putc(sb, '\n');
	}
}

static void print_question(const dns_msg *m, const dns_rr_view *v,
                           strbuf *sb)
{
	dns_name n;
	char buf[16];
	strbuf_putc(sb, ';');
	if (dns_rr_view_owner(m, v, &n) == 0)
		dns_name_to_text(&n, sb);
	else
		strbuf_puts(sb, "?");
	strbuf_printf(sb, "\t%s", dns_class_str(v->rclass, buf));
	strbuf_printf(sb, "\t%s\n", dns_type_str(v->type, buf));
}

/* A record the rdata codec refuses (should not happen after a successful
 * parse, but the printer must never give up): RFC 3597 generic form. */
static void print_rr_generic(const dns_msg *m, const dns_rr_view *v,
                             strbuf *sb, int err)
{
	dns_name n;
	char buf[16];
	if (dns_rr_view_owner(m, v, &n) == 0)
		dns_name_to_text(&n, sb);
	else
		strbuf_puts(sb, "?");
	strbuf_printf(sb, "\t%u\t%s", v->ttl, dns_class_str(v->rclass, buf));
	strbuf_printf(sb, "\t%s\t\\# %u ", dns_type_str(v->type, buf), v->rdlen);
	strbuf_hex(sb, m->pkt + v->rdata_off, v->rdlen);
	strbuf_printf(sb, " ; %s", ward_strerror(err));
}

static void print_section(const dns_msg *m, enum dns_section s, strbuf *sb,
                          bool update)
{
	dns_rr_iter it;
	dns_rr_view v;
	/* the OPT record is shown as the pseudosection */
	unsigned listable = m->parsed[s];
	if (s == DNS_SEC_ADDITIONAL && m->has_opt)
		listable--;
	if (listable == 0)
		return;
	strbuf_printf(sb, "\n;; %s SECTION:\n", dns_section_name(s, update));
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v)) {
		if (s == DNS_SEC_QUESTION) {
			print_question(m, &v, sb);
			continue;
		}
		if (s == DNS_SEC_ADDITIONAL && v.type == DNS_T_OPT)
			continue;
		size_t mark = sb->len;
		int r = dns_rr_view_to_text(m, &v, sb);
		if (r < 0 && !sb->err) {
			strbuf_truncate(sb, mark);
			print_rr_generic(m, &v, sb, r);
		}
		strbuf_putc(sb, '\n');
	}
}

int dns_msg_print(const dns_msg *m, strbuf *sb)
{
	if (m->len < DNS_HEADER_LEN || m->err == WARD_EHEADER) {
		strbuf_printf(sb, ";; MALFORMED: %s (%zu octets)\n",
		              ward_strerror(m->err ? m->err : WARD_EHEADER), m->len);
		return sb->err;
	}
	bool update = DNS_OPCODE(m->flags) == DNS_OPCODE_UPDATE;
	print_header(m, sb, update);
	if (m->has_opt)
		print_edns(m, sb);
	for (int s = 0; s < 4; s++)
		print_section(m, (enum dns_section)s, sb, update);
	if (m->err == WARD_ETRAILING) {
		strbuf_printf(sb, "\n;; MALFORMED: %s: %zu octets after the last record\n",
		              ward_strerror(m->err), m->len - m->end_off);
	} else if (m->err) {
		strbuf_printf(sb, "\n;; MALFORMED: %s in %s after %u records (offset %zu)\n",
		              ward_strerror(m->err),
		              dns_section_name(m->err_section, update),
		              m->parsed[m->err_section], m->err_off);
	}
	strbuf_printf(sb, "\n;; MSG SIZE  rcvd: %zu\n", m->len);
	return sb->err;
}
