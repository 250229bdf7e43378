/* search_internal.h - private pieces of the search module: the query builder's output (the
 * Xapian query plus the word forms to highlight) and the snippet builder. */
#ifndef KHOTIN_QUERY_SEARCH_INTERNAL_H
#define KHOTIN_QUERY_SEARCH_INTERNAL_H

#include "common/kt_common.h"
#include "indexer/indexer.h"
#include "query/query_parse.h"
#include "query/search.h"

#include <stdbool.h>
#include <stddef.h>

/* At most this many word forms in one query (more is KT_EQUERY). */
#define KT_QUERY_MAX_WORDS 64

/* A query word as the analyzer gave it, for highlighting: the exact norm, or a fold. */
struct kt_qform {
    bool folded; /* match tokens whose fold equals body; else whose norm equals it */
    char *body;  /* NUL-terminated, malloc'd */
    size_t len;
};

struct kt_built_query {
    kt_xquery *query;       /* NULL when the query has no searchable part */
    struct kt_qform *forms; /* positive word forms, for snippets */
    size_t n_forms;
    size_t n_words; /* word forms used in matching */
    bool relaxable; /* some TEXT node had >= 2 words joined by AND */
};

/* Builds the Xapian query for tree root (text q is the query it was parsed from). relaxed:
 * words of a TEXT node are ORed instead of ANDed (the fallback when nothing matches).
 * Returns KT_OK, KT_EQUERY (too many words), KT_ENOMEM, KT_EINDEX. out is filled on KT_OK
 * and must be freed with kt_built_query_free(). */
kt_status kt_build_query(vi_analyzer *an, const char *q, const struct kt_qnode *root, bool relaxed,
                         struct kt_built_query *out, struct kt_err *err);
void kt_built_query_free(struct kt_built_query *b);

/* Builds a snippet of about max_chars characters from text: the window with the most
 * distinct query forms, matched tokens recorded as spans. Fills hit->snippet,
 * hit->snippet_html, hit->spans. Returns KT_OK or KT_ENOMEM. */
kt_status kt_snippet_build(vi_analyzer *an, const char *text, size_t len,
                           const struct kt_qform *forms, size_t n_forms, size_t max_chars,
                           struct kt_search_hit *hit, struct kt_err *err);

/* Appends s (len bytes) HTML-escaped to out. */
kt_status kt_html_escape(struct kt_buf *out, const char *s, size_t len);

#endif
