/*
 * case_ids.h — the case ids of one run of batch or check, and the place
 * ("FILE", "FILE:ROW") that first used each: how a claim submitted twice is
 * found (the finding duplicate_case_id).
 *
 * The first CASE_IDS_IN_MEMORY ids are kept in memory; later ones go to a
 * hash table in an unlinked temporary file (in TMPDIR, else /tmp), read and
 * written a few bytes at a time, so that a run's memory does not grow with
 * the number of its cases. Should the file fail (no space, no TMPDIR), the
 * table goes on in memory: no id is forgotten unless memory runs out too,
 * and then case_ids_incomplete() says so.
 */
#ifndef KOFU_CLI_CASE_IDS_H
#define KOFU_CLI_CASE_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define CASE_IDS_IN_MEMORY 1024

typedef struct case_ids case_ids;

/* NULL when out of memory. */
case_ids *case_ids_new(void);
void case_ids_free(case_ids **t);

/* The place that first used id, or NULL when none has; when none has and
 * record is true, where becomes id's first place. The string returned is
 * valid until the next call. */
const char *case_ids_seen(case_ids *t, const char *id, const char *where, bool record);

/* true once an id could not be recorded (memory and the file both failed):
 * a later use of it would go unnoticed. */
bool case_ids_incomplete(const case_ids *t);

#endif
