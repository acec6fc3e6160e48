/* ward: the table of every option name dnsmasq knows (dnsmasq 2.90: its
 * man page and `dnsmasq --help`, including the undocumented aliases
 * dhcp-lease and domain-suffix), plus ward's own options. Each entry says
 * whether the option takes a value, its short form, and which parser
 * handles it; options without a parser are "not implemented by ward yet"
 * and get one warning each.
 *
 * Kept sorted by name (strcmp order): lookups are a binary search. */
#include <stddef.h>
#include <string.h>

#include "conf_int.h"

#define CONF_OFF(field) offsetof(ward_conf, field)
#define O(name, sh, arg, st, alias, flags, fn, off) \
	{ { name, sh, CONF_ARG_##arg, st, alias }, flags, fn, off }

static const conf_optdef table[] = {
	O("add-cpe-id", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("add-mac", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("add-subnet", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("addn-hosts", 'H', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_addn_hosts, 0),
	O("address", 'A', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_address, 0),
	O("aggressive-nsec", 0, NONE, CONF_ST_WARD, NULL, 0, conf_opt_flag, CONF_OFF(aggressive_nsec)),
	O("alias", 'V', REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("all-servers", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(all_servers)),
	O("allowlist", 0, REQUIRED, CONF_ST_WARD, NULL, 0, conf_opt_allowlist, 0),
	O("auth-peer", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("auth-sec-servers", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("auth-server", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("auth-soa", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("auth-ttl", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("auth-zone", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("bind-dynamic", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(bind_dynamic)),
	O("bind-interfaces", 'z', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(bind_interfaces)),
	O("blocklist", 0, REQUIRED, CONF_ST_WARD, NULL, 0, conf_opt_blocklist, 0),
	O("blocklist-mode", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_blocklist_mode, 0),
	O("blocklist-refresh", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_blocklist_refresh, 0),
	O("blocklist-ttl", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_blocklist_ttl, 0),
	O("bogus-nxdomain", 'B', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_bogus_nxdomain, 0),
	O("bogus-priv", 'b', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(bogus_priv)),
	O("bootp-dynamic", '3', OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("bridge-interface", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("caa-record", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("cache-rr", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("cache-size", 'c', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_cache_size, 0),
	O("clear-on-reload", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("cname", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_cname, 0),
	O("conf-dir", '7', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_conf_dir, 0),
	O("conf-file", 'C', OPTIONAL, CONF_ST_PARSED, NULL, 0, conf_opt_conf_file, 0),
	O("conf-script", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("connmark-allowlist", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("connmark-allowlist-enable", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("conntrack", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("control-socket", 0, OPTIONAL, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_control_socket, 0),
	O("dashboard-address", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_dashboard_address, 0),
	O("dashboard-blocklist", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_dashboard_blocklist, 0),
	O("dashboard-password", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_dashboard_password, 0),
	O("dashboard-tls-cert", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_dashboard_tls_cert, 0),
	O("dashboard-tls-key", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_dashboard_tls_key, 0),
	O("dhcp-alternate-port", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dhcp-authoritative", 'K', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(dhcp_authoritative)),
	O("dhcp-boot", 'M', REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-broadcast", 0, OPTIONAL, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_broadcast, 0),
	O("dhcp-circuitid", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-client-update", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-duid", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dhcp-fqdn", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-generate-names", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-host", 'G', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_host, 0),
	O("dhcp-hostsdir", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-hostsfile", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-ignore", 'J', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_ignore, 0),
	O("dhcp-ignore-clid", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-ignore-names", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-lease", 0, REQUIRED, CONF_ST_PARSED, "dhcp-leasefile", CONF_F_ONCE, conf_opt_dhcp_leasefile, 0),
	O("dhcp-lease-max", 'X', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_dhcp_lease_max, 0),
	O("dhcp-leasefile", 'l', OPTIONAL, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_dhcp_leasefile, 0),
	O("dhcp-luascript", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-mac", '4', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_mac, 0),
	O("dhcp-match", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_match, 0),
	O("dhcp-name-match", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-no-override", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-option", 'O', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_option, 0),
	O("dhcp-option-force", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_option, 0),
	O("dhcp-option-pxe", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-optsdir", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-optsfile", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-proxy", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-pxe-vendor", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-range", 'F', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_range, 0),
	O("dhcp-rapid-commit", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(dhcp_rapid_commit)),
	O("dhcp-relay", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-remoteid", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-reply-delay", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dhcp-script", '6', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_dhcp_script, 0),
	O("dhcp-scriptuser", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dhcp-sequential-ip", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-subscrid", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dhcp-ttl", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dhcp-userclass", 'j', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_userclass, 0),
	O("dhcp-vendorclass", 'U', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_dhcp_vendorclass, 0),
	O("dns-forward-max", '0', REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dns-loop-detect", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dns-rr", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dnssec", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(dnssec)),
	O("dnssec-check-unsigned", 0, OPTIONAL, CONF_ST_PARSED, NULL, 0, conf_opt_dnssec_check_unsigned, 0),
	O("dnssec-debug", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dnssec-limits", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("dnssec-no-timecheck", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(dnssec_no_timecheck)),
	O("dnssec-nta", 0, REQUIRED, CONF_ST_WARD, NULL, 0, conf_opt_dnssec_nta, 0),
	O("dnssec-timestamp", 0, REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_dnssec_timestamp, 0),
	O("domain", 's', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_domain, 0),
	O("domain-needed", 'D', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(domain_needed)),
	O("domain-suffix", 0, REQUIRED, CONF_ST_PARSED, "domain", 0, conf_opt_domain, 0),
	O("dumpfile", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dumpmask", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("dynamic-host", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("edns-packet-max", 'P', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_edns_packet_max, 0),
	O("enable-dbus", '1', OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("enable-ra", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("enable-tftp", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("enable-ubus", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("except-interface", 'I', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_except_interface, 0),
	O("expand-hosts", 'E', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(expand_hosts)),
	O("fast-dns-retry", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("filter-A", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_filter_a, 0),
	O("filter-AAAA", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_filter_aaaa, 0),
	O("filter-rr", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_filter_rr, 0),
	O("filterwin2k", 'f', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("group", 'g', OPTIONAL, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_group, 0),
	O("help", 'w', NONE, CONF_ST_IGNORED, NULL, 0, NULL, 0),
	O("host-record", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_host_record, 0),
	O("hostsdir", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("https-port", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_https_port, 0),
	O("ignore-address", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("interface", 'i', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_interface, 0),
	O("interface-name", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("ipset", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("keep-in-foreground", 'k', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(keep_in_foreground)),
	O("leasefile-ro", '9', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("listen-address", 'a', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_listen_address, 0),
	O("local", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_local, 0),
	O("local-service", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("local-ttl", 'T', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_ttl, CONF_OFF(local_ttl)),
	O("localise-queries", 'y', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("localmx", 'L', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("log-async", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("log-debug", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("log-dhcp", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("log-facility", '8', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_log_facility, 0),
	O("log-queries", 'q', OPTIONAL, CONF_ST_PARSED, NULL, 0, conf_opt_log_queries, 0),
	O("max-cache-ttl", 0, REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_ttl, CONF_OFF(max_cache_ttl)),
	O("max-port", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("max-tcp-connections", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("max-ttl", 0, REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_ttl, CONF_OFF(max_ttl)),
	O("min-cache-ttl", 0, REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_ttl, CONF_OFF(min_cache_ttl)),
	O("min-port", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("mx-host", 'm', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_mx_host, 0),
	O("mx-target", 't', REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("naptr-record", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("neg-ttl", 0, REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_ttl, CONF_OFF(neg_ttl)),
	O("nftset", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("no-daemon", 'd', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(no_daemon)),
	O("no-dhcp-interface", '2', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_no_dhcp_interface, 0),
	O("no-dhcpv4-interface", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("no-dhcpv6-interface", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("no-hosts", 'h', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(no_hosts)),
	O("no-ident", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("no-negcache", 'N', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(no_negcache)),
	O("no-ping", '5', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("no-poll", 'n', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(no_poll)),
	O("no-resolv", 'R', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(no_resolv)),
	O("no-round-robin", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("nsec3-max-iterations", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_nsec3_max_iterations, 0),
	O("pid-file", 'x', OPTIONAL, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_pid_file, 0),
	O("port", 'p', REQUIRED, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_port, 0),
	O("port-limit", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("proxy-dnssec", 0, NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(proxy_dnssec)),
	O("ptr-record", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_ptr_record, 0),
	O("pxe-prompt", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("pxe-service", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("query-port", 'Q', REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("quiet-dhcp", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("quiet-dhcp6", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("quiet-ra", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("quiet-tftp", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("ra-param", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("read-ethers", 'Z', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("rebind-domain-ok", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("rebind-localhost-ok", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("recursive", 0, NONE, CONF_ST_WARD, NULL, 0, conf_opt_flag, CONF_OFF(recursive)),
	O("resolv-file", 'r', OPTIONAL, CONF_ST_PARSED, NULL, 0, conf_opt_resolv_file, 0),
	O("resolve-any", 0, NONE, CONF_ST_WARD, NULL, 0, conf_opt_flag, CONF_OFF(resolve_any)),
	O("rev-server", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_rev_server, 0),
	O("root-hints", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_root_hints, 0),
	O("script-arp", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("script-on-renewal", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("selfmx", 'e', NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("server", 'S', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_server, 0),
	O("server-tls", 0, REQUIRED, CONF_ST_WARD, NULL, 0, conf_opt_server_tls, 0),
	O("servers-file", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("shared-network", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("srv-host", 'W', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_srv_host, 0),
	O("stop-dns-rebind", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("strict-order", 'o', NONE, CONF_ST_PARSED, NULL, 0, conf_opt_flag, CONF_OFF(strict_order)),
	O("strip-mac", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("strip-subnet", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("synth-domain", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tag-if", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_tag_if, 0),
	O("test", 0, NONE, CONF_ST_IGNORED, NULL, 0, NULL, 0),
	O("tftp-lowercase", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-max", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("tftp-mtu", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-no-blocksize", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-no-fail", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-port-range", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-root", 0, REQUIRED, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-secure", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-single-port", 0, NONE, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tftp-unique-root", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, 0, NULL, 0),
	O("tls-certificate", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_tls_certificate, 0),
	O("tls-key", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_tls_key, 0),
	O("tls-port", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_tls_port, 0),
	O("tls-upstream-ca", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_tls_upstream_ca, 0),
	O("trust-anchor", 0, REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_trust_anchor, 0),
	O("trust-anchor-file", 0, REQUIRED, CONF_ST_WARD, NULL, CONF_F_ONCE, conf_opt_trust_anchor_file, 0),
	O("txt-record", 'Y', REQUIRED, CONF_ST_PARSED, NULL, 0, conf_opt_txt_record, 0),
	O("umbrella", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("use-stale-cache", 0, OPTIONAL, CONF_ST_NOT_IMPLEMENTED, NULL, CONF_F_ONCE, NULL, 0),
	O("user", 'u', OPTIONAL, CONF_ST_PARSED, NULL, CONF_F_ONCE, conf_opt_user, 0),
	O("version", 'v', NONE, CONF_ST_IGNORED, NULL, 0, NULL, 0),
};
#undef O

#define NOPTS (sizeof table / sizeof table[0])

static int name_cmp(const char *key, size_t klen, const char *name)
{
	size_t nlen = strlen(name);
	int r = memcmp(key, name, klen < nlen ? klen : nlen);
	if (r)
		return r;
	return klen < nlen ? -1 : klen > nlen ? 1 : 0;
}

const conf_optdef *conf_def_find(const char *name, size_t len)
{
	size_t lo = 0, hi = NOPTS;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = name_cmp(name, len, table[mid].info.name);
		if (r == 0)
			return &table[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const conf_optdef *conf_def_by_short(char c)
{
	if (!c)
		return NULL;
	for (size_t i = 0; i < NOPTS; i++)
		if (table[i].info.shortopt == c)
			return &table[i];
	return NULL;
}

size_t conf_def_index(const conf_optdef *d)
{
	return (size_t)(d - table);
}

size_t conf_def_count(void)
{
	return NOPTS;
}

const conf_option_info *conf_option_at(size_t i)
{
	return i < NOPTS ? &table[i].info : NULL;
}

const conf_option_info *conf_option_find(const char *name, size_t len)
{
	const conf_optdef *d = conf_def_find(name, len);
	return d ? &d->info : NULL;
}

/* Levenshtein distance, giving up (3) once it must exceed 2. */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
	enum { MAXN = 48 };
	size_t prev[MAXN + 1], cur[MAXN + 1];
	if (an > MAXN || bn > MAXN)
		return MAXN;
	for (size_t j = 0; j <= bn; j++)
		prev[j] = j;
	for (size_t i = 1; i <= an; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t m = sub < del ? sub : del;
			cur[j] = m < ins ? m : ins;
		}
		size_t rowmin = cur[0];
		for (size_t j = 1; j <= bn; j++)
			if (cur[j] < rowmin)
				rowmin = cur[j];
		if (rowmin > 2)
			return 3; /* only distances up to 2 matter */
		memcpy(prev, cur, sizeof prev);
	}
	return prev[bn];
}

const char *conf_def_suggest(const char *name, size_t len)
{
	const char *best = NULL;
	size_t bestd = 3;
	if (len < 4 || len > 40)
		return NULL; /* a one-letter name is close to too many */
	for (size_t i = 0; i < NOPTS; i++) {
		const char *n = table[i].info.name;
		size_t nl = strlen(n);
		if (nl + 2 < len || len + 2 < nl)
			continue; /* the distance is at least the length gap */
		size_t d = edit_distance(name, len, n, nl);
		if (d < bestd) {
			bestd = d;
			best = n;
		}
	}
	return best;
}
