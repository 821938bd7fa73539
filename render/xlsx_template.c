/* xlsx_template.c — `kofu template --format xlsx` (kofu/xlsx.h): the case
 * table of `kofu template --format csv` as a worksheet a finance officer
 * fills in Excel, with Excel's data validation guarding each column by the
 * type the case reader will check, so that most mistakes are refused in the
 * cell, before kofu ever reads the file.
 *
 * Excel cannot express every rule of the reader (a 令和 year before the
 * measure's first, an id's characters): the validation narrows what can be
 * typed, the reader stays the judge, and its messages still name the cell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "kofu/xlsx.h"
#include "fy.h"
#include "xlsx_dl.h" /* libxlsxwriter through its table, opened on first use */
#include "xlsx_template.h"

/* Excel's limits on a validation's texts, in characters: libxlsxwriter
 * refuses longer ones with a warning on stderr, and the library never prints. */
#define TITLE_MAX 32
#define MESSAGE_MAX 255

/* s (UTF-8) in buf (cap bytes), cut to at most max characters, the last
 * of them "…" when cut. */
static char *fit(char *buf, size_t cap, const char *s, size_t max)
{
    size_t chars = 0, i = 0, keep = 0;
    for (; s[i] && i + 8 < cap; chars++) {
        if (chars + 1 == max)
            keep = i; /* where "…" goes if more follows */
        if (chars == max)
            break;
        size_t n = 1;
        while ((s[i + n] & 0xC0) == 0x80)
            n++;
        i += n;
    }
    if (s[i]) {
        memcpy(buf, s, keep);
        memcpy(buf + keep, "…", sizeof "…");
    } else {
        memcpy(buf, s, i);
        buf[i] = '\0';
    }
    return buf;
}

/* The template as given, in the workbook's language. */
typedef struct tmpl {
    const kofu_xlsx_column *cols;
    size_t n_cols;
    const char *const *cells;
    size_t n_rows;
    int first_fy;
    bool en;
} tmpl;

#define TR(t, ja, en_) ((t)->en ? (en_) : (ja))

/* "AR" for column 43 (0-based). */
static void col_name(char *buf, lxw_col_t col)
{
    char rev[8];
    size_t n = 0;
    for (unsigned c = (unsigned)col + 1; c && n < sizeof rev; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
}

/* "AR2": the cell of row r (0-based), column c. */
static void cell_name(char *buf, size_t cap, lxw_row_t r, lxw_col_t c)
{
    char col[8];
    col_name(col, c);
    snprintf(buf, cap, "%s%u", col, (unsigned)r + 1);
}

/* ---- the example cells --------------------------------------------------------- */

/* "1,000,000", "80%", "0.55" → a number; false for anything else. */
static bool number_of(const char *s, double *out)
{
    char digits[64];
    size_t n = 0;
    bool percent = false;
    for (; *s && n + 1 < sizeof digits; s++) {
        if (*s == ',')
            continue;
        if (*s == '%' && s[1] == '\0') {
            percent = true;
            continue;
        }
        if (!((*s >= '0' && *s <= '9') || *s == '.'))
            return false;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    if (n == 0 || *s)
        return false;
    *out = strtod(digits, NULL) / (percent ? 100.0 : 1.0);
    return true;
}

/* A value as the CSV template writes it, in the cell Excel would hold after
 * a person typed it: numbers as numbers, yes/no and the entity in the
 * workbook's language (both spellings are the reader's), the fiscal year as
 * 令和N年度 (Japanese) or the Western year. */
static void write_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const kofu_xlsx_column *col,
                        const char *v, const tmpl *t, lxw_format *fmt)
{
    const char *type = col->type ? col->type : "text";
    double d;
    int fy;
    if ((strcmp(type, "amount") == 0 || strcmp(type, "integer") == 0 || strcmp(type, "ratio") == 0 ||
         strcmp(type, "decimal") == 0) &&
        number_of(v, &d)) {
        worksheet_write_number(ws, r, c, d, fmt);
    } else if (strcmp(type, "boolean") == 0 && !t->en &&
               (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0)) {
        worksheet_write_string(ws, r, c, strcmp(v, "yes") == 0 ? "はい" : "いいえ", fmt);
    } else if (strcmp(type, "entity") == 0 && !t->en &&
               (strcmp(v, "municipality") == 0 || strcmp(v, "prefecture") == 0)) {
        worksheet_write_string(ws, r, c, strcmp(v, "municipality") == 0 ? "市町村" : "道府県", fmt);
    } else if (strcmp(type, "fiscal_year") == 0 && kofu_fy_parse(v, &fy)) {
        if (t->en) {
            worksheet_write_number(ws, r, c, fy, fmt);
        } else {
            char buf[64];
            fy_format_ja(fy, buf, sizeof buf);
            char *paren = strstr(buf, " (");
            if (paren)
                *paren = '\0';
            worksheet_write_string(ws, r, c, buf, fmt);
        }
    } else {
        worksheet_write_string(ws, r, c, v, fmt);
    }
}

/* ---- validation ------------------------------------------------------------------ */

/* What a column accepts, for the input message and the error message. */
typedef struct rule {
    lxw_data_validation v;
    char formula[512];
    char accept[300];   /* what to type, for both messages */
    char *list[5];
} rule;

static double bound(const char *s, double dflt) { return s ? strtod(s, NULL) : dflt; }

/* A number rule: whole or decimal, from min (0 when none: the reader takes
 * no negative number) up to max when there is one. */
static void number_rule(rule *r, bool whole, const kofu_xlsx_column *col)
{
    r->v.validate = whole ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
    r->v.minimum_number = bound(col->min, 0);
    if (col->max) {
        r->v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        r->v.maximum_number = bound(col->max, 0);
    } else {
        r->v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        r->v.value_number = r->v.minimum_number;
    }
}

static void make_rule(rule *r, const kofu_xlsx_column *col, const char *cell,
                      const tmpl *t)
{
    const char *type = col->type ? col->type : "";
    const char *lo = col->min ? col->min : "0";
    memset(r, 0, sizeof *r);
    r->v.validate = LXW_VALIDATION_TYPE_ANY;
    if (strcmp(type, "amount") == 0) {
        number_rule(r, true, col);
        snprintf(r->accept, sizeof r->accept,
                 TR(t, "%s 以上の整数（円）。千円・万円は円に直して入力します",
                    "a whole number of yen, at least %s (thousands written out in yen)"),
                 lo);
    } else if (strcmp(type, "integer") == 0) {
        number_rule(r, true, col);
        if (col->max)
            snprintf(r->accept, sizeof r->accept, TR(t, "%s〜%s の整数", "a whole number from %s to %s"),
                     lo, col->max);
        else
            snprintf(r->accept, sizeof r->accept, TR(t, "%s 以上の整数", "a whole number, at least %s"), lo);
    } else if (strcmp(type, "ratio") == 0) {
        number_rule(r, false, col);
        if (col->max)
            snprintf(r->accept, sizeof r->accept,
                     TR(t, "%s〜%s の小数か %%（例: 0.75 または 75%%）",
                        "a decimal from %s to %s, or a percentage (0.75 or 75%%)"),
                     lo, col->max);
        else
            snprintf(r->accept, sizeof r->accept,
                     TR(t, "%s 以上の小数か %%（例: 0.75 または 75%%）",
                        "a decimal of at least %s, or a percentage (0.75 or 75%%)"),
                     lo);
    } else if (strcmp(type, "decimal") == 0) {
        /* at most two decimals, as the reader takes them */
        r->v.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
        char upper[64] = "";
        if (col->max)
            snprintf(upper, sizeof upper, ",%s<=%s", cell, col->max);
        snprintf(r->formula, sizeof r->formula, "=AND(ISNUMBER(%s),%s>=%s%s,ROUND(%s,2)=%s)", cell,
                 cell, lo, upper, cell, cell);
        snprintf(r->accept, sizeof r->accept,
                 TR(t, "%s 以上の数、小数点以下2桁まで（例: 0.65）",
                    "a number of at least %s, at most 2 decimals (e.g. 0.65)"),
                 lo);
    } else if (strcmp(type, "boolean") == 0) {
        r->v.validate = LXW_VALIDATION_TYPE_LIST;
        r->list[0] = (char *)TR(t, "はい", "yes");
        r->list[1] = (char *)TR(t, "いいえ", "no");
        snprintf(r->accept, sizeof r->accept, "%s", TR(t, "はい か いいえ", "yes or no"));
    } else if (strcmp(type, "entity") == 0) {
        r->v.validate = LXW_VALIDATION_TYPE_LIST;
        r->list[0] = (char *)TR(t, "市町村", "municipality");
        r->list[1] = (char *)TR(t, "道府県", "prefecture");
        snprintf(r->accept, sizeof r->accept, "%s",
                 TR(t, "市町村 か 道府県（省略時は市町村）", "municipality or prefecture (default: municipality)"));
    } else if (strcmp(type, "fiscal_year") == 0) {
        /* a Western year in range, or text in an era's form (R7, 令和7年度,
         * H30): the reader checks the era's year */
        r->v.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
        snprintf(r->formula, sizeof r->formula,
                 "=OR(AND(ISNUMBER(%s),INT(%s)=%s,%s>=%d,%s<=%d),"
                 "AND(ISTEXT(%s),OR(LEFT(%s,1)=\"R\",LEFT(%s,2)=\"令和\",LEFT(%s,1)=\"H\","
                 "LEFT(%s,2)=\"平成\",LEFT(%s,2)=\"FY\")))",
                 cell, cell, cell, cell, t->first_fy, cell, FY_MAX, cell, cell, cell, cell, cell, cell);
        snprintf(r->accept, sizeof r->accept,
                 TR(t, "%d年度以降: 西暦（例: 2025）か令和の年度（例: 令和7年度, R7）",
                    "%d or later: the Western year (2025) or the era's form (R7, 令和7年度)"),
                 t->first_fy);
    } else if (strcmp(col->key, "section") == 0) {
        snprintf(r->accept, sizeof r->accept, "%s",
                 TR(t, "組織・事業・職員を加える行ではそのセクション（例: cooperative.worker.a）。ケースの最初の行は空けます",
                    "on a row adding an organization, project or worker, its section "
                    "(cooperative.worker.a); empty on the case's first row"));
    } else if (strcmp(type, "id") == 0) {
        snprintf(r->accept, sizeof r->accept, "%s",
                 TR(t, "英数字と . _ -。同じケースの行は同じ ID を続けて書きます",
                    "letters, digits, . _ -; the rows of one case repeat its id, one after another"));
    } else {
        snprintf(r->accept, sizeof r->accept, "%s", TR(t, "文字列", "text"));
    }
    if (r->list[0])
        r->v.value_list = r->list;
    if (r->formula[0])
        r->v.value_formula = r->formula;
}

/* The messages: the label and the key as the title and first line, what to
 * type, whether the case needs it. */
static void add_validation(lxw_worksheet *ws, lxw_col_t c, const kofu_xlsx_column *col,
                           const tmpl *t)
{
    char cell[16];
    cell_name(cell, sizeof cell, 1, c);
    rule r;
    make_rule(&r, col, cell, t);
    char title[160], msg[1024], input[1024], etitle[160], emsg[1024];
    const char *label = col->label && *col->label ? col->label : col->key;
    snprintf(msg, sizeof msg, "%s\n%s%s", col->key, r.accept,
             col->required ? TR(t, "\n（必須）", "\n(required)") : "");
    r.v.input_title = fit(title, sizeof title, label, TITLE_MAX);
    r.v.input_message = fit(input, sizeof input, msg, MESSAGE_MAX);
    r.v.error_title = fit(etitle, sizeof etitle, TR(t, "入力できない値です", "value not accepted"), TITLE_MAX);
    snprintf(msg, sizeof msg, TR(t, "%s\n入力できる値: %s", "%s\naccepted: %s"), label, r.accept);
    r.v.error_message = fit(emsg, sizeof emsg, msg, MESSAGE_MAX);
    worksheet_data_validation_range(ws, 1, c, LXW_ROW_MAX - 1, c, &r.v);
}

/* ---- the sheet -------------------------------------------------------------------- */

static lxw_format *column_format(lxw_workbook *wb, const kofu_xlsx_column *col)
{
    const char *type = col->type ? col->type : "";
    const char *num = strcmp(type, "amount") == 0    ? "#,##0"
                      : strcmp(type, "ratio") == 0   ? "0.##%"
                      : strcmp(type, "decimal") == 0 ? "0.00"
                                                     : NULL;
    if (!num)
        return NULL;
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, num);
    return f;
}

/* The second sheet: how to fill the first in, and each column's key, label
 * and what it accepts (the input messages, all in one place). The case
 * table stays the first sheet: it is the one a reader of case tables reads. */
static void help_sheet(lxw_workbook *wb, const tmpl *t, lxw_format *head)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, TR(t, "記入のしかた", "how to fill in"));
    if (!ws)
        return;
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    static const char *const lines[][2] = {
        {"kofu のケース表（記入用）", "kofu case table to fill in"},
        {"「ケース表」シートの1行目は見出しです。変えずに、2行目から1行に1ケースを書きます（例の行は書き換えるか消します）。",
         "Row 1 of the sheet \"cases\" holds the headers: keep it, and write one case per row from row 2 "
         "(replace or delete the example rows)."},
        {"職員・事業・組織は、同じ case.id を続く行に書き、section 列にセクション（例: cooperative.worker.a）を書いた行で加えます。",
         "Workers, projects and organizations are added on the rows that follow a case, with the same "
         "case.id and their section in the section column (cooperative.worker.a)."},
        {"空のセルは書かないキーです。見出しが色付きの列は、そのセクションを使うとき必須です。",
         "An empty cell is a key not given. Shaded headers are required when their section is used."},
        {"計算: kofu calc ファイル.xlsx（多数のケースは kofu batch ファイル.xlsx）。",
         "To compute: kofu calc FILE.xlsx (many cases: kofu batch FILE.xlsx)."},
    };
    size_t n_lines = sizeof lines / sizeof lines[0];
    for (size_t i = 0; i < n_lines; i++)
        worksheet_write_string(ws, (lxw_row_t)i, 0, TR(t, lines[i][0], lines[i][1]), i ? NULL : head);
    static const char *const heads[][2] = {
        {"列", "column"}, {"見出し", "header"}, {"項目", "item"}, {"入力できる値", "accepted"}, {"必須", "required"},
    };
    lxw_row_t top = (lxw_row_t)n_lines + 1;
    for (lxw_col_t c = 0; c < 5; c++)
        worksheet_write_string(ws, top, c, TR(t, heads[c][0], heads[c][1]), head);
    for (size_t i = 0; i < t->n_cols; i++) {
        const kofu_xlsx_column *col = &t->cols[i];
        lxw_row_t r = top + 1 + (lxw_row_t)i;
        char name[16], cell[16];
        col_name(name, (lxw_col_t)i);
        cell_name(cell, sizeof cell, 1, (lxw_col_t)i);
        rule ru;
        make_rule(&ru, col, cell, t);
        worksheet_write_string(ws, r, 0, name, NULL);
        worksheet_write_string(ws, r, 1, col->key, NULL);
        worksheet_write_string(ws, r, 2, col->label ? col->label : "", wrap);
        worksheet_write_string(ws, r, 3, ru.accept, wrap);
        if (col->required)
            worksheet_write_string(ws, r, 4, TR(t, "必須", "required"), NULL);
    }
    worksheet_set_column(ws, 0, 0, 6, NULL);
    worksheet_set_column(ws, 1, 1, 36, NULL);
    worksheet_set_column(ws, 2, 2, 36, NULL);
    worksheet_set_column(ws, 3, 3, 60, NULL);
    worksheet_set_column(ws, 4, 4, 8, NULL);
}

void xlsx_template_sheet(lxw_workbook *wb, const kofu_xlsx_template *given, kofu_lang lang)
{
    tmpl tt = {given->cols, given->n_cols, given->cells, given->n_rows, given->first_fy,
               lang == KOFU_LANG_EN};
    const tmpl *t = &tt;
    lxw_worksheet *ws = workbook_add_worksheet(wb, TR(t, "ケース表", "cases"));
    if (!ws)
        return;
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(head, 0xDDEBF7);
    lxw_format *required = workbook_add_format(wb);
    format_set_bold(required);
    format_set_text_wrap(required);
    format_set_align(required, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(required, 0xFCE4D6);
    worksheet_set_row(ws, 0, 60, NULL);
    for (size_t i = 0; i < t->n_cols; i++) {
        const kofu_xlsx_column *col = &t->cols[i];
        lxw_col_t c = (lxw_col_t)i;
        /* the header as the CSV template writes it: the reader drops the label */
        char head_text[512];
        if (col->label && *col->label)
            snprintf(head_text, sizeof head_text, "%s（%s）", col->key, col->label);
        else
            snprintf(head_text, sizeof head_text, "%s", col->key);
        worksheet_write_string(ws, 0, c, head_text, col->required ? required : head);
        lxw_format *fmt = column_format(wb, col);
        worksheet_set_column(ws, c, c, strcmp(col->key, "section") == 0 ? 24 : 20, fmt);
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *v = t->cells[r * t->n_cols + i];
            if (v && *v)
                write_value(ws, (lxw_row_t)(r + 1), c, col, v, t, fmt);
        }
        add_validation(ws, c, col, t);
    }
    worksheet_freeze_panes(ws, 1, 1);
    worksheet_activate(ws);
    help_sheet(wb, t, head);
}
