/* test_text.c - what a caseworker sees of a name: safe, aligned, findable.
 *
 * Names are written with escapes so the test does not depend on how this
 * file is normalised by an editor: precomposed "Zoë" is "Zo\xC3\xAB",
 * decomposed is "Zoe\xCC\x88" (e + U+0308). */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mashdesk/text.h"

#define ZOE_NFC      "Zo\xC3\xAB"
#define ZOE_NFD      "Zoe\xCC\x88"
#define LUKASZ       "\xC5\x81ukasz"
#define NGUYEN_NFC   "Nguy\xE1\xBB\x85n"                /* U+1EC5 */
#define NGUYEN_NFD   "Nguye\xCC\x82\xCC\x83n"           /* e U+0302 U+0303 */
#define LI_XIAOLONG  "\xE6\x9D\x8E\xE5\xB0\x8F\xE9\xBE\x99"
#define FFFD         "\xEF\xBF\xBD"
#define ELLIPSIS     "\xE2\x80\xA6"

static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"),
			   "the C.UTF-8 locale is needed for wcwidth()");
}

TestSuite(text, .init = utf8_locale);

/* No byte a terminal would act on: C0 except '\n', DEL, C1, and valid
 * UTF-8 throughout. */
static void assert_inert(const char *s, int allow_newline)
{
	const unsigned char *p = (const unsigned char *)s;

	cr_assert(text_valid_utf8(s, strlen(s)), "not UTF-8: %s", s);
	for (; *p; p++) {
		cr_assert(*p >= 0x20 || (allow_newline && *p == '\n'),
			  "control byte 0x%02x left in output", *p);
		cr_assert(*p != 0x7F, "DEL left in output");
		if (p[0] == 0xC2)
			cr_assert(p[1] < 0x80 || p[1] > 0x9F, "C1 left in output");
	}
}

/* ---- text_valid_utf8 ----------------------------------------------- */

static int valid(const char *s)
{
	return text_valid_utf8(s, strlen(s));
}

Test(text, valid_utf8_accepts_real_names)
{
	cr_assert(valid(""));
	cr_assert(valid("O'Brien"));
	cr_assert(valid(ZOE_NFC));
	cr_assert(valid(ZOE_NFD));
	cr_assert(valid(LUKASZ));
	cr_assert(valid(NGUYEN_NFC));
	cr_assert(valid(LI_XIAOLONG));
	cr_assert(valid("\xF0\x9F\x98\x80"));           /* U+1F600 */
	cr_assert(valid("\xED\x9F\xBF\xEE\x80\x80"));   /* U+D7FF U+E000 */
	cr_assert(valid("\xF4\x8F\xBF\xBF"));           /* U+10FFFF */
	cr_assert(text_valid_utf8(NULL, 0));
}

Test(text, valid_utf8_rejects_overlongs)
{
	cr_assert_not(valid("\xC0\xAF"));               /* '/' in 2 bytes */
	cr_assert_not(valid("\xC1\xBF"));
	cr_assert_not(valid("\xE0\x80\xAF"));
	cr_assert_not(valid("\xE0\x9F\xBF"));
	cr_assert_not(valid("\xF0\x80\x80\xAF"));
	cr_assert_not(valid("\xF0\x8F\xBF\xBF"));
}

Test(text, valid_utf8_rejects_surrogates_and_beyond_unicode)
{
	cr_assert_not(valid("\xED\xA0\x80"));           /* U+D800 */
	cr_assert_not(valid("\xED\xBF\xBF"));           /* U+DFFF */
	cr_assert_not(valid("\xF4\x90\x80\x80"));       /* U+110000 */
	cr_assert_not(valid("\xF5\x80\x80\x80"));
	cr_assert_not(valid("\xFE"));
	cr_assert_not(valid("\xFF"));
}

Test(text, valid_utf8_rejects_truncated_and_stray_bytes)
{
	cr_assert_not(valid("Zo\xC3"));
	cr_assert_not(valid("\xE2\x80"));
	cr_assert_not(valid("\xF0\x9F\x98"));
	cr_assert_not(valid("\x80"));
	cr_assert_not(valid("Zo\xC3" "e"));             /* lead then ASCII */
	cr_assert_not(valid("\xE6\x9D\xE5\xB0\x8F"));   /* short, then a whole one */
}

Test(text, valid_utf8_checks_exactly_len_bytes)
{
	/* A CSV field is not NUL-terminated: len is the whole truth. */
	cr_assert_not(text_valid_utf8(ZOE_NFC, 3), "cut inside the \xC3\xAB");
	cr_assert(text_valid_utf8(ZOE_NFC "\xFF", 4));
	cr_assert(text_valid_utf8("a\0b", 3));
}

/* ---- text_inert ---------------------------------------------------- */

Test(text, inert_makes_escape_sequence_visible)
{
	char out[64];
	size_t n = text_inert(out, sizeof out, "Zo\x1b[2J\x1b]0;pwned\x07", 1);

	cr_assert_str_eq(out, "Zo^[[2J^[]0;pwned^G");
	cr_assert_eq(n, strlen(out));
	assert_inert(out, 0);
}

Test(text, inert_replaces_every_c0_control_and_del)
{
	for (int c = 1; c < 0x20; c++) {
		char in[4] = { 'a', (char)c, 'b', '\0' };
		char out[16];

		text_inert(out, sizeof out, in, 1);
		assert_inert(out, 0);
		if (c != '\t' && c != '\n') {
			char want[5] = { 'a', '^', (char)(c + 0x40), 'b', '\0' };
			cr_assert_str_eq(out, want, "control 0x%02x", c);
		}
	}
	char out[16];
	text_inert(out, sizeof out, "a\x7f" "b", 1);
	cr_assert_str_eq(out, "a^?b");
}

Test(text, inert_replaces_c1_controls_and_bad_bytes)
{
	char out[64];

	/* U+009B is CSI: "\xC2\x9B" "2J" would clear some screens. */
	text_inert(out, sizeof out, "a\xC2\x9B" "2J\xC2\x85" "b", 1);
	cr_assert_str_eq(out, "a" FFFD "2J" FFFD "b");
	/* A raw 8-bit CSI byte and an overlong '/' are not UTF-8. */
	text_inert(out, sizeof out, "a\x9B" "2J\xC0\xAF", 1);
	cr_assert_str_eq(out, "a" FFFD "2J" FFFD FFFD);
	text_inert(out, sizeof out, "Zo\xC3", 1);
	cr_assert_str_eq(out, "Zo" FFFD);
}

Test(text, inert_neutralises_bidi_overrides)
{
	char out[128];

	/* RLO would show "evil.exe" as "exe.live". */
	text_inert(out, sizeof out, "Zo\xE2\x80\xAE" "evil", 1);
	cr_assert_str_eq(out, "Zo" FFFD "evil");
	text_inert(out, sizeof out,
		   "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD"
		   "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 1);
	cr_assert_str_eq(out, FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD);
}

Test(text, inert_oneline_turns_newlines_and_tabs_into_spaces)
{
	char out[64];

	text_inert(out, sizeof out, "Flat 3\nHigh St\tLeeds\r\nLS1", 1);
	cr_assert_str_eq(out, "Flat 3 High St Leeds LS1");
	text_inert(out, sizeof out, "Flat 3\nHigh St\tLeeds\r\nLS1", 0);
	cr_assert_str_eq(out, "Flat 3\nHigh St Leeds\nLS1");
	assert_inert(out, 1);
	text_inert(out, sizeof out, "over\rwrite", 0);
	cr_assert_str_eq(out, "over^Mwrite", "a lone CR could overwrite the line");
}

Test(text, inert_keeps_names_as_written)
{
	const char *names = ZOE_NFC " " ZOE_NFD " " LUKASZ " " NGUYEN_NFC " "
			    NGUYEN_NFD " " LI_XIAOLONG " O'Brien ^ " FFFD;
	char out[128];
	size_t n = text_inert(out, sizeof out, names, 1);

	cr_assert_str_eq(out, names);
	cr_assert_eq(n, strlen(names));
}

Test(text, inert_never_splits_a_character_at_the_size_limit)
{
	char out[5];

	/* "a李李" needs 7 bytes: only "a李" fits in 4. */
	cr_assert_eq(text_inert(out, sizeof out, "a" LI_XIAOLONG, 1), 4);
	cr_assert_str_eq(out, "a\xE6\x9D\x8E");
	/* A two-byte stand-in is not cut in half either. */
	cr_assert_eq(text_inert(out, 4, "ab\x1b", 1), 2);
	cr_assert_str_eq(out, "ab");
	cr_assert_eq(text_inert(out, 1, "abc", 1), 0);
	cr_assert_str_eq(out, "");
	out[0] = 'x';
	cr_assert_eq(text_inert(out, 0, "abc", 1), 0);
	cr_assert_eq(out[0], 'x', "dstsz 0 must not write");
}

Test(text, inert_output_of_random_bytes_is_always_safe)
{
	unsigned seed = 12345;

	for (int round = 0; round < 2000; round++) {
		char in[40], out[200], again[200];
		size_t len = (size_t)(round % 39);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) % 255 + 1);  /* no NUL */
		}
		in[len] = '\0';
		text_inert(out, sizeof out, in, round & 1);
		assert_inert(out, !(round & 1));
		/* Inert text stays as it is: safe to apply twice. */
		text_inert(again, sizeof again, out, round & 1);
		cr_assert_str_eq(again, out);
	}
}

/* Bytes for random tests: mostly the pieces names are made of (letters,
 * multi-byte letters, combining marks, wide characters), plus controls and
 * broken sequences. */
static size_t random_text(char *buf, size_t max, unsigned *seed)
{
	static const char *const parts[] = {
		"a", "Z", " ", "'", "\xC3\xAB", "\xCC\x88", "\xCC\x82",
		"\xE6\x9D\x8E", "\xE1\xBB\x85", "\x1b", "\t", "\n", "\r",
		"\x7f", "\xC2\x9B", "\xE2\x80\xAE", "\xFF", "\xC3",
		"\xE2\x80", "\xF0\x9F\x98\x80", "\xC5\x81",
	};
	size_t n = 0;

	for (;;) {
		*seed = *seed * 1103515245u + 12345u;
		const char *p = parts[(*seed >> 16) % (sizeof parts / sizeof parts[0])];
		size_t k = strlen(p);

		if (n + k >= max || (*seed >> 8) % 16 == 0)
			break;
		memcpy(buf + n, p, k);
		n += k;
	}
	buf[n] = '\0';
	return n;
}

Test(text, fit_and_normalise_of_random_text_stay_within_bounds)
{
	unsigned seed = 777;

	for (int round = 0; round < 3000; round++) {
		char in[64], out[24];
		size_t dstsz = (size_t)(round % 24) + 1;
		int cols = round % 13;

		random_text(in, sizeof in, &seed);
		memset(out, 'X', sizeof out);
		int w = text_fit(out, dstsz, in, cols, round & 1, round & 2);
		cr_assert(memchr(out, '\0', dstsz) != NULL);
		cr_assert(text_valid_utf8(out, strlen(out)));
		cr_assert_leq(w, cols);
		cr_assert_eq(w, text_width(out), "fit reports %d for \"%s\"", w, out);
		for (const char *p = out; *p; p++)
			cr_assert((unsigned char)*p >= 0x20 && *p != 0x7F);

		memset(out, 'X', sizeof out);
		text_normalise(out, dstsz, in);
		cr_assert(memchr(out, '\0', dstsz) != NULL);
		cr_assert(text_valid_utf8(out, strlen(out)));
	}
}

/* ---- text_width ---------------------------------------------------- */

Test(text, width_counts_terminal_columns)
{
	cr_assert_eq(text_width(""), 0);
	cr_assert_eq(text_width(NULL), 0);
	cr_assert_eq(text_width("O'Brien"), 7);
	cr_assert_eq(text_width(ZOE_NFC), 3);
	cr_assert_eq(text_width(ZOE_NFD), 3);
	cr_assert_eq(text_width(LUKASZ), 6);
	cr_assert_eq(text_width(NGUYEN_NFC), 6);
	cr_assert_eq(text_width(NGUYEN_NFD), 6);
	cr_assert_eq(text_width(LI_XIAOLONG), 6);
	cr_assert_eq(text_width(LI_XIAOLONG " Li"), 9);
	cr_assert_eq(text_width(ELLIPSIS), 1);
}

Test(text, width_counts_a_bad_byte_as_its_replacement)
{
	cr_assert_eq(text_width("a\xFF" "b"), 3);
	cr_assert_eq(text_width("Zo\xC3"), 3);
}

Test(text, width_in_c_locale_still_counts_each_letter_once)
{
	cr_assert_not_null(setlocale(LC_ALL, "C"));
	cr_assert_eq(text_width(ZOE_NFC), 3);
	cr_assert_eq(text_width(ZOE_NFD), 3);
	cr_assert_eq(text_width(NGUYEN_NFD), 6);
}

/* ---- text_fit ------------------------------------------------------ */

Test(text, fit_pads_a_short_name_to_the_column)
{
	char out[64];

	cr_assert_eq(text_fit(out, sizeof out, LUKASZ, 8, 1, 0), 8);
	cr_assert_str_eq(out, LUKASZ "  ");
	cr_assert_eq(text_fit(out, sizeof out, ZOE_NFD, 5, 1, 0), 5);
	cr_assert_str_eq(out, ZOE_NFD "  ");
	cr_assert_eq(text_fit(out, sizeof out, LUKASZ, 8, 0, 0), 6);
	cr_assert_str_eq(out, LUKASZ);
}

Test(text, fit_exact_width_is_not_cut)
{
	char out[64];

	cr_assert_eq(text_fit(out, sizeof out, LUKASZ, 6, 1, 0), 6);
	cr_assert_str_eq(out, LUKASZ);
	cr_assert_eq(text_fit(out, sizeof out, LI_XIAOLONG, 6, 1, 0), 6);
	cr_assert_str_eq(out, LI_XIAOLONG);
}

Test(text, fit_cuts_with_an_ellipsis)
{
	char out[64];

	cr_assert_eq(text_fit(out, sizeof out, ZOE_NFC " O'Brien", 6, 1, 0), 6);
	cr_assert_str_eq(out, ZOE_NFC " O" ELLIPSIS);
	cr_assert_eq(text_fit(out, sizeof out, ZOE_NFC " O'Brien", 6, 1, 1), 6);
	cr_assert_str_eq(out, ZOE_NFC " O~");
	cr_assert_eq(text_fit(out, sizeof out, LUKASZ, 1, 1, 0), 1);
	cr_assert_str_eq(out, ELLIPSIS);
	cr_assert_eq(text_fit(out, sizeof out, LUKASZ, 0, 1, 0), 0);
	cr_assert_str_eq(out, "");
}

Test(text, fit_leaves_out_a_wide_character_that_would_straddle)
{
	char out[64];

	/* 4 columns: 李 (2) + … (1), and 小 (2) would need 5: pad instead. */
	cr_assert_eq(text_fit(out, sizeof out, LI_XIAOLONG, 4, 1, 0), 4);
	cr_assert_str_eq(out, "\xE6\x9D\x8E" ELLIPSIS " ");
	cr_assert_eq(text_fit(out, sizeof out, LI_XIAOLONG, 4, 0, 0), 3);
	cr_assert_str_eq(out, "\xE6\x9D\x8E" ELLIPSIS);
	cr_assert_eq(text_fit(out, sizeof out, LI_XIAOLONG, 5, 1, 0), 5);
	cr_assert_str_eq(out, "\xE6\x9D\x8E\xE5\xB0\x8F" ELLIPSIS);
}

Test(text, fit_keeps_combining_marks_with_their_base)
{
	char out[64];

	cr_assert_eq(text_fit(out, sizeof out, NGUYEN_NFD, 6, 1, 0), 6);
	cr_assert_str_eq(out, NGUYEN_NFD);
	cr_assert_eq(text_fit(out, sizeof out, NGUYEN_NFD " Van", 6, 1, 0), 6);
	cr_assert_str_eq(out, "Nguye\xCC\x82\xCC\x83" ELLIPSIS);
	cr_assert_eq(text_fit(out, sizeof out, NGUYEN_NFD, 5, 1, 0), 5);
	cr_assert_str_eq(out, "Nguy" ELLIPSIS);
}

Test(text, fit_respects_a_small_buffer_without_splitting)
{
	char out[8];

	/* 7 bytes of room: 李 (3) + … (3) fits, 李小 + … would not. */
	cr_assert_eq(text_fit(out, sizeof out, LI_XIAOLONG, 10, 1, 0), 4);
	cr_assert_str_eq(out, "\xE6\x9D\x8E" ELLIPSIS " ");
	cr_assert(text_valid_utf8(out, strlen(out)));
}

Test(text, fit_drops_controls_so_a_cell_cannot_move_the_cursor)
{
	char out[64];

	cr_assert_eq(text_fit(out, sizeof out, "a\x1b[2Jb\xFF", 8, 1, 0), 8);
	cr_assert_str_eq(out, "a[2Jb" FFFD "  ");
}

/* ---- text_normalise ------------------------------------------------ */

static void assert_norm(const char *in, const char *want)
{
	char out[128];

	text_normalise(out, sizeof out, in);
	cr_assert_str_eq(out, want, "normalising \"%s\"", in);
}

Test(text, normalise_matches_the_documented_example)
{
	assert_norm("Zo\xC3\xAB  O'Brien", "zoe obrien");
	assert_norm(ZOE_NFD " O\xE2\x80\x99" "Brien", "zoe obrien");   /* ’ */
}

Test(text, normalise_folds_latin_letters)
{
	assert_norm(LUKASZ " W\xC3\xB3jcik", "lukasz wojcik");
	assert_norm("S\xC3\xB8ren \xC3\x86" "belt\xC3\xB8" "ft", "soren aebeltoft");
	assert_norm("Stra\xC3\x9F" "e", "strasse");
	assert_norm("\xC5\x92" "dipe \xC4\x90" "or\xC4\x91" "e", "oedipe dorde");
	assert_norm("\xC8\x98tefan \xC8\x9Ai\xC8\x9B" "a", "stefan tita");
}

Test(text, normalise_folds_vietnamese_precomposed_and_decomposed_alike)
{
	assert_norm(NGUYEN_NFC " Th\xE1\xBB\x8B", "nguyen thi");
	assert_norm(NGUYEN_NFD " Thi\xCC\xA3", "nguyen thi");
	assert_norm("\xC4\x90\xE1\xBA\xB7ng Tr\xC6\xB0\xE1\xBB\x9Dng",
		    "dang truong");
}

Test(text, normalise_collapses_spaces_and_drops_punctuation)
{
	assert_norm("  Flat 3,\t 12 High St.  ", "flat 3 12 high st");
	assert_norm("Smith-Jones", "smithjones");
	assert_norm("\xC2\xA0" "A\xE2\x80\x83" "B\xE3\x80\x80", "a b");
	assert_norm("", "");
	assert_norm("?!", "");
}

Test(text, normalise_keeps_other_scripts)
{
	assert_norm(LI_XIAOLONG, LI_XIAOLONG);
	assert_norm(" " LI_XIAOLONG "  Li ", LI_XIAOLONG " li");
	assert_norm("Zo\xFF" "e", "zoe");
}

Test(text, normalise_truncates_at_a_word_or_character)
{
	char out[5];

	text_normalise(out, sizeof out, ZOE_NFC " O'Brien");
	cr_assert_str_eq(out, "zoe");
	text_normalise(out, sizeof out, LI_XIAOLONG);
	cr_assert_str_eq(out, "\xE6\x9D\x8E");
}
