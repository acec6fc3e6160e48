# testbed/lib/build.sh: keys, zones, signing and breakage helpers.
# Sourced by testbed/up after common.sh; POSIX sh.
#
# A case zone is built by a function in cases.sh with these helpers:
#   zbegin NAME TLD SERVER       start zone NAME.TLD. served by nsd|knot
#   zrr 'owner type rdata'       add records (relative to the zone origin)
#   zsign [ALG] [nsec|nsec3|optout|nsec3:ITER] [extra keys...]
#                                sign with a KSK+ZSK of ALG (default 13)
#   zflip OWNER TYPE             corrupt the signature of RRSIG(OWNER/TYPE)
#   zdrop OWNER TYPE             drop RRSIG(OWNER/TYPE)
#   zsplice OWNER TYPE FILE      take RRset OWNER/TYPE and its RRSIGs from FILE
#   zds MODE...                  DS in the parent: sha1 sha256 sha384 none,
#                                or literal DS rdata after 'raw'
#   zend                         install the zone, write the delegation
# OWNER is relative to the zone ('@' is the apex).

TB_LIB=$TB_HOME/lib
# Debian's python3 (a pyenv shim in PATH can cost half a second a call)
if [ -x /usr/bin/python3 ]; then TB_PY=/usr/bin/python3; else TB_PY=python3; fi
SOA_TIMERS="3600 600 86400 300"

tb_times() {
	NOW=$(date -u +%s)
	SERIAL=$NOW
	INC=$((NOW - 3600));            EXP=$((NOW + 30 * 86400))
	INC_OLD=$((NOW - 60 * 86400));  EXP_OLD=$((NOW - 30 * 86400))
	INC_NEW=$((NOW + 30 * 86400));  EXP_NEW=$((NOW + 60 * 86400))
}

alg_name() {
	case $1 in
	5) echo RSASHA1 ;; 7) echo RSASHA1-NSEC3-SHA1 ;; 8) echo RSASHA256 ;;
	10) echo RSASHA512 ;; 13) echo ECDSAP256SHA256 ;; 14) echo ECDSAP384SHA384 ;;
	15) echo ED25519 ;; 16) echo ED448 ;; *) tb_die "unknown algorithm $1" ;;
	esac
}

# tb_key ZONE ALG ksk|zsk|extraN [BITS]: set KEY to the key's base path; the
# key is made once and kept in $TB_DIR/keys/ZONE across runs. (No command
# substitution: on this kind of machine every fork/exec costs ~6 ms.)
tb_key() {
	_kz=$1; _ka=$2; _kr=$3; _kb=${4:-}
	# RSA: 1024 bits (quick to make, accepted by every validator here); the
	# root's KSK is 2048 like the real one
	case $_ka in 5|7|8|10) [ -n "$_kb" ] || { [ "$_kz" = . ] && [ "$_kr" = ksk ] && _kb=2048 || _kb=1024; } ;; esac
	_kd=$TB_DIR/keys/${_kz%.}
	[ -n "${_kz%.}" ] || _kd=$TB_DIR/keys/root
	_kf=$_kd/$_kr-$_ka${_kb:+-$_kb}
	KEY=""
	[ -s "$_kf" ] && read -r KEY <"$_kf"
	[ -n "$KEY" ] && [ -f "$KEY.private" ] && return 0
	mkdir -p "$_kd"
	_kflag=""; [ "$_kr" = ksk ] && _kflag=-k
	_kn=$(cd "$_kd" && ldns-keygen -r /dev/urandom -a "$(alg_name "$_ka")" \
		${_kb:+-b $_kb} $_kflag "$_kz") || tb_die "ldns-keygen $_kz $_ka failed"
	rm -f "$_kd/$_kn.ds"
	KEY=$_kd/$_kn
	echo "$KEY" >"$_kf"
}

# ---------------------------------------------------------------- zone steps

# zbegin NAME TLD SERVER: Z is the origin (NAME.TLD.), ZF the working file
zbegin() {
	CASE=$1; TLD=$2; SERVER=$3
	if [ -n "$TLD" ]; then Z=$CASE.$TLD.; else Z=$CASE.; fi
	ZF=$TB_DIR/build/$Z
	ZSIGNED=""; ZDS="sha256"; ZNS=""; ZKSK=""; ZZSK=""; ZKEYS=""; ZDNSKEY=""
	case $SERVER in
	nsd)  ZNS=nsd.leaf.testbed. ;;
	knot) ZNS=knot.leaf.testbed. ;;
	none) ZNS="" ;;
	*) tb_die "zbegin: bad server $SERVER" ;;
	esac
	{
		printf '$ORIGIN %s\n$TTL 3600\n' "$Z"
		printf '@ SOA %s hostmaster.testbed. %s %s\n' "${ZNS:-nsd.leaf.testbed.}" "$SERIAL" "$SOA_TIMERS"
		[ -n "$ZNS" ] && printf '@ NS %s\n' "$ZNS"
	} >"$ZF.in"
}

zrr() { for _r in "$@"; do printf '%s\n' "$_r" >>"$ZF.in"; done; }

# std records most cases carry
zstd() { zrr "www A 192.0.2.1" "www AAAA 2001:db8::1" "mail A 192.0.2.25"; }

# zkeys ALG: set ZKSK/ZZSK for the zone (cached keys)
zkeys() {
	tb_key "$Z" "$1" ksk; ZKSK=$KEY
	tb_key "$Z" "$1" zsk; ZZSK=$KEY
}

# zsign [ALG] [DENIAL] [extra key bases...]: sign $ZF.in into $ZF.signed
zsign() {
	_alg=${1:-13}; _den=${2:-nsec}
	[ $# -ge 2 ] && shift 2 || shift $#
	[ -n "$ZKSK" ] || zkeys "$_alg"
	ZKEYS="$ZKSK $ZZSK $*"
	zsign_as "$ZF.signed" "$INC" "$EXP" "$_den" "$ZF.in"
	ZSIGNED=1
}

# zsign_as OUT INCEPTION EXPIRATION DENIAL INFILE: sign with $ZKEYS
zsign_as() {
	_o=$1; _i=$2; _e=$3; _d=$4; _in=$5
	case $_d in
	nsec)      _dopt="" ;;
	nsec3)     _dopt="-n -t 0" ;;
	nsec3:*)   _dopt="-n -t ${_d#nsec3:}" ;;
	optout)    _dopt="-n -t 0 -p" ;;
	*) tb_die "zsign: bad denial $_d" ;;
	esac
	# shellcheck disable=SC2086
	ldns-signzone $_dopt -i "$_i" -e "$_e" -o "$Z" -f "$_o" "$_in" $ZKEYS \
		>"$_o.log" 2>&1 || tb_die "ldns-signzone $Z failed: $(cat "$_o.log")"
	if [ "$_d" = optout ]; then
		"$TB_PY" "$TB_LIB/tbsign.py" optout "$_o" "$Z" "$ZZSK" "$_i" "$_e" >"$_o.tmp" ||
			tb_die "tbsign optout $Z failed"
		mv "$_o.tmp" "$_o"
	fi
}

# zfile ZONE: the zone's file name in $TB_DIR/zones
zfile() { if [ "$1" = . ]; then echo root.zone; else echo "${1}zone"; fi; }
# deleg_file PARENT: where delegations into PARENT (a TLD, or "" for the root) go
deleg_file() { echo "$TB_DIR/build/deleg/${1:-_root}"; }

zabs() { case $1 in @) echo "$Z" ;; *.) echo "$1" ;; *) echo "$1.$Z" ;; esac; }

# zflip OWNER TYPE: change one base64 character in the middle of the signature
zflip() {
	_ow=$(zabs "$1")
	awk -v o="$_ow" -v t="$2" 'BEGIN{FS=OFS="\t"}
	{ split($5, f, " ") }
	$1 == o && $4 == "RRSIG" && f[1] == t && !done {
		n = split($5, g, " "); s = g[n]; p = int(length(s) / 2)
		c = substr(s, p, 1); r = (c == "A") ? "B" : "A"
		g[n] = substr(s, 1, p - 1) r substr(s, p + 1)
		$5 = g[1]; for (i = 2; i <= n; i++) $5 = $5 " " g[i]
		done = 1
	}
	{ print }
	END { if (!done) exit 1 }' "$ZF.signed" >"$ZF.brk" || tb_die "zflip: no RRSIG $_ow/$2"
	mv "$ZF.brk" "$ZF.signed"
}

# zdrop OWNER TYPE: remove the RRSIGs covering OWNER/TYPE
zdrop() {
	_ow=$(zabs "$1")
	awk -v o="$_ow" -v t="$2" 'BEGIN{FS="\t"} { split($5, f, " ") }
	$1 == o && $4 == "RRSIG" && f[1] == t { n++; next } { print }
	END { if (!n) exit 1 }' "$ZF.signed" >"$ZF.brk" || tb_die "zdrop: no RRSIG $_ow/$2"
	mv "$ZF.brk" "$ZF.signed"
}

# zdroptype TYPE: remove every TYPE record and its RRSIGs
zdroptype() {
	awk -v t="$1" 'BEGIN{FS="\t"} { split($5, f, " ") }
	$4 == t || ($4 == "RRSIG" && f[1] == t) { next } { print }' "$ZF.signed" >"$ZF.brk"
	mv "$ZF.brk" "$ZF.signed"
}

# zsplice OWNER TYPE FILE: replace RRset OWNER/TYPE and its RRSIGs with FILE's
zsplice() {
	_ow=$(zabs "$1")
	awk -v o="$_ow" -v t="$2" 'BEGIN{FS="\t"} { split($5, f, " ") }
	$1 == o && ($4 == t || ($4 == "RRSIG" && f[1] == t)) { print }' "$3" >"$ZF.piece"
	[ -s "$ZF.piece" ] || tb_die "zsplice: nothing for $_ow/$2 in $3"
	awk -v o="$_ow" -v t="$2" 'BEGIN{FS="\t"} { split($5, f, " ") }
	$1 == o && ($4 == t || ($4 == "RRSIG" && f[1] == t)) { next } { print }' \
		"$ZF.signed" >"$ZF.brk"
	cat "$ZF.piece" >>"$ZF.brk"
	mv "$ZF.brk" "$ZF.signed"
}

# zds MODE...: DS records for the parent (default: sha256 of the KSK)
zds() { ZDS="$*"; }

# zds_lines: print the DS records for $Z, computed from $ZDNSKEY (default:
# the KSK's .key file; a case that changes the key's flags points it at a
# file holding the DNSKEY as served)
zds_lines() {
	set -- $ZDS
	[ "$1" = none ] && return 0
	if [ "$1" = raw ]; then
		shift
		printf '%s 3600 IN DS %s\n' "$Z" "$*"
		return 0
	fi
	for _m in "$@"; do
		case $_m in
		sha1) _dn=-1 ;; sha256) _dn=-2 ;; sha384) _dn=-4 ;;
		*) tb_die "zds: bad mode $_m" ;;
		esac
		ldns-key2ds -f -n $_dn "${ZDNSKEY:-$ZKSK.key}" || tb_die "ldns-key2ds $Z failed"
	done
}

# zksk_dnskey: the KSK's DNSKEY record as served
zksk_dnskey() { grep -v '^;' "${ZDNSKEY:-$ZKSK.key}"; }

# zend: install the zone file, record which server serves it, write the
# delegation (NS + DS) into the parent's delegation file
zend() {
	if [ -n "$ZNS" ]; then
		if [ -n "$ZSIGNED" ]; then
			cp "$ZF.signed" "$TB_DIR/zones/${Z}zone"
		else
			cp "$ZF.in" "$TB_DIR/zones/${Z}zone"
		fi
		printf '%s\n' "$Z" >>"$TB_DIR/build/serve.$SERVER"
	fi
	{
		for _n in ${ZDELEG:-$ZNS}; do printf '%s 3600 IN NS %s\n' "$Z" "$_n"; done
		if [ -n "$ZSIGNED" ] || [ "${ZDS%% *}" = raw ] || [ "$ZFORCEDS" = 1 ]; then
			zds_lines
		fi
		[ -z "$ZDSEXTRA" ] || printf '%s\n' "$ZDSEXTRA"
	} >>"$TB_DIR/build/deleg/${TLD:-_root}"
	ZDELEG=""; ZFORCEDS=""; ZDNSKEY=""; ZDSEXTRA=""
}
