/* entity_lexicon.c - the entity extractor's word lists (positions, organs, administrative
 * levels, family names, count nouns, document kinds, function words) and their compilation
 * into a hash table keyed by normalized syllable sequences. */
#include "indexer/entity_internal.h"

#include "common/kt_text.h"

#include <stdlib.h>
#include <string.h>

const char *const kt_level_names[LV_COUNT] = {
    "",   "thành phố", "tỉnh",     "quận", "huyện",      "thị xã",
    "xã", "phường",    "thị trấn", "thôn", "tổ dân phố",
};

/* Canonical document kinds (display form). Order matters: lx_dockind_from_code_letters. */
const char *const kt_doc_kinds[] = {
    "Chỉ thị",   "Kế hoạch",  "Chương trình", "Đề án",     "Nghị quyết", "Quyết định", "Nghị định",
    "Thông tư",  "Kết luận",  "Quy định",     "Hướng dẫn", "Công văn",   "Thông báo",  "Luật",
    "Pháp lệnh", "Thông tri", "Quy chế",      "Báo cáo",   "Tờ trình",   "Chiến lược",
};
const size_t kt_doc_kinds_n = sizeof kt_doc_kinds / sizeof kt_doc_kinds[0];

/* Letters of document codes: 11-CT/HU, 84-KH/HU, 02-CTr/TU, 1234/QĐ-UBND, 84/2019/NĐ-CP. */
static const struct {
    const char *letters;
    int kind;
} code_letters[] = {
    {"CT", 0},  {"KH", 1},  {"CTr", 2},  {"CTR", 2}, {"ĐA", 3},  {"NQ", 4},   {"QĐ", 5},
    {"NĐ", 6},  {"TT", 7},  {"KL", 8},   {"QĐi", 9}, {"QĐI", 9}, {"HD", 10},  {"HĐ", 10},
    {"CV", 11}, {"TB", 12}, {"TTr", 16}, {"QC", 16}, {"BC", 17}, {"TTR", 18},
};

int lx_dockind_from_code_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof code_letters / sizeof code_letters[0]; i++)
        if (strlen(code_letters[i].letters) == n && memcmp(code_letters[i].letters, s, n) == 0)
            return code_letters[i].kind;
    return -1;
}

/* Titles and positions (matched case-insensitively; a title chain must start with one). */
static const char *const positions[] = {
    "tổng bí thư",
    "chủ tịch nước",
    "phó chủ tịch nước",
    "thủ tướng",
    "phó thủ tướng",
    "thủ tướng chính phủ",
    "phó thủ tướng chính phủ",
    "bộ trưởng",
    "thứ trưởng",
    "ủy viên bộ chính trị",
    "ủy viên ban bí thư",
    "ủy viên trung ương đảng",
    "ủy viên dự khuyết trung ương đảng",
    "ủy viên",
    "ủy viên thường trực",
    "ủy viên ban thường vụ",
    "bí thư",
    "phó bí thư",
    "bí thư thường trực",
    "chủ tịch",
    "phó chủ tịch",
    "trưởng ban",
    "phó trưởng ban",
    "trưởng",
    "phó",
    "giám đốc",
    "phó giám đốc",
    "tổng giám đốc",
    "phó tổng giám đốc",
    "chánh văn phòng",
    "phó chánh văn phòng",
    "chánh án",
    "phó chánh án",
    "viện trưởng",
    "phó viện trưởng",
    "chủ nhiệm",
    "phó chủ nhiệm",
    "trưởng phòng",
    "phó trưởng phòng",
    "cục trưởng",
    "phó cục trưởng",
    "vụ trưởng",
    "phó vụ trưởng",
    "tổng cục trưởng",
    "phó tổng cục trưởng",
    "chánh thanh tra",
    "phó chánh thanh tra",
    "thành ủy viên",
    "tỉnh ủy viên",
    "huyện ủy viên",
    "quận ủy viên",
    "thị ủy viên",
    "đảng ủy viên",
    "đại biểu quốc hội",
    "trưởng đoàn",
    "phó trưởng đoàn",
    "đại sứ",
    "tổng lãnh sự",
    "tư lệnh",
    "phó tư lệnh",
    "chính ủy",
    "phó chính ủy",
    "tham mưu trưởng",
    "chỉ huy trưởng",
    "phó chỉ huy trưởng",
    "hiệu trưởng",
    "phó hiệu trưởng",
    "trưởng thôn",
    "tổ trưởng",
    "thư ký",
    "tổng thư ký",
    "người phát ngôn",
    "chủ tịch ubnd",
    "phó chủ tịch ubnd",
    "chủ tịch hđnd",
    "phó chủ tịch hđnd",
    "kế toán trưởng",
    "trưởng khoa",
    "trưởng công an",
    "phó trưởng công an",
    "đại tướng",
    "thượng tướng",
    "trung tướng",
    "thiếu tướng",
    "đại tá",
    "thượng tá",
    "trung tá",
    "thiếu tá",
    "đại úy",
    "thượng úy",
    "trung úy",
    "thiếu úy",
    "đô đốc",
    "phó đô đốc",
    "chuẩn đô đốc",
    "chủ tịch quốc hội",
    "phó chủ tịch quốc hội",
    "tổng kiểm toán nhà nước",
    "tổng thanh tra",
    "thống đốc",
    "phó thống đốc",
    "trưởng ban chỉ đạo",
    "phó trưởng ban chỉ đạo",
    "bí thư chi bộ",
    "bí thư đảng ủy",
    "bí thư đoàn",
    "trưởng ban quản lý",
    "chủ tịch hội",
    "phó chủ tịch hội",
    "chủ tịch ủy ban mặt trận tổ quốc",
    "trợ lý",
    "ủy viên ban chấp hành",
};

/* Organs and organizations; ".ủy" organs imply a level for the name after them. */
static const struct {
    const char *s;
    int level;
} bodies[] = {
    {"thành ủy", LV_THANHPHO},
    {"tỉnh ủy", LV_TINH},
    {"huyện ủy", LV_HUYEN},
    {"quận ủy", LV_QUAN},
    {"thị ủy", LV_THIXA},
    {"thành đoàn", LV_THANHPHO},
    {"tỉnh đoàn", LV_TINH},
    {"huyện đoàn", LV_HUYEN},
    {"quận đoàn", LV_QUAN},
    {"đảng ủy", 0},
    {"đảng ủy khối", 0},
    {"trung ương", 0},
    {"trung ương đảng", 0},
    {"t.ư", 0},
    {"tư", 0},
    {"tw", 0},
    {"bộ chính trị", 0},
    {"ban bí thư", 0},
    {"ban thường vụ", 0},
    {"ban chấp hành", 0},
    {"ban chấp hành trung ương", 0},
    {"thường trực", 0},
    {"thường vụ", 0},
    {"ubnd", 0},
    {"hđnd", 0},
    {"ubnđ", 0},
    {"ủy ban nhân dân", 0},
    {"hội đồng nhân dân", 0},
    {"ubmttq", 0},
    {"ubmttqvn", 0},
    {"mttq", 0},
    {"mặt trận tổ quốc", 0},
    {"ủy ban mặt trận tổ quốc", 0},
    {"quốc hội", 0},
    {"chính phủ", 0},
    {"ban tổ chức", 0},
    {"ban tuyên giáo", 0},
    {"ban dân vận", 0},
    {"ban nội chính", 0},
    {"ban kinh tế", 0},
    {"ban pháp chế", 0},
    {"ban văn hóa", 0},
    {"ủy ban kiểm tra", 0},
    {"ubkt", 0},
    {"sở", 0},
    {"bộ", 0},
    {"ban", 0},
    {"phòng", 0},
    {"cục", 0},
    {"tổng cục", 0},
    {"chi cục", 0},
    {"công an", 0},
    {"văn phòng", 0},
    {"đảng bộ", 0},
    {"chi bộ", 0},
    {"đoàn thanh niên", 0},
    {"hội liên hiệp phụ nữ", 0},
    {"hội phụ nữ", 0},
    {"hội nông dân", 0},
    {"hội cựu chiến binh", 0},
    {"liên đoàn lao động", 0},
    {"tòa án nhân dân", 0},
    {"viện kiểm sát nhân dân", 0},
    {"bộ tư lệnh", 0},
    {"bộ chỉ huy quân sự", 0},
    {"ban chỉ huy quân sự", 0},
    {"quân khu", 0},
    {"ban chỉ đạo", 0},
    {"đoàn đại biểu quốc hội", 0},
    {"ủy ban", 0},
    {"hội đồng", 0},
    {"ban quản lý", 0},
    {"thanh tra", 0},
    {"kho bạc", 0},
    {"trung tâm", 0},
    {"ban thường trực", 0},
    {"đảng đoàn", 0},
    {"ban cán sự đảng", 0},
    {"nhân dân", 0},
    {"nhà nước", 0},
    {"kiểm toán nhà nước", 0},
    {"ngân hàng nhà nước", 0},
    {"bộ đội", 0},
    {"biên phòng", 0},
    {"cảnh sát", 0},
    {"quân đội", 0},
    {"quân ủy trung ương", 0},
    {"đoàn", 0},
    {"khối", 0},
    {"hội", 0},
    {"viện", 0},
    {"trường", 0},
};

/* Administrative level words and their abbreviations (matched case-insensitively, trailing
 * dot of an abbreviation ignored). */
static const struct {
    const char *s;
    int level;
} levels[] = {
    {"thành phố", LV_THANHPHO},
    {"tp", LV_THANHPHO},
    {"thủ đô", LV_THANHPHO},
    {"tỉnh", LV_TINH},
    {"quận", LV_QUAN},
    {"q", LV_QUAN},
    {"huyện", LV_HUYEN},
    {"h", LV_HUYEN},
    {"thị xã", LV_THIXA},
    {"tx", LV_THIXA},
    {"xã", LV_XA},
    {"phường", LV_PHUONG},
    {"p", LV_PHUONG},
    {"thị trấn", LV_THITRAN},
    {"tt", LV_THITRAN},
    {"thôn", LV_THON},
    {"tổ dân phố", LV_TODANPHO},
    {"tdp", LV_TODANPHO},
};

static const char *const honorifics[] = {"đồng chí", "đ/c", "ông", "bà"};

/* Family names; the first group are (almost) never used as middle names. */
static const char *const strong_surnames[] = {
    "nguyễn", "trần",  "phạm",  "huỳnh", "phan",   "đặng", "bùi",   "đỗ",   "ngô",   "dương",
    "đào",    "đoàn",  "đinh",  "trịnh", "trương", "lưu",  "lương", "kiều", "quách", "phùng",
    "nghiêm", "triệu", "vương", "tạ",    "khuất",  "nông", "lại",   "doãn",
};
static const char *const surnames[] = {
    "lê",    "hoàng", "vũ",   "võ",   "hồ",   "lý",    "lâm",    "mai",   "hà",   "cao",    "tô",
    "tôn",   "thái",  "chu",  "châu", "la",   "đàm",   "thân",   "từ",    "diệp", "giang",  "hứa",
    "lục",   "mạc",   "ông",  "quan", "tăng", "thạch", "tống",   "vi",    "viên", "âu",     "ninh",
    "khổng", "đồng",  "lò",   "lầu",  "hầu",  "đường", "phương", "ứng",   "kim",  "khương", "mẫn",
    "nhữ",   "tào",   "bạch", "cù",   "cấn",  "trình", "chế",    "chử",   "hán",  "lã",     "lữ",
    "mã",    "thiều", "hàn",  "ân",   "bế",   "cầm",   "đèo",    "hoàng", "lạc",  "lường",  "mông",
    "vàng",  "sầm",   "đới",  "tiêu", "yên",  "trà",   "kha",    "phí",   "bạc",  "đậu",
};
static const char *const middle_names[] = {"văn",  "thị",  "đức",  "hữu",  "xuân", "thanh", "minh",
                                           "quốc", "đình", "ngọc", "công", "mạnh", "thế"};

/* Count nouns and measure units after a number (multi-syllable ones first matter only for
 * the extent of the unit; any other lowercase word that is not a function word also counts). */
static const char *const units[] = {
    "trường hợp",
    "mô hình",
    "sản phẩm",
    "cán bộ",
    "đồng chí",
    "đảng viên",
    "chi bộ",
    "đảng bộ",
    "đảng bộ cơ sở",
    "tổ chức cơ sở đảng",
    "tổ chức đảng",
    "tổ chức",
    "nhiệm kỳ",
    "đơn vị",
    "văn bản",
    "nguyên tắc",
    "nội dung",
    "ý kiến",
    "vấn đề",
    "tiểu ban",
    "đoàn công tác",
    "đại biểu",
    "nữ đại biểu",
    "hộ gia đình",
    "hộ nghèo",
    "hộ",
    "học sinh",
    "sinh viên",
    "công trình",
    "dự án",
    "doanh nghiệp",
    "người",
    "lượt người",
    "lượt",
    "tuyến đường",
    "km",
    "ha",
    "héc-ta",
    "m2",
    "m3",
    "kg",
    "tấn",
    "lít",
    "tuổi",
    "ngày",
    "tháng",
    "năm",
    "tuần",
    "giờ",
    "phút",
    "lần",
    "đồng",
    "usd",
    "vnđ",
    "vnd",
    "euro",
    "xã",
    "phường",
    "thị trấn",
    "thôn",
    "tổ dân phố",
    "quận",
    "huyện",
    "thị xã",
    "tỉnh",
    "thành phố",
    "làng nghề",
    "ca",
    "bệnh nhân",
    "hồ sơ",
    "điểm",
    "trường",
    "lớp",
    "phòng",
    "cơ sở",
    "cơ quan",
    "nhà",
    "căn hộ",
    "chỉ tiêu",
    "nhiệm vụ",
    "giải pháp",
    "đề án",
    "tác phẩm",
    "bài",
    "tin",
    "câu",
    "gói",
    "sao",
    "mét",
    "cây số",
    "xe",
    "phương tiện",
    "vụ",
    "vụ việc",
    "đối tượng",
    "gia đình",
    "thành viên",
    "hội viên",
    "đoàn viên",
    "chiến sĩ",
    "công nhân",
    "lao động",
    "việc làm",
    "suất",
    "phần quà",
    "con",
    "chiếc",
    "bản",
    "cuộc",
    "buổi",
    "đợt",
    "khóa",
    "lớp học",
    "trạm",
    "nhà máy",
    "khu công nghiệp",
    "cụm công nghiệp",
    "làng",
    "khu",
    "thửa",
    "mẫu",
    "sào",
    "megawatt",
    "mw",
    "kwh",
};

/* Words that cannot start a unit right after a number. */
static const char *const stops[] = {
    "và",    "hoặc", "hay",   "của",   "là",     "đến",  "tới",   "với",   "so",    "để",
    "thì",   "mà",   "đã",    "đang",  "sẽ",     "được", "bị",    "có",    "không", "cho",
    "tại",   "ở",    "trong", "ngoài", "từ",     "theo", "về",    "vào",   "ra",    "lên",
    "xuống", "như",  "nhưng", "cũng",  "còn",    "này",  "đó",    "kia",   "nào",   "rồi",
    "nữa",   "gồm",  "bằng",  "hơn",   "khoảng", "gần",  "các",   "những", "mọi",   "mỗi",
    "đối",   "nhằm", "do",    "bởi",   "vì",     "nên",  "sau",   "trước", "giữa",  "qua",
    "đây",   "kể",   "ngay",  "lại",   "đi",     "tăng", "giảm",  "đạt",   "chiếm", "trở",
    "trên",  "dưới", "thuộc", "tính",  "nay",    "ấy",   "vừa",   "mới",   "chỉ",   "đều",
    "phải",  "cần",  "luôn",  "hết",   "cùng",   "tức",  "nghĩa", "tiếp",  "sang",  "suốt",
    "trừ",   "kèm",  "gấp",   "ước",   "tr",
};

static const struct {
    const char *s;
    int exp;
} scales[] = {
    {"nghìn", 3}, {"ngàn", 3},      {"triệu", 6},    {"tỷ", 9},
    {"tỉ", 9},    {"nghìn tỷ", 12}, {"ngàn tỷ", 12}, {"nghìn tỉ", 12},
};

/* A number right after these is a label or a date part, not a figure. */
static const char *const labels[] = {
    "số",      "thứ",     "năm",       "tháng",    "ngày",  "quý",   "khóa",      "khoá", "điều",
    "khoản",   "mục",     "chương",    "phần",     "tầng",  "lô",    "đợt",       "kỳ",   "tuyến",
    "quốc lộ", "tỉnh lộ", "km",        "hạng",     "cấp",   "loại",  "mức",       "tập",  "phiên",
    "hồi",     "vòng",    "bảng",      "trang",    "lúc",   "sn",    "đối tượng", "nhóm", "tổ",
    "đội",     "khu",     "ngõ",       "ngách",    "hẻm",   "đường", "phố",       "căn",  "lớp",
    "phòng",   "bước",    "giai đoạn", "nhiệm kỳ", "covid", "top",   "hình",
};

static const char *const datewords[] = {"ngày",      "sáng", "chiều", "tối",   "trưa", "đêm", "hôm",
                                        "rạng sáng", "từ",   "đến",   "tháng", "đầu",  "cuối"};

static const char *const locatives[] = {"ở", "tại", "thuộc", "về", "đến", "thăm", "khắp"};

static const char *const clauseverbs[] = {"đạt", "chiếm", "bằng", "tăng", "giảm",    "là",
                                          "có",  "với",   "gồm",  "được", "ước đạt", "đạt được"};

static const char *const plurals[] = {"các", "những", "mọi", "toàn bộ", "cả"};

uint64_t lx_syl_key(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

uint64_t lx_phrase_step(uint64_t h, uint64_t syl)
{
    h = (h ^ syl) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 31;
    return h ? h : 1;
}

static size_t slot_of(uint64_t key, size_t mask)
{
    return (size_t)(key ^ (key >> 29)) & mask;
}

const struct lx_entry *lx_get(const struct lx_table *t, uint64_t key)
{
    for (size_t i = slot_of(key, t->mask);; i = (i + 1) & t->mask) {
        if (t->e[i].key == key)
            return &t->e[i];
        if (t->e[i].key == 0)
            return NULL;
    }
}

bool lx_is_first(const struct lx_table *t, uint64_t key)
{
    for (size_t i = slot_of(key, t->first_mask);; i = (i + 1) & t->first_mask) {
        if (t->first[i] == key)
            return true;
        if (t->first[i] == 0)
            return false;
    }
}

/* Adds one phrase (any case, any tone style, syllables separated by spaces). */
static kt_status add_phrase(struct lx_table *t, const char *phrase, uint32_t cats, int level,
                            int dockind, int scale_exp, struct kt_buf *tmp)
{
    kt_buf_reset(tmp);
    kt_status rc =
        kt_text_normalize(phrase, strlen(phrase), KT_NORM_CANONICAL | KT_NORM_CASEFOLD, tmp, NULL);
    if (rc != KT_OK)
        return rc;
    uint64_t h = 0, first = 0;
    uint64_t prefixes[16];
    unsigned nsyl = 0;
    const char *p = tmp->data, *end = tmp->data + tmp->len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *q = p;
        while (q < end && *q != ' ')
            q++;
        if (q > p) {
            uint64_t k = lx_syl_key(p, (size_t)(q - p));
            if (nsyl == 0)
                first = k;
            h = lx_phrase_step(h, k);
            if (nsyl < 16)
                prefixes[nsyl] = h;
            nsyl++;
        }
        p = q;
    }
    if (nsyl == 0 || nsyl > 15)
        return KT_OK;
    /* prefixes let lookups stop at the first syllable no phrase continues with */
    for (unsigned k = 0; k + 1 < nsyl; k++) {
        for (size_t i = slot_of(prefixes[k], t->mask);; i = (i + 1) & t->mask) {
            if (t->e[i].key == prefixes[k])
                break;
            if (t->e[i].key == 0) {
                t->e[i].key = prefixes[k];
                t->e[i].nsyl = (uint8_t)(k + 1);
                break;
            }
        }
    }
    struct lx_entry *e = NULL;
    for (size_t i = slot_of(h, t->mask);; i = (i + 1) & t->mask) {
        if (t->e[i].key == h || t->e[i].key == 0) {
            e = &t->e[i];
            break;
        }
    }
    e->key = h;
    e->cats |= cats;
    e->nsyl = (uint8_t)nsyl;
    if (level)
        e->level = (int8_t)level;
    if (dockind >= 0 && (cats & LX_DOCKIND))
        e->dockind = (int8_t)dockind;
    if (scale_exp)
        e->scale_exp = (uint8_t)scale_exp;
    if (nsyl > t->maxsyl)
        t->maxsyl = (uint8_t)nsyl;
    for (size_t i = slot_of(first, t->first_mask);; i = (i + 1) & t->first_mask) {
        if (t->first[i] == first)
            break;
        if (t->first[i] == 0) {
            t->first[i] = first;
            break;
        }
    }
    return KT_OK;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

kt_status lx_build(struct lx_table *t, struct kt_err *err)
{
    memset(t, 0, sizeof *t);
    size_t cap = 16384; /* > 2x the number of phrases and their prefixes */
    t->e = calloc(cap, sizeof *t->e);
    t->first = calloc(cap, sizeof *t->first);
    if (!t->e || !t->first) {
        lx_free(t);
        return kt_err_set(err, KT_ENOMEM, "entity lexicon: out of memory");
    }
    t->mask = cap - 1;
    t->first_mask = cap - 1;
    struct kt_buf tmp = {0};
    kt_status rc = KT_OK;
#define ADD(s, c, lv, dk, sc)                                                                      \
    do {                                                                                           \
        if (rc == KT_OK)                                                                           \
            rc = add_phrase(t, (s), (c), (lv), (dk), (sc), &tmp);                                  \
    } while (0)
    for (size_t i = 0; i < N_OF(positions); i++)
        ADD(positions[i], LX_POSITION, 0, -1, 0);
    for (size_t i = 0; i < N_OF(bodies); i++)
        ADD(bodies[i].s, LX_BODY, bodies[i].level, -1, 0);
    for (size_t i = 0; i < N_OF(levels); i++)
        ADD(levels[i].s, LX_LEVEL, levels[i].level, -1, 0);
    for (size_t i = 0; i < N_OF(honorifics); i++)
        ADD(honorifics[i], LX_HONORIFIC, 0, -1, 0);
    for (size_t i = 0; i < N_OF(strong_surnames); i++)
        ADD(strong_surnames[i], LX_SURNAME | LX_STRONG, 0, -1, 0);
    for (size_t i = 0; i < N_OF(surnames); i++)
        ADD(surnames[i], LX_SURNAME, 0, -1, 0);
    for (size_t i = 0; i < N_OF(middle_names); i++)
        ADD(middle_names[i], LX_MIDDLE, 0, -1, 0);
    for (size_t i = 0; i < N_OF(units); i++)
        ADD(units[i], LX_UNIT, 0, -1, 0);
    for (size_t i = 0; i < N_OF(stops); i++)
        ADD(stops[i], LX_STOP, 0, -1, 0);
    for (size_t i = 0; i < N_OF(scales); i++)
        ADD(scales[i].s, LX_SCALE, 0, -1, scales[i].exp);
    for (size_t i = 0; i < kt_doc_kinds_n; i++)
        ADD(kt_doc_kinds[i], LX_DOCKIND, 0, (int)i, 0);
    ADD("chưong trình", LX_DOCKIND, 0, 2, 0); /* a common typo */
    ADD("nghị quyết chuyên đề", LX_DOCKIND, 0, 4, 0);
    for (size_t i = 0; i < N_OF(labels); i++)
        ADD(labels[i], LX_LABEL, 0, -1, 0);
    for (size_t i = 0; i < N_OF(datewords); i++)
        ADD(datewords[i], LX_DATEWORD, 0, -1, 0);
    for (size_t i = 0; i < N_OF(locatives); i++)
        ADD(locatives[i], LX_LOCATIVE, 0, -1, 0);
    for (size_t i = 0; i < N_OF(clauseverbs); i++)
        ADD(clauseverbs[i], LX_CLAUSEVERB, 0, -1, 0);
    for (size_t i = 0; i < N_OF(plurals); i++)
        ADD(plurals[i], LX_PLURAL, 0, -1, 0);
#undef ADD
    kt_buf_free(&tmp);
    if (rc != KT_OK) {
        lx_free(t);
        return kt_err_set(err, rc, "entity lexicon: %s", kt_status_str(rc));
    }
    return KT_OK;
}

void lx_free(struct lx_table *t)
{
    if (!t)
        return;
    free(t->e);
    free(t->first);
    memset(t, 0, sizeof *t);
}
