/* render/theme.c — chunk-state colours, patterns and names for every view.
 * Owns: the mapping from hs_chunk_state to how it looks; out-of-range states get grey. */
#include "theme.h"

#include "../sim/sim.h"

hs_color hs_state_color(int state)
{
    switch (state) {
    case HS_CH_INUSE:    return HS_OI_BLUE;
    case HS_CH_TCACHE:   return HS_OI_SKY;
    case HS_CH_FASTBIN:  return HS_OI_YELLOW;
    case HS_CH_UNSORTED: return HS_OI_ORANGE;
    case HS_CH_SMALL:    return HS_OI_GREEN;
    case HS_CH_LARGE:    return HS_OI_PURPLE;
    case HS_CH_TOP:      return hs_rgba(0xcf, 0xcf, 0xcf, 0xff);
    case HS_CH_MMAPPED:  return HS_OI_VERMILLION;
    default:             return hs_rgba(0x99, 0x99, 0x99, 0xff);
    }
}

hs_color hs_state_ink(int state)
{
    switch (state) {
    case HS_CH_INUSE:
    case HS_CH_MMAPPED:
        return hs_rgba(0xff, 0xff, 0xff, 0xff);
    default:
        return HS_C_FG;
    }
}

/* Threads: main black, then the palette (yellow and orange, light, take black ink). */
hs_color hs_thread_color(uint32_t thread)
{
    switch (thread == 0 ? 0 : 1 + (thread - 1) % 7) {
    case 0: return HS_OI_BLACK;
    case 1: return HS_OI_GREEN;
    case 2: return HS_OI_PURPLE;
    case 3: return HS_OI_SKY;
    case 4: return HS_OI_VERMILLION;
    case 5: return HS_OI_YELLOW;
    case 6: return HS_OI_BLUE;
    default: return HS_OI_ORANGE;
    }
}

hs_color hs_thread_ink(uint32_t thread)
{
    uint32_t k = thread == 0 ? 0 : 1 + (thread - 1) % 7;
    /* black, green, blue and vermillion are dark enough for white */
    return k == 0 || k == 1 || k == 4 || k == 6 ? hs_rgba(0xff, 0xff, 0xff, 0xff) : HS_C_FG;
}

/* In use and mmapped are solid; every free kind has its own pattern, so
 * states differ by more than hue. */
int hs_state_hatch(int state)
{
    switch (state) {
    case HS_CH_TCACHE:   return 6;  /* dots */
    case HS_CH_FASTBIN:  return 2;  /* \ */
    case HS_CH_UNSORTED: return 3;  /* x */
    case HS_CH_SMALL:    return 4;  /* - */
    case HS_CH_LARGE:    return 5;  /* | */
    case HS_CH_TOP:      return 1;  /* / */
    default:             return 0;
    }
}

hs_color hs_state_hatch_color(int state)
{
    if (state == HS_CH_TOP) return hs_rgba(0xa0, 0xa0, 0xa0, 0xff);
    return hs_rgba(0x00, 0x00, 0x00, 0x70);
}

const char *hs_state_name(int state)
{
    static const char *names[] = {"in use", "tcache", "fastbin", "unsorted",
                                  "small bin", "large bin", "top", "mmapped"};
    if (state < 0 || state >= (int)(sizeof names / sizeof names[0])) return "?";
    return names[state];
}
