/*
 * recycle.h — the large per-file blocks (a file's bytes, its parsed form, a
 * case's values, a result's node arena) handed from one case to the next
 * instead of going back to malloc.
 *
 * Why: in glibc a request of 1 KiB or more, or the free of a block next to
 * the top of the heap, first consolidates every small chunk freed since the
 * last time; iniparser frees hundreds per file. A batch paid that several
 * times per case, and the recycled blocks also stay warm in the cache, as
 * the parser's own memory does in a loop over files.
 *
 * Each thread keeps its own few blocks (no lock: a batch worker handles a
 * case from load to free on one thread; a block returned on another thread
 * simply joins that thread's blocks), of bounded size, emptied when the
 * thread ends and at exit, so leak checkers see nothing.
 */
#ifndef KOFU_ENGINE_RECYCLE_H
#define KOFU_ENGINE_RECYCLE_H

#include <stddef.h>

/* A block of at least `size` bytes (aligned as malloc's), *cap set to its
 * whole usable size; NULL when memory runs out. */
void *recycle_get(size_t size, size_t *cap);

/* Gives back a block from recycle_get with the cap it reported (kept for
 * reuse, or freed when the pool is full or the block is very large).
 * NULL is ignored. */
void recycle_put(void *block, size_t cap);

#endif
