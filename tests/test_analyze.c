/* test_analyze.c - the Vietnamese tokenizer: token kinds, parsed values, forms, flags,
 * offsets and sentences, on embedded sentences and on the seed articles. */
#include "indexer/vi_analyze.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vi_analyzer *new_analyzer(void)
{
    vi_analyzer *an = NULL;
    struct kt_err err = {0};
    assert_int_equal(vi_analyzer_new(NULL, &an, &err), KT_OK);
    assert_non_null(an);
    return an;
}

static void collect(vi_analyzer *an, const char *text, struct vi_tokens *t)
{
    struct kt_err err = {0};
    if (vi_tokens_collect(an, text, strlen(text), t, &err) != KT_OK)
        fail_msg("analyze \"%s\": %s", text, err.msg);
}

/* "kind:surface kind:surface ..." for all tokens */
static void describe(const char *text, const struct vi_tokens *t, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->n && k < cap; i++)
        k +=
            (size_t)snprintf(out + k, cap - k, "%s%s:%.*s", i ? " " : "",
                             vi_token_kind_str(t->v[i].kind), (int)t->v[i].len, text + t->v[i].off);
}

static const struct {
    const char *text;
    const char *want;
} kind_cases[] = {
    {"Thành ủy Hà Nội", "word:Thành word:ủy word:Hà word:Nội"},
    {"có 7.904.513 người", "word:có number:7.904.513 word:người"},
    {"đạt 49,5 triệu đồng", "word:đạt number:49,5 word:triệu word:đồng"},
    {"tăng 40,7%.", "word:tăng percent:40,7% punct:."},
    {"28/28 xã", "fraction:28/28 word:xã"},
    {"ngày 23/5/2020", "word:ngày date:23/5/2020"},
    {"Ngày 25/5, đồng chí", "word:Ngày date:25/5 punct:, word:đồng word:chí"},
    {"từ 27 đến 29/7/2020", "word:từ number:27 word:đến date:29/7/2020"},
    {"28-30/7/2020", "date:28-30/7/2020"},
    {"lúc 16:30", "word:lúc time:16:30"},
    {"16h30 sáng", "time:16h30 word:sáng"},
    {"nhiệm kỳ 2020-2025", "word:nhiệm word:kỳ range:2020-2025"},
    {"nhiệm kỳ 2020–2025", "word:nhiệm word:kỳ range:2020–2025"},
    {"lần thứ XXIV", "word:lần word:thứ roman:XXIV"},
    {"khóa XIII", "word:khóa roman:XIII"},
    {"quý I năm", "word:quý roman:I word:năm"},
    {"Chỉ thị 11-CT/HU", "word:Chỉ word:thị code:11-CT/HU"},
    {"Chương trình 02-CTr/TU của", "word:Chương word:trình code:02-CTr/TU word:của"},
    {"Nghị định 84/2019/NĐ-CP", "word:Nghị word:định code:84/2019/NĐ-CP"},
    {"Kế hoạch 84-KH/HU", "word:Kế word:hoạch code:84-KH/HU"},
    {"dịch COVID-19", "word:dịch code:COVID-19"},
    {"Covid-19", "code:Covid-19"},
    {"UBND huyện", "abbr:UBND word:huyện"},
    {"HĐND, MTTQ", "abbr:HĐND punct:, abbr:MTTQ"},
    {"Ban Chấp hành T.Ư Đảng", "word:Ban word:Chấp word:hành abbr:T.Ư word:Đảng"},
    {"TP. Hà Nội", "abbr:TP. word:Hà word:Nội"},
    {"TP.HCM và Tp.HCM", "abbr:TP.HCM word:và abbr:Tp.HCM"},
    {"ở TP.HCM.", "word:ở abbr:TP.HCM punct:."},
    {"TS. Nguyễn", "abbr:TS. word:Nguyễn"},
    {"xem https://hanoimoi.vn/a-b.html.", "word:xem url:https://hanoimoi.vn/a-b.html punct:."},
    {"(www.kinhtedothi.vn)", "punct:( url:www.kinhtedothi.vn punct:)"},
    {"Theo dangcongsan.vn", "word:Theo url:dangcongsan.vn"},
    {"email: ban.tg@hanoi.gov.vn,", "word:email punct:: email:ban.tg@hanoi.gov.vn punct:,"},
    {"F0 và U23", "alnum:F0 word:và alnum:U23"},
    {"Tín.Phó Bí thư", "word:Tín punct:. word:Phó word:Bí word:thư"},
    {"\"nhiệm vụ kép\"", "punct:\" word:nhiệm word:vụ word:kép punct:\""},
    {"“Hà Nội”", "punct:“ word:Hà word:Nội punct:”"},
    {"chờ...", "word:chờ punct:..."},
    {"a, b; c!", "word:a punct:, word:b punct:; word:c punct:!"},
    {"1, 2, 3", "number:1 punct:, number:2 punct:, number:3"},
    {"Hà-Nội", "word:Hà punct:- word:Nội"},
    {"và/hoặc", "word:và punct:/ word:hoặc"},
    {"0912.345.678", "code:0912.345.678"},
    {"1.234,5 tỷ", "number:1.234,5 word:tỷ"},
    {"100%", "percent:100%"},
    {"Hà\xe2\x80\x8bNội", "word:Hà\xe2\x80\x8bNội"},
    {"Hà\xc2\xa0Nội", "word:Hà word:Nội"},
    {"Tha\xcc\x80nh u\xcc\x89y", "word:Tha\xcc\x80nh word:u\xcc\x89y"},
    {"北京 Hà", "word:北京 word:Hà"},
    {"", ""},
    {"   \n\n  ", ""},
};

static void test_kinds(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    char got[2048];
    for (size_t i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++) {
        collect(an, kind_cases[i].text, &t);
        describe(kind_cases[i].text, &t, got, sizeof got);
        if (strcmp(got, kind_cases[i].want) != 0)
            fail_msg("\"%s\":\n  got  %s\n  want %s", kind_cases[i].text, got, kind_cases[i].want);
    }
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

/* The first token whose kind is k. */
static const struct vi_token *first_of(const struct vi_tokens *t, enum vi_token_kind k)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].kind == k)
            return &t->v[i];
    return NULL;
}

static const struct {
    const char *text;
    enum vi_token_kind kind;
    double value;
    bool is_int;
    const char *fold;
} number_cases[] = {
    {"7.904.513", VI_TOK_NUMBER, 7904513, true, "7904513"},
    {"49,5", VI_TOK_NUMBER, 49.5, false, "49.5"},
    {"40,7%", VI_TOK_PERCENT, 40.7, false, "40.7"},
    {"1.234,56", VI_TOK_NUMBER, 1234.56, false, "1234.56"},
    {"2020", VI_TOK_NUMBER, 2020, true, "2020"},
    {"3.5", VI_TOK_NUMBER, 3.5, false, "3.5"},
    {"1,234,567", VI_TOK_NUMBER, 1234567, true, "1234567"},
    {"69,0%", VI_TOK_PERCENT, 69, true, "69"},
    {"02", VI_TOK_NUMBER, 2, true, "02"},
    {"100%", VI_TOK_PERCENT, 100, true, "100"},
    {"13,33%", VI_TOK_PERCENT, 13.33, false, "13.33"},
    {"1.000", VI_TOK_NUMBER, 1000, true, "1000"},
};

static void test_numbers(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    for (size_t i = 0; i < sizeof number_cases / sizeof number_cases[0]; i++) {
        collect(an, number_cases[i].text, &t);
        const struct vi_token *k = first_of(&t, number_cases[i].kind);
        if (!k)
            fail_msg("\"%s\": no %s token", number_cases[i].text,
                     vi_token_kind_str(number_cases[i].kind));
        if (fabs(k->v.num.value - number_cases[i].value) > 1e-9)
            fail_msg("\"%s\": value %g, want %g", number_cases[i].text, k->v.num.value,
                     number_cases[i].value);
        assert_int_equal(k->v.num.is_int, number_cases[i].is_int);
        if (number_cases[i].is_int)
            assert_int_equal(k->v.num.ivalue, (int64_t)number_cases[i].value);
        assert_string_equal(k->fold, number_cases[i].fold);
    }
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

static const struct {
    const char *text;
    int day, month, year, day_first;
    bool ambiguous;
} date_cases[] = {
    {"23/5/2020", 23, 5, 2020, 0, false}, {"25/5", 25, 5, 0, 0, true},
    {"29/7/2020", 29, 7, 2020, 0, false}, {"27-29/7/2020", 29, 7, 2020, 27, false},
    {"5/2020", 0, 5, 2020, 0, false},     {"2020-05-23", 23, 5, 2020, 0, false},
    {"1/1/21", 1, 1, 2021, 0, false},     {"31/12/1999", 31, 12, 1999, 0, false},
    {"23.5.2020", 23, 5, 2020, 0, false}, {"19/3", 19, 3, 0, 0, true},
};

static void test_dates(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
        collect(an, date_cases[i].text, &t);
        const struct vi_token *k = first_of(&t, VI_TOK_DATE);
        if (!k)
            fail_msg("\"%s\": not a date", date_cases[i].text);
        assert_int_equal(k->v.date.day, date_cases[i].day);
        assert_int_equal(k->v.date.month, date_cases[i].month);
        assert_int_equal(k->v.date.year, date_cases[i].year);
        assert_int_equal(k->v.date.day_first, date_cases[i].day_first);
        assert_int_equal((k->flags & VI_TF_AMBIGUOUS) != 0, date_cases[i].ambiguous);
    }
    /* not dates */
    static const char *const not_dates[] = {"28/28", "32/1", "31/2", "0/5"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
        collect(an, not_dates[i], &t);
        if (first_of(&t, VI_TOK_DATE))
            fail_msg("\"%s\" must not be a date", not_dates[i]);
    }
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

static void test_other_values(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    const struct vi_token *k;
    collect(an, "28/28", &t);
    assert_non_null(k = first_of(&t, VI_TOK_FRACTION));
    assert_int_equal(k->v.frac.num, 28);
    assert_int_equal(k->v.frac.den, 28);
    collect(an, "22/54 xã", &t);
    assert_non_null(k = first_of(&t, VI_TOK_FRACTION));
    assert_int_equal(k->v.frac.num, 22);
    assert_int_equal(k->v.frac.den, 54);
    collect(an, "16:30", &t);
    assert_non_null(k = first_of(&t, VI_TOK_TIME));
    assert_int_equal(k->v.time.hour, 16);
    assert_int_equal(k->v.time.minute, 30);
    collect(an, "8h", &t);
    assert_non_null(k = first_of(&t, VI_TOK_TIME));
    assert_int_equal(k->v.time.hour, 8);
    collect(an, "10:25:07", &t);
    assert_non_null(k = first_of(&t, VI_TOK_TIME));
    assert_int_equal(k->v.time.second, 7);
    collect(an, "25:99", &t);
    assert_null(first_of(&t, VI_TOK_TIME));
    collect(an, "2020-2025", &t);
    assert_non_null(k = first_of(&t, VI_TOK_RANGE));
    assert_int_equal(k->v.range.lo, 2020);
    assert_int_equal(k->v.range.hi, 2025);
    collect(an, "lần thứ XXIV", &t);
    assert_non_null(k = first_of(&t, VI_TOK_ROMAN));
    assert_int_equal(k->v.roman, 24);
    collect(an, "Đại hội XIII", &t);
    assert_non_null(k = first_of(&t, VI_TOK_ROMAN));
    assert_int_equal(k->v.roman, 13);
    /* Roman letters out of context stay words */
    collect(an, "VI PHẠM", &t);
    assert_null(first_of(&t, VI_TOK_ROMAN));
    collect(an, "ông V", &t);
    assert_null(first_of(&t, VI_TOK_ROMAN));
    collect(an, "IIII", &t);
    assert_null(first_of(&t, VI_TOK_ROMAN));
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

static const struct {
    const char *text;
    const char *canon, *norm, *fold;
    uint32_t flags_set, flags_clear;
} form_cases[] = {
    {"Thành", "Thành", "thành", "thanh", VI_TF_CAPITALIZED | VI_TF_DIACRITIC | VI_TF_VIETNAMESE,
     VI_TF_ALLCAPS},
    {"uỷ", "ủy", "ủy", "uy", VI_TF_DIACRITIC | VI_TF_VIETNAMESE, VI_TF_CAPITALIZED},
    {"ỦY", "ỦY", "ủy", "uy", VI_TF_ALLCAPS | VI_TF_CAPITALIZED, 0},
    {"THUỶ", "THỦY", "thủy", "thuy", VI_TF_ALLCAPS, 0},
    {"Hoà", "Hòa", "hòa", "hoa", VI_TF_CAPITALIZED, 0},
    {"hoa\xcc\x80", "hòa", "hòa", "hoa", VI_TF_DIACRITIC, 0},
    {"ÐẢNG", "ĐẢNG", "đảng", "dang", VI_TF_ALLCAPS | VI_TF_DIACRITIC, 0},
    {"đường", "đường", "đường", "duong", VI_TF_DIACRITIC, 0},
    {"tin", "tin", "tin", "tin", VI_TF_VIETNAMESE, VI_TF_DIACRITIC},
    {"HĐND", "HĐND", "hđnd", "hdnd", VI_TF_ALLCAPS | VI_TF_DIACRITIC, VI_TF_VIETNAMESE},
    {"TP.HCM", "TP.HCM", "tp.hcm", "tp.hcm", VI_TF_ALLCAPS, 0},
    {"TP.", "TP.", "tp", "tp", VI_TF_ALLCAPS, 0},
    {"T.Ư", "T.Ư", "t.ư", "t.u", VI_TF_ALLCAPS, 0},
    {"84/2019/NĐ-CP", "84/2019/NĐ-CP", "84/2019/nđ-cp", "84/2019/nd-cp", VI_TF_DIACRITIC, 0},
    {"thu\xc2\xadỷ", "thủy", "thủy", "thuy", VI_TF_DIACRITIC, 0},
    {"Kinhtedothi", "Kinhtedothi", "kinhtedothi", "kinhtedothi", VI_TF_CAPITALIZED,
     VI_TF_VIETNAMESE},
    {"Straße", "Straße", "strasse", "strasse", VI_TF_CAPITALIZED, 0},
    {"H\xff", "H\xef\xbf\xbd", "h\xef\xbf\xbd", "h\xef\xbf\xbd", VI_TF_INVALID, 0},
};

static void test_forms_and_flags(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    for (size_t i = 0; i < sizeof form_cases / sizeof form_cases[0]; i++) {
        collect(an, form_cases[i].text, &t);
        if (t.n != 1)
            fail_msg("\"%s\": %zu tokens", form_cases[i].text, t.n);
        const struct vi_token *k = &t.v[0];
        if (strcmp(k->canon, form_cases[i].canon) || strcmp(k->norm, form_cases[i].norm) ||
            strcmp(k->fold, form_cases[i].fold))
            fail_msg("\"%s\": %s | %s | %s", form_cases[i].text, k->canon, k->norm, k->fold);
        if ((k->flags & form_cases[i].flags_set) != form_cases[i].flags_set ||
            (k->flags & form_cases[i].flags_clear))
            fail_msg("\"%s\": flags 0x%x", form_cases[i].text, k->flags);
        assert_int_equal(k->off, 0);
        assert_int_equal(k->len, strlen(form_cases[i].text));
    }
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

static const struct {
    const char *text;
    unsigned sentences;
} sentence_cases[] = {
    {"Một câu.", 1},
    {"Câu một. Câu hai.", 2},
    {"Câu một! Câu hai? Ba", 3},
    {"Tiêu đề\n\nĐoạn một.", 2},
    {"Ông A. Nguyễn đến.", 1},
    {"ở TP. Hà Nội.", 1},
    {"Thường Tín.Phó Bí thư", 2},
    {"Anh nói: “Xong.” Rồi đi.", 2},
    {"Chờ... Rồi", 2},
    {"", 0},
};

static void test_sentences(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    for (size_t i = 0; i < sizeof sentence_cases / sizeof sentence_cases[0]; i++) {
        collect(an, sentence_cases[i].text, &t);
        unsigned n = t.n ? t.v[t.n - 1].sentence + 1 : 0;
        if (n != sentence_cases[i].sentences)
            fail_msg("\"%s\": %u sentences, want %u", sentence_cases[i].text, n,
                     sentence_cases[i].sentences);
        for (size_t j = 0; j < t.n; j++) {
            bool start = j == 0 || t.v[j].sentence != t.v[j - 1].sentence;
            assert_int_equal((t.v[j].flags & VI_TF_SENT_START) != 0, start);
        }
    }
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

static kt_status stop_after_two(void *ud, const struct vi_token *tok)
{
    (void)tok;
    int *n = ud;
    return ++*n >= 2 ? KT_EINTERRUPTED : KT_OK;
}

static void test_offsets_positions_and_callbacks(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    const char *text = "Ngày 25/5, đồng chí Ngô Thị Thanh Hằng, Ủy viên T.Ư Đảng.";
    collect(an, text, &t);
    uint32_t pos = 0;
    for (size_t i = 0; i < t.n; i++) {
        assert_int_equal(t.v[i].index, i);
        assert_true(t.v[i].off + t.v[i].len <= strlen(text));
        if (t.v[i].kind == VI_TOK_PUNCT) {
            assert_int_equal(t.v[i].pos, 0);
        } else {
            assert_int_equal(t.v[i].pos, ++pos);
        }
        if (i > 0)
            assert_true(t.v[i].off >= t.v[i - 1].off + t.v[i - 1].len);
    }
    assert_memory_equal(text + t.v[5].off, "Ngô", t.v[5].len);
    /* NFD text: offsets are into the NFD bytes */
    const char *nfd = "Tha\xcc\x80nh u\xcc\x89y";
    collect(an, nfd, &t);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.v[1].off, 8);
    assert_int_equal(t.v[1].len, 4);
    assert_string_equal(t.v[1].norm, "ủy");
    /* a callback status stops the analysis and is returned */
    int n = 0;
    struct kt_err err = {0};
    assert_int_equal(vi_analyze(an, "a b c d", 7, stop_after_two, &n, &err), KT_EINTERRUPTED);
    assert_int_equal(n, 2);
    assert_int_equal(vi_analyze(an, NULL, 3, stop_after_two, &n, &err), KT_EINVAL);
    assert_int_equal(vi_analyze(NULL, "a", 1, stop_after_two, &n, &err), KT_EINVAL);
    for (int k = 0; k <= VI_TOK_KIND_LAST; k++)
        assert_non_null(vi_token_kind_str((enum vi_token_kind)k));
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

/* Sentences of the seed articles and what they must contain. */
static const struct {
    const char *seed;
    const char *needle; /* a sentence fragment in that seed */
    enum vi_token_kind kind;
    const char *surface;
} seed_cases[] = {
    {"000_2d4fe57b214b6370", "huyện đã có 28/28 xã", VI_TOK_FRACTION, "28/28"},
    {"000_2d4fe57b214b6370", "Chương trình 02-CTr/TU", VI_TOK_CODE, "02-CTr/TU"},
    {"000_2d4fe57b214b6370", "lần thứ XXIV", VI_TOK_ROMAN, "XXIV"},
    {"000_2d4fe57b214b6370", "nhiệm kỳ 2020-2025", VI_TOK_RANGE, "2020-2025"},
    {"000_2d4fe57b214b6370", "đạt 49,5 triệu đồng", VI_TOK_NUMBER, "49,5"},
    {"000_2d4fe57b214b6370", "Ngày 25/5", VI_TOK_DATE, "25/5"},
    {"000_2d4fe57b214b6370", "Chủ tịch UBND huyện", VI_TOK_ABBR, "UBND"},
};

static void test_seed_sentences(void **state)
{
    (void)state;
    if (!tu_shared_dir()) {
        print_message("../shared absent: skipping the seed article checks\n");
        skip();
    }
    vi_analyzer *an = new_analyzer();
    struct vi_tokens t = {0};
    struct kt_err err = {0};
    size_t tokens = 0, files = 0;
    static const char *const seeds[] = {"000_2d4fe57b214b6370", "001_ad322c174ecca104",
                                        "002_45975867c154957e", "003_4d24713858324835",
                                        "004_dfcabfe2559fad69"};
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        char rel[128];
        snprintf(rel, sizeof rel, "seeds/%s.txt", seeds[f]);
        char *path = tu_shared_path(rel);
        if (!path)
            continue;
        struct kt_buf text = {0};
        assert_int_equal(kt_read_file(path, 0, &text, &err), KT_OK);
        free(path);
        files++;
        assert_int_equal(vi_tokens_collect(an, text.data, text.len, &t, &err), KT_OK);
        tokens += t.n;
        for (size_t i = 0; i < t.n; i++) {
            assert_true(t.v[i].off + t.v[i].len <= text.len);
            assert_true(t.v[i].norm_len > 0);
            assert_int_equal(t.v[i].flags & VI_TF_INVALID, 0);
        }
        for (size_t c = 0; c < sizeof seed_cases / sizeof seed_cases[0]; c++) {
            if (strcmp(seed_cases[c].seed, seeds[f]) != 0)
                continue;
            const char *at = strstr(text.data, seed_cases[c].needle);
            if (!at)
                fail_msg("%s lacks \"%s\"", seeds[f], seed_cases[c].needle);
            bool found = false;
            for (size_t i = 0; i < t.n && !found; i++)
                found = t.v[i].kind == seed_cases[c].kind &&
                        t.v[i].off >= (size_t)(at - text.data) &&
                        t.v[i].off < (size_t)(at - text.data) + strlen(seed_cases[c].needle) &&
                        t.v[i].len == strlen(seed_cases[c].surface) &&
                        memcmp(text.data + t.v[i].off, seed_cases[c].surface, t.v[i].len) == 0;
            if (!found)
                fail_msg("%s: \"%s\" gives no %s token \"%s\"", seeds[f], seed_cases[c].needle,
                         vi_token_kind_str(seed_cases[c].kind), seed_cases[c].surface);
        }
        kt_buf_free(&text);
    }
    print_message("%zu seed files, %zu tokens\n", files, tokens);
    assert_true(tokens > 5000);
    vi_tokens_free(&t);
    vi_analyzer_free(an);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_other_values),
        cmocka_unit_test(test_forms_and_flags),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_offsets_positions_and_callbacks),
        cmocka_unit_test(test_seed_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
