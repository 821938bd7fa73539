/* suggest.h — "did you mean ...?" for unknown section and key names. */
#ifndef KOFU_ENGINE_SUGGEST_H
#define KOFU_ENGINE_SUGGEST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions, transpositions of
 * adjacent bytes), capped: returns cap+1 as soon as it exceeds cap. */
size_t suggest_distance(const char *a, const char *b, size_t cap);

/* The candidate nearest to word, if near enough to be a plausible typo
 * (distance at most 2, or 3 for words of 9 bytes or more); NULL otherwise.
 * candidates is NULL-terminated. */
const char *suggest_nearest(const char *word, const char *const *candidates);

#endif
