#!/usr/bin/env bash
# CLI test: ward diagnose. Offline (--pcap) on every testbed capture in
# pcaps/testbed: the catalogue's verdict, EDE code and exit status; the
# JSON is valid and names the zone cuts; --graph writes DOT (and SVG when
# graphviz is installed). Errors (exit 4, a message, no crash): no
# arguments, a bad name/type/time, an unreadable or non-capture file, a
# capture without authoritative side, an unreachable server, a bad
# anchor file, a bad --graph suffix.
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}
tmp=$(mktemp -d /tmp/ward-diagnose.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # description, command (exit status 0 = pass)
	local d=$1
	shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi
}
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }
A=pcaps/testbed/anchor.ds

# exit status and message of one failing invocation
err_case() { # description, expected-stderr-regex, args...
	local d=$1 re=$2
	shift 2
	"$WARD" diagnose "$@" >"$tmp/o" 2>"$tmp/e"
	local rc=$?
	check "$d: exit 4 with a message ($(head -n 1 "$tmp/e"))" \
		test "$rc" -eq 4 -a -s "$tmp/e" -a "$(grep -c -E "$re" "$tmp/e")" -gt 0
}

"$WARD" diagnose --help >"$tmp/help"
check "--help exits 0 and lists the exit codes" grep -q '0 secure, 1 insecure, 2 bogus, 3 indeterminate, 4 error' "$tmp/help"
"$WARD" --help | grep -q '^  diagnose' && check "ward --help lists diagnose" true || check "ward --help lists diagnose" false
err_case "no arguments" "NAME missing"
err_case "no source" "one of --server" www.example. A
err_case "bad type" "bad type" www.example. NOSUCHTYPE --server 127.0.0.1
err_case "bad time" "bad time" www.example. A --at yesterday --server 127.0.0.1
err_case "unknown option" "unknown option" www.example. --frobnicate
err_case "missing capture" "No such file|cannot|error" www.example. A --pcap "$tmp/none.pcap"
printf 'not a capture at all\n' >"$tmp/text.pcap"
err_case "a text file as capture" "." www.example. A --pcap "$tmp/text.pcap"
head -c 40 pcaps/testbed/alg13.pcap >"$tmp/cut.pcap"
err_case "a capture cut in its header" "." www.example. A --pcap "$tmp/cut.pcap"
err_case "missing anchor file" "no-such-anchor" www.alg13.nsec. A --pcap pcaps/testbed/alg13.pcap --anchor "$tmp/no-such-anchor"
printf '. 3600 IN A 192.0.2.1\n' >"$tmp/bad.anchor"
err_case "anchor file with an A record" "DS and DNSKEY" www.alg13.nsec. A --pcap pcaps/testbed/alg13.pcap --anchor "$tmp/bad.anchor"
err_case "--recursive without --root-hints" "go together" www.example. A --recursive
err_case "--root-hints file missing" "no-such-hints" www.example. A --recursive --root-hints "$tmp/no-such-hints"
printf '. 3600 IN NS a.root-servers.net.\n' >"$tmp/noaddr.hints"
err_case "--root-hints without addresses" "no A or AAAA" www.example. A --recursive --root-hints "$tmp/noaddr.hints"
err_case "bad --graph suffix" "svg" www.alg13.nsec. A --pcap pcaps/testbed/alg13.pcap --anchor "$A" --graph "$tmp/x.gif"
# a loopback port nobody listens on: nothing answers, an error not a verdict
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start=$(date +%s)
err_case "unreachable server" "did not answer" www.alg13.nsec. A --server "127.0.0.1#$port" --timeout 1 --anchor "$A"
check "unreachable server: gives up within 15 s" test $(($(date +%s) - start)) -le 15

# every capture: the catalogue's verdict, EDE and exit status, offline
# (one python for all: its start-up is slow on a loaded machine)
n=0
while IFS=$'\t' read -r c q t verdict rcode ad ede rest; do
	[[ $c == \#* || -z $c ]] && continue
	[ -f "pcaps/testbed/$c.pcap" ] || continue
	n=$((n + 1))
	"$WARD" diagnose "$q" "$t" --pcap "pcaps/testbed/$c.pcap" --anchor "$A" --json >"$tmp/$c.json" 2>"$tmp/$c.err"
	echo "$c $verdict $ede $?" >>"$tmp/results"
done <testbed/catalogue.tsv
python3 - "$tmp" >"$tmp/offline.out" <<'PY'
import json, sys
d = sys.argv[1]
codes = {"secure": 0, "insecure": 1, "bogus": 2, "indeterminate": 3}
for line in open(d + "/results"):
    c, verdict, ede, rc = line.split()
    try:
        j = json.load(open("%s/%s.json" % (d, c)))
        got = (j["verdict"], "-" if j["ede"] is None else str(j["ede"]), j["exit"])
    except Exception as e:
        got = ("no JSON: %s" % e, "", -1)
    if got != (verdict, ede, codes[verdict]) or int(rc) != codes[verdict]:
        print("  %s: catalogue %s %s exit %d, got %s exit %s" % (c, verdict, ede, codes[verdict], got, rc))
PY
bad=$(wc -l <"$tmp/offline.out")
cat "$tmp/offline.out"
check "$n captures: catalogue verdict, EDE and exit status offline ($bad wrong)" test "$n" -ge 60 -a "$bad" -eq 0

# the text report names the first break precisely
"$WARD" diagnose www.ds-mismatch.nsec. A --pcap pcaps/testbed/ds-mismatch.pcap --anchor "$A" >"$tmp/t"
check "ds-mismatch: the sentence names the DS and the key tags" grep -qE '^  DS ds-mismatch\.nsec\. [0-9]+/13/2 matches no key in the DNSKEY set \(tags [0-9]+, [0-9]+\)' "$tmp/t"
"$WARD" diagnose www.sig-expired.nsec. A --pcap pcaps/testbed/sig-expired.pcap --anchor "$A" >"$tmp/t"
check "sig-expired: the RRSIG line says expired" grep -q 'RRSIG A by sig-expired.nsec. key [0-9]*/13, .*: signature expired' "$tmp/t"
# --at moves the validation time: a month after the capture all signatures expire
"$WARD" diagnose www.alg13.nsec. A --pcap pcaps/testbed/alg13.pcap --anchor "$A" --at 20300101000000 >/dev/null 2>&1
check "--at 2030: alg13 is bogus (exit 2)" test $? -eq 2
# JSON: the zone cuts from the anchor to the answer
"$WARD" diagnose www.alg13.nsec. A --pcap pcaps/testbed/alg13.pcap --anchor "$A" --json >"$tmp/j"
check "JSON: zones . nsec. alg13.nsec., DS matched, answer valid" python3 - "$tmp/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [z["zone"] for z in d["zones"]] == [".", "nsec.", "alg13.nsec."], d["zones"]
assert all(ds["matches_key"] for z in d["zones"][1:] for ds in z["ds"])
assert d["answer"]["rrsets"][0]["rrset"]["rrsigs"][0]["result"] == "valid"
assert d["verdict"] == "secure" and d["ede"] is None
PY
# --graph: DOT always, SVG with graphviz
"$WARD" diagnose www.ds-mismatch.nsec. A --pcap pcaps/testbed/ds-mismatch.pcap --anchor "$A" --graph "$tmp/g.dot" >/dev/null
check "--graph x.dot: a digraph with a red edge" grep -q 'color=red' "$tmp/g.dot"
if command -v dot >/dev/null; then
	"$WARD" diagnose www.ds-mismatch.nsec. A --pcap pcaps/testbed/ds-mismatch.pcap --anchor "$A" --graph "$tmp/g.svg" >/dev/null
	check "--graph x.svg: an SVG with a red edge" grep -q 'stroke="red"' "$tmp/g.svg"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
