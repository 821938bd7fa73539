/* rules_embedded.h — the rule data files built into libkofu (generated table). */
#ifndef KOFU_ENGINE_RULES_EMBEDDED_H
#define KOFU_ENGINE_RULES_EMBEDDED_H
#include <stddef.h>

typedef struct rules_embedded_file {
    const char *file;    /* "network.params": a file of rules/, by its name  */
    const char *bytes;   /* NUL-terminated for convenience; len excludes it */
    size_t len;
    const char *sha256;  /* of the len bytes, in hex, computed by the build */
} rules_embedded_file;

/* Terminated by an entry whose file is NULL. */
extern const rules_embedded_file rules_embedded[];

#endif
