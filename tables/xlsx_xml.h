/* xlsx_xml.h — one XML part of a workbook through expat, within limits.
 *
 * The parts of an xlsx are written by many programs and may be hostile:
 * no DTD is accepted (so no entity can expand), elements nest at most
 * lim->depth deep, an attribute is at most lim->attr_bytes. Names
 * reach the handlers as local names ("row" for "x:row" or
 * "{spreadsheetml}row"), which is how Excel, LibreOffice and the strict
 * form all write the same element. */
#ifndef KOFU_TABLES_XLSX_XML_H
#define KOFU_TABLES_XLSX_XML_H

#include <stdbool.h>

#include <expat.h>

#include "kofu/kofu.h"
#include "diag.h"
#include "xlsx_zip.h"

typedef struct xlsx_xml xlsx_xml;

typedef struct xlsx_xml_handlers {
    void (*start)(xlsx_xml *x, const char *name, const char **atts);
    void (*end)(xlsx_xml *x, const char *name);
    void (*text)(xlsx_xml *x, const char *s, int len);
} xlsx_xml_handlers;

struct xlsx_xml {
    XML_Parser p;
    xlsx_zip *z;
    kofu_diag *diag;       /* where the handlers report (set per call)      */
    const char *file;      /* the file (or FILE:SHEET) messages name        */
    const char *part;      /* the part's name in the zip                    */
    const xlsx_limits *lim;
    xlsx_xml_handlers h;
    void *user;
    int depth;
    bool failed;           /* an error is in diag: the part is abandoned    */
    bool fed_final;        /* the part's last bytes went to the parser      */
    bool suspended;
    bool done;
    unsigned long long fed, event_at; /* bytes given to expat; at the last event */
};

/* Starts reading the entry `part` (already opened with xlsx_zip_entry).
 * false when memory ran out. */
bool xlsx_xml_begin(xlsx_xml *x, xlsx_zip *z, const xlsx_limits *lim, const char *file,
                    const char *part, const xlsx_xml_handlers *h, void *user);

/* Parses on until the part ends or a handler suspends (xlsx_xml_pause):
 * 1 suspended, 0 at the end, -1 after an error (in x->diag). */
int xlsx_xml_run(xlsx_xml *x, kofu_diag *diag);

/* From a handler: stop after this event; xlsx_xml_run returns 1 and the
 * next call goes on from here. */
void xlsx_xml_pause(xlsx_xml *x);

/* From a handler: the part is not readable; the message (ja, en formats)
 * goes to diag at line (a DIAG_CELL, or 0). */
void xlsx_xml_fail(xlsx_xml *x, int line, const char *fmt_ja, const char *fmt_en, ...)
    __attribute__((format(printf, 3, 5)));
#define xlsx_xml_fail(x, line, ja, en, ...)                                                        \
    (KOFU_CHECK_EN(en, ##__VA_ARGS__), xlsx_xml_fail(x, line, ja, en, ##__VA_ARGS__))

/* An attribute's value by local name, or NULL. */
const char *xlsx_attr(const char **atts, const char *name);
/* The local part of an element or attribute name. */
const char *xlsx_local(const char *name);

void xlsx_xml_end(xlsx_xml *x);

#endif
