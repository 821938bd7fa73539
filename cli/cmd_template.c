/* cmd_template.c — `kofu template`: a ready-to-fill case file or case table
 * for the chosen measures, built from the measures' schemas (kofu_schema):
 * every key with its label, and an example that kofu calc accepts as is. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const formats[] = {"ini", "csv", NULL};

typedef struct tkey {
    char section[96]; /* the section as a file names it: "network", "cooperative.worker.a" */
    char column[96];  /* the table column's section: "network", "cooperative.worker"      */
    const char *key, *type, *label;
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

/* A table column per section kind and key (a section with an id and its
 * plain form share one), the label beside the key; row 2 holds the example
 * of [case] and the plain sections, and each section that exists only with
 * an id gets a row of its own. */
static void write_csv(cli_buf *b, const tkey *keys, size_t n)
{
    size_t *col_of = calloc(n ? n : 1, sizeof *col_of), n_cols = 0;
    const tkey **cols = calloc(n ? n : 1, sizeof *cols);
    if (!col_of || !cols) {
        b->failed = true;
        free(col_of);
        free(cols);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < n_cols && !(strcmp(cols[c]->column, keys[i].column) == 0 &&
                               strcmp(cols[c]->key, keys[i].key) == 0))
            c++;
        if (c == n_cols)
            cols[n_cols++] = &keys[i];
        col_of[i] = c;
    }
    /* the header: case.* first, then `section`, then the rest */
    size_t n_case = 0;
    while (n_case < n_cols && strcmp(cols[n_case]->column, "case") == 0)
        n_case++;
    for (size_t c = 0; c < n_cols; c++) {
        if (c == n_case)
            cli_buf_puts(b, ",section");
        if (c)
            cli_buf_putc(b, ',');
        char head[512];
        snprintf(head, sizeof head, "%s.%s（%s）", cols[c]->column, cols[c]->key, cols[c]->label);
        kofu_csv_field(b, head);
    }
    cli_buf_puts(b, "\r\n");
    /* rows: the first for [case] and the plain sections, one per id-only section */
    const char *row_sections[64];
    size_t n_rows = 1;
    row_sections[0] = "";
    for (size_t i = 0; i < n; i++)
        if (keys[i].own_row && keys[i].example) {
            bool seen = false;
            for (size_t r = 1; r < n_rows; r++)
                seen |= strcmp(row_sections[r], keys[i].section) == 0;
            if (!seen && n_rows < 64)
                row_sections[n_rows++] = keys[i].section;
        }
    const char **cells = calloc(n_cols + 1, sizeof *cells);
    for (size_t r = 0; cells && r < n_rows; r++) {
        memset(cells, 0, (n_cols + 1) * sizeof *cells);
        for (size_t i = 0; i < n; i++) {
            const tkey *k = &keys[i];
            bool here = strcmp(k->column, "case") == 0 ? (r == 0 || strcmp(k->key, "id") == 0)
                        : r == 0                       ? !k->own_row
                                                       : strcmp(k->section, row_sections[r]) == 0;
            if (here && k->example)
                cells[col_of[i]] = example_value(k);
        }
        for (size_t c = 0; c < n_cols; c++) {
            if (c == n_case) {
                cli_buf_putc(b, ',');
                kofu_csv_field(b, row_sections[r]);
            }
            if (c)
                cli_buf_putc(b, ',');
            if (cells[c])
                kofu_csv_field(b, cells[c]);
        }
        cli_buf_puts(b, "\r\n");
    }
    if (!cells)
        b->failed = true;
    free(cells);
    free(col_of);
    free(cols);
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    co.format = (out_format)-1;
    char **measures = calloc((size_t)argc, sizeof *measures);
    int n_measures = 0, rc = EXIT_OK;
    const char *output = NULL;
    if (!measures)
        return EXIT_FAILURE_IO;
    bool ini = true;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            free(measures);
            cli_help_command("template", co.lang, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : "";
            if (strcmp(v, "ini") == 0 || strcmp(v, "csv") == 0)
                ini = strcmp(v, "ini") == 0;
            else
                rc = cli_usage_error("template", co.lang,
                                     CLI_TR(co.lang, "--format は ini か csv です: '%s'",
                                            "--format must be ini or csv: '%s'"),
                                     v);
        } else if (strcmp(a, "--output") == 0 || strncmp(a, "--output=", 9) == 0) {
            output = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!output || !*output)
                rc = cli_usage_error("template", co.lang, "%s",
                                     CLI_TR(co.lang, "--output にはファイル名が必要です",
                                            "--output needs a file name"));
        } else if (cli_common_option(&co, "template", formats, argc, argv, &i, &rc)) {
            continue;
        } else if (a[0] == '-') {
            rc = cli_usage_error("template", co.lang,
                                 CLI_TR(co.lang, "不明なオプションです: '%s'", "unknown option: '%s'"), a);
        } else if (!kofu_label(a, co.lang) || strchr(a, '.')) {
            rc = cli_usage_error("template", co.lang,
                                 CLI_TR(co.lang, "措置の名前ではありません: '%s'（例: network, cooperative）",
                                        "not a measure: '%s' (e.g. network, cooperative)"),
                                 a);
        } else {
            measures[n_measures++] = argv[i];
        }
    }
    kofu_node *schema = NULL;
    if (rc == EXIT_OK && kofu_schema(&schema) != KOFU_OK)
        rc = EXIT_FAILURE_IO;
    size_t n = 0;
    tkey *keys = rc == EXIT_OK ? collect(schema, measures, n_measures, co.lang, &n) : NULL;
    FILE *out = stdout;
    if (rc == EXIT_OK && output && !(out = fopen(output, "wb"))) {
        cli_error("%s: %s", output, CLI_TR(co.lang, "書き込めません", "cannot write"));
        rc = EXIT_FAILURE_IO;
    }
    if (rc == EXIT_OK && keys) {
        if (ini) {
            write_ini(out, keys, n, co.lang);
        } else {
            cli_buf b = {0};
            if (co.csv.encoding == KOFU_CSV_UTF8_BOM)
                cli_buf_puts(&b, "\xEF\xBB\xBF");
            size_t body = b.len;
            write_csv(&b, keys, n);
            kofu_diag *d = NULL;
            kofu_diag_new(co.lang, &d);
            if (kofu_csv_encode(co.csv.encoding, &b, body, output ? output : "-", d) != KOFU_OK) {
                cli_print_diag(d);
                rc = EXIT_FAILURE_IO;
            }
            kofu_diag_free(&d);
            cli_buf_write(out, &b);
        }
    }
    if (out && out != stdout && fclose(out) != 0)
        rc = EXIT_FAILURE_IO;
    free(keys);
    kofu_node_free(&schema);
    free(measures);
    return rc;
}

const cli_command cmd_template = {
    "template",
    run,
    "記入用のケースファイルかケース表（CSV）のひな形を書き出します",
    "writes a case file or case table (CSV) to fill in",
    "使い方: kofu template [MEASURE...] [--format ini|csv] [--encoding E] [--output FILE] [--lang ja|en]\n\n"
    "選んだ措置（省略時はすべて）のキーを、ラベルと例の値つきで書き出します。例の値のまま\n"
    "kofu calc で計算できます。地域運営組織の措置には財政力補正（fiscal_capacity）が付きます。\n\n"
    "  --format ini    ケースファイル（既定）。使わないキーは ; でコメントにしてあります\n"
    "  --format csv    ケース表（docs/case-tables.md）: 1行目が「section.key（ラベル）」の見出し、\n"
    "                  2行目が例。id だけのセクション（職員など）は section 列の行で加えます\n"
    "  --encoding E    CSV の文字コード: utf-8-bom（既定）, utf-8, cp932\n"
    "  --output FILE   標準出力ではなく FILE に書く\n\n"
    "例: kofu template network --format csv --output 申請.csv\n",
    "usage: kofu template [MEASURE...] [--format ini|csv] [--encoding E] [--output FILE] [--lang ja|en]\n\n"
    "Writes the keys of the chosen measures (default: all) with their labels and example values,\n"
    "which kofu calc accepts as they are. RMO measures come with the fiscal-capacity adjustment.\n\n"
    "  --format ini    a case file (default); keys not used are commented out with ;\n"
    "  --format csv    a case table (docs/case-tables.md): row 1 the headers \"section.key (label)\",\n"
    "                  row 2 the example; sections that exist only with an id (workers) get a\n"
    "                  row of their own through the section column\n"
    "  --encoding E    CSV bytes: utf-8-bom (default), utf-8, cp932\n"
    "  --output FILE   write to FILE instead of standard output\n\n"
    "example: kofu template network --format csv --output claims.csv\n",
};
