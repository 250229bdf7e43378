/* xapian_bind_doc.cpp - the C binding's documents (terms, postings, values, data) and the
 * sortable number encoding. */
#include "indexer/xapian_bind_internal.h"

extern "C" {

size_t kt_xsortable_serialise(double value, char buf[9])
{
    return Xapian::sortable_serialise_(value, buf);
}

double kt_xsortable_unserialise(const void *data, size_t len)
{
    try {
        if (!data)
            return 0.0;
        return Xapian::sortable_unserialise(std::string((const char *)data, len));
    } catch (...) {
        return 0.0;
    }
}

/* ============================ Documents ============================ */

kt_status kt_xdoc_new(kt_xdoc **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    KX_TRY
    *out = new kt_xdoc{Xapian::Document(), std::string()};
    return KT_OK;
    KX_CATCH(err, nullptr)
}

void kt_xdoc_free(kt_xdoc *doc)
{
    delete doc;
}

kt_status kt_xdoc_add_term(kt_xdoc *doc, const char *term, size_t len, uint32_t wdf_inc,
                           struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    kt_status st = kx_check_term(term, len, err, doc->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    doc->doc.add_term(std::string(term, len), wdf_inc);
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_add_posting(kt_xdoc *doc, const char *term, size_t len, uint32_t pos,
                              uint32_t wdf_inc, struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    if (pos == 0)
        return kx_invalid(err, nullptr, "term position 0 (positions start at 1)");
    kt_status st = kx_check_term(term, len, err, doc->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    doc->doc.add_posting(std::string(term, len), pos, wdf_inc);
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_add_boolean_term(kt_xdoc *doc, const char *term, size_t len, struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    kt_status st = kx_check_term(term, len, err, doc->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    doc->doc.add_boolean_term(std::string(term, len));
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_remove_term(kt_xdoc *doc, const char *term, size_t len, struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    kt_status st = kx_check_term(term, len, err, doc->path.c_str());
    if (st != KT_OK)
        return st;
    KX_TRY
    std::string t(term, len);
    Xapian::TermIterator it = doc->doc.termlist_begin();
    it.skip_to(t);
    if (it == doc->doc.termlist_end() || *it != t)
        return kx_not_found_term(err, doc->path, term, len);
    doc->doc.remove_term(t);
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_set_value(kt_xdoc *doc, kt_xslot slot, const void *value, size_t len,
                            struct kt_err *err)
{
    if (!doc || (!value && len))
        return kx_invalid(err, nullptr, "NULL document or value");
    if (slot > KT_XSLOT_MAX)
        return kx_invalid(err, nullptr, "value slot out of range");
    KX_TRY
    if (len == 0)
        doc->doc.remove_value(slot);
    else
        doc->doc.add_value(slot, std::string((const char *)value, len));
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_set_data(kt_xdoc *doc, const void *data, size_t len, struct kt_err *err)
{
    if (!doc || (!data && len))
        return kx_invalid(err, nullptr, "NULL document or data");
    KX_TRY
    doc->doc.set_data(len ? std::string((const char *)data, len) : std::string());
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_get_data(const kt_xdoc *doc, struct kt_buf *out, struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    KX_TRY
    return kx_copy_out(out, doc->doc.get_data(), err);
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_get_value(const kt_xdoc *doc, kt_xslot slot, struct kt_buf *out,
                            struct kt_err *err)
{
    if (!doc)
        return kx_invalid(err, nullptr, "NULL document");
    if (slot > KT_XSLOT_MAX)
        return kx_invalid(err, nullptr, "value slot out of range");
    KX_TRY
    return kx_copy_out(out, doc->doc.get_value(slot), err);
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_terms(const kt_xdoc *doc, const char *prefix, size_t plen, kt_xterm_fn fn,
                        void *ctx, struct kt_err *err)
{
    if (!doc || !fn || (!prefix && plen))
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    std::string pfx(prefix ? prefix : "", plen);
    Xapian::TermIterator it = doc->doc.termlist_begin();
    if (!pfx.empty())
        it.skip_to(pfx);
    for (; it != doc->doc.termlist_end(); ++it) {
        const std::string &t = *it;
        if (t.compare(0, pfx.size(), pfx) != 0)
            break;
        if (fn(ctx, t.data(), t.size(), it.get_wdf()) != 0)
            break;
    }
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_term_count(const kt_xdoc *doc, uint32_t *out, struct kt_err *err)
{
    if (!doc || !out)
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    *out = doc->doc.termlist_count();
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

kt_status kt_xdoc_docid(const kt_xdoc *doc, kt_xdocid *out, struct kt_err *err)
{
    if (!doc || !out)
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    *out = doc->doc.get_docid();
    return KT_OK;
    KX_CATCH(err, doc->path.c_str())
}

} // extern "C"
