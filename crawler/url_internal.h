/* url_internal.h - helpers shared by the crawler's parsers (percent-encoding normalization,
 * ASCII case helpers, whitespace collapsing); not part of the public API. */
#ifndef KHOTIN_CRAWLER_URL_INTERNAL_H
#define KHOTIN_CRAWLER_URL_INTERNAL_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Appends s[0..len) to out with percent-encoding normalized: %xx of unreserved characters
 * decoded, other %xx uppercased, a '%' not followed by two hex digits encoded as %25, bytes
 * >= 0x80, controls, space and "<>\"\\^`{|}" encoded. Other characters are kept. */
kt_status kt_pct_normalize(const char *s, size_t len, struct kt_buf *out);

/* ASCII-only helpers (locale independent). */
char kt_ascii_lower(char c);
bool kt_ascii_ieq(const char *a, size_t alen, const char *b);         /* a[0..alen) == b */
bool kt_ascii_iprefix(const char *s, size_t len, const char *prefix); /* s starts with prefix */
bool kt_ascii_isspace(char c);

/* Appends text to out with runs of ASCII whitespace (and U+00A0) collapsed to one space;
 * *pending_space tracks a space owed between calls. Leading whitespace is dropped when out
 * is empty. */
kt_status kt_append_collapsed(struct kt_buf *out, const char *text, bool *pending_space);

/* Days since 1970-01-01 of a proleptic Gregorian civil date (month 1-12, day 1-31). */
int64_t kt_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Makes b->data a valid C string (allocating "" for an empty buffer). KT_OK or KT_ENOMEM. */
kt_status kt_buf_terminate(struct kt_buf *b);

/* Duplicates s (or s[0..len)); NULL on allocation failure. */
char *kt_strndup0(const char *s, size_t len);

#endif
