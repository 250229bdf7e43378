/* index_schema.h - the layout of a khotin index: term prefixes, value slots, document data and
 * metadata keys, with the format history. Writer (index_doc.c) and reader (query/) share it.
 *
 * One document per article, keyed by the unique term KT_PFX_ID + id (id = the record's id, or
 * its canonical URL; ids longer than KT_ID_TERM_MAX bytes are cut and suffixed with a hash).
 *
 * Free-text term spaces. Each space holds some of the analyzer's terms (indexer/vi_analyze.h)
 * under a field prefix FP (the choice is explained in index_doc.c):
 *   FP+"F"+fold  every token, positional (phrases, unaccented words)
 *   FP+norm      tokens with a diacritic only, not positional (words typed with diacritics)
 *   "SBF"+f1_f2, "SW"+word  title space only: folded bigrams and lexicon words (ranking units)
 *   ""   (KT_PFX_ANY)    everything searchable together: title, author, source attribution,
 *                        lead and body text, in that order with a KT_FIELD_GAP position gap
 *                        between fields (phrases never span fields). Plain query words and
 *                        `body:` search here.
 *   "S"  (KT_PFX_TITLE)  the title again, for `title:` and for the title boost in ranking.
 *   "L"  (KT_PFX_LEAD)   the lead (no bigrams), for `lead:`.
 *   "A"  (KT_PFX_AUTHOR) author, for `author:`.
 *   "R"  (KT_PFX_SOURCE) source attribution ("Theo X"), for `source:`.
 * Boolean (filter) terms, wdf 0:
 *   "Q" + id            unique key          "XSITE" + site   site, lower case
 *   "Y" + YYYY          year                "M" + YYYYMM     month
 *   "XO" + name         entity: official    "XP" + name      entity: place (entity hook)
 * Prefixes are upper-case ASCII and none is another's prefix followed by F, B or W, so no term
 * of one space can be read as a term of another.
 *
 * Value slots:
 *   KT_SLOT_DATE     "YYYYMMDD" (8 bytes, byte order = time order): date ranges and sorting
 *   KT_SLOT_SITE     site name: site facet
 *   KT_SLOT_COLLAPSE duplicate cluster: dup_of if set, else the document's own URL/id
 *   KT_SLOT_HASH     16 hex digits: FNV-1a of the source record; equal -> re-indexing is skipped
 *   KT_SLOT_YEAR     "YYYY": year facet
 *
 * Document data: a compact JSON object {"id","url","title","date","site","author"}, a NUL
 * byte, then the snippet text: the lead, "\n\n" and the body (the body alone when it already
 * starts with the lead), cut at KT_DATA_TEXT_MAX bytes. Results parse only the small JSON
 * part (parsing the whole text as JSON cost ~1 ms per page of 10 results).
 *
 * Metadata:
 *   KT_META_FORMAT          KT_INDEX_FORMAT as decimal text
 *   KT_META_JSONL "<hash>"  resume point of a JSON Lines import: "line size mtime path"
 *   KT_META_ARCHIVE "<hash>" last archive seq indexed: "seq dir"
 *
 * Format history:
 *   1 (2026-12-02): first format, as described above.
 * A reader or writer that finds another format refuses the index ("reindex needed"). */
#ifndef KHOTIN_INDEXER_INDEX_SCHEMA_H
#define KHOTIN_INDEXER_INDEX_SCHEMA_H

#define KT_INDEX_FORMAT 1
#define KT_META_FORMAT  "khotin.format"
#define KT_META_JSONL   "khotin.jsonl."
#define KT_META_ARCHIVE "khotin.archive."

#define KT_PFX_ANY             ""
#define KT_PFX_TITLE           "S"
#define KT_PFX_LEAD            "L"
#define KT_PFX_AUTHOR          "A"
#define KT_PFX_SOURCE          "R"
#define KT_PFX_ID              "Q"
#define KT_PFX_SITE            "XSITE"
#define KT_PFX_YEAR            "Y"
#define KT_PFX_MONTH           "M"
#define KT_PFX_ENTITY_OFFICIAL "XO"
#define KT_PFX_ENTITY_PLACE    "XP"

#define KT_SLOT_DATE     0
#define KT_SLOT_SITE     1
#define KT_SLOT_COLLAPSE 2
#define KT_SLOT_HASH     3
#define KT_SLOT_YEAR     4

#define KT_FIELD_GAP     100         /* positions left empty between fields */
#define KT_ID_TERM_MAX   200         /* longest id kept verbatim in the Q term */
#define KT_DATA_TEXT_MAX (64u << 10) /* body text kept in the document data for snippets */

#endif
