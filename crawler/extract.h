/* extract.h - article extraction: turns one archived HTML page (or a plain-text page) into a
 * clean struct kt_article (title, lead, body text, date, author, photo credit, attribution,
 * captions) with a generic, template-independent algorithm, and scores it against gold data.
 *
 * The algorithm (see extract_*.c): decode the bytes to NFC UTF-8 (kt_text_decode), parse them
 * with libxml2's HTML parser, walk the DOM iteratively into text blocks, prune boilerplate
 * (hidden elements, negative class/id hints, containers introduced by Vietnamese boilerplate
 * headings such as "Tin liên quan" / "Tin cùng chuyên mục" / "Viết bình luận"), score block
 * containers by text length, commas and link density (readability-style), take the best
 * container as the body, add the lead (sapo) found between the title and the body, and move
 * captions, bylines, "Theo X" attributions and date stamps out of the text into their fields.
 * Per-site XPath overrides are optional refinements. */
#ifndef KHOTIN_CRAWLER_EXTRACT_H
#define KHOTIN_CRAWLER_EXTRACT_H

#include "common/kt_common.h"
#include "corpus/corpus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_EXTRACT_DEFAULT_MAX_BYTES (64u * 1024u * 1024u)

/* Inputs besides the bytes; every field is optional (NULL / 0). Strings are borrowed. */
struct kt_extract_opts {
    const char *url;          /* the page URL (used for url/id when no rel=canonical) */
    const char *content_type; /* HTTP Content-Type value, e.g. "text/html; charset=utf-8" */
    const char *site;         /* site name from the config; NULL = host of the URL */
    const char *xpath_title;  /* per-site refinements (XPath 1.0); an XPath that does not */
    const char *xpath_body;   /*   compile or matches nothing is ignored and the generic */
    const char *xpath_date;   /*   algorithm decides */
    const char *xpath_author;
    size_t max_bytes; /* pages larger than this: KT_ETOOBIG; 0 = KT_EXTRACT_DEFAULT_MAX_BYTES */
};

/* The article/non-article decision. */
struct kt_extract_info {
    bool is_article;   /* false for home pages, listings, framesets, empty or script-only pages */
    char reason[128];  /* why it is not an article ("" when it is) */
    char charset[40];  /* charset used to decode the page */
    size_t body_chars; /* characters of body text found */
};

/* Extracts an article from len bytes of HTML. out must be initialised (kt_article_init) and is
 * filled (previous contents are freed first). A page that is not an article still returns KT_OK
 * with info->is_article = false and whatever fields were found (title, date...). content_sha1
 * and simhash are computed (kt_article_fingerprint). info may be NULL.
 * Errors: KT_EINVAL (data NULL with len > 0), KT_ETOOBIG (len > max_bytes), KT_ENOMEM,
 * KT_EPARSE (libxml2 produced no document); messages name opts->url when given. */
kt_status kt_extract_html(const void *data, size_t len, const struct kt_extract_opts *opts,
                          struct kt_article *out, struct kt_extract_info *info, struct kt_err *err);

/* Same for a page published as plain text (one paragraph per line, like ../shared/seeds): the
 * same boilerplate, caption, byline and date recognisers applied line by line. The first
 * non-boilerplate line is the title. */
kt_status kt_extract_text(const void *data, size_t len, const struct kt_extract_opts *opts,
                          struct kt_article *out, struct kt_extract_info *info, struct kt_err *err);

/* ============================ Evaluation ============================ */

/* Text similarity as in the ScrapingHub article-extraction benchmark: tokens are \w+ runs
 * (Unicode letters, digits, '_'), compared as multisets of 4-token shingles (a text shorter
 * than 4 tokens is one shorter shingle). Sets *tp, *fp, *fn normalised to sum 1 (all 0 when
 * both texts are empty). Returns KT_OK or KT_ENOMEM. */
kt_status kt_eval_shingles(const char *gold, const char *pred, double *tp, double *fp, double *fn);

/* Aggregated scores. Precision is the mean of per-document precisions (documents with
 * tp+fp > 0), recall the mean of per-document recalls (tp+fn > 0), f1 = 2PR/(P+R) of those
 * means (the benchmark's definition); f1_mean_doc is the mean of per-document F1 for reference. */
struct kt_eval_extract_result {
    size_t docs;    /* gold documents scored */
    size_t missing; /* gold documents whose page could not be read or extracted */
    double text_precision, text_recall, text_f1, text_f1_mean_doc;
    size_t title_ok, title_n;
    size_t date_ok, date_n;     /* to the minute when gold has a time, else to the day */
    size_t author_ok, author_n; /* gold author (or null) matched exactly after whitespace
                                 * normalisation */
    size_t attribution_ok, attribution_n;
    size_t not_article;            /* gold articles the extractor called non-articles */
    size_t dup_tp, dup_fp, dup_fn; /* dup_of against gold duplicate_of */
    struct kt_buf detail;          /* one line per document (mismatches explained); owned, free with
                                    * kt_eval_extract_result_free */
};
void kt_eval_extract_result_free(struct kt_eval_extract_result *r);

/* Scores extraction on the fixture site replica: gold_path is gold.jsonl, site_dir the
 * directory holding <site>/_site.json and the stored pages. Each gold page is read from the
 * file its route names and decoded with the Content-Type the fixture server sends for it;
 * duplicates are detected in publication-date order with a kt_dedup index.
 * res must be zeroed. Errors: KT_ENOTFOUND/KT_EIO/KT_EPARSE naming the file, KT_ENOMEM. */
kt_status kt_eval_extract_site(const char *gold_path, const char *site_dir,
                               struct kt_eval_extract_result *res, struct kt_err *err);

/* Scores kt_extract_text on the seed pages (seeds_dir/<doc>.txt) against gold_text_dir/<doc>.txt
 * (line 1 title, then the body) and gold_text_dir/meta.jsonl (author, date). res zeroed. */
kt_status kt_eval_extract_seeds(const char *seeds_dir, const char *gold_text_dir,
                                struct kt_eval_extract_result *res, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
