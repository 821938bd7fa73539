/* stamp.c — the meta stamp of a result, and the clock behind it (stamp.h). */
#include "stamp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "node.h"

/* 9999-12-31T23:59:59+09:00: beyond it ISO 8601 needs a fifth year digit. */
#define LAST_SECOND INT64_C(253402268399)
#define JST_OFFSET (9 * 3600)

kofu_status kofu_clock(kofu_diag *diag, int64_t *now)
{
    if (!now)
        return KOFU_EUSAGE;
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (!env) {
        *now = (int64_t)time(NULL);
        return KOFU_OK;
    }
    /* digits only: no sign, no blanks, no fraction (reproducible-builds.org) */
    int64_t v = 0;
    const char *p = env;
    for (; *p >= '0' && *p <= '9' && v <= LAST_SECOND; p++)
        v = v * 10 + (*p - '0');
    if (p == env || *p || v > LAST_SECOND)
        return diag_add(diag, KOFU_EUSAGE, "SOURCE_DATE_EPOCH", 0, NULL, NULL,
                        "1970年1月1日からの秒数（0〜%lld の整数）ではありません: \"%s\"",
                        "not a number of seconds since 1970-01-01 (an integer from 0 to %lld): \"%s\"",
                        (long long)LAST_SECOND, env);
    *now = v;
    return KOFU_OK;
}

static size_t time_format_uncached(int64_t t, char *buf, size_t cap);

size_t kofu_time_format(int64_t t, char *buf, size_t cap)
{
    /* Every evaluation stamps its result, and a sweep makes hundreds of
     * thousands a second within the same second: the last text is kept per
     * thread (a tenth of a sweep's evaluation went to formatting it). */
    static _Thread_local int64_t last_t = -1;
    static _Thread_local char last[32];
    static _Thread_local size_t last_n;
    if (t == last_t && t >= 0) {
        if (cap > last_n)
            memcpy(buf, last, last_n + 1);
        else if (cap)
            buf[0] = '\0';
        return last_n;
    }
    size_t n = time_format_uncached(t, buf, cap);
    if (cap > n && n < sizeof last) {
        memcpy(last, buf, n + 1);
        last_n = n;
        last_t = t;
    }
    return n;
}

static size_t time_format_uncached(int64_t t, char *buf, size_t cap)
{
    struct tm tm;
    time_t jst = (time_t)(t + JST_OFFSET);
    if (t < 0 || t > LAST_SECOND || !gmtime_r(&jst, &tm)) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return n < 0 ? 0 : (size_t)n;
}

kofu_node *stamp_meta(node_arena *a, const kofu_rules *rules, int64_t t)
{
    char when[32];
    kofu_time_format(t, when, sizeof when);
    const char *path = kofu_rules_path(rules);
    kofu_node *r = node_object(a);
    node_set_static(r, "origin", node_string_static(a, kofu_rules_origin(rules)));
    node_set_static(r, "path", path ? node_string(a, path) : node_null(a));
    node_set_static(r, "sha256", node_string(a, kofu_rules_digest(rules)));
    kofu_node *meta = node_object(a);
    node_set_static(meta, "kofu_version", node_string_static(a, KOFU_VERSION));
    node_set_static(meta, "computed_at", node_string(a, when));
    node_set_static(meta, "rules", r);
    return meta;
}
