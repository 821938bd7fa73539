/* xlsx_limits.c — the limits a workbook is read within (xlsx_limits.h). */
#include <stdio.h>

#include "table_source.h"
#include "xlsx_limits.h"

const xlsx_limits xlsx_default_limits = {
    .entries = 10000,
    .entry_bytes = 256ull << 20,
    .total_bytes = 1024ull << 20,
    .ratio = 200,       /* XML compresses 5–50 to 1; a zip bomb about 1,000 to 1 */
    .ratio_from = 1ull << 20,
    .depth = 64,        /* a sheet nests 6 deep */
    .attr_bytes = 64u * 1024u,
    .strings = 1000000,
    .string_bytes = 64ull << 20,
    .rows = 1048576,    /* Excel's own */
    .columns = TABLE_MAX_COLUMNS,
};

const char *xlsx_size_text(unsigned long long n, kofu_lang lang, char *buf, size_t cap)
{
    if (n >= (1ull << 20) && n % (1ull << 20) == 0) {
        snprintf(buf, cap, "%llu MiB", n >> 20);
        return buf;
    }
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    char grouped[48];
    size_t k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    snprintf(buf, cap, "%s %s", grouped, lang == KOFU_LANG_EN ? "bytes" : "バイト");
    return buf;
}
