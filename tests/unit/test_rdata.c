/* Unit tests: codec/rdata*.c — every type with a descriptor both ways
 * (presentation -> wire -> presentation, wire unpack from a message), each
 * field kind's edge cases, wire validation (bitmaps, lengths, names,
 * SvcParams), decompression rules and compression on output.
 * Wire expectations were produced independently by libldns where ldns
 * follows the RFCs, and by hand from the RFCs (RFC 9460 Appendix D for
 * SVCB) where it does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "error.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"

static uint8_t wire[70000], expect[70000], msg[70000], unpacked[70000];
static char text[300000];

static dns_name origin(void)
{
	dns_name o;
	assert_int_equal(dns_name_from_text(&o, "example.", 8, NULL), 0);
	return o;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t len;
	assert_int_equal(hex_decode_ws(hex, strlen(hex), out, cap, &len), 0);
	return len;
}

static int from_text(uint16_t type, const char *in, size_t *len)
{
	dns_name o = origin();
	return dns_rdata_from_text(type, in, strlen(in), &o, wire, sizeof wire,
	                           len);
}

/* Unpack rdata that sits in a message after a 12-octet header. */
static int unpack_in_msg(uint16_t type, const uint8_t *rd, size_t n,
                         size_t *outlen)
{
	memset(msg, 0, 12);
	memcpy(msg + 12, rd, n);
	wire_rd r = wire_rd_init(msg, 12 + n);
	r.pos = 12;
	int err = dns_rdata_unpack(&r, type, (uint16_t)n, unpacked,
	                           sizeof unpacked, outlen);
	if (err == 0)
		assert_int_equal(r.pos, 12 + n);
	return err;
}

/* text `in` gives wire `hex`; printing gives `out` (or `in` when NULL);
 * printing then parsing again gives the same wire; the wire passes
 * dns_rdata_check and unpacks to itself. */
static void rt(uint16_t type, const char *in, const char *hex, const char *out)
{
	size_t len = 0, elen = unhex(hex, expect, sizeof expect);
	int r = from_text(type, in, &len);
	if (r != 0)
		print_error("from_text(%u, \"%s\"): %s\n", type, in, ward_strerror(r));
	assert_int_equal(r, 0);
	if (len != elen || memcmp(wire, expect, len) != 0) {
		char got[8192];
		strbuf sb = strbuf_init(got, sizeof got);
		strbuf_hex(&sb, wire, len);
		print_error("\"%s\"\n  want %s\n  got  %s\n", in, hex, got);
	}
	assert_int_equal(len, elen);
	assert_memory_equal(wire, expect, len);
	assert_int_equal(dns_rdata_check(type, wire, len), 0);

	strbuf sb = strbuf_init(text, sizeof text);
	assert_int_equal(dns_rdata_to_text(type, wire, len, &sb), 0);
	assert_string_equal(text, out ? out : in);

	size_t len2 = 0;
	assert_int_equal(from_text(type, text, &len2), 0);
	assert_int_equal(len2, elen);
	assert_memory_equal(wire, expect, elen);

	size_t ulen = 0;
	assert_int_equal(unpack_in_msg(type, expect, elen, &ulen), 0);
	assert_int_equal(ulen, elen);
	assert_memory_equal(unpacked, expect, elen);
}

static void text_err(uint16_t type, const char *in, int err)
{
	size_t len;
	int r = from_text(type, in, &len);
	if (r != err)
		print_error("from_text(%u, \"%s\") = %d (%s), want %d (%s)\n", type,
		            in, r, ward_strerror(r), err, ward_strerror(err));
	assert_int_equal(r, err);
}

/* Wire rdata (hex) is refused by dns_rdata_check and dns_rdata_unpack. */
static void wire_err(uint16_t type, const char *hex, int err)
{
	size_t n = unhex(hex, expect, sizeof expect), ulen;
	int r1 = dns_rdata_check(type, expect, n);
	int r2 = unpack_in_msg(type, expect, n, &ulen);
	if (r1 != err || r2 != err)
		print_error("type %u %s: check %d unpack %d, want %d\n", type, hex,
		            r1, r2, err);
	assert_int_equal(r1, err);
	assert_int_equal(r2, err);
}

/* ---- every type ---- */

static void test_rfc1035_types(void **state)
{
	(void)state;
	rt(DNS_T_A, "192.0.2.1", "C0000201", NULL);
	rt(DNS_T_NS, "ns1.Example.com.", "036E7331074578616D706C6503636F6D00",
	   NULL);
	rt(DNS_T_NS, "ns1", "036E7331076578616D706C6500", "ns1.example.");
	rt(DNS_T_NS, "@", "076578616D706C6500", "example.");
	rt(DNS_T_MD, "md.example.", "026D64076578616D706C6500", NULL);
	rt(DNS_T_MF, "mf.example.", "026D66076578616D706C6500", NULL);
	rt(DNS_T_CNAME, "target.example.", "06746172676574076578616D706C6500",
	   NULL);
	rt(DNS_T_MB, "mb.example.", "026D62076578616D706C6500", NULL);
	rt(DNS_T_MG, "mg.example.", "026D67076578616D706C6500", NULL);
	rt(DNS_T_MR, "mr.example.", "026D72076578616D706C6500", NULL);
	rt(DNS_T_PTR, "ptr.example.", "03707472076578616D706C6500", NULL);
	rt(DNS_T_SOA,
	   "ns1 postmaster.all.rr.org. 2014013100 1800 900 604800 86400",
	   "036E7331076578616D706C65000A706F73746D617374657203616C6C027272036F"
	   "726700780B66AC000007080000038400093A8000015180",
	   "ns1.example. postmaster.all.rr.org. 2014013100 1800 900 604800 "
	   "86400");
	/* BIND-style periods in the SOA timers, printed as numbers */
	rt(DNS_T_SOA, "a. b. 1 1h 1d 1w 1",
	   "0161000162000000000100000E100001518000093A8000000001",
	   "a. b. 1 3600 86400 604800 1");
	rt(DNS_T_SOA, "a. b. 4294967295 1h30m 2W 1d2h3m4s 0",
	   "016100016200FFFFFFFF000015180012750000016E5800000000",
	   "a. b. 4294967295 5400 1209600 93784 0");
	rt(DNS_T_NULL, "\\# 3 010203", "010203", NULL);
	rt(DNS_T_NULL, "\\# 0", "", NULL);
	rt(DNS_T_HINFO, "\"SUN4/110\" \"UNIX\"", "0853554E342F31313004554E4958",
	   NULL);
	rt(DNS_T_HINFO, "SUN4/110 UNIX", "0853554E342F31313004554E4958",
	   "\"SUN4/110\" \"UNIX\"");
	rt(DNS_T_MINFO, "rmail.example. email.example.",
	   "05726D61696C076578616D706C650005656D61696C076578616D706C6500", NULL);
	rt(DNS_T_MX, "10 VENERA.all.rr.org.",
	   "000A0656454E45524103616C6C027272036F726700", NULL);
	rt(DNS_T_MX, "0 .", "000000", NULL);
	rt(DNS_T_TXT, "\"a\" \"bb\" \"ccc\"", "016102626203636363", NULL);
	rt(DNS_T_TXT, "\"a b\" \"\" \"\\\"q\\\" \\\\ \\255\\009x;y\"",
	   "03612062000B227122205C20FF09783B79",
	   "\"a b\" \"\" \"\\\"q\\\" \\\\ \\255\tx;y\"");
	rt(DNS_T_TXT, "unquoted\\032word", "0D756E71756F74656420776F7264",
	   "\"unquoted word\"");
	rt(DNS_T_TXT, "\"\\(\\)\\;\\a\"", "0428293B61", "\"();a\"");
	rt(DNS_T_TXT, "\"\\000\\031\\127\\128\"", "04001F7F80",
	   "\"\\000\\031\\127\\128\"");
}

static void test_rfc1183_and_legacy_types(void **state)
{
	(void)state;
	rt(DNS_T_RP, "mbox.example. txt.example.",
	   "046D626F78076578616D706C650003747874076578616D706C6500", NULL);
	rt(DNS_T_RP, ". .", "0000", NULL);
	rt(DNS_T_AFSDB, "1 afsdb.example.", "0001056166736462076578616D706C6500",
	   NULL);
	rt(DNS_T_X25, "\"311061700956\"", "0C333131303631373030393536", NULL);
	rt(DNS_T_ISDN, "\"150862028003217\" \"004\"",
	   "0F31353038363230323830303332313703303034", NULL);
	rt(DNS_T_ISDN, "\"150862028003217\"", "0F313530383632303238303033323137",
	   NULL);
	rt(DNS_T_RT, "10 NET.Prime.COM.", "000A034E4554055072696D6503434F4D00",
	   NULL);
	rt(DNS_T_NSAP, "0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00",
	   "47000580005A0000000001E133FFFFFF00016100",
	   "0x47000580005A0000000001E133FFFFFF00016100");
	rt(23 /* NSAP-PTR */, "foo.bar.com.", "03666F6F0362617203636F6D00", NULL);
	rt(DNS_T_PX, "10 net2.it. PRMD-net2.ADMD-p400.C-it.",
	   "000A046E657432026974000950524D442D6E6574320941444D442D703430300443"
	   "2D697400", NULL);
	rt(DNS_T_KX, "2 rt1.example.com.", "000203727431076578616D706C6503636F6D00",
	   NULL);
	rt(DNS_T_SIG, "A 8 2 3600 20200101000000 20190101000000 3 Foo.example. AAAA",
	   "0001080200000E105E0BE1005C2AAD80000303466F6F076578616D706C6500000000",
	   NULL);
	rt(DNS_T_KEY, "256 3 8 AwEAAb8s", "0100030803010001BF2C", NULL);
	rt(DNS_T_CERT, "PKIX 1 RSASHA1 AAAA", "0001000105000000", "PKIX 1 5 AAAA");
	rt(DNS_T_CERT, "6 0 0 FFsAyW1dVK7hIGuvhN56r26UwJx/",
	   "0006000000145B00C96D5D54AEE1206BAF84DE7AAF6E94C09C7F",
	   "IPGP 0 0 FFsAyW1dVK7hIGuvhN56r26UwJx/");
	rt(DNS_T_CERT, "65534 65535 254 AAAA", "FFFEFFFFFE000000", NULL);
	rt(58 /* TALINK */, "h0.example.com. h1.example.com.",
	   "026830076578616D706C6503636F6D00026831076578616D706C6503636F6D00",
	   NULL);
	rt(DNS_T_SPF, "\"v=spf1 +mx a:colo.example.com/28 -all\"",
	   "25763D73706631202B6D7820613A636F6C6F2E6578616D706C652E636F6D2F3238"
	   "202D616C6C", NULL);
	rt(104 /* NID */, "10 0014:4fff:ff20:ee64", "000A00144FFFFF20EE64", NULL);
	rt(105 /* L32 */, "10 10.1.2.0", "000A0A010200", NULL);
	rt(106 /* L64 */, "10 2001:0db8:1140:1000", "000A20010DB811401000", NULL);
	rt(106, "10 2001:db8:1140:0", "000A20010DB811400000",
	   "10 2001:0db8:1140:0000");
	rt(107 /* LP */, "10 l64-subnet1.example.com.",
	   "000A0B6C36342D7375626E657431076578616D706C6503636F6D00", NULL);
	rt(DNS_T_EUI48, "00-00-5e-90-01-2a", "00005E90012A", NULL);
	rt(DNS_T_EUI48, "00-00-5E-90-01-2A", "00005E90012A", "00-00-5e-90-01-2a");
	rt(DNS_T_EUI64, "00-00-5e-ef-00-00-00-2a", "00005EEF0000002A", NULL);
	rt(DNS_T_URI, "10 1 \"ftp://ftp1.example.com/public\"",
	   "000A00016674703A2F2F667470312E6578616D706C652E636F6D2F7075626C6963",
	   NULL);
	rt(DNS_T_URI, "10 1 \"\"", "000A0001", NULL);
	rt(DNS_T_CAA, "0 issue \"ca.example.net; account=230123\"",
	   "0005697373756563612E6578616D706C652E6E65743B206163636F756E743D3233"
	   "30313233", NULL);
	rt(DNS_T_CAA, "128 tbs \"Unknown\"", "8003746273556E6B6E6F776E", NULL);
	rt(DNS_T_CAA, "0 issue \"\"", "00056973737565", NULL);
	rt(DNS_T_CAA, "0 issue ;", "000569737375653B", "0 issue \";\"");
	rt(DNS_T_AAAA, "2001:db8::3", "20010DB8000000000000000000000003", NULL);
	rt(DNS_T_SRV, "0 5 80 ns1.example.com.",
	   "000000050050036E7331076578616D706C6503636F6D00", NULL);
	rt(DNS_T_SRV, "65535 65535 65535 .", "FFFFFFFFFFFF00", NULL);
	rt(DNS_T_NAPTR,
	   "100 10 \"\" \"\" \"!^urn:cid:.+@([^\\\\.]+\\\\.)(.*)$!\\\\2!i\" .",
	   "0064000A000021215E75726E3A6369643A2E2B40285B5E5C2E5D2B5C2E29282E2A"
	   "2924215C32216900", NULL);
	rt(DNS_T_NAPTR, "100 100 \"s\" \"http+l@r\" \"\" naptr.replacement",
	   "00640064017308687474702B6C407200056E617074720B7265706C6163656D656E"
	   "74076578616D706C6500",
	   "100 100 \"s\" \"http+l@r\" \"\" naptr.replacement.example.");
	rt(DNS_T_DNAME, "frobozz-division.acme.example.",
	   "1066726F626F7A7A2D6469766973696F6E0461636D65076578616D706C6500",
	   NULL);
}

static void test_dnssec_types(void **state)
{
	(void)state;
	rt(DNS_T_DS, "12345 3 1 123456789abcdef67890123456789abcdef67890",
	   "30390301123456789ABCDEF67890123456789ABCDEF67890",
	   "12345 3 1 123456789ABCDEF67890123456789ABCDEF67890");
	/* algorithm mnemonic, digest split by blanks (RFC 4034 §5.3) */
	rt(DNS_T_DS, "12345 RSASHA256 2 1234 5678 9ABC", "30390802123456789ABC",
	   "12345 8 2 123456789ABC");
	rt(DNS_T_CDS, "0 0 0 00", "0000000000", NULL);
	rt(DNS_T_DLV, "12345 3 1 123456789abcdef67890123456789abcdef67890",
	   "30390301123456789ABCDEF67890123456789ABCDEF67890",
	   "12345 3 1 123456789ABCDEF67890123456789ABCDEF67890");
	rt(DNS_T_SSHFP, "2 1 123456789abcdef67890123456789abcdef67890",
	   "0201123456789ABCDEF67890123456789ABCDEF67890",
	   "2 1 123456789ABCDEF67890123456789ABCDEF67890");
	rt(DNS_T_TLSA, "3 1 1 0123456789abcdef", "0301010123456789ABCDEF",
	   "3 1 1 0123456789ABCDEF");
	rt(DNS_T_SMIMEA, "3 1 1 0123456789abcdef", "0301010123456789ABCDEF",
	   "3 1 1 0123456789ABCDEF");
	rt(DNS_T_RRSIG,
	   "A 5 3 86400 20030322173103 20030220173103 2642 example.com. "
	   "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTr PYGv07h108dUKGMeDPKijVCHX3DDKdfb"
	   "+v6o B9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3t GNazPwQKkRN20XPXV6nwwfoXmJQ"
	   "bsLNrLfkG J5D6fwFm8nN+6pBzeDQfsS3Ap3o=",
	   "00010503000151803E7C9DD73E5510D70A52076578616D706C6503636F6D00A09075"
	   "5BA58D1AFFA576F4375831B4310920E481218D18A9F164EB3D81AFD3B875D3C7542863"
	   "1E0CF2A28D50875F70C329D7DBFAFEA807DC1FBA1DC34C95D401F23F334CE63BFCF3F1"
	   "B5B44739E5F0EDED18D6B33F040A911376D173D757A9F0C1FA1798941BB0B36B2DF906"
	   "2790FA7F0166F2737EEA907378341FB12DC0A77A",
	   "A 5 3 86400 20030322173103 20030220173103 2642 example.com. "
	   "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb"
	   "+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQ"
	   "bsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=");
	/* plain integer times, the extremes of 32 bits, unknown type covered */
	rt(DNS_T_RRSIG, "TYPE65534 13 2 300 1 4294967295 1 . AAAA",
	   "FFFE0D020000012C00000001FFFFFFFF000100000000",
	   "TYPE65534 13 2 300 19700101000001 21060207062815 1 . AAAA");
	rt(DNS_T_RRSIG, "NSEC 13 2 300 20000229235959 19700101000000 1 . AAAA",
	   "002F0D020000012C38BC5D7F00000000000100000000", NULL);
	rt(DNS_T_NSEC, "host.Example.com. A MX RRSIG NSEC TYPE1234",
	   "04686F7374074578616D706C6503636F6D000006400100000003041B00000000000000"
	   "0000000000000000000000000000000000000020", NULL);
	rt(DNS_T_NSEC, ". A", "00000140", NULL);
	/* any order and duplicates in text; ascending in wire and output */
	rt(DNS_T_NSEC, ". NSEC A RRSIG a nsec", "000006400000000003",
	   ". A RRSIG NSEC");
	rt(DNS_T_NSEC, ". TYPE0 TYPE65535", "00 000180 FF20 000000000000000000000000000000"
	   "0000000000000000000000000000000001", NULL);
	rt(DNS_T_DNSKEY,
	   "256 3 5 AQPSKmynfzW4kyBv015MUG2DeIQ3 Cbl+BBZH4b/0PY1kxkmvHjcZc8no kfz"
	   "j31GajIQKY+5CptLr3buXA10h WqTkF7H6RfoRqXQeogmMHfpftf6z Mv1LyBUgia7za6Z"
	   "EzOJBOztyvhjL 742iU/TpPSEDhm2SNKLijfUppn1U aNvv4w==",
	   "010003050103D22A6CA77F35B893206FD35E4C506D8378843709B97E041647E1BFF4"
	   "3D8D64C649AF1E371973C9E891FCE3DF519A8C840A63EE42A6D2EBDDBB97035D215AA"
	   "4E417B1FA45FA11A9741EA2098C1DFA5FB5FEB332FD4BC8152089AEF36BA644CCE24"
	   "13B3B72BE18CBEF8DA253F4E93D2103866D9234A2E28DF529A67D5468DBEFE3",
	   "256 3 5 AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj3"
	   "1GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEz"
	   "OJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==");
	rt(DNS_T_CDNSKEY, "0 3 0 AA==", "0000030000", NULL);
	rt(DNS_T_DHCID, "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
	   "000201636FC0B8271C82825BB1AC5C41CF5351AA69B4FEBD94E8F17CDB95000DA48C"
	   "40", NULL);
	rt(DNS_T_NSEC3,
	   "1 0 5 6467b16f6f36ba4d 13k9b8dv58kcn28us3fc0lqa60jeadp0 A RRSIG",
	   "01000005086467B16F6F36BA4D1408E895A1BF2A28CB891EE0DEC0574A3026E537"
	   "200006400000000002",
	   "1 0 5 6467B16F6F36BA4D 13k9b8dv58kcn28us3fc0lqa60jeadp0 A RRSIG");
	/* empty salt, empty bitmap (an empty non-terminal), uppercase hash */
	rt(DNS_T_NSEC3, "1 1 0 - 13K9B8DV58KCN28US3FC0LQA60JEADP0",
	   "01010000001408E895A1BF2A28CB891EE0DEC0574A3026E53720",
	   "1 1 0 - 13k9b8dv58kcn28us3fc0lqa60jeadp0");
	rt(DNS_T_NSEC3PARAM, "1 0 5 6467b16f6f36ba4d", "01000005086467B16F6F36BA4D",
	   "1 0 5 6467B16F6F36BA4D");
	rt(DNS_T_NSEC3PARAM, "1 0 0 -", "0100000000", NULL);
	rt(DNS_T_OPENPGPKEY, "mQINBE1s81EBEACuJzGg", "99020D044D6CF351011000AE2731A0",
	   NULL);
	rt(DNS_T_CSYNC, "66 3 A NS AAAA", "000000420003000460000008", NULL);
	rt(DNS_T_CSYNC, "66 0", "00000042 0000", NULL);
	rt(DNS_T_ZONEMD,
	   "2018031900 1 1 c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9"
	   "a87153b9a9713b3c9ae5cc27777f98b8e730044c",
	   "7848B91C0101C68090D90A7AED716BC459F9340E3D7C1370D4D24B7E2FC3A1DDC0B9"
	   "A87153B9A9713B3C9AE5CC27777F98B8E730044C",
	   "2018031900 1 1 C68090D90A7AED716BC459F9340E3D7C1370D4D24B7E2FC3A1DDC0B9"
	   "A87153B9A9713B3C9AE5CC27777F98B8E730044C");
}

static void test_opaque_types(void **state)
{
	(void)state;
	rt(65280, "\\# 4 01020304", "01020304", NULL);
	rt(65280, "\\# 4 01 02 0304", "01020304", "\\# 4 01020304");
	rt(65280, "\\# 0", "", NULL);
	rt(DNS_T_OPT, "\\# 8 000A000401020304", "000A000401020304", NULL);
	rt(DNS_T_OPT, "\\# 0", "", NULL);
	rt(31 /* EID */, "\\# 5 0A00000106", "0A00000106", NULL);
	/* the generic form for a known type (RFC 3597 §5) */
	rt(DNS_T_A, "\\# 4 0A000001", "0A000001", "10.0.0.1");
	rt(DNS_T_MX, "\\# 3 000A00", "000A00", "10 .");
	text_err(DNS_T_MX, "\\# 4 000A0000", WARD_ERDATA);
	assert_false(dns_type_known(65280));
	assert_false(dns_type_known(DNS_T_OPT));
	assert_false(dns_type_known(DNS_T_NULL));
	assert_true(dns_type_known(DNS_T_SVCB));
	assert_true(dns_type_known(DNS_T_DLV));

	text_err(DNS_T_A, "\\# 3 0A0000", WARD_ERDATA);    /* valid for A? no */
	text_err(DNS_T_A, "\\# 5 0A00000102", WARD_ERDATA);
	text_err(DNS_T_A, "\\# 4 0A0000", WARD_ERDLEN);    /* says 4, has 3 */
	text_err(65280, "\\# 1", WARD_ERDLEN);
	text_err(65280, "\\# 0 00", WARD_ERDLEN);
	text_err(65280, "\\# 65536 00", WARD_ERANGE);
	text_err(65280, "\\# x 00", WARD_ESYNTAX);
	text_err(65280, "\\# 1 0", WARD_EHEX);
	text_err(65280, "\\#", WARD_EMISSING);
	text_err(65280, "01020304", WARD_ESYNTAX);          /* unknown: \# only */
	text_err(65280, "", WARD_EMISSING);
	text_err(DNS_T_OPT, "foo", WARD_ESYNTAX);
	text_err(DNS_T_NULL, "", WARD_EMISSING);
	text_err(DNS_T_MX, "\\# 3 000A00 extra", WARD_EHEX);
	text_err(DNS_T_OPT, "\\# 3 000A00", WARD_ERDATA);   /* bad option TLV */

	/* malformed wire of a known type prints in the generic form and says
	 * so; an empty base64 field cannot be written as text either */
	uint8_t bad[] = { 1, 2, 3 };
	strbuf sb = strbuf_init(text, sizeof text);
	assert_int_equal(dns_rdata_to_text(DNS_T_A, bad, 3, &sb), WARD_ERDATA);
	assert_string_equal(text, "\\# 3 010203");
	uint8_t nokey[] = { 1, 0, 3, 8 };
	sb = strbuf_init(text, sizeof text);
	assert_int_equal(dns_rdata_to_text(DNS_T_DNSKEY, nokey, 4, &sb), 0);
	assert_string_equal(text, "\\# 4 01000308");
	size_t len;
	assert_int_equal(from_text(DNS_T_DNSKEY, text, &len), 0);
	assert_int_equal(len, 4);
}

/* ---- field kinds: edge cases ---- */

static void test_numbers(void **state)
{
	(void)state;
	rt(DNS_T_MX, "65535 .", "FFFF00", NULL);
	rt(DNS_T_MX, "007 .", "000700", "7 .");
	text_err(DNS_T_MX, "65536 .", WARD_ERANGE);
	text_err(DNS_T_MX, "-1 .", WARD_ESYNTAX);
	text_err(DNS_T_MX, "+1 .", WARD_ESYNTAX);
	text_err(DNS_T_MX, "1a .", WARD_ESYNTAX);
	text_err(DNS_T_MX, "0x10 .", WARD_ESYNTAX);
	text_err(DNS_T_MX, "\"10\" .", WARD_ESYNTAX);
	text_err(DNS_T_SSHFP, "256 1 00", WARD_ERANGE);
	text_err(DNS_T_SOA, "a. b. 4294967296 1 1 1 1", WARD_ERANGE);
	text_err(DNS_T_SOA, "a. b. 99999999999999999999 1 1 1 1", WARD_ERANGE);
	text_err(DNS_T_SOA, "a. b. 1 1x 1 1 1", WARD_ESYNTAX);
	text_err(DNS_T_SOA, "a. b. 1 1h30 1 1 1", WARD_ESYNTAX);
	text_err(DNS_T_SOA, "a. b. 1 h 1 1 1", WARD_ESYNTAX);
	text_err(DNS_T_SOA, "a. b. 1 7102w 1 1 1", WARD_ERANGE);
	text_err(DNS_T_SOA, "a. b. 1h 1 1 1 1", WARD_ESYNTAX); /* serial: number */
	text_err(DNS_T_DS, "1 NOSUCHALG 1 00", WARD_ESYNTAX);
	text_err(DNS_T_DS, "1 256 1 00", WARD_ERANGE);
	rt(DNS_T_DS, "1 ed25519 1 00", "0001 0F 01 00", "1 15 1 00");
	text_err(DNS_T_CERT, "NOPE 1 1 AAAA", WARD_ESYNTAX);
	rt(DNS_T_CERT, "uri 1 1 AAAA", "00FD0001 01 000000", "URI 1 1 AAAA");
}

static void test_missing_and_trailing(void **state)
{
	(void)state;
	text_err(DNS_T_A, "", WARD_EMISSING);
	text_err(DNS_T_MX, "10", WARD_EMISSING);
	text_err(DNS_T_SOA, "a. b. 1 2 3 4", WARD_EMISSING);
	text_err(DNS_T_A, "1.2.3.4 5", WARD_ETRAILING);
	text_err(DNS_T_MX, "10 a. b.", WARD_ETRAILING);
	text_err(DNS_T_HINFO, "a", WARD_EMISSING);
	text_err(DNS_T_HINFO, "a b c", WARD_ETRAILING);
	text_err(DNS_T_ISDN, "a b c", WARD_ETRAILING);
	text_err(DNS_T_TXT, "", WARD_EMISSING);
	text_err(DNS_T_TXT, "   \t ", WARD_EMISSING);
	text_err(DNS_T_DS, "1 2 3", WARD_EMISSING);
	text_err(DNS_T_DNSKEY, "256 3 8", WARD_EMISSING);
	text_err(DNS_T_NSEC, "next.", WARD_EMISSING);     /* NSEC needs a type */
	text_err(DNS_T_CAA, "0 issue", WARD_EMISSING);
	text_err(DNS_T_URI, "1 1", WARD_EMISSING);
	/* blanks of every kind separate tokens */
	rt(DNS_T_MX, " \t10\r\n mx. ", "000A026D7800", "10 mx.");
}

static void test_strings(void **state)
{
	(void)state;
	char in[1200];
	char hex[1200];
	/* 255 octets is the maximum */
	memset(in, 0, sizeof in);
	in[0] = '"';
	memset(in + 1, 'a', 255);
	in[256] = '"';
	strcpy(hex, "FF");
	for (int i = 0; i < 255; i++)
		strcat(hex, "61");
	rt(DNS_T_TXT, in, hex, NULL);
	/* 256 is one too many; escapes count as one octet each */
	in[256] = 'a';
	in[257] = '"';
	text_err(DNS_T_TXT, in, WARD_ESTRLEN);
	/* 255 escapes are 255 octets */
	char out[300];
	memset(in, 0, sizeof in);
	for (int i = 0; i < 255; i++)
		strcat(in, "\\065");
	strcpy(hex, "FF");
	for (int i = 0; i < 255; i++)
		strcat(hex, "41");
	out[0] = '"';
	memset(out + 1, 'A', 255);
	strcpy(out + 256, "\"");
	rt(DNS_T_X25, in, hex, out);
	strcat(in, "\\065");
	text_err(DNS_T_X25, in, WARD_ESTRLEN);
}

static void test_strings_escapes(void **state)
{
	(void)state;
	rt(DNS_T_TXT, "\"\"", "00", NULL);
	rt(DNS_T_TXT, "\"\" \"\"", "0000", NULL);
	rt(DNS_T_TXT, "a\\\"b", "03612262", "\"a\\\"b\"");
	rt(DNS_T_TXT, "\"a\\\\\"", "02615C", NULL);
	rt(DNS_T_TXT, "\"\\255\\000\\009\"", "03FF0009", "\"\\255\\000\t\"");
	text_err(DNS_T_TXT, "\"\\256\"", WARD_EESCAPE);
	text_err(DNS_T_TXT, "\"\\25\"", WARD_EESCAPE);
	text_err(DNS_T_TXT, "\"\\2a5\"", WARD_EESCAPE);
	text_err(DNS_T_TXT, "a\\", WARD_EESCAPE);
	text_err(DNS_T_TXT, "\"abc", WARD_EQUOTE);
	text_err(DNS_T_TXT, "\"abc\\\"", WARD_EQUOTE);
	text_err(DNS_T_TXT, "\"a\"b", WARD_ESYNTAX);
	text_err(DNS_T_TXT, "\"a\"\\b", WARD_ESYNTAX);
	rt(DNS_T_TXT, "\"a\"\"b\"", "01610162", "\"a\" \"b\"");
	text_err(DNS_T_HINFO, "\"a\" \"b", WARD_EQUOTE);
	/* a quoted string keeps its blanks; an escaped blank joins a token */
	rt(DNS_T_TXT, "a\\ b \"c d\"", "03612062036320 64", "\"a b\" \"c d\"");
}

static void test_long_txt(void **state)
{
	(void)state;
	/* 257 strings of 255 octets: more than 65535 octets of rdata */
	static char in[300000];
	size_t o = 0;
	for (int s = 0; s < 257; s++) {
		in[o++] = '"';
		memset(in + o, 'x', 255);
		o += 255;
		in[o++] = '"';
		in[o++] = ' ';
	}
	in[o] = '\0';
	text_err(DNS_T_TXT, in, WARD_ELIMIT);
	/* exactly 65535 octets: 255 strings of 1+255 and one of 1+254 */
	o = 255 * 258;
	in[o++] = '"';
	memset(in + o, 'y', 254);
	o += 254;
	in[o++] = '"';
	in[o] = '\0';
	size_t len;
	assert_int_equal(from_text(DNS_T_TXT, in, &len), 0);
	assert_int_equal(len, 65535);
	assert_int_equal(dns_rdata_check(DNS_T_TXT, wire, len), 0);
	strbuf sb = strbuf_init(text, sizeof text);
	assert_int_equal(dns_rdata_to_text(DNS_T_TXT, wire, len, &sb), 0);
	assert_int_equal(sb.len, o);
	assert_memory_equal(text, in, o);
	dns_name o2 = origin();
	uint8_t small[10];
	assert_int_equal(dns_rdata_from_text(DNS_T_TXT, "\"abcdefghij\"", 12,
	                                     &o2, small, sizeof small, &len),
	                 WARD_ESPACE);
}

static void test_ipv4(void **state)
{
	(void)state;
	rt(DNS_T_A, "0.0.0.0", "00000000", NULL);
	rt(DNS_T_A, "255.255.255.255", "FFFFFFFF", NULL);
	static const char *bad[] = {
		"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1.2.3.04", "a.b.c.d",
		"1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4/24", "1234.1.1.1", "0x1.1.1.1",
		"\"1.2.3.4\"", "::1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		text_err(DNS_T_A, bad[i], i == 12 ? WARD_ESYNTAX : WARD_EADDR);
}

static void test_ipv6(void **state)
{
	(void)state;
	rt(DNS_T_AAAA, "::", "00000000000000000000000000000000", NULL);
	rt(DNS_T_AAAA, "::1", "00000000000000000000000000000001", NULL);
	rt(DNS_T_AAAA, "1::", "00010000000000000000000000000000", NULL);
	rt(DNS_T_AAAA, "::ffff:1.2.3.4", "00000000000000000000FFFF01020304",
	   NULL);
	rt(DNS_T_AAAA, "::FFFF:102:304", "00000000000000000000FFFF01020304",
	   "::ffff:1.2.3.4");
	rt(DNS_T_AAAA, "::1.2.3.4", "00000000000000000000000001020304", NULL);
	rt(DNS_T_AAAA, "1:0:0:1:0:0:0:1", "00010000000000010000000000000001",
	   "1:0:0:1::1");
	rt(DNS_T_AAAA, "1:0:0:1:1:0:0:1", "00010000000000010001000000000001",
	   "1::1:1:0:0:1");
	rt(DNS_T_AAAA, "1:2:3:4:5:6:7::", "00010002000300040005000600070000",
	   "1:2:3:4:5:6:7:0");
	rt(DNS_T_AAAA, "1:2:3:4:5:6:7:8", "00010002000300040005000600070008",
	   NULL);
	rt(DNS_T_AAAA, "2001:0DB8:0000:0000:0001:0000:0000:0001",
	   "20010DB8000000000001000000000001", "2001:db8::1:0:0:1");
	rt(DNS_T_AAAA, "2001:db8:122:344::192.0.2.33",
	   "20010DB80122034400000000C0000221", "2001:db8:122:344::c000:221");
	rt(DNS_T_AAAA, "1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304",
	   "1:2:3:4:5:6:102:304");
	static const char *bad[] = {
		":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
		"1:2:3:4:5:6:7", ":1::", "1:", ":", "", "1::2:3:4:5:6:7:8",
		"::1.2.3", "::1.2.3.4.5", "::ffff:1.2.3.256", "g::", "::1.2.3.4:1",
		"1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4", "::01.2.3.4", "-::",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len;
		int r = from_text(DNS_T_AAAA, bad[i], &len);
		if (r != (bad[i][0] ? WARD_EADDR : WARD_EMISSING))
			print_error("AAAA \"%s\" -> %d\n", bad[i], r);
		assert_int_equal(r, bad[i][0] ? WARD_EADDR : WARD_EMISSING);
	}
}

static void test_times(void **state)
{
	(void)state;
	const char *fmt = "A 8 1 1 %s 0 1 . AAAA";
	struct {
		const char *in;
		const char *hex; /* the expiration field */
		int err;
	} cases[] = {
		{ "19700101000000", "00000000", 0 },
		{ "20140207000000", "52F42200", 0 },
		{ "20000229120000", "38BBB4C0", 0 },     /* leap day */
		{ "21060207062815", "FFFFFFFF", 0 },     /* the last second */
		{ "21060207062816", NULL, WARD_ERANGE },
		{ "19691231235959", NULL, WARD_ERANGE },
		{ "20140230000000", NULL, WARD_ERANGE }, /* Feb 30 */
		{ "21000229000000", NULL, WARD_ERANGE }, /* 2100 is no leap year */
		{ "20141301000000", NULL, WARD_ERANGE },
		{ "20140100000000", NULL, WARD_ERANGE },
		{ "20140101240000", NULL, WARD_ERANGE },
		{ "20140101006000", NULL, WARD_ERANGE },
		{ "20140101000060", NULL, WARD_ERANGE },
		{ "2014010100000a", NULL, WARD_ESYNTAX },
		{ "2014020700000", NULL, WARD_ERANGE },  /* 13 digits: a number */
		{ "4294967296", NULL, WARD_ERANGE },
		{ "1391731200", "52F42200", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char in[128], hex[128];
		snprintf(in, sizeof in, fmt, cases[i].in);
		if (cases[i].err) {
			text_err(DNS_T_RRSIG, in, cases[i].err);
			continue;
		}
		snprintf(hex, sizeof hex, "0001 08 01 00000001 %s 00000000 0001 00 000000",
		         cases[i].hex);
		size_t len;
		assert_int_equal(from_text(DNS_T_RRSIG, in, &len), 0);
		size_t elen = unhex(hex, expect, sizeof expect);
		assert_int_equal(len, elen);
		assert_memory_equal(wire, expect, elen);
	}
	rt(DNS_T_RRSIG, "A 8 1 1 1391731200 0 1 . AAAA",
	   "0001 08 01 00000001 52F42200 00000000 0001 00 000000",
	   "A 8 1 1 20140207000000 19700101000000 1 . AAAA");
}

static void test_names_in_rdata(void **state)
{
	(void)state;
	char in[400];
	/* a 63-octet label is fine, 64 is not */
	snprintf(in, sizeof in, "10 %.63s.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	size_t len;
	assert_int_equal(from_text(DNS_T_MX, in, &len), 0);
	assert_int_equal(len, 2 + 1 + 63 + 1);
	snprintf(in, sizeof in, "10 %.64s.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	text_err(DNS_T_MX, in, WARD_ELABEL);
	text_err(DNS_T_MX, "10 a..b.", WARD_EEMPTYLABEL);
	text_err(DNS_T_MX, "10 \"quoted.\"", WARD_ESYNTAX);
	size_t l2;
	assert_int_equal(dns_rdata_from_text(DNS_T_NS, "rel", 3, NULL, wire,
	                                     sizeof wire, &l2), WARD_ENOORIGIN);
	rt(DNS_T_NS, "a\\.b.example.", "03612E62076578616D706C6500", NULL);
	rt(DNS_T_NS, "\\065\\032.", "024120 00", "A\\ .");
	/* wire: a name running past the rdata, a bad label type */
	wire_err(DNS_T_NS, "03616263", WARD_ERDLEN);
	wire_err(DNS_T_NS, "4161 00", WARD_ELABELTYPE);
	wire_err(DNS_T_MX, "000A", WARD_ERDLEN);
	wire_err(DNS_T_MX, "000A 00 00", WARD_ERDLEN);
	/* a compression pointer in uncompressed rdata */
	assert_int_equal(dns_rdata_check(DNS_T_NS, (const uint8_t *)"\xc0\x0c", 2),
	                 WARD_ECOMPRESS);
}

static void test_hexlen_b32(void **state)
{
	(void)state;
	char in[1200];
	/* salt of 255 octets is the maximum */
	strcpy(in, "1 0 0 ");
	for (int i = 0; i < 255; i++)
		strcat(in, "ab");
	size_t len;
	assert_int_equal(from_text(DNS_T_NSEC3PARAM, in, &len), 0);
	assert_int_equal(len, 5 + 255);
	strcat(in, "ab");
	text_err(DNS_T_NSEC3PARAM, in, WARD_ESTRLEN);
	text_err(DNS_T_NSEC3PARAM, "1 0 0 abc", WARD_EHEX);
	text_err(DNS_T_NSEC3PARAM, "1 0 0 ab cd", WARD_ETRAILING);
	text_err(DNS_T_NSEC3PARAM, "1 0 0 --", WARD_EHEX);
	text_err(DNS_T_NSEC3, "1 0 0 - - A", WARD_EBASE32);
	text_err(DNS_T_NSEC3, "1 0 0 - 13k9b8dv58kcn28us3fc0lqa60jead A",
	         WARD_EBASE32);
	text_err(DNS_T_NSEC3, "1 0 0 - 13k9b8dv58kcn28us3fc0lqa60jeadp0 BOGUS",
	         WARD_EUNKTYPE);
	text_err(DNS_T_NSEC3, "1 0 0 -", WARD_EMISSING);
	/* wire: a zero-length hash is malformed, a salt running past */
	wire_err(DNS_T_NSEC3, "01000000 00 00", WARD_ERDATA);
	wire_err(DNS_T_NSEC3PARAM, "01000000 05 0102", WARD_ERDLEN);
	wire_err(DNS_T_NSEC3PARAM, "01000000 00 FF", WARD_ERDLEN);
}

static void test_hex_b64_fields(void **state)
{
	(void)state;
	text_err(DNS_T_DS, "1 8 2 ABC", WARD_EHEX);
	text_err(DNS_T_DS, "1 8 2 AB\"CD\"", WARD_EHEX);
	text_err(DNS_T_DNSKEY, "256 3 8 AwEAAb8", WARD_EBASE64);
	text_err(DNS_T_DNSKEY, "256 3 8 AwEA Ab8", WARD_EBASE64);
	text_err(DNS_T_DNSKEY, "256 3 8 AwEA=Ab8s", WARD_EBASE64);
	rt(DNS_T_DNSKEY, "256 3 8 AwE AAb 8s", "0100030803010001BF2C",
	   "256 3 8 AwEAAb8s");
	/* empty digest / key on the wire: valid, printed in generic form */
	rt(DNS_T_DS, "\\# 4 00010802", "00010802", NULL);
	rt(DNS_T_DHCID, "\\# 0", "", NULL);
	rt(DNS_T_NSAP, "0x00", "00", NULL);
	text_err(DNS_T_NSAP, "0x", WARD_EHEX);
	text_err(DNS_T_NSAP, "0x0", WARD_EHEX);
	text_err(DNS_T_NSAP, "47000580", WARD_ESYNTAX);
	text_err(DNS_T_NSAP, "0x4g", WARD_EHEX);
	wire_err(DNS_T_NSAP, "", WARD_ERDATA);
}

static void test_eui_ilnp(void **state)
{
	(void)state;
	text_err(DNS_T_EUI48, "00-00-5e-90-01", WARD_ESYNTAX);
	text_err(DNS_T_EUI48, "00:00:5e:90:01:2a", WARD_ESYNTAX);
	text_err(DNS_T_EUI48, "00-00-5e-90-01-2g", WARD_ESYNTAX);
	text_err(DNS_T_EUI48, "0-00-5e-90-01-2a0", WARD_ESYNTAX);
	text_err(DNS_T_EUI64, "00-00-5e-90-01-2a", WARD_ESYNTAX);
	text_err(104, "10 0014:4fff:ff20", WARD_ESYNTAX);
	text_err(104, "10 0014:4fff:ff20:ee64:1", WARD_ESYNTAX);
	text_err(104, "10 00145:4fff:ff20:ee64", WARD_ESYNTAX);
	text_err(104, "10 0014::ff20:ee64", WARD_ESYNTAX);
	wire_err(DNS_T_EUI48, "00005E9001", WARD_ERDLEN);
	wire_err(DNS_T_EUI48, "00005E90012A00", WARD_ERDLEN);
}

static void test_caa(void **state)
{
	(void)state;
	rt(DNS_T_CAA, "0 iodef \"mailto:security@example.com\"",
	   "0005696F6465666D61696C746F3A7365637572697479406578616D706C652E636F6D",
	   NULL);
	rt(DNS_T_CAA, "0 issue ca.example.net", "0005697373756563612E6578616D706C"
	   "652E6E6574", "0 issue \"ca.example.net\"");
	rt(DNS_T_CAA, "2 auth \"0>09\\006\\010+\\006\\001\\004\\001\\214y\"",
	   "020461757468303E3039060A2B06010401D679",
	   "2 auth \"0>09\\006\\010+\\006\\001\\004\\001\\214y\"");
	text_err(DNS_T_CAA, "0 is-sue \"x\"", WARD_ESYNTAX);
	text_err(DNS_T_CAA, "0 \"\" \"x\"", WARD_ESYNTAX);
	text_err(DNS_T_CAA, "256 issue \"x\"", WARD_ERANGE);
	text_err(DNS_T_CAA, "0 issue \"x\" \"y\"", WARD_ETRAILING);
	wire_err(DNS_T_CAA, "00 00", WARD_ERDATA);          /* empty tag */
	wire_err(DNS_T_CAA, "00 02 692D", WARD_ERDATA);     /* '-' in the tag */
	wire_err(DNS_T_CAA, "00 05 6973", WARD_ERDLEN);
}

/* ---- type bitmaps (RFC 4034 §4.1.2) ---- */

static void test_bitmaps_wire(void **state)
{
	(void)state;
	/* NSEC "." then a bitmap */
	wire_err(DNS_T_NSEC, "00", WARD_ERDATA);                /* no bitmap */
	wire_err(DNS_T_NSEC, "00 00 00", WARD_ERDATA);          /* empty window */
	wire_err(DNS_T_NSEC, "00 00 01 00", WARD_ERDATA);       /* all zero */
	wire_err(DNS_T_NSEC, "00 00 02 40 00", WARD_ERDATA);    /* trailing 0 */
	wire_err(DNS_T_NSEC, "00 01 01 40 00 01 40", WARD_ERDATA); /* order */
	wire_err(DNS_T_NSEC, "00 00 01 40 00 01 40", WARD_ERDATA); /* repeat */
	char hex[400];
	strcpy(hex, "00 00 21 40");                            /* 33 octets */
	for (int i = 0; i < 32; i++)
		strcat(hex, "01");
	wire_err(DNS_T_NSEC, hex, WARD_ERDATA);
	wire_err(DNS_T_NSEC, "00 00 02 40", WARD_ERDATA);       /* short */
	wire_err(DNS_T_NSEC, "00 00", WARD_ERDATA);             /* no length */
	/* 32 octets is the maximum window, windows ascending is fine */
	strcpy(hex, "00 00 20 40");
	for (int i = 0; i < 30; i++)
		strcat(hex, "00");
	strcat(hex, "01 01 01 80 FF 20");
	for (int i = 0; i < 31; i++)
		strcat(hex, "00");
	strcat(hex, "01");
	rt(DNS_T_NSEC, ". A TYPE255 TYPE256 TYPE65535", hex,
	   ". A ANY URI TYPE65535");
	/* NSEC3 and CSYNC may have an empty bitmap, NSEC may not */
	assert_int_equal(dns_rdata_check(DNS_T_CSYNC,
	                 (const uint8_t *)"\0\0\0\1\0\0", 6), 0);
	wire_err(DNS_T_CSYNC, "00000001 0000 00 00", WARD_ERDATA);
	wire_err(DNS_T_NSEC3, "01000000 00 01 AA 00 00", WARD_ERDATA);
}

/* ---- SVCB / HTTPS (RFC 9460) ---- */

static void test_svcb(void **state)
{
	(void)state;
	/* RFC 9460 Appendix D.1, D.2 */
	rt(DNS_T_HTTPS, "0 foo.example.com.",
	   "0000 03666F6F076578616D706C6503636F6D00", NULL);
	rt(DNS_T_SVCB, "1 .", "0001 00", NULL);
	rt(DNS_T_SVCB, "16 foo.example.com. port=53",
	   "0010 03666F6F076578616D706C6503636F6D00 0003 0002 0035", NULL);
	rt(DNS_T_SVCB, "1 foo.example.com. key667=hello",
	   "0001 03666F6F076578616D706C6503636F6D00 029B 0005 68656C6C6F", NULL);
	rt(DNS_T_SVCB, "1 foo.example.com. key667=\"hello\\210qoo\"",
	   "0001 03666F6F076578616D706C6503636F6D00 029B 0009 68656C6C6FD2716F6F",
	   "1 foo.example.com. key667=hello\\210qoo");
	rt(DNS_T_SVCB, "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1\"",
	   "0001 03666F6F076578616D706C6503636F6D00 0006 0020"
	   "20010DB8000000000000000000000001 20010DB8000000000000000000530001",
	   "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1");
	rt(DNS_T_SVCB, "1 example.com. ipv6hint=\"2001:db8:122:344::192.0.2.33\"",
	   "0001 076578616D706C6503636F6D00 0006 0010"
	   "20010DB80122034400000000C0000221",
	   "1 example.com. ipv6hint=2001:db8:122:344::c000:221");
	rt(DNS_T_SVCB, "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn "
	   "ipv4hint=192.0.2.1",
	   "0010 03666F6F076578616D706C65036F726700"
	   "0000 0004 00010004 0001 0009 026832 0568332D3139 0004 0004 C0000201",
	   "16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2,h3-19 "
	   "ipv4hint=192.0.2.1");
	rt(DNS_T_SVCB, "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
	   "0010 03666F6F076578616D706C65036F726700"
	   "0001 000C 08665C6F6F2C626172 026832",
	   "16 foo.example.org. alpn=f\\\\\\\\oo\\\\,bar,h2");
	rt(DNS_T_SVCB, "16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2",
	   "0010 03666F6F076578616D706C65036F726700"
	   "0001 000C 08665C6F6F2C626172 026832",
	   "16 foo.example.org. alpn=f\\\\\\\\oo\\\\,bar,h2");
	/* every key, given out of order */
	rt(DNS_T_HTTPS, "1 . port=8443 alpn=h2,h3 ipv4hint=1.2.3.4,5.6.7.8 "
	   "ech=AEP+DQA= ipv6hint=::1,2001:db8::1 mandatory=alpn,port "
	   "no-default-alpn key65000=foo ohttp dohpath=/q{?dns}",
	   "0001 00 0000 0004 00010003 0001 0006 026832026833 0002 0000"
	   "0003 0002 20FB 0004 0008 0102030405060708 0005 0005 0043FE0D00"
	   "0006 0020 00000000000000000000000000000001"
	   "20010DB8000000000000000000000001 0007 0008 2F717B3F646E737D"
	   "0008 0000 FDE8 0003 666F6F",
	   "1 . mandatory=alpn,port alpn=h2,h3 no-default-alpn port=8443 "
	   "ipv4hint=1.2.3.4,5.6.7.8 ech=AEP+DQA= ipv6hint=::1,2001:db8::1 "
	   "dohpath=/q{?dns} ohttp key65000=foo");
	/* blanks inside values are quoted on output */
	rt(DNS_T_SVCB, "1 . alpn=\"h2,a b\" key123=\"a\\\"b\\\\c\\001d,e\"",
	   "0001 00 0001 0007 026832 03612062 007B 0009 6122625C6301642C65",
	   "1 . alpn=\"h2,a b\" key123=a\\\"b\\\\c\\001d,e");
	rt(DNS_T_SVCB, "1 . key123", "0001 00 007B 0000", NULL);
	rt(DNS_T_SVCB, "1 . key123=\"\"", "0001 00 007B 0000", "1 . key123");
	rt(DNS_T_SVCB, "1 . key0=key1 key1=h2", "0001 00 0000 0002 0001 "
	   "0001 0003 026832", "1 . mandatory=alpn alpn=h2");

	/* RFC 9460 Appendix D.3: failure cases */
	text_err(DNS_T_SVCB, "1 foo.example.com. key123=abc key123=def",
	         WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. mandatory", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. alpn", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. port", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. ipv4hint", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. ipv6hint", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. no-default-alpn=abc",
	         WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. mandatory=key123",
	         WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. mandatory=mandatory",
	         WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 foo.example.com. mandatory=key123,key123 "
	         "key123=abc", WARD_ESVCPARAM);
	/* more */
	text_err(DNS_T_SVCB, "1 . bogus=1", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . key65535=1", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . key065=1", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . ALPN=h2", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . alpn=h2,,h3", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . alpn=h2\\\\x", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . port=65536", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . port=80a", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . ipv4hint=1.2.3.4,", WARD_EADDR);
	text_err(DNS_T_SVCB, "1 . ipv6hint=1.2.3.4", WARD_EADDR);
	text_err(DNS_T_SVCB, "1 . ech=AEP", WARD_EBASE64);
	text_err(DNS_T_SVCB, "1 . alpn=\"h2", WARD_EQUOTE);
	text_err(DNS_T_SVCB, "1 . alpn=\"h2\"x", WARD_ESVCPARAM);
	text_err(DNS_T_SVCB, "1 . key1=\\256", WARD_EESCAPE);
	text_err(DNS_T_SVCB, "1", WARD_EMISSING);
	/* a pointer in the target is refused (RFC 9460 §2.2) */
	wire_err(DNS_T_SVCB, "0001 C00C", WARD_ECOMPRESS);
	/* wire: keys must ascend, values must fit their key */
	wire_err(DNS_T_SVCB, "0001 00 0003 0002 0035 0001 0003 026832",
	         WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0003 0002 0035 0003 0002 0035", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0003 0001 35", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0004 0003 010203", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0006 0004 01020304", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0001 0000", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0001 0001 00", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0001 0003 03 6832", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0002 0001 00", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0000 0002 0003", WARD_ERDATA); /* absent */
	wire_err(DNS_T_SVCB, "0001 00 0000 0000", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0000 0004 0003 0003 0003 0002 0035",
	         WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 FFFF 0000", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 0003 0002 00", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001 00 00", WARD_ERDATA);
	wire_err(DNS_T_SVCB, "0001", WARD_ERDLEN);
}

/* ---- wire: lengths, truncation, decompression ---- */

static void test_rdlen(void **state)
{
	(void)state;
	wire_err(DNS_T_A, "0A0000", WARD_ERDLEN);
	wire_err(DNS_T_A, "0A00000101", WARD_ERDLEN);
	wire_err(DNS_T_AAAA, "00", WARD_ERDLEN);
	wire_err(DNS_T_SOA, "00 00 00000001 00000002", WARD_ERDLEN);
	wire_err(DNS_T_TXT, "", WARD_ERDATA);                 /* no string */
	wire_err(DNS_T_TXT, "0361", WARD_ERDLEN);             /* runs past */
	wire_err(DNS_T_TXT, "0161 05", WARD_ERDLEN);
	wire_err(DNS_T_HINFO, "0161", WARD_ERDLEN);
	wire_err(DNS_T_HINFO, "0161 0162 00", WARD_ERDLEN);
	wire_err(DNS_T_DS, "0001 08", WARD_ERDLEN);
	wire_err(DNS_T_OPT, "000A 0004 0102", WARD_ERDATA);
	assert_int_equal(dns_rdata_check(DNS_T_TXT, wire, 65536), WARD_ERDLEN);

	/* the message ends before RDLENGTH does */
	uint8_t m[16] = { 0 };
	wire_rd rd = wire_rd_init(m, 14);
	rd.pos = 12;
	size_t len;
	assert_int_equal(dns_rdata_unpack(&rd, DNS_T_A, 4, unpacked,
	                                  sizeof unpacked, &len), WARD_ETRUNC);
	assert_int_equal(rd.err, WARD_ETRUNC);
	/* a sticky error stays */
	assert_int_equal(dns_rdata_unpack(&rd, DNS_T_A, 0, unpacked,
	                                  sizeof unpacked, &len), WARD_ETRUNC);
	/* output too small */
	memcpy(m + 12, "\x0a\0\0\x01", 4);
	rd = wire_rd_init(m, 16);
	rd.pos = 12;
	assert_int_equal(dns_rdata_unpack(&rd, DNS_T_A, 4, unpacked, 3, &len),
	                 WARD_ESPACE);
	/* rdata bounded by rdlen even when the message goes on */
	rd = wire_rd_init(m, 16);
	rd.pos = 12;
	assert_int_equal(dns_rdata_unpack(&rd, DNS_T_NS, 2, unpacked,
	                                  sizeof unpacked, &len), WARD_ERDLEN);
}

/* A message: header, "example.com." at 12, then rdata at 25. */
static size_t build_msg(const char *rdhex)
{
	memset(msg, 0, 12);
	size_t n = unhex("076578616D706C6503636F6D00", msg + 12, 64);
	return 12 + n + unhex(rdhex, msg + 12 + n, sizeof msg - 12 - n);
}

static int unpack_at25(uint16_t type, const char *rdhex, size_t *len)
{
	size_t total = build_msg(rdhex);
	wire_rd rd = wire_rd_init(msg, total);
	rd.pos = 25;
	int r = dns_rdata_unpack(&rd, type, (uint16_t)(total - 25), unpacked,
	                         sizeof unpacked, len);
	if (r == 0)
		assert_int_equal(rd.pos, total);
	return r;
}

static void test_decompression(void **state)
{
	(void)state;
	size_t len;
	static const uint8_t mail[] = "\x00\x0a\x04mail\x07""example\x03""com";
	/* MX 10 mail.<ptr 12> */
	assert_int_equal(unpack_at25(DNS_T_MX, "000A 046D61696C C00C", &len), 0);
	assert_int_equal(len, sizeof mail);
	assert_memory_equal(unpacked, mail, sizeof mail);
	/* types where RFC 3597 §4 (or practice) allows a pointer */
	static const uint16_t ok[] = { DNS_T_NS, DNS_T_CNAME, DNS_T_PTR, DNS_T_MB,
	                               DNS_T_MG, DNS_T_MR, DNS_T_MD, DNS_T_MF,
	                               DNS_T_DNAME };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(unpack_at25(ok[i], "C00C", &len), 0);
		assert_int_equal(len, 13);
	}
	assert_int_equal(unpack_at25(DNS_T_SOA, "C00C C00C 00000001 00000002 "
	                             "00000003 00000004 00000005", &len), 0);
	assert_int_equal(len, 13 + 13 + 20);
	assert_int_equal(unpack_at25(DNS_T_SRV, "0000 0001 0002 C00C", &len), 0);
	assert_int_equal(unpack_at25(DNS_T_RP, "C00C C00C", &len), 0);
	assert_int_equal(unpack_at25(DNS_T_NAPTR, "0001 0002 00 00 00 C00C",
	                             &len), 0);
	assert_int_equal(unpack_at25(DNS_T_RRSIG, "0001 08 02 00000E10 00000002 "
	                             "00000001 0003 C00C 0000", &len), 0);
	assert_int_equal(len, 18 + 13 + 2);
	assert_int_equal(unpack_at25(DNS_T_NSEC, "C00C 000140", &len), 0);
	/* types that must not carry pointers */
	assert_int_equal(unpack_at25(DNS_T_SVCB, "0001 C00C", &len),
	                 WARD_ECOMPRESS);
	assert_int_equal(unpack_at25(107 /* LP */, "0001 C00C", &len),
	                 WARD_ECOMPRESS);
	assert_int_equal(unpack_at25(58 /* TALINK */, "C00C 00", &len),
	                 WARD_ECOMPRESS);
	/* an unknown type is opaque: "C00C" is just two octets */
	assert_int_equal(unpack_at25(65280, "C00C", &len), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(unpacked, "\xc0\x0c", 2);
	/* a pointer forward or to itself */
	assert_int_equal(unpack_at25(DNS_T_NS, "C019", &len), WARD_EPTRFWD);
	assert_int_equal(unpack_at25(DNS_T_NS, "C01B", &len), WARD_EPTRFWD);
	/* a pointer at the last octet of the rdata */
	assert_int_equal(unpack_at25(DNS_T_NS, "C0", &len), WARD_ERDLEN);
	/* pointed-to name followed by trailing octets in the rdata */
	assert_int_equal(unpack_at25(DNS_T_NS, "C00C 00", &len), WARD_ERDLEN);
}

static void test_pack_compression(void **state)
{
	(void)state;
	uint8_t out[256];
	dns_compress c;
	dns_name owner;
	size_t len;
	assert_int_equal(dns_name_from_text(&owner, "example.com.", 12, NULL), 0);

	/* NS: compressed against the owner */
	wire_wr w = wire_wr_init(out, sizeof out);
	dns_compress_init(&c);
	dns_name_write_compressed(&w, &owner, &c);
	size_t at = w.pos;
	assert_int_equal(from_text(DNS_T_NS, "ns.example.com.", &len), 0);
	dns_rdata_pack(&w, DNS_T_NS, wire, len, &c);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.pos - at, 5);
	assert_memory_equal(out + at, "\x02ns\xc0\x00", 5);
	/* SRV (not an RFC 1035 type): written out in full */
	at = w.pos;
	assert_int_equal(from_text(DNS_T_SRV, "1 2 3 example.com.", &len), 0);
	dns_rdata_pack(&w, DNS_T_SRV, wire, len, &c);
	assert_int_equal(w.pos - at, len);
	assert_memory_equal(out + at, wire, len);
	/* SOA: both names compressed, numbers copied */
	at = w.pos;
	size_t soa_at = at;
	assert_int_equal(from_text(DNS_T_SOA, "example.com. h.example.com. 1 2 3 4 5",
	                           &len), 0);
	dns_rdata_pack(&w, DNS_T_SOA, wire, len, &c);
	assert_int_equal(w.pos - at, 2 + 4 + 20);
	assert_memory_equal(out + at, "\xc0\x00\x01h\xc0\x00", 6);
	/* without a table: verbatim */
	at = w.pos;
	dns_rdata_pack(&w, DNS_T_SOA, wire, len, NULL);
	assert_int_equal(w.pos - at, len);
	/* and the compressed form unpacks to the same rdata */
	wire_rd rd = wire_rd_init(out, w.pos);
	rd.pos = soa_at;
	size_t ulen;
	assert_int_equal(dns_rdata_unpack(&rd, DNS_T_SOA, 26, unpacked,
	                                  sizeof unpacked, &ulen), 0);
	assert_int_equal(ulen, len);
	assert_memory_equal(unpacked, wire, len);
}

static void test_canonicalize(void **state)
{
	(void)state;
	size_t len;
	struct {
		uint16_t type;
		const char *in;
		const char *out; /* after dns_rdata_canonicalize */
	} cases[] = {
		{ DNS_T_MX, "10 MAIL.Example.", "10 mail.example." },
		{ DNS_T_SOA, "NS.X. Host.X. 1 2 3 4 5", "ns.x. host.x. 1 2 3 4 5" },
		{ DNS_T_RRSIG, "A 8 1 1 1 1 1 EXAMPLE. AAAA",
		  "A 8 1 1 19700101000001 19700101000001 1 example. AAAA" },
		{ DNS_T_SRV, "1 1 1 SRV.X.", "1 1 1 srv.x." },
		{ DNS_T_NAPTR, "1 1 \"A\" \"B\" \"C\" R.X.",
		  "1 1 \"A\" \"B\" \"C\" r.x." },
		{ DNS_T_DNAME, "T.X.", "t.x." },
		{ DNS_T_PX, "1 A.X. B.X.", "1 a.x. b.x." },
		/* RFC 6840 §5.1: NSEC next name keeps its case */
		{ DNS_T_NSEC, "NEXT.X. A", "NEXT.X. A" },
		/* types from after RFC 4034: no lowercasing */
		{ DNS_T_SVCB, "1 TARGET.X.", "1 TARGET.X." },
		{ DNS_T_TXT, "\"ABC\"", "\"ABC\"" },
		{ DNS_T_HINFO, "\"A\" \"B\"", "\"A\" \"B\"" },
		{ DNS_T_CAA, "0 ISSUE \"CA.X\"", "0 ISSUE \"CA.X\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(from_text(cases[i].type, cases[i].in, &len), 0);
		dns_rdata_canonicalize(cases[i].type, wire, len);
		strbuf sb = strbuf_init(text, sizeof text);
		assert_int_equal(dns_rdata_to_text(cases[i].type, wire, len, &sb), 0);
		assert_string_equal(text, cases[i].out);
	}
	/* malformed rdata is left alone, no overrun */
	uint8_t bad[] = { 0, 10, 5, 'A', 'B' };
	dns_rdata_canonicalize(DNS_T_MX, bad, sizeof bad);
	assert_memory_equal(bad, "\0\x0a\x05" "AB", 5);
}

/* The older layouts, checked against what ldns makes of them
 * (test_ldnsrr.c3-c5) and the examples of their RFCs. */
static void test_legacy_types(void **state)
{
	(void)state;
	/* WKS (RFC 1035 §3.4.2) */
	rt(DNS_T_WKS, "10.0.0.1 tcp 0 1 2 21 23 24 26 33 34",
	   "0A000001 06 E00005A060", NULL);
	rt(DNS_T_WKS, "192.168.1.2 TCP domain 25 22 123",
	   "C0A80102 06 00000240000004000000000000000010",
	   "192.168.1.2 tcp 22 25 53 123");
	rt(DNS_T_WKS, "10.0.0.1 udp 0 1 2 domain", "0A000001 11 E0000000000004",
	   "10.0.0.1 udp 0 1 2 53");
	rt(DNS_T_WKS, "10.0.0.1 132", "0A000001 84", NULL);
	/* the highest port: a bitmap of 8192 octets */
	static char big[20000];
	char *bp = big + sprintf(big, "0A000001 06 ");
	for (int i = 0; i < 8191; i++)
		bp += sprintf(bp, "00");
	strcpy(bp, "01");
	rt(DNS_T_WKS, "10.0.0.1 6 65535", big, "10.0.0.1 tcp 65535");
	text_err(DNS_T_WKS, "10.0.0.1 tcp 65536", WARD_ERANGE);
	text_err(DNS_T_WKS, "10.0.0.1 tcp nosuchservice", WARD_ESYNTAX);
	text_err(DNS_T_WKS, "10.0.0.1 sctp 1", WARD_ESYNTAX);
	/* trailing zero octets are valid but would not survive text */
	rt(DNS_T_WKS, "\\# 6 0A0000010600", "0A0000010600", NULL);
	wire_err(DNS_T_WKS, "0A0000", WARD_ERDLEN);

	/* GPOS (RFC 1712), printed bare as ldns does */
	rt(27, "23.67 23.67 23.67", "0532332E3637 0532332E3637 0532332E3637",
	   NULL);
	rt(27, "\"-32.6882\" \"116.8652\" \"10.0\"",
	   "082D33322E36383832 083131362E38363532 0431302E30",
	   "-32.6882 116.8652 10.0");
	text_err(27, "1 2 north", WARD_ESYNTAX);
	rt(27, "\\# 6 0131 0132 0141", "013101320141", "\\# 6 013101320141");

	/* LOC (RFC 1876) */
	rt(DNS_T_LOC, "42 21 54.5 N 71 06 18.3 W -24m 30m",
	   "0033161389172FC470BE14C400988D20",
	   "42 21 54.500 N 71 06 18.300 W -24m 30m 10000m 10m");
	rt(DNS_T_LOC, "42N 71 06 18.3W -24m 30m",
	   "003316138903210070BE14C400988D20",
	   "42 00 00.000 N 71 06 18.300 W -24m 30m 10000m 10m");
	rt(DNS_T_LOC, "12 45 52.333 N 105 40 33.452 W -24m 0.1m 0.1m 0.1m",
	   "0011111182BD2D4D69530BD400988D20",
	   "12 45 52.333 N 105 40 33.452 W -24m 0.10m 0.10m 0.10m");
	rt(DNS_T_LOC, "40 00 00.000 S 105 00 00.000 E -9978.85m 1m 10000m 1m",
	   "00121612776ABC009687D28000895C83", NULL);
	rt(DNS_T_LOC, "90 0 0.000 S 180 0 0.000 E 42849672.91m 9000000m "
	   "9000000m 9000000m", "009898986CB02700A69FB200FFFFFFFB",
	   "90 00 00.000 S 180 00 00.000 E 42849672.91m 9000000m 9000000m "
	   "9000000m");
	rt(DNS_T_LOC, "0 0 0 N 0 0 0 E -0.5m 0m 0.05m 90000000m",
	   "00 00 50 99 80000000 80000000 0098964E",
	   "00 00 00.000 S 00 00 00.000 W -0.50m 0.00m 0.05m 90000000m");
	text_err(DNS_T_LOC, "91 N 0 E 0m", WARD_ERANGE);
	text_err(DNS_T_LOC, "90 1 N 0 E 0m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 60 N 0 E 0m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 0 60 N 0 E 0m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 0 1.2345 N 0 E 0m", WARD_ESYNTAX);
	text_err(DNS_T_LOC, "0 N 181 E 0m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 E 0 N 0m", WARD_ESYNTAX);
	text_err(DNS_T_LOC, "0 1 2 3 N 0 E 0m", WARD_ESYNTAX);
	text_err(DNS_T_LOC, "0 N 0 E", WARD_EMISSING);
	text_err(DNS_T_LOC, "0 N", WARD_EMISSING);
	text_err(DNS_T_LOC, "0 N 0 E -100000.01m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 N 0 E 42849672.96m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 N 0 E 1.234m", WARD_ESYNTAX);
	text_err(DNS_T_LOC, "0 N 0 E 0m 90000000.01m", WARD_ERANGE);
	text_err(DNS_T_LOC, "0 N 0 E 0m 1m 1m 1m 1m", WARD_ETRAILING);
	wire_err(DNS_T_LOC, "00 12161389172FC470BE14C400988D", WARD_ERDATA);
	wire_err(DNS_T_LOC, "", WARD_ERDATA);
	/* another version, or bad precision nibbles: generic text */
	rt(DNS_T_LOC, "\\# 3 010203", "010203", NULL);
	rt(DNS_T_LOC, "\\# 16 00A1161389172FC470BE14C400988D20",
	   "00A1161389172FC470BE14C400988D20", NULL);

	/* APL (RFC 3123 §4, §5) */
	rt(DNS_T_APL, "1:192.168.32.0/21 !1:192.168.38.0/28",
	   "00011503C0A82000011C83C0A826", NULL);
	rt(DNS_T_APL, "1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8", "00010401E000020801FF",
	   "1:224.0.0.0/4 2:ff00:0000:0000:0000:0000:0000:0000:0000/8");
	rt(DNS_T_APL, "1:0.0.0.0/0", "00010000", NULL);
	rt(DNS_T_APL, "", "", NULL);
	text_err(DNS_T_APL, "3:1.2.3.4/8", WARD_ESYNTAX);
	text_err(DNS_T_APL, "1:1.2.3.4/33", WARD_ERANGE);
	text_err(DNS_T_APL, "1:1.2.3.4", WARD_ESYNTAX);
	text_err(DNS_T_APL, "1.2.3.4/8", WARD_ESYNTAX);
	text_err(DNS_T_APL, "2:1.2.3.4/8", WARD_EADDR);
	wire_err(DNS_T_APL, "0001 20 05 0102030405", WARD_ERDATA);
	wire_err(DNS_T_APL, "0001 21 04 01020304", WARD_ERDATA);
	wire_err(DNS_T_APL, "0001 20 04 010203", WARD_ERDATA);
	rt(DNS_T_APL, "\\# 6 0001 08 02 0A00", "000108020A00",
	   "\\# 6 000108020A00");

	/* ATMA */
	rt(34, "39.246f.00.0e7c9c.0312.0001.0001.000012345678.00",
	   "0039246F000E7C9C03120001000100001234567800",
	   "39246F000E7C9C03120001000100001234567800");
	rt(34, "+1.908.555.1212", "013139303835353531323132", "+19085551212");
	text_err(34, "+1-908", WARD_ESYNTAX);
	text_err(34, "+", WARD_ESYNTAX);
	text_err(34, "39.2", WARD_EHEX);
	rt(34, "\\# 2 0241", "0241", NULL);

	/* IPSECKEY (RFC 4025 §3.3 examples) */
	rt(DNS_T_IPSECKEY, "10 1 2 192.0.2.38 "
	   "AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	   "0A0102C0000226010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81"
	   "BA3A0521AF82AB7801", NULL);
	rt(DNS_T_IPSECKEY, "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	   "0A0002010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF"
	   "82AB7801", NULL);
	rt(DNS_T_IPSECKEY, "10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usn"
	   "tb102uFJtugbo6BSGvgqt4AQ==",
	   "0A0302096D7967617465776179076578616D706C6503636F6D00010351537986ED"
	   "35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801", NULL);
	rt(DNS_T_IPSECKEY, "10 2 2 2001:0DB8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47u"
	   "sntb102uFJtugbo6BSGvgqt4AQ==",
	   "0A020220010DB8000080020000000020000001010351537986ED35533B6064478E"
	   "EEB27B5BD74DAE149B6E81BA3A0521AF82AB7801",
	   "10 2 2 2001:db8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6"
	   "BSGvgqt4AQ==");
	rt(DNS_T_IPSECKEY, "10 1 0 192.0.2.38", "0A0100C0000226", NULL);
	text_err(DNS_T_IPSECKEY, "10 4 2 x AAAA", WARD_ERANGE);
	text_err(DNS_T_IPSECKEY, "10 0 2 x. AAAA", WARD_ESYNTAX);
	text_err(DNS_T_IPSECKEY, "10 1 2 ::1 AAAA", WARD_EADDR);
	wire_err(DNS_T_IPSECKEY, "0A 04 02 00", WARD_ERDATA);
	wire_err(DNS_T_IPSECKEY, "0A 01 02 C00002", WARD_ERDLEN);
	wire_err(DNS_T_IPSECKEY, "0A 03 02 C00C", WARD_ECOMPRESS);

	/* HIP (RFC 8005 §6 example, as in test_ldnsrr.4) */
	rt(DNS_T_HIP, "2 200100107B1A74DF365639CC39F1D578 "
	   "AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs.example.com.",
	   "10020084200100107B1A74DF365639CC39F1D57803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC10904DDB56B2EC4A6D6232F3B50EA094F0914B3B941BBE529AF582C36BBADEFDAF2ADAF9B4911906F5B2522603C615272B880EC8FB930CC6EE39C444DAA75B1678F005A4B2499D1DA5433F805C7A5AD3237ACC5DD5C5E43"
	   "03727673076578616D706C6503636F6D00", NULL);
	rt(DNS_T_HIP, "2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D",
	   "10020084200100107B1A74DF365639CC39F1D57803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC10904DDB56B2EC4A6D6232F3B50EA094F0914B3B941BBE529AF582C36BBADEFDAF2ADAF9B4911906F5B2522603C615272B880EC8FB930CC6EE39C444DAA75B1678F005A4B2499D1DA5433F805C7A5AD3237ACC5DD5C5E43", NULL);
	rt(DNS_T_HIP, "2 200100107b1a74df365639cc39f1d578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D "
	   "rvs1.example.com. rvs2",
	   "10020084200100107B1A74DF365639CC39F1D57803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC10904DDB56B2EC4A6D6232F3B50EA094F0914B3B941BBE529AF582C36BBADEFDAF2ADAF9B4911906F5B2522603C615272B880EC8FB930CC6EE39C444DAA75B1678F005A4B2499D1DA5433F805C7A5AD3237ACC5DD5C5E43"
	   "0472767331076578616D706C6503636F6D00 0472767332076578616D706C6500",
	   "2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D "
	   "rvs1.example.com. rvs2.example.");
	text_err(DNS_T_HIP, "2 XYZ AAAA", WARD_EHEX);
	text_err(DNS_T_HIP, "2 00", WARD_EMISSING);
	wire_err(DNS_T_HIP, "00 02 0001 00", WARD_ERDATA);       /* no HIT */
	wire_err(DNS_T_HIP, "01 02 0002 AA BB", WARD_ERDLEN);
	wire_err(DNS_T_HIP, "01 02 0001 AA BB C00C", WARD_ECOMPRESS);

	/* TSIG (RFC 8945 §4.2), as in test_ldnsrr.5 */
	rt(DNS_T_TSIG, "hmac-md5.sig-alg.reg.int. 1480584899 300 16 "
	   "lkEJsjwBeAdfv9RGs6zZrg== 15355 NOERROR 0",
	   "08686D61632D6D6435077369672D616C670372656703696E7400 0000583FEEC3"
	   "012C 0010 964109B23C0178075FBFD446B3ACD9AE 3BFB 0000 0000", NULL);
	rt(DNS_T_TSIG, "hmac-md5.sig-alg.reg.int. 1480585449 300 0  59692 BADSIG 0",
	   "08686D61632D6D6435077369672D616C670372656703696E7400 0000583FF0E9"
	   "012C 0000 E92C 0010 0000",
	   "hmac-md5.sig-alg.reg.int. 1480585449 300 0 59692 BADSIG 0");
	rt(DNS_T_TSIG, "hmac-sha256. 281474976710655 300 0 1 18 6 AAAAAAAA",
	   "0B686D61632D73686132353600 FFFFFFFFFFFF 012C 0000 0001 0012 0006 "
	   "000000000000", "hmac-sha256. 281474976710655 300 0 1 BADTIME 6 "
	   "AAAAAAAA");
	text_err(DNS_T_TSIG, "hmac-sha256. 281474976710656 300 0 1 0 0",
	         WARD_ERANGE);
	text_err(DNS_T_TSIG, "hmac-sha256. 1 300 2 AAAAAAAA 1 0 0", WARD_ERDLEN);
	text_err(DNS_T_TSIG, "hmac-sha256. 1 300 0 1 NOPE 0", WARD_ESYNTAX);
	/* TKEY (RFC 2930 §2) */
	rt(DNS_T_TKEY, "gss-tsig. 20200101000000 20200102000000 3 NOERROR 4 "
	   "AQIDBA== 0",
	   "086773732D7473696700 5E0BE100 5E0D3280 0003 0000 0004 01020304 0000",
	   NULL);

	/* NXT (RFC 2535 §5.2) */
	rt(DNS_T_NXT, "medium.foo.tld. A MX SIG NXT",
	   "066D656469756D03666F6F03746C6400 40010082", NULL);
	rt(DNS_T_NXT, "Next. TYPE127", "044E65787400 0000000000000000000000000000"
	   "0001", "Next. TYPE127");
	rt(DNS_T_NXT, "next.", "046E65787400", NULL);
	text_err(DNS_T_NXT, "next. TYPE128", WARD_ERANGE);
	text_err(DNS_T_NXT, "next. TYPE0", WARD_ERANGE);
	wire_err(DNS_T_NXT, "00 80", WARD_ERDATA);
	wire_err(DNS_T_NXT, "00 4000000000000000000000000000000001", WARD_ERDATA);
	size_t len;
	assert_int_equal(from_text(DNS_T_NXT, "NEXT. A", &len), 0);
	dns_rdata_canonicalize(DNS_T_NXT, wire, len);
	assert_memory_equal(wire, "\x04next\x00\x40", 7);
}

static void test_type_class_mnemonics(void **state)
{
	(void)state;
	char buf[16];
	uint16_t v;
	assert_string_equal(dns_type_str(DNS_T_A, buf), "A");
	assert_string_equal(dns_type_str(23, buf), "NSAP-PTR");
	assert_string_equal(dns_type_str(DNS_T_NSEC3PARAM, buf), "NSEC3PARAM");
	assert_string_equal(dns_type_str(DNS_T_DLV, buf), "DLV");
	assert_string_equal(dns_type_str(56, buf), "TYPE56");   /* as ldns */
	assert_string_equal(dns_type_str(65535, buf), "TYPE65535");
	assert_string_equal(dns_type_str(0, buf), "TYPE0");
	assert_int_equal(dns_type_from_text("aaaa", 4, &v), 0);
	assert_int_equal(v, DNS_T_AAAA);
	assert_int_equal(dns_type_from_text("NSAP-PTR", 8, &v), 0);
	assert_int_equal(v, 23);
	assert_int_equal(dns_type_from_text("TYPE65280", 9, &v), 0);
	assert_int_equal(v, 65280);
	assert_int_equal(dns_type_from_text("type1", 5, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(dns_type_from_text("TYPE65536", 9, &v), WARD_ERANGE);
	assert_int_equal(dns_type_from_text("TYPE", 4, &v), WARD_EUNKTYPE);
	assert_int_equal(dns_type_from_text("TYPE1x", 6, &v), WARD_EUNKTYPE);
	assert_int_equal(dns_type_from_text("BOGUS", 5, &v), WARD_EUNKTYPE);
	assert_int_equal(dns_type_from_text("AA", 2, &v), WARD_EUNKTYPE);
	assert_int_equal(dns_type_from_text("AAAAA", 5, &v), WARD_EUNKTYPE);
	assert_int_equal(dns_type_from_text("", 0, &v), WARD_EUNKTYPE);
	assert_string_equal(dns_class_str(DNS_C_IN, buf), "IN");
	assert_string_equal(dns_class_str(DNS_C_CH, buf), "CH");
	assert_string_equal(dns_class_str(2, buf), "CLASS2");
	assert_int_equal(dns_class_from_text("any", 3, &v), 0);
	assert_int_equal(v, DNS_C_ANY);
	assert_int_equal(dns_class_from_text("CLASS65535", 10, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(dns_class_from_text("IX", 2, &v), WARD_EUNKCLASS);
	/* every printed mnemonic parses back to its number */
	for (uint32_t t = 0; t <= 65535; t++) {
		strbuf sb = strbuf_init(buf, sizeof buf);
		dns_type_to_text((uint16_t)t, &sb);
		assert_int_equal(sb.err, 0);
		assert_int_equal(dns_type_from_text(buf, sb.len, &v), 0);
		assert_int_equal(v, t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1035_types),
		cmocka_unit_test(test_rfc1183_and_legacy_types),
		cmocka_unit_test(test_dnssec_types),
		cmocka_unit_test(test_opaque_types),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_missing_and_trailing),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strings_escapes),
		cmocka_unit_test(test_long_txt),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_names_in_rdata),
		cmocka_unit_test(test_hexlen_b32),
		cmocka_unit_test(test_hex_b64_fields),
		cmocka_unit_test(test_eui_ilnp),
		cmocka_unit_test(test_caa),
		cmocka_unit_test(test_bitmaps_wire),
		cmocka_unit_test(test_svcb),
		cmocka_unit_test(test_rdlen),
		cmocka_unit_test(test_decompression),
		cmocka_unit_test(test_pack_compression),
		cmocka_unit_test(test_canonicalize),
		cmocka_unit_test(test_legacy_types),
		cmocka_unit_test(test_type_class_mnemonics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
