/* warc_writer.h - append WARC 1.1 records to rotating .warc.gz files, one gzip member per record,
 * crash-safe: a record is either entirely in the file or (after a crash) cut by repair.
 *
 * Files are named <prefix>-<YYYYMMDDHHMMSSmmm>-<serial 5 digits>-<hostname>.warc.gz in the
 * writer's directory; each starts with a warcinfo record. A file is created only when the first
 * record is written (no empty WARC files), and a new one is started when appending the next
 * record would make the current file exceed max_file_size (a single record larger than that
 * still goes into a file of its own).
 *
 * Records and digests (WARC 1.1):
 *   - response: Content-Type "application/http;msgtype=response"; the block is the raw HTTP
 *     response exactly as received (status line, header fields, CRLF, body bytes as on the wire:
 *     chunked framing and Content-Encoding as sent). WARC-Block-Digest = sha1 of the block.
 *     WARC-Payload-Digest = sha1 of the entity body after removing the transfer (chunked)
 *     encoding, Content-Encoding left as is - what WARC 1.1 calls the payload and what validators
 *     such as warcio check. See corpus/http_message.h for the vocabulary.
 *   - request: "application/http;msgtype=request", block = the raw request as sent, with
 *     WARC-Concurrent-To naming the response record.
 *   - revisit: WARC-Profile http://netpreserve.org/warc/1.1/revisits/server-not-modified (a 304;
 *     block = the whole 304 response, no payload digest) or .../identical-payload-digest
 *     (block = the response head only, as Heritrix and warcio write them; WARC-Payload-Digest is
 *     the full payload's digest and WARC-Refers-To, WARC-Refers-To-Target-URI,
 *     WARC-Refers-To-Date name the earlier record).
 *   - metadata: "application/warc-fields" block of "name: value" lines (e.g. outlink, via,
 *     fetchTimeMs), WARC-Concurrent-To the record it describes.
 * Every record has WARC-Type, WARC-Record-ID, WARC-Date (UTC, microseconds), Content-Length,
 * Content-Type, WARC-Block-Digest, WARC-Warcinfo-ID (except warcinfo itself), WARC-Target-URI
 * and WARC-IP-Address when known.
 *
 * Durability: each record is compressed in memory, written with one checked write loop and
 * flushed to the kernel before the call returns its location; kt_warc_writer_sync fsyncs (call it
 * before committing the crawl state that points at the records). On any write error (ENOSPC...)
 * the file is truncated back to the end of the last complete record and KT_EIO names the file:
 * nothing half-written is ever reported as stored.
 *
 * Not thread-safe: one writer per thread (the crawler calls it from its event loop). */
#ifndef KHOTIN_CORPUS_WARC_WRITER_H
#define KHOTIN_CORPUS_WARC_WRITER_H

#include "common/kt_common.h"
#include "corpus/warc_digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KT_WARC_NAME_MAX             256          /* file basenames are shorter than this */
#define KT_WARC_DEFAULT_MAX_SIZE     (1ull << 30) /* 1 GiB */
#define KT_WARC_PROFILE_NOT_MODIFIED "http://netpreserve.org/warc/1.1/revisits/server-not-modified"
#define KT_WARC_PROFILE_IDENTICAL                                                                  \
    "http://netpreserve.org/warc/1.1/revisits/identical-payload-digest"

struct kt_warc_writer_opts {
    const char *dir;        /* where files go; must exist. Required. */
    const char *prefix;     /* file name prefix; NULL = "khotin" */
    uint64_t max_file_size; /* 0 = KT_WARC_DEFAULT_MAX_SIZE */
    const char *hostname;   /* in file names and warcinfo; NULL = gethostname() */
    /* Extra warcinfo fields, already formatted as "name: value\r\n" lines (e.g. the crawl
     * config summary: "robots: obey\r\nhttp-header-user-agent: ...\r\n"). NULL = none. The
     * writer always adds software: khotin/<version>, format: WARC File Format 1.1,
     * conformsTo, hostname. Copied at open. */
    const char *warcinfo_fields;
    int compression_level; /* zlib level 1 (fastest) .. 9 (smallest); 0 = 6 */
};

/* Where a record landed: the file's basename (in the writer's dir), the byte offset of the
 * record's gzip member and its compressed length, the record id and WARC-Date. */
struct kt_warc_location {
    char file[KT_WARC_NAME_MAX];
    uint64_t offset;
    uint64_t length;
    char record_id[KT_WARC_ID_SIZE];
    char date[KT_WARC_DATE_SIZE];
};

struct kt_warc_writer;

/* Prepares a writer (no file is created yet). *out is owned by the caller: kt_warc_writer_close.
 * Errors: KT_EINVAL (no dir), KT_ENOTFOUND (dir missing), KT_ENOMEM. */
kt_status kt_warc_writer_open(const struct kt_warc_writer_opts *opts, struct kt_warc_writer **out,
                              struct kt_err *err);

/* Syncs and closes the current file and frees w (NULL is a no-op). Errors: KT_EIO (fsync/close
 * failed; w is freed anyway). */
kt_status kt_warc_writer_close(struct kt_warc_writer *w, struct kt_err *err);

/* fsync()s the current file (and its directory after a new file was created). KT_EIO on failure. */
kt_status kt_warc_writer_sync(struct kt_warc_writer *w, struct kt_err *err);

/* Basename of the file being written, or NULL before the first record. */
const char *kt_warc_writer_current_file(const struct kt_warc_writer *w);
/* Total bytes written by this writer (all files), and number of files started. */
uint64_t kt_warc_writer_bytes(const struct kt_warc_writer *w);
unsigned kt_warc_writer_files(const struct kt_warc_writer *w);

enum kt_warc_exchange {
    KT_WARC_EXCHANGE_RESPONSE = 0, /* full response record (any status, including 4xx/5xx) */
    KT_WARC_EXCHANGE_NOT_MODIFIED, /* the response is a 304: revisit, server-not-modified */
    KT_WARC_EXCHANGE_IDENTICAL,    /* revisit, identical-payload-digest: refers must be set */
};

/* The earlier record an identical-payload revisit points at (from kt_crawl_find_digest). */
struct kt_warc_refers {
    const char *record_id; /* "<urn:uuid:...>" */
    const char *target_uri;
    const char *date; /* its WARC-Date */
};

/* One HTTP exchange as the crawler saw it. */
struct kt_warc_fetch {
    const char *target_uri; /* the URL fetched (after redirects: the URL of this hop). Required */
    const char *ip_address; /* WARC-IP-Address, NULL when unknown */
    int64_t date_us;        /* wall clock when the request was sent; 0 = now */
    const void *request;    /* raw request as sent (may be NULL: no request record) */
    size_t request_len;
    const void *response; /* raw response as received (status line..body). Required */
    size_t response_len;
    const char *truncated; /* WARC-Truncated reason ("length", "time", "disconnect") or NULL */
    enum kt_warc_exchange kind;
    struct kt_warc_refers refers; /* for KT_WARC_EXCHANGE_IDENTICAL (also used for a 304 when
                                     set: WARC-Refers-To of the earlier capture) */
};

struct kt_warc_fetch_result {
    struct kt_warc_location record;           /* the response or revisit record */
    char request_id[KT_WARC_ID_SIZE];         /* the request record's id, "" if none was written */
    char payload_digest[KT_WARC_DIGEST_SIZE]; /* "sha1:..." of the payload ("" for a 304) */
    char block_digest[KT_WARC_DIGEST_SIZE];
    int http_status; /* parsed from the response status line */
    uint64_t bytes;  /* compressed bytes written for the records */
};

/* Computes the WARC-Payload-Digest of a raw HTTP response (head parsed, chunked framing
 * removed) into digest (KT_WARC_DIGEST_SIZE), and the HTTP status into *http_status (may be
 * NULL). The crawler calls this first to look the digest up for an identical-payload revisit.
 * Errors: KT_EPARSE (not an HTTP response head; names the problem), KT_ENOMEM. */
kt_status kt_warc_payload_digest(const void *response, size_t len, char *digest, int *http_status,
                                 struct kt_err *err);

/* Writes the record(s) for one exchange: the response (or revisit) record, then the request
 * record (WARC-Concurrent-To the response), both in the same file. Fills *res (may be NULL)
 * once both are written and flushed. The response head must parse as HTTP (KT_EPARSE
 * otherwise, nothing is written). Errors: KT_EINVAL (missing field, refers missing for
 * IDENTICAL), KT_EPARSE, KT_EIO (names the file; the file is cut back, nothing claimed),
 * KT_ENOMEM. */
kt_status kt_warc_write_fetch(struct kt_warc_writer *w, const struct kt_warc_fetch *f,
                              struct kt_warc_fetch_result *res, struct kt_err *err);

/* Writes a metadata record for target_uri, block in application/warc-fields form (build it as
 * "outlink: URL\r\nvia: URL\r\nfetchTimeMs: 123\r\n"). concurrent_to (may be NULL) is the id of
 * the record it describes. loc may be NULL. Errors: KT_EINVAL, KT_EIO, KT_ENOMEM. */
kt_status kt_warc_write_metadata(struct kt_warc_writer *w, const char *target_uri,
                                 const char *concurrent_to, const void *block, size_t block_len,
                                 struct kt_warc_location *loc, struct kt_err *err);

/* A general record for anything else ("resource", "conversion"...). Extra header lines
 * ("Name: value\r\n", may be NULL) are added after the standard ones. */
struct kt_warc_record_spec {
    const char *type;           /* WARC-Type. Required */
    const char *target_uri;     /* may be NULL */
    const char *content_type;   /* may be NULL */
    const char *ip_address;     /* may be NULL */
    const char *concurrent_to;  /* may be NULL */
    const char *payload_digest; /* WARC-Payload-Digest value, may be NULL */
    const char *extra_headers;  /* may be NULL */
    int64_t date_us;            /* 0 = now */
    const void *block;
    size_t block_len;
};
kt_status kt_warc_write_record(struct kt_warc_writer *w, const struct kt_warc_record_spec *spec,
                               struct kt_warc_location *loc, struct kt_err *err);

#endif
