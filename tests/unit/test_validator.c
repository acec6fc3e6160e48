/* Unit tests: DNSSEC validation in the resolver engine (resolver/
 * validator.c, val_chain.c, val_neg.c, val_proof.c) against a simulated
 * network (helper_simnet, SIM_DNSSEC) serving zones signed at test time
 * with Ed25519 keys made by OpenSSL: a signed root (the trust anchor), a
 * signed child with NSEC, one with NSEC3, an unsigned delegation. Secure
 * answers get AD, bogus ones SERVFAIL with EDE and text, CD gets the
 * data, insecure delegations no AD, NXDOMAIN is proven with NSEC and
 * NSEC3, ANY answers are validated RRset by RRset. Also the trust-anchor parsers (resolver/validator.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "codec/base.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/rr.h"
#include "codec/strbuf.h"
#include "codec/zone.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/dnssec/denial.h"
#include "resolver/dnssec/dnssec.h"
#include "resolver/engine.h"
#include "resolver/validator.h"

#define NOW 1701000000u
#define T0 (NOW - 86400u)
#define T1 (NOW + 30u * 86400u)
#define ZMAX 128
#define RDMAX 600

#define IP_ROOT "198.51.100.1"
#define IP_EX "198.51.100.2"
#define IP_N3 "198.51.100.3"
#define IP_UNS "198.51.100.4"

/* ---- a tiny signer ---- */

struct zone {
	dns_rr rr[ZMAX];
	uint8_t buf[ZMAX][RDMAX];
	size_t n;
	dns_name origin;
};

struct key {
	EVP_PKEY *pk;
	uint8_t rd[36];
	uint16_t tag;
};

static void key_make(struct key *k)
{
	k->pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(k->pk);
	size_t len = 32;
	k->rd[0] = 1; /* flags 257: zone key, SEP */
	k->rd[1] = 1;
	k->rd[2] = 3;
	k->rd[3] = DNSSEC_ALG_ED25519;
	assert_int_equal(EVP_PKEY_get_raw_public_key(k->pk, k->rd + 4, &len), 1);
	k->tag = dnssec_key_tag(k->rd, sizeof k->rd);
}

static dns_rr *z_raw(struct zone *z, const dns_name *owner, uint16_t type,
                     const uint8_t *rd, size_t len)
{
	assert_true(z->n < ZMAX && len <= RDMAX);
	dns_rr *r = &z->rr[z->n];
	r->owner = *owner;
	r->type = type;
	r->rclass = DNS_C_IN;
	r->ttl = 3600;
	memcpy(z->buf[z->n], rd, len);
	r->rdata = z->buf[z->n];
	r->rdlen = (uint16_t)len;
	z->n++;
	return r;
}

/* Records in zone-file text, one per line, absolute names. */
static void z_text(struct zone *z, const char *text)
{
	zone_parser p;
	zone_parser_init(&p, text, strlen(text), NULL, 3600, "test");
	dns_rr rr;
	uint8_t rd[RDMAX];
	int r;
	while ((r = zone_parser_next(&p, &rr, rd, sizeof rd)) == 1) {
		if (rr.type == DNS_T_SOA && !z->n)
			z->origin = rr.owner;
		z_raw(z, &rr.owner, rr.type, rr.rdata, rr.rdlen);
	}
	if (r < 0)
		fail_msg("%s", p.errmsg);
	zone_parser_free(&p);
}

/* Below a delegation of the zone (glue, the child's NS set). */
static bool below_cut(const struct zone *z, const dns_name *n, bool at_ok)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->rr[i].type == DNS_T_NS &&
		    !dns_name_equal(&z->rr[i].owner, &z->origin) &&
		    dns_name_is_subdomain(n, &z->rr[i].owner) &&
		    !(at_ok && dns_name_equal(n, &z->rr[i].owner)))
			return true;
	return false;
}

static bool is_cut(const struct zone *z, const dns_name *n)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->rr[i].type == DNS_T_NS && dns_name_equal(&z->rr[i].owner, n) &&
		    !dns_name_equal(n, &z->origin))
			return true;
	return false;
}

/* RFC 4034 §4.1.2 type bitmap of the types at owner (+ extra). */
static size_t bitmap(const struct zone *z, const dns_name *owner,
                     const uint16_t *extra, size_t nextra, uint8_t *out)
{
	uint8_t win[256][32];
	int maxb[256];
	memset(win, 0, sizeof win);
	for (int i = 0; i < 256; i++)
		maxb[i] = -1;
	uint16_t t[ZMAX + 8];
	size_t nt = 0;
	for (size_t i = 0; i < z->n; i++)
		if (dns_name_equal(&z->rr[i].owner, owner))
			t[nt++] = z->rr[i].type;
	for (size_t i = 0; i < nextra; i++)
		t[nt++] = extra[i];
	for (size_t i = 0; i < nt; i++) {
		unsigned w = t[i] >> 8, b = (t[i] & 0xff) >> 3;
		win[w][b] |= (uint8_t)(0x80 >> (t[i] & 7));
		if ((int)b > maxb[w])
			maxb[w] = (int)b;
	}
	size_t len = 0;
	for (unsigned w = 0; w < 256; w++) {
		if (maxb[w] < 0)
			continue;
		out[len++] = (uint8_t)w;
		out[len++] = (uint8_t)(maxb[w] + 1);
		memcpy(out + len, win[w], (size_t)maxb[w] + 1);
		len += (size_t)maxb[w] + 1;
	}
	return len;
}

static int owners(const struct zone *z, dns_name *o)
{
	int n = 0;
	for (size_t i = 0; i < z->n; i++) {
		const dns_name *w = &z->rr[i].owner;
		if (below_cut(z, w, true))
			continue;
		bool dup = false;
		for (int k = 0; k < n && !dup; k++)
			dup = dns_name_equal(&o[k], w);
		if (!dup)
			o[n++] = *w;
	}
	/* canonical order, insertion sort */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && dns_name_canon_cmp(&o[k - 1], &o[k]) > 0; k--) {
			dns_name t = o[k];
			o[k] = o[k - 1];
			o[k - 1] = t;
		}
	return n;
}

static void add_nsec(struct zone *z)
{
	dns_name o[ZMAX];
	int n = owners(z, o);
	static const uint16_t extra[] = { DNS_T_RRSIG, DNS_T_NSEC };
	for (int i = 0; i < n; i++) {
		uint8_t rd[RDMAX];
		const dns_name *next = &o[(i + 1) % n];
		memcpy(rd, next->wire, next->len);
		size_t bl = bitmap(z, &o[i], extra,
		                   is_cut(z, &o[i]) ? 1 : 2, rd + next->len);
		/* at an unsigned cut only NS (+NSEC, RRSIG of the NSEC) */
		if (is_cut(z, &o[i]))
			bl = bitmap(z, &o[i], extra, 2, rd + next->len);
		z_raw(z, &o[i], DNS_T_NSEC, rd, next->len + bl);
	}
}

static const uint8_t SALT[] = { 0xab, 0xcd };
#define N3_ITER 2

static void add_nsec3(struct zone *z)
{
	dns_name o[ZMAX];
	int n = owners(z, o);
	uint8_t h[ZMAX][NSEC3_SHA1_LEN];
	for (int i = 0; i < n; i++)
		assert_int_equal(nsec3_hash(1, SALT, sizeof SALT, N3_ITER, &o[i],
		                            h[i]), 0);
	static const uint16_t extra[] = { DNS_T_RRSIG, DNS_T_NSEC3PARAM };
	for (int i = 0; i < n; i++) {
		/* the next hash in order */
		int nx = -1;
		for (int k = 0; k < n; k++)
			if (memcmp(h[k], h[i], NSEC3_SHA1_LEN) > 0 &&
			    (nx < 0 || memcmp(h[k], h[nx], NSEC3_SHA1_LEN) < 0))
				nx = k;
		if (nx < 0) /* the last: wrap to the smallest */
			for (int k = 0; k < n; k++)
				if (nx < 0 || memcmp(h[k], h[nx], NSEC3_SHA1_LEN) < 0)
					nx = k;
		uint8_t rd[RDMAX];
		size_t l = 0;
		rd[l++] = 1;
		rd[l++] = 0;
		rd[l++] = 0;
		rd[l++] = N3_ITER;
		rd[l++] = sizeof SALT;
		memcpy(rd + l, SALT, sizeof SALT);
		l += sizeof SALT;
		rd[l++] = NSEC3_SHA1_LEN;
		memcpy(rd + l, h[nx], NSEC3_SHA1_LEN);
		l += NSEC3_SHA1_LEN;
		bool apex = dns_name_equal(&o[i], &z->origin);
		l += bitmap(z, &o[i], extra, apex ? 2 : 1, rd + l);
		char label[64];
		strbuf sb = strbuf_init(label, sizeof label);
		base32hex_encode(&sb, h[i], NSEC3_SHA1_LEN);
		dns_name hn = z->origin;
		assert_int_equal(dns_name_prepend_label(&hn, (const uint8_t *)label,
		                                        strlen(label)), 0);
		z_raw(z, &hn, DNS_T_NSEC3, rd, l);
	}
}

struct sign_opts {
	uint32_t inception, expiration;
	const struct key *tag_of;   /* key tag written (NULL: the signer's) */
};

static void sign_set(struct zone *z, const struct key *k, size_t first,
                     struct sign_opts o)
{
	dns_rr set[ZMAX];
	size_t n = 0;
	const dns_rr *r0 = &z->rr[first];
	for (size_t i = first; i < z->n; i++)
		if (z->rr[i].type == r0->type &&
		    dns_name_equal(&z->rr[i].owner, &r0->owner))
			set[n++] = z->rr[i];
	uint8_t rd[RDMAX];
	wire_wr w = wire_wr_init(rd, sizeof rd);
	wire_wr_u16(&w, r0->type);
	wire_wr_u8(&w, DNSSEC_ALG_ED25519);
	wire_wr_u8(&w, (uint8_t)dns_name_labels(&r0->owner));
	wire_wr_u32(&w, 3600);
	wire_wr_u32(&w, o.expiration);
	wire_wr_u32(&w, o.inception);
	wire_wr_u16(&w, (o.tag_of ? o.tag_of : k)->tag);
	dns_name_write(&w, &z->origin);
	assert_int_equal(w.err, 0);
	dnssec_rrsig sig;
	assert_int_equal(dnssec_rrsig_parse(rd, w.pos, &sig), 0);
	uint8_t data[8192];
	size_t dlen;
	assert_int_equal(dnssec_signed_data(set, n, &sig, data, sizeof data,
	                                    &dlen), 0);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t slen = 64;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pk), 1);
	assert_int_equal(EVP_DigestSign(ctx, rd + w.pos, &slen, data, dlen), 1);
	EVP_MD_CTX_free(ctx);
	dns_name owner = r0->owner;
	z_raw(z, &owner, DNS_T_RRSIG, rd, w.pos + slen);
}

/* DNSKEY, NSEC or NSEC3 chain, an RRSIG over every authoritative RRset. */
static void sign_zone(struct zone *z, const struct key *k, bool nsec3,
                      struct sign_opts o)
{
	z_raw(z, &z->origin, DNS_T_DNSKEY, k->rd, sizeof k->rd);
	if (nsec3) {
		uint8_t p[5 + sizeof SALT] = { 1, 0, 0, N3_ITER, sizeof SALT,
		                               0xab, 0xcd };
		z_raw(z, &z->origin, DNS_T_NSEC3PARAM, p, sizeof p);
		add_nsec3(z);
	} else {
		add_nsec(z);
	}
	size_t n = z->n;
	for (size_t i = 0; i < n; i++) {
		const dns_rr *r = &z->rr[i];
		bool seen = false;
		for (size_t k2 = 0; k2 < i && !seen; k2++)
			seen = z->rr[k2].type == r->type &&
			       dns_name_equal(&z->rr[k2].owner, &r->owner);
		/* at a cut only DS and NSEC are the parent's to sign */
		if (seen || below_cut(z, &r->owner, true) ||
		    (is_cut(z, &r->owner) && r->type != DNS_T_DS &&
		     r->type != DNS_T_NSEC))
			continue;
		sign_set(z, k, i, o);
	}
}

/* The n3. zone's DS in the root: another algorithm or digest type
 * number written (0: the real ones); the engine's NSEC3 iteration limit
 * (0: the default). For the insecure EDE cases. */
static uint8_t g_n3_ds_alg, g_n3_ds_digest;
static unsigned g_n3_max_iter;

/* DS (SHA-256) of a key at owner, as zone text into the parent. */
static void add_ds(struct zone *parent, const char *owner, const struct key *k)
{
	dns_name o;
	assert_int_equal(dns_name_from_text(&o, owner, strlen(owner), NULL), 0);
	uint8_t rd[4 + 32];
	size_t dl = 0;
	rd[0] = (uint8_t)(k->tag >> 8);
	rd[1] = (uint8_t)k->tag;
	rd[2] = DNSSEC_ALG_ED25519;
	rd[3] = DNSSEC_DIGEST_SHA256;
	assert_int_equal(dnssec_ds_digest(&o, k->rd, sizeof k->rd, 2, rd + 4, 32,
	                                  &dl), 0);
	if (!strcmp(owner, "n3.") && g_n3_ds_alg)
		rd[2] = g_n3_ds_alg;
	if (!strcmp(owner, "n3.") && g_n3_ds_digest)
		rd[3] = g_n3_ds_digest;
	z_raw(parent, &o, DNS_T_DS, rd, sizeof rd);
}

static void serve(struct simnet *net, const char *ip, const struct zone *z)
{
	size_t cap = 256 * 1024;
	char *text = malloc(cap);
	assert_non_null(text);
	strbuf sb = strbuf_init(text, cap);
	for (size_t i = 0; i < z->n; i++) {
		/* SOA first: simnet takes the origin from it */
		if (z->rr[i].type == DNS_T_SOA) {
			dns_rr_to_text(&z->rr[i], &sb);
			strbuf_putc(&sb, '\n');
		}
	}
	for (size_t i = 0; i < z->n; i++) {
		if (z->rr[i].type == DNS_T_SOA)
			continue;
		dns_rr_to_text(&z->rr[i], &sb);
		strbuf_putc(&sb, '\n');
	}
	assert_int_equal(simnet_add_zone(net, ip, text), 0);
	simnet_set_flags(net, ip, SIM_DNSSEC);
	free(text);
}

/* ---- the test world ---- */

struct world {
	struct simnet *net;
	cache_t *cache;
	res_engine *e;
	uint64_t clock;
	struct key kroot, kex, kn3, kother;
	struct sim_answer ans;
	struct res_anchors anchors;
	struct res_hint hint;
	struct res_forwarder fw;
};

enum breakage { OK = 0, EXPIRED, WRONG_KEY, BAD_TXT };

#define IP_FWD "198.51.100.9"

static struct world *world_new2(enum breakage br, bool fwd);
static bool g_aggressive; /* the next world synthesises from NSEC */

static struct world *world_new(enum breakage br)
{
	return world_new2(br, false);
}

/* fwd: one server (IP_FWD) holds every zone and answers everything, as a
 * forwarder would; the engine forwards to it. */
static struct world *world_new2(enum breakage br, bool fwd)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	key_make(&w->kroot);
	key_make(&w->kex);
	key_make(&w->kn3);
	key_make(&w->kother);
	struct sign_opts ok = { T0, T1, NULL };
	struct zone *root = calloc(1, sizeof *root);
	struct zone *ex = calloc(1, sizeof *ex);
	struct zone *n3 = calloc(1, sizeof *n3);
	struct zone *uns = calloc(1, sizeof *uns);
	assert_true(root && ex && n3 && uns);
	z_text(root, ". SOA a.root. h.root. 1 3600 600 86400 300\n"
	             ". NS a.root.\na.root. A " IP_ROOT "\n"
	             "example. NS ns.example.\nns.example. A " IP_EX "\n"
	             "n3. NS ns.n3.\nns.n3. A " IP_N3 "\n"
	             "unsigned. NS ns.unsigned.\nns.unsigned. A " IP_UNS "\n");
	add_ds(root, "example.", &w->kex);
	add_ds(root, "n3.", &w->kn3);
	sign_zone(root, &w->kroot, false, ok);
	z_text(ex, "example. SOA ns.example. h.example. 1 3600 600 86400 300\n"
	           "example. NS ns.example.\nns.example. A " IP_EX "\n"
	           "www.example. A 192.0.2.1\n"
	           "alias.example. CNAME www.example.\n"
	           "multi.example. A 192.0.2.11\nmulti.example. TXT \"t\"\n"
	           "multi.example. MX 10 www.example.\n");
	struct sign_opts exo = ok;
	if (br == EXPIRED) {
		exo.inception = NOW - 40u * 86400u;
		exo.expiration = NOW - 10u * 86400u;
	}
	if (br == WRONG_KEY) { /* signed by another key, with the real tag */
		z_raw(ex, &ex->origin, DNS_T_DNSKEY, w->kex.rd, sizeof w->kex.rd);
		add_nsec(ex);
		size_t n = ex->n;
		for (size_t i = 0; i < n; i++) {
			bool seen = false;
			for (size_t k = 0; k < i && !seen; k++)
				seen = ex->rr[k].type == ex->rr[i].type &&
				       dns_name_equal(&ex->rr[k].owner, &ex->rr[i].owner);
			if (seen)
				continue;
			bool dnskey = ex->rr[i].type == DNS_T_DNSKEY;
			struct sign_opts o = { T0, T1, dnskey ? NULL : &w->kex };
			sign_set(ex, dnskey ? &w->kex : &w->kother, i, o);
		}
	} else {
		sign_zone(ex, &w->kex, false, exo);
	}
	dns_name multi;
	assert_int_equal(dns_name_from_text(&multi, "multi.example.", 14, NULL), 0);
	for (size_t i = 0; br == BAD_TXT && i < ex->n; i++) /* one bad RRSIG */
		if (ex->rr[i].type == DNS_T_RRSIG &&
		    dns_name_equal(&ex->rr[i].owner, &multi) &&
		    ex->rr[i].rdata[1] == DNS_T_TXT && !ex->rr[i].rdata[0])
			ex->buf[i][ex->rr[i].rdlen - 1] ^= 0x5a;
	z_text(n3, "n3. SOA ns.n3. h.n3. 1 3600 600 86400 300\n"
	           "n3. NS ns.n3.\nns.n3. A " IP_N3 "\n"
	           "www.n3. A 192.0.2.3\n");
	sign_zone(n3, &w->kn3, true, ok);
	z_text(uns, "unsigned. SOA ns.unsigned. h.unsigned. 1 3600 600 86400 300\n"
	            "unsigned. NS ns.unsigned.\nns.unsigned. A " IP_UNS "\n"
	            "www.unsigned. A 192.0.2.4\n");
	w->net = simnet_new();
	assert_non_null(w->net);
	serve(w->net, fwd ? IP_FWD : IP_ROOT, root);
	serve(w->net, fwd ? IP_FWD : IP_EX, ex);
	serve(w->net, fwd ? IP_FWD : IP_N3, n3);
	serve(w->net, fwd ? IP_FWD : IP_UNS, uns);
	/* the anchor: the root's DNSKEY */
	dns_rr a = { .type = DNS_T_DNSKEY, .rclass = DNS_C_IN, .ttl = 3600,
	             .rdata = w->kroot.rd, .rdlen = sizeof w->kroot.rd };
	dns_name_root(&a.owner);
	assert_int_equal(res_anchors_add(&w->anchors, &a), 0);
	free(root);
	free(ex);
	free(n3);
	free(uns);
	struct res_config cfg;
	res_config_defaults(&cfg);
	dns_name_root(&w->hint.name);
	simnet_addr(IP_ROOT, &w->hint.addr);
	cfg.hints = &w->hint;
	cfg.n_hints = 1;
	cfg.random = sim_random;
	if (fwd) {
		cfg.mode = RES_MODE_FORWARD;
		dns_name_root(&w->fw.domain);
		simnet_addr(IP_FWD, &w->fw.addr);
		cfg.fwd = &w->fw;
		cfg.n_fwd = 1;
	}
	cfg.dnssec = true;
	cfg.aggressive_nsec = g_aggressive;
	cfg.nsec3_max_iterations = g_n3_max_iter;
	cfg.trust_anchors = w->anchors.rrs;
	cfg.n_trust_anchors = w->anchors.n;
	struct cache_config cc;
	cache_config_defaults(&cc);
	w->cache = cache_new(&cc);
	w->e = res_engine_new(&cfg, w->cache);
	assert_non_null(w->e);
	res_anchors_free(&w->anchors); /* the engine keeps its copy */
	w->clock = (uint64_t)NOW * 1000;
	return w;
}

static void world_free(struct world *w)
{
	res_engine_free(w->e);
	cache_free(w->cache);
	simnet_free(w->net);
	EVP_PKEY_free(w->kroot.pk);
	EVP_PKEY_free(w->kex.pk);
	EVP_PKEY_free(w->kn3.pk);
	EVP_PKEY_free(w->kother.pk);
	free(w);
}

static void ask(struct world *w, const char *name, uint16_t type,
                uint16_t flags, bool do_bit, dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof q, name, type, DNS_C_IN, flags, 0,
	                        do_bit);
	assert_true(len > 0);
	assert_true(resq_run(w->net, w->e, &w->clock, &w->ans, q, len, m));
}

#define RD DNS_FLAG_RD

static void test_secure_ad(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	dns_msg m;
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_RRSIG), 1);
	/* the chain was fetched: DNSKEY of both zones, DS of example. */
	assert_true(resq_sent(w->net, IP_EX, "example.") >= 1);
	/* from the cache, no DO and no AD: no AD (RFC 6840 §5.8), no RRSIG */
	ask(w, "www.example.", DNS_T_A, RD, false, &m);
	assert_false(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_RRSIG), 0);
	/* AD asked for without DO: AD (RFC 6840 §5.7) */
	ask(w, "www.example.", DNS_T_A, RD | DNS_FLAG_AD, false, &m);
	assert_true(m.flags & DNS_FLAG_AD);
	/* a CNAME chain inside the zone: every link secure */
	ask(w, "alias.example.", DNS_T_A, RD, true, &m);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	world_free(w);
}

static void test_bogus_expired(void **state)
{
	(void)state;
	struct world *w = world_new(EXPIRED);
	dns_msg m;
	char text[512] = "";
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_SIG_EXPIRED);
	assert_non_null(strstr(text, "example."));
	assert_non_null(strstr(text, "key tag"));
	assert_non_null(strstr(text, "expired"));
	/* CD: the data, unvalidated, never SERVFAIL */
	ask(w, "www.example.", DNS_T_A, RD | DNS_FLAG_CD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_false(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	world_free(w);
}

/* qtype ANY, validated RRset by RRset (Unbound's validate_any_response):
 * all secure gives AD with every RRSIG, NXDOMAIN is proven, an unsigned
 * zone's answer is insecure; one RRset with a broken signature makes
 * the whole answer bogus (SERVFAIL naming it), CD gets the data. */
static void test_any(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	dns_msg m;
	char text[512] = "";
	ask(w, "multi.example.", DNS_T_ANY, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_TXT), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_MX), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_NSEC), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_RRSIG), 4);
	ask(w, "nope.example.", DNS_T_ANY, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(m.flags & DNS_FLAG_AD);
	ask(w, "www.unsigned.", DNS_T_ANY, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_false(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 4));
	world_free(w);
	w = world_new(BAD_TXT);
	ask(w, "multi.example.", DNS_T_A, RD, true, &m); /* the A set is fine */
	assert_true(m.flags & DNS_FLAG_AD);
	ask(w, "multi.example.", DNS_T_ANY, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_DNSSEC_BOGUS);
	assert_non_null(strstr(text, "multi.example."));
	assert_non_null(strstr(text, "TXT"));
	ask(w, "multi.example.", DNS_T_ANY, RD | DNS_FLAG_CD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_false(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_TXT), 1);
	world_free(w);
}

static void test_bogus_wrong_key(void **state)
{
	(void)state;
	struct world *w = world_new(WRONG_KEY);
	dns_msg m;
	char text[512] = "";
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_DNSSEC_BOGUS);
	assert_non_null(strstr(text, "www.example."));
	char tag[16];
	snprintf(tag, sizeof tag, "%u", w->kex.tag);
	assert_non_null(strstr(text, tag));
	world_free(w);
}

static void test_insecure_delegation(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	dns_msg m;
	ask(w, "www.unsigned.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_false(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 4));
	world_free(w);
}

static void test_nxdomain_nsec(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	dns_msg m;
	ask(w, "nope.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_true(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_NSEC) >= 1);
	/* NODATA too */
	ask(w, "www.example.", DNS_T_TXT, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(m.flags & DNS_FLAG_AD);
	/* without DO: no NSEC in the answer */
	ask(w, "nope.example.", DNS_T_A, RD, false, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_NSEC), 0);
	world_free(w);
}

static void test_nxdomain_nsec3(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	dns_msg m;
	ask(w, "www.n3.", DNS_T_A, RD, true, &m);
	assert_true(m.flags & DNS_FLAG_AD);
	ask(w, "nope.n3.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_true(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_NSEC3) >= 1);
	world_free(w);
}

/* A zone made insecure by what the validator cannot check carries the
 * reason as an EDE on its (positive or negative) answers, fresh and from
 * the cache, without AD: DS with an unknown algorithm (RFC 4035 §5.2,
 * RFC 8914 §4.2: 1), an unknown digest type (RFC 4509 §3, §4.3: 2),
 * NSEC3 iterations above the limit (RFC 9276 §3.2: 27). */
static void insecure_ede_case(uint8_t alg, uint8_t digest, unsigned maxit,
                              const char *name, uint16_t rcode,
                              uint16_t want)
{
	g_n3_ds_alg = alg;
	g_n3_ds_digest = digest;
	g_n3_max_iter = maxit;
	struct world *w = world_new(OK);
	g_n3_ds_alg = g_n3_ds_digest = 0;
	g_n3_max_iter = 0;
	dns_msg m;
	char text[512];
	for (int pass = 0; pass < 2; pass++) { /* resolved, then cached */
		ask(w, name, DNS_T_A, RD, true, &m);
		assert_int_equal(dns_msg_rcode(&m), rcode);
		assert_false(m.flags & DNS_FLAG_AD);
		assert_int_equal(resq_ede(&m, text, sizeof text), want);
		assert_non_null(strstr(text, "n3."));
		assert_non_null(strstr(text, "insecure"));
	}
	/* CD: no validation, no verdict, no EDE */
	ask(w, name, DNS_T_A, RD | DNS_FLAG_CD, true, &m);
	assert_int_equal(resq_ede(&m, NULL, 0), 0xffff);
	/* a secure zone's answer beside it: AD, no EDE */
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_ede(&m, NULL, 0), 0xffff);
	world_free(w);
}

static void test_insecure_ede(void **state)
{
	(void)state;
	insecure_ede_case(100, 0, 0, "www.n3.", DNS_RCODE_NOERROR,
	                  EDE_UNSUPPORTED_DNSKEY_ALG);
	insecure_ede_case(0, 100, 0, "www.n3.", DNS_RCODE_NOERROR,
	                  EDE_UNSUPPORTED_DS_DIGEST);
	insecure_ede_case(0, 0, 1, "nope.n3.", DNS_RCODE_NXDOMAIN,
	                  EDE_UNSUPPORTED_NSEC3_ITER);
	/* within the limit the same NXDOMAIN is secure, without EDE */
	struct world *w = world_new(OK);
	dns_msg m;
	ask(w, "nope.n3.", DNS_T_A, RD, true, &m);
	assert_true(m.flags & DNS_FLAG_AD);
	assert_int_equal(resq_ede(&m, NULL, 0), 0xffff);
	world_free(w);
}

/* A zone with a DS in its parent but answers without RRSIGs: bogus,
 * EDE 10, never insecure (a stripped signature is an attack). */
static void test_stripped_signatures(void **state)
{
	(void)state;
	struct world *w = world_new(OK);
	/* a second server for example. that serves it unsigned */
	simnet_free(w->net);
	w->net = simnet_new();
	struct zone *root = calloc(1, sizeof *root);
	struct zone *ex = calloc(1, sizeof *ex);
	assert_true(root && ex);
	z_text(root, ". SOA a.root. h.root. 1 3600 600 86400 300\n"
	             ". NS a.root.\na.root. A " IP_ROOT "\n"
	             "example. NS ns.example.\nns.example. A " IP_EX "\n");
	add_ds(root, "example.", &w->kex);
	struct sign_opts ok = { T0, T1, NULL };
	sign_zone(root, &w->kroot, false, ok);
	z_text(ex, "example. SOA ns.example. h.example. 1 3600 600 86400 300\n"
	           "example. NS ns.example.\nns.example. A " IP_EX "\n"
	           "www.example. A 192.0.2.1\n");
	z_raw(ex, &ex->origin, DNS_T_DNSKEY, w->kex.rd, sizeof w->kex.rd);
	sign_set(ex, &w->kex, ex->n - 1, ok); /* only the DNSKEY set signed */
	serve(w->net, IP_ROOT, root);
	serve(w->net, IP_EX, ex);
	free(root);
	free(ex);
	dns_msg m;
	char text[512];
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_RRSIGS_MISSING);
	world_free(w);
}

/* Forwarding mode (dnsmasq --dnssec): the forwarder is asked with DO
 * and CD, and the chain of trust is fetched through it too. */
static void test_forwarding(void **state)
{
	(void)state;
	struct world *w = world_new2(OK, true);
	dns_msg m;
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(m.flags & DNS_FLAG_AD);
	/* DNSKEY and DS went to the forwarder, with RD (and CD) */
	bool dnskey = false, ds = false;
	for (size_t i = 0; i < simnet_log_count(w->net); i++) {
		const struct sim_log *l = simnet_log(w->net, i);
		assert_string_equal(l->dst, IP_FWD);
		assert_true(l->rd);
		dnskey |= l->qtype == DNS_T_DNSKEY;
		ds |= l->qtype == DNS_T_DS && !strcmp(l->qname, "example.");
	}
	assert_true(dnskey && ds);
	ask(w, "nope.n3.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(m.flags & DNS_FLAG_AD);
	ask(w, "www.unsigned.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_false(m.flags & DNS_FLAG_AD);
	world_free(w);
	/* a bogus zone behind the forwarder: SERVFAIL */
	w = world_new2(EXPIRED, true);
	ask(w, "www.example.", DNS_T_A, RD, true, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	world_free(w);
}

/* RFC 8198: with aggressive_nsec, a name covered by NSEC records already
 * validated is answered NXDOMAIN without asking; without it, asked. */
static void test_aggressive_nsec(void **state)
{
	(void)state;
	for (int on = 0; on <= 1; on++) {
		g_aggressive = on;
		struct world *w = world_new(OK);
		g_aggressive = false;
		dns_msg m;
		ask(w, "nope.example.", DNS_T_A, RD, true, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
		simnet_log_clear(w->net);
		ask(w, "nope2.example.", DNS_T_A, RD, true, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
		assert_true(m.flags & DNS_FLAG_AD);
		assert_true(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_NSEC) >= 1);
		assert_true(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_SOA) == 1);
		if (on)
			assert_int_equal(simnet_log_count(w->net), 0);
		else
			assert_true(simnet_log_count(w->net) > 0);
		world_free(w);
	}
}

static void test_anchor_parsers(void **state)
{
	(void)state;
	struct res_anchors a = { 0 };
	char err[256] = "";
	const char *file =
		"; trust anchors\n"
		"example.com. 3600 IN DS 2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b\n"
		"example.net. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n";
	assert_int_equal(res_anchors_parse(&a, file, strlen(file), "ta", err,
	                                   sizeof err), 0);
	assert_int_equal(a.n, 2);
	assert_int_equal(a.rrs[0].type, DNS_T_DS);
	assert_int_equal(a.rrs[1].type, DNS_T_DNSKEY);
	const char *bad = "example.org. IN A 192.0.2.1\n";
	assert_true(res_anchors_parse(&a, bad, strlen(bad), "ta", err,
	                              sizeof err) < 0);
	assert_non_null(strstr(err, "ta:1"));
	/* dnsmasq's trust-anchor= form, with and without the class */
	assert_int_equal(res_anchors_parse_dnsmasq(&a,
		".,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"), 0);
	assert_int_equal(res_anchors_parse_dnsmasq(&a,
		"IN,example.,1,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"), 0);
	assert_true(res_anchors_parse_dnsmasq(&a, "example.,1,8") < 0);
	assert_int_equal(a.n, 4);
	dnssec_ds ds;
	assert_int_equal(dnssec_ds_parse(a.rrs[2].rdata, a.rrs[2].rdlen, &ds), 0);
	assert_int_equal(ds.key_tag, 20326);
	assert_int_equal(res_anchors_add_root(&a), 0);
	assert_int_equal(a.n, 6);
	assert_int_equal(dnssec_ds_parse(a.rrs[5].rdata, a.rrs[5].rdlen, &ds), 0);
	assert_int_equal(ds.key_tag, 38696);
	res_anchors_free(&a);
	assert_int_equal(a.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secure_ad),
		cmocka_unit_test(test_bogus_expired),
		cmocka_unit_test(test_bogus_wrong_key),
		cmocka_unit_test(test_any),
		cmocka_unit_test(test_insecure_delegation),
		cmocka_unit_test(test_insecure_ede),
		cmocka_unit_test(test_nxdomain_nsec),
		cmocka_unit_test(test_nxdomain_nsec3),
		cmocka_unit_test(test_stripped_signatures),
		cmocka_unit_test(test_forwarding),
		cmocka_unit_test(test_aggressive_nsec),
		cmocka_unit_test(test_anchor_parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
