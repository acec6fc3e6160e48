/* ward: the blocklist options (ward's own; docs/blocklists.md):
 *   blocklist=FILE|URL      a list of names to block (repeatable)
 *   allowlist=FILE|URL      names that are never blocked (repeatable)
 *   blocklist-mode=null|nxdomain
 *   blocklist-refresh=TIME  how often URLs are fetched again (N, Ns, Nm,
 *                           Nh, Nd, Nw; 0 or "infinite": only at start)
 *   blocklist-ttl=SECONDS   TTL of the 0.0.0.0 / :: answers */
#include <string.h>
#include <strings.h>

#include "conf_int.h"

/* Is the value a URL (scheme://)? Only http and https are fetched. */
static int list_source(conf_ctx *x, conf_str **v, size_t *n, size_t *cap)
{
	if (x->len == 0)
		return conf_bad(x, "needs a file name or an http:// URL");
	const char *colon = strstr(x->val, "://");
	if (colon) {
		size_t sl = (size_t)(colon - x->val);
		bool ok = (sl == 4 && !strncasecmp(x->val, "http", 4)) ||
		          (sl == 5 && !strncasecmp(x->val, "https", 5));
		bool scheme = sl > 0 && !memchr(x->val, '/', sl);
		if (scheme && !ok)
			return conf_bad(x, "'%s': only http:// and https:// URLs "
			                "can be fetched",
			                conf_show(x, x->val, x->len));
		if (ok && x->len == sl + 3)
			return conf_bad(x, "'%s': the URL has no host",
			                conf_show(x, x->val, x->len));
		for (size_t i = 0; ok && i < x->len; i++)
			if ((unsigned char)x->val[i] <= ' ' ||
			    (unsigned char)x->val[i] >= 0x7f)
				return conf_bad(x, "'%s': a URL without blanks or "
				                "control characters is needed (write "
				                "them as %%XX)",
				                conf_show(x, x->val, x->len));
	}
	const char *path;
	int r = conf_parse_path(x, false, &path);
	if (r)
		return r;
	conf_str *s = conf_list_push(v, n, cap, sizeof **v);
	if (!s)
		return WARD_ENOMEM;
	s->loc = x->loc;
	s->s = path;
	return 0;
}

int conf_opt_blocklist(conf_ctx *x)
{
	ward_conf *c = x->c;
	return list_source(x, &c->blocklists.v, &c->blocklists.n,
	                   &c->blocklists.cap);
}

int conf_opt_allowlist(conf_ctx *x)
{
	ward_conf *c = x->c;
	return list_source(x, &c->allowlists.v, &c->allowlists.n,
	                   &c->allowlists.cap);
}

int conf_opt_blocklist_mode(conf_ctx *x)
{
	if (!strcasecmp(x->val, "nxdomain"))
		x->c->blocklist_nxdomain = true;
	else if (!strcasecmp(x->val, "null"))
		x->c->blocklist_nxdomain = false;
	else
		return conf_bad(x, "'%s': 'null' (0.0.0.0 and ::) or 'nxdomain' "
		                "expected", conf_show(x, x->val, x->len));
	return 0;
}

int conf_opt_blocklist_refresh(conf_ctx *x)
{
	uint32_t secs;
	int r = conf_parse_lease(x, x->val, x->len, &secs);
	if (r < 0)
		return r;
	if (r == 0)
		return conf_bad(x, "'%s': a time is expected (N, Ns, Nm, Nh, Nd, "
		                "Nw or infinite)", conf_show(x, x->val, x->len));
	x->c->blocklist_refresh = secs == CONF_LEASE_INFINITE ? 0 : secs;
	return 0;
}

int conf_opt_blocklist_ttl(conf_ctx *x)
{
	return conf_parse_ttl(x, x->val, x->len, "TTL", &x->c->blocklist_ttl);
}
