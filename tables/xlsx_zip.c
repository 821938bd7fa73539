/* xlsx_zip.c — the zip of an xlsx workbook through minizip, within limits
 * (xlsx_zip.h). minizip reads through callbacks over a FILE, so a file on
 * disk and bytes in memory (fmemopen) are read alike. */
#include <stdlib.h>
#include <string.h>

#include <minizip/unzip.h>

#include "diag.h"
#include "unzip_dl.h"
#include "xlsx_zip.h"

struct xlsx_zip {
    unzFile uf;
    FILE *f;
    const char *path;
    const xlsx_limits *lim;
    char entry[256];              /* the open entry's name, for messages */
    bool open;
    unsigned long long read;      /* bytes inflated from the open entry  */
    unsigned long long total;     /* bytes inflated from every entry     */
};

/* ---- minizip's file functions over the caller's FILE ------------------------- */

static voidpf zf_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    (void)mode;
    return opaque;
}

static uLong zf_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)opaque;
    return (uLong)fread(buf, 1, size, stream);
}

static uLong zf_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0; /* read only */
}

static ZPOS64_T zf_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    off_t at = ftello(stream);
    return at < 0 ? (ZPOS64_T)-1 : (ZPOS64_T)at;
}

static long zf_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    (void)opaque;
    int whence = origin == ZLIB_FILEFUNC_SEEK_CUR ? SEEK_CUR
                 : origin == ZLIB_FILEFUNC_SEEK_END ? SEEK_END
                                                    : SEEK_SET;
    if (offset > (ZPOS64_T)0x7fffffffffffffffLL)
        return -1;
    return fseeko(stream, (off_t)offset, whence) == 0 ? 0 : -1;
}

static int zf_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0; /* the FILE is the caller's */
}

static int zf_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ferror(stream);
}

/* ---- the directory ------------------------------------------------------------ */

/* An entry's name as a message may show it: control bytes (a terminal's
 * escape sequences) become '?'. */
static void printable(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* The current entry's information and its name, cut short where it does
 * not fit (with "..." to say so). minizip fills a name buffer that is too
 * small to the last byte and leaves it without a terminating NUL. */
static bool current_entry(unzFile uf, unz_file_info64 *fi, char *name, size_t size)
{
    static const char cut[] = "...";
    if (unzGetCurrentFileInfo64(uf, fi, name, size - 1, NULL, 0, NULL, 0) != UNZ_OK)
        return false;
    name[size - 1] = '\0';
    if (fi->size_filename >= size - 1) {
        size_t at = size - sizeof cut;
        while (at > 0 && ((unsigned char)name[at] & 0xC0) == 0x80)
            at--; /* not inside a UTF-8 sequence */
        memcpy(name + at, cut, sizeof cut);
    }
    return true;
}

/* Every entry is checked from the central directory before anything is
 * inflated: the sizes it claims must be within the limits. (The claims may
 * lie; xlsx_zip_read counts again.) */
static kofu_status check_directory(xlsx_zip *z, kofu_diag *diag)
{
    unz_global_info64 gi;
    if (unzGetGlobalInfo64(z->uf, &gi) != UNZ_OK)
        return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                        "zip の目次が読めません: xlsx ブックではないか、壊れています",
                        "the zip directory cannot be read: not an xlsx workbook, or damaged");
    const xlsx_limits *lim = z->lim;
    kofu_lang lang = diag_lang(diag);
    char a[48], b[48];
    if (gi.number_entry > lim->entries)
        return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                        "zip の項目が多すぎます（%llu 個。%u 個まで）",
                        "too many zip entries (%llu; at most %u)",
                        (unsigned long long)gi.number_entry, lim->entries);
    unsigned long long total = 0;
    unsigned n = 0;
    for (int rc = unzGoToFirstFile(z->uf); rc == UNZ_OK; rc = unzGoToNextFile(z->uf)) {
        unz_file_info64 fi;
        char name[256];
        if (!current_entry(z->uf, &fi, name, sizeof name))
            break;
        if (++n > lim->entries)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "zip の項目が多すぎます（%u 個まで）", "too many zip entries (at most %u)",
                            lim->entries);
        printable(name);
        if (fi.flag & 1)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "暗号化された項目があります（%s）: パスワードを外して保存してください",
                            "an encrypted entry (%s): save the workbook without a password", name);
        if (fi.compression_method != 0 && fi.compression_method != Z_DEFLATED)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "読めない圧縮方式の項目があります（%s、方式 %lu）: Excel で保存し直してください",
                            "an entry with a compression method kofu cannot read (%s, method %lu): "
                            "save the workbook again from Excel",
                            name, (unsigned long)fi.compression_method);
        if (fi.uncompressed_size > lim->entry_bytes)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "展開すると大きすぎる項目があります（%s、%s。%s まで）",
                            "an entry too large once inflated (%s, %s; at most %s)", name,
                            xlsx_size_text(fi.uncompressed_size, lang, a, sizeof a),
                            xlsx_size_text(lim->entry_bytes, lang, b, sizeof b));
        total += fi.uncompressed_size;
        if (total > lim->total_bytes)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "展開すると全体が大きすぎます（%s まで）", "too large once inflated (at most %s in all)",
                            xlsx_size_text(lim->total_bytes, lang, b, sizeof b));
        unsigned long long ratio = fi.uncompressed_size / (fi.compressed_size ? fi.compressed_size : 1);
        if (fi.uncompressed_size > lim->ratio_from && ratio > lim->ratio)
            return diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                            "圧縮率が高すぎる項目があります（%s、%llu 倍。%u 倍まで）: zip 爆弾の疑いがあります",
                            "an entry compressed too well (%s, %llu to 1; at most %u to 1): a zip bomb?", name,
                            ratio, lim->ratio);
    }
    return KOFU_OK;
}

kofu_status xlsx_zip_open(FILE *f, const char *path, const xlsx_limits *lim, kofu_diag *diag,
                          xlsx_zip **out)
{
    *out = NULL;
    kofu_status st = unzip_dl_load(path, diag);
    if (st != KOFU_OK)
        return st;
    xlsx_zip *z = calloc(1, sizeof *z);
    if (!z)
        return KOFU_ENOMEM;
    z->f = f;
    z->path = path;
    z->lim = lim;
    zlib_filefunc64_def ff = {zf_open, zf_read, zf_write, zf_tell, zf_seek, zf_close, zf_error, f};
    z->uf = unzOpen2_64(path, &ff);
    if (!z->uf) {
        free(z);
        return diag_add(diag, KOFU_ECASE, path, 0, NULL, NULL,
                        "zip として読めません: xlsx ブックではないか、壊れています",
                        "not readable as a zip: not an xlsx workbook, or damaged");
    }
    st = check_directory(z, diag);
    if (st != KOFU_OK) {
        xlsx_zip_close(&z);
        return st;
    }
    *out = z;
    return KOFU_OK;
}

int xlsx_zip_entry(xlsx_zip *z, const char *name, kofu_diag *diag)
{
    if (z->open) {
        unzCloseCurrentFile(z->uf);
        z->open = false;
    }
    snprintf(z->entry, sizeof z->entry, "%s", name);
    printable(z->entry);
    /* 2: case-insensitive, as OPC part names compare */
    if (unzLocateFile(z->uf, name, 2) != UNZ_OK)
        return 0;
    if (unzOpenCurrentFile(z->uf) != UNZ_OK) {
        diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL, "zip の項目 %s が開けません（壊れています）",
                 "the zip entry %s cannot be opened (damaged)", z->entry);
        return -1;
    }
    z->open = true;
    z->read = 0;
    return 1;
}

long xlsx_zip_read(xlsx_zip *z, void *buf, size_t cap, kofu_diag *diag)
{
    if (!z->open)
        return 0;
    if (cap > 1u << 30)
        cap = 1u << 30;
    int n = unzReadCurrentFile(z->uf, buf, (unsigned)cap);
    if (n < 0) {
        diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL, "zip の項目 %s が展開できません（壊れています）",
                 "the zip entry %s cannot be inflated (damaged)", z->entry);
        return -1;
    }
    if (n == 0) {
        z->open = false;
        if (unzCloseCurrentFile(z->uf) == UNZ_CRCERROR) {
            diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL,
                     "zip の項目 %s が壊れています（CRC が合いません）",
                     "the zip entry %s is damaged (its CRC does not match)", z->entry);
            return -1;
        }
        return 0;
    }
    z->read += (unsigned)n;
    z->total += (unsigned)n;
    if (z->read > z->lim->entry_bytes || z->total > z->lim->total_bytes) {
        char b[48];
        if (z->read > z->lim->entry_bytes)
            diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL, "zip の項目 %s を展開すると大きすぎます（%s まで）",
                     "the zip entry %s is too large once inflated (at most %s)", z->entry,
                     xlsx_size_text(z->lim->entry_bytes, diag_lang(diag), b, sizeof b));
        else
            diag_add(diag, KOFU_ECASE, z->path, 0, NULL, NULL, "展開すると全体が大きすぎます（%s まで）",
                     "too large once inflated (at most %s in all)",
                     xlsx_size_text(z->lim->total_bytes, diag_lang(diag), b, sizeof b));
        return -1;
    }
    return n;
}

void xlsx_zip_close(xlsx_zip **zp)
{
    xlsx_zip *z = zp ? *zp : NULL;
    if (!z)
        return;
    if (z->open)
        unzCloseCurrentFile(z->uf);
    unzClose(z->uf);
    free(z);
    *zp = NULL;
}
