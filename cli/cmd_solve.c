/* cmd_solve.c — `kofu solve CASE --for KEY --target AMOUNT=VALUE`: the
 * smallest value of one input (the hourly fee, the utilization, the head
 * count, or any amount of the case) at which an amount of the result reaches
 * a target, for founders deciding fees and headcount.
 *
 * Found exactly, not by scanning. Every input lives on a grid of exact steps
 * (1 yen, 0.1%, one worker) and every amount kofu computes along it is
 * piecewise linear: linear pieces joined where a cap or the taper starts to
 * bind, with rounding steps of at most a few yen. So the search keeps a
 * bracket [a, b] of grid points on both sides of the target and puts the next
 * point where the straight line through (a, y(a)) and (b, y(b)) meets the
 * target, in exact integer arithmetic: inside one linear piece this lands on
 * the boundary at once, and a kink costs one more step. When a line step
 * fails to halve the bracket, the next step halves it, so the worst case is
 * a bisection. It ends with two adjacent grid points, both evaluated: the
 * answer, which reaches the target, and the step next to it, which does not.
 * Each point is set with what follows the input (vary.h), as in a sweep. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "amounts.h"
#include "cli.h"
#include "vary.h"

static const char *const formats[] = {"text", "json", NULL};

#define MAX_SET 16

typedef enum grid_kind { GRID_YEN, GRID_PERMILLE, GRID_COUNT } grid_kind;

typedef struct solve {
    cli_common co;
    const char *case_path, *key, *target, *template_worker;
    const char *set_keys[MAX_SET], *set_values[MAX_SET];
    size_t n_set;
    char *target_amount;     /* "cooperative.balance"                       */
    int64_t target_value;
    grid_kind grid;
    int64_t lo, hi;          /* the grid's range                             */
    vary_plan plan;
    const kofu_rules *rules;
    kofu_case *c;
    size_t evaluations;
} solve;

/* One evaluated grid point: the target amount, and the result kept for the
 * answer and its neighbour. */
typedef struct point {
    int64_t k;
    bool done;
    int64_t y;
    kofu_result *r;
} point;

/* ---- options ------------------------------------------------------------ */

static bool parse_yen(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    s += neg;
    if (!*s)
        return false;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s == ',')
            continue;
        if (*s < '0' || *s > '9' || v > INT64_MAX / 10 - 10)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = neg ? -v : v;
    return true;
}

static int parse_target(solve *sv)
{
    kofu_lang lang = sv->co.lang;
    const char *eq = strchr(sv->target, '=');
    if (!eq || eq == sv->target || !parse_yen(eq + 1, &sv->target_value))
        return cli_usage_error("solve", lang,
                               CLI_TR(lang, "--target は 金額の名前=値 の形です（例: cooperative.balance=0）: '%s'",
                                      "--target takes AMOUNT=VALUE (e.g. cooperative.balance=0): '%s'"),
                               sv->target);
    sv->target_amount = strndup(sv->target, (size_t)(eq - sv->target));
    return sv->target_amount ? EXIT_OK : EXIT_FAILURE_IO;
}

static int parse_set(solve *sv, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || sv->n_set == MAX_SET)
        return cli_usage_error("solve", sv->co.lang,
                               CLI_TR(sv->co.lang, "--set は SECTION.KEY=VALUE の形で %d 個までです: '%s'",
                                      "--set takes SECTION.KEY=VALUE, at most %d times: '%s'"),
                               MAX_SET, arg);
    sv->set_keys[sv->n_set] = strndup(arg, (size_t)(eq - arg));
    sv->set_values[sv->n_set++] = eq + 1;
    return sv->set_keys[sv->n_set - 1] ? EXIT_OK : EXIT_FAILURE_IO;
}

static int parse_args(solve *sv, int argc, char **argv, bool *help)
{
    int rc = EXIT_OK;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = true;
            return EXIT_OK;
        }
        if (cli_common_option(&sv->co, "solve", formats, argc, argv, &i, &rc))
            continue;
        const char **slot = strcmp(a, "--for") == 0               ? &sv->key
                            : strcmp(a, "--target") == 0          ? &sv->target
                            : strcmp(a, "--template-worker") == 0 ? &sv->template_worker
                                                                  : NULL;
        if (slot || strcmp(a, "--set") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("solve", sv->co.lang,
                                       CLI_TR(sv->co.lang, "%s に値がありません", "%s needs a value"), a);
            if (slot)
                *slot = argv[++i];
            else
                rc = parse_set(sv, argv[++i]);
        } else if (a[0] == '\0') {
            rc = cli_empty_path_error("solve", sv->co.lang);
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = cli_usage_error("solve", sv->co.lang,
                                 CLI_TR(sv->co.lang, "不明なオプションです: '%s'", "unknown option: '%s'"), a);
        } else if (sv->case_path) {
            rc = cli_usage_error("solve", sv->co.lang, "%s",
                                 CLI_TR(sv->co.lang, "ケースファイルは1つだけ指定します", "give exactly one case file"));
        } else {
            sv->case_path = a;
        }
    }
    if (rc == EXIT_OK && (!sv->case_path || !sv->key || !sv->target))
        rc = cli_usage_error("solve", sv->co.lang, "%s",
                             CLI_TR(sv->co.lang, "ケースファイル、--for KEY、--target 金額=値 を指定してください",
                                    "give CASE, --for KEY and --target AMOUNT=VALUE"));
    if (rc == EXIT_OK)
        rc = parse_target(sv);
    return rc;
}

/* ---- the grid ------------------------------------------------------------ */

/* Which grid the input lives on: utilization in steps of 0.1%, a head count
 * in workers, anything else (the fee, a cost) in yen. */
static int choose_grid(solve *sv)
{
    if (strcasecmp(sv->key, "cooperative.utilization") == 0) {
        sv->grid = GRID_PERMILLE;
        sv->lo = 0;
        sv->hi = 1000;
    } else if (strcasecmp(sv->key, "cooperative.workers") == 0) {
        sv->grid = GRID_COUNT;
        sv->lo = 1; /* a cooperative of no workers plans nothing */
        sv->hi = sv->plan.kind == VARY_WORKERS_SECTIONS ? VARY_MAX_WORKERS : 10000;
    } else if (strcasecmp(sv->key, "case.fiscal_year") == 0) {
        return cli_usage_error("solve", sv->co.lang, "%s",
                               CLI_TR(sv->co.lang, "--for に年度は使えません（kofu sweep で年度ごとに計算できます）",
                                      "--for cannot be a fiscal year (kofu sweep computes year by year)"));
    } else {
        sv->grid = GRID_YEN;
        sv->lo = 0;
        sv->hi = 1000000000000000LL; /* 10^15, the largest amount */
    }
    return EXIT_OK;
}

/* Grid point k as the case file would hold it: "1704", "0.725", "6". */
static void grid_text(const solve *sv, int64_t k, char *buf, size_t cap)
{
    if (sv->grid != GRID_PERMILLE)
        snprintf(buf, cap, "%" PRId64, k);
    else if (k % 1000 == 0)
        snprintf(buf, cap, "%" PRId64, k / 1000);
    else if (k % 100 == 0)
        snprintf(buf, cap, "0.%" PRId64, k / 100);
    else if (k % 10 == 0)
        snprintf(buf, cap, "0.%02" PRId64, k / 10);
    else
        snprintf(buf, cap, "0.%03" PRId64, k);
}

/* For people: "1,704円", "72.5%", "6人". */
static void grid_label(const solve *sv, int64_t k, char *buf, size_t cap)
{
    char g[40];
    kofu_lang lang = sv->co.lang;
    if (sv->grid == GRID_PERMILLE && k % 10)
        snprintf(buf, cap, "%" PRId64 ".%" PRId64 "%%", k / 10, k % 10);
    else if (sv->grid == GRID_PERMILLE)
        snprintf(buf, cap, "%" PRId64 "%%", k / 10);
    else if (sv->grid == GRID_COUNT)
        snprintf(buf, cap, "%s%s", render_grouped(k, g, sizeof g), CLI_TR(lang, "人", " workers"));
    else
        snprintf(buf, cap, "%s%s", render_grouped(k, g, sizeof g), CLI_TR(lang, "円", " yen"));
}

/* ---- evaluating ------------------------------------------------------------ */

/* Evaluates grid point p->k; KOFU_ECASE when the point is invalid (the
 * diagnostics are printed) or the target amount cannot be determined there. */
static kofu_status evaluate(solve *sv, point *p)
{
    char value[64];
    grid_text(sv, p->k, value, sizeof value);
    const char *values[1] = {value};
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(sv->co.lang, &d);
    kofu_case *at = NULL;
    bool owned = false;
    if (st == KOFU_OK)
        st = vary_apply(&sv->plan, 1, sv->c, values, d, &at, &owned);
    kofu_eval_options opt = {.lang = sv->co.lang, .no_trace = true};
    if (st == KOFU_OK)
        st = kofu_evaluate(sv->rules, at, &opt, d, &p->r);
    if (owned)
        kofu_case_free(&at);
    sv->evaluations++;
    if (st != KOFU_OK) {
        fprintf(stderr, CLI_TR(sv->co.lang, "%s = %s の点:\n", "at %s = %s:\n"), sv->key, value);
        cli_print_diag(d);
    }
    kofu_diag_free(&d);
    if (st != KOFU_OK)
        return st;
    const kofu_node *n = amount_get(kofu_result_root(p->r), sv->target_amount, NULL);
    if (!n || kofu_node_type(n) != KOFU_NODE_INT) {
        if (sv->co.lang == KOFU_LANG_EN)
            fprintf(stderr, "kofu: %s cannot be determined at %s = %s\n", sv->target_amount, sv->key, value);
        else
            fprintf(stderr, "kofu: %s = %s では %s が求められません\n", sv->key, value, sv->target_amount);
        return KOFU_ECASE;
    }
    p->y = kofu_node_int(n);
    p->done = true;
    return KOFU_OK;
}

static void point_clear(point *p)
{
    kofu_result_free(&p->r);
    memset(p, 0, sizeof *p);
}

/* Moves the evaluated point `from` into `to` (releasing what `to` held). */
static void point_move(point *to, point *from)
{
    kofu_result_free(&to->r);
    *to = *from;
    memset(from, 0, sizeof *from);
}

/* ceil(a / b) for b > 0, in 128 bits. */
static __int128 ceil_div(__int128 a, __int128 b)
{
    __int128 q = a / b;
    return q + ((a % b != 0) && (a > 0));
}

/* The next grid point strictly inside (a, b): where the line through the
 * two meets the target, or the middle after a line step that did not halve
 * the bracket. */
static int64_t next_point(const point *a, const point *b, int64_t target, bool halve)
{
    int64_t mid = a->k + (b->k - a->k) / 2;
    if (halve || a->y == b->y)
        return mid;
    /* k = a + (target − y(a)) × (b − a) / (y(b) − y(a)), rounded toward b's
     * side: the first grid point the line puts on the target's side */
    __int128 num = (__int128)(target - a->y) * (b->k - a->k);
    __int128 den = (__int128)b->y - a->y;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 k = (__int128)a->k + ceil_div(num, den);
    if (k <= a->k)
        k = a->k + 1;
    if (k >= b->k)
        k = b->k - 1;
    return (int64_t)k;
}

static bool meets(const solve *sv, const point *p) { return p->y >= sv->target_value; }

/* The search. On return *answer and *other are adjacent grid points, the
 * first meeting the target and the second not (other->done false when the
 * answer is the end of the range), or answer->done false when no point of
 * the range meets it. *largest: the amount falls as the input grows, so the
 * answer is the largest input that still meets the target. */
static kofu_status search(solve *sv, point *answer, point *other, bool *largest)
{
    point a = {.k = sv->lo}, b = {.k = sv->hi};
    kofu_status st = evaluate(sv, &a);
    if (st != KOFU_OK)
        return st;
    /* yen and head counts: grow the range (from 10,000 yen by tens, from 16
     * workers by fours) until it crosses the target. The line steps would
     * not mind the whole range, but a case of 990 copied workers takes a
     * while to build, and a fee of 10^15 yen reads oddly. */
    if (sv->grid != GRID_PERMILLE) {
        int64_t factor = sv->grid == GRID_YEN ? 10 : 4;
        b.k = sv->grid == GRID_YEN ? 10000 : 16;
        b.k = b.k > sv->hi ? sv->hi : b.k;
        while ((st = evaluate(sv, &b)) == KOFU_OK && meets(sv, &b) == meets(sv, &a) && b.k < sv->hi) {
            point_move(&a, &b);
            b.k = a.k * factor > sv->hi ? sv->hi : a.k * factor;
        }
    } else {
        st = evaluate(sv, &b);
    }
    if (st != KOFU_OK) {
        point_clear(&a);
        point_clear(&b);
        return st;
    }
    *largest = meets(sv, &a) && !meets(sv, &b);
    if (meets(sv, &a) == meets(sv, &b)) {
        /* nothing crosses the target inside the range: either every point
         * meets it (the answer is the low end) or none does */
        if (meets(sv, &a) && a.k != sv->lo) {
            point_clear(&a);
            a.k = sv->lo;
            st = evaluate(sv, &a);
        }
        if (st == KOFU_OK && meets(sv, &a))
            point_move(answer, &a);
        point_clear(&a);
        point_clear(&b);
        return st;
    }
    bool halve = false;
    while (b.k - a.k > 1) {
        point m = {.k = next_point(&a, &b, sv->target_value, halve)};
        int64_t width = b.k - a.k;
        st = evaluate(sv, &m);
        if (st != KOFU_OK)
            break;
        if (meets(sv, &m) == meets(sv, &a))
            point_move(&a, &m);
        else
            point_move(&b, &m);
        halve = !halve && (b.k - a.k) * 2 > width;
    }
    if (st == KOFU_OK) {
        point_move(answer, meets(sv, &a) ? &a : &b);
        point_move(other, meets(sv, &a) ? &b : &a);
    }
    point_clear(&a);
    point_clear(&b);
    return st;
}

/* ---- output ------------------------------------------------------------------ */

/* The amounts shown at a point: those of the target's measure (or the
 * totals), in the result's order. */
static const kofu_node *shown_object(const solve *sv, const kofu_result *r, char *prefix, size_t cap)
{
    const kofu_node *root = kofu_result_root(r);
    const char *dot = strchr(sv->target_amount, '.');
    snprintf(prefix, cap, "%.*s", dot ? (int)(dot - sv->target_amount) : 0, sv->target_amount);
    const kofu_node *m = kofu_node_get(kofu_node_get(root, "measures"), prefix);
    return m ? m : kofu_node_get(root, prefix);
}

static cJSON *amounts_json(const solve *sv, const point *p)
{
    if (!p->done)
        return cJSON_CreateNull();
    char prefix[128];
    const kofu_node *obj = shown_object(sv, p->r, prefix, sizeof prefix);
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < kofu_node_size(obj); i++) {
        const kofu_node *v = kofu_node_at(obj, i);
        char name[300], num[32];
        snprintf(name, sizeof name, "%s.%s", prefix, kofu_node_key_at(obj, i));
        if (kofu_node_type(v) == KOFU_NODE_INT) {
            snprintf(num, sizeof num, "%" PRId64, kofu_node_int(v));
            cJSON_AddItemToObject(o, name, cJSON_CreateRaw(num));
        } else if (kofu_node_type(v) == KOFU_NODE_DECIMAL) {
            cJSON_AddItemToObject(o, name, cJSON_CreateString(kofu_node_str(v)));
        }
    }
    return o;
}

static cJSON *value_json(const solve *sv, const point *p)
{
    if (!p->done)
        return cJSON_CreateNull();
    char buf[64];
    grid_text(sv, p->k, buf, sizeof buf);
    return sv->grid == GRID_PERMILLE ? cJSON_CreateString(buf) : cJSON_CreateRaw(buf);
}

static int print_json(const solve *sv, const point *answer, const point *other, bool largest)
{
    cJSON *root = cJSON_CreateObject(), *target = cJSON_CreateObject();
    if (!root || !target) {
        cJSON_Delete(root);
        cJSON_Delete(target);
        return EXIT_FAILURE_IO;
    }
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, sv->target_value);
    cJSON_AddItemToObject(target, "amount", cJSON_CreateString(sv->target_amount));
    cJSON_AddItemToObject(target, "at_least", cJSON_CreateRaw(num));
    cJSON_AddItemToObject(root, "format", cJSON_CreateString("kofu-solve/1"));
    cJSON_AddItemToObject(root, "case", cJSON_CreateString(kofu_case_id(sv->c)));
    cJSON_AddItemToObject(root, "for", cJSON_CreateString(sv->key));
    cJSON_AddItemToObject(root, "target", target);
    cJSON_AddItemToObject(root, "value", value_json(sv, answer));
    cJSON_AddItemToObject(root, "answer_is", cJSON_CreateString(largest ? "largest" : "smallest"));
    cJSON_AddItemToObject(root, "step", cJSON_CreateString(sv->grid == GRID_PERMILLE ? "0.001" : "1"));
    cJSON_AddItemToObject(root, "at", amounts_json(sv, answer));
    /* the neighbouring step that misses the target: one below the answer
     * (one above when the answer is the largest input that meets it) */
    cJSON_AddItemToObject(root, "below", amounts_json(sv, other));
    cJSON_AddItemToObject(root, "below_value", value_json(sv, other));
    snprintf(num, sizeof num, "%zu", sv->evaluations);
    cJSON_AddItemToObject(root, "evaluations", cJSON_CreateRaw(num));
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return EXIT_FAILURE_IO;
    puts(s);
    free(s);
    return EXIT_OK;
}

static const char *cell(const kofu_node *v, bool percent, char *buf, size_t cap)
{
    if (!v)
        return "—";
    if (kofu_node_type(v) == KOFU_NODE_INT)
        return render_grouped(kofu_node_int(v), buf, cap);
    return percent ? amount_percent_text(kofu_node_str(v), buf, cap)
                   : amount_decimal_text(kofu_node_str(v), buf, cap);
}

static void print_text(const solve *sv, const point *answer, const point *other, bool largest)
{
    kofu_lang lang = sv->co.lang;
    const char *name = kofu_case_name(sv->c);
    const char *key_label = kofu_label(sv->key, lang);
    const char *amount_label = kofu_label(sv->target_amount, lang);
    char a[64], b[64], t[40];
    render_grouped(sv->target_value, t, sizeof t);
    printf("%s %s%s%s%s\n", CLI_TR(lang, "ケース", "case"), kofu_case_id(sv->c), name[0] ? " (" : "", name,
           name[0] ? ")" : "");
    printf(CLI_TR(lang, "  求めるもの: %s（%s）\n", "  solving for: %s (%s)\n"), key_label ? key_label : sv->key,
           sv->key);
    printf(CLI_TR(lang, "  目標: %s（%s）が %s 以上\n", "  target: %s (%s) at least %s\n"),
           amount_label ? amount_label : sv->target_amount, sv->target_amount, t);
    if (sv->plan.note)
        printf("  %s%s\n", CLI_TR(lang, "※ ", "* "), sv->plan.note);
    if (!answer->done) {
        grid_label(sv, sv->hi, a, sizeof a);
        if (sv->grid == GRID_PERMILLE)
            printf(CLI_TR(lang, "\n答え: なし — 稼働率を100%%まで上げても目標に届きません（予算は均衡しません）\n",
                          "\nanswer: none — no utilization up to 100%% reaches the target (the budget does "
                          "not balance)\n"));
        else
            printf(CLI_TR(lang, "\n答え: なし — %s を %s まで変えても目標に届きません\n",
                          "\nanswer: none — no value of %s up to %s reaches the target\n"),
                   sv->key, a);
        printf(CLI_TR(lang, "  評価 %zu 回\n", "  %zu evaluations\n"), sv->evaluations);
        return;
    }
    grid_label(sv, answer->k, a, sizeof a);
    if (other->done)
        grid_label(sv, other->k, b, sizeof b);
    printf("\n");
    if (!other->done)
        printf(CLI_TR(lang, "答え: %s（範囲の端ですでに目標に届いています）\n",
                      "answer: %s (the end of the range already reaches the target)\n"), a);
    else if (largest)
        printf(CLI_TR(lang, "答え: %s — 目標に届く最大の値（%s では届きません）\n",
                      "answer: %s — the largest value that reaches the target (%s does not)\n"), a, b);
    else
        printf(CLI_TR(lang, "答え: %s — 目標に届く最小の値（%s では届きません）\n",
                      "answer: %s — the smallest value that reaches the target (%s does not)\n"), a, b);
    char prefix[128];
    const kofu_node *at = shown_object(sv, answer->r, prefix, sizeof prefix);
    const kofu_node *below = other->done ? shown_object(sv, other->r, prefix, sizeof prefix) : NULL;
    size_t wl = 0, wa = render_display_width(a), wb = other->done ? render_display_width(b) : 0;
    char buf[64], full[300];
    for (size_t i = 0; i < kofu_node_size(at); i++) {
        snprintf(full, sizeof full, "%s.%s", prefix, kofu_node_key_at(at, i));
        const kofu_node *v = kofu_node_at(at, i);
        if (kofu_node_type(v) != KOFU_NODE_INT && kofu_node_type(v) != KOFU_NODE_DECIMAL)
            continue;
        const char *l = kofu_label(full, lang);
        size_t w = render_display_width(l ? l : full);
        wl = w > wl ? w : wl;
        w = render_display_width(cell(v, amount_is_percent(full), buf, sizeof buf));
        wa = w > wa ? w : wa;
        w = render_display_width(cell(kofu_node_get(below, kofu_node_key_at(at, i)), amount_is_percent(full),
                                      buf, sizeof buf));
        wb = below && w > wb ? w : wb;
    }
    printf("\n  ");
    for (size_t k = 0; k < wl; k++)
        putchar(' ');
    for (size_t k = render_display_width(a); k < wa + 2; k++)
        putchar(' ');
    fputs(a, stdout);
    if (below) {
        for (size_t k = render_display_width(b); k < wb + 2; k++)
            putchar(' ');
        fputs(b, stdout);
    }
    putchar('\n');
    for (size_t i = 0; i < kofu_node_size(at); i++) {
        const kofu_node *v = kofu_node_at(at, i);
        if (kofu_node_type(v) != KOFU_NODE_INT && kofu_node_type(v) != KOFU_NODE_DECIMAL)
            continue;
        snprintf(full, sizeof full, "%s.%s", prefix, kofu_node_key_at(at, i));
        const char *l = kofu_label(full, lang);
        l = l ? l : full;
        printf("  %s", l);
        for (size_t k = render_display_width(l); k < wl; k++)
            putchar(' ');
        const char *s = cell(v, amount_is_percent(full), buf, sizeof buf);
        for (size_t k = render_display_width(s); k < wa + 2; k++)
            putchar(' ');
        fputs(s, stdout);
        if (below) {
            s = cell(kofu_node_get(below, kofu_node_key_at(at, i)), amount_is_percent(full), buf, sizeof buf);
            for (size_t k = render_display_width(s); k < wb + 2; k++)
                putchar(' ');
            fputs(s, stdout);
        }
        putchar('\n');
    }
    printf(CLI_TR(lang, "\n  金額は円、比率は %%。評価 %zu 回（区分線形の補間と二分法で境界を求め、答えと隣の1段を計算して確かめています）\n",
                  "\n  amounts in yen, ratios in %%; %zu evaluations (the boundary found by piecewise-linear "
                  "interpolation and bisection; the answer and the step next to it are both computed)\n"),
           sv->evaluations);
}

/* ---- the command ---------------------------------------------------------- */

static int load(solve *sv, const kofu_rules *rules)
{
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(sv->co.lang, &d);
    if (st == KOFU_OK)
        st = kofu_case_load_file(rules, sv->case_path, d, &sv->c);
    if (st == KOFU_OK && sv->n_set)
        st = kofu_case_set_many(sv->c, sv->n_set, sv->set_keys, sv->set_values, d);
    kofu_result *base = NULL;
    kofu_eval_options opt = {.lang = sv->co.lang, .no_trace = true};
    if (st == KOFU_OK)
        st = kofu_evaluate(rules, sv->c, &opt, d, &base);
    int rc = EXIT_OK;
    if (st != KOFU_OK) {
        cli_print_diag(d);
        rc = cli_exit_for(st);
    }
    kofu_diag_free(&d);
    if (rc == EXIT_OK) {
        char *value = kofu_case_value(sv->c, sv->key);
        bool known = value || strcasecmp(sv->key, "cooperative.hourly_fee") == 0 ||
                     strcasecmp(sv->key, "cooperative.utilization") == 0 ||
                     strcasecmp(sv->key, "cooperative.workers") == 0;
        free(value);
        char near[300];
        if (!known)
            rc = cli_usage_error("solve", sv->co.lang,
                                 CLI_TR(sv->co.lang, "--for: ケースにない値です: %s（ケースに書かれた金額、または "
                                                     "cooperative.hourly_fee, cooperative.utilization, cooperative.workers）",
                                        "--for: not a value of the case: %s (an amount the case gives, or "
                                        "cooperative.hourly_fee, cooperative.utilization, cooperative.workers)"),
                                 sv->key);
        else if (!amount_get(kofu_result_root(base), sv->target_amount, NULL))
            rc = amount_suggest(kofu_result_root(base), sv->target_amount, near, sizeof near)
                     ? cli_usage_error("solve", sv->co.lang,
                                       CLI_TR(sv->co.lang, "--target: 計算結果の金額ではありません: %s（%s の誤りではありませんか？）",
                                              "--target: not an amount of the result: %s (did you mean %s?)"),
                                       sv->target_amount, near)
                     : cli_usage_error("solve", sv->co.lang,
                                       CLI_TR(sv->co.lang, "--target: 計算結果の金額ではありません: %s",
                                              "--target: not an amount of the result: %s"),
                                       sv->target_amount);
    }
    kofu_result_free(&base);
    if (rc == EXIT_OK) {
        char *err = NULL;
        if (!vary_plan_make(&sv->plan, sv->c, sv->key, sv->template_worker, sv->co.lang, &err))
            rc = err ? cli_usage_error("solve", sv->co.lang, "%s", err) : EXIT_FAILURE_IO;
        free(err);
    }
    return rc == EXIT_OK ? choose_grid(sv) : rc;
}

static int run(int argc, char **argv)
{
    solve sv = {0};
    cli_common_init(&sv.co, FMT_TEXT);
    bool help = false;
    int rc = parse_args(&sv, argc, argv, &help);
    if (help) {
        cli_help_command("solve", sv.co.lang, stdout);
        rc = EXIT_OK;
    }
    kofu_rules *rules = !help && rc == EXIT_OK ? cli_load_rules(&sv.co, &rc) : NULL;
    sv.rules = rules;
    if (rules)
        rc = load(&sv, rules);
    point answer = {0}, other = {0};
    bool largest = false;
    if (rules && rc == EXIT_OK) {
        kofu_status st = search(&sv, &answer, &other, &largest);
        rc = st == KOFU_OK ? EXIT_OK : cli_exit_for(st);
    }
    if (rules && rc == EXIT_OK) {
        if (sv.co.format == FMT_JSON)
            rc = print_json(&sv, &answer, &other, largest);
        else
            print_text(&sv, &answer, &other, largest);
    }
    point_clear(&answer);
    point_clear(&other);
    vary_plan_free(&sv.plan);
    kofu_case_free(&sv.c);
    kofu_rules_free(&rules);
    for (size_t i = 0; i < sv.n_set; i++)
        free((char *)sv.set_keys[i]);
    free(sv.target_amount);
    return rc;
}

const cli_command cmd_solve = {
    "solve",
    run,
    "目標に届く入力の値を厳密に求めます（派遣料金単価・稼働率・人数）",
    "finds exactly the input value that reaches a target (hourly fee, utilization, head count)",
    "使い方: kofu solve CASE --for KEY --target 金額=値 [--set SECTION.KEY=値 ...]\n"
    "                  [--template-worker ID] [--format text|json] [--lang ja|en] [--rules DIR]\n\n"
    "KEY の値を変えたとき、計算結果の金額が目標値以上になる最小の値を求めます（金額が KEY とともに\n"
    "減るときは、目標値以上にとどまる最大の値）。走査ではなく、金額が区分線形（上限・逓減・端数処理\n"
    "の境目でつながる直線）であることを使い、直線の交点と二分法で境界を厳密に求めます。答えと、\n"
    "目標に届かない隣の1段（1円・0.1%・1人）の両方を計算して表示します。KEY の値につれて動くもの\n"
    "（稼働率につれて派遣労働時間、人数につれて人件費）は kofu sweep と同じく動かします。\n\n"
    "  --for KEY       求める値: cooperative.hourly_fee（1円刻み）, cooperative.utilization（0.1%刻み、\n"
    "                  0〜100%）, cooperative.workers（1人刻み）, またはケースに書かれた金額（1円刻み）\n"
    "  --target 金額=値  目標（例: cooperative.balance=0 は利用料金収入の過不足が0円以上）\n"
    "  --set SECTION.KEY=値   求める前にケースの値を変える（例: cooperative.hourly_fee=2000）\n"
    "  --template-worker ID   職員を加えるときに写す職員（既定は最後の職員）\n"
    "  --format text   答え、答えと隣の1段での金額（既定）\n"
    "  --format json   {\"for\", \"target\", \"value\", \"at\", \"below\", ...}。答えがなければ value は null\n"
    "  --lang ja|en    表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 成功（答えがないときも）, 2 使い方の誤り, 3 ケースファイルが不正, 4 ルールデータが不正\n"
    "例: kofu solve examples/cooperative-plan.ini --for cooperative.hourly_fee --target cooperative.balance=0\n"
    "    kofu solve examples/cooperative-plan.ini --for cooperative.utilization --target cooperative.balance=0\n"
    "    kofu solve examples/cooperative-plan.ini --for cooperative.workers --target cooperative.balance=0\n",
    "usage: kofu solve CASE --for KEY --target AMOUNT=VALUE [--set SECTION.KEY=VALUE ...]\n"
    "                  [--template-worker ID] [--format text|json] [--lang ja|en] [--rules DIR]\n\n"
    "Finds the smallest value of KEY at which an amount of the result is at least the target (when\n"
    "the amount falls as KEY grows, the largest value at which it still is). Not by scanning: the\n"
    "amounts are piecewise linear (straight pieces joined where a cap, the taper or a rounding step\n"
    "starts to bind), so the boundary is found exactly by intersecting lines and bisecting. The\n"
    "answer and the step next to it that misses the target (1 yen, 0.1%, one worker) are both\n"
    "computed and shown. What follows KEY (dispatched hours with utilization, payroll with the head\n"
    "count) moves as in kofu sweep.\n\n"
    "  --for KEY       the value to find: cooperative.hourly_fee (by 1 yen), cooperative.utilization\n"
    "                  (by 0.1%, 0 to 100%), cooperative.workers (by one), or an amount the case gives\n"
    "                  (by 1 yen)\n"
    "  --target AMOUNT=VALUE   the target (cooperative.balance=0: a usage-fee balance of at least 0)\n"
    "  --set SECTION.KEY=VALUE change a value of the case first (e.g. cooperative.hourly_fee=2000)\n"
    "  --template-worker ID   the worker copied to add workers (default: the last)\n"
    "  --format text   the answer and the amounts at it and at the step next to it (default)\n"
    "  --format json   {\"for\", \"target\", \"value\", \"at\", \"below\", ...}; value is null without an answer\n"
    "  --lang ja|en    language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 success (also when there is no answer), 2 usage error, 3 invalid case file,\n"
    "4 invalid rule data\n"
    "example: kofu solve examples/cooperative-plan.ini --for cooperative.hourly_fee --target cooperative.balance=0\n"
    "         kofu solve examples/cooperative-plan.ini --for cooperative.utilization --target cooperative.balance=0\n"
    "         kofu solve examples/cooperative-plan.ini --for cooperative.workers --target cooperative.balance=0\n",
};
