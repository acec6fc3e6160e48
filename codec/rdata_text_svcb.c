/* ward: SVCB/HTTPS SvcParams in presentation format (RFC 9460 §2.1, §7,
 * §8, Appendix A; dohpath RFC 9461 §5; ohttp RFC 9540 §4).
 *
 * A value is first read as a <character-string> (quotes, \DDD, \X); list
 * values (alpn) then split on ',' with "\," and "\\" escaping an item's
 * own comma or backslash (Appendix A.1). Output follows ldns: key names,
 * values unquoted unless they hold a blank (or ';', '(', ')'). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "rdata_desc.h"
#include "rdata_text_int.h"
#include "rdata_text_svcb.h"

enum {
	KEY_MANDATORY = 0, KEY_ALPN = 1, KEY_NO_DEFAULT_ALPN = 2, KEY_PORT = 3,
	KEY_IPV4HINT = 4, KEY_ECH = 5, KEY_IPV6HINT = 6, KEY_DOHPATH = 7,
	KEY_OHTTP = 8,
};

static const char *const key_names[] = {
	"mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech",
	"ipv6hint", "dohpath", "ohttp",
};
#define NKEYNAMES (sizeof key_names / sizeof key_names[0])

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* "alpn", ... or "keyNNNNN" (decimal, no leading zeros, not 65535). */
static int key_from_text(const char *s, size_t n, uint16_t *out)
{
	for (size_t i = 0; i < NKEYNAMES; i++) {
		if (strlen(key_names[i]) == n && memcmp(s, key_names[i], n) == 0) {
			*out = (uint16_t)i;
			return 0;
		}
	}
	if (n < 4 || n > 8 || memcmp(s, "key", 3) != 0)
		return WARD_ESVCPARAM;
	if (s[3] == '0' && n > 4)
		return WARD_ESVCPARAM;
	uint32_t v = 0;
	for (size_t i = 3; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return WARD_ESVCPARAM;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v >= 65535)
		return WARD_ESVCPARAM;
	*out = (uint16_t)v;
	return 0;
}

static int cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/* The next ','-separated item of v[*pos..n) (no escapes): [*s, *e). */
static bool next_item(const uint8_t *v, size_t n, size_t *pos, size_t *s,
                      size_t *e)
{
	if (*pos > n)
		return false;
	*s = *pos;
	while (*pos < n && v[*pos] != ',')
		(*pos)++;
	*e = *pos;
	(*pos)++; /* past the comma (or past the end: the last item) */
	return true;
}

static int mandatory_from_text(const uint8_t *v, size_t n, wire_wr *w)
{
	size_t max = n / 2 + 1, cnt = 0, pos = 0, s, e;
	uint16_t *keys = malloc(max * sizeof *keys);
	int r = 0;
	if (!keys)
		return WARD_ENOMEM;
	while (r == 0 && next_item(v, n, &pos, &s, &e)) {
		uint16_t k;
		r = key_from_text((const char *)v + s, e - s, &k);
		if (r == 0 && k == KEY_MANDATORY)
			r = WARD_ESVCPARAM; /* RFC 9460 §8 */
		if (r == 0 && cnt < max)
			keys[cnt++] = k;
	}
	if (r == 0) {
		qsort(keys, cnt, sizeof *keys, cmp_u16);
		for (size_t i = 1; i < cnt; i++)
			if (keys[i] == keys[i - 1])
				r = WARD_ESVCPARAM; /* duplicate */
	}
	for (size_t i = 0; r == 0 && i < cnt; i++)
		wire_wr_u16(w, keys[i]);
	free(keys);
	return r;
}

/* alpn value-list (RFC 9460 Appendix A.1) -> <character-string>s. */
static int alpn_from_text(const uint8_t *v, size_t n, wire_wr *w)
{
	size_t i = 0;
	for (;;) {
		uint8_t item[255];
		size_t len = 0;
		while (i < n && v[i] != ',') {
			uint8_t c = v[i++];
			if (c == '\\') {
				if (i >= n || (v[i] != ',' && v[i] != '\\'))
					return WARD_ESVCPARAM;
				c = v[i++];
			}
			if (len >= sizeof item)
				return WARD_ESVCPARAM;
			item[len++] = c;
		}
		if (len == 0)
			return WARD_ESVCPARAM; /* empty alpn-id */
		wire_wr_u8(w, (uint8_t)len);
		wire_wr_bytes(w, item, len);
		if (i >= n)
			return 0;
		i++; /* the comma */
	}
}

static int hints_from_text(const uint8_t *v, size_t n, bool v6, wire_wr *w)
{
	size_t pos = 0, s, e;
	while (next_item(v, n, &pos, &s, &e)) {
		uint8_t a[16];
		int r = v6 ? rdf_parse_ipv6((const char *)v + s, e - s, a)
		           : rdf_parse_ipv4((const char *)v + s, e - s, a);
		if (r < 0)
			return r;
		wire_wr_bytes(w, a, v6 ? 16 : 4);
	}
	return 0;
}

static int value_from_text(uint16_t key, bool has_value, const uint8_t *v,
                           size_t n, wire_wr *w)
{
	switch (key) {
	case KEY_NO_DEFAULT_ALPN:
	case KEY_OHTTP:
		return n == 0 ? 0 : WARD_ESVCPARAM;
	case KEY_MANDATORY:
	case KEY_ALPN:
	case KEY_PORT:
	case KEY_IPV4HINT:
	case KEY_ECH:
	case KEY_IPV6HINT:
	case KEY_DOHPATH:
		if (!has_value || n == 0)
			return WARD_ESVCPARAM; /* these need a value */
		break;
	default:
		wire_wr_bytes(w, v, n);
		return 0;
	}
	switch (key) {
	case KEY_MANDATORY:
		return mandatory_from_text(v, n, w);
	case KEY_ALPN:
		return alpn_from_text(v, n, w);
	case KEY_PORT: {
		uint32_t port = 0;
		for (size_t i = 0; i < n; i++) {
			if (v[i] < '0' || v[i] > '9')
				return WARD_ESVCPARAM;
			port = port * 10 + (uint32_t)(v[i] - '0');
			if (port > 65535)
				return WARD_ESVCPARAM;
		}
		wire_wr_u16(w, (uint16_t)port);
		return 0;
	}
	case KEY_IPV4HINT:
	case KEY_IPV6HINT:
		return hints_from_text(v, n, key == KEY_IPV6HINT, w);
	case KEY_ECH: {
		size_t got;
		if (w->err)
			return w->err;
		int r = base64_decode((const char *)v, n, w->buf + w->pos,
		                      w->cap - w->pos, &got);
		if (r < 0)
			return r;
		w->pos += got;
		return 0;
	}
	default: /* dohpath */
		wire_wr_bytes(w, v, n);
		return 0;
	}
}

struct param {
	uint16_t key;
	size_t off; /* of the key in the region */
	size_t len; /* key + length + value */
};

static int cmp_param(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

/* Sort the params written at region[0..n) by key; WARD_ESVCPARAM on a
 * duplicate key. */
static int sort_params(uint8_t *region, size_t n)
{
	size_t max = n / 4 + 1, cnt = 0;
	struct param *ps = malloc(max * sizeof *ps);
	uint8_t *copy = malloc(n ? n : 1);
	int r = 0;
	if (!ps || !copy) {
		free(ps);
		free(copy);
		return WARD_ENOMEM;
	}
	memcpy(copy, region, n);
	wire_rd rd = wire_rd_init(copy, n);
	while (wire_rd_left(&rd) > 0 && cnt < max) {
		size_t off = rd.pos;
		uint16_t key = wire_rd_u16(&rd);
		uint16_t len = wire_rd_u16(&rd);
		wire_rd_skip(&rd, len);
		if (rd.err)
			break;
		ps[cnt].key = key;
		ps[cnt].off = off;
		ps[cnt].len = rd.pos - off;
		cnt++;
	}
	if (rd.err)
		r = WARD_ESVCPARAM;
	qsort(ps, cnt, sizeof *ps, cmp_param);
	size_t o = 0;
	for (size_t i = 0; r == 0 && i < cnt; i++) {
		if (i && ps[i].key == ps[i - 1].key)
			r = WARD_ESVCPARAM;
		memcpy(region + o, copy + ps[i].off, ps[i].len);
		o += ps[i].len;
	}
	free(ps);
	free(copy);
	return r;
}

int rdf_svcparams_from_text(const char *s, size_t n, wire_wr *w)
{
	size_t start = w->pos, i = 0;
	uint8_t *val = malloc(n ? n : 1); /* unescaped value, never longer */
	int r = 0;
	if (!val)
		return WARD_ENOMEM;
	while (r == 0) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i >= n)
			break;
		size_t ks = i;
		while (i < n && !is_blank(s[i]) && s[i] != '=')
			i++;
		uint16_t key;
		if ((r = key_from_text(s + ks, i - ks, &key)) < 0)
			break;
		bool has_value = i < n && s[i] == '=';
		const char *vt = s + i;
		size_t vn = 0;
		if (has_value) {
			i++;
			if (i < n && s[i] == '"') {
				size_t vs = ++i;
				while (i < n && s[i] != '"')
					i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
				if (i >= n) {
					r = WARD_EQUOTE;
					break;
				}
				vt = s + vs;
				vn = i - vs;
				i++;
				if (i < n && !is_blank(s[i])) {
					r = WARD_ESVCPARAM;
					break;
				}
			} else {
				size_t vs = i;
				while (i < n && !is_blank(s[i]))
					i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
				vt = s + vs;
				vn = i - vs;
			}
		}
		size_t vlen;
		if ((r = rdf_unescape(vt, vn, val, n ? n : 1, &vlen)) < 0)
			break;
		wire_wr_u16(w, key);
		size_t lenpos = w->pos;
		wire_wr_u16(w, 0);
		if ((r = value_from_text(key, has_value, val, vlen, w)) < 0)
			break;
		if (w->err)
			break;
		size_t written = w->pos - lenpos - 2;
		if (written > 65535) {
			r = WARD_ESVCPARAM;
			break;
		}
		wire_wr_put_u16_at(w, lenpos, (uint16_t)written);
	}
	free(val);
	if (r < 0)
		return r;
	if (w->err)
		return w->err;
	if ((r = sort_params(w->buf + start, w->pos - start)) < 0)
		return r;
	/* duplicates, value formats, mandatory keys present (RFC 9460 §8) */
	return rdf_svcparams_check(w->buf + start, w->pos - start) < 0
	       ? WARD_ESVCPARAM : 0;
}

/* ---- wire -> text ---- */

/* One octet of a value, escaped for presentation. */
static void put_vchar(strbuf *sb, uint8_t c)
{
	if (c == '"' || c == '\\') {
		char two[2] = { '\\', (char)c };
		strbuf_putn(sb, two, 2);
	} else if (c >= 0x20 && c < 0x7f) {
		strbuf_putc(sb, (char)c);
	} else {
		strbuf_printf(sb, "\\%03u", c);
	}
}

static bool needs_quotes(const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == ' ' || v[i] == ';' || v[i] == '(' || v[i] == ')')
			return true;
	return false;
}

static void put_key(strbuf *sb, uint16_t key)
{
	if (key < NKEYNAMES)
		strbuf_puts(sb, key_names[key]);
	else
		strbuf_printf(sb, "key%u", (unsigned)key);
}

static void put_alpn(strbuf *sb, const uint8_t *v, size_t n)
{
	wire_rd rd = wire_rd_init(v, n);
	bool q = needs_quotes(v, n);
	bool first = true;
	if (q)
		strbuf_putc(sb, '"');
	while (wire_rd_left(&rd) > 0) {
		uint8_t len = wire_rd_u8(&rd);
		const uint8_t *item = wire_rd_view(&rd, len);
		if (!item)
			break;
		if (!first)
			strbuf_putc(sb, ',');
		first = false;
		for (size_t i = 0; i < len; i++) {
			/* list level escape first, then presentation escape */
			if (item[i] == ',' || item[i] == '\\')
				put_vchar(sb, '\\');
			put_vchar(sb, item[i]);
		}
	}
	if (q)
		strbuf_putc(sb, '"');
}

void rdf_svcparams_to_text(strbuf *sb, const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	bool first = true;
	while (wire_rd_left(&rd) > 0) {
		uint16_t key = wire_rd_u16(&rd);
		uint16_t len = wire_rd_u16(&rd);
		const uint8_t *v = wire_rd_view(&rd, len);
		if (rd.err)
			break;
		if (!first)
			strbuf_putc(sb, ' ');
		first = false;
		put_key(sb, key);
		if (len == 0)
			continue;
		strbuf_putc(sb, '=');
		wire_rd vr = wire_rd_init(v, len);
		switch (key) {
		case KEY_MANDATORY:
			for (bool f = true; wire_rd_left(&vr) > 0; f = false) {
				if (!f)
					strbuf_putc(sb, ',');
				put_key(sb, wire_rd_u16(&vr));
			}
			break;
		case KEY_ALPN:
			put_alpn(sb, v, len);
			break;
		case KEY_PORT:
			strbuf_printf(sb, "%u", (unsigned)wire_rd_u16(&vr));
			break;
		case KEY_IPV4HINT:
		case KEY_IPV6HINT: {
			size_t alen = key == KEY_IPV4HINT ? 4 : 16;
			for (bool f = true; wire_rd_left(&vr) >= alen; f = false) {
				const uint8_t *a = wire_rd_view(&vr, alen);
				if (!f)
					strbuf_putc(sb, ',');
				if (alen == 4)
					rdf_put_ipv4(sb, a);
				else
					rdf_put_ipv6(sb, a);
			}
			break;
		}
		case KEY_ECH:
			base64_encode(sb, v, len);
			break;
		default: {
			bool q = needs_quotes(v, len);
			if (q)
				strbuf_putc(sb, '"');
			for (size_t i = 0; i < len; i++)
				put_vchar(sb, v[i]);
			if (q)
				strbuf_putc(sb, '"');
		}
		}
	}
}
