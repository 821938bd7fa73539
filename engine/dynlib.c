/* dynlib.c — opening a library on first use (see dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* One lock for every library: each is opened once, so it is never contended
 * for long. The state is read without it only after an acquire load. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *dynlib_sym(dynlib *lib, void *handle, const char *name)
{
    void *p = dlsym(handle, name);
    if (!p && !lib->missing)
        lib->missing = name;
    return p;
}

static void open_once(dynlib *lib)
{
    /* RTLD_LOCAL: the library's symbols are reached only through the table,
     * never by a name another library might also define */
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(lib->error, sizeof lib->error, "%s", e ? e : "");
        lib->not_found = e && strstr(e, "No such file") != NULL;
        __atomic_store_n(&lib->state, 2, __ATOMIC_RELEASE);
        return;
    }
    bool ok = lib->fill(lib, h);
    if (!ok)
        dlclose(h); /* another version: none of it will be used */
    __atomic_store_n(&lib->state, ok ? 1 : 2, __ATOMIC_RELEASE);
}

bool dynlib_load(dynlib *lib)
{
    int state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
    if (state == 0) {
        pthread_mutex_lock(&lock);
        if (__atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 0)
            open_once(lib);
        pthread_mutex_unlock(&lock);
        state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
    }
    return state == 1;
}

void dynlib_explain(const dynlib *lib, kofu_lang lang, char *buf, size_t cap)
{
    bool en = lang == KOFU_LANG_EN;
    if (lib->missing)
        snprintf(buf, cap,
                 en ? "%s (needed for %s) has no function %s: it is another version than kofu was "
                      "built with; reinstall the Debian package %s (apt-get install --reinstall %s)"
                    : "%s（%sに必要です）に関数 %s がありません。kofu を作ったときと違う版です。"
                      "Debian のパッケージ %s を入れ直してください（apt-get install --reinstall %s）",
                 lib->soname, en ? lib->use_en : lib->use_ja, lib->missing, lib->package,
                 lib->package);
    else if (lib->not_found)
        snprintf(buf, cap,
                 en ? "%s (needed for %s) is not installed: install the Debian package %s "
                      "(apt-get install %s)"
                    : "%s（%sに必要です）が入っていません。Debian のパッケージ %s を入れてください"
                      "（apt-get install %s）",
                 lib->soname, en ? lib->use_en : lib->use_ja, lib->package, lib->package);
    else if (en)
        snprintf(buf, cap,
                 "%s (needed for %s) cannot be loaded (%s): reinstall the Debian package %s "
                 "(apt-get install --reinstall %s)",
                 lib->soname, lib->use_en, lib->error, lib->package, lib->package);
    else /* the loader's reason is English: the Japanese message says what it means */
        snprintf(buf, cap,
                 "%s（%sに必要です）を読み込めません（壊れているか、この機械に合わないファイルです）。"
                 "Debian のパッケージ %s を入れ直してください（apt-get install --reinstall %s）",
                 lib->soname, lib->use_ja, lib->package, lib->package);
}

kofu_status dynlib_diag(const dynlib *lib, const char *file, kofu_diag *diag)
{
    char msg[600];
    dynlib_explain(lib, diag ? diag_lang(diag) : KOFU_LANG_JA, msg, sizeof msg);
    return diag_add(diag, KOFU_EIO, file, 0, NULL, NULL, "%s", "%s", msg);
}
