/* args.c — the argument list shared by the commands that take case files. */
#include <string.h>

#include "cli.h"

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
            while (++i < argc)
                cases[(*n_cases)++] = argv[i];
            break;
        }
        if (cli_common_option(co, command, formats, argc, argv, &i, &rc))
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0')
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
