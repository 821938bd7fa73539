/* xlsx_in.c — the rows of a case table in an xlsx workbook (table_source.h).
 *
 * The table is the workbook's first visible worksheet, in tab order. Its
 * part is found as Excel finds it (_rels/.rels → the workbook → its rels),
 * the shared strings are read whole (cells refer to them by number), and
 * the sheet's XML is streamed through expat one row at a time: memory does
 * not grow with the sheet's rows. Cells are read as text: shared and inline
 * strings (without their phonetic guides), numbers as exact decimal text
 * (xlsx_num.h), booleans as true/false; an error value, a date cell or a
 * formula never computed is an error naming its cell. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "expat_dl.h"
#include "table_source.h"
#include "xlsx_num.h"
#include "xlsx_xml.h"
#include "xlsx_zip.h"

/* Relationships a part may list (as many as zip entries could need). */
#define MAX_RELS 10000u
#define MAX_SHEET_NAME 255u

typedef struct rel {
    char *id, *type, *target;
} rel;

typedef struct xlsx_source {
    table_source base;
    const xlsx_limits *lim;
    char *path, *name;
    FILE *f;
    xlsx_zip *z;
    xlsx_xml xml;          /* the part being read                              */
    bool xml_live;

    /* finding the sheet */
    rel *rels;
    size_t n_rels, cap_rels;
    char *rels_base;       /* the part the rels being read belong to          */
    char *sheet_name, *sheet_part;

    /* shared strings: NUL-terminated, ss + off[i] */
    char *ss;
    size_t ss_len, ss_cap;
    size_t *off;
    size_t n_off, cap_off;
    bool in_si;

    /* the sheet */
    table_row *out;        /* the row being filled (the caller's)             */
    size_t starts[TABLE_MAX_COLUMNS + 1];
    size_t nf;             /* fields so far in the row                        */
    bool in_data, in_row, row_done;
    unsigned row, prev_row;
    long col, prev_col;
    char ctype[16];
    bool in_c, in_v, in_is, in_t, has_v, has_f;
    int in_rph;            /* inside a phonetic guide (ふりがな): not the text */
    char *text;            /* a <v> or the <t>s of a string                   */
    size_t text_len, text_cap;
} xlsx_source;

/* ---- small helpers ---------------------------------------------------------- */

static bool text_add(xlsx_source *x, const char *s, size_t n)
{
    if (x->text_len + n + 1 > x->text_cap) {
        size_t cap = x->text_cap ? x->text_cap : 256;
        while (cap < x->text_len + n + 1)
            cap *= 2;
        char *p = realloc(x->text, cap);
        if (!p)
            return false;
        x->text = p;
        x->text_cap = cap;
    }
    memcpy(x->text + x->text_len, s, n);
    x->text_len += n;
    x->text[x->text_len] = '\0';
    return true;
}

static void text_reset(xlsx_source *x)
{
    x->text_len = 0;
    if (x->text)
        x->text[0] = '\0';
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Office writes characters XML cannot hold as _xHHHH_ (a line break in a
 * cell is _x000D_, a literal "_x" is _x005F_x): decoded in place. Returns
 * the new length (never longer: 7 bytes become at most 3). */
static size_t ooxml_unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int a = hexval(s[i + 2]), b = hexval(s[i + 3]), c = hexval(s[i + 4]), d = hexval(s[i + 5]);
            unsigned cp = a < 0 || b < 0 || c < 0 || d < 0 ? 0 : (unsigned)(a << 12 | b << 8 | c << 4 | d);
            if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
                if (cp < 0x80) {
                    s[o++] = (char)cp;
                } else if (cp < 0x800) {
                    s[o++] = (char)(0xC0 | cp >> 6);
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    s[o++] = (char)(0xE0 | cp >> 12);
                    s[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                }
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* "xl/" + "worksheets/sheet1.xml", "/xl/…" from the root, "../" walked. */
static char *resolve(const char *base_part, const char *target)
{
    size_t dir = 0;
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(base_part, '/');
        dir = slash ? (size_t)(slash - base_part) + 1 : 0;
    }
    size_t cap = dir + strlen(target) + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    memcpy(out, base_part, dir);
    size_t n = dir;
    while (*target) {
        size_t seg = strcspn(target, "/");
        if (seg == 2 && target[0] == '.' && target[1] == '.') {
            if (n > 0)
                n--; /* the slash ending the directory */
            while (n > 0 && out[n - 1] != '/')
                n--;
        } else if (!(seg == 1 && target[0] == '.') && seg > 0) {
            memcpy(out + n, target, seg);
            n += seg;
            if (target[seg] == '/')
                out[n++] = '/';
        }
        target += seg + (target[seg] == '/');
    }
    out[n] = '\0';
    return out;
}

/* "xl/workbook.xml" → "xl/_rels/workbook.xml.rels" */
static char *rels_of(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    size_t cap = strlen(part) + 16;
    char *out = malloc(cap);
    if (out)
        snprintf(out, cap, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    return out;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static const rel *rel_by_type(const xlsx_source *x, const char *type_tail)
{
    for (size_t i = 0; i < x->n_rels; i++)
        if (ends_with(x->rels[i].type, type_tail))
            return &x->rels[i];
    return NULL;
}

static const rel *rel_by_id(const xlsx_source *x, const char *id)
{
    for (size_t i = 0; id && i < x->n_rels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

static void rels_clear(xlsx_source *x)
{
    for (size_t i = 0; i < x->n_rels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    x->n_rels = 0;
}

/* Reads one whole part through handlers h. 1 read, 0 absent, -1 error. */
static int read_part(xlsx_source *x, const char *part, const xlsx_xml_handlers *h,
                     kofu_diag *diag)
{
    int k = xlsx_zip_entry(x->z, part, diag);
    if (k <= 0)
        return k;
    if (!xlsx_xml_begin(&x->xml, x->z, x->lim, x->path, part, h, x)) {
        diag_add(diag, KOFU_ENOMEM, x->path, 0, NULL, NULL, "メモリ不足です", "out of memory");
        return -1;
    }
    int r;
    while ((r = xlsx_xml_run(&x->xml, diag)) > 0)
        ;
    xlsx_xml_end(&x->xml);
    return r < 0 ? -1 : 1;
}

#define OOM(xml) xlsx_xml_fail(xml, 0, "メモリ不足です", "out of memory")

/* ---- relationships ---------------------------------------------------------- */

static void rels_start(xlsx_xml *xml, const char *name, const char **atts)
{
    xlsx_source *x = xml->user;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *target = xlsx_attr(atts, "Target"), *mode = xlsx_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->n_rels >= MAX_RELS) {
        xlsx_xml_fail(xml, 0, "%s の関係が多すぎます（%u 個まで）", "too many relationships in %s (at most %u)",
                      xml->part, MAX_RELS);
        return;
    }
    if (x->n_rels == x->cap_rels) {
        size_t cap = x->cap_rels ? x->cap_rels * 2 : 16;
        rel *p = realloc(x->rels, cap * sizeof *p);
        if (!p) {
            OOM(xml);
            return;
        }
        x->rels = p;
        x->cap_rels = cap;
    }
    rel r = {strdup(id), strdup(type), resolve(x->rels_base, target)};
    if (!r.id || !r.type || !r.target) {
        free(r.id);
        free(r.type);
        free(r.target);
        OOM(xml);
        return;
    }
    x->rels[x->n_rels++] = r;
}

static int read_rels(xlsx_source *x, const char *part, kofu_diag *diag)
{
    rels_clear(x);
    char *rp = rels_of(part);
    if (!rp)
        return -1;
    free(x->rels_base);
    x->rels_base = strdup(part);
    const xlsx_xml_handlers h = {rels_start, NULL, NULL};
    int k = x->rels_base ? read_part(x, rp, &h, diag) : -1;
    free(rp);
    return k;
}

/* ---- the workbook: which sheet ------------------------------------------------ */

static void book_start(xlsx_xml *xml, const char *name, const char **atts)
{
    xlsx_source *x = xml->user;
    if (x->sheet_part || strcmp(name, "sheet") != 0)
        return;
    const char *state = xlsx_attr(atts, "state"), *sheet = xlsx_attr(atts, "name");
    const rel *r = rel_by_id(x, xlsx_attr(atts, "id"));
    if (!sheet || !r || !ends_with(r->type, "/worksheet") || (state && strcmp(state, "visible") != 0))
        return; /* hidden, a chart sheet, or a dangling reference */
    if (strlen(sheet) > MAX_SHEET_NAME) {
        xlsx_xml_fail(xml, 0, "シート名が長すぎます（%u バイトまで）", "a sheet name too long (at most %u bytes)",
                      MAX_SHEET_NAME);
        return;
    }
    x->sheet_name = strdup(sheet);
    x->sheet_part = strdup(r->target);
    if (!x->sheet_name || !x->sheet_part)
        OOM(xml);
}

/* ---- shared strings ------------------------------------------------------------ */

static void ss_start(xlsx_xml *xml, const char *name, const char **atts)
{
    (void)atts;
    xlsx_source *x = xml->user;
    if (strcmp(name, "si") == 0) {
        x->in_si = true;
        text_reset(x);
        x->in_rph = 0;
    } else if (x->in_si && strcmp(name, "rPh") == 0) {
        x->in_rph++;
    } else if (x->in_si && !x->in_rph && strcmp(name, "t") == 0) {
        x->in_t = true;
    }
}

static bool ss_push(xlsx_source *x, const char *s, size_t n)
{
    if (x->n_off == x->cap_off) {
        size_t cap = x->cap_off ? x->cap_off * 2 : 256;
        size_t *p = realloc(x->off, cap * sizeof *p);
        if (!p)
            return false;
        x->off = p;
        x->cap_off = cap;
    }
    if (x->ss_len + n + 1 > x->ss_cap) {
        size_t cap = x->ss_cap ? x->ss_cap : 4096;
        while (cap < x->ss_len + n + 1)
            cap *= 2;
        char *p = realloc(x->ss, cap);
        if (!p)
            return false;
        x->ss = p;
        x->ss_cap = cap;
    }
    x->off[x->n_off++] = x->ss_len;
    memcpy(x->ss + x->ss_len, s, n);
    x->ss_len += n;
    x->ss[x->ss_len++] = '\0';
    return true;
}

static void ss_end(xlsx_xml *xml, const char *name)
{
    xlsx_source *x = xml->user;
    if (strcmp(name, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        if (x->in_rph)
            x->in_rph--;
    } else if (strcmp(name, "si") == 0 && x->in_si) {
        x->in_si = false;
        char b[48];
        if (x->n_off >= x->lim->strings)
            xlsx_xml_fail(xml, 0, "共有文字列が多すぎます（%u 個まで）", "too many shared strings (at most %u)",
                          x->lim->strings);
        else if (x->ss_len + x->text_len + 1 > x->lim->string_bytes)
            xlsx_xml_fail(xml, 0, "共有文字列が大きすぎます（合わせて %s まで）",
                          "the shared strings are too large (at most %s in all)",
                          xlsx_size_text(x->lim->string_bytes, diag_lang(xml->diag), b, sizeof b));
        else if (!ss_push(x, x->text ? x->text : "", x->text ? ooxml_unescape(x->text, x->text_len) : 0))
            OOM(xml);
        text_reset(x);
    }
}

static void ss_text(xlsx_xml *xml, const char *s, int len)
{
    xlsx_source *x = xml->user;
    if (!x->in_t || x->in_rph)
        return;
    if (x->text_len + (size_t)len > TABLE_MAX_FIELD)
        xlsx_xml_fail(xml, 0, "共有文字列 %zu が長すぎます（%u バイトまで）",
                      "shared string %zu is too long (at most %u bytes)", x->n_off, TABLE_MAX_FIELD);
    else if (!text_add(x, s, (size_t)len))
        OOM(xml);
}

/* ---- the sheet --------------------------------------------------------------------- */

/* "AB12" → column 27 (A = 0) and row 12; row 0 when the reference has no
 * digits. false when it is not a cell reference. */
static bool parse_ref(const char *s, long *col, unsigned long *row)
{
    long c = 0;
    size_t i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        if (i >= 3)
            return false;
        c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
    }
    if (i == 0)
        return false;
    unsigned long r = 0;
    for (size_t k = 0; s[i]; i++, k++) {
        if (s[i] < '0' || s[i] > '9' || k >= 8)
            return false;
        r = r * 10 + (unsigned long)(s[i] - '0');
    }
    *col = c - 1;
    *row = r;
    return true;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* A cell that cannot be a value: the case it belongs to is invalid, the
 * table reads on (table.c reports it with the case). */
static void cell_error(xlsx_source *x, const char *ja, const char *en, ...)
{
    va_list ap;
    va_start(ap, en);
    char *msg = tr_vformat(diag_lang(x->xml.diag), ja, en, ap);
    va_end(ap);
    if (!msg || !table_row_error(x->out, DIAG_CELL(x->row, x->col), msg))
        OOM(&x->xml);
    free(msg);
}

static bool row_put(xlsx_source *x, const char *s, size_t n)
{
    table_row *r = x->out;
    for (size_t i = 0; i < n; i++)
        if (!table_row_putc(r, s[i]))
            return false;
    return true;
}

/* The cell's value into the row at its column, empty fields for the
 * columns skipped (a sheet omits empty cells). */
static void put_cell(xlsx_source *x, const char *v, size_t n)
{
    table_row *r = x->out;
    /* never beyond the row's room (starts[]), whatever the limit says */
    if (x->col >= (long)x->lim->columns || x->col >= (long)TABLE_MAX_COLUMNS) {
        if (n > 0)
            xlsx_xml_fail(&x->xml, DIAG_CELL(x->row, x->col), "列が多すぎます（%u 列まで）",
                          "too many columns (at most %u)", x->lim->columns);
        return;
    }
    if (r->len + n + (size_t)(x->col - (long)x->nf) + 2 > TABLE_MAX_RECORD) {
        xlsx_xml_fail(&x->xml, DIAG_CELL(x->row, x->col), "行が長すぎます（%u バイトまで）",
                      "a row is too long (at most %u bytes)", TABLE_MAX_RECORD);
        return;
    }
    while ((long)x->nf <= x->col) {
        x->starts[x->nf++] = r->len;
        if ((long)x->nf <= x->col && !table_row_putc(r, '\0')) {
            OOM(&x->xml);
            return;
        }
    }
    if (!row_put(x, v, n) || !table_row_putc(r, '\0'))
        OOM(&x->xml);
}

static void finish_cell(xlsx_source *x)
{
    const char *t = x->ctype;
    char num[64];
    char *v = x->text ? x->text : (char *)"";
    size_t n = x->text_len;
    if (strcmp(t, "s") == 0) {
        unsigned long i;
        if (!x->has_v || n == 0) {
            n = 0;
        } else if (!parse_uint(v, x->lim->strings, &i) || i >= x->n_off) {
            xlsx_xml_fail(&x->xml, DIAG_CELL(x->row, x->col),
                          "共有文字列の番号が正しくありません: '%.20s'（共有文字列は %zu 個）",
                          "a shared string number out of range: '%.20s' (%zu shared strings)", v, x->n_off);
            return;
        } else {
            v = x->ss + x->off[i];
            n = strlen(v);
        }
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        n = ooxml_unescape(v, n);
    } else if (strcmp(t, "b") == 0) {
        if (n == 1 && (v[0] == '0' || v[0] == '1')) {
            v = v[0] == '1' ? (char *)"true" : (char *)"false";
            n = strlen(v);
        } else if (x->has_v) {
            cell_error(x, "真偽値のセルの値が正しくありません: '%.20s'", "a boolean cell holds '%.20s'", v);
            n = 0;
        }
    } else if (strcmp(t, "e") == 0) {
        cell_error(x, "Excel のエラー値です（%.20s）: 値を入れてください", "an Excel error value (%.20s): enter a value",
                   v);
        n = 0;
    } else if (strcmp(t, "d") == 0) {
        cell_error(x, "日付のセルは読めません: 年度は R7 や 2025 のように文字か数で書いてください",
                   "a date cell cannot be read: write a fiscal year as text or a number, e.g. R7 or 2025");
        n = 0;
    } else if (strcmp(t, "n") == 0) {
        if (x->has_v && n == 0) {
            /* <v/>: an empty cell */
        } else if (x->has_v) {
            xlsx_num_status st = xlsx_number(v, num, sizeof num);
            if (st == XLSX_NUM_OK) {
                v = num;
                n = strlen(num);
            } else {
                if (st == XLSX_NUM_INEXACT)
                    cell_error(x, "数 %.40s は Excel の精度（15桁）を超えていて、正確に読めません: 文字列として入力してください（先頭に ' を付ける）",
                               "the number %.40s is beyond Excel's precision (15 digits) and cannot be read exactly: "
                               "enter it as text (start it with ')",
                               v);
                else
                    cell_error(x, "数として読めません: '%.40s'", "not readable as a number: '%.40s'", v);
                n = 0;
            }
        } else if (x->has_f) {
            cell_error(x, "計算されていない数式です: Excel で開いて保存し直してください",
                       "a formula never computed: open the workbook in Excel and save it again");
        }
    } else {
        xlsx_xml_fail(&x->xml, DIAG_CELL(x->row, x->col), "セルの種類 '%.20s' は読めません",
                      "a cell of unknown type '%.20s'", t);
        return;
    }
    if (strcmp(t, "str") == 0 && !x->has_v && x->has_f)
        cell_error(x, "計算されていない数式です: Excel で開いて保存し直してください",
                   "a formula never computed: open the workbook in Excel and save it again");
    if (!x->xml.failed)
        put_cell(x, v, n);
}

static void sheet_start(xlsx_xml *xml, const char *name, const char **atts)
{
    xlsx_source *x = xml->user;
    if (strcmp(name, "sheetData") == 0) {
        x->in_data = true;
    } else if (x->in_data && !x->in_row && strcmp(name, "row") == 0) {
        const char *r = xlsx_attr(atts, "r");
        unsigned long row = x->prev_row + 1;
        if ((r && !parse_uint(r, x->lim->rows, &row)) || row > x->lim->rows) {
            xlsx_xml_fail(xml, 0, "行番号が正しくありません: '%.20s'（%u 行まで）",
                          "a row number out of range: '%.20s' (at most %u rows)", r ? r : "", x->lim->rows);
            return;
        }
        if (row <= x->prev_row) {
            xlsx_xml_fail(xml, 0, "行 %lu が順番どおりではありません（前は %u 行目）",
                          "row %lu is out of order (after row %u)", row, x->prev_row);
            return;
        }
        x->in_row = true;
        x->row = (unsigned)row;
        x->prev_col = -1;
        x->nf = 0;
        x->out->len = 0;
    } else if (x->in_row && !x->in_c && strcmp(name, "c") == 0) {
        const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t");
        long col = x->prev_col + 1;
        unsigned long row = 0;
        if (r && (!parse_ref(r, &col, &row) || (row != 0 && row != x->row))) {
            xlsx_xml_fail(xml, DIAG_CELL(x->row, x->prev_col + 1),
                          "セル番地 '%.20s' が %u 行目のものではありません", "the cell reference '%.20s' is not in row %u",
                          r, x->row);
            return;
        }
        if (col <= x->prev_col || col >= 16384) {
            xlsx_xml_fail(xml, DIAG_CELL(x->row, x->prev_col + 1), "セル %.20s が順番どおりではありません",
                          "the cell %.20s is out of order", r ? r : "?");
            return;
        }
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->in_c = true;
        x->col = col;
        x->has_v = x->has_f = x->in_is = x->in_v = x->in_t = false;
        x->in_rph = 0;
        text_reset(x);
    } else if (x->in_c && strcmp(name, "v") == 0) {
        x->in_v = x->has_v = true;
        text_reset(x);
    } else if (x->in_c && strcmp(name, "f") == 0) {
        x->has_f = true;
    } else if (x->in_c && strcmp(name, "is") == 0) {
        x->in_is = x->has_v = true;
        text_reset(x);
    } else if (x->in_is && strcmp(name, "rPh") == 0) {
        x->in_rph++;
    } else if (x->in_is && !x->in_rph && strcmp(name, "t") == 0) {
        x->in_t = true;
    }
}

static void sheet_end(xlsx_xml *xml, const char *name)
{
    xlsx_source *x = xml->user;
    if (strcmp(name, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(name, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        if (x->in_rph)
            x->in_rph--;
    } else if (strcmp(name, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(name, "c") == 0 && x->in_c) {
        x->in_c = false;
        x->prev_col = x->col;
        finish_cell(x);
    } else if (strcmp(name, "row") == 0 && x->in_row) {
        x->in_row = false;
        x->prev_row = x->row;
        if (!table_row_fields(x->out, x->starts, x->nf)) {
            OOM(xml);
            return;
        }
        x->out->row = x->row;
        x->row_done = true;
        xlsx_xml_pause(xml);
    } else if (strcmp(name, "sheetData") == 0) {
        x->in_data = false;
    }
}

static void sheet_text(xlsx_xml *xml, const char *s, int len)
{
    xlsx_source *x = xml->user;
    if (!x->in_v && !(x->in_is && x->in_t && !x->in_rph))
        return;
    if (x->text_len + (size_t)len > TABLE_MAX_FIELD)
        xlsx_xml_fail(xml, DIAG_CELL(x->row, x->col), "セルが長すぎます（%u バイトまで）",
                      "a cell is too long (at most %u bytes)", TABLE_MAX_FIELD);
    else if (!text_add(x, s, (size_t)len))
        OOM(xml);
}

static int xlsx_next(table_source *s, table_row *r, kofu_diag *diag)
{
    xlsx_source *x = (xlsx_source *)s;
    x->out = r;
    x->row_done = false;
    int k = xlsx_xml_run(&x->xml, diag);
    if (k < 0)
        return -1;
    if (x->row_done)
        return 1;
    return k > 0 ? 1 : 0;
}

/* ---- opening ------------------------------------------------------------------------ */

static void xlsx_close(table_source *s)
{
    xlsx_source *x = (xlsx_source *)s;
    if (x->xml_live)
        xlsx_xml_end(&x->xml);
    xlsx_zip_close(&x->z);
    if (x->f)
        fclose(x->f);
    rels_clear(x);
    free(x->rels);
    free(x->rels_base);
    free(x->sheet_name);
    free(x->sheet_part);
    free(x->ss);
    free(x->off);
    free(x->text);
    free(x->name);
    free(x->path);
    free(x);
}

static const table_source_ops xlsx_ops = {xlsx_next, xlsx_close};

static kofu_status not_a_workbook(xlsx_source *x, kofu_diag *diag, const char *what)
{
    return diag_add(diag, KOFU_ECASE, x->path, 0, NULL, NULL,
                    "xlsx ブックとして読めません（%s がありません）: Excel で「Excel ブック（*.xlsx）」として保存してください",
                    "not readable as an xlsx workbook (no %s): save it from Excel as \"Excel Workbook (*.xlsx)\"",
                    what);
}

/* _rels/.rels → the workbook part → its rels → the first visible
 * worksheet and the shared strings. */
static kofu_status find_sheet(xlsx_source *x, kofu_diag *diag)
{
    int k = read_rels(x, "", diag);
    if (k < 0)
        return KOFU_ECASE;
    const rel *doc = rel_by_type(x, "/officeDocument");
    if (k == 0 || !doc)
        return not_a_workbook(x, diag, "_rels/.rels");
    char *book = strdup(doc->target);
    if (!book)
        return KOFU_ENOMEM;
    k = read_rels(x, book, diag);
    if (k > 0) {
        const xlsx_xml_handlers h = {book_start, NULL, NULL};
        k = read_part(x, book, &h, diag);
        if (k == 0)
            not_a_workbook(x, diag, book);
    } else if (k == 0) {
        char *rp = rels_of(book);
        not_a_workbook(x, diag, rp ? rp : book);
        free(rp);
    }
    free(book);
    if (k <= 0)
        return KOFU_ECASE;
    if (!x->sheet_part)
        return diag_add(diag, KOFU_ECASE, x->path, 0, NULL, NULL,
                        "表示されているワークシートがありません", "no visible worksheet in the workbook");
    const rel *ss = rel_by_type(x, "/sharedStrings");
    if (ss) {
        char *part = strdup(ss->target);
        const xlsx_xml_handlers h = {ss_start, ss_end, ss_text};
        k = part ? read_part(x, part, &h, diag) : -1;
        free(part);
        if (k < 0)
            return KOFU_ECASE;
    }
    return KOFU_OK;
}

table_source *xlsx_source_open(FILE *f, const char *path, const xlsx_limits *lim, kofu_diag *diag,
                               kofu_status *st)
{
    xlsx_source *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(path))) {
        free(x);
        fclose(f);
        *st = KOFU_ENOMEM;
        return NULL;
    }
    x->base.ops = &xlsx_ops;
    x->lim = lim ? lim : &xlsx_default_limits;
    x->f = f;
    *st = expat_dl_load(x->path, diag);
    if (*st == KOFU_OK)
        *st = xlsx_zip_open(f, x->path, x->lim, diag, &x->z);
    if (*st == KOFU_OK)
        *st = find_sheet(x, diag);
    if (*st == KOFU_OK) {
        /* messages and trace steps name FILE:SHEET and the cell */
        size_t cap = strlen(path) + strlen(x->sheet_name) + 2;
        x->name = malloc(cap);
        if (x->name) {
            snprintf(x->name, cap, "%s:%s", path, x->sheet_name);
            for (char *p = x->name; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = '?';
        }
        x->base.name = x->name;
        int k = x->name ? xlsx_zip_entry(x->z, x->sheet_part, diag) : -1;
        if (k == 0) {
            *st = not_a_workbook(x, diag, x->sheet_part);
        } else if (k < 0) {
            *st = x->name ? KOFU_ECASE : KOFU_ENOMEM;
        } else {
            const xlsx_xml_handlers h = {sheet_start, sheet_end, sheet_text};
            if (!xlsx_xml_begin(&x->xml, x->z, x->lim, x->name, x->sheet_part, &h, x))
                *st = KOFU_ENOMEM;
            x->xml_live = x->xml.p != NULL;
        }
    }
    if (*st != KOFU_OK) {
        xlsx_close(&x->base);
        return NULL;
    }
    return &x->base;
}
