/* text_internal.h - tables and helpers shared by the common/text_*.c files only. */
#ifndef KHOTIN_COMMON_TEXT_INTERNAL_H
#define KHOTIN_COMMON_TEXT_INTERNAL_H

#include "common/kt_text.h"

#include <stdint.h>

/* Generated tables (text_vn_table.c); see the layout comments there. */
extern const uint16_t kt_vn_tab_latin[0x1B0 - 0xC0 + 1];
extern const uint16_t kt_vn_tab_ext[0x1EF9 - 0x1EA0 + 1];
extern const uint16_t kt_vn_tab_compose[26 * 5 * 6 * 2];

/* What the display normalization does with a code point that is not a letter. */
enum kt_text_special {
    KT_SPECIAL_NONE = 0, /* keep */
    KT_SPECIAL_SPACE,    /* becomes ' ' */
    KT_SPECIAL_DROP,     /* removed (zero-width, soft hyphen, BOM) */
    KT_SPECIAL_NEWLINE,  /* U+2028/U+2029 -> '\n' */
};
enum kt_text_special kt_text_special_of(uint32_t cp);

/* The ASCII replacement of a typographic punctuation code point (KT_NORM_ASCII_PUNCT), or
 * NULL when cp is not one. */
const char *kt_text_ascii_punct(uint32_t cp);

#endif
