/* test_warc.c - WARC writer and reader on real files: record types and links, digests checked
 * against independently computed values, read by offset, rotation, torn-tail repair, damaged
 * files, a full disk, and the `khotin warc verify|ls` commands. */
#define _GNU_SOURCE
#include "corpus/corpus.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#define S(lit) lit, sizeof(lit) - 1

static const char REQ[] = "GET /a HTTP/1.1\r\nHost: site.test\r\nUser-Agent: khotin-test\r\n\r\n";
static const char RESP_PLAIN[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                 "Content-Length: 11\r\nETag: \"v1\"\r\n\r\nhello world";
/* "hello world" sent in two chunks */
static const char RESP_CHUNKED[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n"
                                   "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
static const char RESP_304[] = "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
/* base32(SHA-1("hello world")), computed independently with Python:
 * base64.b32encode(hashlib.sha1(b"hello world").digest()) */
static const char HELLO_DIGEST[] = "sha1:FKXGYNOJJ7H3IFO35FPUBC445EPOQRXN";

static char *path_join(const char *a, const char *b)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", a, b) > 0);
    return p;
}

/* Independent digest: OpenSSL's one-shot SHA1 plus a bit-by-bit base32. */
static void expected_digest(const void *data, size_t len, char out[64])
{
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1(data, len, md);
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    strcpy(out, "sha1:");
    size_t o = 5;
    for (int bit = 0; bit < 160; bit += 5) {
        int v = 0;
        for (int k = 0; k < 5; k++)
            v = (v << 1) | ((md[(bit + k) / 8] >> (7 - (bit + k) % 8)) & 1);
        out[o++] = alpha[v];
    }
    out[o] = '\0';
}

static struct kt_warc_writer *new_writer(const char *dir, uint64_t max)
{
    struct kt_warc_writer_opts o = {.dir = dir,
                                    .prefix = "test",
                                    .max_file_size = max,
                                    .hostname = "unit.host",
                                    .warcinfo_fields = "robots: obey\r\nisPartOf: unit\r\n"};
    struct kt_warc_writer *w = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_warc_writer_open(&o, &w, &err), KT_OK);
    return w;
}

/* Lists dir's *.warc.gz files sorted; returns count. */
static size_t list_files(const char *dir, char names[][KT_WARC_NAME_MAX], size_t max)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".warc") && n < max)
            snprintf(names[n++], KT_WARC_NAME_MAX, "%s", e->d_name);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char t[KT_WARC_NAME_MAX];
                strcpy(t, names[i]);
                strcpy(names[i], names[j]);
                strcpy(names[j], t);
            }
    return n;
}

/* Reads every record of path, checking each verifies; returns the count, types into types. */
static size_t read_all(const char *path, char types[][16], size_t max, uint64_t *offsets)
{
    struct kt_warc_reader *r;
    struct kt_err err = {0};
    assert_int_equal(kt_warc_reader_open(path, NULL, &r, &err), KT_OK);
    struct kt_warc_record rec = {0};
    bool have;
    size_t n = 0;
    kt_status st;
    while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have) {
        char problem[512];
        if (!kt_warc_record_verify(&rec, problem, sizeof problem))
            fail_msg("%s offset %llu: %s", path, (unsigned long long)rec.offset, problem);
        if (n < max) {
            snprintf(types[n], 16, "%s", rec.type);
            if (offsets)
                offsets[n] = rec.offset;
        }
        n++;
    }
    if (st != KT_OK)
        fail_msg("%s", err.msg);
    kt_warc_record_free(&rec);
    kt_warc_reader_close(r);
    return n;
}

static void write_sample(struct kt_warc_writer *w, struct kt_warc_fetch_result res[4])
{
    struct kt_err err = {0};
    struct kt_warc_fetch f = {.target_uri = "http://site.test/a",
                              .ip_address = "127.0.0.1",
                              .request = REQ,
                              .request_len = sizeof REQ - 1,
                              .response = RESP_PLAIN,
                              .response_len = sizeof RESP_PLAIN - 1};
    assert_int_equal(kt_warc_write_fetch(w, &f, &res[0], &err), KT_OK);
    f.target_uri = "http://site.test/chunked";
    f.response = RESP_CHUNKED;
    f.response_len = sizeof RESP_CHUNKED - 1;
    assert_int_equal(kt_warc_write_fetch(w, &f, &res[1], &err), KT_OK);
    f.target_uri = "http://site.test/a";
    f.response = RESP_304;
    f.response_len = sizeof RESP_304 - 1;
    f.kind = KT_WARC_EXCHANGE_NOT_MODIFIED;
    assert_int_equal(kt_warc_write_fetch(w, &f, &res[2], &err), KT_OK);
    f.target_uri = "http://site.test/copy-of-a";
    f.response = RESP_PLAIN;
    f.response_len = sizeof RESP_PLAIN - 1;
    f.kind = KT_WARC_EXCHANGE_IDENTICAL;
    f.refers.record_id = res[0].record.record_id;
    f.refers.target_uri = "http://site.test/a";
    f.refers.date = res[0].record.date;
    assert_int_equal(kt_warc_write_fetch(w, &f, &res[3], &err), KT_OK);
    const char meta[] = "outlink: http://site.test/b\r\nvia: http://site.test/\r\n"
                        "fetchTimeMs: 12\r\n";
    struct kt_warc_location loc;
    assert_int_equal(kt_warc_write_metadata(w, "http://site.test/a", res[0].record.record_id,
                                            S(meta), &loc, &err),
                     KT_OK);
}

static void test_write_read_all_record_types(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc");
    struct kt_warc_writer *w = new_writer(dir, 0);
    struct kt_err err = {0};
    assert_null(kt_warc_writer_current_file(w));
    struct kt_warc_fetch_result res[4];
    write_sample(w, res);
    assert_int_equal(kt_warc_writer_sync(w, &err), KT_OK);
    assert_int_equal(kt_warc_writer_files(w), 1);
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);

    /* payload digests: the plain body and the de-chunked body are both "hello world" */
    char exp[64];
    expected_digest("hello world", 11, exp);
    assert_string_equal(exp, HELLO_DIGEST);
    assert_string_equal(res[0].payload_digest, HELLO_DIGEST);
    assert_string_equal(res[1].payload_digest, HELLO_DIGEST);
    assert_string_equal(res[2].payload_digest, "");
    assert_string_equal(res[3].payload_digest, HELLO_DIGEST);
    assert_int_equal(res[0].http_status, 200);
    assert_int_equal(res[2].http_status, 304);
    expected_digest(RESP_CHUNKED, sizeof RESP_CHUNKED - 1, exp);
    assert_string_equal(res[1].block_digest, exp); /* block = the raw chunked response */

    char names[4][KT_WARC_NAME_MAX];
    assert_int_equal(list_files(dir, names, 4), 1);
    /* <prefix>-<YYYYMMDDHHMMSSmmm>-<serial 5>-<host>.warc.gz */
    assert_int_equal(strlen(names[0]), strlen("test-20261202003000123-00000-unit.host.warc.gz"));
    assert_memory_equal(names[0], "test-", 5);
    assert_string_equal(names[0] + 22, "-00000-unit.host.warc.gz");
    assert_string_equal(res[0].record.file, names[0]);

    char *path = path_join(dir, names[0]);
    char types[16][16];
    uint64_t offs[16];
    size_t n = read_all(path, types, 16, offs);
    static const char *const want[] = {"warcinfo", "response", "request", "response", "request",
                                       "revisit",  "request",  "revisit", "request",  "metadata"};
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(types[i], want[i]);
    assert_int_equal(offs[0], 0);
    assert_int_equal(offs[1], res[0].record.offset);
    assert_int_equal(offs[3], res[1].record.offset);
    assert_int_equal(offs[5], res[2].record.offset);
    assert_int_equal(offs[7], res[3].record.offset);

    /* headers of each record, read by offset */
    struct kt_warc_record rec = {0};
    assert_int_equal(kt_warc_read_at(path, 0, 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "warcinfo");
    assert_string_equal(rec.version, "WARC/1.1");
    char warcinfo_id[KT_WARC_ID_SIZE];
    snprintf(warcinfo_id, sizeof warcinfo_id, "%s", kt_warc_record_get(&rec, "warc-record-id"));
    assert_non_null(strstr((char *)rec.block, "software: khotin/"));
    assert_non_null(strstr((char *)rec.block, "format: WARC File Format 1.1\r\n"));
    assert_non_null(strstr((char *)rec.block, "robots: obey\r\n"));
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Filename"), names[0]);

    assert_int_equal(kt_warc_read_at(path, res[1].record.offset, 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "response");
    assert_string_equal(rec.target_uri, "http://site.test/chunked");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Record-ID"), res[1].record.record_id);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Date"), res[1].record.date);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Payload-Digest"), HELLO_DIGEST);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Block-Digest"), exp);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-IP-Address"), "127.0.0.1");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Warcinfo-ID"), warcinfo_id);
    assert_string_equal(kt_warc_record_get(&rec, "content-type"),
                        "application/http;msgtype=response");
    assert_int_equal(rec.content_length, sizeof RESP_CHUNKED - 1);
    assert_memory_equal(rec.block, RESP_CHUNKED, rec.block_len);
    assert_int_equal(kt_warc_record_http_status(&rec), 200);
    /* WARC-Date: YYYY-MM-DDThh:mm:ss.ffffffZ */
    const char *date = kt_warc_record_get(&rec, "WARC-Date");
    assert_int_equal(strlen(date), 27);
    assert_int_equal(date[10], 'T');
    assert_int_equal(date[26], 'Z');
    /* the request after it points at it */
    assert_int_equal(kt_warc_read_at(path, offs[4], 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "request");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Concurrent-To"), res[1].record.record_id);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Record-ID"), res[1].request_id);
    assert_string_equal(kt_warc_record_get(&rec, "Content-Type"),
                        "application/http;msgtype=request");

    assert_int_equal(kt_warc_read_at(path, res[2].record.offset, 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "revisit");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Profile"), KT_WARC_PROFILE_NOT_MODIFIED);
    assert_int_equal(kt_warc_record_http_status(&rec), 304);
    assert_null(kt_warc_record_get(&rec, "WARC-Payload-Digest"));

    assert_int_equal(kt_warc_read_at(path, res[3].record.offset, 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "revisit");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Profile"), KT_WARC_PROFILE_IDENTICAL);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Refers-To"), res[0].record.record_id);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Refers-To-Target-URI"),
                        "http://site.test/a");
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Refers-To-Date"), res[0].record.date);
    assert_string_equal(kt_warc_record_get(&rec, "WARC-Payload-Digest"), HELLO_DIGEST);
    /* block is the head of the response only */
    assert_non_null(strstr((char *)rec.block, "ETag: \"v1\"\r\n\r\n"));
    assert_int_equal(rec.block_len, strstr(RESP_PLAIN, "\r\n\r\n") + 4 - RESP_PLAIN);

    assert_int_equal(kt_warc_read_at(path, offs[9], 0, &rec, &err), KT_OK);
    assert_string_equal(rec.type, "metadata");
    assert_string_equal(kt_warc_record_get(&rec, "Content-Type"), "application/warc-fields");
    assert_non_null(strstr((char *)rec.block, "outlink: http://site.test/b\r\n"));

    /* not a record start */
    assert_int_not_equal(kt_warc_read_at(path, res[1].record.offset + 1, 0, &rec, &err), KT_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(kt_warc_read_at(path, (uint64_t)sb.st_size, 0, &rec, &err), KT_ENOTFOUND);
    kt_warc_record_free(&rec);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_block_cap_still_digests(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc-cap");
    struct kt_warc_writer *w = new_writer(dir, 0);
    struct kt_err err = {0};
    size_t body = 300000;
    struct kt_buf resp = {0};
    kt_buf_printf(&resp, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
    for (size_t i = 0; i < body; i++)
        kt_buf_append_byte(&resp, (char)('a' + i % 26));
    struct kt_warc_fetch f = {
        .target_uri = "http://site.test/big", .response = resp.data, .response_len = resp.len};
    struct kt_warc_fetch_result res;
    assert_int_equal(kt_warc_write_fetch(w, &f, &res, &err), KT_OK);
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    char *path = path_join(dir, res.record.file);
    struct kt_warc_record rec = {0};
    assert_int_equal(kt_warc_read_at(path, res.record.offset, 1000, &rec, &err), KT_OK);
    assert_true(rec.block_capped);
    assert_int_equal(rec.block_len, 1000);
    assert_int_equal(rec.content_length, resp.len);
    char exp[64];
    expected_digest(resp.data, resp.len, exp);
    assert_string_equal(rec.block_digest, exp);
    char problem[256];
    assert_true(kt_warc_record_verify(&rec, problem, sizeof problem));
    kt_warc_record_free(&rec);
    kt_buf_free(&resp);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_rotation(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc-rot");
    uint64_t max = 8192;
    struct kt_warc_writer *w = new_writer(dir, max);
    struct kt_err err = {0};
    /* incompressible 1500-byte bodies */
    unsigned seed = 7;
    for (int i = 0; i < 30; i++) {
        struct kt_buf resp = {0};
        kt_buf_printf(&resp, "HTTP/1.1 200 OK\r\nContent-Length: 1500\r\n\r\n");
        for (int k = 0; k < 1500; k++) {
            seed = seed * 1103515245u + 12345u;
            kt_buf_append_byte(&resp, (char)(seed >> 16));
        }
        char uri[64];
        snprintf(uri, sizeof uri, "http://site.test/p%d", i);
        struct kt_warc_fetch f = {.target_uri = uri,
                                  .request = REQ,
                                  .request_len = sizeof REQ - 1,
                                  .response = resp.data,
                                  .response_len = resp.len};
        struct kt_warc_fetch_result res;
        assert_int_equal(kt_warc_write_fetch(w, &f, &res, &err), KT_OK);
        assert_string_equal(res.record.file, kt_warc_writer_current_file(w));
        kt_buf_free(&resp);
    }
    unsigned files = kt_warc_writer_files(w);
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    assert_true(files >= 5);
    char names[64][KT_WARC_NAME_MAX];
    size_t n = list_files(dir, names, 64);
    assert_int_equal(n, files);
    size_t responses = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(dir, names[i]);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        assert_true((uint64_t)sb.st_size <= max);
        char types[32][16];
        size_t k = read_all(path, types, 32, NULL);
        assert_true(k >= 3);
        assert_string_equal(types[0], "warcinfo");
        for (size_t j = 1; j < k; j++)
            responses += strcmp(types[j], "response") == 0;
        /* serials count up */
        char serial[6];
        memcpy(serial, names[i] + strlen("test-20261202003000123-"), 5);
        serial[5] = '\0';
        assert_int_equal(atoi(serial), (int)i);
        free(path);
    }
    assert_int_equal(responses, 30);
    tu_rmtree(dir);
    free(dir);
}

/* Writes a file with the warcinfo + n fetches and returns its path; *ends = end of each fetch. */
static char *write_n(const char *dir, int n, uint64_t *ends)
{
    struct kt_warc_writer *w = new_writer(dir, 0);
    struct kt_err err = {0};
    struct kt_warc_fetch_result res;
    for (int i = 0; i < n; i++) {
        struct kt_warc_fetch f = {.target_uri = "http://site.test/a",
                                  .response = RESP_PLAIN,
                                  .response_len = sizeof RESP_PLAIN - 1};
        assert_int_equal(kt_warc_write_fetch(w, &f, &res, &err), KT_OK);
        if (ends)
            ends[i] = res.record.offset + res.record.length;
    }
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    return path_join(dir, res.record.file);
}

static uint64_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return (uint64_t)sb.st_size;
}

static void test_repair_torn_tails(void **state)
{
    (void)state;
    /* 1. cut in the middle of the last member */
    char *dir = tu_mkdtemp("warc-torn");
    uint64_t ends[3];
    char *path = write_n(dir, 3, ends);
    assert_int_equal(file_size(path), ends[2]);
    assert_int_equal(truncate(path, (off_t)(ends[1] + (ends[2] - ends[1]) / 2)), 0);
    struct kt_warc_reader *r;
    struct kt_err err = {0};
    struct kt_warc_record rec = {0};
    bool have;
    assert_int_equal(kt_warc_reader_open(path, NULL, &r, &err), KT_OK);
    kt_status st;
    while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have)
        ;
    assert_int_equal(st, KT_ECORRUPT);
    assert_non_null(strstr(err.msg, "truncated"));
    kt_warc_reader_close(r);
    struct kt_warc_repair_report rep;
    assert_int_equal(kt_warc_repair(path, &rep, &err), KT_OK);
    assert_true(rep.cut);
    assert_int_equal(rep.new_size, ends[1]);
    assert_int_equal(rep.records_kept, 3); /* warcinfo + 2 responses */
    assert_true(strlen(rep.reason) > 0);
    assert_int_equal(file_size(path), ends[1]);
    char types[8][16];
    assert_int_equal(read_all(path, types, 8, NULL), 3);
    /* an intact file is left alone */
    assert_int_equal(kt_warc_repair(path, &rep, &err), KT_OK);
    assert_false(rep.cut);

    /* 2. garbage appended */
    FILE *f = fopen(path, "ab");
    fputs("this is not gzip data\n", f);
    fclose(f);
    assert_int_equal(kt_warc_repair(path, &rep, &err), KT_OK);
    assert_true(rep.cut);
    assert_int_equal(file_size(path), ends[1]);

    /* 3. a complete gzip member holding half a record */
    {
        const char half[] = "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 500\r\n\r\nabc";
        unsigned char gz[512];
        z_stream z;
        memset(&z, 0, sizeof z);
        deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        z.next_in = (unsigned char *)half;
        z.avail_in = sizeof half - 1;
        z.next_out = gz;
        z.avail_out = sizeof gz;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        size_t gl = z.total_out;
        deflateEnd(&z);
        f = fopen(path, "ab");
        fwrite(gz, 1, gl, f);
        fclose(f);
        assert_int_equal(kt_warc_repair(path, &rep, &err), KT_OK);
        assert_true(rep.cut);
        assert_int_equal(file_size(path), ends[1]);
    }

    /* 4. a gzip header only (killed right after the write started) */
    f = fopen(path, "ab");
    fwrite("\x1f\x8b\x08\x00", 1, 4, f);
    fclose(f);
    assert_int_equal(kt_warc_repair(path, &rep, &err), KT_OK);
    assert_true(rep.cut);
    assert_int_equal(file_size(path), ends[1]);
    kt_warc_record_free(&rec);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_damage_in_the_middle_is_not_cut(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc-mid");
    uint64_t ends[3];
    char *path = write_n(dir, 3, ends);
    /* flip a byte inside the deflate data of the first response member */
    int fd = open(path, O_RDWR);
    unsigned char b;
    off_t at = (off_t)(ends[0] - 20);
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0x55;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
    uint64_t size = file_size(path);
    struct kt_warc_repair_report rep;
    struct kt_err err = {0};
    assert_int_equal(kt_warc_repair(path, &rep, &err), KT_ECORRUPT);
    assert_non_null(strstr(err.msg, "valid records follow"));
    assert_int_equal(file_size(path), size);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

/* Decompresses a .warc.gz into a plain .warc. */
static void gunzip_file(const char *from, const char *to)
{
    gzFile g = gzopen(from, "rb");
    assert_non_null(g);
    FILE *o = fopen(to, "wb");
    assert_non_null(o);
    char buf[4096];
    int k;
    while ((k = gzread(g, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)k, o);
    gzclose(g);
    fclose(o);
}

static void test_plain_warc_and_flipped_byte(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc-plain");
    struct kt_warc_writer *w = new_writer(dir, 0);
    struct kt_warc_fetch_result res[4];
    write_sample(w, res);
    struct kt_err err = {0};
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    char *gz = path_join(dir, res[0].record.file);
    char *plain = path_join(dir, "plain.warc");
    gunzip_file(gz, plain);
    char types[16][16];
    uint64_t offs[16];
    assert_int_equal(read_all(plain, types, 16, offs), 10);
    /* plain offsets point at "WARC/" */
    struct kt_warc_record rec = {0};
    assert_int_equal(kt_warc_read_at(plain, offs[3], 0, &rec, &err), KT_OK);
    assert_string_equal(rec.target_uri, "http://site.test/chunked");

    /* flip one byte of the chunked body ("hello" -> "hallo") */
    struct kt_buf data = {0};
    assert_int_equal(kt_read_file(plain, 0, &data, &err), KT_OK);
    char *hit = memmem(data.data + offs[3], data.len - offs[3], "5\r\nhello", 8);
    assert_non_null(hit);
    hit[4] = 'a';
    assert_true(tu_write_file(plain, data.data, data.len));
    kt_buf_free(&data);
    assert_int_equal(kt_warc_read_at(plain, offs[3], 0, &rec, &err), KT_OK);
    char problem[512];
    assert_false(kt_warc_record_verify(&rec, problem, sizeof problem));
    assert_non_null(strstr(problem, "WARC-Block-Digest"));
    /* with a matching block digest the payload digest is still checked */
    for (size_t i = 0; i < rec.n_fields; i++)
        if (strcmp(rec.fields[i].name, "WARC-Block-Digest") == 0)
            rec.fields[i].value = rec.block_digest;
    assert_false(kt_warc_record_verify(&rec, problem, sizeof problem));
    assert_non_null(strstr(problem, "WARC-Payload-Digest"));

    /* the CLI: verify exits 65 naming file and offset; ls lists records */
    char off[32];
    snprintf(off, sizeof off, "offset %llu:", (unsigned long long)offs[3]);
    struct kt_buf out = {0}, errout = {0};
    char *argv[] = {(char *)tu_khotin_bin(), "warc", "verify", gz, plain, NULL};
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    assert_int_equal(rc, 65);
    assert_non_null(strstr(out.data, plain));
    assert_non_null(strstr(out.data, off));
    assert_null(strstr(out.data, gz)); /* the intact file has no complaint */
    size_t lines = 0;
    for (char *c = out.data; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1);
    kt_buf_reset(&out);
    kt_buf_reset(&errout);
    char *argv2[] = {(char *)tu_khotin_bin(), "warc", "verify", gz, NULL};
    assert_int_equal(tu_run(argv2, NULL, 0, &out, &errout), 0);
    kt_buf_reset(&out);
    char *argv3[] = {(char *)tu_khotin_bin(), "warc", "ls", gz, NULL};
    assert_int_equal(tu_run(argv3, NULL, 0, &out, &errout), 0);
    lines = 0;
    for (char *c = out.data; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 10);
    char line[256];
    snprintf(line, sizeof line, "%llu\tresponse\thttp://site.test/chunked\t200\t%s\n",
             (unsigned long long)res[1].record.offset, HELLO_DIGEST);
    assert_non_null(strstr(out.data, line));
    assert_non_null(strstr(out.data, "\trevisit\thttp://site.test/a\t304\t-\n"));
    kt_buf_reset(&out);
    char *argv4[] = {(char *)tu_khotin_bin(), "warc", "ls", "--format", "json", gz, NULL};
    assert_int_equal(tu_run(argv4, NULL, 0, &out, &errout), 0);
    assert_int_equal(out.data[0], '[');
    assert_non_null(strstr(out.data, "\"type\":\"metadata\""));
    assert_non_null(strstr(out.data, "\"status\":304"));
    kt_buf_reset(&out);
    char *argv5[] = {(char *)tu_khotin_bin(), "warc", "verify", "/nonexistent.warc.gz", NULL};
    assert_int_equal(tu_run(argv5, NULL, 0, &out, &errout), 66);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    kt_warc_record_free(&rec);
    free(gz);
    free(plain);
    tu_rmtree(dir);
    free(dir);
}

static void test_full_disk_claims_nothing(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("warc-full");
    uint64_t ends[2];
    char *path = write_n(dir, 2, ends);
    free(path);
    /* a child with a file size limit plays the full disk */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct kt_warc_writer *w = new_writer(dir, 0);
        struct kt_err err = {0};
        struct kt_warc_fetch f = {.target_uri = "http://site.test/a",
                                  .response = RESP_PLAIN,
                                  .response_len = sizeof RESP_PLAIN - 1};
        struct kt_warc_fetch_result res;
        if (kt_warc_write_fetch(w, &f, &res, &err) != KT_OK)
            _exit(10);
        struct rlimit rl = {.rlim_cur = res.record.offset + res.record.length + 100,
                            .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &rl);
        struct kt_buf big = {0};
        kt_buf_printf(&big, "HTTP/1.1 200 OK\r\n\r\n");
        unsigned s = 1;
        for (int i = 0; i < 20000; i++) {
            s = s * 1103515245u + 12345u;
            kt_buf_append_byte(&big, (char)(s >> 16));
        }
        f.response = big.data;
        f.response_len = big.len;
        kt_status st = kt_warc_write_fetch(w, &f, &res, &err);
        int code = st == KT_EIO && strstr(err.msg, ".warc.gz") ? 0 : 11;
        kt_warc_writer_close(w, NULL);
        _exit(code);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the child's file holds warcinfo + the first record, nothing half-written */
    char names[4][KT_WARC_NAME_MAX];
    size_t n = list_files(dir, names, 4);
    assert_int_equal(n, 2);
    char *child = path_join(dir, names[1]);
    struct kt_warc_repair_report rep;
    struct kt_err err = {0};
    assert_int_equal(kt_warc_repair(child, &rep, &err), KT_OK);
    assert_false(rep.cut);
    char types[8][16];
    assert_int_equal(read_all(child, types, 8, NULL), 2);
    free(child);
    tu_rmtree(dir);
    free(dir);
}

static void test_compression_levels(void **state)
{
    (void)state;
    uint64_t sizes[2];
    const int levels[2] = {1, 9};
    for (int i = 0; i < 2; i++) {
        char *dir = tu_mkdtemp("warc-level");
        struct kt_warc_writer_opts o = {.dir = dir, .compression_level = levels[i]};
        struct kt_warc_writer *w = NULL;
        struct kt_err err = {0};
        assert_int_equal(kt_warc_writer_open(&o, &w, &err), KT_OK);
        struct kt_buf resp = {0};
        kt_buf_printf(&resp, "HTTP/1.1 200 OK\r\n\r\n");
        for (int k = 0; k < 2000; k++)
            kt_buf_printf(&resp, "<p>đoạn %d: Hà Nội, Thạch Thất, 28/28 xã</p>\n", k % 37);
        struct kt_warc_fetch f = {
            .target_uri = "http://site.test/l", .response = resp.data, .response_len = resp.len};
        struct kt_warc_fetch_result res;
        assert_int_equal(kt_warc_write_fetch(w, &f, &res, &err), KT_OK);
        assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
        char *path = path_join(dir, res.record.file);
        char types[4][16];
        assert_int_equal(read_all(path, types, 4, NULL), 2);
        sizes[i] = res.record.length;
        kt_buf_free(&resp);
        free(path);
        tu_rmtree(dir);
        free(dir);
    }
    assert_true(sizes[1] <= sizes[0]);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct kt_warc_writer *w = NULL;
    struct kt_err err = {0};
    struct kt_warc_writer_opts o = {.dir = "/nonexistent/dir/for/khotin"};
    assert_int_equal(kt_warc_writer_open(&o, &w, &err), KT_ENOTFOUND);
    char *dir = tu_mkdtemp("warc-args");
    w = new_writer(dir, 0);
    struct kt_warc_fetch f = {.target_uri = "http://site.test/a\r\nX: y",
                              .response = RESP_PLAIN,
                              .response_len = sizeof RESP_PLAIN - 1};
    assert_int_equal(kt_warc_write_fetch(w, &f, NULL, &err), KT_EINVAL);
    f.target_uri = "http://site.test/a";
    f.response = "garbage";
    f.response_len = 7;
    assert_int_equal(kt_warc_write_fetch(w, &f, NULL, &err), KT_EPARSE);
    f.response = RESP_PLAIN;
    f.response_len = sizeof RESP_PLAIN - 1;
    f.kind = KT_WARC_EXCHANGE_IDENTICAL;
    assert_int_equal(kt_warc_write_fetch(w, &f, NULL, &err), KT_EINVAL);
    /* nothing was written: no file */
    assert_null(kt_warc_writer_current_file(w));
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    char names[2][KT_WARC_NAME_MAX];
    assert_int_equal(list_files(dir, names, 2), 0);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_read_all_record_types),
        cmocka_unit_test(test_block_cap_still_digests),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_repair_torn_tails),
        cmocka_unit_test(test_damage_in_the_middle_is_not_cut),
        cmocka_unit_test(test_plain_warc_and_flipped_byte),
        cmocka_unit_test(test_full_disk_claims_nothing),
        cmocka_unit_test(test_compression_levels),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
