/* Fuzz harness: the `ward ctl` request parser (daemon/ctl_proto.c). The
 * input is one request line as a client process sends it. The parser must
 * never crash or read out of bounds; what it accepts must be a known
 * command with consistent fields, and the words of an accepted request,
 * written again by the client's formatter, must parse to the same request.
 * The response framing reader gets the same bytes and must classify them
 * without reading past them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/ctl_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const struct ctl_req *a, const struct ctl_req *b)
{
	return a->cmd == b->cmd && a->json == b->json &&
	       a->has_name == b->has_name &&
	       (!a->has_name || dns_name_equal(&a->name, &b->name)) &&
	       a->by_mac == b->by_mac && a->ip == b->ip &&
	       a->mac_len == b->mac_len &&
	       !memcmp(a->mac, b->mac, a->mac_len) &&
	       a->log_what == b->log_what && a->on == b->on &&
	       a->bl_op == b->bl_op && a->bl_index == b->bl_index;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: reads past the end are caught */
	uint8_t *line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	struct ctl_req r;
	char err[200];
	int rc = ctl_parse(line, size, &r, err, sizeof err);
	if (rc > 0 || strnlen(err, sizeof err) == sizeof err)
		__builtin_trap();
	if (rc < 0) {
		if (!err[0] || r.cmd != 0)
			__builtin_trap();
		for (const char *p = err; *p; p++)   /* messages are printable */
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				__builtin_trap();
	} else {
		if (r.cmd < CTL_PING || r.cmd > CTL_BLOCKLIST_REFRESH ||
		    size >= CTL_REQ_MAX + 1)
			__builtin_trap();
		if ((r.cmd == CTL_BLOCKLIST_CHANGE) != (r.bl_op != 0) ||
		    (r.cmd == CTL_BLOCKLIST_CHANGE && !r.has_name) ||
		    r.bl_index < -1 || r.bl_index > 999999)
			__builtin_trap();
		if (r.mac_len > DHCP_LEASE_HWADDR_MAX || (r.by_mac && r.mac_len < 2))
			__builtin_trap();
		if (r.has_name && (r.name.len < 1 || r.name.len > DNS_NAME_MAXLEN))
			__builtin_trap();
		/* split into words again and let the client write them */
		char copy[CTL_REQ_MAX + 1];
		size_t n = size < CTL_REQ_MAX ? size : CTL_REQ_MAX;
		memcpy(copy, line, n);
		copy[n] = 0;
		char *words[CTL_WORDS_MAX + 1];
		int nw = 0;
		for (char *t = strtok(copy, " \t\r"); t; t = strtok(NULL, " \t\r")) {
			if (nw > CTL_WORDS_MAX)
				__builtin_trap();
			words[nw++] = t;
		}
		char out[CTL_REQ_MAX + 8];
		strbuf sb = strbuf_init(out, sizeof out);
		if (ctl_request_format(&sb, nw, words) != 0)
			__builtin_trap();
		struct ctl_req again;
		if (ctl_parse((const uint8_t *)out, sb.len - 1, &again, err,
		              sizeof err) != 0 || !same(&r, &again))
			__builtin_trap();
	}
	int code;
	const char *d;
	size_t dlen;
	int k = ctl_response_line((const char *)line, size, &code, &d, &dlen);
	if (k == 1 && (d != (const char *)line + 1 || dlen != size - 1))
		__builtin_trap();
	if (k == 0 && (code < 0 || code > 9 || d + dlen > (const char *)line + size))
		__builtin_trap();
	free(line);
	return 0;
}
