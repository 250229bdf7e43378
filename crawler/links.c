/* links.c - link discovery in HTML pages with libxml2's HTML parser: <base>, canonical,
 * feeds, rel=next/prev, meta robots and anchors with their text and rel. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/links.h"
#include "crawler/url.h"
#include "crawler/url_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define ANCHOR_TEXT_MAX 1024

void kt_page_meta_free(struct kt_page_meta *meta)
{
    if (!meta)
        return;
    free(meta->base_url);
    free(meta->canonical);
    memset(meta, 0, sizeof *meta);
}

/* True when the rel/content list (space or comma separated) contains token. */
static bool has_token(const char *list, const char *token)
{
    if (!list)
        return false;
    const char *p = list;
    while (*p) {
        while (*p && (kt_ascii_isspace(*p) || *p == ','))
            p++;
        const char *s = p;
        while (*p && !kt_ascii_isspace(*p) && *p != ',')
            p++;
        if (p > s && kt_ascii_ieq(s, (size_t)(p - s), token))
            return true;
    }
    return false;
}

void kt_robots_meta_parse(const char *content, bool *noindex, bool *nofollow)
{
    if (!content)
        return;
    /* "googlebot: noindex" style prefix: ignore the bot name before the colon */
    const char *colon = strchr(content, ':');
    if (colon) {
        bool name = colon > content;
        for (const char *c = content; c < colon; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-' || *c == '_' ||
                  *c == ' '))
                name = false;
        if (name)
            content = colon + 1;
    }
    if (has_token(content, "noindex") || has_token(content, "none"))
        *noindex = true;
    if (has_token(content, "nofollow") || has_token(content, "none"))
        *nofollow = true;
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

static bool name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name &&
           kt_ascii_ieq((const char *)n->name, strlen((const char *)n->name), name);
}

/* An attribute value (malloc'd by libxml2, free with xmlFree) or NULL. */
static char *get_attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* The next node in document order (pre-order), descending unless skip_children. */
static const xmlNode *next_node(const xmlNode *n, const xmlNode *root, bool skip_children)
{
    if (!skip_children && n->children)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* Anchor text of n: descendant text, scripts/styles excluded, collapsed, capped. */
static kt_status anchor_text(const xmlNode *a, struct kt_buf *out)
{
    kt_buf_reset(out);
    bool pending = false;
    for (const xmlNode *n = a->children; n && out->len < ANCHOR_TEXT_MAX;) {
        bool skip = name_is(n, "script") || name_is(n, "style");
        if (n->type == XML_TEXT_NODE && n->content) {
            if (kt_append_collapsed(out, (const char *)n->content, &pending) != KT_OK)
                return KT_ENOMEM;
        } else if (name_is(n, "img") && out->len == 0) {
            char *alt = get_attr(n, "alt");
            kt_status st = alt ? kt_append_collapsed(out, alt, &pending) : KT_OK;
            xmlFree(alt);
            if (st != KT_OK)
                return st;
        }
        n = next_node(n, a, skip);
    }
    if (out->len > ANCHOR_TEXT_MAX) { /* cut at a UTF-8 boundary */
        size_t l = ANCHOR_TEXT_MAX;
        while (l > 0 && ((unsigned char)out->data[l] & 0xC0) == 0x80)
            l--;
        out->len = l;
        out->data[l] = '\0';
    }
    return kt_buf_terminate(out);
}

struct link_walk {
    const struct kt_links_opts *opts;
    const char *base;
    kt_link_cb cb;
    void *ctx;
    struct kt_page_meta *meta;
    bool page_nofollow;
    size_t max_links, n;
    struct kt_buf text;
    kt_status st;
};

static void emit(struct link_walk *w, const char *href, enum kt_link_kind kind, const char *text,
                 const char *rel, const char *type)
{
    if (!href || w->n >= w->max_links || w->st != KT_OK)
        return;
    char *u = NULL;
    kt_status st = kt_url_resolve(w->base, href, &u, NULL);
    if (st == KT_ENOMEM) {
        w->st = st;
        return;
    }
    if (st != KT_OK)
        return;
    bool nofollow = w->page_nofollow || has_token(rel, "nofollow") || has_token(rel, "ugc") ||
                    has_token(rel, "sponsored");
    struct kt_link l = {u, kind, text ? text : "", rel ? rel : "", type ? type : "", nofollow};
    w->n++;
    if (w->cb)
        w->st = w->cb(w->ctx, &l);
    free(u);
}

static bool is_feed_type(const char *type)
{
    if (!type)
        return false;
    size_t l = strlen(type);
    return kt_ascii_iprefix(type, l, "application/rss+xml") ||
           kt_ascii_iprefix(type, l, "application/atom+xml") ||
           kt_ascii_iprefix(type, l, "application/rdf+xml") ||
           kt_ascii_iprefix(type, l, "application/xml") || kt_ascii_iprefix(type, l, "text/xml") ||
           kt_ascii_iprefix(type, l, "application/feed+json");
}

/* First pass: <base href>, <meta name=robots>, canonical. */
static kt_status scan_head(const xmlNode *root, const char *page_url,
                           const struct kt_links_opts *opts, struct kt_page_meta *m,
                           char **base_out)
{
    char *base = NULL;
    for (const xmlNode *n = root; n; n = next_node(n, root, false)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!base && name_is(n, "base")) {
            char *href = get_attr(n, "href");
            if (href) {
                kt_status st = kt_url_resolve(page_url, href, &base, NULL);
                xmlFree(href);
                if (st == KT_ENOMEM)
                    return st;
            }
        } else if (name_is(n, "meta")) {
            char *name = get_attr(n, "name");
            if (name && (kt_ascii_ieq(name, strlen(name), "robots") ||
                         (opts && opts->ua_token && opts->ua_token[0] &&
                          kt_ascii_ieq(name, strlen(name), opts->ua_token)))) {
                char *content = get_attr(n, "content");
                kt_robots_meta_parse(content, &m->noindex, &m->nofollow);
                xmlFree(content);
            }
            xmlFree(name);
        }
    }
    if (!base) {
        kt_status st = kt_url_normalize(page_url, &base, NULL);
        if (st != KT_OK)
            return st;
    }
    *base_out = base;
    return KT_OK;
}

static void walk_links(struct link_walk *w, const xmlNode *root)
{
    for (const xmlNode *n = root; n && w->st == KT_OK && w->n < w->max_links;) {
        bool skip = false;
        if (n->type == XML_ELEMENT_NODE) {
            if (name_is(n, "a") || name_is(n, "area")) {
                char *href = get_attr(n, "href");
                char *rel = get_attr(n, "rel");
                if (href) {
                    if (anchor_text(n, &w->text) != KT_OK) {
                        w->st = KT_ENOMEM;
                    } else {
                        enum kt_link_kind k = KT_LINK_ANCHOR;
                        if (has_token(rel, "next"))
                            k = KT_LINK_NEXT;
                        else if (has_token(rel, "prev") || has_token(rel, "previous"))
                            k = KT_LINK_PREV;
                        emit(w, href, k, w->text.data, rel, NULL);
                    }
                }
                xmlFree(href);
                xmlFree(rel);
            } else if (name_is(n, "link")) {
                char *href = get_attr(n, "href");
                char *rel = get_attr(n, "rel");
                char *type = get_attr(n, "type");
                if (href && rel) {
                    if (has_token(rel, "canonical")) {
                        if (!w->meta->canonical) {
                            char *c = NULL;
                            kt_status st = kt_url_resolve(w->base, href, &c, NULL);
                            if (st == KT_ENOMEM)
                                w->st = st;
                            w->meta->canonical = c;
                        }
                        emit(w, href, KT_LINK_CANONICAL, "", rel, type);
                    } else if (has_token(rel, "alternate") && is_feed_type(type)) {
                        char *title = get_attr(n, "title");
                        emit(w, href, KT_LINK_FEED, title ? title : "", rel, type);
                        xmlFree(title);
                    } else if (has_token(rel, "next")) {
                        emit(w, href, KT_LINK_NEXT, "", rel, type);
                    } else if (has_token(rel, "prev") || has_token(rel, "previous")) {
                        emit(w, href, KT_LINK_PREV, "", rel, type);
                    }
                }
                xmlFree(href);
                xmlFree(rel);
                xmlFree(type);
            } else if (name_is(n, "iframe") || name_is(n, "frame")) {
                char *src = get_attr(n, "src");
                emit(w, src, KT_LINK_FRAME, "", NULL, NULL);
                xmlFree(src);
            } else if (name_is(n, "script") || name_is(n, "style") || name_is(n, "template")) {
                skip = true;
            }
        }
        n = next_node(n, root, skip);
    }
}

kt_status kt_links_extract(const char *html, size_t len, const char *page_url,
                           const struct kt_links_opts *opts, kt_link_cb cb, void *ctx,
                           struct kt_page_meta *meta, struct kt_err *err)
{
    struct kt_page_meta local = {0};
    struct kt_page_meta *m = meta ? meta : &local;
    kt_page_meta_free(m);
    const char *shown = page_url ? page_url : "(null)";
    char *check = NULL;
    kt_status st = kt_url_normalize(page_url, &check, err);
    if (st != KT_OK)
        return st == KT_ENOMEM ? st : kt_err_set(err, KT_EPARSE, "bad page URL %.200s", shown);
    free(check);
    if (!html || len == 0)
        return kt_err_set(err, KT_EPARSE, "%.200s: empty document", shown);
    if (len > (size_t)INT32_MAX)
        return kt_err_set(err, KT_ETOOBIG, "%.200s: document too large", shown);
    const char *enc = opts && opts->encoding && opts->encoding[0] ? opts->encoding : NULL;
    if (!enc && valid_utf8((const unsigned char *)html, len))
        enc = "UTF-8";
    int hopts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                HTML_PARSE_COMPACT;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, page_url, enc, hopts);
    if (!doc && enc) /* unknown encoding name: let libxml2 sniff */
        doc = htmlReadMemory(html, (int)len, page_url, NULL, hopts);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        xmlFreeDoc(doc);
        return kt_err_set(err, KT_EPARSE, "%.200s: no HTML document", shown);
    }
    char *base = NULL;
    st = scan_head(root, page_url, opts, m, &base);
    if (st != KT_OK) {
        xmlFreeDoc(doc);
        return kt_err_set(err, st, "%.200s: cannot determine the base URL", shown);
    }
    m->base_url = base;
    struct link_walk w = {
        opts, base, cb,   ctx, m, m->nofollow, opts && opts->max_links ? opts->max_links : 100000,
        0,    {0},  KT_OK};
    walk_links(&w, root);
    xmlFreeDoc(doc);
    kt_buf_free(&w.text);
    m->n_links = w.n;
    if (w.st == KT_ENOMEM)
        kt_err_set(err, KT_ENOMEM, "%.200s: out of memory extracting links", shown);
    if (m == &local)
        kt_page_meta_free(&local);
    return w.st;
}
