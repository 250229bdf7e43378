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
    uint64_t filter[64]; /* bit vi_lex_filter_bit(key) set for every key: a cheap "absent" */
};

/* The filter bit of a key (length, first and last byte). */
static inline unsigned vi_lex_filter_bit(const char *key, size_t len)
{
    return (unsigned)(len * 131u + (unsigned char)key[0] * 31u +
                      (unsigned char)key[len ? len - 1 : 0]) &
           4095u;
}

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

/* A cache of analyzed syllables (surface bytes -> canon/norm/fold forms and flags), filled by
 * the tokenizer's fast path; direct-mapped, fixed size, so memory does not grow with input. */
#define VI_SYL_SLOTS 4096u /* power of two */
#define VI_SYL_KEY   16    /* longest cached surface form, bytes */
#define VI_SYL_FORMS 36    /* with the rest of the entry: one 64-byte cache line */

struct vi_syl_entry {
    uint64_t key[2]; /* the surface bytes, zero-padded (see vi_analyze.c) */
    uint32_t flags;  /* token flags (VI_TF_*) */
    uint8_t key_len; /* 0 = empty slot */
    uint8_t nletters;
    uint8_t first_upper;
    uint8_t canon_len, norm_len, fold_len;
    uint8_t lex;              /* vi_lex_find flags of the norm form + 1; 0 = not looked up yet */
    char forms[VI_SYL_FORMS]; /* canon, norm, fold back to back */
};

struct vi_analyzer {
    bool no_bigrams, no_lexicon;
    struct vi_lexicon lex;
    struct kt_buf forms;          /* canon/norm/fold of the current token */
    struct kt_buf tmp;            /* scratch */
    void *brk;                    /* lazily opened ICU word break iterator (UBreakIterator *) */
    struct vi_syl_entry *syl;     /* VI_SYL_SLOTS entries */
    struct vi_syl_entry *cur_syl; /* the entry of the token being delivered, or NULL */
};

#endif
