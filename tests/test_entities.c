/* test_entities.c - the entity extractor on sentences written for these tests: officials and
 * titles, places and levels, figures and each exclusion, documents, dates, the gazetteer,
 * index terms, JSON/CSV output, and pathological inputs. */
#include "indexer/indexer.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kt_entity_extractor *ex;

static int setup(void **state)
{
    (void)state;
    return kt_entity_extractor_new(NULL, &ex, NULL) == KT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kt_entity_extractor_free(ex);
    return 0;
}

static void extract(const char *text, const char *date, struct kt_entity_list *l)
{
    struct kt_err err = {0};
    assert_int_equal(kt_entities_extract(ex, text, strlen(text), date, l, &err), KT_OK);
    for (size_t i = 0; i < l->n; i++) {
        assert_true(l->items[i].start <= l->items[i].end);
        assert_true(l->items[i].end <= l->text.len);
        assert_true(l->items[i].sent_start <= l->items[i].start);
        assert_true(l->items[i].sent_end >= l->items[i].end);
    }
}

static size_t count_type(const struct kt_entity_list *l, enum kt_entity_type t)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].type == t;
    return n;
}

static const struct kt_entity *find_official(const struct kt_entity_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].type == KT_ENTITY_OFFICIAL && strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

static const struct kt_entity *find_place(const struct kt_entity_list *l, const char *level,
                                          const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].type == KT_ENTITY_PLACE && strcmp(l->items[i].level, level) == 0 &&
            strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

/* ------------------------------ officials ------------------------------ */

static const struct {
    const char *text;
    const char *name;  /* expected official */
    const char *title; /* its fullest title, NULL for none */
} officials[] = {
    {"Bí thư Tỉnh ủy Bắc Ninh Nguyễn Văn Thành chủ trì hội nghị.", "Nguyễn Văn Thành",
     "Bí thư Tỉnh ủy Bắc Ninh"},
    {"Dự hội nghị có đồng chí Lê Thị Hoa - Phó Chủ tịch UBND quận, Trưởng Ban Dân vận Quận ủy.",
     "Lê Thị Hoa", "Phó Chủ tịch UBND quận, Trưởng Ban Dân vận Quận ủy"},
    {"Theo ông Trần Quốc Bảo, Giám đốc Sở Xây dựng Hà Nội, công trình sẽ xong trong năm.",
     "Trần Quốc Bảo", "Giám đốc Sở Xây dựng Hà Nội"},
    {"Đại tá Phạm Văn Hùng cho biết lực lượng đã sẵn sàng.", "Phạm Văn Hùng", "Đại tá"},
    {"Phó Chủ tịch Thường trực UBND thành phố Đà Nẵng Hồ Kỳ Minh kiểm tra dự án.", "Hồ Kỳ Minh",
     "Phó Chủ tịch Thường trực UBND thành phố Đà Nẵng"},
    {"Thay mặt Huyện ủy, đồng chí Vũ Đức Thắng phát biểu.", "Vũ Đức Thắng", NULL},
    {"Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Tổ chức Thành ủy Đinh Trường Thọ trao quyết "
     "định.",
     "Đinh Trường Thọ", "Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Tổ chức Thành ủy"},
    {"Bà Ngô Thị Lan (Phó Chủ tịch HĐND xã) cho biết người dân đồng tình.", "Ngô Thị Lan",
     "Phó Chủ tịch HĐND xã"},
    /* a place name before a comma is not the person a following title introduces */
    {"Trả lời báo Quảng Trị, Thiếu tá Lê Văn Dũng - Phó Trưởng Công an huyện cho biết.",
     "Lê Văn Dũng", "Thiếu tá"},
    {"Bị cáo Vũ Minh Hà, nguyên Giám đốc Chi nhánh Ngân hàng Nhà nước tỉnh, hầu tòa.", "Vũ Minh Hà",
     "Giám đốc Chi nhánh Ngân hàng Nhà nước tỉnh"},
    {"Phó Giám đốc Sở Nội vụ Hà Nội và Nguyễn Văn Hải dự họp.", NULL, NULL},
};

static void test_officials_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof officials / sizeof officials[0]; k++) {
        struct kt_entity_list l = {0};
        extract(officials[k].text, NULL, &l);
        if (!officials[k].name) { /* no official: the name after "và" has no title */
            assert_int_equal(count_type(&l, KT_ENTITY_OFFICIAL), 0);
            kt_entity_list_free(&l);
            continue;
        }
        const struct kt_entity *e = find_official(&l, officials[k].name);
        if (!e)
            fail_msg("no official '%s' in: %s", officials[k].name, officials[k].text);
        if (officials[k].title) {
            assert_non_null(e->title);
            assert_string_equal(e->title, officials[k].title);
        } else {
            assert_null(e->title);
        }
        assert_int_equal(count_type(&l, KT_ENTITY_OFFICIAL), 1);
        kt_entity_list_free(&l);
    }
}

static const char *const not_officials[] = {
    "Minh Anh - Ảnh: Hoàng Hà",                                     /* byline */
    "Ông Nguyễn Văn Tư (SN 1968, trú tại xã An Khánh) bị tạm giữ.", /* no title */
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Trưởng, Phó các Ban Đảng và Bí thư các chi bộ dự họp.",
    "Phó Bí thư Thường trực Tỉnh ủy Hà Giang nhấn mạnh yêu cầu.", /* title only, nobody named */
};

static void test_not_officials(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof not_officials / sizeof not_officials[0]; k++) {
        struct kt_entity_list l = {0};
        extract(not_officials[k], NULL, &l);
        if (count_type(&l, KT_ENTITY_OFFICIAL))
            fail_msg("official found in: %s", not_officials[k]);
        kt_entity_list_free(&l);
    }
}

static void test_official_linking_and_titles(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Chủ tịch UBND huyện Đông Anh Nguyễn Xuân Linh cho biết kế hoạch. Sau đó, Chủ tịch "
            "UBND huyện nhấn mạnh yêu cầu. Bí thư Huyện ủy Gia Lâm Đỗ Thị Hạnh, Thành ủy viên "
            "dự họp. Đồng chí Hạnh yêu cầu các xã hoàn thành. Đồng chí Nguyễn Xuân Linh - "
            "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện tiếp thu.",
            NULL, &l);
    size_t linked = 0, linh = 0, hanh = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct kt_entity *e = &l.items[i];
        if (e->type != KT_ENTITY_OFFICIAL)
            continue;
        linked += e->linked;
        if (strcmp(e->name, "Nguyễn Xuân Linh") == 0) {
            linh++;
            assert_int_equal(e->n_titles, 2);
            assert_string_equal(e->title, "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện");
        } else if (strcmp(e->name, "Đỗ Thị Hạnh") == 0) {
            hanh++;
        } else {
            fail_msg("unexpected official %s", e->name);
        }
    }
    assert_int_equal(linh, 3); /* two named mentions and one by title alone */
    assert_int_equal(hanh, 2); /* named, then by given name */
    assert_int_equal(linked, 2);
    /* two people share a person number per name */
    const struct kt_entity *a = find_official(&l, "Nguyễn Xuân Linh");
    const struct kt_entity *b = find_official(&l, "Đỗ Thị Hạnh");
    assert_int_not_equal(a->person, b->person);
    kt_entity_list_free(&l);
}

/* ------------------------------ places ------------------------------ */

static const struct {
    const char *text;
    const char *level, *name;
    bool explicit_level;
} places[] = {
    {"Đoàn đến thăm thị trấn Phùng, huyện Đan Phượng.", "thị trấn", "Phùng", true},
    {"Đoàn đến thăm thị trấn Phùng, huyện Đan Phượng.", "huyện", "Đan Phượng", true},
    {"Hội chợ diễn ra tại TP. Hải Phòng.", "thành phố", "Hải Phòng", true},
    {"Trụ sở đặt ở Q. Hoàn Kiếm.", "quận", "Hoàn Kiếm", true},
    {"Ban Thường vụ Tỉnh ủy Nghệ An họp phiên thường kỳ.", "tỉnh", "Nghệ An", false},
    {"Các xã Tiên Dương, Vân Nội và Nguyên Khê đã về đích.", "xã", "Vân Nội", true},
    {"Các xã Tiên Dương, Vân Nội và Nguyên Khê đã về đích.", "xã", "Nguyên Khê", true},
    {"Còn 2 xã (Liên Hà, Việt Hùng) chưa đạt.", "xã", "Việt Hùng", true},
    {"Nghề mây tre ở Phú Vinh (xã Phú Nghĩa) rất phát triển.", "thôn", "Phú Vinh", false},
    {"Phường Cửa Nam tổ chức hội nghị.", "phường", "Cửa Nam", true},
    {"UBND Quận 3 triển khai kế hoạch.", "quận", "3", true},
    {"Kết quả của huyện Sóc Sơn rất tốt. Sóc Sơn đã hoàn thành.", "huyện", "Sóc Sơn", true},
    {"Làm việc với thôn Yên Vĩnh và tổ dân phố Trung Hòa.", "tổ dân phố", "Trung Hòa", true},
};

static void test_places_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof places / sizeof places[0]; k++) {
        struct kt_entity_list l = {0};
        extract(places[k].text, NULL, &l);
        const struct kt_entity *e = find_place(&l, places[k].level, places[k].name);
        if (!e)
            fail_msg("no place %s %s in: %s", places[k].level, places[k].name, places[k].text);
        assert_int_equal(e->explicit_level, places[k].explicit_level);
        kt_entity_list_free(&l);
    }
}

static void test_place_details(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Nghề mây tre ở Phú Vinh (xã Phú Nghĩa) rất phát triển.", NULL, &l);
    const struct kt_entity *e = find_place(&l, "thôn", "Phú Vinh");
    assert_non_null(e);
    assert_string_equal(e->parent, "xã Phú Nghĩa");
    kt_entity_list_free(&l);

    /* level words alone, plural lists without names, a person after an organ */
    extract("Lãnh đạo các xã, thị trấn và chỉ tiêu chung của TP được giao. Thành ủy Trần Văn "
            "Nam?",
            NULL, &l);
    assert_int_equal(count_type(&l, KT_ENTITY_PLACE), 0);
    kt_entity_list_free(&l);

    /* an address chain names the parent after a comma: not a second quận */
    extract("Vụ việc xảy ra tại phường Phú Đô, quận Nam Từ Liêm, Hà Nội.", NULL, &l);
    assert_null(find_place(&l, "quận", "Hà Nội"));
    assert_non_null(find_place(&l, "quận", "Nam Từ Liêm"));
    kt_entity_list_free(&l);

    /* a bare name counts under the level it has elsewhere in the text */
    extract("Huyện Sóc Sơn có nhiều dự án. Sóc Sơn đã hoàn thành kế hoạch.", NULL, &l);
    assert_int_equal(count_type(&l, KT_ENTITY_PLACE), 2);
    kt_entity_list_free(&l);
}

static void test_gazetteer(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("gaz");
    char path[512], bad[512];
    snprintf(path, sizeof path, "%s/units.json", dir);
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    const char *json =
        "[{\"Code\":\"99\",\"FullName\":\"Tỉnh Thử Nghiệm\",\"District\":[{\"Code\":\"1\","
        "\"FullName\":\"Huyện Mỹ Đức\",\"Ward\":[{\"Code\":\"2\",\"FullName\":\"Xã An Tiến\"},"
        "{\"Code\":\"3\",\"FullName\":\"Thị trấn Đại Nghĩa\"}]}]},"
        "{\"Code\":\"98\",\"FullName\":\"Thành phố Mới\",\"Wards\":[{\"Code\":\"4\","
        "\"FullName\":\"Phường Hồng Hà\"}]}]";
    assert_true(tu_write_file(path, json, strlen(json)));
    assert_true(tu_write_file(bad, "{\"x\":1", 6));
    struct kt_gazetteer *g = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_gazetteer_load(&g, path, &err), KT_OK);
    assert_int_equal(kt_gazetteer_size(g), 6);
    assert_int_equal(kt_gazetteer_load(&g, bad, &err), KT_EPARSE);
    assert_non_null(strstr(err.msg, "bad.json"));
    assert_int_equal(kt_gazetteer_size(g), 6);
    assert_int_equal(kt_gazetteer_load(&g, "/nonexistent/units.json", &err), KT_ENOTFOUND);

    struct kt_entity_extractor *gx = NULL;
    struct kt_entity_config cfg = {.gazetteer = g};
    assert_int_equal(kt_entity_extractor_new(&cfg, &gx, &err), KT_OK);
    struct kt_entity_list l = {0};
    const char *text = "Huyện Mỹ Đức đẩy mạnh làng nghề; nghề mộc ở An Tiến phát triển.";
    assert_int_equal(kt_entities_extract(gx, text, strlen(text), NULL, &l, &err), KT_OK);
    const struct kt_entity *e = find_place(&l, "xã", "An Tiến");
    assert_non_null(e);
    assert_false(e->explicit_level);
    assert_string_equal(e->parent, "huyện Mỹ Đức");
    kt_entity_list_free(&l);
    /* without the gazetteer the bare name stays unresolved */
    extract(text, NULL, &l);
    assert_null(find_place(&l, "xã", "An Tiến"));
    kt_entity_list_free(&l);
    kt_entity_extractor_free(gx);
    kt_gazetteer_free(g);

    char *real = tu_shared_path("data/vn-admin-units-2024.json");
    if (real) {
        g = NULL;
        assert_int_equal(kt_gazetteer_load(&g, real, &err), KT_OK);
        assert_true(kt_gazetteer_size(g) > 10000);
        kt_gazetteer_free(g);
        free(real);
    } else {
        printf("(../shared/data absent: real gazetteer not loaded)\n");
    }
    tu_rmtree(dir);
    free(dir);
}

/* ------------------------------ figures ------------------------------ */

static const struct {
    const char *text;
    double value;
    bool has_total;
    double total;
    const char *unit;
    double scaled; /* 0 = none */
} figures[] = {
    {"Toàn huyện có 12/15 xã đạt chuẩn nông thôn mới.", 12, true, 15, "xã", 0},
    {"Thu nhập bình quân đạt 62,3 triệu đồng/người/năm.", 62.3, false, 0, "triệu đồng", 62300000},
    {"Số hộ nghèo giảm còn 3,25%.", 3.25, false, 0, "%", 0},
    {"Đã hỗ trợ 1.250 hộ gia đình khó khăn.", 1250, false, 0, "hộ gia đình", 0},
    {"Đã có 215 trên 230 chi bộ tổ chức đại hội.", 215, true, 230, "chi bộ", 0},
    {"Hội nghị thông qua 07 sáng kiến.", 7, false, 0, "sáng kiến", 0},
    {"Tổng vốn đầu tư 2,5 tỷ đồng.", 2.5, false, 0, "tỷ đồng", 2500000000.0},
    {"Có 45/60 (chiếm 75%) cơ sở đảng hoàn thành.", 45, true, 60, "cơ sở", 0},
    {"Dự kiến kéo dài 45 ngày.", 45, false, 0, "ngày", 0},
};

static void test_figures_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++) {
        struct kt_entity_list l = {0};
        extract(figures[k].text, NULL, &l);
        const struct kt_entity *f = NULL;
        for (size_t i = 0; i < l.n && !f; i++)
            if (l.items[i].type == KT_ENTITY_FIGURE &&
                fabs(l.items[i].value - figures[k].value) < 1e-9)
                f = &l.items[i];
        if (!f)
            fail_msg("no figure %g in: %s", figures[k].value, figures[k].text);
        assert_int_equal(f->has_total, figures[k].has_total);
        if (figures[k].has_total)
            assert_true(fabs(f->total - figures[k].total) < 1e-9);
        assert_non_null(f->unit);
        if (!strstr(f->unit, figures[k].unit))
            fail_msg("unit '%s' for %s", f->unit, figures[k].text);
        assert_int_equal(f->has_scaled, figures[k].scaled != 0);
        if (figures[k].scaled)
            assert_true(fabs(f->scaled - figures[k].scaled) < 1e-3);
        kt_entity_list_free(&l);
    }
}

static void test_figure_range_and_measure(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Cán bộ từ 35-45 tuổi chiếm đa số; xây dựng 12 mô hình chăn nuôi an toàn.", NULL, &l);
    assert_int_equal(count_type(&l, KT_ENTITY_FIGURE), 2);
    const struct kt_entity *r = &l.items[0];
    assert_int_equal(r->type, KT_ENTITY_FIGURE);
    assert_true(r->has_value_max);
    assert_true(r->value == 35 && r->value_max == 45);
    const struct kt_entity *m = NULL;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].type == KT_ENTITY_FIGURE && l.items[i].value == 12)
            m = &l.items[i];
    assert_non_null(m);
    assert_non_null(m->measure);
    assert_non_null(strstr(m->measure, "mô hình chăn nuôi"));
    kt_entity_list_free(&l);
}

/* Each of these holds numbers that are not figures. */
static const char *const no_figures[] = {
    "Ngày 12/4/2023, hội nghị khai mạc.",
    "Trong năm 2023, huyện tập trung phát triển.",
    "Đại hội nhiệm kỳ 2025-2030 thành công.",
    "Giai đoạn 2021-2025 có nhiều đổi mới.",
    "Cuộc họp bắt đầu lúc 14h30.",
    "Đây là lần thứ 5 hội nghị được tổ chức.",
    "Đại hội Đảng bộ lần thứ XX diễn ra.",
    "Thực hiện Kế hoạch số 45-KH/UBND và Chỉ thị số 12 của Tỉnh ủy.",
    "Đoàn kiểm tra số 3 làm việc với xã.",
    "Công tác phòng, chống dịch COVID-19 được duy trì.",
    "Kết quả quý II rất khả quan.",
    "Đối với đối tượng 2 và đối tượng 3 thì khác.",
    "Đến tháng 6/2023 sẽ hoàn thành.",
    "Quận 5 có nhiều điểm mới.",
    "Từ 27 đến 29/7/2024 diễn ra hội chợ.",
    "Ông A (SN 1975, trú tại xã B) khai nhận.",
};

static void test_figure_exclusions(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof no_figures / sizeof no_figures[0]; k++) {
        struct kt_entity_list l = {0};
        extract(no_figures[k], NULL, &l);
        for (size_t i = 0; i < l.n; i++)
            if (l.items[i].type == KT_ENTITY_FIGURE)
                fail_msg("figure '%.*s' in: %s", (int)(l.items[i].end - l.items[i].start),
                         l.text.data + l.items[i].start, no_figures[k]);
        kt_entity_list_free(&l);
    }
}

/* ------------------------------ documents and dates ------------------------------ */

static void test_documents(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Quán triệt Nghị quyết số 15-NQ/TU, Quyết định 1234/QĐ-UBND và Kế hoạch số "
            "07-KH/HU. Triển khai Kế hoạch 07 đúng tiến độ, theo 45/2021/NĐ-CP. Đề án nhân sự "
            "được thông qua.",
            NULL, &l);
    static const struct {
        const char *kind, *code;
    } want[] = {{"Nghị quyết", "15-NQ/TU"},
                {"Quyết định", "1234/QĐ-UBND"},
                {"Kế hoạch", "07-KH/HU"},
                {"Kế hoạch", "07-KH/HU"}, /* the short reference gets the full code */
                {"Nghị định", "45/2021/NĐ-CP"}};
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (l.items[i].type != KT_ENTITY_DOCUMENT)
            continue;
        assert_true(k < sizeof want / sizeof want[0]);
        assert_string_equal(l.items[i].kind, want[k].kind);
        assert_string_equal(l.items[i].code, want[k].code);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    kt_entity_list_free(&l);
}

static void test_dates(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Ngày 12/4/2023 khai mạc; sáng 3/9 bế mạc; ngày 5 tháng 6 năm 2022 ký kết; tháng "
            "7/2021 hoàn thành; hội chợ từ 28-30/7/2020.",
            "2024-09-05", &l);
    static const char *const want[] = {"2023-04-12", "2024-09-03", "2022-06-05", "2021-07",
                                       "2020-07-28"};
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (l.items[i].type != KT_ENTITY_DATE)
            continue;
        assert_true(k < 5);
        assert_string_equal(l.items[i].date, want[k]);
        if (k == 4)
            assert_string_equal(l.items[i].date_end, "2020-07-30");
        k++;
    }
    assert_int_equal(k, 5);
    kt_entity_list_free(&l);
    /* no article date: the year stays unknown */
    extract("Sáng 3/9 bế mạc.", NULL, &l);
    assert_int_equal(count_type(&l, KT_ENTITY_DATE), 1);
    assert_string_equal(l.items[0].date, "--09-03");
    kt_entity_list_free(&l);
}

/* ------------------------------ terms and output ------------------------------ */

static bool has_term(const struct kt_entity_terms *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i], s) == 0)
            return true;
    return false;
}

static void test_index_terms(void **state)
{
    (void)state;
    struct kt_article a;
    kt_article_init(&a);
    a.title = "Huyện Đông Anh về đích";
    a.text = "Chủ tịch UBND huyện Đông Anh Nguyễn Xuân Linh cho biết kết quả.";
    a.date = "2024-01-02";
    struct kt_entity_terms t = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_entity_article_terms(ex, &a, &t, &err), KT_OK);
    assert_true(has_term(&t, "XOnguyễn xuân linh"));
    assert_true(has_term(&t, "XOFnguyen xuan linh"));
    assert_true(has_term(&t, "XPđông anh"));
    assert_true(has_term(&t, "XPFdong anh"));
    assert_true(has_term(&t, "XPhuyện đông anh"));
    assert_true(has_term(&t, "XPFhuyen dong anh"));
    for (size_t i = 0; i < t.n; i++)
        for (size_t k = i + 1; k < t.n; k++)
            assert_string_not_equal(t.v[i], t.v[k]);
    kt_entity_terms_free(&t);

    struct kt_buf q = {0};
    assert_int_equal(kt_entity_query_term(KT_ENTITY_OFFICIAL, "Nguyễn  Xuân LINH",
                                          strlen("Nguyễn  Xuân LINH"), &q, &err),
                     KT_OK);
    assert_string_equal(q.data, "XOnguyễn xuân linh");
    assert_int_equal(kt_entity_query_term(KT_ENTITY_OFFICIAL, "nguyen xuan linh", 16, &q, &err),
                     KT_OK);
    assert_string_equal(q.data, "XOFnguyen xuan linh");
    assert_int_equal(kt_entity_query_term(KT_ENTITY_OFFICIAL, "\"nguyen xuan linh\"", 18, &q, &err),
                     KT_OK);
    assert_string_equal(q.data, "XOFnguyen xuan linh");
    /* old and new tone placement give the same term */
    assert_int_equal(
        kt_entity_query_term(KT_ENTITY_PLACE, "Hoà Bình", strlen("Hoà Bình"), &q, &err), KT_OK);
    assert_string_equal(q.data, "XPhòa bình");
    assert_int_equal(kt_entity_query_term(KT_ENTITY_FIGURE, "x", 1, &q, &err), KT_EINVAL);
    assert_int_equal(kt_entity_query_term(KT_ENTITY_PLACE, "  ", 2, &q, &err), KT_EINVAL);
    assert_int_equal(
        kt_entity_term_display("XOnguyễn xuân linh", strlen("XOnguyễn xuân linh"), &q, &err),
        KT_OK);
    assert_string_equal(q.data, "Nguyễn Xuân Linh");
    assert_int_equal(
        kt_entity_term_display("XPhuyện đông anh", strlen("XPhuyện đông anh"), &q, &err), KT_OK);
    assert_string_equal(q.data, "huyện Đông Anh");
    assert_int_equal(kt_entity_term_display("Qabc", 4, &q, &err), KT_EINVAL);
    assert_true(kt_entity_term_is_facet("XOnguyễn xuân linh", strlen("XOnguyễn xuân linh")));
    assert_true(kt_entity_term_is_facet("XPhuyện đông anh", strlen("XPhuyện đông anh")));
    assert_false(kt_entity_term_is_facet("XPđông anh", strlen("XPđông anh")));
    assert_false(kt_entity_term_is_facet("XOFnguyen xuan linh", 19));
    assert_false(kt_entity_term_is_facet("XPFhuyen dong anh", 17));
    kt_buf_free(&q);
}

static void test_jsonl_and_csv(void **state)
{
    (void)state;
    struct kt_entity_list l = {0};
    extract("Phó Chủ tịch UBND xã Tân Lập Lê Văn Hải cho biết, có 3/4 thôn đạt 40,5%.", NULL, &l);
    struct kt_buf out = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_entities_to_jsonl(&l, "dir/a \"b\".txt", &out, &err), KT_OK);
    size_t lines = 0;
    bool saw_official = false, saw_fraction = false;
    for (char *p = out.data; p && *p;) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        json_error_t je;
        json_t *o = json_loadb(p, (size_t)(nl - p), 0, &je);
        assert_non_null(o);
        assert_string_equal(json_string_value(json_object_get(o, "doc")), "dir/a \"b\".txt");
        size_t start = (size_t)json_integer_value(json_object_get(o, "start"));
        size_t end = (size_t)json_integer_value(json_object_get(o, "end"));
        const char *text = json_string_value(json_object_get(o, "text"));
        assert_int_equal(strlen(text), end - start);
        assert_memory_equal(l.text.data + start, text, end - start);
        assert_non_null(json_object_get(o, "sentence"));
        const char *type = json_string_value(json_object_get(o, "type"));
        if (strcmp(type, "official") == 0) {
            saw_official = true;
            assert_string_equal(json_string_value(json_object_get(o, "name")), "Lê Văn Hải");
            assert_string_equal(json_string_value(json_object_get(o, "title")),
                                "Phó Chủ tịch UBND xã Tân Lập");
            assert_true(json_is_array(json_object_get(o, "titles")));
        }
        if (strcmp(type, "figure") == 0 && json_is_integer(json_object_get(o, "total"))) {
            saw_fraction = true;
            assert_int_equal(json_integer_value(json_object_get(o, "value")), 3);
            assert_int_equal(json_integer_value(json_object_get(o, "total")), 4);
            assert_true(json_is_null(json_object_get(o, "scaled")));
        }
        json_decref(o);
        lines++;
        p = nl + 1;
    }
    assert_int_equal(lines, l.n);
    assert_true(saw_official && saw_fraction);
    kt_buf_reset(&out);
    assert_int_equal(kt_entities_to_csv(&l, "a,b.txt", true, &out, &err), KT_OK);
    assert_true(strncmp(out.data, "doc,type,text,start,end,name,title,", 35) == 0);
    assert_non_null(strstr(out.data, "\n\"a,b.txt\",official,"));
    kt_buf_reset(&out);
    assert_int_equal(kt_csv_field(&out, "say \"hi\"", 8), KT_OK);
    assert_string_equal(out.data, "\"say \"\"hi\"\"\"");
    kt_buf_reset(&out);
    assert_int_equal(kt_csv_field(&out, "=1+1", 4), KT_OK);
    assert_string_equal(out.data, "\"'=1+1\"");
    kt_buf_reset(&out);
    assert_int_equal(kt_csv_field(&out, "plain", 5), KT_OK);
    assert_string_equal(out.data, "plain");
    kt_buf_free(&out);
    kt_entity_list_free(&l);
}

static void test_types_filter_and_parse(void **state)
{
    (void)state;
    unsigned m = 0;
    struct kt_err err = {0};
    assert_int_equal(kt_entity_types_parse("official,place", &m, &err), KT_OK);
    assert_int_equal(m, KT_ENTITY_BIT(KT_ENTITY_OFFICIAL) | KT_ENTITY_BIT(KT_ENTITY_PLACE));
    assert_int_equal(kt_entity_types_parse("official,people", &m, &err), KT_EINVAL);
    assert_non_null(strstr(err.msg, "people"));
    struct kt_entity_extractor *fx = NULL;
    struct kt_entity_config cfg = {.types = KT_ENTITY_BIT(KT_ENTITY_FIGURE)};
    assert_int_equal(kt_entity_extractor_new(&cfg, &fx, &err), KT_OK);
    struct kt_entity_list l = {0};
    const char *t = "Chủ tịch UBND xã Tân Lập Lê Văn Hải cho biết có 3 thôn, ngày 2/3/2021.";
    assert_int_equal(kt_entities_extract(fx, t, strlen(t), NULL, &l, &err), KT_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].type, KT_ENTITY_FIGURE);
    kt_entity_list_free(&l);
    kt_entity_extractor_free(fx);
}

/* ------------------------------ hostile inputs ------------------------------ */

static void test_many_capitalized_words(void **state)
{
    (void)state;
    static const char *const words[] = {"Nguyễn", "Văn",   "Hà", "Nội",  "Phó",  "Bí",
                                        "Chủ",    "Huyện", "Xã", "Minh", "Trần", "Thường"};
    struct kt_buf b = {0};
    for (size_t i = 0; i < 10000; i++)
        kt_buf_printf(&b, "%s%s", i ? " " : "", words[(i * 7 + i / 3) % 12]);
    struct kt_entity_list l = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_entities_extract(ex, b.data, b.len, NULL, &l, &err), KT_OK);
    for (size_t i = 0; i < l.n; i++) {
        const struct kt_entity *e = &l.items[i];
        assert_true(e->end - e->start < 200); /* no runaway spans */
        if (e->type == KT_ENTITY_OFFICIAL && e->title)
            assert_true(strlen(e->title) < 200);
    }
    kt_entity_list_free(&l);
    kt_buf_free(&b);
}

static void test_huge_line(void **state)
{
    (void)state;
    const char *unit = "Chủ tịch UBND huyện Ba Vì Nguyễn Văn An cho biết có 28/28 xã đạt 49,5 "
                       "triệu đồng theo Kế hoạch số 12-KH/HU ngày 5/6/2020; ";
    size_t ul = strlen(unit), reps = (5u << 20) / ul + 1;
    struct kt_buf b = {0};
    for (size_t i = 0; i < reps; i++)
        kt_buf_append(&b, unit, ul);
    struct kt_entity_list l = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_entities_extract(ex, b.data, b.len, NULL, &l, &err), KT_OK);
    assert_int_equal(count_type(&l, KT_ENTITY_DOCUMENT), reps);
    assert_int_equal(count_type(&l, KT_ENTITY_FIGURE), 2 * reps);
    for (size_t i = 0; i < l.n; i++)
        assert_true(l.items[i].sent_end - l.items[i].sent_start < 1200);
    kt_entity_list_free(&l);
    kt_buf_free(&b);
}

static void test_long_numbers(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    kt_buf_append_cstr(&b, "Có ");
    for (int i = 0; i < 400; i++)
        kt_buf_append_byte(&b, '9');
    kt_buf_append_cstr(&b, " xã, ");
    for (int i = 0; i < 400; i++)
        kt_buf_append_byte(&b, '1');
    kt_buf_append_byte(&b, '/');
    for (int i = 0; i < 400; i++)
        kt_buf_append_byte(&b, '2');
    kt_buf_append_cstr(&b, " hộ và 12 hộ.");
    struct kt_entity_list l = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_entities_extract(ex, b.data, b.len, NULL, &l, &err), KT_OK);
    assert_int_equal(count_type(&l, KT_ENTITY_FIGURE), 1); /* only "12 hộ" */
    assert_true(l.items[l.n - 1].value == 12);
    struct kt_buf out = {0};
    assert_int_equal(kt_entities_to_jsonl(&l, "x", &out, &err), KT_OK);
    kt_buf_free(&out);
    kt_entity_list_free(&l);
    kt_buf_free(&b);
    /* invalid UTF-8 and NUL bytes */
    static const char junk[] = "x\xff\xfe\x00 huy\xe1\xbb\x87n \xc3 Ba V\xc3\xac 3 x\xc3\xa3";
    assert_int_equal(kt_entities_extract(ex, junk, sizeof junk - 1, NULL, &l, &err), KT_OK);
    kt_entity_list_free(&l);
    assert_int_equal(kt_entities_extract(ex, "", 0, NULL, &l, &err), KT_OK);
    assert_int_equal(l.n, 0);
    kt_entity_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_officials_table),
        cmocka_unit_test(test_not_officials),
        cmocka_unit_test(test_official_linking_and_titles),
        cmocka_unit_test(test_places_table),
        cmocka_unit_test(test_place_details),
        cmocka_unit_test(test_gazetteer),
        cmocka_unit_test(test_figures_table),
        cmocka_unit_test(test_figure_range_and_measure),
        cmocka_unit_test(test_figure_exclusions),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_index_terms),
        cmocka_unit_test(test_jsonl_and_csv),
        cmocka_unit_test(test_types_filter_and_parse),
        cmocka_unit_test(test_many_capitalized_words),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_long_numbers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
