# testbed/lib/cases.sh: one function per catalogue case (c_<case>, with '-'
# in the case name written '_'), plus the helper zones the cases point at.
# Each builds the case's delegated zone with the helpers of build.sh. The
# expected verdicts live in testbed/catalogue.tsv, not here.
#
# TLDs: nsec. (NSEC, alg 13), nsec3. (NSEC3, 0 iterations), optout. (NSEC3
# opt-out), unsigned. (no DS in the root). Servers alternate NSD / Knot.

# --- the algorithm matrix (RootCanary style): valid, and bad signature ------
alg_case() { # alg_case ALG SERVER [badsig]
	zbegin "alg$1${3:+-$3}" nsec "$2"; zstd
	_den=nsec; [ "$1" = 7 ] && _den=nsec3
	zsign "$1" "$_den"
	[ -n "$3" ] && zflip www A
	zend
}
c_alg5()          { alg_case 5 nsd; }
c_alg5_badsig()   { alg_case 5 knot badsig; }
c_alg7()          { alg_case 7 knot; }
c_alg7_badsig()   { alg_case 7 nsd badsig; }
c_alg8()          { alg_case 8 nsd; }
c_alg8_badsig()   { alg_case 8 knot badsig; }
c_alg10()         { alg_case 10 knot; }
c_alg10_badsig()  { alg_case 10 nsd badsig; }
c_alg13()         { alg_case 13 nsd; }
c_alg13_badsig()  { alg_case 13 knot badsig; }
c_alg14()         { alg_case 14 knot; }
c_alg14_badsig()  { alg_case 14 nsd badsig; }
c_alg15()         { alg_case 15 nsd; }
c_alg15_badsig()  { alg_case 15 knot badsig; }
c_alg16()         { alg_case 16 knot; }
c_alg16_badsig()  { alg_case 16 nsd badsig; }

# --- DS digests and DS sets -------------------------------------------------
c_ds_sha1()   { zbegin ds-sha1 nsec nsd;    zstd; zsign 13; zds sha1;   zend; }
c_ds_sha256() { zbegin ds-sha256 nsec knot; zstd; zsign 13; zds sha256; zend; }
c_ds_sha384() { zbegin ds-sha384 nsec nsd;  zstd; zsign 13; zds sha384; zend; }

# DS whose digest matches no DNSKEY (one hex digit changed)
c_ds_mismatch() {
	zbegin ds-mismatch nsec knot; zstd; zsign 13
	ZDS=sha256; _ds=$(zds_lines | awk '{ d = $NF; c = substr(d, 10, 1); r = (c == "0") ? "1" : "0"; $NF = substr(d, 1, 9) r substr(d, 11); $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }')
	zds raw "$_ds"; zend
}

# DS in the parent, but the zone is served unsigned
c_ds_unsigned() {
	zbegin ds-unsigned nsec nsd; zstd
	zkeys 13; ZFORCEDS=1
	zend
}

# the only DS names an algorithm no validator knows (100: unassigned)
c_ds_unknown_alg() {
	zbegin ds-unknown-alg nsec knot; zstd; zsign 13
	ZDS=sha256; _ds=$(zds_lines | awk '{ $6 = 100; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }')
	zds raw "$_ds"; zend
}

# the only DS uses a digest type no validator knows (100: unassigned)
c_ds_unknown_digest() {
	zbegin ds-unknown-digest nsec nsd; zstd; zsign 13
	ZDS=sha256; _ds=$(zds_lines | awk '{ $7 = 100; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }')
	zds raw "$_ds"; zend
}

# a valid DS plus one for an unknown algorithm: the valid one suffices
c_ds_extra_unknown() {
	zbegin ds-extra-unknown nsec knot; zstd; zsign 13
	ZDS=sha256; _ds=$(zds_lines | awk '{ $6 = 100; print }')
	ZDSEXTRA=$_ds; zend
}

# a valid DS plus a stale one (matching no key): the valid one suffices
c_ds_extra_stale() {
	zbegin ds-extra-stale nsec nsd; zstd; zsign 13
	ZDS=sha256; _ds=$(zds_lines | awk '{ $5 = 4711; d = $NF; $NF = "0000" substr(d, 5); print }')
	ZDSEXTRA=$_ds; zend
}

# --- denial of existence: NSEC and NSEC3 ------------------------------------
deny_case() { # deny_case NAME TLD SERVER DENIAL KIND
	zbegin "$1" "$2" "$3"; zstd
	case $5 in
	wildcard) zrr "* A 192.0.2.9" ;;
	ent)      zrr "a.b A 192.0.2.5" ;;
	esac
	zsign 13 "$4"; zend
}
c_nsec_nxdomain()         { deny_case nsec-nxdomain nsec nsd nsec plain; }
c_nsec_nodata()           { deny_case nsec-nodata nsec knot nsec plain; }
c_nsec_wildcard()         { deny_case nsec-wildcard nsec nsd nsec wildcard; }
c_nsec_wildcard_nodata()  { deny_case nsec-wildcard-nodata nsec knot nsec wildcard; }
c_nsec_ent()              { deny_case nsec-ent nsec nsd nsec ent; }
c_nsec3_nxdomain()        { deny_case nsec3-nxdomain nsec3 knot nsec3 plain; }
c_nsec3_nodata()          { deny_case nsec3-nodata nsec3 nsd nsec3 plain; }
c_nsec3_wildcard()        { deny_case nsec3-wildcard nsec3 knot nsec3 wildcard; }
c_nsec3_wildcard_nodata() { deny_case nsec3-wildcard-nodata nsec3 nsd nsec3 wildcard; }
c_nsec3_ent()             { deny_case nsec3-ent nsec3 knot nsec3 ent; }

# unsigned children: no DS, proven by the parent's NSEC / NSEC3 / opt-out span
c_nsec_insecure()   { zbegin nsec-insecure nsec knot;   zstd; zend; }
c_nsec3_insecure()  { zbegin nsec3-insecure nsec3 nsd;  zstd; zend; }
c_optout_insecure() { zbegin optout-insecure optout knot; zstd; zend; }

# a signed child under the opt-out TLD
c_optout_signed()   { zbegin optout-signed optout nsd; zstd; zsign 13; zend; }

# zones signed with opt-out themselves, with an unsigned delegation inside
optout_zone() {
	zbegin "$1" optout "$2"; zstd
	zrr "child NS nsd.leaf.testbed."
	zsign 13 optout; zend
}
c_optout_nxdomain() { optout_zone optout-nxdomain knot; }
c_optout_nodata()   { optout_zone optout-nodata nsd; }

# NSEC3 with 200 iterations (RFC 9276: validators may treat as insecure)
c_nsec3_iter200() { deny_case nsec3-iter200 nsec3 nsd nsec3:200 plain; }

# NSEC that does not cover the name: names are m and www only; the NSEC at m
# is m -> mm, validly signed (taken from a signing of the zone with an extra
# name "mm"), served where m -> www was. Query n: its NSEC does not cover it.
c_nsec_nocover() {
	zbegin nsec-nocover nsec knot; zrr "m A 192.0.2.13" "www A 192.0.2.1"
	zsign 13 nsec
	cp "$ZF.in" "$ZF.in2"; echo "mm A 192.0.2.14" >>"$ZF.in2"
	zsign_as "$ZF.variant" "$INC" "$EXP" nsec "$ZF.in2"
	zsplice m NSEC "$ZF.variant"
	zend
}

# signed zone with every NSEC record (and its RRSIG) removed
c_nsec_missing() { zbegin nsec-missing nsec nsd; zstd; zsign 13; zdroptype NSEC; zend; }

# --- CNAME and DNAME chains ---------------------------------------------------
chain_case() { # chain_case NAME SERVER SIGNED(0|1) RECORD
	zbegin "$1" nsec "$2"; zrr "mail A 192.0.2.25" "$4"
	[ "$3" = 1 ] && zsign 13
	zend
}
c_cname_secure()       { chain_case cname-secure nsd 1 "www CNAME www.alg13.nsec."; }
c_cname_to_insecure()  { chain_case cname-to-insecure knot 1 "www CNAME www.nsec-insecure.nsec."; }
c_cname_to_bogus()     { chain_case cname-to-bogus nsd 1 "www CNAME www.alg13-badsig.nsec."; }
c_cname_from_insecure(){ chain_case cname-from-insecure knot 0 "www CNAME www.alg13.nsec."; }
c_cname_to_nxdomain()  { chain_case cname-to-nxdomain nsd 1 "www CNAME nx.alg13.nsec."; }
c_dname_secure()       { chain_case dname-secure knot 1 "sub DNAME alg13.nsec."; }
c_dname_to_insecure()  { chain_case dname-to-insecure nsd 1 "sub DNAME nsec-insecure.nsec."; }
c_dname_to_bogus()     { chain_case dname-to-bogus knot 1 "sub DNAME alg13-badsig.nsec."; }
c_dname_badsig()       { chain_case dname-badsig nsd 1 "sub DNAME alg13.nsec."; zflip_last sub DNAME; }
c_cname_loop() {
	zbegin cname-loop nsec knot; zrr "www CNAME loop" "loop CNAME www"
	zsign 13; zend
}
# zflip_last: zflip after zend already ran (re-install)
zflip_last() { zflip "$1" "$2"; cp "$ZF.signed" "$TB_DIR/zones/$(zfile "$Z")"; }

# --- signature validity period ------------------------------------------------
time_case() { # time_case NAME SERVER INCEPTION EXPIRATION
	zbegin "$1" nsec "$2"; zstd; zsign 13
	zsign_as "$ZF.variant" "$3" "$4" nsec "$ZF.in"
	zsplice www A "$ZF.variant"
	zend
}
c_sig_expired() { time_case sig-expired nsd "$INC_OLD" "$EXP_OLD"; }
c_sig_notyet()  { time_case sig-notyet knot "$INC_NEW" "$EXP_NEW"; }

# --- missing or broken RRSIGs -------------------------------------------------
c_rrsig_missing()        { zbegin rrsig-missing nsec nsd; zstd; zsign 13; zdrop www A; zend; }
c_dnskey_rrsig_missing() { zbegin dnskey-rrsig-missing nsec knot; zstd; zsign 13; zdrop @ DNSKEY; zend; }
c_dnskey_badsig()        { zbegin dnskey-badsig nsec nsd; zstd; zsign 13; zflip @ DNSKEY; zend; }

# --- DNSKEY flags -------------------------------------------------------------
# The KSK (the key the DS names, the only signer of the DNSKEY RRset) has
# flags 1: SEP set, Zone Key bit clear. ldns will not sign with such a key,
# so the DNSKEY RRSIG is made by tbsign.py.
c_no_zone_bit() {
	zbegin no-zone-bit nsec knot; zstd; zkeys 13
	sed -e 's/[[:space:]]*;.*$//' -e 's/DNSKEY[[:space:]]257 /DNSKEY 1 /' "$ZKSK.key" >"$ZF.flags1"
	cat "$ZF.flags1" >>"$ZF.in"; ZDNSKEY=$ZF.flags1
	_ksk=$ZKSK; ZKSK=$ZZSK
	ZKEYS=$ZZSK; zsign_as "$ZF.signed" "$INC" "$EXP" nsec "$ZF.in"; ZSIGNED=1
	zdrop @ DNSKEY
	awk -v z="$Z" 'BEGIN{FS="\t"} $1 == z && $4 == "DNSKEY"' "$ZF.signed" >"$ZF.keyset"
	"$TB_PY" "$TB_LIB/tbsign.py" rrsig "$_ksk" "$INC" "$EXP" 1 <"$ZF.keyset" >>"$ZF.signed" ||
		tb_die "tbsign rrsig $Z failed"
	ZKSK=$_ksk; zend
}

# The KSK has the REVOKE bit (flags 385); the DS names that revoked key.
c_revoked_ksk() {
	zbegin revoked-ksk nsec nsd; zstd; zkeys 13
	_rk=$TB_DIR/build/revoked-ksk
	sed 's/DNSKEY[[:space:]]257 /DNSKEY\t385 /' "$ZKSK.key" >"$_rk.key"
	cp "$ZKSK.private" "$_rk.private"
	ZKSK=$_rk; ZKEYS="$_rk $ZZSK"
	zsign_as "$ZF.signed" "$INC" "$EXP" nsec "$ZF.in"; ZSIGNED=1
	zend
}

# --- size, attack shapes and broken delegations -------------------------------
# eleven RSA-1024 keys (KSK, ZSK and nine published standby keys): the
# DNSKEY response is ~1.8 KB, more than the 1232-byte EDNS size, so it needs TCP
c_big_dnskey() {
	zbegin big-dnskey nsec knot; zstd; zkeys 8
	for _x in 1 2 3 4 5 6 7 8 9; do
		tb_key "$Z" 8 "extra$_x" 1024
		sed 's/[[:space:]]*;.*$//' "$KEY.key" >>"$ZF.in"
	done
	zsign 8 nsec; zend
}

# KeyTrap-style (CVE-2023-50387): 24 DNSKEYs whose key tag collides with the
# ZSK's, and 24 RRSIGs over www/A with that key tag, none of them valid
c_keytrap() {
	zbegin keytrap nsec nsd; zstd; zkeys 8
	# the real ZSK first: ldns-signzone takes the first DNSKEY in the zone
	# whose tag matches its key as that key's public half
	sed 's/[[:space:]]*;.*$//' "$ZZSK.key" >>"$ZF.in"
	"$TB_PY" "$TB_LIB/tbsign.py" collide "$ZZSK" 24 >>"$ZF.in" || tb_die "tbsign collide failed"
	zsign 8 nsec
	"$TB_PY" "$TB_LIB/tbsign.py" keytrap "$ZF.signed" "$ZZSK" 24 24 "www.$Z" A >"$ZF.brk" ||
		tb_die "tbsign keytrap failed"
	mv "$ZF.brk" "$ZF.signed"
	zend
}

# NXNS-style referral: 30 name servers without glue, all under a zone that
# answers NXDOMAIN for them
c_nxns() {
	zbegin nxns nsec none
	ZDELEG=$(awk 'BEGIN { for (i = 1; i <= 30; i++) printf "ns%d.nxns-victim.nsec. ", i }')
	zend
}
h_nxns_victim() { zbegin nxns-victim nsec knot; zstd; zsign 13; zend; }

# delegation to an address where NSD runs without the zone: REFUSED
c_lame() { zbegin lame nsec none; ZDELEG=lame.leaf.testbed.; zend; }

# delegation to an address that takes queries and never answers
c_unreachable() { zbegin unreachable nsec none; ZDELEG=sink.testbed.; zend; }

# --- more ---------------------------------------------------------------------
# two algorithms (8 and 13), each with KSK+ZSK, a DS for each KSK
c_multi_alg() {
	zbegin multi-alg nsec nsd; zstd; zkeys 8
	_k8=$ZKSK; _z8=$ZZSK; zkeys 13
	zsign 13 nsec "$_k8" "$_z8"
	_k13=$ZKSK; ZKSK=$_k8; ZDS=sha256; ZDSEXTRA=$(zds_lines); ZKSK=$_k13
	zend
}

# unsigned zone under the unsigned TLD
c_insecure_tld() { zbegin insecure-tld unsigned nsd; zstd; zend; }

# signed zone under the unsigned TLD: an island with no chain of trust
c_island() { zbegin island unsigned knot; zstd; zsign 13; zend; }

# helper zones (not catalogue cases) that cases point at
TB_HELPERS="nxns_victim"
