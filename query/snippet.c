/* snippet.c - result snippets: the window of a document's text with the most distinct query
 * words (matched as the analyzer sees them, so folded and exact forms both highlight), cut at
 * word boundaries, as plain text with match spans and as escaped HTML with <b> marks. The
 * analysis stops once every query word has matched and a full window past that is read. */
#include "query/search_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_MAX    (16u << 10) /* bytes of text analysed for one snippet, at most */
#define MAX_MATCHES 512
#define ELLIPSIS    "\xe2\x80\xa6" /* … */

struct match {
    size_t off, len;
    size_t form;
};

struct scan {
    const struct kt_qform *forms;
    size_t n_forms;
    struct match m[MAX_MATCHES];
    size_t n;
    uint64_t seen;      /* bit i: form i has matched */
    size_t all_seen_at; /* offset where every form had matched, 0 = not yet */
    size_t window;
};

static kt_status on_token(void *ud, const struct vi_token *t)
{
    struct scan *sc = ud;
    if (sc->all_seen_at && t->off > sc->all_seen_at + sc->window)
        return KT_EINTERRUPTED; /* every word matched and a window is complete: enough */
    if (t->pos == 0 || sc->n >= MAX_MATCHES)
        return KT_OK;
    for (size_t i = 0; i < sc->n_forms; i++) {
        const struct kt_qform *f = &sc->forms[i];
        const char *s = f->folded ? t->fold : t->norm;
        size_t n = f->folded ? t->fold_len : t->norm_len;
        if (n == f->len && memcmp(s, f->body, n) == 0) {
            sc->m[sc->n].off = t->off;
            sc->m[sc->n].len = t->len;
            sc->m[sc->n].form = i;
            sc->n++;
            if (i < 64)
                sc->seen |= 1ull << i;
            uint64_t all = sc->n_forms >= 64 ? ~0ull : (1ull << sc->n_forms) - 1;
            if (!sc->all_seen_at && (sc->seen & all) == all)
                sc->all_seen_at = t->off + 1;
            break;
        }
    }
    return KT_OK;
}

kt_status kt_html_escape(struct kt_buf *out, const char *s, size_t len)
{
    kt_status st = KT_OK;
    size_t run = 0;
    for (size_t i = 0; i < len && st == KT_OK; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '&':
            rep = "&amp;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (!rep)
            continue;
        st = kt_buf_append(out, s + run, i - run);
        if (st == KT_OK)
            st = kt_buf_append_cstr(out, rep);
        run = i + 1;
    }
    if (st == KT_OK)
        st = kt_buf_append(out, s + run, len - run);
    return st;
}

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Best window start anchor: the match index whose window holds the most distinct forms. */
static size_t best_anchor(const struct scan *sc, size_t window)
{
    size_t best = 0;
    long best_score = -1;
    for (size_t i = 0; i < sc->n; i++) {
        unsigned char seen[KT_QUERY_MAX_WORDS] = {0};
        long distinct = 0, score = 0;
        for (size_t j = i; j < sc->n && sc->m[j].off + sc->m[j].len <= sc->m[i].off + window; j++) {
            size_t f = sc->m[j].form;
            if (f < KT_QUERY_MAX_WORDS && !seen[f]) {
                seen[f] = 1;
                distinct++;
            }
            score++;
            if (j > i && sc->m[j].off <= sc->m[j - 1].off + sc->m[j - 1].len + 1)
                score += 3; /* adjacent matches: a unit or phrase */
        }
        score += distinct * 100;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

kt_status kt_snippet_build(vi_analyzer *an, const char *text, size_t len,
                           const struct kt_qform *forms, size_t n_forms, size_t max_chars,
                           struct kt_search_hit *hit, struct kt_err *err)
{
    if (len > SCAN_MAX) {
        len = SCAN_MAX;
        while (len > 0 && is_cont((unsigned char)text[len]))
            len--;
    }
    struct scan *sc = calloc(1, sizeof *sc);
    if (!sc)
        return kt_err_set(err, KT_ENOMEM, "snippet: out of memory");
    size_t window = max_chars * 3 / 2 + 1; /* bytes: Vietnamese averages ~1.3 bytes/char */
    sc->forms = forms;
    sc->n_forms = n_forms;
    sc->window = window;
    kt_status s = KT_OK;
    if (n_forms > 0 && len > 0)
        s = vi_analyze(an, text, len, on_token, sc, err);
    if (s == KT_EINTERRUPTED)
        s = KT_OK;
    if (s != KT_OK) {
        free(sc);
        return s;
    }
    size_t start = 0;
    if (sc->n > 0) {
        size_t a = best_anchor(sc, window - window / 5);
        size_t anchor = sc->m[a].off;
        start = anchor > window / 5 ? anchor - window / 5 : 0;
        if (start > 0) { /* forward to the next space, but never past the anchor */
            size_t p = start;
            while (p < anchor && text[p] != ' ' && text[p] != '\n')
                p++;
            start = p < anchor ? p + 1 : anchor;
        }
    }
    size_t end = start + window < len ? start + window : len;
    if (end < len) { /* back to a space */
        size_t p = end;
        while (p > start + window / 2 && text[p] != ' ' && text[p] != '\n')
            p--;
        end = p > start + window / 2 ? p : end;
        while (end > start && is_cont((unsigned char)text[end]))
            end--;
    }
    struct kt_buf plain = {0}, html = {0};
    size_t shift = 0;
    s = kt_buf_reserve(&plain, 1); /* data never NULL below, even for an empty snippet */
    if (s == KT_OK && start > 0) {
        s = kt_buf_append_cstr(&plain, ELLIPSIS);
        if (s == KT_OK)
            s = kt_buf_append_cstr(&html, ELLIPSIS);
        shift = plain.len;
    }
    for (size_t i = start; i < end && s == KT_OK; i++) {
        char c = text[i];
        s = kt_buf_append_byte(&plain, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    size_t ns = 0;
    for (size_t i = 0; i < sc->n; i++)
        if (sc->m[i].off >= start && sc->m[i].off + sc->m[i].len <= end)
            ns++;
    struct kt_span *spans = ns ? calloc(ns, sizeof *spans) : NULL;
    if (s == KT_OK && ns && !spans)
        s = KT_ENOMEM;
    size_t k = 0, done = shift;
    for (size_t i = 0; i < sc->n && s == KT_OK; i++) {
        if (!(sc->m[i].off >= start && sc->m[i].off + sc->m[i].len <= end))
            continue;
        spans[k].start = sc->m[i].off - start + shift;
        spans[k].end = spans[k].start + sc->m[i].len;
        s = kt_html_escape(&html, plain.data + done, spans[k].start - done);
        if (s == KT_OK)
            s = kt_buf_append_cstr(&html, "<b>");
        if (s == KT_OK)
            s = kt_html_escape(&html, plain.data + spans[k].start, sc->m[i].len);
        if (s == KT_OK)
            s = kt_buf_append_cstr(&html, "</b>");
        done = spans[k].end;
        k++;
    }
    if (s == KT_OK)
        s = kt_html_escape(&html, plain.data + done, plain.len - done);
    if (s == KT_OK && end < len) {
        s = kt_buf_append_cstr(&plain, ELLIPSIS);
        if (s == KT_OK)
            s = kt_buf_append_cstr(&html, ELLIPSIS);
    }
    free(sc);
    if (s != KT_OK) {
        kt_buf_free(&plain);
        kt_buf_free(&html);
        free(spans);
        return kt_err_set(err, KT_ENOMEM, "snippet: out of memory");
    }
    hit->snippet = kt_buf_detach(&plain);
    hit->snippet_html = kt_buf_detach(&html);
    hit->spans = spans;
    hit->n_spans = ns;
    if (!hit->snippet || !hit->snippet_html)
        return kt_err_set(err, KT_ENOMEM, "snippet: out of memory");
    return KT_OK;
}
