/* warc_reader.c - iterate WARC records of .warc.gz (any number of gzip members) or plain .warc
 * files with bounded memory, verify their digests, read one record by offset, repair torn tails. */
#define _GNU_SOURCE
#include "corpus/warc_reader.h"
#include "corpus/http_message.h"

#include <zlib.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define IN_SIZE   (64u * 1024u)
#define OUT_CHUNK (64u * 1024u)

struct kt_warc_reader {
    char *name;
    size_t max_block;
    int fd;                   /* -1 for memory input */
    const unsigned char *mem; /* memory input */
    size_t mem_len;
    unsigned char *in; /* file input buffer (IN_SIZE) */
    uint64_t raw_pos;  /* offset of the byte after the last one handed to zlib/plain */
    bool raw_eof;
    bool gz;
    bool started;
    z_stream z;
    bool z_init;
    bool z_active;         /* inside a gzip member */
    uint64_t member_start; /* offset of the member being inflated */
    uint64_t member_end;   /* offset after the last finished member */
    unsigned char *out;    /* decompressed bytes not yet consumed: out[o_start..o_end) */
    size_t o_start, o_end, o_cap;
    uint64_t buf_offset; /* record offset to report for the byte at o_start */
    uint64_t good_end;
};

/* ---------------- input ---------------- */

/* Makes raw input available in z.next_in/avail_in. Returns bytes available, 0 at end. */
static kt_status raw_more(struct kt_warc_reader *r, struct kt_err *err)
{
    if (r->z.avail_in || r->raw_eof)
        return KT_OK;
    if (r->fd < 0) {
        if (r->raw_pos >= r->mem_len) {
            r->raw_eof = true;
            return KT_OK;
        }
        size_t n = r->mem_len - (size_t)r->raw_pos;
        if (n > (1u << 30))
            n = 1u << 30;
        r->z.next_in = (unsigned char *)r->mem + r->raw_pos;
        r->z.avail_in = (uInt)n;
        r->raw_pos += n;
        return KT_OK;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->in, IN_SIZE);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return kt_err_set(err, KT_EIO, "%s: read: %s", r->name, strerror(errno));
        if (k == 0)
            r->raw_eof = true;
        r->z.next_in = r->in;
        r->z.avail_in = (uInt)k;
        r->raw_pos += (uint64_t)k;
        return KT_OK;
    }
}

/* Offset in the file of the next raw byte not yet consumed. */
static uint64_t raw_offset(const struct kt_warc_reader *r)
{
    return r->raw_pos - r->z.avail_in;
}

static kt_status out_reserve(struct kt_warc_reader *r, size_t extra, struct kt_err *err)
{
    if (r->o_start > 0 && (r->o_start == r->o_end || r->o_start > r->o_cap / 2)) {
        memmove(r->out, r->out + r->o_start, r->o_end - r->o_start);
        r->o_end -= r->o_start;
        r->o_start = 0;
    }
    if (r->o_cap - r->o_end >= extra + 1)
        return KT_OK;
    size_t cap = r->o_cap ? r->o_cap : OUT_CHUNK * 2;
    while (cap - r->o_end < extra + 1)
        cap *= 2;
    unsigned char *p = realloc(r->out, cap);
    if (!p)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", r->name);
    r->out = p;
    r->o_cap = cap;
    return KT_OK;
}

static size_t avail(const struct kt_warc_reader *r)
{
    return r->o_end - r->o_start;
}

static void consume(struct kt_warc_reader *r, size_t n)
{
    r->o_start += n;
    if (!r->gz)
        r->buf_offset += n; /* plain files: the offset of the byte at o_start */
}

/* Adds decompressed bytes to the out buffer. *produced = 0 with *eof at a clean end of input
 * (between members). A member cut short gives KT_ECORRUPT "truncated". */
static kt_status fill(struct kt_warc_reader *r, size_t *produced, bool *eof, struct kt_err *err)
{
    *produced = 0;
    *eof = false;
    kt_status st = out_reserve(r, OUT_CHUNK, err);
    if (st != KT_OK)
        return st;
    bool was_empty = avail(r) == 0;
    if (!r->gz) {
        if ((st = raw_more(r, err)) != KT_OK)
            return st;
        if (r->z.avail_in == 0) {
            *eof = true;
            return KT_OK;
        }
        if (was_empty)
            r->buf_offset = raw_offset(r);
        size_t n = r->z.avail_in < OUT_CHUNK ? r->z.avail_in : OUT_CHUNK;
        memcpy(r->out + r->o_end, r->z.next_in, n);
        r->z.next_in += n;
        r->z.avail_in -= (uInt)n;
        r->o_end += n;
        *produced = n;
        return KT_OK;
    }
    if (!r->z_active) {
        if ((st = raw_more(r, err)) != KT_OK)
            return st;
        if (r->z.avail_in == 0) {
            *eof = true;
            return KT_OK;
        }
        r->member_start = raw_offset(r);
        if (inflateReset2(&r->z, 16 + 15) != Z_OK)
            return kt_err_set(err, KT_EOTHER, "%s: inflateReset failed", r->name);
        r->z_active = true;
        if (was_empty)
            r->buf_offset = r->member_start;
    }
    for (;;) {
        if ((st = raw_more(r, err)) != KT_OK)
            return st;
        if (r->z.avail_in == 0)
            return kt_err_set(err, KT_ECORRUPT,
                              "%s: offset %llu: truncated gzip member (file ends inside it)",
                              r->name, (unsigned long long)r->member_start);
        r->z.next_out = r->out + r->o_end;
        r->z.avail_out = OUT_CHUNK;
        int rc = inflate(&r->z, Z_NO_FLUSH);
        size_t n = OUT_CHUNK - r->z.avail_out;
        r->o_end += n;
        *produced += n;
        if (rc == Z_STREAM_END) {
            r->z_active = false;
            r->member_end = raw_offset(r);
            return KT_OK;
        }
        if (rc == Z_BUF_ERROR && r->z.avail_in == 0)
            continue; /* needs more input */
        if (rc != Z_OK)
            return kt_err_set(err, KT_ECORRUPT, "%s: offset %llu: bad gzip data (%s)", r->name,
                              (unsigned long long)r->member_start,
                              r->z.msg ? r->z.msg : "zlib error");
        if (n)
            return KT_OK;
    }
}

/* Ensures at least n bytes are buffered; *short_eof when the input ended first. */
static kt_status need(struct kt_warc_reader *r, size_t n, bool *short_eof, struct kt_err *err)
{
    *short_eof = false;
    while (avail(r) < n) {
        size_t got;
        bool eof;
        kt_status st = fill(r, &got, &eof, err);
        if (st != KT_OK)
            return st;
        if (eof) {
            *short_eof = true;
            return KT_OK;
        }
    }
    return KT_OK;
}

/* ---------------- open/close ---------------- */

static kt_status reader_new(const char *name, const struct kt_warc_reader_opts *opts,
                            struct kt_warc_reader **out, struct kt_err *err)
{
    struct kt_warc_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(name ? name : "(memory)"))) {
        free(r);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name ? name : "WARC");
    }
    r->fd = -1;
    r->max_block = opts && opts->max_block ? opts->max_block : KT_WARC_DEFAULT_MAX_BLOCK;
    if (inflateInit2(&r->z, 16 + 15) != Z_OK) {
        free(r->name);
        free(r);
        return kt_err_set(err, KT_ENOMEM, "%s: inflateInit failed", name);
    }
    r->z_init = true;
    r->z.avail_in = 0;
    *out = r;
    return KT_OK;
}

kt_status kt_warc_reader_open(const char *path, const struct kt_warc_reader_opts *opts,
                              struct kt_warc_reader **out, struct kt_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kt_err_set(err, errno == ENOENT ? KT_ENOTFOUND : KT_EIO, "%s: %s", path,
                          strerror(errno));
    struct kt_warc_reader *r;
    kt_status st = reader_new(path, opts, &r, err);
    if (st == KT_OK && !(r->in = malloc(IN_SIZE))) {
        kt_warc_reader_close(r);
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    }
    if (st != KT_OK) {
        close(fd);
        return st;
    }
    r->fd = fd;
    *out = r;
    return KT_OK;
}

kt_status kt_warc_reader_open_mem(const void *data, size_t len, const char *name,
                                  const struct kt_warc_reader_opts *opts,
                                  struct kt_warc_reader **out, struct kt_err *err)
{
    *out = NULL;
    struct kt_warc_reader *r;
    kt_status st = reader_new(name, opts, &r, err);
    if (st != KT_OK)
        return st;
    r->mem = data;
    r->mem_len = data ? len : 0;
    *out = r;
    return KT_OK;
}

void kt_warc_reader_close(struct kt_warc_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->z_init)
        inflateEnd(&r->z);
    free(r->in);
    free(r->out);
    free(r->name);
    free(r);
}

uint64_t kt_warc_reader_good_end(const struct kt_warc_reader *r)
{
    return r->good_end;
}

/* Detects gzip vs plain from the first bytes. */
static kt_status detect(struct kt_warc_reader *r, struct kt_err *err)
{
    r->started = true;
    kt_status st = raw_more(r, err);
    if (st != KT_OK)
        return st;
    r->gz = r->z.avail_in >= 1 && r->z.next_in[0] == 0x1f;
    return KT_OK;
}

/* ---------------- records ---------------- */

void kt_warc_record_free(struct kt_warc_record *rec)
{
    if (!rec)
        return;
    free(rec->fields);
    free(rec->block);
    free(rec->storage_);
    memset(rec, 0, sizeof *rec);
}

const char *kt_warc_record_get(const struct kt_warc_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcasecmp(rec->fields[i].name, name) == 0)
            return rec->fields[i].value;
    return NULL;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* Parses the header block head[0..n) (ending with CRLFCRLF) into rec. */
static kt_status parse_head(struct kt_warc_reader *r, uint64_t offset, const char *head, size_t n,
                            struct kt_warc_record *rec, struct kt_err *err)
{
    size_t nlines = 0;
    for (size_t i = 0; i < n; i++)
        nlines += head[i] == '\n';
    rec->storage_ = malloc(n + 1);
    rec->fields = calloc(nlines + 1, sizeof *rec->fields);
    if (!rec->storage_ || !rec->fields)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", r->name);
    char *w = rec->storage_;
    size_t pos = 0;
    bool first = true, open_field = false;
    while (pos < n) {
        const char *nl = memchr(head + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - head) : n;
        const char *line = head + pos;
        size_t len = end - pos;
        if (len && line[len - 1] == '\r')
            len--;
        pos = end + 1;
        if (first) {
            first = false;
            if (len < 6 || len >= sizeof rec->version || memcmp(line, "WARC/", 5) != 0)
                return kt_err_set(err, KT_EPARSE, "%s: offset %llu: not a WARC record", r->name,
                                  (unsigned long long)offset);
            memcpy(rec->version, line, len);
            rec->version[len] = '\0';
            continue;
        }
        if (len == 0)
            break;
        if (is_ws(line[0]) && open_field) {
            size_t i = 0;
            while (i < len && is_ws(line[i]))
                i++;
            *w++ = ' ';
            memcpy(w, line + i, len - i);
            w += len - i;
            continue;
        }
        if (open_field) {
            while (w > rec->storage_ && is_ws(w[-1]))
                w--;
            *w++ = '\0';
            open_field = false;
        }
        const char *colon = memchr(line, ':', len);
        if (!colon || colon == line)
            return kt_err_set(err, KT_EPARSE, "%s: offset %llu: bad WARC header line \"%.40s\"",
                              r->name, (unsigned long long)offset, line);
        struct kt_warc_field *f = &rec->fields[rec->n_fields++];
        size_t nn = (size_t)(colon - line);
        while (nn && is_ws(line[nn - 1]))
            nn--;
        f->name = w;
        memcpy(w, line, nn);
        w += nn;
        *w++ = '\0';
        size_t i = (size_t)(colon + 1 - line);
        while (i < len && is_ws(line[i]))
            i++;
        f->value = w;
        memcpy(w, line + i, len - i);
        w += len - i;
        open_field = true;
    }
    if (open_field) {
        while (w > rec->storage_ && is_ws(w[-1]))
            w--;
        *w++ = '\0';
    }
    const char *cl = kt_warc_record_get(rec, "Content-Length");
    if (!cl || !*cl)
        return kt_err_set(err, KT_EPARSE, "%s: offset %llu: WARC record without Content-Length",
                          r->name, (unsigned long long)offset);
    uint64_t v = 0;
    for (const char *c = cl; *c; c++) {
        if (!isdigit((unsigned char)*c) || v > (UINT64_MAX - 9) / 10)
            return kt_err_set(err, KT_EPARSE, "%s: offset %llu: bad Content-Length \"%.30s\"",
                              r->name, (unsigned long long)offset, cl);
        v = v * 10 + (uint64_t)(*c - '0');
    }
    rec->content_length = v;
    const char *type = kt_warc_record_get(rec, "WARC-Type");
    rec->type = type ? type : "";
    rec->target_uri = kt_warc_record_get(rec, "WARC-Target-URI");
    return KT_OK;
}

static kt_status truncated(struct kt_warc_reader *r, uint64_t offset, const char *what,
                           struct kt_err *err)
{
    return kt_err_set(err, KT_ECORRUPT, "%s: offset %llu: truncated record (file ends inside %s)",
                      r->name, (unsigned long long)offset, what);
}

kt_status kt_warc_reader_next(struct kt_warc_reader *r, struct kt_warc_record *rec, bool *have,
                              struct kt_err *err)
{
    kt_warc_record_free(rec);
    *have = false;
    kt_status st;
    bool short_eof;
    if (!r->started && (st = detect(r, err)) != KT_OK)
        return st;
    /* tolerate stray line ends between records */
    for (;;) {
        if ((st = need(r, 1, &short_eof, err)) != KT_OK)
            return st;
        if (short_eof)
            return KT_OK; /* clean end */
        char c = (char)r->out[r->o_start];
        if (c != '\r' && c != '\n')
            break;
        consume(r, 1);
    }
    uint64_t offset = r->buf_offset;
    /* the header block */
    size_t head_len = 0;
    size_t scanned = 0;
    for (;;) {
        size_t a = avail(r);
        const unsigned char *p = r->out + r->o_start;
        for (size_t i = scanned; i + 3 < a; i++)
            if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') {
                head_len = i + 4;
                break;
            }
        if (head_len)
            break;
        scanned = a > 3 ? a - 3 : 0;
        if (a > KT_WARC_MAX_HEAD)
            return kt_err_set(err, KT_EPARSE, "%s: offset %llu: WARC header larger than %u bytes",
                              r->name, (unsigned long long)offset, KT_WARC_MAX_HEAD);
        if (a >= 5 && memcmp(p, "WARC/", 5) != 0)
            return kt_err_set(err, KT_EPARSE, "%s: offset %llu: not a WARC record", r->name,
                              (unsigned long long)offset);
        if ((st = need(r, a + 1, &short_eof, err)) != KT_OK)
            return st;
        if (short_eof)
            return truncated(r, offset, "the WARC header", err);
    }
    rec->offset = offset;
    st = parse_head(r, offset, (const char *)r->out + r->o_start, head_len, rec, err);
    if (st != KT_OK)
        return st;
    consume(r, head_len);

    /* the block: hashed entirely, kept up to max_block */
    size_t keep = rec->content_length > r->max_block ? r->max_block : (size_t)rec->content_length;
    rec->block_capped = rec->content_length > r->max_block;
    rec->block = malloc(keep + 1);
    if (!rec->block)
        return kt_err_set(err, KT_ENOMEM, "%s: offset %llu: out of memory for a %zu-byte block",
                          r->name, (unsigned long long)offset, keep);
    struct kt_sha1 sha;
    if ((st = kt_sha1_init(&sha, err)) != KT_OK)
        return st;
    uint64_t left = rec->content_length;
    while (left) {
        if (avail(r) == 0) {
            if ((st = need(r, 1, &short_eof, err)) != KT_OK) {
                kt_sha1_discard(&sha);
                return st;
            }
            if (short_eof) {
                kt_sha1_discard(&sha);
                return truncated(r, offset, "the record block", err);
            }
        }
        size_t take = avail(r) < left ? avail(r) : (size_t)left;
        const unsigned char *p = r->out + r->o_start;
        kt_sha1_update(&sha, p, take);
        if (rec->block_len < keep) {
            size_t k = keep - rec->block_len < take ? keep - rec->block_len : take;
            memcpy(rec->block + rec->block_len, p, k);
            rec->block_len += k;
        }
        consume(r, take);
        left -= take;
    }
    rec->block[rec->block_len] = '\0';
    kt_sha1_final(&sha, NULL, rec->block_digest);

    /* the record trailer */
    if ((st = need(r, 4, &short_eof, err)) != KT_OK)
        return st;
    if (short_eof)
        return truncated(r, offset, "the record end", err);
    if (memcmp(r->out + r->o_start, "\r\n\r\n", 4) != 0)
        return kt_err_set(err, KT_EPARSE,
                          "%s: offset %llu: record not followed by CRLF CRLF (Content-Length "
                          "wrong?)",
                          r->name, (unsigned long long)offset);
    consume(r, 4);
    if (!r->gz) {
        rec->end_offset = r->buf_offset;
        r->good_end = rec->end_offset;
    } else {
        /* finish the member if the record was its last content */
        if (avail(r) == 0 && r->z_active) {
            size_t got;
            bool eof;
            if ((st = fill(r, &got, &eof, err)) != KT_OK)
                return st;
        }
        if (avail(r) == 0 && !r->z_active) {
            rec->end_offset = r->member_end;
            r->good_end = r->member_end;
        } else {
            rec->end_offset = raw_offset(r);
        }
    }
    *have = true;
    return KT_OK;
}

kt_status kt_warc_read_at(const char *path, uint64_t offset, size_t max_block,
                          struct kt_warc_record *rec, struct kt_err *err)
{
    struct kt_warc_reader_opts o = {.max_block = max_block};
    struct kt_warc_reader *r;
    kt_status st = kt_warc_reader_open(path, &o, &r, err);
    if (st != KT_OK)
        return st;
    off_t size = lseek(r->fd, 0, SEEK_END);
    if (size < 0 || (uint64_t)size <= offset) {
        kt_warc_reader_close(r);
        kt_warc_record_free(rec);
        return kt_err_set(err, KT_ENOTFOUND, "%s: no record at offset %llu (file size %lld)", path,
                          (unsigned long long)offset, (long long)size);
    }
    if (lseek(r->fd, (off_t)offset, SEEK_SET) < 0) {
        kt_warc_reader_close(r);
        return kt_err_set(err, KT_EIO, "%s: seek: %s", path, strerror(errno));
    }
    r->raw_pos = offset;
    r->buf_offset = offset;
    bool have = false;
    st = kt_warc_reader_next(r, rec, &have, err);
    if (st == KT_OK && !have)
        st = kt_err_set(err, KT_ENOTFOUND, "%s: no record at offset %llu", path,
                        (unsigned long long)offset);
    kt_warc_reader_close(r);
    return st;
}

/* ---------------- verification ---------------- */

int kt_warc_record_http_status(const struct kt_warc_record *rec)
{
    if (!rec->block || rec->block_len < 12 || memcmp(rec->block, "HTTP/", 5) != 0)
        return 0;
    const char *sp = memchr(rec->block, ' ', rec->block_len < 16 ? rec->block_len : 16);
    if (!sp || (size_t)(sp - (const char *)rec->block) + 4 > rec->block_len)
        return 0;
    if (!isdigit((unsigned char)sp[1]) || !isdigit((unsigned char)sp[2]) ||
        !isdigit((unsigned char)sp[3]))
        return 0;
    return (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
}

static int b32val(char c)
{
    c = (char)toupper((unsigned char)c);
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

/* Decodes a digest value ("sha1:" + 32 base32 or 40 hex) into raw[20]. */
static bool digest_raw(const char *v, unsigned char raw[20], bool *other_algo)
{
    *other_algo = false;
    const char *colon = strchr(v, ':');
    if (!colon)
        return false;
    if ((size_t)(colon - v) != 4 || strncasecmp(v, "sha1", 4) != 0) {
        *other_algo = true;
        return false;
    }
    const char *d = colon + 1;
    size_t n = strlen(d);
    while (n && d[n - 1] == '=')
        n--;
    if (n == 40) {
        for (int i = 0; i < 20; i++) {
            char hx[3] = {d[2 * i], d[2 * i + 1], 0};
            if (!isxdigit((unsigned char)hx[0]) || !isxdigit((unsigned char)hx[1]))
                return false;
            raw[i] = (unsigned char)strtoul(hx, NULL, 16);
        }
        return true;
    }
    if (n != 32)
        return false;
    uint64_t acc = 0;
    int bits = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        int v5 = b32val(d[i]);
        if (v5 < 0)
            return false;
        acc = (acc << 5) | (uint64_t)v5;
        bits += 5;
        if (bits >= 8) {
            raw[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    return o == 20;
}

/* Compares a declared digest header with a computed "sha1:BASE32". */
static bool digest_matches(const char *declared, const char *computed, bool *unsupported)
{
    unsigned char a[20], b[20];
    bool other = false, dummy;
    if (!digest_raw(declared, a, &other)) {
        *unsupported = other;
        return false;
    }
    *unsupported = false;
    if (!digest_raw(computed, b, &dummy))
        return false;
    return memcmp(a, b, 20) == 0;
}

bool kt_warc_record_verify(const struct kt_warc_record *rec, char *problem, size_t problem_size)
{
    static const char *const mandatory[] = {"WARC-Type", "WARC-Record-ID", "WARC-Date",
                                            "Content-Length"};
    for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++)
        if (!kt_warc_record_get(rec, mandatory[i])) {
            snprintf(problem, problem_size, "missing mandatory header %s", mandatory[i]);
            return false;
        }
    const char *id = kt_warc_record_get(rec, "WARC-Record-ID");
    size_t idn = strlen(id);
    if (idn < 3 || id[0] != '<' || id[idn - 1] != '>') {
        snprintf(problem, problem_size, "WARC-Record-ID is not <uri>: %.80s", id);
        return false;
    }
    bool unsupported = false;
    const char *bd = kt_warc_record_get(rec, "WARC-Block-Digest");
    if (bd && !digest_matches(bd, rec->block_digest, &unsupported)) {
        snprintf(problem, problem_size, "%s WARC-Block-Digest %.60s (computed %s)",
                 unsupported ? "unsupported" : "wrong", bd, rec->block_digest);
        return false;
    }
    const char *pd = kt_warc_record_get(rec, "WARC-Payload-Digest");
    const char *ct = kt_warc_record_get(rec, "Content-Type");
    bool http_response = ct && strncasecmp(ct, "application/http", 16) == 0 &&
                         strcasestr(ct, "msgtype=response") != NULL;
    if (!pd || strcmp(rec->type, "response") != 0 || !http_response)
        return true; /* revisits hold no payload; other records: nothing to check */
    if (rec->block_capped || kt_warc_record_get(rec, "WARC-Truncated"))
        return true;
    struct kt_http_message m;
    struct kt_err e = {0};
    if (kt_http_parse(rec->block, rec->block_len, KT_HTTP_RESPONSE, &m, &e) != KT_OK) {
        snprintf(problem, problem_size, "block is not an HTTP response: %s", e.msg);
        return false;
    }
    struct kt_buf payload = {0};
    char computed[KT_WARC_DIGEST_SIZE] = "";
    kt_status st = kt_http_payload(&m, 0, &payload, NULL, &e);
    if (st == KT_OK)
        st = kt_warc_digest(payload.data ? payload.data : "", payload.len, computed, &e);
    kt_buf_free(&payload);
    kt_http_message_free(&m);
    if (st != KT_OK) {
        snprintf(problem, problem_size, "payload: %s", e.msg);
        return false;
    }
    if (!digest_matches(pd, computed, &unsupported)) {
        snprintf(problem, problem_size, "%s WARC-Payload-Digest %.60s (computed %s)",
                 unsupported ? "unsupported" : "wrong", pd, computed);
        return false;
    }
    return true;
}

/* ---------------- repair ---------------- */

/* Whether a complete record can be read at some offset in [from, size) (a sign that the damage
 * is not a torn tail). */
static bool later_record_exists(const char *path, int fd, uint64_t from, uint64_t size, bool gz)
{
    unsigned char buf[65536];
    uint64_t pos = from;
    while (pos < size) {
        ssize_t k = pread(fd, buf, sizeof buf, (off_t)pos);
        if (k <= 0)
            return false;
        for (ssize_t i = 0; i < k; i++) {
            bool cand;
            if (gz)
                cand = buf[i] == 0x1f && (i + 2 >= k || (buf[i + 1] == 0x8b && buf[i + 2] == 8));
            else
                cand = buf[i] == 'W' && (i + 5 >= k || memcmp(buf + i, "WARC/", 5) == 0);
            if (!cand)
                continue;
            struct kt_warc_record rec = {0};
            kt_status st = kt_warc_read_at(path, pos + (uint64_t)i, 1u << 20, &rec, NULL);
            kt_warc_record_free(&rec);
            if (st == KT_OK)
                return true;
        }
        if (k < 8)
            break;
        pos += (uint64_t)k - 4; /* overlap so a magic across the boundary is seen */
    }
    return false;
}

kt_status kt_warc_repair(const char *path, struct kt_warc_repair_report *rep, struct kt_err *err)
{
    struct kt_warc_repair_report local;
    if (!rep)
        rep = &local;
    memset(rep, 0, sizeof *rep);
    struct kt_warc_reader_opts o = {.max_block = 1u << 20};
    struct kt_warc_reader *r;
    kt_status st = kt_warc_reader_open(path, &o, &r, err);
    if (st != KT_OK)
        return st;
    struct stat sb;
    if (fstat(r->fd, &sb) != 0) {
        kt_warc_reader_close(r);
        return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
    }
    rep->old_size = rep->new_size = (uint64_t)sb.st_size;
    struct kt_warc_record rec = {0};
    struct kt_err why = {0};
    bool have = true;
    while ((st = kt_warc_reader_next(r, &rec, &have, &why)) == KT_OK && have)
        rep->records_kept++;
    kt_warc_record_free(&rec);
    uint64_t good = r->good_end;
    bool gz = r->gz;
    kt_warc_reader_close(r);
    if (st == KT_ENOMEM || st == KT_EIO) {
        *err = why;
        return st;
    }
    if (st == KT_OK && good == (uint64_t)sb.st_size)
        return KT_OK; /* intact */
    if (st == KT_OK)  /* e.g. a record ending inside a member: treat the rest as torn */
        snprintf(why.msg, sizeof why.msg, "%s: offset %llu: incomplete gzip member", path,
                 (unsigned long long)good);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
    if (later_record_exists(path, fd, good + 1, (uint64_t)sb.st_size, gz)) {
        close(fd);
        return kt_err_set(err, KT_ECORRUPT,
                          "%s: damaged at offset %llu but valid records follow; not cutting (%s)",
                          path, (unsigned long long)good, why.msg);
    }
    if (ftruncate(fd, (off_t)good) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        return kt_err_set(err, KT_EIO, "%s: truncate to %llu: %s", path, (unsigned long long)good,
                          strerror(e));
    }
    close(fd);
    rep->cut = true;
    rep->new_size = good;
    snprintf(rep->reason, sizeof rep->reason, "%s", why.msg);
    return KT_OK;
}
