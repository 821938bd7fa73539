/* cmd_sweep.c — `kofu sweep`: re-evaluate one case while one or two of its
 * values vary over a range (a table, or a grid), for founders and towns
 * simulating a budget. Each point goes through the same path as `kofu calc`:
 * the values are set as the case file would hold them, with what follows them
 * (vary.h: dispatched hours follow utilization, payroll follows the head
 * count), validated exactly like the loader, then kofu_evaluate. The header
 * says what follows what. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "amounts.h"
#include "cli.h"
#include "vary.h"

static const char *const formats[] = {"text", "json", "csv", "xlsx", NULL};

#define MAX_VARY 2
#define MAX_POINTS 100000
#define MAX_COLUMNS 64

typedef struct vary {
    const char *key;   /* SECTION.KEY as given                     */
    const char *range; /* FROM:TO:STEP                             */
    char **values;     /* expanded, in FROM's notation             */
    size_t n;
} vary;

typedef enum cell_kind { CELL_ABSENT, CELL_INT, CELL_TEXT } cell_kind;

typedef struct cell {
    cell_kind kind;
    int64_t i;
    char *s;
} cell;

typedef struct point {
    size_t idx[MAX_VARY]; /* index into each vary's values          */
    char *error;          /* NULL when the point was computed       */
    char *warnings;       /* warning codes, space-separated ("" none) */
    cell *cells;          /* one per column                         */
} point;

typedef struct sweep {
    cli_common co;
    kofu_xlsx *book;                /* --format xlsx: every point goes in */
    const char *case_path;
    vary vars[MAX_VARY];
    int n_vars;
    const char *show;               /* --show list, or NULL        */
    const char *template_worker;    /* --template-worker, or NULL  */
    vary_plan plans[MAX_VARY];      /* what follows each key       */
    char *columns[MAX_COLUMNS];     /* "measure.amount"            */
    char *headings[MAX_COLUMNS];    /* labels people read          */
    bool top_level[MAX_COLUMNS];    /* a component's amount (fiscal_capacity.index) */
    bool percent[MAX_COLUMNS];      /* a ratio, printed as a percentage */
    size_t n_columns;
    point *points;
    size_t n_points;
    kofu_csv_sweep csv_spec;        /* --format csv: the columns ...  */
    const char *vary_keys[MAX_VARY];
    cli_buf csv_rows;               /* ... and the points' rows       */
    bool any_error;
    /* distinct warnings over all points, for the text legend */
    char *warn_code[16], *warn_msg[16];
    size_t warn_count[16], n_warn;
    char *printed[64];              /* diagnostics already on stderr */
    size_t n_printed;
} sweep;

/* ---- small text helpers ----------------------------------------------- */

static void print_right(FILE *out, const char *s, size_t width)
{
    for (size_t w = render_display_width(s); w < width; w++)
        fputc(' ', out);
    fputs(s, out);
}

/* The cell as text people read ("15,000,000", "0.55", "78.12…%", "—"). */
static const char *cell_text(const cell *c, bool percent, char *buf, size_t cap)
{
    if (c->kind == CELL_INT)
        return render_grouped(c->i, buf, cap);
    if (c->kind == CELL_TEXT && percent)
        return amount_percent_text(c->s, buf, cap);
    if (c->kind == CELL_TEXT)
        return amount_decimal_text(c->s, buf, cap);
    return "—";
}

/* ---- options -------------------------------------------------------------- */

static int add_vary(sweep *sw, const char *arg)
{
    kofu_lang lang = sw->co.lang;
    if (sw->n_vars == MAX_VARY)
        return cli_usage_error("sweep", lang, "%s",
                               CLI_TR(lang, "--vary は2つまでです", "at most two --vary options"));
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return cli_usage_error("sweep", lang,
                               CLI_TR(lang, "--vary は SECTION.KEY=FROM:TO:STEP の形です: '%s'",
                                      "--vary takes SECTION.KEY=FROM:TO:STEP: '%s'"),
                               arg);
    vary *v = &sw->vars[sw->n_vars];
    char *key = strndup(arg, (size_t)(eq - arg));
    if (!key)
        return EXIT_FAILURE_IO;
    for (int i = 0; i < sw->n_vars; i++) {
        if (strcasecmp(sw->vars[i].key, key) == 0) {
            int rc = cli_usage_error("sweep", lang,
                                     CLI_TR(lang, "同じキーを2回変化させることはできません: %s",
                                            "the same key cannot vary twice: %s"),
                                     key);
            free(key);
            return rc;
        }
    }
    v->key = key;
    v->range = eq + 1;
    sw->n_vars++;
    kofu_diag *d = NULL;
    if (kofu_diag_new(lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    kofu_status st = kofu_range_expand(v->range, d, &v->values, &v->n);
    int rc = EXIT_OK;
    if (st == KOFU_EUSAGE)
        rc = cli_usage_error("sweep", lang, "--vary %s: %s", arg,
                             kofu_diag_count(d) ? kofu_diag_message(d, 0) : "?");
    else if (st != KOFU_OK)
        rc = cli_exit_for(st);
    kofu_diag_free(&d);
    return rc;
}

static int parse_args(sweep *sw, int argc, char **argv, bool *help)
{
    int rc = EXIT_OK;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = true;
            return EXIT_OK;
        }
        if (cli_common_option(&sw->co, "sweep", formats, argc, argv, &i, &rc))
            continue;
        if (strcmp(a, "--vary") == 0 || strcmp(a, "--show") == 0 || strcmp(a, "--template-worker") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("sweep", sw->co.lang,
                                       CLI_TR(sw->co.lang, "%s に値がありません", "%s needs a value"), a);
            if (strcmp(a, "--show") == 0)
                sw->show = argv[++i];
            else if (strcmp(a, "--template-worker") == 0)
                sw->template_worker = argv[++i];
            else
                rc = add_vary(sw, argv[++i]);
        } else if (strncmp(a, "--vary=", 7) == 0) {
            rc = add_vary(sw, a + 7);
        } else if (strncmp(a, "--show=", 7) == 0) {
            sw->show = a + 7;
        } else if (strncmp(a, "--template-worker=", 18) == 0) {
            sw->template_worker = a + 18;
        } else if (a[0] == '\0') {
            rc = cli_empty_path_error("sweep", sw->co.lang);
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = cli_usage_error("sweep", sw->co.lang,
                                 CLI_TR(sw->co.lang, "不明なオプションです: '%s'", "unknown option: '%s'"), a);
        } else if (sw->case_path) {
            rc = cli_usage_error("sweep", sw->co.lang, "%s",
                                 CLI_TR(sw->co.lang, "ケースファイルは1つだけ指定します",
                                        "give exactly one case file"));
        } else {
            sw->case_path = a;
        }
    }
    if (rc == EXIT_OK && !sw->case_path)
        rc = cli_usage_error("sweep", sw->co.lang, "%s",
                             CLI_TR(sw->co.lang, "ケースファイルを指定してください", "no case file given"));
    if (rc == EXIT_OK && sw->n_vars == 0)
        rc = cli_usage_error("sweep", sw->co.lang, "%s",
                             CLI_TR(sw->co.lang, "--vary SECTION.KEY=FROM:TO:STEP を指定してください",
                                    "give --vary SECTION.KEY=FROM:TO:STEP"));
    if (rc == EXIT_OK && sw->n_vars == 2 && sw->vars[0].n * sw->vars[1].n > MAX_POINTS)
        rc = cli_usage_error("sweep", sw->co.lang,
                             CLI_TR(sw->co.lang, "格子の点が多すぎます（%d 点まで）",
                                    "too many grid points (at most %d)"),
                             MAX_POINTS);
    return rc;
}

/* ---- columns -------------------------------------------------------------- */

static int add_column(sweep *sw, const char *name, bool top_level)
{
    if (sw->n_columns == MAX_COLUMNS)
        return cli_usage_error("sweep", sw->co.lang,
                               CLI_TR(sw->co.lang, "--show は %d 列までです", "--show takes at most %d columns"),
                               MAX_COLUMNS);
    char *c = strdup(name);
    if (!c)
        return EXIT_FAILURE_IO;
    sw->top_level[sw->n_columns] = top_level;
    sw->percent[sw->n_columns] = amount_is_percent(name);
    sw->columns[sw->n_columns++] = c;
    return EXIT_OK;
}

/* One --show name: an amount of the result (any of the contract, a
 * component's such as fiscal_capacity.index, or totals.*). */
static int show_column(sweep *sw, const kofu_node *base, const char *t)
{
    kofu_lang lang = sw->co.lang;
    bool top = false;
    if (amount_get(base, t, &top))
        return add_column(sw, t, top);
    char near[300];
    if (kofu_output_known(t))
        return cli_usage_error("sweep", lang,
                               CLI_TR(lang, "--show: このケースにその措置はありません: %s",
                                      "--show: the case has no such measure: %s"),
                               t);
    if (amount_suggest(base, t, near, sizeof near))
        return cli_usage_error("sweep", lang,
                               CLI_TR(lang, "--show: 計算結果の金額ではありません: %s（%s の誤りではありませんか？）",
                                      "--show: not an amount of the result: %s (did you mean %s?)"),
                               t, near);
    return cli_usage_error("sweep", lang,
                           CLI_TR(lang, "--show: 計算結果の金額ではありません: %s（measure.amount の形。kofu calc --format json で一覧）",
                                  "--show: not an amount of the result: %s (measure.amount, as in kofu calc --format json)"),
                           t);
}

/* --show, checked against the amounts of the case's result, or the
 * defaults of the measures present in the case. */
static int choose_columns(sweep *sw, const kofu_node *base)
{
    int rc = EXIT_OK;
    if (!sw->show) {
        for (size_t i = 0; i < kofu_sweep_column_count() && rc == EXIT_OK; i++) {
            const char *m, *a;
            kofu_sweep_column_at(i, &m, &a);
            if (!kofu_node_get(kofu_node_get(base, "measures"), m))
                continue;
            char col[256];
            snprintf(col, sizeof col, "%s.%s", m, a);
            rc = add_column(sw, col, false);
        }
    } else {
        char *list = strdup(sw->show);
        if (!list)
            return EXIT_FAILURE_IO;
        char *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t && rc == EXIT_OK; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ')
                t++;
            rc = show_column(sw, base, t);
        }
        free(list);
    }
    if (rc == EXIT_OK)
        kofu_amount_headings((const char *const *)sw->columns, sw->n_columns, sw->co.lang, sw->headings);
    for (int v = 0; v < sw->n_vars; v++)
        sw->vary_keys[v] = sw->vars[v].key;
    sw->csv_spec = (kofu_csv_sweep){(size_t)sw->n_vars, sw->vary_keys, sw->n_columns,
                                    (const char *const *)sw->columns};
    return rc;
}

/* What follows each varied key (vary.h), made on the case as loaded; a
 * per-worker head count is checked to be a count the case can hold. */
static int make_plans(sweep *sw, const kofu_case *c)
{
    for (int v = 0; v < sw->n_vars; v++) {
        char *err = NULL;
        if (!vary_plan_make(&sw->plans[v], c, sw->vars[v].key, sw->template_worker, sw->co.lang, &err)) {
            int rc = err ? cli_usage_error("sweep", sw->co.lang, "%s", err) : EXIT_FAILURE_IO;
            free(err);
            return rc;
        }
        for (size_t i = 0; sw->plans[v].kind == VARY_WORKERS_SECTIONS && i < sw->vars[v].n; i++) {
            char *end = NULL;
            long n = strtol(sw->vars[v].values[i], &end, 10);
            if (*end || n < 0 || n > VARY_MAX_WORKERS)
                return cli_usage_error("sweep", sw->co.lang,
                                       CLI_TR(sw->co.lang, "--vary cooperative.workers: 職員ごとのセクションで書いたケースでは 0〜%d の人数で変えます: %s",
                                              "--vary cooperative.workers: a case with per-worker sections varies by a head count of 0 to %d: %s"),
                                       VARY_MAX_WORKERS, sw->vars[v].values[i]);
        }
    }
    if (sw->template_worker) {
        bool used = false;
        for (int v = 0; v < sw->n_vars; v++)
            used = used || sw->plans[v].kind == VARY_WORKERS_SECTIONS;
        if (!used)
            return cli_usage_error("sweep", sw->co.lang, "%s",
                                   CLI_TR(sw->co.lang,
                                          "--template-worker は職員ごとのセクションで書いたケースの cooperative.workers を変えるときに使います",
                                          "--template-worker applies when varying cooperative.workers of a case with per-worker sections"));
    }
    return EXIT_OK;
}

/* ---- evaluating the points ---------------------------------------------- */

static char *diag_joined(const kofu_diag *d)
{
    size_t len = 1;
    char *all = calloc(1, 1);
    for (size_t i = 0; all && i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (!line)
            continue;
        size_t n = strlen(line);
        char *grown = realloc(all, len + n + 2);
        if (grown) {
            all = grown;
            if (len > 1)
                strcat(all, "; ");
            strcat(all, line);
            len += n + 2;
        }
        free(line);
    }
    return all;
}

/* Remembers the point's warnings: codes on the point, and each distinct
 * code once (with its first message) for the legend of the text table. */
static void note_warnings(sweep *sw, point *p, const kofu_node *root)
{
    const kofu_node *ws = kofu_node_get(root, "warnings");
    size_t len = 1;
    for (size_t i = 0; i < kofu_node_size(ws); i++)
        len += strlen(kofu_node_str(kofu_node_get(kofu_node_at(ws, i), "code"))) + 1;
    p->warnings = calloc(1, len);
    for (size_t i = 0; p->warnings && i < kofu_node_size(ws); i++) {
        const char *code = kofu_node_str(kofu_node_get(kofu_node_at(ws, i), "code"));
        if (i)
            strcat(p->warnings, " ");
        strcat(p->warnings, code);
        size_t k = 0;
        while (k < sw->n_warn && strcmp(sw->warn_code[k], code) != 0)
            k++;
        if (k == sw->n_warn && k < 16) {
            sw->warn_code[k] = strdup(code);
            sw->warn_msg[k] = strdup(kofu_node_str(kofu_node_get(kofu_node_at(ws, i), "message")));
            if (!sw->warn_code[k] || !sw->warn_msg[k]) {
                free(sw->warn_code[k]);
                free(sw->warn_msg[k]);
                continue;
            }
            sw->n_warn++;
        }
        /* points, not warnings: a code counts once per point */
        bool again = false;
        for (size_t j = 0; j < i && !again; j++)
            again = strcmp(kofu_node_str(kofu_node_get(kofu_node_at(ws, j), "code")), code) == 0;
        if (k < sw->n_warn && !again)
            sw->warn_count[k]++;
    }
}

/* Prints each diagnostic of an invalid point on stderr, as calc would, but
 * a message already printed for an earlier point only once (an unknown key
 * fails every point the same way). */
static void print_diag_once(sweep *sw, const kofu_diag *d)
{
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (!line)
            continue;
        bool seen = false;
        for (size_t k = 0; k < sw->n_printed && !seen; k++)
            seen = strcmp(sw->printed[k], line) == 0;
        if (!seen)
            fprintf(stderr, "%s\n", line);
        if (seen || sw->n_printed == sizeof sw->printed / sizeof sw->printed[0])
            free(line);
        else
            sw->printed[sw->n_printed++] = line;
    }
}

static void fill_cells(sweep *sw, point *p, const kofu_node *root)
{
    note_warnings(sw, p, root);
    for (size_t k = 0; k < sw->n_columns; k++) {
        char path[300];
        const char *col = sw->columns[k];
        if (strncmp(col, "totals.", 7) == 0 || sw->top_level[k])
            snprintf(path, sizeof path, "%s", col);
        else
            snprintf(path, sizeof path, "measures.%s", col);
        const kofu_node *n = kofu_node_get(root, path);
        cell *c = &p->cells[k];
        if (n && kofu_node_type(n) == KOFU_NODE_INT) {
            c->kind = CELL_INT;
            c->i = kofu_node_int(n);
        } else if (n && (kofu_node_type(n) == KOFU_NODE_DECIMAL || kofu_node_type(n) == KOFU_NODE_STRING)) {
            c->s = strdup(kofu_node_str(n));
            c->kind = c->s ? CELL_TEXT : CELL_ABSENT;
        }
    }
}

/* Sets the point's values and evaluates; an invalid point keeps its
 * messages (also printed on stderr, as calc prints them). */
static kofu_status run_point(sweep *sw, const kofu_rules *rules, kofu_case *c, point *p)
{
    const char *keys[MAX_VARY], *vals[MAX_VARY];
    for (int v = 0; v < sw->n_vars; v++) {
        keys[v] = sw->vars[v].key;
        vals[v] = sw->vars[v].values[p->idx[v]];
    }
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(sw->co.lang, &d);
    if (st != KOFU_OK)
        return st;
    kofu_case *at = c;
    bool owned = false;
    st = vary_apply(sw->plans, (size_t)sw->n_vars, c, vals, d, &at, &owned);
    kofu_result *r = NULL;
    kofu_eval_options opt = {.lang = sw->co.lang, .no_trace = true,
                             .computed_at = sw->co.computed_at};
    if (st == KOFU_OK)
        st = kofu_evaluate(rules, at, &opt, d, &r);
    if (owned)
        kofu_case_free(&at);
    p->cells = calloc(sw->n_columns ? sw->n_columns : 1, sizeof *p->cells);
    if (!p->cells) {
        st = KOFU_ENOMEM;
    } else if (st == KOFU_OK) {
        fill_cells(sw, p, kofu_result_root(r));
    } else if (st == KOFU_ECASE || st == KOFU_EUSAGE) {
        print_diag_once(sw, d);
        p->error = diag_joined(d);
        sw->any_error = true;
        st = KOFU_OK;
    }
    if (st == KOFU_OK && sw->book)
        st = kofu_xlsx_add_sweep_point(sw->book, (size_t)sw->n_vars, keys, vals,
                                       p->error ? NULL : r, p->error);
    if (st == KOFU_OK && sw->co.format == FMT_CSV) {
        kofu_diag_clear(d);
        st = kofu_csv_sweep_point(&sw->co.csv, &sw->csv_spec, &sw->csv_rows, vals,
                                  p->error ? NULL : r, p->error, d);
        cli_print_diag(d);
    }
    kofu_result_free(&r);
    kofu_diag_free(&d);
    return st;
}

static int run_points(sweep *sw, const kofu_rules *rules, kofu_case *c)
{
    size_t n0 = sw->vars[0].n, n1 = sw->n_vars == 2 ? sw->vars[1].n : 1;
    sw->points = calloc(n0 * n1, sizeof *sw->points);
    if (!sw->points)
        return EXIT_FAILURE_IO;
    for (size_t i = 0; i < n0; i++) {
        for (size_t j = 0; j < n1; j++) {
            point *p = &sw->points[sw->n_points++];
            p->idx[0] = i;
            p->idx[1] = j;
            kofu_status st = run_point(sw, rules, c, p);
            if (st != KOFU_OK) {
                cli_error("%s", kofu_status_message(st, sw->co.lang));
                return cli_exit_for(st);
            }
        }
    }
    return EXIT_OK;
}

/* ---- text ----------------------------------------------------------------- */

static void print_legend(const sweep *sw, FILE *out)
{
    kofu_lang lang = sw->co.lang;
    fputc('\n', out);
    for (size_t k = 0; k < sw->n_columns; k++)
        fprintf(out, "  %s: %s\n", sw->headings[k], sw->columns[k]);
    fputs(CLI_TR(lang, "  金額は円、— は求められない値（エラーの点は標準エラー出力に理由）\n",
                 "  amounts in yen; — where a value cannot be determined (errors explained on stderr)\n"),
          out);
    for (size_t k = 0; k < sw->n_warn; k++)
        fprintf(out, CLI_TR(lang, "  注意 [%s]（%zu 点。最初の点では: %s）\n",
                            "  warning [%s] (%zu points; at the first: %s)\n"),
                sw->warn_code[k], sw->warn_count[k], sw->warn_msg[k]);
}

static void print_title(const sweep *sw, const kofu_case *c, FILE *out)
{
    kofu_lang lang = sw->co.lang;
    const char *name = kofu_case_name(c);
    fprintf(out, "%s %s%s%s%s — ", CLI_TR(lang, "ケース", "case"), kofu_case_id(c), name[0] ? " (" : "",
            name, name[0] ? ")" : "");
    for (int v = 0; v < sw->n_vars; v++)
        fprintf(out, "%s%s = %s", v ? (lang == KOFU_LANG_EN ? " by " : " × ") : "", sw->vars[v].key,
                sw->vars[v].range);
    fputc('\n', out);
    for (int v = 0; v < sw->n_vars; v++)
        if (sw->plans[v].note)
            fprintf(out, "%s%s\n", CLI_TR(lang, "  ※ ", "  * "), sw->plans[v].note);
    fprintf(out, "%s%s\n", CLI_TR(lang, "  ※ ", "  * "),
            CLI_TR(lang, "ほかの値はケースに書かれたままです", "every other value stays as the case gives it"));
}

/* One variable: a row per value, a column per amount. */
static void print_table(const sweep *sw, FILE *out)
{
    size_t w[MAX_COLUMNS + 1];
    char buf[64];
    w[0] = render_display_width(sw->vars[0].key);
    for (size_t i = 0; i < sw->n_points; i++) {
        size_t vw = render_display_width(sw->vars[0].values[sw->points[i].idx[0]]);
        w[0] = vw > w[0] ? vw : w[0];
    }
    for (size_t k = 0; k < sw->n_columns; k++) {
        w[k + 1] = render_display_width(sw->headings[k]);
        for (size_t i = 0; i < sw->n_points; i++) {
            size_t cw = render_display_width(cell_text(&sw->points[i].cells[k], sw->percent[k], buf, sizeof buf));
            w[k + 1] = cw > w[k + 1] ? cw : w[k + 1];
        }
    }
    fputc('\n', out);
    print_right(out, sw->vars[0].key, w[0]);
    for (size_t k = 0; k < sw->n_columns; k++) {
        fputs("  ", out);
        print_right(out, sw->headings[k], w[k + 1]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < sw->n_points; i++) {
        const point *p = &sw->points[i];
        print_right(out, sw->vars[0].values[p->idx[0]], w[0]);
        for (size_t k = 0; k < sw->n_columns; k++) {
            fputs("  ", out);
            print_right(out, cell_text(&p->cells[k], sw->percent[k], buf, sizeof buf), w[k + 1]);
        }
        if (p->error)
            fputs(CLI_TR(sw->co.lang, "  （エラー）", "  (error)"), out);
        fputc('\n', out);
    }
}

/* Two variables: one grid per amount, rows = first, columns = second. */
static void print_grid(const sweep *sw, size_t k, FILE *out)
{
    const vary *a = &sw->vars[0], *b = &sw->vars[1];
    char buf[64], head[300];
    snprintf(head, sizeof head, "%s \\ %s", a->key, b->key);
    size_t w0 = render_display_width(head), w = 1;
    for (size_t i = 0; i < a->n; i++)
        w0 = render_display_width(a->values[i]) > w0 ? render_display_width(a->values[i]) : w0;
    for (size_t j = 0; j < b->n; j++)
        w = render_display_width(b->values[j]) > w ? render_display_width(b->values[j]) : w;
    for (size_t i = 0; i < sw->n_points; i++) {
        const point *p = &sw->points[i];
        size_t cw = p->error ? render_display_width(CLI_TR(sw->co.lang, "エラー", "error"))
                             : render_display_width(cell_text(&p->cells[k], sw->percent[k], buf, sizeof buf));
        w = cw > w ? cw : w;
    }
    fprintf(out, "\n%s — %s\n", sw->headings[k], sw->columns[k]);
    print_right(out, head, w0);
    for (size_t j = 0; j < b->n; j++) {
        fputs("  ", out);
        print_right(out, b->values[j], w);
    }
    fputc('\n', out);
    for (size_t i = 0; i < a->n; i++) {
        print_right(out, a->values[i], w0);
        for (size_t j = 0; j < b->n; j++) {
            const point *p = &sw->points[i * b->n + j];
            fputs("  ", out);
            print_right(out, p->error ? CLI_TR(sw->co.lang, "エラー", "error")
                                      : cell_text(&p->cells[k], sw->percent[k], buf, sizeof buf),
                        w);
        }
        fputc('\n', out);
    }
}

static void print_text(const sweep *sw, const kofu_case *c, FILE *out)
{
    print_title(sw, c, out);
    if (sw->n_vars == 1)
        print_table(sw, out);
    else
        for (size_t k = 0; k < sw->n_columns; k++)
            print_grid(sw, k, out);
    print_legend(sw, out);
}

/* ---- CSV and JSON (long form: one row per point) ------------------------- */

/* The header row (kofu/csv.h renders both it and the rows, as the server's
 * sweep download), then the rows run_point rendered. */
static int print_csv(sweep *sw, FILE *out)
{
    cli_buf b = {0};
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(sw->co.lang, &d);
    if (st == KOFU_OK)
        st = kofu_csv_sweep_begin(&sw->co.csv, &sw->csv_spec, &b, d);
    cli_print_diag(d);
    kofu_diag_free(&d);
    if (st == KOFU_OK) {
        cli_buf_write(out, &b);
        cli_buf_write(out, &sw->csv_rows);
    }
    cli_buf_free(&b);
    return st == KOFU_OK ? EXIT_OK : cli_exit_for(st);
}

static cJSON *cell_json(const cell *c)
{
    char buf[32];
    if (c->kind == CELL_INT) {
        snprintf(buf, sizeof buf, "%" PRId64, c->i);
        return cJSON_CreateRaw(buf);
    }
    return c->kind == CELL_TEXT ? cJSON_CreateString(c->s) : cJSON_CreateNull();
}

/* {"vary": {key: value as set}, amounts..., "warnings": [codes]} or, for an
 * invalid point, {"vary": {...}, "error": message}. The set values sit apart
 * from the amounts: "cooperative.utilization" is both an input and an output. */
static cJSON *point_json(const sweep *sw, const point *p)
{
    cJSON *o = cJSON_CreateObject(), *set = cJSON_CreateObject();
    if (!o || !set) {
        cJSON_Delete(o);
        cJSON_Delete(set);
        return NULL;
    }
    for (int v = 0; v < sw->n_vars; v++)
        cJSON_AddItemToObject(set, sw->vars[v].key, cJSON_CreateString(sw->vars[v].values[p->idx[v]]));
    cJSON_AddItemToObject(o, "vary", set);
    if (o && p->error) {
        cJSON_AddItemToObject(o, "error", cJSON_CreateString(p->error));
        return o;
    }
    for (size_t k = 0; o && k < sw->n_columns; k++)
        cJSON_AddItemToObject(o, sw->columns[k], cell_json(&p->cells[k]));
    cJSON *w = o ? cJSON_CreateArray() : NULL;
    char *codes = p->warnings ? strdup(p->warnings) : NULL, *save = NULL;
    for (char *t = codes ? strtok_r(codes, " ", &save) : NULL; w && t; t = strtok_r(NULL, " ", &save))
        cJSON_AddItemToArray(w, cJSON_CreateString(t));
    free(codes);
    if (w)
        cJSON_AddItemToObject(o, "warnings", w);
    return o;
}

static int print_json(const sweep *sw, const kofu_case *c, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *vars = cJSON_CreateArray(), *cols = cJSON_CreateArray(), *rows = cJSON_CreateArray();
    if (!root || !vars || !cols || !rows) {
        cJSON_Delete(root);
        cJSON_Delete(vars);
        cJSON_Delete(cols);
        cJSON_Delete(rows);
        return EXIT_FAILURE_IO;
    }
    cJSON_AddItemToObject(root, "format", cJSON_CreateString("kofu-sweep/1"));
    cJSON_AddItemToObject(root, "case", cJSON_CreateString(kofu_case_id(c)));
    cJSON_AddItemToObject(root, "fiscal_year", cJSON_CreateNumber(kofu_case_fiscal_year(c)));
    for (int v = 0; v < sw->n_vars; v++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "key", cJSON_CreateString(sw->vars[v].key));
        cJSON_AddItemToObject(o, "range", cJSON_CreateString(sw->vars[v].range));
        cJSON_AddItemToArray(vars, o);
    }
    for (size_t k = 0; k < sw->n_columns; k++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(sw->columns[k]));
    for (size_t i = 0; i < sw->n_points; i++)
        cJSON_AddItemToArray(rows, point_json(sw, &sw->points[i]));
    cJSON *notes = cJSON_CreateArray();
    for (int v = 0; notes && v < sw->n_vars; v++)
        if (sw->plans[v].note)
            cJSON_AddItemToArray(notes, cJSON_CreateString(sw->plans[v].note));
    cJSON_AddItemToObject(root, "vary", vars);
    if (notes)
        cJSON_AddItemToObject(root, "follows", notes);
    cJSON_AddItemToObject(root, "columns", cols);
    cJSON_AddItemToObject(root, "rows", rows);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return EXIT_FAILURE_IO;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return EXIT_OK;
}

/* ---- the command ---------------------------------------------------------- */

static void sweep_free(sweep *sw)
{
    for (int v = 0; v < sw->n_vars; v++) {
        kofu_range_free(&sw->vars[v].values, sw->vars[v].n);
        free((char *)sw->vars[v].key);
    }
    for (size_t k = 0; k < sw->n_columns; k++) {
        free(sw->columns[k]);
        free(sw->headings[k]);
    }
    for (int v = 0; v < MAX_VARY; v++)
        vary_plan_free(&sw->plans[v]);
    for (size_t i = 0; sw->points && i < sw->n_points; i++) {
        for (size_t k = 0; sw->points[i].cells && k < sw->n_columns; k++)
            free(sw->points[i].cells[k].s);
        free(sw->points[i].cells);
        free(sw->points[i].error);
        free(sw->points[i].warnings);
    }
    free(sw->points);
    cli_buf_free(&sw->csv_rows);
    for (size_t k = 0; k < sw->n_warn; k++) {
        free(sw->warn_code[k]);
        free(sw->warn_msg[k]);
    }
    for (size_t k = 0; k < sw->n_printed; k++)
        free(sw->printed[k]);
}

/* Loads the case and evaluates it once as written: a case that is invalid
 * before anything varies is reported as calc would report it. */
static int load_base(sweep *sw, const kofu_rules *rules, kofu_case **c)
{
    kofu_diag *d = NULL;
    kofu_status st = kofu_diag_new(sw->co.lang, &d);
    if (st == KOFU_OK)
        st = kofu_case_load_file(rules, sw->case_path, d, c);
    kofu_result *base = NULL;
    kofu_eval_options opt = {.lang = sw->co.lang, .no_trace = true,
                             .computed_at = sw->co.computed_at};
    if (st == KOFU_OK)
        st = kofu_evaluate(rules, *c, &opt, d, &base);
    int rc = EXIT_OK;
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            fprintf(stderr, "%s: %s\n", sw->case_path, kofu_status_message(st, sw->co.lang));
        rc = cli_exit_for(st);
    } else {
        rc = choose_columns(sw, kofu_result_root(base));
        if (rc == EXIT_OK)
            rc = make_plans(sw, *c);
    }
    kofu_result_free(&base);
    kofu_diag_free(&d);
    return rc;
}

static int run(int argc, char **argv)
{
    sweep sw = {0};
    cli_common_init(&sw.co, FMT_TEXT);
    bool help = false;
    int rc = parse_args(&sw, argc, argv, &help);
    if (help) {
        sweep_free(&sw);
        cli_help_command("sweep", sw.co.lang, stdout);
        return EXIT_OK;
    }
    if (rc == EXIT_OK)
        rc = cli_xlsx_check(&sw.co, "sweep", false);
    kofu_rules *rules = rc == EXIT_OK ? cli_load_rules(&sw.co, &rc) : NULL;
    kofu_case *c = NULL;
    if (rules)
        rc = load_base(&sw, rules, &c);
    kofu_node *bib = NULL;
    if (rc == EXIT_OK && sw.co.format == FMT_XLSX)
        sw.book = cli_xlsx_open(&sw.co, sw.co.output, rules, &bib, &rc);
    if (rc == EXIT_OK)
        rc = run_points(&sw, rules, c);
    if (sw.book) {
        if (rc == EXIT_OK)
            rc = cli_xlsx_close(&sw.book, &sw.co, rc);
        kofu_xlsx_discard(&sw.book);
    }
    kofu_node_free(&bib);
    if (rc == EXIT_OK && sw.co.format == FMT_XLSX) {
        if (sw.any_error)
            rc = EXIT_INVALID_CASE;
    } else if (rc == EXIT_OK) {
        if (sw.co.format == FMT_CSV)
            rc = print_csv(&sw, stdout);
        else if (sw.co.format == FMT_JSON)
            rc = print_json(&sw, c, stdout);
        else
            print_text(&sw, c, stdout);
        if (rc == EXIT_OK && sw.any_error)
            rc = EXIT_INVALID_CASE;
    }
    kofu_case_free(&c);
    kofu_rules_free(&rules);
    sweep_free(&sw);
    return rc;
}

const cli_command cmd_sweep = {
    "sweep",
    run,
    "値を範囲で変えてケースを計算し直します（予算のシミュレーション）",
    "re-evaluates a case over a range of values (budget simulation)",
    "使い方: kofu sweep CASE --vary SECTION.KEY=FROM:TO:STEP [--vary ...] [--show 措置.金額,...]\n"
    "                  [--template-worker ID] [--format text|csv|json|xlsx] [--output FILE]\n"
    "                  [--header ja|en|keys] [--encoding E] [--unit 円|千円] [--lang ja|en] [--rules DIR]\n\n"
    "ケースファイルの値を1つ（表）または2つ（格子）変えながら計算し直します。各点は kofu calc と\n"
    "同じ検証・計算を通るので、範囲外の値（稼働率 120% など）は calc と同じエラーになります。\n"
    "値につれて動くものも動かし、表の見出しの下に「何が何につれて動くか」を書きます:\n"
    "  cooperative.utilization  所定労働時間があれば各職員の派遣労働時間（稼働率 × 所定）と、\n"
    "                  利用料金収入・過不足・損益分岐の時間単価。なければ派遣労働時間はそのまま\n"
    "  cooperative.workers      人数で書いたケース: 人件費の合計と労働時間が1人あたり平均で増減。\n"
    "                  職員ごとのケース: 職員を写して加える（--template-worker、既定は最後の職員）か\n"
    "                  最後の職員から外す\n"
    "  cooperative.hourly_fee   利用料金収入と過不足\n"
    "  case.fiscal_year         各年度のルールデータと、その年度の注意\n"
    "  名前付きセクションのキー  cooperative.worker.<ID>.start_month, rmo_operation.<ID>.expenses など\n\n"
    "  --vary SECTION.KEY=FROM:TO:STEP   変える値と範囲。単位は FROM と同じ書き方で出力されます:\n"
    "                  %（比率）, 千円, 万円, 円, または単位なし。計算は厳密です（50% から 5% 刻み\n"
    "                  で 80% にちょうど止まる）。刻み 0・逆向き・10,000 点超はエラー。2つまで\n"
    "  --show 措置.金額,...   表示する金額。出力契約のどの金額でも（cooperative.balance,\n"
    "                  fiscal_capacity.index, fiscal_capacity.coefficient, totals.special_tax_grant など）。\n"
    "                  省略時は措置ごとの既定の列（協同組合: 稼働率、人件費上限、交付対象経費、国の交付金、\n"
    "                  市町村の実質負担、必要な利用料金収入、利用料金収入、過不足、損益分岐の時間単価）\n"
    "  --template-worker ID   職員を加えるときに写す職員（既定は最後の職員）\n"
    "  --format text   表（既定）。列の見出しは金額の名前（同じ名前が並ぶときは措置名付き）、比率は %\n"
    "                  変数が2つなら金額ごとに格子（行 = 1つ目、列 = 2つ目）\n"
    "  --format csv    1点1行（変えた値, 状態, エラー, 注意, 金額...）。見出しは表と同じ名前。比率は正確な値\n"
    "  --header ja|en|keys   CSV の見出しの言語（既定は表示言語）。keys はスクリプト用の名前\n"
    "                  （vary:変えたキー, status, error, warnings, 措置.金額）\n"
    "  --encoding E    CSV の文字コード: utf-8-bom（既定）, utf-8, cp932\n"
    "  --format json   {\"format\": \"kofu-sweep/1\", \"vary\", \"follows\", \"columns\", \"rows\"}、1点1行\n"
    "                  （各行: {\"vary\": {キー: 値}, 金額..., \"warnings\"} かエラーなら \"error\"）\n"
    "  --format xlsx   Excel のブック（--output FILE）: 1点1行の表と、だれが何を負担するか（利用料金・国・\n"
    "                  市町村の実質負担・特別交付税の積み上げ）と損益分岐の時間単価（右軸の線）のグラフ。\n"
    "                  --unit 千円 で金額を千円表示にします（セルの値は円のまま）\n"
    "  --lang ja|en    表示言語    --rules DIR   編集したルールデータを使う\n\n"
    "終了コード: 0 成功, 2 使い方の誤り, 3 ケースファイルまたはいずれかの点が不正（その点はエラー表示、\n"
    "他の点は計算）, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu sweep examples/cooperative-plan.ini --vary cooperative.utilization=60%:90%:5%\n"
    "    kofu sweep examples/cooperative-plan.ini --vary cooperative.workers=3:8:1 --template-worker a\n"
    "    kofu sweep examples/rmo-town-r7.ini --vary case.fiscal_year=2024:2025:1\n",
    "usage: kofu sweep CASE --vary SECTION.KEY=FROM:TO:STEP [--vary ...] [--show measure.amount,...]\n"
    "                  [--template-worker ID] [--format text|csv|json|xlsx] [--output FILE]\n"
    "                  [--header ja|en|keys] [--encoding E] [--unit 円|千円] [--lang ja|en] [--rules DIR]\n\n"
    "Re-evaluates a case while one value (a table) or two (a grid) vary over a range. Every point\n"
    "goes through the same validation and computation as kofu calc, so an out-of-range value\n"
    "(utilization 120%) gives the same error as calc would. What depends on the value moves with\n"
    "it, and the header says what follows what:\n"
    "  cooperative.utilization  where scheduled hours are known, each worker's dispatched hours\n"
    "                  (utilization × scheduled), the usage-fee income, balance and break-even fee;\n"
    "                  otherwise the dispatched hours stay as given\n"
    "  cooperative.workers      simple form: the total personnel cost and hours at the per-worker\n"
    "                  average; per-worker sections: a worker is copied (--template-worker, default\n"
    "                  the last) or workers are removed from the end\n"
    "  cooperative.hourly_fee   the usage-fee income and the balance\n"
    "  case.fiscal_year         that year's rule data and warnings\n"
    "  a key of a named section cooperative.worker.<id>.start_month, rmo_operation.<id>.expenses, ...\n\n"
    "  --vary SECTION.KEY=FROM:TO:STEP   the value to vary and its range; values are written in\n"
    "                  FROM's notation: % (ratios), 千円, 万円, 円, or none. Exact arithmetic (from 50%\n"
    "                  by 5% lands on 80% exactly). A step of 0, the wrong direction or more than\n"
    "                  10,000 values is an error. At most two.\n"
    "  --show measure.amount,...   the amounts to show: any amount of the result (cooperative.balance,\n"
    "                  fiscal_capacity.index, fiscal_capacity.coefficient, totals.special_tax_grant, ...);\n"
    "                  default: each measure's sweep columns (cooperative: utilization, personnel cap,\n"
    "                  eligible cost, national grant, municipal net burden, required usage fees,\n"
    "                  usage-fee income, balance, break-even hourly fee)\n"
    "  --template-worker ID   the worker copied to add workers (default: the last)\n"
    "  --format text   a table (default), headed by the amounts' labels (with the measure's where two\n"
    "                  would read the same), ratios as percentages; with two variables one grid per\n"
    "                  amount (rows = first, columns = second)\n"
    "  --format csv    one row per point (varied values, status, error, warnings, exact amounts),\n"
    "                  headed like the text table\n"
    "  --header ja|en|keys   the CSV headers' language (default: the display language); keys gives\n"
    "                  names for scripts (vary:KEY, status, error, warnings, measure.amount)\n"
    "  --encoding E    CSV bytes: utf-8-bom (default), utf-8, cp932\n"
    "  --format json   {\"format\": \"kofu-sweep/1\", \"vary\", \"follows\", \"columns\", \"rows\"}, one\n"
    "                  row per point (each {\"vary\": {key: value}, amounts..., \"warnings\"}, or \"error\")\n"
    "  --format xlsx   an Excel workbook (--output FILE): one row per point and a chart of who pays\n"
    "                  what (usage fees, national grant, municipality net, special tax grant, stacked)\n"
    "                  with the break-even hourly fee as a line on the right axis; --unit 千円 shows\n"
    "                  thousands (cells keep exact yen)\n"
    "  --lang ja|en    language    --rules DIR   use an edited copy of the rule data\n\n"
    "exit codes: 0 success, 2 usage error, 3 invalid case file or an invalid point (shown as an\n"
    "error, the other points computed), 4 invalid rule data, 5 I/O error\n"
    "example: kofu sweep examples/cooperative-plan.ini --vary cooperative.utilization=60%:90%:5%\n"
    "         kofu sweep examples/cooperative-plan.ini --vary cooperative.workers=3:8:1 --template-worker a\n"
    "         kofu sweep examples/rmo-town-r7.ini --vary case.fiscal_year=2024:2025:1\n",
};
