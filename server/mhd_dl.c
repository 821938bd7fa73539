/* mhd_dl.c — the table of libmicrohttpd's functions, filled when the server
 * starts (mhd_dl.h). */
#define MHD_DL_TABLE /* the real names here: the table is what they fill */
#include "mhd_dl.h"

#include "dynlib.h"
#include "kofu_dynlibs.h"

mhd_dl mhd_dl_fn;

static bool fill(dynlib *lib, void *h)
{
    bool ok = true;
#define MHD_DL_FILL_(f) ok = ok && (mhd_dl_fn.f = (__typeof__(f) *)dynlib_sym(lib, h, #f)) != NULL;
    MHD_FUNCTIONS(MHD_DL_FILL_)
#undef MHD_DL_FILL_
    return ok;
}

static dynlib microhttpd = DYNLIB_INIT(KOFU_MICROHTTPD_SONAME, KOFU_MICROHTTPD_PACKAGE,
                                       "kofu serve の実行", "kofu serve", fill);

bool mhd_dl_load(kofu_lang lang, char *err, size_t cap)
{
    if (dynlib_load(&microhttpd))
        return true;
    dynlib_explain(&microhttpd, lang, err, cap);
    return false;
}
