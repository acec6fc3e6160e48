/* wardd control channel (`ward ctl`, docs/ctl.md): the wire protocol.
 *
 * A client connects to the unix socket (control-socket=), sends ONE
 * request line and reads the response; the daemon closes the connection
 * after it. A request is printable-ASCII words separated by spaces or tabs,
 * ended by "\n" (a "\r" before it is tolerated; end of input also ends it),
 * at most CTL_REQ_MAX octets:
 *
 *   stats [--json]                 cache dump [NAME]     cache flush [NAME]
 *   leases list [--json]           leases delete IP|MAC  reload
 *   log queries on|off             log debug on|off      verify
 *   blocklist list                 blocklist block|allow|remove NAME
 *   blocklist refresh [N|all]      ping
 *
 * The response is data lines, each starting with one space (the space is
 * not part of the data), then one status line that ends it:
 *
 *   " <data>\n" ...  "end <CODE>[ <text>]\n"
 *
 * CODE is the client's exit status: 0 done, 1 the command failed (no such
 * lease, the lease file write failed, output cut at CTL_RESP_MAX), 2 a bad
 * request, or (verify) a configuration with errors. Data lines never hold
 * control characters (they are written as \DDD).
 *
 * This file parses the untrusted request bytes (fuzz/fuzz_ctl_proto.c) and
 * writes/reads the framing; it does no I/O (the daemon side is
 * ctl_server.c, the commands ctl_cmds.c, the client tools/cmd_ctl.c). */
#ifndef WARD_DAEMON_CTL_PROTO_H
#define WARD_DAEMON_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/strbuf.h"
#include "dhcp/lease.h"

/* ---- limits (named constants, DESIGN.md) ---- */
#define CTL_REQ_MAX 1024                 /* request line with its "\n" */
#define CTL_WORDS_MAX 8                  /* words in a request */
#define CTL_MAX_CONNS 8                  /* control connections at once */
#define CTL_REQUEST_MS 5000              /* to send the whole request */
#define CTL_RESPONSE_MS 20000            /* to read the whole response */
#define CTL_RESP_MAX (8u << 20)          /* one response, status line aside */
#define CTL_STATUS_MAX 512               /* the status line */
#define CTL_DEFAULT_SOCKET "/run/wardd.sock" /* control-socket= unset, as root */

enum ctl_cmd {
	CTL_PING = 1,
	CTL_STATS,
	CTL_CACHE_DUMP,
	CTL_CACHE_FLUSH,
	CTL_LEASES_LIST,
	CTL_LEASES_DELETE,
	CTL_RELOAD,
	CTL_LOG,
	CTL_VERIFY,
	CTL_BLOCKLIST_LIST,              /* the lists, the hand-added names */
	CTL_BLOCKLIST_CHANGE,            /* block, allow or remove a name */
	CTL_BLOCKLIST_REFRESH,           /* read or fetch lists again */
};

enum ctl_bl_op { CTL_BL_BLOCK = 1, CTL_BL_ALLOW, CTL_BL_REMOVE };

enum ctl_log_what { CTL_LOG_QUERIES = 1, CTL_LOG_DEBUG };

/* Exit codes carried by the status line. */
enum ctl_code { CTL_OK = 0, CTL_FAILED = 1, CTL_BAD = 2 };

struct ctl_req {
	enum ctl_cmd cmd;
	bool json;                       /* --json (stats, leases list) */
	bool has_name;                   /* cache dump/flush NAME */
	dns_name name;
	bool by_mac;                     /* leases delete: MAC, else IP */
	uint32_t ip;                     /* host order */
	uint8_t mac[DHCP_LEASE_HWADDR_MAX];
	uint8_t mac_len;
	enum ctl_log_what log_what;      /* log */
	bool on;
	enum ctl_bl_op bl_op;            /* blocklist block|allow|remove NAME */
	long bl_index;                   /* blocklist refresh: N, -1 all */
};

/* Parse one request line (len octets, without its "\n"; a trailing "\r"
 * is ignored). 0 and *req filled, or a negative ward_err with a message
 * for the client in err (never NULL-terminated past errlen; never holds
 * raw request bytes other than printable ASCII). */
int ctl_parse(const uint8_t *line, size_t len, struct ctl_req *req,
              char *err, size_t errlen);

/* The request line for words (client side): the words joined by single
 * spaces and "\n". WARD_EINVAL for a word that is empty or holds a space or
 * a non-printable octet, WARD_ESPACE when the line is longer than
 * CTL_REQ_MAX. */
int ctl_request_format(strbuf *sb, int nwords, char *const *words);

/* A data line: " " + text (control octets and non-ASCII as \DDD) + "\n". */
void ctl_put_line(strbuf *sb, const char *text);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void ctl_put_linef(strbuf *sb, const char *fmt, ...);
/* The status line "end CODE[ text]\n" (text sanitised like a data line). */
void ctl_put_status(strbuf *sb, enum ctl_code code, const char *text);

/* Client side: one response line (without "\n"). Returns 1 for a data
 * line (*data, *dlen: the text after the space), 0 for the status line
 * (*code, and *data, *dlen: its text, maybe empty), WARD_ESYNTAX otherwise. */
int ctl_response_line(const char *line, size_t len, int *code,
                      const char **data, size_t *dlen);

/* JSON string (quoted, escaped) of text into sb. */
void ctl_json_str(strbuf *sb, const char *text);

#endif
