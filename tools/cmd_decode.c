/* ward decode: DNS messages given as hex (one per line, from the arguments
 * or stdin) printed like dig or as RFC 8427 JSON. --rr and --pcap hand over
 * to decode_rr_main() / decode_pcap_main(). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "codec/base.h"
#include "codec/msg.h"

static void usage(FILE *out)
{
	fputs("usage: ward decode [--json] [--octets] [--quiet] [HEX ...]\n"
	      "       ward decode --rr [--json] [HEX ...]\n"
	      "       ward decode --pcap FILE [--json] [--dns-port N]...\n"
	      "\n"
	      "Prints DNS messages given as hex, one message per line, from the\n"
	      "arguments or else (or with \"-\") from standard input, like dig (or with --json as\n"
	      "one RFC 8427 JSON object per line). Whitespace inside a line is\n"
	      "ignored, as are blank lines and lines starting with ';' or '#'.\n"
	      "A malformed message is printed as far as it could be read, with the\n"
	      "reason; decoding goes on with the next one.\n"
	      "\n"
	      "  --json      RFC 8427 JSON, one object per line\n"
	      "  --octets    with --json, add \"messageOctetsHEX\"\n"
	      "  --quiet     print only malformed messages and a summary line\n"
	      "  --rr        records (uncompressed wire form) instead of messages\n"
	      "  --pcap FILE every DNS (and DHCP) message in a capture file\n"
	      "  --dns-port N  with --pcap, port N carries DNS too (besides 53)\n"
	      "  --help      this text\n"
	      "\n"
	      "Exit status: 0 all messages parsed, 1 some were malformed, 2 usage.\n",
	      out);
}

struct decode_state {
	const struct decode_opts *o;
	bool octets;
	unsigned long messages;
	unsigned long malformed;
	char *out;        /* output buffer, grown on demand */
	size_t out_cap;
	uint8_t *msg;     /* decoded message bytes */
	size_t msg_cap;
};

/* Render with `print` into the growing buffer and write it to stdout. */
static int emit(struct decode_state *st, const dns_msg *m)
{
	for (;;) {
		if (!st->out) {
			size_t cap = st->out_cap ? st->out_cap : 64 * 1024;
			st->out = malloc(cap);
			if (!st->out)
				return WARD_ENOMEM;
			st->out_cap = cap;
		}
		strbuf sb = strbuf_init(st->out, st->out_cap);
		int r;
		if (st->o->json)
			r = dns_msg_print_json_ex(m, &sb,
			                          st->octets ? DNS_JSON_OCTETS : 0);
		else
			r = dns_msg_print(m, &sb);
		if (r == 0 && !sb.err) {
			fwrite(sb.buf, 1, sb.len, stdout);
			if (st->o->json)
				putchar('\n');
			return 0;
		}
		if (st->out_cap >= ((size_t)256 << 20))
			return WARD_ESPACE;
		free(st->out);
		st->out = NULL;
		st->out_cap *= 2;
	}
}

static void report_bad_input(struct decode_state *st, unsigned long lineno,
                             const char *why)
{
	st->malformed++;
	if (st->o->json)
		printf("{\"line\":%lu,\"malformed\":{\"error\":\"%s\"},"
		       "\"comment\":\"MALFORMED: %s\"}\n", lineno, why, why);
	else
		printf("%s;; MALFORMED: input line %lu: %s\n",
		       st->messages + st->malformed > 1 ? "\n" : "", lineno, why);
}

/* One input line: 0 when it was skipped or parsed, 1 when malformed, -1 on
 * a resource error. */
static int decode_line(struct decode_state *st, const char *line, size_t n,
                       unsigned long lineno)
{
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
	                 line[i] == '\n' || line[i] == '\f' || line[i] == '\v'))
		i++;
	if (i == n || line[i] == ';' || line[i] == '#')
		return 0;

	size_t len = 0;
	int hi = -1;
	for (; i < n; i++) {
		char c = line[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
		    c == '\v')
			continue;
		int v = hex_digit_value(c);
		if (v < 0) {
			report_bad_input(st, lineno, "not a hex digit");
			return 1;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (len == DNS_MSG_MAXLEN) {
			report_bad_input(st, lineno, "longer than 65535 octets");
			return 1;
		}
		if (len == st->msg_cap) {
			size_t cap = st->msg_cap ? st->msg_cap * 2 : 4096;
			uint8_t *p = realloc(st->msg, cap);
			if (!p)
				return -1;
			st->msg = p;
			st->msg_cap = cap;
		}
		st->msg[len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		report_bad_input(st, lineno, "odd number of hex digits");
		return 1;
	}

	dns_msg m;
	int perr = dns_msg_parse(&m, st->msg, len);
	if (perr < 0)
		st->malformed++;
	else
		st->messages++;
	if (st->o->quiet) {
		if (perr < 0)
			printf(";; line %lu: MALFORMED: %s\n", lineno,
			       ward_strerror(perr));
		return perr < 0;
	}
	if (!st->o->json && st->messages + st->malformed > 1)
		putchar('\n');
	if (emit(st, &m) < 0)
		return -1;
	return perr < 0;
}

static int decode_text(struct decode_state *st, const char *text,
                       unsigned long *lineno)
{
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		++*lineno;
		if (decode_line(st, p, n, *lineno) < 0)
			return -1;
		if (!nl)
			return 0;
		p = nl + 1;
	}
}

int cmd_decode(int argc, char **argv)
{
	struct decode_opts o;
	memset(&o, 0, sizeof o);
	struct decode_state st;
	const char *pcap = NULL;
	bool rr = false, octets = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!strcmp(a, "--json")) {
			o.json = 1;
		} else if (!strcmp(a, "--octets")) {
			octets = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o.quiet = 1;
		} else if (!strcmp(a, "--rr")) {
			rr = true;
		} else if (!strcmp(a, "--pcap")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ward decode: --pcap needs a FILE\n");
				return 2;
			}
			pcap = argv[++i];
		} else if (!strncmp(a, "--pcap=", 7)) {
			pcap = a + 7;
		} else if (!strcmp(a, "--dns-port") && i + 1 < argc) {
			char *end;
			unsigned long port = strtoul(argv[++i], &end, 10);
			if (*end || port == 0 || port > 65535 ||
			    o.n_dns_ports >= sizeof o.dns_ports / sizeof o.dns_ports[0]) {
				fprintf(stderr, "ward decode: bad or too many --dns-port '%s'\n", argv[i]);
				return 2;
			}
			o.dns_ports[o.n_dns_ports++] = (unsigned short)port;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "ward decode: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (rr && pcap) {
		fprintf(stderr, "ward decode: --rr and --pcap exclude each other\n");
		return 2;
	}
	if (rr)
		return decode_rr_main(argc - i, argv + i, &o);
	if (pcap) {
		if (i < argc) {
			fprintf(stderr, "ward decode: --pcap takes no HEX arguments\n");
			return 2;
		}
		return decode_pcap_main(pcap, &o);
	}

	memset(&st, 0, sizeof st);
	st.o = &o;
	st.octets = octets;
	unsigned long lineno = 0;
	int fail = 0;
	if (i + 1 == argc && !strcmp(argv[i], "-"))
		i++; /* "-": standard input */
	if (i < argc) {
		for (; i < argc && !fail; i++)
			fail = decode_text(&st, argv[i], &lineno) < 0;
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while (!fail && (n = getline(&line, &cap, stdin)) >= 0) {
			lineno++;
			fail = decode_line(&st, line, (size_t)n, lineno) < 0;
		}
		free(line);
	}
	if (o.quiet)
		printf(";; %lu messages, %lu malformed\n",
		       st.messages + st.malformed, st.malformed);
	free(st.out);
	free(st.msg);
	fflush(stdout);
	if (fail) {
		fprintf(stderr, "ward decode: out of memory\n");
		return 2;
	}
	return st.malformed ? 1 : 0;
}
