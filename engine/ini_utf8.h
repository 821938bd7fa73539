/*
 * ini_utf8.h — the byte checks of a case or rule file besides well-formed
 * UTF-8 (utf8.h): the control characters a value may not hold.
 */
#ifndef KOFU_ENGINE_INI_UTF8_H
#define KOFU_ENGINE_INI_UTF8_H

#include <stddef.h>

/* Offset of the first C0 control byte (but TAB and CR) or DEL in s[0..n),
 * or n. */
size_t ini_control_at(const char *s, size_t n);

#endif
