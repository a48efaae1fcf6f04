/* render/sdl_backend.h — executes hs_dl command lists with SDL_Renderer and SDL2_ttf.
 * Owns: the fonts (DejaVu), the text texture cache; the only SDL drawing code. */
#ifndef HS_SDL_BACKEND_H
#define HS_SDL_BACKEND_H

#include <SDL.h>
#include <stddef.h>

#include "draw.h"

typedef struct hs_sdl hs_sdl;

/* Initialises SDL2_ttf (counted) and finds the fonts.  Returns NULL and fills
 * err when TTF_Init fails, a font file is missing, or memory runs out. */
hs_sdl *hs_sdl_new(SDL_Renderer *r, char *err, size_t errlen);
void hs_sdl_free(hs_sdl *b);
/* Makes dl measure text with this backend's fonts. */
void hs_sdl_bind(hs_sdl *b, hs_dl *dl);
/* Draws every command of dl; a text that cannot be rendered is skipped. */
void hs_sdl_exec(hs_sdl *b, const hs_dl *dl);
/* Drops cached text textures not used in the last few frames. */
void hs_sdl_end_frame(hs_sdl *b);

#endif
