/* wardd: the control socket of `ward ctl` (docs/ctl.md).
 *
 *   ctl_proto.c   the protocol: request parsing, response framing
 *   ctl_server.c  the unix socket (libuv pipe): connections, limits
 *   ctl_cmds.c    the commands, run on the event loop thread
 *   ctl_blocklist.c  the blocklist commands */
#ifndef WARD_DAEMON_CTL_H
#define WARD_DAEMON_CTL_H

#include <stddef.h>

#include "daemon/ctl_proto.h"
#include "daemon/wardd.h"

struct ctl_server_stats {
	uint64_t accepted, refused_busy, refused_peer, bad_requests, commands,
	         timeouts, truncated;
};

/* Create the socket (control-socket=, default CTL_DEFAULT_SOCKET as root,
 * none otherwise), mode 0600, owned by the user wardd will run as; called
 * as root before privileges are dropped. A stale socket nobody listens on
 * is replaced; a live one is an error. 0, or a negative ward_err (logged). */
int ctl_server_start(struct wardd *d);
/* Close the socket and every connection (their handles; the loop runs the
 * close callbacks), remove the socket file if it can. */
void ctl_server_stop(struct wardd *d);
const struct ctl_server_stats *ctl_server_get_stats(const struct wardd *d);

/* Run one parsed request on the event loop: data lines (ctl_put_line) into
 * out, the status text into msg. Returns the status code. */
enum ctl_code ctl_cmd_run(struct wardd *d, const struct ctl_req *req,
                          strbuf *out, char *msg, size_t msglen);
/* ctl_blocklist.c: blocklist list | block|allow|remove NAME | refresh */
enum ctl_code ctl_cmd_blocklist(struct wardd *d, const struct ctl_req *req,
                                strbuf *out, char *msg, size_t msglen);

#endif
