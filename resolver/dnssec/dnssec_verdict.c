/* ward DNSSEC: verdicts — reason -> EDE code (RFC 8914 §4) and text. */
#include <stdio.h>
#include <time.h>

#include "dnssec.h"
#include "dnssec_int.h"

uint16_t dnssec_reason_ede(enum dnssec_reason r)
{
	switch (r) {
	case DNSSEC_R_OK: return 0;
	case DNSSEC_R_NO_RRSIG: return DNSSEC_EDE_RRSIGS_MISSING;
	case DNSSEC_R_NO_DNSKEY: return DNSSEC_EDE_DNSKEY_MISSING;
	case DNSSEC_R_DS_NO_MATCH: return DNSSEC_EDE_DNSKEY_MISSING;
	case DNSSEC_R_NO_ZONE_KEY: return DNSSEC_EDE_NO_ZONE_KEY_BIT;
	case DNSSEC_R_SIG_EXPIRED: return DNSSEC_EDE_SIG_EXPIRED;
	case DNSSEC_R_SIG_NOT_YET_VALID: return DNSSEC_EDE_SIG_NOT_YET_VALID;
	case DNSSEC_R_UNSUPPORTED_ALG: return DNSSEC_EDE_UNSUPPORTED_DNSKEY_ALG;
	case DNSSEC_R_UNSUPPORTED_DIGEST: return DNSSEC_EDE_UNSUPPORTED_DS_DIGEST;
	case DNSSEC_R_INTERNAL: return DNSSEC_EDE_OTHER;
	case DNSSEC_R_KEY_REVOKED:
	case DNSSEC_R_BAD_PROTOCOL:
	case DNSSEC_R_SIG_WINDOW:
	case DNSSEC_R_SIG_BAD:
	case DNSSEC_R_BAD_KEY:
	case DNSSEC_R_BAD_SIG_FORMAT:
	case DNSSEC_R_SIGNER:
	case DNSSEC_R_LABELS:
	case DNSSEC_R_MALFORMED:
	case DNSSEC_R_LIMIT:
		return DNSSEC_EDE_BOGUS;
	}
	return DNSSEC_EDE_BOGUS;
}

const char *dnssec_reason_str(enum dnssec_reason r)
{
	switch (r) {
	case DNSSEC_R_OK: return "signature valid";
	case DNSSEC_R_NO_RRSIG: return "no RRSIG covers the RRset";
	case DNSSEC_R_NO_DNSKEY: return "no DNSKEY with the RRSIG's key tag and algorithm";
	case DNSSEC_R_NO_ZONE_KEY: return "DNSKEY without the zone key bit";
	case DNSSEC_R_KEY_REVOKED: return "DNSKEY is revoked";
	case DNSSEC_R_BAD_PROTOCOL: return "DNSKEY protocol is not 3";
	case DNSSEC_R_SIG_EXPIRED: return "signature expired";
	case DNSSEC_R_SIG_NOT_YET_VALID: return "signature not yet valid";
	case DNSSEC_R_SIG_WINDOW: return "signature inception after expiration";
	case DNSSEC_R_SIG_BAD: return "signature does not verify";
	case DNSSEC_R_BAD_KEY: return "DNSKEY public key malformed or out of bounds";
	case DNSSEC_R_BAD_SIG_FORMAT: return "signature malformed";
	case DNSSEC_R_SIGNER: return "signer is not the zone of the record";
	case DNSSEC_R_LABELS: return "RRSIG labels field larger than the owner's";
	case DNSSEC_R_MALFORMED: return "malformed DNSSEC record";
	case DNSSEC_R_UNSUPPORTED_ALG: return "unsupported DNSKEY algorithm";
	case DNSSEC_R_UNSUPPORTED_DIGEST: return "unsupported DS digest type";
	case DNSSEC_R_DS_NO_MATCH: return "no DNSKEY matches the DS";
	case DNSSEC_R_LIMIT: return "validation work limit reached";
	case DNSSEC_R_INTERNAL: return "cryptographic library failure";
	}
	return "unknown";
}

const char *dnssec_status_str(enum dnssec_status s)
{
	switch (s) {
	case DNSSEC_SECURE: return "secure";
	case DNSSEC_INSECURE: return "insecure";
	case DNSSEC_BOGUS: return "bogus";
	}
	return "unknown";
}

/* A 32-bit serial time as the calendar time nearest `now` (RFC 1982). */
static void serial_time_text(uint32_t t, int64_t now, char out[16])
{
	time_t abs = (time_t)(now + (int32_t)(t - (uint32_t)now));
	struct tm tm;
	if (!gmtime_r(&abs, &tm) ||
	    snprintf(out, 16, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
	             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	             tm.tm_sec) >= 16)
		snprintf(out, 16, "%u", (unsigned)t);
}

void dnssec_verdict_init(dnssec_verdict *v)
{
	v->status = DNSSEC_BOGUS;
	v->reason = DNSSEC_R_NO_RRSIG;
	v->ede = dnssec_reason_ede(v->reason);
	v->has_key_tag = false;
	v->key_tag = 0;
	v->algorithm = 0;
	v->ttl = 0;
	v->wildcard = false;
	dns_name_root(&v->source);
	v->sig_index = 0;
	v->text[0] = '\0';
}

void dnssec_verdict_set(dnssec_verdict *v, enum dnssec_status st,
                        enum dnssec_reason r, const dns_rr *about,
                        const dnssec_rrsig *sig, int64_t now,
                        const char *detail)
{
	v->status = st;
	v->reason = r;
	v->ede = dnssec_reason_ede(r);
	v->has_key_tag = sig != NULL;
	v->key_tag = sig ? sig->key_tag : 0;
	v->algorithm = sig ? sig->algorithm : 0;

	strbuf sb = strbuf_init(v->text, sizeof v->text);
	if (about) {
		char tb[16];
		dns_name_to_text(&about->owner, &sb);
		strbuf_printf(&sb, " %s: ", dns_type_str(about->type, tb));
	}
	if (sig) {
		const char *an = dnssec_alg_name(sig->algorithm);
		strbuf_printf(&sb, "key tag %u alg ", (unsigned)sig->key_tag);
		if (an)
			strbuf_printf(&sb, "%s: ", an);
		else
			strbuf_printf(&sb, "%u: ", (unsigned)sig->algorithm);
	}
	strbuf_puts(&sb, dnssec_reason_str(r));
	if (sig && (r == DNSSEC_R_SIG_EXPIRED || r == DNSSEC_R_SIG_NOT_YET_VALID ||
	            r == DNSSEC_R_SIG_WINDOW)) {
		char a[16], b[16];
		serial_time_text(sig->inception, now, a);
		serial_time_text(sig->expiration, now, b);
		strbuf_printf(&sb, " (valid %s to %s)", a, b);
	}
	if (detail)
		strbuf_printf(&sb, " (%s)", detail);
}
