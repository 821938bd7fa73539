/*
 * test_json.c — render/json.c, the compact JSON writer, against a slow
 * reference written from the definitions: a byte sequence is copied only when
 * it decodes to a scalar value in its shortest form (no surrogate, nothing
 * past U+10FFFF); every other byte at or above 0x80 becomes \udcXX. All two-
 * and three-byte sequences, and four-byte ones around every boundary, sit
 * between ASCII text long enough to take the eight-byte path, and the writer
 * must give the reference's bytes; so must pairs of three-byte sequences. Then the address memo: one string written
 * many times, and two strings that share an address slot.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kofu/kofu.h"
#include "node.h"
#include "support.h"

static void ref_string(kofu_buf *b, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    kofu_buf_putc(b, '"');
    while (*p) {
        char esc[8];
        size_t n;
        if (*p >= 0x80 && (n = tref_utf8_len(p, strlen((const char *)p))) > 0) {
            kofu_buf_putn(b, (const char *)p, n);
            p += n;
            continue;
        }
        if (*p >= 0x80)
            snprintf(esc, sizeof esc, "\\udc%02x", *p);
        else if (*p == '"' || *p == '\\')
            snprintf(esc, sizeof esc, "\\%c", *p);
        else if (*p == '\n')
            strcpy(esc, "\\n");
        else if (*p == '\t')
            strcpy(esc, "\\t");
        else if (*p == '\r')
            strcpy(esc, "\\r");
        else if (*p == '\b')
            strcpy(esc, "\\b");
        else if (*p == '\f')
            strcpy(esc, "\\f");
        else if (*p < 0x20)
            snprintf(esc, sizeof esc, "\\u%04x", *p);
        else
            snprintf(esc, sizeof esc, "%c", *p);
        kofu_buf_puts(b, esc);
        p++;
    }
    kofu_buf_putc(b, '"');
}

/* s written by the writer, alone and as a node, equals the reference. */
static void expect_same(const char *s)
{
    kofu_buf want = {0}, got = {0};
    ref_string(&want, s);
    kofu_json_string(&got, s);
    cr_assert(!want.failed && !got.failed);
    if (strcmp(want.data, got.data) != 0) {
        char hex[256] = "";
        for (size_t i = 0; s[i] && i < 60; i++)
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%02x ", (unsigned char)s[i]);
        cr_assert_fail("bytes %s: want %s, got %s", hex, want.data, got.data);
    }
    kofu_node *n = node_string(NULL, s);
    kofu_buf node = {0};
    kofu_json_append(&node, n);
    cr_assert_str_eq(node.data, want.data);
    kofu_node_free(&n);
    kofu_buf_free(&want);
    kofu_buf_free(&got);
    kofu_buf_free(&node);
}

/* "abcdefghij" + the bytes + "klmnopqrst", and the bytes alone at the end. */
static void expect_seq(const unsigned char *seq, size_t n)
{
    char s[40] = "abcdefghij";
    memcpy(s + 10, seq, n);
    strcpy(s + 10 + n, "klmnopqrst");
    expect_same(s);
    memcpy(s, seq, n);
    s[n] = '\0';
    expect_same(s);
}

Test(json, every_two_byte_sequence)
{
    for (unsigned a = 0x80; a <= 0xFF; a++)
        for (unsigned b = 1; b <= 0xFF; b++)
            expect_seq((const unsigned char[]){(unsigned char)a, (unsigned char)b}, 2);
}

Test(json, every_three_byte_sequence)
{
    static const unsigned char thirds[] = {0x01, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xE3, 0xFF};
    for (unsigned a = 0xC0; a <= 0xFF; a++)
        for (unsigned b = 1; b <= 0xFF; b++)
            for (size_t c = 0; c < sizeof thirds; c++)
                expect_seq((const unsigned char[]){(unsigned char)a, (unsigned char)b, thirds[c]}, 3);
}

/* Pairs of three-byte sequences, which the writer checks two at a time:
 * every lead E0..EF in either place, second bytes at the range edges. */
Test(json, three_byte_pairs)
{
    static const unsigned char seconds[] = {0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0};
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0xE0; b <= 0xEF; b++)
            for (size_t x = 0; x < sizeof seconds; x++)
                for (size_t y = 0; y < sizeof seconds; y++) {
                    const unsigned char pair[] = {(unsigned char)a, seconds[x], 0x81,
                                                  (unsigned char)b, seconds[y], 0xBF};
                    expect_seq(pair, sizeof pair);
                }
}

Test(json, four_byte_boundaries)
{
    static const unsigned char leads[] = {0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8};
    static const unsigned char seconds[] = {0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0};
    static const unsigned char later[] = {0x00 + 0x41, 0x80, 0xBF, 0xC0};
    for (size_t a = 0; a < sizeof leads; a++)
        for (size_t b = 0; b < sizeof seconds; b++)
            for (size_t c = 0; c < sizeof later; c++)
                for (size_t d = 0; d < sizeof later; d++)
                    expect_seq((const unsigned char[]){leads[a], seconds[b], later[c], later[d]}, 4);
}

Test(json, escapes_at_every_offset_of_an_ascii_run)
{
    static const char specials[] = "\"\\\n\t\r\b\f\x01\x1f\x7f";
    for (size_t k = 0; k < sizeof specials - 1; k++)
        for (size_t at = 0; at < 20; at++) {
            char s[32];
            memset(s, 'x', 20);
            s[20] = '\0';
            s[at] = specials[k];
            expect_same(s);
        }
    expect_same("");
    expect_same("地方財政措置（概要） \"引用\" と \\ と\n改行");
}

/* One string node written many times and strings that meet in one slot of
 * the address memo must each come out as they are. */
Test(json, address_memo)
{
    node_arena *a = node_arena_new();
    cr_assert(a);
    kofu_node *arr = node_array(a);
    const char *texts[] = {"総務省「特定地域づくり事業協同組合制度について」 第1",
                           "a \"quoted\" citation that is long enough",
                           "plain ascii text of some length, no escapes"};
    kofu_node *first = node_string(a, texts[0]);
    node_push(arr, first);
    for (int i = 0; i < 200; i++) {
        node_push(arr, node_string_static(a, kofu_node_str(first)));
        node_push(arr, node_string(a, texts[1 + i % 2]));
    }
    kofu_buf got = {0}, want = {0};
    kofu_json_append(&got, arr);
    kofu_buf_putc(&want, '[');
    ref_string(&want, texts[0]);
    for (int i = 0; i < 200; i++) {
        kofu_buf_putc(&want, ',');
        ref_string(&want, texts[0]);
        kofu_buf_putc(&want, ',');
        ref_string(&want, texts[1 + i % 2]);
    }
    kofu_buf_putc(&want, ']');
    cr_assert_str_eq(got.data, want.data);
    kofu_buf_free(&got);
    kofu_buf_free(&want);
    node_arena_free(a);
}

/* A string that is all escapes is written in one pass: each escape used to
 * measure the rest of the string again (4 million quotes took minutes). */
Test(json, escapes_stay_linear, .timeout = 20)
{
    size_t n = 4000000;
    char *s = malloc(n + 1);
    cr_assert(s);
    memset(s, '"', n);
    s[n] = '\0';
    kofu_buf b = {0};
    kofu_json_string(&b, s);
    cr_assert(!b.failed);
    cr_expect_eq(b.len, 2 * n + 2);
    kofu_buf_free(&b);
    free(s);
}
