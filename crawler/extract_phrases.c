/* extract_phrases.c - recognisers for Vietnamese news boilerplate phrases (share buttons,
 * comment forms, related-news headings), caption labels, all-caps section headers and small
 * UTF-8 text helpers used by both the HTML and the plain-text extractors. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include "common/kt_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

const char *ex_fold(const char *s, size_t len, struct kt_buf *out)
{
    kt_buf_reset(out);
    if (kt_text_normalize(s, len, KT_NORM_CASEFOLD | KT_NORM_ASCII_PUNCT, out, NULL) != KT_OK)
        return NULL;
    /* trim and collapse spaces in place */
    char *p = out->data, *w = out->data;
    bool space = false;
    for (; p && *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = w != out->data;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *p;
    }
    if (!out->data)
        return NULL;
    *w = '\0';
    out->len = (size_t)(w - out->data);
    return out->data;
}

/* Whole-line boilerplate (after folding, trailing ':' '(*)' and counts removed). */
static const char *const boiler_exact[] = {"chia sẻ",
                                           "chia sẻ zalo",
                                           "chia sẻ facebook",
                                           "chia sẻ bài viết",
                                           "in bài",
                                           "in trang",
                                           "in",
                                           "gửi email",
                                           "gửi bài",
                                           "email",
                                           "bình luận",
                                           "gửi bình luận",
                                           "quảng cáo",
                                           "từ khóa",
                                           "từ khoá",
                                           "tags",
                                           "tag",
                                           "họ tên",
                                           "họ và tên",
                                           "số điện thoại",
                                           "điện thoại",
                                           "tiêu đề",
                                           "nội dung",
                                           "mã xác nhận",
                                           "lấy lại mã bảo mật",
                                           "mã bảo mật",
                                           "gửi",
                                           "gửi ý kiến",
                                           "về đầu trang",
                                           "lên đầu trang",
                                           "xem tin theo ngày",
                                           "trang chủ",
                                           "facebook",
                                           "zalo",
                                           "twitter",
                                           "bài viết xem",
                                           "đăng nhập",
                                           "đăng ký",
                                           "đọc tiếp",
                                           "xem thêm",
                                           "xem tiếp",
                                           "quay lại",
                                           "trở lại",
                                           "bản in",
                                           "lưu bài",
                                           "theo dõi",
                                           "thích",
                                           "tweet",
                                           "copy link",
                                           "sao chép liên kết",
                                           "nghe bài",
                                           "nghe đọc bài",
                                           "cỡ chữ",
                                           "a a a",
                                           "a- a a+",
                                           "rss",
                                           "liên hệ",
                                           "liên hệ quảng cáo",
                                           "tòa soạn",
                                           "gửi email bài viết",
                                           "in bài viết",
                                           "kinh tế đô thị cuối tuần",
                                           "hủy",
                                           "đóng",
                                           "xem",
                                           "ảnh",
                                           "video",
                                           "top",
                                           NULL};

/* Headings that introduce a block of other articles or a comment form. */
static const char *const section_heads[] = {"tin cùng chuyên mục",
                                            "tin đọc nhiều",
                                            "đọc nhiều",
                                            "tin xem nhiều",
                                            "xem nhiều",
                                            "bài đọc nhiều",
                                            "đọc nhiều nhất",
                                            "tin mới nhất",
                                            "tin mới",
                                            "tin mới đăng",
                                            "bài viết liên quan",
                                            "bài liên quan",
                                            "tin bài liên quan",
                                            "các bài mới đăng",
                                            "các bài đã đăng",
                                            "các bài khác",
                                            "các tin khác",
                                            "tin khác",
                                            "tin cùng loại",
                                            "có thể bạn quan tâm",
                                            "bạn có thể quan tâm",
                                            "viết bình luận",
                                            "ý kiến bạn đọc",
                                            "gửi ý kiến bình luận",
                                            "gửi bình luận",
                                            "bình luận",
                                            "ý kiến",
                                            "tiêu điểm",
                                            "tin nổi bật",
                                            "tin tiêu điểm",
                                            "tin nóng",
                                            "tin ảnh",
                                            "tin video",
                                            "tin theo ngày",
                                            "liên kết website",
                                            "cùng chuyên mục",
                                            "tin liên quan khác",
                                            "đọc thêm",
                                            "xem thêm",
                                            "tin xem nhiều nhất",
                                            "thống kê truy cập",
                                            "lịch sử tin bài",
                                            "lưu trữ",
                                            "chuyên mục",
                                            "liên kết",
                                            NULL};

static const char *const related_heads[] = {
    "tin liên quan", "bài viết liên quan", "tin bài liên quan", "xem thêm", "đọc thêm", NULL};

/* Line prefixes that make a short line boilerplate. */
static const char *const boiler_prefix[] = {"lượt xem",
                                            "chia sẻ:",
                                            "chia sẻ bài",
                                            "từ khóa:",
                                            "từ khoá:",
                                            "tags:",
                                            "tag:",
                                            "mã xác nhận",
                                            "họ tên:",
                                            "họ và tên",
                                            "bản quyền",
                                            "©",
                                            "copyright",
                                            "giấy phép số",
                                            "tổng biên tập",
                                            "phó tổng biên tập",
                                            "tòa soạn:",
                                            "địa chỉ:",
                                            "ghi rõ nguồn",
                                            "cơ quan chủ quản",
                                            "đường dây nóng",
                                            "hotline",
                                            "điện thoại:",
                                            "email:",
                                            "fax:",
                                            "số điện thoại",
                                            "ý kiến bạn đọc (",
                                            "bình luận (",
                                            "đang trực tuyến",
                                            "tổng lượt truy cập",
                                            "lượt truy cập",
                                            "chào mừng quý khách",
                                            NULL};

static size_t strip_tail(const char *s, size_t n)
{
    /* drop trailing ':', '(*)', '(0)'-style counts, spaces and dots */
    for (;;) {
        while (n && (s[n - 1] == ' ' || s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == '*' ||
                     s[n - 1] == '>' || s[n - 1] == '|'))
            n--;
        if (n >= 2 && s[n - 1] == ')') {
            size_t k = n - 1;
            while (k && s[k - 1] != '(' && n - k < 8)
                k--;
            if (k && s[k - 1] == '(') {
                bool ok = true;
                for (size_t q = k; q < n - 1; q++)
                    if (!(isdigit((unsigned char)s[q]) || s[q] == '*'))
                        ok = false;
                if (ok) {
                    n = k - 1;
                    continue;
                }
            }
        }
        break;
    }
    return n;
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
    /* s holds no NUL within n bytes (a folded string), so strncmp + the NUL check is strlen ==
     * n && memcmp == 0 without measuring every entry. */
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == s[0] && strncmp(list[i], s, n) == 0 && list[i][n] == '\0')
            return true;
    return false;
}

enum ex_phrase ex_phrase_kind(const char *s, size_t len)
{
    if (len == 0 || len > 400)
        return EXP_NONE;
    struct kt_buf f = {0};
    const char *t = ex_fold(s, len, &f);
    enum ex_phrase k = EXP_NONE;
    if (!t)
        goto out;
    size_t n = f.len;
    /* leading bullets */
    while (n && (t[0] == '-' || t[0] == '*' || t[0] == ' ' || (unsigned char)t[0] == 0xC2)) {
        if ((unsigned char)t[0] == 0xC2 && n >= 2 && (unsigned char)t[1] == 0xBB) {
            t += 2;
            n -= 2;
            continue;
        }
        if ((unsigned char)t[0] == 0xC2)
            break;
        t++;
        n--;
    }
    n = strip_tail(t, n);
    if (n == 0) {
        k = EXP_NONE;
        goto out;
    }
    if (in_list(t, n, related_heads))
        k = EXP_RELATED;
    else if (in_list(t, n, section_heads))
        k = EXP_SECTION;
    else if (in_list(t, n, boiler_exact))
        k = EXP_BOILER;
    else if (n < 160) {
        for (size_t i = 0; boiler_prefix[i]; i++) {
            size_t pl = strlen(boiler_prefix[i]);
            if (n >= pl && memcmp(t, boiler_prefix[i], pl) == 0) {
                k = EXP_BOILER;
                break;
            }
        }
        /* a run of share-button words: "chia sẻ facebook zalo in bài" */
        if (k == EXP_NONE && n < 80 && strncmp(t, "chia sẻ", strlen("chia sẻ")) == 0)
            k = EXP_BOILER;
        /* comment-form fields "Họ tên:(*) Email:(*)" */
        if (k == EXP_NONE && strstr(t, "(*)") && n < 80)
            k = EXP_BOILER;
    }
out:
    kt_buf_free(&f);
    return k;
}

bool ex_starts_with_ci(const char *s, size_t len, const char *prefix)
{
    struct kt_buf f = {0}, g = {0};
    const char *a = ex_fold(s, len < 200 ? len : 200, &f);
    const char *b = ex_fold(prefix, strlen(prefix), &g);
    bool r = a && b && strncmp(a, b, g.len) == 0;
    kt_buf_free(&f);
    kt_buf_free(&g);
    return r;
}

/* "Title - Ảnh 1", "Ảnh 2", "Hình 1" */
bool ex_is_caption_label(const char *s, size_t len)
{
    if (len < 5 || len > 400)
        return false;
    size_t n = len;
    while (n && (s[n - 1] == ' '))
        n--;
    size_t k = n;
    while (k && isdigit((unsigned char)s[k - 1]))
        k--;
    if (k == n || n - k > 3)
        return false;
    while (k && s[k - 1] == ' ')
        k--;
    static const char *const words[] = {"Ảnh", "ảnh", "Hình", "hình", "Photo", NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t wl = strlen(words[i]);
        if (k >= wl && memcmp(s + k - wl, words[i], wl) == 0) {
            size_t before = k - wl;
            return before == 0 || s[before - 1] == ' ' || s[before - 1] == '-';
        }
    }
    return false;
}

size_t ex_count_chars(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

size_t ex_count_commas(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == ';')
            c++;
    return c;
}

bool ex_is_all_caps_header(const char *s, size_t len)
{
    size_t letters = 0, upper = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        bool bad;
        size_t k = kt_utf8_next((const unsigned char *)s + i, len - i, &cp, &bad);
        if (u_isalpha((UChar32)cp)) {
            letters++;
            if (u_isupper((UChar32)cp))
                upper++;
        }
        i += k;
    }
    return letters >= 4 && upper == letters;
}

bool ex_ends_sentence(const char *s, size_t len)
{
    while (len && (s[len - 1] == ' '))
        len--;
    if (!len)
        return false;
    unsigned char c = (unsigned char)s[len - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '"' || c == ')' ||
        c == '\'')
        return true;
    /* … ” » */
    if (len >= 3) {
        const unsigned char *e = (const unsigned char *)s + len - 3;
        if (e[0] == 0xE2 && e[1] == 0x80 && (e[2] == 0xA6 || e[2] == 0x9D || e[2] == 0x99))
            return true;
    }
    if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 && c == 0xBB)
        return true;
    return false;
}

char *ex_strndup_trim(const char *s, size_t len)
{
    size_t a = 0, n = len;
    for (;;) {
        if (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
            a++;
        else if (a + 1 < n && (unsigned char)s[a] == 0xC2 && (unsigned char)s[a + 1] == 0xA0)
            a += 2;
        else
            break;
    }
    for (;;) {
        if (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
            n--;
        else if (n >= a + 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    char *r = malloc(n - a + 1);
    if (!r)
        return NULL;
    memcpy(r, s + a, n - a);
    r[n - a] = '\0';
    return r;
}
