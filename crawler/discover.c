/* discover.c - sitemap, sitemap index, RSS and Atom parsing with libxml2 (no network, no
 * entity expansion), gzip inflation with a size cap, and plain-text sitemaps. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/discover.h"
#include "crawler/url.h"
#include "crawler/url_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

kt_status kt_gunzip(const void *data, size_t len, size_t max_out, struct kt_buf *out,
                    struct kt_err *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) /* gzip or zlib header, auto-detected */
        return kt_err_set(err, KT_ENOMEM, "cannot initialise zlib");
    const unsigned char *in = data;
    size_t consumed = 0, produced = 0;
    kt_status st = KT_OK;
    unsigned char chunk[16384];
    while (consumed < len) {
        size_t avail = len - consumed;
        zs.next_in = (unsigned char *)(in + consumed);
        zs.avail_in = avail > 1u << 30 ? 1u << 30 : (uInt)avail;
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        int zr = inflate(&zs, Z_NO_FLUSH);
        size_t used = (size_t)(zs.next_in - (in + consumed));
        consumed += used;
        size_t got = sizeof chunk - zs.avail_out;
        if (got) {
            if (produced + got > max_out) {
                st = kt_err_set(err, KT_ETOOBIG, "inflated size exceeds %zu bytes", max_out);
                break;
            }
            if (kt_buf_append(out, chunk, got) != KT_OK) {
                st = kt_err_set(err, KT_ENOMEM, "out of memory inflating");
                break;
            }
            produced += got;
        }
        if (zr == Z_STREAM_END) {
            /* another gzip member may follow; trailing garbage (e.g. NUL padding) ends it */
            if (consumed + 2 <= len && in[consumed] == 0x1f && in[consumed + 1] == 0x8b) {
                if (inflateReset(&zs) != Z_OK) {
                    st = kt_err_set(err, KT_EPARSE, "corrupt gzip data");
                    break;
                }
                continue;
            }
            break;
        }
        if (zr == Z_BUF_ERROR && used == 0 && got == 0) {
            st = kt_err_set(err, KT_EPARSE, "truncated gzip data");
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            st = kt_err_set(err, zr == Z_MEM_ERROR ? KT_ENOMEM : KT_EPARSE, "corrupt gzip data%s%s",
                            zs.msg ? ": " : "", zs.msg ? zs.msg : "");
            break;
        }
    }
    /* input exhausted without Z_STREAM_END: a truncated stream; keep what was inflated */
    inflateEnd(&zs);
    if (st == KT_OK && kt_buf_terminate(out) != KT_OK)
        st = kt_err_set(err, KT_ENOMEM, "out of memory inflating");
    return st;
}

/* Rewrites '&' that does not start a predefined XML entity or a character reference as
 * "&amp;", so HTML entities and bare ampersands neither lose text nor reach the entity
 * machinery. */
static kt_status sanitize_amps(const char *s, size_t len, struct kt_buf *out)
{
    if (kt_buf_reserve(out, len + len / 16 + 16) != KT_OK)
        return KT_ENOMEM;
    size_t last = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '&')
            continue;
        size_t j = i + 1;
        bool ok = false;
        if (j < len && s[j] == '#') {
            j++;
            if (j < len && (s[j] == 'x' || s[j] == 'X'))
                j++;
            size_t d = j;
            while (j < len && j - d < 8 &&
                   ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f') ||
                    (s[j] >= 'A' && s[j] <= 'F')))
                j++;
            ok = j > d && j < len && s[j] == ';';
        } else {
            static const char *const ents[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
            for (size_t k = 0; k < 5 && !ok; k++) {
                size_t el = strlen(ents[k]);
                ok = i + 1 + el <= len && memcmp(s + i + 1, ents[k], el) == 0;
            }
        }
        if (ok)
            continue;
        if (kt_buf_append(out, s + last, i - last) != KT_OK ||
            kt_buf_append(out, "&amp;", 5) != KT_OK)
            return KT_ENOMEM;
        last = i + 1;
    }
    return kt_buf_append(out, s + last, len - last);
}

/* Collects the text and CDATA directly under node and its element children (entity
 * references are never followed). */
static kt_status node_text(const xmlNode *node, struct kt_buf *out, int depth)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            if (kt_buf_append_cstr(out, (const char *)c->content) != KT_OK)
                return KT_ENOMEM;
        } else if (c->type == XML_ELEMENT_NODE && depth < 4) {
            if (node_text(c, out, depth + 1) != KT_OK)
                return KT_ENOMEM;
        }
    }
    return KT_OK;
}

/* The trimmed text of node into buf (reset first); returns buf->data ("" when empty). */
static const char *text_of(const xmlNode *node, struct kt_buf *buf, kt_status *st)
{
    kt_buf_reset(buf);
    struct kt_buf raw = {0};
    bool pending = false;
    if (node_text(node, &raw, 0) != KT_OK ||
        (raw.data && kt_append_collapsed(buf, raw.data, &pending) != KT_OK) ||
        kt_buf_terminate(buf) != KT_OK) {
        *st = KT_ENOMEM;
        kt_buf_free(&raw);
        return NULL;
    }
    kt_buf_free(&raw);
    return buf->data;
}

static bool name_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           kt_ascii_ieq((const char *)n->name, strlen((const char *)n->name), name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (name_is(c, name))
            return c;
    return NULL;
}

/* The value of an attribute by local name (any namespace); malloc'd by libxml2 or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->name && kt_ascii_ieq((const char *)a->name, strlen((const char *)a->name), name)) {
            struct kt_buf b = {0};
            for (const xmlNode *c = a->children; c; c = c->next)
                if (c->type == XML_TEXT_NODE && c->content &&
                    kt_buf_append_cstr(&b, (const char *)c->content) != KT_OK) {
                    kt_buf_free(&b);
                    return NULL;
                }
            if (kt_buf_terminate(&b) != KT_OK)
                return NULL;
            return kt_buf_detach(&b);
        }
    }
    return NULL;
}

struct walk {
    const char *base_url;
    kt_discover_cb cb;
    void *ctx;
    size_t max_urls, n_urls;
    struct kt_buf t1, t2, t3;
    kt_status st;
};

/* Resolves and reports one URL; skips URLs that do not parse. Returns false to stop. */
static bool report(struct walk *w, const char *loc, enum kt_discover_kind kind, bool has_date,
                   int64_t date, const char *title)
{
    if (!loc || !loc[0])
        return true;
    if (w->n_urls >= w->max_urls)
        return false;
    char *u = NULL;
    kt_status st =
        w->base_url ? kt_url_resolve(w->base_url, loc, &u, NULL) : kt_url_normalize(loc, &u, NULL);
    if (st == KT_ENOMEM) {
        w->st = KT_ENOMEM;
        return false;
    }
    if (st != KT_OK)
        return true;
    struct kt_discovered d = {u, kind, has_date, has_date ? date : 0,
                              title && title[0] ? title : NULL};
    w->n_urls++;
    kt_status cs = w->cb ? w->cb(w->ctx, &d) : KT_OK;
    free(u);
    if (cs != KT_OK) {
        w->st = cs;
        return false;
    }
    return true;
}

static bool date_of(const xmlNode *n, struct kt_buf *buf, bool rfc822, int64_t *out, kt_status *st)
{
    if (!n)
        return false;
    const char *s = text_of(n, buf, st);
    if (!s)
        return false;
    return rfc822 ? kt_date_parse_rfc822(s, out) : kt_date_parse_w3c(s, out);
}

static void walk_sitemap(struct walk *w, const xmlNode *root, bool index)
{
    for (const xmlNode *e = root->children; e && w->st == KT_OK; e = e->next) {
        if (!name_is(e, index ? "sitemap" : "url"))
            continue;
        const xmlNode *loc = child(e, "loc");
        if (!loc)
            continue;
        const char *u = text_of(loc, &w->t1, &w->st);
        if (!u)
            return;
        int64_t date = 0;
        bool has = date_of(child(e, "lastmod"), &w->t2, false, &date, &w->st);
        if (!has && !index) { /* Google News sitemaps: <news:news><news:publication_date> */
            const xmlNode *news = child(e, "news");
            if (news)
                has = date_of(child(news, "publication_date"), &w->t2, false, &date, &w->st);
        }
        if (w->st != KT_OK)
            return;
        if (!report(w, u, index ? KT_DISCOVERED_SITEMAP : KT_DISCOVERED_PAGE, has, date, NULL))
            return;
    }
}

static void rss_item(struct walk *w, const xmlNode *item)
{
    const char *u = NULL;
    const xmlNode *link = child(item, "link");
    if (link) {
        u = text_of(link, &w->t1, &w->st);
        if (u && !u[0]) { /* <atom:link href> inside an item */
            char *href = attr(link, "href");
            if (href) {
                kt_buf_reset(&w->t1);
                if (kt_buf_append_cstr(&w->t1, href) != KT_OK)
                    w->st = KT_ENOMEM;
                u = w->t1.data;
                free(href);
            }
        }
    }
    if ((!u || !u[0]) && w->st == KT_OK) {
        const xmlNode *guid = child(item, "guid");
        char *perma = guid ? attr(guid, "isPermaLink") : NULL;
        bool ok = guid && !(perma && kt_ascii_ieq(perma, strlen(perma), "false"));
        free(perma);
        if (ok)
            u = text_of(guid, &w->t1, &w->st);
    }
    if (w->st != KT_OK || !u)
        return;
    int64_t date = 0;
    bool has = date_of(child(item, "pubDate"), &w->t2, true, &date, &w->st);
    if (!has && w->st == KT_OK)
        has = date_of(child(item, "date"), &w->t2, false, &date, &w->st); /* dc:date */
    const xmlNode *tn = child(item, "title");
    const char *title = tn && w->st == KT_OK ? text_of(tn, &w->t3, &w->st) : NULL;
    if (w->st != KT_OK)
        return;
    report(w, u, KT_DISCOVERED_PAGE, has, date, title);
}

static void walk_rss(struct walk *w, const xmlNode *root)
{
    for (const xmlNode *c = root->children; c && w->st == KT_OK; c = c->next) {
        if (name_is(c, "channel")) {
            for (const xmlNode *i = c->children; i && w->st == KT_OK; i = i->next)
                if (name_is(i, "item"))
                    rss_item(w, i);
        } else if (name_is(c, "item")) { /* RSS 1.0: items are siblings of the channel */
            rss_item(w, c);
        }
        if (w->n_urls >= w->max_urls)
            return;
    }
}

static void atom_entry(struct walk *w, const xmlNode *entry)
{
    char *href = NULL;
    for (const xmlNode *l = entry->children; l; l = l->next) {
        if (!name_is(l, "link"))
            continue;
        char *rel = attr(l, "rel");
        bool alt = !rel || !rel[0] || kt_ascii_ieq(rel, strlen(rel), "alternate");
        free(rel);
        if (!alt)
            continue;
        href = attr(l, "href");
        if (href)
            break;
    }
    if (!href)
        return;
    int64_t date = 0;
    bool has = date_of(child(entry, "updated"), &w->t2, false, &date, &w->st);
    if (!has && w->st == KT_OK)
        has = date_of(child(entry, "published"), &w->t2, false, &date, &w->st);
    const xmlNode *tn = child(entry, "title");
    const char *title = tn && w->st == KT_OK ? text_of(tn, &w->t3, &w->st) : NULL;
    if (w->st == KT_OK)
        report(w, href, KT_DISCOVERED_PAGE, has, date, title);
    free(href);
}

static void walk_atom(struct walk *w, const xmlNode *root)
{
    for (const xmlNode *c = root->children; c && w->st == KT_OK; c = c->next)
        if (name_is(c, "entry"))
            atom_entry(w, c);
}

/* Sitemaps may also be plain text: one URL per line. */
static void walk_text(struct walk *w, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && w->st == KT_OK) {
        size_t b = i;
        while (i < len && s[i] != '\n' && s[i] != '\r')
            i++;
        size_t e = i;
        while (i < len && (s[i] == '\n' || s[i] == '\r'))
            i++;
        while (b < e && kt_ascii_isspace(s[b]))
            b++;
        while (e > b && kt_ascii_isspace(s[e - 1]))
            e--;
        if (e - b < 8 || e - b > KT_URL_MAX)
            continue;
        if (!kt_ascii_iprefix(s + b, e - b, "http://") &&
            !kt_ascii_iprefix(s + b, e - b, "https://"))
            continue;
        char *line = kt_strndup0(s + b, e - b);
        if (!line) {
            w->st = KT_ENOMEM;
            return;
        }
        bool go = report(w, line, KT_DISCOVERED_PAGE, false, 0, NULL);
        free(line);
        if (!go)
            return;
    }
}

kt_status kt_discover_parse(const char *bytes, size_t len, const char *content_type,
                            const char *base_url, const struct kt_discover_opts *opts,
                            kt_discover_cb cb, void *ctx, enum kt_discover_format *format_out,
                            struct kt_err *err)
{
    (void)content_type;
    const char *name = base_url ? base_url : "(document)";
    size_t max_bytes = opts && opts->max_bytes ? opts->max_bytes : KT_DISCOVER_MAX_BYTES;
    size_t max_urls = opts && opts->max_urls ? opts->max_urls : KT_DISCOVER_MAX_URLS;
    if (format_out)
        *format_out = KT_FORMAT_UNKNOWN;
    if (!bytes && len)
        return kt_err_set(err, KT_EINVAL, "%s: NULL data", name);
    struct kt_buf inflated = {0}, clean = {0};
    kt_status st = KT_OK;
    if (len >= 2 && (unsigned char)bytes[0] == 0x1f && (unsigned char)bytes[1] == 0x8b) {
        st = kt_gunzip(bytes, len, max_bytes, &inflated, err);
        if (st != KT_OK) {
            kt_buf_free(&inflated);
            return kt_err_prefix(err, "%s", name);
        }
        bytes = inflated.data;
        len = inflated.len;
    } else if (len > max_bytes) {
        return kt_err_set(err, KT_ETOOBIG, "%s: document of %zu bytes exceeds %zu", name, len,
                          max_bytes);
    }
    if (len > (size_t)INT32_MAX) {
        kt_buf_free(&inflated);
        return kt_err_set(err, KT_ETOOBIG, "%s: document too large", name);
    }
    struct walk w = {base_url, cb, ctx, max_urls, 0, {0}, {0}, {0}, KT_OK};
    size_t i = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && kt_ascii_isspace(bytes[i]))
        i++;
    if (i >= len || bytes[i] != '<') {
        /* not XML: a text sitemap, if it has URLs */
        walk_text(&w, bytes, len);
        st = w.st;
        if (st == KT_OK && w.n_urls == 0)
            st = kt_err_set(err, KT_EPARSE, "%s: neither XML nor a list of URLs", name);
        else if (st == KT_OK && format_out)
            *format_out = KT_FORMAT_URLSET;
        else if (st == KT_ENOMEM)
            kt_err_set(err, st, "%s: out of memory", name);
        goto out;
    }
    if (sanitize_amps(bytes, len, &clean) != KT_OK) {
        st = kt_err_set(err, KT_ENOMEM, "%s: out of memory", name);
        goto out;
    }
    /* NONET: no network; no NOENT/DTDLOAD/DTDATTR: entities are not substituted and no
     * external subset is loaded (no XXE); RECOVER: keep what parses. */
    int xopts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
    xmlDoc *doc = xmlReadMemory(clean.data, (int)clean.len, base_url, NULL, xopts);
    kt_buf_free(&clean);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    enum kt_discover_format fmt = KT_FORMAT_UNKNOWN;
    if (name_is(root, "urlset"))
        fmt = KT_FORMAT_URLSET;
    else if (name_is(root, "sitemapindex"))
        fmt = KT_FORMAT_SITEMAPINDEX;
    else if (name_is(root, "rss") || name_is(root, "RDF"))
        fmt = KT_FORMAT_RSS;
    else if (name_is(root, "feed"))
        fmt = KT_FORMAT_ATOM;
    if (fmt == KT_FORMAT_UNKNOWN) {
        st = kt_err_set(err, KT_EPARSE, "%s: not a sitemap or feed (root element %s)", name,
                        root && root->name ? (const char *)root->name : "missing");
        xmlFreeDoc(doc);
        goto out;
    }
    if (format_out)
        *format_out = fmt;
    switch (fmt) {
    case KT_FORMAT_URLSET:
        walk_sitemap(&w, root, false);
        break;
    case KT_FORMAT_SITEMAPINDEX:
        walk_sitemap(&w, root, true);
        break;
    case KT_FORMAT_RSS:
        walk_rss(&w, root);
        break;
    case KT_FORMAT_ATOM:
        walk_atom(&w, root);
        break;
    default:
        break;
    }
    xmlFreeDoc(doc);
    st = w.st;
    if (st == KT_ENOMEM)
        kt_err_set(err, st, "%s: out of memory", name);
out:
    kt_buf_free(&w.t1);
    kt_buf_free(&w.t2);
    kt_buf_free(&w.t3);
    kt_buf_free(&inflated);
    return st;
}
