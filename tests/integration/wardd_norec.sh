#!/bin/bash
# tests/integration/wardd_norec.sh: queries without RD (dig +norec) are
# answered from the cache only (resolver/engine_norec.c, docs/resolver.md
# "Queries without RD"). wardd forwards to a loopback dnsmasq that logs
# its queries: +norec before the name is cached gets REFUSED with EDE 20
# and nothing reaches the upstream; after an ordinary query the +norec
# query gets the cached answer (RD clear), again without a query
# upstream; a name never asked stays REFUSED; a name under local=/lan/
# still gets its NXDOMAIN.
. "$(dirname "$0")/wardd_lib.sh"

UP=127.0.91.1
UP_PORT=5391
W=127.0.91.2
PORT=5392

wl_start_upstream "$UP" "$UP_PORT" --log-queries --local=/up.test/ \
	--host-record=www.up.test,192.0.2.80

cat >"$WL_DIR/w.conf" <<EOF
port=$PORT
bind-interfaces
no-resolv
no-hosts
server=$UP#$UP_PORT
local=/lan/
EOF
wl_start_wardd w --conf-file="$WL_DIR/w.conf" --listen-address="$W" --pid-file= --user=
wl_wait_dns "$W" "$PORT" || { echo "FAIL: wardd did not start"; cat "$WL_DIR/w.out"; exit 1; }

# queries for name that reached the upstream (dnsmasq logs "query[A] name")
asked() { grep -c "query\[A\] $1 " "$WL_DIR/upstream.log" 2>/dev/null || true; }

out=$(dig +norec +time=2 +tries=1 @"$W" -p "$PORT" www.up.test A)
check "+norec, nothing cached: REFUSED" grep -q "status: REFUSED" <<<"$out"
check "+norec, nothing cached: EDE 20 (Not Authoritative)" grep -q "EDE: 20" <<<"$out"
check "+norec, nothing cached: nothing asked upstream" test "$(asked www.up.test)" -eq 0

out=$(dig +time=2 +tries=1 @"$W" -p "$PORT" www.up.test A)
check "with RD: the upstream's answer" grep -q "192.0.2.80" <<<"$out"
n=$(asked www.up.test)
check "with RD: asked upstream once" test "$n" -eq 1

out=$(dig +norec +time=2 +tries=1 @"$W" -p "$PORT" www.up.test A)
check "+norec, cached: NOERROR" grep -q "status: NOERROR" <<<"$out"
check "+norec, cached: the cached address" grep -q "192.0.2.80" <<<"$out"
check "+norec, cached: RD stays clear" bash -c "! grep -q 'flags:.* rd' <<<\"\$1\"" _ "$out"
check "+norec, cached: nothing more asked upstream" test "$(asked www.up.test)" -eq "$n"

out=$(dig +norec +time=2 +tries=1 @"$W" -p "$PORT" other.up.test A)
check "+norec, another name: REFUSED (no NS set cached when forwarding)" \
	grep -q "status: REFUSED" <<<"$out"
check "+norec, another name: nothing asked upstream" test "$(asked other.up.test)" -eq 0

out=$(dig +norec +time=2 +tries=1 @"$W" -p "$PORT" nas.lan A)
check "+norec under local=/lan/: NXDOMAIN as with RD (configuration, not recursion)" \
	grep -q "status: NXDOMAIN" <<<"$out"
wl_finish
