/* warc_digest.c - SHA-1 (OpenSSL EVP) with RFC 4648 base32 text, WARC dates and record ids. */
#define _GNU_SOURCE
#include "corpus/warc_digest.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

kt_status kt_sha1_init(struct kt_sha1 *s, struct kt_err *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return kt_err_set(err, KT_ENOMEM, "sha1: out of memory");
    if (EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return kt_err_set(err, KT_EOTHER, "sha1: EVP_DigestInit_ex failed");
    }
    s->ctx_ = ctx;
    return KT_OK;
}

void kt_sha1_update(struct kt_sha1 *s, const void *data, size_t len)
{
    if (s->ctx_ && len)
        EVP_DigestUpdate((EVP_MD_CTX *)s->ctx_, data, len);
}

void kt_sha1_final(struct kt_sha1 *s, unsigned char raw[20], char *text)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    memset(md, 0, sizeof md);
    if (s->ctx_)
        EVP_DigestFinal_ex((EVP_MD_CTX *)s->ctx_, md, &n);
    if (raw)
        memcpy(raw, md, 20);
    if (text) {
        memcpy(text, "sha1:", 5);
        kt_base32_encode(md, 20, text + 5);
    }
    kt_sha1_discard(s);
}

void kt_sha1_discard(struct kt_sha1 *s)
{
    EVP_MD_CTX_free((EVP_MD_CTX *)s->ctx_);
    s->ctx_ = NULL;
}

kt_status kt_warc_digest(const void *data, size_t len, char *text, struct kt_err *err)
{
    struct kt_sha1 s;
    kt_status st = kt_sha1_init(&s, err);
    if (st != KT_OK)
        return st;
    kt_sha1_update(&s, data, len);
    kt_sha1_final(&s, NULL, text);
    return KT_OK;
}

void kt_base32_encode(const unsigned char *in, size_t n, char *out)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 5) {
        unsigned char b[5] = {0};
        size_t take = n - i < 5 ? n - i : 5;
        memcpy(b, in + i, take);
        uint64_t v = ((uint64_t)b[0] << 32) | ((uint64_t)b[1] << 24) | ((uint64_t)b[2] << 16) |
                     ((uint64_t)b[3] << 8) | (uint64_t)b[4];
        /* output characters carrying data for take bytes: ceil(take*8/5) */
        static const int chars_for[6] = {0, 2, 4, 5, 7, 8};
        for (int k = 0; k < 8; k++) {
            if (k < chars_for[take])
                out[o++] = alphabet[(v >> (35 - 5 * k)) & 31];
            else
                out[o++] = '=';
        }
    }
    out[o] = '\0';
}

void kt_warc_format_date(int64_t wall_us, char *out)
{
    time_t secs = (time_t)(wall_us / 1000000);
    long frac = (long)(wall_us % 1000000);
    if (frac < 0) {
        frac += 1000000;
        secs -= 1;
    }
    struct tm tm;
    if (!gmtime_r(&secs, &tm))
        memset(&tm, 0, sizeof tm);
    char base[24];
    if (strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        strcpy(base, "1970-01-01T00:00:00");
    snprintf(out, KT_WARC_DATE_SIZE, "%.20s.%06ldZ", base, frac % 1000000);
}

kt_status kt_warc_new_record_id(char *out, struct kt_err *err)
{
    unsigned char u[16];
    if (RAND_bytes(u, sizeof u) != 1)
        return kt_err_set(err, KT_EIO, "record id: RAND_bytes failed");
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    snprintf(out, KT_WARC_ID_SIZE,
             "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
    return KT_OK;
}
