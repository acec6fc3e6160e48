/* ward toolkit: text and JSON reports of answer differences. */
#include <string.h>

#include "diff_report.h"

void diff_report_sides(const struct diff_report *r, size_t i,
                       const uint8_t **a, size_t *alen, const uint8_t **b,
                       size_t *blen)
{
	const struct drun_query *q = &r->q[i];
	if (r->replay) {
		*a = q->captured;
		*alen = q->captured_len;
		*b = q->ans[0];
		*blen = q->alen[0];
	} else {
		*a = q->ans[0];
		*alen = q->alen[0];
		*b = q->ans[1];
		*blen = q->alen[1];
	}
}

void diff_report_count(struct diff_report *r, const struct diff_opts *o)
{
	r->differing = 0;
	memset(r->per_kind, 0, sizeof r->per_kind);
	r->answered[0] = r->answered[1] = r->both_silent = r->compared = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct drun_query *q = &r->q[i];
		const uint8_t *a, *b;
		size_t al, bl;
		diff_report_sides(r, i, &a, &al, &b, &bl);
		q->kinds = 0;
		if (a)
			r->answered[0]++;
		if (b)
			r->answered[1]++;
		if (!a && !b)
			r->both_silent++;
		/* replay: a query the capture holds no answer for is only sent */
		if (r->replay && !a)
			continue;
		if (r->replay)
			r->compared++;
		q->kinds = diff_compare(a, al, b, bl, o);
		if (!q->kinds)
			continue;
		r->differing++;
		for (int k = 0; k < DIFF_NKINDS; k++)
			if (q->kinds & DIFF_BIT(k))
				r->per_kind[k]++;
	}
}

/* Which sections to show for a difference of kind k. */
static unsigned sections_for(unsigned kinds)
{
	unsigned s = kinds & (DIFF_BIT(DIFF_ANSWER) | DIFF_BIT(DIFF_AUTHORITY) |
	                      DIFF_BIT(DIFF_ADDITIONAL));
	return s ? s : DIFF_BIT(DIFF_ANSWER);
}

void diff_report_text(FILE *out, const struct diff_report *r)
{
	fprintf(out, "A: %s\nB: %s\n", r->label[0], r->label[1]);
	if (r->replay)
		fprintf(out, "%zu queries sent, %zu answered, %zu with a captured answer compared, %zu differ\n",
		        r->n, r->answered[1], r->compared, r->differing);
	else
		fprintf(out, "%zu queries, %zu differ (A answered %zu, B answered %zu, neither %zu)\n",
		        r->n, r->differing, r->answered[0], r->answered[1], r->both_silent);
	if (!r->differing)
		return;
	fprintf(out, "\ndifferences by kind:\n");
	for (int k = 0; k < DIFF_NKINDS; k++)
		if (r->per_kind[k])
			fprintf(out, "  %-11s %zu\n", diff_kind_name((enum diff_kind)k),
			        r->per_kind[k]);
	for (int k = 0; k < DIFF_NKINDS; k++) {
		if (!r->per_kind[k] || !r->max_list)
			continue;
		fprintf(out, "\n== %s (%zu)\n", diff_kind_name((enum diff_kind)k),
		        r->per_kind[k]);
		size_t shown = 0;
		for (size_t i = 0; i < r->n; i++) {
			const struct drun_query *q = &r->q[i];
			if (!(q->kinds & DIFF_BIT(k)))
				continue;
			if (shown++ == r->max_list) {
				fprintf(out, "  ... and %zu more\n", r->per_kind[k] - r->max_list);
				break;
			}
			const uint8_t *a, *b;
			size_t al, bl;
			diff_report_sides(r, i, &a, &al, &b, &bl);
			char qt[DRUN_QUERY_TEXT_MAX];
			drun_query_text(q, qt, sizeof qt);
			fprintf(out, "%s\n", qt);
			fprintf(out, "  A:\n");
			diff_print_short(out, "    ", a, al, sections_for(q->kinds));
			fprintf(out, "  B:\n");
			diff_print_short(out, "    ", b, bl, sections_for(q->kinds));
		}
	}
}

void diff_report_json(FILE *out, const struct diff_report *r)
{
	fputs("{\"a\":", out);
	diff_json_str(out, r->label[0]);
	fputs(",\"b\":", out);
	diff_json_str(out, r->label[1]);
	fprintf(out, ",\"summary\":{\"queries\":%zu,\"differing\":%zu,"
	        "\"answered_a\":%zu,\"answered_b\":%zu,\"neither\":%zu",
	        r->n, r->differing, r->answered[0], r->answered[1], r->both_silent);
	if (r->replay)
		fprintf(out, ",\"compared\":%zu", r->compared);
	fputs(",\"kinds\":{", out);
	for (int k = 0; k < DIFF_NKINDS; k++)
		fprintf(out, "%s\"%s\":%zu", k ? "," : "",
		        diff_kind_name((enum diff_kind)k), r->per_kind[k]);
	fputs("}},\"differences\":[", out);
	bool first = true;
	for (size_t i = 0; i < r->n; i++) {
		const struct drun_query *q = &r->q[i];
		if (!q->kinds)
			continue;
		const uint8_t *a, *b;
		size_t al, bl;
		diff_report_sides(r, i, &a, &al, &b, &bl);
		fputs(first ? "\n{" : ",\n{", out);
		first = false;
		fputs("\"query\":", out);
		char qt[DRUN_QUERY_TEXT_MAX];
		drun_query_text(q, qt, sizeof qt);
		diff_json_str(out, qt);
		fputs(",\"kinds\":[", out);
		bool fk = true;
		for (int k = 0; k < DIFF_NKINDS; k++)
			if (q->kinds & DIFF_BIT(k)) {
				fprintf(out, "%s\"%s\"", fk ? "" : ",",
				        diff_kind_name((enum diff_kind)k));
				fk = false;
			}
		fputs("],\"a\":", out);
		diff_print_json(out, a, al);
		fputs(",\"b\":", out);
		diff_print_json(out, b, bl);
		fputc('}', out);
	}
	fputs("]}\n", out);
}
