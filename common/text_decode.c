/* text_decode.c - bytes in any charset (HTTP header, BOM, <meta>, doctype, detection) to NFC
 * UTF-8, counting invalid sequences. */
#include "common/text_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define SNIFF_BYTES  4096
#define DETECT_BYTES 65536

const char *kt_charset_source_str(enum kt_charset_source s)
{
    switch (s) {
    case KT_CHARSET_FROM_HEADER:
        return "header";
    case KT_CHARSET_FROM_BOM:
        return "bom";
    case KT_CHARSET_FROM_META:
        return "meta";
    case KT_CHARSET_FROM_DOCTYPE:
        return "doctype";
    case KT_CHARSET_FROM_UTF8_CHECK:
        return "utf8-check";
    case KT_CHARSET_FROM_DETECTION:
        return "detected";
    case KT_CHARSET_FROM_FALLBACK:
        return "fallback";
    }
    return "unknown";
}

/* Case-insensitive search for needle in hay[0..len). */
static const char *find_ci(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (strncasecmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Copies the value after "charset=" in s[0..len) into label. Returns true when found. */
static bool charset_param(const char *s, size_t len, char *label, size_t cap)
{
    const char *p = find_ci(s, len, "charset");
    if (!p)
        return false;
    const char *end = s + len;
    p += 7;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '=')
        return false;
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\''))
        p++;
    size_t n = 0;
    while (p < end && n + 1 < cap && (isalnum((unsigned char)*p) || strchr("-_.:", *p)))
        label[n++] = *p++;
    label[n] = '\0';
    return n > 0;
}

/* <meta charset=...> or <meta http-equiv=Content-Type content="...; charset=..."> */
static bool meta_charset(const char *s, size_t len, char *label, size_t cap)
{
    if (len > SNIFF_BYTES)
        len = SNIFF_BYTES;
    const char *end = s + len;
    for (const char *p = s; (p = find_ci(p, (size_t)(end - p), "<meta")) != NULL; p += 5) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        size_t tag = gt ? (size_t)(gt - p) : (size_t)(end - p);
        if (charset_param(p, tag, label, cap))
            return true;
    }
    return false;
}

static bool html5_doctype(const char *s, size_t len)
{
    if (len > SNIFF_BYTES)
        len = SNIFF_BYTES;
    const char *p = find_ci(s, len, "<!doctype");
    if (!p)
        return false;
    p += 9;
    const char *end = s + len;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (end - p < 4 || strncasecmp(p, "html", 4) != 0)
        return false;
    p += 4;
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p < end && *p == '>';
}

/* Number of invalid UTF-8 sequences; *truncated_tail when the last one is a cut sequence. */
static size_t utf8_invalid(const unsigned char *s, size_t len, bool *non_ascii)
{
    size_t bad = 0;
    *non_ascii = false;
    for (size_t p = 0; p < len;) {
        if (s[p] < 0x80) {
            p++;
            continue;
        }
        *non_ascii = true;
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(s + p, len - p, &cp, &inv);
        bad += inv;
    }
    return bad;
}

/* windows-1258 writes tones as combining bytes after the vowel. */
static bool looks_windows1258(const unsigned char *s, size_t len)
{
    static const char vowels[] = "aeiouyAEIOUY\xe2\xea\xf4\xe3\xf5\xfd\xc2\xca\xd4\xc3\xd5\xdd";
    size_t hits = 0;
    if (len > DETECT_BYTES)
        len = DETECT_BYTES;
    for (size_t i = 1; i < len; i++) {
        unsigned c = s[i];
        if ((c == 0xCC || c == 0xD2 || c == 0xDE || c == 0xEC || c == 0xF2) &&
            memchr(vowels, s[i - 1], sizeof vowels - 1))
            hits++;
    }
    return hits >= 3 || (hits >= 1 && len < 400);
}

struct counter {
    size_t n;
};

static void count_cb(const void *ctx, UConverterToUnicodeArgs *args, const char *units, int32_t len,
                     UConverterCallbackReason reason, UErrorCode *st)
{
    (void)units;
    (void)len;
    if (reason > UCNV_IRREGULAR)
        return;
    ((struct counter *)ctx)->n++;
    static const UChar fffd = 0xFFFD;
    *st = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &fffd, 1, 0, st);
}

/* UTF-16 -> NFC -> UTF-8 appended to out. */
static kt_status u16_to_nfc_utf8(const UChar *u, int32_t n, struct kt_buf *out, const char *cs,
                                 size_t *invalid, struct kt_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return kt_err_set(err, KT_EOTHER, "decode %s: ICU NFC unavailable", cs);
    UChar *norm = NULL;
    const UChar *src = u;
    int32_t ns = n;
    int32_t ok = unorm2_spanQuickCheckYes(nfc, u, n, &st);
    if (U_SUCCESS(st) && ok < n) {
        int32_t cap = n * 3 + 16;
        norm = malloc((size_t)cap * sizeof(UChar));
        if (!norm)
            return kt_err_set(err, KT_ENOMEM, "decode %s: out of memory", cs);
        st = U_ZERO_ERROR;
        ns = unorm2_normalize(nfc, u, n, norm, cap, &st);
        if (U_FAILURE(st)) {
            free(norm);
            return kt_err_set(err, KT_EOTHER, "decode %s: NFC failed: %s", cs, u_errorName(st));
        }
        src = norm;
    }
    int32_t need = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(NULL, 0, &need, src, ns, 0xFFFD, NULL, &st);
    kt_status rc = KT_OK;
    if (kt_buf_reserve(out, (size_t)need + 1) != KT_OK) {
        rc = kt_err_set(err, KT_ENOMEM, "decode %s: out of memory", cs);
    } else {
        st = U_ZERO_ERROR;
        int32_t got = 0;
        int32_t subs = 0; /* unpaired surrogates (broken UTF-16, UTF-7) */
        u_strToUTF8WithSub(out->data + out->len, (int32_t)(out->cap - out->len), &got, src, ns,
                           0xFFFD, &subs, &st);
        *invalid += (size_t)(subs > 0 ? subs : 0);
        if (U_FAILURE(st)) {
            rc = kt_err_set(err, KT_EOTHER, "decode %s: UTF-8 output failed: %s", cs,
                            u_errorName(st));
        } else {
            out->len += (size_t)got;
            out->data[out->len] = '\0';
        }
    }
    free(norm);
    return rc;
}

/* Whether c is a code point whose NFC quick check is YES with combining class 0 (verified
 * against ICU's data for these ranges): a string of only such code points is already NFC. */
static bool nfc_inert(uint32_t c)
{
    return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E) || (c >= 0x20A0 && c <= 0x20BF);
}

/* Valid UTF-8 made only of NFC-inert code points (ASCII, Latin, precomposed Vietnamese,
 * general punctuation, currency signs), which the ICU path would return unchanged. */
static bool utf8_already_nfc(const unsigned char *s, size_t len)
{
    for (size_t p = 0; p < len;) {
        if (s[p] < 0x80) {
            p++;
            continue;
        }
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(s + p, len - p, &cp, &inv);
        if (inv || !nfc_inert(cp))
            return false;
    }
    return true;
}

static kt_status decode_utf8(const unsigned char *s, size_t len, struct kt_buf *out,
                             size_t *invalid, struct kt_err *err)
{
    if (utf8_already_nfc(s, len)) { /* the common case: copied straight through */
        if (kt_buf_append(out, (const char *)s, len) != KT_OK)
            return kt_err_set(err, KT_ENOMEM, "decode UTF-8: out of memory");
        return KT_OK;
    }
    UChar *u = malloc((len + 1) * sizeof(UChar));
    if (!u)
        return kt_err_set(err, KT_ENOMEM, "decode UTF-8: out of memory");
    int32_t n = 0;
    for (size_t p = 0; p < len;) {
        uint32_t cp;
        bool inv = false;
        if (s[p] < 0x80) {
            cp = s[p++];
        } else {
            p += kt_utf8_next(s + p, len - p, &cp, &inv);
        }
        *invalid += inv;
        U16_APPEND_UNSAFE(u, n, cp);
    }
    kt_status rc = u16_to_nfc_utf8(u, n, out, "UTF-8", invalid, err);
    free(u);
    return rc;
}

static kt_status decode_icu(UConverter *cnv, const char *name, const char *s, size_t len,
                            struct kt_buf *out, size_t *invalid, struct kt_err *err)
{
    struct counter cnt = {0};
    UErrorCode st = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv, count_cb, &cnt, NULL, NULL, &st);
    int32_t cap = (int32_t)(len * 2 + 16);
    UChar *u = malloc((size_t)cap * sizeof(UChar));
    if (!u)
        return kt_err_set(err, KT_ENOMEM, "decode %s: out of memory", name);
    st = U_ZERO_ERROR;
    int32_t n = ucnv_toUChars(cnv, u, cap, s, (int32_t)len, &st);
    kt_status rc;
    if (U_FAILURE(st))
        rc = kt_err_set(err, KT_EOTHER, "decode %s: %s", name, u_errorName(st));
    else
        rc = u16_to_nfc_utf8(u, n, out, name, invalid, err);
    free(u);
    *invalid += cnt.n;
    return rc;
}

/* Opens a converter for label; NULL when ICU does not know it. Latin-1 and ASCII labels
 * become windows-1252, as browsers do. */
static UConverter *open_label(const char *label, char *name, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(label, &st);
    if (U_FAILURE(st) || !c)
        return NULL;
    const char *canon = ucnv_getName(c, &st);
    if (U_SUCCESS(st)) {
        UErrorCode s2 = U_ZERO_ERROR;
        const char *std = ucnv_getStandardName(canon, "MIME", &s2);
        if (!std || U_FAILURE(s2)) {
            s2 = U_ZERO_ERROR;
            std = ucnv_getStandardName(canon, "IANA", &s2);
        }
        if (std && U_SUCCESS(s2))
            canon = std;
    }
    if (U_SUCCESS(st) &&
        (strcasecmp(canon, "ISO-8859-1") == 0 || strcasecmp(canon, "US-ASCII") == 0)) {
        ucnv_close(c);
        st = U_ZERO_ERROR;
        c = ucnv_open("windows-1252", &st);
        if (U_FAILURE(st))
            return NULL;
        canon = "windows-1252";
    }
    snprintf(name, cap, "%s", U_SUCCESS(st) ? canon : label);
    return c;
}

static bool is_utf8_label(const char *label)
{
    return strcasecmp(label, "utf-8") == 0 || strcasecmp(label, "utf8") == 0 ||
           strcasecmp(label, "unicode-1-1-utf-8") == 0;
}

static bool is_latin_name(const char *name)
{
    return strcasecmp(name, "windows-1252") == 0 || strcasecmp(name, "ISO-8859-1") == 0 ||
           strcasecmp(name, "US-ASCII") == 0;
}

/* Tries a declared label. Returns 1 when used, 0 when unusable, or a negative kt_status. */
static int try_declared(const char *label, enum kt_charset_source src, const char *s, size_t len,
                        struct kt_buf *out, struct kt_text_decode_info *info, struct kt_err *err)
{
    if (is_utf8_label(label)) {
        snprintf(info->charset, sizeof info->charset, "UTF-8");
        info->source = src;
        kt_status rc = decode_utf8((const unsigned char *)s, len, out, &info->invalid, err);
        return rc == KT_OK ? 1 : -(int)rc;
    }
    char name[40];
    UConverter *c = open_label(label, name, sizeof name);
    if (!c) {
        info->declared_unusable = true;
        return 0;
    }
    if (strncasecmp(name, "UTF-7", 5) == 0) { /* never honoured by browsers (XSS) */
        ucnv_close(c);
        info->declared_unusable = true;
        return 0;
    }
    bool non_ascii;
    if (is_latin_name(name) && utf8_invalid((const unsigned char *)s, len, &non_ascii) == 0 &&
        non_ascii) {
        /* Latin charsets cannot carry Vietnamese: valid non-ASCII UTF-8 wins */
        ucnv_close(c);
        info->declared_unusable = true;
        return 0;
    }
    if (strncasecmp(name, "UTF-16", 6) == 0 || strncasecmp(name, "UTF-32", 6) == 0) {
        /* an HTML <meta> cannot be UTF-16 if we could read it as ASCII */
        if (src == KT_CHARSET_FROM_META) {
            ucnv_close(c);
            info->declared_unusable = true;
            return 0;
        }
    }
    snprintf(info->charset, sizeof info->charset, "%s", name);
    info->source = src;
    kt_status rc = decode_icu(c, name, s, len, out, &info->invalid, err);
    ucnv_close(c);
    return rc == KT_OK ? 1 : -(int)rc;
}

kt_status kt_text_decode(const void *data, size_t len, const char *content_type, unsigned flags,
                         struct kt_buf *out, struct kt_text_decode_info *info_out,
                         struct kt_err *err)
{
    if (!data && len > 0)
        return kt_err_set(err, KT_EINVAL, "decode: NULL data");
    if (len > (size_t)INT32_MAX / 4)
        return kt_err_set(err, KT_ETOOBIG, "decode: %zu bytes is too large", len);
    struct kt_text_decode_info info_local, *info = info_out ? info_out : &info_local;
    memset(info, 0, sizeof *info);
    info->confidence = 100;
    const char *s = data ? data : "";
    const unsigned char *u = (const unsigned char *)s;
    char label[40];
    int r;

    /* 1. BOM: as in the HTML standard it overrides any declaration */
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        snprintf(info->charset, sizeof info->charset, "UTF-8");
        info->source = KT_CHARSET_FROM_BOM;
        return decode_utf8(u + 3, len - 3, out, &info->invalid, err);
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *name = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        UErrorCode st = U_ZERO_ERROR;
        UConverter *c = ucnv_open(name, &st);
        if (U_FAILURE(st))
            return kt_err_set(err, KT_EOTHER, "decode: ICU has no %s converter", name);
        snprintf(info->charset, sizeof info->charset, "%s", name);
        info->source = KT_CHARSET_FROM_BOM;
        kt_status rc = decode_icu(c, name, s + 2, len - 2, out, &info->invalid, err);
        ucnv_close(c);
        return rc;
    }
    /* 2. HTTP header */
    if (content_type && charset_param(content_type, strlen(content_type), label, sizeof label)) {
        r = try_declared(label, KT_CHARSET_FROM_HEADER, s, len, out, info, err);
        if (r != 0)
            return r > 0 ? KT_OK : (kt_status)-r;
    }
    /* 3. <meta> */
    if ((flags & KT_DECODE_HTML) && meta_charset(s, len, label, sizeof label)) {
        r = try_declared(label, KT_CHARSET_FROM_META, s, len, out, info, err);
        if (r != 0)
            return r > 0 ? KT_OK : (kt_status)-r;
    }
    /* 4./5. doctype, then plain UTF-8 validity */
    bool non_ascii;
    size_t bad = utf8_invalid(u, len, &non_ascii);
    bool doctype = (flags & KT_DECODE_HTML) && html5_doctype(s, len);
    if (bad == 0 || (doctype && bad <= 1 + len / 1000 && !looks_windows1258(u, len))) {
        snprintf(info->charset, sizeof info->charset, "UTF-8");
        info->source = doctype ? KT_CHARSET_FROM_DOCTYPE : KT_CHARSET_FROM_UTF8_CHECK;
        return decode_utf8(u, len, out, &info->invalid, err);
    }
    /* 6. detection */
    const char *guess = NULL;
    int conf = 0;
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    if (U_SUCCESS(st)) {
        ucsdet_setText(det, s, (int32_t)(len > DETECT_BYTES ? DETECT_BYTES : len), &st);
        ucsdet_enableInputFilter(det, (flags & KT_DECODE_HTML) != 0);
        const UCharsetMatch *m = ucsdet_detect(det, &st);
        if (U_SUCCESS(st) && m) {
            guess = ucsdet_getName(m, &st);
            conf = ucsdet_getConfidence(m, &st);
            if (U_FAILURE(st))
                guess = NULL;
        }
    }
    if (looks_windows1258(u, len) && (!guess || is_latin_name(guess) || conf < 50)) {
        guess = "windows-1258";
        conf = conf > 60 ? conf : 60;
    }
    if (guess && conf >= 10) {
        char name[40];
        UConverter *c = open_label(guess, name, sizeof name);
        if (c) {
            snprintf(info->charset, sizeof info->charset, "%s", name);
            info->source = KT_CHARSET_FROM_DETECTION;
            info->confidence = conf;
            ucsdet_close(det);
            kt_status rc = decode_icu(c, name, s, len, out, &info->invalid, err);
            ucnv_close(c);
            return rc;
        }
    }
    if (det)
        ucsdet_close(det);
    /* 7. nothing usable: UTF-8 with replacements, reported as a fallback */
    snprintf(info->charset, sizeof info->charset, "UTF-8");
    info->source = KT_CHARSET_FROM_FALLBACK;
    info->confidence = 0;
    return decode_utf8(u, len, out, &info->invalid, err);
}
