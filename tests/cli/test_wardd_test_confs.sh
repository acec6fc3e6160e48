#!/bin/bash
# tests/cli/test_wardd_test_confs.sh: `wardd --test --conf-file=FILE` on the
# real-world dnsmasq configurations of ../shared/testdata/dnsmasq-conf:
# exit 0, "syntax check OK", no error lines, and every option of the file
# that ward does not implement warned by name (the same list `ward conf
# check --json` gives). Then a malformed line: exit 2 with file:line.
cd "$(dirname "$0")/../.." || exit 2
WARDD=${WARDD:-$PWD/bin/wardd}
WARD=${WARD:-$PWD/bin/ward}
CONFS=${WARD_TESTDATA:-../shared/testdata}/dnsmasq-conf
if [ ! -d "$CONFS" ]; then
	echo "skip: $CONFS is missing (the shared test data)"
	exit 77
fi
[ -x "$WARDD" ] && [ -x "$WARD" ] || { echo "FAIL: $WARDD or $WARD not built"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

files=("$CONFS"/*.conf "$CONFS"/dnsmasq.conf.example)
# the example with its option lines uncommented (as tests/cli/test_conf_cli.sh
# does: minus includes of files that do not exist here, the empty
# listen-address= and the dhcp-host lines reusing 192.168.0.60, which
# dnsmasq refuses too)
sed -e 's/^#\([a-z]\)/\1/' "$CONFS/dnsmasq.conf.example" |
	grep -v -E '^(conf-file|conf-dir|listen-address)=' |
	grep -v -E '^dhcp-host=.*192\.168\.0\.60' >"$TMP/example-uncommented.conf"
files+=("$TMP/example-uncommented.conf")
for f in "${files[@]}"; do
	b=$(basename "$f")
	timeout 20 "$WARDD" --test --conf-file="$f" >"$TMP/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "syntax check OK" "$TMP/out"; then
		ok "$b: wardd --test exits 0, syntax check OK"
	else
		bad "$b: wardd --test exit $rc"
		head -n 5 "$TMP/out" | sed 's/^/    | /'
		continue
	fi
	if grep -i "error" "$TMP/out" | grep -qv "warning"; then
		bad "$b: error lines"
		grep -i error "$TMP/out" | head -n 3 | sed 's/^/    | /'
	else
		ok "$b: no error lines"
	fi
	# every not-implemented option (as ward conf check lists them) is warned by name
	"$WARD" conf check --json "$f" >"$TMP/j" 2>/dev/null
	missing=$(python3 - "$TMP/j" "$TMP/out" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("<ward conf check --json failed>")
    sys.exit()
out = open(sys.argv[2]).read()
def warned(o):  # "dhcp-range: DHCPv6 (...)" is warned as "option 'dhcp-range': DHCPv6 (...)"
    name, _, what = o.partition(": ")
    return ("option '%s'" % name + (": " + what if what else "")) in out
print(" | ".join(o for o in d.get("not_implemented", []) if not warned(o)))
PY
)
	n=$(grep -c "is not implemented by ward yet" "$TMP/out")
	if [ -z "$missing" ]; then
		ok "$b: every unimplemented option warned by name ($n warnings)"
	else
		bad "$b: not warned: $missing"
	fi
done

printf 'no-resolv\nserver=300.1.2.3\n' >"$TMP/bad.conf"
timeout 20 "$WARDD" --test --conf-file="$TMP/bad.conf" >"$TMP/out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "bad.conf:2:" "$TMP/out"; then
	ok "malformed line: exit 2 with file:line"
else
	bad "malformed line: exit $rc: $(head -n 2 "$TMP/out")"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
