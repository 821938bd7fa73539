/* xlsx_dl.c — the table of libxlsxwriter's and libminizip's functions,
 * filled on the first workbook (xlsx_dl.h). */
#define XLSX_DL_TABLE /* the real names here: the table is what they fill */
#include "xlsx_dl.h"

#include "dynlib.h"
#include "kofu_dynlibs.h"

xlsx_dl xlsx_dl_fn;

#define XLSX_DL_FILL_(f) ok = ok && (xlsx_dl_fn.f = (__typeof__(f) *)dynlib_sym(lib, h, #f)) != NULL;

static bool fill_xlsxwriter(dynlib *lib, void *h)
{
    bool ok = true;
    XLSXWRITER_FUNCTIONS(XLSX_DL_FILL_)
    return ok;
}

static bool fill_minizip(dynlib *lib, void *h)
{
    bool ok = true;
    MINIZIP_FUNCTIONS(XLSX_DL_FILL_)
    return ok;
}

static dynlib xlsxwriter = DYNLIB_INIT(KOFU_XLSXWRITER_SONAME, KOFU_XLSXWRITER_PACKAGE,
                                       "xlsx の書き出し", "xlsx output", fill_xlsxwriter);
/* the sweep chart's secondary axis rewrites the workbook's zip (xlsx_y2.c) */
static dynlib minizip = DYNLIB_INIT(KOFU_MINIZIP_SONAME, KOFU_MINIZIP_PACKAGE,
                                    "xlsx の書き出し", "xlsx output", fill_minizip);

kofu_status xlsx_dl_load(const char *path, kofu_diag *diag)
{
    if (!dynlib_load(&xlsxwriter))
        return dynlib_diag(&xlsxwriter, path, diag);
    if (!dynlib_load(&minizip))
        return dynlib_diag(&minizip, path, diag);
    return KOFU_OK;
}
