#include <stdio.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"

void strbuf_putn(strbuf *sb, const char *s, size_t n)
{
	if (sb->err)
		return;
	if (sb->cap == 0 || sb->cap - 1 - sb->len < n) {
		sb->err = WARD_ESPACE;
		return;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_putc(strbuf *sb, char c)
{
	strbuf_putn(sb, &c, 1);
}

void strbuf_puts(strbuf *sb, const char *s)
{
	strbuf_putn(sb, s, strlen(s));
}

void strbuf_printf(strbuf *sb, const char *fmt, ...)
{
	if (sb->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	size_t room = sb->cap - sb->len;
	int n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		sb->err = WARD_ESPACE;
		if (sb->cap)
			sb->buf[sb->len] = '\0';
		return;
	}
	sb->len += (size_t)n;
}

void strbuf_hex(strbuf *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n && !sb->err; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		strbuf_putn(sb, two, 2);
	}
}

void strbuf_truncate(strbuf *sb, size_t len)
{
	if (len <= sb->len) {
		sb->len = len;
		if (sb->cap)
			sb->buf[len] = '\0';
	}
}

void strbuf_put_sanitized(strbuf *sb, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && !sb->err; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"')
			strbuf_putc(sb, (char)p[i]);
		else
			strbuf_printf(sb, "\\%03u", p[i]);
	}
}
