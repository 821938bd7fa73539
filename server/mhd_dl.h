/*
 * mhd_dl.h — libmicrohttpd, opened when `kofu serve` starts (engine/dynlib.h
 * says why: linked, it and gnutls slowed every start of kofu).
 *
 * Included after <microhttpd.h> by the files that call it: each function
 * used is a member of mhd_dl_fn, typed from the library's own prototype, and
 * a macro of the function's name makes the call sites read as direct calls.
 * A function called but missing here is a link error (the library is not
 * linked). server_start calls mhd_dl_load before anything else.
 */
#ifndef KOFU_SERVER_MHD_DL_H
#define KOFU_SERVER_MHD_DL_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#include "kofu/kofu.h"

#define MHD_FUNCTIONS(X)                                                                           \
    X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_create_response_from_buffer)                     \
    X(MHD_create_response_from_buffer_with_free_callback) X(MHD_destroy_response)                 \
    X(MHD_add_response_header) X(MHD_queue_response) X(MHD_lookup_connection_value)

typedef struct mhd_dl {
#define MHD_DL_MEMBER_(f) __typeof__(f) *f;
    MHD_FUNCTIONS(MHD_DL_MEMBER_)
#undef MHD_DL_MEMBER_
} mhd_dl;

extern mhd_dl mhd_dl_fn;

/* Opens libmicrohttpd (once per process). false with a message in lang in
 * err (naming the library and the Debian package to install) when it is
 * missing or lacks a function. */
bool mhd_dl_load(kofu_lang lang, char *err, size_t cap);

#ifndef MHD_DL_TABLE
#define MHD_start_daemon (mhd_dl_fn.MHD_start_daemon)
#define MHD_stop_daemon (mhd_dl_fn.MHD_stop_daemon)
#define MHD_create_response_from_buffer (mhd_dl_fn.MHD_create_response_from_buffer)
#define MHD_create_response_from_buffer_with_free_callback \
    (mhd_dl_fn.MHD_create_response_from_buffer_with_free_callback)
#define MHD_destroy_response (mhd_dl_fn.MHD_destroy_response)
#define MHD_add_response_header (mhd_dl_fn.MHD_add_response_header)
#define MHD_queue_response (mhd_dl_fn.MHD_queue_response)
#define MHD_lookup_connection_value (mhd_dl_fn.MHD_lookup_connection_value)
#endif

#endif
