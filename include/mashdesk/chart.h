/* chart.h - bars and sparklines as text, for the reports screen.
 *
 * Pure functions (no curses), so the drawing is unit-tested.  With
 * ascii = 0 they use Unicode block elements (eighths for bars, ▁..█ for
 * sparklines); with ascii = 1 only ASCII ('#' and '+' for bars, " .:-=+*#"
 * for sparklines), for vt100-class terminals and non-UTF-8 locales. */
#ifndef MASHDESK_CHART_H
#define MASHDESK_CHART_H

#include <stddef.h>

/* A horizontal bar of value/max of `width` columns into buf (UTF-8),
 * padded with spaces to exactly width columns.  A value above zero always
 * shows at least a sliver.  Returns the columns the bar itself covers. */
int chart_bar(char *buf, size_t len, double value, double max, int width,
	      int ascii);

/* One character per value, scaled to the largest (zero is a space, any
 * value above zero at least the lowest mark).  n columns. */
void chart_spark(char *buf, size_t len, const double *v, int n, int ascii);

#endif
