/* xlsx_y2.c — a secondary value axis for one series of a chart that
 * libxlsxwriter wrote. libxlsxwriter 1.1 (Debian 12) has neither combined
 * charts nor a y2 axis, and the sweep's break-even fee (yen per hour) cannot
 * share an axis with the payers' amounts (millions of yen). So the series is
 * written as the last one of the column chart, then moved here into a line
 * chart of its own, plotted against a second pair of axes — the same
 * DrawingML Excel writes for a combined chart with a secondary axis.
 *
 * The workbook is rewritten entry by entry with minizip, keeping each
 * entry's name, order and time stamp, so the output stays byte-for-byte
 * reproducible. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minizip/unzip.h>
#include <minizip/zip.h>

#include "kofu/kofu.h"
#include "xlsx_dl.h" /* libminizip through its table (loaded by kofu_xlsx_open) */

kofu_status xlsx_add_secondary_axis(const char *path, int chart_no, const char *axis_title);

/* An entry above this is not a file kofu wrote: stop rather than allocate it. */
#define MAX_ENTRY (256u << 20)

typedef struct text {
    char *s;
    size_t n;
} text;

static bool insert(text *t, size_t at, const char *s)
{
    size_t n = strlen(s);
    char *p = realloc(t->s, t->n + n + 1);
    if (!p)
        return false;
    memmove(p + at + n, p + at, t->n - at + 1);
    memcpy(p + at, s, n);
    t->s = p;
    t->n += n;
    return true;
}

static bool insert_before(text *t, const char *mark, const char *s)
{
    char *at = strstr(t->s, mark);
    return at && insert(t, (size_t)(at - t->s), s);
}

/* Moves the last <c:ser> of the chart's <c:barChart> into a <c:lineChart>
 * on axes 3 and 4 (a hidden category axis, a value axis on the right). */
static bool patch_chart(text *xml, const char *axis_title)
{
    char *bar_end = strstr(xml->s, "</c:barChart>");
    if (!bar_end)
        return false;
    /* the last series opening before the end of the bar chart */
    char *last = NULL;
    for (char *p = xml->s; (p = strstr(p, "<c:ser>")) && p < bar_end; p++)
        last = p;
    if (!last)
        return false;
    char *ser_end = strstr(last, "</c:ser>");
    if (!ser_end || ser_end > bar_end)
        return false;
    ser_end += strlen("</c:ser>");
    size_t n = (size_t)(ser_end - last);
    char *ser = strndup(last, n);
    if (!ser)
        return false;
    memmove(last, ser_end, xml->n - (size_t)(ser_end - xml->s) + 1);
    xml->n -= n;
    /* the axis ids of the bar chart, to derive the new pair from */
    char *ax = strstr(xml->s, "<c:axId val=\"");
    long base = ax ? strtol(ax + strlen("<c:axId val=\""), NULL, 10) : 50010001;
    size_t cap = n + 2048 + strlen(axis_title);
    char *line = malloc(cap);
    char *axes = malloc(2048 + strlen(axis_title));
    bool ok = line && axes;
    if (ok) {
        snprintf(line, cap,
                 "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>%s"
                 "<c:marker val=\"1\"/><c:axId val=\"%ld\"/><c:axId val=\"%ld\"/></c:lineChart>",
                 ser, base + 2, base + 3);
        snprintf(axes, 2048 + strlen(axis_title),
                 "<c:catAx><c:axId val=\"%ld\"/><c:scaling><c:orientation val=\"minMax\"/>"
                 "</c:scaling><c:delete val=\"1\"/><c:axPos val=\"b\"/><c:tickLblPos val=\"nextTo\"/>"
                 "<c:crossAx val=\"%ld\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/>"
                 "<c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/></c:catAx>"
                 "<c:valAx><c:axId val=\"%ld\"/><c:scaling><c:orientation val=\"minMax\"/>"
                 "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"r\"/><c:title><c:tx><c:rich>"
                 "<a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang=\"ja-JP\"/>"
                 "<a:t>%s</a:t></a:r></a:p></c:rich></c:tx><c:layout/></c:title>"
                 "<c:numFmt formatCode=\"#,##0\" sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/>"
                 "<c:crossAx val=\"%ld\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/>"
                 "</c:valAx>",
                 base + 2, base + 3, base + 3, axis_title, base + 2);
        char *after_bar = strstr(xml->s, "</c:barChart>");
        ok = after_bar && insert(xml, (size_t)(after_bar - xml->s) + strlen("</c:barChart>"), line) &&
             insert_before(xml, "</c:plotArea>", axes);
    }
    free(ser);
    free(line);
    free(axes);
    return ok;
}

static bool read_entry(unzFile in, char **data, size_t *len, const unz_file_info64 *info)
{
    if (info->uncompressed_size > MAX_ENTRY || unzOpenCurrentFile(in) != UNZ_OK)
        return false;
    *len = (size_t)info->uncompressed_size;
    *data = malloc(*len + 1);
    bool ok = *data != NULL;
    size_t got = 0;
    while (ok && got < *len) {
        int n = unzReadCurrentFile(in, *data + got, (unsigned)(*len - got));
        ok = n > 0;
        got += ok ? (size_t)n : 0;
    }
    unzCloseCurrentFile(in);
    if (ok)
        (*data)[*len] = '\0';
    return ok;
}

kofu_status xlsx_add_secondary_axis(const char *path, int chart_no, const char *axis_title)
{
    char chart[64], tmp[4096];
    snprintf(chart, sizeof chart, "xl/charts/chart%d.xml", chart_no);
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.y2", path) >= sizeof tmp)
        return KOFU_EIO;
    unzFile in = unzOpen64(path);
    if (!in)
        return KOFU_EIO;
    zipFile out = zipOpen64(tmp, APPEND_STATUS_CREATE);
    bool ok = out != NULL, patched = false;
    for (int r = ok ? unzGoToFirstFile(in) : UNZ_END_OF_LIST_OF_FILE; ok && r == UNZ_OK;
         r = unzGoToNextFile(in)) {
        char name[512];
        unz_file_info64 info;
        /* minizip leaves a name that fills the buffer without its NUL; a name
         * that long is not one libxlsxwriter writes, and copying it cut would
         * damage the workbook. */
        if (unzGetCurrentFileInfo64(in, &info, name, sizeof name - 1, NULL, 0, NULL, 0) != UNZ_OK ||
            info.size_filename >= sizeof name - 1) {
            ok = false;
            break;
        }
        name[info.size_filename] = '\0';
        text t = {0};
        ok = read_entry(in, &t.s, &t.n, &info);
        if (ok && strcmp(name, chart) == 0)
            patched = ok = patch_chart(&t, axis_title);
        zip_fileinfo zi = {0};
        zi.tmz_date.tm_sec = info.tmu_date.tm_sec;
        zi.tmz_date.tm_min = info.tmu_date.tm_min;
        zi.tmz_date.tm_hour = info.tmu_date.tm_hour;
        zi.tmz_date.tm_mday = info.tmu_date.tm_mday;
        zi.tmz_date.tm_mon = info.tmu_date.tm_mon;
        zi.tmz_date.tm_year = info.tmu_date.tm_year;
        zi.dosDate = info.dosDate;
        zi.external_fa = info.external_fa;
        ok = ok && zipOpenNewFileInZip64(out, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                         Z_DEFAULT_COMPRESSION, 0) == ZIP_OK &&
             zipWriteInFileInZip(out, t.s, (unsigned)t.n) == ZIP_OK &&
             zipCloseFileInZip(out) == ZIP_OK;
        free(t.s);
    }
    unzClose(in);
    if (out && zipClose(out, NULL) != ZIP_OK)
        ok = false;
    if (ok && patched && rename(tmp, path) == 0)
        return KOFU_OK;
    remove(tmp);
    return KOFU_EIO;
}
