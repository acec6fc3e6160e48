/* ward toolkit: the report of ward diff and ward replay --pcap: counts of
 * differences by kind (as respdiff groups them) and, per kind, the
 * differing queries with both answers; or all of it as one JSON object. */
#ifndef WARD_TOOLS_DIFF_REPORT_H
#define WARD_TOOLS_DIFF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diff_compare.h"
#include "diff_run.h"

struct diff_report {
	const char *label[2];     /* the two sides, e.g. the servers */
	struct drun_query *q;
	size_t n;
	bool replay;              /* side A is the capture's answer */
	unsigned max_list;        /* queries listed per kind (0: none) */
	/* filled by diff_report_count */
	size_t differing;
	size_t per_kind[DIFF_NKINDS];
	size_t answered[2];       /* queries each side answered */
	size_t both_silent;       /* neither side answered */
	size_t compared;          /* replay: queries with a captured answer */
};

/* The two answers compared for query i. */
void diff_report_sides(const struct diff_report *r, size_t i,
                       const uint8_t **a, size_t *alen, const uint8_t **b,
                       size_t *blen);
/* Compare every query (sets q[i].kinds) and count. */
void diff_report_count(struct diff_report *r, const struct diff_opts *o);
void diff_report_text(FILE *out, const struct diff_report *r);
void diff_report_json(FILE *out, const struct diff_report *r);

#endif
