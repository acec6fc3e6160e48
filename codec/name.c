/* ward: DNS names — wire decoding with compression, encoding with
 * compression, presentation format, comparison and canonical order.
 * RFC 1035 §3.1, §4.1.4; RFC 4034 §6.1; RFC 4343. */
#include <string.h>

#include "name.h"

static inline uint8_t lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

void dns_name_root(dns_name *out)
{
	out->len = 1;
	out->wire[0] = 0;
}

static int fail(wire_rd *rd, int err)
{
	wire_rd_fail(rd, err);
	return err;
}

/* Pointer rules (RFC 1035 §4.1.4 leaves them open; we follow Knot and
 * Unbound): a pointer must point strictly before the label it replaces, so
 * every hop moves backwards and a loop is impossible; the hop cap bounds the
 * work on a long backwards chain. */
static int name_read(wire_rd *rd, dns_name *out, bool allow_compression)
{
	size_t pos = rd->pos;     /* where we read labels now */
	size_t limit = rd->end;   /* labels must lie before this */
	size_t resume = 0;        /* stream position after the first pointer */
	bool jumped = false;
	unsigned hops = 0;
	size_t n = 0;
	size_t run = pos;          /* start of the current contiguous run */
	uint8_t *dst = out ? out->wire : NULL;

	if (rd->err)
		return rd->err;
	for (;;) {
		/* after a jump, running into the pointer we came from is a loop */
		if (pos >= limit)
			return fail(rd, jumped ? WARD_EPTRLOOP : WARD_ETRUNC);
		uint8_t len = rd->buf[pos];
		if ((len & 0xC0) == 0xC0) {
			if (!allow_compression)
				return fail(rd, WARD_ECOMPRESS);
			if (pos + 1 >= limit)
				return fail(rd, WARD_ETRUNC);
			size_t target = ((size_t)(len & 0x3F) << 8) | rd->buf[pos + 1];
			if (!jumped) {
				resume = pos + 2;
				jumped = true;
			}
			if (target >= pos)
				return fail(rd, WARD_EPTRFWD);
			if (++hops > DNS_PTR_MAXHOPS)
				return fail(rd, WARD_EPTRLOOP);
			/* copy the labels read so far in one go (n bounds them) */
			if (dst && pos > run)
				memcpy(dst + n - (pos - run), rd->buf + run, pos - run);
			/* labels after a jump may run up to the label we left */
			limit = pos;
			pos = target;
			run = pos;
			continue;
		}
		if (len & 0xC0)
			return fail(rd, WARD_ELABELTYPE);
		if (n + 1 + len > DNS_NAME_MAXLEN)
			return fail(rd, WARD_ENAMELEN);
		if (pos + 1 + len > limit)
			return fail(rd, jumped ? WARD_EPTRLOOP : WARD_ETRUNC);
		n += (size_t)len + 1;
		pos += (size_t)len + 1;
		if (len == 0)
			break;
	}
	if (dst)
		memcpy(dst + n - (pos - run), rd->buf + run, pos - run);
	rd->pos = jumped ? resume : pos;
	if (out)
		out->len = (uint16_t)n;
	return 0;
}

int dns_name_read(wire_rd *rd, dns_name *out, bool allow_compression)
{
	return name_read(rd, out, allow_compression);
}

int dns_name_skip(wire_rd *rd)
{
	return name_read(rd, NULL, true);
}

int dns_name_check(const uint8_t *p, size_t n)
{
	size_t pos = 0;
	for (;;) {
		if (pos >= n)
			return WARD_ETRUNC;
		uint8_t len = p[pos];
		if ((len & 0xC0) == 0xC0)
			return WARD_ECOMPRESS;
		if (len & 0xC0)
			return WARD_ELABELTYPE;
		if (pos + 1 + len > DNS_NAME_MAXLEN)
			return WARD_ENAMELEN;
		if (pos + 1 + len > n)
			return WARD_ETRUNC;
		pos += (size_t)len + 1;
		if (len == 0)
			return (int)pos;
	}
}

int dns_name_from_wire(dns_name *out, const uint8_t *p, size_t n)
{
	int r = dns_name_check(p, n);
	if (r < 0)
		return r;
	out->len = (uint16_t)r;
	memcpy(out->wire, p, (size_t)r);
	return 0;
}

void dns_name_write(wire_wr *w, const dns_name *n)
{
	wire_wr_bytes(w, n->wire, n->len);
}

/* Does the name written at `off` in the message under construction equal
 * the suffix `s` (uncompressed, slen octets)? The message is our own output,
 * but we still bound every step. */
static bool suffix_at(const uint8_t *buf, size_t buflen, size_t off,
                      const uint8_t *s, size_t slen)
{
	size_t i = 0;
	unsigned hops = 0;
	/* the same octets there (the usual case: an owner written again as
	 * the question has it): the same length octets lead through the
	 * same labels to the same root, no pointer on the way */
	if (off < buflen && slen <= buflen - off && memcmp(buf + off, s, slen) == 0)
		return true;
	while (off < buflen) {
		uint8_t len = buf[off];
		if ((len & 0xC0) == 0xC0) {
			if (off + 1 >= buflen || ++hops > DNS_PTR_MAXHOPS)
				return false;
			off = ((size_t)(len & 0x3F) << 8) | buf[off + 1];
			continue;
		}
		if (i >= slen || s[i] != len || off + 1 + len > buflen)
			return false;
		for (size_t k = 1; k <= len; k++)
			if (lower(buf[off + k]) != lower(s[i + k]))
				return false;
		if (len == 0)
			return i + 1 == slen;
		i += (size_t)len + 1;
		off += (size_t)len + 1;
	}
	return false;
}

void dns_name_write_compressed(wire_wr *w, const dns_name *n, dns_compress *c)
{
	if (!c) {
		dns_name_write(w, n);
		return;
	}
	size_t i = 0;
	size_t label_start[DNS_NAME_MAXLABELS];
	unsigned nlabels = 0;
	while (i < n->len && n->wire[i] != 0) {
		/* try the suffix starting at label i */
		for (unsigned k = 0; k < c->n; k++) {
			if (suffix_at(w->buf, w->pos, c->off[k], n->wire + i,
			              n->len - i)) {
				wire_wr_bytes(w, n->wire, i);
				wire_wr_u16(w, (uint16_t)(0xC000 | c->off[k]));
				goto record;
			}
		}
		if (nlabels < DNS_NAME_MAXLABELS)
			label_start[nlabels++] = i;
		i += (size_t)n->wire[i] + 1;
	}
	dns_name_write(w, n);
record:
	/* Remember where the labels we wrote out start (not the pointer). */
	if (w->err)
		return;
	{
		size_t base = w->pos - (i < n->len && n->wire[i] != 0 ? i + 2 : n->len);
		for (unsigned k = 0; k < nlabels && c->n < DNS_COMPRESS_MAX; k++) {
			size_t off = base + label_start[k];
			if (off < 0x4000)
				c->off[c->n++] = (uint16_t)off;
		}
	}
}

/* ---- presentation format ---- */

static int digitval(char c)
{
	return (c >= '0' && c <= '9') ? c - '0' : -1;
}

int dns_name_from_text(dns_name *out, const char *s, size_t slen,
                       const dns_name *origin)
{
	uint8_t buf[DNS_NAME_MAXLEN];
	size_t n = 0;       /* octets written to buf */
	size_t lab = 0;     /* index of the current label's length octet */
	size_t i = 0;

	if (slen == 0)
		return WARD_ESYNTAX;
	if (slen == 1 && s[0] == '@') {
		if (!origin)
			return WARD_ENOORIGIN;
		*out = *origin;
		return 0;
	}
	if (slen == 1 && s[0] == '.') {
		dns_name_root(out);
		return 0;
	}
	buf[0] = 0;
	n = 1;
	lab = 0;
	bool absolute = false;
	while (i < slen) {
		char ch = s[i];
		uint8_t v;
		if (ch == '.') {
			size_t ll = n - lab - 1;
			if (ll == 0)
				return WARD_EEMPTYLABEL;
			buf[lab] = (uint8_t)ll;
			i++;
			if (i == slen) {
				absolute = true;
				break;
			}
			if (n >= DNS_NAME_MAXLEN)
				return WARD_ENAMELEN;
			lab = n;
			buf[n++] = 0;
			continue;
		}
		if (ch == '\\') {
			if (i + 1 >= slen)
				return WARD_EESCAPE;
			int d0 = digitval(s[i + 1]);
			if (d0 >= 0) {
				if (i + 3 >= slen)
					return WARD_EESCAPE;
				int d1 = digitval(s[i + 2]);
				int d2 = digitval(s[i + 3]);
				if (d1 < 0 || d2 < 0)
					return WARD_EESCAPE;
				int val = d0 * 100 + d1 * 10 + d2;
				if (val > 255)
					return WARD_EESCAPE;
				v = (uint8_t)val;
				i += 4;
			} else {
				v = (uint8_t)s[i + 1];
				i += 2;
			}
		} else {
			v = (uint8_t)ch;
			i++;
		}
		if (n - lab - 1 >= DNS_LABEL_MAXLEN)
			return WARD_ELABEL;
		if (n >= DNS_NAME_MAXLEN)
			return WARD_ENAMELEN;
		buf[n++] = v;
	}
	if (!absolute) {
		size_t ll = n - lab - 1;
		if (ll == 0)
			return WARD_EEMPTYLABEL;
		buf[lab] = (uint8_t)ll;
		if (!origin)
			return WARD_ENOORIGIN;
		if (n + origin->len > DNS_NAME_MAXLEN)
			return WARD_ENAMELEN;
		memcpy(buf + n, origin->wire, origin->len);
		n += origin->len;
	} else {
		if (n >= DNS_NAME_MAXLEN)
			return WARD_ENAMELEN;
		buf[n++] = 0;
	}
	out->len = (uint16_t)n;
	memcpy(out->wire, buf, n);
	return 0;
}

void dns_name_to_text(const dns_name *n, strbuf *sb)
{
	size_t i = 0;
	if (n->len <= 1) {
		strbuf_putc(sb, '.');
		return;
	}
	while (i < n->len && n->wire[i] != 0) {
		uint8_t len = n->wire[i];
		for (size_t k = 1; k <= len && i + k < n->len; k++) {
			uint8_t c = n->wire[i + k];
			switch (c) {
			case '.': case '\\': case '"': case '(': case ')':
			case ';': case '@': case '$': case ' ':
				strbuf_putc(sb, '\\');
				strbuf_putc(sb, (char)c);
				break;
			default:
				if (c > 0x20 && c < 0x7f)
					strbuf_putc(sb, (char)c);
				else
					strbuf_printf(sb, "\\%03u", c);
			}
		}
		strbuf_putc(sb, '.');
		i += (size_t)len + 1;
	}
}

const char *dns_name_str(const dns_name *n, char buf[DNS_NAME_TEXT_MAX])
{
	strbuf sb = strbuf_init(buf, DNS_NAME_TEXT_MAX);
	dns_name_to_text(n, &sb);
	return buf;
}

/* ---- comparison ---- */

unsigned dns_name_labels(const dns_name *n)
{
	unsigned count = 0;
	size_t i = 0;
	while (i < n->len && n->wire[i] != 0) {
		count++;
		i += (size_t)n->wire[i] + 1;
	}
	return count;
}

bool dns_name_equal(const dns_name *a, const dns_name *b)
{
	if (a->len != b->len)
		return false;
	if (memcmp(a->wire, b->wire, a->len) == 0)
		return true; /* the usual case (same spelling), and a fast one */
	/* length octets are < 64, so lowering them is harmless */
	for (size_t i = 0; i < a->len; i++)
		if (lower(a->wire[i]) != lower(b->wire[i]))
			return false;
	return true;
}

/* Offsets of each label's length octet, left to right; returns the count. */
static unsigned label_offsets(const dns_name *n, uint8_t off[DNS_NAME_MAXLABELS])
{
	unsigned count = 0;
	size_t i = 0;
	while (i < n->len && n->wire[i] != 0 && count < DNS_NAME_MAXLABELS) {
		off[count++] = (uint8_t)i;
		i += (size_t)n->wire[i] + 1;
	}
	return count;
}

/* RFC 4034 §6.1: compare label by label from the rightmost, each label as
 * a lowercased octet string where a shorter prefix sorts first; the name
 * with fewer labels sorts first when all its labels match. */
int dns_name_canon_cmp(const dns_name *a, const dns_name *b)
{
	uint8_t oa[DNS_NAME_MAXLABELS], ob[DNS_NAME_MAXLABELS];
	unsigned na = label_offsets(a, oa), nb = label_offsets(b, ob);
	while (na > 0 && nb > 0) {
		na--;
		nb--;
		const uint8_t *la = a->wire + oa[na];
		const uint8_t *lb = b->wire + ob[nb];
		unsigned m = la[0] < lb[0] ? la[0] : lb[0];
		for (unsigned k = 1; k <= m; k++) {
			uint8_t ca = lower(la[k]), cb = lower(lb[k]);
			if (ca != cb)
				return ca < cb ? -1 : 1;
		}
		if (la[0] != lb[0])
			return la[0] < lb[0] ? -1 : 1;
	}
	if (na == nb)
		return 0;
	return na < nb ? -1 : 1;
}

void dns_name_lower(dns_name *n)
{
	size_t i = 0;
	for (; i + 8 <= n->len; i += 8) { /* 8 octets a step (dns_lower8) */
		uint64_t x;
		memcpy(&x, n->wire + i, 8);
		x = dns_lower8(x);
		memcpy(n->wire + i, &x, 8);
	}
	for (; i < n->len; i++)
		n->wire[i] = lower(n->wire[i]);
}

bool dns_name_is_subdomain(const dns_name *n, const dns_name *parent)
{
	if (parent->len > n->len)
		return false;
	/* walk n's labels until the remaining suffix has parent's length */
	size_t i = 0;
	while (n->len - i > parent->len) {
		if (n->wire[i] == 0)
			return false;
		i += (size_t)n->wire[i] + 1;
	}
	if (n->len - i != parent->len)
		return false;
	for (size_t k = 0; k < parent->len; k++)
		if (lower(n->wire[i + k]) != lower(parent->wire[k]))
			return false;
	return true;
}

void dns_name_strip_left(dns_name *n, unsigned count)
{
	size_t i = 0;
	while (count > 0 && i < n->len && n->wire[i] != 0) {
		i += (size_t)n->wire[i] + 1;
		count--;
	}
	if (i > 0) {
		memmove(n->wire, n->wire + i, n->len - i);
		n->len = (uint16_t)(n->len - i);
	}
}

int dns_name_prepend_label(dns_name *n, const uint8_t *label, size_t len)
{
	if (len > DNS_LABEL_MAXLEN)
		return WARD_ELABEL;
	if (len == 0)
		return WARD_EEMPTYLABEL;
	if (n->len + len + 1 > DNS_NAME_MAXLEN)
		return WARD_ENAMELEN;
	memmove(n->wire + len + 1, n->wire, n->len);
	n->wire[0] = (uint8_t)len;
	memcpy(n->wire + 1, label, len);
	n->len = (uint16_t)(n->len + len + 1);
	return 0;
}

int dns_name_concat(dns_name *out, const uint8_t *prefix, size_t plen,
                    const dns_name *suffix)
{
	if (plen + suffix->len > DNS_NAME_MAXLEN)
		return WARD_ENAMELEN;
	uint8_t tmp[DNS_NAME_MAXLEN];
	memcpy(tmp, prefix, plen);
	memcpy(tmp + plen, suffix->wire, suffix->len);
	return dns_name_from_wire(out, tmp, plen + suffix->len);
}
