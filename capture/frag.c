/* ward: IPv4 and IPv6 fragment reassembly with bounded memory.
 *
 * A pending datagram keeps one buffer and the sorted list of byte ranges it
 * holds. Overlaps are resolved deterministically: for IPv4 the bytes that
 * arrived first win (later fragments only fill what is still missing); for
 * IPv6 a partial overlap discards the whole datagram (RFC 5722), a fragment
 * entirely inside data already held is a duplicate and ignored (RFC 8200).
 * Limits: pending datagrams, bytes held in total, pieces and fragments per
 * datagram, and a time-out on capture time since the first fragment. When a
 * limit is hit the oldest datagram is given up first. */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "cursor.h"
#include "error.h"

#define FRAG_ALLOC_STEP 2048u

struct frag_range {
	uint32_t start, end;
};

struct frag_dgram {
	struct frag_dgram *older, *newer;
	struct frag_key key;
	capture_ts first;           /* capture time of the first fragment seen */
	uint8_t *data;
	size_t cap;                 /* bytes allocated for data */
	uint32_t total;             /* payload length, once the last one came */
	bool have_last;
	uint8_t proto;              /* from the fragment at offset 0 */
	unsigned nfrags;
	unsigned nr;
	struct frag_range r[CAPTURE_FRAG_MAX_RANGES];
};

static bool key_eq(const struct frag_key *a, const struct frag_key *b)
{
	return a->family == b->family && a->id == b->id && a->proto == b->proto &&
	       !memcmp(a->src, b->src, sizeof a->src) &&
	       !memcmp(a->dst, b->dst, sizeof a->dst);
}

static void unlink_dgram(struct frag_table *t, struct frag_dgram *d)
{
	if (d->older)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->n--;
	t->bytes -= d->cap;
}

static void drop_dgram(struct capture *cap, struct frag_dgram *d)
{
	unlink_dgram(&cap->frags, d);
	cap->st.frag_dropped++;
	free(d->data);
	free(d);
}

static struct frag_dgram *find_or_add(struct capture *cap,
                                      const struct frag_key *k)
{
	struct frag_table *t = &cap->frags;
	for (struct frag_dgram *d = t->newest; d; d = d->older)
		if (key_eq(&d->key, k))
			return d;
	while (t->n >= cap->cfg.frag_max_pending && t->oldest)
		drop_dgram(cap, t->oldest);
	struct frag_dgram *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->key = *k;
	d->first = cap->now;
	d->older = t->newest;
	if (t->newest)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->n++;
	return d;
}

/* Make room for `need` payload bytes within the byte budget. */
static int grow(struct capture *cap, struct frag_dgram *d, size_t need)
{
	struct frag_table *t = &cap->frags;
	if (d->cap >= need)
		return 0;
	size_t want = (need + FRAG_ALLOC_STEP - 1) / FRAG_ALLOC_STEP * FRAG_ALLOC_STEP;
	if (want > CAPTURE_IP_MAX_DATAGRAM)
		want = CAPTURE_IP_MAX_DATAGRAM;
	size_t extra = want - d->cap;
	while (t->bytes + extra > cap->cfg.frag_max_bytes && t->oldest &&
	       t->oldest != d)
		drop_dgram(cap, t->oldest);
	if (t->bytes + extra > cap->cfg.frag_max_bytes)
		return WARD_ELIMIT;
	uint8_t *nd = realloc(d->data, want);
	if (!nd)
		return WARD_ENOMEM;
	d->data = nd;
	d->cap = want;
	t->bytes += extra;
	return 0;
}

/* Record [start, end) in the sorted range list, merging neighbours. */
static int add_range(struct frag_dgram *d, uint32_t start, uint32_t end)
{
	struct frag_range out[CAPTURE_FRAG_MAX_RANGES + 1];
	unsigned n = 0, i = 0;
	bool placed = false;
	while (i < d->nr || !placed) {
		struct frag_range cur;
		if (!placed && (i >= d->nr || start <= d->r[i].start)) {
			cur.start = start;
			cur.end = end;
			placed = true;
		} else {
			cur = d->r[i++];
		}
		if (n && cur.start <= out[n - 1].end) {
			if (cur.end > out[n - 1].end)
				out[n - 1].end = cur.end;
		} else {
			out[n++] = cur;
		}
	}
	if (n > CAPTURE_FRAG_MAX_RANGES)
		return WARD_ELIMIT;
	memcpy(d->r, out, n * sizeof out[0]);
	d->nr = n;
	return 0;
}

int frag_add(struct capture *cap, const struct frag_key *k, uint32_t off,
             bool more, uint8_t proto, const uint8_t *p, size_t len,
             struct frag_done *done)
{
	uint64_t end64 = (uint64_t)off + len;
	if ((len == 0 && more) || end64 > CAPTURE_IP_MAX_DATAGRAM ||
	    (k->family == 6 && more && len % 8)) {
		cap->st.malformed++;
		return WARD_EFRAG;
	}
	uint32_t end = (uint32_t)end64;
	struct frag_dgram *d = find_or_add(cap, k);
	if (!d) {
		cap->st.frag_dropped++;
		return WARD_ENOMEM;
	}
	if (++d->nfrags > CAPTURE_FRAG_MAX_FRAGS) {
		drop_dgram(cap, d);
		return WARD_ELIMIT;
	}
	/* the last fragment fixes the length; everything must agree with it */
	if (!more) {
		if ((d->have_last && d->total != end) ||
		    (d->nr && d->r[d->nr - 1].end > end)) {
			drop_dgram(cap, d);
			return WARD_EFRAG;
		}
		d->have_last = true;
		d->total = end;
	} else if (d->have_last && end > d->total) {
		drop_dgram(cap, d);
		return WARD_EFRAG;
	}

	bool overlap = false, covered = false;
	for (unsigned i = 0; i < d->nr; i++) {
		if (d->r[i].start < end && off < d->r[i].end)
			overlap = true;
		if (d->r[i].start <= off && end <= d->r[i].end)
			covered = true;
	}
	if (overlap) {
		cap->st.frag_overlaps++;
		if (covered)
			return 0; /* a duplicate: nothing new */
		if (k->family == 6) {
			drop_dgram(cap, d);
			return WARD_EFRAG;
		}
	}
	if (grow(cap, d, end) != 0) {
		drop_dgram(cap, d);
		return WARD_ELIMIT;
	}
	/* copy only the bytes not held yet: first arrival wins */
	wire_rd rd = wire_rd_init(p, len);
	uint32_t pos = off;
	for (unsigned i = 0; i <= d->nr && pos < end; i++) {
		uint32_t stop = i < d->nr ? d->r[i].start : end;
		if (stop > end)
			stop = end;
		if (stop > pos) {
			rd.pos = pos - off;
			wire_rd_bytes(&rd, d->data + pos, stop - pos);
		}
		if (i < d->nr && d->r[i].end > pos)
			pos = d->r[i].end;
	}
	if (rd.err || add_range(d, off, end) != 0) {
		drop_dgram(cap, d);
		return WARD_EFRAG;
	}
	if (off == 0)
		d->proto = proto;

	if (!d->have_last || d->nr != 1 || d->r[0].start != 0 ||
	    d->r[0].end != d->total)
		return 0;
	/* complete: hand the buffer over */
	unlink_dgram(&cap->frags, d);
	done->data = d->data;
	done->len = d->total;
	done->proto = k->family == 4 ? k->proto : d->proto;
	free(d);
	cap->st.reassembled++;
	return 1;
}

void frag_done_free(struct frag_done *done)
{
	free(done->data);
	done->data = NULL;
	done->len = 0;
}

void frag_expire(struct capture *cap)
{
	struct frag_table *t = &cap->frags;
	while (t->oldest &&
	       cap_ts_expired(t->oldest->first, cap->now, cap->cfg.frag_timeout_ns))
		drop_dgram(cap, t->oldest);
}

void frag_clear(struct capture *cap)
{
	while (cap->frags.oldest)
		drop_dgram(cap, cap->frags.oldest);
}
