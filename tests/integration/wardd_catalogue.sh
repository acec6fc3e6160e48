#!/bin/bash
# tests/integration/wardd_catalogue.sh: for every testbed catalogue name,
# wardd's recursive answer (from the testbed root hints) against the
# testbed Unbound's answer to the same query with +cd (no validation on
# either side: wardd does not validate yet). Compared: the rcode and the
# answer section's RRsets (owner, type, rdata; TTLs ignored). A difference
# fails unless it is listed in KNOWN below with its reason; a KNOWN entry
# that no longer differs is reported (so the list shrinks as ward grows).
#
#   tests/integration/wardd_catalogue.sh [CASE...]
. "$(dirname "$0")/wardd_lib.sh"

# case -> why wardd's answer differs from Unbound's (+cd)
DNAME_WHY="the engine answers with the synthesised CNAME but leaves the DNAME record itself out of the answer (RFC 6672 3.1 wants both; docs/resolver.md, not done yet)"
declare -A KNOWN=(
	[dname-secure]=$DNAME_WHY
	[dname-to-insecure]=$DNAME_WHY
	[dname-to-bogus]=$DNAME_WHY
	[dname-badsig]=$DNAME_WHY
)

wl_testbed
R=127.0.77.40
PORT=5340
wl_start_wardd r --conf-file=/dev/null --port="$PORT" --listen-address="$R" \
	--no-resolv --no-hosts --root-hints="$WARD_TB_ROOT_HINTS" --pid-file= --user=
wl_wait_dns "$R" "$PORT" || { cat "$WL_DIR/r.out"; echo "FAIL: wardd did not start"; exit 1; }

# "RCODE" then the sorted answer lines "owner type rdata" (lowercased owner)
answer() { # addr port name type
	dig +cd +time=20 +tries=1 @"$1" -p "$2" "$3" "$4" 2>&1 | awk '
		/status:/ { s = $0; sub(/.*status: /, "", s); sub(/,.*/, "", s); rc = s }
		/^;; ANSWER SECTION:/ { ans = 1; next }
		/^$/ { ans = 0 }
		ans && !/^;/ { o = tolower($1); $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, ""); print o, $0 }
		END { print (rc == "" ? "TIMEOUT" : rc) }' | sort
}

ONLY=" $* "
n=0
diffs=0
while IFS=$'\t' read -r case qname qtype _rest; do
	case $case in ''|'#'*) continue ;; esac
	if [ -n "${*:-}" ] && [[ $ONLY != *" $case "* ]]; then continue; fi
	n=$((n + 1))
	w=$(answer "$R" "$PORT" "$qname" "$qtype")
	u=$(answer "$WARD_TB_UNBOUND" 53 "$qname" "$qtype")
	if [ "$w" = "$u" ]; then
		if [ -n "${KNOWN[$case]:-}" ]; then
			echo "note $case: listed as a known difference but now equal"
		fi
		check "$case ($qname $qtype): $(tail -n 1 <<<"$w")" true
		continue
	fi
	diffs=$((diffs + 1))
	if [ -n "${KNOWN[$case]:-}" ]; then
		check "$case: known difference: ${KNOWN[$case]}" true
	else
		check "$case ($qname $qtype) differs" false
	fi
	echo "     wardd:   $(tr '\n' '|' <<<"$w")"
	echo "     unbound: $(tr '\n' '|' <<<"$u")"
done <"$WARD_TB_CATALOGUE"
echo "$n catalogue names, $diffs differ from Unbound (+cd)"
wl_finish
