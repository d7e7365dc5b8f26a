/* svg_chart.h - charts drawn by the server as inline SVG.
 *
 * Pure functions: each takes the numbers and the labels, appends one complete
 * <svg> element to a buf and touches nothing else (no I/O, no globals, no
 * locale). The markup is well-formed XML, so the same text works inline in a
 * page and saved as an .svg file.
 *
 * What every chart does the same way:
 * - Text is escaped (& < > " '), invalid UTF-8 becomes U+FFFD and control
 *   characters are dropped: labels, names, titles and classes may hold anything.
 * - Sizes come from a viewBox only (no width or height attributes): the chart
 *   fills the width of its container and keeps its proportions. Pages put it in
 *   <figure class="chart">, which itss.css limits to a readable size.
 * - No style attributes and no <style> element (the Content-Security-Policy
 *   allows neither): colours, strokes and fonts are presentation attributes
 *   (fill=, stroke=, font-family=...), which print as they show, and every part
 *   carries a class (grid, axis, label, scale, series, marker, legend, track,
 *   bar, value, tick, cell, count) so that web/static/itss.css can restyle it.
 * - Accessible: the <svg> has role="img", a <title> and a <desc> that states
 *   every value in words, linked with aria-labelledby/aria-describedby. The
 *   same figures as a data table (visually hidden or shown) are the page's job:
 *   the chart alone is not the only way to read them.
 * - Numbers are written by svg_number() with '.' as the decimal point whatever
 *   the process locale is; a value that is not a number (NaN) is "no value",
 *   never written as a number.
 *
 * Each chart function returns 0, or -1 with *e filled (when e is not NULL) and
 * nothing appended when the chart description itself is wrong (too few axes, a
 * missing label, a bad id...). */
#ifndef ITSS_SVG_CHART_H
#define ITSS_SVG_CHART_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define SVG_AXES_MIN      3
#define SVG_AXES_MAX      12
#define SVG_SERIES_MAX    6
#define SVG_ROWS_MAX      100
#define SVG_COLUMNS_MAX   12

/* Radar geometry, in viewBox units: the centre is at (0,0), the outer ring
 * (the scale's max) has this radius, and axis i points at the angle
 * -90 + i * 360 / n_axes degrees (the first axis straight up, then clockwise). */
#define SVG_RADAR_RADIUS  120.0
/* Bar charts: the track of a bar (0 to max) is this long, starting at x = 0. */
#define SVG_BAR_LENGTH    320.0

/* One line of values: a radar polygon or a set of bars. */
typedef struct svg_series {
    const char *name;        /* legend and <desc> text, such as "現在" or "目標" */
    const char *css_class;   /* extra class for the series group ("current"); may be NULL */
    const double *values;    /* one per axis; NULL for a series with no values yet;
                                NaN for one missing value */
} svg_series;

/* A radar chart: one axis per skill area, the scale 0..max with a ring and a
 * small number per level, one polygon per series. The first series is drawn on
 * top; series after the first are dashed so that they stay apart in print. */
typedef struct svg_radar {
    const char *id;          /* prefix of element ids, unique on the page:
                                a letter, then letters, digits, '-' or '_' */
    const char *title;       /* <title>, required */
    const char *summary;     /* first sentence of <desc>; may be NULL */
    const char *const *axes; /* n_axes labels, clockwise from the top */
    size_t n_axes;           /* SVG_AXES_MIN .. SVG_AXES_MAX */
    int max;                 /* top of the scale, 1..20 (7 for ITSS levels) */
    const svg_series *series;
    size_t n_series;         /* 0 .. SVG_SERIES_MAX */
    const char *no_value;    /* <desc> text for a missing value; "-" when NULL */
} svg_radar;

/* Appends a radar chart. Values below 0 are drawn at 0 and values above max at
 * max (the <desc> states them as given); a missing value is drawn at the centre
 * without a marker. Labels sit outside the outer ring, anchored away from it,
 * and those wider than 18 columns are wrapped into two lines. */
int svg_radar_chart(buf *out, const svg_radar *chart, err *e);

/* Horizontal bars: one row per label, a track from 0 to max, the bar, and the
 * value written after the bar (such as knowledge coverage per skill area). */
typedef struct svg_bars {
    const char *id;
    const char *title;
    const char *summary;
    const char *const *labels;
    const double *values;    /* n values; NaN for a missing one (no bar, no_value shown) */
    size_t n;                /* 1 .. SVG_ROWS_MAX */
    double max;              /* top of the scale, > 0 (100 for percentages) */
    const char *unit;        /* written after each value, such as "%"; may be NULL */
    int decimals;            /* digits after the point in value labels, 0..3 */
    const char *no_value;    /* text for a missing value; "-" when NULL */
} svg_bars;

/* Appends a horizontal bar chart with value labels and a tick scale below. */
int svg_bar_chart(buf *out, const svg_bars *chart, err *e);

/* Counts in a table of rows by columns: people per specialization (rows) and
 * level (columns) for the 人材ポートフォリオ. */
typedef struct svg_matrix {
    const char *id;
    const char *title;
    const char *summary;
    const char *const *rows;     /* n_rows labels (1 .. SVG_ROWS_MAX) */
    size_t n_rows;
    const char *const *columns;  /* n_columns labels (1 .. SVG_COLUMNS_MAX) */
    size_t n_columns;
    const int *counts;           /* n_rows * n_columns, row by row, each >= 0 */
} svg_matrix;

/* Appends the matrix as a heat table: a cell per count, darker for more, the
 * count written in every cell. */
int svg_heat_table(buf *out, const svg_matrix *m, err *e);

/* Appends the matrix as stacked bars: one bar per row, one segment per column
 * (lighter to darker in column order), counts written in the segments wide
 * enough to hold them, the row's total after the bar, and a legend. */
int svg_stacked_bars(buf *out, const svg_matrix *m, err *e);

/* Appends v with exactly `decimals` digits (0..6) after a '.', rounded half
 * away from zero, whatever the locale; "-0" is written as "0". A value that is
 * not finite is written as "-". */
void svg_number(buf *b, double v, int decimals);

#endif
