/* ward DHCP: dnsmasq's lease-file text format (see lease_text.h).
 * Written from dnsmasq's documented behaviour (lease.c writes
 * "%lu " expiry, "%.2x-" type prefix when the type is not Ethernet or the
 * address is empty, "%.2x" octets joined by ':', address, name or "*",
 * client-id octets or "*"), not from its code. */
#include <stdbool.h>
#include <string.h>

#include "codec/base.h"
#include "codec/error.h"
#include "codec/rdata_text_int.h"
#include "dhcp/lease_text.h"

#define FIELDS_MAX 6 /* one more than a lease line has, to see extra fields */

struct field {
	const char *p;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split into up to FIELDS_MAX blank-separated fields; returns the count,
 * FIELDS_MAX meaning "FIELDS_MAX or more". */
static size_t split_fields(const char *s, size_t n, struct field *f)
{
	size_t nf = 0, i = 0;
	while (nf < FIELDS_MAX) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && !is_blank(s[i]))
			i++;
		f[nf].p = s + start;
		f[nf].n = i - start;
		nf++;
	}
	return nf;
}

static bool field_is(const struct field *f, const char *word)
{
	size_t wl = strlen(word);
	return f->n == wl && memcmp(f->p, word, wl) == 0;
}

/* Unsigned decimal that fits int64_t. */
static int parse_expiry(const struct field *f, int64_t *out)
{
	uint64_t v = 0;
	if (f->n == 0 || f->n > 19)
		return WARD_ELEASE_EXPIRY;
	for (size_t i = 0; i < f->n; i++) {
		char c = f->p[i];
		if (c < '0' || c > '9')
			return WARD_ELEASE_EXPIRY;
		v = v * 10 + (uint64_t)(c - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return WARD_ELEASE_EXPIRY;
	*out = (int64_t)v;
	return 0;
}

/* Hex octets in dnsmasq's forms: groups of hex digits separated by ':' or
 * '-', each group giving its digits two at a time (so "aa:bb" and "aabb" are
 * both two octets). With `type` non-NULL a first group ended by '-' is the
 * hardware type ("06-aa:bb"). Empty groups, '*' wildcards and more than
 * `cap` octets are errors (`err`). */
static int parse_hex_octets(const struct field *f, int *type, uint8_t *out,
                            size_t cap, size_t *outlen, int err)
{
	size_t i = 0, len = 0;
	bool first = true;
	if (type)
		*type = -1;
	while (i < f->n) {
		size_t g = i;
		while (i < f->n && hex_digit_value(f->p[i]) >= 0)
			i++;
		size_t glen = i - g;
		char sep = i < f->n ? f->p[i] : '\0';
		if (glen == 0 || (sep && sep != ':' && sep != '-'))
			return err;
		if (type && first && sep == '-') {
			if (glen > 2)
				return err;
			int v = hex_digit_value(f->p[g]);
			if (glen == 2)
				v = v * 16 + hex_digit_value(f->p[g + 1]);
			*type = v;
		} else {
			for (size_t j = 0; j < glen; j += 2) {
				int v = hex_digit_value(f->p[g + j]);
				if (j + 1 < glen)
					v = v * 16 + hex_digit_value(f->p[g + j + 1]);
				if (len == cap)
					return err;
				out[len++] = (uint8_t)v;
			}
		}
		first = false;
		if (!sep)
			break;
		i++;
		/* a separator must be followed by a group, except the type's '-'
		 * of an empty address ("01-") */
		if (i == f->n && !(type && *type >= 0 && len == 0 && sep == '-'))
			return err;
	}
	*outlen = len;
	return 0;
}

static int parse_v4(const struct field *f, struct dhcp_lease *out)
{
	int rc = parse_expiry(&f[0], &out->expires);
	if (rc < 0)
		return rc;

	int type;
	size_t hlen;
	rc = parse_hex_octets(&f[1], &type, out->hw, DHCP_LEASE_HWADDR_MAX, &hlen,
	                      WARD_ELEASE_HWADDR);
	if (rc < 0)
		return rc;
	/* no explicit type means Ethernet, as dnsmasq reads it */
	if (type < 0 || (type == 0 && hlen > 0))
		type = LEASE_HTYPE_ETHER;
	out->htype = (uint8_t)type;
	out->hlen = (uint8_t)hlen;

	uint8_t a[4];
	if (rdf_parse_ipv4(f[2].p, f[2].n, a) < 0)
		return WARD_EADDR;
	out->ip = ((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) |
	          ((uint32_t)a[2] << 8) | a[3];

	if (!field_is(&f[3], "*")) {
		if (f[3].n > DHCP_LEASE_HOSTNAME_MAX)
			return WARD_ELEASE_HOSTNAME;
		for (size_t i = 0; i < f[3].n; i++)
			if ((unsigned char)f[3].p[i] < 0x21 || (unsigned char)f[3].p[i] > 0x7e)
				return WARD_ELEASE_HOSTNAME;
		memcpy(out->hostname, f[3].p, f[3].n);
		out->hostname[f[3].n] = '\0';
	}

	if (!field_is(&f[4], "*")) {
		size_t clen;
		rc = parse_hex_octets(&f[4], NULL, out->cid, DHCP_LEASE_CLIENTID_MAX,
		                      &clen, WARD_ELEASE_CLIENTID);
		if (rc < 0)
			return rc;
		out->cid_len = (uint16_t)clen;
	}
	return 0;
}

int lease_text_parse_line(const char *s, size_t n, struct dhcp_lease *out,
                          enum lease_line_kind *kind)
{
	struct field f[FIELDS_MAX];
	memset(out, 0, sizeof(*out));
	size_t nf = split_fields(s, n, f);
	if (nf == 0) {
		*kind = LEASE_LINE_BLANK;
		return 0;
	}
	if (field_is(&f[0], "duid")) {
		if (nf != 2)
			return WARD_ELEASE_FIELDS;
		*kind = LEASE_LINE_DUID;
		return 0;
	}
	if (field_is(&f[0], "vendorclass") || field_is(&f[0], "agent-info")) {
		if (nf != 3)
			return WARD_ELEASE_FIELDS;
		*kind = LEASE_LINE_EXTRA;
		return 0;
	}
	if (nf != 5)
		return WARD_ELEASE_FIELDS;
	if (memchr(f[2].p, ':', f[2].n)) {
		/* an IPv6 lease: the second field is the IAID, "T" marking a
		 * temporary address; checked enough to tell it from garbage */
		uint8_t a6[16];
		int64_t exp;
		if (parse_expiry(&f[0], &exp) < 0)
			return WARD_ELEASE_EXPIRY;
		if (rdf_parse_ipv6(f[2].p, f[2].n, a6) < 0)
			return WARD_EADDR;
		*kind = LEASE_LINE_V6;
		return 0;
	}
	int rc = parse_v4(f, out);
	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	*kind = LEASE_LINE_V4;
	return 0;
}

int lease_text_check(const struct dhcp_lease *l)
{
	if (l->expires < 0)
		return WARD_ELEASE_EXPIRY;
	if (l->hlen > DHCP_LEASE_HWADDR_MAX)
		return WARD_ELEASE_HWADDR;
	if (l->cid_len > DHCP_LEASE_CLIENTID_MAX)
		return WARD_ELEASE_CLIENTID;
	size_t hn = strnlen(l->hostname, sizeof(l->hostname));
	if (hn == sizeof(l->hostname))
		return WARD_ELEASE_HOSTNAME;
	if (hn == 1 && l->hostname[0] == '*')
		return WARD_ELEASE_HOSTNAME;
	for (size_t i = 0; i < hn; i++)
		if ((unsigned char)l->hostname[i] < 0x21 || (unsigned char)l->hostname[i] > 0x7e)
			return WARD_ELEASE_HOSTNAME;
	return 0;
}

static void put_octets(strbuf *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(sb, ':');
		strbuf_putc(sb, digits[p[i] >> 4]);
		strbuf_putc(sb, digits[p[i] & 15]);
	}
}

int lease_text_format(strbuf *sb, const struct dhcp_lease *l)
{
	int rc = lease_text_check(l);
	if (rc < 0)
		return rc;
	strbuf_printf(sb, "%lld ", (long long)l->expires);
	if (l->htype != LEASE_HTYPE_ETHER || l->hlen == 0)
		strbuf_printf(sb, "%02x-", l->htype);
	put_octets(sb, l->hw, l->hlen);
	strbuf_printf(sb, " %u.%u.%u.%u %s ", l->ip >> 24, (l->ip >> 16) & 255,
	              (l->ip >> 8) & 255, l->ip & 255,
	              l->hostname[0] ? l->hostname : "*");
	if (l->cid_len)
		put_octets(sb, l->cid, l->cid_len);
	else
		strbuf_putc(sb, '*');
	strbuf_putc(sb, '\n');
	return sb->err;
}

int lease_text_parse(const char *buf, size_t len,
                     const struct lease_text_sink *sink,
                     struct lease_text_stats *st)
{
	struct lease_text_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		line++;
		st->lines++;
		struct dhcp_lease l;
		enum lease_line_kind kind = LEASE_LINE_BLANK;
		int rc = end - pos > LEASE_TEXT_LINE_MAX ? WARD_ELIMIT
		         : lease_text_parse_line(buf + pos, end - pos, &l, &kind);
		pos = nl ? end + 1 : len;
		if (rc < 0) {
			st->bad++;
			if (!st->first_bad) {
				st->first_bad = line;
				st->first_err = rc;
			}
			if (sink && sink->bad_line)
				sink->bad_line(sink->ctx, line, rc);
			continue;
		}
		switch (kind) {
		case LEASE_LINE_V4:
			st->leases++;
			if (sink && sink->lease) {
				rc = sink->lease(sink->ctx, &l, line);
				if (rc < 0)
					return rc;
			}
			break;
		case LEASE_LINE_DUID: st->duid++; break;
		case LEASE_LINE_V6: st->v6++; break;
		case LEASE_LINE_EXTRA: st->extra++; break;
		case LEASE_LINE_BLANK: break;
		}
	}
	return 0;
}
