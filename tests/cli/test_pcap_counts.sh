#!/usr/bin/env bash
# ward decode --pcap on every capture of the shared test data (pcaps/tcpdump,
# pcaps/dnscap, pcaps/tcpreplay: every .pcap and .pcapng):
#  - it must not crash: exit status 0 or 1 only (under the ASan build the
#    sanitized binary runs this same script);
#  - the number of DNS and DHCP messages it finds must equal what tshark
#    finds: the count of <proto name="dns"> / <proto name="dhcp"> elements in
#    tshark's PDML, i.e. one per message (several DNS messages in one TCP
#    segment count each, unlike `tshark -Y dns | wc -l` which counts frames).
#    tshark decodes DNS on 53 (UDP/TCP) and 5353 (TCP only; UDP 5353 is
#    "mdns"), plus a heuristic on other UDP ports; ward's rule is port 53
#    only (capture/capture.h), DHCPv4 on 67/68 for both.
# A file where ward deliberately differs is listed below with the reason, and
# ward's own count for it is asserted instead. Nothing is skipped silently.
# Env: WARD (default bin/ward), WARD_TESTDATA (default ../shared/testdata).
set -u
cd "$(dirname "$0")/../.."
WARD=${WARD:-bin/ward}
TESTDATA=${WARD_TESTDATA:-../shared/testdata}
PCAPS=$TESTDATA/pcaps

if [ ! -d "$PCAPS" ]; then
	echo "SKIP: $PCAPS is absent (shared test data not available)"
	echo "0 passed, 0 failed"
	exit 0
fi
if [ ! -x "$WARD" ]; then
	echo "FAIL: $WARD is not built"
	echo "0 passed, 1 failed"
	exit 1
fi
HAVE_TSHARK=1
if ! command -v tshark >/dev/null 2>&1; then
	HAVE_TSHARK=0
	echo "note: tshark is not installed: only the crash check and the listed counts are tested"
fi

# Deliberate differences: path under pcaps/ -> "DNS DHCP" ward must find.
declare -A WARD_EXPECT WHY
WARD_EXPECT[tcpdump/dns_udp_8053.pcap]="0 0"
WHY[tcpdump/dns_udp_8053.pcap]="UDP port 8053 is not a DNS port for ward (53 and configured extra ports only); tshark's heuristic UDP dissector takes it as DNS (2)"
WARD_EXPECT[dnscap/dnso1tcp-bighole.pcap]="76 0"
WHY[dnscap/dnso1tcp-bighole.pcap]="79 client bytes are missing (a length prefix among them): ward skips the orphaned query and resyncs at the next segment that frames a well-formed message, finding 35 more client queries; tshark reads the orphan's ID as a length (22531) and waits for the rest of the stream (41)"

pass=0
fail=0
failed=()
printf '%-48s %7s %7s %7s %7s %4s  %s\n' "capture" "dns:ts" "dns:ward" "dhcp:ts" "dhcp:ward" "exit" "result"

while IFS= read -r -d '' f; do
	rel=${f#"$PCAPS"/}
	# tshark's count of DNS and DHCP messages
	ts_dns="-" ts_dhcp="-"
	if [ $HAVE_TSHARK = 1 ]; then
		pdml=$(tshark -r "$f" -T pdml 2>/dev/null)
		ts_dns=$(grep -c '<proto name="dns"' <<<"$pdml")
		ts_dhcp=$(grep -c '<proto name="dhcp"' <<<"$pdml")
	fi
	# ward's count, from its machine-readable line on stderr
	err=$("$WARD" decode --pcap "$f" 2>&1 >/dev/null)
	rc=$?
	line=$(grep -m1 '^decode: [0-9]* dns messages, [0-9]* dhcp messages' <<<"$err")
	w_dns=$(sed -n 's/^decode: \([0-9]*\) dns messages, .*/\1/p' <<<"$line")
	w_dhcp=$(sed -n 's/^decode: [0-9]* dns messages, \([0-9]*\) dhcp messages.*/\1/p' <<<"$line")

	want_dns=$ts_dns want_dhcp=$ts_dhcp note=""
	if [ -n "${WARD_EXPECT[$rel]:-}" ]; then
		read -r want_dns want_dhcp <<<"${WARD_EXPECT[$rel]}"
		note="listed: ${WHY[$rel]}"
	fi

	result=ok
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		result="FAIL: exit status $rc (crash?): $(tail -n 3 <<<"$err" | tr '\n' ' ')"
	elif [ -z "$line" ]; then
		result="FAIL: no 'decode: N dns messages, M dhcp messages' line on stderr"
	elif [ "$want_dns" != "-" ] && [ "$w_dns" != "$want_dns" ]; then
		result="FAIL: $w_dns DNS messages, expected $want_dns"
	elif [ "$want_dhcp" != "-" ] && [ "$w_dhcp" != "$want_dhcp" ]; then
		result="FAIL: $w_dhcp DHCP messages, expected $want_dhcp"
	fi
	if [ "$result" = ok ]; then
		pass=$((pass + 1))
		[ -n "$note" ] && result="ok ($note)"
	else
		fail=$((fail + 1))
		failed+=("$rel")
	fi
	printf '%-48s %7s %7s %7s %7s %4s  %s\n' "$rel" "$ts_dns" "${w_dns:--}" \
		"$ts_dhcp" "${w_dhcp:--}" "$rc" "$result"
done < <(find "$PCAPS" -type f \( -name '*.pcap' -o -name '*.pcapng' \) -print0 | sort -z)

# port 8053 declared as DNS on both sides: ward --dns-port 8053 and tshark
# -d ...port==8053,dns must agree
for rel in tcpdump/dns_udp_8053.pcap tcpdump/dns_tcp_8053.pcap; do
	f="$PCAPS/$rel"
	[ -f "$f" ] && [ $HAVE_TSHARK = 1 ] || continue
	ts=$(tshark -r "$f" -d udp.port==8053,dns -d tcp.port==8053,dns -T pdml 2>/dev/null | grep -c '<proto name="dns"')
	w=$("$WARD" decode --pcap "$f" --dns-port 8053 2>&1 >/dev/null | sed -n 's/^decode: \([0-9]*\) dns messages, .*/\1/p')
	if [ "$w" = "$ts" ] && [ "$ts" -gt 0 ]; then
		pass=$((pass + 1))
		printf '%-48s %7s %7s %7s %7s %4s  %s\n' "$rel --dns-port 8053" "$ts" "$w" - - - ok
	else
		fail=$((fail + 1))
		failed+=("$rel --dns-port 8053")
		printf '%-48s %7s %7s %7s %7s %4s  %s\n' "$rel --dns-port 8053" "$ts" "${w:--}" - - - "FAIL"
	fi
done

# a file that is not a capture, and one that does not exist: exit 2, no crash
tmp=$(mktemp)
echo "not a capture" >"$tmp"
for bad in "$tmp" "$tmp.missing"; do
	"$WARD" decode --pcap "$bad" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq 2 ]; then
		pass=$((pass + 1))
		printf '%-48s %7s %7s %7s %7s %4s  %s\n' "(unreadable file)" - - - - "$rc" ok
	else
		fail=$((fail + 1))
		failed+=("unreadable:$bad")
		printf '%-48s %7s %7s %7s %7s %4s  %s\n' "(unreadable file)" - - - - "$rc" "FAIL: expected exit 2"
	fi
done
rm -f "$tmp"

echo
[ $fail -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
