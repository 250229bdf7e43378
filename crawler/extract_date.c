/* extract_date.c - publication dates: ISO 8601 values from metadata (converted to Vietnam time,
 * +07:00) and the visible Vietnamese forms ("Thứ Hai, 25/05/2020 08:15", "(10:25 26/03/2020)",
 * "Ngày đăng 14/04/2022 | 16:30", "25/5/2020 - 08:15"). */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool valid_date(int y, int mo, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return false;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool ex_parse_iso_date(const char *s, struct ex_date *out)
{
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    if (n < 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || mo < 0 || d < 0 || !valid_date(y, mo, d))
        return false;
    struct ex_date r = {y, mo, d, -1, 0};
    const char *p = s + 10;
    if ((*p == 'T' || *p == ' ') && isdigit((unsigned char)p[1])) {
        int h = num(p + 1, 2), mi = p[3] == ':' ? num(p + 4, 2) : -1;
        if (h < 0 || h > 23 || mi < 0 || mi > 59)
            goto done;
        r.h = h;
        r.mi = mi;
        p += 6;
        if (*p == ':')
            p += 3;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
        int off = 7 * 60; /* no offset: assume local (Vietnam) time */
        if (*p == 'Z') {
            off = 0;
        } else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
            int oh = num(p + 1, 2), om = 0;
            if (p[3] == ':')
                om = num(p + 4, 2);
            else if (isdigit((unsigned char)p[3]))
                om = num(p + 3, 2);
            if (oh >= 0 && om >= 0)
                off = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        }
        if (off != 7 * 60) {
            int64_t minutes = days_from_civil(y, mo, d) * 1440 + h * 60 + mi - off + 7 * 60;
            int64_t day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
            int64_t rem = minutes - day * 1440;
            civil_from_days(day, &r.y, &r.mo, &r.d);
            r.h = (int)(rem / 60);
            r.mi = (int)(rem % 60);
        }
    }
done:
    *out = r;
    return true;
}

/* hh:mm or hhhmm at s; returns length matched or 0 */
static size_t parse_time(const char *s, size_t n, int *h, int *mi)
{
    size_t i = 0;
    if (i < n && isdigit((unsigned char)s[i])) {
        int a = s[i] - '0';
        i++;
        if (i < n && isdigit((unsigned char)s[i])) {
            a = a * 10 + (s[i] - '0');
            i++;
        }
        if (i + 2 < n + 0 && (s[i] == ':' || s[i] == 'h' || s[i] == 'H') &&
            isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2])) {
            int b = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
            if (a <= 23 && b <= 59 && (i + 3 >= n || !isdigit((unsigned char)s[i + 3]))) {
                *h = a;
                *mi = b;
                return i + 3;
            }
        }
    }
    return 0;
}

/* d/m/yyyy (also - and .) at s; returns length or 0 */
static size_t parse_dmy(const char *s, size_t n, int *y, int *mo, int *d)
{
    size_t i = 0;
    int v[3] = {0, 0, 0};
    char sep = 0;
    for (int part = 0; part < 3; part++) {
        size_t st = i;
        while (i < n && isdigit((unsigned char)s[i]) && i - st < 4)
            i++;
        size_t len = i - st;
        if (len == 0 || (part < 2 && len > 2) || (part == 2 && len != 4))
            return 0;
        v[part] = num(s + st, (int)len);
        if (part < 2) {
            if (i >= n || !(s[i] == '/' || s[i] == '-' || s[i] == '.'))
                return 0;
            if (part == 0)
                sep = s[i];
            else if (s[i] != sep)
                return 0;
            i++;
        }
    }
    if (i < n && isdigit((unsigned char)s[i]))
        return 0;
    if (!valid_date(v[2], v[1], v[0]))
        return 0;
    *d = v[0];
    *mo = v[1];
    *y = v[2];
    return i;
}

bool ex_find_visible_date(const char *s, size_t len, struct ex_date *out, size_t *match_end)
{
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]) || (i && isdigit((unsigned char)s[i - 1])))
            continue;
        int y, mo, d;
        size_t k = parse_dmy(s + i, len - i, &y, &mo, &d);
        if (!k)
            continue;
        struct ex_date r = {y, mo, d, -1, 0};
        size_t end = i + k;
        /* time after: separators " ", ",", "-", "|", "lúc" */
        size_t j = end;
        int guard = 0;
        while (j < len && guard < 8 &&
               (s[j] == ' ' || s[j] == ',' || s[j] == '-' || s[j] == '|' || s[j] == '(' ||
                ((unsigned char)s[j] == 0xC2 && j + 1 < len && (unsigned char)s[j + 1] == 0xA0))) {
            j += (unsigned char)s[j] == 0xC2 ? 2 : 1;
            guard++;
        }
        if (j + 3 < len && strncmp(s + j, "lúc", strlen("lúc")) == 0) {
            j += strlen("lúc");
            while (j < len && s[j] == ' ')
                j++;
        }
        int h, mi;
        size_t tk = parse_time(s + j, len - j, &h, &mi);
        if (tk) {
            r.h = h;
            r.mi = mi;
            end = j + tk;
        } else {
            /* time before: "10:25 26/03/2020", "08:15, 25/05/2020" */
            size_t b = i;
            int g2 = 0;
            while (b > 0 && g2 < 6 &&
                   (s[b - 1] == ' ' || s[b - 1] == ',' || s[b - 1] == '-' || s[b - 1] == '|')) {
                b--;
                g2++;
            }
            /* "08:15 ngày 25/05/2020" */
            static const char *const glue[] = {"ngày", "Ngày", NULL};
            for (size_t q = 0; glue[q]; q++) {
                size_t gl = strlen(glue[q]);
                if (b >= gl && memcmp(s + b - gl, glue[q], gl) == 0) {
                    b -= gl;
                    while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == ','))
                        b--;
                    break;
                }
            }
            size_t t0 = b;
            while (t0 > 0 && b - t0 < 5 &&
                   (isdigit((unsigned char)s[t0 - 1]) || s[t0 - 1] == ':' || s[t0 - 1] == 'h' ||
                    s[t0 - 1] == 'H'))
                t0--;
            if (t0 < b && parse_time(s + t0, b - t0, &h, &mi) == b - t0) {
                r.h = h;
                r.mi = mi;
            }
        }
        *out = r;
        if (match_end)
            *match_end = end;
        return true;
    }
    return false;
}

char *ex_date_format(const struct ex_date *d)
{
    char buf[40];
    if (d->h >= 0)
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d+07:00", d->y, d->mo, d->d, d->h, d->mi);
    else
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->y, d->mo, d->d);
    return strdup(buf);
}

static const char *const date_words[] = {
    "thứ",       "hai",    "ba",   "tư",   "năm",   "sáu", "bảy",   "chủ",    "nhật",
    "ngày",      "đăng",   "cập",  "lúc",  "lượt",  "xem", "xuất",  "bản",    "giờ",
    "gmt",       "am",     "pm",   "sáng", "chiều", "tối", "tháng", "update", "updated",
    "published", "posted", "date", "thu",  "cn",    "t2",  "t3",    "t4",     "t5",
    "t6",        "t7",     "ict",  "by",   NULL};

bool ex_is_date_line(const char *s, size_t len)
{
    if (len > 160)
        return false;
    struct ex_date d;
    size_t end = 0;
    if (!ex_find_visible_date(s, len, &d, &end))
        return false;
    /* Words outside the date: weekday names, "Ngày đăng", "Cập nhật", "Lượt xem" are fine, and
     * up to three others (a byline next to the date); a sentence is not. */
    struct kt_buf f = {0};
    const char *t = ex_fold(s, len, &f);
    size_t other = 0;
    for (const char *p = t; p && *p;) {
        while (*p && !(isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80))
            p++;
        const char *w = p;
        while (*p && (isalpha((unsigned char)*p) ||
                      ((unsigned char)*p >= 0x80 &&
                       !((unsigned char)*p == 0xC2 && (unsigned char)p[1] == 0xA0))))
            p++;
        if (p == w) {
            if (*p)
                p++;
            continue;
        }
        bool known = false;
        for (size_t i = 0; date_words[i]; i++)
            if (strlen(date_words[i]) == (size_t)(p - w) && memcmp(w, date_words[i], p - w) == 0)
                known = true;
        if (!known)
            other++;
    }
    kt_buf_free(&f);
    return other <= 3;
}
