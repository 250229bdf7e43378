/* test_article.c - struct kt_article JSON round trip and error handling, and the article store:
 * put/replace with increasing seq, get, exact-duplicate lookup, simhash iteration, since-seq. */
#define _GNU_SOURCE
#include "corpus/corpus.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fill(struct kt_article *a, const char *url)
{
    kt_article_init(a);
    a->id = strdup(url);
    a->url = strdup(url);
    a->site = strdup("hanoimoi");
    a->title = strdup("Thạch Thất kết nạp 412 đảng viên mới");
    a->lead = strdup("Sapo \"trích dẫn\" và \\ dấu");
    a->text = strdup("Sapo\n\nĐoạn một: 28/28 xã, 49,5 triệu đồng, 40,7%.");
    a->date = strdup("2026-11-30T08:15+07:00");
    a->author = strdup("Minh Anh");
    a->source_attribution = strdup("TTXVN");
    a->n_captions = 2;
    a->captions = calloc(2, sizeof *a->captions);
    a->captions[0] = strdup("Ảnh 1");
    a->captions[1] = strdup("Ảnh 2: Lễ kết nạp");
    a->lang = strdup("vi");
    strcpy(a->content_sha1, "0123456789abcdef0123456789abcdef01234567");
    a->simhash = 0xfedcba9876543210ull;
    a->warc_file = strdup("khotin-20261202003000123-00000-h.warc.gz");
    a->warc_offset = 123456789012ll;
    a->fetched_at = 1764547200;
}

static void assert_same(const struct kt_article *a, const struct kt_article *b)
{
    const char *sa[] = {a->id,   a->url,    a->site,     a->title, a->lead,
                        a->text, a->date,   a->author,   a->photo, a->source_attribution,
                        a->lang, a->dup_of, a->warc_file};
    const char *sb[] = {b->id,   b->url,    b->site,     b->title, b->lead,
                        b->text, b->date,   b->author,   b->photo, b->source_attribution,
                        b->lang, b->dup_of, b->warc_file};
    for (size_t i = 0; i < sizeof sa / sizeof sa[0]; i++) {
        if (!sa[i])
            assert_null(sb[i]);
        else
            assert_string_equal(sa[i], sb[i]);
    }
    assert_int_equal(a->n_captions, b->n_captions);
    for (size_t i = 0; i < a->n_captions; i++)
        assert_string_equal(a->captions[i], b->captions[i]);
    assert_string_equal(a->content_sha1, b->content_sha1);
    assert_true(a->simhash == b->simhash);
    assert_int_equal(a->warc_offset, b->warc_offset);
    assert_int_equal(a->fetched_at, b->fetched_at);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    struct kt_article a, b;
    fill(&a, "https://hanoimoi.vn/a-1.html");
    struct kt_buf json = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_article_to_json(&a, &json, &err), KT_OK);
    assert_non_null(strstr(json.data, "\"simhash\":\"fedcba9876543210\""));
    assert_non_null(strstr(json.data, "\"title\":\"Thạch Thất kết nạp 412 đảng viên mới\""));
    assert_null(strchr(json.data, '\n'));
    kt_article_init(&b);
    assert_int_equal(kt_article_from_json(json.data, json.len, &b, &err), KT_OK);
    assert_same(&a, &b);
    kt_article_free(&b);
    assert_null(b.url);
    assert_int_equal(b.warc_offset, -1);

    /* absent fields stay NULL; id defaults to url; unknown fields ignored */
    const char minimal[] = "{\"url\":\"https://x.vn/1\",\"future_field\":[1,2],\"photo\":null}";
    assert_int_equal(kt_article_from_json(minimal, strlen(minimal), &b, &err), KT_OK);
    assert_string_equal(b.id, "https://x.vn/1");
    assert_null(b.title);
    assert_int_equal(b.n_captions, 0);
    assert_true(b.simhash == 0);
    assert_int_equal(b.warc_offset, -1);
    kt_article_free(&b);

    /* invalid UTF-8 in a field cannot produce invalid JSON */
    free(a.title);
    a.title = strdup("bad \xff byte");
    kt_buf_reset(&json);
    assert_int_equal(kt_article_to_json(&a, &json, &err), KT_OK);
    assert_int_equal(kt_article_from_json(json.data, json.len, &b, &err), KT_OK);
    assert_string_equal(b.title, "bad \xef\xbf\xbd byte");
    kt_article_free(&b);
    kt_article_free(&a);
    kt_buf_free(&json);
}

static void test_json_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "[1,2]",
        "{\"title\":\"no id or url\"}",
        "{\"url\":5}",
        "{\"url\":\"u\",\"simhash\":\"xyz\"}",
        "{\"url\":\"u\",\"simhash\":\"00112233445566778\"}",
        "{\"url\":\"u\",\"content_sha1\":\"abc\"}",
        "{\"url\":\"u\",\"captions\":\"not an array\"}",
        "{\"url\":\"u\",\"captions\":[1]}",
        "{\"url\":\"u\",\"warc_offset\":\"12\"}",
        "{\"url\":\"u\",\"url\":\"v\"}",
        "{\"url\":\"u\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct kt_article a;
        kt_article_init(&a);
        struct kt_err err = {0};
        assert_int_equal(kt_article_from_json(bad[i], strlen(bad[i]), &a, &err), KT_EPARSE);
        assert_true(strlen(err.msg) > 0);
        kt_article_free(&a);
    }
}

struct since_ctx {
    int64_t seqs[16];
    char urls[16][64];
    size_t n;
};

static int since_cb(void *ud, int64_t seq, const struct kt_article *a)
{
    struct since_ctx *c = ud;
    if (c->n < 16) {
        c->seqs[c->n] = seq;
        snprintf(c->urls[c->n], 64, "%s", a->url);
    }
    c->n++;
    return 0;
}

static int simhash_cb(void *ud, const char *url, uint64_t simhash)
{
    struct since_ctx *c = ud;
    assert_true(simhash != 0);
    if (c->n < 16)
        snprintf(c->urls[c->n], 64, "%s", url);
    c->n++;
    return 0;
}

static void test_store_seq_semantics(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("articles");
    char *path = NULL;
    assert_true(asprintf(&path, "%s/state.sqlite", dir) > 0);
    struct kt_crawl_state *st = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_crawl_state_open(path, false, &st, &err), KT_OK);
    int64_t max = -1, count = -1;
    assert_int_equal(kt_article_store_max_seq(st, &max, &err), KT_OK);
    assert_int_equal(max, 0);

    struct kt_article a1, a2, a3;
    fill(&a1, "https://s.vn/1");
    fill(&a2, "https://s.vn/2");
    fill(&a3, "https://s.vn/3");
    strcpy(a2.content_sha1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    a3.dup_of = strdup("https://s.vn/1"); /* exact copy of 1 */
    a3.simhash = 0;
    int64_t s1, s2, s3, s1b;
    assert_int_equal(kt_article_store_put(st, &a1, &s1, &err), KT_OK);
    assert_int_equal(kt_article_store_put(st, &a2, &s2, &err), KT_OK);
    assert_int_equal(kt_article_store_put(st, &a3, &s3, &err), KT_OK);
    assert_true(s1 < s2 && s2 < s3);
    int64_t mark = s3;

    /* replacing gives a higher seq; "since mark" yields only that */
    free(a1.title);
    a1.title = strdup("Tiêu đề đã sửa");
    assert_int_equal(kt_article_store_put(st, &a1, &s1b, &err), KT_OK);
    assert_true(s1b > s3);
    assert_int_equal(kt_article_store_count(st, &count, &err), KT_OK);
    assert_int_equal(count, 3);
    assert_int_equal(kt_article_store_max_seq(st, &max, &err), KT_OK);
    assert_int_equal(max, s1b);
    struct since_ctx c = {0};
    assert_int_equal(kt_article_store_since(st, mark, since_cb, &c, &err), KT_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.urls[0], "https://s.vn/1");
    assert_int_equal(c.seqs[0], s1b);
    memset(&c, 0, sizeof c);
    assert_int_equal(kt_article_store_since(st, 0, since_cb, &c, &err), KT_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.urls[0], "https://s.vn/2"); /* seq order */
    assert_string_equal(c.urls[2], "https://s.vn/1");
    assert_true(c.seqs[0] < c.seqs[1] && c.seqs[1] < c.seqs[2]);

    /* get */
    struct kt_article g;
    kt_article_init(&g);
    bool found = false;
    assert_int_equal(kt_article_store_get(st, "https://s.vn/1", &g, &found, &err), KT_OK);
    assert_true(found);
    assert_same(&a1, &g);
    assert_int_equal(kt_article_store_get(st, "https://s.vn/none", &g, &found, &err), KT_OK);
    assert_false(found);
    kt_article_free(&g);

    /* exact duplicates: the earliest original, never a duplicate, optionally excluding one */
    char *url = NULL;
    assert_int_equal(kt_article_store_find_sha1(st, a1.content_sha1, NULL, &url, &err), KT_OK);
    assert_string_equal(url, "https://s.vn/1");
    free(url);
    assert_int_equal(kt_article_store_find_sha1(st, a1.content_sha1, "https://s.vn/1", &url, &err),
                     KT_OK);
    assert_null(url); /* /3 has the same sha1 but is marked dup_of */
    assert_int_equal(kt_article_store_find_sha1(st, "ffff", NULL, &url, &err), KT_OK);
    assert_null(url);

    /* simhashes: non-zero, not duplicates */
    memset(&c, 0, sizeof c);
    assert_int_equal(kt_article_store_each_simhash(st, simhash_cb, &c, &err), KT_OK);
    assert_int_equal(c.n, 2);

    struct kt_article nourl;
    kt_article_init(&nourl);
    assert_int_equal(kt_article_store_put(st, &nourl, NULL, &err), KT_EINVAL);

    /* persisted across reopen, read-only */
    kt_crawl_state_close(st);
    assert_int_equal(kt_crawl_state_open(path, true, &st, &err), KT_OK);
    assert_int_equal(kt_article_store_max_seq(st, &max, &err), KT_OK);
    assert_int_equal(max, s1b);
    kt_crawl_state_close(st);
    kt_article_free(&a1);
    kt_article_free(&a2);
    kt_article_free(&a3);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_store_seq_semantics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
