# Sourced by tests/integration/wardd_*.sh (not a test itself: not
# executable). Starts wardd and a loopback dnsmasq upstream, kills every
# process it started by pid on exit, counts checks.
#
#   . tests/integration/wardd_lib.sh
#   wl_start_upstream ADDR PORT [dnsmasq options...]
#   wl_start_wardd NAME --option...    (NAME.conf / NAME.log / NAME.pid in $WL_DIR)
#   check "what" command...            (a pass or a fail line)
#   wl_finish                          (summary, exit status)
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}
WARDD=${WARDD:-$PWD/bin/wardd}
WL_DIR=$(mktemp -d /tmp/ward-wardd.XXXXXX)
chmod 755 "$WL_DIR"
WL_PIDS=()
WL_PASS=0
WL_FAIL=0

wl_cleanup() {
	local p
	for p in "${WL_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${WL_PIDS[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	if [ -n "${WL_TB_DIR:-}" ]; then
		testbed/down "$WL_TB_DIR" >/dev/null 2>&1
	fi
	[ -n "${WL_KEEP:-}" ] || rm -rf "$WL_DIR"
}
trap wl_cleanup EXIT
trap 'exit 130' INT TERM

for tool in dig python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done
if [ ! -x "$WARDD" ] || [ ! -x "$WARD" ]; then
	echo "FAIL: $WARDD or $WARD not built"
	exit 1
fi

check() { # description, command...
	local what=$1
	shift
	if "$@"; then
		WL_PASS=$((WL_PASS + 1))
		echo "ok   $what"
	else
		WL_FAIL=$((WL_FAIL + 1))
		echo "FAIL $what"
	fi
}

wl_finish() {
	echo "$WL_PASS passed, $WL_FAIL failed"
	[ "$WL_FAIL" -eq 0 ]
	exit $?
}

# the testbed, under its lock (held until this script exits): sets the
# WARD_TB_* variables; skips when the testbed cannot run here
wl_testbed() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "skip: the testbed binds port 53 and needs root"
		exit 77
	fi
	exec 9>/tmp/ward-testbed.lock
	if ! flock -w 900 9; then
		echo "FAIL: could not get /tmp/ward-testbed.lock in 15 minutes"
		exit 1
	fi
	WL_TB_DIR="$WL_DIR/tb"
	local env_out try
	# a testbed stopped just before may still be releasing its addresses
	for try in 1 2 3; do
		if env_out=$(testbed/up "$WL_TB_DIR" 2>"$WL_DIR/testbed.err"); then
			break
		fi
		echo "note: testbed/up attempt $try failed: $(tail -n 1 "$WL_DIR/testbed.err")"
		testbed/down "$WL_TB_DIR" >/dev/null 2>&1
		if [ "$try" -eq 3 ]; then
			tail -n 20 "$WL_DIR/testbed.err"
			echo "FAIL: testbed/up failed"
			exit 1
		fi
		sleep 3
	done
	eval "$env_out"
}

# wait until a UDP DNS server answers (any rcode)
wl_wait_dns() { # addr port
	for _ in $(seq 50); do
		if dig +time=1 +tries=1 @"$1" -p "$2" wait.invalid A >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

wl_start_upstream() { # addr port extra-options...
	local addr=$1 port=$2
	shift 2
	if ! command -v dnsmasq >/dev/null; then
		echo "skip: dnsmasq is not installed (the loopback upstream)"
		exit 77
	fi
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address="$addr" --port="$port" \
		--pid-file= --user=root --log-facility="$WL_DIR/upstream.log" \
		"$@" &
	WL_PIDS+=($!)
	wl_wait_dns "$addr" "$port" || { echo "FAIL: dnsmasq upstream did not start"; exit 1; }
}

# The first lines of a wardd configuration that listens on one loopback
# address and forwards everything to one server: wl_fwd_conf ADDR PORT
# SERVER (as server= takes it, e.g. 127.0.0.1#5300)
wl_fwd_conf() {
	printf 'port=%s\nlisten-address=%s\nbind-interfaces\nno-resolv\nno-hosts\nserver=%s\n' \
		"$2" "$1" "$3"
}

# wardd in the foreground with its log in $WL_DIR/NAME.log; sets WL_WARDD_PID
wl_start_wardd() { # name options...
	local name=$1
	shift
	"$WARDD" --keep-in-foreground --log-facility="$WL_DIR/$name.log" "$@" \
		>"$WL_DIR/$name.out" 2>&1 &
	WL_WARDD_PID=$!
	WL_PIDS+=($!)
}

# python3 DNS test client (stdlib only): wl_py MODE ADDR PORT [args]
wl_py() {
	python3 - "$@" <<'PY'
import socket, struct, sys, time, os, random

mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]

def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"

def query(name, qtype=1, qid=None, flags=0x0100):
    qid = random.randrange(65536) if qid is None else qid
    return struct.pack(">HHHHHH", qid, flags, 1, 0, 0, 0) + qname(name) + struct.pack(">HH", qtype, 1)

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("connection closed")
        b += c
    return b

def tcp_read_msg(s):
    (l,) = struct.unpack(">H", recv_exact(s, 2))
    return recv_exact(s, l)

def udp_ask(name, timeout=3.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    q = query(name)
    s.sendto(q, (addr, port))
    r, _ = s.recvfrom(65535)
    s.close()
    return r

if mode == "pipeline":
    # N queries in one write on one connection; every answer must come back
    # on it with the ID and name of its query (in any order)
    names = args
    s = socket.create_connection((addr, port), timeout=5)
    ids = {}
    buf = b""
    for i, n in enumerate(names):
        q = query(n, qid=1000 + i)
        ids[1000 + i] = n
        buf += struct.pack(">H", len(q)) + q
    s.sendall(buf)
    got = []
    for _ in names:
        r = tcp_read_msg(s)
        (rid,) = struct.unpack(">H", r[:2])
        if rid not in ids:
            print("unexpected id", rid); sys.exit(1)
        if qname(ids[rid]) not in r:
            print("answer for", rid, "lacks its name"); sys.exit(1)
        got.append(rid)
        del ids[rid]
    print("pipelined", len(got), "answers, order", got)
    sys.exit(0 if not ids else 1)

if mode == "burst":
    # the server stopped (SIGSTOP, its pid first), queries from two sockets
    # queued, the server let go: it reads them in batches and answers each
    # batch at once (UDP GSO for answers of one size to one socket). Every
    # answer must reach the socket that asked, with its ID, name and address.
    # args: PID NAME=IP... ; every third name is asked from the second socket
    pid, pairs = int(args[0]), [a.split("=") for a in args[1:]]
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    want = [{}, {}]
    os.kill(pid, 19)  # SIGSTOP
    try:
        for i, (n, ip) in enumerate(pairs):
            k = 1 if i % 3 == 2 else 0
            q = query(n, qid=3000 + i)
            want[k][3000 + i] = (q[12:], socket.inet_aton(ip))
            socks[k].sendto(q, (addr, port))
    finally:
        os.kill(pid, 18)  # SIGCONT
    bad = 0
    for k, s in enumerate(socks):
        s.settimeout(3)
        try:
            while want[k]:
                r, _ = s.recvfrom(65535)
                (rid,) = struct.unpack(">H", r[:2])
                if rid not in want[k]:
                    print("socket", k, "got an answer it did not ask for:", rid); bad += 1; continue
                question, ip = want[k].pop(rid)
                ok = r[3] & 15 == 0 and r[6:8] == b"\0\1" and r[12:12 + len(question)] == question and r.endswith(ip)
                if not ok:
                    print("socket", k, "answer", rid, "wrong:", r.hex()); bad += 1
        except socket.timeout:
            pass
    missing = len(want[0]) + len(want[1])
    print("burst of %d queries from 2 sockets: %d missing, %d wrong" % (len(pairs), missing, bad))
    sys.exit(0 if not missing and not bad else 1)

if mode == "stall":
    # open many connections that send nothing (or half a message), then a
    # UDP query and a fresh TCP query must still be answered quickly
    n, name = int(args[0]), args[1]
    stalled = []
    for i in range(n):
        try:
            c = socket.create_connection((addr, port), timeout=2)
            if i % 2:
                c.sendall(b"\x00\x40\x12")   # a length, then silence
            stalled.append(c)
        except OSError as e:
            print("connect", i, "failed:", e)
    t0 = time.time()
    r = udp_ask(name)
    t_udp = time.time() - t0
    t0 = time.time()
    s = socket.create_connection((addr, port), timeout=3)
    q = query(name)
    s.sendall(struct.pack(">H", len(q)) + q)
    r2 = tcp_read_msg(s)
    t_tcp = time.time() - t0
    ok = r[:2] and r2[2] & 0x80 and t_udp < 2 and t_tcp < 2
    print("stalled %d: udp answer in %.3fs, tcp answer in %.3fs" % (len(stalled), t_udp, t_tcp))
    sys.exit(0 if ok else 1)

if mode == "fakeup":
    # an upstream that answers every query with A 192.0.2.66: from its own
    # address and port for names starting "right", from another port (a
    # spoofed reply) for the rest. Runs until killed.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((addr, port + 1))
    while True:
        q, peer = s.recvfrom(4096)
        if len(q) < 17:
            continue
        end = 12
        while end < len(q) and q[end] != 0:
            end += q[end] + 1
        question = q[12:end + 5]
        r = q[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0) + question
        r += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 66])
        (other if q[13:18] != b"right" else s).sendto(r, peer)

if mode == "halfclose":
    # queries, then the client shuts its sending side: every answer must
    # still arrive, then the server closes (RFC 7766 6.2.4)
    s = socket.create_connection((addr, port), timeout=5)
    buf = b""
    for i, n in enumerate(args):
        q = query(n, qid=2000 + i)
        buf += struct.pack(">H", len(q)) + q
    s.sendall(buf)
    s.shutdown(socket.SHUT_WR)
    got = 0
    try:
        while True:
            tcp_read_msg(s)
            got += 1
    except EOFError:
        pass
    print("half-closed connection: %d of %d answers, then EOF" % (got, len(args)))
    sys.exit(0 if got == len(args) else 1)

if mode == "idle":
    # a connection that sends nothing, and one that sends half a message:
    # the server closes both after its idle timeout (RFC 7766 6.2.3)
    conns = [socket.create_connection((addr, port), timeout=30) for _ in range(2)]
    conns[1].sendall(b"\x00\x30\x01")
    t0 = time.time()
    times = []
    for c in conns:
        try:
            while c.recv(100):
                pass
        except OSError:
            pass
        times.append(time.time() - t0)
    print("idle connections closed after %.1fs and %.1fs" % tuple(times))
    lo, hi = float(args[0]), float(args[1])
    sys.exit(0 if all(lo <= t <= hi for t in times) else 1)

if mode == "malformed":
    # each bad packet over UDP; then over TCP; the server must still answer
    name = args[0]
    bad = [b"", b"\x01", b"\x12\x34", b"garbage" * 3, os.urandom(11),
           struct.pack(">HHHHHH", 1, 0x0100, 0, 0, 0, 0),             # header only
           struct.pack(">HHHHHH", 2, 0x0100, 1, 0, 0, 0),             # QD=1, no question
           query("x.example", qid=3, flags=0x8100),                   # QR=1
           struct.pack(">HHHHHH", 4, 0x0100, 1, 0, 0, 0) + b"\x40" + b"a" * 64 + b"\0\0\1\0\1",  # label > 63
           struct.pack(">HHHHHH", 5, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c\0\1\0\1",  # pointer loop
           struct.pack(">HHHHHH", 6, 0x0100, 1, 0, 0, 0) + b"\x3f" + b"b" * 63 + (b"\x3f" + b"c" * 63) * 4 + b"\0\0\1\0\1",  # name > 255
           struct.pack(">HHHHHH", 7, 0x0100, 50, 50, 50, 50) + qname("a.b") + b"\0\1\0\1",   # counts lie
           struct.pack(">HHHHHH", 8, 0x7900, 1, 0, 0, 0) + qname("op.example") + b"\0\1\0\1",  # opcode 15
           struct.pack(">HHHHHH", 9, 0x0100, 1, 0, 0, 1) + qname("e.example") + b"\0\1\0\1" + b"\0\0\x29\xff",  # cut OPT
          ]
    for i in range(200):
        bad.append(os.urandom(random.randrange(12, 600)))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for b in bad:
        u.sendto(b, (addr, port))
    for b in bad[:40]:
        try:
            s = socket.create_connection((addr, port), timeout=2)
            s.sendall(struct.pack(">H", len(b)) + b if b else b"\0\0")
            s.close()
        except OSError:
            pass
    time.sleep(0.3)
    r = udp_ask(name)
    print("sent %d malformed packets; a good query still gets rcode %d" % (len(bad), r[3] & 15))
    sys.exit(0 if r[2] & 0x80 else 1)

if mode == "pcap":
    # every UDP payload to or from port 53 in the classic pcap files given,
    # sent to the server as a query (responses too: QR=1 must be dropped)
    sent = 0
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for f in args[1:]:
        data = open(f, "rb").read()
        if len(data) < 24:
            continue
        magic = data[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            e = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            e = ">"
        else:
            continue       # pcapng: not read here
        link = struct.unpack(e + "I", data[20:24])[0]
        off = 24
        while off + 16 <= len(data):
            incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            pkt = data[off + 16:off + 16 + incl]
            off += 16 + incl
            if link == 1:
                p, et = 14, struct.unpack(">H", pkt[12:14])[0] if len(pkt) >= 14 else 0
                while et == 0x8100 and len(pkt) >= p + 4:
                    et = struct.unpack(">H", pkt[p + 2:p + 4])[0]; p += 4
            elif link == 113:
                p, et = 16, struct.unpack(">H", pkt[14:16])[0] if len(pkt) >= 16 else 0
            elif link in (101, 12, 228, 229):
                p, et = 0, 0x0800 if pkt[:1] and pkt[0] >> 4 == 4 else 0x86dd
            else:
                continue
            ip = pkt[p:]
            if et == 0x0800 and len(ip) >= 20:
                ihl = (ip[0] & 15) * 4
                proto, l4 = ip[9], ip[ihl:]
            elif et == 0x86dd and len(ip) >= 40:
                proto, l4 = ip[6], ip[40:]
            else:
                continue
            if proto != 17 or len(l4) < 8:
                continue
            sp, dp = struct.unpack(">HH", l4[:4])
            if 53 not in (sp, dp):
                continue
            payload = l4[8:]
            if payload:
                u.sendto(payload, (addr, port))
                sent += 1
                if sent % 50 == 0:
                    time.sleep(0.05)
    time.sleep(0.5)
    r = udp_ask(args[0])
    print("replayed %d captured DNS payloads; a good query still gets rcode %d" % (sent, r[3] & 15))
    sys.exit(0 if sent > 0 and r[2] & 0x80 else 1)

print("unknown mode", mode)
sys.exit(2)
PY
}
