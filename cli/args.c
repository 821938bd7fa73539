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

int cli_parse_cases(cli_common *co, const char *command, const char *const *formats, int argc,
                    char **argv, char **cases, int *n_cases)
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
                             CLI_TR(co->lang, "ケースファイルを指定してください", "no case file given"));
    return rc;
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
