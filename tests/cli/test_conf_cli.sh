#!/usr/bin/env bash
# CLI tests of `ward conf`: the real dnsmasq configurations of the shared
# test data load without errors (unimplemented options warned by name),
# small bad configurations give the expected file:line messages, the exit
# statuses, --json, the dump round trip, and a differential check: for small
# valid and invalid configurations `dnsmasq --test` (parse only, no network)
# and `ward conf check` agree on valid vs invalid.
#   WARD=path/to/bin/ward WARD_TESTDATA=path/to/shared/testdata \
#     tests/cli/test_conf_cli.sh
# The last line is "N passed, M failed"; the exit status is non-zero when a
# check fails.
set -u
cd "$(dirname "$0")/../.."
WARD=${WARD:-bin/ward}
TESTDATA=${WARD_TESTDATA:-../shared/testdata}
CONFS="$TESTDATA/dnsmasq-conf"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
skipped() { skip=$((skip + 1)); echo "skip $1"; }

# contains NAME FILE TEXT
contains() {
	if grep -qF -- "$3" "$2"; then
		ok "$1"
	else
		bad "$1 ('$3' not in output)"
		sed 's/^/    | /' "$2" | head -n 12
	fi
}

# lacks NAME FILE TEXT
lacks() {
	if grep -qF -- "$3" "$2"; then
		bad "$1 ('$3' in output)"
		grep -F -- "$3" "$2" | head -n 5 | sed 's/^/    | /'
	else
		ok "$1"
	fi
}

# status NAME WANT GOT
status() {
	if [ "$3" -eq "$2" ]; then ok "$1"; else bad "$1 (exit $3, want $2)"; fi
}

if [ ! -x "$WARD" ]; then
	echo "no ward binary at $WARD"
	echo "0 passed, 1 failed"
	exit 1
fi
WARD="$(cd "$(dirname "$WARD")" && pwd)/$(basename "$WARD")"

# ---- the real configurations ----

real_conf() { # FILE WARNED-NAMES...
	local f=$1
	shift
	if [ ! -f "$CONFS/$f" ]; then
		skipped "$f (not in $CONFS)"
		return
	fi
	"$WARD" conf check "$CONFS/$f" >"$TMP/out" 2>&1
	status "$f: loads (exit 0)" 0 $?
	contains "$f: no errors" "$TMP/out" "ward conf: 0 errors"
	for o in "$@"; do
		contains "$f: warns about $o by name" "$TMP/out" \
			"warning: option '$o' is not implemented by ward yet; ignored"
	done
}
real_conf dnsmasq.conf.example
real_conf pihole-01-pihole.conf localise-queries log-async
real_conf pihole-06-rfc6761.conf
real_conf trust-anchors.conf
if [ -f "$CONFS/pihole-01-pihole.conf" ]; then
	"$WARD" conf check "$CONFS/pihole-01-pihole.conf" >"$TMP/out"
	contains "pihole-01: file:line of the warning" "$TMP/out" \
		"pihole-01-pihole.conf:35: warning: option 'log-async'"
	contains "pihole-01: summary names them" "$TMP/out" \
		"not implemented by ward yet: localise-queries, log-async"
fi

# The example with every option line uncommented (dnsmasq's own examples of
# each option), minus includes of files that do not exist here, the empty
# listen-address= (an error for dnsmasq too) and the dhcp-host lines that
# reuse 192.168.0.60 (dnsmasq refuses a duplicate address too).
if [ -f "$CONFS/dnsmasq.conf.example" ]; then
	sed -e 's/^#\([a-z]\)/\1/' "$CONFS/dnsmasq.conf.example" |
		grep -v -E '^(conf-file|conf-dir|listen-address)=' |
		grep -v -E '^dhcp-host=.*192\.168\.0\.60' >"$TMP/example.conf"
	"$WARD" conf check "$TMP/example.conf" >"$TMP/out" 2>&1
	status "uncommented example: exit 0" 0 $?
	contains "uncommented example: no errors" "$TMP/out" "ward conf: 0 errors"
	for o in filterwin2k ipset nftset enable-ra read-ethers dhcp-boot \
		pxe-prompt pxe-service enable-tftp tftp-root alias \
		mx-target localmx selfmx log-dhcp dhcp-name-match dhcp-ignore-names; do
		contains "uncommented example: warns $o" "$TMP/out" "option '$o' is not implemented"
	done
	# implemented since: parsed, not warned
	for o in bogus-nxdomain; do
		if grep -q "option '$o'" "$TMP/out"; then
			bad "uncommented example: $o parsed without a word: $(grep "option '$o'" "$TMP/out")"
		else
			ok "uncommented example: $o parsed without a word"
		fi
	done
	n=$(grep -c "option 'pxe-service' is not implemented" "$TMP/out")
	status "uncommented example: pxe-service warned once for 5 lines" 1 "$n"
	contains "uncommented example: DHCPv6 ranges warned" "$TMP/out" \
		"option 'dhcp-range': DHCPv6 (an IPv6 range) is not implemented by ward yet"
	# dump, check the dump, dump again: the same text
	"$WARD" conf dump "$TMP/example.conf" >"$TMP/d1.conf" 2>/dev/null
	status "uncommented example: dump exit 0" 0 $?
	"$WARD" conf dump "$TMP/d1.conf" >"$TMP/d2.conf" 2>/dev/null
	if cmp -s "$TMP/d1.conf" "$TMP/d2.conf" && [ -s "$TMP/d1.conf" ]; then
		ok "uncommented example: dump round trip"
	else
		bad "uncommented example: dump round trip"
		diff "$TMP/d1.conf" "$TMP/d2.conf" | head -n 10 | sed 's/^/    | /'
	fi
	contains "dump: normalised lease time" "$TMP/d1.conf" \
		"dhcp-range=192.168.0.50,192.168.0.150,12h"
	contains "dump: option names" "$TMP/d1.conf" "dhcp-option=option:T1,60"
	if command -v dnsmasq >/dev/null; then
		if dnsmasq --test --conf-file="$TMP/example.conf" >/dev/null 2>&1 &&
			dnsmasq --test --conf-file="$TMP/d1.conf" >/dev/null 2>&1; then
			ok "dnsmasq --test accepts the example and ward's dump of it"
		else
			bad "dnsmasq --test refuses the example or ward's dump"
			dnsmasq --test --conf-file="$TMP/d1.conf" 2>&1 | head -3 | sed 's/^/    | /'
		fi
	fi
else
	skipped "uncommented example ($CONFS/dnsmasq.conf.example absent)"
fi

# ---- bad configurations: file:line messages ----

# expect NAME EXIT MESSAGE LINES...
expect() {
	local name=$1 want=$2 msg=$3
	shift 3
	printf '%s\n' "$@" >"$TMP/bad.conf"
	(cd "$TMP" && "$WARD" conf check bad.conf) >"$TMP/out" 2>&1
	local got=$?
	if [ "$got" -eq "$want" ] && grep -qF -- "$msg" "$TMP/out"; then
		ok "$name"
	else
		bad "$name (exit $got, want $want; want '$msg')"
		sed 's/^/    | /' "$TMP/out" | head -n 8
	fi
}
expect "unknown option" 2 "bad.conf:2: unknown option 'prot' (did you mean 'port'?)" \
	"# comment" "prot=53"
expect "bad port" 2 "bad.conf:1: option 'port': port 70000 is out of range (0..65535)" \
	"port=70000"
expect "flag with a value" 2 "bad.conf:3: option 'no-resolv': takes no value (got '1')" \
	"" "" "no-resolv=1"
expect "missing value" 2 "bad.conf:1: option 'server': needs a value (server=...)" "server"
expect "bad server port" 2 "bad.conf:1: option 'server': port 99999 is out of range" \
	"server=/example.com/192.0.2.1#99999"
expect "bad dhcp-range" 2 "bad.conf:1: option 'dhcp-range': '1x' is not a netmask, broadcast address or lease time" \
	"dhcp-range=192.168.0.50,192.168.0.150,1x"
expect "bad dhcp-option" 2 "option 'dhcp-option': 'nosuch' is not a DHCP option name" \
	"dhcp-option=option:nosuch,1"
expect "bad trust anchor" 2 "option 'trust-anchor': a digest of type 2 has 32 octets, not 2" \
	"trust-anchor=.,20326,8,2,ABCD"
expect "repeated once-only option" 2 "bad.conf:2: option 'port': is given more than once (first at bad.conf:1)" \
	"port=5353" "port=5354"
expect "unterminated quote" 2 "bad.conf:1: unterminated quoted string" \
	'txt-record=t.test,"open'
expect "include missing" 2 "bad.conf:1: option 'conf-file': cannot read 'nope.conf': No such file or directory" \
	"conf-file=nope.conf"
expect "only warnings: exit 0" 0 "1 warning" "log-async"
printf 'log-async\n' >"$TMP/w.conf"
"$WARD" conf check --strict "$TMP/w.conf" >/dev/null 2>&1
status "--strict: warnings give exit 1" 1 $?
"$WARD" conf check "$TMP/nonexistent.conf" >"$TMP/out" 2>&1
status "unreadable file: exit 2" 2 $?
contains "unreadable file: message" "$TMP/out" \
	"nonexistent.conf: cannot read the configuration file: No such file or directory"
"$WARD" conf >/dev/null 2>&1
status "no subcommand: exit 2" 2 $?
"$WARD" conf check --bogus x >/dev/null 2>&1
status "unknown flag: exit 2" 2 $?

# includes: a loop is a warning, conf-dir order and filtering
mkdir -p "$TMP/inc/d"
printf 'conf-file=%s/inc/b.conf\nport=1\n' "$TMP" >"$TMP/inc/a.conf"
printf 'conf-file=%s/inc/a.conf\n' "$TMP" >"$TMP/inc/b.conf"
"$WARD" conf check "$TMP/inc/a.conf" >"$TMP/out" 2>&1
status "include loop: exit 0" 0 $?
contains "include loop: warned" "$TMP/out" "is already being read (include loop:"
printf 'mx-host=b.test\n' >"$TMP/inc/d/20-b.conf"
printf 'mx-host=a.test\n' >"$TMP/inc/d/10-a.conf"
printf 'bogus\n' >"$TMP/inc/d/30-c.conf~"
printf 'bogus\n' >"$TMP/inc/d/.hidden"
printf 'bogus\n' >"$TMP/inc/d/#x#"
printf 'bogus\n' >"$TMP/inc/d/40-d.bak"
printf 'conf-dir=%s/inc/d,.bak\n' "$TMP" >"$TMP/inc/dir.conf"
"$WARD" conf dump "$TMP/inc/dir.conf" >"$TMP/out" 2>&1
status "conf-dir: exit 0" 0 $?
printf 'mx-host=a.test,1\nmx-host=b.test,1\n' >"$TMP/want"
if cmp -s "$TMP/out" "$TMP/want"; then ok "conf-dir: sorted, filtered"; else
	bad "conf-dir: sorted, filtered"; sed 's/^/    | /' "$TMP/out"; fi

# command-line options are the same as file lines
printf 'port=5353\nserver=/lan/192.0.2.1\ndhcp-range=192.168.0.50,192.168.0.150,12h\n' >"$TMP/cl.conf"
"$WARD" conf dump "$TMP/cl.conf" >"$TMP/f.out" 2>&1
"$WARD" conf dump -- -p 5353 --server=/lan/192.0.2.1 \
	--dhcp-range 192.168.0.50,192.168.0.150,12h >"$TMP/a.out" 2>&1
if cmp -s "$TMP/f.out" "$TMP/a.out"; then ok "command line = file lines"; else
	bad "command line = file lines"; diff "$TMP/f.out" "$TMP/a.out" | sed 's/^/    | /'; fi

# --json
"$WARD" conf check --json "$TMP/w.conf" >"$TMP/j.out" 2>&1
if command -v python3 >/dev/null; then
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] and d["warnings"]==1 and d["not_implemented"]==["log-async"], d' "$TMP/j.out"; then
		ok "--json: valid and complete"
	else
		bad "--json"; sed 's/^/    | /' "$TMP/j.out"
	fi
else
	contains "--json" "$TMP/j.out" '"not_implemented":["log-async"]'
fi
"$WARD" conf options >"$TMP/opts"
contains "options: lists dnsmasq's options" "$TMP/opts" "dhcp-boot"
n=$(wc -l <"$TMP/opts")
if [ "$n" -ge 190 ]; then ok "options: $n names"; else bad "options: only $n names"; fi

# ---- differential: dnsmasq --test and ward agree on valid vs invalid ----

if ! command -v dnsmasq >/dev/null; then
	skipped "differential (dnsmasq not installed)"
else
	DS=E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
	printf 'no-resolv\n' >"$TMP/incl.conf"
	# each case: one configuration, lines separated by '|'
	valid=(
		"port=5353"
		"no-resolv|no-hosts|domain-needed|bogus-priv|strict-order"
		"server=/example.com/192.0.2.1#5353|server=8.8.8.8|server=/local.test/"
		"server=/www.example.com/#|local=/lan/|server=//192.0.2.4"
		"address=/ads.test/#|address=/x.test/192.0.2.9|address=/y.test/::1|address=/z.test/"
		"rev-server=1.2.3.0/24,192.168.0.1"
		"listen-address=127.0.0.1,::1|interface=eth0|bind-interfaces"
		"cache-size=1000|local-ttl=60|neg-ttl=30|max-ttl=3600|edns-packet-max=1232"
		"log-queries=extra|log-facility=DAEMON|pid-file=|user=nobody"
		"cname=a.test,b.test,60|txt-record=t.test,\"a, b\",c|ptr-record=p.test,t.test"
		"host-record=h.test,192.0.2.1,2001:db8::1,300|mx-host=m.test,h.test,10"
		"srv-host=_ldap._tcp.example.com,ldap.example.com,389,1,2"
		"domain=example.com|domain=lan.example,192.168.0.0/24,local|expand-hosts"
		"dnssec|trust-anchor=.,20326,8,2,$DS|dnssec-check-unsigned=no"
		"dhcp-range=192.168.0.50,192.168.0.150,12h|dhcp-authoritative"
		"dhcp-range=set:red,192.168.1.50,192.168.1.150,255.255.255.0,infinite"
		"dhcp-range=192.168.2.0,static|dhcp-host=11:22:33:44:55:66,fred,192.168.2.60,45m"
		"dhcp-host=id:01:02:03:04,192.168.2.61|dhcp-host=11:22:33:*:*:*,set:x,ignore"
		"dhcp-option=option:router,192.168.0.1|dhcp-option=tag:red,42,192.168.0.4"
		"dhcp-option=option:domain-search,a.test,b.test|dhcp-option=121,10.0.0.0/8,192.168.0.1"
		"dhcp-option-force=208,f1:00:74:7e|dhcp-option=vendor:PXEClient,1,0.0.0.0"
		"dhcp-match=set:efi,option:client-arch,7|tag-if=set:a,tag:efi|dhcp-ignore=tag:!known"
		"dhcp-vendorclass=set:hp,Hewlett-Packard JetDirect|dhcp-userclass=set:acc,accounts"
		"dhcp-mac=set:3com,01:34:23:*:*:*|dhcp-broadcast|dhcp-lease-max=150"
		"dhcp-leasefile=/var/lib/misc/dnsmasq.leases|dhcp-script=/bin/echo|dhcp-rapid-commit"
		"conf-file=$TMP/incl.conf"
		"port=5353 # a comment|  # indented comment|"
	)
	invalid=(
		"port=x"
		"port=70000"
		"prot=53"
		"no-resolv=1"
		"port"
		"server=1.2.3.4#99999"
		"server=/example.com"
		"rev-server=1.2.3.0/33,192.168.0.1"
		"address=/x.test/1.2.3.4#53"
		"address=/x.test/foo"
		"host-record=h.test"
		"cname=a.test"
		"mx-host=a,b,70000"
		"srv-host=_a._tcp.x,t,70000"
		"srv-host=_a._tcp.x,t,80,1,2,3"
		"neg-ttl=x"
		"local-ttl=1h"
		"listen-address=1.2.3.4.5"
		"log-facility=zz9"
		"dnssec-check-unsigned=yes"
		"trust-anchor=.,20326,8,2,XYZ"
		"trust-anchor=.,70000,8,2,$DS"
		"trust-anchor=.,20326,RSASHA256,2,$DS"
		"dhcp-range=192.168.0.50"
		"dhcp-range=192.168.0.50,192.168.0.150,1x"
		"dhcp-range=192.168.0.50,192.168.0.150,1h30m"
		"dhcp-range=192.168.0.50,192.168.0.150,255.255.0.255"
		"dhcp-range=set:a,set:b,192.168.0.50,192.168.0.150"
		"dhcp-host=11:22:33:44:55:6g,192.168.0.60"
		"dhcp-host=11:22:33:44:55:66,-fred"
		"dhcp-host=a,192.168.0.60|dhcp-host=b,192.168.0.60"
		"dhcp-option=option:nosuch,1"
		"dhcp-option=3,1.2.3.4.5"
		"dhcp-option=3,foo"
		"dhcp-option=encap:175,vendor:x,190,user"
		"dhcp-lease-max=x"
		"dhcp-mac=set:red,zz"
		"dhcp-vendorclass=set:red"
		"dhcp-match=set:a"
		"tag-if=tag:b"
		"tag-if=set:a,x"
		"port=1|port=2"
		"txt-record=t.test,\"open"
		"conf-file=$TMP/does-not-exist.conf"
		"conf-dir=$TMP/no-such-dir"
	)
	run_both() { # CASE -> "dnsmasq-rc ward-rc"
		printf '%s\n' "$1" | tr '|' '\n' >"$TMP/d.conf"
		dnsmasq --test --conf-file="$TMP/d.conf" >/dev/null 2>&1
		local d=$?
		"$WARD" conf check "$TMP/d.conf" >/dev/null 2>&1
		local w=$?
		echo "$d $w"
	}
	for c in "${valid[@]}"; do
		read -r d w < <(run_both "$c")
		if [ "$d" -eq 0 ] && [ "$w" -eq 0 ]; then
			ok "differential valid: $c"
		else
			bad "differential valid: $c (dnsmasq $d, ward $w)"
			"$WARD" conf check "$TMP/d.conf" 2>&1 | head -n 3 | sed 's/^/    | /'
			dnsmasq --test --conf-file="$TMP/d.conf" 2>&1 | head -n 2 | sed 's/^/    | /'
		fi
	done
	for c in "${invalid[@]}"; do
		read -r d w < <(run_both "$c")
		if [ "$d" -ne 0 ] && [ "$w" -eq 2 ]; then
			ok "differential invalid: $c"
		else
			bad "differential invalid: $c (dnsmasq $d, ward $w)"
			"$WARD" conf check "$TMP/d.conf" 2>&1 | head -n 3 | sed 's/^/    | /'
		fi
	done
fi

echo
[ $skip -gt 0 ] && echo "($skip skipped)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
