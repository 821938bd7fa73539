/*
 * test_utf8.c — engine/utf8.c, the one definition of well-formed UTF-8:
 * utf8_seq_len against a reference that decodes the code point, for every
 * two- and three-byte sequence and the four-byte boundaries; utf8_invalid_at
 * on text where the bad byte sits at every offset (the eight-byte ASCII path
 * included); and the byte-at-a-time form (utf8_stream) agreeing with the
 * whole-buffer one, sequences cut short at the end included.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "support.h"
#include "utf8.h"

/* The stream's verdict on the whole of s[0..n). */
static bool stream_ok(const unsigned char *s, size_t n)
{
    utf8_stream st = UTF8_STREAM_START;
    for (size_t i = 0; i < n; i++)
        if (!utf8_stream_push(&st, s[i]))
            return false;
    return utf8_stream_complete(&st);
}

static void expect_agree(const unsigned char *s, size_t n)
{
    size_t want = 0;
    while (want < n) {
        size_t k = tref_utf8_len(s + want, n - want);
        if (k == 0)
            break;
        want += k;
    }
    cr_assert_eq(utf8_invalid_at(s, n), want, "%02x %02x %02x %02x (n %zu)", s[0], n > 1 ? s[1] : 0,
                 n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, n);
    cr_assert_eq(stream_ok(s, n), want == n);
}

Test(utf8, sequences_of_two_and_three_bytes)
{
    for (unsigned a = 0; a <= 0xFF; a++)
        for (unsigned b = 0; b <= 0xFF; b++) {
            unsigned char s[3] = {(unsigned char)a, (unsigned char)b, 0x80};
            expect_agree(s, 1);
            expect_agree(s, 2);
            expect_agree(s, 3);
            s[2] = 0xC0;
            expect_agree(s, 3);
            cr_assert_eq(utf8_seq_len(s, 2), tref_utf8_len(s, 2));
        }
}

Test(utf8, four_byte_boundaries)
{
    static const unsigned char leads[] = {0xF0, 0xF1, 0xF3, 0xF4, 0xF5};
    static const unsigned char seconds[] = {0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0};
    static const unsigned char later[] = {0x41, 0x80, 0xBF, 0xC0};
    for (size_t a = 0; a < sizeof leads; a++)
        for (size_t b = 0; b < sizeof seconds; b++)
            for (size_t c = 0; c < sizeof later; c++)
                for (size_t d = 0; d < sizeof later; d++) {
                    unsigned char s[4] = {leads[a], seconds[b], later[c], later[d]};
                    for (size_t n = 1; n <= 4; n++)
                        expect_agree(s, n);
                }
}

Test(utf8, bad_byte_at_every_offset)
{
    unsigned char s[40];
    for (size_t at = 0; at < sizeof s; at++) {
        memset(s, 'a', sizeof s);
        s[at] = 0xFF;
        cr_assert_eq(utf8_invalid_at(s, sizeof s), at);
        memcpy(s, "あいう", 9); /* well-formed before it, where it fits */
        if (at >= 9)
            cr_assert_eq(utf8_invalid_at(s, sizeof s), at);
    }
}
