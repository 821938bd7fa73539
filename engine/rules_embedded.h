/* rules_embedded.h — the rule data files built into libkofu (generated table). */
#ifndef KOFU_ENGINE_RULES_EMBEDDED_H
#define KOFU_ENGINE_RULES_EMBEDDED_H
#include <stddef.h>

typedef struct rules_embedded_file {
    const char *measure; /* "network": the contents of rules/network.params */
    const char *bytes;   /* NUL-terminated for convenience; len excludes it */
    size_t len;
} rules_embedded_file;

/* Terminated by an entry whose measure is NULL. */
extern const rules_embedded_file rules_embedded[];

#endif
