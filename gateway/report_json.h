/* report_json — the period report (report.h) as one JSON document, for
 * `tinbao report --json`. Field names are stable (tinbao(1) lists them);
 * times are ISO 8601 with the zone offset, days YYYY-MM-DD (local),
 * durations whole seconds, tips by tracking ID only.
 *
 * Pure, any thread. The report and config are borrowed; the returned json_t
 * is the caller's (json_decref), NULL only when memory runs out.
 */
#ifndef TINBAO_REPORT_JSON_H
#define TINBAO_REPORT_JSON_H

#include <jansson.h>

struct config;
struct report;

json_t *report_json(const struct config *cfg, const struct report *r);

#endif
