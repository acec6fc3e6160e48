/* wardd: its configuration, read from its command line: the arguments
 * (`--conf-file`s read after the other options, conf_apply_argv), and
 * /etc/dnsmasq.conf when no --conf-file was given and it exists, as
 * dnsmasq does. main() reads it at start; `ward ctl verify` and
 * `ward ctl reload` read it again from the same command line. */
#include <stdlib.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/wardd.h"

int wardd_conf_read(ward_conf *c, int argc, char **argv)
{
	int r = conf_apply_argv(c, argc, argv);
	if (r == WARD_ENOMEM)
		return r;
	if (!c->conf_file_given && access(WARDD_DEFAULT_CONF, F_OK) == 0 &&
	    conf_load_file(c, WARDD_DEFAULT_CONF) == WARD_ENOMEM)
		return WARD_ENOMEM;
	conf_finish(c);
	return conf_ok(c) ? 0 : WARD_ECONF;
}

void wardd_conf_prune(struct wardd *d, bool all)
{
	if (!all && d->nretired)
		return;
	for (unsigned i = 0; i < d->nold_confs; i++) {
		conf_free(d->old_confs[i]);
		free(d->old_confs[i]);
	}
	d->nold_confs = 0;
	if (all && d->dns_conf && d->dns_conf != d->conf) {
		conf_free(d->dns_conf);
		free(d->dns_conf);
	}
	if (all)
		d->dns_conf = d->conf;
}
