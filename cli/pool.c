/* pool.c — running many inputs for batch and check: rows in input order,
 * byte for byte the same whatever --jobs is.
 *
 *   - results leave through a reorder ring of a fixed number of slots, so
 *     memory does not grow with the number of cases (the table of case ids
 *     goes to a temporary file beyond its first cases: case_ids.h);
 *   - with --jobs N, N worker threads each keep their own kofu_diag; the main
 *     thread walks the inputs and fills the ring; the worker that finishes
 *     the slot at the head of the ring writes it, and every finished slot
 *     after it, strictly in sequence;
 *   - a case id already used by an earlier input of the run is found when
 *     the slot is written (in input order, so the answer never depends on
 *     timing), and that one input is processed again with the file that
 *     first used the id: duplicates are rare, the common path pays one
 *     lookup per case.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case_ids.h"
#include "run.h"

#define SLOTS_PER_JOB 16

enum { SLOT_FREE, SLOT_READY, SLOT_TAKEN, SLOT_DONE };

/* A case table's cases reach the table here, in the writer's turn: the same
 * table as files, so a row and a file with one id are found either way. */
const char *run_id_first(run_slot *s, const char *id)
{
    return case_ids_seen(s->ids, id, "", false);
}

void run_id_record(run_slot *s, const char *id, const char *where)
{
    case_ids_seen(s->ids, id, where, true);
}

/* ---- the run ------------------------------------------------------------------- */

typedef struct pool {
    const run_ops *ops;
    void *ctx;
    const run_pool_opts *opts;
    run_totals *totals;
    case_ids *ids;
    /* the ring */
    run_slot *ring;
    size_t n_slots;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, space_cv;
    size_t submitted, next_take, next_write;
    size_t idle_workers;  /* waiting on work_cv                          */
    bool main_waiting;    /* the main thread waits on space_cv           */
    bool writing;         /* a worker is writing the head of the ring    */
    bool closed;
    /* progress */
    struct timespec t0, last;
} pool;

static double seconds_since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void show_progress(pool *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_since(&p->last, &now) < 0.2)
        return;
    p->last = now;
    double t = seconds_since(&p->t0, &now);
    fprintf(stderr, CLI_TR(p->opts->lang, "\r%zu件処理（%.0f件/秒）", "\r%zu cases done (%.0f/s)"),
            p->totals->inputs, t > 0 ? (double)p->totals->inputs / t : 0.0);
}

void run_progress_clear(const run_pool_opts *opts)
{
    if (opts->progress)
        fputs("\r\033[K", stderr);
}

static void process(pool *p, run_slot *s, kofu_diag *d, const char *dup_of)
{
    s->out.len = 0;
    s->failed = false;
    s->claims = s->mismatched = s->findings = 0;
    free(s->case_id);
    s->case_id = NULL;
    p->ops->process(p->ctx, s, d, dup_of);
}

/* Called in input order by whichever thread writes. */
static void write_slot(pool *p, run_slot *s, kofu_diag *d)
{
    if (s->case_id && !s->out.failed) {
        const char *first = case_ids_seen(p->ids, s->case_id, s->in.path ? s->in.path : "", true);
        if (first)
            process(p, s, d, first);
    }
    if (s->out.failed) {
        /* the row could not be built: keep one row per input all the same */
        s->out.failed = false;
        s->out.len = 0;
        p->ops->error_row(p->ctx, s, NULL);
    }
    run_totals *t = p->totals;
    s->ids = p->ids;
    if (p->ops->before_write && !t->write_failed)
        p->ops->before_write(p->ctx, s, p->opts->out->fp);
    s->ids = NULL;
    if (!t->write_failed && !cli_output_write(p->opts->out, s->out.data, s->out.len))
        t->write_failed = true;
    t->inputs += 1 + s->more_inputs;
    t->failed += s->failed + s->more_failed;
    s->more_inputs = s->more_failed = 0;
    t->claims += s->claims;
    t->mismatched += s->mismatched;
    t->findings += s->findings;
    walk_item_free(&s->in);
    free(s->case_id);
    s->case_id = NULL;
    if (p->opts->progress && (t->inputs & 63) == 0)
        show_progress(p);
}

/* ---- threads ------------------------------------------------------------------ *
 * Wake-ups are what threads cost here (on a VM each one is an interrupt to
 * another CPU), so there are few: the worker that finishes the slot at the
 * head of the ring writes it, and every finished slot after it, itself; the
 * main thread only walks the inputs and fills the ring, and sleeps when the
 * ring is full until half of it is free again. */

typedef struct worker_arg {
    pool *p;
    kofu_diag *diag;
} worker_arg;

static bool half_free_or_done(const pool *p)
{
    return p->submitted - p->next_write <= p->n_slots / 2 || p->next_write == p->submitted;
}

/* Writes the finished slots at the head of the ring, in order, unless
 * another worker is doing so (it will see ours: it re-checks the head under
 * the lock after each write). Called with the lock held. */
static void write_in_order(pool *p, kofu_diag *d)
{
    if (p->writing)
        return;
    p->writing = true;
    while (p->next_write != p->submitted) {
        run_slot *s = &p->ring[p->next_write % p->n_slots];
        if (s->state != SLOT_DONE)
            break;
        pthread_mutex_unlock(&p->mu);
        write_slot(p, s, d);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_FREE;
        p->next_write++;
    }
    p->writing = false;
    if (p->main_waiting && half_free_or_done(p))
        pthread_cond_signal(&p->space_cv);
}

static void *worker(void *arg)
{
    worker_arg *wa = arg;
    pool *p = wa->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_take == p->submitted && !p->closed) {
            p->idle_workers++;
            pthread_cond_wait(&p->work_cv, &p->mu);
            p->idle_workers--;
        }
        if (p->next_take == p->submitted)
            break;
        run_slot *s = &p->ring[p->next_take++ % p->n_slots];
        s->state = SLOT_TAKEN;
        pthread_mutex_unlock(&p->mu);
        process(p, s, wa->diag, NULL);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        write_in_order(p, wa->diag);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Waits (lock held) until `ready` holds; the writer signals space_cv. */
static void main_wait(pool *p, bool (*ready)(const pool *))
{
    while (!ready(p)) {
        p->main_waiting = true;
        pthread_cond_wait(&p->space_cv, &p->mu);
        p->main_waiting = false;
    }
}

static bool has_room(const pool *p) { return p->submitted - p->next_write < p->n_slots; }
static bool all_written(const pool *p) { return p->next_write == p->submitted; }

/* Puts an input into the ring; false once a write has failed (a closed
 * pipe, a full disk): nothing more can reach the report. */
static bool submit(pool *p, walk_item *it)
{
    pthread_mutex_lock(&p->mu);
    main_wait(p, has_room);
    bool go_on = !p->totals->write_failed;
    run_slot *s = &p->ring[p->submitted % p->n_slots];
    s->in = *it;
    s->state = SLOT_READY;
    p->submitted++;
    if (p->idle_workers > 0)
        pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    return go_on;
}

static int run_threads(pool *p, walker *w, int jobs)
{
    pthread_t tids[RUN_MAX_JOBS];
    worker_arg args[RUN_MAX_JOBS];
    int started = 0;
    for (int j = 0; j < jobs; j++) {
        args[j].p = p;
        if (kofu_diag_new(p->opts->lang, &args[j].diag) != KOFU_OK)
            break;
        if (pthread_create(&tids[j], NULL, worker, &args[j]) != 0) {
            kofu_diag_free(&args[j].diag);
            break;
        }
        started++;
    }
    walk_item it;
    while (started > 0 && walk_next(w, &it) && submit(p, &it))
        ;
    pthread_mutex_lock(&p->mu);
    p->closed = true;
    pthread_cond_broadcast(&p->work_cv);
    main_wait(p, all_written);
    pthread_mutex_unlock(&p->mu);
    for (int j = 0; j < started; j++) {
        pthread_join(tids[j], NULL);
        kofu_diag_free(&args[j].diag);
    }
    if (started == 0) {
        cli_error("%s", CLI_TR(p->opts->lang, "スレッドを開始できません", "cannot start threads"));
        return EXIT_FAILURE_IO;
    }
    return EXIT_OK;
}

static int run_inline(pool *p, walker *w)
{
    kofu_diag *d = NULL;
    if (kofu_diag_new(p->opts->lang, &d) != KOFU_OK)
        return EXIT_FAILURE_IO;
    run_slot s = {0};
    while (!p->totals->write_failed && walk_next(w, &s.in)) {
        process(p, &s, d, NULL);
        write_slot(p, &s, d);
    }
    cli_buf_free(&s.out);
    kofu_diag_free(&d);
    return EXIT_OK;
}

int run_pool(walker *w, const run_ops *ops, void *ctx, const run_pool_opts *opts,
             run_totals *totals)
{
    pool p = {.ops = ops, .ctx = ctx, .opts = opts, .totals = totals, .ids = case_ids_new()};
    if (!p.ids)
        return EXIT_FAILURE_IO;
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    p.last = p.t0;
    int rc;
    if (opts->jobs <= 1) {
        rc = run_inline(&p, w);
    } else {
        p.n_slots = (size_t)opts->jobs * SLOTS_PER_JOB;
        p.ring = calloc(p.n_slots, sizeof *p.ring);
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work_cv, NULL);
        pthread_cond_init(&p.space_cv, NULL);
        rc = p.ring ? run_threads(&p, w, opts->jobs) : EXIT_FAILURE_IO;
        for (size_t i = 0; p.ring && i < p.n_slots; i++) {
            cli_buf_free(&p.ring[i].out);
            free(p.ring[i].case_id);
        }
        free(p.ring);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.work_cv);
        pthread_cond_destroy(&p.space_cv);
    }
    if (case_ids_incomplete(p.ids)) {
        run_progress_clear(opts);
        fputs(CLI_TR(opts->lang,
                     "kofu: 注意: メモリ・一時ファイルが足りず、同じケースIDの2度目の使用を見落とした"
                     "おそれがあります（duplicate_case_id）\n",
                     "kofu: note: memory and the temporary file ran short; a second use of a case id "
                     "may have gone unreported (duplicate_case_id)\n"),
              stderr);
    }
    case_ids_free(&p.ids);
    return rc;
}
