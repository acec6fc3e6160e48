/* ward: rdata on the wire — unpack (decompress + validate), check, pack
 * (compress), canonical form and canonical comparison, all driven by the
 * descriptor table in rdata_desc.c.
 *
 * Name compression inside rdata (RFC 3597 §4):
 *  - we COMPRESS on output only the names of the "well-known" RFC 1035
 *    types: NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX (RDF_NAME_C);
 *  - we ACCEPT pointers on input in those, and in the types RFC 3597 §4 says
 *    receivers SHOULD decompress: RP, AFSDB, RT, SIG, PX, NXT, NAPTR, SRV;
 *    and, deliberately more lenient than RFC 4034 §3.1.7/§4.1.1, RFC 2230
 *    and RFC 6672 §2.5 (which forbid compressing them), in KX, DNAME, the
 *    RRSIG signer and the NSEC next name, because real servers have sent
 *    them compressed and the meaning is unambiguous (RDF_NAME_D/RDF_NAME_N);
 *  - every other name (SVCB/HTTPS target per RFC 9460 §2.2, IPSECKEY
 *    gateway (RFC 4025), HIP rendezvous servers (RFC 8005),
 *    the TSIG/TKEY algorithm, LP, TALINK, NSAP-PTR, and any type from
 *    after RFC 3597) must be uncompressed: a pointer is WARD_ECOMPRESS.
 *
 * Canonical form (RFC 4034 §6.2 item 3 as corrected by RFC 6840 §5.1):
 * names are lowercased in NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO,
 * MX, RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX, SRV, DNAME, A6 and RRSIG, but
 * NOT in NSEC. (HINFO is in the RFC's list but holds no names; A6 has no
 * descriptor and stays opaque.) */
#include <string.h>

#include "name.h"
#include "rdata_desc.h"
#include "rr.h"

static bool name_lower(uint8_t k)
{
	return k == RDF_NAME_C || k == RDF_NAME_D;
}

/* Map a field error to what the rdata as a whole has: running out of the
 * rdata inside a field means RDLENGTH is too short for the layout. */
static int field_err(int r)
{
	return r == WARD_ETRUNC ? WARD_ERDLEN : r;
}

int dns_rdata_unpack(wire_rd *rd, uint16_t type, uint16_t rdlen,
                     uint8_t *out, size_t cap, size_t *outlen)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	wire_wr w = wire_wr_init(out, cap < DNS_RDATA_MAX ? cap : DNS_RDATA_MAX);
	int err = 0;

	if (rd->err)
		return rd->err;
	if (!wire_rd_need(rd, rdlen))
		return rd->err;
	size_t old_end = wire_rd_limit(rd, rdlen);

	if (!d) {
		wire_wr_bytes(&w, wire_rd_view(rd, rdlen), rdlen);
		goto done;
	}
	for (unsigned i = 0; i < d->nf && !err; i++) {
		uint8_t k = d->f[i];
		if (rdf_is_name(k)) {
			dns_name n;
			int r = dns_name_read(rd, &n, rdf_name_decompress(k));
			if (r < 0) {
				/* dns_name_read set rd->err; report the rdata error */
				err = field_err(r);
				break;
			}
			dns_name_write(&w, &n);
			continue;
		}
		size_t left = wire_rd_left(rd);
		int fl = rdf_field_len(k, rd->buf + rd->pos, left);
		if (fl < 0) {
			err = field_err(fl);
			break;
		}
		wire_wr_bytes(&w, wire_rd_view(rd, (size_t)fl), (size_t)fl);
	}
	if (!err && wire_rd_left(rd) != 0)
		err = WARD_ERDLEN; /* bytes after the last field */
done:
	if (!err && w.err)
		err = w.err;
	wire_rd_unlimit(rd, old_end);
	if (err) {
		rd->err = err; /* overrides a name error: say what broke */
		return err;
	}
	*outlen = w.pos;
	return 0;
}

int dns_rdata_check(uint16_t type, const uint8_t *rdata, size_t len)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	size_t pos = 0;

	if (len > DNS_RDATA_MAX)
		return WARD_ERDLEN;
	if (!d)
		return 0;
	for (unsigned i = 0; i < d->nf; i++) {
		int fl = rdf_field_len(d->f[i], rdata + pos, len - pos);
		if (fl < 0)
			return field_err(fl);
		pos += (size_t)fl;
	}
	return pos == len ? 0 : WARD_ERDLEN;
}

void dns_rdata_pack(wire_wr *w, uint16_t type, const uint8_t *rdata,
                    size_t len, dns_compress *c)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	size_t pos = 0;

	bool compress = false;
	for (unsigned i = 0; d && c && i < d->nf; i++)
		compress = compress || d->f[i] == RDF_NAME_C;
	if (compress) {
		for (unsigned i = 0; i < d->nf; i++) {
			uint8_t k = d->f[i];
			int fl = rdf_field_len(k, rdata + pos, len - pos);
			if (fl < 0)
				break; /* malformed: the rest goes out verbatim */
			if (k == RDF_NAME_C) {
				dns_name n;
				if (dns_name_from_wire(&n, rdata + pos, (size_t)fl) < 0)
					break;
				dns_name_write_compressed(w, &n, c);
			} else {
				wire_wr_bytes(w, rdata + pos, (size_t)fl);
			}
			pos += (size_t)fl;
		}
	}
	wire_wr_bytes(w, rdata + pos, len - pos);
}

/* Where the names to lowercase in canonical form lie: up to `max` spans
 * [start, end). Returns how many; stops quietly at malformed data. */
#define CANON_MAXSPANS 4
static unsigned lower_spans(uint16_t type, const uint8_t *rdata, size_t len,
                            size_t spans[][2], unsigned max)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	size_t pos = 0;
	unsigned n = 0;

	if (!d)
		return 0;
	for (unsigned i = 0; i < d->nf && n < max; i++) {
		int fl = rdf_field_len(d->f[i], rdata + pos, len - pos);
		if (fl < 0)
			break;
		if (rdf_is_name(d->f[i]) && name_lower(d->f[i])) {
			spans[n][0] = pos;
			spans[n][1] = pos + (size_t)fl;
			n++;
		}
		pos += (size_t)fl;
	}
	return n;
}

static uint8_t lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* Lowercasing a whole name span is right: length octets are <= 63 and so
 * never in 'A'..'Z'. */
void dns_rdata_canonicalize(uint16_t type, uint8_t *rdata, size_t len)
{
	size_t spans[CANON_MAXSPANS][2];
	unsigned n = lower_spans(type, rdata, len, spans, CANON_MAXSPANS);
	for (unsigned s = 0; s < n; s++)
		for (size_t i = spans[s][0]; i < spans[s][1]; i++)
			rdata[i] = lower(rdata[i]);
}

static bool in_spans(size_t i, size_t spans[][2], unsigned n)
{
	for (unsigned s = 0; s < n; s++)
		if (i >= spans[s][0] && i < spans[s][1])
			return true;
	return false;
}

int dns_rdata_canon_cmp(uint16_t type, const uint8_t *a, size_t alen,
                        const uint8_t *b, size_t blen)
{
	size_t sa[CANON_MAXSPANS][2], sb[CANON_MAXSPANS][2];
	unsigned na = lower_spans(type, a, alen, sa, CANON_MAXSPANS);
	unsigned nb = lower_spans(type, b, blen, sb, CANON_MAXSPANS);
	size_t n = alen < blen ? alen : blen;

	/* RFC 4034 §6.3: left-justified unsigned octet sequences, a missing
	 * octet sorts before a zero octet */
	for (size_t i = 0; i < n; i++) {
		uint8_t ca = in_spans(i, sa, na) ? lower(a[i]) : a[i];
		uint8_t cb = in_spans(i, sb, nb) ? lower(b[i]) : b[i];
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}
