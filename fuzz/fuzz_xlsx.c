/*
 * fuzz_xlsx.c — libFuzzer target: case tables in xlsx (tables/xlsx_*.c,
 * tables/table.c) from bytes in memory (kofu_table_open_mem, as the server
 * reads them), each case read computed.
 *
 * Two forms of input, so that mutations reach both the zip and the XML:
 *   - bytes starting with "PK": the workbook as it is (the zip reader, its
 *     limits, then whatever parts survive);
 *   - anything else: the XML of a sheet, then optionally a NUL byte and the
 *     XML of the shared strings; the target wraps them in a workbook of
 *     stored (uncompressed) entries with fixed rels, so every mutation lands
 *     in the XML the sheet reader parses.
 *
 * Invariants beyond "no crash, no leak, no UB": a failure always says why
 * (at least one diagnostic), and a failed open leaves no table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz_init.h"
#include "kofu/kofu.h"
#include "kofu/table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kofu_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rules = fuzz_builtin_rules();
    return 0;
}

/* ---- a zip of stored entries ------------------------------------------------ */

typedef struct zbuf {
    unsigned char *p;
    size_t n, cap;
} zbuf;

static void put(zbuf *b, const void *s, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 1024;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void le(zbuf *b, uint32_t v, int bytes)
{
    unsigned char c[4] = {v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff};
    put(b, c, (size_t)bytes);
}

typedef struct entry {
    const char *name;
    const unsigned char *data;
    size_t len;
} entry;

static void stored_zip(zbuf *z, const entry *e, size_t n)
{
    uint32_t offsets[8];
    for (size_t i = 0; i < n; i++) {
        offsets[i] = (uint32_t)z->n;
        uint32_t crc = (uint32_t)crc32(0, e[i].data, (uInt)e[i].len);
        le(z, 0x04034b50, 4);
        le(z, 20, 2), le(z, 0, 2), le(z, 0, 2), le(z, 0, 2), le(z, 0x21, 2);
        le(z, crc, 4), le(z, (uint32_t)e[i].len, 4), le(z, (uint32_t)e[i].len, 4);
        le(z, (uint32_t)strlen(e[i].name), 2), le(z, 0, 2);
        put(z, e[i].name, strlen(e[i].name));
        put(z, e[i].data, e[i].len);
    }
    uint32_t dir = (uint32_t)z->n;
    for (size_t i = 0; i < n; i++) {
        uint32_t crc = (uint32_t)crc32(0, e[i].data, (uInt)e[i].len);
        le(z, 0x02014b50, 4);
        le(z, 20, 2), le(z, 20, 2), le(z, 0, 2), le(z, 0, 2), le(z, 0, 2), le(z, 0x21, 2);
        le(z, crc, 4), le(z, (uint32_t)e[i].len, 4), le(z, (uint32_t)e[i].len, 4);
        le(z, (uint32_t)strlen(e[i].name), 2), le(z, 0, 2), le(z, 0, 2), le(z, 0, 2), le(z, 0, 2);
        le(z, 0, 4), le(z, offsets[i], 4);
        put(z, e[i].name, strlen(e[i].name));
    }
    uint32_t dir_len = (uint32_t)z->n - dir;
    le(z, 0x06054b50, 4);
    le(z, 0, 2), le(z, 0, 2), le(z, (uint32_t)n, 2), le(z, (uint32_t)n, 2);
    le(z, dir_len, 4), le(z, dir, 4), le(z, 0, 2);
}

#define S(x) (const unsigned char *)(x), sizeof(x) - 1
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char BOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char BOOK_RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/></Relationships>";

static void wrap(const uint8_t *data, size_t size, zbuf *z)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t sheet = nul ? (size_t)(nul - data) : size;
    entry e[] = {
        {"_rels/.rels", S(RELS)},
        {"xl/workbook.xml", S(BOOK)},
        {"xl/_rels/workbook.xml.rels", S(BOOK_RELS)},
        {"xl/worksheets/sheet1.xml", data, sheet},
        {"xl/sharedStrings.xml", nul ? nul + 1 : (const unsigned char *)"", nul ? size - sheet - 1 : 0},
    };
    stored_zip(z, e, nul ? 5 : 4);
}

/* ---- the run ---------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zbuf z = {0};
    const void *bytes = data;
    size_t len = size;
    if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
        wrap(data, size, &z);
        bytes = z.p;
        len = z.n;
    }
    kofu_diag *d = NULL;
    if (kofu_diag_new(KOFU_LANG_JA, &d) != KOFU_OK)
        abort();
    kofu_table *t = NULL;
    kofu_status st = kofu_table_open_mem(rules, "f.xlsx", bytes, len, d, &t);
    if (st != KOFU_OK && (t || (st != KOFU_ENOMEM && kofu_diag_count(d) == 0)))
        abort();
    while (t) {
        kofu_case *c = NULL;
        kofu_diag_clear(d);
        st = kofu_table_next(t, d, &c, NULL);
        if (st == KOFU_OK && !c)
            break;
        if (st != KOFU_OK && st != KOFU_ENOMEM && kofu_diag_count(d) == 0)
            abort();
        if (c) {
            kofu_result *r = NULL;
            kofu_eval_options opt = {.lang = KOFU_LANG_JA, .computed_at = 1};
            kofu_evaluate(rules, c, &opt, d, &r);
            kofu_result_free(&r);
        }
        kofu_case_free(&c);
        if (st != KOFU_OK && st != KOFU_ECASE)
            break;
    }
    kofu_table_close(&t);
    kofu_diag_free(&d);
    free(z.p);
    return 0;
}
