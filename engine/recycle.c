/* recycle.c — see recycle.h for why. */
#include "recycle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Enough for the blocks two workers' cases hold at once, with room. */
#define POOL_SLOTS 32u
/* Blocks are made in sizes of 1 KiB << k, so a block serves later requests
 * of similar size; above this size they are not kept (a rare huge file
 * must not pin its memory for the rest of the run). */
#define MIN_BLOCK 1024u
#define MAX_KEPT (1024u * 1024u)

static struct {
    pthread_mutex_t mu;
    void *block[POOL_SLOTS];
    size_t cap[POOL_SLOTS];
    size_t n;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER};

static size_t block_size(size_t size)
{
    size_t cap = MIN_BLOCK;
    while (cap < size && cap <= MAX_KEPT)
        cap *= 2;
    return cap < size ? size : cap;
}

void *recycle_get(size_t size, size_t *cap)
{
    void *found = NULL;
    pthread_mutex_lock(&pool.mu);
    size_t best = POOL_SLOTS;
    for (size_t i = 0; i < pool.n; i++)
        if (pool.cap[i] >= size && (best == POOL_SLOTS || pool.cap[i] < pool.cap[best]))
            best = i;
    if (best != POOL_SLOTS) {
        found = pool.block[best];
        *cap = pool.cap[best];
        pool.n--;
        pool.block[best] = pool.block[pool.n];
        pool.cap[best] = pool.cap[pool.n];
    }
    pthread_mutex_unlock(&pool.mu);
    if (found)
        return found;
    size_t want = block_size(size);
    found = malloc(want);
    if (found)
        *cap = want;
    return found;
}

void recycle_put(void *block, size_t cap)
{
    if (!block)
        return;
    bool kept = false;
    if (cap <= MAX_KEPT) {
        pthread_mutex_lock(&pool.mu);
        if (pool.n < POOL_SLOTS) {
            pool.block[pool.n] = block;
            pool.cap[pool.n] = cap;
            pool.n++;
            kept = true;
        }
        pthread_mutex_unlock(&pool.mu);
    }
    if (!kept)
        free(block);
}

__attribute__((destructor)) static void recycle_drain(void)
{
    pthread_mutex_lock(&pool.mu);
    for (size_t i = 0; i < pool.n; i++)
        free(pool.block[i]);
    pool.n = 0;
    pthread_mutex_unlock(&pool.mu);
}
