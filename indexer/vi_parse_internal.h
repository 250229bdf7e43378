/* vi_parse_internal.h - value parsers used by the tokenizer (indexer/vi_parse.c). */
#ifndef KHOTIN_INDEXER_VI_PARSE_INTERNAL_H
#define KHOTIN_INDEXER_VI_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vi_number {
    double value;
    int64_t ivalue;
    bool is_int;
    char canon[48]; /* the value as the folded term: "7904513", "49.5", "0912" */
};

/* A digit group of a date/time: s[0..n). */
struct vi_part {
    const char *s;
    size_t n;
};

struct vi_date {
    int day, month, year;
};

struct vi_time {
    int hour, minute, second;
};

/* Vietnamese number: '.' groups thousands and ',' marks decimals (7.904.513, 49,5,
 * 1.234,5); English forms are accepted when unambiguous (3.5, 1,234,567). */
bool vi_parse_number(const char *s, size_t n, struct vi_number *out);
/* Up to 9 digits. */
bool vi_parse_uint(const char *s, size_t n, int *out);
/* d/m/y, y-m-d (sep '-', 4-digit first part), d/m, m/yyyy; validates the calendar. */
bool vi_parse_date(const struct vi_part *p, size_t np, char sep, struct vi_date *out);
/* h, h:mm, h:mm:ss (hour <= 24). */
bool vi_parse_time(const struct vi_part *p, size_t np, struct vi_time *out);
/* A canonical uppercase Roman numeral's value (1-3999), 0 otherwise. */
int vi_parse_roman(const char *s, size_t n);

#endif
