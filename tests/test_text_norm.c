/* test_text_norm.c - kt_text normalization: canonical tones, NFD, Ð, invisible characters,
 * punctuation, case and accent folding, the syllable rule over the seed texts. */
#include "common/kt_text.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANON KT_NORM_CANONICAL
#define TERM  (KT_NORM_CANONICAL | KT_NORM_CASEFOLD)
#define FOLD  (KT_NORM_CASEFOLD | KT_NORM_ACCENTFOLD)

static const struct {
    const char *in;
    unsigned flags;
    const char *want;
} norm_cases[] = {
    /* both tone styles of open oa / oe / uy meet in the old style */
    {"hoà", CANON, "hòa"},
    {"hòa", CANON, "hòa"},
    {"khoẻ", CANON, "khỏe"},
    {"khỏe", CANON, "khỏe"},
    {"thuỷ", CANON, "thủy"},
    {"thủy", CANON, "thủy"},
    {"uỷ", CANON, "ủy"},
    {"ủy", CANON, "ủy"},
    {"Thuỵ", CANON, "Thụy"},
    {"Thụy", CANON, "Thụy"},
    {"loà", CANON, "lòa"},
    {"lòa", CANON, "lòa"},
    {"Hoà Bình", CANON, "Hòa Bình"},
    {"HOÀ", CANON, "HÒA"},
    {"Thành uỷ", CANON, "Thành ủy"},
    {"tuỳ", CANON, "tùy"},
    {"xoè", CANON, "xòe"},
    {"hoạ", CANON, "họa"},
    {"luỹ", CANON, "lũy"},
    /* syllables that must stay as they are */
    {"quý", CANON, "quý"},
    {"hoàng", CANON, "hoàng"},
    {"toán", CANON, "toán"},
    {"thuyền", CANON, "thuyền"},
    {"khuya", CANON, "khuya"},
    {"giữa", CANON, "giữa"},
    {"quả", CANON, "quả"},
    {"quốc", CANON, "quốc"},
    {"người", CANON, "người"},
    {"rượu", CANON, "rượu"},
    {"khuỷu", CANON, "khuỷu"},
    {"hoài", CANON, "hoài"},
    {"xoáy", CANON, "xoáy"},
    {"huỳnh", CANON, "huỳnh"},
    {"thuở", CANON, "thuở"},
    {"gì", CANON, "gì"},
    {"gìn", CANON, "gìn"},
    {"già", CANON, "già"},
    {"giúp", CANON, "giúp"},
    {"mùa", CANON, "mùa"},
    {"của", CANON, "của"},
    {"nghiêng", CANON, "nghiêng"},
    {"Nguyễn", CANON, "Nguyễn"},
    {"yêu", CANON, "yêu"},
    {"quỳnh", CANON, "quỳnh"},
    {"khuấy", CANON, "khuấy"},
    {"tuổi", CANON, "tuổi"},
    /* misplaced tones are repaired, foreign words left alone */
    {"qúa", CANON, "quá"},
    {"hòang", CANON, "hoàng"},
    {"gìa", CANON, "già"},
    {"José", CANON, "José"},
    {"café", CANON, "café"},
    {"hóà", CANON, "hóà"},
    /* display normalization keeps the publisher's tone placement */
    {"hoà khoẻ", KT_NORM_DISPLAY, "hoà khoẻ"},
    /* NFD input composes to NFC (and then the tone rule applies) */
    {"hoa\xcc\x80", CANON, "hòa"},
    {"ho\xcc\x80"
     "a",
     CANON, "hòa"},
    {"Thu\xcc\x89y", CANON, "Thủy"},
    {"e\xcc\xa3\xcc\x82", KT_NORM_DISPLAY, "ệ"},
    {"u\xcc\x9b\xcc\x81", KT_NORM_DISPLAY, "ứ"},
    {"Vie\xcc\xa3\xcc\x82t Nam", KT_NORM_DISPLAY, "Việt Nam"},
    {"nu\xcc\x88", KT_NORM_DISPLAY, "nü"},
    {"b\xcc\x80", KT_NORM_DISPLAY, "b\xcc\x80"},
    /* Ð and ð (Icelandic eth, often typed for Đ) */
    {"ÐẢNG", KT_NORM_DISPLAY, "ĐẢNG"},
    {"ðảng", KT_NORM_DISPLAY, "đảng"},
    /* invisible characters and spaces */
    {"Hà\xc2\xa0Nội", KT_NORM_DISPLAY, "Hà Nội"},
    {"Hà\xe2\x80\xafNội", KT_NORM_DISPLAY, "Hà Nội"},
    {"thu\xc2\xadỷ", CANON, "thủy"},
    {"Nội\xe2\x80\x8b", KT_NORM_DISPLAY, "Nội"},
    {"\xef\xbb\xbfHà", KT_NORM_DISPLAY, "Hà"},
    {"a\xe2\x80\x8d"
     "b",
     KT_NORM_DISPLAY, "ab"},
    {"a\x01"
     "b",
     KT_NORM_DISPLAY, "a b"},
    {"a\tb\nc", KT_NORM_DISPLAY, "a\tb\nc"},
    {"a\xe2\x80\xa8"
     "b",
     KT_NORM_DISPLAY, "a\nb"},
    /* typographic punctuation */
    {"\xe2\x80\x9cnhiệm vụ kép\xe2\x80\x9d", CANON, "\"nhiệm vụ kép\""},
    {"\xe2\x80\x98x\xe2\x80\x99", CANON, "'x'"},
    {"2020\xe2\x80\x93"
     "2025",
     CANON, "2020-2025"},
    {"a \xe2\x80\x94 b", CANON, "a - b"},
    {"chờ\xe2\x80\xa6", CANON, "chờ..."},
    {"\xe2\x80\x9cx\xe2\x80\x9d", KT_NORM_DISPLAY, "\xe2\x80\x9cx\xe2\x80\x9d"},
    /* invalid UTF-8 becomes U+FFFD */
    {"a\xff"
     "b",
     KT_NORM_DISPLAY,
     "a\xef\xbf\xbd"
     "b"},
    {"\xe1\xbb", KT_NORM_DISPLAY, "\xef\xbf\xbd"},
    {"\xc0\xaf", KT_NORM_DISPLAY, "\xef\xbf\xbd\xef\xbf\xbd"},
    /* case folding */
    {"HÀ NỘI", TERM, "hà nội"},
    {"ĐẢNG", TERM, "đảng"},
    {"THUỶ", TERM, "thủy"},
    {"Straße", KT_NORM_CASEFOLD, "strasse"},
    {"ÉCOLE", KT_NORM_CASEFOLD, "école"},
    {"ΣΊΣΥΦΟΣ", KT_NORM_CASEFOLD, "σίσυφοσ"},
    /* accent folding */
    {"Thường Tín", FOLD, "thuong tin"},
    {"Đảng", FOLD, "dang"},
    {"ÐÀ", FOLD, "da"},
    {"über", FOLD, "uber"},
    {"Nguyễn Thị Ánh", FOLD, "nguyen thi anh"},
    {"hoa\xcc\x80", FOLD, "hoa"},
    {"Ê-đê", FOLD, "e-de"},
    {"", CANON, ""},
};

static void test_normalize_table(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    struct kt_err err = {0};
    for (size_t i = 0; i < sizeof norm_cases / sizeof norm_cases[0]; i++) {
        kt_buf_reset(&b);
        assert_int_equal(kt_text_normalize(norm_cases[i].in, strlen(norm_cases[i].in),
                                           norm_cases[i].flags, &b, &err),
                         KT_OK);
        if (strcmp(b.data ? b.data : "", norm_cases[i].want) != 0)
            fail_msg("case %zu: normalize(\"%s\", %u) = \"%s\", want \"%s\"", i, norm_cases[i].in,
                     norm_cases[i].flags, b.data, norm_cases[i].want);
    }
    kt_buf_free(&b);
}

static const struct {
    const char *in;
    bool want;
} diacritic_cases[] = {
    {"tin", false}, {"tín", true},         {"TIN", false},  {"Đ", true},
    {"d", false},   {"ti\xcc\x81n", true}, {"über", true},  {"thuong tin", false},
    {"ơ", true},    {"2020", false},       {"\xff", false},
};

static void test_has_diacritics(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof diacritic_cases / sizeof diacritic_cases[0]; i++)
        if (kt_text_has_diacritics(diacritic_cases[i].in, strlen(diacritic_cases[i].in)) !=
            diacritic_cases[i].want)
            fail_msg("has_diacritics(\"%s\") != %d", diacritic_cases[i].in,
                     diacritic_cases[i].want);
}

/* Letters of a UTF-8 word; false when one is not a Vietnamese letter. */
static bool letters_of(const char *w, size_t n, struct kt_vn_letter *L, size_t *nl, size_t cap)
{
    *nl = 0;
    for (size_t p = 0; p < n;) {
        uint32_t cp;
        bool inv;
        p += kt_utf8_next((const unsigned char *)w + p, n - p, &cp, &inv);
        if (inv || *nl == cap || !kt_vn_letter_from_cp(cp, &L[*nl]))
            return false;
        (*nl)++;
    }
    return true;
}

static const struct {
    const char *word;
    bool syllable;
} syllable_cases[] = {
    {"quý", true},       {"nghiêng", true}, {"xyz", false},  {"hóà", false},
    {"strength", false}, {"ba", true},      {"fan", false},  {"uỷ", true},
    {"khuỷu", true},     {"aaaa", false},   {"đường", true}, {"gi", true},
};

static void test_syllable_rule(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof syllable_cases / sizeof syllable_cases[0]; i++) {
        struct kt_vn_letter L[16];
        size_t n;
        assert_true(letters_of(syllable_cases[i].word, strlen(syllable_cases[i].word), L, &n, 16));
        if (kt_vn_syllable_canon(L, n) != syllable_cases[i].syllable)
            fail_msg("syllable(\"%s\") != %d", syllable_cases[i].word, syllable_cases[i].syllable);
    }
    /* letter table round trip over the whole Vietnamese alphabet */
    for (uint32_t cp = 0xC0; cp <= 0x1EF9; cp++) {
        struct kt_vn_letter l;
        if (!kt_vn_letter_from_cp(cp, &l) || cp == 0xD0 || cp == 0xF0)
            continue;
        assert_int_equal(kt_vn_letter_to_cp(&l), cp);
    }
    struct kt_vn_letter eth;
    assert_true(kt_vn_letter_from_cp(0xD0, &eth));
    assert_int_equal(kt_vn_letter_to_cp(&eth), 0x110);
}

/* Moves the tone of an open 2-vowel oa/oe/uy syllable to the other vowel; false if n/a. */
static bool other_placement(struct kt_vn_letter *L, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        char a = L[i].base, b = L[i + 1].base;
        bool pair = (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
        if (!pair || L[i].mark || L[i + 1].mark || i + 2 != n)
            continue;
        if (i > 0 && L[i - 1].base == 'q' && a == 'u')
            return false; /* quy: the u is the onset */
        if (L[i].tone && !L[i + 1].tone) {
            L[i + 1].tone = L[i].tone;
            L[i].tone = 0;
            return true;
        }
        if (L[i + 1].tone && !L[i].tone) {
            L[i].tone = L[i + 1].tone;
            L[i + 1].tone = 0;
            return true;
        }
    }
    return false;
}

static void word_to_utf8(const struct kt_vn_letter *L, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += kt_utf8_put(kt_vn_letter_to_cp(&L[i]), out + k);
    out[k] = '\0';
}

static void test_tone_rule_over_seeds(void **state)
{
    (void)state;
    const char *dir = tu_shared_dir();
    if (!dir) {
        print_message("../shared absent: skipping the seed syllable check\n");
        skip();
    }
    static const char *const seeds[] = {"000_2d4fe57b214b6370", "001_ad322c174ecca104",
                                        "002_45975867c154957e", "003_4d24713858324835",
                                        "004_dfcabfe2559fad69"};
    size_t syllables = 0, pairs = 0;
    struct kt_buf a = {0}, b = {0}, c = {0};
    struct kt_err err = {0};
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        char rel[128];
        snprintf(rel, sizeof rel, "seeds/%s.txt", seeds[f]);
        char *path = tu_shared_path(rel);
        if (!path)
            continue;
        struct kt_buf text = {0};
        assert_int_equal(kt_read_file(path, 0, &text, &err), KT_OK);
        free(path);
        const char *s = text.data;
        size_t p = 0;
        while (p < text.len) {
            /* a word: a run of Vietnamese letters */
            size_t st = p;
            struct kt_vn_letter L[16];
            size_t n = 0;
            bool ok = true;
            while (p < text.len) {
                uint32_t cp;
                bool inv;
                size_t k = kt_utf8_next((const unsigned char *)s + p, text.len - p, &cp, &inv);
                struct kt_vn_letter l;
                if (inv || !kt_vn_letter_from_cp(cp, &l))
                    break;
                if (n < 16)
                    L[n++] = l;
                else
                    ok = false;
                p += k;
            }
            if (p == st) {
                uint32_t cp;
                bool inv;
                p += kt_utf8_next((const unsigned char *)s + p, text.len - p, &cp, &inv);
                continue;
            }
            if (!ok)
                continue;
            syllables++;
            kt_buf_reset(&a);
            kt_buf_reset(&b);
            assert_int_equal(kt_text_normalize(s + st, p - st, CANON, &a, &err), KT_OK);
            assert_int_equal(kt_text_normalize(a.data, a.len, CANON, &b, &err), KT_OK);
            if (strcmp(a.data, b.data) != 0)
                fail_msg("not idempotent: %.*s -> %s -> %s", (int)(p - st), s + st, a.data, b.data);
            if (other_placement(L, n)) {
                char alt[64];
                word_to_utf8(L, n, alt);
                kt_buf_reset(&c);
                assert_int_equal(kt_text_normalize(alt, strlen(alt), CANON, &c, &err), KT_OK);
                if (strcmp(a.data, c.data) != 0)
                    fail_msg("tone styles differ: %.*s -> %s but %s -> %s", (int)(p - st), s + st,
                             a.data, alt, c.data);
                pairs++;
            }
        }
        kt_buf_free(&text);
    }
    print_message("checked %zu syllables, %zu oa/oe/uy placements\n", syllables, pairs);
    assert_true(syllables > 1000);
    assert_true(pairs > 10);
    kt_buf_free(&a);
    kt_buf_free(&b);
    kt_buf_free(&c);
}

static void test_utf8_decoder(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len, consumed;
        uint32_t cp;
        bool invalid;
    } cases[] = {
        {"a", 1, 1, 'a', false},
        {"\xc3\xa0", 2, 2, 0xE0, false},
        {"\xe1\xbb\x87", 3, 3, 0x1EC7, false},
        {"\xf0\x9f\x98\x80", 4, 4, 0x1F600, false},
        {"\xe1\xbb", 2, 2, 0xFFFD, true},
        {"\xc0\x80", 2, 1, 0xFFFD, true},
        {"\xed\xa0\x80", 3, 1, 0xFFFD, true},
        {"\xf4\x90\x80\x80", 4, 1, 0xFFFD, true},
        {"\x80", 1, 1, 0xFFFD, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp;
        bool inv;
        size_t k = kt_utf8_next((const unsigned char *)cases[i].s, cases[i].len, &cp, &inv);
        assert_int_equal(k, cases[i].consumed);
        assert_int_equal(cp, cases[i].cp);
        assert_int_equal(inv, cases[i].invalid);
    }
    char out[4];
    assert_int_equal(kt_utf8_put(0xD800, out), 3); /* surrogate -> U+FFFD */
    assert_memory_equal(out, "\xef\xbf\xbd", 3);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_text_normalize(NULL, 3, 0, &b, &err), KT_EINVAL);
    assert_int_equal(kt_text_normalize(NULL, 0, 0, &b, &err), KT_OK);
    /* a long run of letters is not a syllable and is copied through */
    char longw[200];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(kt_text_normalize(longw, strlen(longw), CANON, &b, &err), KT_OK);
    assert_string_equal(b.data, longw);
    kt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table), cmocka_unit_test(test_has_diacritics),
        cmocka_unit_test(test_syllable_rule),   cmocka_unit_test(test_tone_rule_over_seeds),
        cmocka_unit_test(test_utf8_decoder),    cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
