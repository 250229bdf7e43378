/* warc_writer.c - WARC 1.1 records as one gzip member each, appended with checked writes to
 * rotating files; a failed write is cut back so no partial record stays behind. */
#define _GNU_SOURCE
#include "corpus/warc_writer.h"
#include "corpus/http_message.h"

#include <zlib.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef KHOTIN_VERSION
#define KHOTIN_VERSION "0.0.0"
#endif

/* Compression state reused across records: one z_stream reset per record (each record stays
 * its own gzip member) and one header buffer, instead of an init/alloc per record. */
struct zwork {
    z_stream z;
    bool ready; /* z was initialised by deflateInit2 */
    int level;
    struct kt_buf hdr;     /* the record's header block, rebuilt per record */
    struct kt_buf members; /* the compressed members of one write */
};

struct kt_warc_writer {
    char *dir;
    char *prefix;
    char *hostname;
    char *warcinfo_fields;
    uint64_t max_size;
    int level;
    int fd;                      /* -1 when no file is open */
    char file[KT_WARC_NAME_MAX]; /* current basename */
    char path[PATH_MAX];
    uint64_t size; /* bytes in the current file (= end of last complete record) */
    unsigned records_in_file;
    unsigned serial;
    unsigned files;
    uint64_t bytes;
    bool dir_dirty; /* a file was created since the last directory fsync */
    struct zwork zw;
    char warcinfo_id[KT_WARC_ID_SIZE];
};

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

kt_status kt_warc_writer_open(const struct kt_warc_writer_opts *opts, struct kt_warc_writer **out,
                              struct kt_err *err)
{
    *out = NULL;
    if (!opts || !opts->dir || !*opts->dir)
        return kt_err_set(err, KT_EINVAL, "WARC writer: no directory given");
    struct stat sb;
    if (stat(opts->dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return kt_err_set(err, KT_ENOTFOUND, "%s: WARC directory does not exist", opts->dir);
    struct kt_warc_writer *w = calloc(1, sizeof *w);
    if (!w)
        return kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
    w->fd = -1;
    char host[256] = "localhost";
    if (opts->hostname && *opts->hostname) {
        snprintf(host, sizeof host, "%s", opts->hostname);
    } else if (gethostname(host, sizeof host - 1) != 0 || !host[0]) {
        strcpy(host, "localhost");
    }
    host[sizeof host - 1] = '\0';
    /* keep file names safe: only [A-Za-z0-9.-] from the host name */
    for (char *c = host; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-'))
            *c = '-';
    const char *prefix = opts->prefix && *opts->prefix ? opts->prefix : "khotin";
    if (strchr(prefix, '/') || strlen(prefix) > 64) {
        free(w);
        return kt_err_set(err, KT_EINVAL, "WARC writer: bad file prefix \"%.80s\"", prefix);
    }
    w->dir = dup_str(opts->dir);
    w->prefix = dup_str(prefix);
    w->hostname = strndup(host, 100);
    w->warcinfo_fields = dup_str(opts->warcinfo_fields ? opts->warcinfo_fields : "");
    w->max_size = opts->max_file_size ? opts->max_file_size : KT_WARC_DEFAULT_MAX_SIZE;
    w->level =
        opts->compression_level >= 1 && opts->compression_level <= 9 ? opts->compression_level : 6;
    w->zw.level = w->level;
    if (!w->dir || !w->prefix || !w->hostname || !w->warcinfo_fields) {
        kt_warc_writer_close(w, NULL);
        return kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
    }
    *out = w;
    return KT_OK;
}

static kt_status sync_dir(struct kt_warc_writer *w, struct kt_err *err)
{
    if (!w->dir_dirty)
        return KT_OK;
    int dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return kt_err_set(err, KT_EIO, "%s: %s", w->dir, strerror(errno));
    int rc = fsync(dfd);
    int e = errno;
    close(dfd);
    if (rc != 0)
        return kt_err_set(err, KT_EIO, "%s: fsync: %s", w->dir, strerror(e));
    w->dir_dirty = false;
    return KT_OK;
}

kt_status kt_warc_writer_sync(struct kt_warc_writer *w, struct kt_err *err)
{
    if (!w || w->fd < 0)
        return KT_OK;
    if (fsync(w->fd) != 0)
        return kt_err_set(err, KT_EIO, "%s: fsync: %s", w->path, strerror(errno));
    return sync_dir(w, err);
}

static kt_status close_file(struct kt_warc_writer *w, struct kt_err *err)
{
    if (w->fd < 0)
        return KT_OK;
    kt_status st = kt_warc_writer_sync(w, err);
    if (close(w->fd) != 0 && st == KT_OK)
        st = kt_err_set(err, KT_EIO, "%s: close: %s", w->path, strerror(errno));
    w->fd = -1;
    return st;
}

kt_status kt_warc_writer_close(struct kt_warc_writer *w, struct kt_err *err)
{
    if (!w)
        return KT_OK;
    kt_status st = close_file(w, err);
    if (w->zw.ready)
        deflateEnd(&w->zw.z);
    kt_buf_free(&w->zw.hdr);
    kt_buf_free(&w->zw.members);
    free(w->dir);
    free(w->prefix);
    free(w->hostname);
    free(w->warcinfo_fields);
    free(w);
    return st;
}

const char *kt_warc_writer_current_file(const struct kt_warc_writer *w)
{
    return w && w->fd >= 0 ? w->file : NULL;
}

uint64_t kt_warc_writer_bytes(const struct kt_warc_writer *w)
{
    return w ? w->bytes : 0;
}

unsigned kt_warc_writer_files(const struct kt_warc_writer *w)
{
    return w ? w->files : 0;
}

/* ---------------- record building ---------------- */

/* A header value must not break the header block. */
static bool value_ok(const char *v)
{
    for (; *v; v++)
        if (*v == '\r' || *v == '\n')
            return false;
    return true;
}

static kt_status add_header(struct kt_buf *h, const char *name, const char *value,
                            struct kt_err *err)
{
    if (!value)
        return KT_OK;
    if (!value_ok(value))
        return kt_err_set(err, KT_EINVAL, "WARC header %s: value contains a line break", name);
    if (kt_buf_printf(h, "%s: %s\r\n", name, value) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
    return KT_OK;
}

/* Everything one record needs; NULL fields are omitted. */
struct rec_spec {
    const char *type;
    const char *record_id;
    const char *date;
    const char *target_uri;
    const char *ip_address;
    const char *warcinfo_id;
    const char *concurrent_to;
    const char *profile;
    const char *refers_to;
    const char *refers_to_uri;
    const char *refers_to_date;
    const char *truncated;
    const char *filename;
    const char *payload_digest;
    const char *content_type;
    const char *extra; /* preformatted lines */
    const void *block;
    size_t block_len;
    struct zwork *zw;       /* the writer's reusable compression state */
    char *block_digest_out; /* receives the block digest when not NULL */
};

/* Compresses one record (header block + block + CRLFCRLF) as one gzip member into out. */
static kt_status build_member(const struct rec_spec *r, struct kt_buf *out, struct kt_err *err)
{
    struct zwork *zw = r->zw;
    struct kt_buf *hb = &zw->hdr;
    kt_buf_reset(hb);
    char block_digest[KT_WARC_DIGEST_SIZE];
    kt_status st = kt_warc_digest(r->block, r->block_len, block_digest, err);
    if (st != KT_OK)
        return st;
    if (r->block_digest_out)
        memcpy(r->block_digest_out, block_digest, sizeof block_digest);
    if (kt_buf_append_cstr(hb, "WARC/1.1\r\n") != KT_OK) {
        st = kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
        goto done;
    }
    const char *names[] = {"WARC-Type",           "WARC-Record-ID",
                           "WARC-Date",           "WARC-Target-URI",
                           "WARC-IP-Address",     "WARC-Warcinfo-ID",
                           "WARC-Concurrent-To",  "WARC-Profile",
                           "WARC-Refers-To",      "WARC-Refers-To-Target-URI",
                           "WARC-Refers-To-Date", "WARC-Truncated",
                           "WARC-Filename",       "WARC-Block-Digest",
                           "WARC-Payload-Digest", "Content-Type"};
    const char *values[] = {r->type,       r->record_id,     r->date,           r->target_uri,
                            r->ip_address, r->warcinfo_id,   r->concurrent_to,  r->profile,
                            r->refers_to,  r->refers_to_uri, r->refers_to_date, r->truncated,
                            r->filename,   block_digest,     r->payload_digest, r->content_type};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((st = add_header(hb, names[i], values[i], err)) != KT_OK)
            goto done;
    if (r->extra && *r->extra) {
        size_t n = strlen(r->extra);
        if (n < 2 || strcmp(r->extra + n - 2, "\r\n") != 0 || strstr(r->extra, "\r\n\r\n")) {
            st = kt_err_set(err, KT_EINVAL, "WARC writer: extra headers must be CRLF-ended lines");
            goto done;
        }
        if (kt_buf_append(hb, r->extra, n) != KT_OK) {
            st = kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
            goto done;
        }
    }
    if (kt_buf_printf(hb, "Content-Length: %zu\r\n\r\n", r->block_len) != KT_OK) {
        st = kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
        goto done;
    }

    if (!zw->ready) {
        memset(&zw->z, 0, sizeof zw->z);
        if (deflateInit2(&zw->z, zw->level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            st = kt_err_set(err, KT_ENOMEM, "WARC writer: deflateInit failed");
            goto done;
        }
        zw->ready = true;
    } else if (deflateReset(&zw->z) != Z_OK) { /* a new gzip member, same settings */
        st = kt_err_set(err, KT_EOTHER, "WARC writer: deflateReset failed");
        goto done;
    }
    size_t total_in = hb->len + r->block_len + 4;
    size_t bound = deflateBound(&zw->z, total_in > ULONG_MAX ? ULONG_MAX : (uLong)total_in) + 64;
    size_t start = out->len;
    if (kt_buf_reserve(out, bound) != KT_OK) {
        st = kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
        goto done;
    }
    const unsigned char *parts[3] = {(const unsigned char *)hb->data, r->block,
                                     (const unsigned char *)"\r\n\r\n"};
    size_t lens[3] = {hb->len, r->block_len, 4};
    zw->z.next_out = (unsigned char *)out->data + start;
    zw->z.avail_out = (uInt)(bound > UINT_MAX ? UINT_MAX : bound);
    for (int i = 0; i < 3 && st == KT_OK; i++) {
        const unsigned char *p = parts[i];
        size_t left = lens[i];
        while (left) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            zw->z.next_in = (unsigned char *)p;
            zw->z.avail_in = chunk;
            while (zw->z.avail_in) {
                if (deflate(&zw->z, Z_NO_FLUSH) != Z_OK) {
                    st = kt_err_set(err, KT_EOTHER, "WARC writer: deflate failed");
                    break;
                }
            }
            if (st != KT_OK)
                break;
            p += chunk;
            left -= chunk;
        }
    }
    if (st == KT_OK && deflate(&zw->z, Z_FINISH) != Z_STREAM_END)
        st = kt_err_set(err, KT_EOTHER, "WARC writer: deflate did not finish");
    if (st == KT_OK) {
        out->len = start + zw->z.total_out;
        out->data[out->len] = '\0';
    }
done:
    return st;
}

/* ---------------- files ---------------- */

/* Appends all of (p, n) to the current file; on failure cuts the file back to w->size. */
static kt_status append_bytes(struct kt_warc_writer *w, const void *p, size_t n, struct kt_err *err)
{
    const char *c = p;
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(w->fd, c + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = k < 0 ? errno : ENOSPC;
            /* nothing half-written may stay: cut back to the last complete record */
            if (ftruncate(w->fd, (off_t)w->size) != 0) {
                /* the torn tail will be found and cut by repair on the next open */
            }
            return kt_err_set(err, KT_EIO, "%s: write: %s", w->path, strerror(e));
        }
        done += (size_t)k;
    }
    w->size += n;
    w->bytes += n;
    return KT_OK;
}

static kt_status start_file(struct kt_warc_writer *w, struct kt_err *err)
{
    kt_status st = close_file(w, err);
    if (st != KT_OK)
        return st;
    for (int tries = 0; tries < 1000; tries++) {
        int64_t us = kt_wall_us();
        time_t secs = (time_t)(us / 1000000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        int n = snprintf(w->file, sizeof w->file, "%s-%s%03d-%05u-%s.warc.gz", w->prefix, stamp,
                         (int)((us / 1000) % 1000), w->serial % 100000u, w->hostname);
        if (n < 0 || (size_t)n >= sizeof w->file)
            return kt_err_set(err, KT_EINVAL, "WARC writer: file name too long");
        n = snprintf(w->path, sizeof w->path, "%s/%s", w->dir, w->file);
        if (n < 0 || (size_t)n >= sizeof w->path)
            return kt_err_set(err, KT_EINVAL, "%s: WARC path too long", w->dir);
        w->fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
        w->serial++;
        if (w->fd >= 0)
            break;
        if (errno != EEXIST)
            return kt_err_set(err, KT_EIO, "%s: %s", w->path, strerror(errno));
    }
    if (w->fd < 0)
        return kt_err_set(err, KT_EIO, "%s: could not create a new WARC file", w->dir);
    w->size = 0;
    w->records_in_file = 0;
    w->files++;
    w->dir_dirty = true;

    /* the warcinfo record */
    struct kt_buf block = {0};
    struct kt_buf member = {0};
    char date[KT_WARC_DATE_SIZE];
    kt_warc_format_date(kt_wall_us(), date);
    st = kt_warc_new_record_id(w->warcinfo_id, err);
    if (st == KT_OK &&
        kt_buf_printf(&block,
                      "software: khotin/%s\r\nformat: WARC File Format 1.1\r\n"
                      "conformsTo: http://iipc.github.io/warc-specifications/specifications/"
                      "warc-format/warc-1.1/\r\nhostname: %s\r\n%s",
                      KHOTIN_VERSION, w->hostname, w->warcinfo_fields) != KT_OK)
        st = kt_err_set(err, KT_ENOMEM, "WARC writer: out of memory");
    if (st == KT_OK) {
        struct rec_spec r = {.type = "warcinfo",
                             .record_id = w->warcinfo_id,
                             .date = date,
                             .filename = w->file,
                             .content_type = "application/warc-fields",
                             .block = block.data,
                             .block_len = block.len,
                             .zw = &w->zw};
        st = build_member(&r, &member, err);
    }
    if (st == KT_OK)
        st = append_bytes(w, member.data, member.len, err);
    if (st == KT_OK)
        w->records_in_file = 1;
    kt_buf_free(&block);
    kt_buf_free(&member);
    if (st != KT_OK) {
        close(w->fd);
        w->fd = -1;
        unlink(w->path); /* a file without its warcinfo is not kept */
    }
    return st;
}

/* Builds the members with build(ctx, warcinfo_id, out) and appends them, rotating first when
 * they would push the current file over the limit. *offset receives where they start. */
typedef kt_status (*build_fn)(void *ctx, const char *warcinfo_id, struct zwork *zw,
                              struct kt_buf *out, struct kt_err *err);

static kt_status write_members(struct kt_warc_writer *w, build_fn build, void *ctx,
                               uint64_t *offset, uint64_t *length, struct kt_err *err)
{
    kt_status st;
    if (w->fd < 0 && (st = start_file(w, err)) != KT_OK)
        return st;
    struct kt_buf *mb = &w->zw.members;
    kt_buf_reset(mb);
    st = build(ctx, w->warcinfo_id, &w->zw, mb, err);
    if (st == KT_OK && w->records_in_file > 1 && w->size + mb->len > w->max_size) {
        st = start_file(w, err);
        if (st == KT_OK) { /* the records name the new file's warcinfo */
            kt_buf_reset(mb);
            st = build(ctx, w->warcinfo_id, &w->zw, mb, err);
        }
    }
    if (st == KT_OK) {
        *offset = w->size;
        *length = mb->len;
        st = append_bytes(w, mb->data, mb->len, err);
    }
    if (st == KT_OK)
        w->records_in_file++;
    /* keep the buffer for the next write unless one huge record made it large */
    if (mb->cap > (4u << 20))
        kt_buf_free(mb);
    return st;
}

static void fill_location(struct kt_warc_location *loc, const struct kt_warc_writer *w,
                          uint64_t offset, uint64_t length, const char *id, const char *date)
{
    if (!loc)
        return;
    snprintf(loc->file, sizeof loc->file, "%s", w->file);
    loc->offset = offset;
    loc->length = length;
    snprintf(loc->record_id, sizeof loc->record_id, "%s", id);
    snprintf(loc->date, sizeof loc->date, "%s", date);
}

/* ---------------- generic record ---------------- */

struct generic_ctx {
    struct rec_spec r;
};

static kt_status build_generic(void *ctx, const char *warcinfo_id, struct zwork *zw,
                               struct kt_buf *out, struct kt_err *err)
{
    struct generic_ctx *g = ctx;
    g->r.warcinfo_id = warcinfo_id;
    g->r.zw = zw;
    return build_member(&g->r, out, err);
}

kt_status kt_warc_write_record(struct kt_warc_writer *w, const struct kt_warc_record_spec *spec,
                               struct kt_warc_location *loc, struct kt_err *err)
{
    if (!spec || !spec->type || !*spec->type || (!spec->block && spec->block_len))
        return kt_err_set(err, KT_EINVAL, "WARC writer: record without a type or block");
    char id[KT_WARC_ID_SIZE], date[KT_WARC_DATE_SIZE];
    kt_status st = kt_warc_new_record_id(id, err);
    if (st != KT_OK)
        return st;
    kt_warc_format_date(spec->date_us ? spec->date_us : kt_wall_us(), date);
    struct generic_ctx g = {.r = {.type = spec->type,
                                  .record_id = id,
                                  .date = date,
                                  .target_uri = spec->target_uri,
                                  .ip_address = spec->ip_address,
                                  .concurrent_to = spec->concurrent_to,
                                  .payload_digest = spec->payload_digest,
                                  .content_type = spec->content_type,
                                  .extra = spec->extra_headers,
                                  .block = spec->block ? spec->block : "",
                                  .block_len = spec->block_len}};
    uint64_t off = 0, len = 0;
    st = write_members(w, build_generic, &g, &off, &len, err);
    if (st == KT_OK)
        fill_location(loc, w, off, len, id, date);
    return st;
}

kt_status kt_warc_write_metadata(struct kt_warc_writer *w, const char *target_uri,
                                 const char *concurrent_to, const void *block, size_t block_len,
                                 struct kt_warc_location *loc, struct kt_err *err)
{
    if (!target_uri)
        return kt_err_set(err, KT_EINVAL, "WARC metadata record: no target URI");
    struct kt_warc_record_spec s = {.type = "metadata",
                                    .target_uri = target_uri,
                                    .concurrent_to = concurrent_to,
                                    .content_type = "application/warc-fields",
                                    .block = block,
                                    .block_len = block_len};
    return kt_warc_write_record(w, &s, loc, err);
}

/* ---------------- fetches ---------------- */

/* The payload digest of an already parsed response: over the entity after chunked decoding. */
static kt_status digest_of_message(const struct kt_http_message *m, char *digest,
                                   struct kt_err *err)
{
    if (!m->chunked)
        return kt_warc_digest(m->body, m->body_len, digest, err);
    struct kt_buf payload = {0};
    kt_status st = kt_http_payload(m, 0, &payload, NULL, err);
    if (st == KT_OK)
        st = kt_warc_digest(payload.data ? payload.data : "", payload.len, digest, err);
    kt_buf_free(&payload);
    return st;
}

kt_status kt_warc_payload_digest(const void *response, size_t len, char *digest, int *http_status,
                                 struct kt_err *err)
{
    struct kt_http_message m;
    kt_status st = kt_http_parse(response, len, KT_HTTP_RESPONSE, &m, err);
    if (st != KT_OK)
        return st;
    if (http_status)
        *http_status = m.status;
    st = digest_of_message(&m, digest, err);
    kt_http_message_free(&m);
    return st;
}

struct fetch_ctx {
    const struct kt_warc_fetch *f;
    const char *date;
    const char *resp_id;
    const char *req_id;
    const char *payload_digest; /* NULL for a 304 */
    size_t block_len;           /* response block bytes (head only for identical revisits) */
    size_t resp_member_len;     /* compressed size of the response/revisit member */
    char block_digest[KT_WARC_DIGEST_SIZE];
};

static kt_status build_fetch(void *ctx, const char *warcinfo_id, struct zwork *zw,
                             struct kt_buf *out, struct kt_err *err)
{
    struct fetch_ctx *c = ctx;
    const struct kt_warc_fetch *f = c->f;
    struct rec_spec r = {.record_id = c->resp_id,
                         .date = c->date,
                         .target_uri = f->target_uri,
                         .ip_address = f->ip_address,
                         .warcinfo_id = warcinfo_id,
                         .payload_digest = c->payload_digest,
                         .content_type = "application/http;msgtype=response",
                         .block = f->response,
                         .block_len = c->block_len,
                         .zw = zw,
                         .block_digest_out = c->block_digest};
    switch (f->kind) {
    case KT_WARC_EXCHANGE_RESPONSE:
        r.type = "response";
        r.truncated = f->truncated;
        break;
    case KT_WARC_EXCHANGE_NOT_MODIFIED:
        r.type = "revisit";
        r.profile = KT_WARC_PROFILE_NOT_MODIFIED;
        break;
    case KT_WARC_EXCHANGE_IDENTICAL:
        r.type = "revisit";
        r.profile = KT_WARC_PROFILE_IDENTICAL;
        break;
    }
    if (f->kind != KT_WARC_EXCHANGE_RESPONSE) {
        r.refers_to = f->refers.record_id;
        r.refers_to_uri = f->refers.target_uri;
        r.refers_to_date = f->refers.date;
    }
    size_t start = out->len;
    kt_status st = build_member(&r, out, err);
    c->resp_member_len = out->len - start;
    if (st != KT_OK || !f->request)
        return st;
    struct rec_spec q = {.type = "request",
                         .record_id = c->req_id,
                         .date = c->date,
                         .target_uri = f->target_uri,
                         .ip_address = f->ip_address,
                         .warcinfo_id = warcinfo_id,
                         .concurrent_to = c->resp_id,
                         .content_type = "application/http;msgtype=request",
                         .block = f->request,
                         .block_len = f->request_len,
                         .zw = zw};
    return build_member(&q, out, err);
}

kt_status kt_warc_write_fetch(struct kt_warc_writer *w, const struct kt_warc_fetch *f,
                              struct kt_warc_fetch_result *res, struct kt_err *err)
{
    if (!w || !f || !f->target_uri || !*f->target_uri || !f->response || !f->response_len)
        return kt_err_set(err, KT_EINVAL, "WARC writer: fetch without target URI or response");
    if (f->kind == KT_WARC_EXCHANGE_IDENTICAL &&
        (!f->refers.record_id || !f->refers.target_uri || !f->refers.date))
        return kt_err_set(err, KT_EINVAL,
                          "%s: identical-payload revisit without the record it "
                          "refers to",
                          f->target_uri);
    if (!value_ok(f->target_uri))
        return kt_err_set(err, KT_EINVAL, "WARC writer: target URI contains a line break");
    struct kt_http_message m;
    kt_status st = kt_http_parse(f->response, f->response_len, KT_HTTP_RESPONSE, &m, err);
    if (st != KT_OK)
        return kt_err_prefix(err, "%s", f->target_uri);
    int status = m.status;
    size_t head_len = m.head_len;
    char payload[KT_WARC_DIGEST_SIZE] = "";
    if (f->kind != KT_WARC_EXCHANGE_NOT_MODIFIED) /* from the one parse above */
        st = digest_of_message(&m, payload, err);
    kt_http_message_free(&m);
    if (st != KT_OK)
        return kt_err_prefix(err, "%s", f->target_uri);
    char resp_id[KT_WARC_ID_SIZE], req_id[KT_WARC_ID_SIZE] = "", date[KT_WARC_DATE_SIZE];
    if ((st = kt_warc_new_record_id(resp_id, err)) != KT_OK)
        return st;
    if (f->request && (st = kt_warc_new_record_id(req_id, err)) != KT_OK)
        return st;
    kt_warc_format_date(f->date_us ? f->date_us : kt_wall_us(), date);
    struct fetch_ctx c = {.f = f,
                          .date = date,
                          .resp_id = resp_id,
                          .req_id = req_id,
                          .payload_digest = payload[0] ? payload : NULL,
                          .block_len =
                              f->kind == KT_WARC_EXCHANGE_IDENTICAL ? head_len : f->response_len};
    uint64_t off = 0, len = 0;
    st = write_members(w, build_fetch, &c, &off, &len, err);
    if (st != KT_OK)
        return st;
    if (f->request)
        w->records_in_file++;
    if (res) {
        memset(res, 0, sizeof *res);
        fill_location(&res->record, w, off, c.resp_member_len, resp_id, date);
        snprintf(res->request_id, sizeof res->request_id, "%s", req_id);
        snprintf(res->payload_digest, sizeof res->payload_digest, "%s", payload);
        memcpy(res->block_digest, c.block_digest, sizeof res->block_digest);
        res->http_status = status;
        res->bytes = len;
    }
    return KT_OK;
}
