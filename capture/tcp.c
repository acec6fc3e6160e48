/* ward: TCP stream reassembly for DNS over TCP (RFC 1035 §4.2.2, RFC 7766).
 *
 * A flow is keyed by its two endpoints; each direction is a byte stream put
 * back in sequence order: segments ahead of the next expected byte wait in a
 * sorted queue, bytes already delivered (retransmissions, overlaps) are
 * dropped — the first copy of a byte wins. The in-order stream is cut into
 * messages by the 2-byte length prefix.
 *
 * A hole becomes a gap (given up on) when the receiver acknowledges bytes
 * the capture never held, when the queue is over its limits, when the hole
 * is older than the hole time-out, or when the flow ends. After a gap, and
 * when a flow is picked up without its SYN, the stream is out of step: each
 * later segment start is a candidate message boundary, and the first
 * candidate whose length prefix frames a well-formed DNS message wins. Every
 * per-flow buffer and the total are bounded; flows idle longer than the flow
 * time-out, or least recently used when a limit is hit, are flushed and
 * dropped. */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "cursor.h"
#include "error.h"

#define DNS_TCP_PREFIX 2
#define DNS_MIN_MSG 12
#define BUF_KEEP 4096          /* an empty stream buffer up to this is kept */
#define BUF_STEP 4096u

struct tcp_seg {
	struct tcp_seg *next;
	uint32_t seq;
	uint32_t len;
	uint8_t data[];
};

struct tcp_dir {
	bool synced;               /* next_seq is valid */
	bool syn_seen;             /* isn is valid */
	bool resync;               /* looking for a message boundary */
	bool fin;                  /* a FIN ends the stream at fin_seq */
	bool closed;               /* everything up to the FIN was delivered */
	bool peer_ack_valid;
	bool hole_timed;
	uint32_t isn;
	uint32_t next_seq;
	uint32_t fin_seq;
	uint32_t peer_ack;         /* highest ACK the receiver sent */
	capture_ts hole_since;
	struct tcp_seg *ooo;       /* out-of-order segments, ascending seq */
	unsigned ooo_count;
	size_t ooo_bytes;
	uint8_t *buf;              /* in-order bytes not framed yet */
	size_t buf_len, buf_cap;
	size_t cand[CAPTURE_TCP_MAX_CANDIDATES]; /* resync: segment starts in buf */
	unsigned ncand;
};

struct tcp_flow {
	struct tcp_flow *hnext;
	struct tcp_flow *newer, *older;  /* LRU list */
	unsigned bucket;
	int family;
	uint8_t addr[2][16];
	uint16_t port[2];
	struct tcp_dir dir[2];           /* dir[i]: bytes sent by endpoint i */
	capture_ts last;
	size_t bytes;                    /* memory held, struct included */
};

/* ---- sequence numbers (RFC 1982 style comparison) ---- */

static bool seq_lt(uint32_t a, uint32_t b)
{
	return (uint32_t)(a - b) >= 0x80000000u;
}

static bool seq_gt(uint32_t a, uint32_t b)
{
	return seq_lt(b, a);
}

/* ---- memory accounting ---- */

static void acct_add(struct capture *cap, struct tcp_flow *f, size_t n)
{
	f->bytes += n;
	cap->tcp.bytes += n;
}

static void acct_sub(struct capture *cap, struct tcp_flow *f, size_t n)
{
	f->bytes -= n;
	cap->tcp.bytes -= n;
}

/* ---- flow table ---- */

int tcp_table_init(struct tcp_table *t)
{
	memset(t, 0, sizeof *t);
	t->bucket = calloc(CAPTURE_TCP_HASH_BUCKETS, sizeof *t->bucket);
	return t->bucket ? 0 : WARD_ENOMEM;
}

static unsigned flow_hash(int family, const uint8_t *a, uint16_t pa,
                          const uint8_t *b, uint16_t pb)
{
	/* order-independent: hash the smaller endpoint first */
	int c = memcmp(a, b, 16);
	if (c > 0 || (c == 0 && pa > pb)) {
		const uint8_t *t = a;
		a = b;
		b = t;
		uint16_t tp = pa;
		pa = pb;
		pb = tp;
	}
	uint32_t h = 2166136261u;
	h = (h ^ (uint32_t)family) * 16777619u;
	for (int i = 0; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	for (int i = 0; i < 16; i++)
		h = (h ^ b[i]) * 16777619u;
	h = (h ^ pa) * 16777619u;
	h = (h ^ pb) * 16777619u;
	return h & (CAPTURE_TCP_HASH_BUCKETS - 1);
}

static void lru_unlink(struct tcp_table *t, struct tcp_flow *f)
{
	if (f->newer)
		f->newer->older = f->older;
	else
		t->lru_head = f->older;
	if (f->older)
		f->older->newer = f->newer;
	else
		t->lru_tail = f->newer;
	f->newer = f->older = NULL;
}

static void lru_push(struct tcp_table *t, struct tcp_flow *f)
{
	f->older = t->lru_head;
	f->newer = NULL;
	if (t->lru_head)
		t->lru_head->newer = f;
	else
		t->lru_tail = f;
	t->lru_head = f;
}

static void seg_free(struct capture *cap, struct tcp_flow *f,
                     struct tcp_dir *d, struct tcp_seg *s)
{
	d->ooo_count--;
	d->ooo_bytes -= s->len;
	acct_sub(cap, f, sizeof *s + s->len);
	free(s);
}

static void dir_release(struct capture *cap, struct tcp_flow *f,
                        struct tcp_dir *d)
{
	while (d->ooo) {
		struct tcp_seg *s = d->ooo;
		d->ooo = s->next;
		seg_free(cap, f, d, s);
	}
	acct_sub(cap, f, d->buf_cap);
	free(d->buf);
	d->buf = NULL;
	d->buf_len = d->buf_cap = 0;
	d->ncand = 0;
}

static void flow_free(struct capture *cap, struct tcp_flow *f)
{
	struct tcp_table *t = &cap->tcp;
	for (struct tcp_flow **pp = &t->bucket[f->bucket]; *pp; pp = &(*pp)->hnext)
		if (*pp == f) {
			*pp = f->hnext;
			break;
		}
	lru_unlink(t, f);
	dir_release(cap, f, &f->dir[0]);
	dir_release(cap, f, &f->dir[1]);
	acct_sub(cap, f, sizeof *f);
	t->n--;
	free(f);
}

/* ---- delivering messages ---- */

static void emit(struct capture *cap, const struct tcp_flow *f, int di,
                 const uint8_t *data, size_t len)
{
	struct cap_pkt pkt;
	memset(&pkt, 0, sizeof pkt);
	pkt.family = f->family;
	memcpy(pkt.src, f->addr[di], 16);
	memcpy(pkt.dst, f->addr[1 - di], 16);
	cap_emit(cap, &pkt, f->port[di], f->port[1 - di], CAPTURE_TCP, CAPTURE_DNS,
	         data, len, false);
}

/* Drop the first n buffered bytes. */
static void consume(struct capture *cap, struct tcp_flow *f, struct tcp_dir *d,
                    size_t n)
{
	if (n > d->buf_len)
		n = d->buf_len;
	if (n == 0)
		return;
	memmove(d->buf, d->buf + n, d->buf_len - n);
	d->buf_len -= n;
	unsigned k = 0;
	for (unsigned i = 0; i < d->ncand; i++)
		if (d->cand[i] >= n)
			d->cand[k++] = d->cand[i] - n;
	d->ncand = k;
	if (d->buf_len == 0 && d->buf_cap > BUF_KEEP) {
		acct_sub(cap, f, d->buf_cap);
		free(d->buf);
		d->buf = NULL;
		d->buf_cap = 0;
	}
}

static void cand_remove(struct tcp_dir *d, unsigned i)
{
	memmove(&d->cand[i], &d->cand[i + 1], (d->ncand - i - 1) * sizeof d->cand[0]);
	d->ncand--;
}

/* Out of step: find the first candidate boundary that frames a plausible DNS
 * message. True once the stream is in step again. */
static bool resync_find(struct capture *cap, struct tcp_flow *f,
                        struct tcp_dir *d)
{
	for (unsigned i = 0; i < d->ncand;) {
		size_t c = d->cand[i];
		wire_rd rd = wire_rd_init(d->buf, d->buf_len);
		rd.pos = c;
		uint16_t len = wire_rd_u16(&rd);
		if (rd.err) {
			i++; /* the length is not all there yet */
			continue;
		}
		if (len < DNS_MIN_MSG) {
			cand_remove(d, i);
			continue;
		}
		if (wire_rd_left(&rd) >= DNS_MIN_MSG) {
			wire_rd hrd = rd;
			const uint8_t *hdr = wire_rd_view(&hrd, DNS_MIN_MSG);
			if (!cap_dns_header_plausible(hdr, len)) {
				cand_remove(d, i);
				continue;
			}
		}
		if (wire_rd_left(&rd) < len) {
			i++; /* not complete yet */
			continue;
		}
		if (!cap_dns_plausible(wire_rd_view(&rd, len), len)) {
			cand_remove(d, i);
			continue;
		}
		cap->st.tcp_skipped += c;
		consume(cap, f, d, c);
		d->ncand = 0;
		d->resync = false;
		return true;
	}
	/* bytes before the first remaining candidate cannot start a message */
	size_t drop = d->ncand ? d->cand[0] : d->buf_len;
	cap->st.tcp_skipped += drop;
	consume(cap, f, d, drop);
	return false;
}

/* Cut complete length-prefixed messages off the front of the buffer. */
static void frame(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	if (d->resync && !resync_find(cap, f, d))
		return;
	wire_rd rd = wire_rd_init(d->buf, d->buf_len);
	for (;;) {
		size_t start = rd.pos;
		uint16_t len = wire_rd_u16(&rd);
		const uint8_t *msg = wire_rd_view(&rd, len);
		if (rd.err) {
			rd.pos = start; /* the rest is an incomplete message */
			break;
		}
		emit(cap, f, di, msg, len);
	}
	size_t pos = rd.pos;
	if (pos)
		consume(cap, f, d, pos);
}

/* Make room for n more buffered bytes; false when the buffer is at its cap
 * (only possible while out of step: in step a message is at most 65537). */
static bool buf_room(struct capture *cap, struct tcp_flow *f, struct tcp_dir *d,
                     size_t n)
{
	if (d->buf_cap - d->buf_len >= n)
		return true;
	if (d->buf_len + n > CAPTURE_TCP_BUF_MAX)
		return false;
	size_t want = (d->buf_len + n + BUF_STEP - 1) / BUF_STEP * BUF_STEP;
	if (want > CAPTURE_TCP_BUF_MAX)
		want = CAPTURE_TCP_BUF_MAX;
	uint8_t *nb = realloc(d->buf, want);
	if (!nb)
		return false;
	acct_add(cap, f, want - d->buf_cap);
	d->buf = nb;
	d->buf_cap = want;
	return true;
}

/* In-order stream bytes; seg_start: they begin a segment (a candidate
 * message boundary while out of step). */
static void deliver(struct capture *cap, struct tcp_flow *f, int di,
                    const uint8_t *data, size_t len, bool seg_start)
{
	struct tcp_dir *d = &f->dir[di];
	d->next_seq += (uint32_t)len;
	if (d->resync && seg_start) {
		if (d->ncand == CAPTURE_TCP_MAX_CANDIDATES) {
			size_t drop = d->ncand > 1 ? d->cand[1] : d->buf_len;
			cap->st.tcp_skipped += drop;
			consume(cap, f, d, drop);
			if (d->ncand == CAPTURE_TCP_MAX_CANDIDATES)
				cand_remove(d, 0);
		}
		d->cand[d->ncand++] = d->buf_len;
	}
	wire_rd rd = wire_rd_init(data, len);
	while (wire_rd_left(&rd)) {
		size_t n = wire_rd_left(&rd);
		if (n > CAPTURE_TCP_BUF_MAX - d->buf_len)
			n = CAPTURE_TCP_BUF_MAX - d->buf_len;
		if (n == 0 || !buf_room(cap, f, d, n)) {
			/* out of step and nothing framed in a full buffer (or no
			 * memory): give up what is held and look further on */
			if (!d->resync && d->buf_len)
				cap->st.tcp_incomplete++;
			cap->st.tcp_skipped += d->buf_len;
			d->buf_len = 0;
			d->ncand = 0;
			d->resync = true;
			n = wire_rd_left(&rd);
			if (n > CAPTURE_TCP_BUF_MAX)
				n = CAPTURE_TCP_BUF_MAX;
			if (!buf_room(cap, f, d, n)) {
				cap->st.tcp_skipped += wire_rd_left(&rd);
				return;
			}
		}
		wire_rd_bytes(&rd, d->buf + d->buf_len, n);
		d->buf_len += n;
		frame(cap, f, di);
	}
}

/* Deliver queued segments that are now in order. */
static void drain(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	bool moved = false;
	while (d->ooo && !seq_gt(d->ooo->seq, d->next_seq)) {
		struct tcp_seg *s = d->ooo;
		d->ooo = s->next;
		uint32_t skip = d->next_seq - s->seq;
		if (skip < s->len) {
			if (skip)
				cap->st.tcp_retransmits++;
			wire_rd rd = wire_rd_init(s->data, s->len);
			wire_rd_skip(&rd, skip);
			deliver(cap, f, di, wire_rd_view(&rd, s->len - skip),
			        s->len - skip, skip == 0);
		} else {
			cap->st.tcp_retransmits++;
		}
		seg_free(cap, f, d, s);
		moved = true;
	}
	if (!d->ooo)
		d->hole_timed = false;
	else if (moved || !d->hole_timed) {
		d->hole_since = cap->now;
		d->hole_timed = true;
	}
}

/* Give up on the hole before the first queued segment. */
static void gap(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	if (!d->ooo)
		return;
	cap->st.tcp_gaps++;
	cap->st.tcp_lost_bytes += d->ooo->seq - d->next_seq;
	if (d->resync)
		cap->st.tcp_skipped += d->buf_len;
	else if (d->buf_len)
		cap->st.tcp_incomplete++;
	d->buf_len = 0;
	d->ncand = 0;
	d->resync = true;
	d->next_seq = d->ooo->seq;
	drain(cap, f, di);
}

/* The stream of this direction is over: what is left is incomplete. */
static void dir_finish(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	while (d->ooo)
		gap(cap, f, di);
	if (d->resync)
		cap->st.tcp_skipped += d->buf_len;
	else if (d->buf_len)
		cap->st.tcp_incomplete++;
	d->buf_len = 0;
	d->closed = true;
	dir_release(cap, f, d);
}

static void check_fin(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	if (d->fin && !d->closed && !seq_lt(d->next_seq, d->fin_seq))
		dir_finish(cap, f, di);
}

/* Has the hole in this direction become a gap? */
static void check_hole(struct capture *cap, struct tcp_flow *f, int di)
{
	struct tcp_dir *d = &f->dir[di];
	while (d->ooo) {
		bool acked = d->peer_ack_valid && seq_gt(d->peer_ack, d->next_seq);
		bool old = d->hole_timed &&
		           cap_ts_expired(d->hole_since, cap->now,
		                          cap->cfg.tcp_hole_timeout_ns);
		bool full = d->ooo_count > CAPTURE_TCP_OOO_MAX_SEGS ||
		            d->ooo_bytes > CAPTURE_TCP_OOO_MAX_BYTES;
		if (!acked && !old && !full)
			break;
		gap(cap, f, di);
	}
	/* a FIN the receiver acknowledged while bytes before it never showed */
	if (!d->ooo && d->fin && !d->closed && d->peer_ack_valid &&
	    seq_gt(d->peer_ack, d->next_seq) && seq_gt(d->fin_seq, d->next_seq)) {
		cap->st.tcp_gaps++;
		cap->st.tcp_lost_bytes += d->fin_seq - d->next_seq;
		d->next_seq = d->fin_seq;
		dir_finish(cap, f, di);
	}
	check_fin(cap, f, di);
}

static void enqueue(struct capture *cap, struct tcp_flow *f, int di,
                    uint32_t seq, const uint8_t *data, size_t len)
{
	struct tcp_dir *d = &f->dir[di];
	struct tcp_seg *s = malloc(sizeof *s + len);
	if (!s) {
		cap->st.tcp_lost_bytes += len;
		return;
	}
	s->seq = seq;
	s->len = (uint32_t)len;
	memcpy(s->data, data, len);
	struct tcp_seg **pp = &d->ooo;
	while (*pp && !seq_gt((*pp)->seq, seq))
		pp = &(*pp)->next;
	s->next = *pp;
	*pp = s;
	d->ooo_count++;
	d->ooo_bytes += len;
	acct_add(cap, f, sizeof *s + len);
	cap->st.tcp_out_of_order++;
	if (!d->hole_timed) {
		d->hole_since = cap->now;
		d->hole_timed = true;
	}
}

static void dir_data(struct capture *cap, struct tcp_flow *f, int di,
                     uint32_t seq, const uint8_t *data, size_t len)
{
	struct tcp_dir *d = &f->dir[di];
	if (d->closed) {
		cap->st.tcp_retransmits++;
		return;
	}
	if (seq_gt(seq, d->next_seq)) {
		enqueue(cap, f, di, seq, data, len);
		return;
	}
	uint32_t skip = d->next_seq - seq;
	if (skip >= len) {
		cap->st.tcp_retransmits++;
		return;
	}
	if (skip)
		cap->st.tcp_retransmits++;
	wire_rd rd = wire_rd_init(data, len);
	wire_rd_skip(&rd, skip);
	deliver(cap, f, di, wire_rd_view(&rd, len - skip), len - skip, skip == 0);
	drain(cap, f, di);
}

/* Start (or restart) a direction at a SYN. */
static void dir_syn(struct capture *cap, struct tcp_flow *f, int di, uint32_t isn)
{
	struct tcp_dir *d = &f->dir[di];
	if (d->synced && !d->closed) {
		/* a new connection on the same ports: the old stream ends */
		dir_finish(cap, f, di);
	}
	bool ack_valid = d->peer_ack_valid;
	uint32_t ack = d->peer_ack;
	memset(d, 0, sizeof *d);
	d->peer_ack_valid = ack_valid;
	d->peer_ack = ack;
	d->synced = true;
	d->syn_seen = true;
	d->isn = isn;
	d->next_seq = isn + 1;
}

static struct tcp_flow *flow_find(struct capture *cap, const struct cap_pkt *pkt,
                                  const struct tcp_seg_in *seg, unsigned h,
                                  int *di)
{
	for (struct tcp_flow *f = cap->tcp.bucket[h]; f; f = f->hnext) {
		if (f->family != pkt->family)
			continue;
		for (int i = 0; i < 2; i++)
			if (f->port[i] == seg->sport && f->port[1 - i] == seg->dport &&
			    !memcmp(f->addr[i], pkt->src, 16) &&
			    !memcmp(f->addr[1 - i], pkt->dst, 16)) {
				*di = i;
				return f;
			}
	}
	return NULL;
}

/* Flush one flow (holes become gaps) and free it. */
static void flow_close(struct capture *cap, struct tcp_flow *f)
{
	for (int i = 0; i < 2; i++)
		if (!f->dir[i].closed)
			dir_finish(cap, f, i);
	flow_free(cap, f);
}

static struct tcp_flow *flow_new(struct capture *cap, const struct cap_pkt *pkt,
                                 const struct tcp_seg_in *seg, unsigned h)
{
	struct tcp_table *t = &cap->tcp;
	while (t->n >= cap->cfg.tcp_max_flows && t->lru_tail) {
		cap->st.tcp_evicted++;
		flow_close(cap, t->lru_tail);
	}
	struct tcp_flow *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->family = pkt->family;
	memcpy(f->addr[0], pkt->src, 16);
	memcpy(f->addr[1], pkt->dst, 16);
	f->port[0] = seg->sport;
	f->port[1] = seg->dport;
	f->bucket = h;
	f->hnext = t->bucket[h];
	t->bucket[h] = f;
	lru_push(t, f);
	t->n++;
	acct_add(cap, f, sizeof *f);
	cap->st.tcp_flows++;
	return f;
}

static void enforce_budget(struct capture *cap, struct tcp_flow *keep)
{
	struct tcp_table *t = &cap->tcp;
	while (t->bytes > cap->cfg.tcp_max_bytes && t->lru_tail &&
	       t->lru_tail != keep) {
		cap->st.tcp_evicted++;
		flow_close(cap, t->lru_tail);
	}
}

void tcp_segment_input(struct capture *cap, const struct cap_pkt *pkt,
                       const struct tcp_seg_in *seg)
{
	unsigned h = flow_hash(pkt->family, pkt->src, seg->sport, pkt->dst,
	                       seg->dport);
	int di = 0;
	struct tcp_flow *f = flow_find(cap, pkt, seg, h, &di);
	if (!f) {
		/* only a SYN or bytes start tracking: a stray ACK, FIN or RST
		 * (often the tail of a flow already closed) carries nothing */
		if ((seg->flags & TCP_RST) || (!(seg->flags & TCP_SYN) && !seg->len))
			return;
		f = flow_new(cap, pkt, seg, h);
		if (!f) {
			cap->st.tcp_lost_bytes += seg->len;
			return;
		}
		di = 0;
	}
	lru_unlink(&cap->tcp, f);
	lru_push(&cap->tcp, f);
	f->last = cap->now;
	struct tcp_dir *d = &f->dir[di];
	struct tcp_dir *o = &f->dir[1 - di];

	if (seg->flags & TCP_ACK) {
		if (!o->peer_ack_valid || seq_gt(seg->ack, o->peer_ack))
			o->peer_ack = seg->ack;
		o->peer_ack_valid = true;
	}
	if (seg->flags & TCP_RST) {
		flow_close(cap, f);
		return;
	}
	uint32_t seq = seg->seq;
	if (seg->flags & TCP_SYN) {
		if (!(d->syn_seen && d->isn == seg->seq))
			dir_syn(cap, f, di, seg->seq);
		seq = seg->seq + 1;
	}
	if (!d->synced) {
		/* picked up mid-stream: out of step until a boundary is found */
		d->synced = true;
		d->resync = true;
		d->next_seq = seq;
	}
	if (seg->len)
		dir_data(cap, f, di, seq, seg->data, seg->len);
	if ((seg->flags & TCP_FIN) && !d->fin && !d->closed) {
		d->fin = true;
		d->fin_seq = seq + (uint32_t)seg->len;
	}
	check_hole(cap, f, di);
	check_hole(cap, f, 1 - di);
	if (f->dir[0].closed && f->dir[1].closed) {
		flow_free(cap, f);
		return;
	}
	enforce_budget(cap, f);
}

void tcp_expire(struct capture *cap)
{
	struct tcp_table *t = &cap->tcp;
	while (t->lru_tail && cap_ts_expired(t->lru_tail->last, cap->now,
	                                     cap->cfg.tcp_flow_timeout_ns))
		flow_close(cap, t->lru_tail);
}

void tcp_flush_all(struct capture *cap)
{
	while (cap->tcp.lru_tail)
		flow_close(cap, cap->tcp.lru_tail);
}

void tcp_table_free(struct tcp_table *t)
{
	while (t->lru_tail) {
		struct tcp_flow *f = t->lru_tail;
		lru_unlink(t, f);
		for (int i = 0; i < 2; i++) {
			struct tcp_dir *d = &f->dir[i];
			while (d->ooo) {
				struct tcp_seg *s = d->ooo;
				d->ooo = s->next;
				free(s);
			}
			free(d->buf);
		}
		free(f);
	}
	free(t->bucket);
	t->bucket = NULL;
	t->n = 0;
	t->bytes = 0;
}
