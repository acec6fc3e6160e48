/* ward DHCP: the lease journal's record format (see lease_journal.h). */
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "dhcp/lease_journal.h"
#include "dhcp/lease_text.h"

/* CRC-32C, reflected polynomial 0x82F63B78 (RFC 3720 §B.4), one table of 256
 * built on first use. */
static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

uint32_t lease_crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
	if (!crc_ready)
		crc_init();
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int lease_journal_encode(enum dhcp_lease_op op, const struct dhcp_lease *l,
                         uint8_t *buf, size_t cap, size_t *len)
{
	if (op != DHCP_LEASE_PUT && op != DHCP_LEASE_DEL)
		return WARD_EINVAL;
	if (op == DHCP_LEASE_PUT) {
		int rc = lease_text_check(l);
		if (rc < 0)
			return rc;
	}
	wire_wr w = wire_wr_init(buf, cap);
	wire_wr_u16(&w, 0); /* length, set below */
	wire_wr_u32(&w, 0); /* checksum, set below */
	wire_wr_u8(&w, (uint8_t)op);
	wire_wr_u32(&w, l->ip);
	if (op == DHCP_LEASE_PUT) {
		size_t hn = strlen(l->hostname);
		wire_wr_u32(&w, (uint32_t)((uint64_t)l->expires >> 32));
		wire_wr_u32(&w, (uint32_t)l->expires);
		wire_wr_u8(&w, l->htype);
		wire_wr_u8(&w, l->hlen);
		wire_wr_bytes(&w, l->hw, l->hlen);
		wire_wr_u8(&w, (uint8_t)l->cid_len);
		wire_wr_bytes(&w, l->cid, l->cid_len);
		wire_wr_u8(&w, (uint8_t)hn);
		wire_wr_bytes(&w, l->hostname, hn);
	}
	if (w.err)
		return w.err;
	size_t body = w.pos - LEASE_JOURNAL_REC_HDR;
	buf[0] = (uint8_t)(body >> 8);
	buf[1] = (uint8_t)body;
	uint32_t crc = lease_crc32c(0, buf, 2);
	crc = lease_crc32c(crc, buf + LEASE_JOURNAL_REC_HDR, body);
	buf[2] = (uint8_t)(crc >> 24);
	buf[3] = (uint8_t)(crc >> 16);
	buf[4] = (uint8_t)(crc >> 8);
	buf[5] = (uint8_t)crc;
	*len = w.pos;
	return 0;
}

static int decode_body(wire_rd *rd, enum dhcp_lease_op *op, struct dhcp_lease *l)
{
	uint8_t o = wire_rd_u8(rd);
	l->ip = wire_rd_u32(rd);
	if (o == DHCP_LEASE_PUT) {
		uint64_t hi = wire_rd_u32(rd);
		uint64_t lo = wire_rd_u32(rd);
		uint64_t e = (hi << 32) | lo;
		if (e > (uint64_t)INT64_MAX)
			return WARD_ELEASE_TORN;
		l->expires = (int64_t)e;
		l->htype = wire_rd_u8(rd);
		l->hlen = wire_rd_u8(rd);
		if (l->hlen > DHCP_LEASE_HWADDR_MAX)
			return WARD_ELEASE_TORN;
		wire_rd_bytes(rd, l->hw, l->hlen);
		l->cid_len = wire_rd_u8(rd);
		wire_rd_bytes(rd, l->cid, l->cid_len);
		uint8_t hn = wire_rd_u8(rd);
		wire_rd_bytes(rd, l->hostname, hn);
		l->hostname[hn] = '\0';
		if (rd->err)
			return WARD_ELEASE_TORN;
		/* the encoder only writes leases the text file can hold */
		if (strlen(l->hostname) != hn || lease_text_check(l) < 0)
			return WARD_ELEASE_TORN;
	} else if (o != DHCP_LEASE_DEL) {
		return WARD_ELEASE_TORN;
	}
	if (rd->err || wire_rd_left(rd) != 0)
		return WARD_ELEASE_TORN;
	*op = (enum dhcp_lease_op)o;
	return 0;
}

int lease_journal_decode(const uint8_t *buf, size_t n, enum dhcp_lease_op *op,
                         struct dhcp_lease *l, size_t *used)
{
	memset(l, 0, sizeof(*l));
	wire_rd rd = wire_rd_init(buf, n);
	uint16_t body = wire_rd_u16(&rd);
	uint32_t crc = wire_rd_u32(&rd);
	if (rd.err)
		return WARD_ETRUNC;
	if (body < LEASE_JOURNAL_BODY_MIN || body > LEASE_JOURNAL_BODY_MAX)
		return WARD_ELEASE_TORN;
	const uint8_t *p = wire_rd_view(&rd, body);
	if (!p)
		return WARD_ETRUNC;
	uint32_t want = lease_crc32c(lease_crc32c(0, buf, 2), p, body);
	if (want != crc)
		return WARD_ELEASE_TORN;
	wire_rd b = wire_rd_init(p, body);
	int rc = decode_body(&b, op, l);
	if (rc < 0) {
		memset(l, 0, sizeof(*l));
		return rc;
	}
	*used = rd.pos;
	return 0;
}

int lease_journal_replay(const uint8_t *buf, size_t n,
                         int (*apply)(void *ctx, enum dhcp_lease_op op,
                                      const struct dhcp_lease *l),
                         void *ctx, struct lease_journal_scan *scan)
{
	memset(scan, 0, sizeof(*scan));
	if (n < LEASE_JOURNAL_HDR_LEN) {
		if (n && memcmp(buf, LEASE_JOURNAL_MAGIC, n) != 0)
			return WARD_ELEASE_JMAGIC;
		scan->torn_len = n; /* a header never completed: empty journal */
		return 0;
	}
	if (memcmp(buf, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN) != 0)
		return WARD_ELEASE_JMAGIC;
	size_t pos = LEASE_JOURNAL_HDR_LEN;
	scan->valid_len = pos;
	while (pos < n) {
		enum dhcp_lease_op op;
		struct dhcp_lease l;
		size_t used;
		int rc = lease_journal_decode(buf + pos, n - pos, &op, &l, &used);
		if (rc < 0) {
			scan->tail_err = rc;
			scan->torn_len = n - pos;
			return 0;
		}
		if (apply) {
			rc = apply(ctx, op, &l);
			if (rc < 0)
				return rc;
		}
		pos += used;
		scan->records++;
		scan->valid_len = pos;
	}
	return 0;
}
