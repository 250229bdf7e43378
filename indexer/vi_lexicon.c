/* vi_lexicon.c - the lexicon of multi-syllable words: a built-in list of titles and
 * organizations, an optional dictionary file, and the hash set that holds them. */
#include "indexer/vi_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static kt_status grow(struct vi_lexicon *lx)
{
    size_t cap = lx->cap ? lx->cap * 2 : 1024;
    struct vi_lex_entry *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return KT_ENOMEM;
    for (size_t i = 0; i < lx->cap; i++) {
        struct vi_lex_entry e = lx->slots[i];
        if (!e.flags)
            continue;
        size_t j = e.hash & (cap - 1);
        while (ns[j].flags)
            j = (j + 1) & (cap - 1);
        ns[j] = e;
    }
    free(lx->slots);
    lx->slots = ns;
    lx->cap = cap;
    return KT_OK;
}

kt_status vi_lex_add(struct vi_lexicon *lx, const char *key, size_t len, uint32_t flags)
{
    if (len == 0 || len > VI_TERM_MAX)
        return KT_OK;
    if ((lx->used + 1) * 2 > lx->cap && grow(lx) != KT_OK)
        return KT_ENOMEM;
    uint32_t h = hash_bytes(key, len);
    size_t j = h & (lx->cap - 1);
    while (lx->slots[j].flags) {
        struct vi_lex_entry *e = &lx->slots[j];
        if (e->hash == h && e->len == len && memcmp(lx->keys.data + e->off, key, len) == 0) {
            e->flags |= flags;
            return KT_OK;
        }
        j = (j + 1) & (lx->cap - 1);
    }
    size_t off = lx->keys.len;
    if (kt_buf_append(&lx->keys, key, len) != KT_OK)
        return KT_ENOMEM;
    unsigned bit = vi_lex_filter_bit(key, len);
    lx->filter[bit >> 6] |= 1ull << (bit & 63);
    lx->slots[j] = (struct vi_lex_entry){(uint32_t)off, (uint32_t)len, h, flags};
    lx->used++;
    return KT_OK;
}

uint32_t vi_lex_find(const struct vi_lexicon *lx, const char *key, size_t len)
{
    if (!lx->cap || len == 0)
        return 0;
    unsigned bit = vi_lex_filter_bit(key, len);
    if (!(lx->filter[bit >> 6] & (1ull << (bit & 63))))
        return 0;
    uint32_t h = hash_bytes(key, len);
    size_t j = h & (lx->cap - 1);
    while (lx->slots[j].flags) {
        const struct vi_lex_entry *e = &lx->slots[j];
        if (e->hash == h && e->len == len && memcmp(lx->keys.data + e->off, key, len) == 0)
            return e->flags;
        j = (j + 1) & (lx->cap - 1);
    }
    return 0;
}

void vi_lex_free(struct vi_lexicon *lx)
{
    free(lx->slots);
    kt_buf_free(&lx->keys);
    memset(lx, 0, sizeof *lx);
}

kt_status vi_lex_add_word(struct vi_lexicon *lx, const char *word, size_t len, struct kt_buf *tmp,
                          struct kt_err *err)
{
    kt_buf_reset(tmp);
    kt_status rc = kt_text_normalize(word, len, KT_NORM_CANONICAL | KT_NORM_CASEFOLD, tmp, err);
    if (rc != KT_OK)
        return rc;
    /* collapse whitespace runs to '_' and trim */
    size_t n = 0;
    bool gap = false;
    for (size_t i = 0; i < tmp->len; i++) {
        char c = tmp->data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '_') {
            gap = n > 0;
            continue;
        }
        if (gap)
            tmp->data[n++] = '_';
        gap = false;
        tmp->data[n++] = c;
    }
    tmp->len = n;
    if (n == 0)
        return KT_OK;
    for (size_t i = 0; i < n; i++)
        if (tmp->data[i] == '_' && vi_lex_add(lx, tmp->data, i, VI_LEX_PREFIX) != KT_OK)
            return kt_err_set(err, KT_ENOMEM, "lexicon: out of memory");
    if (vi_lex_add(lx, tmp->data, n, VI_LEX_WORD) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "lexicon: out of memory");
    return KT_OK;
}

/* Titles, bodies and recurring units of Hanoi party-building and local-government news. */
static const char *const builtin[] = {
    "bí thư",
    "phó bí thư",
    "phó bí thư thường trực",
    "bí thư thành ủy",
    "bí thư huyện ủy",
    "bí thư quận ủy",
    "bí thư thị ủy",
    "bí thư tỉnh ủy",
    "bí thư đảng ủy",
    "bí thư chi bộ",
    "bí thư đảng đoàn",
    "bí thư ban cán sự đảng",
    "bí thư đoàn",
    "tổng bí thư",
    "chủ tịch",
    "phó chủ tịch",
    "chủ tịch ubnd",
    "phó chủ tịch ubnd",
    "chủ tịch hđnd",
    "phó chủ tịch hđnd",
    "chủ tịch ủy ban nhân dân",
    "phó chủ tịch ủy ban nhân dân",
    "chủ tịch hội đồng nhân dân",
    "phó chủ tịch hội đồng nhân dân",
    "chủ tịch ủy ban mttq",
    "chủ tịch ủy ban mặt trận tổ quốc",
    "chủ tịch nước",
    "chủ tịch quốc hội",
    "thủ tướng",
    "phó thủ tướng",
    "thủ tướng chính phủ",
    "ủy viên",
    "ủy viên trung ương đảng",
    "ủy viên bộ chính trị",
    "ủy viên ban thường vụ",
    "ủy viên ban chấp hành",
    "ban thường vụ",
    "ban thường vụ thành ủy",
    "ban thường vụ huyện ủy",
    "ban thường vụ quận ủy",
    "ban chấp hành",
    "ban chấp hành đảng bộ",
    "ban chấp hành trung ương",
    "ban chỉ đạo",
    "trưởng ban chỉ đạo",
    "trưởng ban",
    "phó trưởng ban",
    "trưởng ban tuyên giáo",
    "trưởng ban tổ chức",
    "trưởng ban dân vận",
    "trưởng ban nội chính",
    "ban tổ chức",
    "ban tuyên giáo",
    "ban dân vận",
    "ban nội chính",
    "ban bí thư",
    "bộ chính trị",
    "ủy ban kiểm tra",
    "chủ nhiệm ủy ban kiểm tra",
    "phó chủ nhiệm ủy ban kiểm tra",
    "thành ủy",
    "huyện ủy",
    "quận ủy",
    "thị ủy",
    "tỉnh ủy",
    "đảng ủy",
    "đảng bộ",
    "chi bộ",
    "cấp ủy",
    "đảng viên",
    "hội đồng nhân dân",
    "ủy ban nhân dân",
    "mặt trận tổ quốc",
    "ủy ban mặt trận tổ quốc",
    "mặt trận tổ quốc việt nam",
    "đoàn thanh niên",
    "đoàn thanh niên cộng sản hồ chí minh",
    "hội liên hiệp phụ nữ",
    "hội nông dân",
    "hội cựu chiến binh",
    "liên đoàn lao động",
    "trung ương",
    "quốc hội",
    "đại biểu quốc hội",
    "đoàn đại biểu quốc hội",
    "chính phủ",
    "bộ trưởng",
    "thứ trưởng",
    "giám đốc",
    "phó giám đốc",
    "giám đốc sở",
    "chánh văn phòng",
    "văn phòng thành ủy",
    "thường trực",
    "thường trực thành ủy",
    "thường trực huyện ủy",
    "công an",
    "công an thành phố",
    "công an huyện",
    "quân sự",
    "bộ chỉ huy quân sự",
    "đại hội",
    "đại hội đảng bộ",
    "đại hội đại biểu",
    "đại hội đảng",
    "nhiệm kỳ",
    "nông thôn mới",
    "nông thôn mới nâng cao",
    "nông thôn mới kiểu mẫu",
    "xây dựng đảng",
    "chỉnh đốn đảng",
    "hệ thống chính trị",
    "bảo vệ chính trị nội bộ",
    "công tác cán bộ",
    "công tác nhân sự",
    "cải cách hành chính",
    "chuyển đổi số",
    "phòng chống dịch",
    "hà nội",
    "thành phố hà nội",
    "thủ đô",
    "thủ đô hà nội",
    "việt nam",
    "hồ chí minh",
    "thành phố hồ chí minh",
    "chủ tịch hồ chí minh",
    "chỉ thị",
    "nghị quyết",
    "nghị định",
    "quyết định",
    "kết luận",
    "chương trình",
    "thông tư",
    "kế hoạch",
    "quy định",
    "ủy ban",
    "mặt trận",
    "phụ nữ",
    "thanh niên",
    "cựu chiến binh",
    "nông dân",
};

kt_status vi_lex_builtin(struct vi_lexicon *lx, struct kt_buf *tmp, struct kt_err *err)
{
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        kt_status rc = vi_lex_add_word(lx, builtin[i], strlen(builtin[i]), tmp, err);
        if (rc != KT_OK)
            return rc;
    }
    return KT_OK;
}

kt_status vi_lex_load(struct vi_lexicon *lx, const char *path, struct kt_buf *tmp,
                      struct kt_err *err)
{
    struct kt_buf file = {0};
    kt_status rc = kt_read_file(path, 256u << 20, &file, err);
    if (rc != KT_OK)
        return kt_err_prefix(err, "dictionary");
    size_t line = 0;
    for (size_t p = 0; p < file.len && rc == KT_OK;) {
        const char *s = file.data + p;
        const char *nl = memchr(s, '\n', file.len - p);
        size_t n = nl ? (size_t)(nl - s) : file.len - p;
        p += n + 1;
        line++;
        if (n == 0 || s[0] == '#')
            continue;
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            bool inv;
            i += kt_utf8_next((const unsigned char *)s + i, n - i, &cp, &inv);
            if (inv) {
                rc = kt_err_set(err, KT_EPARSE, "dictionary %s:%zu: invalid UTF-8", path, line);
                break;
            }
        }
        if (rc == KT_OK)
            rc = vi_lex_add_word(lx, s, n, tmp, err);
    }
    kt_buf_free(&file);
    return rc;
}
