# testbed/lib/servers.sh: infrastructure zones (root, TLDs, testbed.),
# trust anchor and root hints, server and peer configurations, and how to
# start each process. Sourced by testbed/up and testbed/capture; POSIX sh.

TB_TLDS="testbed nsec nsec3 optout unsigned"

# infra_zone NAME DENIAL|unsigned: a TLD (or the root when NAME is ".")
infra_zone() {
	_name=$1; _den=$2
	if [ "$_name" = . ]; then
		zbegin "" "" none; Z=.; ZF=$TB_DIR/build/root
		_ns="a.root-servers.testbed. b.root-servers.testbed."
	else
		zbegin "$_name" "" none
		_ns="a.tld-servers.testbed. b.tld-servers.testbed."
	fi
	{
		printf '$ORIGIN %s\n$TTL 86400\n' "$Z"
		printf '@ SOA %s hostmaster.testbed. %s 1800 900 604800 300\n' "${_ns%% *}" "$SERIAL"
		for _n in $_ns; do printf '@ NS %s\n' "$_n"; done
	} >"$ZF.in"
	if [ "$_name" = . ]; then _df=$(deleg_file ""); else _df=$(deleg_file "$_name"); fi
	[ -f "$_df" ] && cat "$_df" >>"$ZF.in"
	if [ "$_den" != unsigned ]; then
		_alg=13; [ "$_name" = . ] && _alg=8
		zsign "$_alg" "$_den"
		cp "$ZF.signed" "$TB_DIR/zones/$(zfile "$Z")"
	else
		cp "$ZF.in" "$TB_DIR/zones/$(zfile "$Z")"
	fi
	[ "$_name" = . ] && return 0
	# delegation from the root
	{
		for _n in $_ns; do printf '%s 86400 IN NS %s\n' "$Z" "$_n"; done
		[ -n "$ZSIGNED" ] && zds_lines
		true
	} >>"$(deleg_file "")"
}

tb_build_infra() {
	mkdir -p "$TB_DIR/build/deleg"
	cat >"$TB_DIR/build/testbed.body" <<EOF
a.root-servers A $TB_ROOT_NSD
b.root-servers A $TB_ROOT_KNOT
a.tld-servers A $TB_TLD_NSD
b.tld-servers A $TB_TLD_KNOT
nsd.leaf A $TB_LEAF_NSD
knot.leaf A $TB_LEAF_KNOT
lame.leaf A $TB_LAME
sink A $TB_SINK
EOF
	awk '{ printf "%s.testbed. 3600 IN %s %s\n", $1, $2, $3 }' "$TB_DIR/build/testbed.body" \
		>>"$(deleg_file testbed)"
	infra_zone testbed nsec
	infra_zone nsec nsec
	infra_zone nsec3 nsec3
	infra_zone optout optout
	infra_zone unsigned unsigned
	# glue for the root and TLD servers (below the testbed. cut)
	awk '$1 ~ /root-servers|tld-servers/ { printf "%s.testbed. 86400 IN A %s\n", $1, $3 }' \
		"$TB_DIR/build/testbed.body" >>"$(deleg_file "")"
	infra_zone . nsec
	ROOT_KSK=$ZKSK
	# trust anchor: DS and DNSKEY of the root KSK, and dnsmasq's form
	ZDS=sha256; zds_lines >"$TB_DIR/anchor.ds"
	sed 's/[[:space:]]*;.*$//' "$ZKSK.key" >"$TB_DIR/anchor.dnskey"
	awk '{ printf "trust-anchor=.,%s,%s,%s,%s\n", $5, $6, $7, $8 }' "$TB_DIR/anchor.ds" \
		>"$TB_DIR/dnsmasq-anchor.conf"
	cat >"$TB_DIR/root.hints" <<EOF
.                        3600000  NS  a.root-servers.testbed.
a.root-servers.testbed.  3600000  A   $TB_ROOT_NSD
.                        3600000  NS  b.root-servers.testbed.
b.root-servers.testbed.  3600000  A   $TB_ROOT_KNOT
EOF
}

# ------------------------------------------------------------- configs

# nsd_conf NAME ADDR ZONE...
nsd_conf() {
	_n=$1; _a=$2; shift 2
	_d=$TB_DIR/$_n; mkdir -p "$_d"
	{
		cat <<EOF
server:
  ip-address: $_a
  port: 53
  do-ip6: no
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$TB_DIR/zones"
  pidfile: "$_d/nsd.pid"
  database: ""
  zonelistfile: "$_d/zone.list"
  xfrdfile: "$_d/xfrd.state"
  xfrdir: "$_d"
  logfile: "$TB_DIR/log/$_n.log"
  verbosity: 1
  hide-version: yes
  ipv4-edns-size: 1232
  reuseport: no
  tcp-count: 100
remote-control:
  control-enable: no
EOF
		for _z in "$@"; do printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$_z" "$(zfile "$_z")"; done
	} >"$_d/nsd.conf"
}

# knot_conf NAME ADDR ZONE...
knot_conf() {
	_n=$1; _a=$2; shift 2
	_d=$TB_DIR/$_n; mkdir -p "$_d"
	{
		cat <<EOF
server:
    rundir: "$_d"
    pidfile: "$_d/knot.pid"
    listen: $_a@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
    udp-max-payload: 1232
control:
    listen: "$_d/knot.sock"
database:
    storage: "$_d/db"
log:
  - target: stderr
    any: info
template:
  - id: default
    storage: "$TB_DIR/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
EOF
		for _z in "$@"; do printf '  - domain: "%s"\n    file: "%s"\n' "$_z" "$(zfile "$_z")"; done
	} >"$_d/knot.conf"
}

# unbound_conf DIRNAME ADDR: a validating recursive on the testbed
unbound_conf() {
	_d=$TB_DIR/$1; mkdir -p "$_d"
	cat >"$_d/unbound.conf" <<EOF
server:
  interface: $2
  port: 53
  outgoing-interface: $2
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$_d"
  pidfile: "$_d/unbound.pid"
  logfile: ""
  use-syslog: no
  verbosity: 1
  val-log-level: 2
  log-servfail: yes
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  root-hints: "$TB_DIR/root.hints"
  trust-anchor-file: "$TB_DIR/anchor.ds"
  module-config: "validator iterator"
  ede: yes
  # answer SERVFAIL within seconds when a server never answers (defaults:
  # probe for up to 120 s, and drop the client's query after 1.9 s)
  infra-cache-max-rtt: 3000
  discard-timeout: 0
  # do not cache bogus answers: a cached one carries only a bare EDE 6, and
  # dnsmasq (which forwards here with CD=0) would see that instead of the reason
  val-bogus-ttl: 0
  val-permissive-mode: no
  prefetch: no
  minimal-responses: no
remote-control:
  control-enable: no
EOF
}

kresd_conf() {
	_d=$TB_DIR/kresd; mkdir -p "$_d"
	cat >"$_d/kresd.conf" <<EOF
-- Knot Resolver on the testbed: validating recursive, testbed hints and anchor
net.ipv6 = false
net.listen('$TB_KRESD', 53, { kind = 'dns' })
net.outgoing_v4('$TB_KRESD')
option('ALLOW_LOCAL', true)
modules.load('hints > iterate')
hints.root_file('$TB_DIR/root.hints')
trust_anchors.remove('.')
trust_anchors.add_file('$TB_DIR/anchor.ds', true)
cache.open(50 * MB, 'lmdb://$_d/cache')
log_level('notice')
EOF
}

dnsmasq_conf() {
	_d=$TB_DIR/dnsmasq; mkdir -p "$_d"
	cat >"$_d/dnsmasq.conf" <<EOF
# dnsmasq on the testbed: validating forwarder in front of the testbed Unbound
port=53
listen-address=$TB_DNSMASQ
bind-interfaces
no-resolv
no-hosts
server=$TB_UNBOUND@$TB_DNSMASQ
dnssec
conf-file=$TB_DIR/dnsmasq-anchor.conf
dnssec-check-unsigned
pid-file=$_d/dnsmasq.pid
keep-in-foreground
log-facility=-
log-queries=extra
cache-size=1000
user=root
group=root
EOF
}

tb_write_configs() {
	mkdir -p "$TB_DIR/log"
	nsd_conf nsd-root "$TB_ROOT_NSD" .
	knot_conf knot-root "$TB_ROOT_KNOT" .
	nsd_conf nsd-tld "$TB_TLD_NSD" $(for t in $TB_TLDS; do echo "$t."; done)
	knot_conf knot-tld "$TB_TLD_KNOT" $(for t in $TB_TLDS; do echo "$t."; done)
	nsd_conf nsd-leaf "$TB_LEAF_NSD" $(cat "$TB_DIR/build/serve.nsd")
	knot_conf knot-leaf "$TB_LEAF_KNOT" $(cat "$TB_DIR/build/serve.knot")
	unbound_conf unbound "$TB_UNBOUND"
	kresd_conf
	dnsmasq_conf
}

# tb_launch NAME KIND: start one process of TB_PROCS
tb_launch() {
	_lf=$TB_DIR/log/$1.log
	# a daemon's own pid file from a crashed run can name a pid that is still
	# a zombie (or was reused): knotd would refuse to start. tb_stop has made
	# sure the process is gone, so remove it.
	rm -f "$TB_DIR/$1/knot.pid" "$TB_DIR/$1/nsd.pid" "$TB_DIR/$1/unbound.pid" "$TB_DIR/$1/dnsmasq.pid"
	case $2 in
	nsd)     tb_start "$1" "$_lf" nsd -d -c "$TB_DIR/$1/nsd.conf" ;;
	knot)    tb_start "$1" "$_lf" knotd -c "$TB_DIR/$1/knot.conf" ;;
	sink)    tb_start "$1" "$_lf" "$TB_PY" "$TB_HOME/lib/sink.py" "$TB_SINK" 53 "$TB_DIR/run" ;;
	unbound) tb_start "$1" "$_lf" unbound -d -c "$TB_DIR/unbound/unbound.conf" ;;
	kresd)   tb_start "$1" "$_lf" kresd -n -c "$TB_DIR/kresd/kresd.conf" "$TB_DIR/kresd" ;;
	dnsmasq) tb_start "$1" "$_lf" dnsmasq -C "$TB_DIR/dnsmasq/dnsmasq.conf" ;;
	esac
}

# tb_ready NAME ADDR KIND: wait until the process answers
tb_ready() {
	case $3 in
	sink) sleep 0.1; tb_running "$1" ;;
	nsd|knot)
		case $1 in
		*-root) _q=. ;;
		*-tld)  _q=testbed. ;;
		*-leaf) _q=$(head -n 1 "$TB_DIR/build/serve.${3}") ;;
		esac
		tb_wait_answer "$2" "$_q" 50 ;;
	*) tb_wait_answer "$2" testbed. 30 +rec ;;
	esac
}
