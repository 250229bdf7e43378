/* extract_prune.c - boilerplate removal before scoring: containers with negative class/id hints
 * (comments, related, sidebar, share, ads, tags, menus), containers introduced by Vietnamese
 * boilerplate headings ("Tin cùng chuyên mục", "Tin liên quan", "Viết bình luận"...), nav,
 * aside and footer elements, and lines that are boilerplate by themselves. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <string.h>

static bool structural_boiler(uint8_t tag)
{
    return tag == EXT_NAV || tag == EXT_ASIDE || tag == EXT_FOOTER;
}

/* First non-removed block inside node, or EX_NONE. */
static uint32_t first_live_block(const struct ex_doc *d, uint32_t node)
{
    const struct ex_node *e = &d->nodes[node];
    for (uint32_t b = e->first_block; b < e->end_block; b++)
        if (!(d->blocks[b].flags & EXB_REMOVED))
            return b;
    return EX_NONE;
}

/* Next element sibling index of node (same parent), EX_NONE if none. */
static uint32_t next_sibling(const struct ex_doc *d, uint32_t node)
{
    uint32_t nx = d->nodes[node].end;
    if (nx >= d->n_nodes)
        return EX_NONE;
    if (d->nodes[nx].parent != d->nodes[node].parent)
        return EX_NONE;
    return nx;
}

/* True when node contains an h1 or a title-like element with a headline-sized text. */
static bool holds_headline(const struct ex_doc *d, uint32_t node)
{
    const struct ex_node *e = &d->nodes[node];
    for (uint32_t b = e->first_block; b < e->end_block; b++) {
        const struct ex_block *bl = &d->blocks[b];
        if (bl->flags & EXB_REMOVED || bl->chars < 20 || bl->link_chars * 2 > bl->chars)
            continue;
        if (bl->heading == 1 ||
            (bl->owner != EX_NONE && (d->nodes[bl->owner].flags & EXN_TITLEHINT)))
            return true;
    }
    return false;
}

static void remove_heading_section(struct ex_doc *d, uint32_t bi, uint32_t total,
                                   enum ex_phrase kind)
{
    struct ex_block *hb = &d->blocks[bi];
    uint32_t owner = hb->owner;
    if (owner == EX_NONE)
        return;
    /* Climb while the heading is the first live text of the ancestor. */
    uint32_t c = owner;
    for (;;) {
        uint32_t p = d->nodes[c].bparent;
        if (p == EX_NONE || d->nodes[p].tag == EXT_BODY || d->nodes[p].tag == EXT_BLOCK_OTHER)
            break;
        if (first_live_block(d, p) != bi)
            break;
        uint32_t t = ex_text_chars(d, p);
        if (t * 10 > total * 4 && !(d->nodes[p].flags & EXN_NEGATIVE))
            break;
        if (holds_headline(d, p))
            break; /* the article's own headline is never inside a related box */
        if (kind == EXP_RELATED && t > 1500 && ex_link_chars(d, p) * 3 < t)
            break; /* an inline "Tin liên quan" heading never owns a long text */
        c = p;
    }
    uint32_t ctext = ex_text_chars(d, c);
    ex_remove_node(d, c);
    if (ctext > hb->chars + 20)
        return; /* the container held the list: done */
    /* A bare heading: remove the following siblings that look like its list. */
    for (uint32_t s = next_sibling(d, c); s != EX_NONE; s = next_sibling(d, s)) {
        uint32_t t = ex_text_chars(d, s), l = ex_link_chars(d, s);
        uint8_t tag = d->nodes[s].tag;
        bool listy = tag == EXT_UL || tag == EXT_OL || tag == EXT_TABLE || tag == EXT_FORM;
        if (t == 0 || l * 10 > t * 3 || listy || (kind == EXP_SECTION && t < 200)) {
            ex_remove_node(d, s);
            continue;
        }
        break;
    }
}

void ex_prune(struct ex_doc *d)
{
    if (d->n_nodes == 0)
        return;
    uint32_t root = d->body != EX_NONE ? d->body : 0;
    uint32_t total = ex_text_chars(d, root);
    if (total == 0)
        return;
    /* 1. negative hints and structural boilerplate */
    for (uint32_t i = 0; i < d->n_nodes; i++) {
        struct ex_node *e = &d->nodes[i];
        if (e->flags & EXN_REMOVED) {
            i = e->end - 1;
            continue;
        }
        if (!(e->flags & EXN_BLOCK) || e->tag == EXT_BODY || e->tag == EXT_BLOCK_OTHER || i == root)
            continue;
        bool neg = (e->flags & EXN_NEGATIVE) && !(e->flags & EXN_POSITIVE);
        if (!neg && !structural_boiler(e->tag))
            continue;
        uint32_t t = ex_text_chars(d, i);
        /* never drop most of the page: a mislabelled wrapper */
        if (t * 2 > total && t > 500)
            continue;
        ex_remove_node(d, i);
        i = e->end - 1;
    }
    ex_recount(d);
    /* 2. boilerplate headings and lines (a bounded number of sections, so a hostile page
     * cannot make this quadratic) */
    unsigned sections = 0;
    for (uint32_t bi = 0; bi < d->n_blocks; bi++) {
        struct ex_block *b = &d->blocks[bi];
        if (b->flags & EXB_REMOVED || b->chars > 80)
            continue;
        enum ex_phrase k = ex_phrase_kind(ex_btext(d, b), b->len);
        if ((k == EXP_SECTION || k == EXP_RELATED) && sections < 200) {
            sections++;
            remove_heading_section(d, bi, total, k);
            ex_recount(d);
        } else if (k == EXP_BOILER) {
            b->flags |= EXB_REMOVED;
        }
    }
    ex_recount(d);
}
