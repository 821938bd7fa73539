/*
 * expat_dl.h — libexpat's functions, opened with the first workbook read
 * (engine/dynlib.h says why libraries only some runs need are not linked:
 * every other command started with it mapped and relocated). Included by
 * xlsx_xml.c after <expat.h>: each function is a member of expat_dl_fn typed
 * from expat's own prototype, and a macro of its name makes the calls read as
 * direct calls.
 */
#ifndef KOFU_TABLES_EXPAT_DL_H
#define KOFU_TABLES_EXPAT_DL_H

#include <expat.h>

#include "kofu/kofu.h"

#define EXPAT_FUNCTIONS(X)                                                                         \
    X(XML_ParserCreateNS) X(XML_ParserFree) X(XML_SetUserData) X(XML_SetElementHandler)           \
    X(XML_SetCharacterDataHandler) X(XML_SetStartDoctypeDeclHandler) X(XML_StopParser)           \
    X(XML_ResumeParser) X(XML_GetBuffer) X(XML_ParseBuffer) X(XML_GetErrorCode)                    \
    X(XML_GetCurrentLineNumber) X(XML_GetCurrentColumnNumber)

typedef struct expat_dl {
#define EXPAT_DL_MEMBER_(f) __typeof__(f) *f;
    EXPAT_FUNCTIONS(EXPAT_DL_MEMBER_)
#undef EXPAT_DL_MEMBER_
} expat_dl;

extern expat_dl expat_dl_fn;

/* Opens libexpat (once per process). KOFU_EIO with an item in diag about
 * path (the workbook) naming the library and its package when it is
 * missing. */
kofu_status expat_dl_load(const char *path, kofu_diag *diag);

#ifndef EXPAT_DL_TABLE
#define XML_ParserCreateNS (expat_dl_fn.XML_ParserCreateNS)
#define XML_ParserFree (expat_dl_fn.XML_ParserFree)
#define XML_SetUserData (expat_dl_fn.XML_SetUserData)
#define XML_SetElementHandler (expat_dl_fn.XML_SetElementHandler)
#define XML_SetCharacterDataHandler (expat_dl_fn.XML_SetCharacterDataHandler)
#define XML_SetStartDoctypeDeclHandler (expat_dl_fn.XML_SetStartDoctypeDeclHandler)
#define XML_StopParser (expat_dl_fn.XML_StopParser)
#define XML_ResumeParser (expat_dl_fn.XML_ResumeParser)
#define XML_GetBuffer (expat_dl_fn.XML_GetBuffer)
#define XML_ParseBuffer (expat_dl_fn.XML_ParseBuffer)
#define XML_GetErrorCode (expat_dl_fn.XML_GetErrorCode)
#define XML_GetCurrentLineNumber (expat_dl_fn.XML_GetCurrentLineNumber)
#define XML_GetCurrentColumnNumber (expat_dl_fn.XML_GetCurrentColumnNumber)
#endif

#endif
