/* warc_digest.h - WARC digests: "sha1:" + RFC 4648 base32 of a SHA-1, computed with OpenSSL
 * libcrypto, in one go or incrementally, plus the WARC date and record-id formats. */
#ifndef KHOTIN_CORPUS_WARC_DIGEST_H
#define KHOTIN_CORPUS_WARC_DIGEST_H

#include "common/kt_common.h"

#include <stddef.h>
#include <stdint.h>

#define KT_WARC_DIGEST_SIZE 40 /* "sha1:" + 32 base32 chars + NUL fits (38) */
#define KT_WARC_ID_SIZE     64 /* "<urn:uuid:8-4-4-4-12>" + NUL fits (48) */
#define KT_WARC_DATE_SIZE   32 /* "YYYY-MM-DDThh:mm:ss.ffffffZ" + NUL fits (28) */

/* Incremental SHA-1. Zero-initialise is not enough: call kt_sha1_init. Always pair with
 * kt_sha1_final (which releases it) or kt_sha1_discard. */
struct kt_sha1 {
    void *ctx_; /* EVP_MD_CTX * */
};
kt_status kt_sha1_init(struct kt_sha1 *s, struct kt_err *err);
void kt_sha1_update(struct kt_sha1 *s, const void *data, size_t len);
/* Writes the 20-byte digest to raw and/or the "sha1:BASE32" text to text (either may be NULL;
 * text must hold KT_WARC_DIGEST_SIZE bytes); releases s. */
void kt_sha1_final(struct kt_sha1 *s, unsigned char raw[20], char *text);
void kt_sha1_discard(struct kt_sha1 *s);

/* One-shot "sha1:BASE32" digest of (data, len) into text (KT_WARC_DIGEST_SIZE bytes).
 * Errors: KT_ENOMEM (OpenSSL could not allocate). */
kt_status kt_warc_digest(const void *data, size_t len, char *text, struct kt_err *err);

/* RFC 4648 base32 (upper case, with '=' padding) of n bytes into out (size >= 8*ceil(n/5)+1). */
void kt_base32_encode(const unsigned char *in, size_t n, char *out);

/* Formats wall-clock microseconds since the epoch as a WARC 1.1 date
 * "YYYY-MM-DDThh:mm:ss.ffffffZ" (UTC) into out (KT_WARC_DATE_SIZE bytes). */
void kt_warc_format_date(int64_t wall_us, char *out);

/* A fresh "<urn:uuid:...>" (random version-4 UUID from OpenSSL RAND_bytes) into out
 * (KT_WARC_ID_SIZE bytes). Errors: KT_EIO when the random generator fails. */
kt_status kt_warc_new_record_id(char *out, struct kt_err *err);

#endif
