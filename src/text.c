/* text.c - UTF-8 text as the terminal shows it (see text.h).
 *
 * Everything here decodes UTF-8 itself rather than through mbrtowc(), so
 * the verdict on what is valid and what is dangerous does not change with
 * the locale the desk happens to run in.  Only column widths come from the
 * C library (wcwidth), because they must agree with what curses draws.
 *
 * Stand-ins chosen by text_inert():
 *   C0 controls and DEL  -> caret notation: ESC is "^[", NUL "^@", DEL "^?".
 *       It is plain ASCII (works on any terminal and font), it is what
 *       cat -v, less and vim show, and it still says WHICH control was in
 *       the data, which helps whoever has to report a bad import.
 *   C1 controls U+0080-U+009F, bidi embeddings/overrides/isolates
 *   (U+202A-U+202E, U+2066-U+2069) and bytes that are not UTF-8 -> U+FFFD.
 *       These have no customary ASCII spelling; U+FFFD is the one glyph
 *       every UTF-8 terminal has and it reads as "something odd was here".
 *   Tab -> one space; newline -> '\n', or one space when oneline; a CR
 *       directly before LF belongs to that newline (CSV files from Windows),
 *       a lone CR is a control like any other ("^M"). */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700       /* wcwidth() */
#endif
#include "mashdesk/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT "\xEF\xBF\xBD"      /* U+FFFD in UTF-8 */

/* Decode one UTF-8 sequence strictly from s[0..len).  Returns the number
 * of bytes consumed (1-4) and stores the code point in *cp, or returns 0
 * when the bytes at s are not a valid, shortest-form scalar value.  The
 * second byte's range is checked per lead byte (RFC 3629 table) so that
 * overlongs, surrogates and values above U+10FFFF are all rejected. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;
	uint32_t c;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;      /* below: overlong */
		else if (b == 0xED)
			hi = 0x9F;      /* above: UTF-16 surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;      /* below: overlong */
		else if (b == 0xF4)
			hi = 0x8F;      /* above: beyond U+10FFFF */
	} else {
		return 0;       /* C0/C1 overlong leads, F5-FF, stray continuation */
	}
	if (len < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	c = (c << 6) | (s[1] & 0x3F);
	for (size_t i = 2; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return n;
}

/* Decode from a NUL-terminated string.  A bad byte consumes exactly one
 * byte and reads as U+FFFD, so callers resynchronise on the next byte the
 * same way a terminal would.  (A NUL can never sit inside a valid
 * multi-byte sequence, so strlen bounds are never crossed.) */
static size_t next_cp(const char *s, uint32_t *cp)
{
	size_t left = strnlen(s, 4);
	size_t n = utf8_decode((const unsigned char *)s, left, cp);

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return n;
}

int text_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* ---- text_inert ------------------------------------------------------ */

/* Bidi embeddings, overrides and isolates reorder what follows them, so a
 * name could be made to read as another ("Trojan Source"). */
static int is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* What to show for the code point cp that took n source bytes starting at
 * s.  Fills out[] and returns its length. */
static size_t inert_unit(const char *s, size_t n, uint32_t cp, int oneline,
			 char out[4])
{
	if (cp == '\t' || (cp == '\n' && oneline)) {
		out[0] = ' ';
		return 1;
	}
	if (cp == '\n') {
		out[0] = '\n';
		return 1;
	}
	if (cp < 0x20 || cp == 0x7F) {
		out[0] = '^';
		out[1] = (char)(cp ^ 0x40);     /* ESC 0x1B -> '[', DEL -> '?' */
		return 2;
	}
	if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp)) {
		memcpy(out, REPLACEMENT, 3);
		return 3;
	}
	memcpy(out, s, n);      /* already U+FFFD-substituted by the caller */
	return n;
}

size_t text_inert(char *dst, size_t dstsz, const char *src, int oneline)
{
	size_t o = 0;

	if (dst == NULL || dstsz == 0)
		return 0;
	if (src == NULL)
		src = "";
	while (*src) {
		uint32_t cp;
		size_t n = next_cp(src, &cp);
		char out[4];
		size_t k;

		if (cp == '\r' && src[1] == '\n') {
			src++;          /* CR LF is one newline */
			continue;
		}
		if (cp == 0xFFFD && n == 1)
			k = inert_unit(REPLACEMENT, 3, cp, oneline, out);
		else
			k = inert_unit(src, n, cp, oneline, out);
		/* Stop at the first unit that does not fit whole: a later,
		 * shorter one would leave a silent hole in the text. */
		if (k > dstsz - 1 - o)
			break;
		memcpy(dst + o, out, k);
		o += k;
		src += n;
	}
	dst[o] = '\0';
	return o;
}

/* ---- widths ---------------------------------------------------------- */

/* Combining Diacritical Marks and their supplements: zero columns even
 * when the locale cannot tell us (wcwidth() == -1 in the C locale), so a
 * decomposed "Zoë" stays 3 columns whatever LC_CTYPE says. */
static int is_combining_mark(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) ||
	       (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Columns for one code point.  Controls count 0 (inert text has none, and
 * they draw nothing); a printable character the locale does not know
 * counts 1, which is what curses falls back to as well. */
static int cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return 0;
	if (cp < 0x7F)
		return 1;
	if (is_combining_mark(cp))
		return 0;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
	int cols = 0;

	if (s == NULL)
		return 0;
	while (*s) {
		uint32_t cp;
		s += next_cp(s, &cp);
		cols += cp_width(cp);
	}
	return cols;
}

/* ---- text_fit -------------------------------------------------------- */

/* Bytes text_fit writes for one code point: U+FFFD for a bad byte, nothing
 * at all for a control or bidi control (a fitted cell must never move the
 * cursor or reorder its neighbours), else the code point as given. */
static size_t fit_bytes(uint32_t cp, size_t n, int bad)
{
	if (bad)
		return 3;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    is_bidi_control(cp))
		return 0;
	return n;
}

/* Measure the cluster at s: its first code point plus every zero-width
 * one after it (combining marks, joiners), which must stay with their base.
 * Returns the source bytes it spans; *out gets the bytes it will take in
 * dst and *cols its width. */
static size_t cluster_measure(const char *s, size_t *out, int *cols)
{
	size_t in = 0;
	uint32_t cp;

	*out = 0;
	*cols = 0;
	do {
		size_t n = next_cp(s + in, &cp);

		/* n == 1 with U+FFFD is a bad byte: a real U+FFFD takes 3 */
		*out += fit_bytes(cp, n, cp == 0xFFFD && n == 1);
		*cols += cp_width(cp);
		in += n;
		if (!s[in])
			break;
		next_cp(s + in, &cp);
	} while (cp_width(cp) == 0 && fit_bytes(cp, 1, 0) != 0);
	return in;
}

/* Copy the cluster at s, spanning `in` source bytes, as measured above. */
static size_t cluster_copy(char *dst, const char *s, size_t in)
{
	size_t o = 0;

	for (size_t i = 0; i < in;) {
		uint32_t cp;
		size_t n = next_cp(s + i, &cp);
		int bad = cp == 0xFFFD && n == 1;
		size_t k = fit_bytes(cp, n, bad);

		memcpy(dst + o, bad ? REPLACEMENT : s + i, k);
		o += k;
		i += n;
	}
	return o;
}

/* Copy (or, with dst NULL, only measure) whole clusters of src while they
 * fit in maxcols columns and maxbytes bytes.  Returns the bytes used; *cols
 * gets the columns and *done says whether all of src fitted. */
static size_t fit_span(char *dst, const char *src, int maxcols,
		       size_t maxbytes, int *cols, int *done)
{
	size_t o = 0;
	int w = 0;

	while (*src) {
		size_t ob;
		int cw;
		size_t in = cluster_measure(src, &ob, &cw);

		if (w + cw > maxcols || ob > maxbytes - o)
			break;
		if (dst)
			cluster_copy(dst + o, src, in);
		o += ob;
		w += cw;
		src += in;
	}
	*cols = w;
	*done = *src == '\0';
	return o;
}

int text_fit(char *dst, size_t dstsz, const char *src, int cols, int pad,
	     int ascii_only)
{
	const char *ell = ascii_only ? "~" : "\xE2\x80\xA6";    /* U+2026 */
	size_t ellb = strlen(ell);
	size_t room, n;
	int w, done;

	if (dst == NULL || dstsz == 0)
		return 0;
	dst[0] = '\0';
	if (cols <= 0)
		return 0;
	if (src == NULL)
		src = "";
	room = dstsz - 1;
	fit_span(NULL, src, cols, room, &w, &done);
	if (done) {
		n = fit_span(dst, src, cols, room, &w, &done);
	} else if (room < ellb) {
		n = 0;          /* no room even for the mark: show nothing */
		w = 0;
	} else {
		/* Cut: keep one column for the ellipsis.  A wide character
		 * that would straddle the limit is left out whole and the
		 * gap is padded below. */
		n = fit_span(dst, src, cols - 1, room - ellb, &w, &done);
		memcpy(dst + n, ell, ellb);
		n += ellb;
		w += 1;
	}
	while (pad && w < cols && n < room) {
		dst[n++] = ' ';
		w++;
	}
	dst[n] = '\0';
	return w;
}

/* ---- text_normalise -------------------------------------------------- */

/* Base letters of U+00C0-U+00FF and U+0100-U+017F, one per code point;
 * '*' marks the few that fold to two letters or are not letters at all,
 * handled in fold_special(). */
static const char latin1_base[] =
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
static const char latin_a_base[] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"
	"llllllllllnnnnnnnnnoooooo**rrrrrrsssssssstttttt"
	"uuuuuuuuuuuuwwyyyzzzzzzs";
/* U+1EA0-U+1EF9, the Vietnamese letters with stacked diacritics, come in
 * upper/lower pairs: one base letter per pair. */
static const char viet_base[] = "aaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy";

/* Letters that fold to two ASCII letters, and the signs × ÷. */
static const char *fold_special(uint32_t cp)
{
	switch (cp) {
	case 0xC6: case 0xE6: return "ae";
	case 0xDE: case 0xFE: return "th";
	case 0xDF: return "ss";
	case 0x132: case 0x133: return "ij";
	case 0x152: case 0x153: return "oe";
	default: return "";     /* × and ÷ are punctuation: dropped */
	}
}

/* Spaces of every width separate words just as ' ' does. */
static int is_unicode_space(uint32_t cp)
{
	return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* The folded form of one code point: a string to append (possibly empty:
 * dropped), " " for a word break, or NULL to keep the source bytes. */
static const char *fold_cp(uint32_t cp, char one[2])
{
	const char *base = NULL;

	one[1] = '\0';
	if (cp < 0x80) {
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return " ";
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			return one;
		}
		return "";              /* punctuation, controls */
	}
	if (is_unicode_space(cp))
		return " ";
	if (cp >= 0xC0 && cp <= 0xFF)
		base = &latin1_base[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		base = &latin_a_base[cp - 0x100];
	else if (cp >= 0x1EA0 && cp <= 0x1EF9)
		base = &viet_base[(cp - 0x1EA0) / 2];
	else if (cp == 0x1A0 || cp == 0x1A1)
		base = "o";                     /* Vietnamese ơ */
	else if (cp == 0x1AF || cp == 0x1B0)
		base = "u";                     /* Vietnamese ư */
	else if (cp >= 0x218 && cp <= 0x21B)
		base = cp < 0x21A ? "s" : "t";  /* Romanian ș ț */
	else if (cp < 0xC0 || (cp >= 0x300 && cp <= 0x36F) ||
		 (cp >= 0x2000 && cp <= 0x206F) || cp == 0xFEFF ||
		 cp == 0xFFFD)
		return "";      /* C1, Latin-1 signs, combining marks, quotes,
				 * dashes, invisible format characters */
	if (base == NULL)
		return NULL;    /* any other script: kept as written */
	if (*base == '*')
		return fold_special(cp);
	one[0] = *base;
	return one;
}

void text_normalise(char *dst, size_t dstsz, const char *src)
{
	size_t o = 0;
	int space = 0;

	if (dst == NULL || dstsz == 0)
		return;
	if (src == NULL)
		src = "";
	while (*src) {
		uint32_t cp;
		size_t n = next_cp(src, &cp);
		int bad = cp == 0xFFFD && n == 1;
		char one[2];
		const char *f = bad ? "" : fold_cp(cp, one);
		const char *add = f ? f : src;
		size_t k = f ? strlen(f) : n;

		src += n;
		if (k == 0)
			continue;
		if (*add == ' ') {
			space = o > 0;  /* collapse runs, drop leading */
			continue;
		}
		/* The pending space is written only with the word after it,
		 * so trailing spaces vanish and nothing is ever split. */
		if (space + k > dstsz - 1 - o)
			break;
		if (space)
			dst[o++] = ' ';
		memcpy(dst + o, add, k);
		o += k;
		space = 0;
	}
	dst[o] = '\0';
}

/* ---- wrapping ------------------------------------------------------------ */

/* Bytes of the UTF-8 character at s (text is inert, so valid). */
static size_t wrap_char_len(const char *s)
{
	unsigned char b = (unsigned char)*s;

	return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

static int wrap_char_width(const char *s, size_t n)
{
	char one[5];

	memcpy(one, s, n);
	one[n] = '\0';
	return text_width(one);
}

int text_wrap(const char *text, int first_cols, int rest_cols,
	      void (*out)(const char *start, size_t len, void *arg), void *arg)
{
	const char *p = text;
	int lines = 0, cols = first_cols;

	if (!*p) {
		out(p, 0, arg);
		return 1;
	}
	while (*p) {
		const char *q = p, *brk = NULL;
		int w = 0;

		while (*q) {
			size_t n = wrap_char_len(q);
			int cw = wrap_char_width(q, n);
			/* A zero-width mark never breaks from its base. */
			if (cw > 0 && w + cw > cols)
				break;
			w += cw;
			q += n;
			if (*q == ' ')
				brk = q;
		}
		if (!*q) {
			out(p, (size_t)(q - p), arg);
			return lines + 1;
		}
		if (brk > p)
			q = brk;
		else if (q == p)
			q = p + wrap_char_len(p);    /* wider than the line: alone */
		out(p, (size_t)(q - p), arg);
		lines++;
		for (p = q; *p == ' '; p++)
			;
		cols = rest_cols > 0 ? rest_cols : 1;
	}
	return lines;
}

/* ---- repeating a text ---------------------------------------------------- */

/* 1 when piece (len bytes of raw text) normalises to min bytes or more and
 * occurs in ntext (normalised already). */
static int piece_in(const char *ntext, const char *piece, size_t len,
		    size_t min, char *buf, char *norm, size_t normsz)
{
	memcpy(buf, piece, len);
	buf[len] = '\0';
	text_normalise(norm, normsz, buf);
	return strlen(norm) >= min && strstr(ntext, norm) != NULL;
}

int text_repeats(const char *text, const char *info, size_t min)
{
	if (!text || !info || !*info)
		return 0;
	size_t tn = strlen(text), in = strlen(info);
	/* folding never makes text longer than twice its bytes */
	char *ntext = malloc(2 * tn + 1), *buf = malloc(in + 1);
	char *norm = malloc(2 * in + 1);
	int found = -1;
	if (ntext && buf && norm) {
		text_normalise(ntext, 2 * tn + 1, text);
		found = piece_in(ntext, info, in, min, buf, norm, 2 * in + 1);
		for (const char *p = info; !found && *p;) {
			size_t n = strcspn(p, "\n.;!?");
			if (n)
				found = piece_in(ntext, p, n, min, buf, norm,
						 2 * in + 1);
			p += n + (p[n] ? 1 : 0);
		}
	}
	free(ntext);
	free(buf);
	free(norm);
	return found;
}
