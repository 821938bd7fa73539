/* args.c — the argument list shared by the commands that take case files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

int cli_empty_path_error(const char *command, kofu_lang lang)
{
    return cli_usage_error(command, lang, "%s",
                           CLI_TR(lang, "空のパス '' はファイル名になりません", "an empty path '' names no file"));
}

/* check's and batch's own options: --output FILE, --jobs N and a switch of
 * the command's (run->flag). True when argv[*i] was one of them. */
static bool run_option(cli_common *co, const char *command, int argc, char **argv, int *i,
                       run_args *run, int *rc)
{
    const char *v = NULL;
    kofu_lang lang = co->lang;
    if (run->flag && strcmp(argv[*i], run->flag) == 0) {
        run->flag_given = true;
    } else if (run_opt_value("--output", argc, argv, i, &v)) {
        if (!v || !*v)
            *rc = cli_usage_error(command, lang, "%s",
                                  CLI_TR(lang, "--output にはファイル名が必要です", "--output needs a file name"));
        run->output = v;
    } else if (run_opt_value("--jobs", argc, argv, i, &v)) {
        if (!v || !run_parse_jobs(v, &run->jobs))
            *rc = cli_usage_error(command, lang,
                                  CLI_TR(lang, "--jobs は 1〜%d の整数です: '%s'",
                                         "--jobs must be an integer from 1 to %d: '%s'"),
                                  RUN_MAX_JOBS, v ? v : "");
    } else {
        return false;
    }
    return true;
}

/* The one argument loop of the commands that take cases (run: check's and
 * batch's options too, NULL for the others). */
static int parse_cases(cli_common *co, const char *command, const char *const *formats, int argc,
                       char **argv, char **cases, int *n_cases, run_args *run)
{
    int rc = EXIT_OK;
    *n_cases = 0;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_help_command(command, co->lang, stdout);
            return -1;
        }
        if (strcmp(argv[i], "--") == 0) {
            while (rc == EXIT_OK && ++i < argc) {
                if (argv[i][0] == '\0')
                    rc = cli_empty_path_error(command, co->lang);
                cases[(*n_cases)++] = argv[i];
            }
            break;
        }
        if (run && run_option(co, command, argc, argv, &i, run, &rc))
            continue;
        if (cli_common_option(co, command, formats, argc, argv, &i, &rc))
            continue;
        if (argv[i][0] == '\0')
            rc = cli_empty_path_error(command, co->lang);
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            rc = cli_usage_error(command, co->lang,
                                 CLI_TR(co->lang, "不明なオプションです: '%s'", "unknown option: '%s'"),
                                 argv[i]);
        else
            cases[(*n_cases)++] = argv[i];
    }
    if (rc == EXIT_OK && *n_cases == 0)
        rc = cli_usage_error(command, co->lang, "%s",
                             run ? CLI_TR(co->lang, "ケースファイルかディレクトリを指定してください",
                                          "no case file or directory given")
                                 : CLI_TR(co->lang, "ケースファイルを指定してください", "no case file given"));
    return rc;
}

int cli_parse_cases(cli_common *co, const char *command, const char *const *formats, int argc,
                    char **argv, char **cases, int *n_cases)
{
    return parse_cases(co, command, formats, argc, argv, cases, n_cases, NULL);
}

int run_parse_args(cli_common *co, const char *command, const char *const *formats, int argc,
                   char **argv, char **paths, int *n_paths, run_args *run)
{
    run->output = NULL;
    run->jobs = 1;
    run->flag_given = false;
    return parse_cases(co, command, formats, argc, argv, paths, n_paths, run);
}

bool run_parse_jobs(const char *v, int *jobs)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > RUN_MAX_JOBS)
        return false;
    *jobs = (int)n;
    return true;
}

/* "--name value" or "--name=value"; true when argv[*i] is that option. */
bool run_opt_value(const char *name, int argc, char **argv, int *i, const char **v)
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
