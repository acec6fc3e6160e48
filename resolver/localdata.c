/* ward resolver: local data store and lookup (see localdata.h and
 * docs/localdata.md for the dnsmasq semantics followed). */
#include "resolver/localdata.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "codec/error.h"

/* record flags */
#define REC_HAS_TTL 0x01  /* explicit TTL, else local-ttl */
#define REC_EXPAND 0x02   /* PTR target: append domain= under expand-hosts */
#define REC_AUTO_PTR 0x04 /* PTR made from a hosts line / host-record */
#define REC_HOSTS 0x08    /* from a hosts file (expand-hosts applies) */
#define REC_LEASE 0x10    /* DHCP lease (removable) */

struct ld_rec {
	uint16_t type;
	uint16_t rdlen;
	uint8_t flags;
	uint32_t ttl;
	uint8_t *rdata;
};

struct ld_addr {
	uint8_t family; /* AF_INET / AF_INET6 */
	uint8_t a[16];
};

struct ld_node {
	struct ld_node *next;
	uint32_t hash;
	struct ld_rec *recs;
	uint32_t nrec, caprec;
	uint8_t rule;         /* enum local_rule bits */
	uint8_t naddr, capaddr;
	struct ld_addr *addrs;
	uint16_t len;         /* wire length of key */
	uint8_t key[];        /* lowercased wire name */
};

struct localdata {
	struct ld_node **tab;
	size_t nbucket, count;
	size_t nrules;        /* nodes with a local=/address= rule */
	uint32_t local_ttl;
	bool expand_hosts, domain_needed, bogus_priv, have_domain;
	dns_name domain;
};

/* 8 octets a step: every client query looks its name up here first */
static uint32_t hash_key(const uint8_t *k, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15u;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, k + i, 8);
		h = (h ^ x) * 0x9E3779B97F4A7C15u;
		h ^= h >> 32;
	}
	uint64_t x = 0;
	for (unsigned s = 0; i < n; i++, s += 8)
		x |= (uint64_t)k[i] << s;
	h = (h ^ x) * 0xBF58476D1CE4E5B9u;
	return (uint32_t)(h ^ (h >> 31));
}

localdata *localdata_new(void)
{
	localdata *ld = calloc(1, sizeof(*ld));
	if (!ld)
		return NULL;
	ld->nbucket = 64;
	ld->tab = calloc(ld->nbucket, sizeof(*ld->tab));
	if (!ld->tab) {
		free(ld);
		return NULL;
	}
	return ld;
}

static void node_free(struct ld_node *n)
{
	for (uint32_t i = 0; i < n->nrec; i++)
		free(n->recs[i].rdata);
	free(n->recs);
	free(n->addrs);
	free(n);
}

void localdata_free(localdata *ld)
{
	if (!ld)
		return;
	for (size_t b = 0; b < ld->nbucket; b++) {
		struct ld_node *n = ld->tab[b];
		while (n) {
			struct ld_node *nx = n->next;
			node_free(n);
			n = nx;
		}
	}
	free(ld->tab);
	free(ld);
}

size_t localdata_count(const localdata *ld)
{
	return ld->count;
}

void localdata_set_local_ttl(localdata *ld, uint32_t ttl) { ld->local_ttl = ttl; }
void localdata_set_expand_hosts(localdata *ld, bool on) { ld->expand_hosts = on; }
void localdata_set_domain_needed(localdata *ld, bool on) { ld->domain_needed = on; }
void localdata_set_bogus_priv(localdata *ld, bool on) { ld->bogus_priv = on; }

/* Text name -> lowercased absolute name. "#" and "" are not names here. */
static int name_parse(const char *s, dns_name *out)
{
	dns_name root;
	if (!s)
		return WARD_EINVAL;
	size_t n = strlen(s);
	if (n == 0 || (n == 1 && s[0] == '@'))
		return WARD_ESYNTAX;
	dns_name_root(&root);
	int rc = dns_name_from_text(out, s, n, &root);
	if (rc < 0)
		return rc;
	dns_name_lower(out);
	return 0;
}

int localdata_set_domain(localdata *ld, const char *domain)
{
	if (!domain) {
		ld->have_domain = false;
		return 0;
	}
	dns_name d;
	int rc = name_parse(domain, &d);
	if (rc < 0)
		return rc;
	ld->domain = d;
	ld->have_domain = true;
	return 0;
}

static struct ld_node *node_find(const localdata *ld, const uint8_t *key,
                                 size_t len)
{
	uint32_t h = hash_key(key, len);
	for (struct ld_node *n = ld->tab[h & (ld->nbucket - 1)]; n; n = n->next)
		if (n->hash == h && n->len == len && memcmp(n->key, key, len) == 0)
			return n;
	return NULL;
}

static int grow(localdata *ld)
{
	size_t nb = ld->nbucket * 2;
	struct ld_node **t = calloc(nb, sizeof(*t));
	if (!t)
		return WARD_ENOMEM;
	for (size_t b = 0; b < ld->nbucket; b++) {
		struct ld_node *n = ld->tab[b];
		while (n) {
			struct ld_node *nx = n->next;
			n->next = t[n->hash & (nb - 1)];
			t[n->hash & (nb - 1)] = n;
			n = nx;
		}
	}
	free(ld->tab);
	ld->tab = t;
	ld->nbucket = nb;
	return 0;
}

/* The node for a lowercased name, created when missing (NULL on ENOMEM). */
static struct ld_node *node_get(localdata *ld, const dns_name *name)
{
	struct ld_node *n = node_find(ld, name->wire, name->len);
	if (n)
		return n;
	if (ld->count >= ld->nbucket && grow(ld) < 0)
		return NULL;
	n = calloc(1, sizeof(*n) + name->len);
	if (!n)
		return NULL;
	n->len = name->len;
	memcpy(n->key, name->wire, name->len);
	n->hash = hash_key(n->key, n->len);
	size_t b = n->hash & (ld->nbucket - 1);
	n->next = ld->tab[b];
	ld->tab[b] = n;
	ld->count++;
	return n;
}

static int rec_add(localdata *ld, const dns_name *name, uint16_t type,
                   const uint8_t *rdata, size_t rdlen, uint8_t flags,
                   uint32_t ttl)
{
	if (rdlen > DNS_RDATA_MAX)
		return WARD_EINVAL;
	struct ld_node *n = node_get(ld, name);
	if (!n)
		return WARD_ENOMEM;
	for (uint32_t i = 0; i < n->nrec; i++) {
		struct ld_rec *r = &n->recs[i];
		if (r->type == type && r->rdlen == rdlen &&
		    memcmp(r->rdata, rdata, rdlen) == 0)
			return 0; /* duplicate */
		if ((flags & REC_AUTO_PTR) && r->type == DNS_T_PTR &&
		    (r->flags & REC_AUTO_PTR))
			return 0; /* first name wins */
	}
	if (n->nrec == n->caprec) {
		uint32_t cap = n->caprec ? n->caprec * 2 : 2;
		struct ld_rec *nr = realloc(n->recs, cap * sizeof(*nr));
		if (!nr)
			return WARD_ENOMEM;
		n->recs = nr;
		n->caprec = cap;
	}
	uint8_t *copy = malloc(rdlen ? rdlen : 1);
	if (!copy)
		return WARD_ENOMEM;
	if (rdlen)
		memcpy(copy, rdata, rdlen);
	struct ld_rec *r = &n->recs[n->nrec++];
	r->type = type;
	r->rdlen = (uint16_t)rdlen;
	r->flags = flags;
	r->ttl = ttl;
	r->rdata = copy;
	return 0;
}

static int ttl_flags(int64_t ttl, uint8_t *flags, uint32_t *out)
{
	*out = 0;
	if (ttl == LD_TTL_DEFAULT)
		return 0;
	if (ttl < 0 || ttl > 0x7fffffff)
		return WARD_ERANGE;
	*flags |= REC_HAS_TTL;
	*out = (uint32_t)ttl;
	return 0;
}

/* ---- filling ---- */

static int addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
}

static int add_host_flags(localdata *ld, const dns_name *name, int family,
                          const void *addr, bool make_ptr, uint8_t flags,
                          uint32_t ttl, const dns_name *ptr_target,
                          uint8_t ptr_flags)
{
	int alen = addr_len(family);
	if (alen < 0 || !addr)
		return WARD_EINVAL;
	int rc = rec_add(ld, name, family == AF_INET ? DNS_T_A : DNS_T_AAAA,
	                 addr, (size_t)alen, flags, ttl);
	if (rc < 0 || !make_ptr)
		return rc;
	dns_name rev;
	rc = localdata_reverse_name(family, addr, &rev);
	if (rc < 0)
		return rc;
	const dns_name *t = ptr_target ? ptr_target : name;
	return rec_add(ld, &rev, DNS_T_PTR, t->wire, t->len,
	               (uint8_t)(ptr_flags | REC_AUTO_PTR | (flags & (REC_HAS_TTL | REC_LEASE))),
	               ttl);
}

int localdata_add_host(localdata *ld, const char *name, int family,
                       const void *addr, bool make_ptr)
{
	dns_name n;
	int rc = name_parse(name, &n);
	if (rc < 0)
		return rc;
	return add_host_flags(ld, &n, family, addr, make_ptr, REC_HOSTS, 0, NULL,
	                      dns_name_labels(&n) == 1 ? REC_EXPAND : 0);
}

static int rule_domain(const char *domain, dns_name *out)
{
	if (!domain || domain[0] == '\0' || strcmp(domain, "#") == 0) {
		dns_name_root(out);
		return 0;
	}
	return name_parse(domain, out);
}

int localdata_add_local(localdata *ld, const char *domain)
{
	dns_name d;
	int rc = rule_domain(domain, &d);
	if (rc < 0)
		return rc;
	struct ld_node *n = node_get(ld, &d);
	if (!n)
		return WARD_ENOMEM;
	ld->nrules += !n->rule;
	n->rule |= LD_RULE_LOCAL;
	return 0;
}

static int rule_addr_add(struct ld_node *n, int family, const uint8_t *a)
{
	for (unsigned i = 0; i < n->naddr; i++)
		if (n->addrs[i].family == family &&
		    memcmp(n->addrs[i].a, a, (size_t)addr_len(family)) == 0)
			return 0;
	if (n->naddr == 255)
		return WARD_ELIMIT;
	if (n->naddr == n->capaddr) {
		unsigned cap = n->capaddr ? n->capaddr * 2u : 1u;
		if (cap > 255)
			cap = 255;
		struct ld_addr *na = realloc(n->addrs, cap * sizeof(*na));
		if (!na)
			return WARD_ENOMEM;
		n->addrs = na;
		n->capaddr = (uint8_t)cap;
	}
	struct ld_addr *x = &n->addrs[n->naddr++];
	memset(x, 0, sizeof(*x));
	x->family = (uint8_t)family;
	memcpy(x->a, a, (size_t)addr_len(family));
	return 0;
}

int localdata_add_address(localdata *ld, const char *domain, int family,
                          const void *addr)
{
	static const uint8_t zero[16] = { 0 };
	dns_name d;
	int rc = rule_domain(domain, &d);
	if (rc < 0)
		return rc;
	if (family != 0 && (addr_len(family) < 0 || !addr))
		return WARD_EINVAL;
	struct ld_node *n = node_get(ld, &d);
	if (!n)
		return WARD_ENOMEM;
	ld->nrules += !n->rule;
	n->rule |= LD_RULE_ADDRESS;
	if (family == 0) {
		rc = rule_addr_add(n, AF_INET, zero);
		if (rc == 0)
			rc = rule_addr_add(n, AF_INET6, zero);
		return rc;
	}
	return rule_addr_add(n, family, addr);
}

int localdata_add_host_record(localdata *ld, const char *const *names,
                              size_t nnames, const uint8_t *v4,
                              const uint8_t *v6, int64_t ttl)
{
	uint8_t flags = 0;
	uint32_t t;
	if (!names || nnames == 0 || (!v4 && !v6))
		return WARD_EINVAL;
	int rc = ttl_flags(ttl, &flags, &t);
	if (rc < 0)
		return rc;
	dns_name first;
	if ((rc = name_parse(names[0], &first)) < 0)
		return rc;
	for (size_t i = 0; i < nnames; i++) {
		dns_name n;
		if ((rc = name_parse(names[i], &n)) < 0)
			return rc;
		if (v4 && (rc = add_host_flags(ld, &n, AF_INET, v4, i == 0, flags, t,
		                               &first, 0)) < 0)
			return rc;
		if (v6 && (rc = add_host_flags(ld, &n, AF_INET6, v6, i == 0, flags,
		                               t, &first, 0)) < 0)
			return rc;
	}
	return 0;
}

int localdata_add_cname(localdata *ld, const char *const *aliases,
                        size_t naliases, const char *target, int64_t ttl)
{
	uint8_t flags = 0;
	uint32_t t;
	dns_name tn;
	if (!aliases || naliases == 0)
		return WARD_EINVAL;
	int rc = ttl_flags(ttl, &flags, &t);
	if (rc < 0 || (rc = name_parse(target, &tn)) < 0)
		return rc;
	for (size_t i = 0; i < naliases; i++) {
		dns_name a;
		if ((rc = name_parse(aliases[i], &a)) < 0)
			return rc;
		if (dns_name_equal(&a, &tn))
			return WARD_EINVAL; /* a loop of one */
		if ((rc = rec_add(ld, &a, DNS_T_CNAME, tn.wire, tn.len, flags, t)) < 0)
			return rc;
	}
	return 0;
}

int localdata_add_txt(localdata *ld, const char *name,
                      const char *const *strings, size_t nstrings)
{
	dns_name n;
	int rc = name_parse(name, &n);
	if (rc < 0)
		return rc;
	uint8_t *buf = malloc(DNS_RDATA_MAX);
	if (!buf)
		return WARD_ENOMEM;
	size_t p = 0;
	if (nstrings == 0)
		buf[p++] = 0;
	for (size_t i = 0; i < nstrings; i++) {
		size_t l = strlen(strings[i]);
		if (l > 255) {
			rc = WARD_ESTRLEN;
			goto out;
		}
		if (p + 1 + l > DNS_RDATA_MAX) {
			rc = WARD_ELIMIT;
			goto out;
		}
		buf[p++] = (uint8_t)l;
		memcpy(buf + p, strings[i], l);
		p += l;
	}
	rc = rec_add(ld, &n, DNS_T_TXT, buf, p, 0, 0);
out:
	free(buf);
	return rc;
}

int localdata_add_srv(localdata *ld, const char *name, const char *target,
                      uint16_t port, uint16_t priority, uint16_t weight)
{
	dns_name n, t;
	int rc = name_parse(name, &n);
	if (rc < 0)
		return rc;
	if (target) {
		if ((rc = name_parse(target, &t)) < 0)
			return rc;
	} else {
		dns_name_root(&t);
	}
	uint8_t rd[6 + DNS_NAME_MAXLEN];
	rd[0] = (uint8_t)(priority >> 8); rd[1] = (uint8_t)priority;
	rd[2] = (uint8_t)(weight >> 8);   rd[3] = (uint8_t)weight;
	rd[4] = (uint8_t)(port >> 8);     rd[5] = (uint8_t)port;
	memcpy(rd + 6, t.wire, t.len);
	return rec_add(ld, &n, DNS_T_SRV, rd, 6u + t.len, 0, 0);
}

int localdata_add_mx(localdata *ld, const char *name, const char *target,
                     uint16_t preference)
{
	dns_name n, t;
	int rc = name_parse(name, &n);
	if (rc < 0)
		return rc;
	if (target) {
		if ((rc = name_parse(target, &t)) < 0)
			return rc;
	} else {
		t = n;
	}
	uint8_t rd[2 + DNS_NAME_MAXLEN];
	rd[0] = (uint8_t)(preference >> 8);
	rd[1] = (uint8_t)preference;
	memcpy(rd + 2, t.wire, t.len);
	return rec_add(ld, &n, DNS_T_MX, rd, 2u + t.len, 0, 0);
}

int localdata_add_ptr(localdata *ld, const char *name, const char *target)
{
	dns_name n, t;
	int rc = name_parse(name, &n);
	if (rc < 0 || (rc = name_parse(target, &t)) < 0)
		return rc;
	return rec_add(ld, &n, DNS_T_PTR, t.wire, t.len, 0, 0);
}

/* ---- DHCP leases ---- */

static int lease_names(const localdata *ld, const char *hostname,
                       dns_name *plain, dns_name *full)
{
	int rc = name_parse(hostname, plain);
	if (rc < 0)
		return rc;
	if (dns_name_labels(plain) != 1)
		return WARD_EINVAL;
	*full = *plain;
	if (ld->have_domain)
		return dns_name_concat(full, plain->wire, plain->len - 1u, &ld->domain);
	return 0;
}

int localdata_lease_add(localdata *ld, const char *hostname, int family,
                        const void *addr)
{
	dns_name plain, full;
	int rc = lease_names(ld, hostname, &plain, &full);
	if (rc < 0)
		return rc;
	rc = add_host_flags(ld, &plain, family, addr, false, REC_LEASE, 0, NULL, 0);
	if (rc == 0 && ld->have_domain)
		rc = add_host_flags(ld, &full, family, addr, false, REC_LEASE, 0, NULL, 0);
	if (rc < 0)
		return rc;
	dns_name rev;
	if ((rc = localdata_reverse_name(family, addr, &rev)) < 0)
		return rc;
	return rec_add(ld, &rev, DNS_T_PTR, full.wire, full.len, REC_LEASE, 0);
}

static unsigned drop_lease_recs(struct ld_node *n, const dns_name *ptr_target)
{
	unsigned dropped = 0;
	uint32_t w = 0;
	for (uint32_t i = 0; i < n->nrec; i++) {
		struct ld_rec *r = &n->recs[i];
		bool drop = (r->flags & REC_LEASE) &&
		            (!ptr_target || (r->type == DNS_T_PTR &&
		                             r->rdlen == ptr_target->len &&
		                             memcmp(r->rdata, ptr_target->wire, r->rdlen) == 0));
		if (drop) {
			free(r->rdata);
			dropped++;
		} else {
			n->recs[w++] = *r;
		}
	}
	n->nrec = w;
	return dropped;
}

int localdata_lease_remove(localdata *ld, const char *hostname)
{
	dns_name plain, full;
	int rc = lease_names(ld, hostname, &plain, &full);
	if (rc < 0)
		return rc;
	unsigned dropped = 0;
	const dns_name *names[2] = { &plain, &full };
	for (int k = 0; k < 2; k++) {
		struct ld_node *n = node_find(ld, names[k]->wire, names[k]->len);
		if (!n || (k == 1 && !ld->have_domain))
			continue;
		/* the PTRs of this name's lease addresses first */
		for (uint32_t i = 0; i < n->nrec; i++) {
			struct ld_rec *r = &n->recs[i];
			if (!(r->flags & REC_LEASE))
				continue;
			dns_name rev;
			if (localdata_reverse_name(r->type == DNS_T_A ? AF_INET : AF_INET6,
			                           r->rdata, &rev) < 0)
				continue;
			struct ld_node *rn = node_find(ld, rev.wire, rev.len);
			if (rn)
				drop_lease_recs(rn, &full);
		}
		dropped += drop_lease_recs(n, NULL);
	}
	return dropped ? 0 : WARD_ENOTFOUND;
}

/* ---- lookup ---- */

static uint32_t rec_ttl(const localdata *ld, const struct ld_rec *r)
{
	return (r->flags & REC_HAS_TTL) ? r->ttl : ld->local_ttl;
}

static void out_push(struct local_result *out, const dns_name *owner,
                     uint16_t type, uint32_t ttl, const uint8_t *rdata,
                     uint16_t rdlen)
{
	if (out->n >= LOCAL_RESULT_MAX) {
		out->truncated = true;
		return;
	}
	dns_rr *rr = &out->rrs[out->n++];
	rr->owner = *owner;
	rr->type = type;
	rr->rclass = DNS_C_IN;
	rr->ttl = ttl;
	rr->rdata = rdata;
	rr->rdlen = rdlen;
}

/* The node for lname (lowercased), falling back to the plain hosts name
 * under expand-hosts for name.domain. *via_expand tells which. */
static const struct ld_node *name_node(const localdata *ld, const dns_name *lname,
                                       bool *via_expand)
{
	*via_expand = false;
	const struct ld_node *n = node_find(ld, lname->wire, lname->len);
	if (n && n->nrec > 0)
		return n;
	if (ld->expand_hosts && ld->have_domain &&
	    dns_name_labels(lname) == dns_name_labels(&ld->domain) + 1 &&
	    dns_name_is_subdomain(lname, &ld->domain)) {
		size_t l1 = (size_t)lname->wire[0] + 1;
		uint8_t key[DNS_LABEL_MAXLEN + 2];
		memcpy(key, lname->wire, l1);
		key[l1] = 0;
		const struct ld_node *p = node_find(ld, key, l1 + 1);
		if (p) {
			for (uint32_t i = 0; i < p->nrec; i++)
				if (p->recs[i].flags & REC_HOSTS) {
					*via_expand = true;
					return p;
				}
		}
	}
	return n;
}

static bool rec_visible(const struct ld_rec *r, bool via_expand)
{
	return !via_expand || (r->flags & REC_HOSTS);
}

static size_t collect(const localdata *ld, const struct ld_node *n,
                      bool via_expand, const dns_name *owner, uint16_t qtype,
                      struct local_result *out)
{
	size_t got = 0;
	for (uint32_t i = 0; i < n->nrec; i++) {
		const struct ld_rec *r = &n->recs[i];
		if (!rec_visible(r, via_expand))
			continue;
		if (r->type == qtype || (qtype == DNS_T_ANY && r->type != DNS_T_CNAME)) {
			const uint8_t *rd = r->rdata;
			uint16_t rdlen = r->rdlen;
			/* a plain hosts name as PTR target becomes name.domain
			 * under expand-hosts (confirmed against dnsmasq 2.90) */
			if (r->type == DNS_T_PTR && (r->flags & REC_EXPAND) &&
			    ld->expand_hosts && ld->have_domain &&
			    out->nptr < LOCAL_PTR_BUFS) {
				dns_name *full = &out->ptr_names[out->nptr];
				if (dns_name_concat(full, rd, rdlen - 1u, &ld->domain) == 0) {
					out->nptr++;
					rd = full->wire;
					rdlen = full->len;
				}
			}
			out_push(out, owner, r->type, rec_ttl(ld, r), rd, rdlen);
			got++;
		}
	}
	return got;
}

static const struct ld_rec *find_cname(const struct ld_node *n, bool via_expand)
{
	for (uint32_t i = 0; i < n->nrec; i++)
		if (n->recs[i].type == DNS_T_CNAME && rec_visible(&n->recs[i], via_expand))
			return &n->recs[i];
	return NULL;
}

int localdata_answer(const localdata *ld, const dns_name *qname,
                     uint16_t qtype, struct local_result *out)
{
	if (!ld || !qname || !out || qname->len < 1 ||
	    qname->len > DNS_NAME_MAXLEN)
		return WARD_EINVAL;
	out->kind = LOCAL_NOT_LOCAL;
	out->aa = false;
	out->truncated = false;
	out->n = 0;
	out->nptr = 0;
	out->rule = LD_RULE_NONE;
	out->rule_labels = 0;
	out->from_rule = false;

	dns_name lname = *qname;
	dns_name_lower(&lname);
	unsigned qlabels = dns_name_labels(&lname);

	/* longest-matching domain rule: walk up the labels (when there are
	 * rules at all: a lookup per label is most of the cost of a query
	 * that local data does not answer) */
	const struct ld_node *rule = NULL;
	if (ld->nrules) {
		size_t off = 0;
		unsigned lab = qlabels;
		for (;;) {
			const struct ld_node *n = node_find(ld, lname.wire + off,
			                                    lname.len - off);
			if (n && n->rule) {
				rule = n;
				out->rule = n->rule;
				out->rule_labels = lab;
				dns_name_from_wire(&out->rule_domain, n->key, n->len);
				break;
			}
			if (lname.wire[off] == 0)
				break;
			off += (size_t)lname.wire[off] + 1;
			lab--;
		}
	}

	bool exists = false;
	bool via_expand;
	const struct ld_node *node = name_node(ld, &lname, &via_expand);
	if (node && node->nrec > 0) {
		if (collect(ld, node, via_expand, qname, qtype, out) > 0) {
			out->kind = LOCAL_ANSWER;
			out->aa = true;
			return 0;
		}
		const struct ld_rec *cn = find_cname(node, via_expand);
		if (cn && qtype != DNS_T_CNAME) {
			/* follow the chain inside local data (dnsmasq answers the
			 * CNAME alone when the target has no such type) */
			dns_name owner = *qname;
			for (int hop = 0; cn && hop < LOCAL_CNAME_MAXHOPS; hop++) {
				out_push(out, &owner, DNS_T_CNAME, rec_ttl(ld, cn),
				         cn->rdata, cn->rdlen);
				dns_name tgt;
				if (dns_name_from_wire(&tgt, cn->rdata, cn->rdlen) < 0)
					break;
				owner = tgt;
				dns_name_lower(&tgt);
				bool ve;
				const struct ld_node *tn = name_node(ld, &tgt, &ve);
				if (!tn || tn->nrec == 0)
					break;
				if (collect(ld, tn, ve, &owner, qtype, out) > 0)
					break;
				cn = find_cname(tn, ve);
			}
			out->kind = LOCAL_ANSWER;
			out->aa = true;
			return 0;
		}
		for (uint32_t i = 0; i < node->nrec; i++)
			if (rec_visible(&node->recs[i], via_expand))
				exists = true;
	}

	/* address=/domain/IP: A and AAAA for the domain and its subdomains */
	if (rule && (rule->rule & LD_RULE_ADDRESS) &&
	    (qtype == DNS_T_A || qtype == DNS_T_AAAA)) {
		int fam = qtype == DNS_T_A ? AF_INET : AF_INET6;
		for (unsigned i = 0; i < rule->naddr; i++)
			if (rule->addrs[i].family == fam)
				out_push(out, qname, qtype, ld->local_ttl, rule->addrs[i].a,
				         (uint16_t)addr_len(fam));
		if (out->n > 0) {
			out->kind = LOCAL_ANSWER;
			out->aa = true;
			out->from_rule = true;
			return 0;
		}
	}
	/* local=/domain/: never forwarded */
	if (rule && (rule->rule & LD_RULE_LOCAL)) {
		out->kind = exists ? LOCAL_NODATA : LOCAL_NXDOMAIN;
		out->from_rule = true;
		return 0;
	}
	/* domain-needed: A/AAAA for plain names are never forwarded */
	if (ld->domain_needed && qlabels == 1 &&
	    (qtype == DNS_T_A || qtype == DNS_T_AAAA)) {
		out->kind = exists ? LOCAL_NODATA : LOCAL_NXDOMAIN;
		out->from_rule = true;
		return 0;
	}
	/* bogus-priv: private reverse lookups (PTR and ANY only: other types
	 * are forwarded, confirmed against dnsmasq 2.90) not in local data */
	if (ld->bogus_priv && !exists && (qtype == DNS_T_PTR || qtype == DNS_T_ANY)) {
		uint8_t a[16];
		int fam = localdata_reverse_parse_prefix(&lname, a);
		if (fam && localdata_addr_is_private(fam, a)) {
			out->kind = LOCAL_NXDOMAIN;
			out->aa = true;
			out->from_rule = true;
			return 0;
		}
	}
	return 0;
}
