/* entity_figure.c - finds figures: a number in Vietnamese format with the unit noun phrase
 * after it ("28/28 xã", "49,5 triệu đồng", "40,7%", "402 trên 538 chi bộ", "40-50 tuổi"),
 * excluding dates, years, clock times, term ranges, ordinals, document numbers and numbers
 * inside names; and what the figure measures. */
#include "indexer/entity_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS   15 /* longer numbers are not statistics (and lose precision) */
#define MEASURE_TOKS 8

static size_t digit_count(const struct et_doc *d, size_t i)
{
    size_t n = 0;
    const char *s = d->text + d->t[i].off;
    for (size_t k = 0; k < d->t[i].len; k++)
        if (s[k] >= '0' && s[k] <= '9')
            n++;
    return n;
}

/* A number right after a label word ("số 2", "lần thứ 3", "năm 2019", "đối tượng 1"), glued to a
 * word or a dash ("-2015"), or inside a name, is not a figure. */
static bool excluded_by_left(const struct et_doc *d, size_t i)
{
    if (i == 0)
        return false;
    const struct et_tok *p = &d->t[i - 1];
    if (p->sentence != d->t[i].sentence)
        return false;
    bool glued = p->off + p->len == d->t[i].off;
    if (glued && p->kind != VI_TOK_PUNCT)
        return true;
    if (p->kind == VI_TOK_PUNCT) {
        char c = p->canon_len ? p->canon[0] : 0;
        if (glued && (c == '-' || c == '/' || c == '.' || c == '#'))
            return true;
        /* "444...4,5": the tail of a number the analyzer split */
        if (glued && c == ',' && i >= 2 &&
            (d->t[i - 2].kind == VI_TOK_NUMBER || d->t[i - 2].kind == VI_TOK_CODE ||
             d->t[i - 2].kind == VI_TOK_ALNUM) &&
            d->t[i - 2].off + d->t[i - 2].len == p->off)
            return true;
        return false;
    }
    if (!et_adjacent(d, i - 1, i))
        return false;
    if (d->mark[i - 1] & (MK_DOC | MK_PERSON))
        return true;
    /* two-syllable labels such as "đối tượng", "giai đoạn", "nhiệm kỳ", "quốc lộ" */
    if (i >= 2 && et_lex(d, i - 2, LX_LABEL, NULL) == 2)
        return true;
    if (et_cats1(d, i - 1) & LX_LABEL)
        return true;
    /* "Quận 1", "Khu 3": a number right after a capitalized word inside a name */
    if (et_is_cap(d, i - 1) && !(p->flags & VI_TF_SENT_START) &&
        !(et_cats1(d, i - 1) & (LX_STOP | LX_CLAUSEVERB | LX_LOCATIVE | LX_DATEWORD | LX_PLURAL)))
        return true;
    return false;
}

/* Is token j a possible unit head (lowercase word that is not a function word, or a known
 * unit in any case)? */
static bool unit_head(const struct et_doc *d, size_t j)
{
    if (!et_is_word(d, j) || (d->mark[j] & (MK_PERSON | MK_DOC | MK_DATE)))
        return false;
    if (et_lex(d, j, LX_UNIT | LX_SCALE, NULL))
        return true;
    const struct et_tok *t = &d->t[j];
    if (t->flags & VI_TF_CAPITALIZED)
        return false;
    if (t->kind != VI_TOK_WORD || !(t->flags & VI_TF_VIETNAMESE))
        return false;
    return !(et_cats1(d, j) & LX_STOP);
}

struct unit {
    size_t start, end; /* tokens of the unit phrase */
    size_t text_end;   /* token after the figure's text (unit + "/người/năm") */
    int scale_exp;
};

/* Reads the unit phrase at j; false if there is none. */
static bool read_unit(const struct et_doc *d, size_t j, struct unit *u)
{
    if (j >= d->n || !unit_head(d, j))
        return false;
    u->start = j;
    u->scale_exp = 0;
    const struct lx_entry *e = NULL;
    size_t k = et_lex(d, j, LX_SCALE, &e);
    if (k) {
        u->scale_exp = e->scale_exp;
        size_t c = j + k;
        size_t kk = 0;
        if (c < d->n && et_adjacent(d, c - 1, c) &&
            ((kk = et_lex(d, c, LX_UNIT, NULL)) || unit_head(d, c)))
            c += kk ? kk : 1;
        u->end = c;
    } else {
        k = et_lex(d, j, LX_UNIT, NULL);
        u->end = j + (k ? k : 1);
        /* an unknown head is usually a two-syllable noun: "07 sáng kiến" */
        size_t c = j + 1;
        if (!k && c < d->n && et_adjacent(d, j, c) && d->t[c].kind == VI_TOK_WORD &&
            (d->t[c].flags & VI_TF_VIETNAMESE) && !(d->t[c].flags & VI_TF_CAPITALIZED) &&
            !(et_cats1(d, c) & (LX_STOP | LX_CLAUSEVERB | LX_UNIT | LX_LABEL | LX_LEVEL)) &&
            !et_lex(d, c, LX_UNIT | LX_LEVEL | LX_BODY | LX_POSITION, NULL))
            u->end = c + 1;
    }
    /* "triệu đồng/người/năm" */
    size_t t = u->end;
    while (t + 1 < d->n && et_is_punct(d, t, '/') && d->t[t].off == et_tok_end(d, t) &&
           d->t[t + 1].off == d->t[t].off + d->t[t].len && et_is_word(d, t + 1))
        t += 2;
    u->text_end = t;
    return true;
}

/* "(chiếm 40,7%)" between a ratio and its unit: returns the token after ')' or SIZE_MAX. */
static size_t skip_paren(const struct et_doc *d, size_t j)
{
    if (!et_is_punct(d, j, '('))
        return SIZE_MAX;
    for (size_t k = j + 1; k < d->n && k < j + 16; k++) {
        if (d->t[k].sentence != d->t[j].sentence)
            return SIZE_MAX;
        if (et_is_punct(d, k, ')'))
            return k + 1;
    }
    return SIZE_MAX;
}

/* What a figure measures: for a count, the unit with the modifiers that follow it
 * ("mô hình nông nghiệp công nghệ cao"); for a percentage or an amount, the subject of the
 * clause before the verb ("Thu nhập bình quân đầu người năm 2019"). */
static char *measure_of(const struct et_doc *d, size_t num, const struct unit *u, bool count)
{
    if (count && u) {
        size_t e = u->end;
        while (e < d->n && e - u->start < MEASURE_TOKS && et_adjacent(d, e - 1, e) &&
               et_is_word(d, e) && !(et_cats1(d, e) & (LX_STOP | LX_CLAUSEVERB)) &&
               !(d->mark[e] & (MK_PERSON | MK_DATE | MK_DOC)))
            e++;
        return et_span_dup(d, et_tok_start(d, u->start), et_tok_end(d, e));
    }
    /* walk back to the clause start */
    size_t s = num;
    while (s > 0 && num - s < 24) {
        const struct et_tok *p = &d->t[s - 1];
        if (p->sentence != d->t[num].sentence || p->kind == VI_TOK_PUNCT ||
            p->kind == VI_TOK_NUMBER || p->kind == VI_TOK_PERCENT || p->kind == VI_TOK_FRACTION)
            break;
        s--;
    }
    size_t e = num;
    /* drop the verb and adverbs right before the number: "đạt", "tăng", "trên" */
    while (e > s && (et_cats1(d, e - 1) & (LX_CLAUSEVERB | LX_STOP)))
        e--;
    if (e <= s)
        return NULL;
    if (e - s > MEASURE_TOKS + 4)
        s = e - (MEASURE_TOKS + 4);
    /* start after a verb inside the window */
    for (size_t k = e; k > s; k--)
        if (et_cats1(d, k - 1) & LX_CLAUSEVERB) {
            s = k;
            break;
        }
    if (e <= s)
        return NULL;
    return et_span_dup(d, et_tok_start(d, s), et_tok_end(d, e));
}

static kt_status add_figure(struct et_doc *d, size_t a, size_t text_end, double value,
                            bool has_total, double total, const struct unit *u, const char *unit_s,
                            bool count)
{
    struct kt_entity *e = et_add(d, KT_ENTITY_FIGURE, a, text_end);
    if (!e)
        return KT_ENOMEM;
    e->value = value;
    e->has_total = has_total;
    e->total = total;
    if (unit_s) {
        e->unit = et_strdup(unit_s);
    } else if (u) {
        e->unit = et_span_dup(d, et_tok_start(d, u->start), et_tok_end(d, u->end));
        if (u->scale_exp) {
            e->has_scaled = true;
            e->scaled = value * pow(10.0, u->scale_exp);
        }
    }
    if ((unit_s || u) && !e->unit)
        return KT_ENOMEM;
    e->measure = measure_of(d, a, u, count);
    for (size_t k = a; k < text_end; k++)
        d->mark[k] |= MK_FIGURE;
    return KT_OK;
}

static bool is_year(const struct et_doc *d, size_t i)
{
    const struct et_tok *t = &d->t[i];
    return t->kind == VI_TOK_NUMBER && t->v.num.is_int && t->len == 4 && t->v.num.ivalue >= 1900 &&
           t->v.num.ivalue <= 2100;
}

kt_status et_figures(struct et_doc *d)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        if (d->mark[i] & (MK_DOC | MK_DATE | MK_PERSON | MK_FIGURE | MK_PLACE))
            continue;
        const struct et_tok *t = &d->t[i];
        struct unit u;
        switch (t->kind) {
        case VI_TOK_PERCENT:
            if (digit_count(d, i) > MAX_DIGITS || excluded_by_left(d, i))
                break;
            rc = add_figure(d, i, i + 1, t->v.num.value, false, 0, NULL, "%", false);
            break;
        case VI_TOK_NUMBER: {
            if (digit_count(d, i) > MAX_DIGITS || excluded_by_left(d, i))
                break;
            if (i + 1 < d->n && et_is_punct(d, i + 1, '%') && d->t[i + 1].sentence == t->sentence) {
                rc = add_figure(d, i, i + 2, t->v.num.value, false, 0, NULL, "%", false);
                i++;
                break;
            }
            /* "402 trên 538 chi bộ" */
            if (t->v.num.is_int && i + 2 < d->n && et_adjacent(d, i, i + 1) &&
                et_word_is(d, i + 1, "trên") && et_adjacent(d, i + 1, i + 2) &&
                d->t[i + 2].kind == VI_TOK_NUMBER && d->t[i + 2].v.num.is_int &&
                d->t[i + 2].v.num.value >= t->v.num.value && digit_count(d, i + 2) <= MAX_DIGITS) {
                size_t j = i + 3;
                bool has_unit = j < d->n && et_adjacent(d, j - 1, j) && read_unit(d, j, &u);
                rc = add_figure(d, i, has_unit ? u.text_end : j, t->v.num.value, true,
                                d->t[i + 2].v.num.value, has_unit ? &u : NULL, NULL, true);
                i = (has_unit ? u.text_end : j) - 1;
                break;
            }
            if (is_year(d, i))
                break;
            if (i + 1 < d->n && et_adjacent(d, i, i + 1) && read_unit(d, i + 1, &u)) {
                /* clock time "lúc 9 giờ", "9 giờ 30" */
                if (et_word_is(d, u.start, "giờ") &&
                    ((u.end < d->n && d->t[u.end].kind == VI_TOK_NUMBER) ||
                     (i > 0 && et_word_is(d, i - 1, "lúc"))))
                    break;
                bool money = u.scale_exp || et_word_is(d, u.start, "đồng");
                rc = add_figure(d, i, u.text_end, t->v.num.value, false, 0, &u, NULL, !money);
                i = u.text_end - 1;
            }
            break;
        }
        case VI_TOK_FRACTION:
        case VI_TOK_DATE: {
            if (t->kind == VI_TOK_DATE && !(t->flags & VI_TF_AMBIGUOUS))
                break; /* the date pass took the real dates */
            if (excluded_by_left(d, i) || digit_count(d, i) > 2 * MAX_DIGITS)
                break;
            if (t->kind == VI_TOK_FRACTION && t->v.frac.den <= 0)
                break;
            double num = t->kind == VI_TOK_FRACTION ? (double)t->v.frac.num : t->v.date.day;
            double den = t->kind == VI_TOK_FRACTION ? (double)t->v.frac.den : t->v.date.month;
            size_t j = i + 1;
            size_t after = skip_paren(d, j);
            bool has_unit = false;
            if (j < d->n && et_adjacent(d, i, j) && read_unit(d, j, &u))
                has_unit = true;
            else if (after != SIZE_MAX && after < d->n && read_unit(d, after, &u))
                has_unit = true;
            if (t->kind == VI_TOK_DATE && !has_unit)
                break;
            size_t text_end = has_unit && u.start == j ? u.text_end : i + 1;
            rc = add_figure(d, i, text_end, num, true, den, has_unit ? &u : NULL, NULL, true);
            if (has_unit)
                for (size_t k = u.start; k < u.end; k++)
                    d->mark[k] |= MK_FIGURE;
            i = text_end - 1;
            break;
        }
        case VI_TOK_RANGE: {
            int64_t lo = t->v.range.lo, hi = t->v.range.hi;
            if (lo >= 1900 && lo <= 2100 && hi >= 1900 && hi <= 2100)
                break; /* nhiệm kỳ 2020-2025 */
            if (excluded_by_left(d, i) || digit_count(d, i) > 2 * MAX_DIGITS)
                break;
            if (i + 1 < d->n && et_adjacent(d, i, i + 1) && read_unit(d, i + 1, &u)) {
                rc = add_figure(d, i, u.text_end, (double)lo, false, 0, &u, NULL, true);
                if (rc == KT_OK) {
                    struct kt_entity *e = &d->out->items[d->out->n - 1];
                    e->has_value_max = true;
                    e->value_max = (double)hi;
                }
                i = u.text_end - 1;
            }
            break;
        }
        default:
            break;
        }
    }
    return rc;
}
