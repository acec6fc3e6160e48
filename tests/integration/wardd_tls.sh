#!/bin/bash
# tests/integration/wardd_tls.sh: encrypted DNS towards clients
# (docs/encrypted-dns.md). A test CA and a server certificate are made
# with openssl at test time (nothing committed); wardd serves local data
# and forwards to a loopback dnsmasq, with DNS over TLS and DNS over HTTPS
# on random ports. Checked: kdig +tls with the CA (and a wrong host name
# refused), several queries pipelined on one TLS connection (python ssl,
# ALPN "dot"), EDNS padding of the answers, kdig +https (POST) and
# +https-get, curl --http2 GET with
# its headers, HTTP errors (bad base64 400, path 404, method 405,
# content-type 415, oversized body 413, oversized headers 431), the
# HTTP/2 stream limit and a "rapid reset" flood (raw frames), garbage on
# the TLS port, plain HTTP without TLS, HTTP/1.1-only ALPN, a client that
# never finishes its handshake (closed by the handshake timer), idle DoT
# and DoH connections (closed after 10 s, GOAWAY first), 150 silent
# connections over the cap of 128 while a real client is served, wardd
# answering after each, the SIGUSR1 counters, `ward conf check` and a
# missing certificate (file:line, exit 2).
. "$(dirname "$0")/wardd_lib.sh"

for tool in kdig curl openssl; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done

W=127.0.88.1
UP=127.0.88.2
# random ports below the kernel's ephemeral range
base=$((20000 + RANDOM % 5000 * 2))
UP_PORT=$base
PORT=$((base + 1))
DOT_PORT=$((base + 10001))
DOH_PORT=$((base + 10003))

wl_start_upstream "$UP" "$UP_PORT" --local-ttl=300 --local=/up.test/ \
	--host-record=www.up.test,192.0.2.80

# a CA, and a server certificate for ward.test signed by it
D=$WL_DIR
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$D/ca.key" -out "$D/ca.pem" -days 2 -subj "/CN=ward test CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$D/server.key" -out "$D/server.csr" -subj "/CN=ward.test" 2>/dev/null
printf 'subjectAltName=DNS:ward.test,IP:%s\n' "$W" >"$D/ext"
openssl x509 -req -in "$D/server.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
	-CAcreateserial -days 2 -extfile "$D/ext" -out "$D/server.pem" 2>/dev/null
[ -s "$D/server.pem" ] || { echo "FAIL: openssl could not make the test certificate"; exit 1; }

cat >"$D/w.conf" <<CONF
port=$PORT
listen-address=$W
bind-interfaces
no-resolv
no-hosts
server=$UP#$UP_PORT
local=/lan/
host-record=nas.lan,192.168.1.5
host-record=printer.lan,192.168.1.9
txt-record=info.lan,"hello over tls"
tls-port=$DOT_PORT
https-port=$DOH_PORT
tls-certificate=$D/server.pem
tls-key=$D/server.key
CONF

check "ward conf check accepts the TLS options" "$WARD" conf check "$D/w.conf"

wl_start_wardd w --conf-file="$D/w.conf" --pid-file= --user=
WPID=$WL_WARDD_PID
wl_wait_dns "$W" "$PORT" || { cat "$D/w.out" "$D/w.log"; echo "FAIL: wardd did not start"; exit 1; }

# python3 TLS and raw-socket clients (stdlib only)
tlspy() { # mode args...
	python3 - "$@" <<'PY'
import socket, ssl, struct, sys, time, random

mode = sys.argv[1]
args = sys.argv[2:]

def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"

def query(name, qid, qtype=1):
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname(name) + struct.pack(">HH", qtype, 1)

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("closed")
        b += c
    return b

def closed_within(s, secs):
    # True when the server closes the connection in time
    s.settimeout(secs)
    t0 = time.time()
    try:
        while s.recv(4096):
            if time.time() - t0 > secs:
                return False
        return True
    except (ConnectionResetError, ssl.SSLError, EOFError):
        return True
    except socket.timeout:
        return False

if mode == "pipeline":
    # N queries in one write on one TLS connection (ALPN dot); every answer
    # comes back on it with the ID and name of its query, in any order
    addr, port, ca = args[0], int(args[1]), args[2]
    names = args[3:]
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["dot"])
    raw = socket.create_connection((addr, port), timeout=5)
    s = ctx.wrap_socket(raw, server_hostname="ward.test")
    if s.selected_alpn_protocol() != "dot":
        print("ALPN:", s.selected_alpn_protocol()); sys.exit(1)
    buf, ids = b"", {}
    for i, n in enumerate(names):
        q = query(n, 500 + i)
        ids[500 + i] = n
        buf += struct.pack(">H", len(q)) + q
    s.sendall(buf)
    order = []
    for _ in names:
        (l,) = struct.unpack(">H", recv_exact(s, 2))
        r = recv_exact(s, l)
        (rid,) = struct.unpack(">H", r[:2])
        if rid not in ids or qname(ids[rid]) not in r or not r[2] & 0x80:
            print("bad answer", rid); sys.exit(1)
        order.append(rid)
        del ids[rid]
    # the connection stays usable for another query
    q = query("nas.lan", 999)
    s.sendall(struct.pack(">H", len(q)) + q)
    (l,) = struct.unpack(">H", recv_exact(s, 2))
    r = recv_exact(s, l)
    print("pipelined %d answers on one TLS connection, order %s; then one more: id %d"
          % (len(order), order, struct.unpack(">H", r[:2])[0]))
    sys.exit(0 if not ids and r[:2] == b"\x03\xe7" else 1)

if mode == "garbage":
    # bytes that are not TLS: the server closes the connection
    addr, port = args[0], int(args[1])
    s = socket.create_connection((addr, port), timeout=5)
    s.sendall(bytes(random.randrange(256) for _ in range(3000)))
    ok = closed_within(s, 5)
    print("garbage on the TLS port: connection closed" if ok else "still open")
    sys.exit(0 if ok else 1)

if mode == "plainhttp":
    addr, port = args[0], int(args[1])
    s = socket.create_connection((addr, port), timeout=5)
    s.sendall(b"GET /dns-query?dns=AAABAAABAAAAAAAAA25hcwNsYW4AAAEAAQ HTTP/1.1\r\nHost: ward.test\r\n\r\n")
    ok = closed_within(s, 5)
    print("plain HTTP on the HTTPS port: connection closed" if ok else "still open")
    sys.exit(0 if ok else 1)

if mode == "h1overtls":
    # HTTP/1.1 inside TLS (no ALPN): answered 400, then closed
    addr, port, ca = args[0], int(args[1]), args[2]
    ctx = ssl.create_default_context(cafile=ca)
    s = ctx.wrap_socket(socket.create_connection((addr, port), timeout=5),
                        server_hostname="ward.test")
    s.sendall(b"GET /dns-query?dns=AAABAAABAAAAAAAAA25hcwNsYW4AAAEAAQ HTTP/1.1\r\nHost: ward.test\r\n\r\n")
    data = b""
    try:
        while True:
            c = s.recv(4096)
            if not c:
                break
            data += c
    except (ssl.SSLError, OSError):
        pass
    print("HTTP/1.1 over TLS:", data.split(b"\r\n")[0])
    sys.exit(0 if data.startswith(b"HTTP/1.1 400") else 1)

if mode == "stall":
    # n connections that never start TLS: at the cap the idle ones make
    # room, so a real client is still served (checked by the caller)
    addr, port, n = args[0], int(args[1]), int(args[2])
    conns = []
    for i in range(n):
        try:
            conns.append(socket.create_connection((addr, port), timeout=2))
        except OSError as e:
            print("connect", i, "failed:", e)
    print("opened %d silent connections" % len(conns))
    sys.stdout.flush()
    time.sleep(float(args[3]))   # held open while the caller queries
    sys.exit(0)

if mode in ("h2streams", "h2reset"):
    # raw HTTP/2 (literal headers, RFC 7541 §6.2.2): 40 request streams
    # left open (the server allows 32), or 250 streams opened and
    # cancelled at once (the "rapid reset" attack)
    addr, port, ca = args[0], int(args[1]), args[2]
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2"])
    s = ctx.wrap_socket(socket.create_connection((addr, port), timeout=5),
                        server_hostname="ward.test")
    def frame(t, flags, sid, payload=b""):
        return struct.pack(">I", len(payload))[1:] + bytes([t, flags]) + struct.pack(">I", sid) + payload
    def lit(n, v):
        return b"\x00" + bytes([len(n)]) + n + bytes([len(v)]) + v
    hdrs = (lit(b":method", b"POST") + lit(b":scheme", b"https") + lit(b":path", b"/dns-query")
            + lit(b":authority", b"ward.test") + lit(b"content-type", b"application/dns-message"))
    out = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0)
    if mode == "h2streams":
        for i in range(40):
            out += frame(1, 4, 1 + 2 * i, hdrs)
    else:
        for i in range(250):
            out += frame(1, 4, 1 + 2 * i, hdrs) + frame(3, 0, 1 + 2 * i, struct.pack(">I", 8))
    s.sendall(out)
    buf, rst, goaway = b"", {}, None
    t0 = time.time()
    s.settimeout(0.5)
    while time.time() - t0 < 3:
        try:
            c = s.recv(65536)
        except socket.timeout:
            if mode == "h2streams" and rst:
                break
            continue
        except (ssl.SSLError, OSError):
            break
        if not c:
            break
        buf += c
        while len(buf) >= 9:
            l = int.from_bytes(buf[:3], "big")
            if len(buf) < 9 + l:
                break
            t, p = buf[3], buf[9:9 + l]
            buf = buf[9 + l:]
            if t == 3:
                code = int.from_bytes(p[:4], "big")
                rst[code] = rst.get(code, 0) + 1
            if t == 7:
                goaway = int.from_bytes(p[4:8], "big")
    print("RST_STREAM by error code:", rst, "GOAWAY error code:", goaway)
    if mode == "h2streams":
        sys.exit(0 if rst == {7: 8} else 1)      # REFUSED_STREAM
    sys.exit(0 if goaway == 11 else 1)           # ENHANCE_YOUR_CALM

if mode == "idle":
    # a DoH connection (preface and SETTINGS sent) or a DoT connection
    # that asks nothing: closed after the idle timeout (lo..hi s), HTTP/2
    # with a GOAWAY NO_ERROR first (RFC 9113 6.8)
    addr, port, ca, alpn, lo, hi = args[0], int(args[1]), args[2], args[3], float(args[4]), float(args[5])
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols([alpn])
    s = ctx.wrap_socket(socket.create_connection((addr, port), timeout=5),
                        server_hostname="ward.test")
    if alpn == "h2":
        s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    t0 = time.time()
    s.settimeout(hi + 2)
    data = b""
    try:
        while True:
            c = s.recv(65536)
            if not c:
                break
            data += c
    except (ssl.SSLError, OSError):
        pass
    t = time.time() - t0
    goaway = None
    while len(data) >= 9:
        l = int.from_bytes(data[:3], "big")
        if data[3] == 7:
            goaway = int.from_bytes(data[9 + 4:9 + 8], "big")
        data = data[9 + l:]
    print("idle %s connection closed after %.1fs, GOAWAY %s" % (alpn, t, goaway))
    sys.exit(0 if lo <= t <= hi and (alpn != "h2" or goaway == 0) else 1)

if mode == "nohandshake":
    # connect and send nothing: closed by the handshake timer (lo..hi s)
    addr, port, lo, hi = args[0], int(args[1]), float(args[2]), float(args[3])
    s = socket.create_connection((addr, port), timeout=hi + 5)
    t0 = time.time()
    ok = closed_within(s, hi + 2)
    t = time.time() - t0
    print("silent TLS client closed after %.1fs" % t)
    sys.exit(0 if ok and lo <= t <= hi else 1)

print("unknown mode", mode); sys.exit(2)
PY
}

# started first: it runs while the other checks go on
tlspy nohandshake "$W" "$DOT_PORT" 4 9 >"$D/nohs.out" 2>&1 &
NOHS=$!
WL_PIDS+=("$NOHS")
tlspy idle "$W" "$DOH_PORT" "$D/ca.pem" h2 9 14 >"$D/idle-doh.out" 2>&1 &
IDOH=$!
WL_PIDS+=("$IDOH")
tlspy idle "$W" "$DOT_PORT" "$D/ca.pem" dot 9 14 >"$D/idle-dot.out" 2>&1 &
IDOT=$!
WL_PIDS+=("$IDOT")

TLS=(+tls-ca="$D/ca.pem" +tls-hostname=ward.test +time=5 +retry=0)
short() { # answers only
	kdig "$@" +short 2>/dev/null
}

out=$(short @"$W" -p "$DOT_PORT" "${TLS[@]}" nas.lan A)
check "DoT: kdig +tls with the test CA: local data" [ "$out" = 192.168.1.5 ]
out=$(short @"$W" -p "$DOT_PORT" "${TLS[@]}" www.up.test A)
check "DoT: a forwarded name" [ "$out" = 192.0.2.80 ]
out=$(short @"$W" -p "$DOT_PORT" "${TLS[@]}" info.lan TXT)
check "DoT: TXT" [ "$out" = '"hello over tls"' ]
out=$(kdig @"$W" -p "$DOT_PORT" +tls-ca="$D/ca.pem" +tls-hostname=wrong.test +time=3 +retry=0 nas.lan A 2>&1)
check "DoT: a client expecting another name refuses the certificate" \
	bash -c '! grep -q "192.168.1.5" <<<"$1"' _ "$out"
out=$(kdig @"$W" -p "$DOT_PORT" "${TLS[@]}" nas.lan A 2>&1)
check "DoT: kdig reports TLS 1.3" grep -q "TLS1.3" <<<"$out"
check "DoT: the answer is padded to 468 octets (RFC 8467)" \
	bash -c 'grep -q "PADDING" <<<"$1" && grep -q "Received 468 B" <<<"$1"' _ "$out"
check "DoT: 12 queries pipelined on one connection" \
	tlspy pipeline "$W" "$DOT_PORT" "$D/ca.pem" nas.lan printer.lan info.lan \
	www.up.test nas.lan nothere.lan printer.lan www.up.test nas.lan info.lan \
	x.up.test nas.lan

out=$(kdig @"$W" -p "$DOH_PORT" "${TLS[@]}" +https nas.lan A 2>&1)
check "DoH: kdig +https (POST) answers" grep -Eq "^nas\.lan\..*192\.168\.1\.5" <<<"$out"
check "DoH: kdig used HTTP/2 POST" grep -q "HTTP/2-POST" <<<"$out"
check "DoH: the answer is padded to 468 octets" grep -q "Received 468 B" <<<"$out"
out=$(kdig @"$W" -p "$DOH_PORT" "${TLS[@]}" +https-get www.up.test A 2>&1)
check "DoH: kdig +https-get, a forwarded name" grep -Eq "^www\.up\.test\..*192\.0\.2\.80" <<<"$out"
check "DoH: kdig used HTTP/2 GET" grep -q "HTTP/2-GET" <<<"$out"

CURL=(curl -s --http2 --max-time 5 --cacert "$D/ca.pem" --resolve "ward.test:$DOH_PORT:$W")
URL="https://ward.test:$DOH_PORT/dns-query"
# nas.lan A, ID 0 (RFC 8484 §4.1)
Q=AAABAAABAAAAAAAAA25hcwNsYW4AAAEAAQ
"${CURL[@]}" -D "$D/h1" -o "$D/r1" "$URL?dns=$Q"
check "curl --http2 GET: HTTP/2 200" grep -q "^HTTP/2 200" "$D/h1"
check "curl GET: content-type application/dns-message" grep -qi "^content-type: application/dns-message" "$D/h1"
check "curl GET: cache-control max-age" grep -qi "^cache-control: max-age=[0-9]" "$D/h1"
check "curl GET: the answer holds 192.168.1.5" grep -q "c0a80105$" <(od -An -tx1 "$D/r1" | tr -d ' \n'; echo)
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL?dns=AAAB!!notbase64")
check "DoH: bad base64url: 400" [ "$out" = 400 ]
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL?name=nas.lan")
check "DoH: no dns= parameter: 400" [ "$out" = 400 ]
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "https://ward.test:$DOH_PORT/other?dns=$Q")
check "DoH: another path: 404" [ "$out" = 404 ]
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$URL")
check "DoH: PUT: 405" [ "$out" = 405 ]
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H 'content-type: text/plain' --data-binary @"$D/r1" "$URL")
check "DoH: POST with another content-type: 415" [ "$out" = 415 ]
head -c 70000 /dev/zero >"$D/big"
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H 'content-type: application/dns-message' --data-binary @"$D/big" "$URL")
check "DoH: POST body over 65535 bytes: 413" [ "$out" = 413 ]
long=$(head -c 12000 /dev/zero | tr '\0' A)
out=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL?dns=$long")
check "DoH: request headers over the limit: 431" [ "$out" = 431 ]
out=$(curl -s --http1.1 --max-time 5 --cacert "$D/ca.pem" --resolve "ward.test:$DOH_PORT:$W" -o /dev/null -w '%{http_code}' "$URL?dns=$Q")
check "DoH: a client offering only HTTP/1.1 (ALPN) gets no answer" [ "$out" = 000 ]
check "DoH: HTTP/1.1 inside TLS without ALPN: 400 and closed" tlspy h1overtls "$W" "$DOH_PORT" "$D/ca.pem"
check "DoH: 40 open streams: the 8 over the limit of 32 are refused" \
	tlspy h2streams "$W" "$DOH_PORT" "$D/ca.pem"
check "DoH: 250 streams opened and reset: GOAWAY ENHANCE_YOUR_CALM" \
	tlspy h2reset "$W" "$DOH_PORT" "$D/ca.pem"
check "garbage on the DoT port: closed" tlspy garbage "$W" "$DOT_PORT"
check "garbage on the DoH port: closed" tlspy garbage "$W" "$DOH_PORT"
check "plain HTTP (no TLS) on the DoH port: closed" tlspy plainhttp "$W" "$DOH_PORT"
check "a client that never starts TLS is closed by the handshake timer" wait "$NOHS"
cat "$D/nohs.out"
check "DoH: an idle connection gets GOAWAY and is closed after 10 s" wait "$IDOH"
cat "$D/idle-doh.out"
check "DoT: an idle connection is closed after 10 s" wait "$IDOT"
cat "$D/idle-dot.out"
# (after those: the connections idle the longest are the first to make room)
# 150 silent connections (over the cap of 128) held while kdig asks
tlspy stall "$W" "$DOT_PORT" 150 2 >"$D/stall.out" 2>&1 &
STALL=$!
WL_PIDS+=("$STALL")
for _ in $(seq 50); do
	grep -q "opened" "$D/stall.out" && break
	sleep 0.1
done
out=$(short @"$W" -p "$DOT_PORT" "${TLS[@]}" nas.lan A)
check "DoT answers with 150 silent connections open (cap 128: they make room)" [ "$out" = 192.168.1.5 ]
cat "$D/stall.out"
wait "$STALL"
out=$(short @"$W" -p "$DOT_PORT" "${TLS[@]}" printer.lan A)
check "DoT still answers after the bad clients" [ "$out" = 192.168.1.9 ]
out=$(kdig @"$W" -p "$DOH_PORT" "${TLS[@]}" +https printer.lan A 2>&1)
check "DoH still answers after the bad clients" grep -q "192.168.1.9" <<<"$out"
out=$(dig +short +time=2 @"$W" -p "$PORT" printer.lan A)
check "UDP still answers" [ "$out" = 192.168.1.9 ]


kill -USR1 "$WPID"
for _ in $(seq 50); do
	grep -q "encrypted: DoT queries" "$D/w.log" && break
	sleep 0.1
done
line=$(grep "encrypted: DoT queries" "$D/w.log" | tail -n 1)
echo "     $line"
# DoT: 3 kdig, 13 pipelined, 1 kdig, 2 after the bad clients; DoH: 2
# kdig, 1 curl, 1 after; errors: 400 400 404 405 415 413 431 and HTTP/1.1
check "SIGUSR1: DoT queries counted" grep -q "DoT queries 19," <<<"$line"
check "SIGUSR1: DoH queries and HTTP errors counted" grep -q "DoH queries 4 (HTTP errors 8)" <<<"$line"
check "SIGUSR1: TLS handshakes counted" grep -Eq "TLS handshakes [1-9][0-9]" <<<"$line"
check "SIGUSR1: failed handshakes counted" grep -Eq "failed ([4-9]|[1-9][0-9])" <<<"$line"
check "wardd is still running" kill -0 "$WPID"

# SIGHUP reads a renewed certificate (for ward2.test now); a broken one
# is refused and the one before stays
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$D/server2.key" -out "$D/server2.csr" -subj "/CN=ward2.test" 2>/dev/null
printf 'subjectAltName=DNS:ward2.test\n' >"$D/ext2"
openssl x509 -req -in "$D/server2.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
	-CAcreateserial -days 2 -extfile "$D/ext2" -out "$D/server2.pem" 2>/dev/null
cp "$D/server2.pem" "$D/server.pem"
cp "$D/server2.key" "$D/server.key"
kill -HUP "$WPID"
for _ in $(seq 50); do
	grep -q "SIGHUP: TLS certificate .* read again" "$D/w.log" && break
	sleep 0.1
done
TLS2=(+tls-ca="$D/ca.pem" +tls-hostname=ward2.test +time=5 +retry=0)
out=$(short @"$W" -p "$DOT_PORT" "${TLS2[@]}" nas.lan A)
check "SIGHUP: DoT serves the renewed certificate" [ "$out" = 192.168.1.5 ]
out=$(kdig @"$W" -p "$DOH_PORT" "${TLS2[@]}" +https nas.lan A 2>&1)
check "SIGHUP: DoH serves the renewed certificate" grep -q "192.168.1.5" <<<"$out"
echo "not a certificate" >"$D/server.pem"
kill -HUP "$WPID"
for _ in $(seq 50); do
	grep -q "SIGHUP: .*the certificate loaded before stays in use" "$D/w.log" && break
	sleep 0.1
done
check "SIGHUP: a broken certificate is refused with a warning" \
	grep -q "SIGHUP: .*the certificate loaded before stays in use" "$D/w.log"
out=$(short @"$W" -p "$DOT_PORT" "${TLS2[@]}" printer.lan A)
check "SIGHUP: the certificate before stays in use" [ "$out" = 192.168.1.9 ]
cp "$D/server2.pem" "$D/server.pem"

# a missing certificate: file:line of tls-certificate=, exit 2
sed "s|^tls-certificate=.*|tls-certificate=$D/missing.pem|" "$D/w.conf" >"$D/bad.conf"
badline=$(grep -n '^tls-certificate=' "$D/bad.conf" | cut -d: -f1)
timeout 10 "$WARDD" --keep-in-foreground --conf-file="$D/bad.conf" --pid-file= \
	--user= --log-facility="$D/bad.log" >"$D/bad.out" 2>&1
rc=$?
check "missing certificate: wardd exits 2" [ "$rc" = 2 ]
check "missing certificate: file:line and the reason" \
	grep -q "$D/bad.conf:$badline: tls-certificate=$D/missing.pem: .*No such file" "$D/bad.out"
"$WARDD" --test --conf-file="$D/bad.conf" >"$D/test.out" 2>&1
rc=$?
check "wardd --test: a missing certificate, exit 2 with file:line" \
	bash -c '[ "$1" = 2 ] && grep -q "bad.conf:$3: tls-certificate=.*No such file" "$2"' _ "$rc" "$D/test.out" "$badline"
"$WARDD" --test --conf-file="$D/w.conf" >"$D/test2.out" 2>&1
check "wardd --test: the good certificate passes" grep -q "syntax check OK" "$D/test2.out"
# the key of another certificate
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$D/other.key" -out /dev/null -days 1 -subj "/CN=other" 2>/dev/null
sed "s|^tls-key=.*|tls-key=$D/other.key|" "$D/w.conf" >"$D/bad2.conf"
timeout 10 "$WARDD" --keep-in-foreground --conf-file="$D/bad2.conf" --pid-file= \
	--user= --log-facility="$D/bad2.log" >"$D/bad2.out" 2>&1
rc=$?
check "a key that does not match: exit 2 with tls-key's line" \
	bash -c '[ "$1" = 2 ] && grep -q "bad2.conf:[0-9]*: tls-key=.*does not match" "$2"' _ "$rc" "$D/bad2.out"
printf 'tls-port=853\n' >"$D/nocert.conf"
out=$("$WARD" conf check "$D/nocert.conf" 2>&1)
check "ward conf check: tls-port without a certificate is an error" \
	grep -q "nocert.conf:1: option 'tls-port': needs tls-certificate=FILE" <<<"$out"
wl_finish
