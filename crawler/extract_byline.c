/* extract_byline.c - bylines and credits: "Theo X" attributions, "X - Ảnh: Y" author and
 * photographer, "Ảnh: Y", and bare names or offices ("Thanh Tình", "Ban Tuyên giáo Huyện ủy")
 * when the layout marks the line as a byline. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include "common/kt_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

void ex_byline_free(struct ex_byline *b)
{
    free(b->author);
    free(b->photo);
    free(b->attribution);
    memset(b, 0, sizeof *b);
}

/* Counts words and how many start with an uppercase letter; rejects digits and sentence
 * punctuation. */
bool ex_looks_like_name(const char *s, size_t len)
{
    if (len == 0 || len > 80)
        return false;
    size_t words = 0, capital = 0;
    bool at_start = true, first_cap = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        bool bad;
        size_t k = kt_utf8_next((const unsigned char *)s + i, len - i, &cp, &bad);
        if (bad)
            return false;
        if (cp == ' ' || cp == 0xA0) {
            at_start = true;
        } else if (u_isdigit((UChar32)cp) || cp == ',' || cp == ';' || cp == '!' || cp == '?' ||
                   cp == ':' || cp == '"' || cp == '(' || cp == ')' || cp == 0x201C ||
                   cp == 0x201D || cp == '/' || cp == '|') {
            return false;
        } else if (at_start) {
            at_start = false;
            if (u_isalpha((UChar32)cp)) {
                words++;
                if (u_isupper((UChar32)cp)) {
                    capital++;
                    if (words == 1)
                        first_cap = true;
                }
            } else if (cp != '.' && cp != '-' && cp != 0x2013) {
                return false;
            }
        }
        i += k;
    }
    if (!first_cap || words == 0 || words > 7)
        return false;
    if (words == 1) /* agency abbreviations: TTXVN, PV, P.V */
        return ex_is_all_caps_header(s, len) || len <= 6;
    return capital * 2 >= words;
}

static char *trim_dup(const char *s, size_t len)
{
    while (len && (s[len - 1] == '.' || s[len - 1] == ' '))
        len--;
    return ex_strndup_trim(s, len);
}

/* Finds "Ảnh:" / "Ảnh -" / "Ảnh :" (case-insensitive first letter) in s; returns its offset. */
static const char *find_photo_marker(const char *s, size_t len, size_t *marker_len)
{
    static const char *const marks[] = {
        "Ảnh:", "ảnh:", "Ảnh :", "ảnh :", "Ảnh -", "Ảnh –", "Photo:", NULL};
    for (size_t i = 0; i < len; i++)
        for (size_t m = 0; marks[m]; m++) {
            size_t ml = strlen(marks[m]);
            if (i + ml <= len && memcmp(s + i, marks[m], ml) == 0) {
                *marker_len = ml;
                return s + i;
            }
        }
    return NULL;
}

bool ex_parse_byline(const char *s, size_t len, bool strong, struct ex_byline *out)
{
    memset(out, 0, sizeof *out);
    while (len && (s[len - 1] == ' '))
        len--;
    while (len && s[0] == ' ') {
        s++;
        len--;
    }
    if (len == 0 || len > 120)
        return false;
    /* "Theo X" / "Nguồn: X" */
    static const char *const attr_prefix[] = {
        "Theo ", "theo ", "Nguồn: ", "Nguồn:", "Nguồn ", NULL};
    for (size_t i = 0; attr_prefix[i]; i++) {
        size_t pl = strlen(attr_prefix[i]);
        if (len > pl && memcmp(s, attr_prefix[i], pl) == 0 && len - pl <= 60) {
            const char *x = s + pl;
            size_t xl = len - pl;
            /* a source, not a sentence: no comma, few words */
            size_t words = 1;
            bool comma = false;
            for (size_t q = 0; q < xl; q++) {
                if (x[q] == ' ')
                    words++;
                if (x[q] == ',' || x[q] == ';')
                    comma = true;
            }
            if (comma || words > 6)
                break;
            out->kind = EXBY_ATTRIBUTION;
            out->attribution = trim_dup(x, xl);
            return out->attribution != NULL;
        }
    }
    /* "X - Ảnh: Y", "X. Ảnh: Y", "Bài và ảnh: X", "Ảnh: Y" */
    size_t ml = 0;
    const char *pm = find_photo_marker(s, len, &ml);
    if (pm) {
        const char *y = pm + ml;
        size_t yl = len - (size_t)(y - s);
        size_t al = (size_t)(pm - s);
        while (al && (s[al - 1] == ' ' || s[al - 1] == '-' || s[al - 1] == '.' ||
                      s[al - 1] == ',' || (unsigned char)s[al - 1] == 0x93 /* – tail */))
            al--;
        /* strip a dangling en dash (E2 80 93) */
        while (al >= 3 && (unsigned char)s[al - 3] == 0xE2 && (unsigned char)s[al - 2] == 0x80 &&
               (unsigned char)s[al - 1] == 0x93) {
            al -= 3;
            while (al && s[al - 1] == ' ')
                al--;
        }
        char *ytrim = trim_dup(y, yl);
        if (!ytrim)
            return false;
        if (!ex_looks_like_name(ytrim, strlen(ytrim))) {
            free(ytrim);
            return false;
        }
        if (al == 0) {
            out->kind = EXBY_PHOTO;
            out->photo = ytrim;
            return true;
        }
        if (!ex_looks_like_name(s, al)) {
            free(ytrim);
            return false;
        }
        out->kind = EXBY_AUTHOR;
        out->author = trim_dup(s, al);
        out->photo = ytrim;
        if (!out->author) {
            ex_byline_free(out);
            return false;
        }
        return true;
    }
    if (!strong)
        return false;
    /* "Bài: X", "PV" and bare names */
    static const char *const author_prefix[] = {
        "Bài và ảnh:", "Bài, ảnh:", "Bài:", "Tác giả:", "Nhóm PV", NULL};
    for (size_t i = 0; author_prefix[i]; i++) {
        size_t pl = strlen(author_prefix[i]);
        if (len > pl && memcmp(s, author_prefix[i], pl) == 0 && author_prefix[i][pl - 1] == ':') {
            s += pl;
            len -= pl;
            while (len && s[0] == ' ') {
                s++;
                len--;
            }
            break;
        }
    }
    size_t nl = len;
    while (nl && (s[nl - 1] == '.' || s[nl - 1] == ' '))
        nl--;
    /* "Nguyễn Hằng - Đảng ủy xã Bình Yên": the person, not the affiliation */
    for (size_t i = 0; i + 3 <= nl; i++) {
        if (s[i] == ' ' &&
            (s[i + 1] == '-' || (i + 5 <= nl && memcmp(s + i + 1, "\xE2\x80\x93", 3) == 0))) {
            size_t after = s[i + 1] == '-' ? i + 2 : i + 4;
            if (after < nl && s[after] == ' ' && ex_looks_like_name(s, i) &&
                ex_count_chars(s, i) <= 40) {
                nl = i;
                break;
            }
        }
    }
    if (ex_count_chars(s, nl) > 50 || !ex_looks_like_name(s, nl))
        return false;
    out->kind = EXBY_AUTHOR;
    out->author = trim_dup(s, nl);
    return out->author != NULL;
}
