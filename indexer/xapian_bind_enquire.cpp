/* xapian_bind_enquire.cpp - the C binding's search sessions: enquire settings, result sets,
 * snippets and value-count match spies (facets). */
#include "indexer/xapian_bind_internal.h"

#include <cmath>

namespace
{

const char *mpath(const kt_xmset *m) noexcept
{
    return m ? m->path.c_str() : nullptr;
}

const char *epath(const kt_xenquire *e) noexcept
{
    return e ? e->path.c_str() : nullptr;
}

/* Checks hit index i of m. */
kt_status check_hit(const kt_xmset *m, size_t i, struct kt_err *err) noexcept
{
    if (!m)
        return kx_invalid(err, nullptr, "NULL result set");
    if (i >= m->mset.size())
        return kx_invalid(err, m->path.c_str(), "result index out of range");
    return KT_OK;
}

bool bm25_param_ok(double v) noexcept
{
    return std::isfinite(v) && v >= 0;
}

} // namespace

extern "C" {

kt_status kt_xenquire_new(kt_xdb *db, kt_xenquire **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (!db)
        return kx_invalid(err, nullptr, "NULL database");
    KX_TRY
    kt_xenquire *e = new kt_xenquire(db->db);
    try {
        e->path = db->path;
    } catch (...) {
        delete e;
        throw;
    }
    *out = e;
    return KT_OK;
    KX_CATCH(err, db->path.c_str())
}

void kt_xenquire_free(kt_xenquire *e)
{
    delete e;
}

kt_status kt_xenquire_set_query(kt_xenquire *e, const kt_xquery *q, uint32_t qlen,
                                struct kt_err *err)
{
    if (!e || !q)
        return kx_invalid(err, epath(e), "NULL enquire or query");
    KX_TRY
    e->enq.set_query(q->q, qlen);
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_bm25(kt_xenquire *e, const struct kt_xbm25 *p, struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    struct kt_xbm25 d = KT_XBM25_DEFAULT;
    if (!p)
        p = &d;
    if (!bm25_param_ok(p->k1) || !bm25_param_ok(p->k2) || !bm25_param_ok(p->k3) ||
        !bm25_param_ok(p->b) || !bm25_param_ok(p->min_normlen))
        return kx_invalid(err, epath(e), "BM25 parameters must be finite and >= 0");
    if (p->b > 1)
        return kx_invalid(err, epath(e), "BM25 parameter b must be between 0 and 1");
    KX_TRY
    e->enq.set_weighting_scheme(Xapian::BM25Weight(p->k1, p->k2, p->k3, p->b, p->min_normlen));
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_bool_weight(kt_xenquire *e, struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    KX_TRY
    e->enq.set_weighting_scheme(Xapian::BoolWeight());
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_sort(kt_xenquire *e, enum kt_xsort sort, kt_xslot slot, bool reverse,
                               struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    if (sort != KT_XSORT_RELEVANCE && slot > KT_XSLOT_MAX)
        return kx_invalid(err, epath(e), "sort value slot out of range");
    KX_TRY
    switch (sort) {
    case KT_XSORT_RELEVANCE:
        e->enq.set_sort_by_relevance();
        return KT_OK;
    case KT_XSORT_VALUE:
        e->enq.set_sort_by_value(slot, reverse);
        return KT_OK;
    case KT_XSORT_VALUE_THEN_RELEVANCE:
        e->enq.set_sort_by_value_then_relevance(slot, reverse);
        return KT_OK;
    case KT_XSORT_RELEVANCE_THEN_VALUE:
        e->enq.set_sort_by_relevance_then_value(slot, reverse);
        return KT_OK;
    }
    return kx_invalid(err, epath(e), "unknown sort order");
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_docid_order(kt_xenquire *e, enum kt_xdocid_order order,
                                      struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    KX_TRY
    switch (order) {
    case KT_XDOCID_ASC:
        e->enq.set_docid_order(Xapian::Enquire::ASCENDING);
        return KT_OK;
    case KT_XDOCID_DESC:
        e->enq.set_docid_order(Xapian::Enquire::DESCENDING);
        return KT_OK;
    case KT_XDOCID_DONTCARE:
        e->enq.set_docid_order(Xapian::Enquire::DONT_CARE);
        return KT_OK;
    }
    return kx_invalid(err, epath(e), "unknown docid order");
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_collapse_key(kt_xenquire *e, kt_xslot slot, uint32_t max_per_key,
                                       struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    KX_TRY
    if (slot == KT_XSLOT_NONE)
        e->enq.set_collapse_key(Xapian::BAD_VALUENO);
    else
        e->enq.set_collapse_key(slot, max_per_key ? max_per_key : 1);
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_set_cutoff(kt_xenquire *e, int min_percent, struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    if (min_percent < 0 || min_percent > 100)
        return kx_invalid(err, epath(e), "percentage cutoff must be between 0 and 100");
    KX_TRY
    e->enq.set_cutoff(min_percent);
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xspy_new(kt_xslot slot, kt_xspy **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (slot > KT_XSLOT_MAX)
        return kx_invalid(err, nullptr, "value slot out of range");
    KX_TRY
    kt_xspy *h = new kt_xspy;
    Xapian::ValueCountMatchSpy *raw;
    try {
        raw = new Xapian::ValueCountMatchSpy(slot);
    } catch (...) {
        delete h;
        throw;
    }
    raw->release(); /* start reference counting: h->spy holds one reference */
    h->spy = raw;
    *out = h;
    return KT_OK;
    KX_CATCH(err, nullptr)
}

void kt_xspy_free(kt_xspy *spy)
{
    delete spy;
}

kt_status kt_xenquire_add_spy(kt_xenquire *e, kt_xspy *spy, struct kt_err *err)
{
    if (!e || !spy)
        return kx_invalid(err, epath(e), "NULL enquire or spy");
    KX_TRY
    /* The spy is reference counted: the Enquire takes its own reference. */
    e->enq.add_matchspy(spy->spy.get());
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_clear_spies(kt_xenquire *e, struct kt_err *err)
{
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    KX_TRY
    e->enq.clear_matchspies();
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xspy_total(const kt_xspy *spy, uint32_t *out, struct kt_err *err)
{
    if (!spy || !out)
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    *out = (uint32_t)spy->spy->get_total();
    return KT_OK;
    KX_CATCH(err, nullptr)
}

kt_status kt_xspy_top_values(const kt_xspy *spy, size_t max, kt_xterm_fn fn, void *ctx,
                             struct kt_err *err)
{
    if (!spy || !fn)
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    if (max == 0) {
        for (Xapian::TermIterator it = spy->spy->values_begin(); it != spy->spy->values_end(); ++it)
            max++;
        if (max == 0)
            return KT_OK;
    }
    for (Xapian::TermIterator it = spy->spy->top_values_begin(max);
         it != spy->spy->top_values_end(max); ++it) {
        const std::string &v = *it;
        if (fn(ctx, v.data(), v.size(), it.get_termfreq()) != 0)
            break;
    }
    return KT_OK;
    KX_CATCH(err, nullptr)
}

kt_status kt_xenquire_get_mset(kt_xenquire *e, uint32_t offset, uint32_t limit,
                               uint32_t check_at_least, kt_xmset **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, epath(e), "NULL output handle");
    *out = nullptr;
    if (!e)
        return kx_invalid(err, nullptr, "NULL enquire");
    KX_TRY
    kt_xmset *m = new kt_xmset{e->enq.get_mset(offset, limit, check_at_least), std::string()};
    try {
        m->path = e->path;
    } catch (...) {
        delete m;
        throw;
    }
    *out = m;
    return KT_OK;
    KX_CATCH(err, epath(e))
}

kt_status kt_xenquire_matching_terms(kt_xenquire *e, kt_xdocid docid, kt_xterm_fn fn, void *ctx,
                                     struct kt_err *err)
{
    if (!e || !fn || docid == 0)
        return kx_invalid(err, epath(e), "NULL argument or docid 0");
    KX_TRY
    for (Xapian::TermIterator it = e->enq.get_matching_terms_begin(docid);
         it != e->enq.get_matching_terms_end(docid); ++it) {
        const std::string &t = *it;
        if (fn(ctx, t.data(), t.size(), 0) != 0)
            break;
    }
    return KT_OK;
    KX_CATCH(err, epath(e))
}

void kt_xmset_free(kt_xmset *m)
{
    delete m;
}

kt_status kt_xmset_info(const kt_xmset *m, struct kt_xmset_info *out, struct kt_err *err)
{
    if (!m || !out)
        return kx_invalid(err, mpath(m), "NULL argument");
    KX_TRY
    out->size = m->mset.size();
    out->first = m->mset.get_firstitem();
    out->matches_estimated = m->mset.get_matches_estimated();
    out->matches_lower = m->mset.get_matches_lower_bound();
    out->matches_upper = m->mset.get_matches_upper_bound();
    return KT_OK;
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_hit(const kt_xmset *m, size_t i, struct kt_xhit *out, struct kt_err *err)
{
    kt_status st = check_hit(m, i, err);
    if (st != KT_OK)
        return st;
    if (!out)
        return kx_invalid(err, mpath(m), "NULL output");
    KX_TRY
    Xapian::MSetIterator it = m->mset[(Xapian::doccount)i];
    out->docid = *it;
    out->rank = it.get_rank();
    out->weight = it.get_weight();
    out->percent = it.get_percent();
    out->collapse_count = it.get_collapse_count();
    return KT_OK;
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_data(const kt_xmset *m, size_t i, struct kt_buf *out, struct kt_err *err)
{
    kt_status st = check_hit(m, i, err);
    if (st != KT_OK)
        return st;
    KX_TRY
    return kx_copy_out(out, m->mset[(Xapian::doccount)i].get_document().get_data(), err);
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_value(const kt_xmset *m, size_t i, kt_xslot slot, struct kt_buf *out,
                         struct kt_err *err)
{
    kt_status st = check_hit(m, i, err);
    if (st != KT_OK)
        return st;
    if (slot > KT_XSLOT_MAX)
        return kx_invalid(err, mpath(m), "value slot out of range");
    KX_TRY
    return kx_copy_out(out, m->mset[(Xapian::doccount)i].get_document().get_value(slot), err);
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_collapse_key(const kt_xmset *m, size_t i, struct kt_buf *out, struct kt_err *err)
{
    kt_status st = check_hit(m, i, err);
    if (st != KT_OK)
        return st;
    KX_TRY
    return kx_copy_out(out, m->mset[(Xapian::doccount)i].get_collapse_key(), err);
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_document(const kt_xmset *m, size_t i, kt_xdoc **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, mpath(m), "NULL output handle");
    *out = nullptr;
    kt_status st = check_hit(m, i, err);
    if (st != KT_OK)
        return st;
    KX_TRY
    *out = new kt_xdoc{m->mset[(Xapian::doccount)i].get_document(), m->path};
    return KT_OK;
    KX_CATCH(err, mpath(m))
}

kt_status kt_xmset_snippet(const kt_xmset *m, const char *text, size_t len, size_t length,
                           const char *hi_start, const char *hi_end, const char *omit,
                           unsigned flags, struct kt_buf *out, struct kt_err *err)
{
    if (!m || (!text && len))
        return kx_invalid(err, mpath(m), "NULL result set or text");
    unsigned xflags = 0;
    if (flags & KT_XSNIP_BACKGROUND_MODEL)
        xflags |= Xapian::MSet::SNIPPET_BACKGROUND_MODEL;
    if (flags & KT_XSNIP_EXHAUSTIVE)
        xflags |= Xapian::MSet::SNIPPET_EXHAUSTIVE;
    if (flags & KT_XSNIP_EMPTY_WITHOUT_MATCH)
        xflags |= Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH;
    KX_TRY
    std::string s(text ? text : "", len);
    std::string r =
        m->mset.snippet(s, length, Xapian::Stem("none"), xflags, hi_start && hi_end ? hi_start : "",
                        hi_start && hi_end ? hi_end : "", omit ? omit : "");
    return kx_copy_out(out, r, err);
    KX_CATCH(err, mpath(m))
}

} // extern "C"
