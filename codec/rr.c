/* ward: whole resource records — presentation line, uncompressed wire
 * form, canonical form and canonical RRset order (RFC 4034 §6). */
#include <stdlib.h>

#include "rdata_desc.h"
#include "rr.h"

int dns_rr_to_text(const dns_rr *rr, strbuf *sb)
{
	dns_name_to_text(&rr->owner, sb);
	strbuf_printf(sb, "\t%u\t", (unsigned)rr->ttl);
	dns_class_to_text(rr->rclass, sb);
	strbuf_putc(sb, '\t');
	dns_type_to_text(rr->type, sb);
	strbuf_putc(sb, '\t');
	int r = dns_rdata_to_text(rr->type, rr->rdata, rr->rdlen, sb);
	return r < 0 ? r : sb->err;
}

void dns_rr_write(wire_wr *w, const dns_rr *rr)
{
	dns_name_write(w, &rr->owner);
	wire_wr_u16(w, rr->type);
	wire_wr_u16(w, rr->rclass);
	wire_wr_u32(w, rr->ttl);
	wire_wr_u16(w, rr->rdlen);
	wire_wr_bytes(w, rr->rdata, rr->rdlen);
}

int dns_rr_read_uncompressed(wire_rd *rd, dns_rr *rr)
{
	int r = dns_name_read(rd, &rr->owner, false);
	if (r < 0)
		return r;
	rr->type = wire_rd_u16(rd);
	rr->rclass = wire_rd_u16(rd);
	rr->ttl = wire_rd_u32(rd);
	rr->rdlen = wire_rd_u16(rd);
	rr->rdata = wire_rd_view(rd, rr->rdlen);
	if (rd->err)
		return rd->err;
	r = dns_rdata_check(rr->type, rr->rdata, rr->rdlen);
	if (r < 0) {
		wire_rd_fail(rd, r);
		return r;
	}
	return 0;
}

void dns_rr_write_canonical(wire_wr *w, const dns_rr *rr, uint32_t orig_ttl)
{
	dns_name owner = rr->owner;
	dns_name_lower(&owner);
	dns_name_write(w, &owner);
	wire_wr_u16(w, rr->type);
	wire_wr_u16(w, rr->rclass);
	wire_wr_u32(w, orig_ttl);
	wire_wr_u16(w, rr->rdlen);
	size_t at = w->pos;
	wire_wr_bytes(w, rr->rdata, rr->rdlen);
	if (!w->err)
		dns_rdata_canonicalize(rr->type, w->buf + at, rr->rdlen);
}

static int rr_canon_cmp(const void *a, const void *b)
{
	const dns_rr *x = a, *y = b;
	return dns_rdata_canon_cmp(x->type, x->rdata, x->rdlen, y->rdata,
	                           y->rdlen);
}

void dns_rrset_canon_sort(dns_rr *rrs, size_t n)
{
	if (n > 1)
		qsort(rrs, n, sizeof *rrs, rr_canon_cmp);
}
