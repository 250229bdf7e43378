/* test_analyze_terms.c - index terms (exact, folded, bigrams, lexicon words), query-side word
 * forms and accent-insensitive matching, the dictionary option and `khotin analyze`. */
#include "indexer/vi_analyze.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Terms as "pos:term" lines in one buffer. */
static kt_status add_line(void *ud, const struct vi_term *t)
{
    struct kt_buf *b = ud;
    assert_int_equal(strlen(t->data), t->len);
    assert_true(t->len <= VI_TERM_MAX);
    assert_int_equal(t->wdf, 1);
    return kt_buf_printf(b, "%u:%s\n", t->pos, t->data);
}

static vi_analyzer *new_analyzer(const struct vi_analyzer_opts *o)
{
    vi_analyzer *an = NULL;
    struct kt_err err = {0};
    assert_int_equal(vi_analyzer_new(o, &an, &err), KT_OK);
    return an;
}

static void index_terms(vi_analyzer *an, const char *text, const char *fp, struct kt_buf *out)
{
    struct kt_err err = {0};
    uint32_t pos = 0;
    kt_buf_reset(out);
    assert_int_equal(vi_terms_for_text(an, text, strlen(text), fp, &pos, add_line, out, &err),
                     KT_OK);
    if (!out->data)
        assert_int_equal(kt_buf_append_cstr(out, ""), KT_OK);
}

static void query_forms(vi_analyzer *an, const char *word, struct kt_buf *out)
{
    struct kt_err err = {0};
    kt_buf_reset(out);
    assert_int_equal(vi_query_word_forms(an, word, strlen(word), NULL, add_line, out, &err), KT_OK);
    if (!out->data)
        assert_int_equal(kt_buf_append_cstr(out, ""), KT_OK);
}

/* Spellings that must give exactly the same index terms. */
static const struct {
    const char *a, *b;
} same_terms[] = {
    {"Thành uỷ Hà Nội", "Thành ủy Hà Nội"},
    {"Thành ủy Hà Nội", "Tha\xcc\x80nh u\xcc\x89y Ha\xcc\x80 N\xc3\xb4\xcc\xa3i"},
    {"hoà khoẻ thuỷ", "hòa khỏe thủy"},
    {"Thuỵ loà", "Thụy lòa"},
    {"THÀNH ỦY", "thành ủy"},
    {"ÐẢNG BỘ", "Đảng bộ"},
    {"Hà\xc2\xa0Nội", "Hà Nội"},
    {"“Hà Nội”", "\"Hà Nội\""},
    {"thu\xc2\xadỷ", "thủy"},
    {"Hà  \t Nội", "Hà Nội"},
};

static void test_spellings_give_same_terms(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer(NULL);
    struct kt_buf a = {0}, b = {0};
    for (size_t i = 0; i < sizeof same_terms / sizeof same_terms[0]; i++) {
        index_terms(an, same_terms[i].a, "", &a);
        index_terms(an, same_terms[i].b, "", &b);
        if (strcmp(a.data, b.data) != 0)
            fail_msg("\"%s\" and \"%s\" differ:\n%s---\n%s", same_terms[i].a, same_terms[i].b,
                     a.data, b.data);
    }
    kt_buf_free(&a);
    kt_buf_free(&b);
    vi_analyzer_free(an);
}

static void test_term_scheme(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer(NULL);
    struct kt_buf t = {0};
    index_terms(an, "Thường Tín", "", &t);
    assert_string_equal(t.data, "1:thường\n1:Fthuong\n2:tín\n2:Ftin\n"
                                "0:Bthường_tín\n0:BFthuong_tin\n");
    /* field prefix on every term */
    index_terms(an, "Thường Tín", "S", &t);
    assert_string_equal(t.data, "1:Sthường\n1:SFthuong\n2:Stín\n2:SFtin\n"
                                "0:SBthường_tín\n0:SBFthuong_tin\n");
    /* no bigrams across punctuation or sentences */
    index_terms(an, "Hà, Nội. Tín", "", &t);
    assert_null(strstr(t.data, "B"));
    /* numbers: exact surface + value */
    index_terms(an, "7.904.513", "", &t);
    assert_string_equal(t.data, "1:7.904.513\n1:F7904513\n");
    index_terms(an, "49,5%", "", &t);
    assert_string_equal(t.data, "1:49,5%\n1:F49.5\n");
    /* codes and abbreviations */
    index_terms(an, "84/2019/NĐ-CP", "", &t);
    assert_string_equal(t.data, "1:84/2019/nđ-cp\n1:F84/2019/nd-cp\n");
    index_terms(an, "UBND", "", &t);
    assert_string_equal(t.data, "1:ubnd\n1:Fubnd\n");
    /* lexicon words of >= 3 syllables */
    index_terms(an, "Phó Bí thư Thường trực Thành ủy", "", &t);
    assert_non_null(strstr(t.data, "0:Wphó_bí_thư\n"));
    assert_non_null(strstr(t.data, "0:Wphó_bí_thư_thường_trực\n"));
    assert_non_null(strstr(t.data, "0:Bbí_thư\n"));
    index_terms(an, "xây dựng nông thôn mới", "", &t);
    assert_non_null(strstr(t.data, "0:Wnông_thôn_mới\n"));
    /* positions continue across calls */
    struct kt_err err = {0};
    uint32_t pos = 10;
    kt_buf_reset(&t);
    assert_int_equal(vi_terms_for_text(an, "Hà Nội", 7, "", &pos, add_line, &t, &err), KT_OK);
    assert_int_equal(pos, 12);
    assert_non_null(strstr(t.data, "11:hà\n"));
    assert_int_equal(vi_terms_for_text(an, "x", 1, "ABCDEFGHIJKLMNOPQ", &pos, add_line, &t, &err),
                     KT_EINVAL);
    for (int k = 0; k <= VI_TERM_WORD; k++)
        assert_non_null(vi_term_kind_str((enum vi_term_kind)k));
    /* a very long token gives no term longer than VI_TERM_MAX */
    char longw[600];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    index_terms(an, longw, "", &t);
    assert_string_equal(t.data, "");
    kt_buf_free(&t);
    vi_analyzer_free(an);
}

static void test_options(void **state)
{
    (void)state;
    struct vi_analyzer_opts o = {.no_bigrams = true, .no_lexicon = true};
    vi_analyzer *an = new_analyzer(&o);
    struct kt_buf t = {0};
    index_terms(an, "Phó Bí thư Thường trực", "", &t);
    assert_null(strstr(t.data, "0:B"));
    assert_null(strstr(t.data, "0:W"));
    vi_analyzer_free(an);

    /* a dictionary file adds W terms */
    char *dir = tu_mkdtemp("vidict");
    char path[512];
    snprintf(path, sizeof path, "%s/words.txt", dir);
    const char *words = "# test words\nđồng chí\nkiểm tra công tác\nnhân  sự\n";
    assert_true(tu_write_file(path, words, strlen(words)));
    struct vi_analyzer_opts d = {.dict_path = path};
    an = new_analyzer(&d);
    index_terms(an, "đã đi kiểm tra công tác", "", &t);
    assert_non_null(strstr(t.data, "0:Wkiểm_tra_công_tác\n"));
    vi_analyzer_free(an);
    /* missing and broken dictionaries */
    struct kt_err err = {0};
    d.dict_path = "/nonexistent/words.txt";
    an = (vi_analyzer *)1;
    assert_int_equal(vi_analyzer_new(&d, &an, &err), KT_ENOTFOUND);
    assert_null(an);
    assert_non_null(strstr(err.msg, "/nonexistent/words.txt"));
    assert_true(tu_write_file(path, "ok\nbad \xff\n", 8));
    d.dict_path = path;
    assert_int_equal(vi_analyzer_new(&d, &an, &err), KT_EPARSE);
    assert_non_null(strstr(err.msg, ":2"));
    tu_rmtree(dir);
    free(dir);
    /* the shared word list loads when present */
    char *shared = tu_shared_path("data/vi-words.txt");
    if (shared) {
        d.dict_path = shared;
        an = new_analyzer(&d);
        index_terms(an, "công tác phòng chống dịch bệnh", "", &t);
        assert_non_null(strstr(t.data, "0:W"));
        vi_analyzer_free(an);
        free(shared);
    } else {
        print_message("../shared absent: vi-words.txt not loaded\n");
    }
    kt_buf_free(&t);
}

/* Query words and the terms they search. */
static const struct {
    const char *word;
    const char *want;
} query_cases[] = {
    {"tín", "1:tín\n"},
    {"tin", "1:Ftin\n"},
    {"Tín", "1:tín\n"},
    {"TÍN", "1:tín\n"},
    {"TIN", "1:Ftin\n"},
    {"ti\xcc\x81n", "1:tín\n"},
    {"thuong", "1:Fthuong\n"},
    {"THƯỜNG", "1:thường\n"},
    {"hoà", "1:hòa\n"},
    {"hòa", "1:hòa\n"},
    {"uỷ", "1:ủy\n"},
    {"dang", "1:Fdang\n"},
    {"đang", "1:đang\n"},
    {"Ðảng", "1:đảng\n"},
    {"  Hà   Nội  ", "1:hà\n2:nội\n"},
    {"ha noi", "1:Fha\n2:Fnoi\n"},
    {"Hà noi", "1:hà\n2:Fnoi\n"},
    {"TP.HCM", "1:Ftp.hcm\n"},
    {"HĐND", "1:hđnd\n"},
    {"hdnd", "1:Fhdnd\n"},
    {"7.904.513", "1:F7904513\n"},
    {"7904513", "1:F7904513\n"},
    {"02-CTr/TU", "1:F02-ctr/tu\n"},
    {"...", ""},
    {"", ""},
};

static void test_query_forms(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer(NULL);
    struct kt_buf t = {0};
    for (size_t i = 0; i < sizeof query_cases / sizeof query_cases[0]; i++) {
        query_forms(an, query_cases[i].word, &t);
        if (strcmp(t.data, query_cases[i].want) != 0)
            fail_msg("query \"%s\": got\n%swant\n%s", query_cases[i].word, t.data,
                     query_cases[i].want);
    }
    /* whole query strings add bigrams: exact when both words are accented */
    struct kt_err err = {0};
    kt_buf_reset(&t);
    assert_int_equal(vi_query_terms(an, "Thường Tín", strlen("Thường Tín"), "", add_line, &t, &err),
                     KT_OK);
    assert_string_equal(t.data, "1:thường\n2:tín\n0:Bthường_tín\n");
    kt_buf_reset(&t);
    assert_int_equal(vi_query_terms(an, "thuong tin", strlen("thuong tin"), "", add_line, &t, &err),
                     KT_OK);
    assert_string_equal(t.data, "1:Fthuong\n2:Ftin\n0:BFthuong_tin\n");
    kt_buf_reset(&t);
    assert_int_equal(vi_query_terms(an, "Thường tin", strlen("Thường tin"), "", add_line, &t, &err),
                     KT_OK);
    assert_string_equal(t.data, "1:thường\n2:Ftin\n0:BFthuong_tin\n");
    kt_buf_free(&t);
    vi_analyzer_free(an);
}

/* Does the document's term list contain every query term (ignoring positions)? */
static bool matches(vi_analyzer *an, const char *doc, const char *query)
{
    struct kt_buf d = {0}, q = {0};
    index_terms(an, doc, "", &d);
    struct kt_err err = {0};
    assert_int_equal(vi_query_terms(an, query, strlen(query), "", add_line, &q, &err), KT_OK);
    bool all = q.len > 0;
    for (char *line = q.data; line && *line && all;) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        const char *term = strchr(line, ':') + 1;
        bool found = false;
        for (char *dl = d.data; dl && *dl && !found;) {
            char *dn = strchr(dl, '\n');
            const char *dt = strchr(dl, ':') + 1;
            found = (size_t)(dn - dt) == strlen(term) && memcmp(dt, term, strlen(term)) == 0;
            dl = dn + 1;
        }
        all = found;
        line = nl + 1;
    }
    kt_buf_free(&d);
    kt_buf_free(&q);
    return all;
}

static const struct {
    const char *doc, *query;
    bool match;
} match_cases[] = {
    {"Huyện ủy Thường Tín", "thuong tin", true},
    {"Huyện ủy Thường Tín", "Thường Tín", true},
    {"Huyện ủy Thường Tín", "THƯỜNG TÍN", true},
    {"Huyện ủy Thường Tín", "thường tín", true},
    {"Huyện ủy Thường Tín", "Thuong Tín", true},
    {"Huyện ủy Thường Tín", "huyen uy", true},
    {"Huyện uỷ Thường Tín", "huyện ủy", true},
    {"Huyện ủy Thường Tín", "huyện uỷ", true},
    {"Huyện ủy Thường Tín", "tin", true},
    {"bản tin tức", "tín", false},
    {"Huyện ủy Thường Tín", "thương tín", false},
    {"Hòa Bình", "hoà binh", true},
    {"Đảng bộ", "dang bo", true},
    {"Đảng bộ", "đang", false},
    {"đạt 7.904.513 người", "7904513", true},
    {"ngày 23/5/2020", "23/5/2020", true},
    {"Chủ tịch HĐND", "hdnd", true},
    {"Chủ tịch HĐND", "HĐND", true},
    {"TP.HCM", "tp.hcm", true},
    {"TP. Hà Nội", "TP", true},
};

static void test_matching(void **state)
{
    (void)state;
    vi_analyzer *an = new_analyzer(NULL);
    for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++)
        if (matches(an, match_cases[i].doc, match_cases[i].query) != match_cases[i].match)
            fail_msg("doc \"%s\" query \"%s\": match must be %d", match_cases[i].doc,
                     match_cases[i].query, match_cases[i].match);
    vi_analyzer_free(an);
}

/* The "terms" part of `khotin analyze` output. */
static const char *terms_part(const struct kt_buf *out)
{
    const char *t = out->data ? strstr(out->data, "terms (") : NULL;
    return t ? t : "";
}

static void test_cli(void **state)
{
    (void)state;
    struct kt_buf o1 = {0}, o2 = {0}, e = {0};
    char *a1[] = {(char *)tu_khotin_bin(), "analyze", "Thành uỷ Hà Nội", NULL};
    char *a2[] = {(char *)tu_khotin_bin(), "analyze", "Thành ủy Hà Nội", NULL};
    assert_int_equal(tu_run(a1, NULL, 0, &o1, &e), 0);
    assert_int_equal(tu_run(a2, NULL, 0, &o2, &e), 0);
    assert_non_null(strstr(terms_part(&o1), "Bthành_ủy"));
    assert_string_equal(terms_part(&o1), terms_part(&o2));
    assert_true(strlen(terms_part(&o1)) > 20);
    /* stdin and JSON */
    kt_buf_reset(&o1);
    char *a3[] = {(char *)tu_khotin_bin(), "analyze", "--format", "json", "-", NULL};
    const char *in = "Ngày 25/5, 28/28 xã";
    assert_int_equal(tu_run(a3, in, strlen(in), &o1, &e), 0);
    assert_non_null(strstr(o1.data, "\"kind\": \"fraction\""));
    assert_non_null(strstr(o1.data, "\"terms\""));
    /* usage errors */
    char *a4[] = {(char *)tu_khotin_bin(), "analyze", "--format", "xml", "x", NULL};
    assert_int_equal(tu_run(a4, NULL, 0, NULL, NULL), 2);
    char *a5[] = {(char *)tu_khotin_bin(), "analyze", "--dict", "/nonexistent/d.txt", "x", NULL};
    kt_buf_reset(&e);
    assert_int_equal(tu_run(a5, NULL, 0, NULL, &e), 66);
    assert_non_null(strstr(e.data, "/nonexistent/d.txt"));
    kt_buf_free(&o1);
    kt_buf_free(&o2);
    kt_buf_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings_give_same_terms),
        cmocka_unit_test(test_term_scheme),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_query_forms),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
