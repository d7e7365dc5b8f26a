/* web_results_int.h - what the three files of the results page group share,
 * and no other file includes (SQLite's *_int.h; web_diagnosis_int.h is the
 * other): web_results.c (what the results pages keep between requests, one
 * person's results, the handlers), web_results_json.c (the API's answer) and
 * web_results_html.c (the page). */
#ifndef ITSS_WEB_RESULTS_INT_H
#define ITSS_WEB_RESULTS_INT_H

#include "buf.h"
#include "err.h"
#include "results.h"
#include "svg_chart.h"
#include "web.h"
#include "web_cache.h"

/* The app's results cache (web_cache.h), made on first use: evaluations,
 * charts, the pages' detail and the API's evaluation text, under keys that
 * change with what they were made from (web_results.c). */
web_cache *web_results_cache(web_request *r);

/* Appends s (NULL too) to the cache key k, its length first, so that no two
 * lists of texts make the same key. */
void web_results_key_text(buf *k, const char *s);

/* svg_radar_chart and svg_bar_chart through the results cache: the chart
 * appended to out. 0, or -1 with *e when the chart's description is wrong
 * (nothing appended). */
int web_results_radar_chart(web_request *r, buf *out, const svg_radar *chart, err *e);
int web_results_bar_chart(web_request *r, buf *out, const svg_bars *chart, err *e);

/* Answers res as the API's JSON (web_results_json.c). */
void web_results_reply_json(web_request *r, const person_results *res);

/* Renders res as the results page (web_results_html.c). */
void web_results_render(web_request *r, const person_results *res);

#endif
