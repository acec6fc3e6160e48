/* ward toolkit: client queries and their captured answers out of a pcap
 * (see the header). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_queries.h"
#include "capture/capture.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"

#define PCAPQ_MAX_QUERIES (16u << 20) /* bound on what one run holds */

struct flowkey {
	int family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport, id;
	uint8_t transport;
};

struct loader {
	const struct pcapq_opts *o;
	struct pcapq_stats *st;
	struct drun_query *q;
	struct flowkey *keys;     /* parallel to q */
	size_t n, cap;
	uint64_t *tab;            /* open addressing: see slot_make */
	size_t tcap;
	bool have_t0, oom;
	capture_ts t0;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

/* 8 octets at a time: this runs once per DNS message of the capture */
static uint64_t key_hash(const struct flowkey *k)
{
	uint64_t w[4];
	memcpy(w, k->src, 16);
	memcpy(w + 2, k->dst, 16);
	uint64_t h = 0x243F6A8885A308D3ull;
	for (int i = 0; i < 4; i++)
		h = mix(h, w[i]);
	h = mix(h, (uint64_t)k->sport << 40 | (uint64_t)k->dport << 24 |
	           (uint64_t)k->id << 8 | k->transport);
	return h ^ (h >> 32);
}

static bool key_eq(const struct flowkey *a, const struct flowkey *b)
{
	return a->family == b->family && a->sport == b->sport &&
	       a->dport == b->dport && a->id == b->id &&
	       a->transport == b->transport && !memcmp(a->src, b->src, 16) &&
	       !memcmp(a->dst, b->dst, 16);
}

/* A slot: the key's hash in the high 32 bits (a probe that meets another
 * key mostly stops there, without touching keys[]), 1 + index in the low
 * 32 (PCAPQ_MAX_QUERIES fits); 0 empty. */
static uint64_t slot_make(uint64_t hash, size_t idx)
{
	return (hash & 0xFFFFFFFF00000000ull) | (uint64_t)(idx + 1);
}

static size_t slot_idx(uint64_t slot)
{
	return (size_t)(slot & 0xFFFFFFFFu) - 1;
}

static int tab_grow(struct loader *L)
{
	size_t nc = L->tcap ? L->tcap * 2 : 1024;
	uint64_t *nt = calloc(nc, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < L->tcap; i++) {
		if (!L->tab[i])
			continue;
		size_t h = (size_t)key_hash(&L->keys[slot_idx(L->tab[i])]) & (nc - 1);
		while (nt[h])
			h = (h + 1) & (nc - 1);
		nt[h] = L->tab[i];
	}
	free(L->tab);
	L->tab = nt;
	L->tcap = nc;
	return 0;
}

/* The latest query with this key, or SIZE_MAX. */
static size_t tab_find(const struct loader *L, const struct flowkey *k)
{
	if (!L->tcap)
		return SIZE_MAX;
	uint64_t hash = key_hash(k), tag = hash & 0xFFFFFFFF00000000ull;
	size_t h = (size_t)hash & (L->tcap - 1);
	while (L->tab[h]) {
		if ((L->tab[h] & 0xFFFFFFFF00000000ull) == tag &&
		    key_eq(&L->keys[slot_idx(L->tab[h])], k))
			return slot_idx(L->tab[h]);
		h = (h + 1) & (L->tcap - 1);
	}
	return SIZE_MAX;
}

static void tab_put(struct loader *L, size_t idx)
{
	uint64_t hash = key_hash(&L->keys[idx]), tag = hash & 0xFFFFFFFF00000000ull;
	size_t h = (size_t)hash & (L->tcap - 1);
	while (L->tab[h]) {
		if ((L->tab[h] & 0xFFFFFFFF00000000ull) == tag &&
		    key_eq(&L->keys[slot_idx(L->tab[h])], &L->keys[idx]))
			break; /* a reused ID on the same flow: the newer wins */
		h = (h + 1) & (L->tcap - 1);
	}
	L->tab[h] = slot_make(hash, idx);
}

static void add_query(struct loader *L, const struct capture_msg *cm,
                      const dns_msg *m, const dns_name *qn, uint16_t qt)
{
	if (L->n >= PCAPQ_MAX_QUERIES)
		return;
	if (L->n == L->cap) {
		size_t nc = L->cap ? L->cap * 2 : 256;
		struct drun_query *nq = realloc(L->q, nc * sizeof *nq);
		if (!nq) {
			L->oom = true;
			return;
		}
		L->q = nq;
		struct flowkey *nk = realloc(L->keys, nc * sizeof *nk);
		if (!nk) {
			L->oom = true;
			return;
		}
		L->keys = nk;
		L->cap = nc;
	}
	if ((L->n + 1) * 2 > L->tcap && tab_grow(L)) {
		L->oom = true;
		return;
	}
	struct drun_query *q = &L->q[L->n];
	memset(q, 0, sizeof *q);
	if (!(q->wire = malloc(cm->len))) {
		L->oom = true;
		return;
	}
	memcpy(q->wire, cm->data, cm->len);
	q->wlen = cm->len;
	q->qname = *qn;
	q->qtype = qt;
	q->tcp = cm->transport == CAPTURE_TCP;
	if (!L->have_t0) {
		L->t0 = cm->ts;
		L->have_t0 = true;
	}
	q->at = (double)(cm->ts.sec - L->t0.sec) +
	        ((double)cm->ts.nsec - (double)L->t0.nsec) / 1e9;
	if (q->at < 0)
		q->at = 0;
	struct flowkey *k = &L->keys[L->n];
	memset(k, 0, sizeof *k);
	k->family = cm->family;
	memcpy(k->src, cm->src, 16);
	memcpy(k->dst, cm->dst, 16);
	k->sport = cm->sport;
	k->dport = cm->dport;
	k->id = m->id;
	k->transport = (uint8_t)cm->transport;
	tab_put(L, L->n);
	L->n++;
	L->st->queries++;
	if (q->tcp)
		L->st->tcp++;
	else
		L->st->udp++;
}

static void on_msg(const struct capture_msg *cm, void *user)
{
	struct loader *L = user;
	if (cm->kind != CAPTURE_DNS || L->oom)
		return;
	L->st->dns++;
	dns_msg m;
	if (dns_msg_parse(&m, cm->data, cm->len)) {
		L->st->malformed++;
		return;
	}
	dns_name qn;
	uint16_t qt;
	if (dns_msg_question(&m, &qn, &qt, NULL) ||
	    DNS_OPCODE(m.flags) != DNS_OPCODE_QUERY) {
		if (!(m.flags & DNS_FLAG_QR))
			L->st->not_client++;
		return;
	}
	if (!(m.flags & DNS_FLAG_QR)) {
		if ((m.flags & DNS_FLAG_RD) || L->o->all)
			add_query(L, cm, &m, &qn, qt);
		else
			L->st->not_client++;
		return;
	}
	/* a response: the query went the other way */
	struct flowkey k;
	memset(&k, 0, sizeof k);
	k.family = cm->family;
	memcpy(k.src, cm->dst, 16);
	memcpy(k.dst, cm->src, 16);
	k.sport = cm->dport;
	k.dport = cm->sport;
	k.id = m.id;
	k.transport = (uint8_t)cm->transport;
	size_t i = tab_find(L, &k);
	if (i == SIZE_MAX || L->q[i].captured || L->q[i].qtype != qt ||
	    !dns_name_equal(&L->q[i].qname, &qn))
		return;
	if (!(L->q[i].captured = malloc(cm->len)))
		return;
	memcpy(L->q[i].captured, cm->data, cm->len);
	L->q[i].captured_len = cm->len;
	L->st->answered++;
}

int pcapq_load(const char *path, const struct pcapq_opts *o,
               struct drun_query **out, size_t *n, struct pcapq_stats *st,
               char *err, size_t errlen)
{
	struct loader L = { .o = o, .st = st };
	struct capture_config cfg;
	memset(st, 0, sizeof *st);
	*out = NULL;
	*n = 0;
	capture_config_default(&cfg);
	for (unsigned i = 0; i < o->n_ports; i++)
		capture_config_add_dns_port(&cfg, o->ports[i]);
	capture_t *cap = capture_new(&cfg, on_msg, &L);
	if (!cap) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char why[256] = "";
	int r = capture_file_read(cap, path, why, sizeof why);
	capture_free(cap);
	free(L.keys);
	free(L.tab);
	if (r && r != WARD_ETRUNC) {
		/* capture_file_read's reason names the file already */
		if (why[0] && !strncmp(why, path, strlen(path)))
			snprintf(err, errlen, "%s", why);
		else
			snprintf(err, errlen, "%s: %s", path, why[0] ? why : ward_strerror(r));
		goto fail;
	}
	if (L.oom) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	st->cut = r == WARD_ETRUNC;
	*out = L.q;
	*n = L.n;
	return 0;
fail:
	for (size_t i = 0; i < L.n; i++)
		drun_query_free(&L.q[i]);
	free(L.q);
	return -1;
}
