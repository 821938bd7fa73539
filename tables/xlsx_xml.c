/* xlsx_xml.c — a workbook's XML part through expat, within limits
 * (xlsx_xml.h). The part is inflated chunk by chunk into expat's own buffer,
 * so a sheet of any length is read in constant memory, and a handler can
 * suspend the parser at the end of a row to hand that row out. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_xml.h"
#include "expat_dl.h" /* libexpat through its table (loaded by kofu_table_open on an xlsx) */

#define CHUNK 65536
/* Bytes expat may take in without one event: a start tag (attributes and
 * all) longer than this is refused before expat buffers all of it. */
#define MAX_SILENT (4ull << 20)

const char *xlsx_local(const char *name)
{
    const char *sep = strrchr(name, '\x01');
    return sep ? sep + 1 : name;
}

const char *xlsx_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(xlsx_local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

void (xlsx_xml_fail)(xlsx_xml *x, int line, const char *fmt_ja, const char *fmt_en, ...)
{
    if (x->failed)
        return;
    x->failed = true;
    va_list ap;
    va_start(ap, fmt_en);
    diag_vadd(x->diag, KOFU_ECASE, x->file, line, NULL, NULL, fmt_ja, fmt_en, ap);
    va_end(ap);
    XML_StopParser(x->p, XML_FALSE);
}

void xlsx_xml_pause(xlsx_xml *x)
{
    if (!x->failed)
        XML_StopParser(x->p, XML_TRUE);
}

static void on_start(void *ud, const char *name, const char **atts)
{
    xlsx_xml *x = ud;
    x->event_at = x->fed;
    if (x->failed)
        return;
    if (++x->depth > x->lim->depth) {
        xlsx_xml_fail(x, 0, "%s の XML の入れ子が深すぎます（%d 段まで）",
                      "the XML of %s nests too deep (at most %d levels)", x->part, x->lim->depth);
        return;
    }
    for (size_t i = 0; atts[i]; i += 2)
        if (strlen(atts[i + 1]) > x->lim->attr_bytes) {
            char b[48];
            xlsx_xml_fail(x, 0, "%s の XML の属性が長すぎます（%s まで）",
                          "an XML attribute of %s is too long (at most %s)", x->part,
                          xlsx_size_text(x->lim->attr_bytes, diag_lang(x->diag), b, sizeof b));
            return;
        }
    if (x->h.start)
        x->h.start(x, xlsx_local(name), atts);
}

static void on_end(void *ud, const char *name)
{
    xlsx_xml *x = ud;
    x->event_at = x->fed;
    x->depth--;
    if (!x->failed && x->h.end)
        x->h.end(x, xlsx_local(name));
}

static void on_text(void *ud, const char *s, int len)
{
    xlsx_xml *x = ud;
    x->event_at = x->fed;
    if (!x->failed && x->h.text)
        x->h.text(x, s, len);
}

/* No DTD: without one no entity can be declared, so none can expand. */
static void on_doctype(void *ud, const char *name, const char *sysid, const char *pubid, int internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)internal;
    xlsx_xml *x = ud;
    xlsx_xml_fail(x, 0, "%s に DTD（<!DOCTYPE>）があります: xlsx の部品には書かれないものです",
                  "%s holds a DTD (<!DOCTYPE>), which no xlsx part has", x->part);
}

bool xlsx_xml_begin(xlsx_xml *x, xlsx_zip *z, const xlsx_limits *lim, const char *file,
                    const char *part, const xlsx_xml_handlers *h, void *user)
{
    *x = (xlsx_xml){.z = z, .lim = lim, .file = file, .part = part, .h = *h, .user = user};
    /* names arrive as "namespace\1local": xlsx_local takes the local part */
    x->p = XML_ParserCreateNS(NULL, '\x01');
    if (!x->p)
        return false;
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    return true;
}

/* expat's reasons in both languages (its own strings are English only). */
static const char *xml_reason(enum XML_Error e, kofu_lang lang)
{
    bool en = lang == KOFU_LANG_EN;
    switch (e) {
    case XML_ERROR_NO_ELEMENTS: return en ? "the part ends before its elements close" : "要素が閉じないまま部品が終わっています";
    case XML_ERROR_TAG_MISMATCH: return en ? "mismatched tag" : "開始タグと終了タグが合いません";
    case XML_ERROR_INVALID_TOKEN: return en ? "not well-formed (invalid token)" : "XML として正しくない文字や記号があります";
    case XML_ERROR_UNCLOSED_TOKEN: return en ? "unclosed token" : "閉じていない記号があります";
    case XML_ERROR_PARTIAL_CHAR: return en ? "a partial character" : "文字が途中で切れています";
    case XML_ERROR_SYNTAX: return en ? "syntax error" : "構文が正しくありません";
    case XML_ERROR_JUNK_AFTER_DOC_ELEMENT: return en ? "text after the document element" : "最上位の要素の後に余分なものがあります";
    case XML_ERROR_DUPLICATE_ATTRIBUTE: return en ? "a duplicate attribute" : "同じ属性が2つあります";
    case XML_ERROR_UNDEFINED_ENTITY: return en ? "an undefined entity" : "定義されていない実体参照があります";
    case XML_ERROR_BAD_CHAR_REF: return en ? "a reference to an invalid character" : "正しくない文字参照があります";
    case XML_ERROR_UNBOUND_PREFIX: return en ? "an unbound namespace prefix" : "宣言されていない名前空間の接頭辞があります";
    case XML_ERROR_INCORRECT_ENCODING: return en ? "an encoding that does not match the declaration" : "文字コードが宣言と合いません";
    case XML_ERROR_UNKNOWN_ENCODING: return en ? "an unknown encoding" : "読めない文字コードです";
    default: return en ? "not well-formed" : "XML として正しくありません";
    }
}

static int syntax_error(xlsx_xml *x)
{
    if (x->failed)
        return -1; /* a handler said why */
    x->failed = true;
    enum XML_Error e = XML_GetErrorCode(x->p);
    if (e == XML_ERROR_NO_MEMORY)
        diag_add(x->diag, KOFU_ENOMEM, x->file, 0, NULL, NULL, "メモリ不足です", "out of memory");
    else
        diag_add(x->diag, KOFU_ECASE, x->file, 0, NULL, NULL,
                 "%s の XML が正しくありません（%lu 行 %lu 桁）: %s",
                 "the XML of %s is malformed (line %lu, column %lu): %s", x->part,
                 (unsigned long)XML_GetCurrentLineNumber(x->p),
                 (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, xml_reason(e, diag_lang(x->diag)));
    return -1;
}

int xlsx_xml_run(xlsx_xml *x, kofu_diag *diag)
{
    x->diag = diag;
    if (x->failed)
        return -1;
    if (x->done)
        return 0;
    if (x->suspended) {
        x->suspended = false;
        enum XML_Status s = XML_ResumeParser(x->p);
        if (s == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            return 1;
        }
        if (s == XML_STATUS_ERROR)
            return syntax_error(x);
        if (x->fed_final) {
            x->done = true;
            return 0;
        }
    }
    for (;;) {
        void *buf = XML_GetBuffer(x->p, CHUNK);
        if (!buf)
            return syntax_error(x);
        long n = xlsx_zip_read(x->z, buf, CHUNK, diag);
        if (n < 0) {
            x->failed = true;
            return -1;
        }
        x->fed += (unsigned long long)n;
        x->fed_final = n == 0;
        enum XML_Status s = XML_ParseBuffer(x->p, (int)n, n == 0);
        if (s == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            return 1;
        }
        if (s == XML_STATUS_ERROR)
            return syntax_error(x);
        if (n == 0) {
            x->done = true;
            return 0;
        }
        if (x->fed - x->event_at > MAX_SILENT) {
            x->failed = true;
            diag_add(diag, KOFU_ECASE, x->file, 0, NULL, NULL,
                     "%s の XML に長すぎる要素があります（%llu MiB まで）",
                     "the XML of %s holds a tag too long (at most %llu MiB)", x->part, MAX_SILENT >> 20);
            return -1;
        }
    }
}

void xlsx_xml_end(xlsx_xml *x)
{
    if (x->p)
        XML_ParserFree(x->p);
    x->p = NULL;
}
