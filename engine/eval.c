/* eval.c — evaluating a case: the measures in registry order, the trace,
 * warnings, totals, and the result tree (docs/output.md). */
#include "eval.h"

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "claims.h"
#include "diag.h"
#include "fy.h"
#include "params.h"
#include "registry.h"
#include "stamp.h"
#include "util.h"

/* Numbers per arena chunk: small enough that a chunk (< 1 KiB) is a small
 * malloc request. A request of 1 KiB or more makes glibc consolidate its fast
 * bins first, which cost a sweep evaluation a quarter of its time. */
#define ARENA_CHUNK 30
#define MAX_PUBLISHED 4

typedef struct num_chunk {
    struct num_chunk *next;
    size_t used;              /* handed out (and initialised) so far         */
    kofu_num nums[ARENA_CHUNK];
} num_chunk;

/* Where the last ev_section() call found its section: measures walk their
 * sections in order (ev_section(ev, name, i) for i = 0, 1, ...), so the
 * next one is searched from there. */
typedef struct section_cursor {
    size_t m;
    const char *def_name;
    size_t i, j;              /* the i-th such section is sections[j]        */
    bool valid;
} section_cursor;

#define WARNED_INLINE 16

/* A warning raised, by code, so that a second one joins it. */
#define MAX_WARNED_CODES 32
typedef struct warned_code {
    const char *code;
    kofu_node *node;          /* the warning object in the result            */
    char *message;            /* its message so far                          */
} warned_code;

/* A rule value the evaluation used that a warning must mention: provisional
 * (no source confirms it: parameter_provisional), or carried forward past the
 * last fiscal year a source confirms (parameter_carried_forward). */
typedef struct noted_param {
    size_t m;                 /* the measure that read it                    */
    const param_def *p;
    const param_value *v;
    bool provisional, carried;
} noted_param;

/* A citation's text, kept until the evaluation ends for its next step that
 * cites the same document at the same place (most steps of a measure do). */
typedef struct cited {
    const char *key;          /* the citation it was made for, as passed     */
    char *citation;           /* a copy of it, which the locator points into */
    const char *locator;
    const source_entry *e;
    char *text;
} cited;

/* Texts that recur in the trace (citations, parameter sources), each copied
 * into the result's arena once per evaluation: later steps point at that
 * copy, and the JSON writer, which remembers strings by address, checks it
 * once. Keys are addresses that stay put, with the same bytes, for the whole
 * evaluation (the rule store's, the citation cache's). */
#define SHARED_SLOTS 64
typedef struct shared_text {
    const char *key, *copy;
    size_t len;
} shared_text;

/* A component's published output (ev_publish). */
typedef struct published {
    const char *component;    /* the component's measure_def name            */
    size_t size;
    max_align_t bytes[(EV_PUBLISH_MAX + sizeof(max_align_t) - 1) / sizeof(max_align_t)];
} published;

struct kofu_eval {
    const kofu_case *c;
    const kofu_rules *rules;
    const kofu_eval_options *opt;
    kofu_diag *diag;
    /* the measure being evaluated */
    size_t m;
    const measure_def *md;
    const measure_rules *mr;
    kofu_node *out;
    /* the whole evaluation */
    kofu_node *warnings;
    kofu_node *findings;
    kofu_node *trace;
    kofu_node *report;        /* measure name → array of report lines        */
    num_chunk *arena;
    node_arena *nodes;        /* the result's nodes (NULL: the heap)         */
    /* What ev_num hands out once memory has run out (see there). */
    kofu_num oom_num;
    bool oom_num_init;
    size_t n_pub;             /* in pub[]                                    */
    char **sources;           /* "FILE:LINE" strings handed to measures      */
    size_t n_sources, cap_sources;
    noted_param *noted;       /* provisional or carried-forward values used  */
    size_t n_noted, cap_noted;
    uint64_t provisional;     /* bit m: measure m's amounts are provisional  */
    size_t n_warned;          /* in warned[]                                 */
    cited *cited;             /* citation texts of this evaluation           */
    size_t n_cited, cap_cited;
    section_cursor *cursor;   /* mutable behind the const of ev_section()    */
    bool oom;
    kofu_status status;
    /* The fixed lists, last: only their counted entries are ever read, so
     * kofu_evaluate leaves these two kilobytes unzeroed (EV_ZEROED). */
    published pub[MAX_PUBLISHED];
    noted_param noted_inline[WARNED_INLINE]; /* noted, until it grows        */
    warned_code warned[MAX_WARNED_CODES]; /* the warnings raised so far      */
    shared_text shared[SHARED_SLOTS]; /* zeroed only when tracing            */
};
#define EV_ZEROED offsetof(kofu_eval, pub)

struct kofu_result {
    kofu_lang lang;
    uint64_t provisional;     /* bit m: registry measure m is provisional    */
    kofu_node *root;
    kofu_node *report;
    node_arena *arena;        /* the nodes of both trees                     */
};

/* ---- the case --------------------------------------------------------- */

int ev_fiscal_year(const kofu_eval *ev) { return ev->c->fy; }
kofu_entity ev_entity(const kofu_eval *ev) { return ev->c->entity; }
kofu_lang ev_lang(const kofu_eval *ev) { return ev->opt->lang; }
bool ev_ok(const kofu_eval *ev) { return !ev->oom; }
bool ev_tracing(const kofu_eval *ev) { return !ev->opt->no_trace; }

/* Measures name their sections with the literal of their own table, which
 * the compiler usually merges with it: the pointer settles most lookups. */
static bool same_name(const char *a, const char *b) { return a == b || strcmp(a, b) == 0; }

size_t ev_count(const kofu_eval *ev, const char *def_name)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->c->n_sections; i++) {
        const case_section *s = &ev->c->sections[i];
        if (s->measure == (int)ev->m && same_name(s->def->name, def_name))
            n++;
    }
    return n;
}

const case_section *ev_section(const kofu_eval *ev, const char *def_name, size_t i)
{
    section_cursor *cur = ev->cursor;
    size_t j = 0, want = i;
    if (cur && cur->valid && cur->m == ev->m && cur->def_name == def_name && cur->i < i) {
        j = cur->j + 1;
        want = i - cur->i - 1;
    }
    for (; j < ev->c->n_sections; j++) {
        const case_section *s = &ev->c->sections[j];
        if (s->measure == (int)ev->m && same_name(s->def->name, def_name) && want-- == 0) {
            if (cur)
                *cur = (section_cursor){ev->m, def_name, i, j, true};
            return s;
        }
    }
    return NULL;
}

/* ---- numbers ------------------------------------------------------------ */

static void chunks_free(num_chunk *ch)
{
    while (ch) {
        num_chunk *next = ch->next;
        for (size_t i = 0; i < ch->used; i++)
            if (ch->nums[i].q) /* only a number that once went big holds memory */
                num_clear(&ch->nums[i]);
        free(ch);
        ch = next;
    }
}

/* A new chunk, or (out of memory) a valid scratch number's chunk-less
 * stand-in: formula code needs no NULL checks, and the evaluation reports
 * ENOMEM at the end. The scratch number belongs to the evaluation (cleared
 * with it), not to the thread. */
static __attribute__((noinline)) kofu_num *num_from_new_chunk(kofu_eval *ev)
{
    num_chunk *ch = malloc(sizeof *ch);
    if (!ch) {
        ev->oom = true;
        if (!ev->oom_num_init) {
            num_init(&ev->oom_num);
            ev->oom_num_init = true;
        }
        return &ev->oom_num;
    }
    ch->used = 1;
    ch->next = ev->arena;
    ev->arena = ch;
    num_init(&ch->nums[0]);
    return &ch->nums[0];
}

kofu_num *ev_num(kofu_eval *ev)
{
    num_chunk *ch = ev->arena;
    if (!ch || ch->used == ARENA_CHUNK)
        return num_from_new_chunk(ev);
    kofu_num *n = &ch->nums[ch->used++];
    num_init(n);
    return n;
}

kofu_num *ev_int(kofu_eval *ev, int64_t v)
{
    kofu_num *n = ev_num(ev);
    num_set_int(n, v);
    return n;
}

kofu_num *ev_copy(kofu_eval *ev, const kofu_num *v)
{
    kofu_num *n = ev_num(ev);
    num_set(n, v);
    return n;
}

/* ---- trace ---------------------------------------------------------------- */

/* Keeps s (malloc'd) until the evaluation ends; false on OOM (s not kept). */
static bool keep_source(kofu_eval *ev, char *s)
{
    if (ev->n_sources == ev->cap_sources) {
        size_t cap = ev->cap_sources ? ev->cap_sources * 2 : 16;
        char **p = realloc(ev->sources, cap * sizeof *p);
        if (!p)
            return false;
        ev->sources = p;
        ev->cap_sources = cap;
    }
    ev->sources[ev->n_sources++] = s;
    return true;
}

/* The step's name, "measure.name", "measure[scope].name" or
 * "measure[].name", as a node: joined on the stack (a trace has a hundred
 * steps a case), on the heap when it is longer. */
static kofu_node *step_name(const kofu_eval *ev, const char *scope, const char *name)
{
    const char *parts[] = {ev->md->name, scope ? "[" : "", scope ? scope : "", scope ? "]" : "",
                           ".", name};
    size_t lens[6], total = 0;
    for (size_t i = 0; i < 6; i++)
        total += lens[i] = strlen(parts[i]);
    char small[128];
    char *buf = total < sizeof small ? small : malloc(total + 1);
    if (!buf)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < 6; i++) {
        memcpy(buf + at, parts[i], lens[i]);
        at += lens[i];
    }
    kofu_node *n = node_stringn(ev->nodes, buf, total);
    if (buf != small)
        free(buf);
    return n;
}

/* A string node for s, which must stay put, unchanged, until the evaluation
 * ends (see shared_text). */
static kofu_node *shared_string(kofu_eval *ev, const char *s)
{
    if (!ev->nodes)
        return node_string(NULL, s);
    shared_text *slot = &ev->shared[((uintptr_t)s >> 3) % SHARED_SLOTS];
    if (slot->key == s)
        return node_string_staticn(ev->nodes, slot->copy, slot->len);
    kofu_node *n = node_string(ev->nodes, s);
    if (n)
        *slot = (shared_text){s, kofu_node_str(n), kofu_node_str_len(n)};
    return n;
}

/* Where a step comes from: the case file ("FILE:LINE", no id), or a
 * citation of the bibliography (its text for people, id, locator, quote). */
typedef struct step_source {
    const char *text, *id, *locator, *quote;
} step_source;

static void trace_add(kofu_eval *ev, const char *scope, const char *name, const kofu_num *value,
                      const char *rule, const step_source *src, const char *status)
{
    if (ev->opt->no_trace)
        return;
    kofu_node *o = node_object(ev->nodes);
    node_set_static(o, "step", step_name(ev, scope, name));
    node_set_static(o, "value", node_decimal_num(ev->nodes, value));
    node_set_static(o, "rule", node_string(ev->nodes, rule));
    if (!src->id) {
        node_set_static(o, "source", node_string(ev->nodes, src->text));
    } else {
        node_set_static(o, "source", shared_string(ev, src->text));
        node_set_static(o, "source_id", shared_string(ev, src->id));
        node_set_static(o, "locator", shared_string(ev, src->locator));
        if (src->quote)
            node_set_static(o, "quote", shared_string(ev, src->quote));
    }
    if (status)
        node_set_static(o, "status", node_string_static(ev->nodes, status));
    node_push(ev->trace, o);
}

/* true when s was handed out by case_source (a place in the case file). */
static bool is_case_source(const kofu_eval *ev, const char *s)
{
    for (size_t i = ev->n_sources; i-- > 0;)
        if (ev->sources[i] == s)
            return true;
    return false;
}

static const char *cited_text(const cited *c, const char **id, const char **locator)
{
    *id = c->e ? c->e->id : NULL;
    *locator = c->locator;
    return c->text;
}

/* The text for people of a code citation "<id> <locator>", kept until the
 * evaluation ends (NULL: no memory). *id and *locator are set to the
 * bibliography's id and the cache's copy of the locator, which last as long.
 * An id missing from the bibliography (the loader checks those the measure
 * declares) is an error of the rule data: the citation itself is the text. */
static const char *cite_text(kofu_eval *ev, const char *citation, const char **id,
                             const char **locator)
{
    /* found by the address it was passed at (formulas cite string literals),
     * the bytes confirming; a citation at another address gets its own entry */
    for (size_t i = 0; i < ev->n_cited; i++)
        if (ev->cited[i].key == citation && strcmp(ev->cited[i].citation, citation) == 0)
            return cited_text(&ev->cited[i], id, locator);
    char idbuf[64];
    const char *loc = source_split(citation, idbuf, sizeof idbuf);
    const source_entry *e = sources_find(&ev->rules->bib, idbuf);
    if (!e && ev->status == KOFU_OK)
        ev->status = diag_add(ev->diag, KOFU_ERULES, ev->rules->bib.file_name, 0, NULL, NULL,
                              "出典 %s がありません（%s の計算式が引用しています）",
                              "source %s is missing (the formula of %s cites it)", idbuf,
                              ev->md->name);
    if (ev->n_cited == ev->cap_cited) {
        size_t cap = ev->cap_cited ? ev->cap_cited * 2 : 16;
        cited *p = realloc(ev->cited, cap * sizeof *p);
        if (!p)
            return NULL;
        ev->cited = p;
        ev->cap_cited = cap;
    }
    char *text = e ? source_cite_text(e, loc, ev->opt->lang) : xstrdup(citation);
    char *copy = xstrdup(citation);
    if (!text || !copy) {
        free(text);
        free(copy);
        return NULL;
    }
    cited *c = &ev->cited[ev->n_cited++];
    *c = (cited){citation, copy, copy + (loc - citation), e, text};
    return cited_text(c, id, locator);
}

const char *ev_cite(kofu_eval *ev, const char *citation)
{
    if (ev->opt->no_trace)
        return "";
    const char *id, *loc;
    const char *t = cite_text(ev, citation, &id, &loc);
    if (!t) {
        ev->oom = true;
        return "";
    }
    return t;
}

static void trace_cited(kofu_eval *ev, const char *scope, const char *name, const kofu_num *value,
                        const char *rule, const char *source)
{
    if (!source)
        source = ev->md->source;
    if (is_case_source(ev, source)) {
        step_source src = {source, NULL, NULL, NULL};
        trace_add(ev, scope, name, value, rule, &src, NULL);
        return;
    }
    step_source src = {NULL, NULL, NULL, NULL};
    const char *text = cite_text(ev, source, &src.id, &src.locator);
    if (!text)
        ev->oom = true;
    src.text = text ? text : "";
    trace_add(ev, scope, name, value, rule, &src, NULL);
}

/* Records a step whose rule the operation below writes from a format. */
static void trace_fmt(kofu_eval *ev, const char *scope, const char *name, const kofu_num *value,
                      const char *source, const char *rule_fmt, ...) KOFU_PRINTF(6, 7);

static void trace_fmt(kofu_eval *ev, const char *scope, const char *name, const kofu_num *value,
                      const char *source, const char *rule_fmt, ...)
{
    va_list ap;
    va_start(ap, rule_fmt);
    char *rule = xvasprintf(rule_fmt, ap);
    va_end(ap);
    if (!rule)
        ev->oom = true;
    trace_cited(ev, scope, name, value, rule ? rule : "", source);
    free(rule);
}

const kofu_num *ev_round(kofu_eval *ev, const char *scope, const char *name, const kofu_num *x,
                         num_rounding how, const char *source)
{
    kofu_num *r = ev_num(ev);
    num_round(r, x, how);
    if (!ev->opt->no_trace) {
        char *xs = num_to_string(x);
        trace_fmt(ev, scope, name, r, source, "%s(%s)", num_rounding_name(how), xs ? xs : "?");
        free(xs);
    }
    return r;
}

/* ---- traced arithmetic: compute, and record the rule from the operands ---- */

static void record_op(kofu_eval *ev, const char *scope, const char *name, const kofu_num *r,
                      const char *source, char *rule)
{
    if (!rule)
        ev->oom = true;
    trace_cited(ev, scope, name, r, rule ? rule : "", source);
    free(rule);
}

/* An operand as the trace names it: "cap", or "[a].expenses". */
static void put_term(strbuf *b, ev_term t)
{
    if (t.scope && t.scope[0])
        sb_printf(b, "[%s].", t.scope);
    sb_puts(b, t.name);
}

/* pre a mid b post: "min(a, b)", "a - b". */
static void record_binary(kofu_eval *ev, const char *scope, const char *name, const kofu_num *r,
                          const char *source, const char *pre, ev_term a, const char *mid,
                          ev_term b, const char *post)
{
    strbuf t = {0};
    sb_puts(&t, pre);
    put_term(&t, a);
    sb_puts(&t, mid);
    put_term(&t, b);
    sb_puts(&t, post);
    record_op(ev, scope, name, r, source, sb_take(&t));
}

/* The two-operand traced operations: r = op(a, b), recorded as
 * pre a mid b post when tracing. */
typedef void (*num_binary)(kofu_num *r, const kofu_num *a, const kofu_num *b);

static const kofu_num *traced_binary(kofu_eval *ev, const char *scope, const char *name,
                                     ev_term a, ev_term b, const char *source, num_binary op,
                                     const char *pre, const char *mid, const char *post)
{
    kofu_num *r = ev_num(ev);
    op(r, a.v, b.v);
    if (ev_tracing(ev))
        record_binary(ev, scope, name, r, source, pre, a, mid, b, post);
    return r;
}

/* max(0, a - b) */
static void num_excess(kofu_num *r, const kofu_num *a, const kofu_num *b)
{
    num_sub(r, a, b);
    if (num_sign(r) < 0)
        num_set_int(r, 0);
}

const kofu_num *ev_min(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source)
{
    return traced_binary(ev, scope, name, a, b, source, num_min, "min(", ", ", ")");
}

const kofu_num *ev_max(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source)
{
    return traced_binary(ev, scope, name, a, b, source, num_max, "max(", ", ", ")");
}

const kofu_num *ev_sub(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source)
{
    return traced_binary(ev, scope, name, a, b, source, num_sub, "", " - ", "");
}

const kofu_num *ev_excess(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                          ev_term b, const char *source)
{
    return traced_binary(ev, scope, name, a, b, source, num_excess, "max(0, ", " - ", ")");
}

const kofu_num *ev_mul(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source)
{
    kofu_num *r = ev_num(ev);
    num_mul(r, a.v, b.v);
    if (ev_tracing(ev))
        record_binary(ev, scope, name, r, source, "", a, " × ", b, "");
    return r;
}

const kofu_num *ev_product(kofu_eval *ev, const char *scope, const char *name,
                           const ev_term *factors, size_t n, ev_term divisor, const char *source)
{
    kofu_num *r = n ? ev_copy(ev, factors[0].v) : ev_int(ev, 1);
    for (size_t i = 1; i < n; i++)
        num_mul(r, r, factors[i].v);
    if (divisor.v)
        num_div(r, r, divisor.v);
    if (!ev_tracing(ev))
        return r;
    strbuf t = {0};
    for (size_t i = 0; i < n; i++) {
        sb_puts(&t, i ? " × " : "");
        put_term(&t, factors[i]);
    }
    if (divisor.v) {
        sb_puts(&t, " ÷ ");
        put_term(&t, divisor);
    }
    record_op(ev, scope, name, r, source, sb_take(&t));
    return r;
}

const kofu_num *ev_min_mul(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                           ev_term b, ev_term f, const char *source)
{
    kofu_num *r = ev_num(ev);
    num_min(r, a.v, b.v);
    num_mul(r, r, f.v);
    if (!ev_tracing(ev))
        return r;
    strbuf t = {0};
    sb_puts(&t, "min(");
    put_term(&t, a);
    sb_puts(&t, ", ");
    put_term(&t, b);
    sb_puts(&t, ") × ");
    put_term(&t, f);
    record_op(ev, scope, name, r, source, sb_take(&t));
    return r;
}

const kofu_num *ev_div(kofu_eval *ev, const char *scope, const char *name, ev_term a, ev_term b,
                       const char *source)
{
    kofu_num *r = ev_num(ev);
    num_div(r, a.v, b.v);
    if (ev_tracing(ev))
        record_binary(ev, scope, name, r, source, "", a, " ÷ ", b, "");
    return r;
}

const kofu_num *ev_sum(kofu_eval *ev, const char *scope, const char *name, const ev_term *terms,
                       size_t n, const char *source)
{
    kofu_num *r = ev_num(ev);
    for (size_t i = 0; i < n; i++)
        if (terms[i].v)
            num_add(r, r, terms[i].v);
    if (!ev_tracing(ev))
        return r;
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (!terms[i].v)
            continue;
        sb_puts(&b, b.len ? " + " : "");
        put_term(&b, terms[i]);
    }
    if (!b.len)
        sb_puts(&b, "0");
    record_op(ev, scope, name, r, source, sb_take(&b));
    return r;
}

void ev_sum_over(kofu_eval *ev, const char *scope, const char *name, const kofu_num *total,
                 const char *items_ja, const char *items_en, const char *of, const char *source)
{
    if (!ev_tracing(ev))
        return;
    record_op(ev, scope, name, total, source,
              ev->opt->lang == KOFU_LANG_EN ? xasprintf("sum of the %s' %s", items_en, of)
                                            : xasprintf("各%sの %s の合計", items_ja, of));
}

const kofu_num *ev_let(kofu_eval *ev, const char *scope, const char *name, ev_term a,
                       const char *source)
{
    if (ev_tracing(ev)) {
        strbuf t = {0};
        put_term(&t, a);
        record_op(ev, scope, name, a.v, source, sb_take(&t));
    }
    return a.v;
}

/* ---- reading the case: traced with the file and line ------------------------ */

/* The source of a value read from the case file: "FILE:LINE" of the key (or
 * of the section when the key is absent or NULL), kept by the evaluation,
 * which is how the trace knows it is no citation (is_case_source). */
static const char *case_source(kofu_eval *ev, const case_section *s, const char *key)
{
    if (ev->opt->no_trace)
        return "";
    int line = s ? (key ? sec_key_line(s, key) : sec_line(s)) : 0;
    char cell[32];
    char *src = line > 0 ? xasprintf("%s:%d", ev->c->file, line)
                : line < 0 && diag_cell_ref(line, cell, sizeof cell)
                    ? xasprintf("%s:%s", ev->c->file, cell) /* a case table's cell */
                    : xstrdup(ev->c->file);
    if (!src || !keep_source(ev, src)) {
        free(src);
        ev->oom = true;
        return "";
    }
    return src;
}

const kofu_num *ev_case_value_as(kofu_eval *ev, const case_section *s, const char *scope,
                                 const char *name, const char *key, const kofu_num *dflt,
                                 const char *dflt_name)
{
    const kofu_num *v = sec_num(s, key);
    if (ev->opt->no_trace || (!v && !dflt))
        return v ? v : dflt;
    if (v)
        trace_fmt(ev, scope, name, v, case_source(ev, s, key), "[%s] %s", sec_name(s), key);
    else
        trace_fmt(ev, scope, name, dflt, case_source(ev, s, NULL),
                  EV_TR(ev, "[%s] %s（指定なし: %s）", "[%s] %s (not given: %s)"), sec_name(s), key,
                  dflt_name);
    return v ? v : dflt;
}

const kofu_num *ev_case_value(kofu_eval *ev, const case_section *s, const char *scope,
                              const char *key, const kofu_num *dflt, const char *dflt_name)
{
    if (ev->opt->no_trace) { /* the sweep's path: a lookup and nothing else */
        const kofu_num *v = sec_num(s, key);
        return v ? v : dflt;
    }
    return ev_case_value_as(ev, s, scope, key, key, dflt, dflt_name);
}

void ev_case_months_to_march(kofu_eval *ev, const case_section *s, const char *scope,
                             const char *name, const char *key, const kofu_num *months)
{
    if (ev->opt->no_trace)
        return;
    trace_fmt(ev, scope, name, months, case_source(ev, s, key),
              EV_TR(ev, "[%s] %s = %s: その月から3月までの月数",
                    "[%s] %s = %s: the months from it through March"),
              sec_name(s), key, sec_raw(s, key));
}

const kofu_num *ev_case_zero(kofu_eval *ev, const case_section *s, const char *scope,
                             const char *name, const char *key, const char *source)
{
    const kofu_num *zero = ev_num(ev);
    if (ev->opt->no_trace)
        return zero;
    const char *raw = sec_raw(s, key);
    if (raw)
        trace_fmt(ev, scope, name, zero, source, EV_TR(ev, "0（[%s] %s = %s）", "0 ([%s] %s = %s)"),
                  sec_name(s), key, raw);
    else
        trace_fmt(ev, scope, name, zero, source,
                  EV_TR(ev, "0（[%s] %s の指定なし）", "0 ([%s] %s not given)"), sec_name(s), key);
    return zero;
}

/* ---- report lines for people ------------------------------------------------ */

static void report_line(kofu_eval *ev, int indent, const char *label, const kofu_num *num,
                        bool as_value, const char *note_fmt, va_list ap) KOFU_PRINTF(6, 0);

static void report_line(kofu_eval *ev, int indent, const char *label, const kofu_num *num,
                        bool as_value, const char *note_fmt, va_list ap)
{
    if (ev->opt->no_trace || ev->opt->no_report)
        return;
    kofu_node *lines = node_get_mut(ev->report, ev->md->name);
    if (!lines) {
        node_set_static(ev->report, ev->md->name, node_array(ev->nodes));
        lines = node_get_mut(ev->report, ev->md->name);
    }
    kofu_node *line = node_object(ev->nodes);
    node_set_static(line, "indent", node_int(ev->nodes, indent));
    node_set_static(line, "label", node_string(ev->nodes, label));
    if (num) {
        int64_t v;
        if (!as_value && num_to_int64(num, &v) && num_is_integer(num))
            node_set_static(line, "amount", node_int(ev->nodes, v));
        else
            node_set_static(line, "value", node_decimal_num(ev->nodes, num));
    }
    if (note_fmt) {
        char *note = xvasprintf(note_fmt, ap);
        node_set_static(line, "note", note ? node_string(ev->nodes, note) : NULL);
        free(note);
    }
    node_push(lines, line);
}

void ev_report(kofu_eval *ev, int indent, const char *label, const kofu_num *amount,
               const char *note_fmt, ...)
{
    va_list ap;
    va_start(ap, note_fmt);
    report_line(ev, indent, label, amount, false, note_fmt, ap);
    va_end(ap);
}

void ev_report_value(kofu_eval *ev, int indent, const char *label, const kofu_num *value,
                     const char *note_fmt, ...)
{
    va_list ap;
    va_start(ap, note_fmt);
    report_line(ev, indent, label, value, true, note_fmt, ap);
    va_end(ap);
}

/* ---- warnings ------------------------------------------------------------- */

/* code: a string literal (every caller's is), kept by reference. A code
 * raised again (a second organization's renovation) joins the first
 * warning's message: no code appears twice in one result. */
static void warn_textn(kofu_eval *ev, const char *code, const char *msg, size_t len)
{
    for (size_t i = 0; i < ev->n_warned; i++) {
        warned_code *wc = &ev->warned[i];
        if (strcmp(wc->code, code) != 0)
            continue;
        char *joined = xasprintf("%s%s%.*s", wc->message,
                                 ev->opt->lang == KOFU_LANG_EN ? "; " : "／", (int)len, msg);
        if (!joined) {
            ev->oom = true;
            return;
        }
        free(wc->message);
        wc->message = joined;
        node_set_static(wc->node, "message", node_string(ev->nodes, joined));
        return;
    }
    kofu_node *w = node_object(ev->nodes);
    node_set_static(w, "code", node_string_static(ev->nodes, code));
    node_set_static(w, "message", node_stringn(ev->nodes, msg, len));
    node_push(ev->warnings, w);
    if (ev->n_warned < MAX_WARNED_CODES && w) {
        char *copy = xstrndup(msg, len);
        if (!copy)
            ev->oom = true;
        else
            ev->warned[ev->n_warned++] = (warned_code){code, w, copy};
    }
}

static void warn_text(kofu_eval *ev, const char *code, const char *msg)
{
    warn_textn(ev, code, msg ? msg : "", msg ? strlen(msg) : 0);
}

void (ev_warn)(kofu_eval *ev, const char *code, const char *fmt_ja, const char *fmt_en, ...)
{
    va_list ap;
    va_start(ap, fmt_en);
    char *msg = tr_vformat(ev->opt->lang, fmt_ja, fmt_en, ap);
    va_end(ap);
    if (!msg)
        ev->oom = true;
    warn_text(ev, code, msg);
    free(msg);
    /* assumptions that make the measure's amounts provisional */
    if ((strcmp(code, "taper_provisional") == 0 || strcmp(code, "cap_basis_provisional") == 0) &&
        ev->m < 64)
        ev->provisional |= (uint64_t)1 << ev->m;
}

/* ---- findings ------------------------------------------------------------- */

static const param_value *lookup(kofu_eval *ev, const char *name, const param_def **pd);
static char *tr_format(kofu_lang lang, const char *fmt_ja, const char *fmt_en, ...)
    KOFU_PRINTF2(2, 4);

static void finding_add(kofu_eval *ev, const char *code, const char *measure,
                        const char *subject, const char *rule, const char *source,
                        const char *msg)
{
    kofu_node *f = node_object(ev->nodes);
    node_set_static(f, "code", node_string_static(ev->nodes, code));
    node_set_static(f, "measure", node_string(ev->nodes, measure));
    node_set_static(f, "subject", node_string(ev->nodes, subject ? subject : ""));
    node_set_static(f, "message", node_string(ev->nodes, msg ? msg : ""));
    node_set_static(f, "rule", node_string(ev->nodes, rule ? rule : ""));
    node_set_static(f, "source", node_string(ev->nodes, source ? source : ""));
    node_push(ev->findings, f);
}

void ev_finding(kofu_eval *ev, const char *code, const char *subject, const char *param,
                const char *rule, const char *fmt_ja, const char *fmt_en, ...)
{
    va_list ap;
    va_start(ap, fmt_en);
    char *msg = tr_vformat(ev->opt->lang, fmt_ja, fmt_en, ap);
    va_end(ap);
    if (!msg)
        ev->oom = true;
    /* the citation for people: the parameter's, else the formula's */
    const char *source = NULL;
    if (param) {
        const param_def *p;
        const param_value *v = lookup(ev, param, &p);
        if (v)
            source = v->cite_text[ev->opt->lang == KOFU_LANG_EN];
    }
    if (!source) {
        const char *id, *loc;
        source = cite_text(ev, ev->md->source, &id, &loc);
        if (!source)
            ev->oom = true;
    }
    finding_add(ev, code, ev->md->name, subject, rule, source, msg);
    free(msg);
}

/* The same case id in two files of one run: the same claim submitted twice,
 * or a copied file whose id was not changed. */
static void finding_duplicate(kofu_eval *ev, const char *first)
{
    char *msg = tr_format(ev->opt->lang,
                          "ケースID %s は、同じ実行のファイル %s でも使われています（同じ申請の二重提出か、"
                          "複製したファイルの ID の変え忘れです）",
                          "case id %s is also used by %s in this run (the same claim submitted "
                          "twice, or a copied file whose id was not changed)",
                          ev->c->id ? ev->c->id : "", first);
    if (!msg)
        ev->oom = true;
    finding_add(ev, "duplicate_case_id", "case", first,
                ev->opt->lang == KOFU_LANG_EN ? "[case] id unique within a run"
                                              : "[case] id は1回の実行の中で重複しない",
                ev->opt->lang == KOFU_LANG_EN
                    ? "kofu: one case file per claim; the id names the claim in every report"
                    : "kofu: 1件の申請に1つのケースファイル。ID はすべての報告で申請を特定します",
                msg);
    free(msg);
}

/* ---- rule data -------------------------------------------------------------- */

/* Remembers that the measure used v (of p), when a warning must say so;
 * each parameter once. A table's provisional shape is the measure's to
 * explain (taper_provisional) unless no source confirms the table at all. */
static void note_param(kofu_eval *ev, const param_def *p, const param_value *v, bool is_table)
{
    bool provisional = v->provisional && (!is_table || v->confirmed_through == 0);
    bool carried = v->confirmed_through != 0 && v->confirmed_through < ev->c->fy;
    if (!provisional && !carried)
        return;
    for (size_t i = 0; i < ev->n_noted; i++)
        if (ev->noted[i].p == p)
            return;
    if (!ev->noted) {
        ev->noted = ev->noted_inline;
        ev->cap_noted = WARNED_INLINE;
    }
    if (ev->n_noted == ev->cap_noted) {
        size_t cap = ev->cap_noted * 2;
        noted_param *w = ev->noted == ev->noted_inline ? malloc(cap * sizeof *w)
                                                        : realloc(ev->noted, cap * sizeof *w);
        if (!w) {
            ev->oom = true;
            return;
        }
        if (ev->noted == ev->noted_inline)
            memcpy(w, ev->noted_inline, sizeof ev->noted_inline);
        ev->noted = w;
        ev->cap_noted = cap;
    }
    ev->noted[ev->n_noted++] = (noted_param){ev->m, p, v, provisional, carried};
    if (provisional && ev->m < 64)
        ev->provisional |= (uint64_t)1 << ev->m;
}

static char *tr_format(kofu_lang lang, const char *fmt_ja, const char *fmt_en, ...)
    KOFU_PRINTF2(2, 4);

static char *tr_format(kofu_lang lang, const char *fmt_ja, const char *fmt_en, ...)
{
    va_list ap;
    va_start(ap, fmt_en);
    char *msg = tr_vformat(lang, fmt_ja, fmt_en, ap);
    va_end(ap);
    return msg;
}

enum { NOTE_PROVISIONAL, NOTE_CARRIED };

/* A provisional value is reported as provisional only, not carried forward. */
static bool note_is(const noted_param *n, int kind)
{
    return kind == NOTE_PROVISIONAL ? n->provisional : n->carried && !n->provisional;
}

/* "label — cap_base（交付対象経費の上限額（基本））、add_ict（…）": the
 * provisional values of measure m. */
static void provisional_group(strbuf *b, const kofu_eval *ev, size_t m, bool en)
{
    const measure_def *md = registry_at(m);
    sb_printf(b, "%s — ", en ? md->label_en : md->label_ja);
    bool first = true;
    for (size_t i = 0; i < ev->n_noted; i++) {
        const noted_param *n = &ev->noted[i];
        if (n->m != m || !note_is(n, NOTE_PROVISIONAL))
            continue;
        sb_printf(b, en ? "%s%s (%s)" : "%s%s（%s）", first ? "" : (en ? ", " : "、"), n->p->name,
                  en ? n->p->label_en : n->p->label_ja);
        first = false;
    }
}

/* "label — a・b（令和7年度 (FY2025)まで確認）、c（令和4年度 (FY2022)まで確認）":
 * measure m's carried-forward values grouped by their last confirmed year. */
static void carried_group(strbuf *b, const kofu_eval *ev, size_t m, bool en)
{
    const measure_def *md = registry_at(m);
    sb_printf(b, "%s — ", en ? md->label_en : md->label_ja);
    bool first_year = true;
    for (size_t i = 0; i < ev->n_noted; i++) {
        const noted_param *n = &ev->noted[i];
        if (n->m != m || !note_is(n, NOTE_CARRIED))
            continue;
        bool seen = false; /* this year already listed with an earlier value */
        for (size_t j = 0; j < i && !seen; j++)
            seen = ev->noted[j].m == m && note_is(&ev->noted[j], NOTE_CARRIED) &&
                   ev->noted[j].v->confirmed_through == n->v->confirmed_through;
        if (seen)
            continue;
        if (!first_year)
            sb_puts(b, en ? "; " : "、");
        first_year = false;
        bool first = true;
        for (size_t j = i; j < ev->n_noted; j++) {
            const noted_param *o = &ev->noted[j];
            if (o->m != m || !note_is(o, NOTE_CARRIED) ||
                o->v->confirmed_through != n->v->confirmed_through)
                continue;
            sb_printf(b, "%s%s", first ? "" : (en ? ", " : "・"), o->p->name);
            first = false;
        }
        char through[64];
        if (en)
            fy_format_en(n->v->confirmed_through, through, sizeof through);
        else
            fy_format_ja(n->v->confirmed_through, through, sizeof through);
        sb_printf(b, en ? " (confirmed through %s)" : "（%sまで確認）", through);
    }
}

/* One message for all the noted values of a kind, measure by measure. */
static char *noted_text(const kofu_eval *ev, int kind)
{
    bool en = ev->opt->lang == KOFU_LANG_EN;
    strbuf list = {0};
    uint64_t done = 0;
    for (size_t i = 0; i < ev->n_noted; i++) {
        size_t m = ev->noted[i].m;
        if (!note_is(&ev->noted[i], kind) || (m < 64 && (done >> m) & 1))
            continue;
        if (done)
            sb_puts(&list, en ? "; " : "／");
        if (m < 64)
            done |= (uint64_t)1 << m;
        if (kind == NOTE_PROVISIONAL)
            provisional_group(&list, ev, m, en);
        else
            carried_group(&list, ev, m, en);
    }
    char *items = sb_take(&list);
    if (!items)
        return NULL;
    char fy[64];
    if (en)
        fy_format_en(ev->c->fy, fy, sizeof fy);
    else
        fy_format_ja(ev->c->fy, fy, sizeof fy);
    char *msg;
    if (kind == NOTE_PROVISIONAL)
        msg = tr_format(ev->opt->lang,
                        "資料で確かめられない暫定値を使っています（kofu の解釈、docs/interpretations.md）: "
                        "%s。この措置の金額は【暫定】です。確かな値が分かれば kofu rules --export DIR で"
                        "書き出して直し、--rules DIR で計算してください",
                        "provisional values no source confirms are used (kofu's reading, "
                        "docs/interpretations.md): %s; this measure's amounts are provisional. Where "
                        "the value is known, export the rule data (kofu rules --export DIR), correct "
                        "it and compute with --rules DIR",
                        items);
    else
        msg = tr_format(ev->opt->lang,
                        "%sの値を確かめた資料がないため、最後に確認された値を据え置いています: %s。"
                        "%sの省令・要綱で確かめ、異なる値は kofu rules --export DIR で書き出して直し、"
                        "--rules DIR で計算してください",
                        "no source confirms these values for %s, so their last confirmed values are "
                        "carried forward: %s. Check them against %s's 省令 or 要綱; where they "
                        "differ, export the rule data (kofu rules --export DIR), correct them and "
                        "compute with --rules DIR",
                        fy, items, fy);
    free(items);
    return msg;
}

/* parameter_provisional, then parameter_carried_forward: one warning each,
 * listing every value of that kind the evaluation used, measure by measure. */
static void warn_noted(kofu_eval *ev)
{
    static const char *const codes[] = {"parameter_provisional", "parameter_carried_forward"};
    for (int kind = NOTE_PROVISIONAL; kind <= NOTE_CARRIED; kind++) {
        bool any = false;
        for (size_t i = 0; i < ev->n_noted && !any; i++)
            any = note_is(&ev->noted[i], kind);
        if (!any)
            continue;
        char *msg = noted_text(ev, kind);
        if (!msg)
            ev->oom = true;
        warn_text(ev, codes[kind], msg);
        free(msg);
    }
}

static const param_value *lookup(kofu_eval *ev, const char *name, const param_def **pd)
{
    *pd = rules_param(ev->mr, name);
    const param_value *v = *pd ? param_at(*pd, ev->c->fy) : NULL;
    if (!v && ev->status == KOFU_OK) {
        /* The loader checked every parameter against the fiscal year, so this
         * is a measure asking for a parameter it did not declare. */
        ev->status = diag_add(ev->diag, KOFU_EINTERNAL, ev->c->file, 0, ev->md->name, name,
                              "パラメータ %s が見つかりません", "parameter %s not found", name);
    }
    return v;
}

/* The unit of rule data as people read it. */
static const char *unit_text(const char *unit, bool en)
{
    if (strcmp(unit, "yen") == 0)
        return en ? "yen" : "円";
    if (strcmp(unit, "ratio") == 0)
        return en ? "ratio" : "比率";
    if (strcmp(unit, "choice") == 0)
        return en ? "choice" : "選択";
    return unit;
}

/* "rules/network.params [cap_base.2021]（R3〜、交付対象経費の上限額（基本）、円）":
 * the file actually read, the dated section, and what the value is. */
static char *param_rule(const kofu_eval *ev, const param_def *p, const param_value *v,
                        const char *extra)
{
    char from[32];
    bool en = ev->opt->lang == KOFU_LANG_EN;
    fy_format_era(v->from_fy, from, sizeof from);
    return xasprintf(en ? "%s [%s.%d] (%s-, %s, %s)%s" : "%s [%s.%d]（%s〜、%s、%s）%s",
                     ev->mr->file_name, p->name, v->from_fy, from, en ? p->label_en : p->label_ja,
                     unit_text(p->unit, en), extra ? extra : "");
}

/* A dated value's citations, as the rule data give them. */
static step_source param_source(const kofu_eval *ev, const param_value *v)
{
    step_source src = {v->cite_text[ev->opt->lang == KOFU_LANG_EN], v->cites[0].source_id,
                       v->cites[0].locator, v->cites[0].quote};
    return src;
}

const kofu_num *ev_param(kofu_eval *ev, const char *scope, const char *name)
{
    const param_def *p;
    const param_value *v = lookup(ev, name, &p);
    if (!v)
        return ev_num(ev);
    note_param(ev, p, v, false);
    if (!ev->opt->no_trace) {
        char *rule = param_rule(ev, p, v, NULL);
        step_source src = param_source(ev, v);
        trace_add(ev, scope, name, &v->value, rule ? rule : "", &src,
                  v->provisional ? "provisional" : "confirmed");
        free(rule);
    }
    return &v->value;
}

const kofu_num *ev_table(kofu_eval *ev, const char *scope, const char *name, const kofu_num *x)
{
    const param_def *p;
    const param_value *v = lookup(ev, name, &p);
    kofu_num *y = ev_num(ev);
    if (!v)
        return y;
    note_param(ev, p, v, true);
    param_table_apply(v, x, y);
    if (!ev->opt->no_trace) {
        char *xs = num_to_string(x);
        bool en = ev->opt->lang == KOFU_LANG_EN, step = v->interp == INTERP_STEP;
        char *extra = en ? xasprintf(": %s table {%s} at %s%s%s", step ? "step" : "linear",
                                     v->points_text, xs ? xs : "?", v->rounded ? ", then " : "",
                                     v->rounded ? num_rounding_name(v->rounding) : "")
                         : xasprintf("：%sの表 {%s} を %s で引く%s%s",
                                     step ? "階段状" : "線形補間", v->points_text, xs ? xs : "?",
                                     v->rounded ? "。その後 " : "",
                                     v->rounded ? num_rounding_name(v->rounding) : "");
        char *rule = param_rule(ev, p, v, extra);
        step_source src = param_source(ev, v);
        trace_add(ev, scope, name, y, rule ? rule : "", &src,
                  v->provisional ? "provisional" : "confirmed");
        free(rule);
        free(extra);
        free(xs);
    }
    return y;
}

const kofu_num *ev_table_unrounded(kofu_eval *ev, const char *name, const kofu_num *x)
{
    const param_def *p;
    const param_value *v = lookup(ev, name, &p);
    kofu_num *y = ev_num(ev);
    if (!v)
        return y;
    param_value raw = *v;
    raw.rounded = false;
    param_table_apply(&raw, x, y);
    return y;
}

const char *ev_param_choice(kofu_eval *ev, const char *scope, const char *name)
{
    const param_def *p;
    const param_value *v = lookup(ev, name, &p);
    if (!v)
        return "";
    note_param(ev, p, v, true); /* a provisional reading: the measure explains it */
    if (!ev->opt->no_trace) {
        char *extra = xasprintf(" = %s", v->points_text);
        char *rule = param_rule(ev, p, v, extra);
        step_source src = param_source(ev, v);
        trace_add(ev, scope, name, &v->value, rule ? rule : "", &src,
                  v->provisional ? "provisional" : "confirmed");
        free(rule);
        free(extra);
    }
    return v->points_text;
}

bool ev_param_provisional(kofu_eval *ev, const char *name)
{
    const param_def *p;
    const param_value *v = lookup(ev, name, &p);
    return v && v->provisional;
}

/* ---- output ------------------------------------------------------------------ */

kofu_node *ev_out(kofu_eval *ev) { return ev->out; }
node_arena *ev_nodes(kofu_eval *ev) { return ev->nodes; }

/* The case's amounts are whole and bounded, so the rule data made a
 * fractional amount (the loader's checks cannot foresee every product):
 * exit 4, naming the measure's rule file and its parameters, never the case.
 * Out of line: ev_put_amount runs some twenty times per evaluation. */
static __attribute__((noinline, cold)) void amount_not_whole(kofu_eval *ev, const char *key,
                                                             const kofu_num *v)
{
    char *s = num_to_string(v);
    char names[256] = "";
    for (const param_decl *d = ev->md->params; d && d->name; d++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                 names[0] ? ", " : "", d->name);
    ev->status = diag_add(ev->diag, KOFU_ERULES, ev->mr->file_name, 0, ev->md->name, key,
                          "ルールデータによる計算で、金額が円の整数になりません: %s（%s のパラメータ: %s）",
                          "the rule data make this amount leave whole yen: %s (parameters of %s: %s)",
                          s ? s : "?", ev->md->name, names[0] ? names : "-");
    free(s);
}

void ev_put_amount(kofu_eval *ev, kofu_node *obj, const char *key, const kofu_num *v)
{
    int64_t i;
    if (num_to_int64(v, &i))
        node_set_static(obj, key, node_int(ev->nodes, i));
    else
        amount_not_whole(ev, key, v);
}

void ev_put_decimal(kofu_eval *ev, kofu_node *obj, const char *key, const kofu_num *v)
{
    (void)ev;
    node_set_static(obj, key, node_decimal_num(ev->nodes, v));
}

void ev_put_name(kofu_eval *ev, kofu_node *obj, const case_section *s)
{
    (void)ev;
    const char *name = sec_raw(s, "name");
    if (name && name[0])
        node_set_static(obj, "name", node_string(ev->nodes, name));
}

const char *ev_section_title(const case_section *s)
{
    const char *name = sec_raw(s, "name");
    return name && name[0] ? name : sec_id(s);
}

void ev_publish(kofu_eval *ev, const void *out, size_t size)
{
    if (size > EV_PUBLISH_MAX || ev->n_pub == MAX_PUBLISHED) {
        ev->status = diag_add(ev->diag, KOFU_EINTERNAL, ev->c->file, 0, ev->md->name, NULL,
                              "公開する値が大きすぎます", "published output too large");
        return;
    }
    published *p = &ev->pub[ev->n_pub++];
    p->component = ev->md->name;
    p->size = size;
    memcpy(p->bytes, out, size);
}

const void *ev_published(const kofu_eval *ev, const char *component)
{
    for (size_t i = 0; i < ev->n_pub; i++)
        if (strcmp(ev->pub[i].component, component) == 0)
            return ev->pub[i].bytes;
    return NULL;
}

kofu_status (ev_error)(kofu_eval *ev, const case_section *s, const char *key, const char *fmt_ja,
                     const char *fmt_en, ...)
{
    va_list ap;
    va_start(ap, fmt_en);
    diag_vadd(ev->diag, KOFU_ECASE, ev->c->file, s ? sec_key_line(s, key ? key : "") : 0,
              s ? s->name : ev->md->name, key, fmt_ja, fmt_en, ap);
    va_end(ap);
    if (ev->status == KOFU_OK)
        ev->status = KOFU_ECASE;
    return KOFU_ECASE;
}

/* ---- the evaluation ------------------------------------------------------------ */

/* Rules read from a directory whose values differ from the built-in data:
 * one warning naming the directory and every changed parameter. */
static void warn_rules_edited(kofu_eval *ev)
{
    bool en = ev->opt->lang == KOFU_LANG_EN;
    strbuf b = {0};
    for (size_t i = 0; i < ev->rules->n_edits; i++)
        sb_printf(&b, "%s%s", i ? (en ? "; " : "／") : "", ev->rules->edits[i].text[en]);
    char *list = sb_take(&b);
    ev_warn(ev, "rules_edited",
            "%s のルールデータは組み込みの値と異なります: %s。結果はこの値によるもので、"
            "組み込みのルールデータによる結果とは異なります",
            "the rule data in %s differ from the built-in values: %s; the results follow "
            "these values, not the built-in ones",
            ev->rules->dir, list ? list : "?");
    if (!list)
        ev->oom = true;
    free(list);
}

static void add_totals(kofu_eval *ev, const kofu_node *measures, kofu_node *root)
{
    int64_t special = 0, national = 0;
    for (size_t m = 0; m < registry_count(); m++) {
        const measure_def *md = registry_at(m);
        const kofu_node *obj = node_key(measures, md->name);
        if (!obj)
            continue;
        for (const output_def *o = md->outputs; o && o->name; o++) {
            if (!(o->flags & (OUT_TOTAL_SPECIAL | OUT_TOTAL_NATIONAL)))
                continue;
            int64_t v = kofu_node_int(node_key(obj, o->name));
            if (o->flags & OUT_TOTAL_SPECIAL)
                special += v;
            if (o->flags & OUT_TOTAL_NATIONAL)
                national += v;
        }
    }
    kofu_node *totals = node_object(ev->nodes);
    node_set_static(totals, "special_tax_grant", node_int(ev->nodes, special));
    node_set_static(totals, "national_grant", node_int(ev->nodes, national));
    node_set_static(root, "totals", totals);
    (void)ev;
}

static kofu_status run_measure(kofu_eval *ev, size_t m, kofu_node *root, kofu_node *measures)
{
    ev->m = m;
    ev->md = registry_at(m);
    ev->mr = rules_for(ev->rules, m);
    ev->out = node_object(ev->nodes);
    if (!ev->out)
        return KOFU_ENOMEM;
    kofu_status st = ev->md->evaluate(ev);
    if (st == KOFU_OK)
        st = ev->status;
    if (ev->md->flags & MEASURE_COMPONENT)
        node_set_static(root, ev->md->name, ev->out);
    else
        node_set_static(measures, ev->md->name, ev->out);
    ev->out = NULL;
    return st;
}

static kofu_node *root_header(node_arena *a, const kofu_case *c)
{
    kofu_node *root = node_object(a);
    node_set_static(root, "format", node_string_static(a, "kofu-result/1"));
    node_set_static(root, "case", node_string(a, c->id ? c->id : ""));
    node_set_static(root, "fiscal_year", node_int(a, c->fy));
    node_set_static(root, "entity", node_string_static(a, entity_name(c->entity)));
    return root;
}

kofu_status kofu_evaluate(const kofu_rules *rules, const kofu_case *c,
                          const kofu_eval_options *opt, kofu_diag *diag, kofu_result **out)
{
    static const kofu_eval_options defaults = {.lang = KOFU_LANG_JA};
    if (!rules || !c || !out)
        return KOFU_EUSAGE;
    *out = NULL;
    if (!opt)
        opt = &defaults;
    int64_t now = opt->computed_at;
    if (now == 0) {
        kofu_status cst = kofu_clock(diag, &now);
        if (cst != KOFU_OK)
            return cst;
    }
    section_cursor cursor = {0};
    kofu_eval ev;
    memset(&ev, 0, EV_ZEROED);
    if (!opt->no_trace)
        memset(ev.shared, 0, sizeof ev.shared);
    ev.c = c;
    ev.rules = rules;
    ev.opt = opt;
    ev.diag = diag;
    ev.cursor = &cursor;
    /* Without an arena (no memory for it) nodes are simply malloc'd. */
    node_arena *arena = node_arena_new();
    ev.nodes = arena;
    kofu_node *root = root_header(arena, c);
    kofu_node *measures = node_object(arena);
    ev.warnings = node_array(arena);
    ev.findings = node_array(arena);
    ev.trace = node_array(arena);
    ev.report = node_object(arena);
    kofu_status st = (root && measures && ev.warnings && ev.findings && ev.trace && ev.report) ? KOFU_OK : KOFU_ENOMEM;
    if (st == KOFU_OK && rules->n_edits)
        warn_rules_edited(&ev);
    for (size_t m = 0; m < registry_count() && st == KOFU_OK; m++)
        if (c->present[m])
            st = run_measure(&ev, m, root, measures);
    if (st == KOFU_OK)
        warn_noted(&ev);
    if (st == KOFU_OK && ev.oom)
        st = KOFU_ENOMEM;
    if (st == KOFU_OK) {
        node_set_static(root, "measures", measures);
        measures = NULL;
        add_totals(&ev, node_key(root, "measures"), root);
        if (ev.opt->duplicate_of)
            finding_duplicate(&ev, ev.opt->duplicate_of);
        node_set_static(root, "warnings", ev.warnings);
        node_set_static(root, "findings", ev.findings);
        node_set_static(root, "meta", stamp_meta(arena, rules, now));
        node_set_static(root, "trace", ev.trace);
        ev.warnings = ev.findings = ev.trace = NULL;
        bool failed = arena ? node_arena_failed(arena)
                            : node_failed(root) || node_failed(ev.report);
        if (failed)
            st = KOFU_ENOMEM;
    }
    kofu_node_free(&measures);
    kofu_node_free(&ev.warnings);
    kofu_node_free(&ev.findings);
    kofu_node_free(&ev.trace);
    chunks_free(ev.arena);
    if (ev.oom_num_init)
        num_clear(&ev.oom_num);
    for (size_t i = 0; i < ev.n_sources; i++)
        free(ev.sources[i]);
    free(ev.sources);
    if (ev.noted != ev.noted_inline)
        free(ev.noted);
    for (size_t i = 0; i < ev.n_warned; i++)
        free(ev.warned[i].message);
    for (size_t i = 0; i < ev.n_cited; i++) {
        free(ev.cited[i].citation);
        free(ev.cited[i].text);
    }
    free(ev.cited);
    kofu_result *r = st == KOFU_OK ? malloc(sizeof *r) : NULL;
    if (!r) {
        kofu_node_free(&root);
        kofu_node_free(&ev.report);
        node_arena_free(arena);
        return st == KOFU_OK ? KOFU_ENOMEM : st;
    }
    r->lang = ev.opt->lang;
    r->provisional = ev.provisional;
    r->root = root;
    r->report = ev.report;
    r->arena = arena;
    *out = r;
    return KOFU_OK;
}

void kofu_result_free(kofu_result **r)
{
    if (!r || !*r)
        return;
    kofu_node *trees[] = {(*r)->root, (*r)->report};
    node_arena_free_trees((*r)->arena, trees, 2);
    free(*r);
    *r = NULL;
}

const kofu_node *kofu_result_root(const kofu_result *r) { return r ? r->root : NULL; }
bool kofu_result_provisional(const kofu_result *r, const char *measure)
{
    int m = r && measure ? registry_find(measure) : -1;
    return m >= 0 && m < 64 && ((r->provisional >> m) & 1);
}

const kofu_node *kofu_result_report(const kofu_result *r) { return r ? r->report : NULL; }
kofu_lang eval_result_lang(const kofu_result *r) { return r ? r->lang : KOFU_LANG_JA; }

/* kofu_result_check_claims: engine/claims.c */
