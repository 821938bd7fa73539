/* cmd_batch.c — `kofu batch`: compute many cases, one CSV row or one JSON
 * line per case, in input order, never stopping at a bad case (SPEC.md §5).
 *
 * Design, for a whole prefecture's files in well under a second:
 *   - inputs are walked lazily (one sorted directory listing held per level
 *     of depth), and results leave through a reorder ring of a fixed number
 *     of slots, so memory does not grow with the number of cases;
 *   - with --jobs N, N worker threads share one kofu_rules (read-only) and
 *     each keeps its own kofu_diag; the main thread walks the inputs and
 *     writes finished slots strictly in sequence, so the output is
 *     byte-identical whatever N is;
 *   - each row is built in the slot's buffer off the lock; CSV rows come
 *     from an evaluation without trace (the row shows none of it);
 *   - --output goes through cli/output.c: a temporary file renamed at the
 *     end, a device written in place, an input refused (output.h).
 */
#define _GNU_SOURCE /* vasprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "walk.h"

static const char *const formats[] = {"csv", "jsonl", NULL};

#define MAX_JOBS 64
#define SLOTS_PER_JOB 16

/* ---- one case ---------------------------------------------------------------- */

typedef struct batch batch;

enum { SLOT_FREE, SLOT_READY, SLOT_TAKEN, SLOT_DONE };

typedef struct slot {
    walk_item in;
    int state;
    cli_buf out;
    bool failed;
    size_t mismatched;
} slot;

struct batch {
    cli_common co;
    const kofu_rules *rules;
    kofu_eval_options opt;
    /* the ring */
    slot *ring;
    size_t n_slots;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, space_cv;
    size_t submitted, next_take, next_write;
    size_t idle_workers;  /* waiting on work_cv                          */
    bool main_waiting;    /* the main thread waits on space_cv           */
    bool writing;         /* a worker is writing the head of the ring    */
    bool closed;
    /* totals, kept by the writer */
    size_t n_cases, n_ok, n_failed, n_mismatched;
    cli_output out;
    bool write_failed;
    bool output_is_input; /* the walk met the --output file: stop, exit 2 */
    char *input_hit;      /* that input's path                           */
    /* progress */
    bool progress;
    struct timespec t0, last;
};

/* All diagnostics of a failed case, as stderr would show them, in one cell. */
static char *diag_text(const kofu_diag *d, const char *path, kofu_status st, kofu_lang lang)
{
    cli_buf b = {0};
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (i)
            cli_buf_puts(&b, "; ");
        cli_buf_puts(&b, line ? line : kofu_status_message(KOFU_ENOMEM, lang));
        free(line);
    }
    if (kofu_diag_count(d) == 0) {
        cli_buf_puts(&b, path);
        cli_buf_puts(&b, ": ");
        cli_buf_puts(&b, kofu_status_message(st, lang));
    }
    if (b.failed) {
        cli_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static void error_row(const batch *bt, slot *s, const char *path, const char *msg)
{
    const char *m = msg ? msg : kofu_status_message(KOFU_ENOMEM, bt->co.lang);
    if (bt->co.format == FMT_CSV) {
        render_csv_row_buf(&s->out, path, NULL, NULL, m);
    } else {
        cli_buf_puts(&s->out, "{\"file\":");
        render_json_string(&s->out, path);
        cli_buf_puts(&s->out, ",\"error\":");
        render_json_string(&s->out, m);
        cli_buf_puts(&s->out, "}\n");
    }
    s->failed = true;
}

static void process(const batch *bt, slot *s, kofu_diag *d)
{
    s->out.len = 0;
    s->failed = false;
    s->mismatched = 0;
    const char *path = s->in.path ? s->in.path : "";
    if (!s->in.path || s->in.error) {
        error_row(bt, s, path, s->in.error);
        return;
    }
    kofu_diag_clear(d);
    kofu_case *c = NULL;
    kofu_result *r = NULL;
    kofu_status st = s->in.dirfd >= 0
                         ? kofu_case_load_at(bt->rules, s->in.dirfd, s->in.name, path, d, &c)
                         : kofu_case_load_file(bt->rules, path, d, &c);
    if (st == KOFU_OK)
        st = kofu_evaluate(bt->rules, c, &bt->opt, d, &r);
    if (st != KOFU_OK) {
        char *msg = diag_text(d, path, st, bt->co.lang);
        error_row(bt, s, path, msg);
        free(msg);
    } else if (bt->co.format == FMT_CSV) {
        s->mismatched = render_csv_row_buf(&s->out, path, r, c, NULL);
    } else {
        render_json_buf(&s->out, kofu_result_root(r));
        cli_buf_putc(&s->out, '\n');
        s->mismatched = render_claims_mismatched(r, c, NULL);
    }
    kofu_result_free(&r);
    kofu_case_free(&c);
}

/* ---- writing, in order ------------------------------------------------------- */

static double seconds_since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(batch *bt, bool force)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!force && seconds_since(&bt->last, &now) < 0.2)
        return;
    bt->last = now;
    double t = seconds_since(&bt->t0, &now);
    fprintf(stderr, CLI_TR(bt->co.lang, "\r%zu件処理（%.0f件/秒）", "\r%zu cases done (%.0f/s)"),
            bt->n_cases, t > 0 ? (double)bt->n_cases / t : 0.0);
}

static void write_slot(batch *bt, slot *s)
{
    if (s->out.failed) {
        /* the row could not be built: keep one row per input all the same */
        s->out.failed = false;
        s->out.len = 0;
        error_row(bt, s, s->in.path ? s->in.path : "", NULL);
    }
    if (!bt->write_failed && !cli_output_write(&bt->out, s->out.data, s->out.len))
        bt->write_failed = true;
    bt->n_cases++;
    if (s->failed)
        bt->n_failed++;
    else
        bt->n_ok++;
    bt->n_mismatched += s->mismatched;
    walk_item_free(&s->in);
    if (bt->progress && (bt->n_cases & 63) == 0)
        show_progress(bt, false);
}

/* ---- threads ------------------------------------------------------------------ *
 * Wake-ups are what threads cost here (on a VM each one is an interrupt to
 * another CPU), so there are few: the worker that finishes the slot at the
 * head of the ring writes it, and every finished slot after it, itself; the
 * main thread only walks the inputs and fills the ring, and sleeps when the
 * ring is full until half of it is free again. */

typedef struct worker_arg {
    batch *bt;
    kofu_diag *diag;
} worker_arg;

static bool half_free_or_done(const batch *bt)
{
    return bt->submitted - bt->next_write <= bt->n_slots / 2 || bt->next_write == bt->submitted;
}

/* Writes the finished slots at the head of the ring, in order, unless
 * another worker is doing so (it will see ours: it re-checks the head under
 * the lock after each write). Called with the lock held. */
static void write_in_order(batch *bt)
{
    if (bt->writing)
        return;
    bt->writing = true;
    while (bt->next_write != bt->submitted) {
        slot *s = &bt->ring[bt->next_write % bt->n_slots];
        if (s->state != SLOT_DONE)
            break;
        pthread_mutex_unlock(&bt->mu);
        write_slot(bt, s);
        pthread_mutex_lock(&bt->mu);
        s->state = SLOT_FREE;
        bt->next_write++;
    }
    bt->writing = false;
    if (bt->main_waiting && half_free_or_done(bt))
        pthread_cond_signal(&bt->space_cv);
}

static void *worker(void *arg)
{
    worker_arg *wa = arg;
    batch *bt = wa->bt;
    pthread_mutex_lock(&bt->mu);
    for (;;) {
        while (bt->next_take == bt->submitted && !bt->closed) {
            bt->idle_workers++;
            pthread_cond_wait(&bt->work_cv, &bt->mu);
            bt->idle_workers--;
        }
        if (bt->next_take == bt->submitted)
            break;
        slot *s = &bt->ring[bt->next_take++ % bt->n_slots];
        s->state = SLOT_TAKEN;
        pthread_mutex_unlock(&bt->mu);
        process(bt, s, wa->diag);
        pthread_mutex_lock(&bt->mu);
        s->state = SLOT_DONE;
        write_in_order(bt);
    }
    pthread_mutex_unlock(&bt->mu);
    return NULL;
}

/* Waits (lock held) until `ready` holds; the writer signals space_cv. */
static void main_wait(batch *bt, bool (*ready)(const batch *))
{
    while (!ready(bt)) {
        bt->main_waiting = true;
        pthread_cond_wait(&bt->space_cv, &bt->mu);
        bt->main_waiting = false;
    }
}

static bool has_room(const batch *bt) { return bt->submitted - bt->next_write < bt->n_slots; }
static bool all_written(const batch *bt) { return bt->next_write == bt->submitted; }

/* Puts an input into the ring; false once a write has failed (a closed
 * pipe, a full disk): nothing more can reach the report. */
static bool submit(batch *bt, walk_item *it)
{
    pthread_mutex_lock(&bt->mu);
    main_wait(bt, has_room);
    bool go_on = !bt->write_failed;
    slot *s = &bt->ring[bt->submitted % bt->n_slots];
    s->in = *it;
    s->state = SLOT_READY;
    bt->submitted++;
    if (bt->idle_workers > 0)
        pthread_cond_signal(&bt->work_cv);
    pthread_mutex_unlock(&bt->mu);
    return go_on;
}

/* The next input from the walk; false at its end, or when the input is the
 * --output file itself (the run stops: its report would replace the input). */
static bool next_input(batch *bt, walker *w, walk_item *it)
{
    if (!walk_next(w, it))
        return false;
    if (it->has_id && cli_output_is(&bt->out, it->dev, it->ino)) {
        bt->output_is_input = true;
        bt->input_hit = it->path;
        it->path = NULL;
        walk_item_free(it);
        return false;
    }
    return true;
}

static int run_threads(batch *bt, walker *w, int jobs)
{
    pthread_t tids[MAX_JOBS];
    worker_arg args[MAX_JOBS];
    int started = 0;
    for (int j = 0; j < jobs; j++) {
        args[j].bt = bt;
        if (kofu_diag_new(bt->co.lang, &args[j].diag) != KOFU_OK)
            break;
        if (pthread_create(&tids[j], NULL, worker, &args[j]) != 0) {
            kofu_diag_free(&args[j].diag);
            break;
        }
        started++;
    }
    walk_item it;
    while (started > 0 && next_input(bt, w, &it) && submit(bt, &it))
        ;
    pthread_mutex_lock(&bt->mu);
    bt->closed = true;
    pthread_cond_broadcast(&bt->work_cv);
    main_wait(bt, all_written);
    pthread_mutex_unlock(&bt->mu);
    for (int j = 0; j < started; j++) {
        pthread_join(tids[j], NULL);
        kofu_diag_free(&args[j].diag);
    }
    if (started == 0) {
        cli_error("%s", CLI_TR(bt->co.lang, "スレッドを開始できません", "cannot start threads"));
        return EXIT_FAILURE_IO;
    }
    return EXIT_OK;
}

static int run_inline(batch *bt, walker *w)
{
    kofu_diag *d = NULL;
    if (kofu_diag_new(bt->co.lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    slot s = {.in = {.dirfd = -1}};
    while (!bt->write_failed && next_input(bt, w, &s.in)) {
        process(bt, &s, d);
        write_slot(bt, &s);
    }
    cli_buf_free(&s.out);
    kofu_diag_free(&d);
    return EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------ */

static bool parse_jobs(const char *v, int *jobs)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > MAX_JOBS)
        return false;
    *jobs = (int)n;
    return true;
}

/* "--name value" or "--name=value"; true when argv[*i] is that option. */
static bool opt_value(const char *name, int argc, char **argv, int *i, const char **v)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return false;
    if (argv[*i][n] == '=') {
        *v = argv[*i] + n + 1;
        return true;
    }
    if (argv[*i][n] != '\0')
        return false;
    *v = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

static void summary(const batch *bt)
{
    if (bt->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr,
            CLI_TR(bt->co.lang, "kofu batch: %zu件（正常 %zu件、エラー %zu件、請求額の不一致 %zu件）\n",
                   "kofu batch: %zu cases (%zu ok, %zu failed, %zu claims mismatched)\n"),
            bt->n_cases, bt->n_ok, bt->n_failed, bt->n_mismatched);
}

static int parse_args(int argc, char **argv, batch *bt, char **paths, int *n_paths,
                      const char **output, int *jobs)
{
    int rc = EXIT_OK;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_help_command("batch", bt->co.lang, stdout);
            return -1;
        }
        if (strcmp(argv[i], "--") == 0) {
            while (++i < argc)
                paths[(*n_paths)++] = argv[i];
            break;
        }
        if (opt_value("--output", argc, argv, &i, &v)) {
            if (!v || !*v)
                rc = cli_usage_error("batch", bt->co.lang, "%s",
                                     CLI_TR(bt->co.lang, "--output にはファイル名が必要です",
                                            "--output needs a file name"));
            *output = v;
        } else if (opt_value("--jobs", argc, argv, &i, &v)) {
            if (!v || !parse_jobs(v, jobs))
                rc = cli_usage_error("batch", bt->co.lang,
                                     CLI_TR(bt->co.lang, "--jobs は 1〜%d の整数です: '%s'",
                                            "--jobs must be an integer from 1 to %d: '%s'"),
                                     MAX_JOBS, v ? v : "");
        } else if (cli_common_option(&bt->co, "batch", formats, argc, argv, &i, &rc)) {
            continue;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage_error("batch", bt->co.lang,
                                 CLI_TR(bt->co.lang, "不明なオプションです: '%s'", "unknown option: '%s'"),
                                 argv[i]);
        } else {
            paths[(*n_paths)++] = argv[i];
        }
    }
    if (rc == EXIT_OK && *n_paths == 0)
        rc = cli_usage_error("batch", bt->co.lang, "%s",
                             CLI_TR(bt->co.lang, "ケースファイルかディレクトリを指定してください",
                                    "no case file or directory given"));
    return rc;
}

static int run_batch(int argc, char **argv)
{
    batch bt = {0};
    cli_common_init(&bt.co, FMT_CSV);
    const char *output = NULL;
    int jobs = 1, n_paths = 0;
    char **paths = calloc((size_t)argc, sizeof *paths);
    if (!paths)
        return EXIT_FAILURE_IO;
    int rc = parse_args(argc, argv, &bt, paths, &n_paths, &output, &jobs);
    if (rc != EXIT_OK) {
        free(paths);
        return rc < 0 ? EXIT_OK : rc;
    }
    kofu_rules *rules = cli_load_rules(&bt.co, &rc);
    if (!rules) {
        free(paths);
        return rc;
    }
    bt.rules = rules;
    /* CSV shows no trace: skip recording it. JSON Lines carries it all. */
    bt.opt = (kofu_eval_options){.lang = bt.co.lang, .no_trace = bt.co.format == FMT_CSV};
    rc = cli_output_open(&bt.out, "batch", output, bt.co.lang);
    walker *w = rc == EXIT_OK ? walk_new(paths, n_paths, bt.out.existed, bt.co.lang) : NULL;
    if (rc == EXIT_OK && !w) {
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, bt.co.lang));
        rc = EXIT_FAILURE_IO;
    }
    if (rc != EXIT_OK) {
        if (bt.out.fp)
            cli_output_close(&bt.out, false);
        kofu_rules_free(&rules);
        free(paths);
        return rc;
    }
    static char obuf[1 << 16];
    setvbuf(bt.out.fp, obuf, _IOFBF, sizeof obuf);
    bt.progress = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &bt.t0);
    bt.last = bt.t0;
    if (bt.co.format == FMT_CSV) {
        cli_buf h = {0};
        render_csv_header_buf(&h);
        if (h.failed || !cli_output_write(&bt.out, h.data, h.len))
            bt.write_failed = true;
        cli_buf_free(&h);
    }
    if (jobs == 1) {
        rc = run_inline(&bt, w);
    } else {
        bt.n_slots = (size_t)jobs * SLOTS_PER_JOB;
        bt.ring = calloc(bt.n_slots, sizeof *bt.ring);
        pthread_mutex_init(&bt.mu, NULL);
        pthread_cond_init(&bt.work_cv, NULL);
        pthread_cond_init(&bt.space_cv, NULL);
        rc = bt.ring ? run_threads(&bt, w, jobs) : EXIT_FAILURE_IO;
        for (size_t i = 0; bt.ring && i < bt.n_slots; i++)
            cli_buf_free(&bt.ring[i].out);
        free(bt.ring);
        pthread_mutex_destroy(&bt.mu);
        pthread_cond_destroy(&bt.work_cv);
        pthread_cond_destroy(&bt.space_cv);
    }
    walk_free(w);
    bool complete = rc == EXIT_OK && !bt.write_failed && !bt.output_is_input;
    int orc = cli_output_close(&bt.out, complete);
    if (bt.output_is_input) {
        rc = cli_output_refuse_input(&bt.out, bt.input_hit);
        free(bt.input_hit);
    } else if (orc != EXIT_OK) {
        rc = orc;
    }
    if (rc == EXIT_USAGE) {
        kofu_rules_free(&rules);
        free(paths);
        return rc;
    }
    summary(&bt);
    kofu_rules_free(&rules);
    free(paths);
    if (rc != EXIT_OK)
        return rc;
    return bt.n_failed ? EXIT_INVALID_CASE : bt.n_mismatched ? EXIT_DISCREPANCY : EXIT_OK;
}

const cli_command cmd_batch = {
    "batch",
    run_batch,
    "多数のケースを計算し、1ケース1行の表（CSV）か JSON Lines にします",
    "computes many cases into one CSV row or one JSON line per case",
    "使い方: kofu batch [--format csv|jsonl] [--output FILE] [--jobs N] [--lang ja|en]\n"
    "                   [--rules DIR] PATH...\n\n"
    "PATH はケースファイルか、*.ini を再帰的に探すディレクトリです（名前のバイト順。\n"
    "シンボリックリンクのディレクトリはたどりません）。入力の順に、1ケースにつき1行を出力します。\n"
    "不正なケースはエラー行（ファイル名と理由）になり、処理は続きます。*.ini という名前の\n"
    "ディレクトリや空のファイルもエラー行になります。\n\n"
    "  --format csv    kofu calc --format csv と同じ見出しと列（既定）。claims は [claim] の件数、\n"
    "                  claims_mismatched は計算額と一致しない請求額の件数\n"
    "  --format jsonl  1行に1つ、SPEC.md §5 の JSON（エラーは {\"file\":…,\"error\":…}）\n"
    "  --output FILE   FILE に書く。一時ファイルに書いて最後に名前を変えるので、途中で止まっても\n"
    "                  不完全な FILE は残りません。デバイスや FIFO には直接書き、入力のファイルや\n"
    "                  ディレクトリは拒否します（docs/limits.md）\n"
    "  --jobs N        N 個のスレッドで計算（1〜64、既定 1）。出力は N によらず同じです\n\n"
    "件数の集計（正常・エラー・請求額の不一致）は標準エラーに出ます。端末では進み具合も表示します。\n"
    "終了コード: 0 すべて正常, 1 請求額の不一致がある（エラーなし）, 2 使い方の誤り,\n"
    "            3 エラーのケースがある, 4 ルールデータが不正, 5 入出力エラー\n"
    "例: kofu batch --jobs 2 --output 結果.csv 申請/\n",
    "usage: kofu batch [--format csv|jsonl] [--output FILE] [--jobs N] [--lang ja|en]\n"
    "                  [--rules DIR] PATH...\n\n"
    "Each PATH is a case file, or a directory searched recursively for *.ini (in byte order of\n"
    "the names; symbolic links to directories are not followed). One line per case, in input\n"
    "order. A bad case gives an error row (file and reason) and the batch goes on; a directory\n"
    "named *.ini and an empty file give error rows too.\n\n"
    "  --format csv    the header and columns of kofu calc --format csv (default); claims counts\n"
    "                  the [claim] entries, claims_mismatched those that differ\n"
    "  --format jsonl  one SPEC.md §5 JSON object per line ({\"file\":…,\"error\":…} for errors)\n"
    "  --output FILE   write to FILE through a temporary file renamed at the end, so an\n"
    "                  interrupted run never leaves a FILE that looks complete; a device or a\n"
    "                  FIFO is written directly, an input or a directory is refused\n"
    "  --jobs N        compute with N threads (1-64, default 1); the output is the same for any N\n\n"
    "A summary (ok, failed, claims mismatched) goes to stderr, and a progress line when stderr\n"
    "is a terminal.\n"
    "exit codes: 0 all ok, 1 claims mismatched (no failure), 2 usage error, 3 a case failed,\n"
    "            4 invalid rule data, 5 I/O error\n"
    "example: kofu batch --jobs 2 --output results.csv claims/\n",
};
