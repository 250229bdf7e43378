/* query_build.c - turns a parsed query tree into a Xapian query with the ranking design:
 *
 *   final = MATCH AND_MAYBE BOOST
 *   MATCH: per word the analyzer's query form (vi_query_terms) in the field's space: exact
 *          (non-positional term) when typed with a diacritic, folded otherwise. Words typed
 *          together are ANDed (ORed when relaxed, the fallback when nothing has them all);
 *          phrases are positional phrases over the folded terms, ANDed with the exact terms of
 *          the words typed with diacritics; site/date are filters; NOT/-word exclusions.
 *   BOOST (adds weight, never widens the match):
 *     - the same words in the title space ("S"): the title counts above the body;
 *     - units: each pair of adjacent query words as a folded title bigram ("SBF"): words that
 *       occur side by side as a unit (Thường Tín, nông thôn) rank above the same syllables
 *       scattered. (A two-word phrase check in the body did the same there, but tripled the
 *       median latency - positions are read for every candidate - so it is not used; see
 *       BENCHMARKS.md.)
 *     - a quoted phrase again in the title space.
 * Exact-diacritic matches rank above folded ones because a word typed with diacritics only
 * matches (and only weighs) its exact term, whose document frequency - hence BM25 idf - is
 * that of the exact syllable, while the folded term of the same word spreads over every
 * accented form. All weights are BM25 (Xapian's defaults) scaled by the constants below;
 * they are general choices, not fitted to any query set. */
#include "query/search_internal.h"

#include "common/kt_text.h"

#include <stdlib.h>
#include <string.h>

#define W_TITLE_WORD   1.0 /* a query word in the title */
#define W_TITLE_BIGRAM 1.0 /* two adjacent query words adjacent in the title */
#define W_TITLE_PHRASE 1.0 /* a quoted phrase in the title */
#define MAX_BOOSTS     192

struct builder {
    vi_analyzer *an;
    const char *q;
    bool relaxed;
    struct kt_built_query *out;
    kt_xquery *boosts[MAX_BOOSTS];
    size_t n_boosts;
    struct kt_err *err;
};

/* The analyzer's output for one TEXT or PHRASE span. */
struct term_list {
    struct {
        char term[KT_XTERM_MAX + 1];
        size_t len;
        enum vi_term_kind kind;
        uint32_t token;
    } t[KT_QUERY_MAX_WORDS * 2];
    size_t n;
    size_t n_words;
    bool too_many;
};

static kt_status collect(void *ud, const struct vi_term *t)
{
    struct term_list *l = ud;
    if (t->kind == VI_TERM_EXACT || t->kind == VI_TERM_FOLDED) {
        if (++l->n_words > KT_QUERY_MAX_WORDS) {
            l->too_many = true;
            return KT_ETOOBIG;
        }
    }
    if (l->n >= sizeof l->t / sizeof l->t[0] || t->len > KT_XTERM_MAX)
        return KT_OK;
    memcpy(l->t[l->n].term, t->data, t->len);
    l->t[l->n].term[t->len] = '\0';
    l->t[l->n].len = t->len;
    l->t[l->n].kind = t->kind;
    l->t[l->n].token = t->token;
    l->n++;
    return KT_OK;
}

static const char *field_prefix(enum kt_qfield f)
{
    switch (f) {
    case KT_QF_TITLE:
        return KT_PFX_TITLE;
    case KT_QF_LEAD:
        return KT_PFX_LEAD;
    case KT_QF_AUTHOR:
        return KT_PFX_AUTHOR;
    case KT_QF_SOURCE:
        return KT_PFX_SOURCE;
    default:
        return KT_PFX_ANY;
    }
}

static kt_status term_q(const char *prefix, const char *term, size_t len, double scale,
                        kt_xquery **out, struct kt_err *err)
{
    char buf[KT_XTERM_MAX + 8];
    size_t pl = strlen(prefix);
    *out = NULL;
    if (pl + len > KT_XTERM_MAX)
        return KT_OK;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, term, len);
    kt_xquery *t = NULL;
    kt_status s = kt_xquery_term(buf, pl + len, 1, 0, &t, err);
    if (s != KT_OK || scale == 1.0) {
        *out = t;
        return s;
    }
    s = kt_xquery_scale(t, scale, out, err);
    kt_xquery_free(t);
    return s;
}

static void add_boost(struct builder *b, kt_xquery *q)
{
    if (!q)
        return;
    if (b->n_boosts < MAX_BOOSTS)
        b->boosts[b->n_boosts++] = q;
    else
        kt_xquery_free(q);
}

static kt_status add_form(struct builder *b, const char *term, size_t len, enum vi_term_kind kind,
                          size_t plen)
{
    struct kt_built_query *o = b->out;
    if (o->n_forms >= KT_QUERY_MAX_WORDS)
        return KT_OK;
    struct kt_qform *f = realloc(o->forms, (o->n_forms + 1) * sizeof *f);
    if (!f)
        return kt_err_set(b->err, KT_ENOMEM, "query: out of memory");
    o->forms = f;
    bool folded = kind == VI_TERM_FOLDED;
    const char *body = term + plen + (folded ? 1 : 0);
    size_t blen = len - plen - (folded ? 1 : 0);
    char *copy = malloc(blen + 1);
    if (!copy)
        return kt_err_set(b->err, KT_ENOMEM, "query: out of memory");
    memcpy(copy, body, blen);
    copy[blen] = '\0';
    f[o->n_forms].folded = folded;
    f[o->n_forms].body = copy;
    f[o->n_forms].len = blen;
    o->n_forms++;
    return KT_OK;
}

static kt_status combine(enum kt_xop op, kt_xquery **subs, size_t n, uint32_t param,
                         kt_xquery **out, struct kt_err *err)
{
    *out = NULL;
    if (n == 0)
        return KT_OK;
    return kt_xquery_combine(op, subs, n, param, out, err);
}

static void free_all(kt_xquery **qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kt_xquery_free(qs[i]);
}

/* One query word: its match term and its folded positional term. */
struct qword {
    const char *match; /* FP+norm (exact) or FP+"F"+fold, in the term list */
    size_t match_len;
    bool exact;
    char folded[KT_XTERM_MAX + 1]; /* FP+"F"+fold */
    size_t folded_len;
    uint32_t token;
};

/* Writes prefix + marker + accentfold(body) into out; false when too long or on error. */
static bool fold_into(const char *prefix, const char *marker, const char *body, size_t blen,
                      char *out, size_t *out_len, struct kt_buf *tmp)
{
    kt_buf_reset(tmp);
    if (kt_text_accentfold(body, blen, tmp, NULL) != KT_OK)
        return false;
    size_t pl = strlen(prefix), ml = strlen(marker);
    if (pl + ml + tmp->len > KT_XTERM_MAX)
        return false;
    memcpy(out, prefix, pl);
    memcpy(out + pl, marker, ml);
    memcpy(out + pl + ml, tmp->data, tmp->len);
    *out_len = pl + ml + tmp->len;
    out[*out_len] = '\0';
    return true;
}

static kt_status phrase_q(const char *prefix, struct qword *w, size_t n, double scale,
                          kt_xquery **out, struct kt_err *err)
{
    const char *terms[KT_QUERY_MAX_WORDS];
    size_t lens[KT_QUERY_MAX_WORDS];
    char(*buf)[KT_XTERM_MAX + 8] = malloc(n * sizeof *buf);
    *out = NULL;
    if (!buf)
        return kt_err_set(err, KT_ENOMEM, "query: out of memory");
    size_t pl = strlen(prefix), m = 0;
    for (size_t i = 0; i < n; i++) {
        if (pl + w[i].folded_len > KT_XTERM_MAX)
            break;
        memcpy(buf[m], prefix, pl);
        memcpy(buf[m] + pl, w[i].folded, w[i].folded_len);
        terms[m] = buf[m];
        lens[m] = pl + w[i].folded_len;
        m++;
    }
    kt_status s = KT_OK;
    kt_xquery *ph = NULL;
    if (m == n)
        s = kt_xquery_phrase(terms, lens, m, 0, &ph, err);
    free(buf);
    if (s != KT_OK || !ph || scale == 1.0) {
        *out = ph;
        return s;
    }
    s = kt_xquery_scale(ph, scale, out, err);
    kt_xquery_free(ph);
    return s;
}

/* The boosts of one TEXT/PHRASE span (words w, the analyzer's bigrams in l). */
static kt_status add_boosts(struct builder *b, const struct kt_qnode *n, const char *fp,
                            struct qword *w, size_t nw, const struct term_list *l,
                            struct kt_buf *tmp)
{
    kt_status s = KT_OK;
    size_t plen = strlen(fp);
    for (size_t i = 0; i < nw && s == KT_OK && n->field == KT_QF_ANY; i++) {
        kt_xquery *bq = NULL;
        s = term_q(KT_PFX_TITLE, w[i].match, w[i].match_len, W_TITLE_WORD, &bq, b->err);
        add_boost(b, bq);
    }
    bool title_units = n->field == KT_QF_ANY || n->field == KT_QF_TITLE;
    for (size_t i = 0; i < l->n && s == KT_OK; i++) {
        enum vi_term_kind k = l->t[i].kind;
        if (k != VI_TERM_BIGRAM && k != VI_TERM_BIGRAM_FOLDED)
            continue;
        if (title_units) { /* SBF + fold1_fold2 */
            size_t skip = plen + (k == VI_TERM_BIGRAM ? 1 : 2);
            char term[KT_XTERM_MAX + 1];
            size_t tl = 0;
            if (l->t[i].len > skip && fold_into(KT_PFX_TITLE, "BF", l->t[i].term + skip,
                                                l->t[i].len - skip, term, &tl, tmp)) {
                kt_xquery *bq = NULL;
                s = term_q("", term, tl, W_TITLE_BIGRAM, &bq, b->err);
                add_boost(b, bq);
            }
        }
    }
    if (s == KT_OK && n->kind == KT_QN_PHRASE && nw > 1 && n->field == KT_QF_ANY) {
        kt_xquery *bq = NULL;
        s = phrase_q(KT_PFX_TITLE, w, nw, W_TITLE_PHRASE, &bq, b->err);
        add_boost(b, bq);
    }
    return s;
}

/* TEXT and PHRASE nodes. */
static kt_status build_words(struct builder *b, const struct kt_qnode *n, bool negated,
                             kt_xquery **out)
{
    *out = NULL;
    const char *fp = field_prefix(n->field);
    size_t plen = strlen(fp);
    struct term_list *l = calloc(1, sizeof *l);
    struct qword *w = calloc(KT_QUERY_MAX_WORDS, sizeof *w);
    struct kt_buf tmp = {0};
    if (!l || !w) {
        free(l);
        free(w);
        return kt_err_set(b->err, KT_ENOMEM, "query: out of memory");
    }
    kt_status s = vi_query_terms(b->an, b->q + n->start, n->len, fp, collect, l, b->err);
    if (l->too_many || b->out->n_words + l->n_words > KT_QUERY_MAX_WORDS) {
        free(l);
        free(w);
        return kt_err_set(b->err, KT_EQUERY, "position %zu: more than %d words in the query",
                          kt_query_char_pos(b->q, n->start), KT_QUERY_MAX_WORDS);
    }
    if (s != KT_OK) {
        free(l);
        free(w);
        return s;
    }
    b->out->n_words += l->n_words;
    size_t nw = 0;
    for (size_t i = 0; i < l->n && s == KT_OK; i++) {
        enum vi_term_kind k = l->t[i].kind;
        if (k != VI_TERM_EXACT && k != VI_TERM_FOLDED)
            continue;
        struct qword *q = &w[nw];
        q->match = l->t[i].term;
        q->match_len = l->t[i].len;
        q->exact = k == VI_TERM_EXACT;
        q->token = l->t[i].token;
        if (q->exact) {
            if (!fold_into(fp, "F", q->match + plen, q->match_len - plen, q->folded, &q->folded_len,
                           &tmp))
                continue;
        } else {
            memcpy(q->folded, q->match, q->match_len);
            q->folded_len = q->match_len;
        }
        nw++;
        if (!negated)
            s = add_form(b, q->match, q->match_len, k, plen);
    }
    kt_xquery *subs[KT_QUERY_MAX_WORDS + 1];
    size_t ns = 0;
    if (s == KT_OK && nw > 0) {
        bool phrase = n->kind == KT_QN_PHRASE && nw > 1;
        if (phrase) {
            s = phrase_q("", w, nw, 1.0, &subs[0], b->err);
            if (s == KT_OK && subs[0])
                ns = 1;
        }
        for (size_t i = 0; i < nw && s == KT_OK; i++) {
            if (phrase && !w[i].exact)
                continue;
            s = kt_xquery_term(w[i].match, w[i].match_len, 1, (uint32_t)i + 1, &subs[ns], b->err);
            if (s == KT_OK)
                ns++;
        }
        bool and_words = phrase || n->kind == KT_QN_PHRASE || !b->relaxed;
        if (nw > 1 && n->kind == KT_QN_TEXT && !negated)
            b->out->relaxable = true;
        if (s == KT_OK)
            s = combine(and_words ? KT_XOP_AND : KT_XOP_OR, subs, ns, 0, out, b->err);
        if (s == KT_OK && !negated)
            s = add_boosts(b, n, fp, w, nw, l, &tmp);
    }
    free_all(subs, ns);
    kt_buf_free(&tmp);
    free(w);
    free(l);
    return s;
}

/* "site:www.HanoiMoi.vn" -> XSITEhanoimoi.vn */
static kt_status build_site(struct builder *b, const struct kt_qnode *n, kt_xquery **out)
{
    char term[KT_XTERM_MAX + 1];
    const char *v = b->q + n->start;
    size_t len = n->len;
    if (len > 4 && strncmp(v, "www.", 4) == 0) {
        v += 4;
        len -= 4;
    }
    size_t pl = strlen(KT_PFX_SITE);
    if (pl + len > KT_XTERM_MAX)
        len = KT_XTERM_MAX - pl;
    memcpy(term, KT_PFX_SITE, pl);
    for (size_t i = 0; i < len; i++)
        term[pl + i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] - 'A' + 'a') : v[i];
    return kt_xquery_term(term, pl + len, 1, 0, out, b->err);
}

static kt_status build_node(struct builder *b, const struct kt_qnode *n, bool negated,
                            kt_xquery **out);

/* official:"Ngô Thị Thanh Hằng", place:"huyện Thường Tín" -> the entity filter term
 * (indexer/entities.h), exact or folded as the value is typed. */
static kt_status build_entity(struct builder *b, const struct kt_qnode *n, kt_xquery **out)
{
    struct kt_buf term = {0};
    struct kt_err e2 = {0};
    enum kt_entity_type type = n->field == KT_QF_OFFICIAL ? KT_ENTITY_OFFICIAL : KT_ENTITY_PLACE;
    kt_status s = kt_entity_query_term(type, b->q + n->start, n->len, &term, &e2);
    if (s == KT_EINVAL)
        s = kt_err_set(b->err, KT_EQUERY, "position %zu: %s: not a usable name",
                       kt_query_char_pos(b->q, n->start),
                       type == KT_ENTITY_OFFICIAL ? "official" : "place");
    else if (s != KT_OK)
        *b->err = e2;
    else
        s = kt_xquery_term(term.data, term.len, 1, 0, out, b->err);
    kt_buf_free(&term);
    return s;
}

/* Filters (site, date) carry no weight: FILTER(first, rest) or alone as boolean. */
static bool is_filter(const struct kt_qnode *n)
{
    return n->kind == KT_QN_SITE || n->kind == KT_QN_DATE || n->kind == KT_QN_ENTITY;
}

static kt_status build_and(struct builder *b, const struct kt_qnode *n, bool negated,
                           kt_xquery **out)
{
    *out = NULL;
    kt_xquery **pos = calloc(n->n_kids + 1, sizeof *pos);
    kt_xquery **neg = calloc(n->n_kids + 1, sizeof *neg);
    kt_xquery **fil = calloc(n->n_kids + 1, sizeof *fil);
    size_t np = 0, nn = 0, nf = 0;
    kt_status s = pos && neg && fil ? KT_OK : kt_err_set(b->err, KT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n->n_kids && s == KT_OK; i++) {
        const struct kt_qnode *k = n->kids[i];
        kt_xquery *q = NULL;
        if (k->kind == KT_QN_NOT) {
            s = build_node(b, k->kids[0], !negated, &q);
            if (q)
                neg[nn++] = q;
        } else {
            s = build_node(b, k, negated, &q);
            if (q && is_filter(k))
                fil[nf++] = q;
            else if (q)
                pos[np++] = q;
        }
    }
    kt_xquery *main = NULL, *tmp = NULL;
    if (s == KT_OK)
        s = combine(KT_XOP_AND, pos, np, 0, &main, b->err);
    if (s == KT_OK && nf > 0) {
        kt_xquery *f = NULL;
        s = combine(KT_XOP_AND, fil, nf, 0, &f, b->err);
        if (s == KT_OK && !main) {
            s = kt_xquery_scale(f, 0.0, &main, b->err);
        } else if (s == KT_OK) {
            kt_xquery *pair[2] = {main, f};
            s = kt_xquery_combine(KT_XOP_FILTER, pair, 2, 0, &tmp, b->err);
            kt_xquery_free(main);
            main = tmp;
        }
        kt_xquery_free(f);
    }
    if (s == KT_OK && nn > 0) {
        if (!main)
            s = kt_xquery_match_all(&main, b->err);
        kt_xquery **subs = calloc(nn + 1, sizeof *subs);
        if (s == KT_OK && !subs)
            s = kt_err_set(b->err, KT_ENOMEM, "out of memory");
        if (s == KT_OK) {
            subs[0] = main;
            memcpy(subs + 1, neg, nn * sizeof *neg);
            tmp = NULL;
            s = kt_xquery_combine(KT_XOP_AND_NOT, subs, nn + 1, 0, &tmp, b->err);
            kt_xquery_free(main);
            main = tmp;
        }
        free(subs);
    }
    if (pos)
        free_all(pos, np);
    if (neg)
        free_all(neg, nn);
    if (fil)
        free_all(fil, nf);
    free(pos);
    free(neg);
    free(fil);
    if (s != KT_OK) {
        kt_xquery_free(main);
        return s;
    }
    *out = main;
    return KT_OK;
}

static kt_status build_node(struct builder *b, const struct kt_qnode *n, bool negated,
                            kt_xquery **out)
{
    *out = NULL;
    switch (n->kind) {
    case KT_QN_TEXT:
    case KT_QN_PHRASE:
        return build_words(b, n, negated, out);
    case KT_QN_SITE:
        return build_site(b, n, out);
    case KT_QN_ENTITY:
        return build_entity(b, n, out);
    case KT_QN_DATE:
        return kt_xquery_value_range(KT_SLOT_DATE, n->date_from[0] ? n->date_from : NULL,
                                     n->date_from[0] ? 8 : 0, n->date_to[0] ? n->date_to : NULL,
                                     n->date_to[0] ? 8 : 0, out, b->err);
    case KT_QN_AND:
        return build_and(b, n, negated, out);
    case KT_QN_NOT: {
        struct kt_qnode wrap = {0};
        const struct kt_qnode *kids[1] = {n};
        wrap.kind = KT_QN_AND;
        wrap.kids = (struct kt_qnode **)kids;
        wrap.n_kids = 1;
        return build_and(b, &wrap, negated, out);
    }
    case KT_QN_OR: {
        kt_xquery **subs = calloc(n->n_kids + 1, sizeof *subs);
        if (!subs)
            return kt_err_set(b->err, KT_ENOMEM, "out of memory");
        size_t m = 0;
        kt_status s = KT_OK;
        for (size_t i = 0; i < n->n_kids && s == KT_OK; i++) {
            kt_xquery *q = NULL;
            s = build_node(b, n->kids[i], negated, &q);
            if (q)
                subs[m++] = q;
        }
        if (s == KT_OK)
            s = combine(KT_XOP_OR, subs, m, 0, out, b->err);
        free_all(subs, m);
        free(subs);
        return s;
    }
    }
    return KT_OK;
}

void kt_built_query_free(struct kt_built_query *b)
{
    if (!b)
        return;
    kt_xquery_free(b->query);
    for (size_t i = 0; i < b->n_forms; i++)
        free(b->forms[i].body);
    free(b->forms);
    memset(b, 0, sizeof *b);
}

kt_status kt_build_query(vi_analyzer *an, const char *q, const struct kt_qnode *root, bool relaxed,
                         struct kt_built_query *out, struct kt_err *err)
{
    memset(out, 0, sizeof *out);
    if (!root)
        return KT_OK;
    struct builder *b = calloc(1, sizeof *b);
    if (!b)
        return kt_err_set(err, KT_ENOMEM, "query: out of memory");
    b->an = an;
    b->q = q;
    b->relaxed = relaxed;
    b->out = out;
    b->err = err;
    kt_xquery *main = NULL;
    kt_status s = build_node(b, root, false, &main);
    if (s == KT_OK && main && b->n_boosts > 0) {
        kt_xquery *boost = NULL, *fin = NULL;
        s = kt_xquery_combine(KT_XOP_OR, b->boosts, b->n_boosts, 0, &boost, err);
        if (s == KT_OK) {
            kt_xquery *pair[2] = {main, boost};
            s = kt_xquery_combine(KT_XOP_AND_MAYBE, pair, 2, 0, &fin, err);
        }
        kt_xquery_free(boost);
        kt_xquery_free(main);
        main = fin;
    }
    free_all(b->boosts, b->n_boosts);
    free(b);
    if (s != KT_OK) {
        kt_xquery_free(main);
        kt_built_query_free(out);
        return s;
    }
    out->query = main;
    return KT_OK;
}
