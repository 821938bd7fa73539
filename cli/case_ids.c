/* case_ids.c — the case ids of a run (see case_ids.h). */
#define _GNU_SOURCE
#include "case_ids.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kofu/kofu.h"

/* ---- in memory: open addressing over "id\0where\0" texts in one block ---- */

typedef struct mem_entry {
    uint64_t hash;
    size_t text;       /* offset of "id\0where\0" in texts                */
} mem_entry;

typedef struct mem_tier {
    uint32_t *slots;   /* 0 empty, else entry index + 1                   */
    size_t n_slots;
    mem_entry *entries;
    size_t n, cap;
    kofu_buf texts;
} mem_tier;

/* ---- in a file: the same table, 16-byte slots read a block at a time ---- */

typedef struct disk_slot {
    uint64_t hash;
    uint64_t text;     /* offset + 1 of "id\0where\0" in the text file; 0 empty */
} disk_slot;

#define BLOCK_SLOTS 256          /* 4 KiB of slots per read               */
#define FIRST_DISK_SLOTS 4096
#define PENDING_BYTES 16384      /* texts gathered before a write         */

typedef struct disk_tier {
    int slots_fd, texts_fd;      /* -1 until the first spill              */
    uint64_t n_slots, n;
    uint64_t texts_len;          /* the text file's length, pending included */
    char pending[PENDING_BYTES]; /* its last n_pending bytes, not written yet */
    size_t n_pending;
    bool failed;
} disk_tier;

struct case_ids {
    mem_tier mem;
    disk_tier disk;
    kofu_buf found;              /* what case_ids_seen returned last      */
    bool incomplete;
};

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* t->found emptied for a new answer (a failed append is not held against
 * the next one). */
static kofu_buf *found_reset(case_ids *t)
{
    if (t->found.failed)
        kofu_buf_free(&t->found);
    t->found.len = 0;
    return &t->found;
}

/* ---- the memory tier ------------------------------------------------------------ */

static bool mem_grow(mem_tier *m)
{
    size_t n = m->n_slots ? m->n_slots * 2 : 1024;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = (size_t)m->entries[i].hash & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = (uint32_t)(i + 1);
    }
    free(m->slots);
    m->slots = s;
    m->n_slots = n;
    return true;
}

/* The text of id in the memory tier, or NULL. */
static const char *mem_find(const mem_tier *m, const char *id, uint64_t h)
{
    if (!m->n_slots)
        return NULL;
    for (size_t j = (size_t)h & (m->n_slots - 1); m->slots[j]; j = (j + 1) & (m->n_slots - 1)) {
        const mem_entry *e = &m->entries[m->slots[j] - 1];
        const char *text = m->texts.data + e->text;
        if (e->hash == h && strcmp(text, id) == 0)
            return text;
    }
    return NULL;
}

static bool mem_add(mem_tier *m, const char *id, const char *where, uint64_t h)
{
    if ((m->n + 1) * 2 > m->n_slots && (m->n >= UINT32_MAX - 1 || !mem_grow(m)))
        return false;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        mem_entry *e = realloc(m->entries, cap * sizeof *e);
        if (!e)
            return false;
        m->entries = e;
        m->cap = cap;
    }
    size_t at = m->texts.len;
    kofu_buf_putn(&m->texts, id, strlen(id) + 1);
    kofu_buf_putn(&m->texts, where, strlen(where) + 1);
    if (m->texts.failed)
        return false;
    size_t j = (size_t)h & (m->n_slots - 1);
    while (m->slots[j])
        j = (j + 1) & (m->n_slots - 1);
    m->entries[m->n] = (mem_entry){h, at};
    m->slots[j] = (uint32_t)(++m->n);
    return true;
}

static void mem_free(mem_tier *m)
{
    free(m->slots);
    free(m->entries);
    kofu_buf_free(&m->texts);
}

/* ---- the file tier --------------------------------------------------------------- */

/* An unlinked file in TMPDIR (else /tmp), or -1. */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/kofu-ids-XXXXXX", dir) >= (int)sizeof path)
        return -1;
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* n bytes at offset at of fd, read or written whole (interrupted calls and
 * short transfers resumed). */
static bool transfer_at(int fd, void *buf, size_t n, uint64_t at, bool write)
{
    for (size_t done = 0; done < n;) {
        char *p = (char *)buf + done;
        ssize_t r = write ? pwrite(fd, p, n - done, (off_t)(at + done))
                          : pread(fd, p, n - done, (off_t)(at + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        done += (size_t)r;
    }
    return true;
}

static bool read_at(int fd, void *buf, size_t n, uint64_t at)
{
    return transfer_at(fd, buf, n, at, false);
}

static bool write_at(int fd, const void *buf, size_t n, uint64_t at)
{
    return transfer_at(fd, (void *)buf, n, at, true);
}

/* A slots file of n empty slots (a sparse file reads as zeros), or -1. */
static int slots_file(uint64_t n)
{
    int fd = temp_file();
    if (fd >= 0 && ftruncate(fd, (off_t)(n * sizeof(disk_slot))) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static bool disk_open(disk_tier *d)
{
    d->slots_fd = slots_file(FIRST_DISK_SLOTS);
    d->texts_fd = temp_file();
    d->n_slots = FIRST_DISK_SLOTS;
    return d->slots_fd >= 0 && d->texts_fd >= 0;
}

static bool disk_flush(disk_tier *d)
{
    if (d->n_pending &&
        !write_at(d->texts_fd, d->pending, d->n_pending, d->texts_len - d->n_pending))
        return false;
    d->n_pending = 0;
    return true;
}

/* The record "id\0where\0" at offset at of the text file, into t->found;
 * NULL when it cannot be read. */
static const char *disk_text(case_ids *t, uint64_t at)
{
    disk_tier *d = &t->disk;
    uint64_t written = d->texts_len - d->n_pending;
    kofu_buf *f = found_reset(t);
    if (at >= written) {
        const char *rec = d->pending + (at - written);
        size_t a = strlen(rec) + 1;
        kofu_buf_putn(f, rec, a + strlen(rec + a) + 1);
        return f->failed ? NULL : f->data;
    }
    for (int nuls = 0; nuls < 2;) {
        char chunk[512];
        size_t want = written - at < sizeof chunk ? (size_t)(written - at) : sizeof chunk;
        if (want == 0 || !read_at(d->texts_fd, chunk, want, at))
            return NULL; /* a record cut short: the file is not ours any more */
        size_t take = 0;
        while (take < want && nuls < 2)
            nuls += chunk[take++] == '\0';
        kofu_buf_putn(f, chunk, take);
        at += take;
    }
    return f->failed ? NULL : f->data;
}

/* Slot j of the table in fd, read through block: a copy of the 4 KiB of
 * slots around it, whose first index is *first (UINT64_MAX: nothing read
 * yet). NULL when the read fails. */
static const disk_slot *slot_at(int fd, uint64_t j, disk_slot *block, uint64_t *first)
{
    uint64_t b = j & ~(uint64_t)(BLOCK_SLOTS - 1);
    if (b != *first) {
        if (!read_at(fd, block, BLOCK_SLOTS * sizeof *block, b * sizeof(disk_slot)))
            return NULL;
        *first = b;
    }
    return &block[j - b];
}

/* Looks id up: 1 and *text (its record) when there, 0 and *slot (where it
 * would go) when not, -1 when the file fails. */
static int disk_find(case_ids *t, const char *id, uint64_t h, uint64_t *slot, const char **text)
{
    disk_tier *d = &t->disk;
    disk_slot block[BLOCK_SLOTS];
    uint64_t mask = d->n_slots - 1, first = UINT64_MAX;
    for (uint64_t j = h & mask;; j = (j + 1) & mask) {
        const disk_slot *s = slot_at(d->slots_fd, j, block, &first);
        if (!s)
            return -1;
        if (s->text == 0) {
            *slot = j;
            return 0;
        }
        if (s->hash == h) {
            const char *rec = disk_text(t, s->text - 1);
            if (!rec)
                return -1;
            if (strcmp(rec, id) == 0) {
                *text = rec;
                return 1;
            }
        }
    }
}

/* Puts slot s at its place in a table of n slots held by fd. */
static bool disk_place(int fd, uint64_t n, const disk_slot *s)
{
    disk_slot block[BLOCK_SLOTS];
    uint64_t first = UINT64_MAX;
    for (uint64_t j = s->hash & (n - 1);; j = (j + 1) & (n - 1)) {
        const disk_slot *e = slot_at(fd, j, block, &first);
        if (!e)
            return false;
        if (e->text == 0)
            return write_at(fd, s, sizeof *s, j * sizeof(disk_slot));
    }
}

/* Doubles the slots file: a new file, every slot placed again. */
static bool disk_grow(disk_tier *d)
{
    uint64_t n = d->n_slots * 2;
    int fd = slots_file(n);
    if (fd < 0)
        return false;
    disk_slot block[BLOCK_SLOTS];
    for (uint64_t b = 0; b < d->n_slots; b += BLOCK_SLOTS) {
        if (!read_at(d->slots_fd, block, sizeof block, b * sizeof(disk_slot)))
            goto fail;
        for (size_t i = 0; i < BLOCK_SLOTS; i++)
            if (block[i].text && !disk_place(fd, n, &block[i]))
                goto fail;
    }
    close(d->slots_fd);
    d->slots_fd = fd;
    d->n_slots = n;
    return true;
fail:
    close(fd);
    return false;
}

static bool disk_add(disk_tier *d, const char *id, const char *where, uint64_t h, uint64_t slot)
{
    size_t a = strlen(id) + 1, b = strlen(where) + 1;
    if (d->n_pending + a + b > sizeof d->pending && !disk_flush(d))
        return false;
    disk_slot s = {h, d->texts_len + 1};
    if (a + b > sizeof d->pending) {
        /* longer than the buffer: written at once */
        if (!write_at(d->texts_fd, id, a, d->texts_len) ||
            !write_at(d->texts_fd, where, b, d->texts_len + a))
            return false;
    } else {
        memcpy(d->pending + d->n_pending, id, a);
        memcpy(d->pending + d->n_pending + a, where, b);
        d->n_pending += a + b;
    }
    d->texts_len += a + b;
    if (!write_at(d->slots_fd, &s, sizeof s, slot * sizeof(disk_slot)))
        return false;
    d->n++;
    return (d->n + 1) * 2 <= d->n_slots || disk_grow(d);
}

static void disk_close(disk_tier *d)
{
    if (d->slots_fd >= 0)
        close(d->slots_fd);
    if (d->texts_fd >= 0)
        close(d->texts_fd);
    d->slots_fd = d->texts_fd = -1;
}

/* ---- the table --------------------------------------------------------------------- */

case_ids *case_ids_new(void)
{
    case_ids *t = calloc(1, sizeof *t);
    if (t)
        t->disk.slots_fd = t->disk.texts_fd = -1;
    return t;
}

void case_ids_free(case_ids **t)
{
    if (!t || !*t)
        return;
    mem_free(&(*t)->mem);
    disk_close(&(*t)->disk);
    kofu_buf_free(&(*t)->found);
    free(*t);
    *t = NULL;
}

bool case_ids_incomplete(const case_ids *t) { return t && t->incomplete; }

/* The where of a record "id\0where\0" (in t->found, or in the memory
 * tier), as t->found; NULL without memory (then the table is incomplete: a
 * use of the id went unreported). */
static const char *where_of(case_ids *t, const char *rec)
{
    const char *w = rec + strlen(rec) + 1;
    size_t n = strlen(w) + 1;
    if (rec == t->found.data) {
        memmove(t->found.data, w, n); /* the record read from the file */
        t->found.len = n - 1;
    } else {
        kofu_buf_putn(found_reset(t), w, n - 1);
    }
    if (t->found.failed || !t->found.data) {
        t->incomplete = true;
        return NULL;
    }
    return t->found.data;
}

const char *case_ids_seen(case_ids *t, const char *id, const char *where, bool record)
{
    if (!t || !id)
        return NULL;
    uint64_t h = hash_id(id);
    const char *rec = mem_find(&t->mem, id, h);
    if (rec)
        return where_of(t, rec);
    disk_tier *d = &t->disk;
    uint64_t slot = 0;
    if (d->slots_fd >= 0 && !d->failed) {
        int r = disk_find(t, id, h, &slot, &rec);
        if (r > 0)
            return where_of(t, rec);
        if (r < 0) {
            d->failed = true;
            t->incomplete = true; /* the ids in the file can no longer be read */
        }
    }
    if (!record)
        return NULL;
    bool spill = t->mem.n >= CASE_IDS_IN_MEMORY && !d->failed;
    if (spill && d->slots_fd < 0) {
        if (disk_open(d))
            spill = disk_find(t, id, h, &slot, &rec) == 0;
        else
            spill = false;
        d->failed = !spill;
    }
    if (spill && !disk_add(d, id, where, h, slot)) {
        /* the id may or may not have reached the file: keep it in memory */
        d->failed = true;
        t->incomplete = true;
        spill = false;
    }
    if (!spill && !mem_add(&t->mem, id, where, h))
        t->incomplete = true;
    return NULL;
}
