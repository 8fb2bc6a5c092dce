/* text.h - UTF-8 text as the terminal shows it.
 *
 * Everything typed or imported is stored exactly as given; these functions
 * make it safe and tidy to display: control characters and escape
 * sequences become inert, invalid UTF-8 becomes U+FFFD, and widths are
 * counted in terminal columns (wide CJK = 2, combining marks = 0). */
#ifndef MASHDESK_TEXT_H
#define MASHDESK_TEXT_H

#include <stddef.h>

/* 1 when s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int text_valid_utf8(const char *s, size_t len);

/* Copy src into dst (always NUL-terminated) with every C0/C1 control
 * character, DEL and ESC replaced by a visible stand-in (caret notation for
 * C0 and DEL: ESC is "^[", DEL "^?"; U+FFFD for C1 controls, bidi overrides
 * and isolates, and bad bytes) and newlines/tabs turned into a space when
 * oneline is set (otherwise tabs become a space and newlines stay; CR LF
 * counts as one newline).  Stops before a character or stand-in that would
 * not fit whole.  Returns bytes written (excluding NUL). */
size_t text_inert(char *dst, size_t dstsz, const char *src, int oneline);

/* Columns the (inert) text occupies on a terminal: wcwidth() per code
 * point, a bad byte 1 (its U+FFFD), a character the locale does not know
 * 1, combining marks 0. */
int text_width(const char *s);

/* Copy at most `cols` columns of src into dst, ending with "…" ("~" when
 * ascii_only) if cut, then pad with spaces to exactly `cols` columns when
 * pad is set.  Never splits a character or a combining sequence; a wide
 * character that would straddle the limit is left out and the gap padded.
 * Controls are dropped and bad bytes become U+FFFD.  Returns the columns
 * used, padding included. */
int text_fit(char *dst, size_t dstsz, const char *src, int cols, int pad,
	     int ascii_only);

/* Wrap text (UTF-8, already inert) into lines of at most first_cols
 * columns for the first and rest_cols after, breaking at spaces where it
 * can and never inside a character or before a combining mark.  Calls
 * out(start, len, arg) for each line.  Returns the number of lines (at
 * least 1). */
int text_wrap(const char *text, int first_cols, int rest_cols,
	      void (*out)(const char *start, size_t len, void *arg), void *arg);

/* Lower-case ASCII letters, fold common Latin accents to their base letter,
 * drop punctuation and collapse spaces: "Zoë  O'Brien" -> "zoe obrien".
 * Used to match repeat referrals and household addresses. */
void text_normalise(char *dst, size_t dstsz, const char *src);

/* 1 when text repeats info: info as a whole, or any one of its lines or
 * sentences (split at a newline, '.', ';', '!' or '?'), is found in text
 * once both are normalised (text_normalise), a piece counting only when
 * it is at least min bytes long normalised (shorter pieces, "No" or
 * "Known", are words anyone might write).  0 when not; -1 out of memory.
 * Feedback to a referrer is checked against restricted entries so. */
int text_repeats(const char *text, const char *info, size_t min);

#endif
