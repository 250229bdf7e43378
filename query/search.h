/* search.h - runs a user query against the index: parsing, accent-aware term expansion,
 * ranking, duplicate collapsing, facets and highlighted snippets.
 *
 * Typical use:
 *   struct kt_searcher *s; kt_searcher_open(db, &s, &err);
 *   struct kt_search_opts o; kt_search_opts_init(&o); o.query = "thuong tin";
 *   struct kt_search_result r; if (kt_search(s, &o, &r, &err) == KT_OK) { ... }
 *   kt_search_result_free(&r); kt_searcher_close(s); */
#ifndef KHOTIN_QUERY_SEARCH_H
#define KHOTIN_QUERY_SEARCH_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kt_searcher;

enum kt_search_sort { KT_SORT_RELEVANCE = 0, KT_SORT_DATE = 1 /* newest first */ };

struct kt_search_opts {
    const char *query; /* UTF-8 (invalid bytes are replaced), required */
    size_t query_len;  /* 0 = strlen(query) */
    size_t limit;      /* results wanted (default 10, at most 10000) */
    size_t offset;     /* results skipped (default 0) */
    enum kt_search_sort sort;
    bool facets;          /* count results by site and year (all matches) and by official and
                           * place (top KT_ENTITY_FACET_DOCS results) */
    bool snippets;        /* build snippets (default on) */
    size_t snippet_chars; /* approximate snippet length in characters (default 200) */
};

void kt_search_opts_init(struct kt_search_opts *o);

/* A byte range [start, end) of a snippet's plain text that matched the query. */
struct kt_span {
    size_t start, end;
};

/* One result. Every string is malloc'd, owned by the result, never NULL ("" when absent). */
struct kt_search_hit {
    size_t rank; /* 1-based, counting the offset */
    char *id, *url, *title, *date, *site;
    double score;          /* BM25-based relevance (0 under --sort date) */
    char *snippet;         /* plain text */
    char *snippet_html;    /* HTML-escaped, matches in <b>...</b> */
    struct kt_span *spans; /* matches within snippet, n_spans of them, sorted */
    size_t n_spans;
    uint32_t duplicates; /* other documents collapsed into this one (same duplicate cluster) */
};

struct kt_facet_value {
    char *value; /* site name or year "2020" */
    uint64_t count;
};

struct kt_search_result {
    uint64_t total_estimate; /* estimated number of matching clusters */
    struct kt_search_hit *hits;
    size_t n_hits;
    struct kt_facet_value *sites; /* with opts.facets: by count, descending */
    size_t n_sites;
    struct kt_facet_value *years; /* with opts.facets: by year, descending */
    size_t n_years;
    /* with opts.facets: officials and places (indexer/entities.h display form) named in the
     * top KT_ENTITY_FACET_DOCS results, by number of those results, descending */
    struct kt_facet_value *officials;
    size_t n_officials;
    struct kt_facet_value *places;
    size_t n_places;
};

/* How many top results the official/place facets are counted over. */
#define KT_ENTITY_FACET_DOCS 200

/* Opens the index at db_path for reading. *out = NULL on error.
 * Returns KT_OK, KT_ENOTFOUND (no index there), KT_ECORRUPT (not a khotin index or a format this
 * build cannot read: the message says to reindex), KT_EINDEX, KT_ENOMEM. */
kt_status kt_searcher_open(const char *db_path, struct kt_searcher **out, struct kt_err *err);

/* Runs one query; r is filled (and must be freed) only on KT_OK.
 * Returns KT_OK, KT_EQUERY (syntax error or query too large; message "position N: ..."),
 * KT_EMODIFIED (index changed during the search and reopening did not help), KT_EINDEX,
 * KT_ENOMEM. */
kt_status kt_search(struct kt_searcher *s, const struct kt_search_opts *o,
                    struct kt_search_result *r, struct kt_err *err);

void kt_search_result_free(struct kt_search_result *r);

/* Number of documents in the index. */
uint64_t kt_searcher_doc_count(const struct kt_searcher *s);

/* NULL is a no-op. */
void kt_searcher_close(struct kt_searcher *s);

#ifdef __cplusplus
}
#endif

#endif
