/* common.c — option parsing, rule loading, diagnostics and stdout checks
 * shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const format_names[] = {"text", "json", "csv", "jsonl", "xlsx", "html"};

/* Set once a command has parsed --lang, so that messages printed after the
 * command returned (a write error on stdout) speak the same language. */
static int lang_chosen = -1;

kofu_lang cli_default_lang(void)
{
    if (lang_chosen >= 0)
        return (kofu_lang)lang_chosen;
    const char *v = getenv("KOFU_LANG");
    if (!v || !*v)
        v = getenv("LANG");
    return (v && strncmp(v, "en", 2) == 0) ? KOFU_LANG_EN : KOFU_LANG_JA;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kofu: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *command, kofu_lang lang, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kofu: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (command)
        fprintf(stderr, CLI_TR(lang, "詳しくは 'kofu help %s' を参照してください。\n",
                               "Try 'kofu help %s' for more information.\n"),
                command);
    else
        fputs(CLI_TR(lang, "詳しくは 'kofu --help' を参照してください。\n",
                     "Try 'kofu --help' for more information.\n"),
              stderr);
    return EXIT_USAGE;
}

void cli_common_init(cli_common *c, out_format dflt)
{
    c->lang = cli_default_lang();
    c->rules_dir = getenv("KOFU_RULES");
    if (c->rules_dir && !*c->rules_dir)
        c->rules_dir = NULL;
    c->format = dflt;
    c->csv = (kofu_csv_options){.lang = c->lang};
    c->output = NULL;
    c->thousands = false;
}

/* "--opt=value" or "--opt value". */
static bool option_value(const char *name, int argc, char **argv, int *i, const char **value,
                         bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    *missing = false;
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n] != '\0')
        return false;
    if (*i + 1 >= argc) {
        *missing = true;
        return true;
    }
    *value = argv[++*i];
    return true;
}

static bool in_list(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return true;
    return false;
}

/* --encoding, --header and --rows of CSV output (kofu/csv.h). */
static bool csv_option(cli_common *c, const char *command, int argc, char **argv, int *i, int *rc)
{
    const char *v = NULL;
    bool missing = false;
    if (option_value("--encoding", argc, argv, i, &v, &missing)) {
        if (missing || !kofu_csv_encoding_parse(v, &c->csv.encoding))
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--encoding は utf-8-bom, utf-8, cp932 のどれかです: '%s'",
                                         "--encoding must be one of utf-8-bom, utf-8, cp932: '%s'"),
                                  missing ? "" : v);
        return true;
    }
    /* item rows are the result table's (calc, batch); sweeps label their
     * columns too */
    bool table = strcmp(command, "calc") == 0 || strcmp(command, "batch") == 0;
    bool labelled = table || strcmp(command, "sweep") == 0;
    if (labelled && option_value("--header", argc, argv, i, &v, &missing)) {
        if (missing || !kofu_csv_header_parse(v, &c->csv.header))
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--header は ja, en, keys のどれかです: '%s'",
                                         "--header must be one of ja, en, keys: '%s'"),
                                  missing ? "" : v);
        return true;
    }
    if (table && option_value("--rows", argc, argv, i, &v, &missing)) {
        if (missing || !kofu_csv_rows_parse(v, &c->csv.rows))
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--rows は cases か items です: '%s'",
                                         "--rows must be cases or items: '%s'"),
                                  missing ? "" : v);
        return true;
    }
    return false;
}

/* --output FILE and --unit of xlsx output (kofu/xlsx.h). */
static bool xlsx_option(cli_common *c, const char *command, int argc, char **argv, int *i, int *rc)
{
    const char *v = NULL;
    bool missing = false;
    if (option_value("--output", argc, argv, i, &v, &missing)) {
        if (missing || !*v)
            *rc = cli_usage_error(command, c->lang, "%s",
                                  CLI_TR(c->lang, "--output にはファイル名が必要です",
                                         "--output needs a file name"));
        c->output = v;
        return true;
    }
    if (option_value("--unit", argc, argv, i, &v, &missing)) {
        if (!missing && (strcmp(v, "千円") == 0 || strcmp(v, "thousand") == 0))
            c->thousands = true;
        else if (!missing && (strcmp(v, "円") == 0 || strcmp(v, "yen") == 0))
            c->thousands = false;
        else
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--unit は 円 か 千円 です: '%s'",
                                         "--unit must be 円 (yen) or 千円 (thousand): '%s'"),
                                  missing ? "" : v);
        return true;
    }
    return false;
}

bool cli_common_option(cli_common *c, const char *command, const char *const *allowed, int argc,
                       char **argv, int *i, int *rc)
{
    const char *v = NULL;
    bool missing = false;
    if (option_value("--lang", argc, argv, i, &v, &missing)) {
        if (missing)
            *rc = cli_usage_error(command, c->lang, CLI_TR(c->lang, "--lang には ja か en を指定してください",
                                                          "--lang needs ja or en"));
        else if (strcmp(v, "ja") == 0)
            lang_chosen = c->lang = c->csv.lang = KOFU_LANG_JA;
        else if (strcmp(v, "en") == 0)
            lang_chosen = c->lang = c->csv.lang = KOFU_LANG_EN;
        else
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--lang は ja か en です: '%s'", "--lang must be ja or en: '%s'"), v);
        return true;
    }
    if (option_value("--rules", argc, argv, i, &v, &missing)) {
        if (missing || !*v)
            *rc = cli_usage_error(command, c->lang, "%s%s",
                                  CLI_TR(c->lang, "--rules にはディレクトリを指定してください",
                                         "--rules needs a directory"),
                                  missing ? "" : CLI_TR(c->lang, "（空の名前 '' です）",
                                                        " (the name given is empty: '')"));
        else
            c->rules_dir = v;
        return true;
    }
    if (allowed && in_list("csv", allowed) && csv_option(c, command, argc, argv, i, rc))
        return true;
    if (allowed && in_list("xlsx", allowed) && xlsx_option(c, command, argc, argv, i, rc))
        return true;
    if (allowed && option_value("--format", argc, argv, i, &v, &missing)) {
        if (missing || !in_list(v, allowed)) {
            char list[64] = "";
            for (const char *const *a = allowed; *a; a++) {
                strncat(list, *a, sizeof list - strlen(list) - 1);
                if (a[1])
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            *rc = cli_usage_error(command, c->lang,
                                  CLI_TR(c->lang, "--format は %s のどれかです%s%s%s",
                                         "--format must be one of %s%s%s%s"),
                                  list, missing ? "" : ": '", missing ? "" : v, missing ? "" : "'");
            return true;
        }
        for (size_t f = 0; f < sizeof format_names / sizeof format_names[0]; f++)
            if (strcmp(v, format_names[f]) == 0)
                c->format = (out_format)f;
        return true;
    }
    return false;
}

void cli_print_diag(const kofu_diag *d)
{
    for (size_t i = 0; i < kofu_diag_count(d); i++) {
        char *line = kofu_diag_format(d, i);
        if (line) {
            cli_fputs_safe(line, stderr);
            fputc('\n', stderr);
            free(line);
        }
    }
}

int cli_exit_for(kofu_status st)
{
    switch (st) {
    case KOFU_OK: return EXIT_OK;
    case KOFU_ECASE: return EXIT_INVALID_CASE;
    case KOFU_ERULES: return EXIT_INVALID_RULES;
    case KOFU_EUSAGE: return EXIT_USAGE;
    default: return EXIT_FAILURE_IO;
    }
}

kofu_rules *cli_load_rules(cli_common *c, int *rc)
{
    kofu_diag *d = NULL;
    kofu_rules *r = NULL;
    if (kofu_diag_new(c->lang, &d) != KOFU_OK) {
        cli_error("%s", kofu_status_message(KOFU_ENOMEM, c->lang));
        *rc = EXIT_FAILURE_IO;
        return NULL;
    }
    kofu_status st = kofu_clock(d, &c->computed_at);
    if (st == KOFU_OK)
        st = c->rules_dir ? kofu_rules_load_dir(c->rules_dir, d, &r)
                          : kofu_rules_load_builtin(d, &r);
    if (st != KOFU_OK) {
        cli_print_diag(d);
        if (kofu_diag_count(d) == 0)
            cli_error("%s", kofu_status_message(st, c->lang));
        *rc = st == KOFU_ERULES ? EXIT_INVALID_RULES : cli_exit_for(st);
    }
    kofu_diag_free(&d);
    return r;
}

/* The reasons a read or write fails in practice, in both languages;
 * anything else falls back to strerror. */
const char *cli_errno_text(int err, kofu_lang lang)
{
    switch (err) {
    case ENOSPC: return CLI_TR(lang, "書き込み先に空きがありません", "no space left on the device");
    case EPIPE: return CLI_TR(lang, "出力先のパイプが閉じられています（読み手が先に終了しました）",
                              "the pipe was closed (its reader exited first)");
    case EDQUOT: return CLI_TR(lang, "ディスク使用量の上限に達しました", "disk quota exceeded");
    case EIO: return CLI_TR(lang, "入出力エラー", "input/output error");
    case EACCES:
    case EPERM: return CLI_TR(lang, "権限がありません", "permission denied");
    case EROFS: return CLI_TR(lang, "読み取り専用のファイルシステムです", "read-only file system");
    case EFBIG: return CLI_TR(lang, "ファイルが大きすぎます", "file too large");
    case ENOENT: return CLI_TR(lang, "ファイルもディレクトリもありません", "no such file or directory");
    case ENOTDIR: return CLI_TR(lang, "パスの途中がディレクトリではありません",
                                "a part of the path is not a directory");
    case EISDIR: return CLI_TR(lang, "ディレクトリです", "is a directory");
    case ELOOP: return CLI_TR(lang, "シンボリックリンクが多すぎます", "too many symbolic links");
    case ENAMETOOLONG: return CLI_TR(lang, "ファイル名が長すぎます", "file name too long");
    case EMFILE:
    case ENFILE: return CLI_TR(lang, "開いているファイルが多すぎます", "too many open files");
    case ENOMEM: return CLI_TR(lang, "メモリ不足です", "out of memory");
    default: return strerror(err);
    }
}

/* The first cause a command saw (cli_stdout_failed); 0 when none. */
static int stdout_err;

void cli_stdout_failed(int err)
{
    if (!stdout_err)
        stdout_err = err ? err : EIO;
}

int cli_finish_stdout(int rc)
{
    errno = 0;
    bool flushed = fflush(stdout) == 0;
    int err = errno;
    if (flushed && !ferror(stdout) && !stdout_err)
        return rc;
    /* When the flush worked, the failure was an earlier write whose errno
     * is gone unless the command kept it: say what is known rather than a
     * stale reason. */
    if (stdout_err)
        err = stdout_err;
    else if (flushed || err == 0)
        err = EIO;
    kofu_lang lang = cli_default_lang();
    cli_error("%s: %s", CLI_TR(lang, "出力を書き込めませんでした（出力は途中までです）",
                               "cannot write the output (it is incomplete)"),
              cli_errno_text(err, lang));
    return EXIT_FAILURE_IO;
}

void cli_fputs_safe(const char *s, FILE *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
}

/* All diagnostics of a failed case, as stderr would show them, in one cell. */
char *cli_diag_text(const kofu_diag *d, const char *path, kofu_status st, kofu_lang lang)
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
