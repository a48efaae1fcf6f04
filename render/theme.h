/* render/theme.h — the high-contrast, colour-blind-safe theme (Okabe-Ito palette).
 * Owns: the colours, hatch patterns and names of chunk states, and the UI colours. */
#ifndef HS_THEME_H
#define HS_THEME_H

#include "draw.h"

/* Okabe-Ito: readable by viewers with every common colour-vision deficiency. */
#define HS_OI_BLACK      hs_rgba(0x00, 0x00, 0x00, 0xff)
#define HS_OI_ORANGE     hs_rgba(0xE6, 0x9F, 0x00, 0xff)
#define HS_OI_SKY        hs_rgba(0x56, 0xB4, 0xE9, 0xff)
#define HS_OI_GREEN      hs_rgba(0x00, 0x9E, 0x73, 0xff)
#define HS_OI_YELLOW     hs_rgba(0xF0, 0xE4, 0x42, 0xff)
#define HS_OI_BLUE       hs_rgba(0x00, 0x72, 0xB2, 0xff)
#define HS_OI_VERMILLION hs_rgba(0xD5, 0x5E, 0x00, 0xff)
#define HS_OI_PURPLE     hs_rgba(0xCC, 0x79, 0xA7, 0xff)

#define HS_C_BG       hs_rgba(0xff, 0xff, 0xff, 0xff)  /* page */
#define HS_C_PANEL    hs_rgba(0xf4, 0xf4, 0xf4, 0xff)  /* panel background */
#define HS_C_FG       hs_rgba(0x00, 0x00, 0x00, 0xff)  /* text */
#define HS_C_DIM      hs_rgba(0x44, 0x44, 0x44, 0xff)  /* secondary text (7:1 on white) */
#define HS_C_RULE     hs_rgba(0x88, 0x88, 0x88, 0xff)
#define HS_C_SEGMENT  hs_rgba(0xd8, 0xd8, 0xd8, 0xff)  /* text/data/bss/stack boxes */
#define HS_C_VOID     hs_rgba(0xea, 0xea, 0xea, 0xff)  /* unmapped address space */
#define HS_C_MODEL    HS_OI_BLUE                       /* model lines and marks */
#define HS_C_REAL     HS_OI_ORANGE                     /* real glibc lines and marks */
#define HS_C_ALERT    HS_OI_VERMILLION                 /* disagreement, errors */
#define HS_C_EDATA    hs_rgba(0x00, 0x00, 0x00, 0xff)  /* the _edata arrow */
#define HS_C_TITLE    hs_rgba(0x10, 0x10, 0x10, 0xff)  /* title bar background */
#define HS_C_TIP      hs_rgba(0xff, 0xff, 0xe8, 0xff)  /* tooltip background */

/* Fill colour of a chunk state (hs_chunk_state). */
hs_color hs_state_color(int state);
/* Text colour that reads on hs_state_color(state). */
hs_color hs_state_ink(int state);
/* A thread's colour where an op is marked by its thread (the narration's
 * tag, the timeline's strip): the main thread (0) black, the others the
 * Okabe-Ito colours in turn; its ink is the text colour readable on it. */
hs_color hs_thread_color(uint32_t thread);
hs_color hs_thread_ink(uint32_t thread);
/* Hatch pattern over the fill (see hs_dl_hatch), 0 for none, and its colour. */
int hs_state_hatch(int state);
hs_color hs_state_hatch_color(int state);
/* Short names: "in use", "tcache", "fastbin", "unsorted", "small bin", "large bin",
 * "top", "mmapped"; "?" when out of range. */
const char *hs_state_name(int state);

#endif
