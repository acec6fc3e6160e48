/* wardd setup: DNSSEC options -> res_config (docs/dnssec.md, "Validation in
 * the engine"). dnsmasq's `dnssec`, `trust-anchor=` (DS form),
 * `dnssec-check-unsigned[=no]`, `dnssec-no-timecheck`, and ward's
 * `trust-anchor-file=` (zone-file DS/DNSKEY lines, as Unbound's). With
 * `dnssec` and no anchor at all, the root KSKs IANA publishes are used.
 * Also ward's `dnssec-nta=/domain/` (RFC 7646 negative trust anchors),
 * `nsec3-max-iterations=`, and dnsmasq's `dnssec-timestamp=FILE`: while
 * the file's mtime is in the future (a clock not yet set), signature
 * times are not checked (dnsmasq does the same until the clock is right;
 * here the choice is made when the configuration is read). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/setup_int.h"
#include "resolver/validator.h"

/* conf_trust_anchor (already checked by the parser) as a DS record. */
static int add_conf_anchor(struct res_anchors *a, const conf_trust_anchor *t)
{
	uint8_t rdata[4 + 255];
	if (t->digest_len > sizeof rdata - 4)
		return WARD_EINVAL;
	rdata[0] = (uint8_t)(t->key_tag >> 8);
	rdata[1] = (uint8_t)t->key_tag;
	rdata[2] = t->algorithm;
	rdata[3] = t->digest_type;
	memcpy(rdata + 4, t->digest, t->digest_len);
	dns_rr rr;
	memset(&rr, 0, sizeof rr);
	conf_name_get(&t->name, &rr.owner);
	rr.type = DNS_T_DS;
	rr.rclass = t->rclass ? t->rclass : DNS_C_IN;
	rr.ttl = 0;
	rr.rdlen = (uint16_t)(4 + t->digest_len);
	rr.rdata = rdata;
	return res_anchors_add(a, &rr);
}

int setup_dnssec(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	struct wardd_setup *s = x->s;
	if (!c->dnssec) {
		if (c->trust_anchors.n || c->trust_anchor_file)
			setup_logf(x, true, "trust anchors are configured but "
			           "`dnssec` is not: answers are not validated");
		return 0;
	}
	int r;
	for (size_t i = 0; i < c->trust_anchors.n; i++)
		if ((r = add_conf_anchor(&s->anchors, &c->trust_anchors.v[i])) < 0) {
			setup_logf(x, false, "%s:%u: trust-anchor: %s",
			           c->trust_anchors.v[i].loc.file,
			           c->trust_anchors.v[i].loc.line, ward_strerror(r));
			return r == WARD_ENOMEM ? r : WARD_ECONF;
		}
	if (c->trust_anchor_file) {
		char *text;
		size_t len;
		if (setup_read(x, c->trust_anchor_file, &text, &len) < 0) {
			setup_logf(x, false, "trust-anchor-file: %s: %s",
			           c->trust_anchor_file, x->why);
			return WARD_ECONF;
		}
		char err[512];
		r = res_anchors_parse(&s->anchors, text, len, c->trust_anchor_file,
		                      err, sizeof err);
		free(text);
		if (r < 0) {
			setup_logf(x, false, "trust-anchor-file: %s", err);
			return r == WARD_ENOMEM ? r : WARD_ECONF;
		}
	}
	if (s->anchors.n == 0 && (r = res_anchors_add_root(&s->anchors)) < 0)
		return r;
	s->rc.dnssec = true;
	s->rc.trust_anchors = s->anchors.rrs;
	s->rc.n_trust_anchors = s->anchors.n;
	s->rc.dnssec_check_unsigned = c->dnssec_check_unsigned;
	s->rc.dnssec_no_timecheck = c->dnssec_no_timecheck;
	s->rc.nsec3_max_iterations = c->nsec3_max_iterations;
	s->rc.aggressive_nsec = c->aggressive_nsec; /* RFC 8198 */
	if (c->dnssec_timestamp) {
		struct stat st;
		if (stat(c->dnssec_timestamp, &st) == 0 &&
		    st.st_mtime > time(NULL)) {
			s->timestamp_wait = true;
			s->rc.dnssec_no_timecheck = true;
			setup_logf(x, true, "dnssec-timestamp: %s is in the future: "
			           "signature times not checked",
			           c->dnssec_timestamp);
		}
	}
	if (c->dnssec_ntas.n) {
		s->ntas = calloc(c->dnssec_ntas.n, sizeof *s->ntas);
		if (!s->ntas)
			return WARD_ENOMEM;
		for (size_t i = 0; i < c->dnssec_ntas.n; i++)
			conf_name_get(&c->dnssec_ntas.v[i], &s->ntas[i]);
		s->rc.insecure_domains = s->ntas;
		s->rc.n_insecure_domains = c->dnssec_ntas.n;
	}
	return 0;
}
