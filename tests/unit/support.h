/*
 * support.h — helpers shared by the unit tests (tests/unit/support.c).
 *
 * Every function asserts with Criterion, so call them only from inside a
 * test (or its .init/.fini). Names carry a `t` prefix (tcase_, tdiag_,
 * tdir_, trules_) so that they collide neither with Criterion (cr_) nor with
 * the engine (kofu_, ev_, num_, ...). Strings returned are malloc'd: free them.
 */
#ifndef KOFU_TESTS_SUPPORT_H
#define KOFU_TESTS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kofu/kofu.h"
#include "params.h"

/* ---- a case loaded from memory and evaluated ----------------------------- */

/* One run: the case read as "t.ini", then evaluated if it loaded. */
typedef struct tcase {
    kofu_rules *rules;
    kofu_diag *diag; /* every message of loading and evaluating */
    kofu_case *c;
    kofu_result *r;
    kofu_status st;  /* of loading, then of evaluating */
    bool owns_rules; /* false: rules are borrowed (tcase_run_with) */
} tcase;

/* Loads ini against the built-in rules (owned by t) and evaluates it. */
void tcase_run(tcase *t, const char *ini, kofu_lang lang);
/* The same against rules the caller keeps: tcase_free leaves them alone, so
 * one rule set can serve a loop of cases. */
void tcase_run_with(tcase *t, kofu_rules *rules, const char *ini, kofu_lang lang);
/* The general form: rules NULL means the built-in rules, owned by t. */
void tcase_run_opts(tcase *t, kofu_rules *rules, const char *ini, const kofu_eval_options *opt);
/* Evaluates t->c again (after kofu_case_set), replacing t->r and t->st. */
void tcase_evaluate(tcase *t, kofu_lang lang);
void tcase_free(tcase *t);

/* The result root; asserts that the run succeeded. */
const kofu_node *tcase_root(const tcase *t);
/* The text of the decimal or string at path ("" when absent or another type). */
const char *tcase_str(const tcase *t, const char *path);
/* Expects an amount (integer node) equal to want at path. */
void tcase_expect_amount(const tcase *t, const char *path, int64_t want);
/* How many result warnings have this code. */
size_t tcase_count_warnings(const tcase *t, const char *code);

/* ---- diagnostics ----------------------------------------------------------- */

/* Every diagnostic of d, formatted as the CLI prints it, one per line
 * ("" when none). */
char *tdiag_text(const kofu_diag *d);
/* Runs ini; expects KOFU_ECASE and returns the messages (tdiag_text). */
char *tcase_error_text(const char *ini, kofu_lang lang);
/* Runs ini; expects KOFU_ECASE and exactly the messages want. */
void texpect_case_error(const char *ini, kofu_lang lang, const char *want);

/* ---- temporary directories and edited rule data ----------------------------- */

#define TDIR_MAX 64

/* Creates a fresh /tmp/kofu-<tag>-XXXXXX into dir (Criterion runs tests in
 * parallel: never share a fixed path). */
void tdir_make(char dir[TDIR_MAX], const char *tag);
/* Removes dir and everything below it; expects that to succeed. */
void tdir_remove(const char *dir);

/* Built-in rules (asserted to load). */
kofu_rules *trules_builtin(void);
/* The built-in rules exported, file (e.g. "cooperative.params") edited, then
 * loaded back with kofu_rules_load_dir; the exported copy is removed before
 * returning. The edit replaces the first occurrence of from by to (asserted
 * to exist), or appends to when from is NULL. */
kofu_rules *trules_edited(const char *file, const char *from, const char *to);

/* ---- table parameter values -------------------------------------------------- */

/* A table value from points "x:y" (exact decimals or fractions); round: a
 * rounding step name such as "half_up_0.01", or NULL for none. */
void ttable_init(param_value *v, param_interp interp, const char *round, size_t n,
                 const char *const *points);
void ttable_free(param_value *v);
/* Expects the table at x to be exactly want (as num_to_string writes it). */
void ttable_expect(const param_value *v, const char *x, const char *want);

/* ---- UTF-8, the slow way -------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (1 to 4) by decoding the
 * code point (shortest form, no surrogate, at most U+10FFFF), when it fits in
 * avail bytes; else 0. The tests' reference for engine/utf8.c and the JSON
 * writer. */
size_t tref_utf8_len(const unsigned char *p, size_t avail);

#endif
