/* ward resolver: /etc/hosts-format files into the local data store.
 *
 * "IP name [name...]  # comment", IPv4 or IPv6, names case-insensitive. A bad
 * line (bad address, bad name, no name) is reported as "file:line: message"
 * through diag, counted in stats->bad, and the rest of the file still loads
 * (dnsmasq skips bad lines with a warning). The first name of a line is the
 * target of the address's PTR record. Sans-I/O: the parser takes a buffer;
 * hosts_load_path() reads a file, or every regular file of a directory in
 * sorted name order (addn-hosts=DIR). */
#ifndef WARD_RESOLVER_HOSTS_H
#define WARD_RESOLVER_HOSTS_H

#include <stddef.h>

#include "resolver/localdata.h"

/* Longest line accepted (longer ones are reported and skipped). */
#define HOSTS_LINE_MAX 4096

/* Parse buf[0..len) (need not be NUL-terminated); fname is used in messages.
 * diag and stats may be NULL. Returns 0 (bad lines are not an error) or
 * WARD_ENOMEM. */
int hosts_load_buffer(localdata *ld, const char *fname, const char *buf,
                      size_t len, localdata_diag_fn diag, void *ctx,
                      struct localdata_load_stats *stats);

/* A file or a directory of files. WARD_EIO when it cannot be read (reported
 * through diag as well). */
int hosts_load_path(localdata *ld, const char *path, localdata_diag_fn diag,
                    void *ctx, struct localdata_load_stats *stats);

#endif
