/*
 * bench_serve.c — load test of `kofu serve` on loopback: starts the server
 * (its own process, port chosen by the system, SOURCE_DATE_EPOCH fixed so
 * that every answer is byte for byte the same), sends TOTAL calculate
 * requests from CONNS keep-alive connections, checks every answer against
 * the first, and prints requests per second and latency percentiles for the
 * first 20,000 requests and for all, the server's resident memory after
 * 10,000 requests and at the end, and the CPU time the server used per
 * request (a figure that holds when other programs share the cores).
 *
 *   build/bench_serve build/kofu [TOTAL=100000] [CONNS=32] [CASE=examples/cooperative-founders.ini]
 *
 * A program that prints figures, not a test: run it when the machine is
 * quiet. Exit 1 when any answer was wrong or missing.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FIRST_PHASE 20000
#define RSS_EARLY 10000

static unsigned port;
static pid_t server_pid;
static char *request;
static size_t request_len;
static char *expected;      /* the first answer's body */
static size_t expected_len;
static long total;
static double *latency_ms;  /* per request, by index */
static atomic_long next_req, done_req, errors;
static atomic_long rss_early_kb;
static double t_start, t_first_phase;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* CPU seconds (user + system) the process has used so far. */
static double cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* fields after the command name */
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads one answer: status and body (malloc'd). */
static int read_answer(int fd, char **body, size_t *body_len)
{
    static _Thread_local char buf[1 << 16];
    size_t have = 0;
    char *end = NULL;
    while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
        if (have == sizeof buf)
            return -1;
        ssize_t r = recv(fd, buf + have, sizeof buf - have, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
    }
    int status = atoi(buf + 9);
    char *cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
    if (!cl)
        return -1;
    size_t len = strtoul(cl + 16, NULL, 10);
    size_t head = (size_t)(end - buf) + 4;
    char *b = malloc(len + 1);
    if (!b)
        return -1;
    size_t got = have - head < len ? have - head : len;
    memcpy(b, buf + head, got);
    while (got < len) {
        ssize_t r = recv(fd, b + got, len - got, 0);
        if (r <= 0) {
            free(b);
            return -1;
        }
        got += (size_t)r;
    }
    *body = b;
    *body_len = len;
    return status;
}

static void *worker(void *arg)
{
    int fd = connect_server();
    for (;;) {
        long i = atomic_fetch_add(&next_req, 1);
        if (i >= total)
            break;
        double t0 = now();
        char *body = NULL;
        size_t len = 0;
        int status = -1;
        if (fd < 0 || !send_all(fd, request, request_len) || (status = read_answer(fd, &body, &len)) < 0) {
            /* a lost connection counts as an error; start a new one */
            if (fd >= 0)
                close(fd);
            fd = connect_server();
        }
        latency_ms[i] = (now() - t0) * 1000.0;
        if (status != 200 || len != expected_len || memcmp(body, expected, len) != 0)
            atomic_fetch_add(&errors, 1);
        free(body);
        long d = atomic_fetch_add(&done_req, 1) + 1;
        if (d == RSS_EARLY)
            atomic_store(&rss_early_kb, rss_kb(server_pid));
        if (d == FIRST_PHASE) {
            pthread_mutex_lock(&lock);
            t_first_phase = now();
            pthread_mutex_unlock(&lock);
        }
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(const char *what, const double *lat, long n, double seconds)
{
    double *s = malloc((size_t)n * sizeof *s);
    if (!s)
        return;
    memcpy(s, lat, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    printf("%-24s %8ld requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms\n", what, n,
           (double)n / seconds, s[n / 2], s[(size_t)((double)n * 0.99)], s[n - 1]);
    free(s);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = malloc(1 << 20);
    *len = b ? fread(b, 1, 1 << 20, f) : 0;
    fclose(f);
    return b;
}

static pid_t start_server(const char *kofu)
{
    int out[2];
    if (pipe(out) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        setenv("SOURCE_DATE_EPOCH", "1764547200", 1);
        execl(kofu, kofu, "serve", "--port", "0", "--lang", "en", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[512] = "";
    size_t n = 0;
    while (n < sizeof line - 1 && read(out[0], line + n, 1) == 1 && line[n] != '\n')
        n++;
    line[n] = '\0';
    close(out[0]);
    char *p = strstr(line, "http://127.0.0.1:");
    if (!p) {
        fprintf(stderr, "bench_serve: the server printed no URL: %s\n", line);
        return -1;
    }
    port = (unsigned)atoi(p + 17);
    return pid;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_serve KOFU [TOTAL=100000] [CONNS=32] [CASE]\n");
        return 2;
    }
    total = argc > 2 ? atol(argv[2]) : 100000;
    int conns = argc > 3 ? atoi(argv[3]) : 32;
    const char *case_path = argc > 4 ? argv[4] : "examples/cooperative-founders.ini";
    if (total < FIRST_PHASE || conns < 1 || conns > 1000) {
        fprintf(stderr, "bench_serve: TOTAL is at least %d, CONNS 1 to 1000\n", FIRST_PHASE);
        return 2;
    }
    size_t case_len = 0;
    char *ini = read_file(case_path, &case_len);
    if (!ini) {
        fprintf(stderr, "bench_serve: cannot read %s\n", case_path);
        return 2;
    }
    server_pid = start_server(argv[1]);
    if (server_pid < 0)
        return 2;
    char head[256];
    int hn = snprintf(head, sizeof head,
                      "POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n",
                      port, case_len);
    request_len = (size_t)hn + case_len;
    request = malloc(request_len);
    memcpy(request, head, (size_t)hn);
    memcpy(request + hn, ini, case_len);
    free(ini);

    /* the reference answer */
    int fd = connect_server();
    int status = fd >= 0 && send_all(fd, request, request_len) ? read_answer(fd, &expected, &expected_len) : -1;
    if (fd >= 0)
        close(fd);
    if (status != 200) {
        fprintf(stderr, "bench_serve: the first answer has status %d\n", status);
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        return 1;
    }
    latency_ms = calloc((size_t)total, sizeof *latency_ms);
    long rss_start = rss_kb(server_pid);
    double cpu_start = cpu_seconds(server_pid);
    pthread_t *th = calloc((size_t)conns, sizeof *th);
    t_start = now();
    for (int i = 0; i < conns; i++)
        pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < conns; i++)
        pthread_join(th[i], NULL);
    double t_end = now();
    long rss_end = rss_kb(server_pid);
    double cpu = cpu_seconds(server_pid) - cpu_start;

    printf("kofu serve, POST /api/v1/calculate of %s (%zu bytes in, %zu bytes out), %d connections\n",
           case_path, case_len, expected_len, conns);
    percentiles("first 20,000", latency_ms, FIRST_PHASE, t_first_phase - t_start);
    percentiles("all", latency_ms, total, t_end - t_start);
    long early = atomic_load(&rss_early_kb);
    printf("server RSS: %ld KiB at start, %ld KiB after %d requests, %ld KiB after %ld (%+.1f%%)\n",
           rss_start, early, RSS_EARLY, rss_end, total,
           early > 0 ? 100.0 * (double)(rss_end - early) / (double)early : 0.0);
    /* what the server itself spent, whatever else the machine was doing */
    if (cpu > 0)
        printf("server CPU: %.1f s for %ld requests = %.3f ms per request (%.0f req/s per core)\n", cpu,
               total, 1000.0 * cpu / (double)total, (double)total / cpu);
    printf("wrong or missing answers: %ld\n", atomic_load(&errors));
    kill(server_pid, SIGINT);
    int ws = 0;
    waitpid(server_pid, &ws, 0);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        printf("the server did not stop cleanly (status %d)\n", ws);
    free(th);
    free(latency_ms);
    free(request);
    free(expected);
    return atomic_load(&errors) ? 1 : 0;
}
