/* ward diagnose --graph: the chain of trust drawn as DNSViz draws it.
 * Each zone is a box (cluster); its DNSKEYs are ellipses (a double border
 * for SEP keys), its DS records (from the parent) rectangles at its top,
 * the answer's RRsets and the NSEC/NSEC3 records of a denial rectangles.
 * Edges: a DS to the key its digest matches; a key to what it signs (one
 * edge per RRSIG); a CNAME to its target. Valid edges are blue, broken
 * ones red, and every non-secure zone or RRset gets a red edge to a note
 * saying why. The DOT text is run through graphviz `dot`. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diagnose.h"

#define GOOD "\"#1f4e9c\""
#define BAD "red"

extern char **environ;

static void lbl(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', o);
		if (*s == '\n') {
			fputs("\\n", o);
			continue;
		}
		fputc(*s, o);
	}
	fputc('"', o);
}

/* The node of the key of zone zi with this tag/alg, or -1. */
static int key_node(const struct diag_zone *z, uint16_t tag, uint8_t alg)
{
	for (size_t k = 0; k < z->dnskey.n; k++) {
		dnssec_dnskey d;
		if (!dnssec_dnskey_parse(z->dnskey.rr[k].rdata, z->dnskey.rr[k].rdlen,
		                         &d) && d.tag == tag && d.algorithm == alg)
			return (int)k;
	}
	return -1;
}

/* Signature edges from the signer's keys (zone zi) to node `to`. */
static void sig_edges(const struct diag_model *m, int zi, const struct diag_set *s,
                      const char *to, FILE *o, unsigned *nmiss)
{
	const struct diag_zone *z = &m->zones[zi];
	for (size_t i = 0; i < s->nsig && i < DIAG_MAX_SHOWN_VERIFY; i++) {
		const struct diag_sig *g = &s->sr[i];
		int k = key_node(z, g->key_tag, g->algorithm);
		bool ok = g->result == DNSSEC_R_OK;
		char from[48];
		if (k >= 0) {
			snprintf(from, sizeof from, "z%dk%d", zi, k);
		} else {
			snprintf(from, sizeof from, "miss%u", (*nmiss)++);
			fprintf(o, "  %s [shape=ellipse,style=dashed,color=" BAD
			        ",label=\"DNSKEY %u/%u\\n(not in the set)\"];\n", from,
			        g->key_tag, g->algorithm);
		}
		fprintf(o, "  %s -> %s [color=%s,label=", from, to, ok ? GOOD : BAD);
		lbl(o, ok ? "RRSIG" : dnssec_reason_str(g->result));
		fprintf(o, ",fontcolor=%s];\n", ok ? GOOD : BAD);
	}
	if (s->present && !s->nsig) {
		fprintf(o, "  nosig%u [shape=plaintext,fontcolor=" BAD
		        ",label=\"no RRSIG\"];\n  nosig%u -> %s [color=" BAD
		        ",style=dashed];\n", *nmiss, *nmiss, to);
		(*nmiss)++;
	}
}

static void why_edge(FILE *o, const char *from, const char *why, unsigned *n)
{
	fprintf(o, "  why%u [shape=note,color=" BAD ",fontcolor=" BAD ",label=", *n);
	lbl(o, why);
	fprintf(o, "];\n  %s -> why%u [color=" BAD ",penwidth=2];\n", from, *n);
	(*n)++;
}

static void denial_nodes(const struct diag_model *m, int zi,
                         const struct diag_denial *d, const char *prefix,
                         FILE *o, unsigned *nmiss)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16], id[48], lab[DNS_NAME_TEXT_MAX + 64];
	const struct diag_zone *z = &m->zones[zi];
	for (size_t i = 0; i < d->n; i++) {
		snprintf(id, sizeof id, "%s%zu", prefix, i);
		snprintf(lab, sizeof lab, "%s\n%s", dns_name_str(&d->rr[i].owner, nb),
		         dns_type_str(d->rr[i].type, tb));
		fprintf(o, "  %s [shape=box,style=rounded,label=", id);
		lbl(o, lab);
		fprintf(o, "];\n");
		/* the RRSIGs over this record */
		for (size_t j = 0; j < d->nsig; j++) {
			dnssec_rrsig p;
			if (!dns_name_equal(&d->sig[j].owner, &d->rr[i].owner) ||
			    dnssec_rrsig_parse(d->sig[j].rdata, d->sig[j].rdlen, &p) ||
			    p.type_covered != d->rr[i].type)
				continue;
			int k = key_node(z, p.key_tag, p.algorithm);
			bool ok = d->rr_res[i] == DNSSEC_R_OK;
			if (k < 0) {
				fprintf(o, "  miss%u [shape=ellipse,style=dashed,color=" BAD
				        ",label=\"DNSKEY %u/%u\\n(not in the set)\"];\n"
				        "  miss%u -> %s [color=" BAD "];\n", *nmiss,
				        p.key_tag, p.algorithm, *nmiss, id);
				(*nmiss)++;
				continue;
			}
			fprintf(o, "  z%dk%d -> %s [color=%s];\n", zi, k, id,
			        ok ? GOOD : BAD);
		}
	}
}

void diag_graph_dot(const struct diag_model *m, FILE *o)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16], buf[DIAG_TEXT_MAX + DNS_NAME_TEXT_MAX];
	unsigned nmiss = 0, nwhy = 0;
	fprintf(o, "digraph chain {\n  rankdir=BT;\n  compound=true;\n"
	        "  node [fontname=\"Helvetica\",fontsize=10];\n"
	        "  edge [fontname=\"Helvetica\",fontsize=8];\n  label=");
	snprintf(buf, sizeof buf, "%s %s: %s", dns_name_str(&m->qname, nb),
	         dns_type_str(m->qtype, tb), diag_verdict_str(m->verdict));
	lbl(o, buf);
	fprintf(o, ";\n  labelloc=t;\n");
	for (size_t zi = 0; zi < m->nzones; zi++) {
		const struct diag_zone *z = &m->zones[zi];
		fprintf(o, "  subgraph cluster_z%zu {\n    label=", zi);
		snprintf(buf, sizeof buf, "%s (%s)", dns_name_str(&z->name, nb),
		         z->state == DIAG_Z_SECURE ? "secure"
		         : z->state == DIAG_Z_INSECURE ? "insecure"
		         : z->state == DIAG_Z_BOGUS ? "bogus" : "indeterminate");
		lbl(o, buf);
		fprintf(o, ";\n    style=%s;\n    color=%s;\n",
		        z->state == DIAG_Z_INSECURE ? "dashed" : "solid",
		        z->state == DIAG_Z_BOGUS ? BAD : "black");
		fprintf(o, "    z%zuapex [shape=point,style=invis];\n", zi);
		for (size_t k = 0; k < z->dnskey.n; k++) {
			dnssec_dnskey d;
			if (dnssec_dnskey_parse(z->dnskey.rr[k].rdata,
			                        z->dnskey.rr[k].rdlen, &d))
				continue;
			snprintf(buf, sizeof buf, "DNSKEY %u/%u\n%s%s%u bits", d.tag,
			         d.algorithm, d.flags & DNSKEY_F_REVOKE ? "REVOKED, " : "",
			         !(d.flags & DNSKEY_F_ZONE) ? "no zone bit, " : "",
			         diag_key_bits(&d));
			fprintf(o, "    z%zuk%zu [shape=ellipse%s,label=", zi, k,
			        d.flags & DNSKEY_F_SEP ? ",peripheries=2" : "");
			lbl(o, buf);
			fprintf(o, "];\n");
		}
		const struct diag_set *dss = &z->ds;
		for (size_t k = 0; k < dss->n; k++) {
			dnssec_ds d;
			if (dnssec_ds_parse(dss->rr[k].rdata, dss->rr[k].rdlen, &d))
				continue;
			fprintf(o, "    z%zuds%zu [shape=box,label=\"DS %u/%u/%u\"];\n",
			        zi, k, d.key_tag, d.algorithm, d.digest_type);
		}
		if (z->anchor)
			fprintf(o, "    z%zuta [shape=box,style=bold,label=\"trust "
			        "anchor\"];\n", zi);
		fprintf(o, "  }\n");
		/* digests: DS -> key */
		for (size_t k = 0; k < dss->n; k++) {
			if (z->ds_key[k] >= 0)
				fprintf(o, "  z%zuds%zu -> z%zuk%d [color=" GOOD
				        ",style=dashed,label=\"digest\"];\n", zi, k, zi,
				        z->ds_key[k]);
			else
				/* a stale or unusable DS beside a working one is no
				 * break: grey, as DNSViz draws it */
				fprintf(o, "  z%zuds%zu -> z%zuapex [color=%s,style=dashed,"
				        "label=\"%s\",fontcolor=%s];\n", zi, k, zi,
				        z->state == DIAG_Z_SECURE ? "grey50" : BAD,
				        z->ds_match[k] == DNSSEC_DS_UNSUPPORTED
				        ? "digest not supported" : "matches no key",
				        z->state == DIAG_Z_SECURE ? "grey50" : BAD);
		}
		if (z->anchor)
			for (size_t k = 0; k < m->nanchors && k < DIAG_MAX_SET; k++)
				if (z->ds_key[k] >= 0)
					fprintf(o, "  z%zuta -> z%zuk%d [color=" GOOD
					        ",style=dashed];\n", zi, zi, z->ds_key[k]);
		/* the DS set signed by the parent's keys */
		char to[48];
		if (z->parent >= 0)
			for (size_t k = 0; k < dss->n; k++) {
				snprintf(to, sizeof to, "z%zuds%zu", zi, k);
				sig_edges(m, z->parent, dss, to, o, &nmiss);
			}
		/* the DNSKEY set signed by its own keys: drawn to each key */
		for (size_t k = 0; k < z->dnskey.n; k++) {
			snprintf(to, sizeof to, "z%zuk%zu", zi, k);
			sig_edges(m, (int)zi, &z->dnskey, to, o, &nmiss);
		}
		if (z->nods.used && z->parent >= 0) {
			char p[32];
			snprintf(p, sizeof p, "z%zunods", zi);
			denial_nodes(m, z->parent, &z->nods, p, o, &nmiss);
			for (size_t i = 0; i < z->nods.n; i++)
				fprintf(o, "  %s%zu -> z%zuapex [style=dotted,label=\"no DS\"];\n",
				        p, i, zi);
		}
		if (z->state == DIAG_Z_BOGUS || z->state == DIAG_Z_INDETERMINATE) {
			snprintf(to, sizeof to, "z%zuapex", zi);
			why_edge(o, to, z->why, &nwhy);
		}
	}
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct diag_link *l = &m->links[i];
		snprintf(buf, sizeof buf, "%s\n%s", dns_name_str(&l->set.owner, nb),
		         dns_type_str(l->set.type, tb));
		fprintf(o, "  l%zu [shape=box,style=%s,label=", i,
		        l->state == DIAG_Z_SECURE ? "solid" : "bold");
		lbl(o, buf);
		fprintf(o, "%s];\n", l->state == DIAG_Z_BOGUS ? ",color=" BAD : "");
		char to[32];
		snprintf(to, sizeof to, "l%zu", i);
		sig_edges(m, l->zone, &l->set, to, o, &nmiss);
		if (i)
			fprintf(o, "  l%zu -> l%zu [style=dashed,label=\"alias\"];\n", i - 1, i);
		if (l->wild.used) {
			char p[32];
			snprintf(p, sizeof p, "l%zuw", i);
			denial_nodes(m, l->zone, &l->wild, p, o, &nmiss);
		}
		if (l->state == DIAG_Z_BOGUS && l->why[0])
			why_edge(o, to, l->why, &nwhy);
	}
	if (m->denial.used && m->denial_zone >= 0) {
		denial_nodes(m, m->denial_zone, &m->denial, "d", o, &nmiss);
		snprintf(buf, sizeof buf, "%s %s\n%s", dns_name_str(&m->denial.qname, nb),
		         dns_type_str(m->denial.qtype, tb), m->denial.kind);
		fprintf(o, "  dq [shape=box,style=dashed,label=");
		lbl(o, buf);
		fprintf(o, "];\n");
		bool ok = m->denial.result.verdict != DENIAL_BOGUS;
		for (size_t i = 0; i < m->denial.n; i++)
			fprintf(o, "  d%zu -> dq [color=%s,style=dotted];\n", i,
			        ok ? GOOD : BAD);
		if (!ok)
			why_edge(o, "dq", m->denial.result.why, &nwhy);
	}
	if (m->verdict == DIAG_BOGUS && !nwhy)
		fprintf(o, "  verdict [shape=note,color=" BAD ",label=\"bogus\"];\n");
	fprintf(o, "}\n");
}

int diag_graph_write(const struct diag_model *m, const char *path, char *err,
                     size_t errlen)
{
	size_t pl = strlen(path);
	const char *fmt = pl > 4 && !strcmp(path + pl - 4, ".png") ? "-Tpng"
	                : pl > 4 && !strcmp(path + pl - 4, ".svg") ? "-Tsvg"
	                : pl > 4 && !strcmp(path + pl - 4, ".dot") ? NULL : "";
	if (fmt && !*fmt) {
		snprintf(err, errlen, "%s: the picture is FILE.svg, FILE.png or "
		         "FILE.dot", path);
		return -1;
	}
	if (!fmt) { /* DOT itself */
		FILE *f = fopen(path, "w");
		if (!f) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		diag_graph_dot(m, f);
		return fclose(f) ? -1 : 0;
	}
	char tmp[] = "/tmp/ward-diagnose.XXXXXX";
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		snprintf(err, errlen, "temporary file: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	diag_graph_dot(m, f);
	fclose(f);
	char *argv[] = { "dot", (char *)fmt, "-o", (char *)path, tmp, NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "dot", NULL, NULL, argv, environ);
	int st = 0;
	if (rc == 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	unlink(tmp);
	if (rc) {
		snprintf(err, errlen, "cannot run graphviz `dot`: %s (install the "
		         "graphviz package)", strerror(rc));
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(err, errlen, "`dot %s -o %s` failed", fmt, path);
		return -1;
	}
	return 0;
}
