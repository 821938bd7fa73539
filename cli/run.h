/*
 * run.h — what `kofu batch` and `kofu check` share to run over many files:
 *   - the walk over PATH... arguments (walk.c): files, and directories
 *     searched recursively for *.ini in byte order of the names, with
 *     openat (no PATH_MAX limit on depth), losing no entry: what cannot be
 *     examined or opened is an error item naming the path and the reason;
 *   - a pool of worker threads whose outputs leave in input order, byte for
 *     byte the same whatever the number of threads (pool.c), with the
 *     duplicate-case-id check of the whole run;
 *   - --output (output.h): a temporary file renamed at the end, a device
 *     or FIFO written in place, an input refused.
 */
#ifndef KOFU_CLI_RUN_H
#define KOFU_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "output.h"

#define RUN_MAX_JOBS 64

/* ---- walking the inputs (walk.c) ------------------------------------------- */

/* One input: a path to load, or a path with an error found while walking
 * (path NULL: out of memory). Both malloc'd. An input whose path is
 * PATH_MAX or longer comes with the directory to open it from: `name`
 * relative to `dir` (owned), for kofu_case_load_at. */
typedef struct walk_item {
    char *path;
    char *error;
    bool has_dir;
    int dir;
    const char *name; /* the last component of path, when has_dir */
} walk_item;

/* Frees what the item owns and empties it. */
void walk_item_free(walk_item *it);
/* Loads the item's case (kofu_case_load_file, or _at for a long path). */
kofu_status walk_item_load(const walk_item *it, const kofu_rules *rules, kofu_diag *d,
                           kofu_case **c);

typedef struct dir_frame dir_frame;

typedef struct walker {
    char **args;
    int n_args, next_arg;
    dir_frame *stack;
    size_t depth, cap;
    size_t skipped;   /* files below a directory whose name is not *.ini */
    /* --output: an input that is the output file ends the walk, its path
     * kept in `hit` (malloc'd) for the refusal (cli_output_refuse_input) */
    const cli_output *output;
    char *hit;
    kofu_lang lang;
} walker;

/* args are not copied; output may be NULL (no --output, or a new file). */
void walker_init(walker *w, char **args, int n_args, const cli_output *output, kofu_lang lang);
/* The next input in order; false at the end (or at the --output file: hit). */
bool walk_next(walker *w, walk_item *it);
void walker_free(walker *w);
/* true when path is a directory (a PATH argument the walker enters). */
bool walk_is_directory(const char *path);

/* ---- the pool (pool.c) -------------------------------------------------------- */

/* One input on its way through the pool. The command's process() fills out
 * and the counts; the pool writes out in input order. */
typedef struct run_slot {
    walk_item in;
    int state;
    cli_buf out;
    bool failed;          /* an error row: the input is not a valid case   */
    size_t claims, mismatched, findings;
    char *case_id;        /* malloc'd by process() for a valid case: the
                             pool looks for ids used twice in the run       */
    size_t more_inputs, more_failed; /* a case table: its cases beyond the
                             first, and those that failed (the slot counts
                             as one input, failed when `failed`)            */
    struct case_ids *ids; /* the run's case ids, set by the pool around
                             before_write (run_id_first, run_id_record)   */
    void *held;           /* the command's own: process() may leave what
                             before_write needs (batch's xlsx keeps the
                             result); the pool never touches it             */
} run_slot;

typedef struct run_ops {
    /* Builds s->out (and the counts) for s->in; called from any thread.
     * dup_of: NULL, or the file that first used the case's id in this run
     * (the pool calls process() again, in order, when it finds one). */
    void (*process)(void *ctx, run_slot *s, kofu_diag *d, const char *dup_of);
    /* Replaces s->out by an error row for s->in with message msg (NULL: out
     * of memory), when building the row failed. */
    void (*error_row)(void *ctx, run_slot *s, const char *msg);
    /* Called in input order just before s->out is written (may be NULL):
     * the command's totals, a separator written to out. */
    void (*before_write)(void *ctx, run_slot *s, FILE *out);
} run_ops;

typedef struct run_pool_opts {
    int jobs;             /* 1: no thread                                   */
    cli_output *out;      /* written through cli_output_write               */
    kofu_lang lang;
    bool progress;        /* a progress line on stderr                     */
} run_pool_opts;

typedef struct run_totals {
    size_t inputs, failed, claims, mismatched, findings;
    bool write_failed;
} run_totals;

/* Runs every input of w through ops, writing to opts->out in input order.
 * Returns EXIT_OK, or EXIT_FAILURE_IO when threads or memory fail; a write
 * failure stops the run and sets totals->write_failed. */
int run_pool(walker *w, const run_ops *ops, void *ctx, const run_pool_opts *opts,
             run_totals *totals);
/* The cases of a case table, read in before_write, join the run's check
 * for ids used twice (a row repeating the id of a row further up that is
 * not the row just above it, or of a case file): run_id_first gives the
 * input that first used `id` ("FILE" or "FILE:ROW"; valid until the next
 * call of either), or NULL; run_id_record notes a valid case's id and where it is.
 * Only from before_write, with its slot. */
const char *run_id_first(run_slot *s, const char *id);
void run_id_record(run_slot *s, const char *id, const char *where);
/* Clears the progress line (before a summary). */
void run_progress_clear(const run_pool_opts *opts);

/* ---- what a run opens and closes (run_io.c) ---------------------------------------- */

/* The rule data, and either the workbook (--format xlsx, with its
 * bibliography) or the output stream, that check and batch open before
 * their pool and close after it, in the same order and with the same
 * refusals. */
typedef struct run_io {
    kofu_rules *rules;
    kofu_xlsx *book;  /* --format xlsx: written by the library           */
    kofu_node *bib;   /* the workbook's bibliography, freed with it      */
    cli_output out;   /* the stream (stdout when the workbook is written) */
} run_io;

/* After the arguments (co->output is set to output): the xlsx checks
 * (--output given, no input named as the output), the rule data, the
 * workbook or the output, and a 64 KiB buffer on the stream. Returns
 * EXIT_OK, or the exit code with nothing left open (negative: --help was
 * answered). */
int run_io_open(run_io *io, cli_common *co, const char *command, const char *output,
                char **paths, int n_paths);
/* After the pool: the workbook written (only when rc is EXIT_OK and
 * book_ok) and freed with its bibliography. Returns the exit code. */
int run_io_close_book(run_io *io, const cli_common *co, int rc, bool book_ok);
/* Then the stream closed, kept only when complete; an input that was the
 * output (hit) refused. Returns the exit code. */
int run_io_close_output(run_io *io, int rc, bool complete, const char *hit);

/* --format xlsx: a case waits in its slot (s->held) from process() until
 * its turn to enter the workbook, in input order. run_hold takes c, r and
 * claims (may be NULL) and sets them NULL; false (nothing taken) when out
 * of memory. run_book_case adds the slot's case, or its error row, and with
 * claims its claims; either way the slot is emptied. */
bool run_hold(run_slot *s, kofu_case **c, kofu_result **r, kofu_node **claims);
void run_drop_held(run_slot *s);
kofu_status run_book_case(kofu_xlsx *book, run_slot *s, bool with_claims);

/* ---- --output: output.h ---------------------------------------------------------- */

/* ---- options both commands take ------------------------------------------------- */

/* What check and batch take besides the common options and their inputs. */
typedef struct run_args {
    const char *output; /* --output FILE, or NULL                          */
    int jobs;           /* --jobs N (1 when not given)                     */
    const char *flag;   /* the command's own switch ("--only-problems"), or NULL */
    bool flag_given;
} run_args;

/* `kofu check|batch [options] INPUT...` (args.c): as cli_parse_cases, and
 * --output, --jobs and run->flag; paths must hold argc pointers. Returns
 * EXIT_OK, EXIT_USAGE (after the message), or -1 when help was printed. */
int run_parse_args(cli_common *co, const char *command, const char *const *formats, int argc,
                   char **argv, char **paths, int *n_paths, run_args *run);

/* "--name value" or "--name=value"; true when argv[*i] is that option (v is
 * NULL when the value is missing). */
bool run_opt_value(const char *name, int argc, char **argv, int *i, const char **v);
/* --jobs N, 1..RUN_MAX_JOBS. */
bool run_parse_jobs(const char *v, int *jobs);

#endif
