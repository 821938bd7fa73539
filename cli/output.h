/*
 * output.h — where a command writes its report: --output FILE or stdout.
 *
 * What --output will and will not overwrite (docs/limits.md repeats it):
 *   - a new path, or an existing regular file: the report is written to a
 *     temporary file in the same directory (a name that fits NAME_MAX), synced
 *     and renamed over the target at the end, so a report that exists is
 *     complete; on failure or SIGINT/SIGTERM/SIGHUP the temporary is removed;
 *   - a symbolic link to a regular file: the file it names is replaced the
 *     same way (the link stays a link);
 *   - a character device, a FIFO or any other non-regular file (/dev/null,
 *     /dev/full, /dev/stdout on a pipe): written directly, never replaced, so
 *     a full device reports "no space left";
 *   - a directory, or a file that is one of the run's inputs (same device and
 *     inode): refused, exit 2, nothing written.
 * Every failure names its cause (no space, closed pipe, permission...).
 */
#ifndef KOFU_CLI_OUTPUT_H
#define KOFU_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "kofu/kofu.h"

typedef struct cli_output {
    FILE *fp;           /* write through cli_output_write              */
    const char *command; /* for the pointer to its help              */
    const char *target; /* as given (messages); NULL for stdout        */
    char *final_path;   /* what the temporary is renamed to            */
    bool renaming;      /* a temporary file, renamed at the end        */
    bool existed;       /* the target existed: dev and ino are its own */
    dev_t dev;
    ino_t ino;
    int err;            /* errno of the first failed write, or 0       */
    kofu_lang lang;
} cli_output;

/* Opens target (NULL: stdout) as described above. Returns EXIT_OK, or the
 * exit code after printing why (2 for a directory, 5 for I/O). */
int cli_output_open(cli_output *o, const char *command, const char *target, kofu_lang lang);

/* True when the file (dev, ino) is the existing target: the caller refuses
 * it as an input with cli_output_refuse_input. */
bool cli_output_is(const cli_output *o, dev_t dev, ino_t ino);
/* stat()s each path and returns EXIT_USAGE (after the message) when one of
 * them is the target, else EXIT_OK. For commands whose inputs are files. */
int cli_output_check_inputs(const cli_output *o, char *const *paths, int n);
/* Prints "--output FILE is the input PATH" and returns EXIT_USAGE. */
int cli_output_refuse_input(const cli_output *o, const char *input);

/* fwrite, remembering the cause of the first failure; false once failed. */
bool cli_output_write(cli_output *o, const void *p, size_t n);

/* Flushes and, when `complete`, syncs and renames the temporary into place;
 * removes it otherwise. Returns EXIT_OK or EXIT_FAILURE_IO after a message
 * naming the cause (for stdout the message is left to cli_finish_stdout,
 * which then knows the cause). */
int cli_output_close(cli_output *o, bool complete);

#endif
