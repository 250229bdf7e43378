/* http_message.c - parse raw HTTP/1.x messages: start line, header fields, de-chunking and
#define _GNU_SOURCE
 * content decoding of the body, all bounded. */
#include "corpus/http_message.h"

#include <zlib.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Finds the end of the head: offset just after CRLFCRLF (or LFLF); 0 if not found. */
static size_t find_head_end(const char *p, size_t len)
{
    size_t lim = len < KT_HTTP_MAX_HEAD ? len : KT_HTTP_MAX_HEAD;
    for (size_t i = 0; i < lim; i++) {
        if (p[i] != '\n')
            continue;
        if (i + 1 < len && p[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Appends [s, s+n) trimmed of surrounding whitespace to *w. */
static void put_trimmed(char **w, const char *s, size_t n)
{
    while (n && is_ows(*s)) {
        s++;
        n--;
    }
    while (n && (is_ows(s[n - 1]) || s[n - 1] == '\r'))
        n--;
    memcpy(*w, s, n);
    *w += n;
}

static kt_status parse_start_line(struct kt_http_message *m, const char *line, size_t n, char **w,
                                  struct kt_err *err)
{
    if (m->kind == KT_HTTP_RESPONSE) {
        /* HTTP/1.1 200 OK | HTTP/2 200 */
        if (n < 8 || memcmp(line, "HTTP/", 5) != 0)
            return kt_err_set(err, KT_EPARSE,
                              "HTTP response: status line does not start with "
                              "HTTP/");
        size_t i = 5;
        if (!isdigit((unsigned char)line[i]))
            return kt_err_set(err, KT_EPARSE, "HTTP response: bad version in status line");
        m->version_major = line[i] - '0';
        i++;
        if (i < n && line[i] == '.') {
            i++;
            if (i >= n || !isdigit((unsigned char)line[i]))
                return kt_err_set(err, KT_EPARSE, "HTTP response: bad version in status line");
            m->version_minor = line[i] - '0';
            i++;
        }
        if (i >= n || line[i] != ' ')
            return kt_err_set(err, KT_EPARSE, "HTTP response: bad status line");
        while (i < n && line[i] == ' ')
            i++;
        if (i + 3 > n || !isdigit((unsigned char)line[i]) || !isdigit((unsigned char)line[i + 1]) ||
            !isdigit((unsigned char)line[i + 2]) || (i + 3 < n && line[i + 3] != ' '))
            return kt_err_set(err, KT_EPARSE, "HTTP response: bad status code");
        m->status = (line[i] - '0') * 100 + (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
        if (m->status < 100)
            return kt_err_set(err, KT_EPARSE, "HTTP response: bad status code %d", m->status);
        i += 3;
        m->reason = *w;
        if (i < n)
            put_trimmed(w, line + i, n - i);
        *(*w)++ = '\0';
        return KT_OK;
    }
    /* METHOD SP target SP HTTP/x.y */
    const char *sp1 = memchr(line, ' ', n);
    if (!sp1 || sp1 == line)
        return kt_err_set(err, KT_EPARSE, "HTTP request: bad request line");
    const char *rest = sp1 + 1;
    size_t rn = n - (size_t)(rest - line);
    const char *sp2 = memchr(rest, ' ', rn);
    if (!sp2 || sp2 == rest)
        return kt_err_set(err, KT_EPARSE, "HTTP request: bad request line");
    const char *ver = sp2 + 1;
    size_t vn = n - (size_t)(ver - line);
    while (vn && (ver[vn - 1] == '\r' || is_ows(ver[vn - 1])))
        vn--;
    if (vn < 8 || memcmp(ver, "HTTP/", 5) != 0 || !isdigit((unsigned char)ver[5]))
        return kt_err_set(err, KT_EPARSE, "HTTP request: bad version in request line");
    m->version_major = ver[5] - '0';
    m->version_minor =
        (vn >= 8 && ver[6] == '.' && isdigit((unsigned char)ver[7])) ? ver[7] - '0' : 0;
    m->method = *w;
    memcpy(*w, line, (size_t)(sp1 - line));
    *w += sp1 - line;
    *(*w)++ = '\0';
    m->target = *w;
    memcpy(*w, rest, (size_t)(sp2 - rest));
    *w += sp2 - rest;
    *(*w)++ = '\0';
    return KT_OK;
}

kt_status kt_http_parse(const void *data, size_t len, enum kt_http_kind kind,
                        struct kt_http_message *msg, struct kt_err *err)
{
    memset(msg, 0, sizeof *msg);
    const char *p = data;
    const char *what = kind == KT_HTTP_RESPONSE ? "HTTP response" : "HTTP request";
    if (!p || len == 0)
        return kt_err_set(err, KT_EPARSE, "%s: empty", what);
    size_t head = find_head_end(p, len);
    if (head == 0)
        return kt_err_set(err, KT_EPARSE,
                          "%s: incomplete or oversized head (no blank line "
                          "within %u bytes)",
                          what, KT_HTTP_MAX_HEAD);
    struct kt_http_message m = {0};
    m.kind = kind;
    m.storage_ = malloc(head + 16);
    size_t nlines = 0;
    for (size_t i = 0; i < head; i++)
        nlines += p[i] == '\n';
    size_t max_fields = nlines < KT_HTTP_MAX_FIELDS ? nlines : KT_HTTP_MAX_FIELDS;
    m.fields = calloc(max_fields + 1, sizeof *m.fields);
    if (!m.storage_ || !m.fields) {
        free(m.storage_);
        free(m.fields);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", what);
    }
    char *w = m.storage_;
    size_t pos = 0;
    bool first = true;
    bool open_field = false;
    kt_status st = KT_OK;
    while (pos < head) {
        const char *nl = memchr(p + pos, '\n', head - pos);
        size_t end = nl ? (size_t)(nl - p) : head;
        const char *line = p + pos;
        size_t n = end - pos;
        if (n && line[n - 1] == '\r')
            n--;
        pos = end + 1;
        if (first) {
            st = parse_start_line(&m, line, n, &w, err);
            if (st != KT_OK)
                goto fail;
            first = false;
            continue;
        }
        if (n == 0)
            break; /* the blank line */
        if (is_ows(line[0])) {
            if (open_field) { /* obsolete folding: join with one space */
                *w++ = ' ';
                put_trimmed(&w, line, n);
            }
            continue;
        }
        if (open_field) {
            *w++ = '\0';
            open_field = false;
        }
        const char *colon = memchr(line, ':', n);
        if (!colon || colon == line)
            continue; /* not a field: tolerated and ignored, as browsers do */
        if (m.n_fields >= max_fields) {
            st = kt_err_set(err, KT_EPARSE, "%s: more than %u header fields", what,
                            KT_HTTP_MAX_FIELDS);
            goto fail;
        }
        struct kt_http_field *f = &m.fields[m.n_fields++];
        f->name = w;
        size_t nn = (size_t)(colon - line);
        while (nn && is_ows(line[nn - 1]))
            nn--;
        memcpy(w, line, nn);
        w += nn;
        *w++ = '\0';
        f->value = w;
        put_trimmed(&w, colon + 1, n - (size_t)(colon + 1 - line));
        open_field = true;
    }
    if (open_field)
        *w++ = '\0';
    m.head_len = head;
    m.body = p + head;
    m.body_len = len - head;
    const char *te = kt_http_field_get(&m, "Transfer-Encoding");
    if (te) {
        size_t tn = strlen(te);
        while (tn && (is_ows(te[tn - 1]) || te[tn - 1] == ','))
            tn--;
        m.chunked = tn >= 7 && strncasecmp(te + tn - 7, "chunked", 7) == 0;
    }
    *msg = m;
    return KT_OK;
fail:
    free(m.storage_);
    free(m.fields);
    return st;
}

void kt_http_message_free(struct kt_http_message *msg)
{
    if (!msg)
        return;
    free(msg->storage_);
    free(msg->fields);
    memset(msg, 0, sizeof *msg);
}

const char *kt_http_field_get(const struct kt_http_message *msg, const char *name)
{
    for (size_t i = 0; i < msg->n_fields; i++)
        if (strcasecmp(msg->fields[i].name, name) == 0)
            return msg->fields[i].value;
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

kt_status kt_http_dechunk(const void *data, size_t len, size_t max_len, struct kt_buf *out,
                          size_t *consumed, bool *complete, struct kt_err *err)
{
    const char *p = data;
    size_t pos = 0, total = 0;
    bool done = false;
    while (pos < len) {
        const char *nl = memchr(p + pos, '\n', len - pos);
        if (!nl)
            break; /* size line cut off */
        size_t line_end = (size_t)(nl - p);
        size_t i = pos;
        while (i < line_end && is_ows(p[i]))
            i++;
        uint64_t size = 0;
        int digits = 0;
        while (i < line_end && hexval(p[i]) >= 0) {
            if (digits >= 15)
                return kt_err_set(err, KT_EPARSE,
                                  "chunked body: chunk size too large at byte "
                                  "%zu",
                                  pos);
            size = size * 16 + (uint64_t)hexval(p[i]);
            digits++;
            i++;
        }
        while (i < line_end && is_ows(p[i]))
            i++;
        if (digits == 0 || (i < line_end && p[i] != ';' && p[i] != '\r'))
            return kt_err_set(err, KT_EPARSE, "chunked body: bad chunk size line at byte %zu", pos);
        pos = line_end + 1;
        if (size == 0) {
            /* trailers up to and including the empty line */
            while (pos < len) {
                const char *tl = memchr(p + pos, '\n', len - pos);
                if (!tl) {
                    pos = len;
                    break;
                }
                size_t te = (size_t)(tl - p);
                bool empty = te == pos || (te == pos + 1 && p[pos] == '\r');
                pos = te + 1;
                if (empty)
                    break;
            }
            done = true;
            break;
        }
        size_t avail = len - pos;
        size_t take = size < avail ? (size_t)size : avail;
        if (max_len && (take > max_len || total > max_len - take))
            return kt_err_set(err, KT_ETOOBIG, "chunked body: payload larger than %zu bytes",
                              max_len);
        if (kt_buf_append(out, p + pos, take) != KT_OK)
            return kt_err_set(err, KT_ENOMEM, "chunked body: out of memory");
        total += take;
        pos += take;
        if (take < size)
            break; /* data cut off */
        /* CRLF after the data */
        if (pos < len && p[pos] == '\r')
            pos++;
        if (pos < len && p[pos] == '\n')
            pos++;
    }
    if (consumed)
        *consumed = pos;
    if (complete)
        *complete = done;
    return KT_OK;
}

kt_status kt_http_payload(const struct kt_http_message *msg, size_t max_len, struct kt_buf *out,
                          bool *complete, struct kt_err *err)
{
    if (msg->chunked)
        return kt_http_dechunk(msg->body, msg->body_len, max_len, out, NULL, complete, err);
    if (complete)
        *complete = true;
    if (max_len && msg->body_len > max_len)
        return kt_err_set(err, KT_ETOOBIG, "HTTP body larger than %zu bytes", max_len);
    if (kt_buf_append(out, msg->body, msg->body_len) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "HTTP body: out of memory");
    return KT_OK;
}

/* Inflates (in, n) with the given zlib windowBits into out, bounded by max_len. */
static kt_status inflate_into(const unsigned char *in, size_t n, int window_bits, size_t max_len,
                              struct kt_buf *out, struct kt_err *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, window_bits) != Z_OK)
        return kt_err_set(err, KT_ENOMEM, "content decoding: inflateInit failed");
    size_t start = out->len;
    kt_status st = KT_OK;
    z.next_in = (unsigned char *)in;
    size_t left = n;
    for (;;) {
        if (z.avail_in == 0 && left) {
            z.avail_in = left > (1u << 30) ? (1u << 30) : (unsigned)left;
            left -= z.avail_in;
        }
        if (kt_buf_reserve(out, 65536) != KT_OK) {
            st = kt_err_set(err, KT_ENOMEM, "content decoding: out of memory");
            break;
        }
        z.next_out = (unsigned char *)out->data + out->len;
        z.avail_out = 65536;
        int rc = inflate(&z, Z_NO_FLUSH);
        out->len += 65536 - z.avail_out;
        out->data[out->len] = '\0';
        if (max_len && out->len - start > max_len) {
            st = kt_err_set(err, KT_ETOOBIG,
                            "content decoding: decoded body larger than %zu "
                            "bytes",
                            max_len);
            break;
        }
        if (rc == Z_STREAM_END) {
            /* concatenated gzip members: go on with the next one */
            if (z.avail_in == 0 && left == 0)
                break;
            if (window_bits >= 16 + 15 && z.avail_in >= 2 && z.next_in[0] == 0x1f &&
                z.next_in[1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            break; /* trailing garbage after the stream is ignored */
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0)
            break; /* truncated stream: keep what was decoded */
        if (rc != Z_OK) {
            st = kt_err_set(err, KT_EPARSE, "content decoding: corrupt compressed data (%s)",
                            z.msg ? z.msg : "zlib error");
            break;
        }
    }
    inflateEnd(&z);
    if (st != KT_OK) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return st;
}

kt_status kt_http_content(const struct kt_http_message *msg, size_t max_len, struct kt_buf *out,
                          struct kt_err *err)
{
    struct kt_buf payload = {0};
    kt_status st = kt_http_payload(msg, 0, &payload, NULL, err);
    if (st != KT_OK) {
        kt_buf_free(&payload);
        return st;
    }
    const char *ce = kt_http_field_get(msg, "Content-Encoding");
    /* Collect the encodings (applied in order), decode in reverse. */
    char encs[8][16];
    int n_enc = 0;
    if (ce) {
        const char *s = ce;
        while (*s) {
            while (*s == ' ' || *s == '\t' || *s == ',')
                s++;
            const char *e = s;
            while (*e && *e != ',' && *e != ' ' && *e != '\t')
                e++;
            size_t n = (size_t)(e - s);
            if (n) {
                if (n_enc == 8 || n >= sizeof encs[0]) {
                    kt_buf_free(&payload);
                    return kt_err_set(err, KT_EINVAL, "unsupported Content-Encoding \"%.64s\"", ce);
                }
                for (size_t k = 0; k < n; k++)
                    encs[n_enc][k] = (char)tolower((unsigned char)s[k]);
                encs[n_enc][n] = '\0';
                if (strcmp(encs[n_enc], "identity") != 0)
                    n_enc++;
            }
            s = e;
        }
    }
    for (int i = 0; i < n_enc; i++)
        if (strcmp(encs[i], "gzip") && strcmp(encs[i], "x-gzip") && strcmp(encs[i], "deflate")) {
            kt_buf_free(&payload);
            return kt_err_set(err, KT_EINVAL, "unsupported Content-Encoding \"%s\"", encs[i]);
        }
    struct kt_buf cur = payload;
    for (int i = n_enc - 1; i >= 0; i--) {
        struct kt_buf next = {0};
        if (strcmp(encs[i], "deflate") == 0) {
            /* RFC 9110 deflate is zlib-wrapped; some servers send raw deflate */
            st = inflate_into((unsigned char *)cur.data, cur.len, 15, max_len, &next, err);
            if (st == KT_EPARSE) {
                kt_buf_free(&next);
                st = inflate_into((unsigned char *)cur.data, cur.len, -15, max_len, &next, err);
            }
        } else {
            st = inflate_into((unsigned char *)cur.data, cur.len, 16 + 15, max_len, &next, err);
        }
        kt_buf_free(&cur);
        if (st != KT_OK) {
            kt_buf_free(&next);
            return st;
        }
        cur = next;
    }
    if (max_len && cur.len > max_len) {
        kt_buf_free(&cur);
        return kt_err_set(err, KT_ETOOBIG, "HTTP body larger than %zu bytes", max_len);
    }
    st = kt_buf_append(out, cur.data, cur.len) == KT_OK
             ? KT_OK
             : kt_err_set(err, KT_ENOMEM, "content decoding: out of memory");
    kt_buf_free(&cur);
    return st;
}

void kt_http_content_type(const struct kt_http_message *msg, char *out, size_t out_size,
                          char *charset, size_t charset_size)
{
    if (out_size)
        out[0] = '\0';
    if (charset && charset_size)
        charset[0] = '\0';
    const char *ct = kt_http_field_get(msg, "Content-Type");
    if (!ct)
        return;
    size_t i = 0, o = 0;
    while (ct[i] && is_ows(ct[i]))
        i++;
    while (ct[i] && ct[i] != ';' && !is_ows(ct[i])) {
        if (o + 1 < out_size)
            out[o++] = (char)tolower((unsigned char)ct[i]);
        i++;
    }
    if (out_size)
        out[o] = '\0';
    if (!charset || !charset_size)
        return;
    const char *p = ct + i;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (is_ows(*p))
            p++;
        if (strncasecmp(p, "charset", 7) == 0) {
            const char *v = p + 7;
            while (is_ows(*v))
                v++;
            if (*v != '=')
                continue;
            v++;
            while (is_ows(*v))
                v++;
            if (*v == '"')
                v++;
            size_t c = 0;
            while (*v && *v != '"' && *v != ';' && !is_ows(*v)) {
                if (c + 1 < charset_size)
                    charset[c++] = (char)tolower((unsigned char)*v);
                v++;
            }
            charset[c] = '\0';
            return;
        }
    }
}
