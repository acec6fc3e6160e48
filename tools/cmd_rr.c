/* ward encode --rr / ward decode --rr: records between presentation format
 * and the uncompressed wire form of the ldns/unbound test vectors (owner,
 * type, class, TTL, RDLENGTH, rdata; uppercase hex, one record a line). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "base.h"
#include "error.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"
#include "zone.h"

#define INPUT_MAX (256u << 20)                 /* one input file or stdin */
#define RR_WIRE_MAX (DNS_NAME_MAXLEN + 10 + DNS_RDATA_MAX)
#define RR_TEXT_MAX (1u << 20)                 /* one record, printed */

/* Read a whole stream into a malloc()ed, NUL-terminated buffer. */
static int read_stream(FILE *f, char **text, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return WARD_ENOMEM;
	for (;;) {
		if (cap - n < 2) {
			if (cap >= INPUT_MAX) {
				free(buf);
				return WARD_ELIMIT;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return WARD_ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return WARD_EIO;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int read_path(const char *path, char **text, size_t *len)
{
	if (!strcmp(path, "-"))
		return read_stream(stdin, text, len);
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? WARD_ENOTFOUND : WARD_EIO;
	int r = read_stream(f, text, len);
	fclose(f);
	return r;
}

/* $INCLUDE loader for --include: paths as written, relative to the current
 * directory (as BIND does without a `directory` option). */
static int include_loader(void *ctx, const char *path, char **text, size_t *len)
{
	(void)ctx;
	return read_path(path, text, len);
}

/* ------------------------------------------------------------------ */
/* ward encode --rr */

struct encode_opts {
	dns_name origin;
	int64_t ttl;
	bool lines;
	bool include;
};

static void encode_usage(FILE *out)
{
	fprintf(out,
	    "usage: ward encode --rr [--origin NAME] [--ttl TTL] [--lines] [--include] [FILE...]\n"
	    "\n"
	    "Reads resource records in presentation format (a zone file: $ORIGIN,\n"
	    "$TTL, parentheses, comments, owners inherited from the line before)\n"
	    "from the FILEs or standard input ('-'), and prints the uncompressed\n"
	    "wire form of each (owner, type, class, TTL, RDLENGTH, rdata) as one\n"
	    "line of uppercase hex.\n"
	    "\n"
	    "  --origin NAME  origin for relative names and '@' (default: the root)\n"
	    "  --ttl TTL      TTL of records without one, until a $TTL (3600, 1h30m)\n"
	    "  --lines        every line is a record on its own, as unbound's and\n"
	    "                 ldns's tests read them: no owner inheritance (a line\n"
	    "                 starting with a blank gets the origin as owner) and\n"
	    "                 directives only affect their own line\n"
	    "  --include      allow $INCLUDE (paths relative to the current directory)\n"
	    "\n"
	    "A record that does not parse is reported as FILE:LINE: reason on\n"
	    "standard error and skipped; the exit status is then 1.\n"
	    "Encoding whole DNS messages from text is not supported: only --rr.\n");
}

/* Print one record as hex; returns 0 or a negative ward_err. */
static int print_rr_hex(const dns_rr *rr, uint8_t *wire, char *hex)
{
	wire_wr w = wire_wr_init(wire, RR_WIRE_MAX);
	dns_rr_write(&w, rr);
	if (w.err)
		return w.err;
	strbuf sb = strbuf_init(hex, 2 * RR_WIRE_MAX + 2);
	strbuf_hex(&sb, wire, w.pos);
	if (sb.err)
		return sb.err;
	puts(hex);
	return 0;
}

struct encode_bufs {
	uint8_t *rdata;
	uint8_t *wire;
	char *hex;
};

/* Run one parser to its end; returns the number of bad records. */
static unsigned encode_run(zone_parser *p, const struct encode_bufs *b,
                           const char *fname)
{
	unsigned bad = 0;
	for (;;) {
		dns_rr rr;
		int r = zone_parser_next(p, &rr, b->rdata, DNS_RDATA_MAX);
		if (r == 0)
			break;
		if (r < 0) {
			fprintf(stderr, "%s\n", p->errmsg);
			bad++;
			continue;
		}
		r = print_rr_hex(&rr, b->wire, b->hex);
		if (r < 0) {
			fprintf(stderr, "%s:%u: %s\n", fname, p->line,
			        ward_strerror(r));
			bad++;
		}
	}
	return bad;
}

static unsigned encode_text(const char *text, size_t len, const char *fname,
                            const struct encode_opts *o,
                            const struct encode_bufs *b)
{
	zone_parser p;
	unsigned bad = 0;

	if (!o->lines) {
		zone_parser_init(&p, text, len, &o->origin, o->ttl, fname);
		if (o->include)
			zone_parser_allow_include(&p, include_loader, NULL);
		bad = encode_run(&p, b, fname);
		zone_parser_free(&p);
		return bad;
	}
	unsigned lineno = 1;
	for (size_t pos = 0; pos < len; lineno++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		zone_parser_init(&p, text + pos, end - pos, &o->origin, o->ttl,
		                 fname);
		zone_parser_set_line(&p, lineno);
		if (o->include)
			zone_parser_allow_include(&p, include_loader, NULL);
		bad += encode_run(&p, b, fname);
		zone_parser_free(&p);
		pos = nl ? end + 1 : len;
	}
	return bad;
}

/* Options into o, file arguments into files[]. Returns -1 to go on, or the
 * exit status (0 after --help, 2 on a usage error). */
static int encode_args(int argc, char **argv, struct encode_opts *o,
                       char **files, int *nfiles)
{
	bool rr_mode = false, opts_done = false;

	dns_name_root(&o->origin);
	o->ttl = ZONE_NO_TTL;
	o->lines = false;
	o->include = false;
	*nfiles = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (opts_done || a[0] != '-' || !strcmp(a, "-")) {
			files[(*nfiles)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			encode_usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--rr")) {
			rr_mode = true;
			continue;
		}
		if (!strcmp(a, "--lines")) {
			o->lines = true;
			continue;
		}
		if (!strcmp(a, "--include")) {
			o->include = true;
			continue;
		}
		if (!strncmp(a, "--origin=", 9) || !strncmp(a, "--ttl=", 6)) {
			val = strchr(a, '=') + 1;
		} else if (!strcmp(a, "--origin") || !strcmp(a, "--ttl")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ward encode: %s needs a value\n", a);
				return 2;
			}
			val = argv[++i];
		} else {
			fprintf(stderr, "ward encode: unknown option '%s'\n", a);
			encode_usage(stderr);
			return 2;
		}
		if (!strncmp(a, "--origin", 8)) {
			/* a relative origin is taken relative to the root */
			dns_name root;
			dns_name_root(&root);
			int r = dns_name_from_text(&o->origin, val, strlen(val), &root);
			if (r < 0) {
				fprintf(stderr, "ward encode: bad --origin '%s': %s\n",
				        val, ward_strerror(r));
				return 2;
			}
		} else {
			uint32_t ttl;
			int r = zone_ttl_from_text(val, strlen(val), &ttl);
			if (r < 0) {
				fprintf(stderr, "ward encode: bad --ttl '%s': %s\n",
				        val, ward_strerror(r));
				return 2;
			}
			o->ttl = ttl;
		}
	}
	if (!rr_mode) {
		fprintf(stderr,
		        "ward encode: only --rr is supported (records to wire hex);\n"
		        "encoding DNS messages from text is not implemented\n");
		encode_usage(stderr);
		return 2;
	}
	if (*nfiles == 0)
		files[(*nfiles)++] = (char *)"-";
	return -1;
}

int cmd_encode(int argc, char **argv)
{
	struct encode_opts o;
	int nfiles = 0;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	if (!files) {
		fprintf(stderr, "ward encode: out of memory\n");
		return 2;
	}
	int st = encode_args(argc, argv, &o, files, &nfiles);
	if (st >= 0) {
		free(files);
		return st;
	}

	struct encode_bufs b;
	b.rdata = malloc(DNS_RDATA_MAX);
	b.wire = malloc(RR_WIRE_MAX);
	b.hex = malloc(2 * RR_WIRE_MAX + 2);
	if (!b.rdata || !b.wire || !b.hex) {
		fprintf(stderr, "ward encode: out of memory\n");
		free(b.rdata);
		free(b.wire);
		free(b.hex);
		free(files);
		return 2;
	}

	unsigned bad = 0;
	int status = 0;
	for (int f = 0; f < nfiles; f++) {
		const char *path = files[f];
		const char *fname = strcmp(path, "-") ? path : "<stdin>";
		char *text;
		size_t len;
		int r = read_path(path, &text, &len);
		if (r < 0) {
			fprintf(stderr, "ward encode: %s: %s\n", fname,
			        r == WARD_EIO ? strerror(errno) : ward_strerror(r));
			status = 2;
			continue;
		}
		bad += encode_text(text, len, fname, &o, &b);
		free(text);
	}
	free(b.rdata);
	free(b.wire);
	free(b.hex);
	free(files);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ward encode: write error\n");
		return 2;
	}
	if (status)
		return status;
	return bad ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* ward decode --rr */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static void json_string(strbuf *sb, const char *s)
{
	strbuf_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			strbuf_printf(sb, "\\u%04x", c);
		} else {
			strbuf_putc(sb, (char)c);
		}
	}
	strbuf_putc(sb, '"');
}

/* RFC 8427 §2.2 member names for one record. */
static void rr_to_json(const dns_rr *rr, strbuf *sb)
{
	char name[DNS_NAME_TEXT_MAX], tbuf[16], cbuf[16];
	strbuf_puts(sb, "{\"NAME\":");
	json_string(sb, dns_name_str(&rr->owner, name));
	strbuf_printf(sb, ",\"TYPE\":%u,\"TYPEname\":", rr->type);
	json_string(sb, dns_type_str(rr->type, tbuf));
	strbuf_printf(sb, ",\"CLASS\":%u,\"CLASSname\":", rr->rclass);
	json_string(sb, dns_class_str(rr->rclass, cbuf));
	strbuf_printf(sb, ",\"TTL\":%lu,\"RDLENGTH\":%u,\"RDATAHEX\":\"",
	              (unsigned long)rr->ttl, rr->rdlen);
	strbuf_hex(sb, rr->rdata, rr->rdlen);
	strbuf_puts(sb, "\"}");
}

/* Decode one hex line; prints the record or returns a negative error. */
static int decode_one(const char *s, size_t n, const struct decode_opts *o,
                      uint8_t *wire, char *text)
{
	size_t len = 0;
	int r = hex_decode_ws(s, n, wire, RR_WIRE_MAX, &len);
	if (r < 0)
		return r;
	wire_rd rd = wire_rd_init(wire, len);
	dns_rr rr;
	r = dns_rr_read_uncompressed(&rd, &rr);
	if (r < 0)
		return r;
	if (rd.err)
		return rd.err;
	if (rd.pos != len)
		return WARD_ETRAILING;
	strbuf sb = strbuf_init(text, RR_TEXT_MAX);
	if (o && o->json)
		rr_to_json(&rr, &sb);
	else
		r = dns_rr_to_text(&rr, &sb);
	if (r < 0)
		return r;
	if (sb.err)
		return sb.err;
	if (!o || !o->quiet)
		puts(text);
	return 0;
}

/* Lines that carry no record: empty, or comments (';' or '#'). */
static bool skip_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && blank(s[i]))
		i++;
	return i == n || s[i] == ';' || s[i] == '#';
}

int decode_rr_main(int argc, char **argv, const struct decode_opts *o)
{
	uint8_t *wire = malloc(RR_WIRE_MAX);
	char *text = malloc(RR_TEXT_MAX);
	unsigned ok = 0, bad = 0;
	int status = 0;

	if (!wire || !text) {
		fprintf(stderr, "ward decode: out of memory\n");
		free(wire);
		free(text);
		return 2;
	}
	/* arguments are lines; none (or "-") means standard input */
	bool from_stdin = argc <= 0 || (argc == 1 && !strcmp(argv[0], "-"));
	if (!from_stdin) {
		for (int i = 0; i < argc; i++) {
			size_t n = strlen(argv[i]);
			if (skip_line(argv[i], n))
				continue;
			int r = decode_one(argv[i], n, o, wire, text);
			if (r < 0) {
				fprintf(stderr, "line %d: %s\n", i + 1, ward_strerror(r));
				bad++;
			} else {
				ok++;
			}
		}
	} else {
		char *all;
		size_t len;
		int r = read_stream(stdin, &all, &len);
		if (r < 0) {
			fprintf(stderr, "ward decode: <stdin>: %s\n", ward_strerror(r));
			status = 2;
			len = 0;
			all = NULL;
		}
		unsigned lineno = 1;
		for (size_t pos = 0; pos < len; lineno++) {
			const char *nl = memchr(all + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - all) : len;
			const char *s = all + pos;
			size_t n = end - pos;
			pos = nl ? end + 1 : len;
			if (skip_line(s, n))
				continue;
			r = decode_one(s, n, o, wire, text);
			if (r < 0) {
				fprintf(stderr, "line %u: %s\n", lineno, ward_strerror(r));
				bad++;
			} else {
				ok++;
			}
		}
		free(all);
	}
	if (o && o->quiet)
		printf("%u records decoded, %u failed\n", ok, bad);
	free(wire);
	free(text);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ward decode: write error\n");
		return 2;
	}
	if (status)
		return status;
	return bad ? 1 : 0;
}
