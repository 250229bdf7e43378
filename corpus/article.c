/* article.c - struct kt_article lifetime and its JSON form (jansson). */
#define _GNU_SOURCE
#include "corpus/article.h"

#include <jansson.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kt_article_init(struct kt_article *a)
{
    memset(a, 0, sizeof *a);
    a->warc_offset = -1;
}

void kt_article_free(struct kt_article *a)
{
    if (!a)
        return;
    char **strs[] = {&a->id,   &a->url,    &a->site,     &a->title, &a->lead,
                     &a->text, &a->date,   &a->author,   &a->photo, &a->source_attribution,
                     &a->lang, &a->dup_of, &a->warc_file};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    for (size_t i = 0; i < a->n_captions; i++)
        free(a->captions[i]);
    free(a->captions);
    kt_article_init(a);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* A JSON string for s (invalid UTF-8 bytes become U+FFFD), or json null for NULL. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    bool valid = true;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(u + i, n - i);
        if (!k) {
            valid = false;
            break;
        }
        i += k;
    }
    if (valid)
        return json_stringn(s, n);
    struct kt_buf b = {0};
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(u + i, n - i);
        if (k) {
            if (kt_buf_append(&b, s + i, k) != KT_OK)
                break;
            i += k;
        } else {
            if (kt_buf_append(&b, "\xef\xbf\xbd", 3) != KT_OK)
                break;
            i++;
        }
    }
    json_t *j = b.data ? json_stringn(b.data, b.len) : NULL;
    kt_buf_free(&b);
    return j;
}

kt_status kt_article_to_json(const struct kt_article *a, struct kt_buf *out, struct kt_err *err)
{
    json_t *o = json_object();
    if (!o)
        return kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
    bool ok = true;
    const struct {
        const char *name;
        const char *value;
    } strs[] = {{"id", a->id},       {"url", a->url},
                {"site", a->site},   {"title", a->title},
                {"lead", a->lead},   {"text", a->text},
                {"date", a->date},   {"author", a->author},
                {"photo", a->photo}, {"source_attribution", a->source_attribution}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        ok = ok && json_object_set_new(o, strs[i].name, jstr(strs[i].value)) == 0;
    json_t *caps = json_array();
    ok = ok && caps;
    for (size_t i = 0; ok && i < a->n_captions; i++)
        ok = json_array_append_new(caps, jstr(a->captions[i])) == 0;
    ok = ok && json_object_set_new(o, "captions", caps) == 0;
    char simhash[17];
    snprintf(simhash, sizeof simhash, "%016" PRIx64, a->simhash);
    ok = ok && json_object_set_new(o, "lang", jstr(a->lang)) == 0;
    ok = ok && json_object_set_new(o, "content_sha1",
                                   a->content_sha1[0] ? jstr(a->content_sha1) : json_null()) == 0;
    ok = ok && json_object_set_new(o, "simhash", json_string(simhash)) == 0;
    ok = ok && json_object_set_new(o, "dup_of", jstr(a->dup_of)) == 0;
    ok = ok && json_object_set_new(o, "warc_file", jstr(a->warc_file)) == 0;
    ok = ok && json_object_set_new(o, "warc_offset", json_integer(a->warc_offset)) == 0;
    ok = ok && json_object_set_new(o, "fetched_at", json_integer(a->fetched_at)) == 0;
    char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text)
        return kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
    kt_status st = kt_buf_append_cstr(out, text) == KT_OK
                       ? KT_OK
                       : kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
    free(text);
    return st;
}

/* Copies an optional string member into *dst. */
static kt_status get_str(json_t *o, const char *name, char **dst, struct kt_err *err)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v))
        return KT_OK;
    if (!json_is_string(v))
        return kt_err_set(err, KT_EPARSE, "article JSON: \"%s\" is not a string", name);
    char *c = strndup(json_string_value(v), json_string_length(v));
    if (!c)
        return kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
    free(*dst);
    *dst = c;
    return KT_OK;
}

static kt_status get_int(json_t *o, const char *name, int64_t *dst, struct kt_err *err)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v))
        return KT_OK;
    if (!json_is_integer(v))
        return kt_err_set(err, KT_EPARSE, "article JSON: \"%s\" is not an integer", name);
    *dst = (int64_t)json_integer_value(v);
    return KT_OK;
}

kt_status kt_article_from_json(const char *json, size_t len, struct kt_article *a,
                               struct kt_err *err)
{
    json_error_t je;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!o)
        return kt_err_set(err, KT_EPARSE, "article JSON: line %d column %d: %s", je.line, je.column,
                          je.text);
    kt_status st = KT_OK;
    if (!json_is_object(o)) {
        st = kt_err_set(err, KT_EPARSE, "article JSON: not an object");
        goto done;
    }
    struct {
        const char *name;
        char **dst;
    } strs[] = {{"id", &a->id},
                {"url", &a->url},
                {"site", &a->site},
                {"title", &a->title},
                {"lead", &a->lead},
                {"text", &a->text},
                {"date", &a->date},
                {"author", &a->author},
                {"photo", &a->photo},
                {"source_attribution", &a->source_attribution},
                {"lang", &a->lang},
                {"dup_of", &a->dup_of},
                {"warc_file", &a->warc_file}};
    for (size_t i = 0; st == KT_OK && i < sizeof strs / sizeof strs[0]; i++)
        st = get_str(o, strs[i].name, strs[i].dst, err);
    if (st == KT_OK)
        st = get_int(o, "warc_offset", &a->warc_offset, err);
    if (st == KT_OK)
        st = get_int(o, "fetched_at", &a->fetched_at, err);
    if (st != KT_OK)
        goto done;
    json_t *sha = json_object_get(o, "content_sha1");
    if (sha && !json_is_null(sha)) {
        const char *s = json_string_value(sha);
        size_t n = s ? strlen(s) : 0;
        bool hex = s && (n == 0 || n == 40);
        for (size_t i = 0; hex && i < n; i++)
            hex = isxdigit((unsigned char)s[i]) != 0;
        if (!hex) {
            st = kt_err_set(err, KT_EPARSE, "article JSON: \"content_sha1\" is not 40 hex digits");
            goto done;
        }
        memcpy(a->content_sha1, s, n + 1);
    }
    json_t *sh = json_object_get(o, "simhash");
    if (sh && json_is_string(sh)) {
        const char *s = json_string_value(sh);
        char *end = NULL;
        size_t n = strlen(s);
        unsigned long long v = n && n <= 16 ? strtoull(s, &end, 16) : 0;
        if (!n || n > 16 || !end || *end || !isxdigit((unsigned char)s[0])) {
            st = kt_err_set(err, KT_EPARSE,
                            "article JSON: \"simhash\" is not a 16-digit hex "
                            "string");
            goto done;
        }
        a->simhash = (uint64_t)v;
    } else if (sh && json_is_integer(sh)) {
        a->simhash = (uint64_t)json_integer_value(sh);
    } else if (sh && !json_is_null(sh)) {
        st = kt_err_set(err, KT_EPARSE, "article JSON: \"simhash\" is not a hex string");
        goto done;
    }
    json_t *caps = json_object_get(o, "captions");
    if (caps && !json_is_null(caps)) {
        if (!json_is_array(caps)) {
            st = kt_err_set(err, KT_EPARSE, "article JSON: \"captions\" is not an array");
            goto done;
        }
        size_t n = json_array_size(caps);
        for (size_t i = 0; i < a->n_captions; i++)
            free(a->captions[i]);
        free(a->captions);
        a->captions = NULL;
        a->n_captions = 0;
        if (n) {
            a->captions = calloc(n, sizeof *a->captions);
            if (!a->captions) {
                st = kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
                goto done;
            }
        }
        for (size_t i = 0; i < n; i++) {
            json_t *c = json_array_get(caps, i);
            if (!json_is_string(c)) {
                st = kt_err_set(err, KT_EPARSE, "article JSON: caption %zu is not a string", i);
                goto done;
            }
            if (!(a->captions[i] = strndup(json_string_value(c), json_string_length(c)))) {
                st = kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
                goto done;
            }
            a->n_captions = i + 1;
        }
    }
    if (!a->id && !a->url) {
        st = kt_err_set(err, KT_EPARSE, "article JSON: neither \"id\" nor \"url\" given");
        goto done;
    }
    if (!a->id && !(a->id = strdup(a->url)))
        st = kt_err_set(err, KT_ENOMEM, "article JSON: out of memory");
done:
    json_decref(o);
    return st;
}
