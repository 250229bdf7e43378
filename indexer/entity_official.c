/* entity_official.c - finds officials: TITLE NAME ("Chủ tịch UBND huyện X Nguyễn Văn A"),
 * NAME - TITLE / NAME, TITLE / NAME (TITLE), "đồng chí/ông/bà NAME", and title-only or
 * given-name mentions that the linking pass may attach to a person. */
#include "indexer/entity_internal.h"

#include <stdlib.h>
#include <string.h>

#define NAME_MAX_SYL  5
#define PLACE_MAX_SYL 4
#define CHAIN_MAX_TOK 48
#define PLAIN_CAP_MAX 10 /* capitalized words in a row inside a title: place + name */

static bool name_token_ok(const struct et_doc *d, size_t i)
{
    if (!et_is_cap(d, i) || (d->mark[i] & (MK_PERSON | MK_DOC)))
        return false;
    const struct et_tok *t = &d->t[i];
    if (!(t->flags & VI_TF_VIETNAMESE))
        return false;
    if ((t->flags & VI_TF_ALLCAPS) && t->len > 1 && !(t->flags & VI_TF_DIACRITIC) && t->len > 2)
        return false; /* UBND-like acronyms */
    return true;
}

/* [s, e) is a plausible personal name. */
bool et_name_ok(const struct et_doc *d, size_t s, size_t e, bool need_surname)
{
    size_t n = e - s;
    if (n < 2 || n > NAME_MAX_SYL)
        return false;
    for (size_t k = s; k < e; k++) {
        if (!name_token_ok(d, k) || (k > s && !et_adjacent(d, k - 1, k)))
            return false;
        /* one-syllable organ words occur in names (Trường, Đoàn); phrases and levels do not */
        const struct lx_entry *e = NULL;
        size_t m = et_lex(d, k, LX_POSITION | LX_BODY | LX_LEVEL | LX_DOCKIND | LX_HONORIFIC, &e);
        if (m > 1 || (m == 1 && (e->cats & (LX_LEVEL | LX_POSITION | LX_HONORIFIC))))
            return false;
    }
    if (need_surname && !(et_cats1(d, s) & LX_SURNAME))
        return false;
    return true;
}

static size_t cap_run_end(const struct et_doc *d, size_t i, size_t max)
{
    size_t j = i;
    while (j < d->n && j - i < max && name_token_ok(d, j) && (j == i || et_adjacent(d, j - 1, j)))
        j++;
    return j;
}

/* Is the name of tokens [a, b) a gazetteer unit? */
static bool gaz_has(const struct et_doc *d, size_t a, size_t b)
{
    const struct kt_gazetteer *g = d->ex->gaz;
    if (!g || !g->slots || b <= a)
        return false;
    uint64_t key = et_run_key(d, a, b);
    for (size_t i = (size_t)(key ^ (key >> 31)) & g->mask; g->slots[i] >= 0; i = (i + 1) & g->mask)
        if (g->u[g->slots[i]].key == key)
            return true;
    return false;
}

/* Splits the trailing tokens [r0, r1) of a title chain into a place/organ part [r0, p) and a
 * personal name [p, r1). place_taker: the lexicon item before r0 expects a name (level word,
 * "Thành ủy"), so a 2-syllable run there is a place, not a person. Returns p or SIZE_MAX. */
static size_t split_name(const struct et_doc *d, size_t r0, size_t r1, bool place_taker)
{
    size_t best = SIZE_MAX;
    int best_score = -1000;
    for (size_t p = r0; p + 2 <= r1; p++) {
        size_t len = r1 - p;
        if (len > NAME_MAX_SYL || !et_name_ok(d, p, r1, true))
            continue;
        if (p == r0 && place_taker && len < 3)
            continue;
        /* "... Chi nhánh Hà Tĩnh": a two-syllable tail of a longer name is rarely a person */
        if (p > r0 && len == 2 && !(et_cats1(d, p) & LX_STRONG))
            continue;
        if (p > r0 && (p - r0 > PLACE_MAX_SYL + 2 || !et_adjacent(d, p - 1, p)))
            continue;
        uint32_t c = et_cats1(d, p);
        int score = 0;
        if (c & LX_STRONG)
            score += 3;
        score += len == 3 || len == 4 ? 2 : len == 2 ? 1 : -1;
        if (et_cats1(d, p + 1) & LX_MIDDLE)
            score += 2;
        if (p > r0 && p - r0 == 2)
            score += 1;
        if (p > r0 && gaz_has(d, r0, p))
            score += 4;
        if (p == r0 && place_taker && (gaz_has(d, r0, r0 + 2) || gaz_has(d, r0, r0 + 3)))
            score -= 4;
        if (score > best_score) {
            best_score = score;
            best = p;
        }
    }
    return best;
}

struct segment {
    size_t start, end; /* tokens */
    size_t tail;       /* after the last lexicon item / code: [tail, end) are plain words */
    bool taker;        /* the lexicon item before tail expects a name */
    bool has_body;
};

/* One title: a position word, then organs, levels, capitalized words, codes and "của". */
static bool parse_segment(const struct et_doc *d, size_t i, struct segment *s)
{
    const struct lx_entry *e = NULL;
    size_t k = et_lex(d, i, LX_POSITION, &e);
    if (!k || !(d->t[i].flags & VI_TF_CAPITALIZED) || (d->mark[i] & (MK_PERSON | MK_TITLE)))
        return false;
    s->start = i;
    size_t j = i + k;
    s->tail = j;
    s->taker = false;
    s->has_body = k >= 3; /* "Chủ tịch UBND" names its organ */
    bool prev_plain_cap = false;
    size_t plain_run = 0;
    while (j < d->n && j - i < CHAIN_MAX_TOK) {
        if (d->t[j].kind == VI_TOK_PUNCT) {
            /* "Lao động - Thương binh": a dash between capitalized words of one name */
            if (prev_plain_cap && d->t[j].canon_len == 1 && d->t[j].canon[0] == '-' &&
                et_is_cap(d, j + 1) && !et_lex(d, j + 1, LX_POSITION, NULL) &&
                d->t[j].sentence == d->t[j + 1].sentence) {
                j++;
                prev_plain_cap = false;
                continue;
            }
            break;
        }
        if (!et_adjacent(d, j - 1, j) && d->t[j - 1].kind != VI_TOK_PUNCT)
            break;
        if (d->t[j - 1].kind == VI_TOK_PUNCT && !et_adjacent(d, j - 1, j))
            break;
        if (d->mark[j] & MK_PERSON)
            break;
        k = et_lex(d, j, LX_POSITION | LX_BODY | LX_LEVEL | LX_DOCKIND, &e);
        if (k && !(d->t[j].flags & VI_TF_CAPITALIZED) && (e->cats & LX_DOCKIND) &&
            !(e->cats & (LX_BODY | LX_LEVEL | LX_POSITION)))
            k = 0; /* a lowercase "kế hoạch" ends the title */
        if (k == 1 && prev_plain_cap && !(e->cats & (LX_LEVEL | LX_POSITION)) &&
            (d->t[j].flags & VI_TF_CAPITALIZED))
            k = 0; /* "Trường", "Đoàn" after a capitalized word belong to a name */
        if (k) {
            j += k;
            s->tail = j;
            s->taker = (e->cats & (LX_LEVEL | LX_BODY)) != 0;
            if (e->cats & (LX_BODY | LX_LEVEL))
                s->has_body = true;
            prev_plain_cap = false;
            continue;
        }
        const struct et_tok *t = &d->t[j];
        if (et_is_cap(d, j) || (t->kind == VI_TOK_ABBR && (t->flags & VI_TF_CAPITALIZED))) {
            j++;
            prev_plain_cap = true;
            if (++plain_run > PLAIN_CAP_MAX)
                return false; /* a long capitalized run is a heading, not a title + name */
            continue;
        }
        plain_run = 0;
        if (t->kind == VI_TOK_CODE || t->kind == VI_TOK_ROMAN) {
            j++;
            s->tail = j;
            s->taker = false;
            prev_plain_cap = false;
            continue;
        }
        if (t->kind == VI_TOK_WORD && j + 1 < d->n && et_adjacent(d, j, j + 1)) {
            bool next_lex = et_lex(d, j + 1, LX_BODY | LX_LEVEL, NULL) > 0;
            bool next_cap = et_is_cap(d, j + 1);
            if (et_word_is(d, j, "của") && (next_lex || next_cap)) {
                j++;
                s->tail = j;
                s->taker = false;
                prev_plain_cap = false;
                continue;
            }
            if (et_word_is(d, j, "và") && next_cap && !et_lex(d, j + 1, LX_POSITION, NULL) &&
                !(et_cats1(d, j + 1) & LX_SURNAME) && s->has_body) {
                j++;
                prev_plain_cap = false;
                continue;
            }
            /* lowercase syllable inside a capitalized name: "Sở Y tế Hà Nội" */
            if (prev_plain_cap && (next_cap || next_lex) &&
                !(et_cats1(d, j) & (LX_STOP | LX_CLAUSEVERB | LX_HONORIFIC))) {
                j++;
                prev_plain_cap = true;
                continue;
            }
        }
        break;
    }
    /* a dangling "và" / "của" is not part of the title */
    while (j > s->tail && j > i + 1 && (et_word_is(d, j - 1, "và") || et_word_is(d, j - 1, "của")))
        j--;
    if (s->tail > j)
        s->tail = j;
    s->end = j;
    return true;
}

/* A chain of titles separated by commas: "Ủy viên T.Ư Đảng, Phó Bí thư Thường trực Thành ủy". */
static size_t parse_chain(const struct et_doc *d, size_t i, struct segment *last, size_t *nseg)
{
    struct segment s;
    *nseg = 0;
    if (!parse_segment(d, i, &s))
        return i;
    *last = s;
    *nseg = 1;
    while (last->end + 1 < d->n && et_is_punct(d, last->end, ',') && last->tail == last->end &&
           parse_segment(d, last->end + 1, &s)) {
        *last = s;
        (*nseg)++;
    }
    return last->end;
}

static kt_status register_person(struct et_doc *d, const char *name, const char *title, int *idx)
{
    struct kt_buf a = {0};
    kt_status rc = et_norm(name, strlen(name), false, &a);
    uint64_t key = rc == KT_OK ? lx_syl_key(a.data, a.len) : 0;
    kt_buf_free(&a);
    if (rc != KT_OK)
        return rc;
    int found = -1;
    for (size_t p = 0; p < d->n_persons && found < 0; p++)
        if (d->persons[p].key == key)
            found = (int)p;
    if (found < 0) {
        if (d->n_persons == d->cap_persons) {
            size_t cap = d->cap_persons ? d->cap_persons * 2 : 8;
            struct person *v = realloc(d->persons, cap * sizeof *v);
            if (!v)
                return KT_ENOMEM;
            d->persons = v;
            d->cap_persons = cap;
        }
        struct person *p = &d->persons[d->n_persons];
        memset(p, 0, sizeof *p);
        p->name = et_strdup(name);
        if (!p->name)
            return KT_ENOMEM;
        p->key = key;
        p->first = d->out->n;
        found = (int)d->n_persons++;
    }
    struct person *p = &d->persons[found];
    if (title && *title) {
        for (size_t k = 0; k < p->n_titles; k++)
            if (strcmp(p->titles[k], title) == 0) {
                *idx = found;
                return KT_OK;
            }
        char **v = realloc(p->titles, (p->n_titles + 1) * sizeof *v);
        if (!v)
            return KT_ENOMEM;
        p->titles = v;
        if (!(v[p->n_titles] = et_strdup(title)))
            return KT_ENOMEM;
        p->n_titles++;
    }
    *idx = found;
    return KT_OK;
}

static void mark_range(struct et_doc *d, size_t a, size_t b, uint8_t m)
{
    for (size_t k = a; k < b && k < d->n; k++)
        d->mark[k] |= m;
}

/* Adds an official mention of the name [ns, ne) with the title span [ts, te) (ts == te: none).
 * weak: introduced by ông/bà only; kept by the linking pass only if the person has a title. */
static kt_status add_official(struct et_doc *d, size_t ns, size_t ne, size_t ts, size_t te,
                              bool weak)
{
    char *name = et_span_dup(d, et_tok_start(d, ns), et_tok_end(d, ne));
    char *title = te > ts ? et_span_dup(d, et_tok_start(d, ts), et_tok_end(d, te)) : NULL;
    if (!name || (te > ts && !title)) {
        free(name);
        free(title);
        return KT_ENOMEM;
    }
    int idx = -1;
    kt_status rc = register_person(d, name, title, &idx);
    free(title);
    struct kt_entity *e = rc == KT_OK ? et_add(d, KT_ENTITY_OFFICIAL, ns, ne) : NULL;
    if (!e) {
        free(name);
        return KT_ENOMEM;
    }
    e->name = name;
    e->person = idx;
    if (!weak)
        d->persons[idx].strong = true;
    mark_range(d, ns, ne, MK_PERSON);
    mark_range(d, ts, te, MK_TITLE);
    return KT_OK;
}

/* A mention that needs linking: a title without a name, or a given name alone. */
static kt_status add_pending(struct et_doc *d, size_t s, size_t e_tok, bool title_only,
                             bool has_body)
{
    struct kt_entity *e = et_add(d, KT_ENTITY_OFFICIAL, s, e_tok);
    if (!e)
        return KT_ENOMEM;
    char *txt = et_span_dup(d, et_tok_start(d, s), et_tok_end(d, e_tok));
    if (!txt)
        return KT_ENOMEM;
    if (title_only)
        e->title = txt;
    else
        e->name = txt;
    e->person = !title_only ? PENDING_GIVEN : has_body ? PENDING_TITLE_BODY : PENDING_TITLE;
    e->linked = true;
    return KT_OK;
}

/* After a name: ", TITLE", " - TITLE", "(TITLE)". Sets [*ts, *te) and returns true. */
static bool post_title(const struct et_doc *d, size_t r, size_t *ts, size_t *te)
{
    if (r + 1 >= d->n || d->t[r].kind != VI_TOK_PUNCT || d->t[r].canon_len < 1)
        return false;
    char c = d->t[r].canon[0];
    if (c != ',' && c != '-' && c != '(')
        return false;
    if (d->t[r].sentence != d->t[r + 1].sentence)
        return false;
    struct segment last;
    size_t nseg = 0;
    size_t start = r + 1;
    /* "Kiều Đình Hoà, nguyên Giám đốc ...": a former holder */
    if ((et_word_is(d, start, "nguyên") || et_word_is(d, start, "cựu")) &&
        et_adjacent(d, start, start + 1))
        start++;
    size_t end = parse_chain(d, start, &last, &nseg);
    if (!nseg)
        return false;
    if (c == '(' && !et_is_punct(d, end, ')'))
        return false;
    /* "báo Hà Tĩnh, Thượng tá Trần Hải Trung - ...": the "title" ends with another person's
     * name, so it introduces that person, not the one before the comma */
    size_t p = last.end > last.tail ? split_name(d, last.tail, last.end, last.taker) : SIZE_MAX;
    if (p != SIZE_MAX && last.end - p >= 3)
        return false;
    *ts = start;
    *te = end;
    return true;
}

kt_status et_officials(struct et_doc *d)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        if (d->mark[i] & (MK_PERSON | MK_TITLE | MK_DOC))
            continue;
        const struct lx_entry *e = NULL;
        size_t k = et_lex(d, i, LX_HONORIFIC, &e);
        if (k && i + k < d->n && et_adjacent(d, i + k - 1, i + k) && et_is_cap(d, i + k) &&
            !et_lex(d, i + k, LX_POSITION, NULL)) {
            size_t j = i + k;
            bool comrade = k == 2 || et_word_is(d, i, "đ");
            size_t r = cap_run_end(d, j, NAME_MAX_SYL + 1);
            if (r - j >= 2 && et_name_ok(d, j, r, false)) {
                size_t ts = 0, te = 0;
                bool has_title = post_title(d, r, &ts, &te);
                rc = add_official(d, j, r, ts, has_title ? te : ts, !comrade && !has_title);
                i = (has_title ? te : r) - 1;
                continue;
            }
            if (r - j == 1 && (r >= d->n || !et_is_cap(d, r))) {
                rc = add_pending(d, j, r, false, false);
                i = r - 1;
                continue;
            }
        }
        if (et_is_cap(d, i) && et_lex(d, i, LX_POSITION, NULL)) {
            struct segment last;
            size_t nseg = 0;
            size_t end = parse_chain(d, i, &last, &nseg);
            if (nseg) {
                size_t p = SIZE_MAX;
                if (last.end > last.tail)
                    p = split_name(d, last.tail, last.end, last.taker);
                if (p != SIZE_MAX) {
                    rc = add_official(d, p, last.end, i, p, false);
                } else if (nseg == 1) {
                    mark_range(d, i, end, MK_TITLE);
                    rc = add_pending(d, i, end, true, last.has_body);
                } else {
                    mark_range(d, i, end, MK_TITLE);
                }
                i = end - 1;
                continue;
            }
        }
        if (et_is_cap(d, i) && (et_cats1(d, i) & LX_SURNAME) &&
            (i == 0 || !et_adjacent(d, i - 1, i) || !et_is_cap(d, i - 1))) {
            size_t r = cap_run_end(d, i, NAME_MAX_SYL + 1);
            size_t ts, te;
            if (et_name_ok(d, i, r, true) && post_title(d, r, &ts, &te)) {
                rc = add_official(d, i, r, ts, te, false);
                i = te - 1;
                continue;
            }
        }
    }
    return rc;
}
