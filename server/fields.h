/* fields.h — request fields that answers repeat, checked before use. */
#ifndef KOFU_SERVER_FIELDS_H
#define KOFU_SERVER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "api_internal.h"

typedef enum field_kind {
    FIELD_NAME, /* a name: printable ASCII, no blank (section.key, measure.amount) */
    FIELD_TEXT  /* text: UTF-8, no control character (a range such as 1000千円:2000千円:500千円) */
} field_kind;

/* true when s is 1 to max bytes of the kind. */
bool field_ok(const char *s, field_kind kind, size_t max);

/* field_ok, or false after a 400 answer naming the field ("vary[0].range")
 * and what it must be, without repeating the bytes refused. */
bool field_check(const api_ctx *ctx, api_response *resp, kofu_lang lang, const char *field,
                 const char *s, field_kind kind, size_t max);

/* A JSON body holding the escape \u0000: cJSON would cut the string there,
 * so the rest of it would be silently lost. false after a 400 answer. */
bool field_json_no_nul(const api_ctx *ctx, api_response *resp, kofu_lang lang, const char *body,
                       size_t len);

#endif
