/* test_search.c - search over a real index of a few Vietnamese records: accent-insensitive
 * words, exact diacritics, units above scattered syllables, phrases, fields, dates, NOT,
 * sorting, duplicate collapsing, facets, snippets, the CLI's JSON shape and exit codes. */
#include "indexer/indexer.h"
#include "query/query.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char records[] =
    "{\"id\":\"r1\",\"url\":\"https://hanoimoi.vn/r1\",\"site\":\"hanoimoi.vn\","
    "\"title\":\"Huyện Thường Tín tổng kết công tác xây dựng Đảng\","
    "\"lead\":\"Sáng 10/5, Huyện ủy Thường Tín tổ chức hội nghị.\","
    "\"text\":\"Sáng 10/5, Huyện ủy Thường Tín tổ chức hội nghị.\\n\\nĐồng chí Ngô Thị Thanh "
    "Hằng, Bí thư Huyện ủy, phát biểu chỉ đạo. Các xã của huyện Thường Tín đã hoàn thành kế "
    "hoạch.\","
    "\"date\":\"2020-05-10\",\"author\":\"Nguyễn Văn An\"}\n"
    "{\"id\":\"r2\",\"url\":\"https://kinhtedothi.vn/r2\",\"site\":\"kinhtedothi.vn\","
    "\"title\":\"Tin tức thời sự trong ngày\",\"text\":\"Bản tin tổng hợp các tin nóng trong "
    "ngày. Tin mới nhất về giao thông.\",\"date\":\"2021-03-01\",\"author\":\"Lê Thị Bình\"}\n"
    "{\"id\":\"r3\",\"url\":\"https://hanoimoi.vn/r3\",\"site\":\"hanoimoi.vn\","
    "\"title\":\"Tín dụng thường xuyên cho nông dân\",\"text\":\"Ngân hàng cho vay tín dụng "
    "ưu đãi. Nông dân thường xuyên được hỗ trợ vốn.\",\"date\":\"2020-07-31\"}\n"
    "{\"id\":\"r4\",\"url\":\"https://baomoi.test/r4\",\"site\":\"baomoi.test\","
    "\"dup_of\":\"https://hanoimoi.vn/r1\","
    "\"title\":\"Huyện Thường Tín tổng kết công tác xây dựng Đảng\",\"text\":\"Huyện ủy Thường "
    "Tín tổ chức hội nghị tổng kết.\",\"date\":\"2020-05-11\"}\n"
    "{\"id\":\"r5\",\"url\":\"https://thachthat.hanoi.gov.vn/r5\","
    "\"site\":\"thachthat.hanoi.gov.vn\",\"title\":\"Xây dựng nông thôn mới ở Thạch Thất\","
    "\"text\":\"Huyện Thạch Thất có 22/22 xã đạt chuẩn nông thôn mới. Thôn Nông Lâm "
    "được khen.\",\"date\":\"2019-12-01\",\"source_attribution\":\"Báo Hà Nội Mới\"}\n";

struct fixture {
    char *dir;
    char *db;
    struct kt_searcher *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tu_mkdtemp("search");
    size_t n = strlen(f->dir) + 32;
    char *jsonl = malloc(n);
    f->db = malloc(n);
    snprintf(jsonl, n, "%s/in.jsonl", f->dir);
    snprintf(f->db, n, "%s/db", f->dir);
    assert_true(tu_write_file(jsonl, records, strlen(records)));
    struct kt_index_stats st;
    struct kt_err err = {0};
    if (kt_index_jsonl(f->db, jsonl, NULL, NULL, &st, &err) != KT_OK)
        fail_msg("index: %s", err.msg);
    assert_int_equal(st.added, 5);
    free(jsonl);
    if (kt_searcher_open(f->db, &f->s, &err) != KT_OK)
        fail_msg("open: %s", err.msg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    kt_searcher_close(f->s);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* Runs q and writes the ids in rank order, space-separated, into ids (e.g. "r1 r3"). r4 is a
 * duplicate of r1 and either may represent their cluster: both are written "r1". */
static kt_status search_ids(struct fixture *f, const char *q, enum kt_search_sort sort, char *ids,
                            size_t cap, struct kt_search_result *keep)
{
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = q;
    o.sort = sort;
    o.facets = keep != NULL;
    struct kt_search_result r;
    struct kt_err err = {0};
    kt_status s = kt_search(f->s, &o, &r, &err);
    ids[0] = '\0';
    if (s != KT_OK)
        return s;
    for (size_t i = 0; i < r.n_hits; i++) {
        size_t n = strlen(ids);
        const char *id = strcmp(r.hits[i].id, "r4") == 0 ? "r1" : r.hits[i].id;
        snprintf(ids + n, cap - n, "%s%s", i ? " " : "", id);
    }
    if (keep)
        *keep = r;
    else
        kt_search_result_free(&r);
    return KT_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the space-separated words of s in place. */
static void sort_words(char *s)
{
    char *w[32], copy[256];
    size_t n = 0;
    snprintf(copy, sizeof copy, "%s", s);
    for (char *t = strtok(copy, " "); t && n < 32; t = strtok(NULL, " "))
        w[n++] = t;
    qsort(w, n, sizeof *w, cmp_str);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(s, i ? " " : "");
        strcat(s, w[i]);
    }
}

static const struct {
    const char *query;
    const char *ids; /* expected ids in rank order ("~..." in any order) */
} cases[] = {
    /* unaccented words match every accented form; the unit Thường Tín ranks first */
    {"thuong tin", "r1 r3"},
    {"Thường Tín", "r1 r3"},
    {"THƯỜNG TÍN", "r1 r3"},
    /* a word with diacritics matches only that syllable: tín is not tin */
    {"tín", "~r1 r3"},
    {"tin tức", "r2"},
    {"tức", "r2"},
    /* phrases, both forms */
    {"\"nông thôn mới\"", "r5"},
    {"\"nong thon moi\"", "r5"},
    {"\"mới nông\"", ""},
    /* fields */
    {"title:\"tín dụng\"", "r3"},
    {"title:hội", ""},
    {"author:an", "r1"},
    {"author:\"Lê Thị Bình\"", "r2"},
    {"source:\"hà nội mới\"", "r5"},
    {"lead:\"tổ chức hội nghị\"", "r1"},
    {"site:hanoimoi.vn", "~r1 r3"},
    {"nong dan site:hanoimoi.vn", "r3"},
    {"xay dung site:thachthat.hanoi.gov.vn", "r5"},
    /* dates */
    {"xay dung date:2019", "r5"},
    {"thuong date:2020-05-01..2020-07-31", "~r1 r3"},
    {"thuong date:2020-07", "r3"},
    {"thuong date:..2020-06", "r1"},
    /* entity filters (terms from indexer/entities.h) */
    {"official:\"Ngô Thị Thanh Hằng\"", "r1"},
    {"official:\"ngo thi thanh hang\"", "r1"},
    {"chỉ đạo place:\"huyện Thường Tín\"", "r1"},
    {"official:\"Lê Văn Không\"", ""},
    /* NOT / -word / OR */
    {"thuong tin -hội", "r3"},
    {"thuong tin NOT nghị", "r3"},
    {"thạch thất OR tức", "~r2 r5"},
    /* nothing has every word: relaxed to any word */
    {"giao thông thạch thất", "~r2 r5"},
    {"zzzz", ""},
};

static void test_queries(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ids[256];
        kt_status s = search_ids(f, cases[i].query, KT_SORT_RELEVANCE, ids, sizeof ids, NULL);
        if (s != KT_OK)
            fail_msg("'%s': status %d", cases[i].query, s);
        const char *want = cases[i].ids;
        if (want[0] == '~') { /* any order: compare sorted */
            want++;
            sort_words(ids);
        }
        if (strcmp(ids, want) != 0)
            fail_msg("'%s': got [%s], want [%s]", cases[i].query, ids, want);
    }
}

static void test_sort_by_date(void **state)
{
    struct fixture *f = *state;
    char ids[256];
    assert_int_equal(search_ids(f, "huyện OR tin OR nông", KT_SORT_DATE, ids, sizeof ids, NULL),
                     KT_OK);
    assert_string_equal(ids, "r2 r3 r1 r5");
}

static void test_duplicates_collapse_with_count(void **state)
{
    struct fixture *f = *state;
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = "tổng kết công tác";
    struct kt_search_result r;
    struct kt_err err = {0};
    assert_int_equal(kt_search(f->s, &o, &r, &err), KT_OK);
    assert_int_equal(r.n_hits, 1); /* r1 and r4 are one cluster */
    assert_int_equal(r.hits[0].duplicates, 1);
    assert_int_equal(r.total_estimate, 1);
    kt_search_result_free(&r);
}

static void test_facets(void **state)
{
    struct fixture *f = *state;
    char ids[256];
    struct kt_search_result r;
    assert_int_equal(search_ids(f, "thuong", 0, ids, sizeof ids, &r), KT_OK);
    bool site_ok = false, year_ok = false;
    for (size_t i = 0; i < r.n_sites; i++)
        if (strcmp(r.sites[i].value, "hanoimoi.vn") == 0 && r.sites[i].count == 2)
            site_ok = true;
    for (size_t i = 0; i < r.n_years; i++)
        if (strcmp(r.years[i].value, "2020") == 0 && r.years[i].count >= 2)
            year_ok = true;
    assert_true(site_ok);
    assert_true(year_ok);
    assert_true(r.n_years >= 1 && strcmp(r.years[0].value, "2020") >= 0);
    kt_search_result_free(&r);
    /* officials and places named in the results (r1 only: r4 lacks "chỉ đạo") */
    assert_int_equal(search_ids(f, "chỉ đạo", 0, ids, sizeof ids, &r), KT_OK);
    assert_string_equal(ids, "r1");
    bool official_ok = false, place_ok = false;
    for (size_t i = 0; i < r.n_officials; i++)
        if (strcmp(r.officials[i].value, "Ngô Thị Thanh Hằng") == 0 && r.officials[i].count == 1)
            official_ok = true;
    for (size_t i = 0; i < r.n_places; i++)
        if (strstr(r.places[i].value, "Thường Tín"))
            place_ok = true;
    assert_true(official_ok);
    assert_true(place_ok);
    kt_search_result_free(&r);
}

static void test_snippet_highlights_folded_matches(void **state)
{
    struct fixture *f = *state;
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = "thuong tin";
    struct kt_search_result r;
    struct kt_err err = {0};
    assert_int_equal(kt_search(f->s, &o, &r, &err), KT_OK);
    assert_true(r.n_hits >= 1);
    const struct kt_search_hit *h = &r.hits[0];
    assert_true(strcmp(h->id, "r1") == 0 || strcmp(h->id, "r4") == 0); /* one cluster */
    assert_int_equal(h->duplicates, 1);
    assert_true(h->n_spans >= 2);
    assert_memory_equal(h->snippet + h->spans[0].start, "Thường", strlen("Thường"));
    assert_non_null(strstr(h->snippet_html, "<b>Thường</b> <b>Tín</b>"));
    assert_null(strchr(h->snippet, '\n'));
    kt_search_result_free(&r);
}

static void test_hostile_queries(void **state)
{
    struct fixture *f = *state;
    struct kt_buf q = {0};
    for (int i = 0; i < 10000; i++)
        kt_buf_append_cstr(&q, "a ");
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = q.data;
    o.query_len = q.len;
    struct kt_search_result r;
    struct kt_err err = {0};
    assert_int_equal(kt_search(f->s, &o, &r, &err), KT_EQUERY);
    kt_buf_reset(&q);
    for (int i = 0; i < 100; i++)
        kt_buf_append_cstr(&q, "xã ");
    o.query = q.data;
    o.query_len = q.len;
    assert_int_equal(kt_search(f->s, &o, &r, &err), KT_EQUERY);
    assert_non_null(strstr(err.msg, "words"));
    static const char bad[] = "th\xc6\xb0\xe1\xbb\x9dng\0t\xff\xfe\xc3 \"";
    o.query = bad;
    o.query_len = sizeof bad - 1;
    assert_int_equal(kt_search(f->s, &o, &r, &err), KT_EQUERY); /* unterminated quote */
    o.query_len = sizeof bad - 3;
    kt_status s = kt_search(f->s, &o, &r, &err);
    assert_true(s == KT_OK || s == KT_EQUERY);
    if (s == KT_OK)
        kt_search_result_free(&r);
    kt_buf_free(&q);
}

static void test_cli_json_shape(void **state)
{
    struct fixture *f = *state;
    char *argv[] = {(char *)tu_khotin_bin(),
                    "search",
                    "--db",
                    f->db,
                    "--format",
                    "json",
                    "--facets",
                    "thuong",
                    "tin",
                    NULL};
    struct kt_buf out = {0}, err = {0};
    assert_int_equal(tu_run(argv, NULL, 0, &out, &err), 0);
    json_error_t je;
    json_t *o = json_loads(out.data, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "query")), "thuong tin");
    assert_true(json_is_integer(json_object_get(o, "total_estimate")));
    json_t *res = json_object_get(o, "results");
    assert_true(json_is_array(res) && json_array_size(res) == 2);
    json_t *h = json_array_get(res, 0);
    static const char *keys[] = {"rank", "id",    "url",     "title",     "date",
                                 "site", "score", "snippet", "duplicates"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_object_get(h, keys[i]))
            fail_msg("result lacks \"%s\"", keys[i]);
    assert_int_equal(json_integer_value(json_object_get(h, "rank")), 1);
    const char *id = json_string_value(json_object_get(h, "id"));
    assert_true(strcmp(id, "r1") == 0 || strcmp(id, "r4") == 0);
    assert_int_equal(json_integer_value(json_object_get(h, "duplicates")), 1);
    assert_non_null(strstr(json_string_value(json_object_get(h, "snippet")), "<b>"));
    json_t *fac = json_object_get(o, "facets");
    assert_true(json_is_array(json_object_get(fac, "site")));
    assert_true(json_is_array(json_object_get(fac, "year")));
    assert_true(json_is_array(json_object_get(fac, "official")));
    assert_true(json_is_array(json_object_get(fac, "place")));
    json_decref(o);

    /* invalid UTF-8 in the query still gives valid JSON */
    char *inv[] = {(char *)tu_khotin_bin(), "search", "--db", f->db, "--format", "json",
                   "th\xc6\xb0\xe1\xbb\x9dng \xff\xfe t\xc3", NULL};
    kt_buf_reset(&out);
    assert_int_equal(tu_run(inv, NULL, 0, &out, &err), 0);
    o = json_loads(out.data, 0, &je);
    assert_non_null(o);
    json_decref(o);

    /* a syntax error: one line with the position, exit 65 */
    char *bad[] = {(char *)tu_khotin_bin(), "search", "--db", f->db, "(thuong tin", NULL};
    kt_buf_reset(&out);
    kt_buf_reset(&err);
    assert_int_equal(tu_run(bad, NULL, 0, &out, &err), 65);
    assert_non_null(strstr(err.data, "position 1"));
    assert_true(strchr(err.data, '\n') == err.data + err.len - 1);
    /* csv */
    char *csv[] = {
        (char *)tu_khotin_bin(), "search", "--db", f->db, "--format", "csv", "tín", "dụng", NULL};
    kt_buf_reset(&out);
    assert_int_equal(tu_run(csv, NULL, 0, &out, &err), 0);
    assert_true(strncmp(out.data, "rank,id,url,title", 17) == 0);
    assert_non_null(strstr(out.data, "\r\n1,r3,"));
    kt_buf_free(&out);
    kt_buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_sort_by_date),
        cmocka_unit_test(test_duplicates_collapse_with_count),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_snippet_highlights_folded_matches),
        cmocka_unit_test(test_hostile_queries),
        cmocka_unit_test(test_cli_json_shape),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
