/* chart.c - bars and sparklines as text (see chart.h). */
#include "mashdesk/chart.h"

#include <stdio.h>
#include <string.h>

/* U+2588 full block, then U+2589..U+258F: seven eighths down to one. */
static const char *const eighths[9] = {
	"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A",
	"\u2589", "\u2588",
};
/* U+2581..U+2588: lower one eighth up to the full block. */
static const char *const levels[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
	"\u2588",
};
static const char ascii_levels[] = ".:-=+*#";   /* 7 marks above zero */

static void put(char *buf, size_t len, size_t *n, const char *s)
{
	size_t l = strlen(s);
	if (*n + l < len) {
		memcpy(buf + *n, s, l);
		*n += l;
		buf[*n] = '\0';
	}
}

int chart_bar(char *buf, size_t len, double value, double max, int width,
	      int ascii)
{
	size_t n = 0;
	int cols = 0;
	if (len)
		buf[0] = '\0';
	if (width < 0)
		width = 0;
	if (max > 0 && value > 0) {
		double cells = value >= max ? width : value / max * width;
		int eighth = (int)(cells * 8 + 0.5);
		if (eighth < 1)
			eighth = 1;                 /* never invisible */
		int full = eighth / 8, part = eighth % 8;
		if (ascii) {
			/* '#' a whole cell, '+' a half or more (or a sliver). */
			for (int i = 0; i < full && cols < width; i++, cols++)
				put(buf, len, &n, "#");
			if ((part >= 4 || (full == 0 && part > 0)) && cols < width)
				put(buf, len, &n, "+"), cols++;
		} else {
			for (int i = 0; i < full && cols < width; i++, cols++)
				put(buf, len, &n, eighths[8]);
			if (part && cols < width)
				put(buf, len, &n, eighths[part]), cols++;
		}
	}
	int bar = cols;
	for (; cols < width; cols++)
		put(buf, len, &n, " ");
	return bar;
}

void chart_spark(char *buf, size_t len, const double *v, int n, int ascii)
{
	double max = 0;
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (int i = 0; i < n; i++) {
		if (!(v[i] > 0) || max <= 0) {
			put(buf, len, &used, " ");
			continue;
		}
		/* 1..7 (ASCII) or 1..8 (blocks) by the share of the largest. */
		int top = ascii ? 7 : 8;
		int l = (int)(v[i] / max * top + 0.5);
		if (l < 1)
			l = 1;
		if (l > top)
			l = top;
		if (ascii) {
			char c[2] = { ascii_levels[l - 1], '\0' };
			put(buf, len, &used, c);
		} else {
			put(buf, len, &used, levels[l - 1]);
		}
	}
}
