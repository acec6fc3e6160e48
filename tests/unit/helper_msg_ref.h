/* ward tests: the reference message parser (helper_msg_ref.c). */
#ifndef WARD_TEST_HELPER_MSG_REF_H
#define WARD_TEST_HELPER_MSG_REF_H

#include <stddef.h>
#include <stdint.h>

#include "codec/msg.h"

/* dns_msg_parse as it was before the fast paths: fills the same fields of
 * m (not notes[]) and returns the same value. */
int ref_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len);

/* Parse pkt[0..len) with dns_msg_parse and with ref_msg_parse and compare
 * everything (result, error and where, sections, OPT); then every record
 * the iterator yields against the reference iterator, and every record
 * decoded the trusted way (the view as the iterator made it) against the
 * validating way (the same view with `checked` and `note` cleared): owner,
 * rdata and dns_rr_view_to_rr, with room enough and with too little.
 * Returns 0, or -1 with the first difference in why. */
int ref_msg_compare(const uint8_t *pkt, size_t len, char *why, size_t whylen);

#endif
