/* ward diagnose: the model as text for people, or as one JSON object
 * (docs/toolkit.md, "ward diagnose", lists the fields). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "codec/msg.h"
#include "diagnose.h"

const char *diag_ede_name(uint16_t ede)
{
	switch (ede) { /* RFC 8914 4, RFC 9276 */
	case 0: return "Other";
	case 1: return "Unsupported DNSKEY Algorithm";
	case 2: return "Unsupported DS Digest Type";
	case 6: return "DNSSEC Bogus";
	case 7: return "Signature Expired";
	case 8: return "Signature Not Yet Valid";
	case 9: return "DNSKEY Missing";
	case 10: return "RRSIGs Missing";
	case 11: return "No Zone Key Bit Set";
	case 12: return "NSEC Missing";
	case 22: return "No Reachable Authority";
	case 23: return "Network Error";
	case 27: return "Unsupported NSEC3 Iterations Value";
	default: return "?";
	}
}

unsigned diag_key_bits(const dnssec_dnskey *k)
{
	if (k->algorithm == DNSSEC_ALG_RSASHA1 || k->algorithm == 7 ||
	    k->algorithm == DNSSEC_ALG_RSASHA256 ||
	    k->algorithm == DNSSEC_ALG_RSASHA512 || k->algorithm == 1) {
		/* RFC 3110 2: exponent length (1 or 3 octets), exponent, modulus */
		if (k->key_len < 1)
			return 0;
		size_t el = k->key[0], off = 1;
		if (el == 0 && k->key_len >= 3) {
			el = (size_t)k->key[1] << 8 | k->key[2];
			off = 3;
		}
		if (off + el >= k->key_len)
			return 0;
		size_t ml = k->key_len - off - el;
		const uint8_t *mod = k->key + off + el;
		unsigned bits = (unsigned)ml * 8;
		for (uint8_t top = mod[0]; bits && !(top & 0x80); top <<= 1)
			bits--;
		return bits;
	}
	if (k->algorithm == DNSSEC_ALG_ECDSAP256SHA256 ||
	    k->algorithm == DNSSEC_ALG_ECDSAP384SHA384)
		return (unsigned)k->key_len * 4; /* x|y: each half the curve size */
	if (k->algorithm == DNSSEC_ALG_ED448)
		return 448;
	return (unsigned)k->key_len * 8;
}

static void tstamp(uint32_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, cap, "%Y%m%d%H%M%S", &tm);
}

static const char *zstate_str(enum diag_zstate s)
{
	static const char *const n[] = { "secure", "insecure", "bogus",
	                                 "indeterminate" };
	return n[s];
}

static void key_text(const dns_rr *rr, char *buf, size_t cap)
{
	dnssec_dnskey k;
	if (dnssec_dnskey_parse(rr->rdata, rr->rdlen, &k)) {
		snprintf(buf, cap, "malformed DNSKEY");
		return;
	}
	const char *an = dnssec_alg_name(k.algorithm);
	snprintf(buf, cap, "%u/%u (%s) flags %u%s%s%s, %u bits", k.tag,
	         k.algorithm, an ? an : "unknown", k.flags,
	         k.flags & DNSKEY_F_SEP ? " SEP" : "",
	         k.flags & DNSKEY_F_REVOKE ? " REVOKED" : "",
	         !(k.flags & DNSKEY_F_ZONE) ? " NO-ZONE-BIT" : "",
	         diag_key_bits(&k));
}

static void sigs_text(const struct diag_set *s, const char *indent, FILE *out)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16], a[20], b[20];
	for (size_t i = 0; i < s->nsig; i++) {
		const struct diag_sig *g = &s->sr[i];
		tstamp(g->inception, a, sizeof a);
		tstamp(g->expiration, b, sizeof b);
		fprintf(out, "%sRRSIG %s by %s key %u/%u, %s..%s: %s\n", indent,
		        dns_type_str(s->type, tb), dns_name_str(&g->signer, nb),
		        g->key_tag, g->algorithm, a, b,
		        g->result == DNSSEC_R_OK ? "valid"
		        : !g->checked && i >= DIAG_MAX_SHOWN_VERIFY
		        ? "not checked one by one" : dnssec_reason_str(g->result));
	}
	if (s->present && !s->nsig)
		fprintf(out, "%sno RRSIG\n", indent);
}

static void denial_text(const struct diag_denial *d, const char *indent,
                        FILE *out)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	fprintf(out, "%sdenial (%s, %s) of %s %s: %s%s%s\n", indent, d->kind,
	        d->nsec3 ? "NSEC3" : "NSEC", dns_name_str(&d->qname, nb),
	        dns_type_str(d->qtype, tb), denial_verdict_str(d->result.verdict),
	        d->result.why[0] ? ": " : "", d->result.why);
	for (size_t i = 0; i < d->n; i++) {
		char line[2048];
		strbuf sb = strbuf_init(line, sizeof line);
		dns_rr_to_text(&d->rr[i], &sb);
		fprintf(out, "%s  %s  [%s]\n", indent, line,
		        d->rr_res[i] == DNSSEC_R_OK ? "signature valid"
		        : dnssec_reason_str(d->rr_res[i]));
	}
}

void diag_report_text(const struct diag_model *m, FILE *out)
{
	char nb[DNS_NAME_TEXT_MAX], nb2[DNS_NAME_TEXT_MAX], tb[16], at[40];
	time_t t = (time_t)m->at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, "; ward diagnose %s %s (%s, at %s)\n\n",
	        dns_name_str(&m->qname, nb), dns_type_str(m->qtype, tb),
	        m->source ? m->source : "?", at);
	for (size_t i = 0; i < m->nzones; i++) {
		const struct diag_zone *z = &m->zones[i];
		fprintf(out, "zone %s%s: %s\n", dns_name_str(&z->name, nb),
		        z->anchor ? " (trust anchor)" : "", zstate_str(z->state));
		if (!z->anchor && z->parent >= 0 && z->ds.present) {
			fprintf(out, "  DS set (from %s):\n",
			        dns_name_str(&m->zones[z->parent].name, nb2));
			for (size_t k = 0; k < z->ds.n; k++) {
				dnssec_ds d;
				if (dnssec_ds_parse(z->ds.rr[k].rdata, z->ds.rr[k].rdlen, &d))
					continue;
				fprintf(out, "    DS %u/%u/%u", d.key_tag, d.algorithm,
				        d.digest_type);
				if (z->ds_key[k] >= 0)
					fprintf(out, " -> matches DNSKEY %u\n", d.key_tag);
				else
					fprintf(out, " -> %s\n", z->ds_match[k] ==
					        DNSSEC_DS_UNSUPPORTED ? "digest type not supported"
					        : !dnssec_alg_supported(d.algorithm)
					        ? "algorithm not supported" : "matches no key");
			}
			sigs_text(&z->ds, "    ", out);
		}
		if (z->anchor) {
			for (size_t k = 0; k < m->nanchors; k++) {
				dnssec_ds d;
				if (m->anchors[k].type != DNS_T_DS ||
				    !dns_name_equal(&m->anchors[k].owner, &z->name) ||
				    dnssec_ds_parse(m->anchors[k].rdata, m->anchors[k].rdlen, &d))
					continue;
				fprintf(out, "  anchor DS %u/%u/%u -> %s\n", d.key_tag,
				        d.algorithm, d.digest_type, z->ds_key[k] >= 0
				        ? "matches a DNSKEY" : "matches no key");
			}
		}
		if (z->dnskey.present) {
			fprintf(out, "  DNSKEY set:\n");
			for (size_t k = 0; k < z->dnskey.n; k++) {
				char kt[160];
				key_text(&z->dnskey.rr[k], kt, sizeof kt);
				fprintf(out, "    DNSKEY %s\n", kt);
			}
			sigs_text(&z->dnskey, "    ", out);
		}
		if (z->nods.used)
			denial_text(&z->nods, "  ", out);
		if (z->state != DIAG_Z_SECURE && z->why[0])
			fprintf(out, "  why: %s\n", z->why);
	}
	if (m->nlinks || m->denial.used || m->answered)
		fprintf(out, "\nanswer (%s):\n", m->answered
		        ? dns_rcode_name(m->rcode) : "none");
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct diag_link *l = &m->links[i];
		fprintf(out, "  %s %s (%u record%s, zone %s): %s\n",
		        dns_name_str(&l->set.owner, nb), dns_type_str(l->set.type, tb),
		        (unsigned)l->set.n, l->set.n == 1 ? "" : "s",
		        dns_name_str(&m->zones[l->zone].name, nb2), zstate_str(l->state));
		sigs_text(&l->set, "    ", out);
		if (l->wild.used)
			denial_text(&l->wild, "    ", out);
	}
	if (m->denial.used)
		denial_text(&m->denial, "  ", out);
	for (size_t i = 0; i < m->nnotes; i++)
		fprintf(out, "\nnote: %s", m->notes[i]);
	if (m->nnotes)
		fputc('\n', out);
	fprintf(out, "\nverdict: %s", diag_verdict_str(m->verdict));
	if (m->ede != DIAG_NO_EDE)
		fprintf(out, " (EDE %u: %s)", m->ede, diag_ede_name(m->ede));
	fprintf(out, "\n  %s\n", m->sentence);
}

/* ---- JSON ---- */

static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void jname(FILE *out, const dns_name *n)
{
	char nb[DNS_NAME_TEXT_MAX];
	jstr(out, dns_name_str(n, nb));
}

static void jsigs(FILE *out, const struct diag_set *s)
{
	fprintf(out, "[");
	for (size_t i = 0; i < s->nsig; i++) {
		const struct diag_sig *g = &s->sr[i];
		char a[20], b[20];
		tstamp(g->inception, a, sizeof a);
		tstamp(g->expiration, b, sizeof b);
		fprintf(out, "%s{\"signer\":", i ? "," : "");
		jname(out, &g->signer);
		fprintf(out, ",\"key_tag\":%u,\"algorithm\":%u,\"inception\":\"%s\","
		        "\"expiration\":\"%s\",\"result\":", g->key_tag, g->algorithm,
		        a, b);
		jstr(out, g->result == DNSSEC_R_OK ? "valid"
		     : dnssec_reason_str(g->result));
		fprintf(out, "}");
	}
	fprintf(out, "]");
}

static void jset(FILE *out, const struct diag_set *s)
{
	char tb[16];
	fprintf(out, "{\"owner\":");
	jname(out, &s->owner);
	fprintf(out, ",\"type\":\"%s\",\"records\":[", dns_type_str(s->type, tb));
	for (size_t i = 0; i < s->n; i++) {
		char line[4096];
		strbuf sb = strbuf_init(line, sizeof line);
		dns_rr_to_text(&s->rr[i], &sb);
		fprintf(out, "%s", i ? "," : "");
		jstr(out, line);
	}
	fprintf(out, "],\"rrsigs\":");
	jsigs(out, s);
	if (s->verified) {
		fprintf(out, ",\"status\":\"%s\",\"reason\":",
		        dnssec_status_str(s->status));
		jstr(out, dnssec_reason_str(s->reason));
	}
	fprintf(out, "}");
}

static void jdenial(FILE *out, const struct diag_denial *d)
{
	char tb[16];
	if (!d->used) {
		fprintf(out, "null");
		return;
	}
	fprintf(out, "{\"kind\":\"%s\",\"type\":\"%s\",\"qname\":", d->kind,
	        d->nsec3 ? "NSEC3" : "NSEC");
	jname(out, &d->qname);
	fprintf(out, ",\"qtype\":\"%s\",\"verdict\":\"%s\",\"reason\":\"%s\","
	        "\"why\":", dns_type_str(d->qtype, tb),
	        denial_verdict_str(d->result.verdict),
	        denial_reason_str(d->result.reason));
	jstr(out, d->result.why);
	fprintf(out, ",\"records\":[");
	for (size_t i = 0; i < d->n; i++) {
		char line[2048];
		strbuf sb = strbuf_init(line, sizeof line);
		dns_rr_to_text(&d->rr[i], &sb);
		fprintf(out, "%s{\"record\":", i ? "," : "");
		jstr(out, line);
		fprintf(out, ",\"signature\":");
		jstr(out, d->rr_res[i] == DNSSEC_R_OK ? "valid"
		     : dnssec_reason_str(d->rr_res[i]));
		fprintf(out, "}");
	}
	fprintf(out, "]}");
}

static void jede(FILE *out, uint16_t ede)
{
	if (ede == DIAG_NO_EDE)
		fprintf(out, "null");
	else
		fprintf(out, "%u", ede);
}

void diag_report_json(const struct diag_model *m, FILE *out)
{
	char tb[16];
	fprintf(out, "{\"qname\":");
	jname(out, &m->qname);
	fprintf(out, ",\"qtype\":\"%s\",\"source\":", dns_type_str(m->qtype, tb));
	jstr(out, m->source ? m->source : "");
	fprintf(out, ",\"at\":%lld,\"verdict\":\"%s\",\"exit\":%d,\"ede\":",
	        (long long)m->at, diag_verdict_str(m->verdict), (int)m->verdict);
	jede(out, m->ede);
	fprintf(out, ",\"ede_name\":");
	if (m->ede == DIAG_NO_EDE)
		fprintf(out, "null");
	else
		jstr(out, diag_ede_name(m->ede));
	fprintf(out, ",\"why\":");
	jstr(out, m->sentence);
	fprintf(out, ",\"queries\":%u,\"zones\":[", m->queries);
	for (size_t i = 0; i < m->nzones; i++) {
		const struct diag_zone *z = &m->zones[i];
		fprintf(out, "%s{\"zone\":", i ? "," : "");
		jname(out, &z->name);
		fprintf(out, ",\"parent\":");
		if (z->parent >= 0)
			jname(out, &m->zones[z->parent].name);
		else
			fprintf(out, "null");
		fprintf(out, ",\"anchor\":%s,\"state\":\"%s\",\"ede\":",
		        z->anchor ? "true" : "false", zstate_str(z->state));
		jede(out, z->ede);
		fprintf(out, ",\"why\":");
		jstr(out, z->why);
		fprintf(out, ",\"ds\":[");
		for (size_t k = 0; k < z->ds.n; k++) {
			dnssec_ds d;
			if (dnssec_ds_parse(z->ds.rr[k].rdata, z->ds.rr[k].rdlen, &d))
				continue;
			fprintf(out, "%s{\"key_tag\":%u,\"algorithm\":%u,\"digest_type\":%u,"
			        "\"matches_key\":%s}", k ? "," : "", d.key_tag,
			        d.algorithm, d.digest_type,
			        z->ds_key[k] >= 0 ? "true" : "false");
		}
		fprintf(out, "],\"ds_rrsigs\":");
		jsigs(out, &z->ds);
		fprintf(out, ",\"dnskeys\":[");
		for (size_t k = 0; k < z->dnskey.n; k++) {
			dnssec_dnskey d;
			if (dnssec_dnskey_parse(z->dnskey.rr[k].rdata,
			                        z->dnskey.rr[k].rdlen, &d))
				continue;
			fprintf(out, "%s{\"key_tag\":%u,\"algorithm\":%u,\"flags\":%u,"
			        "\"bits\":%u}", k ? "," : "", d.tag, d.algorithm, d.flags,
			        diag_key_bits(&d));
		}
		fprintf(out, "],\"dnskey_rrsigs\":");
		jsigs(out, &z->dnskey);
		fprintf(out, ",\"no_ds_proof\":");
		jdenial(out, &z->nods);
		fprintf(out, "}");
	}
	fprintf(out, "],\"answer\":{\"rcode\":");
	if (m->answered)
		jstr(out, dns_rcode_name(m->rcode));
	else
		fprintf(out, "null");
	fprintf(out, ",\"rrsets\":[");
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct diag_link *l = &m->links[i];
		fprintf(out, "%s{\"zone\":", i ? "," : "");
		jname(out, &m->zones[l->zone].name);
		fprintf(out, ",\"state\":\"%s\",\"rrset\":", zstate_str(l->state));
		jset(out, &l->set);
		fprintf(out, ",\"wildcard_proof\":");
		jdenial(out, &l->wild);
		fprintf(out, "}");
	}
	fprintf(out, "],\"denial\":");
	jdenial(out, &m->denial);
	fprintf(out, "},\"notes\":[");
	for (size_t i = 0; i < m->nnotes; i++) {
		fprintf(out, "%s", i ? "," : "");
		jstr(out, m->notes[i]);
	}
	fprintf(out, "]}\n");
}
