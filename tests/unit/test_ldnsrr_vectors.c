/* ldns/unbound record vectors: testdata/codec/unbound/test_ldnsrr.N holds
 * records in presentation format, test_ldnsrr.cN what ldns made of them, two
 * lines per record: the uncompressed wire form in hex, then ldns's text.
 *
 * How the files pair up (checked against unbound's testcode/unitldns.c
 * reading them): every line of .N that is neither empty nor starts with ';'
 * is one record, parsed ON ITS OWN with origin "." and default TTL 3600 —
 * there is no owner inheritance: the few lines of .5 that start with a blank
 * get the owner "." in .c5, not the previous line's owner. Record k of .N is
 * pair k of .cN; no record is skipped.
 *
 * Checks per record:
 *   encode: the .N line through the zone parser + dns_rr_write() gives the
 *           .cN hex exactly;
 *   decode: the .cN hex through dns_rr_read_uncompressed() + dns_rr_to_text()
 *           gives the .cN text, both compared after dropping ldns's
 *           ";{id = ...}" comment and collapsing runs of blanks outside
 *           quotes.
 * Plus, for .1-.4 (no line starts with a blank there), the whole file through
 * the streaming zone parser must give the same hex sequence.
 *
 * A vector that deliberately does not match is listed in `known[]` below with
 * its reason; it is printed and counted, and a listed vector that matches
 * after all fails the test too (the table must stay true). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"
#include "zone.h"

enum check { ENCODE, DECODE };

struct known {
	int file;           /* N of test_ldnsrr.N */
	unsigned line;      /* line of the record in test_ldnsrr.N */
	enum check what;
	const char *reason;
};

/* Vectors deliberately not matched. */
static const struct known known[] = {
	{ 5, 57, ENCODE,
	  "MX 10 \"foo bar.nl\": ldns takes the quoted string's first word "
	  "'\"foo' as a domain name and ignores the rest; ward refuses a "
	  "quoted domain name with trailing text (garbage in, error out)" },
	{ 5, 57, DECODE,
	  "exchange label '\"foo': ldns prints '\"foo.', ward escapes the quote "
	  "as '\\\"foo.' (RFC 1035 §5.1 special character)" },
	{ 5, 177, ENCODE,
	  "NSAP-PTR foo.bar.com.: the .c5 wire has the target as a character-"
	  "string (0C 'foo.bar.com.'), an ldns quirk; RFC 1706 makes it a "
	  "domain name, which ward writes (03 foo 03 bar 03 com 00)" },
	{ 5, 177, DECODE,
	  "NSAP-PTR: the .c5 wire (a character-string, see encode) is not a "
	  "domain name, so ward rejects the rdata" },
	{ 5, 178, ENCODE,
	  "NSAP-PTR host.school.de.: as line 177, ldns writes a character-string "
	  "where RFC 1706 has a domain name" },
	{ 5, 178, DECODE,
	  "NSAP-PTR: as line 177, the .c5 rdata is not a domain name" },
};
#define NKNOWN (sizeof known / sizeof known[0])

#define WIRE_MAX (DNS_NAME_MAXLEN + 10 + DNS_RDATA_MAX)
#define TEXT_MAX (1u << 20)

static char testdata[4096];
static bool have_testdata;

/* per-run tallies, for the final summary */
static unsigned tot_records, tot_enc_ok, tot_dec_ok, tot_listed;
static bool known_hit[NKNOWN];

static const struct known *find_known(int file, unsigned line, enum check what)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (known[i].file == file && known[i].line == line &&
		    known[i].what == what)
			return &known[i];
	return NULL;
}

struct text {
	char *buf;
	size_t len;
};

static bool read_file(const char *path, struct text *t)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		assert_non_null(buf);
		if (cap - n < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			continue;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	buf[n] = '\0';
	t->buf = buf;
	t->len = n;
	return true;
}

/* Split into lines in place: returns the count, pointers in *lines. */
static size_t split_lines(struct text *t, char ***lines)
{
	size_t n = 0, cap = 1024;
	char **v = malloc(cap * sizeof *v);
	char *p = t->buf, *end = t->buf + t->len;
	while (p < end) {
		assert_non_null(v);
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		char *nl = memchr(p, '\n', (size_t)(end - p));
		v[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*lines = v;
	return n;
}

/* Drop the ";{...}" comment ldns appends and collapse blank runs outside
 * quotes; in place. */
static void normalize(char *s)
{
	char *o = s;
	bool q = false, pending_blank = false;
	for (char *p = s; *p; p++) {
		char c = *p;
		if (!q && c == ';')
			break;
		if (!q && (c == ' ' || c == '\t' || c == '\r')) {
			pending_blank = o != s;
			continue;
		}
		if (pending_blank) {
			*o++ = ' ';
			pending_blank = false;
		}
		if (c == '\\' && p[1]) {
			*o++ = c;
			*o++ = *++p;
			continue;
		}
		if (c == '"')
			q = !q;
		*o++ = c;
	}
	*o = '\0';
}

static void hex_upper(const uint8_t *p, size_t n, char *out, size_t cap)
{
	strbuf sb = strbuf_init(out, cap);
	strbuf_hex(&sb, p, n);
	assert_int_equal(sb.err, 0);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool unhex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s), k = 0;
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n % 2)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval(s[i]), b = hexval(s[i + 1]);
		if (a < 0 || b < 0 || k >= cap)
			return false;
		out[k++] = (uint8_t)(a << 4 | b);
	}
	*len = k;
	return true;
}

/* Encode one record: returns 0 and the hex, or an error with a message. */
static int encode_line(const char *line, unsigned lineno, const char *fname,
                       char *hex, size_t hexcap, char *msg, size_t msgcap)
{
	static uint8_t rdata[DNS_RDATA_MAX], wire[WIRE_MAX];
	dns_name root;
	zone_parser p;
	dns_rr rr;

	dns_name_root(&root);
	zone_parser_init(&p, line, strlen(line), &root, 3600, fname);
	zone_parser_set_line(&p, lineno);
	int r = zone_parser_next(&p, &rr, rdata, sizeof rdata);
	if (r < 0)
		snprintf(msg, msgcap, "%s", p.errmsg);
	else if (r == 0)
		snprintf(msg, msgcap, "%s:%u: no record", fname, lineno);
	zone_parser_free(&p);
	if (r <= 0)
		return r < 0 ? r : WARD_ESYNTAX;
	wire_wr w = wire_wr_init(wire, sizeof wire);
	dns_rr_write(&w, &rr);
	if (w.err) {
		snprintf(msg, msgcap, "dns_rr_write: %s", ward_strerror(w.err));
		return w.err;
	}
	hex_upper(wire, w.pos, hex, hexcap);
	return 0;
}

static int decode_hex(const char *hexline, char *text, size_t cap)
{
	static uint8_t wire[WIRE_MAX];
	size_t len;
	dns_rr rr;
	if (!unhex(hexline, wire, sizeof wire, &len))
		return WARD_EHEX;
	wire_rd rd = wire_rd_init(wire, len);
	int r = dns_rr_read_uncompressed(&rd, &rr);
	if (r < 0)
		return r;
	if (rd.err)
		return rd.err;
	if (rd.pos != len)
		return WARD_ETRAILING;
	strbuf sb = strbuf_init(text, cap);
	r = dns_rr_to_text(&rr, &sb);
	if (r < 0)
		return r;
	return sb.err;
}

static void show_diff(const char *what, int file, unsigned line,
                      const char *got, const char *want)
{
	fprintf(stderr, "MISMATCH %s test_ldnsrr.%d:%u\n  got:  %.300s\n  want: %.300s\n",
	        what, file, line, got, want);
}

/* The whole file through one streaming parser: same hex sequence. */
static unsigned zone_mode(int file, const struct text *in, const char *fname,
                          char **want_hex, size_t nrec)
{
	static uint8_t rdata[DNS_RDATA_MAX], wire[WIRE_MAX];
	char *hex = malloc(2 * WIRE_MAX + 1);
	dns_name root;
	zone_parser p;
	unsigned k = 0, bad = 0;

	assert_non_null(hex);
	dns_name_root(&root);
	zone_parser_init(&p, in->buf, in->len, &root, 3600, fname);
	for (;;) {
		dns_rr rr;
		int r = zone_parser_next(&p, &rr, rdata, sizeof rdata);
		if (r == 0)
			break;
		if (r < 0) {
			/* a line the per-line check already reports */
			k++;
			continue;
		}
		wire_wr w = wire_wr_init(wire, sizeof wire);
		dns_rr_write(&w, &rr);
		assert_int_equal(w.err, 0);
		hex_upper(wire, w.pos, hex, 2 * WIRE_MAX + 1);
		if (k < nrec && strcmp(hex, want_hex[k]) != 0 &&
		    !find_known(file, p.line, ENCODE)) {
			show_diff("zone-mode encode", file, p.line, hex, want_hex[k]);
			bad++;
		}
		k++;
	}
	zone_parser_free(&p);
	free(hex);
	if (k != nrec) {
		fprintf(stderr, "zone mode of test_ldnsrr.%d: %u records, want %zu\n",
		        file, k, nrec);
		bad++;
	}
	return bad;
}

static void check_file(int file)
{
	char path[4200], cpath[4200], fname[32];
	struct text in, chk;
	char **ilines, **clines;

	if (!have_testdata) {
		printf("SKIP test_ldnsrr.%d: no test data at '%s' (set WARD_TESTDATA)\n",
		       file, testdata);
		skip();
	}
	snprintf(path, sizeof path, "%s/codec/unbound/test_ldnsrr.%d", testdata, file);
	snprintf(cpath, sizeof cpath, "%s/codec/unbound/test_ldnsrr.c%d", testdata, file);
	snprintf(fname, sizeof fname, "test_ldnsrr.%d", file);
	if (!read_file(path, &in) || !read_file(cpath, &chk)) {
		printf("SKIP test_ldnsrr.%d: cannot read %s or its .c%d\n", file,
		       path, file);
		skip();
	}
	struct text in_copy = { malloc(in.len + 1), in.len };
	assert_non_null(in_copy.buf);
	memcpy(in_copy.buf, in.buf, in.len + 1);

	size_t ni = split_lines(&in, &ilines);
	size_t nc = split_lines(&chk, &clines);
	while (nc && clines[nc - 1][0] == '\0')
		nc--;
	assert_int_equal(nc % 2, 0);

	/* records of .N: not empty, not a ';' comment */
	size_t nrec = 0;
	unsigned *recline = malloc((ni + 1) * sizeof *recline);
	assert_non_null(recline);
	for (size_t i = 0; i < ni; i++) {
		const char *l = ilines[i];
		if (l[0] == '\0' || l[0] == ';' || (l[0] == '\r' && l[1] == '\0'))
			continue;
		ilines[nrec] = ilines[i];
		recline[nrec++] = (unsigned)i + 1;
	}
	if (nrec != nc / 2)
		fail_msg("test_ldnsrr.%d has %zu records but .c%d has %zu pairs",
		         file, nrec, file, nc / 2);

	char *hex = malloc(2 * WIRE_MAX + 1);
	char *text = malloc(TEXT_MAX);
	char *want = malloc(TEXT_MAX);
	char **want_hex = malloc((nrec + 1) * sizeof *want_hex);
	char msg[ZONE_ERRMSG_MAX + 64];
	assert_true(hex && text && want && want_hex);
	unsigned enc_ok = 0, dec_ok = 0, listed = 0, bad = 0;

	for (size_t k = 0; k < nrec; k++) {
		unsigned line = recline[k];
		const char *chex = clines[2 * k];
		const char *ctext = clines[2 * k + 1];
		want_hex[k] = clines[2 * k];

		/* encode */
		int r = encode_line(ilines[k], line, fname, hex, 2 * WIRE_MAX + 1,
		                    msg, sizeof msg);
		bool match = r == 0 && strcmp(hex, chex) == 0;
		const struct known *kn = find_known(file, line, ENCODE);
		if (match && !kn) {
			enc_ok++;
		} else if (!match && kn) {
			known_hit[kn - known] = true;
			listed++;
		} else if (match) {
			fprintf(stderr, "test_ldnsrr.%d:%u encode is listed as a known "
			        "mismatch but matches: update known[]\n", file, line);
			bad++;
		} else {
			show_diff("encode", file, line, r == 0 ? hex : msg, chex);
			bad++;
		}

		/* decode */
		r = decode_hex(chex, text, TEXT_MAX);
		if (r < 0)
			snprintf(text, TEXT_MAX, "error: %s", ward_strerror(r));
		else
			normalize(text);
		snprintf(want, TEXT_MAX, "%s", ctext);
		normalize(want);
		match = r == 0 && strcmp(text, want) == 0;
		kn = find_known(file, line, DECODE);
		if (match && !kn) {
			dec_ok++;
		} else if (!match && kn) {
			known_hit[kn - known] = true;
			listed++;
		} else if (match) {
			fprintf(stderr, "test_ldnsrr.%d:%u decode is listed as a known "
			        "mismatch but matches: update known[]\n", file, line);
			bad++;
		} else {
			show_diff("decode", file, line, text, want);
			bad++;
		}
	}

	bool blank_start = false;
	for (size_t k = 0; k < nrec; k++)
		if (ilines[k][0] == ' ' || ilines[k][0] == '\t')
			blank_start = true;
	if (!blank_start) {
		bad += zone_mode(file, &in_copy, fname, want_hex, nrec);
	} else {
		printf("test_ldnsrr.%d: whole-file zone mode not compared: lines "
		       "starting with a blank inherit the previous owner in a zone "
		       "file, but ldns read them one by one (owner \".\")\n", file);
	}

	printf("test_ldnsrr.%d: %zu records: encode %u matched, decode %u matched, "
	       "%u listed mismatches, %u failures\n",
	       file, nrec, enc_ok, dec_ok, listed, bad);
	tot_records += (unsigned)nrec;
	tot_enc_ok += enc_ok;
	tot_dec_ok += dec_ok;
	tot_listed += listed;

	free(want_hex);
	free(want);
	free(text);
	free(hex);
	free(recline);
	free(ilines);
	free(clines);
	free(in.buf);
	free(chk.buf);
	free(in_copy.buf);
	if (bad)
		fail_msg("test_ldnsrr.%d: %u vectors failed", file, bad);
}

static void test_ldnsrr_1(void **state) { (void)state; check_file(1); }
static void test_ldnsrr_2(void **state) { (void)state; check_file(2); }
static void test_ldnsrr_3(void **state) { (void)state; check_file(3); }
static void test_ldnsrr_4(void **state) { (void)state; check_file(4); }
static void test_ldnsrr_5(void **state) { (void)state; check_file(5); }

/* Runs last: prints the table of listed mismatches and checks each entry was
 * used (an entry pointing at no vector is a stale table). */
static void test_known_table(void **state)
{
	(void)state;
	if (!have_testdata)
		skip();
	printf("vectors: %u records, encode %u matched, decode %u matched, "
	       "%u listed as deliberate mismatches:\n",
	       tot_records, tot_enc_ok, tot_dec_ok, tot_listed);
	unsigned stale = 0;
	for (size_t i = 0; i < NKNOWN; i++) {
		printf("  test_ldnsrr.%d:%u %s: %s%s\n", known[i].file, known[i].line,
		       known[i].what == ENCODE ? "encode" : "decode",
		       known[i].reason, known_hit[i] ? "" : "  [NOT SEEN]");
		if (!known_hit[i])
			stale++;
	}
	assert_int_equal(stale, 0);
}

int main(void)
{
	const char *env = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s",
	         env && *env ? env : "../shared/testdata");
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/codec/unbound/test_ldnsrr.1", testdata);
	FILE *f = fopen(probe, "rb");
	have_testdata = f != NULL;
	if (f)
		fclose(f);
	else
		printf("note: %s not found; the vector tests skip "
		       "(set WARD_TESTDATA to shared/testdata)\n", probe);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldnsrr_1),
		cmocka_unit_test(test_ldnsrr_2),
		cmocka_unit_test(test_ldnsrr_3),
		cmocka_unit_test(test_ldnsrr_4),
		cmocka_unit_test(test_ldnsrr_5),
		cmocka_unit_test(test_known_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
