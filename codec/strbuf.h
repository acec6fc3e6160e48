/* ward: a growing-free text buffer with a sticky overflow error, used by every
 * printer (presentation format, dig-style and JSON output). The text is always
 * NUL-terminated while cap > 0. */
#ifndef WARD_STRBUF_H
#define WARD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
	char *buf;
	size_t cap;
	size_t len;
	int err; /* WARD_ESPACE once something did not fit */
} strbuf;

static inline strbuf strbuf_init(char *buf, size_t cap)
{
	strbuf sb = { buf, cap, 0, 0 };
	if (cap)
		buf[0] = '\0';
	return sb;
}

void strbuf_putc(strbuf *sb, char c);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_putn(strbuf *sb, const char *s, size_t n);
void strbuf_printf(strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Uppercase hex of n bytes. */
void strbuf_hex(strbuf *sb, const uint8_t *p, size_t n);
/* Rewind to an earlier length (to undo a partial item). */
void strbuf_truncate(strbuf *sb, size_t len);
/* Text safe for logs/JSON: printable ASCII kept, others as \DDD. */
void strbuf_put_sanitized(strbuf *sb, const uint8_t *p, size_t n);

#endif
