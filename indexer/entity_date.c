/* entity_date.c - finds calendar dates (23/5/2020, 25/5, 5/2020, 27-29/7/2020, "ngày 5 tháng 6
 * năm 2020", "tháng 7", "năm 2019") and completes partial ones from the article's date. */
#include "indexer/entity_internal.h"

#include <stdio.h>
#include <string.h>

static void iso(char out[11], int y, int m, int dd)
{
    if (y && m && dd)
        snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
    else if (y && m)
        snprintf(out, 11, "%04d-%02d", y, m);
    else if (m && dd)
        snprintf(out, 11, "--%02d-%02d", m, dd);
    else if (y)
        snprintf(out, 11, "%04d", y);
    else if (m)
        snprintf(out, 11, "--%02d", m);
    else
        out[0] = 0;
}

static bool small_int(const struct et_doc *d, size_t i, int lo, int hi, int *v)
{
    if (i >= d->n || d->t[i].kind != VI_TOK_NUMBER || !d->t[i].v.num.is_int)
        return false;
    int64_t x = d->t[i].v.num.ivalue;
    if (x < lo || x > hi || d->t[i].len > 4)
        return false;
    *v = (int)x;
    return true;
}

/* An ambiguous d/m ("5/12") is a fraction when a count noun follows and no date word precedes. */
static bool ambiguous_is_fraction(const struct et_doc *d, size_t i)
{
    if (i > 0 && et_adjacent(d, i - 1, i) && (et_cats1(d, i - 1) & (LX_DATEWORD | LX_LABEL)))
        return false;
    if (i + 1 >= d->n || !et_adjacent(d, i, i + 1) || d->t[i + 1].kind != VI_TOK_WORD)
        return false;
    if (d->t[i + 1].flags & VI_TF_CAPITALIZED)
        return false;
    uint32_t c = et_cats1(d, i + 1);
    return !(c & LX_STOP) && !et_word_is(d, i + 1, "năm");
}

static kt_status add_date(struct et_doc *d, size_t a, size_t b, int y, int m, int dd, int dfirst)
{
    if (!y && (m || dd))
        y = d->year;
    struct kt_entity *e = et_add(d, KT_ENTITY_DATE, a, b);
    if (!e)
        return KT_ENOMEM;
    if (dfirst) {
        iso(e->date, y, m, dfirst);
        iso(e->date_end, y, m, dd);
    } else {
        iso(e->date, y, m, dd);
    }
    for (size_t k = a; k < b; k++)
        d->mark[k] |= MK_DATE;
    return KT_OK;
}

kt_status et_dates(struct et_doc *d)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        if (d->mark[i] & MK_DOC)
            continue;
        const struct et_tok *t = &d->t[i];
        int a = 0, b = 0, c = 0;
        if (t->kind == VI_TOK_DATE) {
            if ((t->flags & VI_TF_AMBIGUOUS) && ambiguous_is_fraction(d, i))
                continue;
            rc = add_date(d, i, i + 1, t->v.date.year, t->v.date.month, t->v.date.day,
                          t->v.date.day_first);
            continue;
        }
        if (t->kind != VI_TOK_WORD || i + 1 >= d->n || !et_adjacent(d, i, i + 1))
            continue;
        if (et_word_is(d, i, "ngày") && small_int(d, i + 1, 1, 31, &a) && i + 3 < d->n &&
            et_adjacent(d, i + 1, i + 2) && et_word_is(d, i + 2, "tháng") &&
            et_adjacent(d, i + 2, i + 3) && small_int(d, i + 3, 1, 12, &b)) {
            size_t end = i + 4;
            if (end + 1 < d->n && et_adjacent(d, end - 1, end) && et_word_is(d, end, "năm") &&
                et_adjacent(d, end, end + 1) && small_int(d, end + 1, 1000, 2999, &c))
                end += 2;
            rc = add_date(d, i, end, c, b, a, 0);
            i = end - 1;
        } else if (et_word_is(d, i, "tháng") && small_int(d, i + 1, 1, 12, &b) &&
                   !(i + 2 < d->n && et_adjacent(d, i + 1, i + 2) &&
                     (et_cats1(d, i + 2) & LX_UNIT) && !et_word_is(d, i + 2, "năm"))) {
            size_t end = i + 2;
            if (end + 1 < d->n && et_adjacent(d, end - 1, end) && et_word_is(d, end, "năm") &&
                et_adjacent(d, end, end + 1) && small_int(d, end + 1, 1000, 2999, &c))
                end += 2;
            rc = add_date(d, i, end, c, b, 0, 0);
            i = end - 1;
        } else if (et_word_is(d, i, "năm") && small_int(d, i + 1, 1000, 2999, &c) &&
                   d->t[i + 1].len == 4) {
            rc = add_date(d, i, i + 2, c, 0, 0, 0);
            i++;
        }
    }
    return rc;
}
