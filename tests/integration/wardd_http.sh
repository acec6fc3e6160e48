#!/bin/bash
# tests/integration/wardd_http.sh: wardd's dashboard and /metrics
# (docs/dashboard.md). wardd forwards to a loopback dnsmasq and validates
# DNSSEC for signed.test (a trust anchor the upstream cannot back: bogus
# answers with EDE 9); everything on a random 127.88.x.y address and
# random ports. Checks: /metrics numbers move with dig traffic, the live
# log (server-sent events) shows a query and honours its filter, HTTP
# Basic 401/200 over TLS, the non-loopback password refusal, read-only methods, the
# Host check; then headless Chromium loads every page, checks its content
# and saves a screenshot of the overview (of every page into
# $WARD_SCREENSHOT_DIR when set: WARD_SCREENSHOT_DIR=docs/img makes the
# README's). Chromium missing: those checks are skipped with a note.
. "$(dirname "$0")/wardd_lib.sh"

for tool in curl openssl; do
	command -v "$tool" >/dev/null || { echo "skip: $tool is not installed"; exit 77; }
done

A=127.88.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
# ports below the kernel's ephemeral range (32768-60999): a port the
# kernel hands to some client socket cannot be taken before we bind it
UP_PORT=$((20000 + RANDOM % 4000))
PORT=$((24000 + RANDOM % 4000))
HPORT=$((28000 + RANDOM % 4000))
URL="http://$A:$HPORT"

wl_start_upstream "$A" "$UP_PORT" --local=/up.test/ --local=/signed.test/ \
	--host-record=www.up.test,192.0.2.80 --host-record=sse-probe.up.test,192.0.2.82 \
	--host-record=www.signed.test,192.0.2.81

cat >"$WL_DIR/w.conf" <<EOF
port=$PORT
listen-address=$A
bind-interfaces
no-resolv
no-hosts
server=$A#$UP_PORT
dnssec
trust-anchor=signed.test,12345,8,2,3490A6806D47F17A34C29E2CE80E8A999FFBE4BE4BE4BE4BE4BE4BE4BE4BE4BE
host-record=nas.lan,192.168.1.5
local=/lan/
dashboard-address=$A#$HPORT
EOF
wl_start_wardd w --conf-file="$WL_DIR/w.conf" --pid-file= --user=
wl_wait_dns "$A" "$PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }
check "the dashboard's address is logged" grep -q "dashboard on $URL/" "$WL_DIR/w.log"

# one value of /metrics (labels included in the name given)
metric() { # file name
	awk -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }' "$1"
}
grows_by() { # name delta (exact)
	local a b
	a=$(metric "$WL_DIR/m1" "$1")
	b=$(metric "$WL_DIR/m2" "$1")
	if [ "$a" != missing ] && [ "$b" != missing ] && [ $((b - a)) -eq "$2" ]; then
		return 0
	fi
	echo "     $1: $a -> $b, expected +$2"
	return 1
}
grows() { # name
	local a b
	a=$(metric "$WL_DIR/m1" "$1")
	b=$(metric "$WL_DIR/m2" "$1")
	[ "$a" != missing ] && [ "$b" != missing ] && [ "$b" -gt "$a" ] && return 0
	echo "     $1: $a -> $b, expected to grow"
	return 1
}

curl -s -o "$WL_DIR/m1" -D "$WL_DIR/m1.h" "$URL/metrics"
check "/metrics answers in the Prometheus text format" \
	grep -qi '^content-type: text/plain; version=0.0.4' "$WL_DIR/m1.h"
check "/metrics has the latency histogram" grep -q '^resolver_latency_bucket{le="+Inf"}' "$WL_DIR/m1"
q() { dig +time=3 +tries=1 @"$A" -p "$PORT" "$@"; }
q www.up.test A >/dev/null            # upstream
q www.up.test A >/dev/null            # cache
q nx1.up.test A >/dev/null            # NXDOMAIN (upstream)
q nas.lan A >/dev/null                # local data
q www.signed.test A >"$WL_DIR/bogus.dig"   # bogus: EDE 9
check "the bogus answer is SERVFAIL with EDE 9" grep -q "EDE: 9" "$WL_DIR/bogus.dig"
curl -s -o "$WL_DIR/m2" "$URL/metrics"
check "resolver_request_total +5" grows_by resolver_request_total 5
check "resolver_answer_total +5" grows_by resolver_answer_total 5
check "resolver_latency_count +5" grows_by resolver_latency_count 5
check "resolver_answer_rcode_noerror +3" grows_by resolver_answer_rcode_noerror 3
check "resolver_answer_rcode_nxdomain +1" grows_by resolver_answer_rcode_nxdomain 1
check "resolver_answer_rcode_servfail +1" grows_by resolver_answer_rcode_servfail 1
check "resolver_answer_cached grows (second www.up.test)" grows resolver_answer_cached
check "resolver_answer_flag_aa +1 (local data)" grows_by resolver_answer_flag_aa 1
check "resolver_dnssec_bogus +1" grows_by resolver_dnssec_bogus 1
check "resolver_upstream_sent grows for the upstream" grows "resolver_upstream_sent{server=\"$A#$UP_PORT\"}"
check "resolver_upstream_replies grows for the upstream" grows "resolver_upstream_replies{server=\"$A#$UP_PORT\"}"

# the live log: a stream filtered on a name sees the matching query only
curl -sN --max-time 20 "$URL/log/events?name=sse-probe" >"$WL_DIR/sse.out" 2>/dev/null &
SSE_PID=$!
WL_PIDS+=("$SSE_PID")
for _ in $(seq 50); do
	grep -q '^: connected' "$WL_DIR/sse.out" && break
	sleep 0.1
done
check "SSE stream connected" grep -q '^: connected' "$WL_DIR/sse.out"
q www.up.test A >/dev/null
q sse-probe.up.test A >/dev/null
for _ in $(seq 50); do
	grep -q '"name":"sse-probe.up.test."' "$WL_DIR/sse.out" && break
	sleep 0.1
done
kill "$SSE_PID" 2>/dev/null
check "SSE shows the query as an event" grep -q '"name":"sse-probe.up.test.","type":"A","rcode":"NOERROR"' "$WL_DIR/sse.out"
check "SSE event has an id line" grep -q '^id: [0-9]' "$WL_DIR/sse.out"
check "SSE filter leaves other names out" bash -c "! grep -q 'www.up.test' '$WL_DIR/sse.out'"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/log/events?rcode=NOPE")
check "a bad SSE filter is 400" [ "$code" = 400 ]
code=$(curl -s -o "$WL_DIR/log.html" -w '%{http_code}' "$URL/log?rcode=SERVFAIL")
check "/log filtered on SERVFAIL lists the bogus answer" grep -q 'www.signed.test.' "$WL_DIR/log.html"
check "/log filtered on SERVFAIL leaves NOERROR out" bash -c "! grep -q 'nas.lan.' '$WL_DIR/log.html'"
# what a browser without JavaScript shows: the table rendered by wardd
curl -s -o "$WL_DIR/log-all.html" "$URL/log"
check "/log without JavaScript: the rows are in the HTML" \
	bash -c "grep -q '<td>sse-probe.up.test.</td>' '$WL_DIR/log-all.html' && grep -q 'Reload for new queries' '$WL_DIR/log-all.html'"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/")
check "POST is 405 (read-only dashboard)" [ "$code" = 405 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: rebind.example' "$URL/")
check "a foreign Host name is refused without a password" [ "$code" = 421 ]
curl -s -D "$WL_DIR/h.h" -o /dev/null "$URL/"
check "pages carry a Content-Security-Policy" grep -qi "^content-security-policy: default-src 'none'" "$WL_DIR/h.h"

# a password: HTTP Basic, over TLS (a self-signed certificate)
HP2=$((HPORT + 1))
PURL="https://$A:$HP2"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$WL_DIR/key.pem" -out "$WL_DIR/cert.pem" -days 2 -subj "/CN=$A" \
	>/dev/null 2>&1 || { echo "FAIL: openssl could not make a certificate"; exit 1; }
wl_start_wardd p --port=0 --no-resolv --no-hosts --server="$A#9" --pid-file= --user= \
	--dashboard-address="$A#$HP2" --dashboard-password=s3cret \
	--dashboard-tls-cert="$WL_DIR/cert.pem" --dashboard-tls-key="$WL_DIR/key.pem"
for _ in $(seq 50); do
	curl -sk -o /dev/null "$PURL/" && break
	sleep 0.1
done
code=$(curl -sk -D "$WL_DIR/p.h" -o /dev/null -w '%{http_code}' "$PURL/metrics")
check "no credentials: 401" [ "$code" = 401 ]
check "401 asks for Basic" grep -qi '^www-authenticate: basic realm="wardd"' "$WL_DIR/p.h"
code=$(curl -sk -o /dev/null -w '%{http_code}' -u admin:wrong "$PURL/metrics")
check "wrong password: 401" [ "$code" = 401 ]
code=$(curl -sk -o /dev/null -w '%{http_code}' -u admin:s3cret "$PURL/metrics")
check "right password over TLS: 200" [ "$code" = 200 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:s3cret "http://$A:$HP2/metrics")
check "plain HTTP gets nothing from the TLS port" [ "$code" = 000 ]
curl -sk -u admin:s3cret -o "$WL_DIR/pc.html" "$PURL/config"
check "the configuration page hides the password" bash -c "grep -q 'dashboard-password=(hidden)' '$WL_DIR/pc.html' && ! grep -q s3cret '$WL_DIR/pc.html'"

# live-log streams are bounded, and a stream does not hold up the stop
for i in 1 2 3 4 5 6 7 8; do
	curl -skN -u admin:s3cret --max-time 30 "$PURL/log/events" >"$WL_DIR/s$i.out" 2>/dev/null &
	WL_PIDS+=($!)
done
for _ in $(seq 100); do
	n=$(grep -l '^: connected' "$WL_DIR"/s[1-8].out 2>/dev/null | wc -l)
	[ "$n" = 8 ] && break
	sleep 0.1
done
check "8 live-log streams at once" [ "$n" = 8 ]
code=$(curl -sk -u admin:s3cret -o /dev/null -w '%{http_code}' --max-time 5 "$PURL/log/events")
check "a 9th stream is refused (503)" [ "$code" = 503 ]
PPID_P=$WL_WARDD_PID
kill -TERM "$PPID_P"
for _ in $(seq 50); do
	kill -0 "$PPID_P" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$PPID_P" 2>/dev/null; then
	echo "     wardd still runs 5 s after SIGTERM"
	kill -9 "$PPID_P"
fi
wait "$PPID_P"
rc=$?
check "wardd stops promptly with 8 streams open (exit 0)" [ "$rc" = 0 ]

# a password on a non-loopback address without TLS: refused, with file:line
printf 'dashboard-address=192.0.2.1#8053\ndashboard-password=x\n' >"$WL_DIR/bad.conf"
"$WARDD" --conf-file="$WL_DIR/bad.conf" --test >"$WL_DIR/bad.out" 2>&1
rc=$?
check "wardd refuses a password on a non-loopback address (exit 2)" [ "$rc" = 2 ]
check "the refusal names file:line" grep -q "bad.conf:2: option 'dashboard-password': refused on the non-loopback" "$WL_DIR/bad.out"
"$WARD" conf check "$WL_DIR/bad.conf" >/dev/null 2>&1
check "ward conf check reports it too" [ $? = 2 ]

# DHCP leases: when root can make a network namespace, a wardd inside one
# serves DHCP on a veth pair (both ends in the namespace) with leases from
# a dnsmasq lease file; udhcpc takes one more; the leases page and the
# lease counters show them. Its dashboard is on the namespace's loopback.
NS=""
LURL=""
if [ "$(id -u)" -eq 0 ] && command -v udhcpc >/dev/null && ip netns add "wardhttp$$" 2>/dev/null; then
	NS="wardhttp$$"
	trap 'wl_cleanup; ip netns del "$NS" 2>/dev/null' EXIT
	nsx() { ip netns exec "$NS" "$@"; }
	nsx ip link set lo up
	nsx ip link add dh0 type veth peer name dh1
	nsx ip addr add 10.99.0.1/24 dev dh0
	nsx ip link set dh0 up
	nsx ip link set dh1 up
	now=$(date +%s)
	cat >"$WL_DIR/leases" <<EOF2
$((now + 3600)) 52:54:00:12:34:56 10.99.0.101 laptop 01:52:54:00:12:34:56
$((now + 7200)) 52:54:00:ab:cd:ef 10.99.0.102 printer *
$((now + 600)) 02:00:00:00:00:07 10.99.0.107 * *
$((now + 2)) 02:00:00:00:00:99 10.99.0.199 shortlived *
EOF2
	LURL="http://127.0.0.1:$HPORT"
	ip netns exec "$NS" "$WARDD" --keep-in-foreground --log-facility="$WL_DIR/d.log" \
		--port=0 --no-resolv --no-hosts --server=127.0.0.1#9 --pid-file= --user= \
		--interface=dh0 --dhcp-range=10.99.0.100,10.99.0.200,12h \
		--dhcp-leasefile="$WL_DIR/leases" --dashboard-address="127.0.0.1#$HPORT" \
		>"$WL_DIR/d.out" 2>&1 &
	WL_PIDS+=($!)
	for _ in $(seq 50); do
		nsx curl -s -o /dev/null "$LURL/" && break
		sleep 0.1
	done
	# the 2-second lease runs out: the DHCP timer removes it
	for _ in $(seq 80); do
		nsx curl -s -o "$WL_DIR/d1" "$LURL/metrics"
		[ "$(metric "$WL_DIR/d1" ward_dhcp_leases_expired_total)" = 1 ] && break
		sleep 0.1
	done
	check "the short lease ran out (ward_dhcp_leases_expired_total 1)" \
		[ "$(metric "$WL_DIR/d1" ward_dhcp_leases_expired_total)" = 1 ]
	nsx timeout 10 udhcpc -i dh1 -n -q -f -x hostname:tablet -s /bin/true \
		>"$WL_DIR/udhcpc.out" 2>&1
	check "udhcpc got a lease from wardd" grep -q "lease of 10.99.0.1" "$WL_DIR/udhcpc.out"
	nsx curl -s -o "$WL_DIR/d2" "$LURL/metrics"
	check "the lease file's 3 other leases are active" [ "$(metric "$WL_DIR/d1" ward_dhcp_leases_active)" = 3 ]
	check "ward_dhcp_leases_active +1 after udhcpc" [ "$(metric "$WL_DIR/d2" ward_dhcp_leases_active)" = 4 ]
	check "ward_dhcp_received grows" [ "$(metric "$WL_DIR/d2" ward_dhcp_received)" -gt "$(metric "$WL_DIR/d1" ward_dhcp_received)" ]
	nsx curl -s -o "$WL_DIR/leases.html" "$LURL/leases"
	check "the leases page lists laptop with its MAC" grep -q '52:54:00:12:34:56</code></td><td>laptop' "$WL_DIR/leases.html"
	check "the leases page lists udhcpc's lease" grep -q "tablet" "$WL_DIR/leases.html"
	check "the leases page lists the expired lease" \
		bash -c "sed -n '/<h2>Expired/,\$p' '$WL_DIR/leases.html' | grep -q 'shortlived'"
else
	echo "note: DHCP lease checks skipped (they need root, udhcpc and ip netns)"
fi

# headless Chromium: each page, its content, a screenshot
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "note: chromium is not installed (scripts/deps installs it): browser checks skipped"
	wl_finish
fi
IMG=${WARD_SCREENSHOT_DIR:-$WL_DIR/img}
mkdir -p "$IMG"
chrome() { # args...
	timeout -k 5 40 ${CHROME_NS:+ip netns exec "$CHROME_NS"} "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$WL_DIR/chrome" "$@" 2>>"$WL_DIR/chrome.err"
}
page() { # base-url path file-stem text...
	local base=$1 path=$2 stem=$3 t
	shift 3
	chrome --dump-dom "$base$path" >"$WL_DIR/$stem.dom"
	for t in "$@"; do
		check "chromium $path shows '$t'" grep -qF -- "$t" "$WL_DIR/$stem.dom"
	done
	# one screenshot proves it works; all of them for the docs (slow)
	[ "$stem" = overview ] || [ -n "${WARD_SCREENSHOT_DIR:-}" ] || return 0
	rm -f "$IMG/dashboard-$stem.png"
	chrome --screenshot="$IMG/dashboard-$stem.png" --window-size=1200,900 \
		--run-all-compositor-stages-before-draw \
		--hide-scrollbars "$base$path" >/dev/null
	check "chromium screenshot of $path" bash -c "head -c 8 '$IMG/dashboard-$stem.png' | grep -q PNG"
}
page "$URL" / overview "Answers by rcode" "$A#$UP_PORT" "queries received" "bogus"
page "$URL" /log log "www.signed.test." "sse-probe.up.test."
# the script ran: it says 'connecting', then 'live' once the stream is open
check "chromium ran the log page's script" grep -Eq 'id="live">(connecting|live)<' "$WL_DIR/log.dom"
page "$URL" /dnssec dnssec "www.signed.test." "no DNSKEY set" "ward diagnose www.signed.test. A"
page "$URL" /config config "dashboard-address=$A#$HPORT" "trust-anchor=signed.test" "ward conf: 0 errors"
if [ -n "$NS" ]; then
	CHROME_NS=$NS page "$LURL" /leases leases "laptop" "52:54:00:ab:cd:ef" "tablet" "shortlived"
else
	page "$URL" /leases leases-off "DHCP is off"
fi
wl_finish
