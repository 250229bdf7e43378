/* index_internal.h - private helpers shared by the index writer's files: the JSON Lines reader
 * and the article-to-document builder. */
#ifndef KHOTIN_INDEXER_INDEX_INTERNAL_H
#define KHOTIN_INDEXER_INDEX_INTERNAL_H

#include "common/kt_common.h"
#include "corpus/article.h"
#include "indexer/kt_xapian.h"
#include "indexer/vi_analyze.h"

#include <stdbool.h>
#include <stdint.h>

/* Longest JSONL line accepted; longer lines are consumed and reported as KT_ETOOBIG. */
#define KT_JSONL_MAX_LINE (32u << 20)

/* A line reader over a plain or gzip file (zlib reads both). */
struct kt_lines;

/* Opens path. KT_ENOTFOUND if missing, KT_EIO otherwise. *out = NULL on error. */
kt_status kt_lines_open(const char *path, struct kt_lines **out, struct kt_err *err);

/* Reads the next line (without its '\n' or '\r\n') into line (reset first). Sets *eof at the
 * end of input (line is then empty). *line_no is the 1-based number of the line returned.
 * Returns KT_OK, KT_ETOOBIG for a line above KT_JSONL_MAX_LINE (consumed, the caller may go on),
 * KT_EIO or KT_ECORRUPT (truncated or damaged gzip stream; the message names path and line). */
kt_status kt_lines_next(struct kt_lines *r, struct kt_buf *line, uint64_t *line_no, bool *eof,
                        struct kt_err *err);

/* Uncompressed bytes consumed so far. */
uint64_t kt_lines_bytes(const struct kt_lines *r);

/* Compressed (file) bytes consumed so far: for progress against the file size. */
uint64_t kt_lines_file_offset(const struct kt_lines *r);

/* Closes r; NULL is a no-op. */
void kt_lines_close(struct kt_lines *r);

/* ============================ Documents ============================ */

/* 64-bit FNV-1a of len bytes, written as 16 lowercase hex digits plus NUL into hex. */
void kt_index_hash_hex(const void *data, size_t len, char hex[17]);

struct kt_entity_extractor;

/* Builds the document for article a (layout: index_schema.h) with analyzer an and, when ex is
 * not NULL, its entity terms: *out is a new document (caller frees), uterm receives its unique
 * id term (replaced). hash_hex (16 hex digits) goes to KT_SLOT_HASH.
 * Errors: KT_EPARSE (no id and no url), KT_ENOMEM, KT_EINDEX, the extractor's errors. */
kt_status kt_index_doc_build(vi_analyzer *an, struct kt_entity_extractor *ex,
                             const struct kt_article *a, const char *hash_hex, bool store_text,
                             kt_xdoc **out, struct kt_buf *uterm, struct kt_err *err);

/* The unique id term for id (KT_PFX_ID + id, long ids cut and hashed) into uterm (replaced). */
kt_status kt_index_id_term(const char *id, struct kt_buf *uterm, struct kt_err *err);

#endif
