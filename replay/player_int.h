/* ward replay: internals of the scenario player (not installed). */
#ifndef WARD_RPL_PLAYER_INT_H
#define WARD_RPL_PLAYER_INT_H

#include "replay/player.h"
#include "resolver/engine.h"
#include "resolver/validator.h"

#define PLAYER_SERVERS_MAX 32   /* root hints / zone servers from the config */

/* The engine configuration built from a scenario; the arrays back the
 * pointers in cfg. */
struct player_cfg {
	struct res_config cfg;
	struct res_hint hints[PLAYER_SERVERS_MAX];
	size_t nhints;
	struct res_zone_server zones[PLAYER_SERVERS_MAX];
	size_t nzones;
	struct res_prefix priv[PLAYER_SERVERS_MAX];
	size_t npriv;
	dns_name privdom[PLAYER_SERVERS_MAX];
	size_t nprivdom;
	struct res_anchors anchors;  /* freed once the engine has copied them */
	dns_name nta[PLAYER_SERVERS_MAX]; /* domain-insecure */
	size_t nnta;
};

/* Fill pc from the scenario's configuration; options not applied are
 * listed in r->ignored. 0 or a negative ward_err (r->error says why). */
int rpl_player_config(const rpl_scenario *s, struct player_cfg *pc,
                      rpl_run *r);

#endif
