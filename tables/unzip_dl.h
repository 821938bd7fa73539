/*
 * unzip_dl.h — libminizip's reading functions, opened on the first workbook
 * read (engine/dynlib.h says why libraries only some runs need are not
 * linked). Included by xlsx_zip.c after <minizip/unzip.h>: each function is
 * a member of unzip_dl_fn typed from minizip's own prototype, and a macro of
 * its name makes the calls read as direct calls.
 */
#ifndef KOFU_TABLES_UNZIP_DL_H
#define KOFU_TABLES_UNZIP_DL_H

#include <minizip/unzip.h>

#include "kofu/kofu.h"

#define UNZIP_FUNCTIONS(X)                                                                         \
    X(unzOpen2_64) X(unzClose) X(unzGetGlobalInfo64) X(unzGoToFirstFile) X(unzGoToNextFile)       \
    X(unzGetCurrentFileInfo64) X(unzLocateFile) X(unzOpenCurrentFile) X(unzReadCurrentFile)       \
    X(unzCloseCurrentFile)

typedef struct unzip_dl {
#define UNZIP_DL_MEMBER_(f) __typeof__(f) *f;
    UNZIP_FUNCTIONS(UNZIP_DL_MEMBER_)
#undef UNZIP_DL_MEMBER_
} unzip_dl;

extern unzip_dl unzip_dl_fn;

/* Opens libminizip (once per process). KOFU_EIO with an item in diag about
 * path (the workbook) naming the library and its package when it is
 * missing. */
kofu_status unzip_dl_load(const char *path, kofu_diag *diag);

#ifndef UNZIP_DL_TABLE
#define unzOpen2_64 (unzip_dl_fn.unzOpen2_64)
#define unzClose (unzip_dl_fn.unzClose)
#define unzGetGlobalInfo64 (unzip_dl_fn.unzGetGlobalInfo64)
#define unzGoToFirstFile (unzip_dl_fn.unzGoToFirstFile)
#define unzGoToNextFile (unzip_dl_fn.unzGoToNextFile)
#define unzGetCurrentFileInfo64 (unzip_dl_fn.unzGetCurrentFileInfo64)
#define unzLocateFile (unzip_dl_fn.unzLocateFile)
#define unzOpenCurrentFile (unzip_dl_fn.unzOpenCurrentFile)
#define unzReadCurrentFile (unzip_dl_fn.unzReadCurrentFile)
#define unzCloseCurrentFile (unzip_dl_fn.unzCloseCurrentFile)
#endif

#endif
