/* crawl_site.c - the loopback hazard site and the generated benchmark site (see crawl_site.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "tests/support/crawl_site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const vi_words[] = {
    "Hà Nội",       "quận",       "huyện",      "đảng bộ",    "cán bộ",      "nhân dân",
    "phát triển",   "kinh tế",    "xã hội",     "nghị quyết", "đại hội",     "chi bộ",
    "đảng viên",    "thành phố",  "công tác",   "xây dựng",   "chính quyền", "nông thôn",
    "mới",          "hoàn thành", "chỉ tiêu",   "năm",        "tháng",       "đồng chí",
    "Bí thư",       "Chủ tịch",   "Ủy ban",     "phường",     "thị trấn",    "hội nghị",
    "tổng kết",     "triển khai", "nhiệm vụ",   "giải pháp",  "hiệu quả",    "người dân",
    "doanh nghiệp", "đầu tư",     "hạ tầng",    "giáo dục",   "y tế",        "văn hóa",
    "an ninh",      "trật tự",    "môi trường", "đô thị"};
static const char *const ascii_words[] = {
    "Ha Noi",     "quan",       "huyen",    "dang bo",    "can bo",      "nhan dan",
    "phat trien", "kinh te",    "xa hoi",   "nghi quyet", "dai hoi",     "chi bo",
    "dang vien",  "thanh pho",  "cong tac", "xay dung",   "chinh quyen", "nong thon",
    "moi",        "hoan thanh", "chi tieu", "nam",        "thang"};

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

/* Syllables made of an onset and a rhyme (hundreds of them), so that texts differ the way real
 * articles do and SimHash does not take random texts for near duplicates. */
static const char *const onsets[] = {"b",  "c",  "d", "đ", "g",  "h",  "k", "l", "m",  "n",
                                     "ph", "qu", "s", "t", "th", "tr", "v", "x", "nh", "ng"};
static const char *const rhymes[] = {"a",  "an",  "anh", "ao",  "ơn", "ương", "iên", "ôi",
                                     "ai", "ang", "ình", "uân", "ộc", "ết",   "ức",  "ầu",
                                     "ển", "ải",  "ười", "ọn",  "ắc", "ấp",   "ưa",  "ụ"};
static const char *const ascii_rhymes[] = {"a",  "an",  "anh", "ao",  "on", "uong", "ien", "oi",
                                           "ai", "ang", "inh", "uan", "oc", "et",   "uc",  "au"};

static bool add_paragraph(struct kt_buf *out, unsigned *seed, bool ascii, int words)
{
    size_t n =
        ascii ? sizeof ascii_words / sizeof *ascii_words : sizeof vi_words / sizeof *vi_words;
    size_t nr = ascii ? sizeof ascii_rhymes / sizeof *ascii_rhymes : sizeof rhymes / sizeof *rhymes;
    if (kt_buf_append_cstr(out, "<p>") != KT_OK)
        return false;
    for (int i = 0; i < words; i++) {
        char syl[32];
        const char *w;
        if (next_rand(seed) % 3 == 0) {
            w = ascii ? ascii_words[next_rand(seed) % n] : vi_words[next_rand(seed) % n];
        } else {
            const char *on = onsets[next_rand(seed) % (sizeof onsets / sizeof *onsets)];
            if (ascii && strcmp(on, "đ") == 0)
                on = "d";
            snprintf(syl, sizeof syl, "%s%s", on,
                     ascii ? ascii_rhymes[next_rand(seed) % nr] : rhymes[next_rand(seed) % nr]);
            w = syl;
        }
        if (kt_buf_printf(out, "%s%s%s", i ? " " : "", w,
                          i % 12 == 11 ? "," : (i == words - 1 ? "." : "")) != KT_OK)
            return false;
        if (i % 9 == 4 && kt_buf_printf(out, " %u", next_rand(seed) % 1000) != KT_OK)
            return false;
    }
    return kt_buf_append_cstr(out, "</p>\n") == KT_OK;
}

bool tu_article_html(struct kt_buf *out, const char *title, unsigned seed, bool ascii,
                     const char *head_extra, const char *body_extra)
{
    unsigned s = seed * 2654435761u + 7u;
    bool ok = kt_buf_printf(out,
                            "<!DOCTYPE html>\n<html lang=\"vi\"><head>%s<title>%s</title>"
                            "<meta property=\"article:published_time\" "
                            "content=\"2024-05-%02uT08:%02u:00+07:00\"></head>\n<body>\n"
                            "<div class=\"menu\"><a href=\"/\">Trang chu</a> | "
                            "<a href=\"/list/1.html\">Tin tuc</a></div>\n<article>\n"
                            "<h1 class=\"title\">%s</h1>\n<div class=\"date\">%02u/05/2024 "
                            "08:%02u</div>\n<div class=\"sapo\">",
                            head_extra ? head_extra : "", title, 1 + seed % 28, seed % 60, title,
                            1 + seed % 28, seed % 60) == KT_OK;
    ok = ok && add_paragraph(out, &s, ascii, 30);
    ok = ok && kt_buf_append_cstr(out, "</div>\n<div class=\"content\">\n") == KT_OK;
    for (int i = 0; ok && i < 6; i++)
        ok = add_paragraph(out, &s, ascii, 45 + (int)(next_rand(&s) % 20));
    ok = ok && kt_buf_printf(out,
                             "%s<p style=\"text-align:right\"><strong>Minh Anh</strong></p>\n"
                             "</div>\n</article>\n<div class=\"footer\">Ban quyen thuoc ve "
                             "toa soan. Dia chi: 1 Pho Hue, Ha Noi.</div>\n</body></html>\n",
                             body_extra ? body_extra : "") == KT_OK;
    return ok;
}

/* ------------------------------ hazard site ------------------------------ */

static bool add_article(struct tu_httpd *srv, const char *host, const char *path, const char *title,
                        unsigned seed, bool canonical)
{
    struct kt_buf b = {0};
    char head[256], etag[64];
    snprintf(head, sizeof head, "<meta charset=\"utf-8\">%s%s%s",
             canonical ? "<link rel=\"canonical\" href=\"" : "", canonical ? path : "",
             canonical ? "\">" : "");
    snprintf(etag, sizeof etag, "\"art-%u\"", seed);
    bool ok = tu_article_html(&b, title, seed, false, head,
                              "<div class=\"related\"><a href=\"/news/a1.html\">Tin lien quan</a>"
                              "</div>\n");
    ok = ok &&
         tu_httpd_add(srv, &(struct tu_route){.host = host,
                                              .target = path,
                                              .body = b.data,
                                              .body_len = b.len,
                                              .etag = etag,
                                              .last_modified = "Tue, 07 May 2024 01:00:00 GMT"});
    kt_buf_free(&b);
    return ok;
}

static void home_handler(const struct tu_httpd_request *req, struct tu_httpd_reply *rep, void *data)
{
    struct tu_hazard_site *site = data;
    int v = site->version;
    char etag[32];
    snprintf(etag, sizeof etag, "\"home-v%d\"", v);
    if (req->if_none_match && strstr(req->if_none_match, etag)) {
        rep->status = 304;
        kt_buf_printf(&rep->headers, "ETag: %s\n", etag);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    kt_buf_printf(&rep->body,
                  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trang chủ</title>"
                  "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\">"
                  "</head><body><h1>Báo Thử Nghiệm</h1><ul>"
                  "<li><a href=\"/list/1.html\">Thời sự</a></li>"
                  "<li><a href=\"/private/draft.html\">Bản nháp</a></li>"
                  "<li><a href=\"/news/a1.html?print=1\">In bài</a></li>"
                  "<li><a href=\"/news/a1.html#comments\">Bình luận</a></li>"
                  "<li><a href=\"/news/a2.html?utm_source=home&amp;utm_medium=web\">Tin 2</a></li>"
                  "<li><a href=\"/chain/1\">Chuỗi chuyển hướng</a></li>"
                  "<li><a href=\"/loop/a\">Vòng lặp</a></li>"
                  "<li><a href=\"/news/missing.html\">Bài đã xóa</a></li>"
                  "<li><a href=\"/news/big.html\">Số liệu</a></li>"
                  "<li><a href=\"/news/bomb.html\">Báo cáo</a></li>"
                  "<li><a href=\"/news/same.html\">Bản sao</a></li>"
                  "<li><a href=\"/calendar?date=%s\">Tin theo ngày</a></li>"
                  "<li><a href=\"/endless?page=1\">Tất cả</a></li>"
                  "<li><a href=\"mailto:toasoan@example.org\">Liên hệ</a></li>"
                  "<li><a href=\"http://elsewhere.example/\">Nơi khác</a></li>"
                  "%s</ul></body></html>\n",
                  today, v >= 2 ? "<li><a href=\"/news/new.html\">Tin mới</a></li>" : "");
    kt_buf_printf(&rep->headers, "ETag: %s\n", etag);
}

/* /calendar?date=YYYY-MM-DD: links to the previous and next day, forever. */
static void calendar_handler(const struct tu_httpd_request *req, struct tu_httpd_reply *rep,
                             void *data)
{
    (void)data;
    int y = 2024, m = 1, d = 1;
    const char *q = strstr(req->target, "date=");
    if (q)
        sscanf(q + 5, "%d-%d-%d", &y, &m, &d);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    char prev[16], next[16];
    time_t tp = t - 86400, tn = t + 86400;
    struct tm a, b;
    gmtime_r(&tp, &a);
    gmtime_r(&tn, &b);
    strftime(prev, sizeof prev, "%Y-%m-%d", &a);
    strftime(next, sizeof next, "%Y-%m-%d", &b);
    kt_buf_printf(&rep->body,
                  "<html><head><meta charset=\"utf-8\"><title>Tin ngày %04d-%02d-%02d</title>"
                  "</head><body><a href=\"/calendar?date=%s\">Hôm trước</a> "
                  "<a href=\"/calendar?date=%s\">Hôm sau</a> "
                  "<a href=\"/news/a1.html\">Bài 1</a></body></html>\n",
                  y, m, d, prev, next);
}

/* /endless?page=N: always links page N+1. */
static void endless_handler(const struct tu_httpd_request *req, struct tu_httpd_reply *rep,
                            void *data)
{
    (void)data;
    long p = 1;
    const char *q = strstr(req->target, "page=");
    if (q)
        p = strtol(q + 5, NULL, 10);
    kt_buf_printf(&rep->body,
                  "<html><head><meta charset=\"utf-8\"><title>Trang %ld</title></head><body>"
                  "<a href=\"/endless?page=%ld\">Trang sau</a> <a href=\"/news/a2.html\">Bài 2</a>"
                  "</body></html>\n",
                  p, p + 1);
}

bool tu_hazard_site_add(struct tu_httpd *srv, const struct tu_hazard_opts *o_in,
                        struct tu_hazard_site *site)
{
    struct tu_hazard_opts o = {0};
    if (o_in)
        o = *o_in;
    if (!o.big_bytes)
        o.big_bytes = 3u << 20;
    if (!o.bomb_bytes)
        o.bomb_bytes = 20u << 20;
    if (!o.slow_ms)
        o.slow_ms = 2000;
    const char *h = o.host;
    memset(site, 0, sizeof *site);
    site->srv = srv;
    site->version = 1;
    snprintf(site->base, sizeof site->base, "http://%s:%u", h ? h : "127.0.0.1",
             tu_httpd_port(srv));
    bool ok = true;
    char buf[4096];

    snprintf(buf, sizeof buf,
             "# test robots\nUser-agent: otherbot\nDisallow: /\n\nUser-agent: *\n"
             "Disallow: /private/\nDisallow: /*?print=\n%s%s%s"
             "Sitemap: %s/sitemap_index.xml\n",
             o.crawl_delay ? "Crawl-delay: " : "", o.crawl_delay ? o.crawl_delay : "",
             o.crawl_delay ? "\n" : "", site->base);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/robots.txt",
                                                    .body = buf,
                                                    .content_type = "text/plain"});
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
             "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
             "<sitemap><loc>%s/sitemaps/news.xml</loc><lastmod>2024-05-07</lastmod></sitemap>\n"
             "<sitemap><loc>%s/sitemaps/old.xml.gz</loc></sitemap>\n</sitemapindex>\n",
             site->base, site->base);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/sitemap_index.xml",
                                                    .body = buf,
                                                    .content_type = "application/xml",
                                                    .etag = "\"smi-1\""});
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
             "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
             "<url><loc>%s/news/a1.html</loc><lastmod>2024-05-01</lastmod></url>\n"
             "<url><loc>%s/news/a2.html</loc></url>\n<url><loc>%s/news/flaky.html</loc></url>\n"
             "<url><loc>%s/news/limited.html</loc></url>\n<url><loc>%s/news/slow.html</loc></url>\n"
             "<url><loc>%s/news/nfd.html</loc></url>\n</urlset>\n",
             site->base, site->base, site->base, site->base, site->base, site->base);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/sitemaps/news.xml",
                                                    .body = buf,
                                                    .content_type = "application/xml",
                                                    .etag = "\"sm-news-1\""});
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
             "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
             "<url><loc>%s/news/old1.html</loc><lastmod>2015-03-02</lastmod></url>\n</urlset>\n",
             site->base);
    struct kt_buf gz = {0};
    ok = ok && tu_gzip(buf, strlen(buf), &gz);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/sitemaps/old.xml.gz",
                                                    .body = gz.data,
                                                    .body_len = gz.len,
                                                    .content_type = "application/x-gzip"});
    kt_buf_free(&gz);
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
             "<title>Tin mới</title><link>%s/</link>\n"
             "<item><title>Bài 3</title><link>%s/news/a3.html?utm_source=rss&amp;utm_medium="
             "feed</link><pubDate>Tue, 07 May 2024 08:00:00 +0700</pubDate></item>\n"
             "<item><title>Bài 1258</title><link>%s/news/win1258.html</link></item>\n"
             "<item><title>Không charset</title><link>%s/news/nocharset.html</link></item>\n"
             "</channel></rss>\n",
             site->base, site->base, site->base, site->base);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/rss.xml",
                                                    .body = buf,
                                                    .content_type = "application/rss+xml",
                                                    .etag = "\"rss-1\""});
    ok = ok &&
         tu_httpd_add(srv,
                      &(struct tu_route){
                          .host = h, .target = "/", .handler = home_handler, .handler_data = site});
    /* paginated listing */
    static const char *const lists[3][2] = {
        {"/news/a1.html\">Bài 1</a> <a href=\"/news/a2.html", "/list/2.html"},
        {"/news/a5.html\">Bài 5</a> <a href=\"/news/a2.html", "/list/3.html"},
        {"/news/a6.html\">Bài 6</a> <a href=\"/news/a5.html", NULL}};
    for (int i = 0; i < 3 && ok; i++) {
        char path[32], etag[32];
        snprintf(path, sizeof path, "/list/%d.html", i + 1);
        snprintf(etag, sizeof etag, "\"list-%d\"", i + 1);
        snprintf(buf, sizeof buf,
                 "<html><head><meta charset=\"utf-8\"><title>Thời sự - trang %d</title>%s%s%s"
                 "</head><body><h1>Thời sự</h1><a href=\"%s\">Bài</a>%s%s%s</body></html>\n",
                 i + 1, lists[i][1] ? "<link rel=\"next\" href=\"" : "",
                 lists[i][1] ? lists[i][1] : "", lists[i][1] ? "\">" : "", lists[i][0],
                 lists[i][1] ? " <a href=\"" : "", lists[i][1] ? lists[i][1] : "",
                 lists[i][1] ? "\">Trang sau</a>" : "");
        ok = tu_httpd_add(srv,
                          &(struct tu_route){.host = h, .target = path, .body = buf, .etag = etag});
    }
    static const char *const titles[] = {"Quận Ba Đình tổng kết công tác xây dựng Đảng",
                                         "Huyện Sóc Sơn hoàn thành 28/28 xã nông thôn mới",
                                         "Hà Nội triển khai nghị quyết đại hội",
                                         "Mê Linh nâng cao chất lượng sinh hoạt chi bộ",
                                         "Thạch Thất đạt 40,7% chỉ tiêu đầu tư",
                                         "Đông Anh trao huy hiệu Đảng cho 185 đảng viên"};
    for (int i = 0; i < 6 && ok; i++) {
        char path[32];
        snprintf(path, sizeof path, "/news/a%d.html", i + 1);
        ok = add_article(srv, h, path, titles[i], (unsigned)i + 1, i != 4);
    }
    ok = ok &&
         add_article(srv, h, "/news/new.html", "Tin mới: Gia Lâm khánh thành trường học", 40, true);
    ok = ok && add_article(srv, h, "/news/old1.html", "Tin cũ năm 2015 về đô thị", 41, true);
    ok = ok && add_article(srv, h, "/private/draft.html", "Bản nháp không được công bố", 42, true);
    /* the same bytes as a5 (which has no canonical link) at another URL: an identical payload
     * and a duplicate article */
    ok = ok && add_article(srv, h, "/news/same.html", titles[4], 5, false);
    /* hazards */
    struct kt_buf b = {0};
    ok = ok && tu_article_html(&b, "Bài có lỗi máy chủ tạm thời", 50, false,
                               "<meta charset=\"utf-8\">", NULL);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/flaky.html",
                                                    .body = b.data,
                                                    .body_len = b.len,
                                                    .fail_times = 2,
                                                    .fail_status = 500});
    kt_buf_reset(&b);
    ok = ok &&
         tu_article_html(&b, "Bài bị giới hạn tốc độ", 51, false, "<meta charset=\"utf-8\">", NULL);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/limited.html",
                                                    .body = b.data,
                                                    .body_len = b.len,
                                                    .fail_times = 1,
                                                    .fail_status = 429,
                                                    .retry_after = "1"});
    kt_buf_reset(&b);
    ok = ok && tu_article_html(&b, "Bài tải chậm", 52, false, "<meta charset=\"utf-8\">", NULL);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/slow.html",
                                                    .body = b.data,
                                                    .body_len = b.len,
                                                    .delay_ms = o.slow_ms});
    kt_buf_reset(&b);
    /* NFD: "Hà Nội" decomposed */
    ok = ok && tu_article_html(&b,
                               "Ha\xcc\x80 No\xcc\xa3\xcc\x82i tri\xcc\x80nh ba\xcc\x80y ke\xcc"
                               "\x82\xcc\x81 hoa\xcc\xa3\x63h",
                               53, false, "<meta charset=\"utf-8\">", NULL);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/nfd.html",
                                                    .body = b.data,
                                                    .body_len = b.len});
    kt_buf_reset(&b);
    /* windows-1258: "Hà Nội" = H 0xE0 ' ' N 0xF4 0xF2 i (ô + combining dot below) */
    ok = ok && tu_article_html(&b, "H\xe0 N\xf4\xf2i so ket cong tac", 54, true,
                               "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                               "charset=windows-1258\">",
                               NULL);
    ok = ok &&
         tu_httpd_add(srv, &(struct tu_route){.host = h,
                                              .target = "/news/win1258.html",
                                              .body = b.data,
                                              .body_len = b.len,
                                              .content_type = "text/html; charset=windows-1258"});
    kt_buf_reset(&b);
    ok = ok && tu_article_html(&b, "Sóc Sơn trao huy hiệu Đảng", 55, false, NULL, NULL);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/nocharset.html",
                                                    .body = b.data,
                                                    .body_len = b.len,
                                                    .content_type = "text/html"});
    kt_buf_reset(&b);
    /* oversized */
    if (ok) {
        char *big = malloc(o.big_bytes + 1);
        ok = big != NULL;
        if (big) {
            static const char row[] = "<tr><td>so lieu</td><td>123</td></tr>\n";
            size_t pos = 0;
            pos += (size_t)snprintf(big, o.big_bytes, "<html><body><table>\n");
            while (pos + sizeof row < o.big_bytes) {
                memcpy(big + pos, row, sizeof row - 1);
                pos += sizeof row - 1;
            }
            big[pos] = 0;
            ok = tu_httpd_add(
                srv, &(struct tu_route){
                         .host = h, .target = "/news/big.html", .body = big, .body_len = pos});
            free(big);
        }
    }
    ok = ok && tu_gzip_zeros(o.bomb_bytes, &b);
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/news/bomb.html",
                                                    .body = b.data,
                                                    .body_len = b.len,
                                                    .body_is_gzip = true});
    kt_buf_free(&b);
    ok = ok &&
         tu_httpd_add(srv,
                      &(struct tu_route){
                          .host = h, .target = "/chain/1", .status = 301, .location = "/chain/2"});
    ok = ok &&
         tu_httpd_add(srv,
                      &(struct tu_route){
                          .host = h, .target = "/chain/2", .status = 301, .location = "/chain/3"});
    ok = ok && tu_httpd_add(srv, &(struct tu_route){.host = h,
                                                    .target = "/chain/3",
                                                    .status = 301,
                                                    .location = "/news/a4.html"});
    ok = ok && tu_httpd_add(
                   srv, &(struct tu_route){
                            .host = h, .target = "/loop/a", .status = 302, .location = "/loop/b"});
    ok = ok && tu_httpd_add(
                   srv, &(struct tu_route){
                            .host = h, .target = "/loop/b", .status = 302, .location = "/loop/a"});
    ok = ok &&
         tu_httpd_add(srv, &(struct tu_route){
                               .host = h, .target = "/calendar*", .handler = calendar_handler});
    ok = ok && tu_httpd_add(srv, &(struct tu_route){
                                     .host = h, .target = "/endless*", .handler = endless_handler});
    return ok;
}

/* ------------------------------ generated site ------------------------------ */

/* "/tin-tuc/<three words>-<n>.html": distinct slugs as on real sites (and URL shapes). */
static void gen_article_path(unsigned n, char *out, size_t size)
{
    static const char *const w[] = {
        "ha-noi",   "quan",     "huyen",       "dang-bo",   "can-bo",     "nhan-dan",  "phat-trien",
        "kinh-te",  "xa-hoi",   "nghi-quyet",  "dai-hoi",   "chi-bo",     "dang-vien", "thanh-pho",
        "cong-tac", "xay-dung", "chinh-quyen", "nong-thon", "hoan-thanh", "chi-tieu"};
    unsigned s = n * 2654435761u;
    size_t k = sizeof w / sizeof *w;
    snprintf(out, size, "/tin-tuc/%s-%s-%s-%u.html", w[s % k], w[(s >> 8) % k], w[(s >> 16) % k],
             n);
}

static bool gen_parse_article(const char *t, unsigned *n)
{
    if (strncmp(t, "/tin-tuc/", 9) != 0)
        return false;
    const char *dash = strrchr(t, '-');
    char tail[16];
    return dash && sscanf(dash + 1, "%u%15s", n, tail) == 2 && strcmp(tail, ".html") == 0;
}

static void gen_handler(const struct tu_httpd_request *req, struct tu_httpd_reply *rep, void *data)
{
    const struct tu_gen_site *g = data;
    const char *t = req->target;
    unsigned n = 0;
    unsigned pages = (g->n_articles + g->per_page - 1) / g->per_page;
    if (strcmp(t, "/robots.txt") == 0) {
        snprintf(rep->content_type, sizeof rep->content_type, "text/plain");
        kt_buf_append_cstr(&rep->body, "User-agent: *\nDisallow: /private/\n");
    } else if (strcmp(t, "/sitemap.xml") == 0 && g->sitemap) {
        snprintf(rep->content_type, sizeof rep->content_type, "application/xml");
        kt_buf_append_cstr(&rep->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
                                       "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (unsigned i = 0; i * 50000u < g->n_articles; i++)
            kt_buf_printf(&rep->body,
                          "<sitemap><loc>http://%s:%u/sitemaps/%u.xml</loc></sitemap>\n", req->host,
                          g->port, i + 1);
        kt_buf_append_cstr(&rep->body, "</sitemapindex>\n");
    } else if (g->sitemap && sscanf(t, "/sitemaps/%u.xml", &n) == 1 && n >= 1 &&
               (n - 1) * 50000u < g->n_articles) {
        snprintf(rep->content_type, sizeof rep->content_type, "application/xml");
        kt_buf_append_cstr(&rep->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                                       "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (unsigned i = (n - 1) * 50000u + 1; i <= n * 50000u && i <= g->n_articles; i++) {
            char path[128];
            gen_article_path(i, path, sizeof path);
            kt_buf_printf(&rep->body, "<url><loc>http://%s:%u%s</loc></url>\n", req->host, g->port,
                          path);
        }
        kt_buf_append_cstr(&rep->body, "</urlset>\n");
    } else if (strcmp(t, "/") == 0 || strcmp(t, "/index.html") == 0) {
        kt_buf_append_cstr(&rep->body, "<html><head><meta charset=\"utf-8\"><title>Trang chủ"
                                       "</title></head><body><a href=\"/list/1.html\">Tin tức</a>"
                                       "</body></html>\n");
    } else if (sscanf(t, "/list/%u.html", &n) == 1 && n >= 1 && n <= pages) {
        kt_buf_printf(&rep->body,
                      "<html><head><meta charset=\"utf-8\"><title>Tin tức - trang "
                      "%u</title></head><body><h1>Tin tức</h1><ul>\n",
                      n);
        for (unsigned i = (n - 1) * g->per_page + 1; i <= n * g->per_page && i <= g->n_articles;
             i++) {
            char path[128];
            gen_article_path(i, path, sizeof path);
            kt_buf_printf(&rep->body, "<li><a href=\"%s\">Bài số %u</a></li>\n", path, i);
        }
        if (n < pages)
            kt_buf_printf(&rep->body, "</ul><a href=\"/list/%u.html\">Trang sau</a>", n + 1);
        kt_buf_append_cstr(&rep->body, "</body></html>\n");
    } else if (gen_parse_article(t, &n) && n >= 1 && n <= g->n_articles) {
        char title[96];
        snprintf(title, sizeof title, "Bài số %u: tin hoạt động của quận", n);
        tu_article_html(&rep->body, title, n, false, "<meta charset=\"utf-8\">", NULL);
        kt_buf_printf(&rep->headers, "ETag: \"a-%u\"\n", n);
    } else {
        rep->status = 404;
        kt_buf_append_cstr(&rep->body, "<html><body>404</body></html>\n");
    }
}

void tu_gen_article_path(unsigned n, char *out, size_t size)
{
    gen_article_path(n, out, size);
}

bool tu_gen_site_add(struct tu_httpd *srv, struct tu_gen_site *site)
{
    if (!site->per_page)
        site->per_page = 50;
    site->port = tu_httpd_port(srv);
    return tu_httpd_add(
        srv, &(struct tu_route){.target = "/*", .handler = gen_handler, .handler_data = site});
}
