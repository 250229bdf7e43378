/* vi_parse.c - parsers for the values of number, date, time, range and Roman numeral tokens. */
#include "indexer/vi_parse_internal.h"

#include <stdio.h>
#include <string.h>

/* Digits only, at most 18 of them. */
static bool digits_value(const char *s, size_t n, int64_t *v)
{
    if (n == 0 || n > 18)
        return false;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

bool vi_parse_number(const char *s, size_t n, struct vi_number *out)
{
    /* groups split by '.' and ',' */
    size_t starts[64], lens[64];
    char seps[64];
    size_t ng = 0, st = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.' || s[i] == ',') {
            if (ng == 64)
                return false;
            starts[ng] = st;
            lens[ng] = i - st;
            seps[ng] = i < n ? s[i] : 0;
            if (lens[ng] == 0)
                return false;
            for (size_t j = st; j < i; j++)
                if (s[j] < '0' || s[j] > '9')
                    return false;
            ng++;
            st = i + 1;
        }
    }
    size_t ndot = 0, ncomma = 0;
    for (size_t g = 0; g + 1 < ng; g++)
        *(seps[g] == '.' ? &ndot : &ncomma) += 1;
    char thou = 0, dec = 0;
    if (ndot == 0 && ncomma == 0) {
        /* plain digits */
    } else if (ncomma == 0) {
        thou = '.'; /* 7.904.513 (or a single dot: 3.5 as a decimal if not 3 digits) */
        if (ndot == 1 && lens[1] != 3)
            thou = 0, dec = '.';
    } else if (ndot == 0) {
        dec = ','; /* 49,5 ; 1,234,567 English thousands */
        if (ncomma > 1)
            thou = ',', dec = 0;
    } else {
        /* both: the last separator is the decimal one */
        dec = seps[ng - 2];
        thou = dec == ',' ? '.' : ',';
        for (size_t g = 0; g + 2 < ng; g++)
            if (seps[g] != thou)
                return false;
    }
    /* validate thousands grouping: first group 1-3 digits, the others exactly 3 */
    size_t int_groups = dec ? ng - 1 : ng;
    if (thou) {
        if (lens[0] > 3)
            return false;
        for (size_t g = 1; g < int_groups; g++)
            if (lens[g] != 3)
                return false;
    }
    char digits[64] = {0};
    size_t nd = 0;
    for (size_t g = 0; g < int_groups; g++) {
        if (nd + lens[g] >= sizeof digits)
            return false;
        memcpy(digits + nd, s + starts[g], lens[g]);
        nd += lens[g];
    }
    int64_t ip = 0;
    if (!digits_value(digits, nd, &ip)) {
        if (nd > 18 && !dec) { /* long digit strings: keep the digits as the canonical form */
            out->is_int = false;
            out->value = 0;
            for (size_t i = 0; i < nd; i++)
                out->value = out->value * 10 + (digits[i] - '0');
            snprintf(out->canon, sizeof out->canon, "%.*s", (int)nd, digits);
            return true;
        }
        return false;
    }
    if (dec) {
        const char *f = s + starts[ng - 1];
        size_t fl = lens[ng - 1];
        double frac = 0, scale = 1;
        for (size_t i = 0; i < fl && i < 15; i++) {
            frac = frac * 10 + (f[i] - '0');
            scale *= 10;
        }
        out->value = (double)ip + frac / scale;
        out->ivalue = ip;
        out->is_int = false;
        /* canonical: integer digits '.' fraction without trailing zeros */
        size_t fe = fl;
        while (fe > 0 && f[fe - 1] == '0')
            fe--;
        if (fe == 0) {
            out->is_int = true;
            snprintf(out->canon, sizeof out->canon, "%lld", (long long)ip);
        } else {
            snprintf(out->canon, sizeof out->canon, "%lld.%.*s", (long long)ip, (int)fe, f);
        }
        return true;
    }
    out->value = (double)ip;
    out->ivalue = ip;
    out->is_int = true;
    if (nd > 1 && digits[0] == '0' && !thou) /* 0912..., 02: keep leading zeros */
        snprintf(out->canon, sizeof out->canon, "%.*s", (int)nd, digits);
    else
        snprintf(out->canon, sizeof out->canon, "%lld", (long long)ip);
    return true;
}

bool vi_parse_uint(const char *s, size_t n, int *out)
{
    int64_t v;
    if (n > 9 || !digits_value(s, n, &v))
        return false;
    *out = (int)v;
    return true;
}

static int year_of(const char *s, size_t n)
{
    int y;
    if (!vi_parse_uint(s, n, &y))
        return -1;
    if (n == 4 && y >= 1000 && y <= 2999)
        return y;
    if (n == 2)
        return y < 50 ? 2000 + y : 1900 + y;
    return -1;
}

static bool valid_dm(int d, int m)
{
    static const int mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m];
}

bool vi_parse_date(const struct vi_part *p, size_t np, char sep, struct vi_date *out)
{
    memset(out, 0, sizeof *out);
    int a, b;
    if (np == 3) {
        int c;
        if (!vi_parse_uint(p[0].s, p[0].n, &a) || !vi_parse_uint(p[1].s, p[1].n, &b))
            return false;
        if (sep == '-' && p[0].n == 4) { /* 2020-05-23 */
            if (!vi_parse_uint(p[2].s, p[2].n, &c) || !valid_dm(c, b))
                return false;
            out->year = year_of(p[0].s, p[0].n);
            out->month = b;
            out->day = c;
            return out->year > 0;
        }
        int y = year_of(p[2].s, p[2].n);
        if (y < 0 || !valid_dm(a, b) || p[0].n > 2 || p[1].n > 2)
            return false;
        out->day = a;
        out->month = b;
        out->year = y;
        return true;
    }
    if (np == 2) {
        if (!vi_parse_uint(p[0].s, p[0].n, &a))
            return false;
        if (p[1].n == 4) { /* 5/2020 */
            int y = year_of(p[1].s, p[1].n);
            if (y < 0 || a < 1 || a > 12 || p[0].n > 2)
                return false;
            out->month = a;
            out->year = y;
            return true;
        }
        if (!vi_parse_uint(p[1].s, p[1].n, &b) || p[0].n > 2 || p[1].n > 2 || !valid_dm(a, b))
            return false;
        out->day = a;
        out->month = b;
        return true;
    }
    return false;
}

bool vi_parse_time(const struct vi_part *p, size_t np, struct vi_time *out)
{
    memset(out, 0, sizeof *out);
    if (np < 1 || np > 3)
        return false;
    int v[3] = {0, 0, 0};
    for (size_t i = 0; i < np; i++) {
        if (p[i].n == 0 || p[i].n > 2 || (i > 0 && p[i].n != 2) ||
            !vi_parse_uint(p[i].s, p[i].n, &v[i]))
            return false;
    }
    if (v[0] > 24 || v[1] > 59 || v[2] > 59)
        return false;
    out->hour = v[0];
    out->minute = v[1];
    out->second = v[2];
    return true;
}

int vi_parse_roman(const char *s, size_t n)
{
    if (n == 0 || n > 15)
        return 0;
    int total = 0, prev = 0;
    for (size_t i = n; i-- > 0;) {
        int v;
        switch (s[i]) {
        case 'I':
            v = 1;
            break;
        case 'V':
            v = 5;
            break;
        case 'X':
            v = 10;
            break;
        case 'L':
            v = 50;
            break;
        case 'C':
            v = 100;
            break;
        case 'D':
            v = 500;
            break;
        case 'M':
            v = 1000;
            break;
        default:
            return 0;
        }
        if (v < prev)
            total -= v;
        else
            total += v, prev = v;
    }
    if (total <= 0 || total >= 4000)
        return 0;
    /* accept only the canonical spelling */
    static const int vals[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *const syms[] = {"M",  "CM", "D",  "CD", "C",  "XC", "L",
                                       "XL", "X",  "IX", "V",  "IV", "I"};
    char buf[32];
    size_t k = 0;
    int x = total;
    for (size_t i = 0; i < 13; i++)
        while (x >= vals[i]) {
            size_t l = strlen(syms[i]);
            if (k + l >= sizeof buf)
                return 0;
            memcpy(buf + k, syms[i], l);
            k += l;
            x -= vals[i];
        }
    return (k == n && memcmp(buf, s, n) == 0) ? total : 0;
}
