/* libFuzzer harness: ward diagnose's walk (diagnose/diagnose_walk.c) on
 * untrusted responses. The input is served as the response to every
 * question the walk asks (DS, DNSKEY, the answer, CNAME targets), with the
 * root DS of the testbed captures as the anchor; the model then goes
 * through the text and JSON reports and the DOT writer (to /dev/null). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/zone.h"
#include "resolver/validator.h"
#include "diagnose/diagnose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size;
};

static int fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                 uint8_t *buf, size_t cap, size_t *len)
{
	const struct input *in = ctx;
	(void)qname;
	(void)qtype;
	if (in->size > cap)
		return DIAG_FETCH_TIMEOUT;
	memcpy(buf, in->data, in->size);
	*len = in->size;
	return DIAG_FETCH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct res_anchors anchors;
	static FILE *null;
	if (!null) {
		static const char ds[] = ". 3600 IN DS 54730 8 2 6e631b196a27f0e014"
			"edf44d74ec0236db9dbab26dac1e728f7ecd00f9d7bab0\n";
		char err[256];
		if (!(null = fopen("/dev/null", "w")) ||
		    res_anchors_parse(&anchors, ds, strlen(ds), "fuzz", err,
		                      sizeof err) < 0)
			abort();
	}
	struct input in = { data, size };
	struct diag_walk w = { .fetch = fetch, .fetch_ctx = &in,
	                       .anchors = anchors.rrs, .nanchors = anchors.n,
	                       .at = 1795740000 };
	struct diag_model *m = calloc(1, sizeof *m);
	if (!m)
		return 0;
	dns_name q;
	const dns_name root = { 1, { 0 } };
	dns_name_from_text(&q, "www.alg13.nsec.", 15, &root);
	if (diag_walk_run(&w, &q, 1, m) == 0) {
		diag_report_text(m, null);
		diag_report_json(m, null);
		diag_graph_dot(m, null);
	}
	diag_model_free(m);
	free(m);
	return 0;
}
