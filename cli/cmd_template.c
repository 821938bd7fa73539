/* cmd_template.c — `kofu template`: a ready-to-fill case file or case table
 * for the chosen measures, built from the measures' schemas (kofu_schema):
 * every key with its label, and an example that kofu calc accepts as is. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const formats[] = {"ini", "csv", "xlsx", NULL};

typedef struct tkey {
    char section[96]; /* the section as a file names it: "network", "cooperative.worker.a" */
    char column[96];  /* the table column's section: "network", "cooperative.worker"      */
    const char *key, *type, *label;
    const char *min, *max;  /* the schema's bounds, or NULL */
    bool required, example;
    bool own_row;     /* a section that exists only with an id: a row of its own */
} tkey;

/* The schema's "network[.<id>]" → "network"; "cooperative.worker.<id>" →
 * "cooperative.worker.a" (a row of its own in a table). */
static void section_names(const char *schema_name, tkey *k)
{
    const char *opt = strstr(schema_name, "[.<id>]");
    const char *id = strstr(schema_name, ".<id>");
    size_t n = opt ? (size_t)(opt - schema_name) : id ? (size_t)(id - schema_name) : strlen(schema_name);
    snprintf(k->column, sizeof k->column, "%.*s", (int)n, schema_name);
    k->own_row = id && !opt;
    snprintf(k->section, sizeof k->section, "%.*s%s", (int)n, schema_name, k->own_row ? ".a" : "");
}

static const char *example_value(const tkey *k)
{
    if (strcmp(k->type, "amount") == 0)
        return "1,000,000";
    if (strcmp(k->type, "ratio") == 0)
        return "80%";
    if (strcmp(k->type, "boolean") == 0)
        return "no";
    if (strcmp(k->type, "integer") == 0)
        return "12";
    if (strcmp(k->type, "decimal") == 0)
        return "0.55";
    if (strcmp(k->type, "fiscal_year") == 0)
        return "R7";
    if (strcmp(k->type, "entity") == 0)
        return "municipality";
    if (strcmp(k->type, "id") == 0)
        return "sample-r7";
    return "〇〇町";
}

static bool wanted(const char *measure, char **measures, int n)
{
    if (!*measure || n == 0)
        return true; /* [case], or every measure */
    for (int i = 0; i < n; i++)
        if (strcmp(measures[i], measure) == 0)
            return true;
    /* the fiscal-capacity adjustment comes with the RMO measures that need it */
    if (strcmp(measure, "fiscal_capacity") == 0)
        for (int i = 0; i < n; i++)
            if (strncmp(measures[i], "rmo_", 4) == 0)
                return true;
    return false;
}

/* The keys of the chosen measures, each marked when the example fills it:
 * required keys and the first key of each section that is not a name (a
 * combination every measure accepts). */
static tkey *collect(const kofu_node *schema, char **measures, int n_measures, kofu_lang lang,
                     size_t *n)
{
    tkey *keys = calloc(kofu_node_size(schema) + 1, sizeof *keys);
    if (!keys)
        return NULL;
    *n = 0;
    const char *last_section = "";
    bool filled_one = false;
    for (size_t i = 0; i < kofu_node_size(schema); i++) {
        const kofu_node *e = kofu_node_at(schema, i);
        if (!wanted(kofu_node_str(kofu_node_get(e, "measure")), measures, n_measures))
            continue;
        tkey *k = &keys[(*n)++];
        const char *sec = kofu_node_str(kofu_node_get(e, "section"));
        section_names(sec, k);
        k->key = kofu_node_str(kofu_node_get(e, "key"));
        k->type = kofu_node_str(kofu_node_get(e, "type"));
        k->label = kofu_node_str(kofu_node_get(e, lang == KOFU_LANG_EN ? "label_en" : "label_ja"));
        k->required = kofu_node_bool(kofu_node_get(e, "required"));
        k->min = kofu_node_get(e, "min") ? kofu_node_str(kofu_node_get(e, "min")) : NULL;
        k->max = kofu_node_get(e, "max") ? kofu_node_str(kofu_node_get(e, "max")) : NULL;
        if (strcmp(sec, last_section) != 0) {
            last_section = sec;
            filled_one = false;
        }
        bool is_name = strcmp(k->key, "name") == 0 && strcmp(k->column, "case") != 0;
        k->example = k->required || strcmp(k->column, "case") == 0 || (!filled_one && !is_name);
        if (k->example && !is_name)
            filled_one = true;
    }
    return keys;
}

static void write_ini(FILE *out, const tkey *keys, size_t n, kofu_lang lang)
{
    fputs(CLI_TR(lang, "; kofu のケースファイルのひな形（kofu template）。例の値を書き換え、; を外して\n"
                       "; 使うキーを加えてから kofu calc で計算します。ケースファイルの書式: kofu help case\n",
                 "; A kofu case file to fill in (kofu template). Replace the example values, remove the ;\n"
                 "; before the keys you use, then run kofu calc. The format: kofu help case\n"),
          out);
    const char *section = "";
    for (size_t i = 0; i < n; i++) {
        const tkey *k = &keys[i];
        if (strcmp(k->section, section) != 0) {
            fprintf(out, "\n[%s]\n", k->section);
            section = k->section;
        }
        char line[256];
        snprintf(line, sizeof line, "%s%s = %s", k->example ? "" : "; ", k->key,
                 k->example ? example_value(k) : "");
        fprintf(out, "%-40s ; %s%s\n", line, k->label,
                k->required ? CLI_TR(lang, "（必須）", " (required)") : "");
    }
}

/* A case table's layout, the same for CSV and xlsx: a column per section
 * kind and key (a section with an id and its plain form share one), the
 * `section` column after the case.* columns (a NULL entry), and the rows:
 * row 0 holds the example of [case] and the plain sections, and each section
 * that exists only with an id gets a row of its own. */
typedef struct layout {
    const tkey **cols;
    size_t n_cols;
    const char **cells; /* n_rows × n_cols, NULL empty */
    size_t n_rows;
} layout;

static void layout_free(layout *l)
{
    free(l->cols);
    free(l->cells);
    *l = (layout){0};
}

/* The column of each key (col_of[i]); the section column is inserted later. */
static size_t key_columns(const tkey *keys, size_t n, const tkey **cols, size_t *col_of)
{
    size_t n_cols = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < n_cols && !(strcmp(cols[c]->column, keys[i].column) == 0 &&
                               strcmp(cols[c]->key, keys[i].key) == 0))
            c++;
        if (c == n_cols)
            cols[n_cols++] = &keys[i];
        col_of[i] = c;
    }
    return n_cols;
}

static bool layout_make(const tkey *keys, size_t n, layout *l)
{
    *l = (layout){0};
    size_t *col_of = calloc(n ? n : 1, sizeof *col_of);
    const tkey **kcols = calloc(n ? n : 1, sizeof *kcols);
    l->cols = calloc(n + 1, sizeof *l->cols);
    if (!col_of || !kcols || !l->cols) {
        free(col_of);
        free(kcols);
        layout_free(l);
        return false;
    }
    size_t n_keys = key_columns(keys, n, kcols, col_of);
    /* case.* first, then `section`, then the rest */
    size_t n_case = 0;
    while (n_case < n_keys && strcmp(kcols[n_case]->column, "case") == 0)
        n_case++;
    for (size_t c = 0; c < n_keys; c++)
        l->cols[c < n_case ? c : c + 1] = kcols[c];
    l->n_cols = n_keys + 1;
    const char *row_sections[64];
    l->n_rows = 1;
    row_sections[0] = "";
    for (size_t i = 0; i < n; i++)
        if (keys[i].own_row && keys[i].example) {
            bool seen = false;
            for (size_t r = 1; r < l->n_rows; r++)
                seen |= strcmp(row_sections[r], keys[i].section) == 0;
            if (!seen && l->n_rows < 64)
                row_sections[l->n_rows++] = keys[i].section;
        }
    l->cells = calloc(l->n_rows * l->n_cols, sizeof *l->cells);
    for (size_t r = 0; l->cells && r < l->n_rows; r++) {
        const char **row = &l->cells[r * l->n_cols];
        row[n_case] = r ? row_sections[r] : NULL;
        for (size_t i = 0; i < n; i++) {
            const tkey *k = &keys[i];
            bool here = strcmp(k->column, "case") == 0 ? (r == 0 || strcmp(k->key, "id") == 0)
                        : r == 0                       ? !k->own_row
                                                       : strcmp(k->section, row_sections[r]) == 0;
            if (here && k->example)
                row[col_of[i] < n_case ? col_of[i] : col_of[i] + 1] = example_value(k);
        }
    }
    free(col_of);
    free(kcols);
    if (!l->cells) {
        layout_free(l);
        return false;
    }
    return true;
}

/* "network.eligible_cost（交付対象経費）": the label beside the key, which
 * the case-table reader drops. */
static void header_text(const tkey *k, char *buf, size_t cap)
{
    if (k)
        snprintf(buf, cap, "%s.%s（%s）", k->column, k->key, k->label);
    else
        snprintf(buf, cap, "section");
}

static void write_csv(cli_buf *b, const layout *l)
{
    for (size_t c = 0; c < l->n_cols; c++) {
        if (c)
            cli_buf_putc(b, ',');
        char head[512];
        header_text(l->cols[c], head, sizeof head);
        kofu_csv_field(b, head);
    }
    cli_buf_puts(b, "\r\n");
    for (size_t r = 0; r < l->n_rows; r++) {
        for (size_t c = 0; c < l->n_cols; c++) {
            if (c)
                cli_buf_putc(b, ',');
            const char *v = l->cells[r * l->n_cols + c];
            if (v)
                kofu_csv_field(b, v);
        }
        cli_buf_puts(b, "\r\n");
    }
}

/* The first fiscal year each chosen measure can be computed for is the
 * latest first year of its parameters (before it, one has no value); the
 * template accepts the earliest of those, since a row may fill one measure
 * only. 0 when the rule data says nothing. */
static int first_fiscal_year(const kofu_rules *rules, char **measures, int n_measures, kofu_lang lang)
{
    kofu_node *list = NULL;
    if (kofu_rules_list(rules, 0, lang, &list) != KOFU_OK)
        return 0;
    int best = 0;
    for (size_t i = 0; i < kofu_node_size(list); i++) {
        const char *m = kofu_node_str(kofu_node_get(kofu_node_at(list, i), "measure"));
        if (!wanted(m, measures, n_measures))
            continue;
        /* this measure's first year: the max over its parameters of their first */
        int first = 0;
        for (size_t j = 0; j < kofu_node_size(list); j++) {
            const kofu_node *p = kofu_node_at(list, j);
            if (strcmp(kofu_node_str(kofu_node_get(p, "measure")), m) != 0)
                continue;
            const char *name = kofu_node_str(kofu_node_get(p, "name"));
            int from = (int)kofu_node_int(kofu_node_get(p, "from_fy"));
            for (size_t k = 0; k < kofu_node_size(list); k++) {
                const kofu_node *q = kofu_node_at(list, k);
                if (strcmp(kofu_node_str(kofu_node_get(q, "measure")), m) == 0 &&
                    strcmp(kofu_node_str(kofu_node_get(q, "name")), name) == 0 &&
                    kofu_node_int(kofu_node_get(q, "from_fy")) < from)
                    from = (int)kofu_node_int(kofu_node_get(q, "from_fy"));
            }
            first = from > first ? from : first;
        }
        best = best == 0 || first < best ? first : best;
    }
    kofu_node_free(&list);
    return best;
}

static int write_xlsx(cli_common *co, const char *output, const layout *l, int first_fy)
{
    kofu_xlsx_column *cols = calloc(l->n_cols, sizeof *cols);
    char (*keys)[200] = calloc(l->n_cols, sizeof *keys);
    int rc = EXIT_OK;
    if (!cols || !keys) {
        free(cols);
        free(keys);
        return EXIT_FAILURE_IO;
    }
    for (size_t c = 0; c < l->n_cols; c++) {
        const tkey *k = l->cols[c];
        if (!k) {
            cols[c] = (kofu_xlsx_column){.key = "section"};
            continue;
        }
        snprintf(keys[c], sizeof keys[c], "%s.%s", k->column, k->key);
        cols[c] = (kofu_xlsx_column){keys[c], k->label, k->type, k->min, k->max, k->required};
    }
    kofu_xlsx_template t = {cols, l->n_cols, l->cells, l->n_rows, first_fy};
    kofu_xlsx *x = cli_xlsx_open(co, output, NULL, NULL, &rc);
    if (x && kofu_xlsx_add_template(x, &t) != KOFU_OK)
        rc = EXIT_FAILURE_IO;
    if (x && rc == EXIT_OK)
        rc = cli_xlsx_close(&x, co, rc);
    kofu_xlsx_discard(&x);
    free(cols);
    free(keys);
    return rc;
}

enum { T_INI, T_CSV, T_XLSX };

static int parse_args(int argc, char **argv, cli_common *co, char **measures, int *n_measures,
                      int *kind, const char **output, bool *help)
{
    int rc = EXIT_OK;
    bool encoding_given = false;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = true;
            return EXIT_OK;
        }
        if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : "";
            if (strcmp(v, "ini") == 0 || strcmp(v, "csv") == 0 || strcmp(v, "xlsx") == 0)
                *kind = v[0] == 'i' ? T_INI : v[0] == 'c' ? T_CSV : T_XLSX;
            else
                rc = cli_usage_error("template", co->lang,
                                     CLI_TR(co->lang, "--format は ini, csv, xlsx のどれかです: '%s'",
                                            "--format must be ini, csv or xlsx: '%s'"),
                                     v);
        } else if (strcmp(a, "--output") == 0 || strncmp(a, "--output=", 9) == 0) {
            *output = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!*output || !**output)
                rc = cli_usage_error("template", co->lang, "%s",
                                     CLI_TR(co->lang, "--output にはファイル名が必要です",
                                            "--output needs a file name"));
        } else if (strcmp(a, "--unit") == 0 || strncmp(a, "--unit=", 7) == 0) {
            /* a template holds no computed amount to display in 千円 */
            rc = cli_usage_error("template", co->lang,
                                 CLI_TR(co->lang, "不明なオプションです: '%s'", "unknown option: '%s'"), a);
        } else if (cli_common_option(co, "template", formats, argc, argv, &i, &rc)) {
            encoding_given |= strncmp(a, "--encoding", 10) == 0;
            continue;
        } else if (a[0] == '-') {
            rc = cli_usage_error("template", co->lang,
                                 CLI_TR(co->lang, "不明なオプションです: '%s'", "unknown option: '%s'"), a);
        } else if (!kofu_label(a, co->lang) || strchr(a, '.')) {
            rc = cli_usage_error("template", co->lang,
                                 CLI_TR(co->lang, "措置の名前ではありません: '%s'（例: network, cooperative）",
                                        "not a measure: '%s' (e.g. network, cooperative)"),
                                 a);
        } else {
            measures[(*n_measures)++] = argv[i];
        }
    }
    if (rc == EXIT_OK && encoding_given && *kind != T_CSV)
        rc = cli_usage_error("template", co->lang, "%s",
                             CLI_TR(co->lang, "--encoding は --format csv で使います",
                                    "--encoding goes with --format csv"));
    if (rc == EXIT_OK && *kind == T_XLSX) {
        /* a workbook is written to a file by name, never to a stream */
        co->format = FMT_XLSX;
        co->output = *output;
        rc = cli_xlsx_check(co, "template", true);
    }
    return rc;
}

static int write_text(const cli_common *co, int kind, const char *output, const tkey *keys, size_t n)
{
    FILE *out = stdout;
    int rc = EXIT_OK;
    if (output && !(out = fopen(output, "wb"))) {
        cli_error("%s: %s", output, CLI_TR(co->lang, "書き込めません", "cannot write"));
        return EXIT_FAILURE_IO;
    }
    if (kind == T_INI) {
        write_ini(out, keys, n, co->lang);
    } else {
        cli_buf b = {0};
        layout l;
        if (co->csv.encoding == KOFU_CSV_UTF8_BOM)
            cli_buf_puts(&b, "\xEF\xBB\xBF");
        size_t body = b.len;
        if (layout_make(keys, n, &l))
            write_csv(&b, &l);
        else
            b.failed = true;
        layout_free(&l);
        kofu_diag *d = NULL;
        kofu_diag_new(co->lang, &d);
        if (kofu_csv_encode(co->csv.encoding, &b, body, output ? output : "-", d) != KOFU_OK) {
            cli_print_diag(d);
            rc = EXIT_FAILURE_IO;
        }
        kofu_diag_free(&d);
        cli_buf_write(out, &b);
    }
    if (out != stdout && fclose(out) != 0)
        rc = EXIT_FAILURE_IO;
    return rc;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    co.format = (out_format)-1;
    char **measures = calloc((size_t)argc, sizeof *measures);
    if (!measures)
        return EXIT_FAILURE_IO;
    int n_measures = 0, kind = T_INI;
    const char *output = NULL;
    bool help = false;
    int rc = parse_args(argc, argv, &co, measures, &n_measures, &kind, &output, &help);
    if (help) {
        free(measures);
        cli_help_command("template", co.lang, stdout);
        return EXIT_OK;
    }
    kofu_node *schema = NULL;
    if (rc == EXIT_OK && kofu_schema(&schema) != KOFU_OK)
        rc = EXIT_FAILURE_IO;
    size_t n = 0;
    tkey *keys = rc == EXIT_OK ? collect(schema, measures, n_measures, co.lang, &n) : NULL;
    if (rc == EXIT_OK && !keys)
        rc = EXIT_FAILURE_IO;
    if (rc == EXIT_OK && kind != T_XLSX) {
        rc = write_text(&co, kind, output, keys, n);
    } else if (rc == EXIT_OK) {
        /* the fiscal years the validation accepts come from the rule data */
        kofu_rules *rules = cli_load_rules(&co, &rc);
        layout l = {0};
        if (rules && !layout_make(keys, n, &l))
            rc = EXIT_FAILURE_IO;
        if (rules && rc == EXIT_OK)
            rc = write_xlsx(&co, output, &l, first_fiscal_year(rules, measures, n_measures, co.lang));
        layout_free(&l);
        kofu_rules_free(&rules);
    }
    free(keys);
    kofu_node_free(&schema);
    free(measures);
    return rc;
}

const cli_command cmd_template = {
    "template",
    run,
    "記入用のケースファイルかケース表（CSV, xlsx）のひな形を書き出します",
    "writes a case file or case table (CSV, xlsx) to fill in",
    "使い方: kofu template [MEASURE...] [--format ini|csv|xlsx] [--encoding E] [--output FILE] [--lang ja|en]\n\n"
    "選んだ措置（省略時はすべて）のキーを、ラベルと例の値つきで書き出します。例の値のまま\n"
    "kofu calc で計算できます。地域運営組織の措置には財政力補正（fiscal_capacity）が付きます。\n\n"
    "  --format ini    ケースファイル（既定）。使わないキーは ; でコメントにしてあります\n"
    "  --format csv    ケース表（docs/case-tables.md）: 1行目が「section.key（ラベル）」の見出し、\n"
    "                  2行目が例。id だけのセクション（職員など）は section 列の行で加えます\n"
    "  --format xlsx   同じケース表の Excel ブック（--output FILE が必要）。列ごとの入力規則で、\n"
    "                  真偽値は はい/いいえ の一覧、年度は対象の年度の西暦か令和の年度、比率は 0〜1 の\n"
    "                  小数、金額は 0 以上の整数だけを受け付け、セルを選ぶと記入のしかたを表示します\n"
    "  --encoding E    CSV の文字コード: utf-8-bom（既定）, utf-8, cp932\n"
    "  --output FILE   標準出力ではなく FILE に書く\n\n"
    "例: kofu template network --format csv --output 申請.csv\n"
    "    kofu template cooperative --format xlsx --output 申請.xlsx\n",
    "usage: kofu template [MEASURE...] [--format ini|csv|xlsx] [--encoding E] [--output FILE] [--lang ja|en]\n\n"
    "Writes the keys of the chosen measures (default: all) with their labels and example values,\n"
    "which kofu calc accepts as they are. RMO measures come with the fiscal-capacity adjustment.\n\n"
    "  --format ini    a case file (default); keys not used are commented out with ;\n"
    "  --format csv    a case table (docs/case-tables.md): row 1 the headers \"section.key (label)\",\n"
    "                  row 2 the example; sections that exist only with an id (workers) get a\n"
    "                  row of their own through the section column\n"
    "  --format xlsx   the same case table as an Excel workbook (needs --output FILE), with data\n"
    "                  validation on every column: booleans from a yes/no list, fiscal years the\n"
    "                  measures cover (Western or era form), ratios as decimals from 0 to 1, amounts\n"
    "                  as whole numbers from 0; selecting a cell shows what to enter\n"
    "  --encoding E    CSV bytes: utf-8-bom (default), utf-8, cp932\n"
    "  --output FILE   write to FILE instead of standard output\n\n"
    "example: kofu template network --format csv --output claims.csv\n"
    "         kofu template cooperative --format xlsx --output claims.xlsx\n",
};
