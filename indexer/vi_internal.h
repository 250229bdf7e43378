/* vi_internal.h - the analyzer object and the lexicon set shared by the indexer/vi_*.c files. */
#ifndef KHOTIN_INDEXER_VI_INTERNAL_H
#define KHOTIN_INDEXER_VI_INTERNAL_H

#include "indexer/vi_analyze.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A set of byte strings (lexicon words, syllables joined by '_'), each with flags. */
#define VI_LEX_WORD   0x1u /* a whole lexicon word */
#define VI_LEX_PREFIX 0x2u /* the first syllables of a longer lexicon word */

struct vi_lex_entry {
    uint32_t off, len, hash;
    uint32_t flags; /* 0 = empty slot */
};

struct vi_lexicon {
    struct vi_lex_entry *slots;
    size_t cap; /* power of two */
    size_t used;
    struct kt_buf keys;
};

kt_status vi_lex_add(struct vi_lexicon *lx, const char *key, size_t len, uint32_t flags);
/* The flags of key, 0 when absent. */
uint32_t vi_lex_find(const struct vi_lexicon *lx, const char *key, size_t len);
void vi_lex_free(struct vi_lexicon *lx);
/* Adds one word ("Phó Bí thư", syllables separated by spaces) normalized to norm forms,
 * with all its prefixes. */
kt_status vi_lex_add_word(struct vi_lexicon *lx, const char *word, size_t len, struct kt_buf *tmp,
                          struct kt_err *err);
/* Loads the built-in lexicon of titles and organizations. */
kt_status vi_lex_builtin(struct vi_lexicon *lx, struct kt_buf *tmp, struct kt_err *err);
/* Loads a dictionary file, one word per line. */
kt_status vi_lex_load(struct vi_lexicon *lx, const char *path, struct kt_buf *tmp,
                      struct kt_err *err);

/* A cache of analyzed words keyed by their surface bytes (bounded: it stops growing when
 * full, so memory does not depend on the input). A small open-addressing index points into a
 * dense entry array whose strings live in one arena, so the frequent words stay in cache. */
#define VI_WC_SLOTS   16384 /* power of two */
#define VI_WC_ENTRIES (VI_WC_SLOTS / 2)
#define VI_WC_KEY     24
#define VI_WC_ARENA   (VI_WC_ENTRIES * 40)
struct vi_wc_slot {
    uint32_t hash;
    uint32_t entry; /* entry index + 1; 0 = empty */
};
struct vi_wc_entry {
    char key[VI_WC_KEY]; /* the surface bytes (klen of them) */
    uint32_t off;        /* canon, norm, fold in the arena, in a row */
    uint8_t klen, clen, nlen, flen;
    uint32_t flags; /* VI_TF_* of the word */
    uint32_t lex;   /* lexicon flags of norm (VI_LEX_*) */
};
struct vi_wcache {
    struct vi_wc_slot slots[VI_WC_SLOTS];
    struct vi_wc_entry entries[VI_WC_ENTRIES];
    size_t n;
    size_t arena_len;
    char arena[VI_WC_ARENA];
};

struct vi_analyzer {
    bool no_bigrams, no_lexicon;
    struct vi_lexicon lex;
    struct kt_buf forms;  /* canon/norm/fold of the current token */
    struct kt_buf tmp;    /* scratch */
    struct kt_buf tmp2;   /* scratch */
    struct kt_buf term;   /* the term being emitted */
    struct kt_buf prev;   /* terms state: the previous token's norm and fold */
    struct kt_buf window; /* terms state: active lexicon matches */
    void *brk;            /* lazily opened ICU word break iterator (UBreakIterator *) */
    struct vi_wcache *wc; /* word cache, allocated on first use */
    bool wc_failed;       /* allocation failed once: run without the cache */
    /* lexicon flags of the token being delivered (from the cache), valid when cur_lex_ok */
    bool cur_lex_ok;
    uint32_t cur_lex;
};

#endif
