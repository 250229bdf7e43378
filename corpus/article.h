/* article.h - the article record: one clean article extracted from one archived page.
 * Extraction (crawler/) fills it, the corpus stores it beside the crawl state, the indexer and
 * the entity extractor read it. JSON form: the fields below with the same names. */
#ifndef KHOTIN_CORPUS_ARTICLE_H
#define KHOTIN_CORPUS_ARTICLE_H

#include "common/kt_common.h"

#include <stdint.h>

/* Every string is malloc'd UTF-8 (NFC) owned by the record, or NULL when absent.
 * Release with kt_article_free(). */
struct kt_article {
    char *id;                 /* stable id: the canonical URL unless the source gives one */
    char *url;                /* canonical URL */
    char *site;               /* site name from the config, or the host */
    char *title;
    char *lead;               /* sapo, NULL if none */
    char *text;               /* lead + body paragraphs joined by "\n\n" */
    char *date;               /* ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]+07:00; NULL if unknown */
    char *author;
    char *photo;              /* photographer credit */
    char *source_attribution; /* X of "Theo X" */
    char **captions;          /* n_captions strings */
    size_t n_captions;
    char *lang;               /* "vi" */
    char content_sha1[41];    /* hex SHA-1 of the normalized text; "" if not computed */
    uint64_t simhash;         /* 64-bit SimHash over syllable shingles; 0 if not computed */
    char *dup_of;             /* canonical URL of an earlier copy, NULL if none */
    char *warc_file;          /* where the response record lives (basename), NULL if not archived */
    int64_t warc_offset;      /* byte offset of that record's gzip member; -1 if unknown */
    int64_t fetched_at;       /* seconds since the epoch; 0 if unknown */
};

/* Zeroes a (also sets warc_offset to -1). */
void kt_article_init(struct kt_article *a);
/* Frees every field and re-initialises a. NULL is a no-op. */
void kt_article_free(struct kt_article *a);

/* Serialises a as one JSON object (no trailing newline), appended to out. The simhash is written
 * as a 16-digit lowercase hex string. Returns KT_OK or KT_ENOMEM. */
kt_status kt_article_to_json(const struct kt_article *a, struct kt_buf *out, struct kt_err *err);

/* Parses one JSON object into a (which must be initialised). Unknown fields are ignored;
 * "id" or "url" is required (id defaults to url). Errors: KT_EPARSE naming the problem. */
kt_status kt_article_from_json(const char *json, size_t len, struct kt_article *a,
                               struct kt_err *err);

#endif
