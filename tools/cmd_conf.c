/* ward conf: check a dnsmasq configuration the way wardd reads it, print
 * it normalised, list the options ward knows.
 *
 *   ward conf check [--json] [--strict] FILE... [-- OPTION...]
 *   ward conf dump FILE... [-- OPTION...]
 *   ward conf options [--json]
 *
 * Exit status: 0 no errors (warnings allowed), 1 warnings with --strict,
 * 2 errors in the configuration, unreadable file or bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "daemon/conf.h"
#include "error.h"
#include "strbuf.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ward conf check [--json] [--strict] FILE... [-- OPTION...]\n"
	        "       ward conf dump FILE... [-- OPTION...]\n"
	        "       ward conf options [--json]\n"
	        "\n"
	        "Reads dnsmasq configuration files (FILE '-' is standard input)\n"
	        "and command-line OPTIONs (--name[=value]) exactly as wardd does.\n"
	        "  check    print every error and warning and a summary line\n"
	        "  dump     print the effective configuration in dnsmasq syntax,\n"
	        "           one option per line (messages go to standard error)\n"
	        "  options  list every option name with its status in ward\n"
	        "  --json   one JSON object instead of text\n"
	        "  --strict warnings make the exit status 1\n"
	        "Exit status: 0 no errors, 1 warnings with --strict, 2 errors.\n");
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void print_diag(void *ctx, const conf_diag *d)
{
	fprintf((FILE *)ctx, "%s\n", d->text);
}

struct run {
	ward_conf conf;
	int nfiles;
	char **files;
	int nopts;
	char **opts;
};

/* Parse FILE... [-- OPTION...] after the subcommand's own flags. */
static int load(struct run *r, FILE *diag_out)
{
	if (conf_init(&r->conf, NULL))
		return WARD_ENOMEM;
	if (diag_out)
		conf_set_diag_fn(&r->conf, print_diag, diag_out);
	if (r->nopts) {
		/* a fake argv: conf_apply_argv skips argv[0] */
		char **argv = calloc((size_t)r->nopts + 1, sizeof *argv);
		if (!argv)
			return WARD_ENOMEM;
		argv[0] = (char *)"ward";
		for (int i = 0; i < r->nopts; i++)
			argv[i + 1] = r->opts[i];
		int rc = conf_apply_argv(&r->conf, r->nopts + 1, argv);
		free(argv);
		if (rc == WARD_ENOMEM)
			return rc;
	}
	for (int i = 0; i < r->nfiles; i++)
		if (conf_load_file(&r->conf, r->files[i]) == WARD_ENOMEM)
			return WARD_ENOMEM;
	conf_finish(&r->conf);
	return 0;
}

static int split_args(int argc, char **argv, int first, struct run *r)
{
	r->files = argv + first;
	r->nfiles = 0;
	r->opts = NULL;
	r->nopts = 0;
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			r->opts = argv + i + 1;
			r->nopts = argc - i - 1;
			break;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ward conf: unknown flag '%s' (dnsmasq options "
			        "go after '--')\n", argv[i]);
			return -1;
		}
		r->nfiles++;
	}
	if (r->nfiles == 0 && r->nopts == 0) {
		fprintf(stderr, "ward conf: no configuration file given\n");
		return -1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	bool json = false, strict = false;
	int i = 2;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--strict"))
			strict = true;
		else
			break;
	}
	struct run r;
	if (split_args(argc, argv, i, &r))
		return 2;
	if (load(&r, json ? NULL : stdout)) {
		fprintf(stderr, "ward conf: out of memory\n");
		conf_free(&r.conf);
		return 2;
	}
	const ward_conf *c = &r.conf;
	const char *names[CONF_CHECK_NAMES_MAX];
	size_t nu = conf_unimplemented(c, names, CONF_CHECK_NAMES_MAX);
	if (json) {
		printf("{\"ok\":%s,\"errors\":%u,\"warnings\":%u,\"files\":[",
		       c->errors ? "false" : "true", c->errors, c->warnings);
		for (int k = 0; k < r.nfiles; k++) {
			if (k)
				putchar(',');
			json_str(stdout, r.files[k]);
		}
		printf("],\"not_implemented\":[");
		for (size_t k = 0; k < nu; k++) {
			if (k)
				putchar(',');
			json_str(stdout, names[k]);
		}
		printf("],\"diagnostics\":[");
		for (size_t k = 0; k < c->diags.n; k++) {
			const conf_diag *d = &c->diags.v[k];
			printf("%s{\"severity\":\"%s\",\"file\":", k ? "," : "",
			       d->severity == CONF_ERROR ? "error" : "warning");
			json_str(stdout, d->file);
			printf(",\"line\":%u,\"option\":", d->line);
			if (d->option)
				json_str(stdout, d->option);
			else
				printf("null");
			printf(",\"not_implemented\":");
			if (d->unimplemented)
				json_str(stdout, d->unimplemented);
			else
				printf("null");
			printf(",\"text\":");
			json_str(stdout, d->text);
			putchar('}');
		}
		printf("]}\n");
	} else {
		static char line[32768];
		strbuf sb = strbuf_init(line, sizeof line);
		conf_check_summary(c, &sb);
		fputs(line, stdout);
	}
	int rc = c->errors ? 2 : (strict && c->warnings) ? 1 : 0;
	conf_free(&r.conf);
	return rc;
}

static int cmd_dump(int argc, char **argv)
{
	struct run r;
	if (split_args(argc, argv, 2, &r))
		return 2;
	if (load(&r, stderr)) {
		fprintf(stderr, "ward conf: out of memory\n");
		conf_free(&r.conf);
		return 2;
	}
	int rc = 0;
	if (r.conf.errors) {
		fprintf(stderr, "ward conf: %u error%s; nothing dumped\n",
		        r.conf.errors, r.conf.errors == 1 ? "" : "s");
		rc = 2;
	} else {
		size_t cap = 1u << 20;
		for (;;) {
			char *buf = malloc(cap);
			if (!buf) {
				rc = 2;
				break;
			}
			strbuf sb = strbuf_init(buf, cap);
			if (conf_dump(&r.conf, &sb) == 0) {
				fputs(buf, stdout);
				free(buf);
				break;
			}
			free(buf);
			if (cap > (1u << 30)) {
				rc = 2;
				break;
			}
			cap *= 4;
		}
	}
	conf_free(&r.conf);
	return rc;
}

static const char *status_name(enum conf_status s)
{
	switch (s) {
	case CONF_ST_PARSED: return "parsed";
	case CONF_ST_NOT_IMPLEMENTED: return "not-implemented";
	case CONF_ST_WARD: return "ward";
	case CONF_ST_IGNORED: return "ignored";
	}
	return "?";
}

static int cmd_options(int argc, char **argv)
{
	bool json = argc > 2 && !strcmp(argv[2], "--json");
	if (json)
		printf("[");
	for (size_t i = 0;; i++) {
		const conf_option_info *o = conf_option_at(i);
		if (!o)
			break;
		const char *arg = o->arg == CONF_ARG_NONE ? "none" :
		                  o->arg == CONF_ARG_OPTIONAL ? "optional" :
		                  "required";
		if (json) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(stdout, o->name);
			printf(",\"short\":");
			if (o->shortopt)
				printf("\"%c\"", o->shortopt);
			else
				printf("null");
			printf(",\"value\":\"%s\",\"status\":\"%s\",\"alias_of\":",
			       arg, status_name(o->status));
			if (o->alias_of)
				json_str(stdout, o->alias_of);
			else
				printf("null");
			printf("}");
		} else {
			printf("%-28s %-3s %-8s %s%s%s\n", o->name,
			       o->shortopt ? (char[]){ '-', o->shortopt, 0 } : "",
			       arg, status_name(o->status),
			       o->alias_of ? " alias of " : "",
			       o->alias_of ? o->alias_of : "");
		}
	}
	if (json)
		printf("]\n");
	return 0;
}

int cmd_conf(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc, argv);
	if (!strcmp(argv[1], "options"))
		return cmd_options(argc, argv);
	fprintf(stderr, "ward conf: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
