/* ward: the bounds-checked cursor every piece of untrusted input goes through.
 *
 * A reader has a sticky error: after the first failed read every further read
 * returns 0 and does nothing, so a parser reads a whole structure and checks
 * `rd->err` once at the end (STYLE.md item 1). Checks are plain `if`s, never
 * assert(), so they exist in every build.
 *
 * `buf`/`len` is the whole message (compression pointers are offsets into it);
 * reads happen in [pos, end), where end <= len can be narrowed to one rdata. */
#ifndef WARD_CURSOR_H
#define WARD_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"

typedef struct wire_rd {
	const uint8_t *buf; /* start of the whole message */
	size_t len;         /* valid bytes in buf */
	size_t pos;         /* next byte to read */
	size_t end;         /* reads stop here (<= len) */
	int err;            /* first error, 0 while all is well */
} wire_rd;

static inline wire_rd wire_rd_init(const uint8_t *buf, size_t len)
{
	wire_rd rd = { buf, len, 0, len, 0 };
	return rd;
}

static inline size_t wire_rd_left(const wire_rd *rd)
{
	return rd->err || rd->pos > rd->end ? 0 : rd->end - rd->pos;
}

static inline void wire_rd_fail(wire_rd *rd, int err)
{
	if (!rd->err)
		rd->err = err;
}

/* True when n more bytes can be read; sets WARD_ETRUNC otherwise. */
static inline int wire_rd_need(wire_rd *rd, size_t n)
{
	if (rd->err)
		return 0;
	if (wire_rd_left(rd) < n) {
		wire_rd_fail(rd, WARD_ETRUNC);
		return 0;
	}
	return 1;
}

static inline uint8_t wire_rd_u8(wire_rd *rd)
{
	if (!wire_rd_need(rd, 1))
		return 0;
	return rd->buf[rd->pos++];
}

static inline uint16_t wire_rd_u16(wire_rd *rd)
{
	if (!wire_rd_need(rd, 2))
		return 0;
	uint16_t v = (uint16_t)((rd->buf[rd->pos] << 8) | rd->buf[rd->pos + 1]);
	rd->pos += 2;
	return v;
}

static inline uint32_t wire_rd_u32(wire_rd *rd)
{
	if (!wire_rd_need(rd, 4))
		return 0;
	const uint8_t *p = rd->buf + rd->pos;
	uint32_t v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	             ((uint32_t)p[2] << 8) | (uint32_t)p[3];
	rd->pos += 4;
	return v;
}

/* Big-endian numbers at p, for bytes a bounds check already covered (the
 * pointer wire_rd_view() returned, a record dns_msg_parse accepted). */
static inline uint16_t wire_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t wire_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* Copy n bytes out; on failure `out` is zero-filled. */
static inline void wire_rd_bytes(wire_rd *rd, void *out, size_t n)
{
	if (!wire_rd_need(rd, n)) {
		if (out && n)
			memset(out, 0, n);
		return;
	}
	if (n)
		memcpy(out, rd->buf + rd->pos, n);
	rd->pos += n;
}

/* A pointer to the next n bytes (zero-copy) and advance; NULL on failure. */
static inline const uint8_t *wire_rd_view(wire_rd *rd, size_t n)
{
	if (!wire_rd_need(rd, n))
		return NULL;
	const uint8_t *p = rd->buf + rd->pos;
	rd->pos += n;
	return p;
}

static inline void wire_rd_skip(wire_rd *rd, size_t n)
{
	if (wire_rd_need(rd, n))
		rd->pos += n;
}

/* Peek one byte without advancing (0 and error on end). */
static inline uint8_t wire_rd_peek(wire_rd *rd)
{
	if (!wire_rd_need(rd, 1))
		return 0;
	return rd->buf[rd->pos];
}

/* Narrow reads to the next n bytes; returns the old end to restore with
 * wire_rd_unlimit(). Fails (ETRUNC) when fewer than n bytes are left. */
static inline size_t wire_rd_limit(wire_rd *rd, size_t n)
{
	size_t old = rd->end;
	if (wire_rd_need(rd, n))
		rd->end = rd->pos + n;
	return old;
}

static inline void wire_rd_unlimit(wire_rd *rd, size_t old_end)
{
	rd->end = old_end;
}

/* ---- writer: same idea, sticky WARD_ESPACE when the buffer is full ---- */

typedef struct wire_wr {
	uint8_t *buf;
	size_t cap;
	size_t pos;
	int err;
} wire_wr;

static inline wire_wr wire_wr_init(uint8_t *buf, size_t cap)
{
	wire_wr w = { buf, cap, 0, 0 };
	return w;
}

static inline int wire_wr_room(wire_wr *w, size_t n)
{
	if (w->err)
		return 0;
	if (w->cap - w->pos < n) {
		w->err = WARD_ESPACE;
		return 0;
	}
	return 1;
}

static inline void wire_wr_u8(wire_wr *w, uint8_t v)
{
	if (wire_wr_room(w, 1))
		w->buf[w->pos++] = v;
}

static inline void wire_wr_u16(wire_wr *w, uint16_t v)
{
	if (!wire_wr_room(w, 2))
		return;
	w->buf[w->pos] = (uint8_t)(v >> 8);
	w->buf[w->pos + 1] = (uint8_t)v;
	w->pos += 2;
}

static inline void wire_wr_u32(wire_wr *w, uint32_t v)
{
	if (!wire_wr_room(w, 4))
		return;
	w->buf[w->pos] = (uint8_t)(v >> 24);
	w->buf[w->pos + 1] = (uint8_t)(v >> 16);
	w->buf[w->pos + 2] = (uint8_t)(v >> 8);
	w->buf[w->pos + 3] = (uint8_t)v;
	w->pos += 4;
}

static inline void wire_wr_bytes(wire_wr *w, const void *p, size_t n)
{
	if (n && wire_wr_room(w, n)) {
		memcpy(w->buf + w->pos, p, n);
		w->pos += n;
	}
}

/* Overwrite a u16 already written at `at` (e.g. RDLENGTH, counts). */
static inline void wire_wr_put_u16_at(wire_wr *w, size_t at, uint16_t v)
{
	if (!w->err && at + 2 <= w->pos) {
		w->buf[at] = (uint8_t)(v >> 8);
		w->buf[at + 1] = (uint8_t)v;
	}
}

#endif
