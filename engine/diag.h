/*
 * diag.h — engine-side helpers to fill a kofu_diag (see kofu.h).
 *
 * Every message exists in Japanese and English; the caller passes both
 * printf formats with the same conversions in the same order, and the list's
 * language picks one. Keeping the two side by side at the call site is what
 * stops them drifting apart.
 */
#ifndef KOFU_ENGINE_DIAG_H
#define KOFU_ENGINE_DIAG_H

#include <stdarg.h>

#include "kofu/kofu.h"

#if defined(__GNUC__)
#define KOFU_PRINTF2(a, b) __attribute__((format(printf, a, b)))
#else
#define KOFU_PRINTF2(a, b)
#endif

/* A printf attribute names one format, so KOFU_PRINTF2 on a bilingual
 * function checks the Japanese format only. KOFU_CHECK_EN(fmt_en, args...)
 * makes the compiler check the English one against the same arguments: a
 * call to a function that does nothing, in a branch never taken, still has
 * its format checked. Each bilingual function is wrapped by a macro of its
 * own name that adds this check (diag_add below, ev_warn, ev_error,
 * check_error); its definition is written `(name)(...)` so that the macro
 * does not expand there. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void kofu_check_en_format(const char *fmt_en, ...) { (void)fmt_en; }
#define KOFU_CHECK_EN(fmt_en, ...) (0 ? kofu_check_en_format(fmt_en, ##__VA_ARGS__) : (void)0)

kofu_lang diag_lang(const kofu_diag *d);

/* Formats the message of `lang` (malloc'd; NULL on OOM). */
char *tr_vformat(kofu_lang lang, const char *fmt_ja, const char *fmt_en, va_list ap);

/* Adds an item. file/section/key may be NULL (stored as ""); line 0 = unknown.
 * fmt_ja and fmt_en are printf formats taking the same arguments. Returns
 * KOFU_ECASE normally, so callers can write `return diag_add(...)`. When d is
 * NULL the message is dropped (callers that only want the status). */
kofu_status diag_add(kofu_diag *d, kofu_status st, const char *file, int line,
                     const char *section, const char *key,
                     const char *fmt_ja, const char *fmt_en, ...) KOFU_PRINTF2(7, 9);
#define diag_add(d, st, file, line, section, key, ja, en, ...)                                     \
    (KOFU_CHECK_EN(en, ##__VA_ARGS__), diag_add(d, st, file, line, section, key, ja, en, ##__VA_ARGS__))

/* diag_add with the arguments as a va_list, for helpers that add context
 * (file, line, section) and pass the caller's bilingual message through. */
kofu_status diag_vadd(kofu_diag *d, kofu_status st, const char *file, int line,
                      const char *section, const char *key,
                      const char *fmt_ja, const char *fmt_en, va_list ap);

/* The reason for an errno value in the list's language (the common ones
 * translated; others as strerror gives them). */
const char *diag_errno_text(const kofu_diag *d, int err);

/* A line number below 0 names a spreadsheet cell instead (case tables):
 * -(row * DIAG_CELL_COLS + column), row from 1, column from 0. */
#define DIAG_CELL_COLS 1024
#define DIAG_CELL(row, col) (-((int)(row) * DIAG_CELL_COLS + (int)(col)))
/* "B7" for such a line into buf (cap ≥ 16); its length, 0 when line ≥ 0. */
size_t diag_cell_ref(int line, char *buf, size_t cap);

/* Picks the string for the list's language (for messages built elsewhere). */
#define DIAG_TR(d, ja, en) (diag_lang(d) == KOFU_LANG_EN ? (en) : (ja))

#endif
