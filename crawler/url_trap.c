/* url_trap.c - URL patterns (POSIX ERE), pagination/calendar classification and URL shapes
 * that let the crawl loop bound listing chains and calendar traps. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/url.h"
#include "crawler/url_internal.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------- patterns ------------------------------- */

struct kt_url_pattern {
    regex_t re;
    char *src;
};

kt_status kt_url_pattern_compile(const char *src, struct kt_url_pattern **out, struct kt_err *err)
{
    *out = NULL;
    if (!src)
        return kt_err_set(err, KT_EINVAL, "NULL pattern");
    struct kt_url_pattern *p = calloc(1, sizeof *p);
    if (!p)
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    p->src = strdup(src);
    if (!p->src) {
        free(p);
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    int rc = regcomp(&p->re, src, REG_EXTENDED | REG_NOSUB | REG_ICASE);
    if (rc != 0) {
        char msg[200];
        regerror(rc, &p->re, msg, sizeof msg);
        free(p->src);
        free(p);
        return kt_err_set(err, KT_EINVAL, "invalid regular expression \"%.100s\": %s", src, msg);
    }
    *out = p;
    return KT_OK;
}

bool kt_url_pattern_match(const struct kt_url_pattern *p, const char *url)
{
    if (!p || !url)
        return false;
    if (url[0] == '/')
        return regexec(&p->re, url, 0, NULL, 0) == 0;
    char *pq = NULL;
    if (kt_url_path_query(url, &pq, NULL) != KT_OK)
        return regexec(&p->re, url, 0, NULL, 0) == 0;
    bool m = regexec(&p->re, pq, 0, NULL, 0) == 0;
    free(pq);
    return m;
}

const char *kt_url_pattern_source(const struct kt_url_pattern *p)
{
    return p ? p->src : NULL;
}

void kt_url_pattern_free(struct kt_url_pattern *p)
{
    if (!p)
        return;
    regfree(&p->re);
    free(p->src);
    free(p);
}

/* ------------------------------- classification ------------------------------- */

/* Not "p" or "pageid": WordPress ?p=123 and CMS ?pageid=7 name a post or page, not a page
 * number. */
static const char *const page_params[] = {
    "page",    "trang",  "pg",          "paged", "pageindex", "page_index", "pagenum", "pagenumber",
    "page_no", "pageno", "currentpage", "cpage", "sotrang",   "pagina",     "npage",   "trangso",
};
static const char *const date_params[] = {
    "date",     "ngay",    "day",         "d",           "dt",   "ngaydang",
    "tungay",   "denngay", "fromdate",    "todate",      "from", "to",
    "thoigian", "archive", "archivedate", "publishdate", "time", "ngayxem",
};
static const char *const year_params[] = {"year", "nam", "y"};
static const char *const month_params[] = {"month", "thang", "m"};

static bool in_list(const char *s, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (kt_ascii_ieq(s, len, list[i]))
            return true;
    return false;
}
#define IN_LIST(s, l, list) in_list(s, l, list, sizeof list / sizeof *list)

static bool all_digits(const char *s, size_t len, size_t maxlen)
{
    if (len == 0 || len > maxlen)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t len)
{
    int v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool plausible_date(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 0 && d <= 31;
}

/* Recognises YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, DD-MM-YYYY, DD/MM/YYYY (also %2F for '/'),
 * YYYY-MM and, when loose, YYYYMMDD. */
static bool parse_date_value(const char *v, size_t vl, bool loose, int *y, int *m, int *d)
{
    char buf[32];
    size_t n = 0;
    for (size_t i = 0; i < vl && n < sizeof buf - 1; i++) {
        if (v[i] == '%' && i + 2 < vl && v[i + 1] == '2' && (v[i + 2] == 'F' || v[i + 2] == 'f')) {
            buf[n++] = '/';
            i += 2;
        } else {
            buf[n++] = v[i];
        }
    }
    if (n >= sizeof buf - 1)
        return false;
    buf[n] = '\0';
    if (n == 8 && strspn(buf, "0123456789") == 8) { /* YYYYMMDD, only for date names */
        if (!loose)
            return false;
        *y = num(buf, 4);
        *m = num(buf + 4, 2);
        *d = num(buf + 6, 2);
        return plausible_date(*y, *m, *d) && *d >= 1;
    }
    /* split on - / . */
    int parts[3];
    size_t lens[3];
    int np = 0;
    bool ended = false;
    const char *p = buf;
    while (np < 3) {
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q == p || q - p > 4)
            return false;
        parts[np] = num(p, (size_t)(q - p));
        lens[np] = (size_t)(q - p);
        np++;
        if (!*q) {
            ended = true;
            break;
        }
        if (*q != '-' && *q != '/' && *q != '.')
            return false;
        p = q + 1;
    }
    if (!ended)
        return false;
    if (np == 1)
        return false;
    if (np == 2) { /* YYYY-MM or MM-YYYY */
        if (lens[0] == 4 && lens[1] <= 2) {
            *y = parts[0], *m = parts[1], *d = 0;
        } else if (lens[1] == 4 && lens[0] <= 2) {
            *y = parts[1], *m = parts[0], *d = 0;
        } else {
            return false;
        }
        return plausible_date(*y, *m, 0);
    }
    if (lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2) {
        *y = parts[0], *m = parts[1], *d = parts[2];
    } else if (lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2) {
        *y = parts[2], *m = parts[1], *d = parts[0];
    } else {
        return false;
    }
    return plausible_date(*y, *m, *d) && *d >= 1;
}

/* Builds chain_key = prefix + "*" + suffix. */
static kt_status make_key(const char *u, size_t start, size_t end, char **key)
{
    size_t ul = strlen(u);
    char *k = malloc(ul - (end - start) + 2);
    if (!k)
        return KT_ENOMEM;
    memcpy(k, u, start);
    k[start] = '*';
    memcpy(k + start + 1, u + end, ul - end + 1);
    *key = k;
    return KT_OK;
}

/* Looks for a pagination or date marker in the path segments of u (normalized URL);
 * path_start/path_end delimit the path inside u. */
static bool classify_path(const char *u, size_t ps, size_t pe, struct kt_url_trap *t, size_t *vs,
                          size_t *ve)
{
    /* collect segments */
    size_t seg_s[64], seg_e[64];
    int ns = 0;
    size_t i = ps;
    while (i < pe && ns < 64) {
        while (i < pe && u[i] == '/')
            i++;
        if (i >= pe)
            break;
        size_t s = i;
        while (i < pe && u[i] != '/')
            i++;
        seg_s[ns] = s;
        seg_e[ns] = i;
        ns++;
    }
    for (int k = 0; k < ns; k++) {
        const char *s = u + seg_s[k];
        size_t l = seg_e[k] - seg_s[k];
        /* "/page/N" or "/trang/N" */
        if ((kt_ascii_ieq(s, l, "page") || kt_ascii_ieq(s, l, "trang")) && k + 1 < ns) {
            const char *n = u + seg_s[k + 1];
            size_t nl = seg_e[k + 1] - seg_s[k + 1];
            size_t dl = 0;
            while (dl < nl && n[dl] >= '0' && n[dl] <= '9')
                dl++;
            if (all_digits(n, dl, 9) && (dl == nl || kt_ascii_ieq(n + dl, nl - dl, ".html") ||
                                         kt_ascii_ieq(n + dl, nl - dl, ".htm"))) {
                t->kind = KT_URL_PAGINATION;
                t->page = num(n, dl);
                *vs = seg_s[k + 1];
                *ve = seg_s[k + 1] + dl;
                return true;
            }
        }
        /* "trang-N", "page-N", "pageN", "trangN" + optional extension, possibly a suffix of
         * the segment after '-' or '_' ("chinh-tri-trang-2.html") */
        static const char *const words[] = {"trang", "page"};
        for (size_t w = 0; w < 2; w++) {
            size_t wl = strlen(words[w]);
            for (size_t at = 0; at + wl <= l; at++) {
                if (at > 0 && s[at - 1] != '-' && s[at - 1] != '_')
                    continue;
                if (!kt_ascii_iprefix(s + at, l - at, words[w]))
                    continue;
                size_t j = at + wl;
                if (j < l && (s[j] == '-' || s[j] == '_'))
                    j++;
                size_t d0 = j;
                while (j < l && s[j] >= '0' && s[j] <= '9')
                    j++;
                if (j == d0 || j - d0 > 9)
                    continue;
                /* inside a slug ("ao-dai-trang-2021.html") a number is more likely a year or
                 * an id than a page: the suffix form takes 1-3 digits only */
                if (at > 0 && j - d0 > 3)
                    continue;
                const char *rest = s + j;
                size_t rl = l - j;
                if (rl == 0 || kt_ascii_ieq(rest, rl, ".html") || kt_ascii_ieq(rest, rl, ".htm") ||
                    kt_ascii_ieq(rest, rl, ".aspx") || kt_ascii_ieq(rest, rl, ".php")) {
                    t->kind = KT_URL_PAGINATION;
                    t->page = num(s + d0, j - d0);
                    *vs = seg_s[k] + d0;
                    *ve = seg_s[k] + j;
                    return true;
                }
            }
        }
    }
    /* trailing date segments: /YYYY/MM/DD[/] or /YYYY/MM[/] as the last segments, or a last
     * segment that is a date ("2021-09-15", "2021-09-15.html") */
    if (ns >= 2) {
        int k = ns - 1;
        const char *a = u + seg_s[k];
        size_t al = seg_e[k] - seg_s[k];
        if (ns >= 3 && all_digits(u + seg_s[k - 2], seg_e[k - 2] - seg_s[k - 2], 4) &&
            seg_e[k - 2] - seg_s[k - 2] == 4 &&
            all_digits(u + seg_s[k - 1], seg_e[k - 1] - seg_s[k - 1], 2) && all_digits(a, al, 2)) {
            int y = num(u + seg_s[k - 2], 4),
                m = num(u + seg_s[k - 1], seg_e[k - 1] - seg_s[k - 1]), d = num(a, al);
            if (plausible_date(y, m, d) && d >= 1) {
                t->kind = KT_URL_CALENDAR;
                t->year = y, t->month = m, t->day = d;
                *vs = seg_s[k - 2];
                *ve = seg_e[k];
                return true;
            }
        }
        if (seg_e[k - 1] - seg_s[k - 1] == 4 && all_digits(u + seg_s[k - 1], 4, 4) &&
            all_digits(a, al, 2)) {
            int y = num(u + seg_s[k - 1], 4), m = num(a, al);
            if (plausible_date(y, m, 0) && m >= 1) {
                t->kind = KT_URL_CALENDAR;
                t->year = y, t->month = m, t->day = 0;
                *vs = seg_s[k - 1];
                *ve = seg_e[k];
                return true;
            }
        }
    }
    if (ns >= 1) {
        const char *a = u + seg_s[ns - 1];
        size_t al = seg_e[ns - 1] - seg_s[ns - 1];
        size_t core = al;
        if (al > 5 && kt_ascii_ieq(a + al - 5, 5, ".html"))
            core = al - 5;
        int y, m, d;
        if (core >= 8 && core <= 10 && parse_date_value(a, core, false, &y, &m, &d) && d >= 1) {
            t->kind = KT_URL_CALENDAR;
            t->year = y, t->month = m, t->day = d;
            *vs = seg_s[ns - 1];
            *ve = seg_s[ns - 1] + core;
            return true;
        }
    }
    return false;
}

kt_status kt_url_classify(const char *url, struct kt_url_trap *out, struct kt_err *err)
{
    memset(out, 0, sizeof *out);
    char *u = NULL;
    kt_status st = kt_url_normalize(url, &u, err);
    if (st != KT_OK)
        return st;
    /* locate the path and query in the normalized URL */
    const char *p = strstr(u, "://");
    size_t ps = p ? (size_t)(p - u) + 3 : 0;
    while (u[ps] && u[ps] != '/' && u[ps] != '?')
        ps++;
    const char *q = strchr(u + ps, '?');
    size_t pe = q ? (size_t)(q - u) : strlen(u);
    size_t vs = 0, ve = 0;
    bool found = false;

    /* query parameters first: they are the usual form */
    int qy = 0, qm = 0, qd = 0;
    size_t ys = 0, ye = 0;
    for (const char *a = q ? q + 1 : NULL; a && *a && !found;) {
        const char *amp = strchr(a, '&');
        size_t len = amp ? (size_t)(amp - a) : strlen(a);
        const char *eq = memchr(a, '=', len);
        size_t nl = eq ? (size_t)(eq - a) : len;
        const char *v = eq ? eq + 1 : a + len;
        size_t vl = eq ? len - nl - 1 : 0;
        int y, m, d;
        if (IN_LIST(a, nl, page_params) && all_digits(v, vl, 9)) {
            out->kind = KT_URL_PAGINATION;
            out->page = num(v, vl);
            vs = (size_t)(v - u), ve = vs + vl;
            found = true;
        } else if (vl > 0 && parse_date_value(v, vl, IN_LIST(a, nl, date_params), &y, &m, &d) &&
                   (IN_LIST(a, nl, date_params) || vl >= 8)) {
            out->kind = KT_URL_CALENDAR;
            out->year = y, out->month = m, out->day = d;
            vs = (size_t)(v - u), ve = vs + vl;
            found = true;
        } else if (IN_LIST(a, nl, year_params) && vl == 4 && all_digits(v, vl, 4)) {
            qy = num(v, 4);
            ys = (size_t)(v - u), ye = ys + 4;
        } else if (IN_LIST(a, nl, month_params) && all_digits(v, vl, 2)) {
            qm = num(v, vl);
        } else if ((kt_ascii_ieq(a, nl, "day") || kt_ascii_ieq(a, nl, "ngay")) &&
                   all_digits(v, vl, 2)) {
            qd = num(v, vl);
        }
        a = amp ? amp + 1 : NULL;
    }
    if (!found && qy && qm && plausible_date(qy, qm, qd)) {
        out->kind = KT_URL_CALENDAR;
        out->year = qy, out->month = qm, out->day = qd;
        vs = ys, ve = ye;
        found = true;
    }
    if (!found)
        found = classify_path(u, ps, pe, out, &vs, &ve);
    if (found) {
        if (make_key(u, vs, ve, &out->chain_key) != KT_OK) {
            free(u);
            memset(out, 0, sizeof *out);
            return kt_err_set(err, KT_ENOMEM, "out of memory");
        }
        free(u);
    } else {
        out->kind = KT_URL_PLAIN;
        out->chain_key = u;
    }
    return KT_OK;
}

void kt_url_trap_free(struct kt_url_trap *t)
{
    if (!t)
        return;
    free(t->chain_key);
    memset(t, 0, sizeof *t);
}

bool kt_url_trap_allowed(const struct kt_url_trap *t, const struct kt_trap_limits *limits,
                         int64_t now_unix)
{
    static const struct kt_trap_limits dflt = KT_TRAP_LIMITS_DEFAULT;
    if (!limits)
        limits = &dflt;
    if (!t)
        return false;
    switch (t->kind) {
    case KT_URL_PLAIN:
        return true;
    case KT_URL_PAGINATION:
        return t->page <= limits->max_pagination;
    case KT_URL_CALENDAR: {
        if (limits->calendar_window_days <= 0)
            return false;
        int64_t day;
        if (t->day >= 1) {
            day = kt_days_from_civil(t->year, (unsigned)t->month, (unsigned)t->day);
        } else { /* last day of the month */
            int ny = t->month == 12 ? t->year + 1 : t->year;
            unsigned nm = t->month == 12 ? 1 : (unsigned)t->month + 1;
            day = kt_days_from_civil(ny, nm, 1) - 1;
        }
        int64_t today = now_unix >= 0 ? now_unix / 86400 : (now_unix - 86399) / 86400;
        int64_t diff = today - day;
        return diff >= -1 && diff <= limits->calendar_window_days;
    }
    }
    return false;
}

/* ------------------------------- shapes ------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

kt_status kt_url_shape(const char *url, char **out, struct kt_err *err)
{
    *out = NULL;
    char *u = NULL;
    kt_status st = kt_url_normalize(url, &u, err);
    if (st != KT_OK)
        return st;
    struct kt_buf b = {0};
    char **names = NULL;
    size_t nn = 0;
    char *q = strchr(u, '?');
    size_t base_len = q ? (size_t)(q - u) : strlen(u);
    bool in_digits = false;
    for (size_t i = 0; i < base_len && st == KT_OK; i++) {
        bool dig = u[i] >= '0' && u[i] <= '9';
        /* keep the authority verbatim (ports and IPs included) */
        const char *sep = strstr(u, "://");
        size_t auth_end = sep ? (size_t)(sep - u) + 3 : 0;
        while (auth_end < base_len && u[auth_end] != '/')
            auth_end++;
        if (i < auth_end) {
            st = kt_buf_append_byte(&b, u[i]);
            continue;
        }
        if (u[i] == '%' && i + 2 < base_len) { /* keep escapes verbatim */
            st = kt_buf_append(&b, u + i, 3);
            i += 2;
            in_digits = false;
            continue;
        }
        if (dig) {
            if (!in_digits)
                st = kt_buf_append_byte(&b, '0');
        } else {
            st = kt_buf_append_byte(&b, u[i]);
        }
        in_digits = dig;
    }
    if (st == KT_OK && q) {
        size_t cap = 1;
        for (const char *c = q; *c; c++)
            cap += *c == '&';
        names = calloc(cap, sizeof *names);
        if (!names)
            st = KT_ENOMEM;
        for (char *a = q + 1; st == KT_OK && a && *a;) {
            char *amp = strchr(a, '&');
            size_t len = amp ? (size_t)(amp - a) : strlen(a);
            char *eq = memchr(a, '=', len);
            size_t nl = eq ? (size_t)(eq - a) : len;
            names[nn] = kt_strndup0(a, nl);
            if (!names[nn])
                st = KT_ENOMEM;
            else
                nn++;
            a = amp ? amp + 1 : NULL;
        }
        if (st == KT_OK && nn) {
            qsort(names, nn, sizeof *names, cmp_str);
            for (size_t i = 0; i < nn && st == KT_OK; i++)
                st = kt_buf_printf(&b, "%c%s", i ? '&' : '?', names[i]);
        }
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    free(u);
    if (st == KT_OK && !b.data)
        st = kt_buf_terminate(&b);
    if (st != KT_OK) {
        kt_buf_free(&b);
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    *out = kt_buf_detach(&b);
    return KT_OK;
}
