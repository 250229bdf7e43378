/* dedup.c - exact (SHA-1 of normalized text) and near (64-bit SimHash) duplicate detection and
 * the banded in-memory index used to find an earlier copy of an article. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/dedup.h"

#include "common/kt_text.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#ifndef SHINGLE_UNI
#define SHINGLE_UNI 1 /* also single syllables: near copies stay closer */
#endif
#ifndef SHINGLE
#define SHINGLE 2 /* syllables per shingle */
#endif

static bool is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    /* Latin letters (Vietnamese included) without asking ICU */
    if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return true;
    return u_isalnum((UChar32)cp) != 0;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Final avalanche so that similar shingles give unrelated bit patterns. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

kt_status kt_fingerprint_text(const char *text, size_t len, struct kt_fingerprint *fp,
                              struct kt_err *err)
{
    memset(fp, 0, sizeof *fp);
    if (!text || len == 0)
        return KT_OK;
    struct kt_buf norm = {0}, flat = {0};
    kt_status st = kt_text_normalize(text, len, KT_NORM_CANONICAL | KT_NORM_CASEFOLD, &norm, err);
    if (st != KT_OK)
        goto out;
    /* Collapse whitespace and record token boundaries (start, length) as we go. */
    size_t cap_tok = 256, n_tok = 0;
    size_t *tok_s = malloc(cap_tok * sizeof *tok_s), *tok_l = malloc(cap_tok * sizeof *tok_l);
    if (!tok_s || !tok_l) {
        free(tok_s);
        free(tok_l);
        st = kt_err_set(err, KT_ENOMEM, "fingerprint: out of memory");
        goto out;
    }
    const unsigned char *s = (const unsigned char *)norm.data;
    size_t i = 0, n = norm.len;
    if (kt_buf_reserve(&flat, n + 1) != KT_OK)
        st = KT_ENOMEM;
    bool pending_space = false;
    size_t cur_start = (size_t)-1;
    while (i < n && st == KT_OK) {
        uint32_t cp;
        size_t k;
        if (s[i] < 0x80) {
            cp = s[i];
            k = 1;
        } else {
            bool bad;
            k = kt_utf8_next(s + i, n - i, &cp, &bad);
        }
        bool ws = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
        bool word = is_word_cp(cp);
        if (!word && cur_start != (size_t)-1) {
            if (n_tok == cap_tok) {
                cap_tok *= 2;
                size_t *a = realloc(tok_s, cap_tok * sizeof *a);
                if (a)
                    tok_s = a;
                size_t *b = a ? realloc(tok_l, cap_tok * sizeof *b) : NULL;
                if (b)
                    tok_l = b;
                if (!a || !b) {
                    st = kt_err_set(err, KT_ENOMEM, "fingerprint: out of memory");
                    break;
                }
            }
            tok_s[n_tok] = cur_start;
            tok_l[n_tok] = flat.len - cur_start;
            n_tok++;
            cur_start = (size_t)-1;
        }
        if (ws) {
            pending_space = flat.len > 0;
        } else {
            /* flat never outgrows norm: at most one space per run of whitespace */
            if (pending_space)
                flat.data[flat.len++] = ' ';
            pending_space = false;
            if (word && cur_start == (size_t)-1)
                cur_start = flat.len;
            memcpy(flat.data + flat.len, s + i, k);
            flat.len += k;
        }
        i += k;
    }
    if (flat.data)
        flat.data[flat.len] = '\0';
    if (st == KT_OK && cur_start != (size_t)-1) {
        if (n_tok == cap_tok) {
            size_t *a = realloc(tok_s, (cap_tok + 1) * sizeof *a);
            size_t *b = a ? realloc(tok_l, (cap_tok + 1) * sizeof *b) : NULL;
            if (a)
                tok_s = a;
            if (b)
                tok_l = b;
            if (!a || !b)
                st = KT_ENOMEM;
        }
        if (st == KT_OK) {
            tok_s[n_tok] = cur_start;
            tok_l[n_tok] = flat.len - cur_start;
            n_tok++;
        }
    }
    if (st != KT_OK) {
        free(tok_s);
        free(tok_l);
        if (st == KT_ENOMEM)
            kt_err_set(err, KT_ENOMEM, "fingerprint: out of memory");
        goto out;
    }
    /* SHA-1 of the flattened normalized text. */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(flat.data ? flat.data : "", flat.len, md, &mdlen, EVP_sha1(), NULL) ||
        mdlen != 20) {
        free(tok_s);
        free(tok_l);
        st = kt_err_set(err, KT_EOTHER, "fingerprint: SHA-1 failed");
        goto out;
    }
    static const char hex[] = "0123456789abcdef";
    for (unsigned j = 0; j < 20; j++) {
        fp->sha1[2 * j] = hex[md[j] >> 4];
        fp->sha1[2 * j + 1] = hex[md[j] & 15];
    }
    fp->sha1[40] = '\0';
    fp->tokens = n_tok;
    /* SimHash over shingles of SHINGLE consecutive tokens, plus single syllables when
     * SHINGLE_UNI is set. */
    /* Bit counts per position, accumulated 8 positions per add: lane k of sw[] holds, in its
     * byte j, how many features had bit 8j+k set (flushed before a byte can overflow). */
    uint32_t ones[64] = {0};
    uint64_t sw[8] = {0};
    unsigned pending = 0;
    size_t features = 0;
    size_t n_sh = n_tok >= SHINGLE ? n_tok - SHINGLE + 1 : (n_tok ? 1 : 0);
    for (int pass = 0; pass < (SHINGLE_UNI ? 2 : 1); pass++) {
        size_t width = pass ? 1 : SHINGLE;
        size_t count = pass ? n_tok : n_sh;
        for (size_t t = 0; t < count; t++) {
            uint64_t h = pass ? 0x9ae16a3b2f90404fULL : 0xcbf29ce484222325ULL;
            for (size_t q = t; q < t + width && q < n_tok; q++) {
                h = fnv1a(h, flat.data + tok_s[q], tok_l[q]);
                h = fnv1a(h, " ", 1);
            }
            h = mix64(h);
            for (int k = 0; k < 8; k++)
                sw[k] += (h >> k) & 0x0101010101010101ULL;
            features++;
            if (++pending == 255) {
                for (int k = 0; k < 8; k++) {
                    for (int j = 0; j < 8; j++)
                        ones[8 * j + k] += (uint32_t)((sw[k] >> (8 * j)) & 0xff);
                    sw[k] = 0;
                }
                pending = 0;
            }
        }
    }
    for (int k = 0; k < 8; k++)
        for (int j = 0; j < 8; j++)
            ones[8 * j + k] += (uint32_t)((sw[k] >> (8 * j)) & 0xff);
    int64_t acc[64];
    for (int b = 0; b < 64; b++)
        acc[b] = 2 * (int64_t)ones[b] - (int64_t)features;
    uint64_t sh = 0;
    for (int b = 0; b < 64; b++)
        if (acc[b] > 0)
            sh |= 1ULL << b;
    fp->simhash = n_sh ? sh : 0;
    free(tok_s);
    free(tok_l);
out:
    kt_buf_free(&norm);
    kt_buf_free(&flat);
    return st;
}

kt_status kt_article_fingerprint(struct kt_article *a, struct kt_err *err)
{
    struct kt_fingerprint fp;
    a->content_sha1[0] = '\0';
    a->simhash = 0;
    if (!a->text || !a->text[0])
        return KT_OK;
    kt_status st = kt_fingerprint_text(a->text, strlen(a->text), &fp, err);
    if (st != KT_OK)
        return st;
    memcpy(a->content_sha1, fp.sha1, sizeof a->content_sha1);
    a->simhash = fp.simhash;
    return KT_OK;
}

int kt_simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

/* ---------------------------- banded index ---------------------------- */

#define BANDS      4
#define BAND_SLOTS 65536u

struct dedup_entry {
    char *url;
    char sha1[41];
    uint64_t simhash;
    size_t tokens;
    uint32_t next[BANDS]; /* chain per band, index+1; 0 ends */
};

struct kt_dedup_index {
    struct dedup_entry *e;
    size_t n, cap;
    uint32_t *head[BANDS]; /* BAND_SLOTS each, index+1 */
};

kt_status kt_dedup_new(struct kt_dedup_index **out, struct kt_err *err)
{
    struct kt_dedup_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return kt_err_set(err, KT_ENOMEM, "dedup index: out of memory");
    for (int b = 0; b < BANDS; b++) {
        ix->head[b] = calloc(BAND_SLOTS, sizeof(uint32_t));
        if (!ix->head[b]) {
            kt_dedup_free(ix);
            return kt_err_set(err, KT_ENOMEM, "dedup index: out of memory");
        }
    }
    *out = ix;
    return KT_OK;
}

void kt_dedup_free(struct kt_dedup_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n; i++)
        free(ix->e[i].url);
    free(ix->e);
    for (int b = 0; b < BANDS; b++)
        free(ix->head[b]);
    free(ix);
}

static unsigned band_of(uint64_t h, int b)
{
    return (unsigned)((h >> (16 * b)) & 0xffffu);
}

kt_status kt_dedup_add(struct kt_dedup_index *ix, const char *url, const char *sha1,
                       uint64_t simhash, size_t tokens, struct kt_err *err)
{
    if (!url)
        return kt_err_set(err, KT_EINVAL, "dedup index: entry without URL");
    if (ix->n >= UINT32_MAX - 1)
        return kt_err_set(err, KT_ENOMEM, "dedup index: too many entries");
    if (ix->n == ix->cap) {
        size_t nc = ix->cap ? ix->cap * 2 : 64;
        struct dedup_entry *ne = realloc(ix->e, nc * sizeof *ne);
        if (!ne)
            return kt_err_set(err, KT_ENOMEM, "dedup index: out of memory");
        ix->e = ne;
        ix->cap = nc;
    }
    struct dedup_entry *d = &ix->e[ix->n];
    memset(d, 0, sizeof *d);
    d->url = strdup(url);
    if (!d->url)
        return kt_err_set(err, KT_ENOMEM, "dedup index: out of memory");
    if (sha1) {
        strncpy(d->sha1, sha1, 40);
        d->sha1[40] = '\0';
    }
    d->simhash = simhash;
    d->tokens = tokens;
    for (int b = 0; b < BANDS; b++) {
        unsigned slot = band_of(simhash, b);
        d->next[b] = ix->head[b][slot];
        ix->head[b][slot] = (uint32_t)(ix->n + 1);
    }
    ix->n++;
    return KT_OK;
}

const char *kt_dedup_find(const struct kt_dedup_index *ix, const char *self_url, const char *sha1,
                          uint64_t simhash, size_t tokens, bool *exact)
{
    if (exact)
        *exact = false;
    if (!ix || ix->n == 0)
        return NULL;
    bool have_sha = sha1 && sha1[0];
    /* Exact copies: identical normalized text gives identical SimHash, so a band scan finds
     * them too; but check every entry of the first band to be safe against collisions. */
    const struct dedup_entry *best = NULL;
    int best_d = KT_DEDUP_MAX_HAMMING + 1;
    for (int b = 0; b < BANDS; b++) {
        for (uint32_t k = ix->head[b][band_of(simhash, b)]; k; k = ix->e[k - 1].next[b]) {
            const struct dedup_entry *d = &ix->e[k - 1];
            if (self_url && strcmp(d->url, self_url) == 0)
                continue;
            if (have_sha && d->sha1[0] && strcmp(d->sha1, sha1) == 0) {
                if (exact)
                    *exact = true;
                return d->url;
            }
            if (tokens < KT_DEDUP_MIN_TOKENS || (d->tokens && d->tokens < KT_DEDUP_MIN_TOKENS))
                continue;
            int dist = kt_simhash_distance(d->simhash, simhash);
            if (dist < best_d || (dist == best_d && best && d < best)) {
                best_d = dist;
                best = d;
            }
        }
    }
    return best ? best->url : NULL;
}

/* Syllables of text, counted as runs of non-space bytes (what the fingerprint sees, roughly). */
static size_t count_runs(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

kt_status kt_dedup_check_and_add(struct kt_dedup_index *ix, struct kt_article *a,
                                 struct kt_err *err)
{
    const char *text = a->text ? a->text : "";
    struct kt_fingerprint fp;
    if (a->content_sha1[0] && text[0]) {
        /* already fingerprinted by the extractor: do not hash the text twice */
        memcpy(fp.sha1, a->content_sha1, sizeof fp.sha1);
        fp.simhash = a->simhash;
        fp.tokens = count_runs(text);
    } else {
        kt_status st = kt_fingerprint_text(text, strlen(text), &fp, err);
        if (st != KT_OK)
            return st;
        memcpy(a->content_sha1, fp.sha1, sizeof a->content_sha1);
        a->simhash = fp.simhash;
    }
    const char *self = a->url ? a->url : a->id;
    if (!self || !text[0])
        return KT_OK;
    const char *dup = kt_dedup_find(ix, self, fp.sha1, fp.simhash, fp.tokens, NULL);
    if (dup) {
        char *copy = strdup(dup);
        if (!copy)
            return kt_err_set(err, KT_ENOMEM, "dedup: out of memory");
        free(a->dup_of);
        a->dup_of = copy;
    }
    return kt_dedup_add(ix, self, fp.sha1, fp.simhash, fp.tokens, err);
}
