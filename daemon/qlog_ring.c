/* wardd: the dashboard's query-log ring and its filters (qlog_ring.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec/error.h"
#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/rr.h"
#include "codec/strbuf.h"
#include "daemon/qlog_ring.h"

int qlog_ring_init(struct qlog_ring *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	if (cap == 0)
		return WARD_EINVAL;
	r->v = calloc(cap, sizeof *r->v);
	if (!r->v)
		return WARD_ENOMEM;
	r->cap = cap;
	r->next_seq = 1;
	return 0;
}

void qlog_ring_free(struct qlog_ring *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

void qlog_ring_push(struct qlog_ring *r, const struct qlog_entry *e)
{
	struct qlog_entry *slot = &r->v[r->next_seq % r->cap];
	*slot = *e;
	slot->seq = r->next_seq++;
}

uint64_t qlog_ring_first(const struct qlog_ring *r)
{
	uint64_t held = r->next_seq - 1;     /* pushed so far */
	return held > r->cap ? r->next_seq - r->cap : 1;
}

const struct qlog_entry *qlog_ring_get(const struct qlog_ring *r,
                                       uint64_t seq)
{
	if (seq < qlog_ring_first(r) || seq >= r->next_seq)
		return NULL;
	return &r->v[seq % r->cap];
}

/* ---- filters ---- */

static void filter_any(struct qlog_filter *f)
{
	memset(f, 0, sizeof *f);
	f->rcode = -1;
}

bool qlog_filter_empty(const struct qlog_filter *f)
{
	return !f->client[0] && !f->name[0] && f->rcode < 0;
}

static int parse_rcode(const char *s, size_t n, int *out)
{
	if (n == 0 || n > 12)
		return WARD_EINVAL;
	if (s[0] >= '0' && s[0] <= '9') {
		int v = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return WARD_EINVAL;
			v = v * 10 + (s[i] - '0');
			if (v > 4095)
				return WARD_EINVAL;
		}
		*out = v;
		return 0;
	}
	for (unsigned rc = 0; rc < 4096; rc++) {
		const char *nm = dns_rcode_name(rc);
		if (!nm) {
			if (rc > 32)
				break;     /* the names end at BADCOOKIE (23) */
			continue;
		}
		if (strlen(nm) == n && !strncasecmp(nm, s, n)) {
			*out = (int)rc;
			return 0;
		}
	}
	return WARD_EINVAL;
}

int qlog_filter_parse(struct qlog_filter *f, const char *client,
                      const char *name, const char *rcode, const char **why)
{
	filter_any(f);
	*why = NULL;
	size_t n = client ? strlen(client) : 0;
	if (n >= sizeof f->client) {
		*why = "the client filter is too long for an address";
		goto bad;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = client[i];
		bool hex = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		           (ch >= 'A' && ch <= 'F');
		if (!hex && ch != '.' && ch != ':') {
			*why = "the client filter takes an address or its start "
			       "(digits, hex digits, '.', ':')";
			goto bad;
		}
		f->client[i] = ch;
	}
	n = name ? strlen(name) : 0;
	if (n > QLOG_FILTER_NAME_MAX) {
		*why = "the name filter is longer than a domain name";
		goto bad;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch <= ' ' || ch >= 0x7f) {
			*why = "the name filter takes printable ASCII without spaces";
			goto bad;
		}
		f->name[i] = (char)ch;
	}
	n = rcode ? strlen(rcode) : 0;
	if (n && parse_rcode(rcode, n, &f->rcode)) {
		*why = "the rcode filter takes a name (NOERROR, NXDOMAIN, "
		       "SERVFAIL, ...) or a number 0..4095";
		goto bad;
	}
	return 0;
bad:
	filter_any(f);
	return WARD_EINVAL;
}

/* ASCII case-insensitive substring search (names compare that way,
 * RFC 4343). */
static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay);
	if (n == 0)
		return true;
	for (size_t i = 0; i + n <= h; i++)
		if (!strncasecmp(hay + i, needle, n))
			return true;
	return false;
}

bool qlog_filter_match(const struct qlog_filter *f, const struct qlog_entry *e)
{
	size_t cl = strlen(f->client);
	if (cl && strncasecmp(e->client, f->client, cl))
		return false;
	if (f->rcode >= 0 && e->rcode != (unsigned)f->rcode)
		return false;
	return contains_nocase(e->name, f->name);
}

const char *qlog_rcode_str(uint16_t rcode, char buf[8])
{
	const char *n = dns_rcode_name(rcode);
	if (n)
		return n;
	snprintf(buf, 8, "%u", rcode & 0xfffu);
	return buf;
}

int qlog_seq_parse(const char *s, uint64_t *out)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 19)
		return WARD_EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return WARD_EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');   /* 19 digits fit */
	}
	*out = v;
	return 0;
}

const char *qlog_verdict_name(enum qlog_verdict v)
{
	switch (v) {
	case QLOG_DNSSEC_SECURE: return "secure";
	case QLOG_DNSSEC_INSECURE: return "insecure";
	case QLOG_DNSSEC_BOGUS: return "bogus";
	case QLOG_DNSSEC_NONE: break;
	}
	return "-";
}

/* ---- answers ---- */

bool qlog_ede_is_dnssec(uint16_t code)
{
	return code == EDE_UNSUPPORTED_DNSKEY_ALG ||
	       code == EDE_UNSUPPORTED_DS_DIGEST ||
	       (code >= EDE_DNSSEC_INDETERMINATE && code <= EDE_NSEC_MISSING) ||
	       code == EDE_SIG_EXPIRED_BEFORE_VALID ||
	       code == EDE_UNSUPPORTED_NSEC3_ITER;
}

static void answer_ede(struct qlog_entry *e, const dns_msg *m)
{
	edns_info ei;
	edns_opt o;
	edns_ede ede;
	if (edns_from_msg(m, &ei) < 0 || edns_opt_find(&ei, EDNS_OPT_EDE, &o) < 0 ||
	    edns_ede_parse(&o, &ede) < 0)
		return;
	e->has_ede = true;
	e->ede = ede.info_code;
	strbuf sb = strbuf_init(e->ede_text, sizeof e->ede_text);
	if (ede.text && ede.text_len)
		edns_text_put_sanitized(&sb, ede.text, ede.text_len);
	if (sb.err && sizeof e->ede_text > 4)
		memcpy(e->ede_text + sizeof e->ede_text - 4, "...", 4);
}

int qlog_entry_from_answer(struct qlog_entry *e, const uint8_t *pkt,
                           size_t len, bool dnssec)
{
	if (len < DNS_HEADER_LEN)
		return WARD_EINVAL;
	dns_msg m;
	int pr = dns_msg_parse(&m, pkt, len);
	uint16_t flags = (uint16_t)(pkt[2] << 8 | pkt[3]);
	e->aa = flags & DNS_FLAG_AA;
	e->tc = flags & DNS_FLAG_TC;
	e->rd = flags & DNS_FLAG_RD;
	e->ra = flags & DNS_FLAG_RA;
	e->ad = flags & DNS_FLAG_AD;
	e->cd = flags & DNS_FLAG_CD;
	e->rcode = pr < 0 ? DNS_RCODE(flags) : dns_msg_rcode(&m);
	e->has_ede = false;
	e->ede = 0;
	e->ede_text[0] = 0;
	snprintf(e->name, sizeof e->name, "?");
	snprintf(e->type, sizeof e->type, "?");
	dns_name q;
	uint16_t qt;
	if ((pr == 0 || m.parsed[0] >= 1) &&
	    dns_msg_question(&m, &q, &qt, NULL) == 0) {
		dns_name_str(&q, e->name);
		dns_type_str(qt, e->type);
	}
	e->nodata = e->rcode == DNS_RCODE_NOERROR &&
	            (pr < 0 ? m.parsed[1] : m.count[1]) == 0;
	if (pr == 0)
		answer_ede(e, &m);
	e->verdict = QLOG_DNSSEC_NONE;
	if (dnssec && !e->aa) {
		if (e->ad)
			e->verdict = QLOG_DNSSEC_SECURE;
		else if (e->rcode == DNS_RCODE_SERVFAIL && e->has_ede &&
		         qlog_ede_is_dnssec(e->ede))
			e->verdict = QLOG_DNSSEC_BOGUS;
		else if (e->rcode == DNS_RCODE_NOERROR ||
		         e->rcode == DNS_RCODE_NXDOMAIN)
			e->verdict = QLOG_DNSSEC_INSECURE;
	}
	return 0;
}
