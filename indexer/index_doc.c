/* index_doc.c - turns one article record into its Xapian document: analyzer terms in the
 * field spaces, filter terms, values and the stored data (layout: index_schema.h). */
#include "indexer/entities.h"
#include "indexer/index_internal.h"
#include "indexer/index_schema.h"

#include "common/kt_text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kt_index_hash_hex(const void *data, size_t len, char hex[17])
{
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
}

kt_status kt_index_id_term(const char *id, struct kt_buf *uterm, struct kt_err *err)
{
    kt_buf_reset(uterm);
    size_t n = strlen(id);
    kt_status s = kt_buf_append_cstr(uterm, KT_PFX_ID);
    if (n <= KT_ID_TERM_MAX) {
        if (s == KT_OK)
            s = kt_buf_append(uterm, id, n);
    } else {
        char hex[17];
        kt_index_hash_hex(id, n, hex);
        if (s == KT_OK)
            s = kt_buf_append(uterm, id, KT_ID_TERM_MAX - 17);
        if (s == KT_OK)
            s = kt_buf_printf(uterm, "#%s", hex);
    }
    if (s != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", id);
    return KT_OK;
}

/* ============================ Free-text terms ============================
 *
 * Which of the analyzer's terms are stored, and how (measured on vietnews-20k, see
 * BENCHMARKS.md: Xapian's cost is per (document, term) pair, positional or not, so every
 * term kind kept must earn its place):
 *   folded FP+"F"+fold   always, POSITIONAL: unaccented words and every phrase match on it;
 *   exact  FP+norm       only when norm has a diacritic, NOT positional: a query word typed
 *                        with diacritics must match exactly (an exact phrase is the folded
 *                        phrase AND its exact words); a word without diacritics is always
 *                        searched folded, so its exact twin would never be used;
 *   bigrams, lexicon words  only in the title space (folded bigrams "SBF"), for ranking units;
 *                        in the body, units are ranked with phrase checks at query time. */

struct emit {
    kt_xdoc *doc;
    bool any;         /* add the term in the "" space */
    const char *also; /* also add it under this field prefix (NULL = no) */
    bool also_units;  /* ... including folded bigrams and lexicon words */
    struct kt_err *err;
    char buf[KT_XTERM_MAX + 1];
};

static kt_status add_one(struct emit *e, const char *prefix, const char *term, size_t len,
                         uint32_t pos)
{
    size_t pl = strlen(prefix);
    if (len == 0 || pl + len > KT_XTERM_MAX)
        return KT_OK;
    const char *t = term;
    if (pl) {
        memcpy(e->buf, prefix, pl);
        memcpy(e->buf + pl, term, len);
        t = e->buf;
    }
    if (pos)
        return kt_xdoc_add_posting(e->doc, t, pl + len, pos, 1, e->err);
    return kt_xdoc_add_term(e->doc, t, pl + len, 1, e->err);
}

static bool has_diacritics(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return kt_text_has_diacritics(s, n);
    return false;
}

static kt_status emit_term(void *ud, const struct vi_term *t)
{
    struct emit *e = ud;
    kt_status s = KT_OK;
    switch (t->kind) {
    case VI_TERM_FOLDED:
        if (e->any)
            s = add_one(e, "", t->data, t->len, t->pos);
        if (s == KT_OK && e->also)
            s = add_one(e, e->also, t->data, t->len, t->pos);
        return s;
    case VI_TERM_EXACT:
        if (!has_diacritics(t->data, t->len))
            return KT_OK;
        if (e->any)
            s = add_one(e, "", t->data, t->len, 0);
        if (s == KT_OK && e->also)
            s = add_one(e, e->also, t->data, t->len, 0);
        return s;
    case VI_TERM_BIGRAM_FOLDED:
    case VI_TERM_WORD:
        if (e->also && e->also_units)
            s = add_one(e, e->also, t->data, t->len, 0);
        return s;
    case VI_TERM_BIGRAM:
        return KT_OK;
    }
    return KT_OK;
}

/* Indexes text in the "" space (when any) and under also; *pos continues across fields. */
static kt_status index_field(vi_analyzer *an, kt_xdoc *doc, const char *text, bool any,
                             const char *also, bool also_units, uint32_t *pos, struct kt_err *err)
{
    if (!text || !*text)
        return KT_OK;
    struct emit e = {doc, any, also, also_units, err, {0}};
    kt_status s = vi_terms_for_text(an, text, strlen(text), KT_PFX_ANY, pos, emit_term, &e, err);
    *pos += KT_FIELD_GAP;
    return s;
}

/* ============================ Filters, values, data ============================ */

static kt_status add_bool(kt_xdoc *doc, const char *prefix, const char *value, size_t vlen,
                          struct kt_err *err)
{
    char term[KT_XTERM_MAX + 1];
    size_t pl = strlen(prefix);
    if (vlen == 0 || pl + vlen > KT_XTERM_MAX)
        return KT_OK;
    memcpy(term, prefix, pl);
    memcpy(term + pl, value, vlen);
    return kt_xdoc_add_boolean_term(doc, term, pl + vlen, err);
}

/* "YYYY-MM-DD..." -> "YYYYMMDD"; false when the date does not start that way. */
static bool date_key(const char *date, char out[9])
{
    if (!date || strlen(date) < 10 || date[4] != '-' || date[7] != '-')
        return false;
    int idx[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++) {
        char c = date[idx[i]];
        if (c < '0' || c > '9')
            return false;
        out[i] = c;
    }
    out[8] = '\0';
    return true;
}

/* The site: a->site, else the URL's host; lower case, "www." dropped, into out. */
static void site_name(const struct kt_article *a, char *out, size_t cap)
{
    const char *s = a->site;
    size_t n = 0;
    if (!s || !*s) {
        s = a->url ? strstr(a->url, "://") : NULL;
        if (!s) {
            out[0] = '\0';
            return;
        }
        s += 3;
        n = strcspn(s, "/:?#");
    } else {
        n = strlen(s);
    }
    if (n > 4 && strncmp(s, "www.", 4) == 0) {
        s += 4;
        n -= 4;
    }
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    out[n] = '\0';
}

/* Document data: the small JSON record, a NUL byte, then the snippet text (lead and body). */
static kt_status set_data(kt_xdoc *doc, const struct kt_article *a, const char *site,
                          bool store_text, struct kt_err *err)
{
    json_t *o = json_object();
    if (!o)
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    const char *keys[] = {"id", "url", "title", "date", "author"};
    const char *vals[] = {a->id, a->url, a->title, a->date, a->author};
    int bad = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (vals[i])
            bad |= json_object_set_new(o, keys[i], json_string(vals[i]));
    bad |= json_object_set_new(o, "site", json_string(site));
    char *js = bad ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!js)
        return kt_err_set(err, KT_EPARSE, "%s: cannot serialise the record (invalid UTF-8?)",
                          a->id ? a->id : a->url);
    struct kt_buf d = {0};
    kt_status s = kt_buf_append(&d, js, strlen(js) + 1); /* with its NUL */
    free(js);
    if (s == KT_OK && store_text) {
        const char *lead = a->lead ? a->lead : "", *text = a->text ? a->text : "";
        size_t ll = strlen(lead);
        if (ll > 0 && strncmp(text, lead, ll) != 0) {
            s = kt_buf_append(&d, lead, ll);
            if (s == KT_OK && *text)
                s = kt_buf_append(&d, "\n\n", 2);
        }
        size_t n = strlen(text);
        if (n > KT_DATA_TEXT_MAX) { /* cut on a character boundary */
            n = KT_DATA_TEXT_MAX;
            while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
                n--;
        }
        if (s == KT_OK)
            s = kt_buf_append(&d, text, n);
    }
    if (s == KT_OK)
        s = kt_xdoc_set_data(doc, d.data, d.len, err);
    else
        s = kt_err_set(err, KT_ENOMEM, "out of memory");
    kt_buf_free(&d);
    return s;
}

/* Entity terms (indexer/entities.h): officials "XO"/"XOF" and places "XP"/"XPF" as boolean
 * terms, so `official:` / `place:` filters and entity facets work. ex NULL = none. */
static kt_status add_entity_terms(struct kt_entity_extractor *ex, kt_xdoc *doc,
                                  const struct kt_article *a, struct kt_err *err)
{
    if (!ex)
        return KT_OK;
    struct kt_entity_terms t = {0};
    kt_status s = kt_entity_article_terms(ex, a, &t, err);
    for (size_t i = 0; s == KT_OK && i < t.n; i++) {
        size_t n = strlen(t.v[i]);
        if (n > 0 && n <= KT_XTERM_MAX)
            s = kt_xdoc_add_boolean_term(doc, t.v[i], n, err);
    }
    kt_entity_terms_free(&t);
    return s;
}

kt_status kt_index_doc_build(vi_analyzer *an, struct kt_entity_extractor *ex,
                             const struct kt_article *a, const char *hash_hex, bool store_text,
                             kt_xdoc **out, struct kt_buf *uterm, struct kt_err *err)
{
    *out = NULL;
    const char *id = a->id && *a->id ? a->id : a->url;
    if (!id || !*id)
        return kt_err_set(err, KT_EPARSE, "record has neither id nor url");
    kt_status s = kt_index_id_term(id, uterm, err);
    if (s != KT_OK)
        return s;
    kt_xdoc *doc = NULL;
    if ((s = kt_xdoc_new(&doc, err)) != KT_OK)
        return s;
    uint32_t pos = 0;
    const char *text = a->text;
    bool lead_in_text = a->lead && text && strncmp(text, a->lead, strlen(a->lead)) == 0;
    s = kt_xdoc_add_boolean_term(doc, uterm->data, uterm->len, err);
    if (s == KT_OK)
        s = index_field(an, doc, a->title, true, KT_PFX_TITLE, true, &pos, err);
    if (s == KT_OK)
        s = index_field(an, doc, a->author, true, KT_PFX_AUTHOR, false, &pos, err);
    if (s == KT_OK)
        s = index_field(an, doc, a->source_attribution, true, KT_PFX_SOURCE, false, &pos, err);
    if (s == KT_OK)
        s = index_field(an, doc, a->lead, !lead_in_text, KT_PFX_LEAD, false, &pos, err);
    if (s == KT_OK)
        s = index_field(an, doc, text, true, NULL, false, &pos, err);

    char site[128];
    site_name(a, site, sizeof site);
    if (s == KT_OK && site[0]) {
        s = add_bool(doc, KT_PFX_SITE, site, strlen(site), err);
        if (s == KT_OK)
            s = kt_xdoc_set_value(doc, KT_SLOT_SITE, site, strlen(site), err);
    }
    char dk[9];
    if (s == KT_OK && date_key(a->date, dk)) {
        s = kt_xdoc_set_value(doc, KT_SLOT_DATE, dk, 8, err);
        if (s == KT_OK)
            s = kt_xdoc_set_value(doc, KT_SLOT_YEAR, dk, 4, err);
        if (s == KT_OK)
            s = add_bool(doc, KT_PFX_YEAR, dk, 4, err);
        if (s == KT_OK)
            s = add_bool(doc, KT_PFX_MONTH, dk, 6, err);
    }
    if (s == KT_OK) {
        const char *key = a->dup_of && *a->dup_of ? a->dup_of : (a->url && *a->url ? a->url : id);
        s = kt_xdoc_set_value(doc, KT_SLOT_COLLAPSE, key, strlen(key), err);
    }
    if (s == KT_OK && hash_hex)
        s = kt_xdoc_set_value(doc, KT_SLOT_HASH, hash_hex, strlen(hash_hex), err);
    if (s == KT_OK)
        s = add_entity_terms(ex, doc, a, err);
    if (s == KT_OK)
        s = set_data(doc, a, site, store_text, err);
    if (s != KT_OK) {
        kt_xdoc_free(doc);
        return s;
    }
    *out = doc;
    return KT_OK;
}
