/* dedup.h - duplicate detection for article records: SHA-1 of the normalized text for exact
 * copies, a 64-bit SimHash over syllable shingles for near copies (Hamming distance <= 3), and
 * an in-memory index of earlier articles the crawl loop fills from the archive's stored
 * fingerprints and queries to set dup_of. */
#ifndef KHOTIN_CRAWLER_DEDUP_H
#define KHOTIN_CRAWLER_DEDUP_H

#include "common/kt_common.h"
#include "corpus/corpus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_DEDUP_MAX_HAMMING 3  /* near-duplicate threshold */
#define KT_DEDUP_MIN_TOKENS  40 /* shorter texts are never near-duplicates (exact only) */

/* Fingerprint of one text: hex SHA-1 of the normalized text (NFC, canonical tones and
 * punctuation, case-folded, whitespace collapsed), the SimHash over syllable shingles of
 * width 1 and 2 (FNV-1a 64 + a 64-bit mixer per shingle, equal weights: the single syllables
 * keep a copy with one added sentence within 3 bits, the pairs keep unrelated texts of the same
 * domain apart) and the number of syllables seen. */
struct kt_fingerprint {
    char sha1[41];
    uint64_t simhash;
    size_t tokens;
};

/* Computes the fingerprint of text (len bytes of UTF-8). Returns KT_OK, KT_ENOMEM, KT_EOTHER. */
kt_status kt_fingerprint_text(const char *text, size_t len, struct kt_fingerprint *fp,
                              struct kt_err *err);

/* Sets a->content_sha1 and a->simhash from a->text (an empty or NULL text gives "" and 0). */
kt_status kt_article_fingerprint(struct kt_article *a, struct kt_err *err);

/* Number of differing bits. */
int kt_simhash_distance(uint64_t a, uint64_t b);

/* An index of earlier articles: (url, sha1, simhash, tokens). Lookups use the pigeonhole
 * principle over four 16-bit bands, so they cost a few bucket scans, not a pass over all. */
struct kt_dedup_index;

/* Creates an empty index; free with kt_dedup_free. Returns KT_OK or KT_ENOMEM. */
kt_status kt_dedup_new(struct kt_dedup_index **out, struct kt_err *err);
void kt_dedup_free(struct kt_dedup_index *ix);

/* Adds one earlier article (url copied). sha1 may be "" (then only near matching applies);
 * tokens is the syllable count (0 if unknown: the entry then takes part in near matching).
 * Returns KT_OK, KT_ENOMEM, KT_EINVAL (url NULL). */
kt_status kt_dedup_add(struct kt_dedup_index *ix, const char *url, const char *sha1,
                       uint64_t simhash, size_t tokens, struct kt_err *err);

/* Finds an earlier copy: an entry with the same sha1 (exact) or, when tokens >= MIN_TOKENS, the
 * entry with the smallest Hamming distance <= KT_DEDUP_MAX_HAMMING. Entries whose url equals
 * self_url are skipped. Returns the stored url (owned by the index) or NULL; *exact tells which
 * kind (may be NULL). */
const char *kt_dedup_find(const struct kt_dedup_index *ix, const char *self_url, const char *sha1,
                          uint64_t simhash, size_t tokens, bool *exact);

/* For the crawl loop: fingerprints a (unless content_sha1 is already set, as kt_extract_html
 * leaves it), sets a->dup_of to the earlier copy found in
 * ix (or leaves it NULL), then adds a to ix. Returns KT_OK or KT_ENOMEM/KT_EOTHER. */
kt_status kt_dedup_check_and_add(struct kt_dedup_index *ix, struct kt_article *a,
                                 struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
