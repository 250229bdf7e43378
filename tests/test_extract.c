/* test_extract.c - article extraction on embedded HTML snippets: one page per template family
 * (news site with og/article meta, old portal with the date inside the h1, ASP.NET page with
 * JSON-LD and CKEditor caption tables, table-layout district portal, lazy-image site with a
 * syndicated copy, and a WordPress-style template none of the rules were written for), the
 * date and byline forms, boilerplate and caption removal, and non-article pages. */
#define _POSIX_C_SOURCE 200809L
#include "corpus/corpus.h"
#include "crawler/crawler.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P1                                                                                                                              \
    "Sáng 17/7, Đoàn công tác số 2 của Ban Thường vụ Thành ủy đã có cuộc làm việc với Ban Thường "        \
    "vụ Huyện ủy Ba Vì để duyệt công tác chuẩn bị, tổ chức Đại hội Đảng bộ huyện lần thứ XXIII, " \
    "nhiệm kỳ 2020-2025."
#define P2                                                                                                              \
    "Theo báo cáo của Ban Thường vụ Huyện ủy Ba Vì, tính đến ngày 26/6/2020, toàn bộ 73/73 tổ " \
    "chức cơ sở đảng trực thuộc Huyện ủy đã tổ chức thành công Đại hội nhiệm kỳ 2020-2025."
#define P3                                                                                                                        \
    "Về công tác chuẩn bị Đại hội Đảng bộ, đến nay, huyện cũng thực hiện xong quy trình nhân sự " \
    "Ban Chấp hành, Ban Thường vụ, Ủy ban Kiểm tra và các chức danh lãnh đạo nhiệm kỳ 2020-2025."
#define P4                                                                                                                 \
    "Kết luận buổi làm việc, Phó Bí thư Thường trực Thành ủy ghi nhận, trong 6 tháng đầu năm "  \
    "nay, bên cạnh việc triển khai phát triển kinh tế - xã hội, Ban Thường vụ Huyện ủy đã quan " \
    "tâm lãnh đạo, chỉ đạo."
#define LEAD                                                                                                                     \
    "Kinhtedothi - Phó Bí thư Thường trực Thành ủy yêu cầu huyện Ba Vì cùng với tập trung tổ "           \
    "chức Đại hội Đảng thì cũng phải triển khai đồng thời nhiệm vụ kép, vừa phòng chống dịch, " \
    "vừa phát triển kinh tế."
#define TEASER                                                                                                                      \
    "Hà Nội hỗ trợ 65 tỷ đồng sửa chữa, nâng cấp trường Tiểu học Hà Nội - Điện Biên Phủ, một " \
    "công trình có ý nghĩa chính trị, xã hội sâu sắc, thể hiện tình cảm của Thủ đô với nhân dân."

struct expect {
    const char *name;
    const char *html;
    const char *content_type;
    const char *title;
    const char *date;   /* prefix to match, NULL = expect none */
    const char *author; /* NULL = expect none */
    const char *photo;
    const char *attribution;
    const char *must[6];    /* substrings the text must contain */
    const char *mustnt[8];  /* substrings the text must not contain */
    const char *caption;    /* one caption that must be listed */
    const char *lead_start; /* text must start with this */
};

static const struct expect cases[] = {
    {.name = "news site: og/article meta, byline above the lead, hidden teaser, figure",
     .html = "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
             "<title>Tập trung tổ chức Đại hội - Kinh tế &amp; Đô thị</title>"
             "<meta property=\"og:type\" content=\"article\">"
             "<meta property=\"og:title\" content=\"Tập trung tổ chức Đại hội\">"
             "<meta property=\"article:published_time\" content=\"2020-07-17T11:05:00+07:00\">"
             "<script>var msg='Bạn chưa nhập nội dung bình luận!';</script></head><body>"
             "<nav class=\"menu-main\"><ul><li><a href=\"/\">Trang chủ</a></li><li><a "
             "href=\"/chinh-tri\">Chính trị</a></li></ul></nav>"
             "<article class=\"detail-news\"><h1 class=\"title_detail_news\">Tập trung tổ chức "
             "Đại hội</h1><div class=\"box-meta\"><div class=\"time_detail_news\">17/07/2020 "
             "11:05</div><div class=\"share-top\"><a href=\"#\">Chia sẻ</a> <a>Chia sẻ "
             "Zalo</a> <a href=\"?print=1\">In bài</a></div></div>"
             "<div class=\"author_detail\"><strong>Trần Long - Ảnh: Phạm Hùng</strong></div>"
             "<div class=\"sapo-share hidden\" style=\"display:none\">Kinhtedothi - Phó Bí thư "
             "Thường trực Thành ủy yêu cầu huyện Ba Vì...</div>"
             "<h2 class=\"sapo_detail\"><strong>Kinhtedothi -</strong> Phó Bí thư Thường trực "
             "Thành ủy yêu cầu huyện Ba Vì cùng với tập trung tổ chức Đại hội Đảng thì cũng phải "
             "triển khai đồng thời nhiệm vụ kép, vừa phòng chống dịch, vừa phát triển kinh "
             "tế.</h2><div id=\"cotent_detail\" class=\"fck_detail\"><p>" P1 "</p>"
             "<figure class=\"image\"><img src=\"/a.jpg\" alt=\"x\"><figcaption>Phó Bí thư phát "
             "biểu kết luận cuộc làm việc.</figcaption></figure>"
             "<h3><strong>Đại hội được tổ chức từ 28-30/7/2020</strong></h3><p>" P2 "</p>"
             "<div class=\"box-tinlienquan\"><div class=\"title-box\">Tin liên quan</div><ul>"
             "<li><a href=\"/x.html\">Đông Anh kết nạp 412 đảng viên mới trong năm "
             "2020</a></li></ul></div><p>" P3 "</p><p>" P4 "</p></div>"
             "<div class=\"tag_detail\"><span>Từ khóa:</span> <a href=\"/t\">Xây dựng "
             "Đảng</a></div><div class=\"box-comment\"><h3>Ý kiến bạn đọc (0)</h3><form><p>Viết "
             "bình luận</p><label>Họ tên:(*)</label><input name=\"n\"></form></div>"
             "<div class=\"box-tin-cung-chuyen-muc\"><h3 class=\"title-box\">Tin cùng chuyên "
             "mục</h3><div class=\"item\"><h3><a href=\"/y.html\">Hà Nội hỗ trợ 65 tỷ "
             "đồng</a></h3><p class=\"sapo\">" TEASER "</p><span>07/09/2021 19:30</span></div>"
             "</div></article><aside><div class=\"box-tin-doc-nhieu\"><h3>Tin đọc "
             "nhiều</h3></div></aside><footer><p>© Bản quyền thuộc về Báo Kinh tế &amp; Đô "
             "thị. Giấy phép số 1589/GP-BTTTT.</p></footer></body></html>",
     .title = "Tập trung tổ chức Đại hội",
     .date = "2020-07-17T11:05+07:00",
     .author = "Trần Long",
     .photo = "Phạm Hùng",
     .must = {P1, P2, P3, P4, "Đại hội được tổ chức từ 28-30/7/2020"},
     .mustnt = {"Chia sẻ", "Tin liên quan", "Đông Anh kết nạp", "Hà Nội hỗ trợ", "Viết bình",
                "phát biểu kết luận cuộc", "Ba Vì...", "Bản quyền"},
     .caption = "Phó Bí thư phát biểu kết luận cuộc làm việc.",
     .lead_start = LEAD},
    {.name = "old portal: date inside the h1, centred italic caption, right-aligned byline",
     .html = "<html><head><title>Hànộimới - Thường Tín: Nâng cao năng lực lãnh đạo</title>"
             "</head><body><div id=\"header\"><div class=\"datetime\">Chủ Nhật, ngày "
             "15/05/2022</div><ul id=\"menu\"><li><a href=\"/\">TRANG CHỦ</a></li></ul></div>"
             "<div class=\"article_detail\"><h1 class=\"caption\">Thường Tín: Nâng cao năng lực "
             "lãnh đạo <span class=\"period\">(10:25 26/03/2020)</span></h1>"
             "<div class=\"tool\"><a href=\"?print=1\">In bài</a> | <a>Gửi email</a></div>"
             "<div class=\"summary\"><strong>HNP -</strong>&nbsp;Sau 5 năm thực hiện Chương "
             "trình số 03-CTr/HU của Huyện ủy, năng lực lãnh đạo, sức chiến đấu của cấp ủy Đảng "
             "ở Thường Tín được nâng lên rõ rệt.</div><div class=\"article\">"
             "<p style=\"text-align: center;\"><img src=\"/u/1.jpg\" alt=\"\"></p>"
             "<p style=\"text-align: center;\"><em>Huyện ủy Thường Tín chỉ đạo Đại hội "
             "điểm</em></p><p>" P1 "</p><p>" P2 "</p>"
             "<div class=\"tinlienquan\"><b>Tin liên quan:</b><ul><li><a href=\"/a\">Quận Cầu "
             "Giấy: Hơn 1.200 cán bộ, đảng viên học tập Nghị quyết</a></li></ul></div>"
             "<p>" P3 "</p><p style=\"text-align: right;\"><strong>Thanh Tình</strong></p></div>"
             "<div class=\"taglist\">Từ khóa: <a href=\"/t\">Xây dựng Đảng</a></div>"
             "<div class=\"other_news\"><h3>Các bài mới đăng</h3><ul><li><a href=\"/b\">Gia "
             "Lâm: Người đứng đầu cấp ủy đối thoại</a> <span>(12/05/2022)</span></li></ul></div>"
             "<div class=\"comment\"><div class=\"title\">Viết bình luận</div><table><tr><td>Họ "
             "tên:(*)</td></tr><tr><td>Mã xác nhận:</td><td><a>Lấy lại mã bảo "
             "mật</a></td></tr></table></div></div></body></html>",
     .title = "Thường Tín: Nâng cao năng lực lãnh đạo",
     .date = "2020-03-26T10:25",
     .author = "Thanh Tình",
     .must = {P1, P2, P3, "HNP -"},
     .mustnt = {"Thanh Tình", "chỉ đạo Đại hội điểm", "Quận Cầu Giấy", "Gia Lâm", "Lấy lại",
                "In bài", "10:25"},
     .caption = "Huyện ủy Thường Tín chỉ đạo Đại hội điểm",
     .lead_start = "HNP -"},
    {.name = "ASP.NET page inside a form: JSON-LD, tplCaption table, related table",
     .html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
             "charset=utf-8\"><title>Không để lọt cán bộ - Báo điện tử Đảng Cộng sản Việt "
             "Nam</title><script type=\"application/ld+json\">{\"@context\": "
             "\"https://schema.org\", \"@type\": \"NewsArticle\", \"headline\": \"Không để lọt "
             "cán bộ\", \"datePublished\": \"2020-05-25T11:40:00Z\", \"author\": {\"@type\": "
             "\"Person\", \"name\": \"Thu Hằng\"}}</script></head><body><form id=\"aspnetForm\" "
             "method=\"post\"><input type=\"hidden\" name=\"__VIEWSTATE\" value=\"/wEPDw\">"
             "<div class=\"header\"><span class=\"date\">Thứ Hai, 08/08/2022</span></div>"
             "<div class=\"detail\"><div class=\"breadcrumb\"><a href=\"/\">Trang chủ</a></div>"
             "<h1 class=\"post-title\">Không để lọt cán bộ</h1><div class=\"post-meta\"><span>Thứ "
             "Hai, 25/05/2020 18:40</span></div><div class=\"post-summary\"><h2><strong>(ĐCSVN) "
             "-</strong> Đồng chí Ngô Thị Thanh Hằng lưu ý Ban Thường vụ Huyện ủy Thường Tín chuẩn "
             "bị kỹ công tác nhân sự, nhất là bảo vệ chính trị nội bộ.</h2></div>"
             "<div itemprop=\"articleBody\" class=\"post-content\"><p>" P1 "</p>"
             "<table class=\"tplCaption\" align=\"center\"><tbody><tr><td><img src=\"/u.jpg\">"
             "</td></tr><tr><td><p class=\"Image\">Phó Bí thư Thường trực Thành ủy phát biểu kết "
             "luận.</p></td></tr></tbody></table><p>" P2 "</p>"
             "<table class=\"related-news\" align=\"right\"><tr><td><b>Tin liên "
             "quan</b></td></tr><tr><td><ul><li><a href=\"/n\">Thạch Thất: Sơ kết giữa nhiệm "
             "kỳ</a></li></ul></td></tr></table><p>Ngày 4/8, Ban Chấp hành Đảng bộ <a "
             "href=\"/tim-kiem?q=h\" class=\"tag-inline\">huyện Thạch Thất</a> tổ chức hội nghị sơ "
             "kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XXIV.</p>"
             "<p style=\"text-align: right;\"><strong>Thu Hằng</strong></p></div>"
             "<div class=\"box-same\"><div class=\"box-title\">Tin cùng chuyên mục</div><div "
             "class=\"item\"><a class=\"title\" href=\"/z\">Hà Nội hỗ trợ 65 tỷ đồng</a><p>" TEASER
             "</p></div></div></div></form></body></html>",
     .title = "Không để lọt cán bộ",
     .date = "2020-05-25T18:40+07:00",
     .author = "Thu Hằng",
     .must = {P1, P2, "huyện Thạch Thất tổ chức hội nghị", "(ĐCSVN) -"},
     .mustnt = {"Thạch Thất: Sơ kết", "phát biểu kết luận.", "Hà Nội hỗ trợ", "VIEWSTATE",
                "Thu Hằng"},
     .caption = "Phó Bí thư Thường trực Thành ủy phát biểu kết luận.",
     .lead_start = "(ĐCSVN) -"},
    {.name = "district portal: table layout, no h1, Ngày đăng line, name - office byline",
     .html = "<html><head><title>Thạch Thất giao ban công tác quý I năm 2022 - Cổng Giao Tiếp "
             "Điện Tử Huyện Thạch Thất</title></head><body><table width=\"1000\"><tr><td "
             "colspan=\"2\"><img src=\"/b.png\"></td></tr><tr><td class=\"menubar\"><a "
             "href=\"/\" class=\"menu\">Trang chủ</a> | <a href=\"/t\">Tin tức - Sự "
             "kiện</a></td></tr><tr><td class=\"leftcol\"><table><tr><td "
             "class=\"boxtitle\">CHUYÊN MỤC</td></tr><tr><td><a href=\"/x\">Xây dựng "
             "Đảng</a></td></tr><tr><td>Đang trực tuyến: 27<br>Tổng lượt truy cập: "
             "2.318.447</td></tr></table></td><td class=\"maincol\"><table><tr><td "
             "class=\"cattitle\"><a href=\"/k\">KINH TẾ - CHÍNH TRỊ</a></td></tr><tr><td "
             "class=\"newstitle\"><span class=\"Title\">Thạch Thất giao ban công tác quý I năm "
             "2022</span></td></tr><tr><td class=\"newsdate\">Ngày đăng 14/04/2022 | 16:30&nbsp; "
             "| Lượt xem: 386</td></tr><tr><td class=\"newscontent\"><div class=\"NewsContent\">"
             "<p style=\"text-align:justify\">" P1 "</p><p align=\"center\"><img "
             "src=\"/u/2.jpg\"></p><p align=\"center\"><i>Toàn cảnh hội nghị</i></p>"
             "<table class=\"tinlienquan\"><tr><td><b>Tin liên quan</b></td></tr><tr><td>» <a "
             "href=\"/q\">Huyện Thạch Thất hoàn thành 19/23 chỉ tiêu</a></td></tr></table>"
             "<p style=\"text-align:justify\">" P2 "</p><p style=\"text-align:justify\">" P3
             "</p><p align=\"right\"><b>Nguyễn Hằng - Đảng ủy xã Bình Yên</b></p></div></td></tr>"
             "<tr><td class=\"tools\"><a href=\"?print=1\">In trang</a> | <a href=\"#top\">Về "
             "đầu trang</a></td></tr><tr><td class=\"othernews\"><b>Các tin khác</b><ul><li><a "
             "href=\"/o\">Đảng bộ xã Bình Yên sơ kết công tác</a> "
             "<font>(08/07/2022)</font></li></ul></td></tr></table></td></tr><tr><td "
             "class=\"footer\">Địa chỉ: Thị trấn Liên Quan<br>Ghi rõ nguồn khi phát hành "
             "lại</td></tr></table></body></html>",
     .title = "Thạch Thất giao ban công tác quý I năm 2022",
     .date = "2022-04-14T16:30",
     .author = "Nguyễn Hằng",
     .must = {P1, P2, P3},
     .mustnt = {"Lượt xem", "Toàn cảnh", "hoàn thành 19/23", "Bình Yên", "CHUYÊN MỤC",
                "Đang trực tuyến", "Về đầu trang"},
     .caption = "Toàn cảnh hội nghị",
     .lead_start = P1},
    {.name = "syndicated copy: lazy figure, Theo X attribution, Organization author",
     .html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Không để lọt cán "
             "bộ</title><meta property=\"og:title\" content=\"Không để lọt cán bộ\">"
             "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", "
             "\"datePublished\": \"2020-05-26T08:15:00+07:00\", \"author\": {\"@type\": "
             "\"Organization\", \"name\": \"dangcongsan.vn\"}}</script></head><body><header "
             "class=\"site-header\"><span class=\"date\">Chủ Nhật, 17/10/2021</span></header>"
             "<main><article class=\"article-detail\"><h1 class=\"article-title\">Không để lọt "
             "cán bộ</h1><div class=\"article-meta\"> <span class=\"date\">Thứ Ba, 26/05/2020, "
             "08:15</span></div><div class=\"article-share\"><span>Chia sẻ</span> <a "
             "class=\"share-zalo\">Chia sẻ Zalo</a></div><div class=\"article-sapo\"><h2>Đồng chí "
             "Ngô Thị Thanh Hằng lưu ý Ban Thường vụ Huyện ủy Thường Tín chuẩn bị kỹ công tác "
             "nhân sự, nhất là bảo vệ chính trị nội bộ.</h2></div><div class=\"article-body\">"
             "<figure class=\"image\"><img class=\"lazyload\" src=\"data:image/gif;base64,R0\" "
             "data-src=\"/u/3.jpg\"><figcaption>Phó Bí thư phát biểu kết luận buổi làm "
             "việc.</figcaption></figure><p>" P1 "</p><p>" P2 "</p><div class=\"box-relate "
             "inline\"><div class=\"title-box\">Tin liên quan</div><ul><li><a href=\"/r\">Huyện "
             "uỷ Thanh Oai biểu dương 45 nữ đảng viên</a></li></ul></div><p>" P3 "</p>"
             "<p class=\"source\" style=\"text-align: right;\"><strong>Theo "
             "dangcongsan.vn</strong></p></div><div class=\"article-comment\"><h3>Viết bình "
             "luận</h3></div><section class=\"box-same-category\"><h3>Tin cùng chuyên "
             "mục</h3><div class=\"item\"><a href=\"/s\">Hà Nội hỗ trợ 65 tỷ đồng</a><p>" TEASER
             "</p></div></section></article></main></body></html>",
     .title = "Không để lọt cán bộ",
     .date = "2020-05-26T08:15+07:00",
     .author = NULL,
     .attribution = "dangcongsan.vn",
     .must = {P1, P2, P3, "Đồng chí Ngô Thị Thanh Hằng lưu ý"},
     .mustnt = {"Theo dangcongsan", "Thanh Oai", "Hà Nội hỗ trợ", "Chia sẻ", "kết luận buổi"},
     .caption = "Phó Bí thư phát biểu kết luận buổi làm việc.",
     .lead_start = "Đồng chí Ngô Thị Thanh Hằng"},
    {.name = "unseen template: WordPress-style entry, <time datetime>, author link",
     .html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Quận Hoàn Kiếm sơ "
             "kết công tác xây dựng Đảng | Tin Thủ Đô</title></head><body class=\"single\">"
             "<div id=\"masthead\"><a href=\"/\">Tin Thủ Đô</a><ul class=\"primary-menu\"><li><a "
             "href=\"/c\">Chính trị</a></li></ul></div><div id=\"primary\"><main "
             "id=\"main\"><article class=\"post type-post\"><header "
             "class=\"entry-header\"><h1 class=\"entry-title\">Quận Hoàn Kiếm sơ kết công tác "
             "xây dựng Đảng</h1><div class=\"entry-meta\"><time class=\"entry-date\" "
             "datetime=\"2023-06-02T09:30:00+07:00\">02/06/2023</time> bởi <span "
             "class=\"author vcard\"><a href=\"/author/lan\" rel=\"author\">Ngọc Lan</a></span>"
             "</div></header><div class=\"entry-content\"><p>" P1 "</p><p>" P2
             "</p><blockquote><p>Chúng ta phải làm tốt hơn nữa công tác tuyên truyền, vận động "
             "nhân dân tham gia xây dựng Đảng, xây dựng chính quyền vững mạnh.</p></blockquote>"
             "<p>" P3 "</p><div class=\"sharedaddy\"><h3>Chia sẻ:</h3><ul><li><a "
             "href=\"#\">Facebook</a></li></ul></div><div class=\"jp-relatedposts\"><h3>Bài viết "
             "liên quan</h3><p><a href=\"/p\">Đông Anh kết nạp 412 đảng viên mới</a></p></div>"
             "</div><footer class=\"entry-footer\"><span class=\"tags-links\"><a href=\"/tag/d\" "
             "rel=\"tag\">Đảng</a></span></footer></article><div id=\"comments\"><h3>Bình "
             "luận</h3><form><p>Họ tên:(*)</p></form></div></main></div><div "
             "id=\"secondary\" class=\"widget-area\"><section class=\"widget\"><h2>Tin mới</h2><ul>"
             "<li><a href=\"/m\">Hà Nội hỗ trợ 65 tỷ đồng sửa chữa trường học</a></li></ul>"
             "</section></div></body></html>",
     .title = "Quận Hoàn Kiếm sơ kết công tác xây dựng Đảng",
     .date = "2023-06-02T09:30+07:00",
     .author = "Ngọc Lan",
     .must = {P1, P2, P3, "Chúng ta phải làm tốt hơn nữa"},
     .mustnt = {"Facebook", "Đông Anh", "Hà Nội hỗ trợ", "Bình luận", "Tin mới", "bởi"},
     .lead_start = P1},
    {.name = "unseen template: old portal with <br><br> paragraphs and an inline title",
     .html =
         "<html><head><title>UBND xã Tân Hội tổng kết công tác năm 2023 - Cổng thông tin "
         "xã</title></head><body>"
         "<div id=\"top\"><a href=\"/\">Trang chủ</a> | <a href=\"/gt\">Giới thiệu</a></div>"
         "<table><tr><td class=\"left\"><a href=\"/a\">Tin tức</a><br><a href=\"/b\">Văn "
         "bản</a></td>"
         "<td class=\"center\"><b class=\"tieude\">UBND xã Tân Hội tổng kết công tác năm "
         "2023</b><br><i>Cập nhật: 15/01/2024 09:20</i>"
         "<div class=\"noidung\">Ngày 14/1, UBND xã Tân Hội tổ chức hội nghị tổng kết công tác năm "
         "2023, triển khai nhiệm vụ năm 2024, với sự tham dự của lãnh đạo huyện và các ban, "
         "ngành.<br><br>Năm 2023, xã hoàn thành 18/18 chỉ tiêu kinh tế - xã hội, thu nhập bình "
         "quân đầu người đạt 65 triệu đồng, tỷ lệ hộ nghèo giảm còn 0,8%.<br><br>Phát biểu tại hội "
         "nghị, Chủ tịch UBND xã đề nghị các thôn tiếp tục đẩy mạnh phong trào xây dựng nông thôn "
         "mới kiểu mẫu, giữ vững an ninh trật tự.<br><br><b>Văn phòng UBND xã</b></div>"
         "<div class=\"tinkhac\"><b>Tin khác:</b><br><a href=\"/c\">Xã Tân Hội ra quân làm thủy "
         "lợi</a><br><a href=\"/d\">Hội nghị cán bộ chủ chốt</a></div>"
         "</td></tr></table></body></html>",
     .title = "UBND xã Tân Hội tổng kết công tác năm 2023",
     .date = "2024-01-15T09:20+07:00",
     .author = "Văn phòng UBND xã",
     .must = {"Ngày 14/1, UBND xã Tân Hội", "18/18 chỉ tiêu", "nông thôn mới kiểu mẫu"},
     .mustnt = {"Tin khác", "thủy lợi", "Giới thiệu", "Văn bản", "Cập nhật"},
     .lead_start = "Ngày 14/1"},
    {.name = "unseen template: description lead, itemprop date, figure inside sidebar-1 wrapper",
     .html = "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Hà Nội sắp xếp "
             "126 xã, phường - VnTin</title>"
             "<meta name=\"description\" content=\"Thành phố dự kiến giảm 126 đơn vị hành chính "
             "cấp xã sau khi sắp xếp, hoàn thành trước tháng 6.\">"
             "<meta itemprop=\"datePublished\" content=\"2025-04-12T07:00:00+07:00\"><meta "
             "property=\"og:site_name\" content=\"VnTin\">"
             "<meta name=\"author\" content=\"VnTin\"></head><body>"
             "<header class=\"header-site\"><a class=\"logo\" href=\"/\">VnTin</a><nav "
             "class=\"main-nav\"><ul><li><a href=\"/thoi-su\">Thời sự</a></li><li><a "
             "href=\"/the-gioi\">Thế giới</a></li></ul></nav></header>"
             "<section class=\"section page-detail top-detail\"><div class=\"container\"><div "
             "class=\"sidebar-1\">"
             "<div class=\"header-content\"><ul class=\"breadcrumb\"><li><a href=\"/thoi-su\">Thời "
             "sự</a></li></ul><span class=\"date\">Thứ bảy, 12/4/2025, 07:00 (GMT+7)</span></div>"
             "<h1 class=\"title-detail\">Hà Nội sắp xếp 126 xã, phường</h1>"
             "<p class=\"description\">Thành phố dự kiến giảm 126 đơn vị hành chính cấp xã sau khi "
             "sắp xếp, hoàn thành trước tháng 6, theo đề án vừa được thông qua.</p>"
             "<article class=\"fck_detail\">"
             "<p class=\"Normal\">Theo đề án, Hà Nội hiện có 526 đơn vị hành chính cấp xã, sau sắp "
             "xếp còn 400 đơn vị, giảm 126 đơn vị, tương ứng 24%.</p>"
             "<figure data-size=\"true\" itemprop=\"associatedMedia image\"><div "
             "class=\"fig-picture\"><img src=\"/a.jpg\" alt=\"Trụ sở UBND\"></div><figcaption "
             "itemprop=\"description\"><p class=\"Image\">Trụ sở UBND một phường ở quận Hoàn Kiếm. "
             "Ảnh: Giang Huy</p></figcaption></figure>"
             "<p class=\"Normal\">Việc sắp xếp ưu tiên các đơn vị chưa đạt tiêu chuẩn về diện tích "
             "và quy mô dân số, bảo đảm ổn định đời sống của người dân.</p>"
             "<p class=\"Normal\">UBND thành phố giao các quận, huyện lấy ý kiến cử tri trước ngày "
             "20/4, tổng hợp kết quả báo cáo Sở Nội vụ trước ngày 25/4.</p>"
             "<p class=\"Normal\" style=\"text-align:right;\"><strong>Võ Hải</strong></p>"
             "</article>"
             "<div class=\"footer-content\"><div class=\"box-tinlienquanv2\"><h4>Tin liên "
             "quan</h4><article class=\"item-news\"><h3><a href=\"/x\">Hà Nội lấy ý kiến cử tri về "
             "sắp xếp</a></h3><p class=\"description\">Hơn 5 triệu cử tri được lấy ý "
             "kiến.</p></article></div>"
             "<div class=\"box-comment\" id=\"box_comment_vne\"><h3>Ý kiến (12)</h3></div></div>"
             "</div><div class=\"sidebar-2\"><div class=\"box-category\"><h2>Xem "
             "nhiều</h2><article class=\"item-news\"><h3><a href=\"/y\">Giá vàng hôm "
             "nay</a></h3></article></div></div></div></section>"
             "<footer id=\"footer\"><p>© Copyright 1997 VnTin, All rights "
             "reserved</p></footer></body></html>",
     .title = "Hà Nội sắp xếp 126 xã, phường",
     .date = "2025-04-12T07:00+07:00",
     .author = "Võ Hải",
     .must = {"526 đơn vị hành chính", "ổn định đời sống", "trước ngày 25/4"},
     .mustnt = {"Giang Huy", "Tin liên quan", "5 triệu cử tri", "Giá vàng", "Copyright", "Võ Hải"},
     .caption = "Trụ sở UBND một phường ở quận Hoàn Kiếm. Ảnh: Giang Huy",
     .lead_start = "Thành phố dự kiến giảm 126"},
};

static bool contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static void test_template_families(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct expect *c = &cases[i];
        print_message("case: %s\n", c->name);
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_info info;
        struct kt_err err = {0};
        struct kt_extract_opts o = {.url = "http://site.test/bai-viet-1.html",
                                    .content_type = c->content_type};
        assert_int_equal(kt_extract_html(c->html, strlen(c->html), &o, &a, &info, &err), KT_OK);
        assert_true(info.is_article);
        assert_string_equal(a.title, c->title);
        if (c->date) {
            assert_non_null(a.date);
            assert_memory_equal(a.date, c->date, strlen(c->date));
        } else {
            assert_null(a.date);
        }
        if (c->author)
            assert_string_equal(a.author ? a.author : "(null)", c->author);
        else
            assert_null(a.author);
        if (c->photo)
            assert_string_equal(a.photo ? a.photo : "(null)", c->photo);
        if (c->attribution)
            assert_string_equal(a.source_attribution ? a.source_attribution : "(null)",
                                c->attribution);
        for (size_t k = 0; k < 6 && c->must[k]; k++)
            if (!contains(a.text, c->must[k]))
                fail_msg("%s: text lacks \"%s\":\n%s", c->name, c->must[k], a.text);
        for (size_t k = 0; k < 8 && c->mustnt[k]; k++)
            if (contains(a.text, c->mustnt[k]))
                fail_msg("%s: text has \"%s\":\n%s", c->name, c->mustnt[k], a.text);
        if (c->caption) {
            bool found = false;
            for (size_t k = 0; k < a.n_captions; k++)
                found |= strcmp(a.captions[k], c->caption) == 0;
            if (!found)
                fail_msg("%s: caption \"%s\" not listed", c->name, c->caption);
        }
        if (c->lead_start)
            assert_memory_equal(a.text, c->lead_start, strlen(c->lead_start));
        assert_int_equal(strlen(a.content_sha1), 40);
        assert_true(a.simhash != 0);
        assert_string_equal(a.lang, "vi");
        kt_article_free(&a);
    }
}

/* The visible date forms, each placed under an h1 in a minimal page. */
static void test_visible_date_forms(void **state)
{
    (void)state;
    static const struct {
        const char *stamp;
        const char *want;
    } forms[] = {
        {"Thứ Hai, 25/05/2020 08:15", "2020-05-25T08:15+07:00"},
        {"(10:25 26/03/2020)", "2020-03-26T10:25+07:00"},
        {"Ngày đăng 14/04/2022 | 16:30 | Lượt xem: 386", "2022-04-14T16:30+07:00"},
        {"Cập nhật: 25/05/2020 - 08:15", "2020-05-25T08:15+07:00"},
        {"25/5/2020 - 08:15", "2020-05-25T08:15+07:00"},
        {"Thứ Ba, 26/05/2020, 08:15", "2020-05-26T08:15+07:00"},
        {"Thứ Tư, 02/06/2021", "2021-06-02"},
        {"08:15 25-05-2020", "2020-05-25T08:15+07:00"},
        {"Cập nhật: 08:15 ngày 25/05/2020", "2020-05-25T08:15+07:00"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char html[4096];
        snprintf(html, sizeof html,
                 "<html><head><title>Bài viết về hội nghị sơ kết công tác Đảng</title></head>"
                 "<body><div class=\"related\"><span>01/01/2019 07:00</span></div><div "
                 "class=\"article\"><h1>Bài viết về hội nghị sơ kết công tác Đảng</h1><div "
                 "class=\"date\">%s</div><div class=\"content\"><p>%s</p><p>%s</p><p>%s</p>"
                 "</div></div><div class=\"comment\">Bình luận lúc 02/02/2021 09:09</div>"
                 "<script>var d='03/03/2022 10:10';</script></body></html>",
                 forms[i].stamp, P1, P2, P3);
        struct kt_article a;
        kt_article_init(&a);
        struct kt_err err = {0};
        assert_int_equal(kt_extract_html(html, strlen(html), NULL, &a, NULL, &err), KT_OK);
        if (!a.date || strcmp(a.date, forms[i].want) != 0)
            fail_msg("stamp \"%s\": want %s got %s", forms[i].stamp, forms[i].want,
                     a.date ? a.date : "(null)");
        assert_false(contains(a.text, forms[i].stamp));
        kt_article_free(&a);
    }
}

static void test_metadata_date_order(void **state)
{
    (void)state;
    /* JSON-LD beats article:published_time beats <time> beats the visible stamp; UTC input is
     * converted to Vietnam time, across midnight. */
    const char *html =
        "<html><head><title>Hội nghị tổng kết công tác năm</title>"
        "<meta property=\"article:published_time\" content=\"2021-01-01T10:00:00+07:00\">"
        "<script type=\"application/ld+json\">[{\"@type\":\"BreadcrumbList\"},{\"@type\":"
        "\"NewsArticle\",\"headline\":\"Hội nghị tổng kết công tác năm\",\"datePublished\":"
        "\"2020-12-31T20:30:00Z\"}]</script></head><body><article><h1>Hội nghị tổng kết công "
        "tác năm</h1><time datetime=\"2019-05-05T05:05\">05/05/2019</time><div>Thứ Hai, "
        "04/04/2018 04:04</div><div class=\"body\"><p>" P1 "</p><p>" P2 "</p></div></article>"
        "</body></html>";
    struct kt_article a;
    kt_article_init(&a);
    assert_int_equal(kt_extract_html(html, strlen(html), NULL, &a, NULL, NULL), KT_OK);
    assert_string_equal(a.date, "2021-01-01T03:30+07:00");
    kt_article_free(&a);
}

static void test_byline_forms(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        const char *author, *photo, *attribution;
    } forms[] = {
        {"<p style=\"text-align:right\"><strong>Thanh Tình</strong></p>", "Thanh Tình", NULL, NULL},
        {"<p><strong>Trần Long - Ảnh: Phạm Hùng</strong></p>", "Trần Long", "Phạm Hùng", NULL},
        {"<p align=\"right\"><b>Ban Tuyên giáo Huyện ủy</b></p>", "Ban Tuyên giáo Huyện ủy", NULL,
         NULL},
        {"<p style=\"text-align:right\"><strong>Theo dangcongsan.vn</strong></p>", NULL, NULL,
         "dangcongsan.vn"},
        {"<p>Ảnh: Văn Quang</p>", NULL, "Văn Quang", NULL},
        {"<p align=\"right\"><b>Kim Dung - Trung tâm VH-TT&amp;TT huyện</b></p>", "Kim Dung", NULL,
         NULL},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char html[4096];
        snprintf(html, sizeof html,
                 "<html><head><title>Bài viết thử nghiệm về công tác Đảng</title></head><body>"
                 "<h1>Bài viết thử nghiệm về công tác Đảng</h1><div class=\"content\"><p>%s</p>"
                 "<p>%s</p><p>%s</p>%s</div></body></html>",
                 P1, P2, P3, forms[i].line);
        struct kt_article a;
        kt_article_init(&a);
        assert_int_equal(kt_extract_html(html, strlen(html), NULL, &a, NULL, NULL), KT_OK);
        print_message("byline %s -> author %s photo %s source %s\n", forms[i].line,
                      a.author ? a.author : "-", a.photo ? a.photo : "-",
                      a.source_attribution ? a.source_attribution : "-");
        if (forms[i].author)
            assert_string_equal(a.author ? a.author : "(null)", forms[i].author);
        else
            assert_null(a.author);
        if (forms[i].photo)
            assert_string_equal(a.photo ? a.photo : "(null)", forms[i].photo);
        if (forms[i].attribution)
            assert_string_equal(a.source_attribution ? a.source_attribution : "(null)",
                                forms[i].attribution);
        assert_false(contains(a.text, "Ảnh:"));
        assert_false(contains(a.text, "Theo dangcongsan"));
        assert_true(contains(a.text, P3));
        kt_article_free(&a);
    }
}

static void test_non_article_pages(void **state)
{
    (void)state;
    struct kt_buf listing = {0};
    kt_buf_append_cstr(&listing, "<html><head><title>Chính trị - Báo Thử</title></head><body>"
                                 "<h1>Chính trị</h1><div class=\"list\">");
    for (int i = 0; i < 6; i++)
        kt_buf_printf(&listing,
                      "<div class=\"item\"><h3><a href=\"/bai-%d.html\">Bài số %d về công tác "
                      "xây dựng Đảng ở cơ sở</a></h3><p class=\"sapo\">%s</p></div>",
                      i, i, TEASER);
    kt_buf_append_cstr(&listing, "</div></body></html>");
    static const char *const pages[] = {
        "",
        "<html><head><title>x</title></head><frameset cols=\"50%,50%\"><frame "
        "src=\"a.html\"><frame src=\"b.html\"></frameset></html>",
        "<html><head><script>var a = 'Tin liên quan, bình luận, nội dung rất dài ở đây';"
        "</script></head><body><script>document.write('<p>" P1 "</p>');</script></body></html>",
        "<html><body><ul><li><a href=\"/a\">Trang chủ</a></li><li><a href=\"/b\">Tin tức</a>"
        "</li></ul></body></html>",
        NULL, /* the listing */
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        const char *p = pages[i] ? pages[i] : listing.data;
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_info info;
        struct kt_err err = {0};
        assert_int_equal(kt_extract_html(p, strlen(p), NULL, &a, &info, &err), KT_OK);
        print_message("page %zu: %s\n", i, info.reason);
        assert_false(info.is_article);
        assert_true(info.reason[0] != '\0');
        assert_non_null(a.text);
        kt_article_free(&a);
    }
    kt_buf_free(&listing);
}

static void test_robustness(void **state)
{
    (void)state;
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    struct kt_err err = {0};
    /* NULL with length, too big */
    assert_int_equal(kt_extract_html(NULL, 5, NULL, &a, &info, &err), KT_EINVAL);
    struct kt_extract_opts small = {.url = "http://x.test/a", .max_bytes = 10};
    assert_int_equal(
        kt_extract_html("<html><body>12345678901</body></html>", 37, &small, &a, &info, &err),
        KT_ETOOBIG);
    assert_non_null(strstr(err.msg, "http://x.test/a"));
    /* binary garbage and NUL bytes */
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)((i * 2654435761u) >> 13);
    assert_int_equal(kt_extract_html(junk, sizeof junk, NULL, &a, &info, &err), KT_OK);
    assert_int_equal(kt_extract_text(junk, sizeof junk, NULL, &a, &info, &err), KT_OK);
    /* broken markup */
    const char *broken = "<html><body><div><p>" P1 "<p>" P2 "</div></span></td><table><tr><td>"
                         "<p>" P3 "<h1>Tiêu đề bị đặt sai chỗ trong trang</h1></b></i><!-- x";
    assert_int_equal(kt_extract_html(broken, strlen(broken), NULL, &a, &info, &err), KT_OK);
    assert_true(contains(a.text, "73/73"));
    /* a class and an id longer than the hint buffer (found by the fuzzer) */
    struct kt_buf longattr = {0};
    kt_buf_append_cstr(&longattr, "<html><body><div class=\"");
    for (int i = 0; i < 120; i++)
        kt_buf_append_cstr(&longattr, "abcd ");
    kt_buf_append_cstr(&longattr, "\" id=\"");
    for (int i = 0; i < 50; i++)
        kt_buf_append_cstr(&longattr, "xy");
    kt_buf_append_cstr(&longattr, "\"><p>" P1 "</p></div></body></html>");
    assert_int_equal(kt_extract_html(longattr.data, longattr.len, NULL, &a, &info, &err), KT_OK);
    kt_buf_free(&longattr);
    /* deeply nested tables and divs */
    struct kt_buf deep = {0};
    kt_buf_append_cstr(&deep, "<html><body>");
    for (int i = 0; i < 20000; i++)
        kt_buf_append_cstr(&deep, i % 2 ? "<div>" : "<table><tr><td>");
    kt_buf_append_cstr(&deep, "<p>" P1 "</p>");
    assert_int_equal(kt_extract_html(deep.data, deep.len, NULL, &a, &info, &err), KT_OK);
    kt_buf_free(&deep);
    /* wrong charset declarations: header says windows-1258, bytes are UTF-8; meta says
     * iso-8859-1 */
    char page[8192];
    snprintf(page, sizeof page,
             "<html><head><meta charset=\"iso-8859-1\"><title>Hội nghị sơ kết công tác xây dựng "
             "Đảng</title></head><body><h1>Hội nghị sơ kết công tác xây dựng Đảng</h1><div><p>%s"
             "</p><p>%s</p></div></body></html>",
             P1, P2);
    struct kt_extract_opts wrong = {.content_type = "text/html; charset=windows-1258"};
    assert_int_equal(kt_extract_html(page, strlen(page), &wrong, &a, &info, &err), KT_OK);
    assert_non_null(a.text);
    wrong.content_type = "text/html; charset=no-such-charset";
    assert_int_equal(kt_extract_html(page, strlen(page), &wrong, &a, &info, &err), KT_OK);
    assert_true(contains(a.text, "73/73"));
    kt_article_free(&a);
}

/* A real windows-1258 page with combining tone bytes comes out as NFC. */
static void test_windows_1258_nfc(void **state)
{
    (void)state;
    /* "Hà Nội" in windows-1258: H a <0xCC grave> space N <0xF4 ô> <0xF2 dot below> i */
    struct kt_buf b = {0};
    /* "Hà Nội tổng kết công tác" */
#define W1258_TITLE                                                                                \
    "Ha\xcc"                                                                                       \
    " N\xf4\xf2"                                                                                   \
    "i t\xf4\xd2"                                                                                  \
    "ng k\xea\xec"                                                                                 \
    "t c\xf4ng ta\xec"                                                                             \
    "c"
    kt_buf_append_cstr(&b, "<html><head><title>" W1258_TITLE "</title></head><body><h1>" W1258_TITLE
                           "</h1><div>");
    for (int i = 0; i < 5; i++)
        kt_buf_append_cstr(&b, "<p>" W1258_TITLE ", \xf0\xe1nh gi\xe1 c\xf4ng vi\xea\xf2"
                               "c n\xe3m 2022, nh\xe2\xec"
                               "n ma\xf2"
                               "nh vai tro\xcc"
                               " cu"
                               "\xd2"
                               "a chi b\xf4\xf2 trong t\xfd\xf2"
                               "ng th\xf4\xec"
                               "n, "
                               "x\xf3m v\xe0 khu d\xe2n c\xfd.</p>");
    kt_buf_append_cstr(&b, "</div></body></html>");
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    struct kt_extract_opts o = {.content_type = "text/html; charset=windows-1258"};
    assert_int_equal(kt_extract_html(b.data, b.len, &o, &a, &info, NULL), KT_OK);
    print_message("title: %s\n", a.title);
    assert_string_equal(a.title, "Hà Nội tổng kết công tác");
    assert_non_null(strstr(a.text, "Hà Nội"));
    kt_article_free(&a);
    kt_buf_free(&b);
}

/* 50 MB of paragraphs, generated here: a record comes out, in bounded time and memory. */
static void test_50mb_page(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    kt_buf_append_cstr(&b, "<html><head><title>Báo cáo số liệu thống kê kinh tế xã hội năm "
                           "2021</title></head><body><h1>Báo cáo số liệu thống kê kinh tế xã hội "
                           "năm 2021</h1><div class=\"content\">");
    for (unsigned i = 0; b.len < 50u * 1000 * 1000; i++)
        kt_buf_printf(&b, "<p>%u. " P1 " " P2 " " P3 "</p>\n", i);
    kt_buf_append_cstr(&b, "</div></body></html>");
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    struct kt_err err = {0};
    int64_t t0 = kt_now_ms();
    assert_int_equal(kt_extract_html(b.data, b.len, NULL, &a, &info, &err), KT_OK);
    print_message("50 MB page: %lld ms, %zu chars of text\n", (long long)(kt_now_ms() - t0),
                  strlen(a.text));
    assert_true(info.is_article);
    assert_true(strlen(a.text) > 40u * 1000 * 1000);
    kt_article_free(&a);
    kt_buf_free(&b);
}

static void test_xpath_override(void **state)
{
    (void)state;
    const char *html =
        "<html><head><title>Tiêu đề bài viết về công tác Đảng</title></head>"
        "<body><h1>Tiêu đề bài viết về công tác Đảng</h1><div id=\"a\"><p>" P1 "</p><p>" P2
        "</p><p>" P3 "</p></div><div id=\"b\"><p>" P4 "</p></div></body></html>";
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_opts o = {.xpath_body = "//div[@id='b']"};
    assert_int_equal(kt_extract_html(html, strlen(html), &o, &a, NULL, NULL), KT_OK);
    assert_true(contains(a.text, P4));
    assert_false(contains(a.text, P1));
    /* an XPath that does not compile is ignored */
    o.xpath_body = "//div[";
    assert_int_equal(kt_extract_html(html, strlen(html), &o, &a, NULL, NULL), KT_OK);
    assert_true(contains(a.text, P1));
    kt_article_free(&a);
}

/* The plain-text extractor on a seed-like page. */
static void test_text_mode(void **state)
{
    (void)state;
    const char *page =
        "KINH TẾ - CHÍNH TRỊ KINH TẾ - CHÍNH TRỊ\n\n"
        "Tạo khí thế mới trong Đảng (10:25 26/03/2020)\n\n"
        "Trần Long - Ảnh: Phạm Hùng\nChia sẻ Zalo\n\n"
        "Kinhtedothi - Phó Bí thư Thường trực Thành ủy yêu cầu huyện Ba Vì cùng "
        "với tập trung tổ chức Đại hội Đảng thì cũng phải triển khai...\n\n" LEAD "\n\n"
        "Tạo khí thế mới trong Đảng - Ảnh 1\n"
        "Phó Bí thư Thường trực Thành ủy phát biểu kết luận buổi làm việc.\n" P1
        "\n\nToàn cảnh hội nghị\n\n" P2 "\n\n" P3
        "\n\nBan Tuyên giáo Huyện ủy\n\nTin đọc nhiều\n\n" TEASER "\n";
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    assert_int_equal(kt_extract_text(page, strlen(page), NULL, &a, &info, NULL), KT_OK);
    assert_true(info.is_article);
    assert_string_equal(a.title, "Tạo khí thế mới trong Đảng");
    assert_string_equal(a.date, "2020-03-26T10:25+07:00");
    assert_string_equal(a.author, "Trần Long");
    assert_string_equal(a.photo, "Phạm Hùng");
    assert_memory_equal(a.text, LEAD, strlen(LEAD));
    assert_true(contains(a.text, P1) && contains(a.text, P2) && contains(a.text, P3));
    assert_false(contains(a.text, "triển khai..."));
    assert_false(contains(a.text, "Toàn cảnh"));
    assert_false(contains(a.text, "Ảnh 1"));
    assert_false(contains(a.text, "Tin đọc nhiều"));
    assert_false(contains(a.text, "Hà Nội hỗ trợ"));
    assert_false(contains(a.text, "Ban Tuyên giáo"));
    assert_int_equal(a.n_captions, 3);
    kt_article_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_families),   cmocka_unit_test(test_visible_date_forms),
        cmocka_unit_test(test_metadata_date_order), cmocka_unit_test(test_byline_forms),
        cmocka_unit_test(test_non_article_pages),   cmocka_unit_test(test_robustness),
        cmocka_unit_test(test_windows_1258_nfc),    cmocka_unit_test(test_50mb_page),
        cmocka_unit_test(test_xpath_override),      cmocka_unit_test(test_text_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
