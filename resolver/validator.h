/* ward resolver: trust anchors for DNSSEC validation (res_config
 * trust_anchors). Sans-I/O: the caller reads files and hands over text.
 * docs/dnssec.md, "Validation in the engine". */
#ifndef WARD_RESOLVER_VALIDATOR_H
#define WARD_RESOLVER_VALIDATOR_H

#include <stddef.h>

#include "codec/rr.h"

/* A growing set of DS/DNSKEY records, each rdata owned by the set. Pass
 * rrs/n as res_config.trust_anchors/n_trust_anchors. Zero it to start. */
struct res_anchors {
	dns_rr *rrs;
	size_t n, cap;
};

#define RES_ANCHORS_MAX 256

/* Add one DS or DNSKEY record (copied). WARD_EINVAL for another type,
 * WARD_ELIMIT beyond RES_ANCHORS_MAX, WARD_ENOMEM. */
int res_anchors_add(struct res_anchors *a, const dns_rr *rr);

/* A trust-anchor file in zone-file syntax (Unbound trust-anchor-file:
 * DS and DNSKEY lines, comments, $ORIGIN/$TTL; a line without TTL is
 * fine). Other record types are an error. On error returns a negative
 * ward_err and writes "file:line: message" into err. */
int res_anchors_parse(struct res_anchors *a, const char *text, size_t len,
                      const char *filename, char *err, size_t errlen);

/* dnsmasq trust-anchor=[class,]domain,key-tag,algorithm,digest-type,digest
 * (the value after '='). */
int res_anchors_parse_dnsmasq(struct res_anchors *a, const char *value);

/* The root zone's KSKs as IANA publishes them (root-anchors.xml):
 * KSK-2017 (tag 20326) and KSK-2024 (tag 38696), as DS records (checked
 * against dns-root-data by tests/unit/test_root_anchor.c). For
 * `dnssec` without any trust-anchor. */
int res_anchors_add_root(struct res_anchors *a);

void res_anchors_free(struct res_anchors *a);

#endif
