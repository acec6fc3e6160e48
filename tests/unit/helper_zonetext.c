/* Test helper: zone text -> records (see helper_zonetext.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/zone.h"
#include "helper_zonetext.h"

int zt_load(zt_records *z, const char *text)
{
	zone_parser p;
	z->n = 0;
	zone_parser_init(&p, text, strlen(text), NULL, 3600, "test");
	int rc = 0;
	while (z->n < ZT_MAXRR &&
	       (rc = zone_parser_next(&p, &z->rr[z->n], z->data[z->n],
	                              ZT_RDATA)) == 1)
		z->n++;
	if (rc < 0)
		fprintf(stderr, "%s\n", p.errmsg);
	zone_parser_free(&p);
	return rc < 0 ? rc : (int)z->n;
}

dns_name zt_name(const char *text)
{
	dns_name n;
	if (dns_name_from_text(&n, text, strlen(text), NULL) != 0) {
		fprintf(stderr, "bad test name %s\n", text);
		abort();
	}
	return n;
}
