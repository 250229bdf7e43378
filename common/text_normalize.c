/* text_normalize.c - NFC, canonical tones, invisible characters, punctuation, case and accent
 * folding: a table-driven fast path for Vietnamese, with ICU for everything else. */
#include "common/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define RUN_MAX 32

struct norm {
    unsigned flags;
    bool icu_mode; /* input already NFC (via ICU): accept every code point as it is */
    struct kt_buf *out;
    const UNormalizer2 *nfc, *nfd;
    struct kt_vn_letter run[RUN_MAX];
    size_t n;
    bool run_long; /* the letter run exceeded RUN_MAX: not a syllable, no tone rule */
};

enum { NEED_ICU = -1 };

static kt_status put_cp(struct kt_buf *out, uint32_t cp)
{
    if (cp < 0x80)
        return kt_buf_append_byte(out, (char)cp);
    char u[4];
    size_t k = kt_utf8_put(cp, u);
    return kt_buf_append(out, u, k);
}

static kt_status flush_run(struct norm *z)
{
    if (z->n == 0)
        return KT_OK;
    if ((z->flags & KT_NORM_TONES) && !z->run_long)
        kt_vn_syllable_canon(z->run, z->n);
    if (kt_buf_reserve(z->out, z->n * 3) != KT_OK)
        return KT_ENOMEM;
    for (size_t i = 0; i < z->n; i++) {
        struct kt_vn_letter l = z->run[i];
        if (z->flags & KT_NORM_CASEFOLD)
            l.upper = false;
        if (z->flags & KT_NORM_ACCENTFOLD)
            l.mark = l.tone = 0;
        uint32_t cp = kt_vn_letter_to_cp(&l);
        char u[4];
        size_t k = kt_utf8_put(cp, u);
        memcpy(z->out->data + z->out->len, u, k);
        z->out->len += k;
    }
    z->out->data[z->out->len] = '\0';
    z->n = 0;
    return KT_OK;
}

static kt_status push_letter(struct norm *z, const struct kt_vn_letter *l)
{
    if (z->n == RUN_MAX) {
        z->run_long = true;
        kt_status st = flush_run(z);
        if (st != KT_OK)
            return st;
    }
    z->run[z->n++] = *l;
    return KT_OK;
}

/* Merges a combining Vietnamese mark into the last letter of the run when the result is a
 * precomposed letter. */
static bool merge_mark(struct norm *z, uint8_t mark, uint8_t tone)
{
    if (z->n == 0)
        return false;
    struct kt_vn_letter l = z->run[z->n - 1];
    if (mark) {
        if (l.mark)
            return false;
        l.mark = mark;
    } else {
        if (l.tone)
            return false;
        l.tone = tone;
    }
    if (kt_vn_letter_to_cp(&l) == 0)
        return false;
    z->run[z->n - 1] = l;
    return true;
}

/* A code point outside the Vietnamese tables, after folding as the flags say. */
static kt_status put_other(struct norm *z, uint32_t cp)
{
    UChar src[2], fold[16], dec[16];
    int32_t ns = 0, nf;
    U16_APPEND_UNSAFE(src, ns, cp);
    const UChar *cur = src;
    int32_t ncur = ns;
    UErrorCode st = U_ZERO_ERROR;
    if (z->flags & KT_NORM_CASEFOLD) {
        nf = u_strFoldCase(fold, 16, src, ns, U_FOLD_CASE_DEFAULT, &st);
        if (U_SUCCESS(st) && nf <= 16) {
            cur = fold;
            ncur = nf;
        }
    }
    if (z->flags & KT_NORM_ACCENTFOLD) {
        /* drop marks; keep the base of a decomposable letter when the rest are marks */
        UChar32 c0;
        int32_t i = 0;
        U16_NEXT_UNSAFE(cur, i, c0);
        if (u_charType(c0) == U_NON_SPACING_MARK && i == ncur)
            return KT_OK;
        if (i == ncur) {
            st = U_ZERO_ERROR;
            int32_t nd = unorm2_getDecomposition(z->nfd, c0, dec, 16, &st);
            if (U_SUCCESS(st) && nd > 0 && nd <= 16) {
                UChar32 b;
                int32_t j = 0;
                U16_NEXT_UNSAFE(dec, j, b);
                bool marks_only = true;
                for (int32_t k = j; k < nd;) {
                    UChar32 m;
                    U16_NEXT_UNSAFE(dec, k, m);
                    if (u_charType(m) != U_NON_SPACING_MARK)
                        marks_only = false;
                }
                if (marks_only)
                    return put_cp(z->out, (uint32_t)b);
            }
        }
    }
    for (int32_t i = 0; i < ncur;) {
        UChar32 c;
        U16_NEXT_UNSAFE(cur, i, c);
        kt_status s = put_cp(z->out, (uint32_t)c);
        if (s != KT_OK)
            return s;
    }
    return KT_OK;
}

/* One pass over s. Returns KT_OK, KT_ENOMEM or NEED_ICU (fast mode met text that is not NFC
 * or needs composition the tables cannot do). */
static int pass(struct norm *z, const unsigned char *s, size_t len)
{
    size_t p = 0;
    kt_status st;
    while (p < len) {
        uint32_t cp;
        bool inv = false;
        size_t k;
        if (s[p] < 0x80) {
            cp = s[p];
            k = 1;
        } else {
            k = kt_utf8_next(s + p, len - p, &cp, &inv);
        }
        p += k;
        struct kt_vn_letter l;
        uint8_t mark, tone;
        if (kt_vn_letter_from_cp(cp, &l)) {
            if ((st = push_letter(z, &l)) != KT_OK)
                return st;
            continue;
        }
        if (!inv && kt_vn_combining(cp, &mark, &tone)) {
            if (merge_mark(z, mark, tone))
                continue;
            if (!z->icu_mode)
                return NEED_ICU;
            if ((st = flush_run(z)) != KT_OK)
                return st;
            z->run_long = false;
            if (!(z->flags & KT_NORM_ACCENTFOLD) && (st = put_cp(z->out, cp)) != KT_OK)
                return st;
            continue;
        }
        enum kt_text_special sp = inv ? KT_SPECIAL_NONE : kt_text_special_of(cp);
        if (sp == KT_SPECIAL_DROP)
            continue; /* soft hyphen, zero-width: the letter run goes on */
        if ((st = flush_run(z)) != KT_OK)
            return st;
        z->run_long = false;
        if (cp < 0x80 && sp == KT_SPECIAL_NONE) {
            if ((st = kt_buf_append_byte(z->out, (char)cp)) != KT_OK)
                return st;
            continue;
        }
        if (sp == KT_SPECIAL_SPACE) {
            st = kt_buf_append_byte(z->out, ' ');
        } else if (sp == KT_SPECIAL_NEWLINE) {
            st = kt_buf_append_byte(z->out, '\n');
        } else if (inv) {
            st = put_cp(z->out, 0xFFFD);
        } else {
            const char *rep = (z->flags & KT_NORM_ASCII_PUNCT) ? kt_text_ascii_punct(cp) : NULL;
            if (rep) {
                st = kt_buf_append_cstr(z->out, rep);
            } else {
                if (!z->icu_mode && !unorm2_hasBoundaryBefore(z->nfc, (UChar32)cp))
                    return NEED_ICU;
                if (!z->icu_mode && p < len && s[p] >= 0x80) {
                    /* the next code point might compose with this one */
                    uint32_t nx;
                    bool ninv;
                    kt_utf8_next(s + p, len - p, &nx, &ninv);
                    if (!ninv && !unorm2_hasBoundaryBefore(z->nfc, (UChar32)nx) &&
                        !kt_vn_combining(nx, &mark, &tone))
                        return NEED_ICU;
                }
                st = put_other(z, cp);
            }
        }
        if (st != KT_OK)
            return st;
    }
    return flush_run(z);
}

/* UTF-8 (possibly invalid) -> NFC UTF-8 through ICU, into tmp. */
static kt_status icu_nfc(const UNormalizer2 *nfc, const unsigned char *s, size_t len,
                         struct kt_buf *tmp, struct kt_err *err)
{
    if (len > (size_t)INT32_MAX / 4)
        return kt_err_set(err, KT_ETOOBIG, "normalize: text of %zu bytes is too large", len);
    UChar *u16 = malloc((len + 1) * sizeof(UChar));
    if (!u16)
        return kt_err_set(err, KT_ENOMEM, "normalize: out of memory");
    int32_t n = 0;
    for (size_t p = 0; p < len;) {
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(s + p, len - p, &cp, &inv);
        U16_APPEND_UNSAFE(u16, n, cp);
    }
    int32_t cap = n * 3 + 16;
    UChar *norm = malloc((size_t)cap * sizeof(UChar));
    kt_status rc = KT_OK;
    if (!norm) {
        rc = kt_err_set(err, KT_ENOMEM, "normalize: out of memory");
        goto done;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t nn = unorm2_normalize(nfc, u16, n, norm, cap, &st);
    if (U_FAILURE(st)) {
        rc = kt_err_set(err, KT_EOTHER, "normalize: ICU NFC failed: %s", u_errorName(st));
        goto done;
    }
    int32_t need = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(NULL, 0, &need, norm, nn, 0xFFFD, NULL, &st);
    if (kt_buf_reserve(tmp, (size_t)need + 1) != KT_OK) {
        rc = kt_err_set(err, KT_ENOMEM, "normalize: out of memory");
        goto done;
    }
    st = U_ZERO_ERROR;
    int32_t got = 0;
    u_strToUTF8WithSub(tmp->data + tmp->len, (int32_t)(tmp->cap - tmp->len), &got, norm, nn, 0xFFFD,
                       NULL, &st);
    if (U_FAILURE(st)) {
        rc = kt_err_set(err, KT_EOTHER, "normalize: ICU UTF-8 conversion failed: %s",
                        u_errorName(st));
        goto done;
    }
    tmp->len += (size_t)got;
    tmp->data[tmp->len] = '\0';
done:
    free(u16);
    free(norm);
    return rc;
}

kt_status kt_text_normalize(const char *s, size_t len, unsigned flags, struct kt_buf *out,
                            struct kt_err *err)
{
    if (!s && len > 0)
        return kt_err_set(err, KT_EINVAL, "normalize: NULL text");
    UErrorCode ust = U_ZERO_ERROR;
    struct norm z = {.flags = flags, .out = out};
    z.nfc = unorm2_getNFCInstance(&ust);
    z.nfd = unorm2_getNFDInstance(&ust);
    if (U_FAILURE(ust))
        return kt_err_set(err, KT_EOTHER, "normalize: ICU normalizer unavailable: %s",
                          u_errorName(ust));
    size_t start = out->len;
    if (kt_buf_reserve(out, len) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "normalize: out of memory");
    int r = pass(&z, (const unsigned char *)s, len);
    if (r == KT_OK)
        return KT_OK;
    if (r != NEED_ICU)
        return kt_err_set(err, (kt_status)r, "normalize: out of memory");
    out->len = start;
    out->data[start] = '\0';
    struct kt_buf tmp = {0};
    kt_status rc = icu_nfc(z.nfc, (const unsigned char *)s, len, &tmp, err);
    if (rc == KT_OK) {
        z.icu_mode = true;
        z.n = 0;
        z.run_long = false;
        r = pass(&z, (const unsigned char *)tmp.data, tmp.len);
        if (r != KT_OK)
            rc = kt_err_set(err, KT_ENOMEM, "normalize: out of memory");
    }
    kt_buf_free(&tmp);
    return rc;
}

kt_status kt_text_casefold(const char *s, size_t len, struct kt_buf *out, struct kt_err *err)
{
    return kt_text_normalize(s, len, KT_NORM_CASEFOLD, out, err);
}

kt_status kt_text_accentfold(const char *s, size_t len, struct kt_buf *out, struct kt_err *err)
{
    return kt_text_normalize(s, len, KT_NORM_CASEFOLD | KT_NORM_ACCENTFOLD, out, err);
}

bool kt_text_has_diacritics(const char *s, size_t len)
{
    UErrorCode ust = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&ust);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t p = 0; p < len;) {
        if (u[p] < 0x80) {
            p++;
            continue;
        }
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(u + p, len - p, &cp, &inv);
        if (inv)
            continue;
        struct kt_vn_letter l;
        uint8_t m, t;
        if (kt_vn_letter_from_cp(cp, &l)) {
            if (l.mark || l.tone)
                return true;
            continue;
        }
        if (kt_vn_combining(cp, &m, &t) || u_charType((UChar32)cp) == U_NON_SPACING_MARK)
            return true;
        if (U_SUCCESS(ust) && u_isalpha((UChar32)cp)) {
            UChar dec[16];
            UErrorCode st = U_ZERO_ERROR;
            int32_t nd = unorm2_getDecomposition(nfd, (UChar32)cp, dec, 16, &st);
            if (U_SUCCESS(st) && nd > 1)
                return true;
        }
    }
    return false;
}
