/* test_xapian.c - the C binding over libxapian, on real glass databases in temporary
 * directories: writing, reading, queries, ranking options, snippets, facets and error codes. */
#define _POSIX_C_SOURCE 200809L
#include "indexer/indexer.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- fixtures and helpers */

struct fx {
    char *dir;       /* temporary directory */
    char path[1024]; /* database path inside it */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_mkdtemp("xapian");
    if (!f->dir) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

#define OK(call)                                                                                   \
    do {                                                                                           \
        struct kt_err e_ = {0};                                                                    \
        kt_status s_ = (call);                                                                     \
        if (s_ != KT_OK)                                                                           \
            fail_msg("%s -> %s: %s", #call, kt_status_str(s_), e_.msg);                            \
    } while (0)
/* OK() needs the call to use `&e_` as its error argument. */

/* A document whose words (space-separated) are postings at positions 1, 2, ..., with an
 * optional unique term, data and a value in slot 0. */
static kt_xdoc *mkdoc(const char *words, const char *uniq, const char *data, const char *v0)
{
    kt_xdoc *d = NULL;
    OK(kt_xdoc_new(&d, &e_));
    uint32_t pos = 1;
    const char *p = words;
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        OK(kt_xdoc_add_posting(d, p, n, pos++, 1, &e_));
        p += n;
    }
    if (uniq)
        OK(kt_xdoc_add_boolean_term(d, uniq, strlen(uniq), &e_));
    if (data)
        OK(kt_xdoc_set_data(d, data, strlen(data), &e_));
    if (v0)
        OK(kt_xdoc_set_value(d, 0, v0, strlen(v0), &e_));
    return d;
}

static kt_xdocid add(kt_xdbw *w, const char *words, const char *uniq, const char *data,
                     const char *v0)
{
    kt_xdoc *d = mkdoc(words, uniq, data, v0);
    kt_xdocid id = 0;
    OK(kt_xdbw_add_document(w, d, &id, &e_));
    kt_xdoc_free(d);
    return id;
}

static kt_xdbw *open_writer(const char *path)
{
    kt_xdbw *w = NULL;
    OK(kt_xdbw_open(path, KT_XDBW_CREATE_OR_OPEN, &w, &e_));
    return w;
}

static kt_xdb *open_reader(const char *path)
{
    kt_xdb *r = NULL;
    OK(kt_xdb_open(path, &r, &e_));
    return r;
}

static kt_xquery *term(const char *t)
{
    kt_xquery *q = NULL;
    OK(kt_xquery_term(t, strlen(t), 1, 0, &q, &e_));
    return q;
}

/* Runs q on r with the given enquire setup already applied, returns the mset. */
static kt_xmset *search(kt_xenquire *e, const kt_xquery *q, uint32_t limit)
{
    kt_xmset *m = NULL;
    OK(kt_xenquire_set_query(e, q, 0, &e_));
    OK(kt_xenquire_get_mset(e, 0, limit, 1000, &m, &e_));
    return m;
}

static uint32_t mset_size(const kt_xmset *m)
{
    struct kt_xmset_info info;
    OK(kt_xmset_info(m, &info, &e_));
    return info.size;
}

static kt_xdocid hit_docid(const kt_xmset *m, size_t i)
{
    struct kt_xhit h;
    OK(kt_xmset_hit(m, i, &h, &e_));
    return h.docid;
}

/* Collects visited terms into a newline-separated string. */
static int collect(void *ctx, const char *t, size_t len, uint32_t freq)
{
    struct kt_buf *b = ctx;
    if (kt_buf_printf(b, "%.*s=%u\n", (int)len, t, freq) != KT_OK)
        return 1;
    return 0;
}

/* ---------------------------------------------------------------- databases */

static void test_create_open_and_count(void **state)
{
    struct fx *f = *state;
    char nested[1100];
    snprintf(nested, sizeof nested, "%s/a/b/index", f->dir);
    kt_xdbw *w = open_writer(nested); /* parent directories are created */
    assert_string_equal(kt_xdbw_path(w), nested);
    add(w, "ha noi", NULL, "one", NULL);
    add(w, "thach that", NULL, "two", NULL);
    uint32_t n = 0;
    OK(kt_xdbw_doc_count(w, &n, &e_));
    assert_int_equal(n, 2);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);

    kt_xdbw *w2 = NULL;
    OK(kt_xdbw_open(nested, KT_XDBW_MUST_EXIST, &w2, &e_));
    OK(kt_xdbw_doc_count(w2, &n, &e_));
    assert_int_equal(n, 2);
    kt_xdbw_close(w2);

    kt_xdb *r = open_reader(nested);
    assert_string_equal(kt_xdb_path(r), nested);
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 2);
    kt_xdocid last = 0;
    OK(kt_xdb_last_docid(r, &last, &e_));
    assert_int_equal(last, 2);
    kt_xdoc *d = NULL;
    OK(kt_xdb_get_document(r, 2, &d, &e_));
    struct kt_buf b = {0};
    OK(kt_xdoc_get_data(d, &b, &e_));
    assert_string_equal(b.data, "two");
    kt_xdocid id = 0;
    OK(kt_xdoc_docid(d, &id, &e_));
    assert_int_equal(id, 2);
    kt_xdoc_free(d);
    struct kt_err err = {0};
    assert_int_equal(kt_xdb_get_document(r, 9, &d, &err), KT_ENOTFOUND);
    assert_null(d);
    kt_buf_free(&b);
    kt_xdb_close(r);
    assert_non_null(kt_xapian_version());
}

static void test_open_missing_gives_enotfound(void **state)
{
    struct fx *f = *state;
    struct kt_err err = {0};
    kt_xdbw *w = (kt_xdbw *)&err; /* must be reset to NULL */
    assert_int_equal(kt_xdbw_open(f->path, KT_XDBW_MUST_EXIST, &w, &err), KT_ENOTFOUND);
    assert_null(w);
    assert_int_equal(err.code, KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, f->path));

    kt_xdb *r = (kt_xdb *)&err;
    kt_err_clear(&err);
    assert_int_equal(kt_xdb_open(f->path, &r, &err), KT_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.msg, f->path));

    /* An existing directory that holds no index: not found, not corrupt. */
    kt_err_clear(&err);
    assert_int_equal(kt_xdb_open(f->dir, &r, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, f->dir));
    assert_int_equal(kt_xdbw_open(f->dir, KT_XDBW_MUST_EXIST, &w, &err), KT_ENOTFOUND);

    kt_xdbw_close(NULL); /* NULL-safe */
    kt_xdb_close(NULL);
}

static void test_replace_by_unique_term(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    const char *q1 = "Qhttps://hanoimoi.vn/a1";
    const char *q2 = "Qhttps://hanoimoi.vn/a2";
    kt_xdocid id1 = add(w, "ban cu", q1, "version 1", NULL);
    add(w, "khac", q2, "other", NULL);

    kt_xdoc *d = mkdoc("ban moi", q1, "version 2", NULL);
    kt_xdocid rid = 0;
    OK(kt_xdbw_replace_by_term(w, q1, strlen(q1), d, &rid, &e_));
    kt_xdoc_free(d);
    assert_int_equal(rid, id1);
    uint32_t n = 0;
    OK(kt_xdbw_doc_count(w, &n, &e_));
    assert_int_equal(n, 2);
    OK(kt_xdbw_commit(w, &e_));

    kt_xdb *r = open_reader(f->path);
    kt_xdocid found = 0;
    OK(kt_xdb_find_by_term(r, q1, strlen(q1), &found, &e_));
    assert_int_equal(found, id1);
    OK(kt_xdb_get_document(r, found, &d, &e_));
    struct kt_buf b = {0};
    OK(kt_xdoc_get_data(d, &b, &e_));
    assert_string_equal(b.data, "version 2");
    kt_xdoc_free(d);
    bool has = true;
    OK(kt_xdb_term_exists(r, "cu", 2, &has, &e_));
    assert_false(has); /* the old content is gone */
    OK(kt_xdb_term_exists(r, "moi", 3, &has, &e_));
    assert_true(has);

    /* Replacing by a unique term nobody has adds a document. */
    const char *q3 = "Qhttps://hanoimoi.vn/a3";
    d = mkdoc("moi", q3, "new", NULL);
    OK(kt_xdbw_replace_by_term(w, q3, strlen(q3), d, &rid, &e_));
    kt_xdoc_free(d);
    OK(kt_xdbw_doc_count(w, &n, &e_));
    assert_int_equal(n, 3);
    assert_int_equal(rid, 3);

    kt_buf_free(&b);
    kt_xdb_close(r);
    kt_xdbw_close(w);
}

static void test_delete_by_term_and_docid(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    add(w, "mot", "Qa", NULL, NULL);
    kt_xdocid b = add(w, "hai", "Qb", NULL, NULL);
    add(w, "ba", "Qc", NULL, NULL);
    OK(kt_xdbw_delete_by_term(w, "Qa", 2, &e_));
    OK(kt_xdbw_delete_by_term(w, "Qnobody", 7, &e_)); /* deleting nothing is fine */
    OK(kt_xdbw_delete_document(w, b, &e_));
    struct kt_err err = {0};
    assert_int_equal(kt_xdbw_delete_document(w, 99, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, f->path));
    OK(kt_xdbw_commit(w, &e_));
    uint32_t n = 0;
    OK(kt_xdbw_doc_count(w, &n, &e_));
    assert_int_equal(n, 1);
    bool has = true;
    OK(kt_xdbw_term_exists(w, "Qa", 2, &has, &e_));
    assert_false(has);
    OK(kt_xdbw_term_exists(w, "Qc", 2, &has, &e_));
    assert_true(has);
    kt_xdocid id = 7;
    kt_err_clear(&err);
    assert_int_equal(kt_xdbw_find_by_term(w, "Qa", 2, &id, &err), KT_ENOTFOUND);
    assert_int_equal(id, 0);
    assert_non_null(strstr(err.msg, "Qa"));
    kt_xdbw_close(w);
}

static void test_reader_sees_commit_after_reopen(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    add(w, "dau tien", NULL, NULL, NULL);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdb *r = open_reader(f->path);

    add(w, "thu hai", NULL, NULL, NULL);
    add(w, "thu ba", NULL, NULL, NULL);
    uint32_t n = 0;
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 1); /* uncommitted: invisible */
    bool changed = true;
    OK(kt_xdb_reopen(r, &changed, &e_));
    assert_false(changed);
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 1);

    OK(kt_xdbw_commit(w, &e_));
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 1); /* still the old snapshot until reopen */
    OK(kt_xdb_reopen(r, &changed, &e_));
    assert_true(changed);
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 3);
    OK(kt_xdb_term_freq(r, "thu", 3, &n, &e_));
    assert_int_equal(n, 2);
    kt_xdb_close(r);
    kt_xdbw_close(w);
}

static void test_metadata_round_trip(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    const char bin[] = {'v', '3', '\0', '\xff', 'x'};
    OK(kt_xdbw_set_metadata(w, "khotin.format", bin, sizeof bin, &e_));
    OK(kt_xdbw_set_metadata(w, "khotin.progress", "warc-00012:4711", 15, &e_));
    struct kt_buf b = {0};
    OK(kt_xdbw_get_metadata(w, "khotin.format", &b, &e_)); /* sees uncommitted */
    assert_int_equal(b.len, sizeof bin);
    OK(kt_xdbw_commit(w, &e_));

    kt_xdb *r = open_reader(f->path);
    OK(kt_xdb_get_metadata(r, "khotin.format", &b, &e_));
    assert_int_equal(b.len, sizeof bin);
    assert_memory_equal(b.data, bin, sizeof bin);
    OK(kt_xdb_get_metadata(r, "khotin.progress", &b, &e_));
    assert_string_equal(b.data, "warc-00012:4711");
    OK(kt_xdb_get_metadata(r, "absent", &b, &e_));
    assert_int_equal(b.len, 0);
    struct kt_err err = {0};
    assert_int_equal(kt_xdb_get_metadata(r, "", &b, &err), KT_EINVAL);

    /* An empty value deletes the key. */
    OK(kt_xdbw_set_metadata(w, "khotin.progress", NULL, 0, &e_));
    OK(kt_xdbw_commit(w, &e_));
    OK(kt_xdb_reopen(r, NULL, &e_));
    OK(kt_xdb_get_metadata(r, "khotin.progress", &b, &e_));
    assert_int_equal(b.len, 0);
    kt_buf_free(&b);
    kt_xdb_close(r);
    kt_xdbw_close(w);
}

static void test_second_writer_same_process_locked(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    struct kt_err err = {0};
    kt_xdbw *w2 = NULL;
    assert_int_equal(kt_xdbw_open(f->path, KT_XDBW_CREATE_OR_OPEN, &w2, &err), KT_ELOCKED);
    assert_null(w2);
    char want[1200];
    snprintf(want, sizeof want, "%s: index is locked by another process", f->path);
    assert_string_equal(err.msg, want);
    /* Readers are never blocked by the writer. */
    kt_xdb *r = open_reader(f->path);
    kt_xdb_close(r);
    kt_xdbw_close(w);
    /* Closing releases the lock. */
    w2 = open_writer(f->path);
    kt_xdbw_close(w2);
}

static void test_second_writer_other_process_locked(void **state)
{
    struct fx *f = *state;
    int ready[2], done[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(done), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(done[1]);
        kt_xdbw *cw = NULL;
        char c = kt_xdbw_open(f->path, KT_XDBW_CREATE_OR_OPEN, &cw, NULL) == KT_OK ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(2);
        if (read(done[0], &c, 1) < 0)
            _exit(3);
        kt_xdbw_close(cw);
        _exit(0);
    }
    close(ready[1]);
    close(done[0]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    struct kt_err err = {0};
    kt_xdbw *w = NULL;
    kt_status st = kt_xdbw_open(f->path, KT_XDBW_MUST_EXIST, &w, &err);
    assert_int_equal(write(done[1], "x", 1), 1);
    int wst = 0;
    assert_int_equal(waitpid(pid, &wst, 0), pid);
    close(ready[0]);
    close(done[1]);
    assert_true(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    assert_int_equal(st, KT_ELOCKED);
    assert_null(w);
    assert_non_null(strstr(err.msg, f->path));
    assert_int_equal(kt_status_exit_code(err.code), 75);
    w = open_writer(f->path); /* the child has exited: free again */
    kt_xdbw_close(w);
}

/* Creates a committed database of n documents at path. */
static void build_db(const char *path, int n)
{
    kt_xdbw *w = open_writer(path);
    char words[128], uniq[64];
    for (int i = 0; i < n; i++) {
        snprintf(words, sizeof words, "tin tuc so%d ha noi", i);
        snprintf(uniq, sizeof uniq, "Qdoc%d", i);
        add(w, words, uniq, "du lieu bai viet", "20240101");
    }
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
}

static void overwrite_file(const char *file, long offset, size_t len)
{
    int fd = open(file, O_WRONLY);
    assert_true(fd >= 0);
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 131 + 7);
    while (len > 0) {
        size_t n = len < sizeof junk ? len : sizeof junk;
        assert_int_equal(pwrite(fd, junk, n, offset), (ssize_t)n);
        offset += (long)n;
        len -= n;
    }
    close(fd);
}

static void test_truncated_table_gives_ecorrupt(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 300);
    char file[1200];
    snprintf(file, sizeof file, "%s/postlist.glass", f->path);
    assert_int_equal(truncate(file, 0), 0);

    struct kt_err err = {0};
    kt_xdb *r = NULL;
    assert_int_equal(kt_xdb_open(f->path, &r, &err), KT_ECORRUPT);
    assert_null(r);
    assert_non_null(strstr(err.msg, f->path));
    assert_int_equal(kt_status_exit_code(err.code), 65);
    kt_xdbw *w = NULL;
    kt_err_clear(&err);
    assert_int_equal(kt_xdbw_open(f->path, KT_XDBW_MUST_EXIST, &w, &err), KT_ECORRUPT);
    assert_null(w);
    assert_non_null(strstr(err.msg, f->path));
}

static void test_overwritten_table_gives_ecorrupt(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 300);
    char file[1200];
    snprintf(file, sizeof file, "%s/termlist.glass", f->path);
    overwrite_file(file, 8192, 16384); /* clobber the blocks after the header */
    struct kt_err err = {0};
    kt_xdb *r = NULL;
    kt_status st = kt_xdb_open(f->path, &r, &err);
    if (st == KT_OK) { /* Xapian may only notice on first read */
        uint32_t n;
        kt_xdoc *d = NULL;
        st = kt_xdb_doc_count(r, &n, &err);
        if (st == KT_OK)
            st = kt_xdb_get_document(r, 1, &d, &err);
        kt_xdoc_free(d);
        kt_xdb_close(r);
    }
    assert_int_equal(st, KT_ECORRUPT);
    assert_non_null(strstr(err.msg, f->path));

    /* A damaged revision file (iamglass) as well. */
    snprintf(file, sizeof file, "%s/iamglass", f->path);
    overwrite_file(file, 0, 64);
    kt_err_clear(&err);
    assert_int_equal(kt_xdb_open(f->path, &r, &err), KT_ECORRUPT);
    assert_non_null(strstr(err.msg, "corrupt"));
}

static void test_missing_revision_file_or_plain_file(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 10);
    char file[1200];
    snprintf(file, sizeof file, "%s/iamglass", f->path);
    assert_int_equal(unlink(file), 0);
    /* Xapian says "not found" (DatabaseNotFoundError); the tables are still there, so the
     * binding reports damage rather than a missing index. */
    struct kt_err err = {0};
    kt_xdb *r = NULL;
    assert_int_equal(kt_xdb_open(f->path, &r, &err), KT_ECORRUPT);
    assert_non_null(strstr(err.msg, f->path));
    kt_xdbw *w = NULL;
    assert_int_equal(kt_xdbw_open(f->path, KT_XDBW_MUST_EXIST, &w, &err), KT_ECORRUPT);
    assert_null(w);

    /* A regular file where an index should be: not an index. */
    snprintf(file, sizeof file, "%s/notes.txt", f->dir);
    assert_true(tu_write_file(file, "hello\n", 6));
    kt_err_clear(&err);
    assert_int_equal(kt_xdb_open(file, &r, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "not a Xapian index"));
    assert_non_null(strstr(err.msg, file));
    kt_err_clear(&err);
    assert_int_equal(kt_xdbw_open(file, KT_XDBW_MUST_EXIST, &w, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, file));
}

static void test_stale_reader_gets_emodified_then_reopens(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 200);
    kt_xdb *r = open_reader(f->path);
    kt_xdbw *w = open_writer(f->path);
    char words[64], uniq[32];
    /* Rewrite every document several times so the blocks the reader's revision used are
     * recycled. */
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 200; i++) {
            snprintf(words, sizeof words, "vong%d bai%d", round, i);
            snprintf(uniq, sizeof uniq, "Qdoc%d", i);
            kt_xdoc *d = mkdoc(words, uniq, "thay doi noi dung", NULL);
            OK(kt_xdbw_replace_by_term(w, uniq, strlen(uniq), d, NULL, &e_));
            kt_xdoc_free(d);
        }
        OK(kt_xdbw_commit(w, &e_));
    }
    struct kt_err err = {0};
    kt_status st = KT_OK;
    struct kt_buf b = {0};
    for (kt_xdocid id = 1; id <= 200 && st == KT_OK; id++) {
        kt_xdoc *d = NULL;
        st = kt_xdb_get_document(r, id, &d, &err);
        if (st == KT_OK)
            st = kt_xdoc_get_data(d, &b, &err);
        kt_xdoc_free(d);
    }
    assert_int_equal(st, KT_EMODIFIED);
    assert_non_null(strstr(err.msg, f->path));
    assert_int_equal(kt_status_exit_code(st), 75);
    /* The documented recovery: reopen and retry. */
    bool changed = false;
    OK(kt_xdb_reopen(r, &changed, &e_));
    assert_true(changed);
    kt_xdoc *d = NULL;
    OK(kt_xdb_get_document(r, 1, &d, &e_));
    OK(kt_xdoc_get_data(d, &b, &e_));
    assert_string_equal(b.data, "thay doi noi dung");
    kt_xdoc_free(d);
    kt_buf_free(&b);
    kt_xdbw_close(w);
    kt_xdb_close(r);
}

static void test_transactions(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    add(w, "truoc", NULL, NULL, NULL);
    OK(kt_xdbw_begin_transaction(w, true, &e_));
    add(w, "huy", NULL, NULL, NULL);
    struct kt_err err = {0};
    assert_int_equal(kt_xdbw_commit(w, &err), KT_EINVAL); /* commit inside a transaction */
    assert_int_equal(kt_xdbw_begin_transaction(w, true, &err), KT_EINVAL); /* nesting */
    OK(kt_xdbw_cancel_transaction(w, &e_));
    uint32_t n = 0;
    OK(kt_xdbw_doc_count(w, &n, &e_));
    assert_int_equal(n, 1);

    OK(kt_xdbw_begin_transaction(w, false, &e_));
    add(w, "giu", NULL, NULL, NULL);
    OK(kt_xdbw_set_metadata(w, "progress", "7", 1, &e_));
    OK(kt_xdbw_commit_transaction(w, &e_));
    OK(kt_xdbw_commit(w, &e_));
    kt_xdb *r = open_reader(f->path);
    OK(kt_xdb_doc_count(r, &n, &e_));
    assert_int_equal(n, 2);
    bool has = true;
    OK(kt_xdb_term_exists(r, "huy", 3, &has, &e_));
    assert_false(has);
    kt_err_clear(&err);
    assert_int_equal(kt_xdbw_commit_transaction(w, &err), KT_EINVAL); /* none open */
    kt_xdb_close(r);
    kt_xdbw_close(w);
}

/* ---------------------------------------------------------------- documents */

static void test_document_terms_values_and_limits(void **state)
{
    (void)state;
    kt_xdoc *d = NULL;
    OK(kt_xdoc_new(&d, &e_));
    OK(kt_xdoc_add_term(d, "uy", 2, 2, &e_));
    OK(kt_xdoc_add_posting(d, "ban", 3, 5, 1, &e_));
    OK(kt_xdoc_add_boolean_term(d, "XSITEhanoimoi.vn", 16, &e_));
    OK(kt_xdoc_add_boolean_term(d, "XSITEkinhtedothi.vn", 19, &e_));
    OK(kt_xdoc_set_value(d, 3, "2024", 4, &e_));

    struct kt_buf b = {0};
    OK(kt_xdoc_terms(d, "XSITE", 5, collect, &b, &e_));
    assert_string_equal(b.data, "XSITEhanoimoi.vn=0\nXSITEkinhtedothi.vn=0\n");
    kt_buf_reset(&b);
    OK(kt_xdoc_terms(d, NULL, 0, collect, &b, &e_));
    assert_string_equal(b.data, "XSITEhanoimoi.vn=0\nXSITEkinhtedothi.vn=0\nban=1\nuy=2\n");
    uint32_t n = 0;
    OK(kt_xdoc_term_count(d, &n, &e_));
    assert_int_equal(n, 4);
    OK(kt_xdoc_remove_term(d, "uy", 2, &e_));
    OK(kt_xdoc_term_count(d, &n, &e_));
    assert_int_equal(n, 3);
    struct kt_err err = {0};
    assert_int_equal(kt_xdoc_remove_term(d, "uy", 2, &err), KT_ENOTFOUND);

    OK(kt_xdoc_get_value(d, 3, &b, &e_));
    assert_string_equal(b.data, "2024");
    OK(kt_xdoc_get_value(d, 4, &b, &e_));
    assert_int_equal(b.len, 0);
    OK(kt_xdoc_set_value(d, 3, NULL, 0, &e_)); /* removes */
    OK(kt_xdoc_get_value(d, 3, &b, &e_));
    assert_int_equal(b.len, 0);

    /* Limits: empty, too long, position 0, bad slot. */
    char longterm[KT_XTERM_MAX + 1];
    memset(longterm, 'a', sizeof longterm);
    assert_int_equal(kt_xdoc_add_term(d, "", 0, 1, &err), KT_EINVAL);
    assert_int_equal(kt_xdoc_add_term(d, longterm, sizeof longterm, 1, &err), KT_EINVAL);
    assert_non_null(strstr(err.msg, "longer than 245"));
    OK(kt_xdoc_add_term(d, longterm, KT_XTERM_MAX, 1, &e_));
    assert_int_equal(kt_xdoc_add_posting(d, "x", 1, 0, 1, &err), KT_EINVAL);
    assert_int_equal(kt_xdoc_set_value(d, KT_XSLOT_NONE, "x", 1, &err), KT_EINVAL);
    assert_int_equal(kt_xdoc_add_term(NULL, "x", 1, 1, &err), KT_EINVAL);
    assert_int_equal(kt_xdoc_new(NULL, &err), KT_EINVAL);
    kt_xdoc_free(NULL);
    kt_xdocid id = 9;
    OK(kt_xdoc_docid(d, &id, &e_));
    assert_int_equal(id, 0);
    kt_buf_free(&b);
    kt_xdoc_free(d);
}

static void test_sortable_serialise_orders_numbers(void **state)
{
    (void)state;
    const double v[] = {-1e9, -49.5, -0.5, 0, 0.25, 28, 40.7, 49.5, 1e6, 3e12};
    char prev[9], cur[9];
    size_t plen = kt_xsortable_serialise(v[0], prev);
    for (size_t i = 1; i < sizeof v / sizeof v[0]; i++) {
        size_t clen = kt_xsortable_serialise(v[i], cur);
        assert_true(clen <= 9);
        size_t m = plen < clen ? plen : clen;
        int c = memcmp(prev, cur, m);
        assert_true(c < 0 || (c == 0 && plen < clen));
        assert_true(fabs(kt_xsortable_unserialise(cur, clen) - v[i]) < 1e-9 * fabs(v[i]) + 1e-12);
        memcpy(prev, cur, clen);
        plen = clen;
    }
}

/* ---------------------------------------------------------------- searching */

static void test_values_sort_and_range(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    kt_xdocid a = add(w, "hoi nghi", NULL, "a", "20240315");
    kt_xdocid b = add(w, "hoi nghi", NULL, "b", "20231201");
    kt_xdocid c = add(w, "hoi nghi", NULL, "c", "20250102");
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xquery *q = term("hoi");

    OK(kt_xenquire_set_sort(e, KT_XSORT_VALUE, 0, false, &e_));
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 3);
    assert_int_equal(hit_docid(m, 0), b);
    assert_int_equal(hit_docid(m, 1), a);
    assert_int_equal(hit_docid(m, 2), c);
    struct kt_buf v = {0};
    OK(kt_xmset_value(m, 0, 0, &v, &e_));
    assert_string_equal(v.data, "20231201");
    kt_xmset_free(m);

    OK(kt_xenquire_set_sort(e, KT_XSORT_VALUE_THEN_RELEVANCE, 0, true, &e_)); /* newest first */
    m = search(e, q, 10);
    assert_int_equal(hit_docid(m, 0), c);
    assert_int_equal(hit_docid(m, 2), b);
    kt_xmset_free(m);

    /* Date range 2024-01-01..2024-12-31 on slot 0, as a filter on the term query. */
    kt_xquery *range = NULL;
    OK(kt_xquery_value_range(0, "20240101", 8, "20241231", 8, &range, &e_));
    kt_xquery *subs[2] = {q, range};
    kt_xquery *fq = NULL;
    OK(kt_xquery_combine(KT_XOP_FILTER, subs, 2, 0, &fq, &e_));
    m = search(e, fq, 10);
    assert_int_equal(mset_size(m), 1);
    assert_int_equal(hit_docid(m, 0), a);
    kt_xmset_free(m);
    kt_xquery *open_end = NULL;
    OK(kt_xquery_value_range(0, "20240101", 8, NULL, 0, &open_end, &e_));
    m = search(e, open_end, 10);
    assert_int_equal(mset_size(m), 2);
    kt_xmset_free(m);
    kt_xquery_free(open_end);
    OK(kt_xquery_value_range(0, NULL, 0, "20240101", 8, &open_end, &e_));
    m = search(e, open_end, 10);
    assert_int_equal(mset_size(m), 1);
    assert_int_equal(hit_docid(m, 0), b);
    kt_xmset_free(m);

    struct kt_err err = {0};
    assert_int_equal(kt_xmset_value(NULL, 0, 0, &v, &err), KT_EINVAL);
    kt_buf_free(&v);
    kt_xquery_free(open_end);
    kt_xquery_free(range);
    kt_xquery_free(fq);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_boolean_terms_filter_without_weight(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    kt_xdoc *d = mkdoc("thanh uy ha noi", NULL, NULL, NULL);
    OK(kt_xdoc_add_boolean_term(d, "XSITEhanoimoi.vn", 16, &e_));
    kt_xdocid h = 0;
    OK(kt_xdbw_add_document(w, d, &h, &e_));
    kt_xdoc_free(d);
    d = mkdoc("thanh uy ha noi", NULL, NULL, NULL);
    OK(kt_xdoc_add_boolean_term(d, "XSITEdangcongsan.vn", 19, &e_));
    OK(kt_xdbw_add_document(w, d, NULL, &e_));
    kt_xdoc_free(d);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);

    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xquery *q = term("uy");
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 2);
    struct kt_xhit plain;
    OK(kt_xmset_hit(m, 0, &plain, &e_));
    kt_xmset_free(m);

    kt_xquery *site = term("XSITEhanoimoi.vn");
    kt_xquery *subs[2] = {q, site};
    kt_xquery *fq = NULL;
    OK(kt_xquery_combine(KT_XOP_FILTER, subs, 2, 0, &fq, &e_));
    m = search(e, fq, 10);
    assert_int_equal(mset_size(m), 1);
    struct kt_xhit hit;
    OK(kt_xmset_hit(m, 0, &hit, &e_));
    assert_int_equal(hit.docid, h);
    assert_true(fabs(hit.weight - plain.weight) < 1e-9); /* the filter adds no weight */
    assert_true(hit.weight > 0);
    kt_xmset_free(m);

    /* AND_NOT excludes the site. */
    kt_xquery *nq = NULL;
    OK(kt_xquery_combine(KT_XOP_AND_NOT, subs, 2, 0, &nq, &e_));
    m = search(e, nq, 10);
    assert_int_equal(mset_size(m), 1);
    assert_int_not_equal(hit_docid(m, 0), h);
    kt_xmset_free(m);

    struct kt_buf b = {0};
    OK(kt_xdb_all_terms(r, "XSITE", 5, collect, &b, &e_));
    assert_string_equal(b.data, "XSITEdangcongsan.vn=1\nXSITEhanoimoi.vn=1\n");
    kt_buf_free(&b);
    kt_xquery_free(nq);
    kt_xquery_free(fq);
    kt_xquery_free(site);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_phrase_matches_adjacent_not_scattered(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    kt_xdocid adj = add(w, "hoi nghi ban chap hanh dang bo", NULL, NULL, NULL);
    kt_xdocid scat = add(w, "ban ve chap thuan hanh chinh", NULL, NULL, NULL);
    kt_xdocid rev = add(w, "hanh chap ban", NULL, NULL, NULL);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));

    const char *t[] = {"ban", "chap", "hanh"};
    const size_t l[] = {3, 4, 4};
    kt_xquery *ph = NULL;
    OK(kt_xquery_phrase(t, l, 3, 0, &ph, &e_));
    kt_xmset *m = search(e, ph, 10);
    assert_int_equal(mset_size(m), 1);
    assert_int_equal(hit_docid(m, 0), adj);
    kt_xmset_free(m);

    kt_xquery *subs[3] = {term("ban"), term("chap"), term("hanh")};
    kt_xquery *all = NULL;
    OK(kt_xquery_combine(KT_XOP_AND, subs, 3, 0, &all, &e_));
    m = search(e, all, 10);
    assert_int_equal(mset_size(m), 3); /* plain AND matches all three */
    kt_xmset_free(m);

    /* PHRASE through combine with a window of 5 also allows "ban ve chap thuan hanh". */
    kt_xquery *wide = NULL;
    OK(kt_xquery_combine(KT_XOP_PHRASE, subs, 3, 5, &wide, &e_));
    m = search(e, wide, 10);
    assert_int_equal(mset_size(m), 2);
    assert_true(hit_docid(m, 0) != rev && hit_docid(m, 1) != rev);
    kt_xmset_free(m);
    /* NEAR ignores order: the reversed document matches too. */
    kt_xquery *near = NULL;
    OK(kt_xquery_combine(KT_XOP_NEAR, subs, 3, 3, &near, &e_));
    m = search(e, near, 10);
    assert_int_equal(mset_size(m), 2);
    assert_true(hit_docid(m, 0) != scat && hit_docid(m, 1) != scat);
    kt_xmset_free(m);

    kt_xquery_free(near);
    kt_xquery_free(wide);
    kt_xquery_free(all);
    for (int i = 0; i < 3; i++)
        kt_xquery_free(subs[i]);
    kt_xquery_free(ph);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_snippet_highlights_matches(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    add(w, "hà nội", NULL, NULL, NULL);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    const char *t[] = {"hà", "nội"};
    const size_t l[] = {strlen("hà"), strlen("nội")};
    kt_xquery *q = NULL;
    OK(kt_xquery_phrase(t, l, 2, 0, &q, &e_));
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 1);

    struct kt_buf text = {0};
    for (int i = 0; i < 40; i++)
        assert_int_equal(kt_buf_append_cstr(&text, "Các xã đã hoàn thành kế hoạch năm. "), KT_OK);
    assert_int_equal(kt_buf_append_cstr(&text, "Thành ủy Hà Nội họp phiên thường kỳ. "), KT_OK);
    for (int i = 0; i < 40; i++)
        assert_int_equal(kt_buf_append_cstr(&text, "Các xã đã hoàn thành kế hoạch năm. "), KT_OK);

    struct kt_buf s = {0};
    OK(kt_xmset_snippet(m, text.data, text.len, 80, "[", "]", "…", KT_XSNIP_DEFAULT, &s, &e_));
    assert_non_null(strstr(s.data, "[Hà Nội]")); /* a matched phrase is highlighted whole */
    assert_true(s.len < text.len / 4);
    assert_memory_equal(s.data, "…", strlen("…"));          /* cut at the start */
    assert_string_equal(s.data + s.len - strlen("…"), "…"); /* and at the end */

    /* No highlighting markers when none are given. */
    OK(kt_xmset_snippet(m, text.data, text.len, 80, NULL, NULL, NULL, KT_XSNIP_DEFAULT, &s, &e_));
    assert_non_null(strstr(s.data, "Hà Nội"));
    assert_null(strstr(s.data, "["));

    /* A text without the query terms: empty with EMPTY_WITHOUT_MATCH. */
    const char *other = "Huyện Thạch Thất tổ chức đại hội.";
    OK(kt_xmset_snippet(m, other, strlen(other), 80, "<b>", "</b>", "...",
                        KT_XSNIP_DEFAULT | KT_XSNIP_EMPTY_WITHOUT_MATCH, &s, &e_));
    assert_int_equal(s.len, 0);
    OK(kt_xmset_snippet(m, other, strlen(other), 80, "<b>", "</b>", "...", KT_XSNIP_DEFAULT, &s,
                        &e_));
    assert_non_null(strstr(s.data, "Thạch Thất"));
    assert_null(strstr(s.data, "<b>"));

    /* Single terms are highlighted one by one, matched case-insensitively. */
    kt_xmset_free(m);
    kt_xquery_free(q);
    kt_xquery *subs[2] = {NULL, NULL};
    OK(kt_xquery_term("họp", strlen("họp"), 1, 0, &subs[0], &e_));
    OK(kt_xquery_term("thành", strlen("thành"), 1, 0, &subs[1], &e_));
    OK(kt_xquery_combine(KT_XOP_OR, subs, 2, 0, &q, &e_));
    m = search(e, q, 10);
    const char *line = "Thành ủy Hà Nội họp phiên thường kỳ.";
    OK(kt_xmset_snippet(m, line, strlen(line), 200, "<b>", "</b>", "...", KT_XSNIP_DEFAULT, &s,
                        &e_));
    assert_string_equal(s.data, "<b>Thành</b> ủy Hà Nội <b>họp</b> phiên thường kỳ.");
    kt_xquery_free(subs[0]);
    kt_xquery_free(subs[1]);

    kt_buf_free(&s);
    kt_buf_free(&text);
    kt_xmset_free(m);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_query_parser_and_bad_query(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 5);
    kt_xdb *r = open_reader(f->path);
    struct kt_err err = {0};
    kt_xquery *q = (kt_xquery *)&err;
    assert_int_equal(kt_xquery_parse("ha AND", 6, NULL, &q, &err), KT_EQUERY);
    assert_null(q);
    assert_int_equal(err.code, KT_EQUERY);
    assert_non_null(strstr(err.msg, "ha AND"));
    assert_non_null(strstr(err.msg, "Syntax"));
    kt_err_clear(&err);
    assert_int_equal(kt_xquery_parse("NOT", 3, NULL, &q, &err), KT_EQUERY);

    /* A good query with a boolean prefix, AND default and a phrase. */
    struct kt_xqp_prefix px[] = {{"id", "Q", true}};
    struct kt_xqp_opts o = {KT_XQP_DEFAULT, KT_XOP_AND, px, 1, r};
    const char *text = "\"Ha Noi\" tin id:doc3";
    OK(kt_xquery_parse(text, strlen(text), &o, &q, &e_));
    struct kt_buf b = {0};
    OK(kt_xquery_describe(q, &b, &e_));
    assert_non_null(strstr(b.data, "ha@1 PHRASE 2 noi@2"));
    assert_non_null(strstr(b.data, "Qdoc3"));
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 1);
    OK(kt_xmset_data(m, 0, &b, &e_));
    assert_string_equal(b.data, "du lieu bai viet");
    kt_xmset_free(m);
    kt_xquery_free(q);

    /* Wildcards need a database; parsing "so*" expands over so0..so4. */
    o.flags |= KT_XQP_WILDCARD;
    OK(kt_xquery_parse("so*", 3, &o, &q, &e_));
    m = search(e, q, 10);
    assert_int_equal(mset_size(m), 5);
    kt_xmset_free(m);
    kt_xquery_free(q);
    o.db = NULL;
    assert_int_equal(kt_xquery_parse("so*", 3, &o, &q, &err), KT_EINVAL);
    o.default_op = KT_XOP_NEAR;
    assert_int_equal(kt_xquery_parse("x", 1, &o, &q, &err), KT_EINVAL);

    /* An empty text gives the empty query. */
    bool empty = false;
    OK(kt_xquery_parse("", 0, NULL, &q, &e_));
    OK(kt_xquery_is_empty(q, &empty, &e_));
    assert_true(empty);
    kt_xquery_free(q);

    kt_buf_free(&b);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_query_builders(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    kt_xdocid a = add(w, "quan ba dinh", NULL, NULL, NULL);
    kt_xdocid b = add(w, "quan hoan kiem", NULL, NULL, NULL);
    add(w, "huyen soc son", NULL, NULL, NULL);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));

    kt_xquery *all = NULL, *none = NULL;
    OK(kt_xquery_match_all(&all, &e_));
    OK(kt_xquery_match_nothing(&none, &e_));
    kt_xmset *m = search(e, all, 10);
    assert_int_equal(mset_size(m), 3);
    kt_xmset_free(m);
    m = search(e, none, 10);
    assert_int_equal(mset_size(m), 0);
    kt_xmset_free(m);

    kt_xquery *quan = term("quan"), *kiem = term("kiem");
    kt_xquery *subs[2] = {quan, kiem};
    kt_xquery *maybe = NULL, * or = NULL, *xor = NULL;
    OK(kt_xquery_combine(KT_XOP_AND_MAYBE, subs, 2, 0, &maybe, &e_));
    m = search(e, maybe, 10);
    assert_int_equal(mset_size(m), 2);
    assert_int_equal(hit_docid(m, 0), b); /* "kiem" only adds weight */
    kt_xmset_free(m);
    OK(kt_xquery_combine(KT_XOP_OR, subs, 2, 0, & or, &e_));
    OK(kt_xquery_combine(KT_XOP_XOR, subs, 2, 0, &xor, &e_));
    m = search(e, xor, 10);
    assert_int_equal(mset_size(m), 1);
    assert_int_equal(hit_docid(m, 0), a);
    kt_xmset_free(m);

    /* OP_SCALE_WEIGHT doubles the weight. */
    m = search(e, quan, 10);
    struct kt_xhit h1, h2;
    OK(kt_xmset_hit(m, 0, &h1, &e_));
    kt_xmset_free(m);
    kt_xquery *scaled = NULL;
    OK(kt_xquery_scale(quan, 2.0, &scaled, &e_));
    m = search(e, scaled, 10);
    OK(kt_xmset_hit(m, 0, &h2, &e_));
    kt_xmset_free(m);
    assert_true(h1.weight > 0);
    assert_true(fabs(h2.weight - 2 * h1.weight) < 1e-9);
    struct kt_err err = {0};
    kt_xquery *bad = (kt_xquery *)&err;
    assert_int_equal(kt_xquery_scale(quan, -1, &bad, &err), KT_EINVAL);
    assert_null(bad);
    assert_int_equal(kt_xquery_scale(quan, NAN, &bad, &err), KT_EINVAL);
    assert_int_equal(kt_xquery_combine(KT_XOP_AND, subs, 0, 0, &bad, &err), KT_EINVAL);
    assert_int_equal(kt_xquery_combine((enum kt_xop)99, subs, 2, 0, &bad, &err), KT_EINVAL);
    assert_int_equal(kt_xquery_term("", 0, 1, 0, &bad, &err), KT_EINVAL);

    /* SYNONYM, ELITE_SET, MAX are accepted and match like OR. */
    const enum kt_xop ors[] = {KT_XOP_SYNONYM, KT_XOP_ELITE_SET, KT_XOP_MAX};
    for (size_t i = 0; i < 3; i++) {
        kt_xquery *x = NULL;
        OK(kt_xquery_combine(ors[i], subs, 2, 0, &x, &e_));
        m = search(e, x, 10);
        assert_int_equal(mset_size(m), 2);
        kt_xmset_free(m);
        kt_xquery_free(x);
    }

    /* Wildcard query; descriptions. */
    kt_xquery *wc = NULL;
    OK(kt_xquery_wildcard("h", 1, 0, &wc, &e_));
    m = search(e, wc, 10);
    assert_int_equal(mset_size(m), 2); /* hoan, huyen */
    kt_xmset_free(m);
    struct kt_buf d = {0};
    OK(kt_xquery_describe(or, &d, &e_));
    assert_string_equal(d.data, "Query((quan OR kiem))");

    /* Matching terms of a hit. */
    OK(kt_xenquire_set_query(e, or, 0, &e_));
    kt_buf_reset(&d);
    OK(kt_xenquire_matching_terms(e, b, collect, &d, &e_));
    assert_string_equal(d.data, "kiem=0\nquan=0\n");

    kt_buf_free(&d);
    kt_xquery_free(wc);
    kt_xquery_free(scaled);
    kt_xquery_free(xor);
    kt_xquery_free(or);
    kt_xquery_free(maybe);
    kt_xquery_free(quan);
    kt_xquery_free(kiem);
    kt_xquery_free(all);
    kt_xquery_free(none);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_collapse_key_reports_count(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    /* Three copies of one article (same content hash in slot 0), two others. */
    add(w, "dai hoi dang bo", NULL, "copy1", "hash-aaa");
    add(w, "dai hoi dang bo", NULL, "copy2", "hash-aaa");
    add(w, "dai hoi dang bo", NULL, "copy3", "hash-aaa");
    add(w, "dai hoi phu nu", NULL, "x", "hash-bbb");
    add(w, "dai hoi thanh nien", NULL, "y", NULL); /* no key: never collapsed */
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xquery *q = term("hoi");
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 5);
    kt_xmset_free(m);

    OK(kt_xenquire_set_collapse_key(e, 0, 1, &e_));
    m = search(e, q, 10);
    assert_int_equal(mset_size(m), 3);
    int seen_aaa = 0;
    struct kt_buf key = {0};
    for (size_t i = 0; i < 3; i++) {
        struct kt_xhit h;
        OK(kt_xmset_hit(m, i, &h, &e_));
        OK(kt_xmset_collapse_key(m, i, &key, &e_));
        if (strcmp(key.data, "hash-aaa") == 0) {
            seen_aaa++;
            assert_int_equal(h.collapse_count, 2);
        } else {
            assert_int_equal(h.collapse_count, 0);
        }
    }
    assert_int_equal(seen_aaa, 1);
    kt_xmset_free(m);

    OK(kt_xenquire_set_collapse_key(e, 0, 2, &e_)); /* two per key */
    m = search(e, q, 10);
    assert_int_equal(mset_size(m), 4);
    kt_xmset_free(m);
    OK(kt_xenquire_set_collapse_key(e, KT_XSLOT_NONE, 0, &e_)); /* off */
    m = search(e, q, 10);
    assert_int_equal(mset_size(m), 5);
    kt_xmset_free(m);
    kt_buf_free(&key);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_value_count_facets(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    const char *sites[] = {"hanoimoi.vn",    "kinhtedothi.vn", "hanoimoi.vn",
                           "dangcongsan.vn", "hanoimoi.vn",    "kinhtedothi.vn"};
    for (size_t i = 0; i < 6; i++) {
        kt_xdoc *d = mkdoc(i == 5 ? "khac" : "kinh te", NULL, NULL, NULL);
        OK(kt_xdoc_set_value(d, 2, sites[i], strlen(sites[i]), &e_));
        OK(kt_xdbw_add_document(w, d, NULL, &e_));
        kt_xdoc_free(d);
    }
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xspy *spy = NULL;
    OK(kt_xspy_new(2, &spy, &e_));
    OK(kt_xenquire_add_spy(e, spy, &e_));
    kt_xquery *q = term("kinh");
    kt_xmset *m = NULL;
    OK(kt_xenquire_set_query(e, q, 0, &e_));
    OK(kt_xenquire_get_mset(e, 0, 0, 100, &m, &e_)); /* counts only, no hits */
    assert_int_equal(mset_size(m), 0);
    kt_xmset_free(m);
    kt_xenquire_free(e); /* the spy outlives the enquire */

    uint32_t total = 0;
    OK(kt_xspy_total(spy, &total, &e_));
    assert_int_equal(total, 5);
    struct kt_buf b = {0};
    OK(kt_xspy_top_values(spy, 0, collect, &b, &e_));
    assert_string_equal(b.data, "hanoimoi.vn=3\ndangcongsan.vn=1\nkinhtedothi.vn=1\n");
    kt_buf_reset(&b);
    OK(kt_xspy_top_values(spy, 1, collect, &b, &e_));
    assert_string_equal(b.data, "hanoimoi.vn=3\n");
    kt_buf_free(&b);

    /* Freeing the spy first is also fine. */
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xspy *spy2 = NULL;
    OK(kt_xspy_new(2, &spy2, &e_));
    OK(kt_xenquire_add_spy(e, spy2, &e_));
    kt_xspy_free(spy2);
    OK(kt_xenquire_set_query(e, q, 0, &e_));
    OK(kt_xenquire_get_mset(e, 0, 10, 0, &m, &e_));
    assert_int_equal(mset_size(m), 5);
    kt_xmset_free(m);
    OK(kt_xenquire_clear_spies(e, &e_));
    kt_xenquire_free(e);
    kt_xspy_free(spy);
    kt_xquery_free(q);
    kt_xdb_close(r);
}

static void test_weighting_bm25_bool_and_errors(void **state)
{
    struct fx *f = *state;
    kt_xdbw *w = open_writer(f->path);
    kt_xdocid dense = add(w, "ngan sach ngan sach ngan sach thanh pho", NULL, NULL, NULL);
    kt_xdocid sparse = add(w, "ngan sach thanh pho ha noi nam nay tang", NULL, NULL, NULL);
    add(w, "giao thong", NULL, NULL, NULL);
    OK(kt_xdbw_commit(w, &e_));
    kt_xdbw_close(w);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xquery *q = term("ngan");

    OK(kt_xenquire_set_bm25(e, NULL, &e_));
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(hit_docid(m, 0), dense);
    struct kt_xhit d1;
    OK(kt_xmset_hit(m, 0, &d1, &e_));
    kt_xmset_free(m);
    /* k1 = 0 ignores wdf: the shorter-or-equal documents tie on term frequency, so the dense
     * document's weight changes. */
    struct kt_xbm25 p = {0.0, 0.0, 1.0, 0.5, 0.5};
    OK(kt_xenquire_set_bm25(e, &p, &e_));
    m = search(e, q, 10);
    struct kt_xhit d2;
    OK(kt_xmset_hit(m, 0, &d2, &e_));
    assert_true(fabs(d1.weight - d2.weight) > 1e-6);
    kt_xmset_free(m);

    /* Bool weight: everything weighs 0, docid order decides. */
    OK(kt_xenquire_set_bool_weight(e, &e_));
    OK(kt_xenquire_set_docid_order(e, KT_XDOCID_DESC, &e_));
    m = search(e, q, 10);
    struct kt_xhit h;
    OK(kt_xmset_hit(m, 0, &h, &e_));
    assert_int_equal(h.docid, sparse);
    assert_true(h.weight == 0.0);
    kt_xmset_free(m);

    struct kt_err err = {0};
    struct kt_xbm25 bad = KT_XBM25_DEFAULT;
    bad.k1 = -1;
    assert_int_equal(kt_xenquire_set_bm25(e, &bad, &err), KT_EINVAL);
    assert_non_null(strstr(err.msg, f->path));
    bad.k1 = 1;
    bad.b = 1.5;
    assert_int_equal(kt_xenquire_set_bm25(e, &bad, &err), KT_EINVAL);
    bad.b = NAN;
    assert_int_equal(kt_xenquire_set_bm25(e, &bad, &err), KT_EINVAL);
    bad.b = 0.5;
    bad.min_normlen = INFINITY;
    assert_int_equal(kt_xenquire_set_bm25(e, &bad, &err), KT_EINVAL);
    assert_int_equal(kt_xenquire_set_sort(e, (enum kt_xsort)42, 0, false, &err), KT_EINVAL);
    assert_int_equal(kt_xenquire_set_cutoff(e, 101, &err), KT_EINVAL);
    assert_int_equal(kt_xenquire_set_bm25(NULL, NULL, &err), KT_EINVAL);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xdb_close(r);
}

static void test_mset_paging_and_bounds(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 25);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xquery *q = term("tin");
    OK(kt_xenquire_set_query(e, q, 0, &e_));
    kt_xmset *m = NULL;
    OK(kt_xenquire_get_mset(e, 10, 10, 100, &m, &e_));
    struct kt_xmset_info info;
    OK(kt_xmset_info(m, &info, &e_));
    assert_int_equal(info.size, 10);
    assert_int_equal(info.first, 10);
    assert_int_equal(info.matches_estimated, 25);
    assert_int_equal(info.matches_lower, 25);
    assert_int_equal(info.matches_upper, 25);
    struct kt_xhit h;
    OK(kt_xmset_hit(m, 3, &h, &e_));
    assert_int_equal(h.rank, 13);
    assert_true(h.percent > 0 && h.percent <= 100);
    kt_xdoc *d = NULL;
    OK(kt_xmset_document(m, 3, &d, &e_));
    kt_xdocid id = 0;
    OK(kt_xdoc_docid(d, &id, &e_));
    assert_int_equal(id, h.docid);
    kt_xdoc_free(d);
    struct kt_err err = {0};
    assert_int_equal(kt_xmset_hit(m, 10, &h, &err), KT_EINVAL);
    assert_int_equal(kt_xmset_document(m, 99, &d, &err), KT_EINVAL);
    assert_null(d);
    kt_xmset_free(m);
    OK(kt_xenquire_get_mset(e, 20, 10, 0, &m, &e_));
    OK(kt_xmset_info(m, &info, &e_));
    assert_int_equal(info.size, 5);
    kt_xmset_free(m);
    kt_xmset_free(NULL);
    kt_xquery_free(q);
    kt_xenquire_free(e);
    kt_xenquire_free(NULL);
    kt_xdb_close(r);
}

static void test_handles_outlive_database_close(void **state)
{
    struct fx *f = *state;
    build_db(f->path, 3);
    kt_xdb *r = open_reader(f->path);
    kt_xenquire *e = NULL;
    OK(kt_xenquire_new(r, &e, &e_));
    kt_xdoc *d = NULL;
    OK(kt_xdb_get_document(r, 2, &d, &e_));
    kt_xdb_close(r); /* documented: derived handles keep working */
    kt_xquery *q = term("noi");
    kt_xmset *m = search(e, q, 10);
    assert_int_equal(mset_size(m), 3);
    struct kt_buf b = {0};
    OK(kt_xdoc_get_data(d, &b, &e_));
    assert_string_equal(b.data, "du lieu bai viet");
    kt_xdoc_free(d);

    /* A document read from a writer fails cleanly once the writer is closed. */
    kt_xdbw *w = open_writer(f->path);
    OK(kt_xdbw_get_document(w, 1, &d, &e_));
    kt_xdbw_close(w);
    struct kt_err err = {0};
    assert_int_equal(kt_xdoc_get_data(d, &b, &err), KT_EIO);
    assert_non_null(strstr(err.msg, f->path));
    kt_xdoc_free(d);
    kt_buf_free(&b);
    kt_xmset_free(m);
    kt_xquery_free(q);
    kt_xenquire_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_create_open_and_count),
        T(test_open_missing_gives_enotfound),
        T(test_replace_by_unique_term),
        T(test_delete_by_term_and_docid),
        T(test_reader_sees_commit_after_reopen),
        T(test_metadata_round_trip),
        T(test_second_writer_same_process_locked),
        T(test_second_writer_other_process_locked),
        T(test_truncated_table_gives_ecorrupt),
        T(test_overwritten_table_gives_ecorrupt),
        T(test_missing_revision_file_or_plain_file),
        T(test_stale_reader_gets_emodified_then_reopens),
        T(test_transactions),
        T(test_document_terms_values_and_limits),
        T(test_sortable_serialise_orders_numbers),
        T(test_values_sort_and_range),
        T(test_boolean_terms_filter_without_weight),
        T(test_phrase_matches_adjacent_not_scattered),
        T(test_snippet_highlights_matches),
        T(test_query_parser_and_bad_query),
        T(test_query_builders),
        T(test_collapse_key_reports_count),
        T(test_value_count_facets),
        T(test_weighting_bm25_bool_and_errors),
        T(test_mset_paging_and_bounds),
        T(test_handles_outlive_database_close),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
