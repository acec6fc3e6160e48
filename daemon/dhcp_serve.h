/* wardd: DHCPv4 service — the sans-I/O engine (dhcp/engine.h) on sockets,
 * its leases in the durable store (daemon/lease_store.h), their names in
 * the resolver's local data, dhcp-script= run for each change.
 *
 *   dhcp_run.c     start/stop, packets in, actions out in order (lease
 *                  changes committed before the reply), timer, compaction
 *   dhcp_io.c      the interfaces served and one UDP socket on port 67 per
 *                  interface (SO_BINDTODEVICE, IP_PKTINFO), UDP replies
 *   dhcp_raw.c     replies to a client without an address: an Ethernet
 *                  frame to chaddr through an AF_PACKET socket
 *   dhcp_script.c  dhcp-script= add/old/del, one child at a time, queued
 * docs/wardd.md ("DHCP") describes the behaviour. */
#ifndef WARD_DAEMON_DHCP_SERVE_H
#define WARD_DAEMON_DHCP_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "daemon/dhcp_setup.h"
#include "daemon/lease_store.h"
#include "dhcp/engine.h"

#define WARDD_DHCP_IF_MAX 32             /* interfaces served */
#define WARDD_DHCP_RECV_MAX 1500         /* a DHCP message larger is dropped */
#define WARDD_DHCP_DEFAULT_LEASEFILE "/var/lib/misc/dnsmasq.leases"
#define WARDD_DHCP_SCRIPT_QUEUE 256      /* script calls waiting; more are dropped */
#define WARDD_DHCP_SCRIPT_ENV 16         /* DNSMASQ_* variables per call */
#define WARDD_DHCP_BATCH 64              /* messages read per wake-up, and
                                          * replies behind one commit */
#define WARDD_DHCP_BATCH_SCRIPTS 256     /* script calls behind one commit */

struct wardd;

struct dhcp_if {
	struct wardd_dhcp *dh;
	char name[16];
	unsigned ifindex;
	dhcp_ifaddr addrs[DHCP_IFADDR_MAX];
	size_t naddrs;
	int fd;                     /* UDP 0.0.0.0:67 bound to the device */
	uv_poll_t poll;
	bool poll_open;
};

struct dhcp_script_job {
	char action[4];             /* add, old, del */
	char mac[3 * 16 + 4];
	char ip[16];
	char host[DHCP_LEASE_HOSTNAME_MAX + 1];
	char ifname[16];
	char cid[3 * DHCP_LEASE_CLIENTID_MAX + 1];
	int64_t expires;
	int64_t remaining;
};

/* A reply waiting for the commit of the batch's lease changes. */
struct dhcp_pending_send {
	struct dhcp_if *in;
	dhcp_act_send s;            /* s.pkt points to pkt */
	uint8_t pkt[DHCP_REPLY_MAX];
};

struct dhcp_pending_script {
	char kind[4];
	char ifname[16];
	struct dhcp_lease l;
};

/* The replies and script calls behind one commit. */
struct dhcp_batch {
	struct dhcp_pending_send sends[WARDD_DHCP_BATCH];
	unsigned nsends;
	struct dhcp_pending_script scripts[WARDD_DHCP_BATCH_SCRIPTS];
	unsigned nscripts;
	bool failed;                /* a change of the batch was refused */
};

struct wardd_dhcp_stats {
	uint64_t received, replies, dropped_commit, malformed, raw_sent,
	         send_errors, compactions, script_runs, script_dropped,
	         commits, batched;
};

struct wardd_dhcp {
	struct wardd *d;
	dhcp_setup setup;
	dhcp_engine *e;
	lease_store_t *st;          /* NULL with dhcp-leasefile="" */
	const char *leasefile;
	bool store_failed;          /* start failed on the lease file */
	struct dhcp_if ifs[WARDD_DHCP_IF_MAX];
	unsigned nifs;
	int raw_fd;                 /* AF_PACKET, SOCK_DGRAM; -1 if none */
	uv_timer_t timer;
	bool timer_open;
	int64_t wakeup;
	dhcp_out out;
	/* group commit: the changes of up to WARDD_DHCP_BATCH messages are
	 * staged, committed with one fdatasync on a worker thread, then their
	 * replies sent; batch[cur] fills while batch[cur ^ 1] is in flight */
	struct dhcp_batch batch[2];
	unsigned cur;
	bool inflight;              /* batch[cur ^ 1]'s commit is running */
	bool paused;                /* reading stopped: batch[cur] is full */
	struct lease_store_job job;
	uv_work_t work;
	uint8_t buf[WARDD_DHCP_RECV_MAX];
	/* dhcp-script */
	const char *script;
	struct dhcp_script_job queue[WARDD_DHCP_SCRIPT_QUEUE];
	unsigned qhead, qlen;
	bool script_running;
	uint32_t *script_startup;   /* addresses still owed an "old" call */
	size_t nstartup, startup_pos;
	uv_process_t proc;
	struct wardd_dhcp_stats st_;
};

/* dhcp_run.c. Start DHCP when dhcp-range= is configured (*out stays NULL
 * otherwise): lease store, engine, names, sockets. Called as root, before
 * privileges are dropped. 0 or a negative ward_err (logged). */
int dhcp_serve_start(struct wardd *d, struct wardd_dhcp **out);
void dhcp_serve_stop(struct wardd_dhcp *dh);   /* handles closed */
void dhcp_serve_free(struct wardd_dhcp *dh);   /* after the loop ran */
/* The lease names again into the current local data (after SIGHUP). */
void dhcp_serve_names(struct wardd_dhcp *dh);
void dhcp_serve_log_stats(const struct wardd_dhcp *dh);
/* After the privilege drop: warn when the lease file's directory is not
 * writable any more (compaction renames a new file over it), and start the
 * dhcp-script "old" calls for the leases found at start (dnsmasq's). */
void dhcp_serve_ready(struct wardd_dhcp *dh);
/* One received message (dhcp_io.c calls it): its changes are staged and
 * its reply held until dhcp_serve_flush (called when the batch is full and
 * after each read burst). dhcp_io.c reads no further message while
 * dhcp_serve_full() (the batch is full and a commit is in flight). */
void dhcp_serve_packet(struct dhcp_if *in, const uint8_t *pkt, size_t len,
                       bool unicast);
bool dhcp_serve_full(const struct wardd_dhcp *dh);
/* Start the commit of the staged changes (write + one fdatasync on a
 * worker thread); when it ends, the held replies are sent (none if it
 * failed) and the script calls queued. With a commit already in flight the
 * batch waits for it and goes next. */
void dhcp_serve_flush(struct wardd_dhcp *dh);
/* `ward ctl leases delete`: end the active lease on ip (host order) as a
 * DHCPRELEASE ends it: its DEL made durable (journal + fdatasync, on the
 * loop: the control client waits for it), its name removed from DNS,
 * dhcp-script "del" queued. 0, WARD_ENOTFOUND, WARD_ELEASE_BUSY (a commit
 * of DHCP traffic is in flight: nothing done, ask again), or the commit's
 * error (the engine has let the lease go, as after a RELEASE; the lease
 * file still has it until a later change succeeds). */
int dhcp_serve_delete(struct wardd_dhcp *dh, uint32_t ip);

/* dhcp_io.c */
int dhcp_io_open(struct wardd_dhcp *dh);
void dhcp_io_close(struct wardd_dhcp *dh);
/* Stop and restart reading the sockets (a full batch waiting for its
 * commit: the requests wait in the socket buffers meanwhile). */
void dhcp_io_pause(struct wardd_dhcp *dh);
void dhcp_io_resume(struct wardd_dhcp *dh);
/* Send per a->dest; in is the interface the request came in on. */
void dhcp_io_send(struct wardd_dhcp *dh, struct dhcp_if *in,
                  const dhcp_act_send *a);

/* dhcp_raw.c */
/* Build an IPv4+UDP datagram (checksums filled) around payload into buf
 * (cap octets). Addresses in host order. Returns its length or 0. */
size_t dhcp_raw_build(uint8_t *buf, size_t cap, uint32_t src, uint16_t sport,
                      uint32_t dst, uint16_t dport, const uint8_t *payload,
                      size_t len);
int dhcp_raw_open(void);
/* Send the datagram to link-layer address mac (6 octets) on ifindex. */
int dhcp_raw_send(int fd, unsigned ifindex, const uint8_t mac[6],
                  const uint8_t *ipdgram, size_t len);

/* dhcp_script.c */
void dhcp_script_queue(struct wardd_dhcp *dh, const char *action,
                       const struct dhcp_lease *l, const char *ifname,
                       int64_t now);
void dhcp_script_stop(struct wardd_dhcp *dh);
/* dnsmasq calls the script with "old" for every lease at start: the
 * addresses are listed now and fed to the queue as it drains (so the
 * queue bound holds for any number of leases). */
int dhcp_script_startup(struct wardd_dhcp *dh);

#endif
