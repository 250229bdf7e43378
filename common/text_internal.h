/* text_internal.h - tables and helpers shared by the common/text_*.c files only. */
#ifndef KHOTIN_COMMON_TEXT_INTERNAL_H
#define KHOTIN_COMMON_TEXT_INTERNAL_H

#include "common/kt_text.h"

#include <stdint.h>

/* Generated tables (text_vn_table.c); see the layout comments there. */
extern const uint16_t kt_vn_tab_latin[0x1B0 - 0xC0 + 1];
extern const uint16_t kt_vn_tab_ext[0x1EF9 - 0x1EA0 + 1];
extern const uint16_t kt_vn_tab_compose[26 * 5 * 6 * 2];

#endif
