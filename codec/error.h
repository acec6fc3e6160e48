/* ward: one error enum for the whole project.
 * 0 is success, negative values are errors. A function that can fail returns
 * `int` (or ssize_t-like lengths >= 0) and never aborts on bad input.
 * DNS rcodes, validation states and EDE codes are NOT errors: they are separate
 * outputs (see STYLE.md, item 5). */
#ifndef WARD_ERROR_H
#define WARD_ERROR_H

enum ward_err {
	WARD_OK = 0,
	/* generic */
	WARD_ENOMEM = -1,       /* allocation failed */
	WARD_EINVAL = -2,       /* invalid argument */
	WARD_ESPACE = -3,       /* output buffer too small */
	WARD_EIO = -4,          /* I/O error (errno has details) */
	WARD_ENOTFOUND = -5,    /* no such item */
	WARD_ELIMIT = -6,       /* a named work or size limit was hit */
	WARD_ENOTSUP = -7,      /* valid but not supported */

	/* wire parsing (cursor, names, records, messages) */
	WARD_ETRUNC = -20,      /* input ended before the item did */
	WARD_ELABEL = -21,      /* label longer than 63 octets */
	WARD_ENAMELEN = -22,    /* name longer than 255 octets */
	WARD_EPTRFWD = -23,     /* compression pointer not strictly backwards */
	WARD_EPTRLOOP = -24,    /* too many compression pointer hops */
	WARD_ELABELTYPE = -25,  /* reserved label type (0x40 / 0x80) */
	WARD_ECOMPRESS = -26,   /* compression pointer where none is allowed */
	WARD_ERDATA = -27,      /* rdata does not match its type's layout */
	WARD_ERDLEN = -28,      /* rdata shorter/longer than RDLENGTH says */
	WARD_ETRAILING = -29,   /* bytes left over after the last item */
	WARD_ECOUNT = -30,      /* section count larger than the bytes left allow */
	WARD_EOPT = -31,        /* malformed EDNS OPT record or option */
	WARD_EMULTIOPT = -32,   /* more than one OPT record, or OPT outside additional */
	WARD_EHEADER = -33,     /* message shorter than the 12-byte header */
	WARD_EPTRHDR = -34,     /* compression pointer into the 12-byte header */

	/* text parsing (presentation format, zone files) */
	WARD_ESYNTAX = -50,     /* text does not follow the grammar */
	WARD_ERANGE = -51,      /* number out of range */
	WARD_EBASE64 = -52,     /* bad base64 */
	WARD_EBASE32 = -53,     /* bad base32hex */
	WARD_EHEX = -54,        /* bad hex */
	WARD_EUNKTYPE = -55,    /* unknown RR type mnemonic */
	WARD_EUNKCLASS = -56,   /* unknown class mnemonic */
	WARD_EESCAPE = -57,     /* bad \DDD or \X escape */
	WARD_EEMPTYLABEL = -58, /* empty label in the middle of a name */
	WARD_EQUOTE = -59,      /* unterminated quoted string */
	WARD_EPAREN = -60,      /* unbalanced parentheses */
	WARD_ENOORIGIN = -61,   /* relative name with no $ORIGIN */
	WARD_ENOTTL = -62,      /* record without TTL and no $TTL */
	WARD_EDIRECTIVE = -63,  /* unknown or malformed $DIRECTIVE */
	/* rdata presentation format (codec/rdata_text.c) */
	WARD_ESTRLEN = -70,     /* character-string (or salt, HIT) > 255 octets */
	WARD_EADDR = -71,       /* malformed IPv4/IPv6 address */
	WARD_EMISSING = -72,    /* rdata text ended before all its fields */
	WARD_ESVCPARAM = -73,   /* bad SVCB/HTTPS SvcParam */

	/* DHCP */
	WARD_EDHCP = -80,       /* malformed BOOTP/DHCP header */
	WARD_ECOOKIE = -81,     /* missing or wrong magic cookie */
	WARD_EDHCPOPT = -82,    /* malformed option (length runs past the end) */
	WARD_EOVERLOAD = -83,   /* bad option overload (option 52) */
	WARD_ENOEND = -84,      /* options not terminated by END */

	/* captures */
	WARD_EPCAP = -100,      /* capture file unreadable or malformed */
	WARD_ELINKTYPE = -101,  /* link-layer type not supported */
	WARD_EPKT = -102,       /* malformed link/IP/UDP/TCP header */
	WARD_EFRAG = -103,      /* fragment reassembly failed */

	/* replay: .rpl scenario files (replay/) */
	WARD_ERPL_KEYWORD = -140,   /* unknown scenario keyword */
	WARD_ERPL_NESTING = -141,   /* scenario block unclosed or out of place */
	WARD_ERPL_STEPORDER = -142, /* scenario step numbers not increasing */

	/* configuration: dnsmasq-syntax files and options (daemon/conf*.c) */
	WARD_ECONF = -160,          /* the configuration has errors (see diagnostics) */
	WARD_ECONFOPT = -161,       /* unknown option name */
	WARD_ECONFVAL = -162,       /* option value malformed or missing */
	WARD_ECONFDEPTH = -163,     /* conf-file/conf-dir nested too deeply */

	/* one block each; add codes inside your block (and a case in error.c) */
	/* resolver engine: -180 .. -199 */
	/* DNSSEC validator (resolver/dnssec/): -200 .. -229 */
	/* DHCP engine (dhcp/): -230 .. -249 */
	WARD_EDHCPCFG = -230,       /* DHCP engine configuration invalid */
	WARD_EDHCPMSG = -231,       /* not a DHCP client message (reply, BOOTP, no type) */
	/* leases: lease file text and journal (dhcp/lease_text.c, daemon/lease_store.c): -250 .. -269 */
	WARD_ELEASE_FIELDS = -250,   /* lease-file line: wrong number of fields */
	WARD_ELEASE_EXPIRY = -251,   /* lease-file line: bad expiry time */
	WARD_ELEASE_HWADDR = -252,   /* lease-file line: bad hardware address */
	WARD_ELEASE_CLIENTID = -253, /* lease-file line: bad client identifier */
	WARD_ELEASE_HOSTNAME = -254, /* hostname the lease file cannot hold */
	WARD_ELEASE_JMAGIC = -255,   /* journal file does not start with ward's header */
	WARD_ELEASE_TORN = -256,     /* journal record torn or corrupt (length, checksum) */
	WARD_ELEASE_LOCKED = -257,   /* lease files held by another process */
	WARD_ELEASE_WRITE = -258,    /* lease write or fsync failed: change not durable */
	WARD_ELEASE_TOOBIG = -259,   /* lease file larger than LEASE_STORE_FILE_MAX */
	WARD_ELEASE_BUSY = -260,     /* a commit of the lease store is in flight */
	/* daemon (wardd: sockets, privileges, pid file): -270 .. -289 */
};

/* A short English description of a ward_err code (never NULL). */
const char *ward_strerror(int err);

#endif
