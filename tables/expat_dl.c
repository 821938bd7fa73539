/* expat_dl.c — the table of libexpat's functions, filled on the first
 * workbook read (expat_dl.h). */
#define EXPAT_DL_TABLE /* the real names here: the table is what they fill */
#include "expat_dl.h"

#include "dynlib.h"
#include "kofu_dynlibs.h"

expat_dl expat_dl_fn;

#define EXPAT_DL_FILL_(f) ok = ok && (expat_dl_fn.f = (__typeof__(f) *)dynlib_sym(lib, h, #f)) != NULL;

static bool fill(dynlib *lib, void *h)
{
    bool ok = true;
    EXPAT_FUNCTIONS(EXPAT_DL_FILL_)
    return ok;
}

static dynlib expat = DYNLIB_INIT(KOFU_EXPAT_SONAME, KOFU_EXPAT_PACKAGE, "xlsx の読み込み",
                                  "reading xlsx", fill);

kofu_status expat_dl_load(const char *path, kofu_diag *diag)
{
    return dynlib_load(&expat) ? KOFU_OK : dynlib_diag(&expat, path, diag);
}
