#include "error.h"

const char *ward_strerror(int err)
{
	switch ((enum ward_err)err) {
	case WARD_OK: return "success";
	case WARD_ENOMEM: return "out of memory";
	case WARD_EINVAL: return "invalid argument";
	case WARD_ESPACE: return "output buffer too small";
	case WARD_EIO: return "I/O error";
	case WARD_ENOTFOUND: return "not found";
	case WARD_ELIMIT: return "work or size limit reached";
	case WARD_ENOTSUP: return "not supported";
	case WARD_ETRUNC: return "input truncated";
	case WARD_ELABEL: return "label longer than 63 octets";
	case WARD_ENAMELEN: return "name longer than 255 octets";
	case WARD_EPTRFWD: return "compression pointer does not point backwards";
	case WARD_EPTRLOOP: return "too many compression pointers (loop)";
	case WARD_ELABELTYPE: return "reserved label type";
	case WARD_ECOMPRESS: return "compression pointer not allowed here";
	case WARD_ERDATA: return "malformed rdata";
	case WARD_ERDLEN: return "rdata length mismatch";
	case WARD_ETRAILING: return "trailing bytes";
	case WARD_ECOUNT: return "section count exceeds message size";
	case WARD_EOPT: return "malformed EDNS OPT";
	case WARD_EMULTIOPT: return "misplaced or duplicate OPT record";
	case WARD_EHEADER: return "message shorter than DNS header";
	case WARD_EPTRHDR: return "compression pointer into the header";
	case WARD_ESYNTAX: return "syntax error";
	case WARD_ERANGE: return "number out of range";
	case WARD_EBASE64: return "bad base64";
	case WARD_EBASE32: return "bad base32hex";
	case WARD_EHEX: return "bad hex";
	case WARD_EUNKTYPE: return "unknown RR type";
	case WARD_EUNKCLASS: return "unknown class";
	case WARD_EESCAPE: return "bad escape sequence";
	case WARD_EEMPTYLABEL: return "empty label";
	case WARD_EQUOTE: return "unterminated quoted string";
	case WARD_EPAREN: return "unbalanced parentheses";
	case WARD_ENOORIGIN: return "relative name without origin";
	case WARD_ENOTTL: return "no TTL and no $TTL";
	case WARD_EDIRECTIVE: return "bad $ directive";
	case WARD_ESTRLEN: return "string or length-prefixed field longer than 255 octets";
	case WARD_EADDR: return "malformed IP address";
	case WARD_EMISSING: return "rdata ends before all fields are given";
	case WARD_ESVCPARAM: return "bad SVCB/HTTPS parameter";
	case WARD_EDHCP: return "malformed DHCP header";
	case WARD_ECOOKIE: return "missing DHCP magic cookie";
	case WARD_EDHCPOPT: return "malformed DHCP option";
	case WARD_EOVERLOAD: return "bad DHCP option overload";
	case WARD_ENOEND: return "DHCP options not terminated";
	case WARD_EDHCPCFG: return "invalid DHCP server configuration";
	case WARD_EDHCPMSG: return "not a DHCP client message";
	case WARD_EPCAP: return "malformed capture file";
	case WARD_ELINKTYPE: return "unsupported link-layer type";
	case WARD_EPKT: return "malformed packet header";
	case WARD_EFRAG: return "fragment reassembly failed";
	case WARD_ERPL_KEYWORD: return "unknown scenario keyword";
	case WARD_ERPL_NESTING: return "scenario block unclosed or out of place";
	case WARD_ERPL_STEPORDER: return "scenario steps not in increasing order";
	case WARD_ECONF: return "configuration has errors";
	case WARD_ECONFOPT: return "unknown configuration option";
	case WARD_ECONFVAL: return "bad configuration option value";
	case WARD_ECONFDEPTH: return "configuration files nested too deeply";
	case WARD_ELEASE_FIELDS: return "lease line: wrong number of fields";
	case WARD_ELEASE_EXPIRY: return "lease line: bad expiry time";
	case WARD_ELEASE_HWADDR: return "lease line: bad hardware address";
	case WARD_ELEASE_CLIENTID: return "lease line: bad client identifier";
	case WARD_ELEASE_HOSTNAME: return "hostname not storable in the lease file";
	case WARD_ELEASE_JMAGIC: return "lease journal has a foreign header";
	case WARD_ELEASE_TORN: return "lease journal record torn or corrupt";
	case WARD_ELEASE_LOCKED: return "lease files in use by another process";
	case WARD_ELEASE_WRITE: return "lease write failed, change not durable";
	case WARD_ELEASE_TOOBIG: return "lease file too large";
	case WARD_ELEASE_BUSY: return "lease store busy: a commit is in flight";
	}
	return "unknown error";
}
