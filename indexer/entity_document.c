/* entity_document.c - finds cited documents: a kind word (Chỉ thị, Kế hoạch, Nghị định...)
 * with an optional "số" and a code or number ("Chỉ thị số 11-CT/HU", "Chương trình 03"), and
 * bare codes whose letters name a kind ("84/2019/NĐ-CP"). */
#include "indexer/entity_internal.h"

#include <stdlib.h>
#include <string.h>

/* The kind named by the first letter group of a code: "11-CT/HU" -> CT, "84/2019/NĐ-CP" -> NĐ. */
static int kind_from_code(const char *s, size_t n)
{
    if (n == 0 || s[0] < '0' || s[0] > '9')
        return -1;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == '-' || s[i] == '/' || (s[i] >= '0' && s[i] <= '9')))
            i++;
        size_t j = i;
        while (j < n && s[j] != '-' && s[j] != '/')
            j++;
        if (j > i)
            return lx_dockind_from_code_letters(s + i, j - i);
        i = j;
    }
    return -1;
}

static bool code_like(const struct et_tok *t)
{
    return t->kind == VI_TOK_CODE && t->len > 0 && t->canon[0] >= '0' && t->canon[0] <= '9';
}

static kt_status add_doc(struct et_doc *d, size_t a, size_t b, int kind, size_t code_tok)
{
    struct kt_entity *e = et_add(d, KT_ENTITY_DOCUMENT, a, b);
    if (!e)
        return KT_ENOMEM;
    e->kind = kt_doc_kinds[kind];
    const struct et_tok *t = &d->t[code_tok];
    e->code = malloc(t->len + 1);
    if (!e->code)
        return KT_ENOMEM;
    memcpy(e->code, d->text + t->off, t->len);
    e->code[t->len] = 0;
    for (size_t k = a; k < b; k++)
        d->mark[k] |= MK_DOC;
    return KT_OK;
}

kt_status et_documents(struct et_doc *d)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->n && rc == KT_OK; i++) {
        const struct et_tok *t = &d->t[i];
        if (t->kind == VI_TOK_WORD) {
            const struct lx_entry *e = NULL;
            size_t k = et_lex(d, i, LX_DOCKIND, &e);
            if (!k)
                continue;
            bool cap = (t->flags & VI_TF_CAPITALIZED) != 0;
            size_t j = i + k;
            bool so = false;
            if (j < d->n && et_adjacent(d, j - 1, j) && et_word_is(d, j, "số")) {
                so = true;
                j++;
            }
            if (j >= d->n || !et_adjacent(d, j - 1, j))
                continue;
            const struct et_tok *c = &d->t[j];
            bool ok = false;
            if (code_like(c))
                ok = cap || so;
            else if (c->kind == VI_TOK_NUMBER && c->v.num.is_int && c->v.num.ivalue >= 0 &&
                     c->len <= 6 && memchr(d->text + c->off, '.', c->len) == NULL)
                ok = so || (cap && !(c->v.num.ivalue >= 1900 && c->v.num.ivalue <= 2100));
            if (ok) {
                rc = add_doc(d, i, j + 1, e->dockind, j);
                i = j;
            }
        } else if (code_like(t) && !(d->mark[i] & MK_DOC)) {
            int kind = kind_from_code(d->text + t->off, t->len);
            if (kind >= 0)
                rc = add_doc(d, i, i + 1, kind, i);
        }
    }
    return rc;
}
