/* discover_date.c - the W3C/ISO 8601 and RFC 822/1123 date parsers used for sitemap
 * lastmod, RSS pubDate and Atom updated/published. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/discover.h"
#include "crawler/url_internal.h"

#include <string.h>

static const char *skip_ws(const char *s)
{
    while (kt_ascii_isspace(*s))
        s++;
    return s;
}

/* Reads exactly n digits. */
static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/* Reads 1..max digits. */
static bool digits_upto(const char **s, int max, int *out, int *count)
{
    int v = 0, n = 0;
    while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9') {
        v = v * 10 + ((*s)[n] - '0');
        n++;
    }
    if (n == 0)
        return false;
    *s += n;
    *out = v;
    if (count)
        *count = n;
    return true;
}

static bool valid(int y, int mo, int d, int h, int mi, int se)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] && h >= 0 &&
           h <= 24 && mi >= 0 && mi <= 59 && se >= 0 && se <= 60;
}

static int64_t to_unix(int y, int mo, int d, int h, int mi, int se, int offset_min)
{
    return kt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se -
           (int64_t)offset_min * 60;
}

/* Parses "Z", "+hh:mm", "+hhmm", "+hh"; an absent zone is UTC. */
static bool parse_zone(const char **s, int *offset_min)
{
    const char *p = *s;
    *offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        *s = p + 1;
        return true;
    }
    if (*p != '+' && *p != '-')
        return true;
    int sign = *p == '-' ? -1 : 1;
    p++;
    int hh, mm = 0;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':')
        p++;
    if (*p >= '0' && *p <= '9' && !digits(&p, 2, &mm))
        return false;
    if (hh > 23 || mm > 59)
        return false;
    *offset_min = sign * (hh * 60 + mm);
    *s = p;
    return true;
}

bool kt_date_parse_w3c(const char *s, int64_t *unix_out)
{
    if (!s)
        return false;
    const char *p = skip_ws(s);
    int y, mo = 1, d = 1, h = 0, mi = 0, se = 0, off = 0;
    if (!digits(&p, 4, &y))
        return false;
    if (*p == '-') {
        p++;
        if (!digits(&p, 2, &mo))
            return false;
        if (*p == '-') {
            p++;
            if (!digits(&p, 2, &d))
                return false;
            if (*p == 'T' || *p == 't' || (*p == ' ' && p[1] >= '0' && p[1] <= '9')) {
                p++;
                if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
                    return false;
                if (*p == ':') {
                    p++;
                    if (!digits(&p, 2, &se))
                        return false;
                    if (*p == '.' || *p == ',') {
                        p++;
                        while (*p >= '0' && *p <= '9')
                            p++;
                    }
                }
                p = skip_ws(p);
                if (!parse_zone(&p, &off))
                    return false;
            }
        }
    }
    p = skip_ws(p);
    if (*p || !valid(y, mo, d, h, mi, se))
        return false;
    *unix_out = to_unix(y, mo, d, h, mi, se, off);
    return true;
}

static int month_index(const char *p)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (kt_ascii_iprefix(p, 3, months[i]))
            return i + 1;
    return 0;
}

bool kt_date_parse_rfc822(const char *s, int64_t *unix_out)
{
    if (!s)
        return false;
    const char *p = skip_ws(s);
    /* optional day name and comma */
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            p++;
        if (*p == ',')
            p++;
        else
            return kt_date_parse_w3c(s, unix_out);
        p = skip_ws(p);
    } else if (strlen(p) >= 10 && p[4] == '-') {
        return kt_date_parse_w3c(s, unix_out);
    }
    int d, y, yn, h = 0, mi = 0, se = 0, off = 0;
    if (!digits_upto(&p, 2, &d, NULL))
        return false;
    p = skip_ws(p);
    if (*p == '-')
        p++;
    int mo = month_index(p);
    if (!mo)
        return false;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    if (*p == '-')
        p++;
    p = skip_ws(p);
    if (!digits_upto(&p, 4, &y, &yn))
        return false;
    if (yn == 2)
        y += y < 50 ? 2000 : 1900;
    else if (yn != 4)
        return false;
    p = skip_ws(p);
    if (*p) {
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &se))
                return false;
        }
        p = skip_ws(p);
        if (*p == '+' || *p == '-') {
            if (!parse_zone(&p, &off))
                return false;
        } else if (*p) {
            static const struct {
                const char *name;
                int off;
            } zones[] = {{"GMT", 0},    {"UTC", 0},    {"UT", 0},     {"Z", 0},      {"EST", -300},
                         {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
                         {"PST", -480}, {"PDT", -420}, {"ICT", 420}};
            const char *z = p;
            while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                p++;
            bool known = false;
            for (size_t i = 0; i < sizeof zones / sizeof *zones; i++)
                if (kt_ascii_ieq(z, (size_t)(p - z), zones[i].name)) {
                    off = zones[i].off;
                    known = true;
                }
            if (!known && p - z > 0 && p - z <= 5)
                known = true; /* military or unknown zone letters: treat as UTC */
            if (!known)
                return false;
        }
        p = skip_ws(p);
        if (*p)
            return false;
    }
    if (!valid(y, mo, d, h, mi, se))
        return false;
    *unix_out = to_unix(y, mo, d, h, mi, se, off);
    return true;
}
