/*
 * walk.h — the inputs of a command that takes case files and directories
 * (`kofu batch`, `kofu check`): each file argument, and every *.ini below a
 * directory argument, in a fixed order, one at a time (memory does not grow
 * with the number of files).
 *
 * Order and rules: arguments in the order given; a directory is walked
 * depth-first in byte order of the names; below it, a directory is entered
 * unless its own name ends in .ini (then it is an input, which the loader
 * reports as a directory); symbolic links to directories are not followed
 * (no loops); names starting with a dot are walked like any other.
 * Nothing is dropped: an entry that cannot be examined, a directory that
 * cannot be opened or read, and a directory argument with no *.ini at all
 * each give an error item naming the path and the reason. Only an entry that
 * vanished between the listing and its examination is skipped.
 * Directories are opened relative to their parent (openat), so depth is not
 * limited by PATH_MAX: an item whose path is PATH_MAX or longer comes with a
 * descriptor of its directory to open it from (kofu_case_load_at).
 */
#ifndef KOFU_CLI_WALK_H
#define KOFU_CLI_WALK_H

#include <stdbool.h>
#include <sys/types.h>

#include "kofu/kofu.h"

typedef struct walk_item {
    char *path;       /* malloc'd, as shown; NULL: out of memory (an error) */
    char *error;      /* malloc'd message: the item is an error row; or NULL */
    int dirfd;        /* ≥ 0: open `name` relative to it (owned); else -1    */
    const char *name; /* the last component of path, when dirfd ≥ 0        */
    bool has_id;      /* dev and ino are known (walk_new's want_ids)         */
    dev_t dev;
    ino_t ino;
} walk_item;

typedef struct walker walker;

/* A walker over args[0..n) (not copied: they must outlive it). With
 * want_ids, every file item carries its device and inode (one stat more per
 * file), to be compared with an --output target. NULL when out of memory. */
walker *walk_new(char *const *args, int n, bool want_ids, kofu_lang lang);
/* The next item (owned by the caller: walk_item_free); false at the end. */
bool walk_next(walker *w, walk_item *it);
void walk_item_free(walk_item *it);
void walk_free(walker *w);

#endif
