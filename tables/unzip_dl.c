/* unzip_dl.c — the table of libminizip's reading functions, filled on the
 * first workbook read (unzip_dl.h). */
#define UNZIP_DL_TABLE /* the real names here: the table is what they fill */
#include "unzip_dl.h"

#include "dynlib.h"
#include "kofu_dynlibs.h"

unzip_dl unzip_dl_fn;

#define UNZIP_DL_FILL_(f) ok = ok && (unzip_dl_fn.f = (__typeof__(f) *)dynlib_sym(lib, h, #f)) != NULL;

static bool fill(dynlib *lib, void *h)
{
    bool ok = true;
    UNZIP_FUNCTIONS(UNZIP_DL_FILL_)
    return ok;
}

static dynlib minizip = DYNLIB_INIT(KOFU_MINIZIP_SONAME, KOFU_MINIZIP_PACKAGE, "xlsx の読み込み",
                                    "reading xlsx", fill);

kofu_status unzip_dl_load(const char *path, kofu_diag *diag)
{
    return dynlib_load(&minizip) ? KOFU_OK : dynlib_diag(&minizip, path, diag);
}
