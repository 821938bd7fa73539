/*
 * test_recycle.c — unit tests for engine/recycle.c: blocks are big enough,
 * come back for later requests, and very large ones are not kept.
 */
#include <criterion/criterion.h>

#include <pthread.h>

#include <stdint.h>
#include <string.h>

#include "recycle.h"

Test(recycle, block_is_at_least_the_size_asked)
{
    size_t sizes[] = {1, 1023, 1024, 1025, 5000, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t cap = 0;
        char *p = recycle_get(sizes[i], &cap);
        cr_assert_not_null(p);
        cr_expect_geq(cap, sizes[i]);
        cr_expect_eq((uintptr_t)p % _Alignof(max_align_t), 0u);
        memset(p, 0xA5, cap); /* all of it is usable (ASan and valgrind check) */
        recycle_put(p, cap);
    }
}

Test(recycle, a_returned_block_serves_the_next_request)
{
    size_t cap = 0;
    char *p = recycle_get(3000, &cap);
    cr_assert_not_null(p);
    recycle_put(p, cap);
    size_t cap2 = 0;
    char *q = recycle_get(2000, &cap2); /* smaller: the same block fits */
    cr_expect_eq(q, p);
    cr_expect_eq(cap2, cap);
    recycle_put(q, cap2);
}

Test(recycle, the_smallest_fitting_block_is_taken)
{
    size_t c1, c2, c3;
    char *small = recycle_get(1000, &c1);
    char *big = recycle_get(60000, &c2);
    cr_assert(small && big);
    recycle_put(big, c2);
    recycle_put(small, c1);
    char *p = recycle_get(900, &c3);
    cr_expect_eq(p, small);
    recycle_put(p, c3);
    char *q = recycle_get(50000, &c3);
    cr_expect_eq(q, big);
    recycle_put(q, c3);
}

Test(recycle, huge_blocks_are_not_kept_and_null_is_ignored)
{
    size_t cap;
    char *p = recycle_get(3u * 1024u * 1024u, &cap);
    cr_assert_not_null(p);
    cr_expect_eq(cap, 3u * 1024u * 1024u);
    recycle_put(p, cap); /* freed at once: a leak here fails the sanitizer run */
    recycle_put(NULL, 0);
}

/* More blocks than the pool keeps: the extra ones are freed, none lost. */
Test(recycle, a_full_pool_frees_what_it_cannot_keep)
{
    enum { N = 100 };
    void *p[N];
    size_t cap[N];
    for (int i = 0; i < N; i++) {
        p[i] = recycle_get(2048, &cap[i]);
        cr_assert_not_null(p[i]);
    }
    for (int i = 0; i < N; i++)
        recycle_put(p[i], cap[i]);
}

/* A block may be returned on another thread; that thread's blocks are freed
 * when it ends (a leak here fails the sanitizer and valgrind runs). */
typedef struct handed {
    void *block;
    size_t cap;
} handed;

static void *return_and_take(void *arg)
{
    const handed *h = arg;
    recycle_put(h->block, h->cap);
    size_t cap;
    void *mine = recycle_get(100, &cap); /* served by the block just returned */
    cr_expect_eq(mine, h->block);
    recycle_put(mine, cap);
    void *more = recycle_get(5000, &cap);
    recycle_put(more, cap);
    return NULL;
}

Test(recycle, blocks_cross_threads_and_go_with_them)
{
    handed h;
    h.block = recycle_get(2000, &h.cap);
    cr_assert_not_null(h.block);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, return_and_take, &h), 0);
    cr_assert_eq(pthread_join(t, NULL), 0);
    /* this thread's own shelf is still usable */
    size_t cap;
    void *p = recycle_get(10, &cap);
    cr_assert_not_null(p);
    recycle_put(p, cap);
}
