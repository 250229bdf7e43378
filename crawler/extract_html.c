/* extract_html.c - kt_extract_html: decode, flatten, prune, pick the title and the body
 * container, then assemble the record: lead from the region between title and body, body
 * paragraphs without captions / bylines / date stamps / teasers, and the metadata fields. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include "common/kt_text.h"
#include "crawler/dedup.h"

#include <ctype.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

/* Set of block texts already kept (exact repeats are dropped). Open addressing on FNV-1a. */
struct seen_set {
    uint64_t *h;
    uint32_t *idx;
    size_t cap, n;
};

static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h | 1;
}

static kt_status seen_init(struct seen_set *s, size_t expect)
{
    size_t cap = 64;
    while (cap < expect * 2 + 16)
        cap *= 2;
    s->h = calloc(cap, sizeof *s->h);
    s->idx = calloc(cap, sizeof *s->idx);
    s->cap = cap;
    s->n = 0;
    return s->h && s->idx ? KT_OK : KT_ENOMEM;
}

static void seen_free(struct seen_set *s)
{
    free(s->h);
    free(s->idx);
    memset(s, 0, sizeof *s);
}

/* 1 if an equal text was inserted before, 0 after inserting it, -1 on allocation failure. */
static int seen_insert(struct seen_set *s, const struct ex_doc *d, uint32_t bi)
{
    const struct ex_block *b = &d->blocks[bi];
    uint64_t h = text_hash(ex_btext(d, b), b->len);
    if ((s->n + 1) * 2 > s->cap) {
        struct seen_set g;
        if (seen_init(&g, s->cap) != KT_OK) {
            seen_free(&g);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->h[i]) {
                size_t j = s->h[i] & (g.cap - 1);
                while (g.h[j])
                    j = (j + 1) & (g.cap - 1);
                g.h[j] = s->h[i];
                g.idx[j] = s->idx[i];
                g.n++;
            }
        seen_free(s);
        *s = g;
    }
    size_t j = h & (s->cap - 1);
    while (s->h[j]) {
        if (s->h[j] == h) {
            const struct ex_block *o = &d->blocks[s->idx[j]];
            if (o->len == b->len && memcmp(ex_btext(d, o), ex_btext(d, b), b->len) == 0)
                return 1;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->h[j] = h;
    s->idx[j] = bi;
    s->n++;
    return 0;
}

struct assembly {
    uint32_t *kept;
    size_t n_kept, cap_kept;
    uint32_t lead[8];
    size_t n_lead;
    char **captions;
    size_t n_captions, cap_captions;
    struct ex_byline by; /* merged result */
    struct ex_date vis_date;
    bool have_vis_date;
    bool vis_date_has_time;
};

static kt_status push_u32(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        uint32_t *na = realloc(*a, nc * sizeof *na);
        if (!na)
            return KT_ENOMEM;
        *a = na;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
    return KT_OK;
}

static kt_status add_caption(struct assembly *as, const char *s, size_t len)
{
    char *c = ex_strndup_trim(s, len);
    if (!c)
        return KT_ENOMEM;
    for (size_t i = 0; i < as->n_captions; i++)
        if (strcmp(as->captions[i], c) == 0) {
            free(c);
            return KT_OK;
        }
    if (c[0] == '\0' || as->n_captions >= 200) {
        free(c);
        return KT_OK;
    }
    if (as->n_captions == as->cap_captions) {
        size_t nc = as->cap_captions ? as->cap_captions * 2 : 8;
        char **na = realloc(as->captions, nc * sizeof *na);
        if (!na) {
            free(c);
            return KT_ENOMEM;
        }
        as->captions = na;
        as->cap_captions = nc;
    }
    as->captions[as->n_captions++] = c;
    return KT_OK;
}

static void merge_byline(struct assembly *as, struct ex_byline *b)
{
    if (b->author && !as->by.author) {
        as->by.author = b->author;
        b->author = NULL;
    }
    if (b->photo && !as->by.photo) {
        as->by.photo = b->photo;
        b->photo = NULL;
    }
    if (b->attribution && !as->by.attribution) {
        as->by.attribution = b->attribution;
        b->attribution = NULL;
    }
    ex_byline_free(b);
}

static void note_date(struct assembly *as, const char *s, size_t len)
{
    struct ex_date d;
    if (!ex_find_visible_date(s, len, &d, NULL))
        return;
    if (!as->have_vis_date || (!as->vis_date_has_time && d.h >= 0 && d.y == as->vis_date.y &&
                               d.mo == as->vis_date.mo && d.d == as->vis_date.d)) {
        as->vis_date = d;
        as->have_vis_date = true;
        as->vis_date_has_time = d.h >= 0;
    }
}

/* Previous element sibling of node i, EX_NONE if none. */
static uint32_t prev_sibling(const struct ex_doc *d, uint32_t i)
{
    uint32_t p = d->nodes[i].parent;
    if (p == EX_NONE)
        return EX_NONE;
    uint32_t last = EX_NONE;
    for (uint32_t j = p + 1; j < i && j < d->n_nodes; j = d->nodes[j].end)
        last = j;
    return last;
}

static bool caption_class(const struct ex_node *e)
{
    return (e->flags & EXN_CAPTIONBOX) != 0;
}

/* Is block bi a caption? Looks at its ancestors up to (not including) stop. */
static bool is_caption(const struct ex_doc *d, uint32_t bi, uint32_t stop)
{
    const struct ex_block *b = &d->blocks[bi];
    if (b->flags & EXB_CAPTION)
        return true;
    if (ex_is_caption_label(ex_btext(d, b), b->len))
        return true;
    if (b->heading)
        return false;
    for (uint32_t p = b->owner; p != EX_NONE && p != stop; p = d->nodes[p].parent) {
        const struct ex_node *e = &d->nodes[p];
        if (e->tag == EXT_FIGURE || e->tag == EXT_FIGCAPTION || e->tag == EXT_CAPTION)
            return true;
        if (e->tag == EXT_TABLE && (e->flags & EXN_HAS_IMG) && ex_text_chars(d, p) < 600)
            return true;
        if ((e->tag == EXT_DIV || e->tag == EXT_P || e->tag == EXT_TABLE || e->tag == EXT_SPAN ||
             e->tag == EXT_TD) &&
            caption_class(e) && b->chars < 400)
            return true;
    }
    /* Centred or italic short paragraph right under an image. */
    uint32_t o = b->owner;
    if (o == EX_NONE || b->chars > 350)
        return false;
    const struct ex_node *oe = &d->nodes[o];
    bool centred = (oe->flags & EXN_CENTER) != 0;
    bool italic = b->italic_chars * 10 >= b->chars * 8;
    if (!centred && !italic)
        return false;
    if (oe->flags & EXN_HAS_IMG)
        return true;
    uint32_t ps = prev_sibling(d, o);
    if (ps != EX_NONE && (d->nodes[ps].flags & EXN_HAS_IMG) && ex_text_chars(d, ps) < 20)
        return true;
    return false;
}

static bool truncated_prefix_of(const char *a, size_t al, const char *b, size_t bl)
{
    /* a ends with "..." or "…" and its stem starts b */
    size_t n = al;
    if (n >= 3 && memcmp(a + n - 3, "...", 3) == 0)
        n -= 3;
    else if (n >= 3 && memcmp(a + n - 3, "\xE2\x80\xA6", 3) == 0)
        n -= 3;
    else
        return false;
    while (n && a[n - 1] == ' ')
        n--;
    return n >= 20 && bl > n && memcmp(a, b, n) == 0;
}

static bool strong_byline_layout(const struct ex_doc *d, const struct ex_block *b)
{
    if (b->owner == EX_NONE)
        return false;
    const struct ex_node *o = &d->nodes[b->owner];
    if (o->flags & (EXN_RIGHT | EXN_AUTHORHINT))
        return true;
    for (uint32_t p = o->parent; p != EX_NONE && d->nodes[p].depth + 3 > o->depth;
         p = d->nodes[p].parent)
        if (d->nodes[p].flags & (EXN_RIGHT | EXN_AUTHORHINT))
            return true;
    return b->emph_chars * 10 >= b->chars * 8;
}

/* True when node has a sibling with the same tag and class that also holds text: the body is
 * then one item of a list of teasers. */
static bool repeated_item(const struct ex_doc *d, uint32_t node)
{
    uint32_t parent = d->nodes[node].parent;
    if (parent == EX_NONE)
        return false;
    xmlNode *n = d->nodes[node].node;
    xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
    if (!cls)
        return false;
    int same = 0;
    for (uint32_t j = parent + 1; j < d->nodes[parent].end && same < 2; j = d->nodes[j].end) {
        if (j == node || d->nodes[j].tag != d->nodes[node].tag)
            continue;
        xmlChar *c2 = xmlGetProp(d->nodes[j].node, (const xmlChar *)"class");
        if (c2 && xmlStrEqual(c2, cls) && ex_text_chars(d, j) >= 50)
            same++;
        xmlFree(c2);
    }
    xmlFree(cls);
    return same >= 1;
}

static uint32_t lca(const struct ex_doc *d, uint32_t a, uint32_t b)
{
    if (a == EX_NONE || b == EX_NONE)
        return EX_NONE;
    while (a != EX_NONE && !ex_is_ancestor(d, a, b))
        a = d->nodes[a].parent;
    return a;
}

static void xpath_quiet(void *ud, xmlErrorPtr e)
{
    (void)ud;
    (void)e;
}

static uint32_t xpath_first(struct ex_doc *d, const char *expr, char **text)
{
    if (text)
        *text = NULL;
    if (!expr || !expr[0] || !d->doc)
        return EX_NONE;
    xmlXPathContextPtr ctx = xmlXPathNewContext(d->doc);
    if (!ctx)
        return EX_NONE;
    ctx->error = xpath_quiet; /* a bad site-config XPath is ignored, never printed */
    uint32_t r = EX_NONE;
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0) {
        xmlNode *n = obj->nodesetval->nodeTab[0];
        if (text) {
            xmlChar *c = xmlNodeGetContent(n);
            if (c) {
                *text = ex_strndup_trim((const char *)c, strlen((const char *)c));
                xmlFree(c);
            }
        }
        while (n && n->type != XML_ELEMENT_NODE)
            n = n->parent;
        r = ex_node_index(n);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    return r;
}

static char *collapse_ws(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    size_t w = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = w > 0;
            continue;
        }
        if (sp)
            r[w++] = ' ';
        sp = false;
        r[w++] = (char)c;
    }
    r[w] = '\0';
    return r;
}

/* Author from an element hinted as author (class/itemprop/rel), e.g. <span class="author">. */
static char *hinted_author(struct ex_doc *d)
{
    for (uint32_t i = 0; i < d->n_nodes; i++) {
        struct ex_node *e = &d->nodes[i];
        if (!(e->flags & EXN_AUTHORHINT))
            continue;
        bool removed = false;
        for (uint32_t p = i; p != EX_NONE; p = d->nodes[p].parent)
            if (d->nodes[p].flags & EXN_REMOVED) {
                removed = true;
                break;
            }
        if (removed)
            continue;
        xmlChar *c = xmlNodeGetContent(e->node);
        if (!c)
            continue;
        char *t = collapse_ws((const char *)c);
        xmlFree(c);
        if (!t)
            continue;
        struct ex_byline by;
        if (ex_parse_byline(t, strlen(t), true, &by) && by.author) {
            free(t);
            char *a = by.author;
            by.author = NULL;
            ex_byline_free(&by);
            return a;
        }
        ex_byline_free(&by);
        free(t);
    }
    return NULL;
}

static const char *const date_meta_keys[] = {"article:published_time",
                                             "datepublished",
                                             "og:published_time",
                                             "pubdate",
                                             "publishdate",
                                             "publish-date",
                                             "dc.date.issued",
                                             "dc.date",
                                             "date",
                                             "citation_publication_date",
                                             "article:published",
                                             "dcterms.created",
                                             NULL};

static char *pick_date(struct ex_doc *d, struct assembly *as, const char *xpath_date)
{
    struct ex_date dt;
    if (xpath_date) {
        char *t = NULL;
        xpath_first(d, xpath_date, &t);
        if (t) {
            bool ok = ex_parse_iso_date(t, &dt) || ex_find_visible_date(t, strlen(t), &dt, NULL);
            free(t);
            if (ok)
                return ex_date_format(&dt);
        }
    }
    char *ld = ex_jsonld_get(d, "datePublished");
    if (ld) {
        bool ok = ex_parse_iso_date(ld, &dt);
        free(ld);
        if (ok)
            return ex_date_format(&dt);
    }
    for (size_t i = 0; date_meta_keys[i]; i++) {
        const char *v = ex_meta_get(d, date_meta_keys[i]);
        if (v && ex_parse_iso_date(v, &dt))
            return ex_date_format(&dt);
    }
    for (size_t i = 0; i < d->n_time; i++) {
        uint32_t t = d->time_nodes[i];
        bool removed = false;
        for (uint32_t p = t; p != EX_NONE; p = d->nodes[p].parent)
            if (d->nodes[p].flags & EXN_REMOVED)
                removed = true;
        if (removed)
            continue;
        xmlChar *v = xmlGetProp(d->nodes[t].node, (const xmlChar *)"datetime");
        bool ok = v && ex_parse_iso_date((const char *)v, &dt);
        xmlFree(v);
        if (ok)
            return ex_date_format(&dt);
    }
    if (as->have_vis_date)
        return ex_date_format(&as->vis_date);
    return NULL;
}

static char *host_of(const char *url)
{
    if (!url)
        return NULL;
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    size_t n = strcspn(p, "/:?#");
    if (n == 0)
        return NULL;
    char *h = malloc(n + 1);
    if (!h)
        return NULL;
    for (size_t i = 0; i < n; i++)
        h[i] = (char)tolower((unsigned char)p[i]);
    h[n] = '\0';
    return h;
}

static void set_reason(struct kt_extract_info *info, const char *r)
{
    if (info) {
        info->is_article = false;
        snprintf(info->reason, sizeof info->reason, "%s", r);
    }
}

/* Assembles lead, body and fields from the flattened document. */
static kt_status assemble(struct ex_doc *d, const struct kt_extract_opts *opts,
                          struct kt_article *a, struct kt_extract_info *info, struct kt_err *err)
{
    struct assembly as = {0};
    struct seen_set seen = {0};
    kt_status st = KT_OK;
    struct kt_buf text = {0};
    uint32_t title_node = EX_NONE;
    char *xt = NULL;
    if (opts->xpath_title) {
        title_node = xpath_first(d, opts->xpath_title, &xt);
        if (xt && xt[0]) {
            ex_strip_title_date(xt);
            a->title = xt;
            xt = NULL;
        }
        free(xt);
    }
    if (!a->title)
        a->title = ex_pick_title(d, &title_node);
    if (a->title) {
        char *c = collapse_ws(a->title);
        free(a->title);
        a->title = c;
    }
    uint32_t body = EX_NONE;
    if (opts->xpath_body)
        body = xpath_first(d, opts->xpath_body, NULL);
    if (body == EX_NONE)
        body = ex_pick_body(d);
    if (body == EX_NONE) {
        set_reason(info,
                   d->n_frames ? "frameset page: no text of its own" : "no main text container");
        goto fields;
    }
    /* title block index (first block of the title element) */
    uint32_t title_block = title_node != EX_NONE ? d->nodes[title_node].first_block : EX_NONE;
    uint32_t area = lca(d, title_node, body);
    uint32_t body_first = d->nodes[body].first_block, body_end = d->nodes[body].end_block;

    /* 1. header region between the title and the body */
    bool have_hinted_lead = false;
    if (title_block != EX_NONE && title_block < body_first) {
        const char *tb = ex_btext(d, &d->blocks[title_block]);
        note_date(&as, tb, d->blocks[title_block].len);
        for (uint32_t bi = d->nodes[title_node].end_block; bi < body_first; bi++) {
            struct ex_block *b = &d->blocks[bi];
            if (b->flags & EXB_REMOVED)
                continue;
            if (area != EX_NONE && !ex_is_ancestor(d, area, b->owner))
                continue;
            const char *s = ex_btext(d, b);
            if (ex_is_date_line(s, b->len)) {
                note_date(&as, s, b->len);
                continue;
            }
            if (is_caption(d, bi, area)) {
                if ((st = add_caption(&as, s, b->len)) != KT_OK)
                    goto out;
                continue;
            }
            if (ex_phrase_kind(s, b->len) != EXP_NONE)
                continue;
            struct ex_byline by;
            if (b->chars <= 80 && ex_parse_byline(s, b->len, strong_byline_layout(d, b), &by)) {
                merge_byline(&as, &by);
                continue;
            }
            bool leadish = false;
            for (uint32_t p = b->owner; p != EX_NONE && p != area; p = d->nodes[p].parent)
                if (d->nodes[p].flags & EXN_LEADHINT) {
                    leadish = true;
                    break;
                }
            if (b->link_chars * 10 >= b->chars * 3 ||
                !(b->chars >= 80 || (leadish && b->chars >= 30)))
                continue;
            /* hinted leads (sapo, summary, lead...) are all kept; otherwise only the block
             * right before the body */
            if (leadish) {
                if (!have_hinted_lead)
                    as.n_lead = 0;
                have_hinted_lead = true;
                if (as.n_lead < 8)
                    as.lead[as.n_lead++] = bi;
            } else if (!have_hinted_lead) {
                as.lead[0] = bi;
                as.n_lead = 1;
            }
        }
    }

    /* 2. body blocks, then following siblings of the body that read like text. The title
     * element is skipped whole when it is small (an h1, a title cell); when the title is inline
     * text of a bigger block owner only the title's own block is. */
    bool title_small = title_node != EX_NONE && a->title &&
                       ex_text_chars(d, title_node) <= 2 * strlen(a->title) + 40;
    if (seen_init(&seen, body_end - body_first) != KT_OK) {
        st = KT_ENOMEM;
        goto out;
    }
    uint32_t ranges[8][2];
    size_t n_ranges = 0;
    ranges[n_ranges][0] = body_first;
    ranges[n_ranges][1] = body_end;
    n_ranges++;
    for (uint32_t s = d->nodes[body].end; s < d->n_nodes && n_ranges < 8;) {
        if (d->nodes[s].parent != d->nodes[body].parent)
            break;
        struct ex_node *se = &d->nodes[s];
        uint32_t t = ex_text_chars(d, s), l = ex_link_chars(d, s);
        if (!(se->flags & EXN_REMOVED) && t >= 200 && l * 5 < t && !(se->flags & EXN_NEGATIVE)) {
            ranges[n_ranges][0] = se->first_block;
            ranges[n_ranges][1] = se->end_block;
            n_ranges++;
        }
        s = se->end;
    }
    for (size_t r = 0; r < n_ranges; r++) {
        for (uint32_t bi = ranges[r][0]; bi < ranges[r][1]; bi++) {
            struct ex_block *b = &d->blocks[bi];
            if (b->flags & EXB_REMOVED)
                continue;
            if (title_node != EX_NONE && ex_is_ancestor(d, title_node, b->owner) &&
                (title_small ||
                 (a->title && strncmp(ex_btext(d, b), a->title, strlen(a->title)) == 0))) {
                note_date(&as, ex_btext(d, b), b->len);
                continue;
            }
            const char *s = ex_btext(d, b);
            if (is_caption(d, bi, body)) {
                if ((st = add_caption(&as, s, b->len)) != KT_OK)
                    goto out;
                continue;
            }
            if (b->len <= 320 && ex_phrase_kind(s, b->len) != EXP_NONE)
                continue;
            if (b->chars <= 160 && ex_is_date_line(s, b->len)) {
                note_date(&as, s, b->len);
                continue;
            }
            if (b->link_chars * 10 > b->chars * 6 && b->chars < 300)
                continue;
            if (a->title && strcmp(s, a->title) == 0)
                continue;
            int dup = seen_insert(&seen, d, bi);
            if (dup < 0) {
                st = KT_ENOMEM;
                goto out;
            }
            if (dup)
                continue;
            if ((st = push_u32(&as.kept, &as.n_kept, &as.cap_kept, bi)) != KT_OK)
                goto out;
        }
    }
    /* 3. bylines and attributions at the end, then at the start */
    while (as.n_kept > 0) {
        struct ex_block *b = &d->blocks[as.kept[as.n_kept - 1]];
        struct ex_byline by;
        bool strong = strong_byline_layout(d, b) || b->chars <= 40;
        if (b->chars > 120 || !ex_parse_byline(ex_btext(d, b), b->len, strong, &by))
            break;
        merge_byline(&as, &by);
        as.n_kept--;
    }
    while (as.n_kept > 0) {
        struct ex_block *b = &d->blocks[as.kept[0]];
        struct ex_byline by;
        if (b->chars > 80 ||
            !ex_parse_byline(ex_btext(d, b), b->len, strong_byline_layout(d, b), &by))
            break;
        merge_byline(&as, &by);
        memmove(as.kept, as.kept + 1, (as.n_kept - 1) * sizeof *as.kept);
        as.n_kept--;
    }
    /* 4. truncated teasers (a cut-off copy of the lead or of a paragraph) */
    for (size_t i = 0; i < as.n_lead; i++) {
        struct ex_block *b = &d->blocks[as.lead[i]];
        bool drop = false;
        for (size_t j = 0; j < as.n_lead && !drop; j++)
            if (j != i) {
                struct ex_block *o = &d->blocks[as.lead[j]];
                drop = truncated_prefix_of(ex_btext(d, b), b->len, ex_btext(d, o), o->len);
            }
        for (size_t j = 0; j < as.n_kept && j < 3 && !drop; j++) {
            struct ex_block *o = &d->blocks[as.kept[j]];
            drop = truncated_prefix_of(ex_btext(d, b), b->len, ex_btext(d, o), o->len) ||
                   (o->len == b->len && memcmp(ex_btext(d, o), ex_btext(d, b), b->len) == 0);
        }
        if (drop) {
            memmove(as.lead + i, as.lead + i + 1, (as.n_lead - i - 1) * sizeof *as.lead);
            as.n_lead--;
            i--;
        }
    }
    for (size_t i = 0; i + 1 < as.n_kept && i < 3; i++) {
        struct ex_block *b = &d->blocks[as.kept[i]];
        struct ex_block *o = &d->blocks[as.kept[i + 1]];
        if (truncated_prefix_of(ex_btext(d, b), b->len, ex_btext(d, o), o->len)) {
            memmove(as.kept + i, as.kept + i + 1, (as.n_kept - i - 1) * sizeof *as.kept);
            as.n_kept--;
            i--;
        }
    }
    /* 5. text: lead first */
    for (size_t i = 0; i < as.n_lead; i++) {
        struct ex_block *b = &d->blocks[as.lead[i]];
        if (text.len && kt_buf_append(&text, "\n\n", 2) != KT_OK)
            st = KT_ENOMEM;
        if (st == KT_OK && kt_buf_append(&text, ex_btext(d, b), b->len) != KT_OK)
            st = KT_ENOMEM;
    }
    if (st == KT_OK && as.n_lead) {
        a->lead = malloc(text.len + 1);
        if (!a->lead)
            st = KT_ENOMEM;
        else
            memcpy(a->lead, text.data, text.len + 1);
    }
    size_t body_chars = 0;
    for (size_t i = 0; i < as.n_kept && st == KT_OK; i++) {
        struct ex_block *b = &d->blocks[as.kept[i]];
        body_chars += b->chars;
        if (text.len && kt_buf_append(&text, "\n\n", 2) != KT_OK)
            st = KT_ENOMEM;
        if (st == KT_OK && kt_buf_append(&text, ex_btext(d, b), b->len) != KT_OK)
            st = KT_ENOMEM;
    }
    if (st != KT_OK)
        goto out;
    a->text = kt_buf_detach(&text);
    if (!a->text) {
        st = KT_ENOMEM;
        goto out;
    }
    if (info) {
        info->body_chars = body_chars;
        info->is_article = true;
        info->reason[0] = '\0';
    }
    /* 6. article or not */
    {
        size_t long_paras = 0, link_items = 0;
        for (uint32_t bi = body_first; bi < body_end; bi++) {
            const struct ex_block *b = &d->blocks[bi];
            if (b->flags & EXB_REMOVED)
                continue;
            if (b->chars >= 20 && b->link_chars * 2 > b->chars)
                link_items++;
        }
        for (size_t i = 0; i < as.n_kept; i++)
            if (d->blocks[as.kept[i]].chars >= 80)
                long_paras++;
        bool ld_article = ex_jsonld_is_article(d);
        const char *ogt = ex_meta_get(d, "og:type");
        bool og_article = ogt && strcmp(ogt, "article") == 0;
        bool declared = ld_article || og_article;
        bool repeated = repeated_item(d, body) && link_items >= 1;
        size_t title_words = 0;
        for (const char *p = a->title; p && *p; p++)
            if (*p != ' ' && (p == a->title || p[-1] == ' '))
                title_words++;
        if (!a->title)
            set_reason(info, "no title");
        else if (!declared && title_node == EX_NONE)
            set_reason(info, "no headline element matching the page title");
        else if (!declared && title_words < 4)
            set_reason(info, "the headline is a section name");
        else if (!declared && link_items >= 1 && body_chars < 600)
            set_reason(info, "listing page: a headline link with a short teaser");
        else if (body_chars + (a->lead ? strlen(a->lead) / 2 : 0) < 150)
            set_reason(info, "too little main text");
        else if (!declared && link_items >= 2 && link_items * 2 >= long_paras)
            set_reason(info, "listing page: headline links with teasers");
        else if (!declared && repeated)
            set_reason(info, "listing page: the main block is one of several similar items");
        else if (long_paras == 0 && !declared)
            set_reason(info, "no paragraph of running text");
    }

fields:
    if (!as.by.author && opts->xpath_author) {
        char *t = NULL;
        xpath_first(d, opts->xpath_author, &t);
        if (t && t[0])
            as.by.author = t;
        else
            free(t);
    }
    if (!as.by.author)
        as.by.author = hinted_author(d);
    if (!as.by.author) {
        const char *m = ex_meta_get(d, "author");
        if (!m)
            m = ex_meta_get(d, "article:author");
        const char *sn = ex_meta_get(d, "og:site_name");
        bool site_name = m && ((sn && strcmp(m, sn) == 0) ||
                               (d->title_tag && strlen(m) >= 4 && strstr(d->title_tag, m) &&
                                a->title && !strstr(a->title, m)));
        if (m && !site_name && !strstr(m, "://") && ex_looks_like_name(m, strlen(m)))
            as.by.author = strdup(m);
    }
    if (!as.by.author) {
        bool org = false;
        char *ja = ex_jsonld_author(d, &org);
        if (ja && !org)
            as.by.author = ja;
        else
            free(ja);
    }
    if (as.by.author && as.by.attribution && strcmp(as.by.author, as.by.attribution) == 0) {
        free(as.by.author);
        as.by.author = NULL;
    }
    a->author = as.by.author;
    a->photo = as.by.photo;
    a->source_attribution = as.by.attribution;
    as.by.author = as.by.photo = as.by.attribution = NULL;
    a->date = pick_date(d, &as, opts->xpath_date);
    a->captions = as.captions;
    a->n_captions = as.n_captions;
    as.captions = NULL;
    as.n_captions = 0;
    if (!a->text) {
        a->text = strdup("");
        if (!a->text)
            st = KT_ENOMEM;
    }
out:
    seen_free(&seen);
    free(as.kept);
    for (size_t i = 0; i < as.n_captions; i++)
        free(as.captions[i]);
    free(as.captions);
    ex_byline_free(&as.by);
    kt_buf_free(&text);
    if (st == KT_ENOMEM)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory while extracting",
                          opts->url ? opts->url : "page");
    return st;
}

static kt_status fill_ids(struct kt_article *a, const struct kt_extract_opts *opts,
                          const char *canonical)
{
    const char *url = NULL;
    if (canonical &&
        (strncmp(canonical, "http://", 7) == 0 || strncmp(canonical, "https://", 8) == 0))
        url = canonical;
    else
        url = opts->url;
    if (url) {
        a->url = strdup(url);
        a->id = strdup(url);
        if (!a->url || !a->id)
            return KT_ENOMEM;
    }
    if (opts->site)
        a->site = strdup(opts->site);
    else
        a->site = host_of(a->url ? a->url : opts->url);
    a->lang = strdup("vi");
    if (!a->lang)
        return KT_ENOMEM;
    return KT_OK;
}

/* Normalises every string field for display (NFC, spaces) without changing characters. */
static kt_status display_norm(char **s)
{
    if (!*s)
        return KT_OK;
    struct kt_buf b = {0};
    if (kt_text_normalize(*s, strlen(*s), KT_NORM_DISPLAY, &b, NULL) != KT_OK) {
        kt_buf_free(&b);
        return KT_ENOMEM;
    }
    char *r = kt_buf_detach(&b);
    if (!r)
        return KT_ENOMEM;
    free(*s);
    *s = r;
    return KT_OK;
}

kt_status kt_extract_html(const void *data, size_t len, const struct kt_extract_opts *opts_in,
                          struct kt_article *out, struct kt_extract_info *info, struct kt_err *err)
{
    struct kt_extract_opts none = {0};
    const struct kt_extract_opts *opts = opts_in ? opts_in : &none;
    const char *name = opts->url ? opts->url : "page";
    if (info)
        memset(info, 0, sizeof *info);
    kt_article_free(out);
    kt_article_init(out);
    if (!data && len > 0)
        return kt_err_set(err, KT_EINVAL, "%s: no data", name);
    size_t max = opts->max_bytes ? opts->max_bytes : KT_EXTRACT_DEFAULT_MAX_BYTES;
    if (len > max)
        return kt_err_set(err, KT_ETOOBIG, "%s: page of %zu bytes exceeds the %zu-byte limit", name,
                          len, max);
    struct kt_buf utf8 = {0};
    struct kt_text_decode_info di;
    kt_status st =
        kt_text_decode(data ? data : "", len, opts->content_type, KT_DECODE_HTML, &utf8, &di, err);
    if (st != KT_OK) {
        kt_buf_free(&utf8);
        return kt_err_prefix(err, "%s", name);
    }
    if (info)
        snprintf(info->charset, sizeof info->charset, "%s", di.charset);
    /* NUL bytes would cut the parser's input: turn them into spaces. */
    for (size_t i = 0; i < utf8.len; i++)
        if (utf8.data[i] == '\0')
            utf8.data[i] = ' ';
    struct ex_doc d;
    if (utf8.len == 0) {
        kt_buf_free(&utf8);
        st = fill_ids(out, opts, NULL);
        if (st == KT_OK && !(out->text = strdup("")))
            st = KT_ENOMEM;
        set_reason(info, "empty page");
        return st == KT_OK ? KT_OK : kt_err_set(err, st, "%s: out of memory", name);
    }
    bool xpath =
        (opts->xpath_title && opts->xpath_title[0]) || (opts->xpath_body && opts->xpath_body[0]) ||
        (opts->xpath_date && opts->xpath_date[0]) || (opts->xpath_author && opts->xpath_author[0]);
    st = ex_doc_build(&d, utf8.data, utf8.len, xpath, err);
    kt_buf_free(&utf8);
    if (st != KT_OK) {
        ex_doc_free(&d);
        return kt_err_prefix(err, "%s", name);
    }
    ex_prune(&d);
    st = assemble(&d, opts, out, info, err);
    if (st == KT_OK && fill_ids(out, opts, d.canonical) != KT_OK)
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    ex_doc_free(&d);
    if (st != KT_OK)
        return st;
    if (display_norm(&out->title) != KT_OK || display_norm(&out->lead) != KT_OK ||
        display_norm(&out->author) != KT_OK || display_norm(&out->photo) != KT_OK ||
        display_norm(&out->source_attribution) != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
    return kt_article_fingerprint(out, err);
}
