#!/bin/bash
# tests/integration/wardd_blocklist.sh: blocklists through the daemon
# (docs/blocklists.md). wardd on 127.0.0.1 (a random high port) forwards to
# a loopback dnsmasq; its lists: a file (hosts lines and domain lines), an
# allow-list file, and a URL served by `python3 -m http.server` on
# 127.0.0.1 (a random port), fetched every second. Checked with dig:
# 0.0.0.0 / :: with EDE 15, no EDE without EDNS, subdomains of domain
# entries but not of hosts entries, the allow-list, the URL list in force,
# a CNAME from upstream to a listed name, a changed URL list taken after a
# refresh, failed fetches (404, an HTML
# page, the server gone) keeping the old list, SIGHUP re-reading the file,
# blocked answers in the query log, the blocked count in SIGUSR1's
# statistics, blocklist-mode=nxdomain, and
# `wardd --test` / `ward conf check` on bad lines.
. "$(dirname "$0")/wardd_lib.sh"

for v in http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy; do
	unset "$v"       # the fetches go straight to 127.0.0.1
done

# a port free for UDP and TCP on 127.0.0.1 (random, high, below the
# ephemeral range)
free_port() {
	python3 - <<'PY'
import random, socket
# below the kernel's ephemeral range: no outgoing socket takes it meanwhile
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    p = random.randrange(10000, lo)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", p))
        u.close(); t.close()
        print(p); break
    except OSError:
        pass
PY
}

A=127.0.0.1
PORT=$(free_port)
UP_PORT=$(free_port)
HTTP_PORT=$(free_port)
NX_PORT=$(free_port)
if [ -z "$PORT" ] || [ -z "$UP_PORT" ] || [ -z "$HTTP_PORT" ] || [ -z "$NX_PORT" ]; then
	echo "FAIL: no free port"
	exit 1
fi

wl_start_upstream "$A" "$UP_PORT" --local=/test/ \
	--host-record=ok.ads.test,192.0.2.9 \
	--host-record=sub.exact.test,192.0.2.10 \
	--host-record=v1.url.test,192.0.2.11 \
	--host-record=plain.test,192.0.2.12 \
	--host-record=tgt.ads.test,192.0.2.13 \
	--cname=cn.test,tgt.ads.test

WEB="$WL_DIR/web"
mkdir -p "$WEB"
cat >"$WEB/list.txt" <<EOF
# a URL list, version 1
||v1.url.test^
EOF
python3 -m http.server "$HTTP_PORT" --bind "$A" --directory "$WEB" \
	>"$WL_DIR/http.log" 2>&1 &
HTTP_PID=$!
WL_PIDS+=("$HTTP_PID")
for _ in $(seq 100); do
	python3 -c "import urllib.request,sys; urllib.request.urlopen('http://$A:$HTTP_PORT/list.txt', timeout=1)" \
		2>/dev/null && break
	sleep 0.1
done

cat >"$WL_DIR/block.txt" <<EOF
# hosts lines: exactly these names
0.0.0.0 exact.test
127.0.0.1 localhost
# domain lines: the name and below
ads.test
EOF
cat >"$WL_DIR/allow.txt" <<EOF
ok.ads.test
EOF
cat >"$WL_DIR/w.conf" <<EOF
port=$PORT
listen-address=$A
bind-interfaces
no-resolv
no-hosts
server=$A#$UP_PORT
blocklist=$WL_DIR/block.txt
blocklist=http://$A:$HTTP_PORT/list.txt
allowlist=$WL_DIR/allow.txt
blocklist-refresh=1
log-queries
EOF
wl_start_wardd w --conf-file="$WL_DIR/w.conf" --pid-file= --user=
WPID=$WL_WARDD_PID
wl_wait_dns "$A" "$PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }

q() { # name [type] [dig options]: the whole dig output
	dig +time=3 +tries=1 @"$A" -p "$PORT" "$1" "${2:-A}" "${@:3}"
}
short() { # name [type]
	dig +time=3 +tries=1 +short @"$A" -p "$PORT" "$1" "${2:-A}"
}
blocked() { # name: 0.0.0.0 with EDE 15
	local out
	out=$(q "$1")
	grep -q "EDE: 15 (Blocked)" <<<"$out" &&
		grep -Eq "^$1\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+0\.0\.0\.0" <<<"$out"
}
resolves() { # name address
	[ "$(short "$1")" = "$2" ]
}
# poll for a condition, at most 15 s (100 x 0.15 s)
wait_for() {
	for _ in $(seq 100); do
		"$@" && return 0
		sleep 0.15
	done
	return 1
}

check "file, hosts line: exact.test is 0.0.0.0 with EDE 15" blocked exact.test
check "file, hosts line: AAAA is ::" [ "$(short exact.test AAAA)" = "::" ]
check "file, hosts line: a name below it is not blocked" resolves sub.exact.test 192.0.2.10
check "file, domain line: the name is blocked" blocked ads.test
check "file, domain line: a name below it is blocked" blocked a.b.ads.test
check "allow-list wins: ok.ads.test resolves upstream" resolves ok.ads.test 192.0.2.9
check "localhost in a hosts list is not blocked" bash -c "! dig +time=3 +tries=1 @$A -p $PORT localhost A | grep -q 'EDE: 15'"
check "no EDNS in the query: no EDE, still 0.0.0.0" bash -c \
	"out=\$(dig +noedns +time=3 +tries=1 @$A -p $PORT exact.test A); ! grep -q EDE <<<\"\$out\" && grep -q '0\.0\.0\.0' <<<\"\$out\""
check "MX of a blocked name: NOERROR without records" bash -c \
	"out=\$(dig +time=3 +tries=1 @$A -p $PORT ads.test MX); grep -q 'status: NOERROR' <<<\"\$out\" && grep -q 'ANSWER: 0' <<<\"\$out\" && grep -q 'EDE: 15' <<<\"\$out\""
check "unlisted name resolves" resolves plain.test 192.0.2.12
check "CNAME inspection: cn.test -> tgt.ads.test (listed) is blocked" blocked cn.test
check "log-queries: a blocked answer is logged as blocked" grep -q "blocked exact.test is 0.0.0.0" "$WL_DIR/w.log"
check "log-queries: a forwarded answer is not" bash -c "! grep -q 'blocked plain.test' '$WL_DIR/w.log'"

# the URL list
check "URL list fetched and in force: v1.url.test blocked" wait_for blocked v1.url.test

# the served list changes: taken at the next refresh
printf '# version 2\nv2.url.test\n' >"$WEB/list.tmp"
mv "$WEB/list.tmp" "$WEB/list.txt"
check "refresh: the changed URL list blocks v2.url.test" wait_for blocked v2.url.test
check "refresh: v1.url.test (gone from the list) resolves again" wait_for resolves v1.url.test 192.0.2.11

# 404: the old list stays
rm "$WEB/list.txt"
check "HTTP 404 is logged as a failed fetch" wait_for bash -c "[ \$(grep -c 'fetch failed: HTTP status 404' '$WL_DIR/w.log') -ge 1 ]"
check "after a 404 the old list is kept" blocked v2.url.test
# an HTML page is not a list
printf '<html>\n<head><title>Oops</title></head>\n<body>Service unavailable, try later</body>\n</html>\n' >"$WEB/list.txt"
check "an HTML page is refused as not a list" wait_for grep -q "fetch failed: not a list" "$WL_DIR/w.log"
check "after an HTML page the old list is kept" blocked v2.url.test
# the server gone
kill "$HTTP_PID"
wait "$HTTP_PID" 2>/dev/null
check "server gone: a connection failure is logged" wait_for grep -Eq "fetch failed: .*(connect|Connection refused)" "$WL_DIR/w.log"
check "server gone: the old list is kept" blocked v2.url.test
check "the old list is logged as kept" grep -q "the list in force is kept (1 names)" "$WL_DIR/w.log"

# SIGHUP: the file list is read again
echo "hup.test" >>"$WL_DIR/block.txt"
check "before SIGHUP hup.test is not blocked" bash -c "! dig +time=3 +tries=1 @$A -p $PORT hup.test A | grep -q 'EDE: 15'"
kill -HUP "$WPID"
check "SIGHUP: the changed file list blocks hup.test" wait_for blocked hup.test
check "SIGHUP: the file's other entries still block" blocked exact.test

# SIGUSR1: the blocked count
kill -USR1 "$WPID"
check "SIGUSR1: blocked count logged" wait_for grep -Eq "blocked [1-9][0-9]* queries" "$WL_DIR/w.log"
check "SIGUSR1: per-list lines logged (file read twice)" grep -q "blocklist $WL_DIR/block.txt: 3 names, read 2 times" "$WL_DIR/w.log"

# blocklist-mode=nxdomain, a file list only
wl_start_wardd nx --port="$NX_PORT" --listen-address="$A" --bind-interfaces --no-resolv \
	--no-hosts --server="$A#$UP_PORT" --blocklist="$WL_DIR/block.txt" \
	--blocklist-mode=nxdomain --pid-file= --user=
wl_wait_dns "$A" "$NX_PORT" || { cat "$WL_DIR/nx.out"; echo "FAIL: wardd (nxdomain) did not start"; exit 1; }
check "nxdomain mode: NXDOMAIN with EDE 15" bash -c \
	"out=\$(dig +time=3 +tries=1 @$A -p $NX_PORT x.ads.test A); grep -q 'status: NXDOMAIN' <<<\"\$out\" && grep -q 'EDE: 15 (Blocked)' <<<\"\$out\""
check "nxdomain mode: unlisted name resolves" bash -c \
	"[ \"\$(dig +time=3 +tries=1 +short @$A -p $NX_PORT plain.test A)\" = 192.0.2.12 ]"

# configuration checks: bad option values name file:line; --test reads
# the file lists and names their bad lines
cat >"$WL_DIR/bad.conf" <<EOF
no-resolv
blocklist-mode=drop
blocklist=gopher://example.test/x
EOF
out=$("$WARD" conf check "$WL_DIR/bad.conf" 2>&1)
check "ward conf check: blocklist-mode error at file:line" grep -q "bad.conf:2:" <<<"$out"
check "ward conf check: URL scheme error at file:line" grep -q "bad.conf:3:" <<<"$out"
printf 'good.test\ntwo names\n' >"$WL_DIR/badlist.txt"
out=$("$WARDD" --test --conf-file=/dev/null --no-resolv --server="$A#$UP_PORT" \
	--blocklist="$WL_DIR/badlist.txt" --blocklist="http://$A:1/never-fetched" 2>&1)
check "wardd --test: a bad list line is named file:line" grep -q "badlist.txt:2: more than one name" <<<"$out"
check "wardd --test: the list is counted and the check passes" grep -q "syntax check OK" <<<"$out"

wl_finish
