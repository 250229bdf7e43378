/* extract_title.c - the headline: og:title / JSON-LD headline / the <h1> or title-like element
 * that the <title> confirms, without the site name and without a date stamp inside it. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <stdlib.h>
#include <string.h>

void ex_strip_title_date(char *s)
{
    size_t n = strlen(s);
    /* "(10:25 26/03/2020)" or "[26/03/2020]" at the end */
    while (n && (s[n - 1] == ' '))
        n--;
    if (n && (s[n - 1] == ')' || s[n - 1] == ']')) {
        char open = s[n - 1] == ')' ? '(' : '[';
        size_t k = n - 1;
        while (k > 0 && s[k - 1] != open && n - k < 40)
            k--;
        if (k > 0 && s[k - 1] == open) {
            struct ex_date d;
            if (ex_find_visible_date(s + k, n - 1 - k, &d, NULL) &&
                ex_is_date_line(s + k, n - 1 - k)) {
                n = k - 1;
                while (n && (s[n - 1] == ' ' || s[n - 1] == '-' || s[n - 1] == '|'))
                    n--;
            }
        }
    } else {
        /* "Title - 26/03/2020 10:25" / "Title 26/03/2020" */
        for (size_t k = n > 30 ? n - 30 : 0; k < n; k++) {
            if (k && s[k - 1] != ' ')
                continue;
            struct ex_date d;
            size_t end = 0;
            if (s[k] >= '0' && s[k] <= '9' && ex_find_visible_date(s + k, n - k, &d, &end) &&
                ex_is_date_line(s + k, n - k)) {
                size_t m = k;
                while (m && (s[m - 1] == ' ' || s[m - 1] == '-' || s[m - 1] == '|'))
                    m--;
                if (m > 10)
                    n = m;
                break;
            }
        }
    }
    s[n] = '\0';
}

static char *collapse_dup(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    size_t w = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = w > 0;
            continue;
        }
        if (sp)
            r[w++] = ' ';
        sp = false;
        r[w++] = c;
    }
    r[w] = '\0';
    return r;
}

/* True when needle occurs in hay (both whitespace-collapsed). */
static bool contains(const char *hay, const char *needle)
{
    return hay && needle && needle[0] && strstr(hay, needle) != NULL;
}

/* Longest " - " / " | " separated segment of a <title>, as the fallback headline. */
static char *title_tag_headline(const char *tt)
{
    static const char *const seps[] = {" - ", " | ", " – ", " :: ", " — ", NULL};
    const char *best = tt;
    size_t best_len = strlen(tt);
    for (size_t i = 0; seps[i]; i++) {
        const char *p = strstr(tt, seps[i]);
        if (!p)
            continue;
        /* two parts: pick the longer one */
        size_t a = (size_t)(p - tt);
        const char *b = p + strlen(seps[i]);
        size_t bl = strlen(b);
        if (a >= bl) {
            best = tt;
            best_len = a;
        } else {
            best = b;
            best_len = bl;
        }
        break;
    }
    return ex_strndup_trim(best, best_len);
}

char *ex_pick_title(struct ex_doc *d, uint32_t *title_node)
{
    *title_node = EX_NONE;
    char *tt = d->title_tag ? collapse_dup(d->title_tag) : NULL;
    const char *og = ex_meta_get(d, "og:title");
    if (!og)
        og = ex_meta_get(d, "twitter:title");
    char *ogc = og ? collapse_dup(og) : NULL;
    char *ld = ex_jsonld_get(d, "headline");
    char *ldc = ld ? collapse_dup(ld) : NULL;
    free(ld);
    char *result = NULL;

    /* Element candidates: h1 blocks and title-hinted blocks (first ones in the page). */
    uint32_t best_b = EX_NONE, first_h1 = EX_NONE;
    size_t best_len = 0;
    char *best_text = NULL;
    for (uint32_t bi = 0; bi < d->n_blocks; bi++) {
        struct ex_block *b = &d->blocks[bi];
        if (b->flags & EXB_REMOVED || b->chars < 8 || b->chars > 400)
            continue;
        uint32_t o = b->owner;
        bool h1 = b->heading == 1;
        bool hinted = o != EX_NONE && (d->nodes[o].flags & EXN_TITLEHINT) && b->heading != 0;
        bool hinted_any = o != EX_NONE && (d->nodes[o].flags & EXN_TITLEHINT);
        if (!h1 && !hinted && !hinted_any && b->heading != 2)
            continue;
        if (b->link_chars * 2 > b->chars && !h1)
            continue;
        char *t = ex_strndup_trim(ex_btext(d, b), b->len);
        if (!t)
            break;
        ex_strip_title_date(t);
        if (h1 && first_h1 == EX_NONE)
            first_h1 = bi;
        bool confirmed = (ogc && strcmp(ogc, t) == 0) || (ldc && strcmp(ldc, t) == 0) ||
                         contains(tt, t) || contains(ogc, t);
        size_t tl = strlen(t);
        if (confirmed && (h1 || hinted_any) && tl > best_len) {
            free(best_text);
            best_text = t;
            best_len = tl;
            best_b = bi;
        } else {
            free(t);
        }
    }
    if (best_text) {
        result = best_text;
        *title_node = d->blocks[best_b].owner;
        /* an og:title / headline that extends the element text wins if it is the same title */
    } else if (ogc) {
        /* "Headline - Site name": drop a suffix that is og:site_name */
        const char *sn = ex_meta_get(d, "og:site_name");
        size_t ol = strlen(ogc), sl = sn ? strlen(sn) : 0;
        if (sl && ol > sl + 3 && strcmp(ogc + ol - sl, sn) == 0) {
            size_t k = ol - sl;
            while (k && (ogc[k - 1] == ' ' || ogc[k - 1] == '-' || ogc[k - 1] == '|'))
                k--;
            if (k > 0)
                ogc[k] = '\0';
        }
        result = ogc;
        ogc = NULL;
    } else if (ldc) {
        result = ldc;
        ldc = NULL;
    } else if (first_h1 != EX_NONE) {
        struct ex_block *b = &d->blocks[first_h1];
        result = ex_strndup_trim(ex_btext(d, b), b->len);
        if (result)
            ex_strip_title_date(result);
        *title_node = b->owner;
    } else if (tt && tt[0]) {
        result = title_tag_headline(tt);
    }
    /* Locate the element of an og/ld title for the date and lead steps. */
    if (result && *title_node == EX_NONE) {
        for (uint32_t bi = 0; bi < d->n_blocks; bi++) {
            struct ex_block *b = &d->blocks[bi];
            if (b->flags & EXB_REMOVED || b->chars > 400)
                continue;
            if (b->len >= strlen(result) && strncmp(ex_btext(d, b), result, strlen(result)) == 0 &&
                b->link_chars * 2 <= b->chars) {
                *title_node = b->owner;
                break;
            }
        }
    }
    free(tt);
    free(ogc);
    free(ldc);
    return result;
}
