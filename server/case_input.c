/* case_input.c — a JSON case becomes the INI text the library reads, so
 * that both forms are checked by the one case reader, with its messages. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "case_input.h"

#define TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

static bool name_ok(const char *s)
{
    if (!*s || strlen(s) > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* A value as the INI reader will read it back: quoted when it holds a
 * comment character or outer blanks (the reader takes "…" whole). */
static bool put_value(kofu_buf *ini, const char *v, kofu_lang lang, const char **why)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            *why = TR(lang, "値に改行や制御文字は書けません", "a value cannot hold a line break or control character");
            return false;
        }
    size_t n = strlen(v);
    bool quote = strpbrk(v, ";#") || (n && (v[0] == ' ' || v[n - 1] == ' '));
    if (quote && strchr(v, '"')) {
        *why = TR(lang, "「\"」と「;」「#」を一つの値に両方は書けません",
                  "a value cannot hold both \" and ; or #");
        return false;
    }
    if (quote)
        kofu_buf_putc(ini, '"');
    kofu_buf_puts(ini, v);
    if (quote)
        kofu_buf_putc(ini, '"');
    return true;
}

static bool put_member(kofu_buf *ini, const cJSON *item, kofu_lang lang, const char **why)
{
    if (!item->string || !name_ok(item->string)) {
        *why = TR(lang, "キー名は英数字と . _ - で書いてください",
                  "a key name is letters, digits, . _ -");
        return false;
    }
    kofu_buf_puts(ini, item->string);
    kofu_buf_puts(ini, " = ");
    if (cJSON_IsString(item))
        return put_value(ini, item->valuestring, lang, why);
    if (cJSON_IsBool(item)) {
        kofu_buf_puts(ini, cJSON_IsTrue(item) ? "yes" : "no");
        return true;
    }
    if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        /* only integers that a double holds exactly */
        if (!(d == floor(d) && fabs(d) <= 9007199254740992.0)) {
            *why = TR(lang, "小数は文字列で書いてください（\"0.7\" や \"70%\"）。JSON の数値は2進の浮動小数点で、正確ではありません",
                      "write fractional values as strings (\"0.7\" or \"70%\"): JSON numbers are binary floating point, not exact");
            return false;
        }
        kofu_buf_put_int(ini, (int64_t)d);
        return true;
    }
    *why = TR(lang, "値は文字列・整数・真偽値で書いてください", "a value is a string, an integer or a boolean");
    return false;
}

bool case_json_to_ini(const cJSON *obj, kofu_buf *ini, kofu_lang lang, const char **why)
{
    if (!cJSON_IsObject(obj)) {
        *why = TR(lang, "ケースは JSON オブジェクト（セクション名 → キーと値）で書いてください",
                  "a case is a JSON object (section name → keys and values)");
        return false;
    }
    for (const cJSON *sec = obj->child; sec; sec = sec->next) {
        if (!sec->string || !name_ok(sec->string)) {
            *why = TR(lang, "セクション名は英数字と . _ - で書いてください",
                      "a section name is letters, digits, . _ -");
            return false;
        }
        if (!cJSON_IsObject(sec)) {
            *why = TR(lang, "各セクションはオブジェクト（キー → 値）で書いてください",
                      "each section is an object (key → value)");
            return false;
        }
        kofu_buf_putc(ini, '[');
        kofu_buf_puts(ini, sec->string);
        kofu_buf_puts(ini, "]\n");
        for (const cJSON *item = sec->child; item; item = item->next) {
            if (!put_member(ini, item, lang, why))
                return false;
            kofu_buf_putc(ini, '\n');
        }
    }
    return true;
}
