/*
 * utf8.h — well-formed UTF-8, the one definition every reader and writer of
 * the library checks against: the case and rule file reader, the CSV case
 * tables' encoding detection, the JSON writer. Well-formed is Unicode's
 * table of byte sequences: no overlong form, no encoded surrogate (ED A0..BF),
 * nothing beyond U+10FFFF. A byte that fails is reported, never replaced.
 */
#ifndef KOFU_ENGINE_UTF8_H
#define KOFU_ENGINE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* What a byte begins: len 1, ASCII; len 2 to 4, a sequence whose second byte
 * lies in [lo, hi] and whose later bytes are continuations (80..BF); len 0,
 * nothing (a continuation byte, C0, C1, F5..FF). */
typedef struct utf8_lead {
    unsigned char len, lo, hi;
} utf8_lead;
extern const utf8_lead utf8_leads[256];

/* Length of the well-formed sequence at s (1 to 4) when it fits in the avail
 * bytes there, else 0. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);

/* Offset of the first byte of s[0..n) that does not begin a well-formed
 * sequence ending within n bytes, or n. */
size_t utf8_invalid_at(const unsigned char *s, size_t n);

/* The same check a byte at a time, for input read in pieces (a sequence
 * may straddle two reads). Start from UTF8_STREAM_START. */
typedef struct utf8_stream {
    unsigned char need, lo, hi; /* continuation bytes still expected, and the
                                   range of the next one                   */
} utf8_stream;
#define UTF8_STREAM_START ((utf8_stream){0, 0x80, 0xBF})
/* False when c cannot come next. */
bool utf8_stream_push(utf8_stream *st, unsigned char c);
/* True when the input may end here (no sequence left open). */
bool utf8_stream_complete(const utf8_stream *st);

#endif
