/* test_index.c - the index writer on real databases: JSON Lines (plain and gzip) with bad lines
 * reported by number, incremental reruns, updates, the archive's article store, the lock
 * against a second writer (exit 75), and SIGKILL at a random moment followed by a rerun. */
#define _DEFAULT_SOURCE
#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "corpus/article_store.h"
#include "indexer/indexer.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static uint32_t doc_count(const char *db)
{
    kt_xdb *x = NULL;
    struct kt_err err = {0};
    if (kt_xdb_open(db, &x, &err) != KT_OK)
        fail_msg("%s", err.msg);
    uint32_t n = 0;
    assert_int_equal(kt_xdb_doc_count(x, &n, &err), KT_OK);
    kt_xdb_close(x);
    return n;
}

static uint32_t id_freq(kt_xdb *x, const char *id)
{
    char term[256];
    snprintf(term, sizeof term, "Q%s", id);
    uint32_t f = 0;
    assert_int_equal(kt_xdb_term_freq(x, term, strlen(term), &f, NULL), KT_OK);
    return f;
}

struct bad_log {
    uint64_t lines[8];
    size_t n;
};

static void on_bad(void *user, uint64_t line, const struct kt_err *e)
{
    struct bad_log *b = user;
    (void)e;
    if (b->n < 8)
        b->lines[b->n++] = line;
}

static const char good_and_bad[] =
    "{\"id\":\"a1\",\"url\":\"https://hanoimoi.vn/a1\",\"title\":\"Hà Nội đón Tết\","
    "\"text\":\"Người dân Thủ đô vui xuân.\",\"date\":\"2021-02-10\"}\n"
    "{\"url\":\"https://hanoimoi.vn/a2\",\"title\":\"Thường Tín\",\"text\":\"Huyện Thường Tín.\"}\n"
    "this is not json\n"
    "\n"
    "{\"id\":\"a3\",\"title\":\"Thạch Thất\",\"text\":\"Huyện Thạch Thất.\",\"site\":\"x.vn\"}\n"
    "{\"title\":\"no id and no url\",\"text\":\"x\"}\n"
    "{\"id\":\"a4\",\"title\":\"Sóc Sơn\",\"text\":\"Huyện Sóc Sơn.\"}";

static void test_jsonl_bad_lines_and_rerun(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("index");
    char *in = path_in(dir, "in.jsonl"), *db = path_in(dir, "db");
    assert_true(tu_write_file(in, good_and_bad, strlen(good_and_bad)));
    struct bad_log bad = {{0}, 0};
    struct kt_index_callbacks cb = {&bad, on_bad, NULL};
    struct kt_index_stats st;
    struct kt_err err = {0};
    assert_int_equal(kt_index_jsonl(db, in, NULL, &cb, &st, &err), KT_OK);
    assert_int_equal(st.added, 4);
    assert_int_equal(st.failed, 2);
    assert_int_equal(bad.n, 2);
    assert_int_equal(bad.lines[0], 3);
    assert_int_equal(bad.lines[1], 6);
    assert_int_equal(doc_count(db), 4);
    /* a rerun over the same file: nothing new */
    bad.n = 0;
    assert_int_equal(kt_index_jsonl(db, in, NULL, &cb, &st, &err), KT_OK);
    assert_true(st.nothing_new);
    assert_int_equal(st.added + st.updated + st.failed, 0);
    assert_int_equal(bad.n, 0);
    /* the file changes: one record edited, one added; the rest are skipped as unchanged */
    sleep(1); /* a different mtime */
    static const char changed[] =
        "{\"id\":\"a1\",\"url\":\"https://hanoimoi.vn/a1\",\"title\":\"Hà Nội đón Tết\","
        "\"text\":\"Người dân Thủ đô vui xuân.\",\"date\":\"2021-02-10\"}\n"
        "{\"id\":\"a3\",\"title\":\"Thạch Thất mới\",\"text\":\"Huyện Thạch Thất.\"}\n"
        "{\"id\":\"a5\",\"title\":\"Ba Vì\",\"text\":\"Huyện Ba Vì.\"}\n";
    assert_true(tu_write_file(in, changed, strlen(changed)));
    assert_int_equal(kt_index_jsonl(db, in, NULL, &cb, &st, &err), KT_OK);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.added, 1);
    assert_int_equal(doc_count(db), 5);
    free(in);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

static void test_gzip_input(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("index");
    char *in = path_in(dir, "in.jsonl.gz"), *db = path_in(dir, "db");
    gzFile gz = gzopen(in, "wb");
    assert_non_null(gz);
    for (int i = 0; i < 50; i++)
        gzprintf(gz, "{\"id\":\"g%d\",\"title\":\"Tin số %d\",\"text\":\"Nội dung %d.\"}\n", i, i,
                 i);
    gzclose(gz);
    struct kt_index_stats st;
    struct kt_err err = {0};
    assert_int_equal(kt_index_jsonl(db, in, NULL, NULL, &st, &err), KT_OK);
    assert_int_equal(st.added, 50);
    assert_int_equal(doc_count(db), 50);
    /* a truncated gzip file is an error naming the file, and what came before is kept */
    char *cut = path_in(dir, "cut.jsonl.gz"), *db2 = path_in(dir, "db2");
    struct kt_buf whole = {0};
    assert_int_equal(kt_read_file(in, 0, &whole, &err), KT_OK);
    assert_true(tu_write_file(cut, whole.data, whole.len - 12));
    kt_status s = kt_index_jsonl(db2, cut, NULL, NULL, &st, &err);
    assert_true(s == KT_ECORRUPT || s == KT_EIO);
    assert_non_null(strstr(err.msg, "cut.jsonl.gz"));
    kt_buf_free(&whole);
    free(cut);
    free(db2);
    free(in);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

static void test_archive_incremental(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("index");
    char *arch = path_in(dir, "archive"), *db = path_in(dir, "db");
    struct kt_err err = {0};
    struct kt_archive *a = NULL;
    if (kt_archive_open(arch, NULL, &a, NULL, &err) != KT_OK)
        fail_msg("%s", err.msg);
    const char *titles[] = {"Huyện Thường Tín ra quân", "Quận Hoàn Kiếm họp dân",
                            "Xã Vạn Điểm đạt chuẩn"};
    for (int i = 0; i < 3; i++) {
        struct kt_article art;
        kt_article_init(&art);
        char url[64];
        snprintf(url, sizeof url, "https://hanoimoi.vn/art%d", i);
        art.url = strdup(url);
        art.id = strdup(url);
        art.title = strdup(titles[i]);
        art.text = strdup("Nội dung bài viết về địa phương.");
        art.site = strdup("hanoimoi.vn");
        art.date = strdup("2020-05-01");
        assert_int_equal(kt_article_store_put(kt_archive_state(a), &art, NULL, &err), KT_OK);
        kt_article_free(&art);
    }
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    struct kt_index_stats st;
    if (kt_index_archive(db, arch, NULL, NULL, &st, &err) != KT_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(st.added, 3);
    assert_int_equal(doc_count(db), 3);
    assert_int_equal(kt_index_archive(db, arch, NULL, NULL, &st, &err), KT_OK);
    assert_true(st.nothing_new);
    /* a changed article is re-indexed, replacing its document */
    assert_int_equal(kt_archive_open(arch, NULL, &a, NULL, &err), KT_OK);
    struct kt_article art;
    kt_article_init(&art);
    art.url = strdup("https://hanoimoi.vn/art1");
    art.id = strdup(art.url);
    art.title = strdup("Quận Hoàn Kiếm họp dân (cập nhật)");
    art.text = strdup("Nội dung mới.");
    assert_int_equal(kt_article_store_put(kt_archive_state(a), &art, NULL, &err), KT_OK);
    kt_article_free(&art);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    assert_int_equal(kt_index_archive(db, arch, NULL, NULL, &st, &err), KT_OK);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.added, 0);
    assert_int_equal(doc_count(db), 3);

    /* the CLI says so when there is nothing new */
    char *argv[] = {(char *)tu_khotin_bin(), "index", "--db", db, "--archive", arch, NULL};
    struct kt_buf out = {0}, errb = {0};
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errb), 0);
    assert_non_null(strstr(errb.data, "nothing new"));
    kt_buf_free(&out);
    kt_buf_free(&errb);
    free(arch);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

static void test_second_writer_exit_75(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("index");
    char *in = path_in(dir, "in.jsonl"), *db = path_in(dir, "db");
    assert_true(tu_write_file(in, good_and_bad, strlen(good_and_bad)));
    kt_xdbw *w = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_xdbw_open(db, KT_XDBW_CREATE_OR_OPEN, &w, &err), KT_OK);
    char *argv[] = {(char *)tu_khotin_bin(), "index", "--db", db, "--jsonl", in, NULL};
    struct kt_buf out = {0}, errb = {0};
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errb), 75);
    assert_non_null(strstr(errb.data, "index is locked by another process"));
    kt_xdbw_close(w);
    /* once free, the CLI indexes, reports the bad lines by number and exits 1 */
    kt_buf_reset(&errb);
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errb), 1);
    assert_non_null(strstr(errb.data, "line 3"));
    assert_non_null(strstr(errb.data, "line 6"));
    assert_non_null(strstr(errb.data, "4 added"));
    kt_buf_reset(&errb);
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errb), 0);
    assert_non_null(strstr(errb.data, "nothing new"));
    kt_buf_free(&out);
    kt_buf_free(&errb);
    free(in);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

/* Generated records: n_lines lines over n_ids distinct ids (later lines repeat earlier ids). */
static void write_generated(const char *path, int n_lines, int n_ids)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    static const char *words[] = {
        "Hà Nội",        "Thường Tín", "nông thôn mới", "Bí thư",  "Huyện ủy",
        "Chủ tịch UBND", "xã",         "phường",        "kinh tế", "giao thông"};
    for (int i = 0; i < n_lines; i++) {
        int id = i % n_ids;
        fprintf(f, "{\"id\":\"k%d\",\"title\":\"Tin %s số %d\",\"text\":\"", id, words[i % 10], i);
        for (int k = 0; k < 30; k++)
            fprintf(f, "%s %s. ", words[(i + k) % 10], words[(i * 7 + k) % 10]);
        fprintf(f, "\",\"date\":\"20%02d-0%d-1%d\"}\n", 15 + i % 10, 1 + i % 9, i % 10);
    }
    fclose(f);
}

static void test_sigkill_then_rerun(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("index");
    char *in = path_in(dir, "gen.jsonl"), *db = path_in(dir, "db");
    const int n_lines = 4000, n_ids = 3000;
    write_generated(in, n_lines, n_ids);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    int killed = 0;
    for (int round = 0; round < 3; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 2);
            execl(tu_khotin_bin(), tu_khotin_bin(), "index", "--db", db, "--jsonl", in, "--batch",
                  "150", (char *)NULL);
            _exit(127);
        }
        useconds_t delay = 20000 + (useconds_t)(rand() % 400000);
        usleep(delay);
        int status = 0;
        if (kill(pid, SIGKILL) == 0)
            killed++;
        waitpid(pid, &status, 0);
        printf("# round %d: SIGKILL after %u ms (%s)\n", round, (unsigned)(delay / 1000),
               WIFSIGNALED(status) ? "killed" : "had finished");
    }
    /* the rerun completes the work */
    char *argv[] = {(char *)tu_khotin_bin(), "index", "--db", db, "--jsonl", in, NULL};
    struct kt_buf out = {0}, errb = {0};
    int rc = tu_run(argv, NULL, 0, &out, &errb);
    if (rc != 0)
        fail_msg("rerun exit %d: %s", rc, errb.data);
    assert_int_equal(doc_count(db), n_ids);
    kt_xdb *x = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_xdb_open(db, &x, &err), KT_OK);
    for (int i = 0; i < n_ids; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", i);
        if (id_freq(x, id) != 1)
            fail_msg("id %s: %u documents", id, id_freq(x, id));
    }
    kt_xdb_close(x);
    /* and a last run has nothing to do */
    kt_buf_reset(&errb);
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errb), 0);
    assert_non_null(strstr(errb.data, "nothing new"));
    (void)killed;
    kt_buf_free(&out);
    kt_buf_free(&errb);
    free(in);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_bad_lines_and_rerun),
        cmocka_unit_test(test_gzip_input),
        cmocka_unit_test(test_archive_incremental),
        cmocka_unit_test(test_second_writer_exit_75),
        cmocka_unit_test(test_sigkill_then_rerun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
