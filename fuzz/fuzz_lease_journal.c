/* Fuzz harness: the lease journal (dhcp/lease_journal.c). The input is a
 * journal image (the header is prepended when the first byte is odd, so
 * the fuzzer reaches records without guessing it). Replay must never fail
 * on damage — only on a foreign header — and must account for every octet:
 * valid_len + torn_len == size. Every record it accepts re-encodes to the
 * same octets (one encoding per change), and replaying just the valid
 * prefix gives the same records with a clean end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "dhcp/lease_journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	const uint8_t *img;
	size_t pos;
};

static int on_record(void *ctx, enum dhcp_lease_op op, const struct dhcp_lease *l)
{
	struct walk *w = ctx;
	uint8_t rec[LEASE_JOURNAL_REC_MAX];
	size_t len;
	if (lease_journal_encode(op, l, rec, sizeof(rec), &len) != 0)
		__builtin_trap();
	if (memcmp(rec, w->img + w->pos, len) != 0)
		__builtin_trap();
	w->pos += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	uint8_t *img = malloc(n + LEASE_JOURNAL_HDR_LEN + 1);
	if (!img)
		return 0;
	size_t off = 0;
	if (data[0] & 1) {
		memcpy(img, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN);
		off = LEASE_JOURNAL_HDR_LEN;
	}
	memcpy(img + off, data + 1, n);
	n += off;
	struct walk w = { img, LEASE_JOURNAL_HDR_LEN };
	struct lease_journal_scan sc;
	int rc = lease_journal_replay(img, n, on_record, &w, &sc);
	if (rc == 0) {
		if (sc.valid_len + sc.torn_len != n)
			__builtin_trap();
		if (sc.records && w.pos != sc.valid_len)
			__builtin_trap();
		if ((sc.torn_len == 0) != (sc.tail_err == 0) && sc.valid_len != 0)
			__builtin_trap();
		struct lease_journal_scan again;
		if (sc.valid_len >= LEASE_JOURNAL_HDR_LEN) {
			if (lease_journal_replay(img, sc.valid_len, NULL, NULL, &again) != 0 ||
			    again.records != sc.records || again.torn_len != 0)
				__builtin_trap();
		}
	} else if (rc != WARD_ELEASE_JMAGIC) {
		__builtin_trap();
	}
	free(img);
	return 0;
}
