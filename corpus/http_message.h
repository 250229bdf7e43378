/* http_message.h - parse a raw HTTP/1.x request or response as stored in a WARC record: the
 * start line, the header fields, and the body with its transfer (chunked) framing removed.
 *
 * Vocabulary (WARC 1.1 section 6.3 / RFC 9112):
 *   - the "raw message" is the bytes as on the wire: start line, header fields, CRLF, body;
 *   - the "wire body" is what follows the blank line, still chunk-framed if
 *     Transfer-Encoding: chunked;
 *   - the "payload" (entity body) is the wire body with the transfer encoding removed, the
 *     Content-Encoding (gzip, deflate) LEFT AS IS. The WARC-Payload-Digest is the SHA-1 of it;
 *   - the "content" is the payload with the Content-Encoding removed (what extraction parses).
 * Bodies are never trusted: every decoder takes an explicit output limit (KT_ETOOBIG). */
#ifndef KHOTIN_CORPUS_HTTP_MESSAGE_H
#define KHOTIN_CORPUS_HTTP_MESSAGE_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>

#define KT_HTTP_MAX_HEAD   (256u * 1024u) /* start line + header fields larger than this: EPARSE */
#define KT_HTTP_MAX_FIELDS 512u           /* more header fields than this: EPARSE */

/* One header field; name and value are NUL-terminated, value has surrounding whitespace
 * trimmed and obsolete line folding joined by one space. Owned by the message. */
struct kt_http_field {
    const char *name;
    const char *value;
};

enum kt_http_kind { KT_HTTP_RESPONSE = 0, KT_HTTP_REQUEST = 1 };

/* A parsed message. Strings are owned by the message (free with kt_http_message_free);
 * body points INTO the caller's input buffer (not owned) and is valid as long as that is. */
struct kt_http_message {
    enum kt_http_kind kind;
    int version_major, version_minor; /* 1.1 -> 1, 1; "HTTP/2" status lines are accepted too */
    int status;                       /* responses: 100..999; requests: 0 */
    const char *reason;               /* responses: reason phrase, may be "" */
    const char *method;               /* requests: "GET"...; responses: NULL */
    const char *target;               /* requests: request-target; responses: NULL */
    struct kt_http_field *fields;
    size_t n_fields;
    size_t head_len;  /* bytes of start line + fields + the blank line */
    const char *body; /* wire body: input + head_len (not owned) */
    size_t body_len;  /* input length - head_len */
    bool chunked;     /* Transfer-Encoding ends with "chunked" */
    char *storage_;   /* private */
};

/* Parses the head of a raw message (data, len). The head must be complete (terminated by
 * CRLFCRLF; bare LF line ends are tolerated); the body is everything after it (a truncated
 * body is not an error here). On success *msg is filled and must be freed with
 * kt_http_message_free; on error *msg is left zeroed.
 * Errors: KT_EPARSE (malformed or incomplete head, message names the problem), KT_ENOMEM. */
kt_status kt_http_parse(const void *data, size_t len, enum kt_http_kind kind,
                        struct kt_http_message *msg, struct kt_err *err);

/* Releases the message's storage and zeroes it. NULL is a no-op. */
void kt_http_message_free(struct kt_http_message *msg);

/* The value of the first field named name (case-insensitive), or NULL. */
const char *kt_http_field_get(const struct kt_http_message *msg, const char *name);

/* Appends the payload (wire body without chunked framing; content-encoding kept) to out.
 * If the message is not chunked the whole wire body is the payload (Content-Length is not
 * used to cut it, as WARC validators do not either). A chunked body whose last chunk is missing
 * gives what was received and sets *complete = false (complete may be NULL); trailers are skipped.
 * Errors: KT_EPARSE (bad chunk size line), KT_ETOOBIG (payload over max_len; 0 = no limit),
 * KT_ENOMEM. */
kt_status kt_http_payload(const struct kt_http_message *msg, size_t max_len, struct kt_buf *out,
                          bool *complete, struct kt_err *err);

/* Removes chunked framing from (data, len), appending to out; same rules as kt_http_payload.
 * *consumed (may be NULL) receives the wire bytes used, including the last chunk and trailers. */
kt_status kt_http_dechunk(const void *data, size_t len, size_t max_len, struct kt_buf *out,
                          size_t *consumed, bool *complete, struct kt_err *err);

/* Appends the content (payload with Content-Encoding gzip, x-gzip, deflate or identity removed)
 * to out. Decompression stops at max_len output bytes with KT_ETOOBIG (a gzip bomb is never
 * inflated beyond it). Errors: KT_EPARSE (corrupt compressed data), KT_EINVAL (an encoding that
 * is not supported, e.g. br; the message names it), KT_ETOOBIG, KT_ENOMEM. */
kt_status kt_http_content(const struct kt_http_message *msg, size_t max_len, struct kt_buf *out,
                          struct kt_err *err);

/* The media type of Content-Type lowercased without parameters ("text/html") written to out
 * (size out_size), and its charset parameter lowercased to charset (may be NULL; "" if none).
 * Missing Content-Type gives "". */
void kt_http_content_type(const struct kt_http_message *msg, char *out, size_t out_size,
                          char *charset, size_t charset_size);

#endif
