/* entities.h - rule- and lexicon-based entity extraction over the Vietnamese analyzer's tokens:
 * officials with their titles, administrative units, figures, documents and dates; the optional
 * gazetteer; the boolean index terms for the search index; JSON Lines / CSV output and the
 * scorer against gold annotations.
 *
 * Typical use:
 *   struct kt_entity_extractor *ex; kt_entity_extractor_new(NULL, &ex, &err);
 *   struct kt_entity_list l = {0};
 *   kt_entities_extract(ex, text, len, "2020-05-25", &l, &err);   // l.items[0..l.n)
 *   kt_entity_list_free(&l); kt_entity_extractor_free(ex);
 *
 * Offsets: the extractor first normalizes the input for display (kt_text_normalize with
 * KT_NORM_DISPLAY: NFC, Unicode spaces -> ' ', invisible characters removed); every start/end
 * offset is a byte offset into that normalized text, which the list keeps (list->text).
 *
 * Threads: an extractor owns a Vietnamese analyzer, which is not thread-safe: use one
 * extractor per thread. A gazetteer is immutable once loaded and may be shared by extractors. */
#ifndef KHOTIN_INDEXER_ENTITIES_H
#define KHOTIN_INDEXER_ENTITIES_H

#include "common/kt_common.h"
#include "corpus/article.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum kt_entity_type {
    KT_ENTITY_OFFICIAL = 0, /* a named holder of a public or party position */
    KT_ENTITY_PLACE,        /* an administrative unit with its level */
    KT_ENTITY_FIGURE,       /* a statistic: number + unit noun phrase */
    KT_ENTITY_DOCUMENT,     /* a cited directive, plan, programme, resolution... */
    KT_ENTITY_DATE,         /* an absolute or partial calendar date */
    KT_ENTITY_TYPE_COUNT
};

#define KT_ENTITY_BIT(t) (1u << (t))
#define KT_ENTITY_ALL    ((1u << KT_ENTITY_TYPE_COUNT) - 1u)

/* Static lowercase English name ("official", "place", "figure", "document", "date"). */
const char *kt_entity_type_name(enum kt_entity_type t);

/* Parses a comma-separated list of type names ("official,place") into a bit mask.
 * Returns KT_OK or KT_EINVAL naming the unknown type. */
kt_status kt_entity_types_parse(const char *list, unsigned *mask, struct kt_err *err);

/* One entity mention. Strings are malloc'd UTF-8 owned by the list, NULL when absent. */
struct kt_entity {
    enum kt_entity_type type;
    size_t start, end;           /* surface span [start, end) in list->text */
    size_t sent_start, sent_end; /* its sentence, also in list->text; a sentence longer than
                                  * ~800 bytes is cut to about 400 bytes each side, at spaces */

    /* official: name = full personal name; title = the fullest title attached to this person
     * in the article; titles = every distinct title (whitespace collapsed), n_titles of them.
     * person numbers distinct people of the article (0, 1, ...): a later mention by title
     * alone or by given name gets the same number and linked = true.
     * place: name = the unit's name without the level word. */
    char *name;
    char *title;
    char **titles;
    size_t n_titles;
    int person;
    bool linked;

    /* place */
    const char *level; /* static: "thành phố", "tỉnh", "quận", "huyện", "thị xã", "xã",
                        * "phường", "thị trấn", "thôn", "tổ dân phố" */
    char *parent;      /* "huyện Thường Tín" when known, else NULL */
    bool explicit_level; /* a level word stands next to the name somewhere in the article */

    /* figure: value as written (decimal comma -> point, thousands dots removed); total for
     * a/b and "a trên b"; value_max for a range 40-50; unit as written ("%", "triệu đồng",
     * "xã"); scaled = value * 10^3/10^6/10^9 for nghìn/triệu/tỷ; measure = what it counts,
     * when found. */
    double value;
    bool has_total;
    double total;
    bool has_value_max;
    double value_max;
    char *unit;
    bool has_scaled;
    double scaled;
    char *measure;

    /* document: kind = "Chỉ thị", "Kế hoạch", ... (static); code as written ("11-CT/HU", "35").
     * A short later reference ("Chương trình 03") gets the full code of the document it refers
     * to when the article cites one ("03-CTr/HU"). */
    const char *kind;
    char *code;

    /* date: ISO value "YYYY-MM-DD", "YYYY-MM", "YYYY", or "--MM-DD" when the year is unknown
     * (no article date). Day ranges (27-29/7/2020) give the first day; date_end the last. */
    char date[11];
    char date_end[11];
};

/* The entities of one text, sorted by start offset, and the normalized text they refer to.
 * Zero-initialise; release with kt_entity_list_free. */
struct kt_entity_list {
    struct kt_entity *items;
    size_t n, cap;
    struct kt_buf text; /* the display-normalized text (NUL-terminated, text.len bytes) */
};

void kt_entity_list_free(struct kt_entity_list *l);

/* ================================ Gazetteer ================================ */

/* Administrative units by name: optional data that resolves units named without a level word
 * ("Vạn Điểm" -> xã, child of huyện Thường Tín when the article names that district). */
struct kt_gazetteer;

/* Adds the units of one JSON file to *g (creating it when *g is NULL). Two layouts are read:
 * provinces -> District[] -> Ward[] (before the 2025 reform) and provinces -> Wards[] (after),
 * each unit an object with "FullName" ("Huyện Thường Tín", "Xã Vạn Điểm"). Several files may
 * be loaded into one gazetteer. On failure *g keeps what it had.
 * Returns KT_OK; KT_ENOTFOUND / KT_EIO (cannot read path); KT_EPARSE (not JSON or not this
 * layout; message names path); KT_ENOMEM. */
kt_status kt_gazetteer_load(struct kt_gazetteer **g, const char *path, struct kt_err *err);

/* Number of units held. */
size_t kt_gazetteer_size(const struct kt_gazetteer *g);

/* NULL is a no-op. */
void kt_gazetteer_free(struct kt_gazetteer *g);

/* ================================ Extraction ================================ */

struct kt_entity_config {
    unsigned types;                       /* KT_ENTITY_BIT mask; 0 = all */
    const struct kt_gazetteer *gazetteer; /* optional, borrowed: must outlive the extractor */
};

struct kt_entity_extractor;

/* Creates an extractor (builds the lexicons, creates an analyzer). cfg may be NULL (all types,
 * no gazetteer). Returns KT_OK, KT_ENOMEM, or the analyzer's error. *out = NULL on failure. */
kt_status kt_entity_extractor_new(const struct kt_entity_config *cfg,
                                  struct kt_entity_extractor **out, struct kt_err *err);

/* NULL is a no-op. */
void kt_entity_extractor_free(struct kt_entity_extractor *ex);

/* Extracts the entities of text (len bytes of UTF-8, any normalization form, invalid bytes
 * tolerated). article_date ("YYYY-MM-DD...", may be NULL) completes partial dates ("25/5").
 * out is reset first (its previous items are freed). Returns KT_OK, KT_ENOMEM, KT_EINVAL
 * (NULL ex/out, or NULL text with len > 0), KT_EOTHER (analyzer/ICU failure). On failure out
 * is left empty. Inputs of any size and shape finish in time linear in len. */
kt_status kt_entities_extract(struct kt_entity_extractor *ex, const char *text, size_t len,
                              const char *article_date, struct kt_entity_list *out,
                              struct kt_err *err);

/* Extracts from an article record: its title and text joined by "\n\n" (offsets refer to that
 * joined text), with a->date as the article date. Same statuses. */
kt_status kt_entities_extract_article(struct kt_entity_extractor *ex, const struct kt_article *a,
                                      struct kt_entity_list *out, struct kt_err *err);

/* ================================ Index terms ================================ */

/* The boolean terms that make entities searchable, for the index writer (index_doc.c) and the
 * query side (query/search.c). Term format (see indexer/index_schema.h):
 *   "XO" + norm(name)          official, exact: "XOngô thị thanh hằng"
 *   "XOF" + fold(name)         official, accent-folded: "XOFngo thi thanh hang"
 *   "XP" + norm(name)          place name without level: "XPthường tín"
 *   "XPF" + fold(name)         "XPFthuong tin"
 *   "XP" + norm(level name)    place with its level: "XPhuyện thường tín"
 *   "XPF" + fold(level name)   "XPFhuyen thuong tin"
 * norm = NFC, canonical (old-style) tone placement, case-folded, whitespace collapsed to one
 * space, trimmed (kt_text_normalize with KT_NORM_CANONICAL | KT_NORM_CASEFOLD); fold = norm
 * accent-folded (KT_NORM_ACCENTFOLD, đ -> d). norm never starts with an uppercase ASCII letter,
 * so "XOF..." cannot be read as an exact term. Terms longer than 240 bytes are skipped. Each
 * distinct term appears once. Add them with wdf 0 (boolean filter terms). */
#define KT_ENTITY_PFX_OFFICIAL "XO"
#define KT_ENTITY_PFX_PLACE    "XP"

/* A list of distinct NUL-terminated terms. Zero-initialise; free with kt_entity_terms_free. */
struct kt_entity_terms {
    char **v;
    size_t n, cap;
};
void kt_entity_terms_free(struct kt_entity_terms *t);

/* Appends to out the terms of the officials and places in l (duplicates are skipped). */
kt_status kt_entity_terms_from_list(const struct kt_entity_list *l, struct kt_entity_terms *out,
                                    struct kt_err *err);

/* One call for the index writer: extracts from the article (kt_entities_extract_article) and
 * appends its terms to out. Returns as kt_entities_extract. */
kt_status kt_entity_article_terms(struct kt_entity_extractor *ex, const struct kt_article *a,
                                  struct kt_entity_terms *out, struct kt_err *err);

/* Query side: the term for a value the user typed after official: or place: ("Ngô Thị Thanh
 * Hằng", "ngo thi thanh hang", "huyện Thường Tín"), written into out (replaced). A value with
 * any diacritic gives the exact term (prefix + norm), one without gives the folded term
 * (prefix + "F" + fold), matching how vi_analyze treats query words. type is
 * KT_ENTITY_OFFICIAL or KT_ENTITY_PLACE. Returns KT_OK, KT_EINVAL (other type, empty value,
 * or a term above 240 bytes), KT_ENOMEM. */
kt_status kt_entity_query_term(enum kt_entity_type type, const char *value, size_t len,
                               struct kt_buf *out, struct kt_err *err);

/* For facets: the display form of an entity term's value: the text after the prefix with each
 * syllable's first letter upper-cased ("XOngô thị thanh hằng" -> "Ngô Thị Thanh Hằng"); level
 * words of place terms stay lower case ("huyện Thường Tín"). Written into out (replaced).
 * Returns KT_OK, KT_EINVAL (not an XO/XP term), KT_ENOMEM. */
kt_status kt_entity_term_display(const char *term, size_t len, struct kt_buf *out,
                                 struct kt_err *err);

/* For facets: true for the one term per entity that facets should count: the exact official
 * term ("XO" + name) and the exact level-qualified place term ("XPhuyện thường tín"); false for
 * folded terms, bare place names and anything else. */
bool kt_entity_term_is_facet(const char *term, size_t len);

/* ================================ Output ================================ */

/* Appends one JSON object per entity of l (each followed by '\n') to out: doc, type, text,
 * start, end, sentence, and per type official name/title/titles, place level/name/parent/
 * explicit_level, figure value/total/unit/scaled/measure (value_max for ranges), document
 * kind/code, date value. doc is the file path or article URL. Returns KT_OK or KT_ENOMEM. */
kt_status kt_entities_to_jsonl(const struct kt_entity_list *l, const char *doc, struct kt_buf *out,
                               struct kt_err *err);

/* CSV (RFC 4180, UTF-8): the header row below (when header is true), then one row per entity:
 *   doc,type,text,start,end,name,title,level,parent,value,total,unit,scaled,measure,kind,code,
 *   date,sentence */
kt_status kt_entities_to_csv(const struct kt_entity_list *l, const char *doc, bool header,
                             struct kt_buf *out, struct kt_err *err);

/* Appends s as one RFC 4180 CSV field (quoted when it holds a comma, quote, CR or LF, or starts
 * with '=', '+', '-', '@' which spreadsheets would read as a formula: those get a leading
 * apostrophe inside the quotes). NULL writes an empty field. */
kt_status kt_csv_field(struct kt_buf *out, const char *s, size_t len);

/* ================================ Scoring ================================ */

/* Per-type counts of a scoring run. */
struct kt_entity_score {
    size_t gold, pred, tp; /* after optional items are set aside */
    double precision, recall, f1;
};

struct kt_entity_eval {
    struct kt_entity_score by_type[KT_ENTITY_TYPE_COUNT];
    size_t docs;          /* documents in the gold file */
    size_t title_checked; /* matched officials that have a gold title list */
    size_t title_ok;      /* ... whose predicted title is one of the gold titles */
    struct kt_buf detail; /* one line per miss ("FN ...") and false alarm ("FP ...") */
};

/* Scores predictions against gold, both JSON Lines in the format of ../shared/gold/
 * entities.jsonl and of kt_entities_to_jsonl. Documents are matched by the basename of "doc"
 * without its extension. Strings are compared after NFC, canonical tones, case folding and
 * whitespace collapsing. Officials match by (doc, name), places by (doc, level, name), figures
 * one-to-one per doc by (value, total) with a lenient unit check (one unit contains the other),
 * documents by (doc, code), where a prediction whose code is the number of a gold code
 * ("03" for "03-CTr/HU") or whose text is one of the gold "mentions" matches that line.
 * Gold items with "optional": true are left out of both sides. Types absent from the gold file
 * (dates) are scored only if present there. Free ev->detail with kt_buf_free.
 * Returns KT_OK, KT_EPARSE (a line that is not a JSON object; message names file and line),
 * KT_ENOTFOUND / KT_EIO, KT_ENOMEM. */
kt_status kt_entity_evaluate(const char *gold_path, const char *pred_path,
                             struct kt_entity_eval *ev, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
