/* cmd_serve.c — `kofu serve`: the page and the JSON API on this machine.
 * Runs until SIGINT or SIGTERM (Ctrl+C), then stops cleanly. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

static int parse_port(const char *s, unsigned *port)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > 65535 || s[0] == '-')
        return -1;
    *port = (unsigned)v;
    return 0;
}

/* Seconds, 1 to 3600: a connection silent that long is closed. */
static int parse_timeout(const char *s, unsigned *seconds)
{
    unsigned v;
    if (parse_port(s, &v) != 0 || v < 1 || v > 3600)
        return -1;
    *seconds = v;
    return 0;
}

static int parse_args(int argc, char **argv, cli_common *co, server_options *opt)
{
    int rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_help_command("serve", co->lang, stdout);
            return -1;
        }
        if (cli_common_option(co, "serve", NULL, argc, argv, &i, &rc)) {
            if (rc != EXIT_OK)
                return rc;
            continue;
        }
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--port") == 0) {
            if (!has_value || parse_port(argv[++i], &opt->port) != 0)
                return cli_usage_error("serve", co->lang,
                                       CLI_TR(co->lang, "--port には 0〜65535 のポート番号を指定してください",
                                              "--port takes a port number from 0 to 65535"));
        } else if (strcmp(a, "--listen") == 0) {
            if (!has_value)
                return cli_usage_error("serve", co->lang,
                                       CLI_TR(co->lang, "--listen には IP アドレスを指定してください",
                                              "--listen takes an IP address"));
            opt->listen = argv[++i];
        } else if (strcmp(a, "--idle-timeout") == 0) {
            if (!has_value || parse_timeout(argv[++i], &opt->idle_timeout) != 0)
                return cli_usage_error("serve", co->lang,
                                       CLI_TR(co->lang, "--idle-timeout には 1〜3600 の秒数を指定してください",
                                              "--idle-timeout takes a number of seconds from 1 to 3600"));
        } else {
            return cli_usage_error("serve", co->lang,
                                   CLI_TR(co->lang, "不明なオプションです: %s", "unknown option: %s"), a);
        }
    }
    return rc;
}

static int run(int argc, char **argv)
{
    cli_common co;
    cli_common_init(&co, FMT_TEXT);
    server_options opt = {.port = 8765};
    int rc = parse_args(argc, argv, &co, &opt);
    if (rc < 0)
        return EXIT_OK;
    if (rc != EXIT_OK)
        return rc;
    /* checked once every option is read, so that the message is in the
     * language of --lang wherever it stands */
    char listen[64];
    if (opt.listen && !server_parse_address(opt.listen, listen, sizeof listen))
        return cli_usage_error("serve", co.lang,
                               CLI_TR(co.lang, "--listen: IP アドレスではありません: %s",
                                      "--listen: not an IP address: %s"),
                               opt.listen);
    if (opt.listen)
        opt.listen = listen; /* canonical: "[::1]" is ::1 */
    /* a wildcard cannot be checked against the Host header */
    if (opt.listen && server_is_wildcard(opt.listen))
        return cli_usage_error("serve", co.lang,
                               CLI_TR(co.lang,
                                      "--listen にはこの機械のアドレスを一つ指定してください（%s は Host の検査ができません）",
                                      "--listen takes one address of this machine (%s defeats the Host check)"),
                               opt.listen);
    /* a malformed SOURCE_DATE_EPOCH would fail every request: say so now */
    kofu_diag *d = NULL;
    int64_t now;
    if (kofu_diag_new(co.lang, &d) == KOFU_OK && kofu_clock(d, &now) != KOFU_OK) {
        cli_print_diag(d);
        kofu_diag_free(&d);
        return EXIT_USAGE;
    }
    kofu_diag_free(&d);
    kofu_rules *rules = cli_load_rules(&co, &rc);
    if (!rules)
        return rc;

    /* Signals are taken by this thread alone: the server's threads,
     * started below, inherit the blocked mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    char err[600];
    server *s = server_start(&opt, rules, co.lang, err, sizeof err);
    if (!s) {
        cli_error("%s", err);
        kofu_rules_free(&rules);
        return EXIT_FAILURE_IO;
    }
    const char *host = opt.listen ? opt.listen : "127.0.0.1";
    if (opt.listen && !server_is_loopback(opt.listen))
        fprintf(stderr,
                CLI_TR(co.lang,
                       "kofu: 注意: %s で待ち受けます。この機械の外からも計算できます（認証はありません）。\n",
                       "kofu: warning: listening on %s: other machines can use this server (there is no authentication).\n"),
                opt.listen);
    bool v6 = strchr(host, ':') != NULL;
    printf(CLI_TR(co.lang, "kofu serve: ブラウザで http://%s%s%s:%u/ を開いてください（Ctrl+C で終了）\n",
                  "kofu serve: open http://%s%s%s:%u/ in a browser (Ctrl+C to stop)\n"),
           v6 ? "[" : "", host, v6 ? "]" : "", server_port(s));
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    server_stop(&s);
    kofu_rules_free(&rules);
    return EXIT_OK;
}

const cli_command cmd_serve = {
    "serve",
    run,
    "計算のページと JSON API をこの機械で提供します",
    "serves the calculation page and the JSON API on this machine",
    "使い方: kofu serve [--port N] [--listen ADDR] [--idle-timeout SECONDS] [--lang ja|en]\n"
    "                  [--rules DIR]\n\n"
    "ブラウザで使う計算のページと JSON API（/api/v1/、docs/api.md）を提供します。\n"
    "表示された URL をブラウザで開いてください。Ctrl+C で終了します。\n\n"
    "  --port N        ポート番号（既定 8765、0 なら空いている番号）\n"
    "  --listen ADDR   待ち受けるアドレス（既定 127.0.0.1 でこの機械からだけ。ほかを指定すると注意を表示）。\n"
    "                  IPv6 は ::1 または [::1] のように書きます。0.0.0.0 と :: は指定できません\n"
    "  --idle-timeout SECONDS\n"
    "                  接続が何も送らずにこの秒数が過ぎたら切ります（既定 30、1〜3600）\n"
    "  --rules DIR     編集したルールデータを使う\n\n"
    "終了コード: 0 正常終了, 2 使い方の誤り, 4 ルールデータが不正, 5 待ち受けられないか libmicrohttpd がない\n",
    "usage: kofu serve [--port N] [--listen ADDR] [--idle-timeout SECONDS] [--lang ja|en]\n"
    "                  [--rules DIR]\n\n"
    "Serves the calculation page and the JSON API (/api/v1/, docs/api.md). Open the URL it\n"
    "prints in a browser; Ctrl+C stops it.\n\n"
    "  --port N        port (default 8765; 0 picks a free one)\n"
    "  --listen ADDR   address to listen on (default 127.0.0.1: this machine only; another\n"
    "                  address prints a warning); IPv6 as ::1 or [::1]; 0.0.0.0 and :: are\n"
    "                  refused\n"
    "  --idle-timeout SECONDS\n"
    "                  close a connection that sends nothing for that long (default 30,\n"
    "                  1 to 3600)\n"
    "  --rules DIR     use an edited copy of the rule data\n\n"
    "exit codes: 0 stopped, 2 usage error, 4 invalid rule data, 5 cannot listen, or no libmicrohttpd\n",
};
