#!/usr/bin/env python3
"""dnsmasq side by side: every NAME.conf in this directory is run by dnsmasq
and by wardd (same configuration, only the listen address and port differ)
and every query of NAME.queries is asked to both; the answers must agree.

Each resolver has its own "world" of fake upstreams (threads of this
script): wardd's on 127.0.78.1-3, dnsmasq's on 127.0.79.1-3, port 5401 (and
53 when we are root in a private network namespace, for resolv-file=). The
two worlds behave identically, so state (how often a name was asked) is
compared too. The fake upstream answers by the first label of the name:

  nx-*         NXDOMAIN + SOA (TTL 30, MINIMUM 30)
  nxnosoa-*    NXDOMAIN, no SOA
  nodata-*     NOERROR, no answer, SOA
  ttlN-*       positive answer with TTL N (default 300)
  failK-*      upstream K answers SERVFAIL (others answer normally)
  refuseK-*    upstream K answers REFUSED
  same-*       every upstream answers the same (A 192.0.2.100)
  otherwise    A: 192.0.2.K (K = upstream index) + 198.51.100.C (C = how
               many times this upstream was asked this name and type);
               AAAA 2001:db8::K; PTR upK.ptr.test; TXT "upK"; MX 10
               mx.upK.test; ANY: that A, TXT and MX together; other
               types NODATA + SOA.
The upstreams set RA and never AA.

NAME.conf: dnsmasq syntax; @UP1@..@UP3@ become ADDR#5401 of the world's
upstream K, @UP1ADDR@.. the bare address, @CASEDIR@ this directory,
@TMP@ a scratch directory (one per resolver) where every CASE.NAME.in
file of this directory is written as NAME, with the same substitutions. The runner adds port=, listen-address=,
bind-interfaces and, unless the file mentions resolv-file, no-resolv.
A line "#requires-root" skips the case outside a private netns.

NAME.queries: one per line, "NAME TYPE [flag...]" or "sleep SECONDS".
Flags: ttl (compare TTLs, +-1 s), upcount (compare how many times the
upstreams were asked this name/type), auth (compare the authority section).
edns / edns1 (ask with EDNS version 0 / 1), classHS (ask in class HS),
ede (ask with EDNS and compare the Extended DNS Error codes, RFC 8914).
Always compared: rcode, AA, RA, the answer section as a set (no TTLs).

expected-differences: "CASE NAME TYPE | reason" lines: a difference listed
there is reported as "diff (expected)" and does not fail; a reason that
starts with "BUG" is a wardd bug not fixed yet, reported as "BUG" (and
does not fail either, so the rest stays guarded); a listed line that
no longer differs is reported (and does not fail either).

Exit 0 when nothing unexpected differs, 1 otherwise, 77 when dnsmasq is
missing.
"""
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
WARDD = os.environ.get("WARDD", os.path.join(ROOT, "bin/wardd"))
UP_PORT = 5401
WORLDS = {"wardd": "127.0.78", "dnsmasq": "127.0.79"}
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
         "TXT": 16, "AAAA": 28, "SRV": 33, "ANY": 255, "HINFO": 13}
TYPENAMES = {v: k for k, v in TYPES.items()}
RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"]


# ---------------------------------------------------------------- wire
def enc_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def read_name(msg, off):
    labels, jumps, end = [], 0, None
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if end is None:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumps += 1
            if jumps > 50:
                raise ValueError("pointer loop")
            continue
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("latin-1").lower())
        off += n
    return (".".join(labels) + "."), (end if end is not None else off)


def rdata_text(msg, off, rtype, rdlen):
    rd = msg[off:off + rdlen]
    if rtype == 1 and rdlen == 4:
        return socket.inet_ntop(socket.AF_INET, rd)
    if rtype == 28 and rdlen == 16:
        return socket.inet_ntop(socket.AF_INET6, rd)
    if rtype in (2, 5, 12):
        return read_name(msg, off)[0]
    if rtype == 15:
        return "%d %s" % (struct.unpack(">H", rd[:2])[0], read_name(msg, off + 2)[0])
    if rtype == 33:
        p, w, port = struct.unpack(">HHH", rd[:6])
        return "%d %d %d %s" % (p, w, port, read_name(msg, off + 6)[0])
    if rtype == 6:
        mname, o = read_name(msg, off)
        rname, o = read_name(msg, o)
        return "%s %s %s" % (mname, rname, " ".join(str(x) for x in struct.unpack(">5I", msg[o:o + 20])))
    return rd.hex()


def opt_record(msg, off, ar):
    """The OPT record among the ar records from off (the additional
    section): (ttl, rdata), or None."""
    try:
        for _ in range(ar):
            _, off = read_name(msg, off)
            rtype, _, ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
            off += 10
            if rtype == 41:
                return ttl, msg[off:off + rdlen]
            off += rdlen
    except (IndexError, struct.error, ValueError):
        pass
    return None


def ede_codes(rdata):
    """The INFO-CODEs of the EDE options (RFC 8914) in an OPT rdata."""
    codes, o = [], 0
    while o + 4 <= len(rdata):
        code, olen = struct.unpack(">HH", rdata[o:o + 4])
        if code == 15 and olen >= 2 and o + 6 <= len(rdata):
            codes.append(struct.unpack(">H", rdata[o + 4:o + 6])[0])
        o += 4 + olen
    return sorted(codes)


def parse(msg):
    qid, flags, qd, an, ns, ar = struct.unpack(">6H", msg[:12])
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    sections = []
    for count in (an, ns):
        rrs = []
        for _ in range(count):
            owner, off = read_name(msg, off)
            rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
            off += 10
            rrs.append((owner, TYPENAMES.get(rtype, str(rtype)), rdata_text(msg, off, rtype, rdlen), ttl))
            off += rdlen
        sections.append(rrs)
    opt = opt_record(msg, off, ar)
    return {"rcode": RCODES[flags & 15] if flags & 15 < 6 else str(flags & 15),
            "aa": bool(flags & 0x0400), "ra": bool(flags & 0x0080),
            "ext": opt[0] >> 24 if opt else 0,  # the upper 8 bits of the rcode
            "answer": sections[0], "auth": sections[1],
            "ede": ede_codes(opt[1]) if opt else []}


def ask(addr, port, name, qtype, timeout=4.0, qclass=1, edns=None):
    qid = int.from_bytes(os.urandom(2), "big")
    q = struct.pack(">6H", qid, 0x0100, 1, 0, 0, 1 if edns is not None else 0)
    q += enc_name(name) + struct.pack(">HH", qtype, qclass)
    if edns is not None:  # OPT: payload 1232, EDNS version `edns`
        q += b"\0" + struct.pack(">HHBBHH", 41, 1232, 0, edns, 0, 0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, (addr, port))
        deadline = time.time() + timeout
        while time.time() < deadline:
            r, _ = s.recvfrom(65535)
            if r[:2] == q[:2]:
                return parse(r)
    except socket.timeout:
        return None
    finally:
        s.close()
    return None


# ------------------------------------------------------ fake upstreams
class Upstream:
    """One fake upstream: answers by the first label (module docstring)."""

    def __init__(self, idx, addr, port):
        self.idx, self.counts, self.lock = idx, {}, threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((addr, port))
        threading.Thread(target=self.serve, daemon=True).start()

    def count(self, name, qtype):
        with self.lock:
            return self.counts.get((name.lower().rstrip("."), qtype), 0)

    def reset(self):
        with self.lock:
            self.counts.clear()

    def serve(self):
        while True:
            try:
                q, peer = self.sock.recvfrom(4096)
                r = self.answer(q)
                if r:
                    self.sock.sendto(r, peer)
            except OSError:
                return
            except Exception as e:  # a bad query: log, keep serving
                print("upstream %d: %r" % (self.idx, e), file=sys.stderr)

    def answer(self, q):
        qid, flags, qd = struct.unpack(">3H", q[:6])
        if qd != 1 or flags & 0x8000:
            return None
        name, off = read_name(q, 12)
        qtype, qclass = struct.unpack(">HH", q[off:off + 4])
        question = q[12:off + 4]
        key = (name.rstrip("."), qtype)
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            c = self.counts[key]
        first = name.split(".")[0]
        rflags = 0x8000 | (flags & 0x0100) | 0x0080
        ttl = 300
        if first.startswith("ttl"):
            digits = first[3:].split("-")[0]
            if digits.isdigit():
                ttl = int(digits)
        soa_owner = ".".join(name.rstrip(".").split(".")[-2:]) + "."
        soa = enc_name(soa_owner) + struct.pack(">HHI", 6, 1, 30)
        soa_rd = enc_name("ns." + soa_owner) + enc_name("host." + soa_owner) + struct.pack(">5I", 1, 3600, 600, 86400, 30)
        soa += struct.pack(">H", len(soa_rd)) + soa_rd

        def msg(rcode, answers=(), auth=()):
            return (struct.pack(">6H", qid, rflags | rcode, 1, len(answers), len(auth), 0)
                    + question + b"".join(answers) + b"".join(auth))

        def rr(rtype, rdata, t=ttl):
            return b"\xc0\x0c" + struct.pack(">HHIH", rtype, 1, t, len(rdata)) + rdata

        if first == "fail%d" % self.idx or first.startswith("fail%d-" % self.idx):
            return msg(2)
        if first == "refuse%d" % self.idx or first.startswith("refuse%d-" % self.idx):
            return msg(5)
        if first.startswith("nxnosoa"):
            return msg(3)
        if first.startswith("nx"):
            return msg(3, auth=[soa])
        if first.startswith("nodata"):
            return msg(0, auth=[soa])
        if first.startswith("same"):
            if qtype == 1:
                return msg(0, [rr(1, bytes([192, 0, 2, 100]))])
            return msg(0, auth=[soa])
        if qtype == 1:
            return msg(0, [rr(1, bytes([192, 0, 2, self.idx])), rr(1, bytes([198, 51, 100, min(c, 255)]))])
        if qtype == 28:
            return msg(0, [rr(28, socket.inet_pton(socket.AF_INET6, "2001:db8::%d" % self.idx))])
        if qtype == 12:
            return msg(0, [rr(12, enc_name("up%d.ptr.test" % self.idx))])
        if qtype == 16:
            t = b"up%d" % self.idx
            return msg(0, [rr(16, bytes([len(t)]) + t)])
        if qtype == 15:
            return msg(0, [rr(15, struct.pack(">H", 10) + enc_name("mx.up%d.test" % self.idx))])
        if qtype == 255:
            t = b"up%d" % self.idx
            return msg(0, [rr(1, bytes([192, 0, 2, self.idx])), rr(16, bytes([len(t)]) + t),
                           rr(15, struct.pack(">H", 10) + enc_name("mx.up%d.test" % self.idx))])
        return msg(0, auth=[soa])


# ------------------------------------------------------------- runner
def wait_dns(addr, port, proc):
    for _ in range(60):
        if proc.poll() is not None:
            return False
        if ask(addr, port, "wait.invalid", 1, timeout=0.5) is not None:
            return True
        time.sleep(0.1)
    return False


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def subst(text, world, tmp):
    base = WORLDS[world]
    for k in (1, 2, 3):
        text = text.replace("@UP%dADDR@" % k, "%s.%d" % (base, k))
        text = text.replace("@UP%d@" % k, "%s.%d#%d" % (base, k, UP_PORT))
    return text.replace("@CASEDIR@", HERE).replace("@TMP@", tmp)


def fmt(res, ttl, auth):
    if res is None:
        return "no answer"
    ans = sorted("%s %s %s%s" % (o, t, d, (" ttl=%d" % tt) if ttl else "") for o, t, d, tt in res["answer"])
    rc = res["rcode"] if not res["ext"] else "ext-rcode-%d" % ((res["ext"] << 4) | RCODES.index(res["rcode"]))
    s = "%s%s%s [%s]" % (rc, " aa" if res["aa"] else "", " ra" if res["ra"] else "", "; ".join(ans))
    if auth:
        s += " auth[%s]" % "; ".join(sorted("%s %s%s" % (o, t, (" ttl=%d" % tt) if ttl else "")
                                            for o, t, d, tt in res["auth"]))
    return s


def same(a, b, ttl, auth):
    if a is None or b is None:
        return a is None and b is None
    if fmt(a, False, auth) != fmt(b, False, auth):
        return False
    if not ttl:
        return True
    for sec in ("answer",) + (("auth",) if auth else ()):
        ka = sorted(a[sec])
        kb = sorted(b[sec])
        for x, y in zip(sorted(ka, key=lambda r: r[:3]), sorted(kb, key=lambda r: r[:3])):
            if abs(x[3] - y[3]) > 1:
                return False
    return True


def load_expected():
    exp = {}
    path = os.path.join(HERE, "expected-differences")
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition("|")
            exp[" ".join(key.split())] = reason.strip()
    return exp


def run_case(case, port, upstreams, netns, expected, results):
    conf_text = open(os.path.join(HERE, case + ".conf")).read()
    if "#requires-root" in conf_text and not netns:
        print("skip %s: needs root in a private network namespace (port 53)" % case)
        return
    for ups in upstreams.values():
        for u in ups:
            u.reset()
    tmp = tempfile.mkdtemp(prefix="ward-compat-")
    os.chmod(tmp, 0o755)
    procs, addrs = {}, {}
    try:
        for world, base in WORLDS.items():
            wtmp = os.path.join(tmp, world)
            os.makedirs(wtmp, exist_ok=True)
            os.chmod(wtmp, 0o755)
            text = subst(conf_text, world, wtmp)
            # "#wardd: LINE": a line for wardd only (ward's own options)
            text = re.sub(r"(?m)^#wardd: ", "" if world == "wardd" else "# ", text)
            # CASE.NAME.in: written (with the same substitutions) to @TMP@/NAME
            for f in os.listdir(HERE):
                if f.startswith(case + ".") and f.endswith(".in"):
                    with open(os.path.join(wtmp, f[len(case) + 1:-3]), "w") as o:
                        o.write(subst(open(os.path.join(HERE, f)).read(), world, wtmp))
            extra = "port=%d\nbind-interfaces\n" % port
            if "resolv-file" not in text:
                extra += "no-resolv\n"
            cf = os.path.join(tmp, world + ".conf")
            with open(cf, "w") as f:
                f.write(extra + text)
            addrs[world] = base + ".30"
            log = os.path.join(tmp, world + ".log")
            if world == "wardd":
                cmd = [WARDD, "--keep-in-foreground", "--conf-file=" + cf, "--listen-address=" + addrs[world],
                       "--pid-file=", "--user=", "--log-facility=" + log]
            else:
                cmd = ["dnsmasq", "--keep-in-foreground", "--conf-file=" + cf, "--listen-address=" + addrs[world],
                       "--pid-file=", "--user=root", "--log-facility=" + log]
            out = open(os.path.join(tmp, world + ".out"), "w")
            procs[world] = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        for world in WORLDS:
            if not wait_dns(addrs[world], port, procs[world]):
                print("FAIL %s: %s did not start:" % (case, world))
                print(open(os.path.join(tmp, world + ".out")).read()[-1500:])
                results["fail"] += 1
                return
        for ups in upstreams.values():
            for u in ups:
                u.reset()
        for line in open(os.path.join(HERE, case + ".queries")):
            line = line.split("#")[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "sleep":
                time.sleep(float(words[1]))
                continue
            name, qtype, flags = words[0], words[1], set(words[2:])
            ttl, auth = "ttl" in flags, "auth" in flags
            got = {}
            threads = []
            for world in WORLDS:
                def one(w=world):
                    got[w] = ask(addrs[w], port, name, TYPES.get(qtype) or int(qtype),
                                 qclass=4 if "classHS" in flags else 1,
                                 edns=1 if "edns1" in flags else (0 if flags & {"edns", "ede"} else None))
                t = threading.Thread(target=one)
                t.start()
                threads.append(t)
            for t in threads:
                t.join()
            if "upcount" in flags:
                time.sleep(0.2)
            a, b = got["wardd"], got["dnsmasq"]
            ok = same(a, b, ttl, auth)
            extra_a = extra_b = ""
            if "upcount" in flags:
                qt = TYPES.get(qtype) or int(qtype)
                ca = sum(u.count(name, qt) for u in upstreams["wardd"])
                cb = sum(u.count(name, qt) for u in upstreams["dnsmasq"])
                extra_a, extra_b = " upstream-asked=%d" % ca, " upstream-asked=%d" % cb
                ok = ok and ca == cb
            if "ede" in flags:
                ea = a["ede"] if a else None
                eb = b["ede"] if b else None
                extra_a += " ede=%s" % ea
                extra_b += " ede=%s" % eb
                ok = ok and ea == eb
            key = "%s %s %s" % (case, name, qtype)
            label = "%-16s %-34s %-5s" % (case, name, qtype)
            if ok:
                results["pass"] += 1
                print("same %s   %s%s" % (label, fmt(a, ttl, auth), extra_a))
                if key in expected:
                    results["listed_same"].add(key)
            else:
                results["differed"].add(key)
                if key in expected and expected[key].startswith("BUG"):
                    results["bugs"] += 1
                    print("BUG  %s   (known: %s)" % (label, expected[key]))
                elif key in expected:
                    results["expected"] += 1
                    print("diff %s   (expected: %s)" % (label, expected[key]))
                else:
                    results["fail"] += 1
                    print("DIFF %s" % label)
                print("       wardd:   %s%s" % (fmt(a, True, auth), extra_a))
                print("       dnsmasq: %s%s" % (fmt(b, True, auth), extra_b))
    finally:
        for p in procs.values():
            stop(p)
        if os.environ.get("WARD_KEEP"):
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    if not shutil.which("dnsmasq"):
        print("skip: dnsmasq is not installed")
        return 77
    if not os.access(WARDD, os.X_OK):
        print("FAIL: %s not built" % WARDD)
        return 1
    netns = os.environ.get("WARD_COMPAT_NETNS") == "1"
    only = sys.argv[1:]
    cases = sorted(f[:-5] for f in os.listdir(HERE) if f.endswith(".conf"))
    if only:
        cases = [c for c in cases if c in only]
    upstreams = {}
    for world, base in WORLDS.items():
        upstreams[world] = [Upstream(k, "%s.%d" % (base, k), UP_PORT) for k in (1, 2, 3)]
        if netns:
            upstreams[world] += [Upstream(k, "%s.%d" % (base, k), 53) for k in (1, 2, 3)]
    expected = load_expected()
    results = {"pass": 0, "fail": 0, "expected": 0, "bugs": 0,
               "differed": set(), "listed_same": set()}
    for i, case in enumerate(cases):
        run_case(case, 5500 + i, upstreams, netns, expected, results)
    results["stale"] = sorted(results["listed_same"] - results["differed"])
    for key in results["stale"]:
        print("note: %s is listed in expected-differences but no longer differs" % key)
    print("%d cases: %d same, %d expected differences, %d known bugs, %d unexpected differences%s" % (
        len(cases), results["pass"], results["expected"], results["bugs"], results["fail"],
        (", %d expected-differences lines no longer differ" % len(results["stale"])) if results["stale"] else ""))
    print("%d passed, %d failed" % (results["pass"] + results["expected"] + results["bugs"], results["fail"]))
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
