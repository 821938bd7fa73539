/* output.c — `--output FILE` for batch and check: the report goes to a
 * temporary file in the same directory, synced and renamed at the end
 * (removed on failure or SIGINT/SIGTERM), so a report that exists is
 * complete. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

static char tmp_path[PATH_MAX + 32]; /* for the signal handler */

static void on_signal(int sig)
{
    if (tmp_path[0])
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

FILE *run_output_open(const char *target, kofu_lang lang)
{
    const char *slash = strrchr(target, '/');
    int dlen = slash ? (int)(slash - target + 1) : 0;
    int n = snprintf(tmp_path, sizeof tmp_path, "%.*s.%s.kofu-XXXXXX", dlen, target,
                     slash ? slash + 1 : target);
    if (n < 0 || (size_t)n >= sizeof tmp_path) {
        tmp_path[0] = '\0';
        cli_error("%s: %s", target, strerror(ENAMETOOLONG));
        return NULL;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        int err = errno;
        tmp_path[0] = '\0';
        cli_error("%s: %s: %s", target,
                  CLI_TR(lang, "一時ファイルを作成できません", "cannot create a temporary file"),
                  strerror(err));
        return NULL;
    }
    /* mkstemp makes 0600; the report gets the mode a new file would get. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* not fatal: the report is still complete, only more private */
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp_path);
        tmp_path[0] = '\0';
    }
    return f;
}

/* Flushes, syncs and renames; removes the temporary file on any failure. */
int run_output_finish(FILE *f, const char *target, bool ok, kofu_lang lang)
{
    int err = 0;
    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(f)) != 0)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (ok && !err && rename(tmp_path, target) != 0)
        err = errno;
    if (!ok || err)
        unlink(tmp_path);
    tmp_path[0] = '\0';
    if (err) {
        cli_error("%s: %s: %s", target, CLI_TR(lang, "書き込めません", "cannot write"),
                  strerror(err));
        return EXIT_FAILURE_IO;
    }
    return EXIT_OK;
}
