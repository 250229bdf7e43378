/* warc_reader.h - read WARC files (.warc.gz with one or more gzip members, or plain .warc):
 * iterate records with their offsets, header lookup, bounded block bytes, digest verification;
 * read one record at a known (file, offset); detect and cut a torn tail left by a crash. */
#ifndef KHOTIN_CORPUS_WARC_READER_H
#define KHOTIN_CORPUS_WARC_READER_H

#include "common/kt_common.h"
#include "corpus/warc_digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_WARC_DEFAULT_MAX_BLOCK (64u * 1024u * 1024u) /* block bytes kept in memory */
#define KT_WARC_MAX_HEAD          (64u * 1024u)         /* WARC header block larger: EPARSE */

struct kt_warc_field {
    const char *name; /* NUL-terminated, as written */
    const char *value;
};

/* One record. Caller-owned struct: zero-initialise, pass to kt_warc_reader_next/kt_warc_read_at
 * as often as wanted (previous contents are released), release with kt_warc_record_free. */
struct kt_warc_record {
    uint64_t offset;     /* byte offset in the file of the gzip member that holds the record
                            start (plain files: of the "WARC/" line) */
    uint64_t end_offset; /* file offset just after the record (for gzip: after its member
                            when the record ends with its member) */
    char version[16];    /* "WARC/1.1" */
    struct kt_warc_field *fields;
    size_t n_fields;
    const char *type;        /* WARC-Type value ("" if absent) */
    const char *target_uri;  /* WARC-Target-URI value (NULL if absent) */
    uint64_t content_length; /* declared Content-Length = full block size */
    unsigned char *block;    /* first block_len bytes of the block (NUL-terminated, owned) */
    size_t block_len;        /* == content_length unless block_capped */
    bool block_capped;       /* block larger than the max_block limit: only the start is held */
    char block_digest[KT_WARC_DIGEST_SIZE]; /* sha1 computed over the WHOLE block as read */
    char *storage_;                         /* private */
};

void kt_warc_record_free(struct kt_warc_record *rec);

/* Case-insensitive header lookup; NULL if absent. */
const char *kt_warc_record_get(const struct kt_warc_record *rec, const char *name);

/* HTTP status of a response/revisit record's block (parsed from its status line), or 0. */
int kt_warc_record_http_status(const struct kt_warc_record *rec);

/* Checks the record: mandatory headers (WARC-Type, WARC-Record-ID, WARC-Date, Content-Length),
 * WARC-Block-Digest against the computed one, and for response/revisit records of HTTP
 * messages WARC-Payload-Digest against the SHA-1 of the de-chunked body (a revisit with
 * WARC-Truncated or a capped block: payload not checked). Returns true if good; otherwise
 * false with a one-line reason in problem (size problem_size). Unsupported digest algorithms
 * (not sha1) are reported as problems. */
bool kt_warc_record_verify(const struct kt_warc_record *rec, char *problem, size_t problem_size);

struct kt_warc_reader_opts {
    size_t max_block; /* 0 = KT_WARC_DEFAULT_MAX_BLOCK */
};

struct kt_warc_reader;

/* Opens path for iteration. opts may be NULL. *out: kt_warc_reader_close.
 * Errors: KT_ENOTFOUND, KT_EIO (name the path), KT_ENOMEM. */
kt_status kt_warc_reader_open(const char *path, const struct kt_warc_reader_opts *opts,
                              struct kt_warc_reader **out, struct kt_err *err);
/* Same over bytes in memory (not copied: data must outlive the reader); name is for messages. */
kt_status kt_warc_reader_open_mem(const void *data, size_t len, const char *name,
                                  const struct kt_warc_reader_opts *opts,
                                  struct kt_warc_reader **out, struct kt_err *err);
void kt_warc_reader_close(struct kt_warc_reader *r);

/* Reads the next record into rec. At a clean end of file returns KT_OK with *have = false.
 * Errors (iteration cannot go on after them): KT_ECORRUPT (bad gzip data, CRC), KT_EPARSE
 * (not a WARC record, bad header), KT_EIO; a file that ends inside a gzip member or a record
 * gives KT_ECORRUPT "truncated". Messages name the file and offset. */
kt_status kt_warc_reader_next(struct kt_warc_reader *r, struct kt_warc_record *rec, bool *have,
                              struct kt_err *err);

/* Offset just after the last record read completely (where a repair would cut). */
uint64_t kt_warc_reader_good_end(const struct kt_warc_reader *r);

/* Reads the one record whose gzip member (or plain record) starts at offset in path.
 * max_block 0 = default. Errors as kt_warc_reader_next; KT_ENOTFOUND if the file is missing
 * or offset is at/after its end. */
kt_status kt_warc_read_at(const char *path, uint64_t offset, size_t max_block,
                          struct kt_warc_record *rec, struct kt_err *err);

/* What kt_warc_repair did. */
struct kt_warc_repair_report {
    bool cut; /* the file was truncated */
    uint64_t old_size;
    uint64_t new_size;        /* end of the last complete record */
    unsigned records_kept;    /* complete records in the file */
    char reason[KT_ERR_SIZE]; /* why the tail was bad ("" if nothing cut) */
};

/* Scans path; if its tail is torn (ends inside a gzip member or a WARC record, or has trailing
 * bytes that are not a WARC record) truncates it to the end of the last complete record and
 * fsyncs, reporting in *rep. A damaged record followed by further valid records is NOT a torn
 * tail: KT_ECORRUPT, file untouched (cutting would lose good records). A file with nothing
 * valid at all is cut to size 0. Errors: KT_ENOTFOUND, KT_EIO, KT_ECORRUPT, KT_ENOMEM. */
kt_status kt_warc_repair(const char *path, struct kt_warc_repair_report *rep, struct kt_err *err);

#endif
