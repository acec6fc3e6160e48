#!/bin/bash
# tests/integration/diagnose_dnsviz.sh: ward diagnose against DNSViz.
# Every catalogue case that is secure, insecure or bogus: `dnsviz probe`
# through the testbed Unbound (one probe for all names, then `dnsviz grok`
# with the testbed's root key as trust anchor) and `ward diagnose --server`
# through the same Unbound give the same verdict; DNSVIZ_KNOWN lists the
# deliberate differences, each with its reason (docs/toolkit.md).
# DNSViz is a third-party prober, so the whole run — a testbed of its own,
# dnsviz, ward — happens inside a network namespace made here, with only a
# loopback interface: nothing it sends can leave the machine. Needs root,
# ip netns, dnsviz and python3-pygraphviz (scripts/deps); skips (77)
# without them. Ends "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}

# Deliberate differences (case=dnsviz's verdict), with the reason:
#  optout-nxdomain: an NXDOMAIN whose covering NSEC3 has opt-out set
#    cannot prove the name absent (RFC 5155 §12.2: an unsigned delegation
#    may be there): the catalogue, Unbound and Knot Resolver say insecure;
#    DNSViz, like delv, calls the proof secure.
#  nsec3-iter200: NSEC3 with 200 iterations; validators treat proofs above
#    their limit as insecure (RFC 9276 §3.2, EDE 27), as the catalogue,
#    Unbound and ward do; DNSViz applies no limit.
#  no-zone-bit: the zone's keys lack the Zone Key flag, which RFC 4034
#    §2.1.1 forbids using to verify RRSIGs (catalogue and Unbound: bogus);
#    DNSViz still verifies with them.
# Cases on which `dnsviz grok` (0.9.4) itself crashes — insecure
# delegations (a KeyError serialising the NODATA's SOA) and the KeyTrap key
# set (a TypeError sorting keys) — are listed and not compared; at least
# DNSVIZ_MIN cases must be compared.
DNSVIZ_KNOWN="optout-nxdomain=secure nsec3-iter200=secure no-zone-bit=secure"
DNSVIZ_MIN=50

inner() { # inside the namespace
	local dir=$1
	eval "$(testbed/up "$dir/tb" 2>"$dir/up.err")" || { tail -n 5 "$dir/up.err"; return 1; }
	awk -F'\t' '!/^#/ && NF > 6 && $4 != "indeterminate" { print $1, $2, $3, $4 }' \
		"$WARD_TB_CATALOGUE" >"$dir/cases"
	awk '{ print $2 }' "$dir/cases" >"$dir/names"
	local types
	types=$(awk '{ print $3 }' "$dir/cases" | sort -u | paste -sd, -)
	# the root KSK as dnsviz's trust anchor (a DNSKEY in zone-file form)
	sed 's/^[^ \t]*[ \t]*[0-9]*[ \t]*IN[ \t]*DNSKEY/. IN DNSKEY/' \
		"$WARD_TB_ANCHOR_DNSKEY" >"$dir/tk.txt"
	local rc=0
	timeout 240 dnsviz probe -s "$WARD_TB_UNBOUND" -t 8 -R "$types" -f "$dir/names" \
		-o "$dir/probe.json" 2>"$dir/probe.err" || rc=1
	# pygraphviz 1.7 (Debian 12) lost the `release` module dnsviz 0.9.4
	# looks for; give it one (tests only)
	mkdir -p "$dir/shim"
	cat >"$dir/shim/sitecustomize.py" <<'PY'
import sys, types
try:
    import pygraphviz
    if not hasattr(pygraphviz, "release"):
        m = types.ModuleType("pygraphviz.release")
        m.version = pygraphviz.__version__
        sys.modules["pygraphviz.release"] = m
        pygraphviz.release = m
except ImportError:
    pass
PY
	# one grok per name: dnsviz 0.9.4 crashes serialising some zones (a
	# KeyError), which must cost that case only
	[ $rc = 0 ] && awk '{ print $1, $2 }' "$dir/cases" |
		xargs -P 2 -n 2 sh -c 'PYTHONPATH="$0/shim" timeout 60 dnsviz grok -t "$0/tk.txt" \
			-r "$0/probe.json" -o "$0/$1.grok.json" "$2" 2>"$0/$1.grok.err" || rm -f "$0/$1.grok.json"' "$dir"
	while read -r c q t _; do
		"$WARD" diagnose "$q" "$t" --server "$WARD_TB_UNBOUND" --anchor "$WARD_TB_ANCHOR" \
			--json >"$dir/$c.json" 2>"$dir/$c.err"
	done <"$dir/cases"
	testbed/down "$dir/tb" >/dev/null 2>&1
	return $rc
}

if [ "${WARD_VIZ_INNER:-}" ]; then
	inner "$WARD_VIZ_INNER"
	exit $?
fi

skip() { echo "skip: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (a network namespace)"
command -v dnsviz >/dev/null || skip "dnsviz is not installed (scripts/deps installs it)"
/usr/bin/python3 -c 'import pygraphviz' 2>/dev/null || skip "python3-pygraphviz is not installed"
NS=wardviz$$
ip netns add "$NS" 2>/dev/null || skip "ip netns add does not work here"
DIR=$(mktemp -d /tmp/ward-dnsviz.XXXXXX)
cleanup() {
	# testbed/down inside the namespace stops what up started; then the
	# namespace goes (any process left in it is killed first)
	ip netns exec "$NS" testbed/down "$DIR/tb" >/dev/null 2>&1
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	[ -n "${WARD_KEEP:-}" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip -n "$NS" link set lo up
SECONDS=0
ip netns exec "$NS" env WARD_VIZ_INNER="$DIR" WARD="$WARD" bash "$0"
rc=$?
echo "note: testbed, dnsviz probe + grok and ward diagnose in the namespace: ${SECONDS} s (rc $rc)"
pass=0
fail=0
if [ $rc -ne 0 ]; then
	echo "FAIL: the run in the namespace failed (rc $rc)"
	tail -n 5 "$DIR/up.err" "$DIR/probe.err" 2>/dev/null | sed 's/^/#   /'
	echo "0 passed, 1 failed"
	exit 1
fi
/usr/bin/python3 - "$DIR" "$DNSVIZ_KNOWN" "$DNSVIZ_MIN" <<'PY'
import json, sys
d, known = sys.argv[1], dict(k.split("=") for k in sys.argv[2].split())
rank = {"SECURE": 0, "INSECURE": 1, "BOGUS": 2}

def statuses(x):
    # every "status" of the RRsets and proofs of the answer, as dnsviz gives them
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "status" and isinstance(v, str) and v in rank:
                yield v
            elif k in ("answer", "nxdomain", "nodata", "proof", "wildcard_proof", "ds"):
                yield from statuses(v)
            elif isinstance(v, (dict, list)) and k not in ("rrsig", "errors", "warnings", "cookie_status"):
                yield from statuses(v)
    elif isinstance(x, list):
        for v in x:
            yield from statuses(v)

def dnsviz_verdict(c, name, qtype):
    try:
        grok = json.load(open("%s/%s.grok.json" % (d, c)))
    except Exception:
        return "error"
    q = grok.get(name, {}).get("queries", {}).get("%s/IN/%s" % (name, qtype))
    if q is None:
        return "missing"
    s = list(statuses(q))
    if not s:
        return "none"
    return max(s, key=lambda v: rank[v]).lower()

ok = bad = crashed = 0
for line in open(d + "/cases"):
    c, q, t, verdict = line.split()
    try:
        w = json.load(open("%s/%s.json" % (d, c)))["verdict"]
    except Exception:
        w = "error"
    v = dnsviz_verdict(c, q, t)
    if v == "error":
        crashed += 1
        err = [l.strip() for l in open("%s/%s.grok.err" % (d, c)) if l.strip()]
        print("note %-22s dnsviz grok failed, not compared: %s" % (c, err[-1] if err else "?"))
        continue
    if v == w:
        ok += 1
        print("ok   %-22s dnsviz %-8s ward %-8s (catalogue %s)" % (c, v, w, verdict))
    elif known.get(c) == v:
        ok += 1
        print("ok   %-22s dnsviz %-8s ward %-8s (a known difference; catalogue %s)" % (c, v, w, verdict))
    else:
        bad += 1
        print("FAIL %-22s dnsviz %-8s ward %-8s (catalogue %s)" % (c, v, w, verdict))
want = int(sys.argv[3])
if ok + bad < want:
    bad += 1
    print("FAIL only %d cases compared (dnsviz failed on %d), at least %d wanted" % (ok + bad - 1, crashed, want))
else:
    print("ok   %d cases compared, %d not (dnsviz failed)" % (ok + bad, crashed))
    ok += 1
print("%d passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
PY
