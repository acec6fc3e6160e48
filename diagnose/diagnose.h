/* ward diagnose: the chain of trust of one name, as a model that holds
 * everything the report (diagnose_report.c) and the picture
 * (diagnose_graph.c) show. The walk (diagnose_walk.c) fills it from
 * responses a fetch function hands over: live from a resolver queried with
 * RD=1 DO=1 CD=1 (so bogus data is handed over too), or offline from the
 * authoritative responses of a capture (diagnose_fetch.c). All the crypto
 * is resolver/dnssec (dnssec.h, denial.h); trust anchors are parsed by
 * resolver/val_anchor.c. */
#ifndef WARD_TOOLS_DIAGNOSE_H
#define WARD_TOOLS_DIAGNOSE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codec/name.h"
#include "codec/rr.h"
#include "resolver/dnssec/denial.h"
#include "resolver/dnssec/dnssec.h"

/* Limits of the model (the walk stops with "indeterminate" beyond them). */
#define DIAG_MAX_ZONES 24      /* zone cuts kept (anchor to answer, CNAMEs) */
#define DIAG_MAX_SET 64        /* records of one RRset kept */
#define DIAG_MAX_SIGS 32       /* RRSIGs over one RRset kept */
#define DIAG_MAX_LINKS 12      /* answer RRsets (CNAME/DNAME chain + final) */
#define DIAG_MAX_PROOF 24      /* NSEC/NSEC3 records of one denial */
#define DIAG_MAX_SHOWN_VERIFY 8 /* RRSIGs checked one by one for the report */
#define DIAG_MAX_NOTES 16
#define DIAG_NOTE_MAX 256
#define DIAG_TEXT_MAX 512

/* Exit codes of ward diagnose (the verdict), docs/toolkit.md. */
enum diag_verdict {
	DIAG_SECURE = 0,
	DIAG_INSECURE = 1,
	DIAG_BOGUS = 2,
	DIAG_INDETERMINATE = 3,
};
#define DIAG_EXIT_ERROR 4

const char *diag_verdict_str(enum diag_verdict v);

/* ---- fetching ---- */

enum diag_fetch_rc {
	DIAG_FETCH_OK = 0,       /* a response in buf */
	DIAG_FETCH_NONE = 1,     /* offline: the capture does not know */
	DIAG_FETCH_TIMEOUT = 2,  /* no response */
};

/* Ask for (qname, qtype, class IN); the response goes to buf[0..cap)
 * with *len. Returns an enum diag_fetch_rc. */
typedef int (*diag_fetch_fn)(void *ctx, const dns_name *qname,
                             uint16_t qtype, uint8_t *buf, size_t cap,
                             size_t *len);

/* ---- the model ---- */

/* One RRSIG and what checking it alone gave. */
struct diag_sig {
	uint16_t key_tag;
	uint8_t algorithm;
	uint32_t inception, expiration;
	dns_name signer;
	bool checked;                 /* a key with its tag was tried */
	enum dnssec_reason result;    /* DNSSEC_R_OK: the signature verifies */
};

/* An RRset with its RRSIGs; rdata owned by the model's arena. */
struct diag_set {
	uint16_t type;
	dns_name owner;
	dns_rr rr[DIAG_MAX_SET];
	size_t n;
	dns_rr sig[DIAG_MAX_SIGS];
	size_t nsig;
	struct diag_sig sr[DIAG_MAX_SIGS];  /* one per sig[] */
	bool present;                 /* fetched and holds records */
	bool verified;                /* status/reason below are set */
	enum dnssec_status status;
	enum dnssec_reason reason;
	char text[DNSSEC_TEXT_MAX];
};

/* A denial of existence as used: the NSEC/NSEC3 records, their RRSIGs,
 * each record's signature check and the proof. */
struct diag_denial {
	bool used;
	const char *kind;             /* "nxdomain", "nodata", "wildcard",
	                               * "insecure-delegation", "no-ds" */
	dns_name qname;
	uint16_t qtype;
	dns_rr rr[DIAG_MAX_PROOF];
	size_t n;
	enum dnssec_reason rr_res[DIAG_MAX_PROOF]; /* its RRset's check */
	dns_rr sig[2 * DIAG_MAX_PROOF];
	size_t nsig;
	bool nsec3;
	denial_result result;
};

enum diag_zstate {
	DIAG_Z_SECURE = 0,
	DIAG_Z_INSECURE,
	DIAG_Z_BOGUS,
	DIAG_Z_INDETERMINATE,
};

/* One zone (a cut below its parent, or the anchor's zone). */
struct diag_zone {
	dns_name name;
	int parent;                   /* index in zones[], -1 for the anchor */
	bool anchor;                  /* its keys are checked by the anchor */
	struct diag_set ds;           /* from the parent, signed by it */
	struct diag_set dnskey;       /* the zone's own, self-signed */
	int ds_key[DIAG_MAX_SET];     /* DS i vouches for dnskey.rr[ds_key[i]],
	                               * -1: no key */
	enum dnssec_ds_match ds_match[DIAG_MAX_SET];
	struct diag_denial nods;      /* insecure: the proof of no DS */
	enum diag_zstate state;
	uint16_t ede;                 /* for a non-secure state; 0xffff none */
	char why[DIAG_TEXT_MAX];      /* for a non-secure state */
};

/* One RRset of the answer chain (CNAME, DNAME, the final RRset). */
struct diag_link {
	struct diag_set set;
	int zone;                     /* index of the zone whose keys sign it */
	enum diag_zstate state;
	uint16_t ede;
	char why[DIAG_TEXT_MAX];
	struct diag_denial wild;      /* wildcard expansion proof, if any */
};

struct diag_model {
	dns_name qname;
	uint16_t qtype;
	int64_t at;                   /* validation time (unix seconds) */
	const char *source;           /* "server 127.53.1.1#53", "capture F" */
	dns_rr anchors[DIAG_MAX_SET]; /* the trust anchors (DS/DNSKEY) */
	size_t nanchors;
	struct diag_zone zones[DIAG_MAX_ZONES];
	size_t nzones;
	struct diag_link links[DIAG_MAX_LINKS];
	size_t nlinks;
	struct diag_denial denial;    /* of the final name (NXDOMAIN/NODATA) */
	int denial_zone;
	uint16_t rcode;               /* of the final response */
	bool answered;
	enum diag_verdict verdict;
	uint16_t ede;                 /* 0xffff: none */
	char sentence[DIAG_TEXT_MAX]; /* names the first break precisely */
	char notes[DIAG_MAX_NOTES][DIAG_NOTE_MAX];
	size_t nnotes;
	unsigned queries;             /* fetches made */
	/* arena: record data copied out of responses */
	uint8_t **blocks;
	size_t nblocks, capblocks;
};

#define DIAG_NO_EDE 0xffff

/* The walk's inputs. */
struct diag_walk {
	diag_fetch_fn fetch;
	void *fetch_ctx;
	const dns_rr *anchors;        /* DS/DNSKEY records */
	size_t nanchors;
	int64_t at;
};

/* Walk from the anchor to (qname, qtype); m is allocated by the caller
 * (large: calloc), filled, and freed with diag_model_free. 0, or a
 * negative ward_err (no memory, no anchor above qname) with a reason in
 * m->sentence. */
int diag_walk_run(const struct diag_walk *w, const dns_name *qname,
                  uint16_t qtype, struct diag_model *m);
void diag_model_free(struct diag_model *m);

/* "DNSSEC Bogus", ... (RFC 8914 4) for the codes ward gives; "?" else. */
const char *diag_ede_name(uint16_t ede);
/* Key size in bits (RSA: modulus; ECDSA: curve; EdDSA: curve). */
unsigned diag_key_bits(const dnssec_dnskey *k);

/* Report (diagnose_report.c): text for people, or one JSON object. */
void diag_report_text(const struct diag_model *m, FILE *out);
void diag_report_json(const struct diag_model *m, FILE *out);

/* Picture (diagnose_graph.c): DOT text, and DOT run through `dot` into
 * path (.svg or .png by the suffix). 0 or -1 with a reason in err. */
void diag_graph_dot(const struct diag_model *m, FILE *out);
int diag_graph_write(const struct diag_model *m, const char *path,
                     char *err, size_t errlen);
/* The picture as SVG in memory (diagnose_svg.c): the DOT text through
 * `dot -Tsvg` as a child process, killed after timeout_ms, its output cut
 * at max bytes. *svg (malloc'ed, NUL-terminated, from "<svg" on) and
 * *len; 0, or -1 with a reason in err. */
int diag_graph_svg(const struct diag_model *m, int timeout_ms, size_t max,
                   char **svg, size_t *len, char *err, size_t errlen);

/* Fetchers (diagnose_fetch.c). */

/* Monotonic milliseconds (CLOCK_MONOTONIC), the clock of the deadlines. */
int64_t diag_now_ms(void);
/* Fit one exchange (timeout_ms x tries) into what is left before
 * deadline_ms (0: no deadline): -1 when nothing is left. */
int diag_deadline_clamp(int64_t deadline_ms, int *timeout_ms, int *tries);

struct diag_live;
/* A resolver at spec ("ADDR[#PORT]"): RD=1 DO=1 CD=1, UDP then TCP on TC. */
struct diag_live *diag_live_new(const char *spec, int timeout_ms, int tries);
void diag_live_free(struct diag_live *l);
int diag_live_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len);
/* Did the server answer anything yet (an unreachable server is an error,
 * not a verdict)? */
bool diag_live_answered(const struct diag_live *l);
/* No exchange runs past deadline_ms (diag_now_ms clock): a question asked
 * after it times out at once. For a bounded total (the dashboard). */
void diag_live_set_deadline(struct diag_live *l, int64_t deadline_ms);
/* Once *cancel is true (set by another thread), nothing more is sent: a
 * question times out at once (wardd stopping). NULL: never. */
void diag_live_set_cancel(struct diag_live *l, const atomic_bool *cancel);

struct diag_iter;
/* Iterative from root hints (zone-file A/AAAA lines; diagnose_iter.c):
 * RD=0 DO=1 CD=1 to authoritative servers. NULL with a reason in err. */
struct diag_iter *diag_iter_new(const char *hints, int timeout_ms, int tries,
                                char *err, size_t errlen);
void diag_iter_free(struct diag_iter *it);
int diag_iter_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len);
bool diag_iter_answered(const struct diag_iter *it);
/* The same from root server addresses already known (wardd's running
 * configuration: root-hints= or the built-in list). NULL: no memory. */
struct dns_server;
struct diag_iter *diag_iter_new_servers(const struct dns_server *roots,
                                        size_t n, int timeout_ms, int tries);
void diag_iter_set_deadline(struct diag_iter *it, int64_t deadline_ms);
void diag_iter_set_cancel(struct diag_iter *it, const atomic_bool *cancel);

struct diag_pcap;
/* The authoritative responses (RD=0 queries) of a capture; NULL with a
 * reason in err. *t0 gets the capture's first DNS message time. */
struct diag_pcap *diag_pcap_load(const char *path, int64_t *t0, char *err,
                                 size_t errlen);
void diag_pcap_free(struct diag_pcap *p);
int diag_pcap_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len);

#endif
