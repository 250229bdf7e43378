/* archive.h - an archive directory: the run lock, the crawl-state database, the WARC files.
 *
 * Layout of DIR:
 *   DIR/lock          flock()ed exclusively by the one writing run; holds its pid as text
 *   DIR/state.sqlite  crawl state + article store (corpus/crawl_state.h, article_store.h)
 *   DIR/warc/         the WARC files (corpus/warc_writer.h naming)
 *
 * A read-write open takes the lock (non-blocking: a second run fails at once with KT_ELOCKED
 * having touched nothing), repairs a torn tail of the newest WARC file, resets FETCHING rows
 * left by a killed run, and opens the WARC writer lazily (no WARC file when nothing is
 * written). A read-only open takes no lock and writes nothing (for `warc ls`, the indexer). */
#ifndef KHOTIN_CORPUS_ARCHIVE_H
#define KHOTIN_CORPUS_ARCHIVE_H

#include "common/kt_common.h"
#include "corpus/crawl_state.h"
#include "corpus/warc_reader.h"
#include "corpus/warc_writer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kt_archive_opts {
    bool read_only;
    const char *warc_prefix;     /* NULL = "khotin" */
    uint64_t max_warc_size;      /* 0 = 1 GiB */
    const char *hostname;        /* NULL = gethostname() */
    const char *warcinfo_fields; /* "name: value\r\n" lines for each warcinfo (config summary) */
};

/* What the open found and fixed (read-write opens only). */
struct kt_archive_open_report {
    bool repaired; /* the newest WARC had a torn tail, now cut */
    char repaired_file[KT_WARC_NAME_MAX];
    struct kt_warc_repair_report repair;
    size_t fetching_reset; /* FETCHING rows put back to QUEUED */
};

struct kt_archive;

/* Opens DIR (created with its parents unless read_only). opts may be NULL (read-write).
 * *out: kt_archive_close. report (may be NULL) receives what the open repaired.
 * Errors: KT_ELOCKED "DIR: archive is in use by another khotin run (pid N)";
 * KT_ENOTFOUND (read_only and DIR or its state missing); KT_ECORRUPT (damaged WARC tail that is
 * not a torn record, or damaged state db); KT_EIO; KT_ENOMEM. */
kt_status kt_archive_open(const char *dir, const struct kt_archive_opts *opts,
                          struct kt_archive **out, struct kt_archive_open_report *report,
                          struct kt_err *err);

/* Syncs the WARC file, then releases everything and the lock. NULL is a no-op. Errors: KT_EIO
 * (the archive is closed anyway). */
kt_status kt_archive_close(struct kt_archive *a, struct kt_err *err);

/* The state database (owned by a). */
struct kt_crawl_state *kt_archive_state(struct kt_archive *a);

/* The WARC writer, created on first call (KT_EINVAL for a read-only archive). Owned by a. */
kt_status kt_archive_writer(struct kt_archive *a, struct kt_warc_writer **w, struct kt_err *err);

/* fsyncs the WARC file if one is open (call before committing state that points at records). */
kt_status kt_archive_sync(struct kt_archive *a, struct kt_err *err);

const char *kt_archive_dir(const struct kt_archive *a);
/* DIR/warc. */
const char *kt_archive_warc_dir(const struct kt_archive *a);

/* Writes "DIR/warc/<file>" into out (size out_size). KT_EINVAL if it does not fit or file
 * contains a '/'. */
kt_status kt_archive_warc_path(const struct kt_archive *a, const char *file, char *out,
                               size_t out_size, struct kt_err *err);

/* The WARC basenames in DIR/warc (*.warc.gz and *.warc), sorted by name (= by time), as a
 * malloc'd array of malloc'd strings; free with kt_archive_free_names. */
kt_status kt_archive_list_warcs(const struct kt_archive *a, char ***names, size_t *n,
                                struct kt_err *err);
void kt_archive_free_names(char **names, size_t n);

/* Reads the record at (file basename, offset) - e.g. a response located by the crawl state.
 * max_block 0 = default. Errors as kt_warc_read_at. */
kt_status kt_archive_read_record(const struct kt_archive *a, const char *file, uint64_t offset,
                                 size_t max_block, struct kt_warc_record *rec, struct kt_err *err);

#endif
