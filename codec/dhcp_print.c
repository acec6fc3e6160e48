/* ward: DHCPv4 text and JSON printers.
 * Option names come from dhcp_names.c.
 *
 * Every octet from the network goes out sanitised (non-printables as \DDD). */
#include <strings.h>

#include "dhcp.h"

static const char *rai_name(uint8_t code)
{
	switch (code) {
	case 1: return "circuit-id";
	case 2: return "remote-id";
	case 4: return "docsis-device-class";
	case 5: return "link-selection";
	case 6: return "subscriber-id";
	case 7: return "radius-attributes";
	case 8: return "authentication";
	case 9: return "vendor-specific";
	case 10: return "flags";
	case 11: return "server-id-override";
	case 12: return "relay-id";
	case 151: return "vss";
	case 152: return "vss-control";
	}
	return NULL;
}

/* ---- value decoding shared by both printers ----
 * Each printer walks a value through the same "items": the text printer
 * writes them as words, the JSON printer as JSON values. */

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static void put_ip(strbuf *sb, uint32_t ip)
{
	strbuf_printf(sb, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	              (ip >> 8) & 255, ip & 255);
}

/* "aa:bb:cc" lowercase */
static void put_colon_hex(strbuf *sb, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && !sb->err; i++)
		strbuf_printf(sb, i ? ":%02x" : "%02x", p[i]);
}

static void put_hex(strbuf *sb, const uint8_t *p, size_t n)
{
	strbuf_puts(sb, "0x");
	strbuf_hex(sb, p, n);
}

/* Trailing NULs are not part of a string (RFC 2132 §2). */
static size_t str_len(const uint8_t *p, size_t n)
{
	while (n > 0 && p[n - 1] == 0)
		n--;
	return n;
}

/* Items are well-formed when the whole value is; checked before printing
 * anything so a malformed value prints as hex only. */
static bool value_ok(uint8_t vt, const uint8_t *v, size_t n)
{
	switch ((enum dhcp_vtype)vt) {
	case DHCP_VT_HEX:
		return true;
	case DHCP_VT_IP:
		return n == 4;
	case DHCP_VT_IPLIST:
		return n > 0 && n % 4 == 0;
	case DHCP_VT_IPPAIRS:
		return n > 0 && n % 8 == 0;
	case DHCP_VT_U8:
		return n == 1;
	case DHCP_VT_U16:
		return n == 2;
	case DHCP_VT_U32:
	case DHCP_VT_S32:
	case DHCP_VT_TIME:
		return n == 4;
	case DHCP_VT_BOOL:
		return n == 1 && v[0] <= 1;
	case DHCP_VT_STRING:
		return str_len(v, n) > 0;
	case DHCP_VT_U16LIST:
		return n > 0 && n % 2 == 0;
	case DHCP_VT_EMPTY:
		return n == 0;
	case DHCP_VT_MSGTYPE:
		return n == 1 && v[0] != 0;
	case DHCP_VT_PRL:
		return n > 0;
	case DHCP_VT_OVERLOAD:
		return n == 1 && v[0] >= 1 && v[0] <= 3;
	case DHCP_VT_CLIENTID:
		return n >= 2;
	case DHCP_VT_FQDN: {
		dhcp_fqdn f;
		return dhcp_fqdn_decode(v, n, &f) == 0;
	}
	case DHCP_VT_RAI: {
		dhcp_subopt_iter it = dhcp_subopt_begin(v, n);
		uint8_t c;
		const uint8_t *sv;
		size_t sl;
		int r;
		while ((r = dhcp_subopt_next(&it, &c, &sv, &sl)) == 1)
			;
		return r == 0 && n > 0;
	}
	case DHCP_VT_ROUTES:
		return dhcp_routes_decode(v, n, NULL, 0) >= 0;
	case DHCP_VT_SEARCH:
		return dhcp_search_decode(v, n, NULL, 0) >= 0;
	case DHCP_VT_SIP:
		if (n < 1)
			return false;
		if (v[0] == 0)
			return dhcp_search_decode(v + 1, n - 1, NULL, 0) > 0;
		return v[0] == 1 && n > 1 && (n - 1) % 4 == 0;
	case DHCP_VT_CLASSES:
		return n > 0;
	}
	return false;
}

/* RFC 3004 user-class: a list of length-prefixed, non-empty items. Many
 * clients send a bare string instead; callers fall back to a string. */
static bool classes_wellformed(const uint8_t *v, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		size_t l = v[pos];
		if (l == 0 || l > n - pos - 1)
			return false;
		pos += 1 + l;
	}
	return n > 0;
}

/* The route at *pos of a well-formed option 121 value; advances *pos. */
static bool route_at(const uint8_t *v, size_t n, size_t *pos, dhcp_route *r)
{
	if (*pos >= n)
		return false;
	size_t rlen = 1 + ((size_t)v[*pos] + 7) / 8 + 4;
	if (rlen > n - *pos || dhcp_routes_decode(v + *pos, rlen, r, 1) != 1)
		return false;
	*pos += rlen;
	return true;
}

/* ---- text ---- */

static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	return n > 0;
}

static void text_string(strbuf *sb, const uint8_t *p, size_t n)
{
	strbuf_putc(sb, '"');
	strbuf_put_sanitized(sb, p, n);
	strbuf_putc(sb, '"');
}

static void text_names(strbuf *sb, const uint8_t *v, size_t n)
{
	wire_rd rd = wire_rd_init(v, n);
	dns_name name;
	for (unsigned i = 0; wire_rd_left(&rd) > 0; i++) {
		if (dns_name_read(&rd, &name, true) < 0)
			return;
		if (i)
			strbuf_puts(sb, ", ");
		dns_name_to_text(&name, sb);
	}
}

static void text_value(strbuf *sb, uint8_t vt, const uint8_t *v, size_t n)
{
	switch ((enum dhcp_vtype)vt) {
	case DHCP_VT_HEX:
		if (n)
			put_hex(sb, v, n);
		break;
	case DHCP_VT_IP:
	case DHCP_VT_IPLIST:
		for (size_t i = 0; i + 4 <= n; i += 4) {
			if (i)
				strbuf_puts(sb, ", ");
			put_ip(sb, be32(v + i));
		}
		break;
	case DHCP_VT_IPPAIRS:
		for (size_t i = 0; i + 8 <= n; i += 8) {
			if (i)
				strbuf_puts(sb, ", ");
			put_ip(sb, be32(v + i));
			strbuf_putc(sb, ' ');
			put_ip(sb, be32(v + i + 4));
		}
		break;
	case DHCP_VT_U8:
		strbuf_printf(sb, "%u", v[0]);
		break;
	case DHCP_VT_U16:
		strbuf_printf(sb, "%u", be16(v));
		break;
	case DHCP_VT_U32:
		strbuf_printf(sb, "%lu", (unsigned long)be32(v));
		break;
	case DHCP_VT_S32:
		strbuf_printf(sb, "%ld", (long)(int32_t)be32(v));
		break;
	case DHCP_VT_TIME:
		if (be32(v) == 0xFFFFFFFFu)
			strbuf_puts(sb, "infinite");
		else
			strbuf_printf(sb, "%lus", (unsigned long)be32(v));
		break;
	case DHCP_VT_BOOL:
		strbuf_puts(sb, v[0] ? "true" : "false");
		break;
	case DHCP_VT_STRING:
		text_string(sb, v, str_len(v, n));
		break;
	case DHCP_VT_U16LIST:
		for (size_t i = 0; i + 2 <= n; i += 2)
			strbuf_printf(sb, i ? ", %u" : "%u", be16(v + i));
		break;
	case DHCP_VT_EMPTY:
		break;
	case DHCP_VT_MSGTYPE: {
		const char *t = dhcp_msg_type_name(v[0]);
		if (t)
			strbuf_puts(sb, t);
		else
			strbuf_printf(sb, "TYPE%u", v[0]);
		break;
	}
	case DHCP_VT_PRL:
		for (size_t i = 0; i < n; i++) {
			const char *name = dhcp_option_name(v[i]);
			if (i)
				strbuf_puts(sb, ", ");
			if (name)
				strbuf_puts(sb, name);
			else
				strbuf_printf(sb, "%u", v[i]);
		}
		break;
	case DHCP_VT_OVERLOAD:
		strbuf_puts(sb, v[0] == 1 ? "file" : v[0] == 2 ? "sname" : "file+sname");
		break;
	case DHCP_VT_CLIENTID:
		strbuf_printf(sb, "type %u ", v[0]);
		put_colon_hex(sb, v + 1, n - 1);
		break;
	case DHCP_VT_FQDN: {
		dhcp_fqdn f;
		dhcp_fqdn_decode(v, n, &f);
		strbuf_puts(sb, "flags [");
		strbuf_puts(sb, f.flags & DHCP_FQDN_S ? "S" : "");
		strbuf_puts(sb, f.flags & DHCP_FQDN_O ? "O" : "");
		strbuf_puts(sb, f.flags & DHCP_FQDN_E ? "E" : "");
		strbuf_puts(sb, f.flags & DHCP_FQDN_N ? "N" : "");
		strbuf_printf(sb, "] rcode %u/%u \"%s%s\"", f.rcode1, f.rcode2,
		              f.text, f.partial || !f.text[0] ? "" : ".");
		break;
	}
	case DHCP_VT_RAI: {
		dhcp_subopt_iter it = dhcp_subopt_begin(v, n);
		uint8_t c;
		const uint8_t *sv;
		size_t sl;
		for (unsigned i = 0; dhcp_subopt_next(&it, &c, &sv, &sl) == 1; i++) {
			const char *name = rai_name(c);
			if (i)
				strbuf_puts(sb, ", ");
			if (name)
				strbuf_puts(sb, name);
			else
				strbuf_printf(sb, "sub-%u", c);
			strbuf_putc(sb, ' ');
			if (printable(sv, sl))
				text_string(sb, sv, sl);
			else if (sl)
				put_hex(sb, sv, sl);
		}
		break;
	}
	case DHCP_VT_ROUTES: {
		dhcp_route r;
		size_t pos = 0;
		for (unsigned i = 0; route_at(v, n, &pos, &r); i++) {
			if (i)
				strbuf_puts(sb, ", ");
			put_ip(sb, r.dest);
			strbuf_printf(sb, "/%u via ", r.prefix);
			put_ip(sb, r.router);
		}
		break;
	}
	case DHCP_VT_SEARCH:
		text_names(sb, v, n);
		break;
	case DHCP_VT_SIP:
		if (v[0] == 0) {
			text_names(sb, v + 1, n - 1);
		} else {
			for (size_t i = 1; i + 4 <= n; i += 4) {
				if (i > 1)
					strbuf_puts(sb, ", ");
				put_ip(sb, be32(v + i));
			}
		}
		break;
	case DHCP_VT_CLASSES:
		if (!classes_wellformed(v, n)) {
			text_string(sb, v, n);
			break;
		}
		for (size_t pos = 0; pos < n; pos += 1 + (size_t)v[pos]) {
			if (pos)
				strbuf_puts(sb, ", ");
			text_string(sb, v + pos + 1, v[pos]);
		}
		break;
	}
}

void dhcp_opt_value_to_text(uint8_t code, const uint8_t *val, size_t len,
                            strbuf *sb)
{
	uint8_t vt = (uint8_t)dhcp_option_vtype(code);
	if (!value_ok(vt, val, len)) {
		strbuf_puts(sb, "malformed");
		if (len) {
			strbuf_putc(sb, ' ');
			put_hex(sb, val, len);
		}
		return;
	}
	text_value(sb, vt, val, len);
}

static void text_hwaddr(strbuf *sb, const dhcp_msg *m)
{
	if (m->htype != 1 || m->hlen != 6)
		strbuf_printf(sb, "htype %u hlen %u ", m->htype, m->hlen);
	if (m->hlen)
		put_colon_hex(sb, m->chaddr, m->hlen);
	else
		strbuf_puts(sb, "-");
}

static void text_addr(strbuf *sb, const char *label, uint32_t ip)
{
	if (!ip)
		return;
	strbuf_printf(sb, " %s ", label);
	put_ip(sb, ip);
}

/* A NUL-terminated header field (sname/file), when not overloaded. */
static void text_field(strbuf *sb, const char *label, const uint8_t *p,
                       size_t n, bool overloaded)
{
	if (overloaded)
		return;
	size_t l = 0;
	while (l < n && p[l])
		l++;
	if (!l)
		return;
	strbuf_printf(sb, " %s ", label);
	text_string(sb, p, l);
}

int dhcp_msg_to_text(const dhcp_msg *m, strbuf *sb)
{
	int type = dhcp_msg_type(m);
	const char *op = m->op == DHCP_BOOTREQUEST ? "REQUEST" : "REPLY";
	if (type == 0) {
		strbuf_printf(sb, "BOOTP %s", op);
	} else if (type < 0) {
		strbuf_puts(sb, "DHCP (malformed message-type)");
	} else if (dhcp_msg_type_name(type)) {
		strbuf_printf(sb, "DHCP %s", dhcp_msg_type_name(type));
	} else {
		strbuf_printf(sb, "DHCP TYPE%d", type);
	}
	strbuf_printf(sb, " xid 0x%08lx %s ", (unsigned long)m->xid,
	              m->op == DHCP_BOOTREQUEST ? "from" : "to");
	text_hwaddr(sb, m);
	if (m->hops)
		strbuf_printf(sb, " hops %u", m->hops);
	if (m->secs)
		strbuf_printf(sb, " secs %u", m->secs);
	if (m->flags & DHCP_FLAG_BROADCAST)
		strbuf_puts(sb, " broadcast");
	if (m->flags & ~DHCP_FLAG_BROADCAST)
		strbuf_printf(sb, " flags 0x%04x", m->flags);
	text_addr(sb, "ciaddr", m->ciaddr);
	text_addr(sb, "yiaddr", m->yiaddr);
	text_addr(sb, "siaddr", m->siaddr);
	text_addr(sb, "giaddr", m->giaddr);
	text_field(sb, "sname", m->sname, sizeof m->sname,
	           m->overload & DHCP_OVERLOAD_SNAME);
	text_field(sb, "file", m->file, sizeof m->file,
	           m->overload & DHCP_OVERLOAD_FILE);
	if (m->pflags & DHCP_PF_BOOTP) {
		strbuf_puts(sb, "; no options (no magic cookie)");
		return sb->err;
	}
	if (m->pflags & DHCP_PF_NOEND)
		strbuf_puts(sb, " [no END]");
	if (m->pflags & DHCP_PF_AFTER_END)
		strbuf_puts(sb, " [data after END]");
	strbuf_puts(sb, "; options:");
	for (unsigned i = 0; i < m->nopts; i++) {
		uint8_t code = m->order[i];
		size_t n;
		const uint8_t *v = dhcp_opt_get(m, code, &n);
		const char *name = dhcp_option_name(code);
		strbuf_printf(sb, "%s %u %s", i ? ";" : "", code, name ? name : "unknown");
		if (m->opt[code].count > 1)
			strbuf_printf(sb, " (%u parts)", m->opt[code].count);
		bool prl = code == DHCP_OPT_PARAM_REQ && n > 0;
		if (n || !value_ok((uint8_t)dhcp_option_vtype(code), v, n))
			strbuf_puts(sb, prl ? ": " : " ");
		dhcp_opt_value_to_text(code, v, n, sb);
	}
	if (m->nopts == 0)
		strbuf_puts(sb, " none");
	return sb->err;
}

/* ---- JSON ---- */

/* A JSON string holding the sanitised text of p[0..n): the \DDD escapes
 * of strbuf_put_sanitized with their backslash escaped for JSON. */
static void json_bytes(strbuf *sb, const uint8_t *p, size_t n)
{
	strbuf_putc(sb, '"');
	for (size_t i = 0; i < n && !sb->err; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"')
			strbuf_putc(sb, (char)p[i]);
		else
			strbuf_printf(sb, "\\\\%03u", p[i]);
	}
	strbuf_putc(sb, '"');
}

/* Our own ASCII text (names already escaped, addresses): only backslashes
 * and quotes need escaping. */
static void json_text(strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	for (; *s && !sb->err; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_putc(sb, '\\');
		strbuf_putc(sb, *s);
	}
	strbuf_putc(sb, '"');
}

static void json_ip(strbuf *sb, uint32_t ip)
{
	strbuf_putc(sb, '"');
	put_ip(sb, ip);
	strbuf_putc(sb, '"');
}

static void json_hex(strbuf *sb, const uint8_t *p, size_t n)
{
	strbuf_putc(sb, '"');
	strbuf_hex(sb, p, n);
	strbuf_putc(sb, '"');
}

static void json_names(strbuf *sb, const uint8_t *v, size_t n)
{
	wire_rd rd = wire_rd_init(v, n);
	dns_name name;
	char text[DNS_NAME_TEXT_MAX];
	strbuf_putc(sb, '[');
	for (unsigned i = 0; wire_rd_left(&rd) > 0; i++) {
		if (dns_name_read(&rd, &name, true) < 0)
			break;
		if (i)
			strbuf_putc(sb, ',');
		json_text(sb, dns_name_str(&name, text));
	}
	strbuf_putc(sb, ']');
}

static void json_value(strbuf *sb, uint8_t vt, const uint8_t *v, size_t n)
{
	switch ((enum dhcp_vtype)vt) {
	case DHCP_VT_IP:
		json_ip(sb, be32(v));
		break;
	case DHCP_VT_IPLIST:
	case DHCP_VT_IPPAIRS:
		strbuf_putc(sb, '[');
		for (size_t i = 0; i + 4 <= n; i += 4) {
			if (i)
				strbuf_putc(sb, ',');
			json_ip(sb, be32(v + i));
		}
		strbuf_putc(sb, ']');
		break;
	case DHCP_VT_U8:
	case DHCP_VT_U16:
	case DHCP_VT_U32:
	case DHCP_VT_TIME:
		strbuf_printf(sb, "%lu", (unsigned long)(n == 1 ? v[0] :
		              n == 2 ? be16(v) : be32(v)));
		break;
	case DHCP_VT_S32:
		strbuf_printf(sb, "%ld", (long)(int32_t)be32(v));
		break;
	case DHCP_VT_BOOL:
		strbuf_puts(sb, v[0] ? "true" : "false");
		break;
	case DHCP_VT_STRING:
		json_bytes(sb, v, str_len(v, n));
		break;
	case DHCP_VT_U16LIST:
		strbuf_putc(sb, '[');
		for (size_t i = 0; i + 2 <= n; i += 2)
			strbuf_printf(sb, i ? ",%u" : "%u", be16(v + i));
		strbuf_putc(sb, ']');
		break;
	case DHCP_VT_EMPTY:
		strbuf_puts(sb, "true");
		break;
	case DHCP_VT_MSGTYPE: {
		const char *t = dhcp_msg_type_name(v[0]);
		if (t)
			strbuf_printf(sb, "\"%s\"", t);
		else
			strbuf_printf(sb, "%u", v[0]);
		break;
	}
	case DHCP_VT_OVERLOAD:
		strbuf_printf(sb, "%u", v[0]);
		break;
	case DHCP_VT_PRL:
		strbuf_putc(sb, '[');
		for (size_t i = 0; i < n; i++)
			strbuf_printf(sb, i ? ",%u" : "%u", v[i]);
		strbuf_putc(sb, ']');
		break;
	case DHCP_VT_CLIENTID:
		strbuf_printf(sb, "{\"type\":%u,\"id\":\"", v[0]);
		put_colon_hex(sb, v + 1, n - 1);
		strbuf_puts(sb, "\"}");
		break;
	case DHCP_VT_FQDN: {
		dhcp_fqdn f;
		dhcp_fqdn_decode(v, n, &f);
		strbuf_printf(sb, "{\"flags\":%u,\"rcode1\":%u,\"rcode2\":%u,"
		              "\"encoding\":\"%s\",\"partial\":%s,\"name\":",
		              f.flags, f.rcode1, f.rcode2, f.wire ? "wire" : "ascii",
		              f.partial ? "true" : "false");
		json_text(sb, f.text);
		strbuf_putc(sb, '}');
		break;
	}
	case DHCP_VT_RAI: {
		dhcp_subopt_iter it = dhcp_subopt_begin(v, n);
		uint8_t c;
		const uint8_t *sv;
		size_t sl;
		strbuf_putc(sb, '[');
		for (unsigned i = 0; dhcp_subopt_next(&it, &c, &sv, &sl) == 1; i++) {
			const char *name = rai_name(c);
			strbuf_printf(sb, "%s{\"code\":%u,", i ? "," : "", c);
			if (name)
				strbuf_printf(sb, "\"name\":\"%s\",", name);
			strbuf_puts(sb, "\"data\":");
			json_hex(sb, sv, sl);
			strbuf_putc(sb, '}');
		}
		strbuf_putc(sb, ']');
		break;
	}
	case DHCP_VT_ROUTES: {
		dhcp_route r;
		size_t pos = 0;
		strbuf_putc(sb, '[');
		for (unsigned i = 0; route_at(v, n, &pos, &r); i++) {
			strbuf_printf(sb, "%s{\"dest\":\"", i ? "," : "");
			put_ip(sb, r.dest);
			strbuf_printf(sb, "/%u\",\"router\":", r.prefix);
			json_ip(sb, r.router);
			strbuf_putc(sb, '}');
		}
		strbuf_putc(sb, ']');
		break;
	}
	case DHCP_VT_SEARCH:
		json_names(sb, v, n);
		break;
	case DHCP_VT_SIP:
		if (v[0] == 0) {
			json_names(sb, v + 1, n - 1);
		} else {
			strbuf_putc(sb, '[');
			for (size_t i = 1; i + 4 <= n; i += 4) {
				if (i > 1)
					strbuf_putc(sb, ',');
				json_ip(sb, be32(v + i));
			}
			strbuf_putc(sb, ']');
		}
		break;
	case DHCP_VT_CLASSES:
		if (!classes_wellformed(v, n)) {
			json_bytes(sb, v, n);
			break;
		}
		strbuf_putc(sb, '[');
		for (size_t pos = 0; pos < n; pos += 1 + (size_t)v[pos]) {
			if (pos)
				strbuf_putc(sb, ',');
			json_bytes(sb, v + pos + 1, v[pos]);
		}
		strbuf_putc(sb, ']');
		break;
	case DHCP_VT_HEX:
		json_hex(sb, v, n);
		break;
	}
}

static void json_field(strbuf *sb, const char *key, const uint8_t *p, size_t n,
                       bool overloaded)
{
	strbuf_printf(sb, ",\"%s\":", key);
	if (overloaded) {
		strbuf_puts(sb, "null");
		return;
	}
	size_t l = 0;
	while (l < n && p[l])
		l++;
	json_bytes(sb, p, l);
}

int dhcp_msg_to_json(const dhcp_msg *m, strbuf *sb)
{
	int type = dhcp_msg_type(m);
	strbuf_printf(sb, "{\"proto\":\"%s\",\"op\":\"%s\",\"type\":",
	              type == 0 ? "bootp" : "dhcp",
	              m->op == DHCP_BOOTREQUEST ? "request" : "reply");
	if (type > 0 && dhcp_msg_type_name(type))
		strbuf_printf(sb, "\"%s\"", dhcp_msg_type_name(type));
	else if (type > 0)
		strbuf_printf(sb, "%d", type);
	else
		strbuf_puts(sb, "null");
	strbuf_printf(sb, ",\"xid\":\"0x%08lx\",\"htype\":%u,\"hlen\":%u,"
	              "\"hops\":%u,\"secs\":%u,\"flags\":%u,\"broadcast\":%s",
	              (unsigned long)m->xid, m->htype, m->hlen, m->hops, m->secs,
	              m->flags, m->flags & DHCP_FLAG_BROADCAST ? "true" : "false");
	const char *keys[] = { "ciaddr", "yiaddr", "siaddr", "giaddr" };
	const uint32_t addrs[] = { m->ciaddr, m->yiaddr, m->siaddr, m->giaddr };
	for (unsigned i = 0; i < 4; i++) {
		strbuf_printf(sb, ",\"%s\":", keys[i]);
		json_ip(sb, addrs[i]);
	}
	strbuf_puts(sb, ",\"chaddr\":\"");
	put_colon_hex(sb, m->chaddr, m->hlen);
	strbuf_putc(sb, '"');
	json_field(sb, "sname", m->sname, sizeof m->sname,
	           m->overload & DHCP_OVERLOAD_SNAME);
	json_field(sb, "file", m->file, sizeof m->file,
	           m->overload & DHCP_OVERLOAD_FILE);
	strbuf_printf(sb, ",\"cookie\":%s,\"overload\":%u,\"end\":%s,"
	              "\"data_after_end\":%s,\"length\":%lu,\"options\":[",
	              m->pflags & DHCP_PF_BOOTP ? "false" : "true", m->overload,
	              m->pflags & (DHCP_PF_NOEND | DHCP_PF_BOOTP) ? "false" : "true",
	              m->pflags & DHCP_PF_AFTER_END ? "true" : "false",
	              (unsigned long)m->wire_len);
	for (unsigned i = 0; i < m->nopts; i++) {
		uint8_t code = m->order[i];
		size_t n;
		const uint8_t *v = dhcp_opt_get(m, code, &n);
		const char *name = dhcp_option_name(code);
		uint8_t vt = (uint8_t)dhcp_option_vtype(code);
		strbuf_printf(sb, "%s{\"code\":%u", i ? "," : "", code);
		if (name)
			strbuf_printf(sb, ",\"name\":\"%s\"", name);
		strbuf_printf(sb, ",\"len\":%lu,\"parts\":%u,\"data\":",
		              (unsigned long)n, m->opt[code].count);
		json_hex(sb, v, n);
		if (!value_ok(vt, v, n)) {
			strbuf_puts(sb, ",\"malformed\":true");
		} else if (vt != DHCP_VT_HEX) {
			strbuf_puts(sb, ",\"value\":");
			json_value(sb, vt, v, n);
		}
		strbuf_putc(sb, '}');
	}
	strbuf_puts(sb, "]}");
	return sb->err;
}
