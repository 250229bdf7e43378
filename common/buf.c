/* buf.c - struct kt_buf, a growable NUL-terminated byte buffer. */
#define _GNU_SOURCE /* memmem */
#include "kt_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kt_status kt_buf_reserve(struct kt_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return KT_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return KT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return KT_ENOMEM;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0'; /* a fresh allocation is terminated like every other state */
    return KT_OK;
}

kt_status kt_buf_append(struct kt_buf *b, const void *data, size_t len)
{
    if (kt_buf_reserve(b, len) != KT_OK)
        return KT_ENOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return KT_OK;
}

kt_status kt_buf_append_cstr(struct kt_buf *b, const char *s)
{
    return kt_buf_append(b, s, strlen(s));
}

kt_status kt_buf_append_byte(struct kt_buf *b, char c)
{
    return kt_buf_append(b, &c, 1);
}

kt_status kt_buf_printf(struct kt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return KT_EINVAL;
    if (kt_buf_reserve(b, (size_t)n) != KT_OK)
        return KT_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return KT_OK;
}

kt_status kt_buf_append_replacing(struct kt_buf *b, const char *data, size_t len,
                                  const char *needle, const char *with)
{
    size_t nlen = strlen(needle), wlen = strlen(with);
    const char *p = data, *end = data + len;
    for (const char *hit; nlen && (hit = memmem(p, (size_t)(end - p), needle, nlen));
         p = hit + nlen)
        if (kt_buf_append(b, p, (size_t)(hit - p)) != KT_OK ||
            kt_buf_append(b, with, wlen) != KT_OK)
            return KT_ENOMEM;
    return kt_buf_append(b, p, (size_t)(end - p));
}

void kt_buf_reset(struct kt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void kt_buf_free(struct kt_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *kt_buf_detach(struct kt_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
