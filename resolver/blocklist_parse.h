/* ward resolver: the text of a blocklist (a file's or a download's bytes,
 * untrusted) into a blocklist_set. Formats, recognised line by line so
 * that one list may mix them (docs/blocklists.md):
 *
 *   0.0.0.0 ads.example  [more names]   hosts format: each name exactly
 *   ads.example                          domain per line: name and below
 *   *.ads.example                        wildcard: only names below
 *   ||ads.example^                       adblock: name and below
 *   @@||ads.example^                     adblock exception: allowed
 *   # comment, ! comment, [Adblock Plus 2.0], blank lines
 *
 * In an allow-list every entry allows instead of blocking. Hosts lines may
 * carry any IPv4/IPv6 address; the names hosts lists start with for the
 * machine itself (localhost, broadcasthost, ip6-localhost, ...) and names
 * that are IPv4 addresses are skipped. Other adblock rules (cosmetic ##,
 * paths, $options) are counted as unsupported, not errors. Everything
 * goes through the bounds-checked cursor (codec/cursor.h). */
#ifndef WARD_RESOLVER_BLOCKLIST_PARSE_H
#define WARD_RESOLVER_BLOCKLIST_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "resolver/blocklist.h"

struct blocklist_parse_stats {
	unsigned lines;        /* lines read */
	unsigned entries;      /* names added (a repeated name counts again) */
	unsigned comments;     /* comment and blank lines */
	unsigned skipped;      /* localhost and the like in hosts lines */
	unsigned unsupported;  /* adblock rules that are not ||name^ */
	unsigned bad;          /* malformed lines (the first few reported) */
};

/* "name:line: message" for the first BLOCKLIST_DIAG_MAX bad lines. */
typedef void (*blocklist_diag_fn)(void *ctx, const char *msg);

/* Parse buf[0..len) into s (need not be NUL-terminated); name is used in
 * messages; allow: the list is an allow-list. diag and st may be NULL.
 * Returns 0 (bad lines are counted, not an error), WARD_ENOMEM or
 * WARD_ELIMIT (the set is full: what was read so far stays). */
int blocklist_parse(blocklist_set *s, const char *name, const uint8_t *buf,
                    size_t len, bool allow, blocklist_diag_fn diag,
                    void *ctx, struct blocklist_parse_stats *st);

/* Does a download look like a list, not an error page? At least one
 * entry, and no more malformed lines than entries. */
bool blocklist_parse_usable(const struct blocklist_parse_stats *st);

#endif
