#!/bin/bash
# tests/integration/diagnose_testbed.sh: ward diagnose on the testbed.
#  1. Every catalogue case, live through the testbed Unbound (--server,
#     queries with CD=1): the catalogue's verdict and EDE code, and the
#     verdict delv (BIND's validating lookup tool) gives with the same
#     anchor, for secure/insecure/bogus (DELV_KNOWN lists the deliberate
#     differences, each with its reason).
#  2. --graph: a valid SVG for every case; the bogus ones have red edges.
#  3. --recursive --root-hints (no resolver): 14 cases (REC), the
#     catalogue's verdict and EDE.
#  4. Offline: three cases captured with testbed/capture, diagnosed with
#     --pcap: the same verdict as live.
# Runs the testbed under /tmp/ward-testbed.lock (wardd_lib.sh).
. "$(dirname "$0")/wardd_lib.sh"

for tool in delv dot; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done
SECONDS=0
wl_testbed
echo "note: testbed up after ${SECONDS} s (lock wait included)"

# delv: the testbed's root DS as a static-ds trust anchor
awk '$4 == "DS" { printf "trust-anchors { \"%s\" static-ds %s %s %s \"%s\"; };\n", $1, $5, $6, $7, $8 }' \
	"$WARD_TB_ANCHOR" >"$WL_DIR/delv.anchor"

# Deliberate differences from delv (case=delv's verdict), with the reason
# (docs/toolkit.md, "ward diagnose"):
#  optout-nxdomain: an NXDOMAIN whose next-closer NSEC3 has opt-out set
#    cannot prove the name absent (RFC 5155 12.2: an unsigned delegation
#    may be there): the catalogue, Unbound and Knot Resolver say insecure;
#    BIND's delv calls the negative response fully validated.
DELV_KNOWN="optout-nxdomain=secure"

worker() { # case qname qtype
	local c=$1 q=$2 t=$3 j dv # $4: the catalogue verdict
	j=$("$WARD" diagnose "$q" "$t" --server "$WARD_TB_UNBOUND" \
		--anchor "$WARD_TB_ANCHOR" --json --graph "$WL_DIR/$c.svg" 2>"$WL_DIR/$c.err")
	echo "$j" >"$WL_DIR/$c.json"
	case " $REC " in *" $c "*)
		"$WARD" diagnose "$q" "$t" --recursive --root-hints "$WARD_TB_ROOT_HINTS" \
			--anchor "$WARD_TB_ANCHOR" --json >"$WL_DIR/$c.rec.json" 2>"$WL_DIR/$c.rec.err" ;;
	esac
	if [ "$4" = indeterminate ]; then # not compared: no time spent on it
		echo skipped >"$WL_DIR/$c.delv"
		return
	fi
	dv=$(timeout 20 delv @"$WARD_TB_UNBOUND" -a "$WL_DIR/delv.anchor" +root=. "$q" "$t" 2>&1)
	# one line per RRset of a CNAME chain: one unsigned link makes it insecure
	if echo "$dv" | grep -q 'unsigned answer'; then
		dv=insecure
	elif echo "$dv" | grep -q '^; fully validated\|^; negative response, fully validated'; then
		dv=secure
	elif echo "$dv" | grep -q 'resolution failed'; then
		dv=bogus # delv validates itself (CD=1): a failure is its verdict
	else
		dv="other($(echo "$dv" | head -n 1 | tr -s ' \t' ' '))"
	fi
	echo "$dv" >"$WL_DIR/$c.delv"
}
export -f worker
# these also --recursive from the root hints (no resolver in between)
REC="alg13 sig-expired ds-mismatch ds-unknown-alg nsec3-insecure optout-insecure nsec-nocover cname-to-bogus dname-secure big-dnskey keytrap lame nxns island"
export WARD WARD_TB_UNBOUND WARD_TB_ANCHOR WARD_TB_ROOT_HINTS WL_DIR REC

awk -F'\t' '!/^#/ && NF >= 7 { print $1, $2, $3, $4 }' "$WARD_TB_CATALOGUE" >"$WL_DIR/cases"
xargs -P 8 -L 1 bash -c 'worker "$@"' _ <"$WL_DIR/cases"

echo "note: live diagnoses and delv done after ${SECONDS} s"
# one python for all the checks (its start-up is slow on a loaded machine)
python3 - "$WL_DIR" "$WARD_TB_CATALOGUE" "$DELV_KNOWN" >"$WL_DIR/check.out" <<'PY'
import json, sys, xml.dom.minidom
d, cat = sys.argv[1], sys.argv[2]
known = dict(x.split("=", 1) for x in sys.argv[3].split())
n = vbad = dbad = gbad = nrec = rbad = 0
for line in open(cat):
    f = line.rstrip("\n").split("\t")
    if line.startswith("#") or len(f) < 7:
        continue
    c, verdict, ede = f[0], f[3], f[6]
    n += 1
    try:
        j = json.load(open("%s/%s.json" % (d, c)))
        got = (j["verdict"], "-" if j["ede"] is None else str(j["ede"]))
    except Exception as e:
        got = ("no JSON (%s)" % e, "")
    if got != (verdict, ede):
        vbad += 1
        print("FAIL %s: catalogue %s %s, ward diagnose %s %s %s" % (c, verdict, ede, got[0], got[1], open("%s/%s.err" % (d, c)).read()[:300]))
    dv = open("%s/%s.delv" % (d, c)).read().strip()
    if verdict != "indeterminate" and dv != got[0]:
        if known.get(c) == dv:
            print("ok   %s: delv says %s (a known difference)" % (c, dv))
        else:
            dbad += 1
            print("FAIL %s: delv says %s, ward diagnose %s" % (c, dv, got[0]))
    try:
        r = json.load(open("%s/%s.rec.json" % (d, c)))
        rec = (r["verdict"], "-" if r["ede"] is None else str(r["ede"]))
        nrec += 1
        if rec != (verdict, ede):
            rbad += 1
            print("FAIL %s --recursive: catalogue %s %s, ward diagnose %s %s" % (c, verdict, ede, rec[0], rec[1]))
    except FileNotFoundError:
        pass
    except Exception as e:
        nrec += 1
        rbad += 1
        print("FAIL %s --recursive: no JSON (%s)" % (c, e))
    try:
        svg = open("%s/%s.svg" % (d, c)).read()
        assert xml.dom.minidom.parseString(svg).documentElement.tagName == "svg"
    except Exception:
        gbad += 1
        print("FAIL %s: --graph wrote no valid SVG" % c)
        continue
    red = 'stroke="red"' in svg
    if verdict == "bogus" and not red:
        gbad += 1
        print("FAIL %s: bogus, but the picture has no red edge" % c)
    if verdict == "secure" and red:
        gbad += 1
        print("FAIL %s: secure, but the picture has a red edge" % c)
print("COUNTS %d %d %d %d %d %d" % (n, vbad, dbad, gbad, nrec, rbad))
PY
grep -v '^COUNTS' "$WL_DIR/check.out"
read -r _ n vbad dbad gbad nrec rbad < <(grep '^COUNTS' "$WL_DIR/check.out" || echo "COUNTS 0 1 1 1 0 1")
check "$n catalogue cases: verdict and EDE as the catalogue says ($vbad wrong)" [ "$vbad" -eq 0 ]
check "$n catalogue cases: delv agrees on secure/insecure/bogus ($dbad disagree)" [ "$dbad" -eq 0 ]
check "$n catalogue cases: --graph draws a valid SVG, red edges exactly where bogus ($gbad wrong)" [ "$gbad" -eq 0 ]
check "at least 60 cases checked" [ "$n" -ge 60 ]
check "$nrec cases --recursive from the root hints: catalogue verdict and EDE ($rbad wrong)" [ "$nrec" -ge 14 -a "$rbad" -eq 0 ]

# offline: capture three resolutions now, diagnose them from the capture
for c in sig-expired ds-mismatch nsec3-insecure; do
	read -r _ q t _ < <(grep "^$c " "$WL_DIR/cases")
	live=$(grep -o '"verdict":"[a-z]*"' "$WL_DIR/$c.json" | head -n 1 | cut -d'"' -f4)
	if ! testbed/capture "$q" "$t" "$WL_DIR/$c.pcap" "$WARD_TB_DIR" >"$WL_DIR/$c.cap.log" 2>&1; then
		check "$c: testbed/capture made a capture" false
		continue
	fi
	off=$("$WARD" diagnose "$q" "$t" --pcap "$WL_DIR/$c.pcap" --anchor "$WARD_TB_ANCHOR" --json 2>/dev/null |
		grep -o '"verdict":"[a-z]*"' | head -n 1 | cut -d'"' -f4)
	check "$c: --pcap gives the live verdict ($live, offline: $off)" test -n "$live" -a "$off" = "$live"
done
echo "note: done after ${SECONDS} s"
wl_finish
