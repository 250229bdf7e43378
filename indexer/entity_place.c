/* entity_place.c - finds administrative units: a level word and a capitalized name ("huyện
 * Thường Tín", "TP. Hà Nội", "1 xã (Hồng Vân)", "các xã A, B và C"), names after organs that
 * imply a level ("Thành ủy Hà Nội" -> thành phố Hà Nội), sub-units in parentheses ("Nhân Hiền
 * (xã Hiền Giang)" -> thôn), and bare names resolved from the article, coordination or the
 * optional gazetteer. */
#include "indexer/entity_internal.h"

#include <stdlib.h>
#include <string.h>

#define PLACE_MAX_SYL 5

/* Per-text indexes that keep the pass linear: entity starting / ending at each token, and the
 * best level known for each normalized name. */
struct pctx {
    struct et_doc *d;
    int32_t *starts; /* per token: place entity index + 1 starting there, 0 none */
    int32_t *ends;   /* per token: place entity index + 1 whose last token it is */
    uint64_t *hk;    /* name hash table: keys (0 empty) */
    int8_t *hl;      /* ... best level */
    size_t hmask, hn;
};

static int level_rank(int level);

static kt_status known_put(struct pctx *c, uint64_t key, int level)
{
    if ((c->hn + 1) * 2 > c->hmask + 1) {
        size_t cap = (c->hmask + 1) * 2;
        uint64_t *hk = calloc(cap, sizeof *hk);
        int8_t *hl = calloc(cap, 1);
        if (!hk || !hl) {
            free(hk);
            free(hl);
            return KT_ENOMEM;
        }
        for (size_t i = 0; i <= c->hmask; i++) {
            if (!c->hk[i])
                continue;
            size_t j = (size_t)c->hk[i] & (cap - 1);
            while (hk[j])
                j = (j + 1) & (cap - 1);
            hk[j] = c->hk[i];
            hl[j] = c->hl[i];
        }
        free(c->hk);
        free(c->hl);
        c->hk = hk;
        c->hl = hl;
        c->hmask = cap - 1;
    }
    size_t j = (size_t)key & c->hmask;
    while (c->hk[j] && c->hk[j] != key)
        j = (j + 1) & c->hmask;
    if (!c->hk[j]) {
        c->hk[j] = key;
        c->hl[j] = (int8_t)level;
        c->hn++;
    } else if (level_rank(level) > level_rank(c->hl[j])) {
        c->hl[j] = (int8_t)level;
    }
    return KT_OK;
}

static int known_get(const struct pctx *c, uint64_t key)
{
    size_t j = (size_t)key & c->hmask;
    while (c->hk[j]) {
        if (c->hk[j] == key)
            return c->hl[j];
        j = (j + 1) & c->hmask;
    }
    return 0;
}

static bool place_token_ok(const struct et_doc *d, size_t i)
{
    if (!et_is_cap(d, i) || (d->mark[i] & (MK_PERSON | MK_DOC | MK_DATE)))
        return false;
    /* one-syllable organ words occur inside names (Hải Phòng, Hội An); phrases do not */
    const struct lx_entry *e = NULL;
    size_t k = et_lex(d, i, LX_POSITION | LX_BODY | LX_LEVEL | LX_DOCKIND, &e);
    return k == 0 || (k == 1 && !(e->cats & (LX_LEVEL | LX_POSITION)));
}

/* Capitalized name after a level word; "Bà Rịa - Vũng Tàu" keeps its dash. Returns the end. */
static size_t place_run(const struct et_doc *d, size_t j)
{
    size_t r = j, syl = 0;
    while (r < d->n && syl < PLACE_MAX_SYL) {
        if (place_token_ok(d, r) && (r == j || et_adjacent(d, r - 1, r))) {
            r++;
            syl++;
            continue;
        }
        if (r > j && r + 1 < d->n && et_is_punct(d, r, '-') && place_token_ok(d, r + 1) &&
            d->t[r].sentence == d->t[r + 1].sentence && syl >= 2) {
            size_t q = r + 1;
            size_t k = 0;
            while (q < d->n && k < 3 && place_token_ok(d, q) &&
                   (q == r + 1 || et_adjacent(d, q - 1, q))) {
                q++;
                k++;
            }
            if (k >= 2 && syl + k <= PLACE_MAX_SYL + 1) {
                r = q;
                syl += k;
                continue;
            }
        }
        break;
    }
    return r;
}

static const char *const hcm = "Hồ Chí Minh";

/* Adds a place mention for tokens [a, b) whose name is [na, nb). */
static kt_status add_place(struct pctx *c, size_t a, size_t b, size_t na, size_t nb, int level,
                           bool expl, struct kt_entity **out)
{
    struct et_doc *d = c->d;
    struct kt_entity *e = et_add(d, KT_ENTITY_PLACE, a, b);
    if (!e)
        return KT_ENOMEM;
    e->level = kt_level_names[level];
    e->explicit_level = expl;
    e->name = et_span_dup(d, et_tok_start(d, na), et_tok_end(d, nb));
    if (!e->name)
        return KT_ENOMEM;
    for (size_t k = na; k < nb; k++)
        d->mark[k] |= MK_PLACE;
    int32_t idx = (int32_t)(d->out->n - 1) + 1;
    if (!c->starts[a])
        c->starts[a] = idx;
    c->ends[b - 1] = idx;
    kt_status rc = known_put(c, et_run_key(d, na, nb), level);
    if (out)
        *out = e;
    return rc;
}

static bool abbr_level_ok(const struct et_doc *d, size_t i, size_t k)
{
    /* one-letter and two/three-letter abbreviations (Q., H., TP, TX.) must be written in
     * capitals; a lowercase "p" or "h" is not a level */
    if (k != 1)
        return true;
    const struct et_tok *t = &d->t[i];
    size_t len = t->norm_len;
    if (len > 4 || (t->flags & VI_TF_DIACRITIC))
        return true; /* a real word: xã, huyện, tỉnh (norm keeps only a short prefix) */
    if (len && t->norm[len - 1] == '.')
        len--;
    if (len > 3)
        return true;
    if (len == 1 && t->kind != VI_TOK_ABBR)
        return false; /* "Q." / "H." need their dot */
    return (t->flags & VI_TF_CAPITALIZED) &&
           (len == 1 || (t->flags & VI_TF_ALLCAPS) || (len == 2 && t->norm[0] == 't'));
}

static bool plural_before(const struct et_doc *d, size_t i)
{
    if (i == 0 || !et_adjacent(d, i - 1, i))
        return false;
    return (et_cats1(d, i - 1) & LX_PLURAL) || d->t[i - 1].kind == VI_TOK_NUMBER;
}

/* Level word at i, explicit names after it. Returns the last token used. */
static size_t level_names(struct pctx *c, size_t i, size_t k, int level, kt_status *rc)
{
    struct et_doc *d = c->d;
    size_t j = i + k;
    if (j >= d->n)
        return i;
    if (et_adjacent(d, j - 1, j) && place_token_ok(d, j)) {
        size_t r = place_run(d, j);
        *rc = add_place(c, i, r, j, r, level, true, NULL);
        size_t last = r - 1;
        if (plural_before(d, i)) {
            /* "các xã Hồng Vân, Vân Tảo và Dũng Tiến" */
            while (*rc == KT_OK && last + 2 < d->n &&
                   (et_is_punct(d, last + 1, ',') || et_word_is(d, last + 1, "và")) &&
                   place_token_ok(d, last + 2) && d->t[last + 2].sentence == d->t[i].sentence) {
                size_t s = last + 2;
                size_t e = place_run(d, s);
                if (e - s < 2)
                    break;
                *rc = add_place(c, s, e, s, e, level, true, NULL);
                last = e - 1;
            }
        }
        return last;
    }
    if ((level == LV_QUAN || level == LV_PHUONG) && et_adjacent(d, j - 1, j) &&
        d->t[j].kind == VI_TOK_NUMBER && d->t[j].v.num.is_int && d->t[j].v.num.ivalue > 0 &&
        d->t[j].v.num.ivalue <= 30 && (d->t[i].flags & VI_TF_CAPITALIZED)) {
        *rc = add_place(c, i, j + 1, j, j + 1, level, true, NULL);
        d->mark[j] |= MK_PLACE;
        return j;
    }
    if (et_is_punct(d, j, '(') && j + 1 < d->n && place_token_ok(d, j + 1)) {
        /* "1 xã (Hồng Vân)", "2 xã (A, B)" */
        size_t s = j + 1, last = j;
        while (*rc == KT_OK && s < d->n && place_token_ok(d, s)) {
            size_t e = place_run(d, s);
            if (!(et_is_punct(d, e, ')') || et_is_punct(d, e, ',') || et_word_is(d, e, "và")))
                break;
            *rc = add_place(c, s, e, s, e, level, true, NULL);
            last = e;
            if (et_is_punct(d, e, ')'))
                break;
            s = e + 1;
        }
        return last;
    }
    return i;
}

/* ------------------------------ bare names ------------------------------ */

static int level_rank(int level)
{
    static const int rank[LV_COUNT] = {0, 9, 9, 8, 8, 8, 6, 6, 6, 4, 4};
    return level > 0 && level < LV_COUNT ? rank[level] : 0;
}

static int level_of(const char *name)
{
    for (int l = 1; l < LV_COUNT; l++)
        if (name == kt_level_names[l])
            return l;
    return 0;
}

struct gz_pick {
    struct pctx *c;
    const struct kt_gazetteer *g;
    bool locative;
    int level;
    int32_t unit;
};

static bool parent_named(struct pctx *c, const struct kt_gazetteer *g, int32_t parent)
{
    if (parent < 0)
        return false;
    const struct gz_unit *p = &g->u[parent];
    return known_get(c, p->key) != 0;
}

static bool gz_pick_fn(void *ud, const struct gz_unit *u, int32_t idx)
{
    struct gz_pick *pk = ud;
    if (parent_named(pk->c, pk->g, u->parent)) {
        pk->level = u->level;
        pk->unit = idx;
        return true;
    }
    if (u->parent < 0 && pk->locative && !pk->level) {
        pk->level = u->level;
        pk->unit = idx;
    }
    return false;
}

static kt_status set_parent_from_gaz(struct kt_entity *e, const struct kt_gazetteer *g,
                                     int32_t unit)
{
    int32_t p = g->u[unit].parent;
    if (p < 0 || e->parent)
        return KT_OK;
    struct kt_buf b = {0};
    kt_status rc = kt_buf_printf(&b, "%s %s", kt_level_names[g->u[p].level], g->u[p].name);
    if (rc == KT_OK)
        e->parent = kt_buf_detach(&b);
    kt_buf_free(&b);
    return rc == KT_OK && !e->parent ? KT_ENOMEM : rc;
}

static bool bare_start_ok(const struct et_doc *d, size_t i)
{
    if (!place_token_ok(d, i) || (d->mark[i] & (MK_PLACE | MK_TITLE)))
        return false;
    if (et_lex(d, i, LX_HONORIFIC, NULL) && et_is_cap(d, i + 1))
        return false;
    return i == 0 || !et_adjacent(d, i - 1, i) || !et_is_cap(d, i - 1);
}

/* The level of a place entity that ends right before [s, e) across "và", or starts right
 * after it, in the same sentence; 0 if none. */
static int coordinated_level(struct pctx *c, size_t s, size_t e)
{
    struct et_doc *d = c->d;
    /* only "và": a comma in "quận Hoàng Mai, Hà Nội" joins a unit to its parent */
    if (s >= 2 && et_word_is(d, s - 1, "và") && c->ends[s - 2] &&
        d->t[s - 2].sentence == d->t[s].sentence)
        return level_of(d->out->items[c->ends[s - 2] - 1].level);
    if (e + 1 < d->n && et_word_is(d, e, "và") && c->starts[e + 1] &&
        d->t[e + 1].sentence == d->t[s].sentence)
        return level_of(d->out->items[c->starts[e + 1] - 1].level);
    return 0;
}

static kt_status bare_names(struct pctx *c, bool final)
{
    struct et_doc *d = c->d;
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        if (!bare_start_ok(d, i))
            continue;
        size_t r = place_run(d, i);
        if (r - i < 2 || r - i > 4 || (r < d->n && et_adjacent(d, r - 1, r) && et_is_cap(d, r))) {
            i = r > i ? r - 1 : i;
            continue;
        }
        uint64_t key = et_run_key(d, i, r);
        int level = known_get(c, key);
        int32_t unit = -1;
        if (!level && d->ex->gaz) {
            struct gz_pick pk = {c, d->ex->gaz, false, 0, -1};
            pk.locative = i > 0 && et_adjacent(d, i - 1, i) && (et_cats1(d, i - 1) & LX_LOCATIVE);
            gz_each(d->ex->gaz, key, gz_pick_fn, &pk);
            level = pk.level;
            unit = pk.unit;
        }
        if (!level && final)
            level = coordinated_level(c, i, r);
        if (level) {
            struct kt_entity *e = NULL;
            rc = add_place(c, i, r, i, r, level, false, &e);
            if (rc == KT_OK && unit >= 0)
                rc = set_parent_from_gaz(e, d->ex->gaz, unit);
        }
        i = r - 1;
    }
    return rc;
}

/* ------------------------------ sub-units in parentheses ------------------------------ */

static int level_below(int level)
{
    switch (level) {
    case LV_THANHPHO:
    case LV_TINH:
        return LV_HUYEN;
    case LV_QUAN:
    case LV_HUYEN:
    case LV_THIXA:
        return LV_XA;
    case LV_XA:
    case LV_THITRAN:
        return LV_THON;
    case LV_PHUONG:
        return LV_TODANPHO;
    default:
        return 0;
    }
}

static kt_status set_parent(struct kt_entity *e, const struct kt_entity *p)
{
    if (e->parent)
        return KT_OK;
    struct kt_buf b = {0};
    if (kt_buf_printf(&b, "%s %s", p->level, p->name) != KT_OK)
        return KT_ENOMEM;
    e->parent = kt_buf_detach(&b);
    return e->parent ? KT_OK : KT_ENOMEM;
}

/* "Nhân Hiền (xã Hiền Giang)": the name before the parenthesis is a unit of the level below;
 * "thôn Đông Cứu (xã Dũng Tiến)": the parent of an explicit unit. */
static kt_status sub_units(struct pctx *c)
{
    struct et_doc *d = c->d;
    kt_status rc = KT_OK;
    for (size_t i = 1; i + 2 < d->n && rc == KT_OK; i++) {
        if (!et_is_punct(d, i, '(') || d->t[i - 1].sentence != d->t[i].sentence)
            continue;
        if (!c->starts[i + 1] || !d->out->items[c->starts[i + 1] - 1].explicit_level)
            continue;
        size_t inner_idx = (size_t)c->starts[i + 1] - 1;
        struct kt_entity *inner = &d->out->items[inner_idx];
        size_t r = i; /* name ends before the parenthesis */
        size_t s = r;
        while (s > 0 && et_is_cap(d, s - 1) && !(d->mark[s - 1] & (MK_PERSON | MK_DOC)) &&
               (s == r || et_adjacent(d, s - 1, s)) && r - s < 4)
            s--;
        if (s == r)
            continue;
        /* an explicit unit ending there? */
        struct kt_entity *outer = c->ends[r - 1] ? &d->out->items[c->ends[r - 1] - 1] : NULL;
        if (outer) {
            rc = set_parent(outer, &d->out->items[inner_idx]);
            continue;
        }
        if (r - s < 2 || !bare_start_ok(d, s))
            continue;
        int below = level_below(level_of(inner->level));
        if (!below)
            continue;
        struct kt_entity *e = NULL;
        rc = add_place(c, s, r, s, r, below, false, &e);
        if (rc == KT_OK)
            rc = set_parent(e, &d->out->items[inner_idx]); /* items may have moved: re-index */
    }
    return rc;
}

kt_status et_places(struct et_doc *d)
{
    struct pctx c = {.d = d};
    c.starts = calloc(d->n + 1, sizeof *c.starts);
    c.ends = calloc(d->n + 1, sizeof *c.ends);
    c.hk = calloc(64, sizeof *c.hk);
    c.hl = calloc(64, 1);
    c.hmask = 63;
    kt_status rc = c.starts && c.ends && c.hk && c.hl ? KT_OK : KT_ENOMEM;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        if (d->mark[i] & (MK_PERSON | MK_DOC | MK_PLACE))
            continue;
        const struct et_tok *t = &d->t[i];
        if (t->kind == VI_TOK_ABBR && t->norm_len > 3 && memcmp(t->norm, "tp.", 3) == 0) {
            /* TP.HCM, Tp.HCM */
            struct kt_entity *e = et_add(d, KT_ENTITY_PLACE, i, i + 1);
            if (!e) {
                rc = KT_ENOMEM;
                break;
            }
            e->level = kt_level_names[LV_THANHPHO];
            e->explicit_level = true;
            bool is_hcm = t->norm_len == 6 && memcmp(t->norm + 3, "hcm", 3) == 0;
            e->name = is_hcm ? et_strdup(hcm) : et_span_dup(d, t->off + 3, t->off + t->len);
            if (!e->name) {
                rc = KT_ENOMEM;
                break;
            }
            d->mark[i] |= MK_PLACE;
            continue;
        }
        const struct lx_entry *e = NULL;
        size_t k = et_lex(d, i, LX_LEVEL | LX_BODY, &e);
        if (!k)
            continue;
        if ((e->cats & LX_LEVEL) && abbr_level_ok(d, i, k)) {
            size_t last = level_names(&c, i, k, e->level, &rc);
            if (last > i)
                i = last;
            continue;
        }
        if ((e->cats & LX_BODY) && e->level && i + k < d->n && et_adjacent(d, i + k - 1, i + k) &&
            place_token_ok(d, i + k)) {
            size_t r = place_run(d, i + k);
            /* "Thành ủy Ngô Thị Thanh Hằng" is a person, not a city */
            bool person = r - (i + k) >= 3 && et_name_ok(d, i + k, r, true);
            if (r - (i + k) >= 1 && !person) {
                rc = add_place(&c, i + k, r, i + k, r, e->level, false, NULL);
                i = r - 1;
            }
        }
    }
    if (rc == KT_OK)
        rc = sub_units(&c);
    if (rc == KT_OK)
        rc = bare_names(&c, false);
    if (rc == KT_OK)
        rc = bare_names(&c, true);
    free(c.starts);
    free(c.ends);
    free(c.hk);
    free(c.hl);
    return rc;
}
