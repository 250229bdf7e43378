/* article_store.h - the article records extraction produces, stored in the crawl-state SQLite
 * database: one row per canonical URL holding the JSON of struct kt_article, its content SHA-1,
 * SimHash and dup_of, and a sequence number so the indexer can ask for what changed.
 *
 * seq: every put (insert or replace) gives the row a new seq greater than every seq handed out
 * before, so "records with seq > N" after remembering N = kt_article_store_max_seq() yields
 * exactly what was added or changed since. */
#ifndef KHOTIN_CORPUS_ARTICLE_STORE_H
#define KHOTIN_CORPUS_ARTICLE_STORE_H

#include "common/kt_common.h"
#include "corpus/article.h"
#include "corpus/crawl_state.h"

#include <stdbool.h>
#include <stdint.h>

/* Inserts a, or replaces the row with the same a->url (required; KT_EINVAL otherwise). The
 * content_sha1, simhash and dup_of columns are taken from a. *seq (may be NULL) receives the
 * row's new seq. Errors: KT_EINVAL, KT_EIO, KT_ELOCKED, KT_ENOMEM. */
kt_status kt_article_store_put(struct kt_crawl_state *st, const struct kt_article *a, int64_t *seq,
                               struct kt_err *err);

/* Reads the article stored for url into a (initialised by the caller; freed and refilled);
 * *found false if none. Errors: KT_ECORRUPT (stored JSON does not parse), KT_EIO. */
kt_status kt_article_store_get(struct kt_crawl_state *st, const char *url, struct kt_article *a,
                               bool *found, struct kt_err *err);

/* The URL (malloc'd into *url, caller frees) of the earliest-stored article with this
 * content_sha1 that is not itself a duplicate (dup_of NULL) and is not exclude_url (may be
 * NULL); *url = NULL when none. */
kt_status kt_article_store_find_sha1(struct kt_crawl_state *st, const char *content_sha1,
                                     const char *exclude_url, char **url, struct kt_err *err);

/* Calls cb(ud, url, simhash) for every article with a non-zero simhash and dup_of NULL, in seq
 * order; cb returns nonzero to stop. Streams rows (constant memory); cb must not write. */
typedef int (*kt_simhash_cb)(void *ud, const char *url, uint64_t simhash);
kt_status kt_article_store_each_simhash(struct kt_crawl_state *st, kt_simhash_cb cb, void *ud,
                                        struct kt_err *err);

/* Calls cb(ud, seq, article) for every row with seq > after_seq in increasing seq order; the
 * article is valid only during the call. cb returns nonzero to stop. A row whose JSON does not
 * parse stops with KT_ECORRUPT naming the URL. */
typedef int (*kt_article_cb)(void *ud, int64_t seq, const struct kt_article *a);
kt_status kt_article_store_since(struct kt_crawl_state *st, int64_t after_seq, kt_article_cb cb,
                                 void *ud, struct kt_err *err);

/* The highest seq handed out (0 when the store is empty) and the number of articles. */
kt_status kt_article_store_max_seq(struct kt_crawl_state *st, int64_t *seq, struct kt_err *err);
kt_status kt_article_store_count(struct kt_crawl_state *st, int64_t *count, struct kt_err *err);

#endif
