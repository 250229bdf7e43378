/* entity_extract.c - the entity extractor's driver: normalizes the text, runs the analyzer,
 * prepares per-token lexicon keys, runs the passes (documents, dates, officials, places,
 * figures, linking) and sorts the result; plus the token helpers the passes share. */
#include "indexer/entity_internal.h"

#include "common/kt_text.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[KT_ENTITY_TYPE_COUNT] = {"official", "place", "figure",
                                                             "document", "date"};

const char *kt_entity_type_name(enum kt_entity_type t)
{
    return (unsigned)t < KT_ENTITY_TYPE_COUNT ? type_names[t] : "unknown";
}

kt_status kt_entity_types_parse(const char *list, unsigned *mask, struct kt_err *err)
{
    unsigned m = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        for (; k < KT_ENTITY_TYPE_COUNT; k++)
            if (strlen(type_names[k]) == n && strncmp(p, type_names[k], n) == 0)
                break;
        if (n > 0 && k == KT_ENTITY_TYPE_COUNT)
            return kt_err_set(err, KT_EINVAL,
                              "unknown entity type '%.*s' (official, place, figure, document, "
                              "date)",
                              (int)(n > 64 ? 64 : n), p);
        if (n > 0)
            m |= 1u << k;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!m)
        return kt_err_set(err, KT_EINVAL, "no entity type given");
    *mask = m;
    return KT_OK;
}

char *et_strdup(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

static void entity_clear(struct kt_entity *e)
{
    free(e->name);
    free(e->title);
    for (size_t i = 0; i < e->n_titles; i++)
        free(e->titles[i]);
    free(e->titles);
    free(e->parent);
    free(e->unit);
    free(e->measure);
    free(e->code);
}

static void list_clear(struct kt_entity_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        entity_clear(&l->items[i]);
    l->n = 0;
}

void kt_entity_list_free(struct kt_entity_list *l)
{
    if (!l)
        return;
    list_clear(l);
    free(l->items);
    kt_buf_free(&l->text);
    memset(l, 0, sizeof *l);
}

kt_status kt_entity_extractor_new(const struct kt_entity_config *cfg,
                                  struct kt_entity_extractor **out, struct kt_err *err)
{
    *out = NULL;
    struct kt_entity_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return kt_err_set(err, KT_ENOMEM, "entity extractor: out of memory");
    ex->types = cfg && cfg->types ? cfg->types : KT_ENTITY_ALL;
    ex->gaz = cfg ? cfg->gazetteer : NULL;
    kt_status rc = lx_build(&ex->lx, err);
    if (rc == KT_OK)
        rc = vi_analyzer_new(NULL, &ex->an, err);
    if (rc != KT_OK) {
        kt_entity_extractor_free(ex);
        return rc;
    }
    *out = ex;
    return KT_OK;
}

void kt_entity_extractor_free(struct kt_entity_extractor *ex)
{
    if (!ex)
        return;
    vi_analyzer_free(ex->an);
    lx_free(&ex->lx);
    free(ex->toks);
    free(ex->keys);
    free(ex->marks);
    free(ex->cats1);
    free(ex->mstart);
    free(ex->mlist);
    free(ex->sent_lo);
    free(ex->sent_hi);
    free(ex);
}

/* ------------------------------ token helpers ------------------------------ */

/* Most bytes of sentence context kept on each side of an entity. */
#define SENTENCE_SIDE 400

size_t et_tok_start(const struct et_doc *d, size_t i)
{
    return d->t[i].off;
}

size_t et_tok_end(const struct et_doc *d, size_t j)
{
    return d->t[j - 1].off + d->t[j - 1].len;
}

struct kt_entity *et_add(struct et_doc *d, enum kt_entity_type type, size_t ti, size_t tj)
{
    struct kt_entity_list *l = d->out;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct kt_entity *v = realloc(l->items, cap * sizeof *v);
        if (!v) {
            kt_err_set(d->err, KT_ENOMEM, "entities: out of memory");
            return NULL;
        }
        l->items = v;
        l->cap = cap;
    }
    struct kt_entity *e = &l->items[l->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->person = -1;
    e->start = et_tok_start(d, ti);
    e->end = et_tok_end(d, tj);
    uint32_t s = d->t[ti].sentence;
    e->sent_start = e->start;
    e->sent_end = e->end;
    if (s < d->nsent) {
        e->sent_start = d->sent_lo[s] < e->start ? d->sent_lo[s] : e->start;
        e->sent_end = d->sent_hi[s] > e->end ? d->sent_hi[s] : e->end;
    }
    /* a run-on "sentence" (a huge line without stops) is cut to a window around the entity,
     * at spaces, so output stays proportional to the number of entities */
    if (e->start - e->sent_start > SENTENCE_SIDE) {
        size_t p = e->start - SENTENCE_SIDE;
        while (p < e->start && d->text[p] != ' ')
            p++;
        e->sent_start = p < e->start ? p + 1 : e->start;
    }
    if (e->sent_end - e->end > SENTENCE_SIDE) {
        size_t p = e->end + SENTENCE_SIDE;
        while (p > e->end && d->text[p] != ' ')
            p--;
        e->sent_end = p;
    }
    return e;
}

char *et_span_dup(const struct et_doc *d, size_t a, size_t b)
{
    char *s = malloc(b - a + 1);
    if (!s)
        return NULL;
    size_t n = 0;
    bool space = false;
    for (size_t i = a; i < b; i++) {
        char c = d->text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = n > 0;
            continue;
        }
        if (space)
            s[n++] = ' ';
        space = false;
        s[n++] = c;
    }
    s[n] = 0;
    return s;
}

kt_status et_norm(const char *s, size_t n, bool fold, struct kt_buf *out)
{
    kt_buf_reset(out);
    kt_status rc = kt_text_normalize(
        s, n, KT_NORM_CANONICAL | KT_NORM_CASEFOLD | (fold ? KT_NORM_ACCENTFOLD : 0), out, NULL);
    if (rc == KT_OK && !out->data)
        rc = kt_buf_reserve(out, 1);
    if (rc != KT_OK)
        return rc;
    /* collapse whitespace runs in place and trim */
    size_t w = 0;
    bool space = false;
    for (size_t i = 0; i < out->len; i++) {
        char c = out->data[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = w > 0;
            continue;
        }
        if (space)
            out->data[w++] = ' ';
        space = false;
        out->data[w++] = c;
    }
    out->len = w;
    out->data[w] = 0;
    return KT_OK;
}

kt_status et_text_key(const char *s, size_t n, uint64_t *key)
{
    struct kt_buf b = {0};
    kt_status rc = et_norm(s, n, false, &b);
    uint64_t h = 0;
    for (size_t i = 0; rc == KT_OK && i < b.len;) {
        while (i < b.len && b.data[i] == ' ')
            i++;
        size_t j = i;
        while (j < b.len && b.data[j] != ' ')
            j++;
        if (j > i && !(j - i == 1 && b.data[i] == '-'))
            h = lx_phrase_step(h, lx_syl_key(b.data + i, j - i));
        i = j;
    }
    kt_buf_free(&b);
    *key = h;
    return rc;
}

/* ------------------------------ driver ------------------------------ */

static kt_status grow_tokens(struct kt_entity_extractor *ex, size_t need)
{
    if (need <= ex->work_cap)
        return KT_OK;
    size_t cap = need + need / 2 + 64;
    struct et_tok *t = realloc(ex->toks, cap * sizeof *t);
    if (t)
        ex->toks = t;
    uint64_t *k = realloc(ex->keys, cap * sizeof *k);
    if (k)
        ex->keys = k;
    uint8_t *m = realloc(ex->marks, cap);
    if (m)
        ex->marks = m;
    uint32_t *c = realloc(ex->cats1, cap * sizeof *c);
    if (c)
        ex->cats1 = c;
    uint32_t *ms = realloc(ex->mstart, (cap + 1) * sizeof *ms);
    if (ms)
        ex->mstart = ms;
    if (!t || !k || !m || !c || !ms)
        return KT_ENOMEM;
    ex->work_cap = cap;
    return KT_OK;
}

static void copy_prefix(char dst[8], const char *src, size_t n)
{
    if (n > 7)
        n = 7;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* Keeps what the passes need of each token (see struct et_tok). */
static kt_status on_token(void *ud, const struct vi_token *t)
{
    struct kt_entity_extractor *ex = ud;
    if (ex->n_toks >= UINT32_MAX - 1)
        return KT_ETOOBIG;
    if (grow_tokens(ex, ex->n_toks + 1) != KT_OK)
        return KT_ENOMEM;
    size_t i = ex->n_toks++;
    struct et_tok *o = &ex->toks[i];
    o->off = t->off;
    o->len = t->len;
    o->kind = t->kind;
    o->flags = t->flags;
    o->sentence = t->sentence;
    o->v = t->v;
    o->canon_len = (uint32_t)t->canon_len;
    o->norm_len = (uint32_t)t->norm_len;
    copy_prefix(o->canon, t->canon, t->canon_len);
    copy_prefix(o->norm, t->norm, t->norm_len);
    size_t len = t->norm_len;
    if (t->kind == VI_TOK_ABBR && len > 1 && t->norm[len - 1] == '.')
        len--;
    ex->keys[i] = lx_syl_key(t->norm, len);
    ex->marks[i] = 0;
    return KT_OK;
}

static bool word_tok(const struct et_tok *t)
{
    return t->kind == VI_TOK_WORD || t->kind == VI_TOK_ABBR;
}

/* Lexicon phrases starting at each token, found once for all passes. */
static kt_status find_matches(struct kt_entity_extractor *ex, const char *text)
{
    const struct lx_table *lx = &ex->lx;
    size_t n = ex->n_toks;
    ex->mlist_n = 0;
    for (size_t i = 0; i < n; i++) {
        ex->mstart[i] = (uint32_t)ex->mlist_n;
        ex->cats1[i] = 0;
        if (!word_tok(&ex->toks[i]))
            continue; /* every first syllable has an entry (a phrase or a prefix) */
        uint64_t h = 0;
        for (size_t k = 0; k < lx->maxsyl && i + k < n; k++) {
            size_t j = i + k;
            if (k > 0) {
                const struct et_tok *a = &ex->toks[j - 1], *b = &ex->toks[j];
                if (!word_tok(b) || a->sentence != b->sentence)
                    break;
                bool nl = false;
                for (size_t q = a->off + a->len; q < b->off && !nl; q++)
                    nl = text[q] == '\n' || text[q] == '\r';
                if (nl)
                    break;
            }
            h = lx_phrase_step(h, ex->keys[j]);
            const struct lx_entry *e = lx_get(lx, h);
            if (!e)
                break;
            if (!e->cats || e->nsyl != k + 1)
                continue;
            if (k == 0)
                ex->cats1[i] = e->cats;
            if (ex->mlist_n == ex->mlist_cap) {
                size_t cap = ex->mlist_cap ? ex->mlist_cap * 2 : 1024;
                const struct lx_entry **v = realloc(ex->mlist, cap * sizeof *v);
                if (!v)
                    return KT_ENOMEM;
                ex->mlist = v;
                ex->mlist_cap = cap;
            }
            ex->mlist[ex->mlist_n++] = e;
        }
    }
    ex->mstart[n] = (uint32_t)ex->mlist_n;
    return KT_OK;
}

static kt_status prepare(struct kt_entity_extractor *ex, const char *text, struct kt_err *err)
{
    size_t n = ex->n_toks;
    if (grow_tokens(ex, n + 1) != KT_OK || find_matches(ex, text) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "entities: out of memory");
    size_t nsent = n ? (size_t)ex->toks[n - 1].sentence + 1 : 0;
    if (nsent > ex->sent_cap) {
        size_t cap = nsent + nsent / 2 + 16;
        size_t *lo = realloc(ex->sent_lo, cap * sizeof *lo);
        if (lo)
            ex->sent_lo = lo;
        size_t *hi = realloc(ex->sent_hi, cap * sizeof *hi);
        if (hi)
            ex->sent_hi = hi;
        if (!lo || !hi)
            return kt_err_set(err, KT_ENOMEM, "entities: out of memory");
        ex->sent_cap = cap;
    }
    for (size_t s = 0; s < nsent; s++)
        ex->sent_lo[s] = ex->sent_hi[s] = 0;
    uint32_t last_sent = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        const struct et_tok *t = &ex->toks[i];
        if (t->sentence < nsent) {
            if (t->sentence != last_sent)
                ex->sent_lo[t->sentence] = t->off;
            ex->sent_hi[t->sentence] = t->off + t->len;
            last_sent = t->sentence;
        }
    }
    return KT_OK;
}

/* True when KT_NORM_DISPLAY would not change s: valid UTF-8 made of printable ASCII, tab/LF/CR,
 * precomposed Latin letters and common punctuation, without combining marks or special
 * spaces. Lets the extractor skip the normalization copy for already-clean text. */
static bool display_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return false;
            if (c == 0x7f)
                return false;
            i++;
            continue;
        }
        if (c >= 0xc3 && c <= 0xcb) { /* U+00C0..U+02FF */
            if (i + 1 >= n || (p[i + 1] & 0xc0) != 0x80)
                return false;
            uint32_t cp = ((c & 0x1fu) << 6) | (p[i + 1] & 0x3fu);
            if (cp == 0xd0 || cp == 0xf0)
                return false; /* Ð ð become Đ đ */
            i += 2;
            continue;
        }
        if (c == 0xe1 || c == 0xe2) {
            if (i + 2 >= n || (p[i + 1] & 0xc0) != 0x80 || (p[i + 2] & 0xc0) != 0x80)
                return false;
            uint32_t cp = ((c & 0x0fu) << 12) | ((p[i + 1] & 0x3fu) << 6) | (p[i + 2] & 0x3fu);
            bool ok = (cp >= 0x1ea0 && cp <= 0x1ef9) || (cp >= 0x2010 && cp <= 0x2027) ||
                      (cp >= 0x2030 && cp <= 0x205e && cp != 0x202f) ||
                      (cp >= 0x20a0 && cp <= 0x20bf);
            if (!ok)
                return false;
            i += 3;
            continue;
        }
        return false;
    }
    return true;
}

static void parse_date(const char *s, int *y, int *m, int *dd)
{
    *y = *m = *dd = 0;
    if (!s || strlen(s) < 4)
        return;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (s[4] == '-' && s[5] >= '0' && s[5] <= '9' && s[6] >= '0' && s[6] <= '9') {
        *m = (s[5] - '0') * 10 + (s[6] - '0');
        if (s[7] == '-' && s[8] >= '0' && s[8] <= '9' && s[9] >= '0' && s[9] <= '9')
            *dd = (s[8] - '0') * 10 + (s[9] - '0');
    }
}

static int cmp_entity(const void *a, const void *b)
{
    const struct kt_entity *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return 0;
}

kt_status kt_entities_extract(struct kt_entity_extractor *ex, const char *text, size_t len,
                              const char *article_date, struct kt_entity_list *out,
                              struct kt_err *err)
{
    if (!ex || !out || (!text && len > 0))
        return kt_err_set(err, KT_EINVAL, "entities: invalid argument");
    list_clear(out);
    kt_buf_reset(&out->text);
    kt_status rc = KT_OK;
    if (display_clean(text ? text : "", len))
        rc = kt_buf_append(&out->text, text ? text : "", len);
    else
        rc = kt_text_normalize(text ? text : "", len, KT_NORM_DISPLAY, &out->text, err);
    if (rc == KT_OK && !out->text.data)
        rc = kt_buf_reserve(&out->text, 1);
    if (rc != KT_OK)
        return kt_err_set(err, rc, "entities: %s", kt_status_str(rc));
    ex->n_toks = 0;
    ex->text = out->text.data;
    rc = vi_analyze(ex->an, out->text.data, out->text.len, on_token, ex, err);
    if (rc == KT_OK)
        rc = prepare(ex, out->text.data, err);
    if (rc != KT_OK) {
        if (rc == KT_ENOMEM || rc == KT_ETOOBIG)
            kt_err_set(err, rc, "entities: %s",
                       rc == KT_ETOOBIG ? "text has too many tokens" : "out of memory");
        return rc;
    }
    struct et_doc d = {
        .ex = ex,
        .lx = &ex->lx,
        .text = out->text.data,
        .len = out->text.len,
        .t = ex->toks,
        .n = ex->n_toks,
        .key = ex->keys,
        .mark = ex->marks,
        .nsent = ex->n_toks ? (size_t)ex->toks[ex->n_toks - 1].sentence + 1 : 0,
        .sent_lo = ex->sent_lo,
        .sent_hi = ex->sent_hi,
        .out = out,
        .err = err,
    };
    parse_date(article_date, &d.year, &d.month, &d.day);
    kt_status (*const passes[])(struct et_doc *) = {et_documents, et_dates,   et_officials,
                                                    et_places,    et_figures, et_link};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0] && rc == KT_OK; p++)
        rc = passes[p](&d);
    for (size_t i = 0; i < d.n_persons; i++) {
        free(d.persons[i].name);
        for (size_t k = 0; k < d.persons[i].n_titles; k++)
            free(d.persons[i].titles[k]);
        free(d.persons[i].titles);
    }
    free(d.persons);
    if (rc != KT_OK) {
        list_clear(out);
        if (err && err->code == KT_OK)
            kt_err_set(err, rc, "entities: %s", kt_status_str(rc));
        return rc;
    }
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (ex->types & KT_ENTITY_BIT(out->items[i].type))
            out->items[w++] = out->items[i];
        else
            entity_clear(&out->items[i]);
    }
    out->n = w;
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_entity);
    return KT_OK;
}

kt_status kt_entities_extract_article(struct kt_entity_extractor *ex, const struct kt_article *a,
                                      struct kt_entity_list *out, struct kt_err *err)
{
    if (!a)
        return kt_err_set(err, KT_EINVAL, "entities: no article");
    struct kt_buf joined = {0};
    kt_status rc = KT_OK;
    if (a->title && *a->title) {
        rc = kt_buf_append_cstr(&joined, a->title);
        if (rc == KT_OK && a->text && *a->text)
            rc = kt_buf_append(&joined, "\n\n", 2);
    }
    if (rc == KT_OK && a->text)
        rc = kt_buf_append_cstr(&joined, a->text);
    if (rc != KT_OK) {
        kt_buf_free(&joined);
        return kt_err_set(err, rc, "entities: out of memory");
    }
    rc = kt_entities_extract(ex, joined.data ? joined.data : "", joined.len, a->date, out, err);
    kt_buf_free(&joined);
    return rc;
}
