/* wardd: the dashboard's query log — the last QLOG_RING_SIZE answers in a
 * bounded ring, and the filters the dashboard applies to it (client
 * address, query name, rcode). Sans-I/O: no locks, no clock; the caller
 * (daemon/dash.c) holds the lock and stamps the time. The filter values
 * come from an HTTP query string (untrusted): qlog_filter_parse checks
 * them (fuzz/fuzz_qlog_filter.c). */
#ifndef WARD_DAEMON_QLOG_RING_H
#define WARD_DAEMON_QLOG_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QLOG_RING_SIZE 1000        /* answers kept for the live log */
#define QLOG_BOGUS_SIZE 200        /* bogus answers kept (DNSSEC failures) */
#define QLOG_CLIENT_MAX 48         /* address text, with room for IPv6 */
#define QLOG_NAME_MAX 1024         /* presentation name (\DDD escapes) */
#define QLOG_TYPE_MAX 16
#define QLOG_EDE_TEXT_MAX 160      /* EXTRA-TEXT kept, sanitised */
#define QLOG_FILTER_NAME_MAX 255   /* a name filter: a substring */

enum qlog_verdict {
	QLOG_DNSSEC_NONE = 0,      /* not validated (dnssec off, local data) */
	QLOG_DNSSEC_SECURE,        /* AD set */
	QLOG_DNSSEC_INSECURE,      /* validated, no AD */
	QLOG_DNSSEC_BOGUS,         /* SERVFAIL with a DNSSEC EDE */
};

struct qlog_entry {
	uint64_t seq;              /* 1, 2, ... (set by qlog_ring_push) */
	int64_t time_ms;           /* unix time of the answer */
	uint32_t latency_us;
	char client[QLOG_CLIENT_MAX];
	char name[QLOG_NAME_MAX];
	char type[QLOG_TYPE_MAX];
	uint16_t rcode;
	bool tcp, cached, local;
	bool aa, tc, rd, ra, ad, cd;
	bool nodata;               /* NOERROR without answer records */
	enum qlog_verdict verdict;
	bool has_ede;
	uint16_t ede;
	char ede_text[QLOG_EDE_TEXT_MAX];
};

struct qlog_ring {
	struct qlog_entry *v;      /* cap entries */
	size_t cap;
	uint64_t next_seq;         /* seq of the next push (first is 1) */
};

/* 0 or WARD_ENOMEM. */
int qlog_ring_init(struct qlog_ring *r, size_t cap);
void qlog_ring_free(struct qlog_ring *r);
/* Copy e in (its seq is set), overwriting the oldest when full. */
void qlog_ring_push(struct qlog_ring *r, const struct qlog_entry *e);
/* The oldest seq still held (next_seq when empty). */
uint64_t qlog_ring_first(const struct qlog_ring *r);
/* The entry with this seq, or NULL when it is not (or no longer) held. */
const struct qlog_entry *qlog_ring_get(const struct qlog_ring *r,
                                       uint64_t seq);

struct qlog_filter {
	char client[QLOG_CLIENT_MAX];       /* "" any; else address prefix */
	char name[QLOG_FILTER_NAME_MAX + 1]; /* "" any; else substring,
	                                     * ASCII case-insensitive */
	int rcode;                          /* -1 any */
};

/* Build a filter from three query-string values (each may be NULL or
 * empty: no condition). client: hex digits, '.', ':' only; name:
 * printable ASCII (no spaces); rcode: a mnemonic (NOERROR, NXDOMAIN,
 * SERVFAIL, ..., case-insensitive) or a number 0..4095. 0, or
 * WARD_EINVAL with f set to "match everything" and *why a static
 * explanation. */
int qlog_filter_parse(struct qlog_filter *f, const char *client,
                      const char *name, const char *rcode, const char **why);
bool qlog_filter_match(const struct qlog_filter *f, const struct qlog_entry *e);
bool qlog_filter_empty(const struct qlog_filter *f);

const char *qlog_verdict_name(enum qlog_verdict v);
/* "NOERROR", ... or the number for an unnamed rcode; returns buf. */
const char *qlog_rcode_str(uint16_t rcode, char buf[8]);
/* A sequence number from a query string or Last-Event-ID: decimal digits
 * only, at most 19 of them. 0 or WARD_EINVAL. */
int qlog_seq_parse(const char *s, uint64_t *out);
/* Whether an EDE INFO-CODE reports a DNSSEC failure (RFC 8914 §4: 1, 2,
 * 5..12, 25, 27). */
bool qlog_ede_is_dnssec(uint16_t code);

/* Fill e's answer fields (name, type, rcode, flags, nodata, EDE, verdict)
 * from an answer's wire bytes; the other fields are left alone. dnssec:
 * validation is on (otherwise the verdict is NONE). What does not parse
 * is shown as "?" with rcode from the header when there is one. Returns
 * 0, or WARD_EINVAL for fewer than 12 octets (e untouched). */
int qlog_entry_from_answer(struct qlog_entry *e, const uint8_t *pkt,
                           size_t len, bool dnssec);

#endif
