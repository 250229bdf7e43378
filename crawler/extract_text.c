/* extract_text.c - kt_extract_text: the plain-text extractor for pages published as text (one
 * paragraph per line): the HTML extractor's boilerplate, caption, byline and date recognisers
 * applied line by line. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include "common/kt_text.h"
#include "crawler/dedup.h"

#include <stdlib.h>
#include <string.h>

struct tline {
    const char *s; /* trimmed */
    size_t len;
    size_t chars;
    bool indented; /* the raw line started with a space or U+00A0 */
    enum { TL_BODY, TL_DROP, TL_CAPTION } kind;
};

static bool doubled(const char *s, size_t len)
{
    if (len < 20)
        return false;
    if (len % 2 == 0 && memcmp(s, s + len / 2, len / 2) == 0)
        return true;
    if (len % 2 == 1 && s[len / 2] == ' ' && memcmp(s, s + len / 2 + 1, len / 2) == 0)
        return true;
    return false;
}

static kt_status add_str(char ***arr, size_t *n, const char *s, size_t len)
{
    char *c = ex_strndup_trim(s, len);
    if (!c)
        return KT_ENOMEM;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], c) == 0) {
            free(c);
            return KT_OK;
        }
    char **na = realloc(*arr, (*n + 1) * sizeof *na);
    if (!na) {
        free(c);
        return KT_ENOMEM;
    }
    *arr = na;
    na[(*n)++] = c;
    return KT_OK;
}

static void take(char **dst, char **src)
{
    if (!*dst) {
        *dst = *src;
        *src = NULL;
    }
}

kt_status kt_extract_text(const void *data, size_t len, const struct kt_extract_opts *opts_in,
                          struct kt_article *a, struct kt_extract_info *info, struct kt_err *err)
{
    struct kt_extract_opts none = {0};
    const struct kt_extract_opts *opts = opts_in ? opts_in : &none;
    const char *name = opts->url ? opts->url : "text page";
    if (info)
        memset(info, 0, sizeof *info);
    kt_article_free(a);
    kt_article_init(a);
    if (!data && len > 0)
        return kt_err_set(err, KT_EINVAL, "%s: no data", name);
    size_t max = opts->max_bytes ? opts->max_bytes : KT_EXTRACT_DEFAULT_MAX_BYTES;
    if (len > max)
        return kt_err_set(err, KT_ETOOBIG, "%s: %zu bytes exceed the %zu-byte limit", name, len,
                          max);
    struct kt_buf u = {0}, out = {0};
    struct kt_text_decode_info di;
    kt_status st = kt_text_decode(data ? data : "", len, opts->content_type, 0, &u, &di, err);
    if (st != KT_OK) {
        kt_buf_free(&u);
        return kt_err_prefix(err, "%s", name);
    }
    if (info)
        snprintf(info->charset, sizeof info->charset, "%s", di.charset);
    struct tline *lines = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < u.len;) {
        size_t e = i;
        while (e < u.len && u.data[e] != '\n')
            e++;
        const char *s = u.data + i;
        size_t l = e - i;
        if (l && s[l - 1] == '\r')
            l--;
        bool ind = l && (s[0] == ' ' || s[0] == '\t' ||
                         (l >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0));
        /* trim */
        size_t a0 = 0, b0 = l;
        for (;;) {
            if (a0 < b0 && (s[a0] == ' ' || s[a0] == '\t'))
                a0++;
            else if (a0 + 1 < b0 && (unsigned char)s[a0] == 0xC2 &&
                     (unsigned char)s[a0 + 1] == 0xA0)
                a0 += 2;
            else
                break;
        }
        for (;;) {
            if (b0 > a0 && (s[b0 - 1] == ' ' || s[b0 - 1] == '\t'))
                b0--;
            else if (b0 >= a0 + 2 && (unsigned char)s[b0 - 2] == 0xC2 &&
                     (unsigned char)s[b0 - 1] == 0xA0)
                b0 -= 2;
            else
                break;
        }
        if (b0 > a0) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                struct tline *nl = realloc(lines, nc * sizeof *nl);
                if (!nl) {
                    st = KT_ENOMEM;
                    break;
                }
                lines = nl;
                cap = nc;
            }
            lines[n].s = s + a0;
            lines[n].len = b0 - a0;
            lines[n].chars = ex_count_chars(s + a0, b0 - a0);
            lines[n].indented = ind;
            lines[n].kind = TL_BODY;
            n++;
        }
        i = e + 1;
    }
    struct ex_byline by = {0};
    struct ex_date date = {0, 0, 0, -1, 0};
    bool have_date = false;
    char **captions = NULL;
    size_t n_captions = 0;
    size_t title_i = (size_t)-1;
    if (st != KT_OK)
        goto out;
    /* 1. title: first line that is not boilerplate, a section header or a date line */
    for (size_t i = 0; i < n; i++) {
        struct tline *t = &lines[i];
        if (ex_phrase_kind(t->s, t->len) != EXP_NONE || ex_is_all_caps_header(t->s, t->len) ||
            ex_is_date_line(t->s, t->len)) {
            t->kind = TL_DROP;
            if (!have_date && ex_is_date_line(t->s, t->len))
                have_date = ex_find_visible_date(t->s, t->len, &date, NULL);
            continue;
        }
        title_i = i;
        t->kind = TL_DROP;
        char *title = ex_strndup_trim(t->s, t->len);
        if (!title) {
            st = KT_ENOMEM;
            goto out;
        }
        struct ex_date td;
        size_t tl = strlen(title);
        ex_strip_title_date(title);
        if (strlen(title) != tl &&
            ex_find_visible_date(t->s + strlen(title), t->len - strlen(title), &td, NULL)) {
            date = td;
            have_date = true;
        }
        a->title = title;
        break;
    }
    /* 2. line classes */
    bool seen_body = false, caption_next = false, related = false;
    for (size_t i = title_i == (size_t)-1 ? 0 : title_i + 1; i < n; i++) {
        struct tline *t = &lines[i];
        enum ex_phrase k = ex_phrase_kind(t->s, t->len);
        if (k == EXP_SECTION && seen_body) {
            for (size_t j = i; j < n; j++)
                lines[j].kind = TL_DROP;
            break;
        }
        if (k == EXP_RELATED) {
            t->kind = TL_DROP;
            related = true;
            continue;
        }
        if (related) {
            if (t->chars < 200 && !ex_ends_sentence(t->s, t->len)) {
                t->kind = TL_DROP;
                continue;
            }
            related = false;
        }
        if (k != EXP_NONE || ex_is_all_caps_header(t->s, t->len)) {
            t->kind = TL_DROP;
            continue;
        }
        if (ex_is_date_line(t->s, t->len)) {
            if (!have_date)
                have_date = ex_find_visible_date(t->s, t->len, &date, NULL);
            t->kind = TL_DROP;
            continue;
        }
        if (ex_is_caption_label(t->s, t->len)) {
            t->kind = TL_CAPTION;
            caption_next = true;
            continue;
        }
        if (caption_next && t->chars < 300) {
            t->kind = TL_CAPTION;
            caption_next = false;
            continue;
        }
        caption_next = false;
        if (doubled(t->s, t->len)) {
            t->kind = TL_CAPTION;
            t->len = t->s[t->len / 2] == ' ' && t->len % 2 ? t->len / 2 : t->len / 2;
            continue;
        }
        if (a->title && t->len == strlen(a->title) && memcmp(t->s, a->title, t->len) == 0) {
            t->kind = TL_DROP;
            continue;
        }
        struct ex_byline b;
        if (t->chars <= 80 && ex_parse_byline(t->s, t->len, false, &b)) {
            if (b.author)
                take(&by.author, &b.author);
            if (b.photo)
                take(&by.photo, &b.photo);
            if (b.attribution)
                take(&by.attribution, &b.attribution);
            ex_byline_free(&b);
            t->kind = TL_DROP;
            continue;
        }
        seen_body = true;
    }
    /* 3. byline at the end: the last body lines if they are names */
    for (size_t i = n; i-- > 0;) {
        struct tline *t = &lines[i];
        if (t->kind != TL_BODY)
            continue;
        struct ex_byline b;
        if (t->chars > 60 || !ex_parse_byline(t->s, t->len, true, &b))
            break;
        if (b.author)
            take(&by.author, &b.author);
        if (b.photo)
            take(&by.photo, &b.photo);
        if (b.attribution)
            take(&by.attribution, &b.attribution);
        ex_byline_free(&b);
        t->kind = TL_DROP;
    }
    /* 4. captions: short lines without final punctuation, and indented short lines */
    for (size_t i = 0; i < n; i++) {
        struct tline *t = &lines[i];
        if (t->kind != TL_BODY)
            continue;
        if ((t->indented && t->chars < 250) || (t->chars < 160 && !ex_ends_sentence(t->s, t->len)))
            t->kind = TL_CAPTION;
    }
    /* 5. cut-off teasers and repeated lines */
    for (size_t i = 0; i < n; i++) {
        struct tline *t = &lines[i];
        if (t->kind != TL_BODY)
            continue;
        size_t stem = t->len;
        if (stem >= 3 && (memcmp(t->s + stem - 3, "...", 3) == 0 ||
                          memcmp(t->s + stem - 3, "\xE2\x80\xA6", 3) == 0))
            stem -= 3;
        for (size_t j = 0; j < n; j++) {
            if (j == i || lines[j].kind != TL_BODY)
                continue;
            if ((j < i && lines[j].len == t->len && memcmp(lines[j].s, t->s, t->len) == 0) ||
                (stem < t->len && stem >= 20 && lines[j].len > stem &&
                 memcmp(lines[j].s, t->s, stem) == 0)) {
                t->kind = TL_DROP;
                break;
            }
        }
    }
    for (size_t i = 0; i < n && st == KT_OK; i++) {
        struct tline *t = &lines[i];
        if (t->kind == TL_CAPTION)
            st = add_str(&captions, &n_captions, t->s, t->len);
        else if (t->kind == TL_BODY) {
            if (out.len && kt_buf_append(&out, "\n\n", 2) != KT_OK)
                st = KT_ENOMEM;
            if (st == KT_OK && kt_buf_append(&out, t->s, t->len) != KT_OK)
                st = KT_ENOMEM;
            if (info)
                info->body_chars += t->chars;
        }
    }
    if (st != KT_OK)
        goto out;
    a->text = kt_buf_detach(&out);
    a->author = by.author;
    a->photo = by.photo;
    a->source_attribution = by.attribution;
    by.author = by.photo = by.attribution = NULL;
    if (have_date)
        a->date = ex_date_format(&date);
    a->captions = captions;
    a->n_captions = n_captions;
    captions = NULL;
    n_captions = 0;
    if (opts->url) {
        a->url = strdup(opts->url);
        a->id = strdup(opts->url);
    }
    if (opts->site)
        a->site = strdup(opts->site);
    a->lang = strdup("vi");
    if (!a->text || !a->lang || (opts->url && (!a->url || !a->id))) {
        st = KT_ENOMEM;
        goto out;
    }
    if (info) {
        info->is_article = a->title && info->body_chars >= 150;
        if (!info->is_article)
            snprintf(info->reason, sizeof info->reason, "%s",
                     a->title ? "too little main text" : "no title");
    }
    st = kt_article_fingerprint(a, err);
out:
    free(lines);
    kt_buf_free(&u);
    kt_buf_free(&out);
    ex_byline_free(&by);
    for (size_t i = 0; i < n_captions; i++)
        free(captions[i]);
    free(captions);
    if (st == KT_ENOMEM)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    return st;
}
