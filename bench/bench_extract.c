/* bench_extract.c - throughput of article extraction on one core: MB/s of HTML turned into
 * article records (fixture pages from ../shared when present, synthetic pages otherwise),
 * against a baseline measured in the same run (libxml2 parsing alone). Times are the thread's
 * CPU time, so other processes on the machine do not distort the figures. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/crawler.h"

#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* CPU time of this thread in ms: the figure is per core even on a busy machine. */
static int64_t cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct page {
    char *data;
    size_t len;
};

static struct page *pages;
static size_t n_pages;
static size_t total_bytes;

static void add_page(char *data, size_t len)
{
    struct page *np = realloc(pages, (n_pages + 1) * sizeof *np);
    if (!np) {
        free(data);
        return;
    }
    pages = np;
    pages[n_pages].data = data;
    pages[n_pages].len = len;
    n_pages++;
    total_bytes += len;
}

/* Every .html file under dir (recursively, bounded depth). */
static void load_dir(const char *dir, int depth)
{
    if (depth > 8)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            load_dir(path, depth + 1);
            continue;
        }
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 5, ".html") != 0)
            continue;
        struct kt_buf b = {0};
        if (kt_read_file(path, 0, &b, NULL) == KT_OK && b.len)
            add_page(kt_buf_detach(&b), b.len);
        kt_buf_free(&b);
    }
    closedir(d);
}

static void synthetic_pages(void)
{
    for (int p = 0; p < 20; p++) {
        struct kt_buf b = {0};
        kt_buf_printf(&b,
                      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bài %d - "
                      "Báo Thử</title></head><body><nav><a href=\"/\">Trang chủ</a></nav>"
                      "<article><h1>Bài số %d về công tác xây dựng Đảng</h1>"
                      "<div class=\"date\">Thứ Hai, 25/05/2020 08:15</div>"
                      "<div class=\"content\">",
                      p, p);
        for (int i = 0; i < 30; i++)
            kt_buf_printf(&b,
                          "<p>Đoạn %d: Ban Thường vụ Huyện ủy đã lãnh đạo, chỉ đạo tổ chức "
                          "thành công Đại hội, bảo đảm đúng quy trình, tiến độ; tỷ lệ đạt "
                          "%d,5%%.</p>",
                          i, i);
        kt_buf_append_cstr(&b, "<p style=\"text-align:right\"><strong>Thanh Tình</strong></p>"
                               "</div></article><div class=\"related\"><h3>Tin liên quan</h3>"
                               "<ul><li><a href=\"/x\">Tin khác</a></li></ul></div></body></html>");
        add_page(kt_buf_detach(&b), b.len);
    }
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    const char *shared = getenv("KHOTIN_SHARED_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fixtures/site", shared ? shared : "../shared");
    load_dir(dir, 0);
    const char *source = "fixture pages";
    if (n_pages == 0) {
        synthetic_pages();
        source = "synthetic pages";
    }
    if (n_pages == 0) {
        fprintf(stderr, "bench_extract: no pages\n");
        return 1;
    }
    printf("bench_extract: %zu %s, %.2f MB in all\n", n_pages, source, total_bytes / 1e6);

    /* baseline: libxml2 parse + free only */
    int64_t t0 = cpu_ms();
    size_t bytes = 0, rounds = 0;
    while (cpu_ms() - t0 < (int64_t)(seconds * 1000)) {
        for (size_t i = 0; i < n_pages; i++) {
            htmlDocPtr d = htmlReadMemory(pages[i].data, (int)pages[i].len, NULL, "UTF-8",
                                          HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                              HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
            xmlFreeDoc(d);
            bytes += pages[i].len;
        }
        rounds++;
    }
    double base_s = (double)(cpu_ms() - t0) / 1000.0;
    double base_mbs = bytes / 1e6 / base_s;

    /* extraction: bytes -> decoded -> record (with fingerprint) */
    t0 = cpu_ms();
    bytes = 0;
    size_t records = 0, articles = 0;
    struct kt_article a;
    kt_article_init(&a);
    while (cpu_ms() - t0 < (int64_t)(seconds * 1000)) {
        for (size_t i = 0; i < n_pages; i++) {
            struct kt_extract_info info;
            struct kt_extract_opts o = {.content_type = "text/html"};
            if (kt_extract_html(pages[i].data, pages[i].len, &o, &a, &info, NULL) == KT_OK) {
                records++;
                articles += info.is_article;
            }
            bytes += pages[i].len;
        }
    }
    kt_article_free(&a);
    double ex_s = (double)(cpu_ms() - t0) / 1000.0;
    double ex_mbs = bytes / 1e6 / ex_s;
    printf("baseline  libxml2 parse only     %8.1f MB/s (%zu rounds)\n", base_mbs, rounds);
    printf("extract   HTML -> article record %8.1f MB/s (%zu records, %zu articles, %.0f "
           "pages/s)\n",
           ex_mbs, records, articles, records / ex_s);
    printf("ratio     extract / parse        %8.2f\n", ex_mbs / base_mbs);
    printf("goal      >= 30 MB/s             %s\n", ex_mbs >= 30 ? "met" : "NOT MET");
    for (size_t i = 0; i < n_pages; i++)
        free(pages[i].data);
    free(pages);
    return 0;
}
