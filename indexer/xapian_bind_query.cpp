/* xapian_bind_query.cpp - the C binding's query builders and the Xapian::QueryParser wrapper. */
#include "indexer/xapian_bind_internal.h"

#include <cmath>
#include <vector>

namespace
{

kt_status new_query(Xapian::Query &&q, kt_xquery **out)
{
    *out = new kt_xquery{std::move(q)};
    return KT_OK;
}

bool map_op(enum kt_xop op, Xapian::Query::op *xop) noexcept
{
    switch (op) {
    case KT_XOP_AND:
        *xop = Xapian::Query::OP_AND;
        return true;
    case KT_XOP_OR:
        *xop = Xapian::Query::OP_OR;
        return true;
    case KT_XOP_AND_NOT:
        *xop = Xapian::Query::OP_AND_NOT;
        return true;
    case KT_XOP_XOR:
        *xop = Xapian::Query::OP_XOR;
        return true;
    case KT_XOP_AND_MAYBE:
        *xop = Xapian::Query::OP_AND_MAYBE;
        return true;
    case KT_XOP_FILTER:
        *xop = Xapian::Query::OP_FILTER;
        return true;
    case KT_XOP_NEAR:
        *xop = Xapian::Query::OP_NEAR;
        return true;
    case KT_XOP_PHRASE:
        *xop = Xapian::Query::OP_PHRASE;
        return true;
    case KT_XOP_ELITE_SET:
        *xop = Xapian::Query::OP_ELITE_SET;
        return true;
    case KT_XOP_SYNONYM:
        *xop = Xapian::Query::OP_SYNONYM;
        return true;
    case KT_XOP_MAX:
        *xop = Xapian::Query::OP_MAX;
        return true;
    }
    return false;
}

unsigned map_qp_flags(unsigned flags) noexcept
{
    unsigned f = 0;
    if (flags & KT_XQP_BOOLEAN)
        f |= Xapian::QueryParser::FLAG_BOOLEAN;
    if (flags & KT_XQP_PHRASE)
        f |= Xapian::QueryParser::FLAG_PHRASE;
    if (flags & KT_XQP_LOVEHATE)
        f |= Xapian::QueryParser::FLAG_LOVEHATE;
    if (flags & KT_XQP_WILDCARD)
        f |= Xapian::QueryParser::FLAG_WILDCARD;
    if (flags & KT_XQP_BOOLEAN_ANY_CASE)
        f |= Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;
    return f;
}

} // namespace

extern "C" {

kt_status kt_xquery_term(const char *term, size_t len, uint32_t wqf, uint32_t pos, kt_xquery **out,
                         struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    kt_status st = kx_check_term(term, len, err, nullptr);
    if (st != KT_OK)
        return st;
    KX_TRY
    return new_query(Xapian::Query(std::string(term, len), wqf ? wqf : 1, pos), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_match_all(kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    KX_TRY
    return new_query(Xapian::Query(Xapian::Query::MatchAll), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_match_nothing(kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    KX_TRY
    return new_query(Xapian::Query(Xapian::Query::MatchNothing), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_combine(enum kt_xop op, kt_xquery *const *subs, size_t n, uint32_t param,
                            kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    Xapian::Query::op xop;
    if (!map_op(op, &xop))
        return kx_invalid(err, nullptr, "unknown query operator");
    if (!subs || n == 0)
        return kx_invalid(err, nullptr, "query operator without subqueries");
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return kx_invalid(err, nullptr, "NULL subquery");
    KX_TRY
    std::vector<Xapian::Query> v;
    v.reserve(n);
    for (size_t i = 0; i < n; i++)
        v.push_back(subs[i]->q);
    Xapian::termcount p = 0;
    if (op == KT_XOP_NEAR || op == KT_XOP_PHRASE || op == KT_XOP_ELITE_SET)
        p = param;
    return new_query(Xapian::Query(xop, v.begin(), v.end(), p), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_phrase(const char *const *terms, const size_t *lens, size_t n, uint32_t window,
                           kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (!terms || !lens || n == 0)
        return kx_invalid(err, nullptr, "phrase without terms");
    for (size_t i = 0; i < n; i++) {
        kt_status st = kx_check_term(terms[i], lens[i], err, nullptr);
        if (st != KT_OK)
            return st;
    }
    KX_TRY
    std::vector<Xapian::Query> v;
    v.reserve(n);
    for (size_t i = 0; i < n; i++)
        v.emplace_back(std::string(terms[i], lens[i]), 1, (Xapian::termpos)(i + 1));
    if (n == 1)
        return new_query(std::move(v[0]), out);
    return new_query(Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(), v.end(), window), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_scale(const kt_xquery *q, double factor, kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (!q)
        return kx_invalid(err, nullptr, "NULL query");
    if (!std::isfinite(factor) || factor < 0)
        return kx_invalid(err, nullptr, "weight scale factor must be finite and >= 0");
    KX_TRY
    return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_value_range(kt_xslot slot, const void *begin, size_t blen, const void *end,
                                size_t elen, kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (slot > KT_XSLOT_MAX)
        return kx_invalid(err, nullptr, "value slot out of range");
    KX_TRY
    std::string b(begin ? (const char *)begin : "", begin ? blen : 0);
    std::string e(end ? (const char *)end : "", end ? elen : 0);
    if (begin && end)
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, b, e), out);
    if (end)
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, e), out);
    return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, b), out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_wildcard(const char *prefix, size_t plen, uint32_t max_expansion,
                             kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    kt_status st = kx_check_term(prefix, plen, err, nullptr);
    if (st != KT_OK)
        return st;
    KX_TRY
    return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, plen),
                                   max_expansion, Xapian::Query::WILDCARD_LIMIT_ERROR,
                                   Xapian::Query::OP_SYNONYM),
                     out);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_describe(const kt_xquery *q, struct kt_buf *out, struct kt_err *err)
{
    if (!q)
        return kx_invalid(err, nullptr, "NULL query");
    KX_TRY
    return kx_copy_out(out, q->q.get_description(), err);
    KX_CATCH(err, nullptr)
}

kt_status kt_xquery_is_empty(const kt_xquery *q, bool *out, struct kt_err *err)
{
    if (!q || !out)
        return kx_invalid(err, nullptr, "NULL argument");
    KX_TRY
    *out = q->q.empty();
    return KT_OK;
    KX_CATCH(err, nullptr)
}

void kt_xquery_free(kt_xquery *q)
{
    delete q;
}

kt_status kt_xquery_parse(const char *text, size_t len, const struct kt_xqp_opts *opts,
                          kt_xquery **out, struct kt_err *err)
{
    if (!out)
        return kx_invalid(err, nullptr, "NULL output handle");
    *out = nullptr;
    if (!text && len)
        return kx_invalid(err, nullptr, "NULL query text");
    struct kt_xqp_opts defaults = {KT_XQP_DEFAULT, KT_XOP_OR, nullptr, 0, nullptr};
    const struct kt_xqp_opts *o = opts ? opts : &defaults;
    if (o->default_op != KT_XOP_OR && o->default_op != KT_XOP_AND)
        return kx_invalid(err, nullptr, "query parser default operator must be AND or OR");
    if (o->n_prefixes && !o->prefixes)
        return kx_invalid(err, nullptr, "NULL prefix table");
    if ((o->flags & KT_XQP_WILDCARD) && !o->db)
        return kx_invalid(err, nullptr, "wildcard parsing needs a database");
    const char *path = o->db ? o->db->path.c_str() : nullptr;
    KX_TRY
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("none"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    qp.set_default_op(o->default_op == KT_XOP_AND ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    if (o->db)
        qp.set_database(o->db->db);
    for (size_t i = 0; i < o->n_prefixes; i++) {
        const struct kt_xqp_prefix *p = &o->prefixes[i];
        if (!p->field || !p->prefix)
            return kx_invalid(err, path, "NULL field or prefix in prefix table");
        if (p->boolean)
            qp.add_boolean_prefix(p->field, p->prefix);
        else
            qp.add_prefix(p->field, p->prefix);
    }
    std::string s(text ? text : "", len);
    try {
        return new_query(qp.parse_query(s, map_qp_flags(o->flags)), out);
    } catch (const Xapian::QueryParserError &e) {
        int n = len > 200 ? 200 : (int)len;
        return kt_err_set(err, KT_EQUERY, "query \"%.*s\": syntax error: %s", n, s.c_str(),
                          e.get_msg().c_str());
    }
    KX_CATCH(err, path)
}

} // extern "C"
