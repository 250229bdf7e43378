/* index_lines.c - reads JSON Lines input one line at a time from plain or gzip files (zlib). */
#define _DEFAULT_SOURCE
#include "indexer/index_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

struct kt_lines {
    gzFile gz;
    char *path;        /* for messages */
    uint64_t line_no;  /* lines returned so far */
    uint64_t bytes;    /* uncompressed bytes consumed */
    bool eof;          /* gzread returned 0 */
    char buf[1 << 16]; /* read-ahead: buf[pos..end) not yet consumed */
    size_t pos, end;
};

kt_status kt_lines_open(const char *path, struct kt_lines **out, struct kt_err *err)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return kt_err_set(err, errno == ENOENT ? KT_ENOTFOUND : KT_EIO, "%s: %s", path,
                          strerror(errno));
    if (S_ISDIR(st.st_mode))
        return kt_err_set(err, KT_EIO, "%s: is a directory", path);
    struct kt_lines *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    }
    r->gz = gzopen(path, "rb");
    if (!r->gz) {
        kt_status s = kt_err_set(err, KT_EIO, "%s: cannot open: %s", path,
                                 errno ? strerror(errno) : "zlib error");
        kt_lines_close(r);
        return s;
    }
    gzbuffer(r->gz, 1u << 17);
    *out = r;
    return KT_OK;
}

/* Refills r->buf; sets r->eof at the end. */
static kt_status refill(struct kt_lines *r, struct kt_err *err)
{
    int n = gzread(r->gz, r->buf, (unsigned)sizeof r->buf);
    if (n < 0) {
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        return kt_err_set(
            err, zerr == Z_ERRNO ? KT_EIO : KT_ECORRUPT, "%s: line %llu: read error: %s", r->path,
            (unsigned long long)r->line_no + 1, zerr == Z_ERRNO ? strerror(errno) : msg);
    }
    if (n == 0) {
        int zerr = 0;
        gzerror(r->gz, &zerr);
        if (zerr == Z_BUF_ERROR)
            return kt_err_set(err, KT_ECORRUPT, "%s: line %llu: truncated gzip stream", r->path,
                              (unsigned long long)r->line_no + 1);
        r->eof = true;
    }
    r->pos = 0;
    r->end = (size_t)n;
    return KT_OK;
}

kt_status kt_lines_next(struct kt_lines *r, struct kt_buf *line, uint64_t *line_no, bool *eof,
                        struct kt_err *err)
{
    bool too_big = false, any = false;
    kt_buf_reset(line);
    *eof = false;
    for (;;) {
        if (r->pos == r->end) {
            if (r->eof)
                break;
            kt_status s = refill(r, err);
            if (s != KT_OK)
                return s;
            continue;
        }
        any = true;
        const char *p = r->buf + r->pos;
        size_t avail = r->end - r->pos;
        const char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        r->pos += nl ? n + 1 : n;
        r->bytes += nl ? n + 1 : n;
        if (!too_big) {
            if (line->len + n > KT_JSONL_MAX_LINE) {
                too_big = true;
                kt_buf_reset(line);
            } else if (kt_buf_append(line, p, n) != KT_OK) {
                return kt_err_set(err, KT_ENOMEM, "%s: line %llu: out of memory", r->path,
                                  (unsigned long long)r->line_no + 1);
            }
        }
        if (nl)
            break;
    }
    if (!any) {
        *eof = true;
        return KT_OK;
    }
    r->line_no++;
    *line_no = r->line_no;
    if (too_big) {
        kt_buf_reset(line);
        return kt_err_set(err, KT_ETOOBIG, "%s: line %llu: longer than %u bytes", r->path,
                          (unsigned long long)r->line_no, KT_JSONL_MAX_LINE);
    }
    if (line->len > 0 && line->data[line->len - 1] == '\r')
        line->data[--line->len] = '\0';
    return KT_OK;
}

uint64_t kt_lines_bytes(const struct kt_lines *r)
{
    return r->bytes;
}

uint64_t kt_lines_file_offset(const struct kt_lines *r)
{
    z_off_t off = gzoffset(r->gz);
    return off < 0 ? 0 : (uint64_t)off;
}

void kt_lines_close(struct kt_lines *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    free(r->path);
    free(r);
}
