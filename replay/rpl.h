/* ward replay: .rpl scenario files (Unbound testbound and Deckard dialects)
 * as a typed in-memory scenario, the matcher that answers a query the way a
 * simulated server of the scenario would, and the checker for CHECK_ANSWER.
 *
 * A scenario is three parts (docs/replay.md has the full grammar):
 *  - configuration, up to CONFIG_END: unbound.conf text (testbound) or flat
 *    "key: value" lines (Deckard);
 *  - RANGE_BEGIN first last ... RANGE_END blocks: canned answers of the
 *    simulated servers at the ADDRESSes, valid from step `first` to `last`;
 *  - STEP n TYPE blocks: what happens at step n (a client query, the check of
 *    its answer, time passing, ...).
 * Both hold ENTRY_BEGIN ... ENTRY_END blocks: MATCH criteria, ADJUST actions,
 * REPLY header flags and rcode, SECTION records in zone-file text,
 * HEX_ANSWER_BEGIN raw bytes. Each entry's message is built into wire format
 * at load time (codec/msg_build.h), so a player can send it as it is.
 *
 * Memory: a scenario owns all its data (one arena); every pointer in it stays
 * valid until rpl_free(). The structures are read-only for callers.
 * Errors: loading never aborts on bad input; it returns NULL and fills an
 * rpl_error with a ward_err code and "file:line: message". */
#ifndef WARD_RPL_H
#define WARD_RPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"
#include "codec/strbuf.h"

/* ---- limits (named constants, DESIGN.md) ---- */
#define RPL_ERRMSG_MAX 512
#define RPL_FILE_MAX (64u << 20)       /* octets in one scenario file */
#define RPL_PKT_MAX 65535              /* octets in one built message */
#define RPL_DEFAULT_TTL 3600           /* records without TTL ($TTL otherwise) */
#define RPL_TB_EDNS_UDP 1232           /* testbound: OPT added by REPLY DO */
#define RPL_DECKARD_EDNS_UDP 4096      /* Deckard: every message has EDNS */
#define RPL_DNS_PORT 53

/* rpl_entry_match / rpl_check_answer: the packet does not match. */
#define RPL_MISMATCH 1

enum rpl_dialect {
	RPL_DIALECT_AUTO = 0,      /* decide from the configuration part */
	RPL_DIALECT_TESTBOUND,     /* Unbound testbound (testcode/replay.h) */
	RPL_DIALECT_DECKARD,       /* CZ.NIC Deckard */
};

enum rpl_transport {
	RPL_TRANSPORT_ANY = 0,     /* entry: no MATCH UDP/TCP; query: unknown */
	RPL_TRANSPORT_UDP,
	RPL_TRANSPORT_TCP,
};

/* An address of a simulated server or client: "192.0.2.1", "2001:db8::1",
 * optionally "@port" (default 53), as testbound writes them. */
typedef struct rpl_addr {
	uint8_t family;            /* 4 or 6; 0: none */
	uint8_t ip[16];            /* 4 or 16 octets used */
	uint16_t port;
} rpl_addr;

/* Parse "ip" or "ip@port". 0 or WARD_EADDR. */
int rpl_addr_parse(const char *s, size_t n, rpl_addr *out);
/* Same family, address and port. */
bool rpl_addr_equal(const rpl_addr *a, const rpl_addr *b);
/* "192.0.2.1" / "2001:db8::1", with "@port" when the port is not 53. */
void rpl_addr_to_text(const rpl_addr *a, strbuf *sb);

/* ---- entries ---- */

/* MATCH criteria: bits of rpl_entry.match. Each compares the packet given
 * to the matcher/checker with the entry's (first) message. */
#define RPL_M_OPCODE        (1u << 0)  /* opcode */
#define RPL_M_QTYPE         (1u << 1)  /* first question's type */
#define RPL_M_QNAME         (1u << 2)  /* first qname, case-insensitive */
#define RPL_M_QCASE         (1u << 3)  /* first qname, case-sensitive (Deckard) */
#define RPL_M_SUBDOMAIN     (1u << 4)  /* packet qname at or below entry qname */
#define RPL_M_RCODE         (1u << 5)  /* rcode (with the EDNS extended bits) */
#define RPL_M_FLAGS         (1u << 6)  /* QR AA TC RD RA AD CD (Deckard) */
#define RPL_M_QUESTION      (1u << 7)  /* question section */
#define RPL_M_ANSWER        (1u << 8)  /* answer section, as a set */
#define RPL_M_AUTHORITY     (1u << 9)  /* authority section (Deckard) */
#define RPL_M_ADDITIONAL    (1u << 10) /* additional section, no OPT (Deckard) */
#define RPL_M_ALL           (1u << 11) /* testbound: the whole message */
#define RPL_M_ALL_NOEDNS    (1u << 12) /* testbound: the whole message but EDNS */
#define RPL_M_TTL           (1u << 13) /* sections compare TTLs too */
#define RPL_M_DO            (1u << 14) /* packet has EDNS with DO set */
#define RPL_M_NOEDNS        (1u << 15) /* packet has no OPT record */
#define RPL_M_EDNSDATA      (1u << 16) /* OPT rdata equals HEX_EDNSDATA */
#define RPL_M_SERIAL        (1u << 17) /* authority SOA serial == serial */
#define RPL_M_EDE           (1u << 18) /* EDE option ede_code (or any) */
#define RPL_M_CLIENT_COOKIE (1u << 19) /* an 8-octet COOKIE option */
#define RPL_M_SERVER_COOKIE (1u << 20) /* a 24-octet COOKIE option */
#define RPL_M_EDNS          (1u << 21) /* EDNS version and UDP size (Deckard) */
#define RPL_M_NSID          (1u << 22) /* NSID presence and value (Deckard) */

/* ADJUST actions: bits of rpl_entry.adjust, applied by rpl_entry_reply. */
#define RPL_A_COPY_ID        (1u << 0) /* reply ID = query ID */
#define RPL_A_COPY_QUERY     (1u << 1) /* reply question = query question */
#define RPL_A_COPY_ECS       (1u << 2) /* copy_ednsdata_assume_clientsubnet */
#define RPL_A_INC_ECS_SCOPE  (1u << 3) /* increment_ecs_scope */
#define RPL_A_RAW_ID         (1u << 4) /* Deckard raw_id: ID into RAW bytes */
#define RPL_A_DO_NOT_ANSWER  (1u << 5) /* Deckard do_not_answer */

/* One record of an entry. Question records have ttl 0 and no rdata. */
typedef struct rpl_rr {
	dns_rr rr;                 /* rdata points into the scenario */
	unsigned line;
	bool unchecked;            /* rdata not valid for its type: "\# len hex"
	                            * or an empty last field, taken as written */
} rpl_rr;

/* One message of an entry (EXTRA_PACKET starts another). */
typedef struct rpl_packet {
	uint16_t flags;            /* header flags with opcode, TC; no rcode */
	uint16_t rcode;            /* full rcode; > 15 forces EDNS */
	bool edns;                 /* an OPT record is part of the message */
	uint16_t udp_size;
	uint8_t edns_version;
	uint16_t edns_flags;       /* EDNS_FLAG_DO */
	const uint8_t *ednsdata;   /* HEX_EDNSDATA: OPT rdata (options) */
	uint16_t ednsdata_len;
	bool has_ednsdata;
	const rpl_rr *rrs[4];      /* by enum dns_section */
	size_t count[4];
	const uint8_t *wire;       /* the message built from the above */
	size_t wire_len;
	const uint8_t *raw;        /* HEX_ANSWER / RAW bytes: sent instead */
	size_t raw_len;
	bool has_raw;
	bool unchecked;            /* has unchecked records: the built message
	                            * may not parse (matching uses what does) */
	unsigned packet_sleep;     /* ADJUST packet_sleep= (seconds) */
	unsigned line;
} rpl_packet;

typedef struct rpl_entry {
	unsigned line;             /* of ENTRY_BEGIN */
	enum rpl_dialect dialect;
	uint32_t match;            /* RPL_M_* */
	enum rpl_transport transport; /* MATCH UDP / TCP */
	uint32_t serial;           /* MATCH serial= */
	uint16_t ede_code;         /* MATCH ede=N */
	bool ede_any;              /* MATCH ede=any */
	uint32_t adjust;           /* RPL_A_* */
	unsigned sleep;            /* ADJUST sleep= (seconds) */
	bool mandatory;            /* Deckard MANDATORY */
	const char *tsig_name;     /* Deckard TSIG keyname secret, or NULL */
	const char *tsig_secret;
	const rpl_packet *pkts;    /* at least one */
	size_t npkts;
} rpl_entry;

/* The bytes to put on the wire for a packet: raw if it has them, else the
 * built message. */
void rpl_packet_bytes(const rpl_packet *p, const uint8_t **bytes, size_t *len);

/* ---- ranges and steps ---- */

typedef struct rpl_range {
	unsigned line;
	long first, last;          /* steps, inclusive */
	const rpl_addr *addrs;     /* none: the range answers any address */
	size_t naddrs;
	const rpl_entry *entries;  /* in file order */
	size_t nentries;
} rpl_range;

enum rpl_step_type {
	RPL_STEP_NOTHING,
	RPL_STEP_QUERY,            /* entry: a client query (from addr) */
	RPL_STEP_CHECK_ANSWER,     /* entry: the expected answer */
	RPL_STEP_CHECK_OUT_QUERY,  /* entry: expected upstream query (+ reply) */
	RPL_STEP_REPLY,            /* entry: reply to the pending upstream query */
	RPL_STEP_TIMEOUT,          /* the pending upstream query times out */
	RPL_STEP_TIME_PASSES,      /* elapse_us, or eval (macro) */
	RPL_STEP_TRAFFIC,          /* let queued traffic flow */
	RPL_STEP_ERROR,            /* the pending upstream query fails */
	RPL_STEP_ASSIGN,           /* var = value (macro) */
	RPL_STEP_INFRA_RTT,        /* addr, value "zone rtt" */
	RPL_STEP_CHECK_AUTOTRUST,  /* id, lines: expected key file */
	RPL_STEP_CHECK_TEMPFILE,   /* id, lines: expected temp file */
	RPL_STEP_FLUSH_MESSAGE,    /* value: "name type class" */
	RPL_STEP_EXPIRE_MESSAGE,   /* value: "name type class" */
};

typedef struct rpl_step {
	unsigned line;
	long number;               /* strictly increasing in a scenario */
	enum rpl_step_type type;
	const rpl_entry *entry;    /* QUERY, CHECK_*, REPLY; else NULL */
	bool has_addr;             /* STEP ... ADDRESS ip; QUERY default 127.0.0.1 */
	rpl_addr addr;
	int64_t elapse_us;         /* TIME_PASSES ELAPSE seconds, as microseconds */
	const char *eval;          /* TIME_PASSES EVAL text, or NULL */
	const char *var;           /* ASSIGN variable */
	const char *value;         /* ASSIGN / INFRA_RTT / FLUSH / EXPIRE text */
	const char *id;            /* CHECK_AUTOTRUST / CHECK_TEMPFILE */
	const char *const *lines;  /* their FILE_BEGIN..FILE_END lines */
	size_t nlines;
} rpl_step;

/* Name of a step type ("QUERY", "TIME_PASSES", ...). */
const char *rpl_step_type_name(enum rpl_step_type t);

/* ---- configuration ---- */

/* One "key: value" of the configuration, in file order. */
typedef struct rpl_option {
	const char *clause;        /* "server", "stub-zone", ...; "" (Deckard) */
	const char *key;
	const char *value;         /* unquoted; a TEMPFILE_NAME for file options */
	unsigned line;
} rpl_option;

/* A stub-zone: or forward-zone: clause (Deckard: stub-addr -> stub "."). */
typedef struct rpl_zone_cfg {
	bool forward;
	const char *name_text;
	dns_name name;
	const rpl_addr *addrs;     /* stub-addr / forward-addr */
	size_t naddrs;
	const char *const *hosts;  /* stub-host / forward-host */
	size_t nhosts;
	int prime;                 /* stub-prime: -1 unset, 0, 1 */
	int first;                 /* stub-first / forward-first */
	unsigned line;
} rpl_zone_cfg;

/* trust-anchor: "rr text" */
typedef struct rpl_anchor {
	const char *text;
	dns_rr rr;                 /* parsed (DS or DNSKEY) */
	unsigned line;
} rpl_anchor;

/* TEMPFILE_CONTENTS name / AUTOTRUST_FILE id blocks of the config part. */
typedef struct rpl_file {
	bool autotrust;            /* AUTOTRUST_FILE (auto-trust-anchor-file) */
	const char *name;
	const char *content;       /* lines joined with '\n' */
	size_t len;
	unsigned line;
} rpl_file;

typedef struct rpl_config {
	const rpl_option *opts;    /* every key: value, incl. those below */
	size_t nopts;
	const rpl_anchor *anchors;
	size_t nanchors;
	const char *const *anchor_files; /* trust-anchor-file, auto-trust-..., */
	size_t nanchor_files;            /* trusted-keys-file values */
	const rpl_zone_cfg *zones;
	size_t nzones;
	const rpl_file *files;
	size_t nfiles;
	const char *const *cmdline;      /* COMMANDLINE lines */
	size_t ncmdline;
	const rpl_option *const *harden; /* the harden-* options */
	size_t nharden;
	bool have_date;            /* val-override-date / -timestamp given */
	bool date_ignore;          /* val-override-date: "-1" (no date checks) */
	int64_t date;              /* seconds since the epoch (UTC) */
	int qname_minimisation;    /* -1 unset, 0, 1 (Deckard query-minimization) */
} rpl_config;

/* Value of the last option with this key (any clause), or NULL. */
const char *rpl_config_get(const rpl_config *c, const char *key);
/* That value as a boolean (yes/no, on/off, true/false, 1/0): 1 or 0;
 * dflt when the key is absent or not a boolean. */
int rpl_config_bool(const rpl_config *c, const char *key, int dflt);

/* ---- scenario ---- */

struct rpl_arena;

typedef struct rpl_scenario {
	const char *name;          /* file name given to the loader */
	const char *title;         /* SCENARIO_BEGIN text */
	enum rpl_dialect dialect;  /* never AUTO */
	rpl_config config;
	const rpl_range *ranges;   /* file order (the matcher's order differs) */
	size_t nranges;
	const rpl_step *steps;     /* file order = step order */
	size_t nsteps;
	struct rpl_arena *arena;   /* private */
} rpl_scenario;

typedef struct rpl_error {
	int code;                  /* 0 or a negative ward_err */
	unsigned line;             /* 0 when not about one line */
	char msg[RPL_ERRMSG_MAX];  /* "file:line: message" */
} rpl_error;

/* Load a scenario; the dialect is detected from the configuration part
 * (a "server:"-style clause means testbound, flat keys Deckard). NULL on
 * failure with err filled (err may be NULL). */
rpl_scenario *rpl_load_file(const char *path, rpl_error *err);
rpl_scenario *rpl_load_buffer(const char *text, size_t len, const char *name,
                              rpl_error *err);
rpl_scenario *rpl_load_buffer_dialect(const char *text, size_t len,
                                      const char *name,
                                      enum rpl_dialect dialect,
                                      rpl_error *err);
/* Free a scenario and everything in it (NULL is fine). */
void rpl_free(rpl_scenario *s);

/* The step with this number, or NULL. */
const rpl_step *rpl_step_find(const rpl_scenario *s, long number);
/* Iterate: *i starts at 0; returns the next step or NULL at the end. */
const rpl_step *rpl_step_next(const rpl_scenario *s, size_t *i);

/* ---- matcher ---- */

/* Does pkt[0..len) (a query, or a reply for CHECK_ANSWER) satisfy the
 * entry's MATCH criteria? 0 yes, RPL_MISMATCH no, negative ward_err on
 * failure (ENOMEM). When diff is not NULL every failed criterion is
 * written to it, one line each; otherwise the first failure stops. The
 * transport is ignored for MATCH UDP/TCP when RPL_TRANSPORT_ANY. */
int rpl_entry_match(const rpl_entry *e, const uint8_t *pkt, size_t len,
                    enum rpl_transport t, strbuf *diff);

/* The entry that answers a query sent to dst over transport t at step
 * `step`, as testbound finds it: the ranges whose steps include `step` and
 * whose ADDRESS is dst (or that have none; dst NULL ignores addresses), the
 * last range of the file first (Deckard: first range first), the first
 * matching entry of a range. NULL when none matches (a query that does not
 * parse matches nothing). *range_out (may be NULL) gets its range. */
const rpl_entry *rpl_match_query(const rpl_scenario *s, long step,
                                 const rpl_addr *dst, enum rpl_transport t,
                                 const uint8_t *query, size_t qlen,
                                 const rpl_range **range_out);

/* Packet `index` of the entry with its ADJUST actions applied for this
 * query (copy_id, copy_query, ECS copy; Deckard raw_id and EDNS mirroring)
 * into out[0..cap). *outlen 0 means "send nothing" (do_not_answer).
 * Returns 0, WARD_ESPACE, WARD_EINVAL (bad index). query may be NULL when
 * no ADJUST needs it. */
int rpl_entry_reply(const rpl_entry *e, size_t index, const uint8_t *query,
                    size_t qlen, uint8_t *out, size_t cap, size_t *outlen);

/* rpl_match_query + rpl_entry_reply of its first packet. Returns 0 with the
 * reply in out, WARD_ENOTFOUND when no entry matches, or an error of
 * rpl_entry_reply. */
int rpl_match_reply(const rpl_scenario *s, long step, const rpl_addr *dst,
                    enum rpl_transport t, const uint8_t *query, size_t qlen,
                    uint8_t *out, size_t cap, size_t *outlen);

/* ---- checker ---- */

/* CHECK_ANSWER: compare a reply with the expected entry using its MATCH
 * criteria (testbound `all`: opcode, flags, rcode, every section as a set
 * of records, TTLs only with `ttl`, names case-insensitive, EDNS presence,
 * version, flags and options). 0 when it matches, RPL_MISMATCH with one
 * line per difference in diff (may be NULL), negative ward_err on failure. */
int rpl_check_answer(const rpl_entry *expected, const uint8_t *reply,
                     size_t len, strbuf *diff);

#endif
