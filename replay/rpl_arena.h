/* ward replay: a bump allocator that owns every allocation of one scenario
 * (or of one comparison), released at once by rpl_arena_free(). Internal to
 * replay/. Allocations are zeroed and aligned for any scalar type. */
#ifndef WARD_RPL_ARENA_H
#define WARD_RPL_ARENA_H

#include <stddef.h>

#define RPL_ARENA_CHUNK (64u * 1024u)   /* default chunk size */

struct rpl_chunk;

typedef struct rpl_arena {
	struct rpl_chunk *head;  /* newest chunk first */
	size_t used;             /* bytes handed out, for statistics */
} rpl_arena;

void rpl_arena_init(rpl_arena *a);
/* Release every chunk (safe on a zeroed or already freed arena). */
void rpl_arena_free(rpl_arena *a);
/* n zeroed bytes, NULL when out of memory or n is absurd. */
void *rpl_arena_alloc(rpl_arena *a, size_t n);
/* n elements of size sz, checked for overflow. */
void *rpl_arena_array(rpl_arena *a, size_t n, size_t sz);
void *rpl_arena_memdup(rpl_arena *a, const void *p, size_t n);
/* Copy of s[0..n) with a terminating NUL. */
char *rpl_arena_strndup(rpl_arena *a, const char *s, size_t n);

/* A growable array in the arena: *items has room for *cap elements of size
 * sz, *n are used. Returns a pointer to a new zeroed element at the end
 * (old storage is left in the arena), NULL when out of memory. */
void *rpl_arena_push(rpl_arena *a, void *items_ptr, size_t *n, size_t *cap,
                     size_t sz);

#endif
