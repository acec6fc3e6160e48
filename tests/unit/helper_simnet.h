/* ward tests: a simulated network of authoritative servers for the resolver
 * engine, and a driver loop with a virtual clock. Each server (an IPv4
 * address, port 53) serves zones given as zone-file text; answers are
 * authoritative, with referrals + glue, CNAME, DNAME, NXDOMAIN and NODATA
 * (SOA in authority). Servers can drop, truncate over UDP, serve lame,
 * refuse or answer FORMERR to EDNS. Every query sent is logged. */
#ifndef WARD_TEST_HELPER_SIMNET_H
#define WARD_TEST_HELPER_SIMNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "resolver/engine.h"

#define SIM_DROP     0x01   /* never answers */
#define SIM_TC_UDP   0x02   /* UDP answers are empty with TC=1 */
#define SIM_LAME     0x04   /* answers NOERROR, no AA, referral to the root */
#define SIM_REFUSED  0x08   /* answers REFUSED */
#define SIM_NOEDNS   0x10   /* FORMERR to queries with EDNS */
#define SIM_RECURSOR 0x20   /* answers with AA cleared (a forwarder's view) */
#define SIM_SERVFAIL 0x40   /* answers SERVFAIL */
#define SIM_NOCASE   0x80   /* echoes the question lowercased (no 0x20) */
#define SIM_NOSOA    0x100  /* negative answers without the SOA */
#define SIM_DNSSEC   0x200  /* RRSIGs with every set, all NSEC/NSEC3 (and
                             * RRSIGs) with negative answers and unsigned
                             * referrals; DS answered by the parent */

#define SIM_LOG_MAX 4096

struct sim_log {
	char dst[16];
	char qname[256];
	uint16_t qtype;
	bool tcp;
	bool rd;
	uint16_t id;
};

struct simnet;

struct simnet *simnet_new(void);
void simnet_free(struct simnet *n);
/* Add a zone (text with $ORIGIN, SOA first) to the server at ip. 0 or <0. */
int simnet_add_zone(struct simnet *n, const char *ip, const char *text);
void simnet_set_flags(struct simnet *n, const char *ip, unsigned flags);
void simnet_set_delay(struct simnet *n, const char *ip, unsigned ms);
void simnet_addr(const char *ip, struct res_addr *a);

/* The log of queries the engine sent. */
size_t simnet_log_count(const struct simnet *n);
const struct sim_log *simnet_log(const struct simnet *n, size_t i);
void simnet_log_clear(struct simnet *n);

/* A client's answer collected by the driver. */
struct sim_answer {
	bool got;
	uint8_t buf[65535];
	size_t len;
	uint64_t at;
};

/* Pump actions, replies and timers until nothing is left (or max_ms of
 * virtual time pass). answers[tag] receives the answer for client tag
 * (tags < n_answers). *clock is advanced. Returns actions handled. */
size_t simnet_run(struct simnet *n, res_engine *e, uint64_t *clock,
                  struct sim_answer *answers, size_t n_answers,
                  uint64_t max_ms);

/* A client query (id 0x1234, RD=1, EDNS 1232 unless udp_size 0). */
size_t sim_make_query(uint8_t *buf, size_t cap, const char *name,
                      uint16_t qtype, uint16_t udp_size, bool do_bit);
/* Deterministic random bytes (an LCG). */
void sim_random(void *ctx, uint8_t *buf, size_t n);

#endif
