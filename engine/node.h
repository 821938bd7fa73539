/*
 * node.h — building the result tree (kofu_node, read through kofu.h).
 *
 * A failed allocation never goes unnoticed: constructors return NULL, and
 * node_set/node_push given a NULL child mark the parent as failed, which
 * propagates to node_failed() of the root, checked once by the evaluator.
 * node_set and node_push take ownership of the child in every case.
 */
#ifndef KOFU_ENGINE_NODE_H
#define KOFU_ENGINE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kofu/kofu.h"
#include "num.h"

/* Nodes come from an arena (see below) or, with a NULL arena, the heap.
 * The arena is passed to every constructor, never held by the thread: a
 * container remembers its own, where its member array grows. */
typedef struct node_arena node_arena;

kofu_node *node_object(node_arena *a);
kofu_node *node_array(node_arena *a);
kofu_node *node_int(node_arena *a, int64_t v);
kofu_node *node_decimal(node_arena *a, const char *s);
kofu_node *node_decimal_num(node_arena *a, const kofu_num *v);
kofu_node *node_string(node_arena *a, const char *s);
/* node_string of the first len bytes of s (no NUL among them). */
kofu_node *node_stringn(node_arena *a, const char *s, size_t len);
/* A string node that refers to s instead of copying it: s must have static
 * storage (a string literal) or be the text of a node of the same arena,
 * since a result may outlive everything else. */
kofu_node *node_string_static(node_arena *a, const char *s);
/* The same for s of len bytes, s[len] its NUL. */
kofu_node *node_string_staticn(node_arena *a, const char *s, size_t len);
kofu_node *node_bool(node_arena *a, bool v);
kofu_node *node_null(node_arena *a);

/* Sets obj[key] = child (replacing an existing member in place). */
void node_set(kofu_node *obj, const char *key, kofu_node *child);
/* node_set for a key with static storage (a string literal, a name in a
 * measure's tables): kept by reference, not copied. */
void node_set_static(kofu_node *obj, const char *key, kofu_node *child);
void node_push(kofu_node *arr, kofu_node *child);
/* obj[key] for a key without dots (kofu_node_get reads a path); NULL when
 * absent or obj is not an object. */
const kofu_node *node_key(const kofu_node *obj, const char *key);
/* Mutable member access for builders; NULL when absent. */
kofu_node *node_get_mut(kofu_node *obj, const char *key);
bool node_failed(const kofu_node *n);
/* Deep copy into a (NULL: the heap); NULL on OOM. */
kofu_node *node_clone(node_arena *a, const kofu_node *n);

/* Nodes an evaluation builds come from its result's arena, which the
 * evaluation passes to every constructor (and a container to its growing
 * member array): a few blocks instead of a malloc per node.
 * kofu_node_free() still walks such a tree (freeing what is not in an arena:
 * copied keys, nodes made elsewhere); node_arena_free() then releases the
 * arena's memory, after every tree in it has been freed or abandoned.
 * The arena also records whether any constructor, or any operation on one of
 * its containers, failed (node_arena_failed, instead of node_failed on each
 * tree) and whether its trees hold anything outside it;
 * node_arena_free_trees() skips the walk when they do not. */
node_arena *node_arena_new(void);
/* true when a is NULL or a node operation on a node of a failed */
bool node_arena_failed(const node_arena *a);
void node_arena_free(node_arena *a);
/* Frees trees[0..n) (set to NULL) and then the arena; a may be NULL. */
void node_arena_free_trees(node_arena *a, kofu_node **trees, size_t n);

#endif
