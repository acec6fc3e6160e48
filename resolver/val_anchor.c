/* ward resolver: trust anchors from text (zone-file lines, dnsmasq's
 * trust-anchor= form, the built-in root KSKs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/zone.h"
#include "resolver/validator.h"

#define ANCHOR_TEXT_MAX 1600

int res_anchors_add(struct res_anchors *a, const dns_rr *rr)
{
	if (rr->type != DNS_T_DS && rr->type != DNS_T_DNSKEY)
		return WARD_EINVAL;
	if (a->n >= RES_ANCHORS_MAX)
		return WARD_ELIMIT;
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 4;
		dns_rr *r = realloc(a->rrs, nc * sizeof(*r));
		if (!r)
			return WARD_ENOMEM;
		a->rrs = r;
		a->cap = nc;
	}
	uint8_t *d = malloc(rr->rdlen ? rr->rdlen : 1);
	if (!d)
		return WARD_ENOMEM;
	memcpy(d, rr->rdata, rr->rdlen);
	a->rrs[a->n] = *rr;
	a->rrs[a->n].rdata = d;
	a->n++;
	return 0;
}

int res_anchors_parse(struct res_anchors *a, const char *text, size_t len,
                      const char *filename, char *err, size_t errlen)
{
	zone_parser p;
	dns_name root;
	dns_name_root(&root);
	/* a trust-anchor file need not give TTLs */
	zone_parser_init(&p, text, len, &root, 3600, filename);
	uint8_t *buf = malloc(65536);
	dns_rr rr;
	int r = buf ? 1 : WARD_ENOMEM;
	while (buf && (r = zone_parser_next(&p, &rr, buf, 65536)) == 1) {
		r = res_anchors_add(a, &rr);
		if (r < 0) {
			snprintf(err, errlen, "%s:%u: %s", filename ? filename
			         : "trust anchors", p.line, r == WARD_EINVAL
			         ? "only DS and DNSKEY records can be trust anchors"
			         : ward_strerror(r));
			break;
		}
	}
	if (r < 0 && r != WARD_EINVAL && r != WARD_ELIMIT && r != WARD_ENOMEM)
		snprintf(err, errlen, "%s", p.errmsg);
	zone_parser_free(&p);
	free(buf);
	return r < 0 ? r : 0;
}

int res_anchors_parse_dnsmasq(struct res_anchors *a, const char *value)
{
	char f[6][256];
	int nf = 0;
	const char *s = value;
	while (nf < 6) {
		const char *c = strchr(s, ',');
		size_t l = c ? (size_t)(c - s) : strlen(s);
		if (l >= sizeof(f[0]))
			return WARD_ESYNTAX;
		memcpy(f[nf], s, l);
		f[nf++][l] = 0;
		if (!c)
			break;
		s = c + 1;
	}
	int base = nf == 6 ? 1 : 0; /* an optional class first (IN) */
	if (nf - base != 5)
		return WARD_ESYNTAX;
	char line[ANCHOR_TEXT_MAX];
	size_t dl = strlen(f[base]);
	snprintf(line, sizeof(line), "%s%s 3600 IN DS %s %s %s %s", f[base],
	         dl && f[base][dl - 1] == '.' ? "" : ".", f[base + 1],
	         f[base + 2], f[base + 3], f[base + 4]);
	dns_name root;
	dns_name_root(&root);
	uint8_t buf[512];
	dns_rr rr;
	int r = zone_parse_rr_line(line, &root, &rr, buf, sizeof(buf));
	return r < 0 ? r : res_anchors_add(a, &rr);
}

int res_anchors_add_root(struct res_anchors *a)
{
	static const char root_ds[] =
		". 172800 IN DS 20326 8 2 "
		"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
		". 172800 IN DS 38696 8 2 "
		"683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";
	char err[256];
	return res_anchors_parse(a, root_ds, strlen(root_ds), "built-in", err,
	                         sizeof(err));
}

void res_anchors_free(struct res_anchors *a)
{
	for (size_t i = 0; i < a->n; i++)
		free((void *)a->rrs[i].rdata);
	free(a->rrs);
	a->rrs = NULL;
	a->n = a->cap = 0;
}
