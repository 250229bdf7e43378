/* index_writer.h - builds and updates the search index from article records: JSON Lines files
 * (plain or gzip) and the archive's article store, incrementally and crash-safely.
 *
 * Design (see index_schema.h for the document layout):
 * - A reader (the calling thread) produces records, one or more analysis workers turn each into
 *   a finished Xapian document, and a single writer thread stores them in input order.
 *   Queues between the stages are bounded, so memory does not grow with the input.
 * - The writer commits every opts.batch_docs documents or opts.batch_ms milliseconds. The
 *   resume point (JSONL line number, archive seq) is written to the database metadata in the
 *   same commit as the batch it covers, so a SIGKILL loses at most the uncommitted batch and
 *   the next run starts right after the last committed record. Documents are replaced by their
 *   unique id term, so re-indexing a record never duplicates it.
 * - Only one writer may hold a database: a second one gets KT_ELOCKED. */
#ifndef KHOTIN_INDEXER_INDEX_WRITER_H
#define KHOTIN_INDEXER_INDEX_WRITER_H

#include "common/kt_common.h"
#include "indexer/index_schema.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kt_index_opts {
    uint32_t batch_docs;  /* commit after this many stored documents (default 2000) */
    int64_t batch_ms;     /* ... or after this many milliseconds (default 10000) */
    int workers;          /* analysis threads (default 1; the writer is one more thread) */
    uint64_t max_records; /* stop after this many input records; 0 = all */
    bool store_text;      /* keep the body text in the document data for snippets (default on) */
    bool entities;        /* add entity terms (officials, places; default on) */
    const volatile int *stop; /* when non-NULL and it becomes non-zero: commit and stop */
};

/* Fills opts with the defaults above. */
void kt_index_opts_init(struct kt_index_opts *opts);

struct kt_index_stats {
    uint64_t added;       /* new documents */
    uint64_t updated;     /* documents that replaced one with the same id */
    uint64_t skipped;     /* records already indexed with identical content, or resumed past */
    uint64_t failed;      /* bad records (reported through on_bad_record) */
    uint64_t bytes_read;  /* input bytes of the records processed (uncompressed) */
    uint64_t total_bytes; /* input size when known (file size), else 0 */
    int64_t elapsed_ms;
    uint64_t resumed_from; /* input lines / archive seq a previous run already committed */
    bool nothing_new;      /* the input had nothing that was not indexed already */
    uint64_t done_bytes;   /* progress: input file bytes consumed (compressed) */
};

/* Optional callbacks, called from the calling thread only. */
struct kt_index_callbacks {
    void *user;
    /* A record that cannot be indexed: where names the input, line the JSONL line number
     * (or archive seq). Indexing goes on. */
    void (*on_bad_record)(void *user, uint64_t line, const struct kt_err *e);
    /* Called about every 200 ms with the running totals. */
    void (*on_progress)(void *user, const struct kt_index_stats *st);
};

/* Imports the JSON Lines file path (gzip-compressed if it ends in .gz or starts with the gzip
 * magic) into the database db_path (created if missing). Fields: id, url, title, lead, text, date,
 * site, author, dup_of, source_attribution; id or url is required. A rerun over the same file
 * (same size and mtime) resumes after the last committed line; a finished file indexes nothing.
 * stats (required) is filled even on failure.
 * Returns KT_OK (bad records are counted in stats->failed, not an error), KT_ELOCKED (another
 * writer holds the database), KT_ENOTFOUND (no such file), KT_EIO (read error), KT_EINDEX
 * (Xapian failure), KT_ENOMEM, KT_EINTERRUPTED (*stop became true). */
kt_status kt_index_jsonl(const char *db_path, const char *path, const struct kt_index_opts *opts,
                         const struct kt_index_callbacks *cb, struct kt_index_stats *stats,
                         struct kt_err *err);

/* Indexes the article records of the archive in archive_dir whose seq is above the one stored
 * in the database metadata (that is, new or changed since the last run), then stores the new
 * seq. Same statuses as kt_index_jsonl, plus KT_ENOTFOUND for a missing archive. */
kt_status kt_index_archive(const char *db_path, const char *archive_dir,
                           const struct kt_index_opts *opts, const struct kt_index_callbacks *cb,
                           struct kt_index_stats *stats, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
