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
UP_PORT=$((20000 + RANDOM % 10000))
PORT=$((30000 + RANDOM % 10000))
HPORT=$((40000 + RANDOM % 10000))
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

# a password on a non-loopback address without TLS: refused, with file:line
printf 'dashboard-address=192.0.2.1#8053\ndashboard-password=x\n' >"$WL_DIR/bad.conf"
"$WARDD" --conf-file="$WL_DIR/bad.conf" --test >"$WL_DIR/bad.out" 2>&1
rc=$?
check "wardd refuses a password on a non-loopback address (exit 2)" [ "$rc" = 2 ]
check "the refusal names file:line" grep -q "bad.conf:2: option 'dashboard-password': refused on the non-loopback" "$WL_DIR/bad.out"
"$WARD" conf check "$WL_DIR/bad.conf" >/dev/null 2>&1
check "ward conf check reports it too" [ $? = 2 ]

# headless Chromium: each page, its content, a screenshot
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "note: chromium is not installed (scripts/deps installs it): browser checks skipped"
	wl_finish
fi
IMG=${WARD_SCREENSHOT_DIR:-$WL_DIR/img}
mkdir -p "$IMG"
chrome() { # args...
	timeout -k 5 40 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$WL_DIR/chrome" "$@" 2>>"$WL_DIR/chrome.err"
}
page() { # path file-stem text...
	local path=$1 stem=$2 t
	shift 2
	chrome --dump-dom "$URL$path" >"$WL_DIR/$stem.dom"
	for t in "$@"; do
		check "chromium $path shows '$t'" grep -qF -- "$t" "$WL_DIR/$stem.dom"
	done
	# one screenshot proves it works; all of them for the docs (slow)
	[ "$stem" = overview ] || [ -n "${WARD_SCREENSHOT_DIR:-}" ] || return 0
	rm -f "$IMG/dashboard-$stem.png"
	chrome --screenshot="$IMG/dashboard-$stem.png" --window-size=1200,900 \
		--hide-scrollbars "$URL$path" >/dev/null
	check "chromium screenshot of $path" bash -c "head -c 8 '$IMG/dashboard-$stem.png' | grep -q PNG"
}
page / overview "Answers by rcode" "$A#$UP_PORT" "queries received" "bogus"
page /log log "www.signed.test." "sse-probe.up.test." 'id="live">live<'
page /dnssec dnssec "www.signed.test." "no DNSKEY set" "ward diagnose www.signed.test. A"
page /leases leases "DHCP is off"
page /config config "dashboard-address=$A#$HPORT" "trust-anchor=signed.test" "ward conf: 0 errors"
wl_finish
