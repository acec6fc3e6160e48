/* ward replay: bump allocator for scenario data. See rpl_arena.h. */
#include "replay/rpl_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u
#define ARENA_MAX_ALLOC ((size_t)1 << 30) /* refuse anything bigger */

struct rpl_chunk {
	struct rpl_chunk *next;
	size_t size;   /* usable bytes in data[] */
	size_t pos;
	_Alignas(16) unsigned char data[];
};

void rpl_arena_init(rpl_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void rpl_arena_free(rpl_arena *a)
{
	struct rpl_chunk *c = a->head;
	while (c) {
		struct rpl_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *rpl_arena_alloc(rpl_arena *a, size_t n)
{
	if (n > ARENA_MAX_ALLOC)
		return NULL;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	struct rpl_chunk *c = a->head;
	if (!c || c->size - c->pos < need) {
		size_t size = need > RPL_ARENA_CHUNK ? need : RPL_ARENA_CHUNK;
		struct rpl_chunk *nc = malloc(sizeof *nc + size);
		if (!nc)
			return NULL;
		nc->size = size;
		nc->pos = 0;
		/* a big allocation gets a chunk of its own behind the current
		 * one, so the rest of the current chunk stays usable */
		if (c && need > RPL_ARENA_CHUNK) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->data + c->pos;
	c->pos += need;
	a->used += need;
	memset(p, 0, need);
	return p;
}

void *rpl_arena_array(rpl_arena *a, size_t n, size_t sz)
{
	if (sz && n > ARENA_MAX_ALLOC / sz)
		return NULL;
	return rpl_arena_alloc(a, n * sz);
}

void *rpl_arena_memdup(rpl_arena *a, const void *p, size_t n)
{
	void *q = rpl_arena_alloc(a, n);
	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *rpl_arena_strndup(rpl_arena *a, const char *s, size_t n)
{
	if (n >= ARENA_MAX_ALLOC)
		return NULL;
	char *q = rpl_arena_alloc(a, n + 1);
	if (q && n)
		memcpy(q, s, n);
	return q;
}

void *rpl_arena_push(rpl_arena *a, void *items_ptr, size_t *n, size_t *cap,
                     size_t sz)
{
	void **items = items_ptr;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *nitems = rpl_arena_array(a, ncap, sz);
		if (!nitems)
			return NULL;
		if (*n)
			memcpy(nitems, *items, *n * sz);
		*items = nitems;
		*cap = ncap;
	}
	unsigned char *slot = (unsigned char *)*items + *n * sz;
	(*n)++;
	memset(slot, 0, sz);
	return slot;
}
