/* extract_internal.h - private types shared by the extract_*.c files: the flattened DOM
 * (elements in document order with subtree ranges), the text blocks, and the recognisers for
 * Vietnamese boilerplate phrases, dates and bylines. */
#ifndef KHOTIN_CRAWLER_EXTRACT_INTERNAL_H
#define KHOTIN_CRAWLER_EXTRACT_INTERNAL_H

#include "common/kt_common.h"
#include "crawler/extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EX_MAX_DEPTH 512 /* elements deeper than this are not descended into */
#define EX_NONE      UINT32_MAX

/* Element kinds the algorithm cares about. */
enum ex_tag {
    EXT_OTHER = 0,
    EXT_INLINE,
    EXT_A,
    EXT_EMPH,
    EXT_BR,
    EXT_IMG,
    EXT_P,
    EXT_DIV,
    EXT_SECTION,
    EXT_ARTICLE,
    EXT_MAIN,
    EXT_HEADER,
    EXT_FOOTER,
    EXT_NAV,
    EXT_ASIDE,
    EXT_H1,
    EXT_H2,
    EXT_H3,
    EXT_H4,
    EXT_H5,
    EXT_H6,
    EXT_UL,
    EXT_OL,
    EXT_LI,
    EXT_DL,
    EXT_DT,
    EXT_DD,
    EXT_TABLE,
    EXT_TBODY,
    EXT_TR,
    EXT_TD,
    EXT_TH,
    EXT_BLOCKQUOTE,
    EXT_PRE,
    EXT_FIGURE,
    EXT_FIGCAPTION,
    EXT_FORM,
    EXT_CENTER,
    EXT_CAPTION,
    EXT_ADDRESS,
    EXT_BODY,
    EXT_TIME,
    EXT_SPAN,
    EXT_BLOCK_OTHER,
    EXT_SKIP, /* script, style, ... : never descended */
};

/* Element flags. */
#define EXN_NEGATIVE   0x0001u /* class/id has a negative hint */
#define EXN_POSITIVE   0x0002u /* class/id has a positive hint */
#define EXN_REMOVED    0x0004u /* pruned (with its subtree) */
#define EXN_CAPTIONBOX 0x0008u /* figure, caption table or caption-class box */
#define EXN_HAS_IMG    0x0010u /* an <img> is somewhere inside */
#define EXN_RIGHT      0x0020u /* align=right / text-align: right */
#define EXN_CENTER     0x0040u /* align=center / text-align: center */
#define EXN_AUTHORHINT 0x0080u /* class/id/itemprop/rel says author/byline */
#define EXN_LEADHINT   0x0100u /* class/id says sapo/lead/summary/description/intro */
#define EXN_DATEHINT   0x0200u /* class/id says date/time/published */
#define EXN_TITLEHINT  0x0400u /* class/id says title/headline */
#define EXN_BLOCK      0x0800u /* block-level element */

struct ex_node {
    xmlNode *node;
    uint32_t parent;      /* element index, EX_NONE for the root */
    uint32_t bparent;     /* nearest block-level ancestor, EX_NONE */
    uint32_t end;         /* one past the last descendant's index (pre-order) */
    uint32_t first_block; /* blocks [first_block, end_block) lie inside */
    uint32_t end_block;
    uint16_t depth;
    uint8_t tag; /* enum ex_tag */
    uint32_t flags;
    float score;
    bool scored;
};

/* Block flags. */
#define EXB_REMOVED 0x0001u
#define EXB_CAPTION 0x0002u /* inside a caption box or recognised as a caption */
#define EXB_HEADING 0x0004u /* owner is h1..h6 */
#define EXB_LINE    0x0008u /* ended by <br> (one line of a multi-line block) */
#define EXB_USED    0x0010u /* consumed as title/date/byline/lead */

struct ex_block {
    uint32_t off, len;     /* bytes in doc->text */
    uint32_t chars;        /* code points */
    uint32_t link_chars;   /* code points inside <a> */
    uint32_t emph_chars;   /* code points inside b/strong/em/i */
    uint32_t italic_chars; /* code points inside em/i */
    uint32_t owner;        /* innermost block-level element */
    uint32_t flags;
    uint8_t heading; /* 1..6 or 0 */
};

/* A <meta> or JSON-LD value kept for the metadata steps. */
struct ex_meta {
    char *key; /* lowercased property/name/itemprop */
    char *value;
};

struct ex_doc {
    htmlDocPtr doc;
    struct ex_node *nodes;
    size_t n_nodes, cap_nodes;
    struct ex_block *blocks;
    size_t n_blocks, cap_blocks;
    struct kt_buf text;  /* block texts, NUL-separated */
    uint32_t *pre_chars; /* prefix sums over non-removed blocks (n_blocks + 1) */
    uint32_t *pre_links;
    struct ex_meta *meta;
    size_t n_meta, cap_meta;
    struct kt_buf jsonld; /* JSON-LD script texts, NUL-separated */
    void *ld_roots[8];    /* json_t * of the parsed scripts (extract_meta.c) */
    size_t n_ld;
    char *title_tag;         /* <title> text */
    char *canonical;         /* rel=canonical href */
    uint32_t n_frames;       /* <frame>/<frameset> elements */
    uint32_t body;           /* index of <body> or EX_NONE */
    uint32_t time_nodes[16]; /* <time datetime> elements in order */
    size_t n_time;
};

static inline const char *ex_btext(const struct ex_doc *d, const struct ex_block *b)
{
    return d->text.data + b->off;
}

/* extract_dom.c */
/* all_attributes: keep every attribute in d->doc (XPath overrides may name any); otherwise only
 * those the extraction steps read are stored. */
kt_status ex_doc_build(struct ex_doc *d, const char *utf8, size_t len, bool all_attributes,
                       struct kt_err *err);
void ex_doc_free(struct ex_doc *d);
const char *ex_meta_get(const struct ex_doc *d, const char *key);
void ex_recount(struct ex_doc *d); /* prefix sums after removals */
uint32_t ex_text_chars(const struct ex_doc *d, uint32_t node);
uint32_t ex_link_chars(const struct ex_doc *d, uint32_t node);
bool ex_is_ancestor(const struct ex_doc *d, uint32_t anc, uint32_t node);
void ex_remove_node(struct ex_doc *d, uint32_t node);
uint32_t ex_node_index(const xmlNode *n); /* from node->_private, EX_NONE if not indexed */

/* extract_prune.c */
void ex_prune(struct ex_doc *d);

/* extract_score.c */
uint32_t ex_pick_body(struct ex_doc *d);

/* extract_phrases.c */
enum ex_phrase {
    EXP_NONE = 0,
    EXP_BOILER,  /* a line that is boilerplate by itself (Chia sẻ, In bài, Lượt xem...) */
    EXP_SECTION, /* a heading that starts a non-article section (Tin cùng chuyên mục...) */
    EXP_RELATED, /* an inline related-news heading (Tin liên quan) */
};
enum ex_phrase ex_phrase_kind(const char *s, size_t len);
/* Case-folded, trimmed copy of s into out (reset first); returns out->data or NULL. */
const char *ex_fold(const char *s, size_t len, struct kt_buf *out);
bool ex_is_caption_label(const char *s, size_t len); /* "... - Ảnh 1" */
bool ex_is_all_caps_header(const char *s, size_t len);
bool ex_ends_sentence(const char *s, size_t len);
size_t ex_count_chars(const char *s, size_t len);
size_t ex_count_commas(const char *s, size_t len);
/* Copies s trimmed of ASCII spaces and U+00A0 on both ends. */
char *ex_strndup_trim(const char *s, size_t len);
bool ex_starts_with_ci(const char *s, size_t len, const char *prefix); /* prefix ASCII/UTF-8 */

/* extract_date.c */
struct ex_date {
    int y, mo, d, h, mi; /* h = -1 when no time */
};
/* ISO 8601 (2020-07-17T11:05:00+07:00, ...Z, date only); converts to Vietnam time. */
bool ex_parse_iso_date(const char *s, struct ex_date *out);
/* First Vietnamese visible date in s: dd/mm/yyyy with an optional hh:mm before or after it. */
bool ex_find_visible_date(const char *s, size_t len, struct ex_date *out, size_t *match_end);
/* "YYYY-MM-DDTHH:MM+07:00" or "YYYY-MM-DD". */
char *ex_date_format(const struct ex_date *d);
/* True when s is (mostly) a date/meta line: a date plus at most a few other words such as
 * "Ngày đăng", "Cập nhật", "Lượt xem", weekday names. */
bool ex_is_date_line(const char *s, size_t len);

/* extract_byline.c */
enum ex_byline_kind { EXBY_NONE = 0, EXBY_AUTHOR, EXBY_PHOTO, EXBY_ATTRIBUTION };
struct ex_byline {
    enum ex_byline_kind kind;
    char *author; /* malloc'd or NULL */
    char *photo;
    char *attribution;
};
/* Recognises "Theo X", "X - Ảnh: Y", "Ảnh: Y", and (when strong is true: the line is
 * right-aligned, bold, hinted or last) a bare name or office. */
bool ex_parse_byline(const char *s, size_t len, bool strong, struct ex_byline *out);
void ex_byline_free(struct ex_byline *b);
bool ex_looks_like_name(const char *s, size_t len);

/* extract_title.c */
/* Removes a trailing or leading date stamp "(10:25 26/03/2020)" from a title, in place. */
void ex_strip_title_date(char *s);
/* Chooses the title; sets *title_node to the element carrying it (EX_NONE if none). */
char *ex_pick_title(struct ex_doc *d, uint32_t *title_node);

/* extract_meta.c */
char *ex_jsonld_get(const struct ex_doc *d, const char *field); /* in an Article object */
char *ex_jsonld_author(const struct ex_doc *d, bool *is_org);
bool ex_jsonld_is_article(const struct ex_doc *d);
void ex_jsonld_parse(struct ex_doc *d);
void ex_jsonld_free(struct ex_doc *d);

#endif
