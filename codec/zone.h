/* ward: zone-file (master file) parser, RFC 1035 §5.1, $TTL from RFC 2308.
 *
 * A streaming parser over a text buffer in memory: each zone_parser_next()
 * returns one record with uncompressed rdata. Grammar accepted:
 *  - `$ORIGIN name` (relative names are relative to the current origin),
 *    `$TTL ttl`, `$INCLUDE file [origin]` (off unless the caller enables it
 *    with zone_parser_allow_include(); otherwise WARD_ENOTSUP). Other
 *    directives ($GENERATE, ...) are WARD_EDIRECTIVE.
 *  - owner: `@` is the origin, relative names get the origin appended, `\X`
 *    and `\DDD` escapes. A line starting with a blank (space or tab) reuses
 *    the previous record's owner; before any record that is the origin, as
 *    ldns does (BIND would refuse it).
 *  - TTL and class in either order, both optional. TTL is a number of seconds
 *    (0..4294967295) or BIND-style units: 1w2d3h4m5s, 1h30m (each number needs
 *    its unit). A record without TTL gets the $TTL (the caller's default_ttl
 *    acts as an initial $TTL), else the last explicit TTL seen in this file,
 *    as BIND does; with neither it is WARD_ENOTTL. A record without class gets
 *    the last explicit class (RFC 1035), IN at the start.
 *  - `(` `)` let one record span lines; `;` starts a comment to the end of the
 *    line (not inside quotes, not when escaped as `\;`); quoted strings keep
 *    their escapes and may contain `;` `(` `)`, but not a line break.
 * The rdata part is joined into one logical line (parentheses and comments
 * removed, quotes and escapes kept) and handed to dns_rdata_from_text() with
 * the current origin.
 *
 * Errors: zone_parser_next() returns a negative ward_err, sets p->line and
 * writes "file:line: what is wrong" into p->errmsg. The bad record has been
 * consumed: calling zone_parser_next() again resumes with the next line, so a
 * caller can report every error of a file. */
#ifndef WARD_ZONE_H
#define WARD_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"
#include "rr.h"

#define ZONE_NO_TTL (-1)                 /* default_ttl: the caller has none */
#define ZONE_ERRMSG_MAX 512
#define ZONE_RECORD_TEXT_MAX (1u << 20)  /* one joined record, in characters */
#define ZONE_INCLUDE_MAX_DEPTH 8         /* nested $INCLUDE files */

/* Loads an $INCLUDE'd file: sets *text to a malloc()ed buffer (the parser
 * free()s it) and *len to its length. Returns 0 or a negative ward_err. */
typedef int (*zone_include_fn)(void *ctx, const char *path, char **text,
                               size_t *len);

typedef struct zone_parser {
	/* results, read them after zone_parser_next() */
	unsigned line;                  /* first line of the last record/error */
	char errmsg[ZONE_ERRMSG_MAX];   /* "file:line: message" after an error */

	/* private from here on */
	const char *text;
	size_t len;
	size_t pos;
	const char *filename;
	unsigned cur_line;              /* line number at pos */
	dns_name origin;
	bool have_origin;
	int64_t ttl_default;            /* $TTL or the caller's, < 0: none */
	int64_t ttl_last;               /* last explicit TTL, < 0: none */
	uint16_t class_last;
	bool have_prev_owner;
	dns_name prev_owner;
	char *buf;                      /* the joined logical record */
	size_t buf_len;
	size_t buf_cap;
	zone_include_fn include_fn;
	void *include_ctx;
	unsigned depth;                 /* $INCLUDE nesting of this parser */
	struct zone_parser *child;      /* the $INCLUDE'd file being read */
	char *owned_text;               /* text loaded for an $INCLUDE */
	char *owned_name;               /* its file name */
} zone_parser;

/* Start parsing text[0..len). origin may be NULL (then relative names are
 * WARD_ENOORIGIN until a $ORIGIN); default_ttl is seconds or ZONE_NO_TTL;
 * filename (may be NULL) is only used in messages and must outlive p. */
void zone_parser_init(zone_parser *p, const char *text, size_t len,
                      const dns_name *origin, int64_t default_ttl,
                      const char *filename);

/* Number the first line of the text `line` (default 1), for text cut out
 * of a larger file. Call right after zone_parser_init(). */
void zone_parser_set_line(zone_parser *p, unsigned line);

/* Enable $INCLUDE: fn loads the named file (path as written in the zone). */
void zone_parser_allow_include(zone_parser *p, zone_include_fn fn, void *ctx);

/* Next record: 1 and *rr filled (rr->rdata points into rdata_buf, cap bytes),
 * 0 at the end of the input, or a negative ward_err (see p->errmsg). */
int zone_parser_next(zone_parser *p, dns_rr *rr, uint8_t *rdata_buf,
                     size_t cap);

/* Release the parser's buffers (safe to call twice). */
void zone_parser_free(zone_parser *p);

/* Parse exactly one record from a NUL-terminated text (it may span lines in
 * parentheses). No default TTL: a record without TTL is WARD_ENOTTL. No
 * record is WARD_ESYNTAX, a second one WARD_ETRAILING. */
int zone_parse_rr_line(const char *line, const dns_name *origin, dns_rr *rr,
                       uint8_t *buf, size_t cap);

/* A TTL in seconds or BIND units ("3600", "1h30m", "2W"). */
int zone_ttl_from_text(const char *s, size_t n, uint32_t *out);

#endif
