/* ward: the rdata descriptor table (internal to codec/).
 *
 * Every RR type with a known layout has ONE descriptor: the list of its
 * fields' kinds. Wire checking, decompression, compression, canonical form,
 * comparison and both presentation directions are driven by it, so a type's
 * layout is written down once. Types without a descriptor are RFC 3597
 * opaque data. */
#ifndef WARD_RDATA_DESC_H
#define WARD_RDATA_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

enum rdf_kind {
	RDF_NONE = 0,
	/* fixed size */
	RDF_U8,        /* decimal */
	RDF_U16,       /* decimal */
	RDF_U32,       /* decimal */
	RDF_PERIOD,    /* u32: decimal, or BIND units (1h30m) on input */
	RDF_ALG,       /* u8 DNSSEC algorithm: number or mnemonic in, number out */
	RDF_TYPE,      /* u16 RR type as mnemonic (RRSIG type covered) */
	RDF_CERTTYPE,  /* u16 CERT type (RFC 4398 §2.1): mnemonic or number */
	RDF_TIME,      /* u32 seconds: YYYYMMDDHHmmSS (or plain number on input) */
	RDF_A,         /* 4 octets, dotted quad */
	RDF_AAAA,      /* 16 octets, RFC 5952 text */
	RDF_EUI48,     /* 6 octets, xx-xx-xx-xx-xx-xx (RFC 7043) */
	RDF_EUI64,     /* 8 octets, xx-xx-xx-xx-xx-xx-xx-xx */
	RDF_ILNP64,    /* 8 octets, xxxx:xxxx:xxxx:xxxx (RFC 6742 NID, L64) */
	/* names: which of compress-on-output / decompress-on-input / lowercase
	 * in canonical form apply (see rdata.c for the RFC reasoning) */
	RDF_NAME_C,    /* compress out, decompress in, canonical lowercase */
	RDF_NAME_D,    /* decompress in, canonical lowercase */
	RDF_NAME_N,    /* decompress in, case kept (NSEC next, RFC 6840 §5.1) */
	RDF_NAME,      /* no compression at all, case kept */
	/* variable size */
	RDF_STR,       /* <character-string>: u8 length + octets, quoted text */
	RDF_STR_OPT,   /* optional last <character-string> (ISDN subaddress) */
	RDF_TAG,       /* u8 length (>= 1) + alphanumerics, bare text (CAA tag) */
	RDF_HEXLEN,    /* u8 length + octets as hex, "-" when empty (NSEC3 salt) */
	RDF_B32LEN,    /* u8 length (>= 1) + octets as base32hex (NSEC3 hash) */
	/* to the end of the rdata (must be the last field) */
	RDF_STRS,      /* one or more <character-string>s (TXT) */
	RDF_LSTR,      /* octets as one quoted string (CAA value, URI target) */
	RDF_HEX,       /* octets as hex (digests) */
	RDF_B64,       /* octets as base64 (keys, signatures) */
	RDF_NSAP,      /* octets (>= 1) as 0x + hex (RFC 1706) */
	RDF_BITMAP,    /* NSEC type bitmap, at least one type (RFC 4034 §4.1.2) */
	RDF_BITMAP0,   /* type bitmap, may be empty (NSEC3, CSYNC) */
	RDF_SVCPARAMS, /* SVCB/HTTPS SvcParams (RFC 9460 §2.2) */
	RDF_EDNSOPTS,  /* EDNS options (RFC 6891 §6.1.2), text only as \# */
	RDF_OPAQUE,    /* anything, text only as \# (NULL) */
	/* older and rarer layouts, text in rdata_text_legacy.c */
	RDF_U48,       /* 6 octets, decimal (TSIG time signed) */
	RDF_TSIGERR,   /* u16 extended rcode as mnemonic (TSIG/TKEY error) */
	RDF_PROTO,     /* u8 IP protocol, "tcp"/"udp" or number (WKS) */
	RDF_INT16DATA, /* u16 length + octets, text "len base64" (TSIG MAC) */
	RDF_GPOSSTR,   /* <character-string> holding a number, bare (GPOS) */
	RDF_IPSECGW,   /* IPSECKEY gateway type, algorithm, gateway (RFC 4025) */
	RDF_HIP,       /* HIT length, alg, PK length, HIT, PK (RFC 8005) */
	RDF_PORTMAP,   /* to end: WKS port bitmap (RFC 1035 §3.4.2) */
	RDF_NXTMAP,    /* to end: NXT type bitmap, types < 128 (RFC 2535 §5.2) */
	RDF_LOC,       /* to end: LOC version 0, 16 octets (RFC 1876) */
	RDF_APL,       /* to end: APL items (RFC 3123) */
	RDF_ATMA,      /* to end: ATMA format + address (ATM Forum AF-DANS-0152) */
	RDF_B64_OPT,   /* to end: octets as base64, may be absent (IPSECKEY) */
	RDF_NAMES,     /* to end: uncompressed names, maybe none (HIP RVS) */
	RDF_NKINDS     /* how many kinds there are (not a kind) */
};

#define RDESC_MAXF 9

struct rdata_desc {
	uint8_t nf;               /* number of fields; 0: no descriptor */
	uint8_t f[RDESC_MAXF];    /* enum rdf_kind */
	uint8_t ndc;              /* fields up to the last name a pointer may
	                           * compress (rdf_name_decompress); 0: none */
	uint8_t nfix;             /* leading fields of a fixed size ... */
	uint8_t fixlen;           /* ... and their octets */
} __attribute__((aligned(16))); /* 16 octets: the table lookup is a shift */

/* The table (rdata_desc.c): types 0..257 (CAA), nf == 0 where a type has
 * no descriptor; DLV (32769) apart. Use rdata_desc_get(). */
#define RDATA_DESC_TYPES 258
#define RDATA_DESC_DLV 32769
extern const struct rdata_desc rdata_descs[RDATA_DESC_TYPES];
extern const struct rdata_desc rdata_desc_dlv;

/* The descriptor of a type, or NULL for RFC 3597 opaque types. */
static inline const struct rdata_desc *rdata_desc_get(uint16_t type)
{
	if (type < RDATA_DESC_TYPES)
		return rdata_descs[type].nf ? &rdata_descs[type] : NULL;
	return type == RDATA_DESC_DLV ? &rdata_desc_dlv : NULL;
}

/* True when the type's presentation format is only the RFC 3597 form
 * (descriptor made of one RDF_OPAQUE / RDF_EDNSOPTS field). */
bool rdata_desc_generic_text(const struct rdata_desc *d);

static inline bool rdf_is_name(uint8_t k)
{
	return k == RDF_NAME_C || k == RDF_NAME_D || k == RDF_NAME_N ||
	       k == RDF_NAME;
}

/* Names in which a compression pointer is accepted when reading a message
 * (see the comment at the top of rdata.c for the RFC 3597 §4 reasoning). */
static inline bool rdf_name_decompress(uint8_t k)
{
	return k == RDF_NAME_C || k == RDF_NAME_D || k == RDF_NAME_N;
}

/* Octets of a fixed-size field kind; 0 for names and variable-size kinds.
 * A constant expression for constant k (the descriptor table uses it). */
#define RDF_FIXED_SIZE(k) \
	((k) == RDF_U8 || (k) == RDF_ALG || (k) == RDF_PROTO ? 1 : \
	 (k) == RDF_U16 || (k) == RDF_TYPE || (k) == RDF_CERTTYPE || \
	 (k) == RDF_TSIGERR ? 2 : \
	 (k) == RDF_U32 || (k) == RDF_PERIOD || (k) == RDF_TIME || \
	 (k) == RDF_A ? 4 : \
	 (k) == RDF_EUI48 || (k) == RDF_U48 ? 6 : \
	 (k) == RDF_EUI64 || (k) == RDF_ILNP64 ? 8 : \
	 (k) == RDF_AAAA ? 16 : 0)

/* RDF_FIXED_SIZE(k) for every kind (rdata_desc.c), for a lookup without
 * the compares. */
#define RDF_FIXED_SIZES 64
extern const uint8_t rdf_fixed_sizes[RDF_FIXED_SIZES];

static inline size_t rdf_fixed_size(uint8_t k)
{
	return k < RDF_FIXED_SIZES ? rdf_fixed_sizes[k] : 0;
}

/* Length of the field of kind k at the start of uncompressed rdata
 * p[0..left) — the whole field validated (names, bitmaps, SvcParams, ...).
 * Returns the length (>= 0) or a negative ward_err: WARD_ETRUNC when the
 * field runs past `left`, WARD_ERDATA for bad contents, a name error
 * (WARD_ELABELTYPE, WARD_ECOMPRESS, ...) for a bad name. */
int rdf_field_len(uint8_t k, const uint8_t *p, size_t left);

/* Validate a type bitmap (RFC 4034 §4.1.2) in p[0..n). */
int rdf_bitmap_check(const uint8_t *p, size_t n, bool allow_empty);
/* Validate SvcParams (RFC 9460 §2.2, §7, §8) in p[0..n). */
int rdf_svcparams_check(const uint8_t *p, size_t n);

#endif
