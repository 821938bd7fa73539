/* node.c — the result tree: a small ordered JSON-like value. */
#include "node.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct kofu_node {
    kofu_node_kind kind;
    bool failed;
    union {
        int64_t i;
        bool b;
        char *s;
        struct {
            char **keys; /* NULL for arrays */
            kofu_node **items;
            size_t n, cap;
        } c;
    } u;
};

static kofu_node *node_new(kofu_node_kind kind)
{
    kofu_node *n = calloc(1, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

kofu_node *node_object(void) { return node_new(KOFU_NODE_OBJECT); }
kofu_node *node_array(void) { return node_new(KOFU_NODE_ARRAY); }

kofu_node *node_int(int64_t v)
{
    kofu_node *n = node_new(KOFU_NODE_INT);
    if (n)
        n->u.i = v;
    return n;
}

kofu_node *node_bool(bool v)
{
    kofu_node *n = node_new(KOFU_NODE_BOOL);
    if (n)
        n->u.b = v;
    return n;
}

static kofu_node *node_text(kofu_node_kind kind, const char *s)
{
    kofu_node *n = node_new(kind);
    if (!n)
        return NULL;
    n->u.s = xstrdup(s ? s : "");
    if (!n->u.s) {
        free(n);
        return NULL;
    }
    return n;
}

kofu_node *node_decimal(const char *s) { return node_text(KOFU_NODE_DECIMAL, s); }
kofu_node *node_string(const char *s) { return node_text(KOFU_NODE_STRING, s); }

kofu_node *node_decimal_num(const kofu_num *v)
{
    char *s = num_to_string(v);
    if (!s)
        return NULL;
    kofu_node *n = node_new(KOFU_NODE_DECIMAL);
    if (!n) {
        free(s);
        return NULL;
    }
    n->u.s = s;
    return n;
}

static bool is_container(const kofu_node *n)
{
    return n && (n->kind == KOFU_NODE_OBJECT || n->kind == KOFU_NODE_ARRAY);
}

static bool container_grow(kofu_node *n)
{
    if (n->u.c.n < n->u.c.cap)
        return true;
    size_t cap = n->u.c.cap ? n->u.c.cap * 2 : 4;
    kofu_node **items = realloc(n->u.c.items, cap * sizeof *items);
    if (!items)
        return false;
    n->u.c.items = items;
    if (n->kind == KOFU_NODE_OBJECT) {
        char **keys = realloc(n->u.c.keys, cap * sizeof *keys);
        if (!keys)
            return false;
        n->u.c.keys = keys;
    }
    n->u.c.cap = cap;
    return true;
}

void node_set(kofu_node *obj, const char *key, kofu_node *child)
{
    if (!obj)
        goto drop;
    if (obj->kind != KOFU_NODE_OBJECT || !child) {
        obj->failed = true;
        goto drop;
    }
    if (child->failed)
        obj->failed = true;
    /* The first byte rules out most keys before strcmp (results are built
     * and freed once per evaluation; sweeps make hundreds of thousands). */
    for (size_t i = 0; i < obj->u.c.n; i++) {
        if (obj->u.c.keys[i][0] == key[0] && strcmp(obj->u.c.keys[i], key) == 0) {
            kofu_node_free(&obj->u.c.items[i]);
            obj->u.c.items[i] = child;
            return;
        }
    }
    char *k = xstrdup(key);
    if (!k || !container_grow(obj)) {
        free(k);
        obj->failed = true;
        goto drop;
    }
    obj->u.c.keys[obj->u.c.n] = k;
    obj->u.c.items[obj->u.c.n++] = child;
    return;
drop:
    kofu_node_free(&child);
}

void node_push(kofu_node *arr, kofu_node *child)
{
    if (!arr || arr->kind != KOFU_NODE_ARRAY || !child || !container_grow(arr)) {
        if (arr)
            arr->failed = true;
        kofu_node_free(&child);
        return;
    }
    if (child->failed)
        arr->failed = true;
    arr->u.c.items[arr->u.c.n++] = child;
}

kofu_node *node_get_mut(kofu_node *obj, const char *key)
{
    return (kofu_node *)kofu_node_get(obj, key);
}

bool node_failed(const kofu_node *n)
{
    if (!n)
        return true;
    if (n->failed)
        return true;
    if (is_container(n))
        for (size_t i = 0; i < n->u.c.n; i++)
            if (node_failed(n->u.c.items[i]))
                return true;
    return false;
}

kofu_node *node_clone(const kofu_node *n)
{
    if (!n)
        return NULL;
    switch (n->kind) {
    case KOFU_NODE_INT:
        return node_int(n->u.i);
    case KOFU_NODE_BOOL:
        return node_bool(n->u.b);
    case KOFU_NODE_DECIMAL:
    case KOFU_NODE_STRING:
        return node_text(n->kind, n->u.s);
    case KOFU_NODE_OBJECT:
    case KOFU_NODE_ARRAY:
        break;
    }
    kofu_node *c = node_new(n->kind);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n->u.c.n; i++) {
        if (n->kind == KOFU_NODE_OBJECT)
            node_set(c, n->u.c.keys[i], node_clone(n->u.c.items[i]));
        else
            node_push(c, node_clone(n->u.c.items[i]));
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
    if (is_container(n)) {
        for (size_t i = 0; i < n->u.c.n; i++) {
            if (n->u.c.keys)
                free(n->u.c.keys[i]);
            kofu_node_free(&n->u.c.items[i]);
        }
        free(n->u.c.keys);
        free(n->u.c.items);
    } else if (n->kind == KOFU_NODE_DECIMAL || n->kind == KOFU_NODE_STRING) {
        free(n->u.s);
    }
    free(n);
    *np = NULL;
}

kofu_node_kind kofu_node_type(const kofu_node *n) { return n ? n->kind : KOFU_NODE_OBJECT; }

size_t kofu_node_size(const kofu_node *n) { return is_container(n) ? n->u.c.n : 0; }

const kofu_node *kofu_node_at(const kofu_node *n, size_t i)
{
    return (is_container(n) && i < n->u.c.n) ? n->u.c.items[i] : NULL;
}

const char *kofu_node_key_at(const kofu_node *n, size_t i)
{
    return (n && n->kind == KOFU_NODE_OBJECT && i < n->u.c.n) ? n->u.c.keys[i] : NULL;
}

static const kofu_node *member(const kofu_node *n, const char *key, size_t len)
{
    if (!n || n->kind != KOFU_NODE_OBJECT)
        return NULL;
    for (size_t i = 0; i < n->u.c.n; i++)
        if (strncmp(n->u.c.keys[i], key, len) == 0 && n->u.c.keys[i][len] == '\0')
            return n->u.c.items[i];
    return NULL;
}

const kofu_node *kofu_node_get(const kofu_node *n, const char *path)
{
    while (n && path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        n = member(n, path, len);
        path = dot ? dot + 1 : NULL;
    }
    return n;
}

int64_t kofu_node_int(const kofu_node *n) { return (n && n->kind == KOFU_NODE_INT) ? n->u.i : 0; }

const char *kofu_node_str(const kofu_node *n)
{
    return (n && (n->kind == KOFU_NODE_DECIMAL || n->kind == KOFU_NODE_STRING)) ? n->u.s : "";
}

bool kofu_node_bool(const kofu_node *n) { return n && n->kind == KOFU_NODE_BOOL && n->u.b; }
