/* extract_dom.c - parses decoded HTML with libxml2 and flattens the DOM, iteratively and with a
 * depth cap, into elements (pre-order, with subtree ranges and class/id hints), text blocks
 * (whitespace-collapsed inline text of block-level elements) and page metadata. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <ctype.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    uint8_t tag;
    bool block;
} tag_table[] = {
    {"a", EXT_A, false},
    {"b", EXT_EMPH, false},
    {"strong", EXT_EMPH, false},
    {"em", EXT_EMPH, false},
    {"i", EXT_EMPH, false},
    {"br", EXT_BR, false},
    {"img", EXT_IMG, false},
    {"p", EXT_P, true},
    {"div", EXT_DIV, true},
    {"section", EXT_SECTION, true},
    {"article", EXT_ARTICLE, true},
    {"main", EXT_MAIN, true},
    {"header", EXT_HEADER, true},
    {"footer", EXT_FOOTER, true},
    {"nav", EXT_NAV, true},
    {"aside", EXT_ASIDE, true},
    {"h1", EXT_H1, true},
    {"h2", EXT_H2, true},
    {"h3", EXT_H3, true},
    {"h4", EXT_H4, true},
    {"h5", EXT_H5, true},
    {"h6", EXT_H6, true},
    {"ul", EXT_UL, true},
    {"ol", EXT_OL, true},
    {"li", EXT_LI, true},
    {"dl", EXT_DL, true},
    {"dt", EXT_DT, true},
    {"dd", EXT_DD, true},
    {"table", EXT_TABLE, true},
    {"tbody", EXT_TBODY, true},
    {"thead", EXT_TBODY, true},
    {"tfoot", EXT_TBODY, true},
    {"tr", EXT_TR, true},
    {"td", EXT_TD, true},
    {"th", EXT_TH, true},
    {"blockquote", EXT_BLOCKQUOTE, true},
    {"pre", EXT_PRE, true},
    {"figure", EXT_FIGURE, true},
    {"figcaption", EXT_FIGCAPTION, true},
    {"form", EXT_FORM, true},
    {"center", EXT_CENTER, true},
    {"caption", EXT_CAPTION, true},
    {"address", EXT_ADDRESS, true},
    {"body", EXT_BODY, true},
    {"time", EXT_TIME, false},
    {"span", EXT_SPAN, false},
    {"font", EXT_INLINE, false},
    {"small", EXT_INLINE, false},
    {"u", EXT_EMPH, false},
    {"sup", EXT_INLINE, false},
    {"sub", EXT_INLINE, false},
    {"label", EXT_INLINE, false},
    {"cite", EXT_INLINE, false},
    {"q", EXT_INLINE, false},
    {"abbr", EXT_INLINE, false},
    {"mark", EXT_INLINE, false},
    {"big", EXT_INLINE, false},
    {"hr", EXT_BLOCK_OTHER, true},
    {"fieldset", EXT_BLOCK_OTHER, true},
    {"legend", EXT_BLOCK_OTHER, true},
    {"details", EXT_BLOCK_OTHER, true},
    {"summary", EXT_BLOCK_OTHER, true},
    {"marquee", EXT_BLOCK_OTHER, true},
    {"html", EXT_BLOCK_OTHER, true},
    {"script", EXT_SKIP, false},
    {"style", EXT_SKIP, false},
    {"noscript", EXT_SKIP, false},
    {"template", EXT_SKIP, false},
    {"iframe", EXT_SKIP, false},
    {"svg", EXT_SKIP, false},
    {"canvas", EXT_SKIP, false},
    {"object", EXT_SKIP, false},
    {"embed", EXT_SKIP, false},
    {"select", EXT_SKIP, false},
    {"textarea", EXT_SKIP, false},
    {"input", EXT_SKIP, false},
    {"button", EXT_SKIP, false},
    {"head", EXT_SKIP, false},
    {"map", EXT_SKIP, false},
    {"audio", EXT_SKIP, false},
    {"video", EXT_SKIP, false},
    {"option", EXT_SKIP, false},
    {"math", EXT_SKIP, false},
};

static void classify(const char *name, uint8_t *tag, bool *block)
{
    for (size_t i = 0; i < sizeof tag_table / sizeof tag_table[0]; i++) {
        if (tag_table[i].name[0] == name[0] && strcmp(tag_table[i].name, name) == 0) {
            *tag = tag_table[i].tag;
            *block = tag_table[i].block;
            return;
        }
    }
    *tag = EXT_OTHER;
    *block = false;
}

/* Per-document memo of classify() keyed by the element name's address: libxml2 interns
 * element names in the document's dictionary, so one page has a few dozen distinct pointers. */
#define NAME_CACHE_SLOTS 256u
#define NAME_FRAME       0x01u /* frame or frameset */
#define NAME_META        0x02u
#define NAME_ITALIC      0x04u /* name starts with 'i' or 'e' (i, em) */
struct name_cache {
    const xmlChar *name[NAME_CACHE_SLOTS];
    uint8_t tag[NAME_CACHE_SLOTS];
    uint8_t block[NAME_CACHE_SLOTS];
    uint8_t bits[NAME_CACHE_SLOTS];
};

static void classify_cached(struct name_cache *nc, const xmlChar *name, uint8_t *tag, bool *block,
                            uint8_t *bits)
{
    uintptr_t h = ((uintptr_t)name >> 3) * 0x9E3779B97F4A7C15ULL;
    size_t slot = (size_t)(h >> 56) & (NAME_CACHE_SLOTS - 1);
    for (size_t probe = 0; probe < 8; probe++) {
        size_t i = (slot + probe) & (NAME_CACHE_SLOTS - 1);
        if (nc->name[i] == name) {
            *tag = nc->tag[i];
            *block = nc->block[i] != 0;
            *bits = nc->bits[i];
            return;
        }
        if (!nc->name[i]) {
            const char *nm = (const char *)name;
            classify(nm, tag, block);
            uint8_t b = 0;
            if (strcmp(nm, "frame") == 0 || strcmp(nm, "frameset") == 0)
                b |= NAME_FRAME;
            if (strcmp(nm, "meta") == 0)
                b |= NAME_META;
            if (nm[0] == 'i' || nm[0] == 'e')
                b |= NAME_ITALIC;
            nc->name[i] = name;
            nc->tag[i] = *tag;
            nc->block[i] = *block;
            nc->bits[i] = b;
            *bits = b;
            return;
        }
    }
    /* Crowded neighbourhood: answer without memoising. */
    const char *nm = (const char *)name;
    classify(nm, tag, block);
    *bits = (uint8_t)(((strcmp(nm, "frame") == 0 || strcmp(nm, "frameset") == 0) ? NAME_FRAME : 0) |
                      (strcmp(nm, "meta") == 0 ? NAME_META : 0) |
                      ((nm[0] == 'i' || nm[0] == 'e') ? NAME_ITALIC : 0));
}

uint32_t ex_node_index(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->_private)
        return EX_NONE;
    return (uint32_t)((uintptr_t)n->_private - 1);
}

static char *attr(xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool token_in(const char *s, const char *const *list)
{
    char tok[64];
    size_t k = 0;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c && (isalnum(c) || c >= 0x80) && k < sizeof tok - 1) {
            tok[k++] = (char)tolower(c);
            continue;
        }
        if (k) {
            tok[k] = '\0';
            for (size_t i = 0; list[i]; i++)
                if (list[i][0] == tok[0] && strcmp(tok, list[i]) == 0)
                    return true;
            k = 0;
        }
        if (!c)
            break;
    }
    return false;
}

/* Which byte values occur in a string: a pattern whose first two bytes do not both occur
 * cannot be a substring, which spares most strstr calls. */
struct byte_set {
    uint64_t bits[4];
};

static void byte_set_of(const char *s, struct byte_set *bs)
{
    memset(bs, 0, sizeof *bs);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        bs->bits[*p >> 6] |= 1ULL << (*p & 63);
}

static bool byte_set_has(const struct byte_set *bs, unsigned char c)
{
    return (bs->bits[c >> 6] >> (c & 63)) & 1;
}

static bool substr_in(const char *lower, const struct byte_set *bs, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        const unsigned char *pat = (const unsigned char *)list[i];
        if (!byte_set_has(bs, pat[0]) || (pat[1] && !byte_set_has(bs, pat[1])))
            continue;
        if (strstr(lower, list[i]))
            return true;
    }
    return false;
}

/* Generic hints: English CMS conventions plus unaccented Vietnamese ones (lienquan = related,
 * binhluan = comments, quangcao = ads, docnhieu = most read, cungchuyenmuc = same section). */
static const char *const neg_tokens[] = {
    "comment",     "comments",   "related", "sidebar",   "footer",     "nav",      "navbar",
    "share",       "sharing",    "social",  "adv",       "ads",        "ad",       "advert",
    "banner",      "tag",        "tags",    "taglist",   "keyword",    "keywords", "breadcrumb",
    "breadcrumbs", "widget",     "popup",   "modal",     "rating",     "toolbar",  "tool",
    "tools",       "other",      "same",    "topbar",    "masthead",   "login",    "search",
    "searchbox",   "pagination", "pager",   "calendar",  "weather",    "ticker",   "rss",
    "copyright",   "logo",       "hotline", "mostread",  "most",       "hot",      "trending",
    "zalo",        "facebook",   "fb",      "subscribe", "newsletter", "promo",    "sponsor",
    "sponsored",   NULL};
static const char *const neg_substr[] = {
    "comment",  "related",       "relate",     "lienquan",   "binhluan", "quangcao",
    "docnhieu", "cungchuyenmuc", "sidebar",    "breadcrumb", "social",   "share",
    "footer",   "othernews",     "other_news", "advert",     NULL};
static const char *const pos_substr[] = {"article", "content", "detail", "body",    "post",
                                         "entry",   "story",   "fck",    "noidung", NULL};
static const char *const author_substr[] = {"author",  "byline", "tacgia",
                                            "tac-gia", "writer", NULL};
static const char *const lead_substr[] = {"sapo",    "lead",   "summary", "description", "intro",
                                          "excerpt", "teaser", "chapeau", "tomtat",      NULL};
static const char *const date_substr[] = {"date", "time", "publish", "ngay", NULL};
static const char *const title_substr[] = {"title", "headline", "tieude", NULL};
static const char *const caption_substr[] = {"caption", "chuthich", "image", "photo",
                                             "figure",  "picture",  NULL};
static const char *const hidden_tokens[] = {"hidden", "hide", "d-none", "none", "invisible", NULL};

static bool style_has(const char *style, const char *prop, const char *val)
{
    /* Case-insensitive "prop : val" search, spaces ignored. */
    char buf[512];
    size_t k = 0;
    for (const char *p = style; *p && k < sizeof buf - 1; p++)
        if (!isspace((unsigned char)*p))
            buf[k++] = (char)tolower((unsigned char)*p);
    buf[k] = '\0';
    char pat[64];
    snprintf(pat, sizeof pat, "%s:%s", prop, val);
    return strstr(buf, pat) != NULL;
}

/* Hints from class, id, style, align, itemprop, rel. Returns false when the element is hidden. */
/* The value of a plain attribute without copying (HTML attributes are one text node). */
static const char *attr_view(const xmlAttr *a)
{
    if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next &&
        a->children->content)
        return (const char *)a->children->content;
    return "";
}

/* Flags from the class and id values (negative/positive/author/lead/date/title/caption hints)
 * and whether the class marks the element hidden. */
static bool class_id_hints(const char *cls, const char *id, uint32_t *flags)
{
    bool visible = true;
    char lower[512];
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass ? id : cls;
        if (!s)
            continue;
        for (const char *p = s; *p && k < sizeof lower - 2; p++)
            lower[k++] = (char)tolower((unsigned char)*p);
        if (k < sizeof lower - 1)
            lower[k++] = ' ';
    }
    lower[k] = '\0';
    if (k) {
        struct byte_set bs;
        byte_set_of(lower, &bs);
        if (token_in(lower, neg_tokens) || substr_in(lower, &bs, neg_substr))
            *flags |= EXN_NEGATIVE;
        if (substr_in(lower, &bs, pos_substr))
            *flags |= EXN_POSITIVE;
        if (substr_in(lower, &bs, author_substr))
            *flags |= EXN_AUTHORHINT;
        if (substr_in(lower, &bs, lead_substr))
            *flags |= EXN_LEADHINT;
        if (substr_in(lower, &bs, date_substr))
            *flags |= EXN_DATEHINT;
        if (substr_in(lower, &bs, title_substr))
            *flags |= EXN_TITLEHINT;
        if (substr_in(lower, &bs, caption_substr))
            *flags |= EXN_CAPTIONBOX;
        if (cls && token_in(cls, hidden_tokens))
            visible = false;
    }
    return visible;
}

/* Per-document memo of class_id_hints() keyed by the exact (class, id) pair: templates repeat
 * the same class values on many elements. Keys live NUL-separated in keys. */
#define HINT_CACHE_SLOTS 512u
struct hint_cache {
    uint64_t hash[HINT_CACHE_SLOTS];
    uint32_t key_off[HINT_CACHE_SLOTS]; /* offset + 1 in keys, 0 = empty slot */
    uint32_t key_len[HINT_CACHE_SLOTS];
    uint32_t flags[HINT_CACHE_SLOTS];
    uint8_t visible[HINT_CACHE_SLOTS];
    struct kt_buf keys;
};

struct walker {
    struct ex_doc *d;
    struct kt_buf cur;
    uint32_t cur_links, cur_emph, cur_italic;
    bool pending_space;
    int link_depth, emph_depth, italic_depth;
    kt_status st;
    struct hint_cache *hints;
};

static uint64_t hint_hash(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static bool class_id_hints_cached(struct hint_cache *hc, const char *cls, const char *id,
                                  uint32_t *flags)
{
    size_t cl = cls ? strlen(cls) : 0, il = id ? strlen(id) : 0;
    /* key: presence marks and the two values, so (NULL, "x") and ("", "x") differ */
    char mark[2] = {cls ? '1' : '0', id ? '1' : '0'};
    uint64_t h = hint_hash(0xcbf29ce484222325ULL, mark, 2);
    h = hint_hash(h, cls ? cls : "", cl);
    h = hint_hash(h, "\x01", 1);
    h = hint_hash(h, id ? id : "", il);
    size_t key_len = 2 + cl + 1 + il;
    size_t slot = (size_t)(h >> 40) & (HINT_CACHE_SLOTS - 1);
    size_t free_slot = SIZE_MAX;
    for (size_t probe = 0; probe < 8; probe++) {
        size_t i = (slot + probe) & (HINT_CACHE_SLOTS - 1);
        if (!hc->key_off[i]) {
            free_slot = i;
            break;
        }
        if (hc->hash[i] != h || hc->key_len[i] != key_len)
            continue;
        const char *k = hc->keys.data + hc->key_off[i] - 1;
        if (k[0] == mark[0] && k[1] == mark[1] && memcmp(k + 2, cls ? cls : "", cl) == 0 &&
            k[2 + cl] == '\x01' && memcmp(k + 3 + cl, id ? id : "", il) == 0) {
            *flags |= hc->flags[i];
            return hc->visible[i] != 0;
        }
    }
    uint32_t f = 0;
    bool visible = class_id_hints(cls, id, &f);
    *flags |= f;
    if (free_slot != SIZE_MAX && hc->keys.len < UINT32_MAX / 2 - key_len - 2) {
        size_t off = hc->keys.len;
        if (kt_buf_append(&hc->keys, mark, 2) == KT_OK &&
            kt_buf_append(&hc->keys, cls ? cls : "", cl) == KT_OK &&
            kt_buf_append_byte(&hc->keys, '\x01') == KT_OK &&
            kt_buf_append(&hc->keys, id ? id : "", il) == KT_OK) {
            hc->hash[free_slot] = h;
            hc->key_off[free_slot] = (uint32_t)off + 1;
            hc->key_len[free_slot] = (uint32_t)key_len;
            hc->flags[free_slot] = f;
            hc->visible[free_slot] = visible;
        } else {
            hc->keys.len = off; /* out of memory: answer without memoising */
        }
    }
    return visible;
}

static bool element_hints(struct walker *w, xmlNode *n, uint32_t *flags)
{
    const char *cls = NULL, *id = NULL, *style = NULL, *align = NULL, *itemprop = NULL, *rel = NULL,
               *hidden = NULL;
    if (!n->properties)
        return true;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *nm = (const char *)a->name;
        if (!nm)
            continue;
        switch (nm[0]) {
        case 'c':
            if (strcmp(nm, "class") == 0)
                cls = attr_view(a);
            break;
        case 'i':
            if (nm[1] == 'd' && nm[2] == '\0')
                id = attr_view(a);
            else if (strcmp(nm, "itemprop") == 0)
                itemprop = attr_view(a);
            break;
        case 's':
            if (strcmp(nm, "style") == 0)
                style = attr_view(a);
            break;
        case 'a':
            if (strcmp(nm, "align") == 0)
                align = attr_view(a);
            break;
        case 'r':
            if (strcmp(nm, "rel") == 0)
                rel = attr_view(a);
            break;
        case 'h':
            if (strcmp(nm, "hidden") == 0)
                hidden = attr_view(a);
            break;
        default:
            break;
        }
    }
    bool visible = true;
    if (cls || id)
        visible = class_id_hints_cached(w->hints, cls, id, flags);
    if (style) {
        if (style_has(style, "display", "none") || style_has(style, "visibility", "hidden"))
            visible = false;
        if (style_has(style, "text-align", "right"))
            *flags |= EXN_RIGHT;
        if (style_has(style, "text-align", "center"))
            *flags |= EXN_CENTER;
    }
    if (align) {
        if (strcasecmp(align, "right") == 0)
            *flags |= EXN_RIGHT;
        else if (strcasecmp(align, "center") == 0)
            *flags |= EXN_CENTER;
    }
    if (itemprop && strstr(itemprop, "author"))
        *flags |= EXN_AUTHORHINT;
    if (itemprop && strstr(itemprop, "articleBody"))
        *flags |= EXN_POSITIVE;
    if (rel && strstr(rel, "author"))
        *flags |= EXN_AUTHORHINT;
    if (hidden)
        visible = false;
    return visible;
}

/* ---------------------------- block accumulation ---------------------------- */

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static void flush(struct walker *w, uint32_t owner, bool line)
{
    struct ex_doc *d = w->d;
    w->pending_space = false;
    if (w->cur.len == 0)
        goto reset;
    /* Trim spaces and U+00A0 at both ends. */
    const char *s = w->cur.data;
    size_t n = w->cur.len, a = 0;
    for (;;) {
        if (a < n && s[a] == ' ')
            a++;
        else if (a + 1 < n && (unsigned char)s[a] == 0xC2 && (unsigned char)s[a + 1] == 0xA0)
            a += 2;
        else
            break;
    }
    for (;;) {
        if (n > a && s[n - 1] == ' ')
            n--;
        else if (n >= a + 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    if (n == a)
        goto reset;
    if (d->n_blocks == d->cap_blocks) {
        size_t nc = d->cap_blocks ? d->cap_blocks * 2 : 256;
        struct ex_block *nb = realloc(d->blocks, nc * sizeof *nb);
        if (!nb) {
            w->st = KT_ENOMEM;
            goto reset;
        }
        d->blocks = nb;
        d->cap_blocks = nc;
    }
    if (d->text.len > UINT32_MAX - n - 2) {
        w->st = KT_ETOOBIG;
        goto reset;
    }
    struct ex_block *b = &d->blocks[d->n_blocks];
    memset(b, 0, sizeof *b);
    b->off = (uint32_t)d->text.len;
    b->len = (uint32_t)(n - a);
    if (kt_buf_append(&d->text, s + a, n - a) != KT_OK ||
        kt_buf_append_byte(&d->text, '\0') != KT_OK) {
        w->st = KT_ENOMEM;
        goto reset;
    }
    b->chars = (uint32_t)utf8_chars(s + a, n - a);
    b->link_chars = w->cur_links > b->chars ? b->chars : w->cur_links;
    b->emph_chars = w->cur_emph > b->chars ? b->chars : w->cur_emph;
    b->italic_chars = w->cur_italic > b->chars ? b->chars : w->cur_italic;
    b->owner = owner;
    if (line)
        b->flags |= EXB_LINE;
    if (owner != EX_NONE) {
        uint8_t t = d->nodes[owner].tag;
        if (t >= EXT_H1 && t <= EXT_H6)
            b->heading = (uint8_t)(t - EXT_H1 + 1);
        else {
            /* A heading ancestor further up (h2 > strong > ... is the same block). */
            for (uint32_t p = owner; p != EX_NONE; p = d->nodes[p].parent) {
                uint8_t pt = d->nodes[p].tag;
                if (pt >= EXT_H1 && pt <= EXT_H6) {
                    b->heading = (uint8_t)(pt - EXT_H1 + 1);
                    break;
                }
                if (d->nodes[p].flags & EXN_BLOCK)
                    break;
            }
        }
        if (b->heading)
            b->flags |= EXB_HEADING;
    }
    d->n_blocks++;
reset:
    kt_buf_reset(&w->cur);
    w->cur_links = w->cur_emph = w->cur_italic = 0;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void add_text(struct walker *w, const char *s)
{
    size_t chars = 0;
    const unsigned char *p = (const unsigned char *)s;
    /* The collapsed text never outgrows the input plus one leading space: reserve once. */
    size_t in_len = strlen(s);
    if (kt_buf_reserve(&w->cur, in_len + 1) != KT_OK) {
        w->st = KT_ENOMEM;
        return;
    }
    char *out = w->cur.data;
    size_t len = w->cur.len;
    while (*p) {
        if (is_ws(*p)) {
            if (len)
                w->pending_space = true;
            p++;
            continue;
        }
        const unsigned char *run = p;
        while (*p && !is_ws(*p)) {
            if ((*p & 0xC0) != 0x80)
                chars++;
            p++;
        }
        if (w->pending_space) {
            out[len++] = ' ';
            w->pending_space = false;
            chars++;
        }
        memcpy(out + len, run, (size_t)(p - run));
        len += (size_t)(p - run);
    }
    w->cur.len = len;
    out[len] = '\0';
    if (w->link_depth > 0)
        w->cur_links += (uint32_t)chars;
    if (w->emph_depth > 0)
        w->cur_emph += (uint32_t)chars;
    if (w->italic_depth > 0)
        w->cur_italic += (uint32_t)chars;
}

static kt_status add_meta(struct ex_doc *d, const char *key, const char *value)
{
    if (!key || !value)
        return KT_OK;
    if (d->n_meta == d->cap_meta) {
        size_t nc = d->cap_meta ? d->cap_meta * 2 : 32;
        struct ex_meta *nm = realloc(d->meta, nc * sizeof *nm);
        if (!nm)
            return KT_ENOMEM;
        d->meta = nm;
        d->cap_meta = nc;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return KT_ENOMEM;
    }
    for (char *p = k; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    d->meta[d->n_meta].key = k;
    d->meta[d->n_meta].value = v;
    d->n_meta++;
    return KT_OK;
}

const char *ex_meta_get(const struct ex_doc *d, const char *key)
{
    for (size_t i = 0; i < d->n_meta; i++)
        if (strcmp(d->meta[i].key, key) == 0 && d->meta[i].value[0])
            return d->meta[i].value;
    return NULL;
}

/* Collects what the metadata steps need from an element that is not descended into. */
static kt_status collect_skipped(struct ex_doc *d, xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (strcmp(name, "script") == 0) {
        char *type = attr(n, "type");
        bool ld = type && strstr(type, "ld+json");
        xmlFree(type);
        if (!ld)
            return KT_OK;
        xmlChar *c = xmlNodeGetContent(n);
        kt_status st = KT_OK;
        if (c && d->jsonld.len < 4u * 1024 * 1024) {
            if (kt_buf_append_cstr(&d->jsonld, (const char *)c) != KT_OK ||
                kt_buf_append_byte(&d->jsonld, '\0') != KT_OK)
                st = KT_ENOMEM;
        }
        xmlFree(c);
        return st;
    }
    if (strcmp(name, "head") == 0) {
        /* Walk head's direct and nested children for meta, link, title, script. */
        for (xmlNode *c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            const char *cn = (const char *)c->name;
            kt_status st = KT_OK;
            if (strcmp(cn, "meta") == 0) {
                char *k = attr(c, "property");
                if (!k)
                    k = attr(c, "name");
                if (!k)
                    k = attr(c, "itemprop");
                char *v = attr(c, "content");
                st = add_meta(d, k, v);
                xmlFree(k);
                xmlFree(v);
            } else if (strcmp(cn, "link") == 0) {
                char *rel = attr(c, "rel"), *href = attr(c, "href");
                if (rel && href && strcasecmp(rel, "canonical") == 0 && !d->canonical) {
                    d->canonical = strdup(href);
                    if (!d->canonical)
                        st = KT_ENOMEM;
                }
                xmlFree(rel);
                xmlFree(href);
            } else if (strcmp(cn, "title") == 0 && !d->title_tag) {
                xmlChar *t = xmlNodeGetContent(c);
                if (t) {
                    d->title_tag = strdup((const char *)t);
                    if (!d->title_tag)
                        st = KT_ENOMEM;
                }
                xmlFree(t);
            } else if (strcmp(cn, "script") == 0) {
                st = collect_skipped(d, c);
            }
            if (st != KT_OK)
                return st;
        }
    }
    return KT_OK;
}

static kt_status push_node(struct ex_doc *d, xmlNode *n, uint32_t parent, uint16_t depth,
                           uint8_t tag, bool block, uint32_t flags, uint32_t *idx)
{
    if (d->n_nodes == d->cap_nodes) {
        size_t nc = d->cap_nodes ? d->cap_nodes * 2 : 512;
        struct ex_node *nn = realloc(d->nodes, nc * sizeof *nn);
        if (!nn)
            return KT_ENOMEM;
        d->nodes = nn;
        d->cap_nodes = nc;
    }
    if (d->n_nodes >= EX_NONE - 1)
        return KT_ETOOBIG;
    struct ex_node *e = &d->nodes[d->n_nodes];
    memset(e, 0, sizeof *e);
    e->node = n;
    e->parent = parent;
    e->bparent = EX_NONE;
    if (parent != EX_NONE)
        e->bparent = (d->nodes[parent].flags & EXN_BLOCK) ? parent : d->nodes[parent].bparent;
    e->depth = depth;
    e->tag = tag;
    e->flags = flags | (block ? EXN_BLOCK : 0);
    e->first_block = (uint32_t)d->n_blocks;
    e->end_block = (uint32_t)d->n_blocks;
    *idx = (uint32_t)d->n_nodes;
    n->_private = (void *)(uintptr_t)(d->n_nodes + 1);
    d->n_nodes++;
    return KT_OK;
}

static void on_exit(struct walker *w, uint32_t idx)
{
    struct ex_doc *d = w->d;
    struct ex_node *e = &d->nodes[idx];
    uint8_t t = e->tag;
    if (e->flags & EXN_BLOCK)
        flush(w, idx, false);
    if (t == EXT_A && w->link_depth > 0)
        w->link_depth--;
    if (t == EXT_EMPH && w->emph_depth > 0) {
        w->emph_depth--;
        const char *nm = (const char *)e->node->name;
        if ((nm[0] == 'i' || nm[0] == 'e') && w->italic_depth > 0)
            w->italic_depth--;
    }
    e = &d->nodes[idx];
    e->end = (uint32_t)d->n_nodes;
    e->end_block = (uint32_t)d->n_blocks;
}

/* Pre-order walk with enter/exit events by pointer chasing (no recursion). */
static kt_status walk(struct ex_doc *d, xmlNode *root)
{
    struct walker w = {.d = d};
    struct name_cache *names = calloc(1, sizeof *names);
    struct hint_cache *hints = calloc(1, sizeof *hints);
    if (!names || !hints) {
        free(names);
        free(hints);
        return KT_ENOMEM;
    }
    w.hints = hints;
    xmlNode *n = root;
    uint32_t cur = EX_NONE; /* index of the element whose children we are in */
    uint16_t depth = 0;
    while (n && w.st == KT_OK) {
        bool descend = false;
        if (n->type == XML_ELEMENT_NODE && n->name) {
            uint8_t tag, bits;
            bool block;
            classify_cached(names, n->name, &tag, &block, &bits);
            if (bits & NAME_FRAME)
                d->n_frames++;
            if (tag == EXT_SKIP) {
                w.st = collect_skipped(d, n);
            } else {
                uint32_t flags = 0;
                bool visible = element_hints(&w, n, &flags);
                if (tag == EXT_BR) {
                    uint32_t owner = cur == EX_NONE                      ? EX_NONE
                                     : (d->nodes[cur].flags & EXN_BLOCK) ? cur
                                                                         : d->nodes[cur].bparent;
                    flush(&w, owner, true);
                } else if (tag == EXT_IMG) {
                    if (cur != EX_NONE)
                        d->nodes[cur].flags |= EXN_HAS_IMG;
                    for (uint32_t p = cur; p != EX_NONE; p = d->nodes[p].parent) {
                        if (d->nodes[p].flags & EXN_HAS_IMG && p != cur)
                            break;
                        d->nodes[p].flags |= EXN_HAS_IMG;
                    }
                } else if (visible && depth < EX_MAX_DEPTH) {
                    if (block) {
                        uint32_t owner = cur == EX_NONE ? EX_NONE
                                         : (d->nodes[cur].flags & EXN_BLOCK)
                                             ? cur
                                             : d->nodes[cur].bparent;
                        flush(&w, owner, false);
                    }
                    uint32_t idx;
                    w.st = push_node(d, n, cur, depth, tag, block, flags, &idx);
                    if (w.st != KT_OK)
                        break;
                    if (tag == EXT_BODY && d->body == EX_NONE)
                        d->body = idx;
                    if (tag == EXT_A)
                        w.link_depth++;
                    if (tag == EXT_EMPH) {
                        w.emph_depth++;
                        if (bits & NAME_ITALIC)
                            w.italic_depth++;
                    }
                    if (tag == EXT_TIME &&
                        d->n_time < sizeof d->time_nodes / sizeof d->time_nodes[0])
                        d->time_nodes[d->n_time++] = idx;
                    if (bits & NAME_META) {
                        char *k = attr(n, "itemprop");
                        if (!k)
                            k = attr(n, "property");
                        if (!k)
                            k = attr(n, "name");
                        char *v = attr(n, "content");
                        if (!v)
                            v = attr(n, "datetime");
                        if (add_meta(d, k, v) != KT_OK)
                            w.st = KT_ENOMEM;
                        xmlFree(k);
                        xmlFree(v);
                    }
                    if (n->children) {
                        cur = idx;
                        depth++;
                        descend = true;
                    } else {
                        on_exit(&w, idx);
                    }
                }
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            add_text(&w, (const char *)n->content);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* Next sibling, or climb up, closing the elements we leave. */
        for (;;) {
            if (n == root) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n) {
                break;
            }
            if (cur != EX_NONE && d->nodes[cur].node == n) {
                on_exit(&w, cur);
                cur = d->nodes[cur].parent;
                if (depth)
                    depth--;
            }
        }
    }
    if (w.st == KT_OK) {
        flush(&w, cur, false);
        while (cur != EX_NONE) {
            on_exit(&w, cur);
            cur = d->nodes[cur].parent;
        }
    }
    kt_buf_free(&w.cur);
    kt_buf_free(&hints->keys);
    free(hints);
    free(names);
    return w.st;
}

/* ------------------------- parsing with fewer attributes ------------------------- */

/* The only attributes any extraction step reads: class, id, style, align, itemprop, rel and
 * hidden anywhere (element_hints, repeated_item in extract_html.c), property/name/content/
 * datetime on <meta>, href on <link>, type on <script>, datetime on <time>. When no XPath
 * override needs the whole tree, the others (a href, img src, onclick, data-*...) are not
 * stored: building and freeing them is a large share of libxml2's work on news pages. The
 * element structure is unchanged. */
static bool attribute_kept(const char *element, const xmlChar *name)
{
    const char *nm = (const char *)name;
    switch (nm[0]) {
    case 'c':
        return strcmp(nm, "class") == 0 ||
               (strcmp(nm, "content") == 0 && strcmp(element, "meta") == 0);
    case 'i':
        return strcmp(nm, "id") == 0 || strcmp(nm, "itemprop") == 0;
    case 's':
        return strcmp(nm, "style") == 0;
    case 'a':
        return strcmp(nm, "align") == 0;
    case 'r':
        return strcmp(nm, "rel") == 0;
    case 'h':
        return strcmp(nm, "hidden") == 0 ||
               (strcmp(nm, "href") == 0 && strcmp(element, "link") == 0);
    case 'p':
        return strcmp(nm, "property") == 0 && strcmp(element, "meta") == 0;
    case 'n':
        return strcmp(nm, "name") == 0 && strcmp(element, "meta") == 0;
    case 't':
        return strcmp(nm, "type") == 0 && strcmp(element, "script") == 0;
    case 'd':
        return strcmp(nm, "datetime") == 0 &&
               (strcmp(element, "time") == 0 || strcmp(element, "meta") == 0);
    default:
        return false;
    }
}

#define KEPT_ATTS_MAX 64 /* attributes kept per element; more: the element keeps all */

static void start_element_kept_atts(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    const xmlChar *kept[2 * KEPT_ATTS_MAX + 2];
    size_t k = 0;
    if (atts) {
        for (size_t i = 0; atts[i]; i += 2) {
            if (!attribute_kept((const char *)name, atts[i]))
                continue;
            if (k == 2 * KEPT_ATTS_MAX) {
                xmlSAX2StartElement(ctx, name, atts);
                return;
            }
            kept[k++] = atts[i];
            kept[k++] = atts[i + 1];
        }
    }
    kept[k] = NULL;
    kept[k + 1] = NULL;
    xmlSAX2StartElement(ctx, name, k ? kept : NULL);
}

static htmlDocPtr parse_html(const char *utf8, size_t len, bool all_attributes)
{
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
    if (all_attributes)
        return htmlReadMemory(utf8, (int)len, NULL, "UTF-8", opts);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt || !ctxt->sax) {
        if (ctxt)
            htmlFreeParserCtxt(ctxt);
        return NULL;
    }
    ctxt->sax->startElement = start_element_kept_atts;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8, (int)len, NULL, "UTF-8", opts);
    htmlFreeParserCtxt(ctxt);
    return doc;
}

kt_status ex_doc_build(struct ex_doc *d, const char *utf8, size_t len, bool all_attributes,
                       struct kt_err *err)
{
    memset(d, 0, sizeof *d);
    d->body = EX_NONE;
    if (len > (size_t)INT32_MAX)
        return kt_err_set(err, KT_ETOOBIG, "page of %zu bytes is too large to parse", len);
    d->doc = parse_html(utf8, len, all_attributes);
    if (!d->doc)
        return kt_err_set(err, KT_EPARSE, "the HTML parser produced no document");
    xmlNode *root = xmlDocGetRootElement(d->doc);
    if (!root)
        return KT_OK;
    kt_status st = walk(d, root);
    if (st == KT_ENOMEM)
        return kt_err_set(err, st, "out of memory while reading the page");
    if (st != KT_OK)
        return kt_err_set(err, st, "page too large to index");
    d->pre_chars = calloc(d->n_blocks + 1, sizeof *d->pre_chars);
    d->pre_links = calloc(d->n_blocks + 1, sizeof *d->pre_links);
    if (!d->pre_chars || !d->pre_links)
        return kt_err_set(err, KT_ENOMEM, "out of memory while reading the page");
    ex_recount(d);
    ex_jsonld_parse(d);
    return KT_OK;
}

void ex_recount(struct ex_doc *d)
{
    uint32_t c = 0, l = 0;
    d->pre_chars[0] = d->pre_links[0] = 0;
    for (size_t i = 0; i < d->n_blocks; i++) {
        const struct ex_block *b = &d->blocks[i];
        if (!(b->flags & EXB_REMOVED)) {
            c += b->chars;
            l += b->link_chars;
        }
        d->pre_chars[i + 1] = c;
        d->pre_links[i + 1] = l;
    }
}

uint32_t ex_text_chars(const struct ex_doc *d, uint32_t node)
{
    const struct ex_node *e = &d->nodes[node];
    return d->pre_chars[e->end_block] - d->pre_chars[e->first_block];
}

uint32_t ex_link_chars(const struct ex_doc *d, uint32_t node)
{
    const struct ex_node *e = &d->nodes[node];
    return d->pre_links[e->end_block] - d->pre_links[e->first_block];
}

bool ex_is_ancestor(const struct ex_doc *d, uint32_t anc, uint32_t node)
{
    return anc != EX_NONE && node != EX_NONE && node >= anc && node < d->nodes[anc].end;
}

void ex_remove_node(struct ex_doc *d, uint32_t node)
{
    struct ex_node *e = &d->nodes[node];
    e->flags |= EXN_REMOVED;
    for (uint32_t b = e->first_block; b < e->end_block; b++)
        d->blocks[b].flags |= EXB_REMOVED;
}

void ex_doc_free(struct ex_doc *d)
{
    if (d->doc)
        xmlFreeDoc(d->doc);
    free(d->nodes);
    free(d->blocks);
    kt_buf_free(&d->text);
    free(d->pre_chars);
    free(d->pre_links);
    for (size_t i = 0; i < d->n_meta; i++) {
        free(d->meta[i].key);
        free(d->meta[i].value);
    }
    free(d->meta);
    ex_jsonld_free(d);
    kt_buf_free(&d->jsonld);
    free(d->title_tag);
    free(d->canonical);
    memset(d, 0, sizeof *d);
}
