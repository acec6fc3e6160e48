/* ward: command-line arguments through the option table: "--opt[=value]",
 * "--opt value", dnsmasq's short options (bundled flags too). Values get
 * the quote handling of file lines; '#' never starts a comment here.
 * --conf-file/--conf-dir wait until every other argument is applied, as
 * dnsmasq does. */
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* Apply one option from the command line with its value (NULL: none). */
static int apply_cmd(ward_conf *c, const char *name, size_t nlen,
                     const char *value, unsigned argi)
{
	conf_ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	x.loc.file = CONF_CMDLINE;
	x.loc.line = 0;
	(void)argi;
	x.cmdline = true;
	char *buf = NULL;
	uint8_t *q = NULL;
	int r;
	if (value) {
		size_t n = strlen(value);
		buf = malloc(n + 2);
		q = calloc(n + 2, 1);
		if (!buf || !q) {
			free(buf);
			free(q);
			return WARD_ENOMEM;
		}
		long l = conf_lex(value, n, false, buf, q);
		if (l < 0) {
			conf_diag_at(c, &x.loc, CONF_ERROR, WARD_EQUOTE, NULL,
			             "option '%s': unterminated quoted string (a '\"' "
			             "is missing)", conf_show(&x, name, nlen));
			free(buf);
			free(q);
			return WARD_ECONF;
		}
		size_t b = 0, e = (size_t)l;
		while (b < e && buf[b] == ' ' && !(q[b] & CONF_Q_CHAR))
			b++;
		while (e > b && buf[e - 1] == ' ' && !(q[e - 1] & CONF_Q_CHAR))
			e--;
		buf[e] = '\0';
		x.val = buf + b;
		x.q = q + b;
		x.len = e - b;
		x.has_value = true;
	} else {
		static char empty[1];
		static const uint8_t emptyq[1];
		x.val = empty;
		x.q = emptyq;
	}
	r = conf_dispatch(&x, name, nlen);
	free(x.f);
	free(buf);
	free(q);
	return r;
}

int conf_apply_arg(ward_conf *c, const char *arg)
{
	unsigned before = c->errors;
	conf_loc loc = { CONF_CMDLINE, 0 };
	if (strncmp(arg, "--", 2) || !arg[2]) {
		conf_diag_at(c, &loc, CONF_ERROR, WARD_ECONFOPT, NULL,
		             "'%s' is not an option (--name[=value])", arg);
		return WARD_ECONF;
	}
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
	int r = apply_cmd(c, name, nlen, eq ? eq + 1 : NULL, 0);
	if (r == WARD_ENOMEM)
		return r;
	return c->errors > before ? WARD_ECONF : 0;
}

static int run_pending(ward_conf *c)
{
	struct conf_state *st = c->st;
	int ret = 0;
	for (size_t i = 0; i < st->pending.n; i++) {
		struct conf_pending *p = &st->pending.v[i];
		int r = apply_cmd(c, p->optname, strlen(p->optname), p->val,
		                  p->argi);
		if (r == WARD_ENOMEM)
			ret = r;
	}
	for (size_t i = 0; i < st->pending.n; i++)
		free(st->pending.v[i].val);
	st->pending.n = 0;
	return ret;
}

int conf_apply_argv(ward_conf *c, int argc, char **argv)
{
	unsigned before = c->errors;
	conf_loc loc = { CONF_CMDLINE, 0 };
	int ret = 0;
	c->st->defer = true;
	for (int i = 1; i < argc && ret != WARD_ENOMEM; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			conf_diag_at(c, &loc, CONF_ERROR, WARD_ECONFOPT, NULL,
			             "unexpected argument '%s'", a);
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			const char *val = eq ? eq + 1 : NULL;
			const conf_optdef *d = conf_def_find(name, nlen);
			if (!val && d && d->info.arg == CONF_ARG_REQUIRED &&
			    i + 1 < argc)
				val = argv[++i];
			ret = apply_cmd(c, name, nlen, val, (unsigned)i);
			continue;
		}
		/* short options, possibly bundled: -dq, -p53, -p 53 */
		for (size_t k = 1; a[k]; k++) {
			const conf_optdef *d = conf_def_by_short(a[k]);
			if (!d) {
				conf_diag_at(c, &loc, CONF_ERROR, WARD_ECONFOPT, NULL,
				             "unknown option '-%c'", a[k]);
				break;
			}
			const char *name = d->info.name;
			if (d->info.arg == CONF_ARG_NONE) {
				ret = apply_cmd(c, name, strlen(name), NULL, (unsigned)i);
				continue;
			}
			const char *val = NULL;
			if (a[k + 1])
				val = a + k + 1;
			else if (d->info.arg == CONF_ARG_REQUIRED && i + 1 < argc)
				val = argv[++i];
			ret = apply_cmd(c, name, strlen(name), val, (unsigned)i);
			break;
		}
	}
	c->st->defer = false;
	if (ret != WARD_ENOMEM)
		ret = run_pending(c);
	if (ret == WARD_ENOMEM)
		return ret;
	return c->errors > before ? WARD_ECONF : 0;
}
