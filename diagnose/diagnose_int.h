/* ward diagnose: the walk's internals shared by diagnose_walk.c (the chain
 * of trust, zone by zone) and diagnose_answer.c (the answer's RRsets, the
 * wildcard and denial proofs). Not for other callers: see diagnose.h. */
#ifndef WARD_TOOLS_DIAGNOSE_INT_H
#define WARD_TOOLS_DIAGNOSE_INT_H

#include "codec/msg.h"
#include "diagnose.h"

#define WALK_MAX_LABELS 64     /* names walked per target */
#define WALK_MAX_KNOWN 128     /* names known to be no cut / not to exist */

struct resp {
	uint8_t *buf;
	size_t len;
	dns_msg msg;
};

struct wctx {
	const struct diag_walk *w;
	struct diag_model *m;
	dnssec_env env;
	dnssec_budget budget;
	dns_name nocut[WALK_MAX_KNOWN];
	size_t nnocut;
	/* the first break of each kind, in walk order */
	bool have[4];
	uint16_t ede[4];
	char why[4][DIAG_TEXT_MAX];
};

enum proof { P_NXDOMAIN, P_NODATA, P_WILDCARD, P_INSECURE_DELEG };

/* Notes and the first break of each kind (diagnose_walk.c). */
void dw_note(struct diag_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dw_brk(struct wctx *c, enum diag_zstate st, uint16_t ede, const char *why);
/* Fetch (name, type) into r: DIAG_FETCH_*, or WARD_ENOMEM. */
int dw_ask(struct wctx *c, const dns_name *name, uint16_t type, struct resp *r);
void dw_resp_free(struct resp *r);
/* The RRset (owner, type) of a section, with its RRSIGs, into set. */
void dw_collect(struct diag_model *m, const dns_msg *msg, enum dns_section sec,
             const dns_name *owner, uint16_t type, struct diag_set *set);
/* Each RRSIG alone (for the report), then the RRset's verdict. */
void dw_check_sigs(struct wctx *c, struct diag_set *s, const dns_rr *keys,
                size_t nk);
enum dnssec_status dw_verify_set(struct wctx *c, struct diag_set *s,
                              const dns_rr *keys, size_t nk, dnssec_verdict *v);
/* The authority section's NSEC/NSEC3 records into d, checked with z's
 * keys; those usable in a proof into use[]. */
size_t dw_proof_records(struct wctx *c, const dns_msg *msg,
                     const struct diag_zone *z, struct diag_denial *d,
                     dns_rr *use, dnssec_verdict *bad, bool *failed);
enum denial_verdict dw_prove(struct wctx *c, struct diag_denial *d,
                          enum proof kind, const dns_name *qname,
                          uint16_t qtype, const dns_name *zone,
                          unsigned labels, const dns_rr *use, size_t nuse);
uint16_t dw_denial_ede(const denial_result *r);
/* The deepest zone at or above t reached from the anchor (its state says
 * whether the chain holds); -1 no anchor / model full, WARD_ENOMEM. */
int dw_walk_to(struct wctx *c, const dns_name *t);

/* diagnose_answer.c: a CNAME loop behind the answer (first, so that it is
 * the first break), then the answer chain, its proofs. 0 or WARD_ENOMEM. */
int dw_loop_check(struct wctx *c);
int dw_answer_check(struct wctx *c);

#endif
