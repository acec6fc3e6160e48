#!/usr/bin/env python3
"""tbsign: the few zone edits the testbed cannot get from ldns-signzone.

Standard library plus the openssl command only. Zone text is ldns's signed
output: one RR per line, "owner ttl IN type rdata...", absolute lowercase names.

  tbsign.py rrsig KEYBASE INCEPTION EXPIRATION [FLAGS]  < rrset  > rrsig line
      Sign one RRset (read as zone lines) with an ECDSAP256SHA256 (13) or
      ED25519 (15) key in BIND format (KEYBASE.key/.private). FLAGS overrides
      the DNSKEY flags used for the key tag (e.g. 1: zone bit clear).
  tbsign.py optout ZONEFILE ORIGIN KEYBASE INCEPTION EXPIRATION > zone
      Remove the NSEC3 records of unsigned delegations (type map exactly NS)
      from an NSEC3 opt-out zone, relink the chain and re-sign the NSEC3 RRs
      whose "next" changed: a real opt-out span, which ldns does not produce.
  tbsign.py keytrap ZONEFILE ZSKBASE NKEYS NSIGS OWNER TYPE > zone
      KeyTrap-style zone: add NKEYS DNSKEYs whose key tag collides with the
      ZSK's, and replace the RRSIG over OWNER/TYPE by NSIGS invalid RRSIGs
      carrying that same key tag. The DNSKEY RRset must be re-signed after
      (the caller adds the keys before signing: see "collide").
  tbsign.py collide KEYBASE NKEYS > dnskey lines
      NKEYS DNSKEY records with the same flags, algorithm and key tag as
      KEYBASE.key but different (RSA) public keys.
  tbsign.py keytag < dnskey line
"""
import base64, os, subprocess, sys, tempfile, struct

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
         "AAAA": 28, "DNAME": 39, "DS": 43, "RRSIG": 46, "NSEC": 47,
         "DNSKEY": 48, "NSEC3": 50, "NSEC3PARAM": 51}


def typenum(t):
    t = t.upper()
    if t in TYPES:
        return TYPES[t]
    if t.startswith("TYPE"):
        return int(t[4:])
    raise SystemExit("tbsign: unknown type %s" % t)


def name_wire(name):
    name = name.lower().rstrip(".")
    out = b""
    if name:
        for lab in name.split("."):
            out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def labels(name):
    name = name.rstrip(".")
    if not name:
        return 0
    parts = name.split(".")
    return len(parts) - (1 if parts[0] == "*" else 0)


def bitmap(types):
    nums = sorted(set(typenum(t) for t in types))
    out = b""
    win = {}
    for n in nums:
        win.setdefault(n >> 8, []).append(n & 0xFF)
    for w in sorted(win):
        bits = bytearray(32)
        for b in win[w]:
            bits[b >> 3] |= 0x80 >> (b & 7)
        ln = max(b >> 3 for b in win[w]) + 1
        out += bytes([w, ln]) + bytes(bits[:ln])
    return out


def rdata_wire(rtype, f):
    """f: list of rdata fields (strings) in presentation form."""
    if rtype == "A":
        return bytes(int(x) for x in f[0].split("."))
    if rtype == "AAAA":
        import ipaddress
        return ipaddress.IPv6Address(f[0]).packed
    if rtype in ("NS", "CNAME", "DNAME", "PTR"):
        return name_wire(f[0])
    if rtype == "DNSKEY":
        return struct.pack("!HBB", int(f[0]), int(f[1]), int(f[2])) + \
            base64.b64decode("".join(f[3:]))
    if rtype == "DS":
        return struct.pack("!HBB", int(f[0]), int(f[1]), int(f[2])) + \
            bytes.fromhex("".join(f[3:]))
    if rtype == "NSEC":
        return name_wire(f[0]) + bitmap(f[1:])
    if rtype == "NSEC3":
        salt = b"" if f[3] == "-" else bytes.fromhex(f[3])
        nxt = base64.b32hexdecode(f[4].upper())
        return struct.pack("!BBH", int(f[0]), int(f[1]), int(f[2])) + \
            bytes([len(salt)]) + salt + bytes([len(nxt)]) + nxt + bitmap(f[5:])
    if rtype == "TXT":
        txt = " ".join(f)
        out = b""
        for part in txt.split('" "'):
            s = part.strip('"').encode()
            out += bytes([len(s)]) + s
        return out
    raise SystemExit("tbsign: cannot encode rdata of type %s" % rtype)


def parse_rr(line):
    line = line.split(";", 1)[0]
    p = line.split()
    if len(p) >= 3 and not p[1].isdigit():
        p.insert(1, "3600")  # .key files carry no TTL
    if len(p) < 4:
        return None
    return {"owner": p[0].lower(), "ttl": int(p[1]), "cls": p[2],
            "type": p[3].upper(), "rdata": p[4:], "line": line.rstrip()}


def keytag(rdata):
    ac = 0
    for i, b in enumerate(rdata):
        ac += b if i & 1 else b << 8
    ac += (ac >> 16) & 0xFFFF
    return ac & 0xFFFF


def read_key(base):
    with open(base + ".key") as fh:
        for line in fh:
            rr = parse_rr(line)
            if rr and rr["type"] == "DNSKEY":
                break
        else:
            raise SystemExit("tbsign: no DNSKEY in %s.key" % base)
    priv = {}
    with open(base + ".private") as fh:
        for line in fh:
            if ":" in line:
                k, v = line.split(":", 1)
                priv[k.strip()] = v.strip()
    return rr, priv


def openssl_sign(alg, priv, data):
    # ldns writes the private scalar without its leading zero octets (about
    # one key in 256): the DER below wants all 32
    d = base64.b64decode(priv["PrivateKey"]).rjust(32, b"\0")
    with tempfile.TemporaryDirectory() as td:
        kf, df, sf = (os.path.join(td, x) for x in ("k.pem", "d", "s"))
        if alg == 13:
            der = bytes.fromhex("30310201010420") + d + \
                bytes.fromhex("a00a06082a8648ce3d030107")
            pem = "EC PRIVATE KEY"
        elif alg == 15:
            der = bytes.fromhex("302e020100300506032b657004220420") + d
            pem = "PRIVATE KEY"
        else:
            raise SystemExit("tbsign: algorithm %d not supported here" % alg)
        with open(kf, "w") as fh:
            fh.write("-----BEGIN %s-----\n%s\n-----END %s-----\n" %
                     (pem, base64.encodebytes(der).decode().strip(), pem))
        with open(df, "wb") as fh:
            fh.write(data)
        if alg == 13:
            subprocess.run(["openssl", "dgst", "-sha256", "-sign", kf, "-out", sf, df],
                           check=True)
            sig = open(sf, "rb").read()
            # DER SEQUENCE { INTEGER r, INTEGER s } -> r||s, 32 bytes each
            i = 2 if sig[1] < 0x80 else 3
            out = b""
            for _ in range(2):
                assert sig[i] == 2
                ln = sig[i + 1]
                out += sig[i + 2:i + 2 + ln].lstrip(b"\0").rjust(32, b"\0")
                i += 2 + ln
            return out
        subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", kf,
                        "-in", df, "-out", sf], check=True)
        return open(sf, "rb").read()


def ts(t):
    import time
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(int(t)))


def make_rrsig(rrs, base, inception, expiration, flags=None, signer=None):
    keyrr, priv = read_key(base)
    alg = int(keyrr["rdata"][2])
    kf = list(keyrr["rdata"])
    if flags is not None:
        kf[0] = str(flags)
    tag = keytag(rdata_wire("DNSKEY", kf))
    signer = signer or keyrr["owner"]
    owner, rtype, ttl = rrs[0]["owner"], rrs[0]["type"], rrs[0]["ttl"]
    head = struct.pack("!HBBIIIH", typenum(rtype), alg, labels(owner), ttl,
                       int(expiration), int(inception), tag) + name_wire(signer)
    wires = sorted(set(rdata_wire(rtype, rr["rdata"]) for rr in rrs))
    data = head
    for w in wires:
        data += name_wire(owner) + struct.pack("!HHIH", typenum(rtype), 1, ttl, len(w)) + w
    sig = openssl_sign(alg, priv, data)
    return "%s\t%d\tIN\tRRSIG\t%s %d %d %d %s %s %d %s %s" % (
        owner, ttl, rtype, alg, labels(owner), ttl, ts(expiration), ts(inception),
        tag, signer, base64.b64encode(sig).decode())


def cmd_rrsig(argv):
    base, inc, exp = argv[0], argv[1], argv[2]
    flags = int(argv[3]) if len(argv) > 3 else None
    rrs = [r for r in (parse_rr(l) for l in sys.stdin) if r]
    print(make_rrsig(rrs, base, inc, exp, flags))


def cmd_optout(argv):
    zfile, origin, base, inc, exp = argv
    lines = open(zfile).read().splitlines()
    rrs = [(l, parse_rr(l)) for l in lines]
    n3 = {}
    for l, r in rrs:
        if r and r["type"] == "NSEC3":
            n3[r["owner"].split(".", 1)[0]] = r
    drop = set(h for h, r in n3.items() if [t.upper() for t in r["rdata"][5:]] == ["NS"])
    changed = {}
    for h, r in n3.items():
        if h in drop:
            continue
        nxt = r["rdata"][4].lower()
        moved = False
        while nxt in drop:
            nxt = n3[nxt]["rdata"][4].lower()
            moved = True
        if moved:
            r["rdata"][4] = nxt
            changed[r["owner"]] = r
    out = []
    for l, r in rrs:
        if r and r["type"] == "NSEC3" and r["owner"].split(".", 1)[0] in drop:
            continue
        if r and r["type"] == "RRSIG" and r["rdata"][0].upper() == "NSEC3" and \
                (r["owner"].split(".", 1)[0] in drop or r["owner"] in changed):
            continue
        if r and r["type"] == "NSEC3" and r["owner"] in changed:
            out.append("%s\t%d\tIN\tNSEC3\t%s" % (r["owner"], r["ttl"], " ".join(r["rdata"])))
            out.append(make_rrsig([r], base, inc, exp, signer=origin))
            continue
        out.append(l)
    print("\n".join(out))


def collide(base, n):
    keyrr, _ = read_key(base)
    rd = bytearray(rdata_wire("DNSKEY", keyrr["rdata"]))
    tag = keytag(rd)
    out = []
    # RSA key: [explen][exp][modulus]; change modulus bytes pairwise at even
    # rdata offsets (+d on one high byte, -d on another) so the sum is kept.
    start = 4 + 1 + rd[4] + 8
    evens = [i for i in range(start, len(rd) - 8) if i % 2 == 0]
    k = 0
    seen = set()
    while len(out) < n and k < 100000:
        k += 1
        a, b = evens[(k * 7) % len(evens)], evens[(k * 13 + 5) % len(evens)]
        d = 1 + k % 5
        if a == b or rd[a] + d > 255 or rd[b] - d < 0:
            continue
        nr = bytearray(rd)
        nr[a] += d
        nr[b] -= d
        nr[-1] |= 1  # keep the modulus odd
        if keytag(nr) != tag or bytes(nr) in seen or nr == rd:
            continue
        seen.add(bytes(nr))
        out.append("%s\t%d\tIN\tDNSKEY\t%d %d %d %s" % (
            keyrr["owner"], keyrr["ttl"] if keyrr["ttl"] else 3600,
            nr[0] << 8 | nr[1], nr[2], nr[3], base64.b64encode(bytes(nr[4:])).decode()))
    if len(out) < n:
        raise SystemExit("tbsign collide: could only make %d keys" % len(out))
    return out


def cmd_collide(argv):
    print("\n".join(collide(argv[0], int(argv[1]))))


def cmd_keytrap(argv):
    zfile, zbase, nkeys, nsigs, owner, rtype = argv
    owner = owner.lower()
    nsigs = int(nsigs)
    keyrr, _ = read_key(zbase)
    tag = keytag(rdata_wire("DNSKEY", keyrr["rdata"]))
    out, tmpl = [], None
    for l in open(zfile).read().splitlines():
        r = parse_rr(l)
        if r and r["type"] == "RRSIG" and r["owner"] == owner and \
                r["rdata"][0].upper() == rtype.upper() and int(r["rdata"][6]) == tag:
            tmpl = r
            continue
        out.append(l)
    if not tmpl:
        raise SystemExit("tbsign keytrap: no RRSIG %s/%s by key %d" % (owner, rtype, tag))
    sig = bytearray(base64.b64decode("".join(tmpl["rdata"][8:])))
    for i in range(nsigs):
        s = bytearray(sig)
        s[(i * 3 + 7) % len(s)] ^= 0x5A
        s[(i * 11 + 1) % len(s)] ^= (i + 1) & 0xFF or 1
        out.append("%s\t%d\tIN\tRRSIG\t%s %s" % (owner, tmpl["ttl"], " ".join(tmpl["rdata"][:8]),
                                                base64.b64encode(bytes(s)).decode()))
    print("\n".join(out))


def cmd_keytag(argv):
    for l in sys.stdin:
        r = parse_rr(l)
        if r and r["type"] == "DNSKEY":
            print(keytag(rdata_wire("DNSKEY", r["rdata"])))


def main():
    cmds = {"rrsig": cmd_rrsig, "optout": cmd_optout, "keytrap": cmd_keytrap,
            "collide": cmd_collide, "keytag": cmd_keytag}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    cmds[sys.argv[1]](sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
