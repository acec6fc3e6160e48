/* ward replay: internals shared by the files of replay/ (not installed). */
#ifndef WARD_RPL_INT_H
#define WARD_RPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/msg.h"
#include "codec/name.h"
#include "replay/rpl.h"
#include "replay/rpl_arena.h"

/* A piece of the input text (not NUL-terminated). */
typedef struct rpl_slice {
	const char *s;
	size_t n;
} rpl_slice;

/* The loader's state: the input, the line cursor, the zone-file state that
 * testbound keeps for the whole file ($ORIGIN, $TTL) and scratch buffers. */
typedef struct rpl_parser {
	rpl_arena *arena;
	const char *name;
	const char *text;
	size_t len;
	size_t pos;                /* start of the next line */
	unsigned lineno;           /* number of the last line read */
	size_t mark_pos;           /* before the last line (rpl_unread_line) */
	unsigned mark_lineno;
	enum rpl_dialect dialect;
	dns_name origin;
	uint32_t default_ttl;
	uint8_t *rdbuf;            /* DNS_RDATA_MAX + 1 octets */
	uint8_t *pktbuf;           /* RPL_PKT_MAX octets */
	rpl_error *err;
} rpl_parser;

/* ---- text ---- */

/* The next line (without its end of line); false at the end of input. */
bool rpl_next_line(rpl_parser *p, rpl_slice *line);
/* Give the last line back (once). */
void rpl_unread_line(rpl_parser *p);
/* Record an error "name:line: message" and return code. */
int rpl_fail(rpl_parser *p, unsigned line, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

rpl_slice rpl_trim(rpl_slice s);
/* The text before a ';' comment (testbound keyword lines: '#' too). */
rpl_slice rpl_strip_comment(rpl_slice s, bool hash_too);
/* Split off the next blank-separated token; false when none is left. */
bool rpl_token(rpl_slice *rest, rpl_slice *tok);
bool rpl_slice_is(rpl_slice s, const char *word);       /* exact */
bool rpl_slice_casei(rpl_slice s, const char *word);    /* ASCII case-insens. */
bool rpl_slice_prefix(rpl_slice s, const char *prefix);
/* Decimal number without sign; false on junk or overflow past max. */
bool rpl_parse_ulong(rpl_slice s, unsigned long max, unsigned long *out);
/* A printable, bounded copy of untrusted text for messages. */
const char *rpl_show(rpl_slice s, char *buf, size_t cap);
#define RPL_SHOW_MAX 80

/* ---- entries (rpl_entry.c, records: rpl_record.c) ---- */

/* Parse one entry; the ENTRY_BEGIN line has just been read. */
int rpl_entry_parse(rpl_parser *p, rpl_entry *out);
/* One record in zone-file syntax with the file's $ORIGIN and $TTL (default
 * 3600); its rdata is copied into the scenario's arena. 0, or 1 when the
 * rdata was taken unchecked (see rpl_rr.unchecked), or an error. */
int rpl_parse_rr_line(rpl_parser *p, rpl_slice line, dns_rr *rr);
/* A question line: "name [ttl] [class] type" (the type last). */
int rpl_parse_question(rpl_parser *p, rpl_slice line, dns_rr *rr);
/* $ORIGIN / $TTL line (anywhere, testbound keeps them for the whole file):
 * 1 when handled, 0 when the line is not one, negative on error. */
int rpl_directive(rpl_parser *p, rpl_slice line);

/* What rpl_packet_build changes from the packet as written. */
typedef struct rpl_build_over {
	bool set_id;
	uint16_t id;
	bool set_question;         /* replaces the first question */
	dns_name qname;
	uint16_t qtype, qclass;
	bool set_edns;             /* replace the EDNS part entirely */
	bool edns;
	uint16_t udp_size;
	uint8_t edns_version;
	uint16_t edns_flags;
	const uint8_t *opts;       /* option bytes */
	size_t opts_len;
} rpl_build_over;

/* (rpl_build.c) Build the packet's message (with the overrides, may be NULL) into
 * out[0..cap). 0, WARD_ESPACE, or another builder error. */
int rpl_packet_build(const rpl_packet *pkt, const rpl_build_over *ov,
                     uint8_t *out, size_t cap, size_t *outlen);

/* ---- comparing (rpl_check.c) ---- */

/* A packet parsed once, compared with many entries (the range matcher). */
typedef struct rpl_matcher rpl_matcher;
rpl_matcher *rpl_matcher_new(const uint8_t *pkt, size_t len);
/* rpl_entry_match against the packet of the matcher. */
int rpl_matcher_check(rpl_matcher *mt, const rpl_entry *e,
                      enum rpl_transport t, strbuf *diff);
void rpl_matcher_free(rpl_matcher *mt);

/* ---- configuration (rpl_config.c) ---- */

/* Read the configuration part up to CONFIG_END (or give back a
 * SCENARIO_BEGIN line when CONFIG_END is missing). Detects the dialect
 * when p->dialect is AUTO. */
int rpl_config_parse(rpl_parser *p, rpl_config *cfg);
/* A date "YYYYMMDDHHMMSS" (UTC) or a number of seconds. */
int rpl_parse_date(rpl_slice s, int64_t *out);

#endif
