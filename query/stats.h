/* stats.h - entity statistics for analysts: mention counts per official, place, site and
 * month, official x place co-occurrence, and figure tables, computed by running the entity
 * extractor over articles (from an index query, a JSON Lines file of article records, or text
 * files) and written as CSV (RFC 4180, UTF-8, header row) or JSON.
 *
 * Typical use:
 *   struct kt_stats *s; kt_stats_new(&opts, &s, &err);
 *   kt_index_each_article(db, "thuong tin", 0, kt_stats_visit, s, &err);
 *   kt_stats_write(s, KT_STATS_CSV, &out, &err); kt_stats_free(s); */
#ifndef KHOTIN_QUERY_STATS_H
#define KHOTIN_QUERY_STATS_H

#include "common/kt_common.h"
#include "corpus/article.h"
#include "indexer/indexer.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called for each article; return KT_OK to go on, anything else stops the walk and is
 * returned. The article is valid only during the call. */
typedef kt_status (*kt_article_fn)(void *ud, const struct kt_article *a, struct kt_err *err);

/* Calls fn for the articles of the index at db_path that match query (every article when
 * query is NULL or empty), best first, at most limit of them (0 = no limit for a NULL query,
 * 10000 for a query). Articles are rebuilt from the stored document data (id, url, title, date,
 * site, author, lead, text; the text is cut at the index's stored-text limit).
 * Returns KT_OK, fn's status, or kt_searcher_open / kt_search / kt_xdb errors (KT_ENOTFOUND,
 * KT_ECORRUPT, KT_EQUERY, KT_EINDEX, KT_ENOMEM). */
kt_status kt_index_each_article(const char *db_path, const char *query, size_t limit,
                                kt_article_fn fn, void *ud, struct kt_err *err);

/* Calls fn for each record of a JSON Lines file of article records (plain or gzip). A line
 * that is not a record is counted in *bad (may be NULL) and skipped. Returns KT_OK, fn's
 * status, KT_ENOTFOUND, KT_EIO, KT_ENOMEM. */
kt_status kt_jsonl_each_article(const char *path, kt_article_fn fn, void *ud, size_t *bad,
                                struct kt_err *err);

enum kt_stats_by {
    KT_STATS_BY_OFFICIAL = 0,   /* official, titles, mentions, articles, first/last date */
    KT_STATS_BY_PLACE,          /* level, place, parent, mentions, articles, first/last date */
    KT_STATS_BY_SITE,           /* site, articles, officials/places/figures/documents mentions */
    KT_STATS_BY_MONTH,          /* YYYY-MM, articles, mentions by type */
    KT_STATS_BY_OFFICIAL_PLACE, /* official, level, place, articles naming both, first/last */
    KT_STATS_FIGURES,           /* one row per figure: article, date, place, value, total, unit,
                                 * scaled, measure, sentence */
};

/* Parses "official", "place", "site", "month", "official,place" (or "place,official").
 * Returns false for anything else. */
bool kt_stats_by_parse(const char *s, enum kt_stats_by *out);

enum kt_stats_format { KT_STATS_CSV = 0, KT_STATS_JSON };

struct kt_stats_opts {
    enum kt_stats_by by;
    const char *unit;                     /* KT_STATS_FIGURES: keep figures whose unit contains
                                           * this (case- and tone-insensitive); NULL = all */
    const struct kt_gazetteer *gazetteer; /* optional, borrowed */
};

struct kt_stats;

/* Creates an accumulator (with its own entity extractor). Returns KT_OK, KT_ENOMEM, or the
 * extractor's error. */
kt_status kt_stats_new(const struct kt_stats_opts *opts, struct kt_stats **out, struct kt_err *err);

/* Adds one article. Returns KT_OK or the extractor's error. */
kt_status kt_stats_add(struct kt_stats *s, const struct kt_article *a, struct kt_err *err);

/* kt_article_fn adapter: ud is a struct kt_stats *. */
kt_status kt_stats_visit(void *ud, const struct kt_article *a, struct kt_err *err);

/* Number of articles added. */
size_t kt_stats_articles(const struct kt_stats *s);

/* Appends the table to out: CSV with a header row (rows sorted by count, descending; months
 * and figures in order), or a JSON array of objects with the same fields. KT_OK or KT_ENOMEM. */
kt_status kt_stats_write(const struct kt_stats *s, enum kt_stats_format f, struct kt_buf *out,
                         struct kt_err *err);

/* NULL is a no-op. */
void kt_stats_free(struct kt_stats *s);

#ifdef __cplusplus
}
#endif

#endif
