/* wardd: where to listen, as dnsmasq decides it (dnsmasq(8)):
 * - listen-address=: those addresses;
 * - interface=NAME (a trailing '*' matches a prefix): the addresses of
 *   those interfaces, and the loopback interface is added automatically;
 * - except-interface=: never those interfaces;
 * - none of them: every address of every interface.
 * wardd always binds the individual addresses (dnsmasq's bind-interfaces
 * behaviour; dnsmasq without it binds the wildcard address and picks the
 * reply's source with IP_PKTINFO, which libuv does not offer), so an answer
 * leaves from the address its query came to. Addresses added to an
 * interface later are served after a restart. Each address gets a UDP and
 * a TCP socket on port=, and TCP sockets on tls-port= (DoT) and
 * https-port= (DoH) when they are set (client_tls.c). */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/wardd.h"

static bool same_sa(const struct sockaddr_storage *a,
                    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		               &((const struct sockaddr_in *)b)->sin_addr, 4);
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
	               &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static int add(struct wardd *d, const struct sockaddr *sa, uint16_t port)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (sa->sa_family == AF_INET) {
		memcpy(&ss, sa, sizeof(struct sockaddr_in));
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(&ss, sa, sizeof(struct sockaddr_in6));
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	} else {
		return 0;
	}
	for (unsigned i = 0; i < d->nlisteners; i++)
		if (same_sa(&d->listeners[i].addr, &ss))
			return 0;
	if (d->nlisteners >= WARDD_MAX_LISTENERS) {
		wlog(WLOG_WARNING, "more than %u listening addresses; the rest are "
		     "ignored", WARDD_MAX_LISTENERS);
		return 0;
	}
	struct listener *l = &d->listeners[d->nlisteners++];
	memset(l, 0, sizeof *l);
	l->d = d;
	l->addr = ss;
	return 0;
}

static bool name_matches(const char *pattern, const char *name)
{
	size_t pl = strlen(pattern);
	if (pl && pattern[pl - 1] == '*')
		return !strncmp(pattern, name, pl - 1);
	return !strcmp(pattern, name);
}

static bool in_list(const ward_conf *c, const char *name, bool except)
{
	size_t n = except ? c->except_interfaces.n : c->interfaces.n;
	for (size_t i = 0; i < n; i++) {
		const char *p = except ? c->except_interfaces.v[i].s
		                       : c->interfaces.v[i].s;
		if (name_matches(p, name))
			return true;
	}
	return false;
}

static int from_interfaces(struct wardd *d, uint16_t port)
{
	const ward_conf *c = d->conf;
	struct ifaddrs *ifs;
	if (getifaddrs(&ifs) < 0) {
		wlog(WLOG_ERR, "cannot list the network interfaces: %m");
		return WARD_EIO;
	}
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || !i->ifa_name)
			continue;
		bool wanted = c->interfaces.n == 0 || in_list(c, i->ifa_name, false) ||
		              (i->ifa_flags & IFF_LOOPBACK); /* dnsmasq adds lo */
		if (!wanted || in_list(c, i->ifa_name, true))
			continue;
		add(d, i->ifa_addr, port);
	}
	/* an interface= that matched no address: said once at startup */
	for (size_t k = 0; k < c->interfaces.n; k++) {
		bool seen = false;
		for (struct ifaddrs *i = ifs; i && !seen; i = i->ifa_next)
			seen = i->ifa_addr && i->ifa_name &&
			       (i->ifa_addr->sa_family == AF_INET ||
			        i->ifa_addr->sa_family == AF_INET6) &&
			       name_matches(c->interfaces.v[k].s, i->ifa_name);
		const conf_loc *loc = &c->interfaces.v[k].loc;
		char where[256];
		if (loc->line)
			snprintf(where, sizeof where, "%s:%u", loc->file, loc->line);
		else
			snprintf(where, sizeof where, "%s", loc->file);
		if (!seen)
			wlog(WLOG_WARNING, "%s: interface %s has no address; not "
			     "listening on it", where, c->interfaces.v[k].s);
	}
	freeifaddrs(ifs);
	return 0;
}

static void conf_sockaddr(const conf_ip *ip, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (ip->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, ip->addr, 16);
		if (ip->zone)
			s6->sin6_scope_id = if_nametoindex(ip->zone);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, ip->addr, 4);
	}
}

const char *sockaddr_text(const struct sockaddr *sa, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
		port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
		port = ntohs(s6->sin6_port);
	}
	snprintf(buf, n, "%s#%u", ip, port);
	return buf;
}

int listen_open(struct wardd *d)
{
	const ward_conf *c = d->conf;
	if (c->port == 0) {
		wlog(WLOG_INFO, "DNS service limited to local subnets: port=0, no "
		     "DNS listener");
		if (c->tls_port || c->https_port)
			wlog(WLOG_WARNING, "port=0: no DNS over TLS or HTTPS either");
		return 0;
	}
	int tr = tls_clients_setup(d);
	if (tr < 0)
		return tr;
	uint16_t port = (uint16_t)c->port;
	d->listeners = calloc(WARDD_MAX_LISTENERS, sizeof *d->listeners);
	if (!d->listeners)
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->listen_addresses.n; i++) {
		struct sockaddr_storage ss;
		conf_sockaddr(&c->listen_addresses.v[i].ip, &ss);
		add(d, (struct sockaddr *)&ss, port);
	}
	if (c->interfaces.n || c->except_interfaces.n || !c->listen_addresses.n) {
		int r = from_interfaces(d, port);
		if (r)
			return r;
	}
	if (d->nlisteners == 0) {
		wlog(WLOG_ERR, "no address to listen on (check interface= and "
		     "except-interface=)");
		return WARD_EIO;
	}
	for (unsigned i = 0; i < d->nlisteners; i++) {
		struct listener *l = &d->listeners[i];
		char t[INET6_ADDRSTRLEN + 8];
		sockaddr_text((struct sockaddr *)&l->addr, t, sizeof t);
		int r = udp_client_start(l);
		if (r >= 0)
			r = tcp_client_start(l);
		if (r >= 0)
			r = tls_clients_start(l);
		if (r < 0) {
			if (l->addr.ss_family == AF_INET6 && r == UV_EADDRNOTAVAIL &&
			    !d->conf->listen_addresses.n) {
				/* a tentative or vanished IPv6 interface address */
				wlog(WLOG_WARNING, "not listening on %s: %s", t,
				     uv_strerror(r));
				continue;
			}
			wlog(WLOG_ERR, "failed to create listening socket for %s: %s",
			     t, uv_strerror(r));
			return WARD_EIO;
		}
		wlog(WLOG_INFO, "listening on %s (UDP and TCP)", t);
	}
	return 0;
}

static void on_listener_closed(uv_handle_t *h)
{
	(void)h;
}

void listen_close(struct wardd *d)
{
	for (unsigned i = 0; i < d->nlisteners; i++) {
		struct listener *l = &d->listeners[i];
		if (l->udp_open && !uv_is_closing((uv_handle_t *)&l->udp))
			uv_close((uv_handle_t *)&l->udp, on_listener_closed);
		if (l->tcp_open && !uv_is_closing((uv_handle_t *)&l->tcp))
			uv_close((uv_handle_t *)&l->tcp, on_listener_closed);
		l->udp_open = l->tcp_open = false;
		tls_clients_close(l);
	}
}
