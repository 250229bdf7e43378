/* test_archive.c - archive directories: layout and lazy WARC creation, the run lock held by
 * another process, repair of a torn WARC and stale FETCHING rows on open, reading responses by
 * the location the state records, and independent validation of the files written (a stdlib
 * Python checker, and ../shared/fixtures/crawl_report.py when present). */
#define _GNU_SOURCE
#include "corpus/corpus.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static const char REQ[] = "GET / HTTP/1.1\r\nHost: site.test\r\n\r\n";

static char *join(const char *a, const char *b)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", a, b) > 0);
    return p;
}

/* "name size mtime\n" for every entry of dir and dir/warc, to prove nothing was touched. */
static void snapshot(const char *dir, struct kt_buf *out)
{
    const char *subs[] = {"", "/warc"};
    for (int s = 0; s < 2; s++) {
        char *d = NULL;
        assert_true(asprintf(&d, "%s%s", dir, subs[s]) > 0);
        DIR *h = opendir(d);
        if (h) {
            struct dirent *e;
            while ((e = readdir(h)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                char *p = join(d, e->d_name);
                struct stat sb;
                assert_int_equal(stat(p, &sb), 0);
                kt_buf_printf(out, "%s %lld %lld.%ld\n", p, (long long)sb.st_size,
                              (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
                free(p);
            }
            closedir(h);
        }
        free(d);
    }
}

static size_t count_warcs(const char *dir, char *newest, size_t newest_size)
{
    char *w = join(dir, "warc");
    DIR *h = opendir(w);
    size_t n = 0;
    if (h) {
        struct dirent *e;
        while ((e = readdir(h)) != NULL)
            if (strstr(e->d_name, ".warc.gz")) {
                n++;
                if (newest && strcmp(e->d_name, newest) > 0)
                    snprintf(newest, newest_size, "%s", e->d_name);
            }
        closedir(h);
    }
    free(w);
    return n;
}

static void test_layout_and_lazy_writer(void **state)
{
    (void)state;
    char *base = tu_mkdtemp("arch");
    char *dir = join(base, "nested/archive");
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_open_report rep;
    assert_int_equal(kt_archive_open(dir, NULL, &a, &rep, &err), KT_OK);
    assert_false(rep.repaired);
    assert_int_equal(rep.fetching_reset, 0);
    assert_string_equal(kt_archive_dir(a), dir);
    char *lock = join(dir, "lock");
    struct kt_buf pid = {0};
    assert_int_equal(kt_read_file(lock, 0, &pid, &err), KT_OK);
    assert_int_equal(atol(pid.data), (long)getpid());
    kt_buf_free(&pid);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    char *st = join(dir, "state.sqlite");
    assert_int_equal(access(st, F_OK), 0);
    assert_int_equal(count_warcs(dir, NULL, 0), 0); /* nothing fetched: no WARC file */

    /* read-only: no lock, no writer, missing dirs reported */
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    struct kt_warc_writer *w = NULL;
    assert_int_equal(kt_archive_writer(a, &w, &err), KT_EINVAL);
    char path[256];
    assert_int_equal(kt_archive_warc_path(a, "../x", path, sizeof path, &err), KT_EINVAL);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    char *missing = join(base, "missing");
    assert_int_equal(kt_archive_open(missing, &ro, &a, NULL, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, missing));
    assert_int_equal(access(missing, F_OK), -1); /* not created */
    free(missing);
    free(st);
    free(lock);
    free(dir);
    tu_rmtree(base);
    free(base);
}

static void test_lock_held_by_another_process(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("arch-lock");
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct kt_archive *a = NULL;
        struct kt_err err = {0};
        char c = kt_archive_open(dir, NULL, &a, NULL, &err) == KT_OK ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(3);
        if (read(go[0], &c, 1) != 1)
            _exit(4);
        kt_archive_close(a, NULL);
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');

    struct kt_buf before = {0}, after = {0};
    snapshot(dir, &before);
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_archive_open(dir, NULL, &a, NULL, &err), KT_ELOCKED);
    assert_null(a);
    char want[128];
    snprintf(want, sizeof want, "archive is in use by another khotin run (pid %ld)", (long)pid);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, dir));
    assert_int_equal(kt_status_exit_code(err.code), 75);
    snapshot(dir, &after);
    assert_string_equal(before.data, after.data); /* touched nothing */

    /* readers still get in */
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);

    assert_int_equal(write(go[1], "x", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(kt_archive_open(dir, NULL, &a, NULL, &err), KT_OK);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    kt_buf_free(&before);
    kt_buf_free(&after);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    tu_rmtree(dir);
    free(dir);
}

/* Fetches url into the archive as the crawler would and marks it done. */
static void archive_fetch(struct kt_archive *a, const char *url, const char *resp,
                          struct kt_warc_fetch_result *res)
{
    struct kt_err err = {0};
    struct kt_warc_writer *w = NULL;
    assert_int_equal(kt_archive_writer(a, &w, &err), KT_OK);
    struct kt_warc_fetch f = {.target_uri = url,
                              .ip_address = "127.0.0.1",
                              .request = REQ,
                              .request_len = sizeof REQ - 1,
                              .response = resp,
                              .response_len = strlen(resp)};
    assert_int_equal(kt_warc_write_fetch(w, &f, res, &err), KT_OK);
    struct kt_crawl_state *st = kt_archive_state(a);
    struct kt_url_new u = {.url = url, .host = "site.test", .kind = KT_URL_ARTICLE};
    assert_int_equal(kt_crawl_add_url(st, &u, NULL, &err), KT_OK);
    struct kt_fetch_outcome o = {.http_status = res->http_status,
                                 .payload_digest = res->payload_digest,
                                 .warc_file = res->record.file,
                                 .warc_offset = (int64_t)res->record.offset,
                                 .warc_record_id = res->record.record_id,
                                 .warc_date = res->record.date};
    assert_int_equal(kt_archive_sync(a, &err), KT_OK); /* WARC durable before the state */
    assert_int_equal(kt_crawl_mark_done(st, url, &o, &err), KT_OK);
}

static void test_repair_and_stale_rows_on_open(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("arch-torn");
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts opts = {.warc_prefix = "unit", .hostname = "h"};
    assert_int_equal(kt_archive_open(dir, &opts, &a, NULL, &err), KT_OK);
    struct kt_warc_fetch_result r1, r2, r3;
    archive_fetch(a, "http://site.test/1",
                  "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>one</p>", &r1);
    archive_fetch(a, "http://site.test/2",
                  "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>two</p>", &r2);
    archive_fetch(a, "http://site.test/3",
                  "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>three</p>", &r3);
    struct kt_url_new u = {.url = "http://site.test/4", .host = "site.test"};
    assert_int_equal(kt_crawl_add_url(kt_archive_state(a), &u, NULL, &err), KT_OK);
    struct kt_url_row rows[2] = {0};
    size_t n;
    struct kt_claim_opts co = {.now = 1, .max = 2};
    assert_int_equal(kt_crawl_claim(kt_archive_state(a), &co, rows, &n, &err), KT_OK);
    assert_int_equal(n, 1);
    kt_url_row_free(&rows[0]);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);

    /* a kill during the third record's write: cut its member in the middle */
    char *path = NULL;
    assert_true(asprintf(&path, "%s/warc/%s", dir, r3.record.file) > 0);
    assert_int_equal(truncate(path, (off_t)(r3.record.offset + r3.record.length / 2)), 0);

    struct kt_archive_open_report rep;
    assert_int_equal(kt_archive_open(dir, &opts, &a, &rep, &err), KT_OK);
    assert_true(rep.repaired);
    assert_string_equal(rep.repaired_file, r3.record.file);
    assert_int_equal(rep.repair.new_size, r3.record.offset);
    assert_int_equal(rep.fetching_reset, 1);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal((uint64_t)sb.st_size, r3.record.offset);

    /* the recorded locations still lead to their responses */
    struct kt_url_row row = {0};
    bool found;
    assert_int_equal(kt_crawl_get(kt_archive_state(a), "http://site.test/2", &row, &found, &err),
                     KT_OK);
    assert_true(found);
    struct kt_warc_record rec = {0};
    assert_int_equal(
        kt_archive_read_record(a, row.warc_file, (uint64_t)row.warc_offset, 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "response");
    assert_string_equal(rec.target_uri, "http://site.test/2");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Record-ID"), row.warc_record_id);
    assert_non_null(strstr((const char *)rec.block, "<p>two</p>"));
    kt_url_row_free(&row);
    assert_int_equal(kt_crawl_get(kt_archive_state(a), "http://site.test/4", &row, &found, &err),
                     KT_OK);
    assert_int_equal(row.state, KT_URL_QUEUED);
    kt_url_row_free(&row);

    /* new records go to a new file; both files list in name order */
    struct kt_warc_fetch_result r4;
    archive_fetch(a, "http://site.test/5", "HTTP/1.1 404 Not Found\r\n\r\n", &r4);
    assert_string_not_equal(r4.record.file, r3.record.file);
    char **names;
    size_t nn;
    assert_int_equal(kt_archive_list_warcs(a, &names, &nn, &err), KT_OK);
    assert_int_equal(nn, 2);
    assert_true(strcmp(names[0], names[1]) < 0);
    assert_string_equal(names[1], r4.record.file);
    kt_archive_free_names(names, nn);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);

    /* a newest file with nothing complete is removed by the repair */
    char *p4 = NULL;
    assert_true(asprintf(&p4, "%s/warc/%s", dir, r4.record.file) > 0);
    assert_int_equal(truncate(p4, 10), 0);
    assert_int_equal(kt_archive_open(dir, &opts, &a, &rep, &err), KT_OK);
    assert_true(rep.repaired);
    assert_int_equal(access(p4, F_OK), -1);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    /* and so is an empty one (killed before its warcinfo was written) */
    assert_true(tu_write_file(p4, "", 0));
    assert_int_equal(kt_archive_open(dir, &opts, &a, &rep, &err), KT_OK);
    assert_true(rep.repaired);
    assert_int_equal(access(p4, F_OK), -1);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    kt_warc_record_free(&rec);
    free(p4);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

struct check_ctx {
    struct kt_archive *a;
    size_t done;
};

static int check_done_row(void *ud, const struct kt_url_row *row)
{
    struct check_ctx *c = ud;
    struct kt_warc_record rec = {0};
    struct kt_err err = {0};
    if (kt_archive_read_record(c->a, row->warc_file, (uint64_t)row->warc_offset, 0, &rec, &err) !=
        KT_OK)
        fail_msg("DONE row %s points at a missing record: %s", row->url, err.msg);
    assert_string_equal(rec.type, "response");
    assert_string_equal(rec.target_uri, row->url);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Record-ID"), row->warc_record_id);
    char problem[256];
    assert_true(kt_warc_record_verify(&rec, problem, sizeof problem));
    kt_warc_record_free(&rec);
    c->done++;
    return 0;
}

/* A child archives pages in batches (WARC sync, then state commit) until it is SIGKILLed at a
 * random moment; every reopen must repair, and every DONE row must lead to its record. */
static void test_sigkill_while_writing(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("arch-kill");
    srand((unsigned)getpid());
    struct kt_archive_opts opts = {.max_warc_size = 64 * 1024};
    size_t last_done = 0, repaired = 0;
    for (int round = 0; round < 6; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct kt_archive *a = NULL;
            struct kt_err err = {0};
            if (kt_archive_open(dir, &opts, &a, NULL, &err) != KT_OK)
                _exit(3);
            struct kt_crawl_state *st = kt_archive_state(a);
            struct kt_warc_writer *w = NULL;
            if (kt_archive_writer(a, &w, &err) != KT_OK)
                _exit(4);
            struct kt_buf body = {0};
            kt_buf_printf(&body, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
            for (int k = 0; k < 3000; k++)
                kt_buf_append_byte(&body, (char)('a' + (k * 31 + round) % 26));
            /* a 1 MiB incompressible page now and then: a kill can land inside its write() */
            struct kt_buf big = {0};
            kt_buf_printf(&big, "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n");
            unsigned seed = (unsigned)round * 7919u + 1;
            size_t big_n = 1u << 20;
            if (kt_buf_reserve(&big, big_n) != KT_OK)
                _exit(10);
            for (size_t k = 0; k < big_n; k++) {
                seed = seed * 1103515245u + 12345u;
                big.data[big.len + k] = (char)(seed >> 16);
            }
            big.len += big_n;
            for (int i = 0;; i++) {
                if (kt_crawl_begin(st, &err) != KT_OK)
                    _exit(5);
                struct kt_warc_fetch_result res[8];
                char urls[8][96];
                for (int b = 0; b < 8; b++) {
                    snprintf(urls[b], sizeof urls[b], "http://site.test/r%d/p%d-%d", round, i, b);
                    struct kt_warc_fetch f = {.target_uri = urls[b],
                                              .request = REQ,
                                              .request_len = sizeof REQ - 1,
                                              .response = b == 0 ? big.data : body.data,
                                              .response_len = b == 0 ? big.len : body.len};
                    if (kt_warc_write_fetch(w, &f, &res[b], &err) != KT_OK)
                        _exit(6);
                }
                if (kt_archive_sync(a, &err) != KT_OK)
                    _exit(7);
                for (int b = 0; b < 8; b++) {
                    struct kt_url_new u = {.url = urls[b], .host = "site.test"};
                    struct kt_fetch_outcome o = {.http_status = 200,
                                                 .payload_digest = res[b].payload_digest,
                                                 .warc_file = res[b].record.file,
                                                 .warc_offset = (int64_t)res[b].record.offset,
                                                 .warc_record_id = res[b].record.record_id,
                                                 .warc_date = res[b].record.date};
                    if (kt_crawl_add_url(st, &u, NULL, &err) != KT_OK ||
                        kt_crawl_mark_done(st, urls[b], &o, &err) != KT_OK)
                        _exit(8);
                }
                if (kt_crawl_commit(st, &err) != KT_OK)
                    _exit(9);
            }
        }
        usleep((useconds_t)(150000 + rand() % 500000));
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status))
            fail_msg("writer child exited with %d before the kill", WEXITSTATUS(status));

        struct kt_archive *a = NULL;
        struct kt_err err = {0};
        struct kt_archive_open_report rep;
        assert_int_equal(kt_archive_open(dir, &opts, &a, &rep, &err), KT_OK);
        repaired += rep.repaired;
        /* every file verifies after the repair */
        char **names;
        size_t n;
        assert_int_equal(kt_archive_list_warcs(a, &names, &n, &err), KT_OK);
        for (size_t i = 0; i < n; i++) {
            char path[1024];
            assert_int_equal(kt_archive_warc_path(a, names[i], path, sizeof path, &err), KT_OK);
            struct kt_warc_reader *r;
            assert_int_equal(kt_warc_reader_open(path, NULL, &r, &err), KT_OK);
            struct kt_warc_record rec = {0};
            bool have;
            kt_status st;
            size_t k = 0;
            while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have) {
                char problem[256];
                assert_true(kt_warc_record_verify(&rec, problem, sizeof problem));
                if (k++ == 0)
                    assert_string_equal(rec.type, "warcinfo");
            }
            if (st != KT_OK)
                fail_msg("after repair: %s", err.msg);
            kt_warc_record_free(&rec);
            kt_warc_reader_close(r);
        }
        kt_archive_free_names(names, n);
        /* nothing recorded as archived is missing */
        struct check_ctx c = {.a = a};
        assert_int_equal(
            kt_crawl_iter(kt_archive_state(a), KT_URL_DONE, -1, check_done_row, &c, &err), KT_OK);
        assert_true(c.done >= last_done);
        last_done = c.done;
        assert_int_equal(kt_archive_close(a, &err), KT_OK);
    }
    print_message("6 kill rounds: %zu torn files repaired, %zu pages recorded as archived, all "
                  "found\n",
                  repaired, last_done);
    tu_rmtree(dir);
    free(dir);
}

static char *python3(void)
{
    const char *cands[] = {"/usr/bin/python3", "/usr/local/bin/python3"};
    for (size_t i = 0; i < 2; i++)
        if (access(cands[i], X_OK) == 0)
            return (char *)cands[i];
    return NULL;
}

static size_t gzip_bytes(const void *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

static void test_independent_checker_accepts_files(void **state)
{
    (void)state;
    char *py = python3();
    if (!py) {
        print_message("python3 not found: independent WARC check skipped\n");
        skip();
    }
    char *dir = tu_mkdtemp("arch-py");
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts opts = {.max_warc_size = 4096,
                                   .warcinfo_fields = "operator: unit test\r\n"};
    assert_int_equal(kt_archive_open(dir, &opts, &a, NULL, &err), KT_OK);
    struct kt_warc_fetch_result res;
    archive_fetch(a, "http://site.test/plain", "HTTP/1.1 200 OK\r\n\r\nplain body", &res);
    archive_fetch(a, "http://site.test/chunked",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\nX-Trailer: 1\r\n\r\n",
                  &res);
    /* gzip content-encoding inside chunked framing, bytes as on the wire */
    const char html[] = "<html><body>Xin chào Thạch Thất, Hà Nội</body></html>";
    unsigned char gz[512];
    size_t gl = gzip_bytes(html, sizeof html - 1, gz, sizeof gz);
    struct kt_buf wire = {0};
    kt_buf_printf(&wire,
                  "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: "
                  "chunked\r\n\r\n%zx\r\n",
                  gl - 10);
    kt_buf_append(&wire, gz, gl - 10);
    kt_buf_printf(&wire, "\r\na\r\n");
    kt_buf_append(&wire, gz + gl - 10, 10);
    kt_buf_printf(&wire, "\r\n0\r\n\r\n");
    struct kt_warc_writer *w = NULL;
    assert_int_equal(kt_archive_writer(a, &w, &err), KT_OK);
    struct kt_warc_fetch f = {.target_uri = "http://site.test/gz",
                              .request = REQ,
                              .request_len = sizeof REQ - 1,
                              .response = wire.data,
                              .response_len = wire.len};
    struct kt_warc_fetch_result gzres;
    assert_int_equal(kt_warc_write_fetch(w, &f, &gzres, &err), KT_OK);
    char exp[KT_WARC_DIGEST_SIZE];
    assert_int_equal(kt_warc_digest(gz, gl, exp, &err), KT_OK);
    assert_string_equal(gzres.payload_digest, exp); /* compressed payload, de-chunked */
    f.kind = KT_WARC_EXCHANGE_NOT_MODIFIED;
    f.response = "HTTP/1.1 304 Not Modified\r\n\r\n";
    f.response_len = strlen(f.response);
    assert_int_equal(kt_warc_write_fetch(w, &f, NULL, &err), KT_OK);
    f.kind = KT_WARC_EXCHANGE_IDENTICAL;
    f.target_uri = "http://site.test/gz-copy";
    f.response = wire.data;
    f.response_len = wire.len;
    f.refers =
        (struct kt_warc_refers){gzres.record.record_id, "http://site.test/gz", gzres.record.date};
    assert_int_equal(kt_warc_write_fetch(w, &f, NULL, &err), KT_OK);
    assert_int_equal(kt_warc_write_metadata(w, "http://site.test/gz", gzres.record.record_id,
                                            "outlink: http://site.test/x\r\n", 29, NULL, &err),
                     KT_OK);
    for (int i = 0; i < 12; i++) { /* enough to rotate a few times */
        char url[64];
        snprintf(url, sizeof url, "http://site.test/r%d", i);
        struct kt_buf body = {0};
        kt_buf_printf(&body, "HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n");
        unsigned s = (unsigned)i + 1;
        for (int k = 0; k < 900; k++) {
            s = s * 1103515245u + 12345u;
            kt_buf_append_byte(&body, (char)('a' + (s >> 16) % 26));
        }
        archive_fetch(a, url, body.data, &res);
        kt_buf_free(&body);
    }
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    kt_buf_free(&wire);

    /* run the checker over every file */
    char *wdir = join(dir, "warc");
    DIR *h = opendir(wdir);
    char *argv[64] = {py, NULL};
    int argc = 1;
    assert_true(asprintf(&argv[argc++], "%s/tests/support/warc_check.py", tu_source_dir()) > 0);
    struct dirent *e;
    while ((e = readdir(h)) != NULL && argc < 62)
        if (strstr(e->d_name, ".warc.gz"))
            argv[argc++] = join(wdir, e->d_name);
    closedir(h);
    argv[argc] = NULL;
    assert_true(argc >= 4); /* rotated into several files */
    struct kt_buf out = {0}, errout = {0};
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    if (rc != 0)
        fail_msg("warc_check.py: rc %d: %s %s", rc, out.data ? out.data : "",
                 errout.data ? errout.data : "");
    json_error_t je;
    json_t *j = json_loads(out.data, 0, &je);
    assert_non_null(j);
    json_t *types = json_object_get(j, "types");
    assert_int_equal(json_integer_value(json_object_get(types, "warcinfo")), argc - 2);
    assert_int_equal(json_integer_value(json_object_get(types, "response")), 15);
    assert_int_equal(json_integer_value(json_object_get(types, "revisit")), 2);
    assert_int_equal(json_integer_value(json_object_get(types, "request")), 17);
    assert_int_equal(json_integer_value(json_object_get(types, "metadata")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "problems")), 0);
    json_decref(j);

    for (int i = 2; i < argc; i++)
        free(argv[i]);

    /* the checker can fail: a response record declaring a wrong payload digest */
    char *bad_dir = join(dir, "bad");
    assert_int_equal(kt_mkdir_p(bad_dir, &err), KT_OK);
    struct kt_warc_writer_opts wo = {.dir = bad_dir};
    assert_int_equal(kt_warc_writer_open(&wo, &w, &err), KT_OK);
    const char body[] = "HTTP/1.1 200 OK\r\n\r\nbody";
    struct kt_warc_record_spec spec = {.type = "response",
                                       .target_uri = "http://site.test/bad",
                                       .content_type = "application/http;msgtype=response",
                                       .payload_digest = "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                       .block = body,
                                       .block_len = sizeof body - 1};
    struct kt_warc_location loc;
    assert_int_equal(kt_warc_write_record(w, &spec, &loc, &err), KT_OK);
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    argv[2] = join(bad_dir, loc.file);
    argv[3] = NULL;
    kt_buf_reset(&out);
    assert_int_equal(tu_run(argv, NULL, 0, &out, &errout), 1);
    assert_non_null(strstr(out.data, "payload digest mismatch"));
    /* and so does our own reader */
    struct kt_warc_record rec = {0};
    assert_int_equal(kt_warc_read_at(argv[2], loc.offset, 0, &rec, &err), KT_OK);
    char problem[256];
    assert_false(kt_warc_record_verify(&rec, problem, sizeof problem));
    assert_non_null(strstr(problem, "WARC-Payload-Digest"));
    kt_warc_record_free(&rec);
    free(argv[2]);
    free(argv[1]);
    free(bad_dir);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    free(wdir);
    tu_rmtree(dir);
    free(dir);
}

static void test_crawl_report_reads_our_warc(void **state)
{
    (void)state;
    char *report = tu_shared_path("fixtures/crawl_report.py");
    char *manifest = tu_shared_path("fixtures/site/manifest.json");
    char *py = python3();
    if (!report || !manifest || !py) {
        print_message("../shared/fixtures absent (or no python3): crawl_report.py check "
                      "skipped\n");
        free(report);
        free(manifest);
        skip();
    }
    struct kt_buf m = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_read_file(manifest, 0, &m, &err), KT_OK);
    json_t *man = json_loads(m.data, 0, NULL);
    kt_buf_free(&m);
    assert_non_null(man);
    json_t *arts = json_object_get(json_object_get(man, "expected"), "archive");
    assert_true(json_array_size(arts) >= 3);

    char *dir = tu_mkdtemp("arch-report");
    struct kt_archive *a = NULL;
    assert_int_equal(kt_archive_open(dir, NULL, &a, NULL, &err), KT_OK);
    struct kt_warc_fetch_result res;
    for (size_t i = 0; i < 3; i++) {
        const char *path = json_string_value(json_object_get(json_array_get(arts, i), "url"));
        char url[512];
        snprintf(url, sizeof url, "http://127.0.0.1:8765%s", path);
        archive_fetch(a, url,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n5\r\n<p>x<\r\n3\r\n/p>\r\n0\r\n\r\n",
                      &res);
    }
    char *warc = NULL;
    assert_true(asprintf(&warc, "%s/warc/%s", dir, res.record.file) > 0);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    char *argv[] = {py, report, "--manifest", manifest, "--warc", warc, "--json", NULL};
    struct kt_buf out = {0}, errout = {0};
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    if (rc != 0)
        fail_msg("crawl_report.py rc %d: %s", rc, errout.data ? errout.data : "");
    json_t *j = json_loads(out.data, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "warc_responses")), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "articles_archived_200")), 3);
    json_decref(j);
    json_decref(man);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    free(warc);
    free(report);
    free(manifest);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_and_lazy_writer),
        cmocka_unit_test(test_lock_held_by_another_process),
        cmocka_unit_test(test_repair_and_stale_rows_on_open),
        cmocka_unit_test(test_sigkill_while_writing),
        cmocka_unit_test(test_independent_checker_accepts_files),
        cmocka_unit_test(test_crawl_report_reads_our_warc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
