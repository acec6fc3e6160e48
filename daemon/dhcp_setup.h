/* wardd: the DHCP engine's configuration from the dnsmasq-syntax one
 * (ward_conf -> dhcp_config), in daemon/conf_dhcp_setup.c. */
#ifndef WARD_DAEMON_DHCP_SETUP_H
#define WARD_DAEMON_DHCP_SETUP_H

#include "daemon/conf.h"
#include "dhcp/dhcp_config.h"

struct setup_block;

typedef struct dhcp_setup {
	dhcp_config cfg;
	struct setup_block *mem;  /* everything cfg points to that is ours */
	unsigned skipped;         /* items the engine cannot use (proxy
	                           * ranges, domain=...,interface, domain=#) */
} dhcp_setup;

/* Fill s from c. Strings and option values stay in c, which must outlive
 * s and any engine made from s->cfg. Returns 0 or WARD_ENOMEM. */
int dhcp_setup_from_conf(const ward_conf *c, dhcp_setup *s);
void dhcp_setup_free(dhcp_setup *s);

#endif
