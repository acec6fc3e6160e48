/* ward: the summary line of a configuration check, shared by `ward conf
 * check` and `ward ctl verify` (which must print the same). */
#include "conf_int.h"

size_t conf_unimplemented(const ward_conf *c, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->diags.n && n < max; i++)
		if (c->diags.v[i].unimplemented)
			names[n++] = c->diags.v[i].unimplemented;
	return n;
}

void conf_check_summary(const ward_conf *c, strbuf *sb)
{
	const char *names[CONF_CHECK_NAMES_MAX];
	size_t nu = conf_unimplemented(c, names, CONF_CHECK_NAMES_MAX);
	strbuf_printf(sb, "ward conf: %u error%s, %u warning%s", c->errors,
	              c->errors == 1 ? "" : "s", c->warnings,
	              c->warnings == 1 ? "" : "s");
	if (nu) {
		strbuf_puts(sb, "; not implemented by ward yet:");
		for (size_t k = 0; k < nu; k++)
			strbuf_printf(sb, "%s %s", k ? "," : "", names[k]);
	}
	strbuf_printf(sb, "%s\n", c->errors ? "" : c->warnings ? "; usable"
	                                                       : "; OK");
}
