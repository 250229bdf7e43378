/* url_util.c - small string helpers shared by the crawler parsers: percent-encoding
 * normalization, ASCII case folding and whitespace collapsing. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/url_internal.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static bool must_encode(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f || strchr("<>\"\\^`{|}", c) != NULL;
}

kt_status kt_pct_normalize(const char *s, size_t len, struct kt_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    if (kt_buf_reserve(out, len + 16) != KT_OK)
        return KT_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 1 < len ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                unsigned char v = (unsigned char)(hi * 16 + lo);
                kt_status st;
                if (is_unreserved(v)) {
                    st = kt_buf_append_byte(out, (char)v);
                } else {
                    char enc[3] = {'%', hex[v >> 4], hex[v & 15]};
                    st = kt_buf_append(out, enc, 3);
                }
                if (st != KT_OK)
                    return st;
                i += 2;
                continue;
            }
            if (kt_buf_append(out, "%25", 3) != KT_OK)
                return KT_ENOMEM;
            continue;
        }
        if (must_encode(c)) {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (kt_buf_append(out, enc, 3) != KT_OK)
                return KT_ENOMEM;
            continue;
        }
        if (kt_buf_append_byte(out, (char)c) != KT_OK)
            return KT_ENOMEM;
    }
    return kt_buf_terminate(out);
}

char kt_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

bool kt_ascii_ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (kt_ascii_lower(a[i]) != kt_ascii_lower(b[i]))
            return false;
    return true;
}

bool kt_ascii_iprefix(const char *s, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (len < plen)
        return false;
    for (size_t i = 0; i < plen; i++)
        if (kt_ascii_lower(s[i]) != kt_ascii_lower(prefix[i]))
            return false;
    return true;
}

bool kt_ascii_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

kt_status kt_append_collapsed(struct kt_buf *out, const char *text, bool *pending_space)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        bool space = kt_ascii_isspace((char)*p);
        size_t adv = 1;
        if (!space && p[0] == 0xC2 && p[1] == 0xA0) {
            space = true;
            adv = 2;
        }
        if (space) {
            *pending_space = true;
            p += adv;
            continue;
        }
        if (*pending_space && out->len > 0)
            if (kt_buf_append_byte(out, ' ') != KT_OK)
                return KT_ENOMEM;
        *pending_space = false;
        if (kt_buf_append_byte(out, (char)*p) != KT_OK)
            return KT_ENOMEM;
        p++;
    }
    return KT_OK;
}

char *kt_strndup0(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

int64_t kt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

kt_status kt_buf_terminate(struct kt_buf *b)
{
    if (kt_buf_reserve(b, 0) != KT_OK)
        return KT_ENOMEM;
    b->data[b->len] = '\0';
    return KT_OK;
}
