/* ward: DHCPv4 option names and value types: RFC 2132 and later option RFCs
 * (IANA "BOOTP Vendor Extensions and DHCP Options"), plus the names dnsmasq
 * accepts in dhcp-option=option:NAME. Kept apart from the printers so the
 * configuration parser can use the table without them. */
#include <strings.h>

#include "dhcp.h"

typedef struct opt_info {
	uint8_t code;
	uint8_t vt;            /* enum dhcp_vtype */
	const char *name;      /* display name */
	const char *dnsmasq;   /* dnsmasq's name, NULL when it has none */
} opt_info;

#define V(x) DHCP_VT_##x
static const opt_info opt_table[] = {
	{ 1, V(IP), "subnet-mask", "netmask" },
	{ 2, V(S32), "time-offset", "time-offset" },
	{ 3, V(IPLIST), "router", "router" },
	{ 4, V(IPLIST), "time-server", NULL },
	{ 5, V(IPLIST), "name-server", NULL },
	{ 6, V(IPLIST), "dns-server", "dns-server" },
	{ 7, V(IPLIST), "log-server", "log-server" },
	{ 8, V(IPLIST), "cookie-server", NULL },
	{ 9, V(IPLIST), "lpr-server", "lpr-server" },
	{ 10, V(IPLIST), "impress-server", NULL },
	{ 11, V(IPLIST), "resource-location-server", NULL },
	{ 12, V(STRING), "hostname", "hostname" },
	{ 13, V(U16), "boot-file-size", "boot-file-size" },
	{ 14, V(STRING), "merit-dump", NULL },
	{ 15, V(STRING), "domain-name", "domain-name" },
	{ 16, V(IP), "swap-server", "swap-server" },
	{ 17, V(STRING), "root-path", "root-path" },
	{ 18, V(STRING), "extension-path", "extension-path" },
	{ 19, V(BOOL), "ip-forward-enable", "ip-forward-enable" },
	{ 20, V(BOOL), "non-local-source-routing", "non-local-source-routing" },
	{ 21, V(IPPAIRS), "policy-filter", "policy-filter" },
	{ 22, V(U16), "max-datagram-reassembly", "max-datagram-reassembly" },
	{ 23, V(U8), "default-ttl", "default-ttl" },
	{ 24, V(TIME), "path-mtu-aging-timeout", NULL },
	{ 25, V(U16LIST), "path-mtu-plateau-table", NULL },
	{ 26, V(U16), "mtu", "mtu" },
	{ 27, V(BOOL), "all-subnets-local", "all-subnets-local" },
	{ 28, V(IP), "broadcast", "broadcast" },
	{ 29, V(BOOL), "perform-mask-discovery", NULL },
	{ 30, V(BOOL), "mask-supplier", NULL },
	{ 31, V(BOOL), "router-discovery", "router-discovery" },
	{ 32, V(IP), "router-solicitation", "router-solicitation" },
	{ 33, V(IPPAIRS), "static-route", "static-route" },
	{ 34, V(BOOL), "trailer-encapsulation", "trailer-encapsulation" },
	{ 35, V(TIME), "arp-timeout", "arp-timeout" },
	{ 36, V(BOOL), "ethernet-encap", "ethernet-encap" },
	{ 37, V(U8), "tcp-ttl", "tcp-ttl" },
	{ 38, V(TIME), "tcp-keepalive", "tcp-keepalive" },
	{ 39, V(BOOL), "tcp-keepalive-garbage", NULL },
	{ 40, V(STRING), "nis-domain", "nis-domain" },
	{ 41, V(IPLIST), "nis-server", "nis-server" },
	{ 42, V(IPLIST), "ntp-server", "ntp-server" },
	{ 43, V(HEX), "vendor-encap", "vendor-encap" },
	{ 44, V(IPLIST), "netbios-ns", "netbios-ns" },
	{ 45, V(IPLIST), "netbios-dd", "netbios-dd" },
	{ 46, V(U8), "netbios-nodetype", "netbios-nodetype" },
	{ 47, V(STRING), "netbios-scope", "netbios-scope" },
	{ 48, V(IPLIST), "x-windows-fs", "x-windows-fs" },
	{ 49, V(IPLIST), "x-windows-dm", "x-windows-dm" },
	{ 50, V(IP), "requested-address", "requested-address" },
	{ 51, V(TIME), "lease-time", "lease-time" },
	{ 52, V(OVERLOAD), "option-overload", "option-overload" },
	{ 53, V(MSGTYPE), "message-type", "message-type" },
	{ 54, V(IP), "server-identifier", "server-identifier" },
	{ 55, V(PRL), "parameter-request-list", "parameter-request" },
	{ 56, V(STRING), "message", "message" },
	{ 57, V(U16), "max-message-size", "max-message-size" },
	{ 58, V(TIME), "T1", "T1" },
	{ 59, V(TIME), "T2", "T2" },
	{ 60, V(STRING), "vendor-class", "vendor-class" },
	{ 61, V(CLIENTID), "client-id", "client-id" },
	{ 62, V(STRING), "netware-domain", NULL },
	{ 63, V(HEX), "netware-option", NULL },
	{ 64, V(STRING), "nis+-domain", "nis+-domain" },
	{ 65, V(IPLIST), "nis+-server", "nis+-server" },
	{ 66, V(STRING), "tftp-server", "tftp-server" },
	{ 67, V(STRING), "bootfile-name", "bootfile-name" },
	{ 68, V(IPLIST), "mobile-ip-home", "mobile-ip-home" },
	{ 69, V(IPLIST), "smtp-server", "smtp-server" },
	{ 70, V(IPLIST), "pop3-server", "pop3-server" },
	{ 71, V(IPLIST), "nntp-server", "nntp-server" },
	{ 72, V(IPLIST), "www-server", NULL },
	{ 73, V(IPLIST), "finger-server", NULL },
	{ 74, V(IPLIST), "irc-server", "irc-server" },
	{ 75, V(IPLIST), "streettalk-server", NULL },
	{ 76, V(IPLIST), "stda-server", NULL },
	{ 77, V(CLASSES), "user-class", "user-class" },
	{ 78, V(HEX), "directory-agent", NULL },
	{ 79, V(HEX), "service-scope", NULL },
	{ 80, V(EMPTY), "rapid-commit", "rapid-commit" },
	{ 81, V(FQDN), "client-fqdn", "FQDN" },
	{ 82, V(RAI), "relay-agent-info", "agent-id" },
	{ 83, V(HEX), "isns", NULL },
	{ 85, V(IPLIST), "nds-server", NULL },
	{ 86, V(STRING), "nds-tree-name", NULL },
	{ 87, V(STRING), "nds-context", NULL },
	{ 88, V(SEARCH), "bcmcs-domain-list", NULL },
	{ 89, V(IPLIST), "bcmcs-address", NULL },
	{ 90, V(HEX), "authentication", NULL },
	{ 91, V(TIME), "client-last-transaction-time", NULL },
	{ 92, V(IPLIST), "associated-ip", NULL },
	{ 93, V(U16LIST), "client-arch", "client-arch" },
	{ 94, V(HEX), "client-interface-id", "client-interface-id" },
	{ 95, V(STRING), "ldap", NULL },
	{ 97, V(HEX), "client-machine-id", "client-machine-id" },
	{ 98, V(STRING), "user-auth", NULL },
	{ 99, V(HEX), "geoconf-civic", NULL },
	{ 100, V(STRING), "posix-timezone", "posix-timezone" },
	{ 101, V(STRING), "tzdb-timezone", "tzdb-timezone" },
	{ 108, V(TIME), "ipv6-only", "ipv6-only" },
	{ 112, V(IPLIST), "netinfo-address", NULL },
	{ 113, V(STRING), "netinfo-tag", NULL },
	{ 114, V(STRING), "captive-portal", NULL },
	{ 116, V(U8), "auto-config", NULL },
	{ 117, V(U16LIST), "name-service-search", NULL },
	{ 118, V(IP), "subnet-select", "subnet-select" },
	{ 119, V(SEARCH), "domain-search", "domain-search" },
	{ 120, V(SIP), "sip-server", "sip-server" },
	{ 121, V(ROUTES), "classless-static-route", "classless-static-route" },
	{ 122, V(HEX), "cablelabs-client-config", NULL },
	{ 123, V(HEX), "geoconf", NULL },
	{ 124, V(HEX), "vendor-class-id", NULL },
	{ 125, V(HEX), "vendor-id-encap", "vendor-id-encap" },
	{ 136, V(IPLIST), "pana-agent", NULL },
	{ 137, V(SEARCH), "v4-lost", NULL },
	{ 138, V(IPLIST), "capwap-ac", NULL },
	{ 141, V(SEARCH), "sip-ua-domains", NULL },
	{ 143, V(HEX), "sztp-redirect", NULL },
	{ 145, V(HEX), "forcerenew-nonce", NULL },
	{ 150, V(IPLIST), "tftp-server-address", "tftp-server-address" },
	{ 161, V(STRING), "mud-url", NULL },
	{ 208, V(HEX), "pxelinux-magic", NULL },
	{ 209, V(STRING), "config-file", NULL },
	{ 210, V(STRING), "path-prefix", NULL },
	{ 211, V(TIME), "reboot-time", NULL },
	{ 212, V(HEX), "6rd", NULL },
	{ 213, V(SEARCH), "v4-access-domain", NULL },
	{ 220, V(HEX), "subnet-allocation", NULL },
	{ 221, V(HEX), "virtual-subnet-selection", NULL },
	{ 249, V(ROUTES), "ms-classless-static-route", NULL },
	{ 252, V(STRING), "wpad", NULL },
};
#undef V

static const opt_info *opt_lookup(uint8_t code)
{
	size_t lo = 0, hi = sizeof opt_table / sizeof opt_table[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (opt_table[mid].code == code)
			return &opt_table[mid];
		if (opt_table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *dhcp_option_name(uint8_t code)
{
	const opt_info *o = opt_lookup(code);
	return o ? o->name : NULL;
}

const char *dhcp_option_dnsmasq_name(uint8_t code)
{
	if (code == DHCP_OPT_END)
		return "server-ip-address";
	const opt_info *o = opt_lookup(code);
	return o ? o->dnsmasq : NULL;
}

int dhcp_option_by_name(const char *name)
{
	if (!name)
		return WARD_EINVAL;
	size_t n = sizeof opt_table / sizeof opt_table[0];
	for (size_t i = 0; i < n; i++)
		if (opt_table[i].dnsmasq && !strcasecmp(opt_table[i].dnsmasq, name))
			return opt_table[i].code;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(opt_table[i].name, name))
			return opt_table[i].code;
	if (!strcasecmp(name, "server-ip-address"))
		return DHCP_OPT_END; /* dnsmasq: sets siaddr */
	return WARD_ENOTFOUND;
}

enum dhcp_vtype dhcp_option_vtype(uint8_t code)
{
	const opt_info *o = opt_lookup(code);
	return o ? (enum dhcp_vtype)o->vt : DHCP_VT_HEX;
}

const char *dhcp_msg_type_name(int type)
{
	static const char *const names[] = {
		NULL, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
		"RELEASE", "INFORM", "FORCERENEW", "LEASEQUERY",
		"LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE",
		"BULKLEASEQUERY", "LEASEQUERYDONE", "ACTIVELEASEQUERY",
		"LEASEQUERYSTATUS", "TLS",
	};
	if (type <= 0 || (size_t)type >= sizeof names / sizeof names[0])
		return NULL;
	return names[type];
}
