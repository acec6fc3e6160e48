/* wardd: EDNS(0) padding of answers over encrypted transports (RFC 7830
 * §3: a responder MUST pad when the query was padded; RFC 8467 §4.1:
 * responses in blocks of 468 octets). Every DoT and DoH answer that has
 * an OPT record is padded (a client that did not pad ignores the option,
 * RFC 6891 §6.1.2), so the size of an answer says little about it. */
#ifndef WARD_DAEMON_ANSWER_PAD_H
#define WARD_DAEMON_ANSWER_PAD_H

#include <stddef.h>
#include <stdint.h>

#define ANSWER_PAD_BLOCK 468          /* RFC 8467 §4.1 */

/* msg[0..len) with a Padding option added to its OPT record, into
 * out[0..cap): the new length, or 0 when the answer is left as it is (no
 * OPT record, OPT not the last record, already padded, malformed, or too
 * long for cap or 65535 octets). */
size_t answer_pad(const uint8_t *msg, size_t len, uint8_t *out, size_t cap);

#endif
