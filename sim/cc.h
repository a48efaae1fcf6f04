/* sim/cc.h — the compiler hints the hot paths use, one spelling for every layer.
 * Owns: HS_ALWAYS_INLINE, HS_NOINLINE, HS_COLD (nothing with compilers other than GCC and Clang). */
#ifndef HS_CC_H
#define HS_CC_H

#if defined(__GNUC__)
#define HS_ALWAYS_INLINE __attribute__((always_inline))
#define HS_NOINLINE      __attribute__((noinline))
#define HS_COLD          __attribute__((noinline, cold))
#else
#define HS_ALWAYS_INLINE
#define HS_NOINLINE
#define HS_COLD
#endif

#endif
