/*
 * test_node.c — unit tests for engine/node.c: the result tree read through
 * kofu.h (kinds, order, dotted paths, replacement, clone) and the failure
 * propagation node.h promises.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "num.h"

static kofu_node *sample(node_arena *a)
{
    kofu_node *root = node_object(a);
    node_set(root, "format", node_string(a, "kofu-result/1"));
    node_set(root, "year", node_int(a, 2022));
    node_set(root, "big", node_int(a, INT64_C(1000000000000000)));
    node_set(root, "neg", node_int(a, -5));
    node_set(root, "ratio", node_decimal(a, "7/12"));
    node_set(root, "flag", node_bool(a, true));
    kofu_node *m = node_object(a);
    kofu_node *list = node_array(a);
    for (int i = 0; i < 3; i++) {
        kofu_node *p = node_object(a);
        node_set(p, "grant", node_int(a, 1000 * (i + 1)));
        node_push(list, p);
    }
    node_set(m, "projects", list);
    node_set(m, "grant", node_int(a, 6000));
    kofu_node *measures = node_object(a);
    node_set(measures, "network", m);
    node_set(root, "measures", measures);
    return root;
}

Test(node, kinds_and_values)
{
    kofu_node *r = sample(NULL);
    cr_assert_not(node_failed(r));
    cr_expect_eq(kofu_node_type(r), KOFU_NODE_OBJECT);
    cr_expect_eq(kofu_node_type(kofu_node_get(r, "format")), KOFU_NODE_STRING);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(r, "format")), "kofu-result/1");
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "year")), 2022);
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "big")), INT64_C(1000000000000000));
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "neg")), -5);
    cr_expect_eq(kofu_node_type(kofu_node_get(r, "ratio")), KOFU_NODE_DECIMAL);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(r, "ratio")), "7/12");
    cr_expect(kofu_node_bool(kofu_node_get(r, "flag")));
    /* accessors of the wrong kind answer neutrally */
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "format")), 0);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(r, "year")), "");
    cr_expect_not(kofu_node_bool(kofu_node_get(r, "year")));
    cr_expect_eq(kofu_node_size(kofu_node_get(r, "year")), 0);
    kofu_node_free(&r);
    cr_expect_null(r);
}

Test(node, insertion_order_and_members)
{
    kofu_node *r = sample(NULL);
    static const char *const keys[] = {"format", "year", "big", "neg", "ratio", "flag", "measures"};
    cr_assert_eq(kofu_node_size(r), 7);
    for (size_t i = 0; i < 7; i++)
        cr_expect_str_eq(kofu_node_key_at(r, i), keys[i]);
    cr_expect_null(kofu_node_key_at(r, 7));
    cr_expect_null(kofu_node_at(r, 7));
    const kofu_node *list = kofu_node_get(r, "measures.network.projects");
    cr_assert_eq(kofu_node_size(list), 3);
    cr_expect_null(kofu_node_key_at(list, 0)); /* arrays have no keys */
    for (size_t i = 0; i < 3; i++)
        cr_expect_eq(kofu_node_int(kofu_node_get(kofu_node_at(list, i), "grant")), (int64_t)(1000 * (i + 1)));
    kofu_node_free(&r);
}

Test(node, dotted_paths)
{
    kofu_node *r = sample(NULL);
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "measures.network.grant")), 6000);
    cr_expect_null(kofu_node_get(r, "measures.cooperative.grant"));
    cr_expect_null(kofu_node_get(r, "measures.network.grant.x"));
    cr_expect_null(kofu_node_get(r, "measures.net"));     /* no prefix matching */
    cr_expect_null(kofu_node_get(r, "measures.networkx"));
    cr_expect_null(kofu_node_get(r, ""));
    cr_expect_null(kofu_node_get(NULL, "format"));
    cr_expect_eq(kofu_node_get(r, NULL), r);
    kofu_node_free(&r);
}

Test(node, set_replaces_in_place)
{
    kofu_node *o = node_object(NULL);
    node_set(o, "a", node_int(NULL, 1));
    node_set(o, "b", node_int(NULL, 2));
    node_set(o, "a", node_string(NULL, "one"));
    cr_assert_eq(kofu_node_size(o), 2);
    cr_expect_str_eq(kofu_node_key_at(o, 0), "a");
    cr_expect_str_eq(kofu_node_str(kofu_node_at(o, 0)), "one");
    kofu_node *mut = node_get_mut(o, "b");
    cr_expect_eq(mut, kofu_node_get(o, "b"));
    kofu_node_free(&o);
}

Test(node, decimal_from_num)
{
    kofu_num x;
    num_init(&x);
    num_set_frac(&x, 7, 12);
    kofu_node *n = node_decimal_num(NULL, &x);
    cr_expect_str_eq(kofu_node_str(n), "7/12");
    kofu_node_free(&n);
    num_set_frac(&x, 3, 4);
    n = node_decimal_num(NULL, &x);
    cr_expect_str_eq(kofu_node_str(n), "0.75");
    kofu_node_free(&n);
    num_clear(&x);
}

Test(node, clone_is_deep_and_equal)
{
    kofu_node *r = sample(NULL);
    kofu_node *c = node_clone(NULL, r);
    cr_assert_not_null(c);
    kofu_node_free(&r); /* the clone must not share anything */
    cr_expect_eq(kofu_node_size(c), 7);
    cr_expect_eq(kofu_node_int(kofu_node_get(c, "measures.network.grant")), 6000);
    cr_expect_str_eq(kofu_node_str(kofu_node_get(c, "ratio")), "7/12");
    cr_expect_eq(kofu_node_size(kofu_node_get(c, "measures.network.projects")), 3);
    cr_expect_null(node_clone(NULL, NULL));
    kofu_node_free(&c);
}

Test(node, failures_propagate_to_the_root)
{
    kofu_node *r = sample(NULL);
    cr_expect_not(node_failed(r));
    /* a NULL child (an allocation that failed) marks its parent */
    kofu_node *measures = node_get_mut(r, "measures");
    node_set(node_get_mut(measures, "network"), "lost", NULL);
    cr_expect(node_failed(r));
    kofu_node_free(&r);

    kofu_node *a = node_array(NULL);
    node_push(a, NULL);
    cr_expect(node_failed(a));
    kofu_node_free(&a);

    /* set on a non-object, push on a non-array: failed, child released */
    kofu_node *i = node_int(NULL, 1);
    node_set(i, "x", node_int(NULL, 2));
    cr_expect(node_failed(i));
    kofu_node_free(&i);
    kofu_node *o = node_object(NULL);
    node_push(o, node_int(NULL, 2));
    cr_expect(node_failed(o));
    kofu_node_free(&o);
    cr_expect(node_failed(NULL));
}

Test(node, free_tolerates_null)
{
    kofu_node *n = NULL;
    kofu_node_free(&n);
    kofu_node_free(NULL);
    cr_expect_null(n);
}

/* A tree built in an arena: the arena, not a walk, reports failures. */
Test(node, arena_records_failures)
{
    node_arena *a = node_arena_new();
    cr_assert_not_null(a);
    kofu_node *r = sample(a);
    cr_expect_not(node_arena_failed(a));
    /* deep in the tree, after the subtree was attached */
    kofu_node *m = node_get_mut(node_get_mut(r, "measures"), "network");
    node_set_static(m, "lost", NULL);
    cr_expect(node_arena_failed(a));
    cr_expect(node_failed(r)); /* the walk agrees */
    kofu_node *trees[] = {r};
    node_arena_free_trees(a, trees, 1);
    cr_expect_null(trees[0]);
    cr_expect(node_arena_failed(NULL));
}

/* Copied keys and nodes made outside the arena are freed with its trees
 * (a leak here fails the sanitizer and valgrind runs of this test). */
Test(node, arena_trees_with_heap_parts_are_walked)
{
    kofu_node *outside = node_string(NULL, "made before the arena");
    node_arena *a = node_arena_new();
    cr_assert_not_null(a);
    kofu_node *r = node_object(a);
    node_set_static(r, "static", node_int(a, 1));
    node_set_static(r, "outside", outside);
    node_set(r, "copied key", node_int(a, 2));
    cr_expect_not(node_arena_failed(a));
    cr_expect_str_eq(kofu_node_str(kofu_node_get(r, "outside")), "made before the arena");
    cr_expect_eq(kofu_node_int(kofu_node_get(r, "copied key")), 2);
    kofu_node *trees[] = {r};
    node_arena_free_trees(a, trees, 1);
    cr_expect_null(trees[0]);
}

/* Blocks go back to a cache and serve the next arenas whole. */
Test(node, arena_blocks_are_reused)
{
    for (int round = 0; round < 3; round++) {
        node_arena *a = node_arena_new();
        cr_assert_not_null(a);
        kofu_node *arr = node_array(a);
        for (int i = 0; i < 2000; i++) /* several 16 KiB blocks */
            node_push(arr, node_int(a, i));
        cr_expect_not(node_arena_failed(a));
        cr_expect_eq(kofu_node_size(arr), 2000u);
        cr_expect_eq(kofu_node_int(kofu_node_at(arr, 1999)), 1999);
        kofu_node *trees[] = {arr};
        node_arena_free_trees(a, trees, 1);
    }
}

/* The arena is an argument, not a state of the thread: two results built
 * interleaved on one thread keep their nodes, their grown arrays and their
 * failures apart (the batch and the server build many results per thread). */
Test(node, two_arenas_built_interleaved)
{
    node_arena *a = node_arena_new(), *b = node_arena_new();
    cr_assert(a && b);
    kofu_node *ra = node_array(a), *rb = node_array(b);
    for (int i = 0; i < 100; i++) { /* both arrays grow several times */
        node_push(ra, node_int(a, i));
        node_push(rb, node_int(b, -i));
    }
    node_push(rb, NULL);
    cr_expect(node_arena_failed(b));
    cr_expect_not(node_arena_failed(a));
    cr_expect_eq(kofu_node_int(kofu_node_at(ra, 99)), 99);
    cr_expect_eq(kofu_node_int(kofu_node_at(rb, 99)), -99);
    kofu_node *ta[] = {ra}, *tb[] = {rb};
    node_arena_free_trees(b, tb, 1);
    cr_expect_eq(kofu_node_int(kofu_node_at(ra, 50)), 50); /* a outlives b */
    node_arena_free_trees(a, ta, 1);
}

/* Keys sharing their first bytes (and so the same quick tag) stay distinct,
 * and a key equal to an existing one but held elsewhere (a copy, not the
 * same literal) still replaces it in place: in an arena (where objects come
 * with room for their first members, set by the inline path) and out. */
static kofu_node *check_similar_keys(node_arena *a)
{
    kofu_node *o = node_object(a);
    char copy[] = "municipal_share";
    node_set_static(o, "municipal_subsidy", node_int(a, 1));
    node_set_static(o, "municipal_share", node_int(a, 2));
    node_set_static(o, "m", node_int(a, 3));
    node_set_static(o, "", node_int(a, 4));
    for (int i = 0; i < 20; i++) /* past the first member array */
        node_set(o, (char[]){'k', (char)('a' + i), '\0'}, node_int(a, 100 + i));
    node_set_static(o, copy, node_int(a, 5));
    node_set(o, "m", node_int(a, 6));
    node_set_static(o, "", node_int(a, 7));
    cr_assert_eq(kofu_node_size(o), 24);
    cr_expect_str_eq(kofu_node_key_at(o, 1), "municipal_share");
    cr_expect_eq(kofu_node_int(kofu_node_at(o, 0)), 1);
    cr_expect_eq(kofu_node_int(kofu_node_at(o, 1)), 5);
    cr_expect_eq(kofu_node_int(kofu_node_at(o, 2)), 6);
    cr_expect_eq(kofu_node_int(kofu_node_at(o, 3)), 7);
    cr_expect_eq(kofu_node_int(kofu_node_get(o, "municipal_share")), 5);
    cr_expect_eq(kofu_node_int(kofu_node_get(o, "kt")), 119);
    cr_expect_null(kofu_node_get(o, "municipal"));
    cr_expect_null(kofu_node_get(o, "mu"));
    cr_expect_null(kofu_node_get(o, "kz"));
    cr_expect_null(kofu_node_get(o, "x"));
    kofu_node *outer = node_object(a);
    node_set_static(outer, "mu", o);
    cr_expect_eq(kofu_node_int(kofu_node_get(outer, "mu.m")), 6);
    cr_expect_null(kofu_node_get(outer, "m.m"));
    cr_expect_null(kofu_node_get(outer, "mu.municipal"));
    return outer;
}

Test(node, similar_keys_heap)
{
    kofu_node *t = check_similar_keys(NULL);
    kofu_node_free(&t);
}

Test(node, similar_keys_arena)
{
    node_arena *a = node_arena_new();
    cr_assert_not_null(a);
    kofu_node *trees[] = {check_similar_keys(a)};
    cr_expect_not(node_arena_failed(a));
    node_arena_free_trees(a, trees, 1);
}

Test(node, static_strings_are_referenced_and_cloned)
{
    static const char text[] = "parameter_carried_forward";
    kofu_node *s = node_string_static(NULL, text);
    cr_expect_eq(kofu_node_str(s), text);
    kofu_node *c = node_clone(NULL, s);
    cr_expect_str_eq(kofu_node_str(c), text);
    cr_expect_neq(kofu_node_str(c), text);
    kofu_node *n = node_stringn(NULL, "abcdef", 3);
    cr_expect_str_eq(kofu_node_str(n), "abc");
    kofu_node_free(&s);
    kofu_node_free(&c);
    kofu_node_free(&n);
}
