/* recycle.c — see recycle.h for why. */
#include "recycle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Enough for the blocks one thread's case holds at once (its file, its
 * parsed form, its values, its result's arena), with room. */
#define SHELF_SLOTS 16u
/* Blocks are made in sizes of 1 KiB << k, so a block serves later requests
 * of similar size; above this size they are not kept (a rare huge file
 * must not pin its memory for the rest of the run). */
#define MIN_BLOCK 1024u
#define MAX_KEPT (1024u * 1024u)

/* Each thread keeps its own blocks: a batch worker loads, evaluates and
 * frees a case on one thread, so no lock is taken and no cache line moves
 * between cores. A block returned on another thread joins that thread's
 * shelf. */
typedef struct shelf {
    void *block[SHELF_SLOTS];
    size_t cap[SHELF_SLOTS];
    size_t n;
    bool registered; /* thread_exit will empty it */
} shelf;

static _Thread_local shelf local;
static pthread_key_t exit_key;
static bool have_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void empty_shelf(shelf *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->block[i]);
    s->n = 0;
}

static void thread_exit(void *s) { empty_shelf(s); }

static void make_key(void) { have_key = pthread_key_create(&exit_key, thread_exit) == 0; }

/* The main thread's shelf, at exit (thread-exit hooks do not run for it),
 * so that leak checkers see every block returned. */
__attribute__((destructor)) static void recycle_drain(void) { empty_shelf(&local); }

/* true when blocks may be kept on this thread: its shelf is emptied when
 * the thread ends. */
static bool shelf_ready(void)
{
    if (local.registered)
        return true;
    pthread_once(&key_once, make_key);
    if (!have_key || pthread_setspecific(exit_key, &local) != 0)
        return false;
    local.registered = true;
    return true;
}

static size_t block_size(size_t size)
{
    size_t cap = MIN_BLOCK;
    while (cap < size && cap <= MAX_KEPT)
        cap *= 2;
    return cap < size ? size : cap;
}

void *recycle_get(size_t size, size_t *cap)
{
    size_t best = SHELF_SLOTS;
    for (size_t i = 0; i < local.n; i++)
        if (local.cap[i] >= size && (best == SHELF_SLOTS || local.cap[i] < local.cap[best]))
            best = i;
    if (best != SHELF_SLOTS) {
        void *found = local.block[best];
        *cap = local.cap[best];
        local.n--;
        local.block[best] = local.block[local.n];
        local.cap[best] = local.cap[local.n];
        return found;
    }
    size_t want = block_size(size);
    void *p = malloc(want);
    if (p)
        *cap = want;
    return p;
}

void recycle_put(void *block, size_t cap)
{
    if (!block)
        return;
    if (cap <= MAX_KEPT && local.n < SHELF_SLOTS && shelf_ready()) {
        local.block[local.n] = block;
        local.cap[local.n] = cap;
        local.n++;
        return;
    }
    free(block);
}
