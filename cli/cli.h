/*
 * cli.h — what the subcommands of `kofu` share. The CLI uses only the public
 * API (include/kofu/kofu.h); it decides what to print and how.
 */
#ifndef KOFU_CLI_H
#define KOFU_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kofu/csv.h"
#include "kofu/xlsx.h"
#include "kofu/kofu.h"
#include "report.h"

/* Exit codes (docs/output.md), 5 for failures outside the input (a write
 * error such as a full disk, out of memory): never 0. */
enum {
    EXIT_OK = 0,
    EXIT_DISCREPANCY = 1,
    EXIT_USAGE = 2,
    EXIT_INVALID_CASE = 3,
    EXIT_INVALID_RULES = 4,
    EXIT_FAILURE_IO = 5
};

typedef enum out_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_JSONL, FMT_XLSX, FMT_HTML } out_format;

/* Options every subcommand that reads cases understands. */
typedef struct cli_common {
    kofu_lang lang;
    const char *rules_dir; /* --rules, else $KOFU_RULES, else built-in */
    out_format format;
    /* --encoding, --header, --rows: for commands whose formats include csv */
    kofu_csv_options csv;
    /* --output FILE and --unit 円|千円: for commands whose formats include xlsx */
    const char *output;
    bool thousands;
    int64_t computed_at;   /* meta.computed_at of every result: set once by
                              cli_load_rules (kofu_clock)             */
} cli_common;

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary_ja, *summary_en;
    /* Full help: usage line and options, in both languages. */
    const char *help_ja, *help_en;
} cli_command;

/* Process-wide language for messages before a command has parsed --lang
 * (from $KOFU_LANG or $LANG: "en*" → English, else Japanese). */
kofu_lang cli_default_lang(void);
#define CLI_TR(lang, ja, en) ((lang) == KOFU_LANG_EN ? (en) : (ja))

/* Prints "kofu: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage error with a pointer to help; returns EXIT_USAGE. */
int cli_usage_error(const char *command, kofu_lang lang, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parses "--lang X" / "--rules DIR" / "--format F" style options shared by
 * commands; `allowed` is a NULL-terminated list of format names. Returns
 * true when argv[*i] was consumed (advancing *i past any argument). On an
 * invalid value prints the error, sets *rc = EXIT_USAGE and returns true. */
bool cli_common_option(cli_common *c, const char *command, const char *const *allowed,
                       int argc, char **argv, int *i, int *rc);
void cli_common_init(cli_common *c, out_format dflt);

/* Parses `kofu COMMAND [options] CASE...`: --help (prints the command's
 * help), the common options (`formats` as for cli_common_option), "--" (all
 * that follows are cases), an unknown option (usage error), and at least one
 * case. cases must hold argc pointers. Returns EXIT_OK, EXIT_USAGE (after
 * the message), or -1 when help was printed (the command exits 0). */
/* The usage error (exit 2) for an empty path argument, which names no file. */
int cli_empty_path_error(const char *command, kofu_lang lang);
int cli_parse_cases(cli_common *co, const char *command, const char *const *formats, int argc,
                    char **argv, char **cases, int *n_cases);

/* Loads the rule data (built-in, --rules or $KOFU_RULES) and reads the
 * clock of the run into c->computed_at; on error prints the diagnostics and
 * returns NULL with *rc set (4 for rule data, 2 for a malformed
 * SOURCE_DATE_EPOCH, 5 else). */
kofu_rules *cli_load_rules(cli_common *c, int *rc);
/* Prints every diagnostic of d on stderr, one per line. */
void cli_print_diag(const kofu_diag *d);
/* Every diagnostic of a failed case, as stderr would show them, joined by
 * "; " (one cell of a report); "PATH: status message" when d holds none.
 * malloc'd; NULL on OOM. */
char *cli_diag_text(const kofu_diag *d, const char *path, kofu_status st, kofu_lang lang);
/* Exit code for a library status. */
int cli_exit_for(kofu_status st);

/* stdout, checked: returns EXIT_FAILURE_IO (after a message) when anything
 * written to stdout failed, so `kofu calc x.ini > /dev/full` is an error. */
int cli_finish_stdout(int rc);
/* Remembers why a write to stdout failed (the first errno), for commands
 * that notice it themselves: cli_finish_stdout then names that cause, not a
 * generic I/O error. */
void cli_stdout_failed(int err);
/* "no space left on the device", "the pipe was closed ...", "permission
 * denied"... in lang: the cause of a failed read or write. */
const char *cli_errno_text(int err, kofu_lang lang);
/* Writes s with every C0 control byte but TAB, and DEL, as \xHH: a file name
 * or value shown to a person cannot move the cursor or change the terminal. */
void cli_fputs_safe(const char *s, FILE *out);

/* Help for one command (`kofu help calc`, `kofu calc --help`). */
int cli_help_command(const char *name, kofu_lang lang, FILE *out);
const cli_command *cli_find_command(const char *name);

/* ---- renderers ---------------------------------------------------------- */

/* JSON of a node (pretty when `pretty`, else one line). malloc'd. */
static inline char *render_json(const kofu_node *n, bool pretty) { return kofu_json(n, pretty); }
/* Human-readable report of one result (docs/output.md): the headline, and
 * the full calculation when o->trace. */
void render_text(FILE *out, const kofu_result *r, const kofu_case *c, const report_opts *o);
/* The printable report (one self-contained HTML document, A4 print styles):
 * begin, one section per case (a page break between cases), end. `created`
 * is the 作成日 of the page header. */
void render_html_begin(FILE *out, const report_opts *o, const char *title, const char *created);
void render_html_case(FILE *out, const kofu_result *r, const kofu_case *c, const report_opts *o);
void render_html_end(FILE *out, const report_opts *o);
/* The library's growable buffer (batch builds each row in one, off the lock). */
typedef kofu_buf cli_buf;
static inline void cli_buf_putn(cli_buf *b, const char *s, size_t n) { kofu_buf_putn(b, s, n); }
static inline void cli_buf_puts(cli_buf *b, const char *s) { kofu_buf_puts(b, s); }
static inline void cli_buf_putc(cli_buf *b, char c) { kofu_buf_putc(b, c); }
static inline void cli_buf_put_int(cli_buf *b, int64_t v) { kofu_buf_put_int(b, v); }
static inline void cli_buf_free(cli_buf *b) { kofu_buf_free(b); }

/* CSV that a command writes to stdout itself (check, rules, sweep), in
 * co->csv.encoding: cli_csv_start writes the BOM, or for cp932 captures
 * stdout until cli_csv_end converts it (a character CP932 lacks is an error
 * naming it: the output is dropped and the exit code becomes 5). */
typedef struct cli_csv_capture {
    kofu_csv_encoding enc;
    kofu_lang lang;
    FILE *real;
    char *data;
    size_t len;
} cli_csv_capture;
void cli_csv_start(cli_csv_capture *cap, const cli_common *co);
int cli_csv_end(cli_csv_capture *cap, int rc);

/* Every case of an input of calc, validate or check: a case file is one, a
 * case table (*.csv) all of its rows' cases. fn gets each valid case with a
 * label naming it ("cases.csv:3" for a table's) and returns its exit code;
 * an invalid case's problems are printed and give 3. Returns the highest
 * code. */
typedef int (*cli_case_fn)(void *ctx, const char *label, const kofu_case *c);
int cli_each_case(const kofu_rules *rules, const char *path, kofu_lang lang, cli_case_fn fn,
                  void *ctx);

/* xlsx output (kofu/xlsx.h). cli_xlsx_check: after the options, the usage
 * errors of --format xlsx without --output, and of --output or --unit with
 * another format (EXIT_OK when fine). cli_xlsx_open prints the reason and
 * sets *rc when the workbook cannot be started, and gives it the rules'
 * bibliography in *bib (free it after closing); cli_xlsx_close writes it
 * (rc stays unless writing failed: 5). */
int cli_xlsx_check(const cli_common *co, const char *command, bool output_is_own);
kofu_xlsx *cli_xlsx_open(const cli_common *co, const char *path, const kofu_rules *rules,
                         kofu_node **bib, int *rc);
int cli_xlsx_close(kofu_xlsx **x, const cli_common *co, int rc);
/* The workbook is written by the library, not through cli_output: the same
 * refusal of an --output that is one of the inputs given (exit 2). */
int cli_xlsx_refuse_inputs(const cli_common *co, const char *command, const char *output,
                           char *const *paths, int n);

/* Writes b to out (or the out-of-memory message when b failed) and frees it. */
void cli_buf_write(FILE *out, cli_buf *b);
/* One line of JSON, byte for byte what render_json(n, false) gives. */
static inline void render_json_buf(cli_buf *b, const kofu_node *n) { kofu_json_append(b, n); }
/* A JSON string literal of s (quotes included). */
static inline void render_json_string(cli_buf *b, const char *s) { kofu_json_string(b, s); }
/* "19288000" → "19,288,000" (negative amounts keep their sign) into buf. */
const char *render_grouped(int64_t v, char *buf, size_t cap);
/* Cells a string takes in a terminal: CJK characters (3-byte UTF-8) take two. */
size_t render_display_width(const char *s);
/* Formats an amount as "19,288,000円" / "19,288,000 yen" into buf. */
const char *render_yen(int64_t v, kofu_lang lang, char *buf, size_t cap);
/* Writes s as one CSV field (quoted when needed). */
void render_csv_field(FILE *out, const char *s);

#endif
