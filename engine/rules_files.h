/*
 * rules_files.h — the files of a rule-data directory (--rules DIR,
 * kofu rules --export DIR).
 *
 * A rule file is read like a case file (ini_read.h): a regular file only,
 * opened without blocking, so a FIFO or a link to /dev/stdin is an error
 * naming it, never a hang. A directory holds the files built into the
 * library (rules_embedded.h) and nothing else: any other file (a typo such as
 * netwrok.params) is an error with the nearest known name. Names starting
 * with a dot are not looked at.
 */
#ifndef KOFU_ENGINE_RULES_FILES_H
#define KOFU_ENGINE_RULES_FILES_H

#include <stddef.h>

#include "kofu/kofu.h"

/* Reads the rule file at path into *text (malloc'd, NUL-terminated, *len
 * bytes). KOFU_ERULES with the reason in diag when it is missing, not a
 * regular file, too large or unreadable. */
kofu_status rules_file_read(const char *path, kofu_diag *diag, char **text, size_t *len);

/* KOFU_ERULES with one item per file of dir that is not a known rule file. */
kofu_status rules_dir_check_names(const char *dir, kofu_diag *diag);

#endif
