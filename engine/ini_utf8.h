/*
 * ini_utf8.h — the byte checks of a case or rule file: UTF-8 (no overlong
 * form, no encoded surrogate, nothing beyond U+10FFFF) and the control
 * characters a value may not hold.
 */
#ifndef KOFU_ENGINE_INI_UTF8_H
#define KOFU_ENGINE_INI_UTF8_H

#include <stddef.h>

/* Offset of the first byte of s[0..n) that does not start a valid UTF-8
 * sequence, or n. */
size_t ini_utf8_invalid_at(const unsigned char *s, size_t n);
/* Offset of the first C0 control byte (but TAB and CR) or DEL in s[0..n),
 * or n. */
size_t ini_control_at(const char *s, size_t n);

#endif
