// ncursesw for Swift (see ../shared/NCURSES-NOTES.md): the wide-character API
// needs these defines (SwiftPM drops pkg-config's -D flags); macros and C
// globals do not import into Swift 6, so they are wrapped here.
#ifndef TREMPLIN_CNCURSESW_SHIM_H
#define TREMPLIN_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <signal.h>
#include <wchar.h>
#include <curses.h>

static inline WINDOW *tremplin_stdscr(void) { return stdscr; }
static inline int tremplin_colors(void) { return COLORS; }
static inline int tremplin_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t tremplin_a_bold(void) { return A_BOLD; }
static inline attr_t tremplin_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tremplin_a_reverse(void) { return A_REVERSE; }
static inline attr_t tremplin_a_dim(void) { return A_DIM; }
static inline attr_t tremplin_a_normal(void) { return A_NORMAL; }
static inline int tremplin_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tremplin_key_f(int n) { return KEY_F(n); }
static inline mmask_t tremplin_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t tremplin_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t tremplin_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t tremplin_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t tremplin_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline FILE *tremplin_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }
static inline int tremplin_lc_all(void) { return LC_ALL; }

#endif
