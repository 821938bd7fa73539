/* ini_utf8.c — the byte checks of a case or rule file (see ini_utf8.h). */
#include "ini_utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Offset of the first C0 control byte (but TAB, and the CR of CRLF, which
 * check_bytes judges) or DEL in s[0..n), or n: such a byte in a value
 * would reach a terminal or a report as it is (an escape sequence can
 * rewrite what an auditor sees). */
size_t ini_control_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
            return i;
    }
    return n;
}

