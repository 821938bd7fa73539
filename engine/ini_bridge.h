/*
 * ini_bridge.h — the one place kofu hands bytes to iniparser.
 *
 * One way in: ini_bridge_run() takes the bytes the scanner validated (from
 * kofu's buffer, never the file or its descriptor: a file rewritten while
 * kofu reads it cannot reach the result) and the spans to blank (a comment
 * after a [section], which iniparser 4.1 rejects). One way out: the
 * ini_bridge_result it fills — iniparser's dictionary, the lines iniparser
 * reported as syntax errors, its first message that names no line, and
 * whether memory or the in-memory file failed.
 *
 * iniparser 4.1 reads only named files, so the bytes reach it through an
 * anonymous in-memory file (memfd) named by /proc/self/fd/N, one per thread,
 * emptied for each parse and closed when the thread ends. Its error callback
 * is process-global: see ini_bridge.c for how that is confined.
 */
#ifndef KOFU_ENGINE_INI_BRIDGE_H
#define KOFU_ENGINE_INI_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>

#include <iniparser.h>

typedef struct ini_span {
    size_t begin, end;
} ini_span;

typedef struct ini_bridge_result {
    dictionary *dict;  /* NULL when iniparser failed (syntax, memory)      */
    int *lines;        /* physical lines iniparser reported as bad          */
    size_t n_lines, cap_lines;
    char other[160];   /* its first message that names no line, or ""      */
    bool oom;          /* iniparser ran out of memory                       */
    int sys_errno;     /* the in-memory file could not be made (errno), or 0 */
    const char *path;  /* during the run: the name iniparser was given      */
} ini_bridge_result;

/* Parses bytes[0..len) with each blanks[i] span replaced by spaces (same
 * length: lines keep their numbers). Always fills *out; free it with
 * ini_bridge_free whatever happened. */
void ini_bridge_run(const char *bytes, size_t len, const ini_span *blanks, size_t n_blanks,
                    ini_bridge_result *out);
void ini_bridge_free(ini_bridge_result *r);

#endif
