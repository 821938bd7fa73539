/* output.c — --output FILE without destroying anything (see output.h). */
#define _GNU_SOURCE /* O_CLOEXEC in fdopen'd descriptors, realpath */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The temporary file being written, for the signal handler: the one piece
 * of process-wide state here, since a handler gets no argument. */
static char tmp_path[PATH_MAX];

static void on_signal(int sig)
{
    if (tmp_path[0])
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int io_fail(const cli_output *o, const char *what_ja, const char *what_en, int err)
{
    cli_error("%s: %s: %s", o->target, CLI_TR(o->lang, what_ja, what_en),
              cli_errno_text(err, o->lang));
    return EXIT_FAILURE_IO;
}

/* ".<name>.kofu-XXXXXX" beside final_path, its name cut (at a UTF-8
 * character boundary) so that it fits NAME_MAX however long the target's
 * name is. */
static bool temp_name(const char *final_path, char *out, size_t cap)
{
    static const char suffix[] = ".kofu-XXXXXX";
    const char *slash = strrchr(final_path, '/');
    size_t dlen = slash ? (size_t)(slash - final_path + 1) : 0;
    const char *base = final_path + dlen;
    size_t blen = strlen(base), room = NAME_MAX - 1 - (sizeof suffix - 1);
    if (blen > room) {
        blen = room;
        while (blen > 0 && ((unsigned char)base[blen] & 0xC0) == 0x80)
            blen--;
    }
    int n = snprintf(out, cap, "%.*s.%.*s%s", (int)dlen, final_path, (int)blen, base, suffix);
    return n > 0 && (size_t)n < cap;
}

static int open_temp(cli_output *o, mode_t mode)
{
    if (!temp_name(o->final_path, tmp_path, sizeof tmp_path)) {
        tmp_path[0] = '\0';
        return io_fail(o, "一時ファイルを作成できません", "cannot create a temporary file",
                       ENAMETOOLONG);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    int fd = mkostemp(tmp_path, O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        tmp_path[0] = '\0';
        return io_fail(o, "一時ファイルを作成できません", "cannot create a temporary file", err);
    }
    /* mkstemp makes 0600: the report keeps the mode of the file it replaces,
     * or gets the one a new file would. Not fatal: it is only more private. */
    if (fchmod(fd, mode) != 0) {
    }
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int err = errno;
        close(fd);
        unlink(tmp_path);
        tmp_path[0] = '\0';
        return io_fail(o, "一時ファイルを作成できません", "cannot create a temporary file", err);
    }
    o->renaming = true;
    return EXIT_OK;
}

/* open_temp, and when it fails the caller has nothing to close: the path it
 * would have renamed to is released here. */
static int open_temp_or_forget(cli_output *o, mode_t mode)
{
    int rc = open_temp(o, mode);
    if (rc != EXIT_OK) {
        free(o->final_path);
        o->final_path = NULL;
    }
    return rc;
}

/* A device, a FIFO, a socket: written in place, as a shell's `>` would. */
static int open_direct(cli_output *o)
{
    int fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(o, "開けません", "cannot open", errno);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int err = errno;
        close(fd);
        return io_fail(o, "開けません", "cannot open", err);
    }
    return EXIT_OK;
}

int cli_output_open(cli_output *o, const char *command, const char *target, kofu_lang lang)
{
    *o = (cli_output){.command = command, .target = target, .lang = lang};
    if (!target) {
        o->fp = stdout;
        return EXIT_OK;
    }
    struct stat lst, st;
    if (lstat(target, &lst) != 0) {
        if (errno != ENOENT)
            return io_fail(o, "調べられません", "cannot stat", errno);
        o->final_path = strdup(target);
        if (!o->final_path)
            return io_fail(o, "開けません", "cannot open", ENOMEM);
        mode_t mask = umask(0);
        umask(mask);
        return open_temp_or_forget(o, 0666 & ~mask);
    }
    if (stat(target, &st) != 0)
        return io_fail(o, "リンク先を調べられません", "cannot stat what the link names", errno);
    o->existed = true;
    o->dev = st.st_dev;
    o->ino = st.st_ino;
    if (S_ISDIR(st.st_mode))
        return cli_usage_error(command, lang,
                               CLI_TR(lang, "--output %s: ディレクトリです（ファイル名を指定してください）",
                                      "--output %s: is a directory (give a file name)"),
                               target);
    if (!S_ISREG(st.st_mode))
        return open_direct(o);
    /* A link to a regular file: replace the file it names, not the link. */
    o->final_path = S_ISLNK(lst.st_mode) ? realpath(target, NULL) : strdup(target);
    if (!o->final_path)
        return io_fail(o, "開けません", "cannot open", errno ? errno : ENOMEM);
    return open_temp_or_forget(o, st.st_mode & 07777);
}

bool cli_output_is(const cli_output *o, dev_t dev, ino_t ino)
{
    return o->existed && o->dev == dev && o->ino == ino;
}

int cli_output_refuse_input(const cli_output *o, const char *input)
{
    return cli_usage_error(o->command, o->lang,
                           CLI_TR(o->lang,
                                  "--output %s は入力の %s と同じファイルです（上書きすると入力が失われます）",
                                  "--output %s is the input %s (writing it would destroy the input)"),
                           o->target, input);
}

int cli_output_check_inputs(const cli_output *o, char *const *paths, int n)
{
    for (int i = 0; o->existed && i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && cli_output_is(o, st.st_dev, st.st_ino))
            return cli_output_refuse_input(o, paths[i]);
    }
    return EXIT_OK;
}

bool cli_output_write(cli_output *o, const void *p, size_t n)
{
    if (o->err)
        return false;
    if (n == 0) /* an empty buffer may come as NULL, which fwrite must not get */
        return true;
    errno = 0;
    if (fwrite(p, 1, n, o->fp) == n)
        return true;
    o->err = errno ? errno : EIO;
    return false;
}

static void drop_temp(void)
{
    if (tmp_path[0])
        unlink(tmp_path);
    tmp_path[0] = '\0';
}

int cli_output_close(cli_output *o, bool complete)
{
    int err = o->err;
    if (!o->target) {
        errno = 0;
        if (fflush(stdout) != 0 && !err)
            err = errno ? errno : EIO;
        if (err)
            cli_stdout_failed(err);
        return err ? EXIT_FAILURE_IO : EXIT_OK;
    }
    errno = 0;
    if (fflush(o->fp) != 0 && !err)
        err = errno ? errno : EIO;
    if (ferror(o->fp) && !err)
        err = EIO; /* an earlier write by fputs: its errno is gone */
    /* fsync only what is renamed: /dev/null refuses it (EINVAL) and a FIFO
     * has nothing to sync. */
    if (o->renaming && !err && complete && fsync(fileno(o->fp)) != 0)
        err = errno;
    if (fclose(o->fp) != 0 && !err)
        err = errno ? errno : EIO;
    o->fp = NULL;
    if (o->renaming && complete && !err && rename(tmp_path, o->final_path) != 0)
        err = errno;
    if (o->renaming && (!complete || err))
        drop_temp();
    tmp_path[0] = '\0';
    free(o->final_path);
    o->final_path = NULL;
    if (err) {
        /* a renamed report never reached the target: it is as it was */
        cli_error("%s: %s: %s", o->target,
                  o->renaming ? CLI_TR(o->lang, "書き込めません（このファイルは変更していません）",
                                       "cannot write (the file was left as it was)")
                              : CLI_TR(o->lang, "書き込めません（出力は途中までです）",
                                       "cannot write (the output is incomplete)"),
                  cli_errno_text(err, o->lang));
        return EXIT_FAILURE_IO;
    }
    return EXIT_OK;
}
