/* ward tests: building client queries and reading the engine's answers
 * (for the resolver engine tests that drive it through helper_simnet). */
#ifndef WARD_TEST_HELPER_RESQ_H
#define WARD_TEST_HELPER_RESQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/msg.h"
#include "helper_simnet.h"
#include "resolver/engine.h"

#define RESQ_NO_EDNS (-1)

/* A query: id 0x1234, the given header flags (RD, CD, opcode...), one
 * question, EDNS with edns_version (RESQ_NO_EDNS: none), DO when do_bit.
 * Returns the length, 0 on error. */
size_t resq_build(uint8_t *buf, size_t cap, const char *name, uint16_t qtype,
                  uint16_t qclass, uint16_t flags, int edns_version,
                  bool do_bit);

/* Start the query as client tag 0, run the network, parse the answer
 * into m (which points into ans->buf). Returns false when no answer came. */
bool resq_run(struct simnet *n, res_engine *e, uint64_t *clock,
              struct sim_answer *ans, const uint8_t *q, size_t len,
              dns_msg *m);

/* Records of type in a section (type 0: all). */
unsigned resq_count(const dns_msg *m, enum dns_section s, uint16_t type);
/* The address of the last A record in the answer section (host order), 0. */
uint32_t resq_answer_a(const dns_msg *m);
/* TTL of the first record of type in a section; UINT32_MAX when none. */
uint32_t resq_ttl(const dns_msg *m, enum dns_section s, uint16_t type);
/* The EDE option: its code (0xffff when none) and EXTRA-TEXT. */
uint16_t resq_ede(const dns_msg *m, char *text, size_t cap);
/* Queries the simulated network logged to dst (NULL: any) for qname
 * (NULL: any), case-insensitively. */
size_t resq_sent(const struct simnet *n, const char *dst, const char *qname);

#define RESQ_IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#endif
