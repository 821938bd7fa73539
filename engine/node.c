/* node.c — the result tree: a small ordered JSON-like value. */
#include "node.h"
#include "util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* An object's member. Keys the engine writes are string literals, kept by
 * reference (node_set_static); others are copied and owned. */
typedef struct node_member {
    const char *key;
    kofu_node *item;
    uint32_t tag;   /* key_tag(key): most keys differ in their first bytes */
    bool owned;
} node_member;

struct kofu_node {
    kofu_node_kind kind;
    bool failed;
    bool in_arena;           /* the node belongs to an arena                 */
    bool items_in_arena;     /* so does its member / item array              */
    union {
        int64_t i;
        bool b;
        struct { /* DECIMAL, STRING: the text, stored right after the node */
            char *s;
            size_t len;
        };
        struct {
            union {
                node_member *m;     /* OBJECT */
                kofu_node **items;  /* ARRAY  */
            };
            /* The arena the node was made in (NULL: the heap): where its
             * array grows and whose flags its failures set. */
            node_arena *arena;
            size_t n, cap;
            /* OBJECT: one bit per member, key_bit(its tag): a key whose bit
             * is clear is certainly absent, so most insertions and lookups
             * skip the scan of the members. */
            uint64_t bloom;
        } c;
    } u;
};

/* A result holds hundreds of nodes and is built and freed once per
 * evaluation (a batch of 100,000 cases makes tens of millions). An
 * evaluation passes the result's arena to every constructor, and takes nodes
 * and member arrays from it: a few blocks instead of a malloc and a free per
 * node. With a NULL arena (outside an evaluation): one malloc per scalar,
 * the text of a string inside the node's own allocation. Keys that are
 * literals are not copied at all. */
#define ARENA_BLOCK 16384u

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
} arena_block;

struct node_arena {
    arena_block *head;
    bool failed;    /* a node or array of this arena could not be made    */
    bool has_heap;  /* it holds a copied key or a node made elsewhere     */
};

node_arena *node_arena_new(void) { return calloc(1, sizeof(node_arena)); }

bool node_arena_failed(const node_arena *a) { return !a || a->failed; }

static void arena_blocks_free(node_arena *a)
{
    for (arena_block *b = a->head; b;) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void node_arena_free(node_arena *a)
{
    if (a)
        arena_blocks_free(a);
}

void node_arena_free_trees(node_arena *a, kofu_node **trees, size_t n)
{
    if (!a || a->has_heap)
        for (size_t i = 0; i < n; i++)
            kofu_node_free(&trees[i]);
    for (size_t i = 0; i < n; i++)
        trees[i] = NULL;
    node_arena_free(a);
}

/* Every failure of an arena's node is also the arena's: the evaluator then
 * checks one flag instead of walking its trees. */
static void arena_fail(node_arena *a)
{
    if (a)
        a->failed = true;
}

static void mark_failed(kofu_node *n)
{
    if (!n)
        return;
    n->failed = true;
    if (n->kind == KOFU_NODE_OBJECT || n->kind == KOFU_NODE_ARRAY)
        arena_fail(n->u.c.arena);
}

/* A new block for a request that does not fit the current one. */
static __attribute__((noinline)) void *arena_alloc_block(node_arena *a, size_t size)
{
    arena_block *b;
    size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
    b = malloc(sizeof *b + cap);
    if (!b)
        return NULL;
    b->used = 0;
    b->cap = cap;
    if (a->head && cap != ARENA_BLOCK) {
        /* a big one-off: keep filling the current block afterwards */
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    b->used = size;
    return b->data;
}

/* Inlined: a result takes a hundred nodes and arrays from its arena. */
static inline void *arena_alloc(node_arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    arena_block *b = a->head;
    if (!b || b->cap - b->used < size)
        return arena_alloc_block(a, size);
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

static inline __attribute__((always_inline)) kofu_node *node_alloc(node_arena *a, size_t size)
{
    kofu_node *n = a ? arena_alloc(a, size) : malloc(size);
    if (!n) {
        arena_fail(a);
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->in_arena = a != NULL;
    return n;
}

static kofu_node *node_new(node_arena *a, kofu_node_kind kind)
{
    kofu_node *n = node_alloc(a, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

static kofu_node *container_new(node_arena *a, kofu_node_kind kind)
{
    kofu_node *n = node_new(a, kind);
    if (n)
        n->u.c.arena = a;
    return n;
}

/* In an arena, an object comes with room for its first members in the same
 * allocation: most objects are filled at once, and a grown array moves. */
#define OBJECT_FIRST_CAP 8

kofu_node *node_object(node_arena *a)
{
    if (!a)
        return container_new(NULL, KOFU_NODE_OBJECT);
    kofu_node *n = node_alloc(a, sizeof *n + OBJECT_FIRST_CAP * sizeof(node_member));
    if (n) {
        n->kind = KOFU_NODE_OBJECT;
        n->u.c.m = (node_member *)(void *)(n + 1);
        n->u.c.arena = a;
        n->u.c.cap = OBJECT_FIRST_CAP;
        n->items_in_arena = true;
    }
    return n;
}
kofu_node *node_array(node_arena *a) { return container_new(a, KOFU_NODE_ARRAY); }

kofu_node *node_int(node_arena *a, int64_t v)
{
    kofu_node *n = node_new(a, KOFU_NODE_INT);
    if (n)
        n->u.i = v;
    return n;
}

kofu_node *node_null(node_arena *a) { return node_new(a, KOFU_NODE_NULL); }

kofu_node *node_bool(node_arena *a, bool v)
{
    kofu_node *n = node_new(a, KOFU_NODE_BOOL);
    if (n)
        n->u.b = v;
    return n;
}

static kofu_node *node_textn(node_arena *a, kofu_node_kind kind, const char *s, size_t len)
{
    kofu_node *n = node_alloc(a, sizeof *n + len + 1);
    if (!n)
        return NULL;
    n->kind = kind;
    n->u.s = (char *)(n + 1);
    n->u.len = len;
    memcpy(n->u.s, s, len);
    n->u.s[len] = '\0';
    return n;
}

static kofu_node *node_text(node_arena *a, kofu_node_kind kind, const char *s)
{
    if (!s)
        s = "";
    return node_textn(a, kind, s, strlen(s));
}

kofu_node *node_decimal(node_arena *a, const char *s) { return node_text(a, KOFU_NODE_DECIMAL, s); }
kofu_node *node_string(node_arena *a, const char *s) { return node_text(a, KOFU_NODE_STRING, s); }
kofu_node *node_stringn(node_arena *a, const char *s, size_t len)
{
    return node_textn(a, KOFU_NODE_STRING, s, len);
}

kofu_node *node_string_staticn(node_arena *a, const char *s, size_t len)
{
    kofu_node *n = node_new(a, KOFU_NODE_STRING);
    if (n) {
        n->u.s = (char *)s; /* never written nor freed through the node */
        n->u.len = len;
    }
    return n;
}

kofu_node *node_string_static(node_arena *a, const char *s)
{
    return node_string_staticn(a, s, strlen(s));
}

kofu_node *node_decimal_num(node_arena *a, const kofu_num *v)
{
    char small[64];
    size_t n = num_format(v, small, sizeof small);
    if (n < sizeof small)
        return node_textn(a, KOFU_NODE_DECIMAL, small, n);
    char *s = num_to_string(v);
    if (!s) {
        arena_fail(a);
        return NULL;
    }
    kofu_node *node = node_textn(a, KOFU_NODE_DECIMAL, s, n);
    free(s);
    return node;
}

static bool is_container(const kofu_node *n)
{
    return n && (n->kind == KOFU_NODE_OBJECT || n->kind == KOFU_NODE_ARRAY);
}

static __attribute__((noinline)) bool container_grow_slow(kofu_node *n)
{
    /* 8: a trace step (5 members) and most output objects never regrow. */
    size_t cap = n->u.c.cap ? n->u.c.cap * 2 : 8;
    size_t elem = n->kind == KOFU_NODE_OBJECT ? sizeof(node_member) : sizeof(kofu_node *);
    void *old = n->kind == KOFU_NODE_OBJECT ? (void *)n->u.c.m : (void *)n->u.c.items;
    /* Only a node of the arena gets its array there: a heap node must not
     * point into memory that goes with an evaluation's result. */
    node_arena *a = n->u.c.arena;
    void *p;
    if (a || n->items_in_arena) {
        /* the old array stays in its arena until the arena goes */
        p = a ? arena_alloc(a, cap * elem) : malloc(cap * elem);
        if (!p)
            return false;
        if (n->u.c.n)
            memcpy(p, old, n->u.c.n * elem);
        if (!n->items_in_arena)
            free(old);
        n->items_in_arena = a != NULL;
    } else {
        p = realloc(old, cap * elem);
        if (!p)
            return false;
    }
    if (n->kind == KOFU_NODE_OBJECT)
        n->u.c.m = p;
    else
        n->u.c.items = p;
    n->u.c.cap = cap;
    return true;
}

static inline bool container_grow(kofu_node *n)
{
    return n->u.c.n < n->u.c.cap || container_grow_slow(n);
}

/* The first (up to) two bytes of a key of length at most max: equal keys
 * have equal tags. Reads no byte past the key's end nor past max. */
static inline uint32_t key_tag(const char *k, size_t max)
{
    if (max == 0 || !k[0])
        return 0;
    uint32_t t = (unsigned char)k[0];
    if (max > 1)
        t |= (uint32_t)(unsigned char)k[1] << 8;
    return t;
}

static inline uint64_t key_bit(uint32_t tag)
{
    return (uint64_t)1 << ((tag * 2654435761u) >> 26);
}

/* An arena node that takes a copied key or a child made outside the arena
 * makes its arena's trees need a walk when freed. */
static void note_heap_part(const kofu_node *parent, const kofu_node *child, bool copied_key)
{
    if (parent->u.c.arena && (copied_key || !child->in_arena))
        parent->u.c.arena->has_heap = true;
}

static void set_member(kofu_node *obj, const char *key, bool copy, kofu_node *child)
{
    if (!obj || obj->kind != KOFU_NODE_OBJECT || !child) {
        mark_failed(obj);
        goto drop;
    }
    if (child->failed)
        mark_failed(obj);
    uint32_t tag = key_tag(key, SIZE_MAX);
    uint64_t bit = key_bit(tag);
    if (obj->u.c.bloom & bit) {
        for (size_t i = 0; i < obj->u.c.n; i++) {
            node_member *m = &obj->u.c.m[i];
            if (m->tag == tag && (m->key == key || strcmp(m->key, key) == 0)) {
                kofu_node_free(&m->item);
                m->item = child;
                note_heap_part(obj, child, false);
                return;
            }
        }
    }
    char *k = copy ? xstrdup(key) : NULL;
    if ((copy && !k) || !container_grow(obj)) {
        free(k);
        mark_failed(obj);
        goto drop;
    }
    obj->u.c.m[obj->u.c.n++] = (node_member){copy ? k : key, child, tag, copy};
    obj->u.c.bloom |= bit;
    note_heap_part(obj, child, copy);
    return;
drop:
    kofu_node_free(&child);
}

void node_set(kofu_node *obj, const char *key, kofu_node *child)
{
    set_member(obj, key, true, child);
}

void node_set_static(kofu_node *obj, const char *key, kofu_node *child)
{
    /* The common case inline: a new key (its bit clear) into an object
     * with room, a child of the same arena. */
    if (obj && child && obj->kind == KOFU_NODE_OBJECT && !child->failed &&
        obj->u.c.n < obj->u.c.cap && child->in_arena == obj->in_arena) {
        uint32_t tag = key_tag(key, SIZE_MAX);
        uint64_t bit = key_bit(tag);
        if (!(obj->u.c.bloom & bit)) {
            obj->u.c.m[obj->u.c.n++] = (node_member){key, child, tag, false};
            obj->u.c.bloom |= bit;
            return;
        }
    }
    set_member(obj, key, false, child);
}

void node_push(kofu_node *arr, kofu_node *child)
{
    if (!arr || arr->kind != KOFU_NODE_ARRAY || !child || !container_grow(arr)) {
        mark_failed(arr);
        kofu_node_free(&child);
        return;
    }
    if (child->failed)
        mark_failed(arr);
    arr->u.c.items[arr->u.c.n++] = child;
    note_heap_part(arr, child, false);
}

kofu_node *node_get_mut(kofu_node *obj, const char *key)
{
    return (kofu_node *)kofu_node_get(obj, key);
}

static kofu_node *item_at(const kofu_node *n, size_t i)
{
    return n->kind == KOFU_NODE_OBJECT ? n->u.c.m[i].item : n->u.c.items[i];
}

bool node_failed(const kofu_node *n)
{
    if (!n)
        return true;
    if (n->failed)
        return true;
    if (is_container(n))
        for (size_t i = 0; i < n->u.c.n; i++)
            if (node_failed(item_at(n, i)))
                return true;
    return false;
}

kofu_node *node_clone(node_arena *a, const kofu_node *n)
{
    if (!n)
        return NULL;
    switch (n->kind) {
    case KOFU_NODE_INT:
        return node_int(a, n->u.i);
    case KOFU_NODE_BOOL:
        return node_bool(a, n->u.b);
    case KOFU_NODE_NULL:
        return node_null(a);
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING:
        return node_text(a, n->kind, n->u.s);
    case KOFU_NODE_OBJECT:
    case KOFU_NODE_ARRAY:
        break;
    }
    kofu_node *c = container_new(a, n->kind);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n->u.c.n; i++) {
        if (n->kind == KOFU_NODE_OBJECT)
            set_member(c, n->u.c.m[i].key, n->u.c.m[i].owned, node_clone(a, n->u.c.m[i].item));
        else
            node_push(c, node_clone(a, n->u.c.items[i]));
    }
    if (c->failed)
        kofu_node_free(&c);
    return c;
}

void kofu_node_free(kofu_node **np)
{
    if (!np || !*np)
        return;
    kofu_node *n = *np;
    if (n->kind == KOFU_NODE_OBJECT) {
        for (size_t i = 0; i < n->u.c.n; i++) {
            if (n->u.c.m[i].owned)
                free((char *)n->u.c.m[i].key);
            kofu_node_free(&n->u.c.m[i].item);
        }
        if (!n->items_in_arena)
            free(n->u.c.m);
    } else if (n->kind == KOFU_NODE_ARRAY) {
        for (size_t i = 0; i < n->u.c.n; i++)
            kofu_node_free(&n->u.c.items[i]);
        if (!n->items_in_arena)
            free(n->u.c.items);
    }
    if (!n->in_arena)
        free(n); /* a string's text lives in the node's allocation */
    *np = NULL;
}

kofu_node_kind kofu_node_type(const kofu_node *n) { return n ? n->kind : KOFU_NODE_OBJECT; }

size_t kofu_node_size(const kofu_node *n) { return is_container(n) ? n->u.c.n : 0; }

const kofu_node *kofu_node_at(const kofu_node *n, size_t i)
{
    return (is_container(n) && i < n->u.c.n) ? item_at(n, i) : NULL;
}

const char *kofu_node_key_at(const kofu_node *n, size_t i)
{
    return (n && n->kind == KOFU_NODE_OBJECT && i < n->u.c.n) ? n->u.c.m[i].key : NULL;
}

/* obj's member named by the first len bytes of key, or by all of key when
 * len is SIZE_MAX. */
static const kofu_node *member(const kofu_node *n, const char *key, size_t len)
{
    if (!n || n->kind != KOFU_NODE_OBJECT)
        return NULL;
    uint32_t tag = key_tag(key, len);
    if (!(n->u.c.bloom & key_bit(tag)))
        return NULL;
    for (size_t i = 0; i < n->u.c.n; i++) {
        const node_member *m = &n->u.c.m[i];
        if (m->tag == tag && (m->key == key || strncmp(m->key, key, len) == 0) &&
            (len == SIZE_MAX || m->key[len] == '\0'))
            return m->item;
    }
    return NULL;
}

const kofu_node *kofu_node_get(const kofu_node *n, const char *path)
{
    while (n && path) {
        const char *dot = strchr(path, '.');
        if (!dot)
            return node_key(n, path); /* the last (or only) step */
        n = member(n, path, (size_t)(dot - path));
        path = dot + 1;
    }
    return n;
}

const kofu_node *node_key(const kofu_node *obj, const char *key)
{
    return member(obj, key, SIZE_MAX);
}

int64_t kofu_node_int(const kofu_node *n) { return (n && n->kind == KOFU_NODE_INT) ? n->u.i : 0; }

const char *kofu_node_str(const kofu_node *n)
{
    return (n && (n->kind == KOFU_NODE_DECIMAL || n->kind == KOFU_NODE_STRING)) ? n->u.s : "";
}

size_t kofu_node_str_len(const kofu_node *n)
{
    return (n && (n->kind == KOFU_NODE_DECIMAL || n->kind == KOFU_NODE_STRING)) ? n->u.len : 0;
}

bool kofu_node_bool(const kofu_node *n) { return n && n->kind == KOFU_NODE_BOOL && n->u.b; }
