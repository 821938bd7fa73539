/*
 * dynlib.h — a library opened when first needed (dlopen), not at start-up.
 *
 * libmicrohttpd (only `kofu serve` uses it) brings gnutls, p11-kit, nettle and
 * their constructors; libxlsxwriter (only xlsx output) brings libcrypto. Linked,
 * they were loaded and initialised by every run of every command, which tripled
 * the start-up time of `kofu calc` (docs/performance.md, "Start-up"). Opened
 * here, they cost only the runs that use them. libminizip and libexpat (only
 * reading an xlsx case table) likewise: linked, libexpat alone was 92 KiB of
 * every run's resident memory.
 *
 * A library is named by its SONAME (what the loader looks for), read from the
 * library found at configure time (generated/kofu_dynlibs.h), with the Debian
 * package that ships it, for the message when it is missing. Its functions go
 * into a typed table (render/xlsx_dl.h, server/mhd_dl.h, tables/unzip_dl.h,
 * tables/expat_dl.h: one member per function, declared with __typeof__ of the
 * library's own prototype, so a call through the table is checked like a
 * direct call). A library is opened at
 * most once per process, from any thread, and never closed: the table's
 * pointers stay valid until exit. (The loader's records of an open library
 * are memory valgrind calls "still reachable"; tests/valgrind.supp says so.
 * Closing at exit would not free them all: libcrypto, which libxlsxwriter
 * loads, pins itself in memory.)
 */
#ifndef KOFU_ENGINE_DYNLIB_H
#define KOFU_ENGINE_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

#include "kofu/kofu.h"

typedef struct dynlib dynlib;
struct dynlib {
    const char *soname;   /* "libxlsxwriter.so.4"                          */
    const char *package;  /* the Debian package that ships it              */
    const char *use_ja;   /* what needs it: "xlsx の書き出し"              */
    const char *use_en;   /* "xlsx output"                                 */
    /* Looks every function up with dynlib_sym into the library's table;
     * false at the first one missing. */
    bool (*fill)(dynlib *lib, void *handle);
    /* set once, under dynlib.c's lock */
    int state;            /* 0 not tried, 1 loaded, 2 failed               */
    bool not_found;       /* no file of that name where the loader looks   */
    const char *missing;  /* the function the library lacks                */
    char error[200];      /* dlerror() of a failed dlopen                  */
};

#define DYNLIB_INIT(soname, package, use_ja, use_en, fill) \
    { (soname), (package), (use_ja), (use_en), (fill), 0, false, NULL, "" }

/* Opens the library and fills its table, the first time; true when it is
 * usable (now or from an earlier call). Thread-safe. */
bool dynlib_load(dynlib *lib);

/* For fill: the address of the function `name`, or NULL (remembered as the
 * missing one). */
void *dynlib_sym(dynlib *lib, void *handle, const char *name);

/* Why the library cannot be used, in lang, naming the library, what needs it
 * and the package to install (for the server, which writes its own message). */
void dynlib_explain(const dynlib *lib, kofu_lang lang, char *buf, size_t cap);

/* dynlib_explain as an item of diag about `file` (what could not be done:
 * the output being written; NULL for none); returns KOFU_EIO (the
 * environment lacks something: `kofu` exits 5). */
kofu_status dynlib_diag(const dynlib *lib, const char *file, kofu_diag *diag);

#endif
