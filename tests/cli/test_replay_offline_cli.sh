#!/usr/bin/env bash
# CLI test: ward replay --pcap FILE --offline NAME TYPE (the frozen
# Internet) on every testbed capture in pcaps/testbed (testbed/capture:
# a fresh Unbound resolving one catalogue case, both sides recorded). For
# each: the engine gives an answer without any network; where the
# captured Unbound answered NOERROR or NXDOMAIN, the offline answer has the
# same rcode and the same answer records (owner, type, rdata; RRSIGs left
# out: the offline query has no DO). Where Unbound said SERVFAIL (a
# validation failure, or a broken delegation), only an answer is required:
# the engine here does not validate yet. Also: a capture without an
# authoritative side and an unreadable file are errors (exit 2).
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}
tmp=$(mktemp -d /tmp/ward-offline.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # description, command (exit status 0 = pass)
	local d=$1
	shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi
}
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
n=0
for f in pcaps/testbed/*.pcap; do
	c=$(basename "$f" .pcap)
	read -r qname qtype < <(awk -F'\t' -v c="$c" '$1 == c { print $2, $3 }' testbed/catalogue.tsv)
	[ -n "${qname:-}" ] || continue
	n=$((n + 1))
	"$WARD" replay --pcap "$f" --offline "$qname" "$qtype" --json >"$tmp/off.json" 2>"$tmp/off.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		check "$c: an answer offline (exit $rc: $(tail -n 1 "$tmp/off.err"))" false
		continue
	fi
	"$WARD" decode --pcap "$f" --json >"$tmp/cap.json" 2>/dev/null
	check "$c ($qname $qtype)" python3 - "$tmp/off.json" "$tmp/cap.json" "$qname" "$qtype" "$tmp/strict" <<'PY'
import json, sys
off = json.load(open(sys.argv[1]))
qname, qtype = sys.argv[3].lower().rstrip(".") + ".", sys.argv[4]
cap = None
for line in open(sys.argv[2]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    # the captured resolver's answer to its client
    if m.get("QR") == 1 and m.get("RD") == 1 and m.get("QNAME", "").lower() == qname \
       and m.get("QTYPEname") == qtype:
        cap = m
if cap is None:
    sys.exit("no captured client answer")
def rrs(m):
    return sorted((r["NAME"].lower(), r["TYPEname"], str([v for k, v in r.items() if k.startswith("rdata")]))
                  for r in m.get("answerRRs", []) if r["TYPEname"] not in ("RRSIG", "NSEC", "NSEC3"))
if cap["RCODE"] in (0, 3):
    assert off["RCODE"] == cap["RCODE"], ("rcode", off["RCODE"], cap["RCODE"])
    assert rrs(off) == rrs(cap), (rrs(off), rrs(cap))
    open(sys.argv[5], "a").write("strict\n")
PY
done
check "$n testbed captures replayed offline" test "$n" -ge 60
strict=$(wc -l <"$tmp/strict" 2>/dev/null || echo 0)
check "$strict of them compared record by record (captured NOERROR/NXDOMAIN)" test "$strict" -ge 40

# no authoritative side: a capture of client traffic only
"$WARD" replay --pcap ../shared/testdata/pcaps/dnscap/dns.pcap --offline example.com A 2>"$tmp/err"
check "client-only capture: exit 2" test $? -eq 2
check "client-only capture: says why" grep -q 'no authoritative side' "$tmp/err"
"$WARD" replay --pcap /etc/passwd --offline example.com 2>"$tmp/err"
check "not a capture: exit 2" test $? -eq 2
"$WARD" replay --pcap pcaps/testbed/alg13.pcap --offline 'bad..name' 2>/dev/null
check "bad name: exit 2" test $? -eq 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
