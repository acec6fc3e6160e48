/* ward: every limit of the capture layer, in one place (DESIGN.md). */
#ifndef WARD_CAPTURE_LIMITS_H
#define WARD_CAPTURE_LIMITS_H

#define CAPTURE_NS_PER_SEC 1000000000LL

/* link layer */
#define CAPTURE_MAX_VLAN_TAGS 8       /* stacked 802.1Q/802.1ad tags */
#define CAPTURE_MAX_MPLS_LABELS 8
#define CAPTURE_MAX_TUNNEL_DEPTH 4    /* IP-in-IP nesting */

/* IPv6 */
#define CAPTURE_IPV6_MAX_EXT 16       /* extension headers walked per packet */

/* IP fragment reassembly (defaults, see struct capture_config) */
#define CAPTURE_FRAG_MAX_PENDING 256  /* datagrams in reassembly at once */
#define CAPTURE_FRAG_MAX_BYTES (8u << 20)
#define CAPTURE_FRAG_TIMEOUT_SEC 30   /* since the first fragment (Linux) */
#define CAPTURE_FRAG_MAX_RANGES 64    /* disjoint pieces held per datagram */
#define CAPTURE_FRAG_MAX_FRAGS 512    /* fragments accepted per datagram */
#define CAPTURE_IP_MAX_DATAGRAM 65535 /* bytes after the fixed header */

/* TCP stream reassembly */
#define CAPTURE_TCP_MAX_FLOWS 8192
#define CAPTURE_TCP_MAX_BYTES (64u << 20)     /* over all flows */
#define CAPTURE_TCP_FLOW_TIMEOUT_SEC 300      /* idle flow dropped */
#define CAPTURE_TCP_HOLE_TIMEOUT_SEC 5        /* hole waited for, then a gap */
#define CAPTURE_TCP_OOO_MAX_SEGS 256          /* queued out-of-order segments */
#define CAPTURE_TCP_OOO_MAX_BYTES (256u << 10)
#define CAPTURE_TCP_BUF_MAX (2u * 65536u)     /* in-order bytes not yet framed */
#define CAPTURE_TCP_MAX_CANDIDATES 32         /* resync boundaries tried at once */
#define CAPTURE_TCP_HASH_BUCKETS 4096         /* power of two */

#endif
