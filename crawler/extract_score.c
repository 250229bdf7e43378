/* extract_score.c - main-text scoring: every paragraph-like block gives points (1 + commas +
 * length, up to 3 per 100 characters) to its container and half to the container's parent;
 * containers get a class/id and tag prior, and the total is damped by link density. The best
 * container is the article body. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <string.h>

static float tag_prior(uint8_t tag)
{
    switch (tag) {
    case EXT_DIV:
    case EXT_ARTICLE:
    case EXT_MAIN:
    case EXT_SECTION:
        return 5;
    case EXT_TD:
    case EXT_PRE:
    case EXT_BLOCKQUOTE:
        return 3;
    case EXT_FORM:
    case EXT_UL:
    case EXT_OL:
    case EXT_LI:
    case EXT_DL:
    case EXT_DD:
    case EXT_DT:
    case EXT_ADDRESS:
        return -3;
    case EXT_H1:
    case EXT_H2:
    case EXT_H3:
    case EXT_H4:
    case EXT_H5:
    case EXT_H6:
    case EXT_TH:
        return -5;
    default:
        return 0;
    }
}

static void add_score(struct ex_doc *d, uint32_t node, float s)
{
    struct ex_node *e = &d->nodes[node];
    if (!e->scored) {
        e->scored = true;
        e->score = tag_prior(e->tag);
        if (e->flags & EXN_POSITIVE)
            e->score += 25;
        if (e->flags & EXN_NEGATIVE)
            e->score -= 25;
    }
    e->score += s;
}

uint32_t ex_pick_body(struct ex_doc *d)
{
    for (uint32_t bi = 0; bi < d->n_blocks; bi++) {
        const struct ex_block *b = &d->blocks[bi];
        if (b->flags & (EXB_REMOVED | EXB_CAPTION) || b->chars < 25 || b->owner == EX_NONE)
            continue;
        if (b->heading == 1)
            continue;
        if (b->link_chars * 2 > b->chars)
            continue;
        float s = 1.0f + (float)ex_count_commas(ex_btext(d, b), b->len);
        float l = (float)b->chars / 100.0f;
        s += l > 3 ? 3 : l;
        uint32_t o = b->owner;
        uint32_t p = d->nodes[o].bparent;
        if (p == EX_NONE)
            continue;
        add_score(d, p, s);
        uint32_t g = d->nodes[p].bparent;
        if (g != EX_NONE)
            add_score(d, g, s / 2);
    }
    uint32_t best = EX_NONE;
    float best_s = 0;
    for (uint32_t i = 0; i < d->n_nodes; i++) {
        struct ex_node *e = &d->nodes[i];
        if (!e->scored || (e->flags & EXN_REMOVED))
            continue;
        uint32_t t = ex_text_chars(d, i);
        float ld = t ? (float)ex_link_chars(d, i) / (float)t : 1.0f;
        float s = e->score * (1.0f - ld);
        e->score = s;
        if (best == EX_NONE || s > best_s) {
            best = i;
            best_s = s;
        }
    }
    return best_s > 0 ? best : EX_NONE;
}
