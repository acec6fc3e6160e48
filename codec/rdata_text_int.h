/* ward: internals shared by the rdata presentation-format files
 * (rdata_text.c, rdata_text_legacy.c). Not part of the codec's API. */
#ifndef WARD_RDATA_TEXT_INT_H
#define WARD_RDATA_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "name.h"
#include "strbuf.h"

/* A lexer over one logical rdata line: tokens are separated by blanks
 * (space, tab, CR, LF); a token is either "quoted" (may hold blanks) or a
 * run of non-blanks in which a backslash protects the next character. */
struct rdf_lex {
	const char *s;
	size_t n;
	size_t pos;
};

struct rdf_tok {
	const char *p; /* contents (inside the quotes for a quoted token) */
	size_t n;
	bool quoted;
};

/* Next token: 1, 0 at the end, or WARD_EQUOTE / WARD_ESYNTAX. */
int rdf_lex_next(struct rdf_lex *lx, struct rdf_tok *t);
/* The next token, which must be there (WARD_EMISSING). */
int rdf_lex_need(struct rdf_lex *lx, struct rdf_tok *t);
/* The next token, which must be there and not be quoted. */
int rdf_lex_word(struct rdf_lex *lx, struct rdf_tok *t);
/* True when only blanks are left. */
bool rdf_lex_at_end(struct rdf_lex *lx);
/* Everything left (after blanks), consumed. */
void rdf_lex_rest(struct rdf_lex *lx, const char **p, size_t *n);
/* Unsigned decimal token <= max: WARD_ESYNTAX / WARD_ERANGE. */
int rdf_parse_uint(const struct rdf_tok *t, uint32_t max, uint32_t *out);

/* Text primitives (rdata_text_util.c). */
/* Print a <character-string> body the way ldns does: quoted, '"' and '\\'
 * escaped with a backslash, printable ASCII and TAB kept, the rest \DDD. */
void rdf_put_quoted(strbuf *sb, const uint8_t *p, size_t n);
/* IPv4 / IPv6 text (RFC 5952 for IPv6, as glibc's inet_ntop prints). */
void rdf_put_ipv4(strbuf *sb, const uint8_t p[4]);
void rdf_put_ipv6(strbuf *sb, const uint8_t p[16]);
/* Parse IPv4 dotted quad / IPv6 text; WARD_EADDR when malformed. */
int rdf_parse_ipv4(const char *s, size_t n, uint8_t out[4]);
int rdf_parse_ipv6(const char *s, size_t n, uint8_t out[16]);
/* Decode \DDD and \X escapes of s[0..n) into out (at most cap octets);
 * WARD_EESCAPE on a bad escape, WARD_ESTRLEN past cap. */
int rdf_unescape(const char *s, size_t n, uint8_t *out, size_t cap,
                 size_t *outlen);

/* The kinds handled by rdata_text_legacy.c (see rdata_desc.h). */
bool rdf_is_legacy_kind(uint8_t k);
int rdf_legacy_from_text(uint8_t k, struct rdf_lex *lx,
                         const dns_name *origin, wire_wr *w);
/* False when the (valid) field has no exact text form, so the record is
 * printed in the RFC 3597 form instead. */
bool rdf_legacy_printable(uint8_t k, const uint8_t *p, size_t n);
void rdf_legacy_to_text(strbuf *sb, uint8_t k, const uint8_t *p, size_t n);

#endif
