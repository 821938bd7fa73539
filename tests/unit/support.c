/*
 * support.c — helpers shared by the unit tests (see support.h). No Test()
 * here: Criterion collects tests from the other files of the executable.
 */
#define _GNU_SOURCE /* nftw, mkdtemp, open_memstream */
#include "support.h"

#include <criterion/criterion.h>

#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

/* ---- a case loaded from memory and evaluated ----------------------------- */

static void evaluate(tcase *t, const kofu_eval_options *opt)
{
    kofu_result_free(&t->r);
    t->st = kofu_evaluate(t->rules, t->c, opt, t->diag, &t->r);
}

void tcase_run_opts(tcase *t, kofu_rules *rules, const char *ini, const kofu_eval_options *opt)
{
    memset(t, 0, sizeof *t);
    t->owns_rules = rules == NULL;
    t->rules = rules ? rules : trules_builtin();
    cr_assert_eq(kofu_diag_new(opt->lang, &t->diag), KOFU_OK);
    t->st = kofu_case_load_buffer(t->rules, "t.ini", ini, strlen(ini), t->diag, &t->c);
    if (t->st == KOFU_OK)
        evaluate(t, opt);
}

void tcase_run(tcase *t, const char *ini, kofu_lang lang)
{
    kofu_eval_options opt = {.lang = lang, .no_trace = false};
    tcase_run_opts(t, NULL, ini, &opt);
}

void tcase_run_with(tcase *t, kofu_rules *rules, const char *ini, kofu_lang lang)
{
    cr_assert_not_null(rules);
    kofu_eval_options opt = {.lang = lang, .no_trace = false};
    tcase_run_opts(t, rules, ini, &opt);
}

void tcase_evaluate(tcase *t, kofu_lang lang)
{
    kofu_eval_options opt = {.lang = lang, .no_trace = false};
    evaluate(t, &opt);
}

void tcase_free(tcase *t)
{
    kofu_result_free(&t->r);
    kofu_case_free(&t->c);
    kofu_diag_free(&t->diag);
    if (t->owns_rules)
        kofu_rules_free(&t->rules);
    t->rules = NULL;
}

const kofu_node *tcase_root(const tcase *t)
{
    cr_assert_eq(t->st, KOFU_OK, "status %d", t->st);
    return kofu_result_root(t->r);
}

const char *tcase_str(const tcase *t, const char *path)
{
    return kofu_node_str(kofu_node_get(tcase_root(t), path));
}

void tcase_expect_amount(const tcase *t, const char *path, int64_t want)
{
    const kofu_node *n = kofu_node_get(tcase_root(t), path);
    cr_assert_not_null(n, "%s missing", path);
    cr_expect_eq(kofu_node_type(n), KOFU_NODE_INT, "%s not an amount", path);
    cr_expect_eq(kofu_node_int(n), want, "%s = %" PRId64 ", want %" PRId64, path, kofu_node_int(n),
                 want);
}

size_t tcase_count_warnings(const tcase *t, const char *code)
{
    const kofu_node *w = kofu_node_get(tcase_root(t), "warnings");
    size_t n = 0;
    for (size_t i = 0; i < kofu_node_size(w); i++)
        n += strcmp(kofu_node_str(kofu_node_get(kofu_node_at(w, i), "code")), code) == 0;
    return n;
}

/* ---- diagnostics ----------------------------------------------------------- */

char *tdiag_text(const kofu_diag *d)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *m = kofu_diag_format(d, i);
        cr_assert_not_null(m);
        fputs(m, f);
        fputc('\n', f);
        free(m);
    }
    cr_assert_eq(fclose(f), 0);
    return out;
}

char *tcase_error_text(const char *ini, kofu_lang lang)
{
    tcase t;
    tcase_run(&t, ini, lang);
    cr_expect_eq(t.st, KOFU_ECASE);
    char *got = tdiag_text(t.diag);
    tcase_free(&t);
    return got;
}

void texpect_case_error(const char *ini, kofu_lang lang, const char *want)
{
    char *got = tcase_error_text(ini, lang);
    cr_expect_str_eq(got, want);
    free(got);
}

/* ---- temporary directories and edited rule data ----------------------------- */

void tdir_make(char dir[TDIR_MAX], const char *tag)
{
    int n = snprintf(dir, TDIR_MAX, "/tmp/kofu-%s-XXXXXX", tag);
    cr_assert(n > 0 && n < TDIR_MAX, "tag too long: %s", tag);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp %s", dir);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tdir_remove(const char *dir)
{
    cr_expect_eq(nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0, "removing %s", dir);
}

kofu_rules *trules_builtin(void)
{
    kofu_rules *r = NULL;
    cr_assert_eq(kofu_rules_load_builtin(NULL, &r), KOFU_OK);
    return r;
}

/* The whole of path (malloc'd, NUL-terminated). */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "open %s", path);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        cr_assert_eq(fwrite(buf, 1, n, out), n);
    cr_assert_not(ferror(f), "read %s", path);
    fclose(f);
    cr_assert_eq(fclose(out), 0);
    return text;
}

static void write_text(const char *path, const char *head, size_t head_len, const char *mid,
                       const char *tail)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "create %s", path);
    cr_assert_eq(fwrite(head, 1, head_len, f), head_len);
    cr_assert_geq(fputs(mid, f), 0);
    cr_assert_geq(fputs(tail, f), 0);
    cr_assert_eq(fclose(f), 0, "write %s", path);
}

static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = read_text(path);
    if (from == NULL) {
        write_text(path, text, strlen(text), to, "");
    } else {
        const char *at = strstr(text, from);
        cr_assert_not_null(at, "\"%s\" not found in %s", from, path);
        write_text(path, text, (size_t)(at - text), to, at + strlen(from));
    }
    free(text);
}

kofu_rules *trules_edited(const char *file, const char *from, const char *to)
{
    char dir[TDIR_MAX];
    tdir_make(dir, "rules");
    kofu_diag *d = NULL;
    cr_assert_eq(kofu_diag_new(KOFU_LANG_EN, &d), KOFU_OK);
    cr_assert_eq(kofu_rules_export(dir, d), KOFU_OK);
    char path[TDIR_MAX + 64];
    cr_assert_lt(snprintf(path, sizeof path, "%s/%s", dir, file), (int)sizeof path);
    edit_file(path, from, to);
    kofu_rules *r = NULL;
    kofu_status st = kofu_rules_load_dir(dir, d, &r);
    char *msgs = tdiag_text(d);
    cr_assert_eq(st, KOFU_OK, "edited rules refused:\n%s", msgs);
    free(msgs);
    kofu_diag_free(&d);
    /* The loader has read everything: remove the copy. */
    tdir_remove(dir);
    return r;
}

/* ---- table parameter values -------------------------------------------------- */

void ttable_init(param_value *v, param_interp interp, const char *round, size_t n,
                 const char *const *points)
{
    memset(v, 0, sizeof *v);
    v->interp = interp;
    if (round) {
        v->rounded = true;
        cr_assert(num_rounding_from_name(round, &v->rounding), "rounding %s", round);
    }
    v->xs = calloc(n, sizeof *v->xs);
    v->ys = calloc(n, sizeof *v->ys);
    cr_assert(v->xs && v->ys);
    v->n_points = n;
    for (size_t i = 0; i < n; i++) {
        num_init(&v->xs[i]);
        num_init(&v->ys[i]);
        const char *colon = strchr(points[i], ':');
        cr_assert_not_null(colon, "point %s", points[i]);
        char *x = strndup(points[i], (size_t)(colon - points[i]));
        cr_assert_not_null(x);
        cr_assert_eq(num_parse_exact(x, &v->xs[i]), NUM_PARSE_OK, "x of %s", points[i]);
        cr_assert_eq(num_parse_exact(colon + 1, &v->ys[i]), NUM_PARSE_OK, "y of %s", points[i]);
        free(x);
    }
}

void ttable_free(param_value *v)
{
    for (size_t i = 0; i < v->n_points; i++) {
        num_clear(&v->xs[i]);
        num_clear(&v->ys[i]);
    }
    free(v->xs);
    free(v->ys);
    memset(v, 0, sizeof *v);
}

void ttable_expect(const param_value *v, const char *x, const char *want)
{
    kofu_num xv, y;
    num_init(&xv);
    num_init(&y);
    cr_assert_eq(num_parse_exact(x, &xv), NUM_PARSE_OK);
    param_table_apply(v, &xv, &y);
    char *s = num_to_string(&y);
    cr_expect_str_eq(s, want, "table(%s) = %s, want %s", x, s, want);
    free(s);
    num_clear(&xv);
    num_clear(&y);
}

size_t tref_utf8_len(const unsigned char *p, size_t avail)
{
    if (avail == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xC0 && p[0] < 0xE0 ? 2 : p[0] >= 0xE0 && p[0] < 0xF0 ? 3
             : p[0] >= 0xF0 && p[0] < 0xF8                                 ? 4
                                                                            : 0;
    if (n == 0 || n > avail)
        return 0;
    uint32_t cp = p[0] & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[k] & 0x3F);
    }
    static const uint32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < shortest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}
