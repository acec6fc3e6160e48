# testbed/lib/common.sh: address plan and process handling shared by
# testbed/up, testbed/down and testbed/capture. POSIX sh; sourced, not run.
#
# Every address is in 127.53.0.0/16 (Linux routes all of 127/8 to lo, so these
# bind without any interface configuration). Nothing ever leaves loopback.

TB_NET=127.53.0.0/16
TB_ROOT_NSD=127.53.0.1     # a.root-servers.testbed.  NSD
TB_ROOT_KNOT=127.53.0.2    # b.root-servers.testbed.  Knot DNS
TB_TLD_NSD=127.53.0.11     # a.tld-servers.testbed.   NSD   (all TLDs)
TB_TLD_KNOT=127.53.0.12    # b.tld-servers.testbed.   Knot  (all TLDs)
TB_LEAF_NSD=127.53.0.21    # nsd.leaf.testbed.        NSD   (case zones)
TB_LEAF_KNOT=127.53.0.22   # knot.leaf.testbed.       Knot  (case zones)
TB_LAME=127.53.0.21        # lame.leaf.testbed.: the NSD leaf, which lacks the zone
TB_SINK=127.53.0.99        # sink.testbed.: takes queries, never answers
TB_UNBOUND=127.53.1.1      # peer: Unbound, validating recursive
TB_KRESD=127.53.1.2        # peer: Knot Resolver, validating recursive
TB_DNSMASQ=127.53.1.3      # peer: dnsmasq, validating forwarder -> Unbound
TB_CAPTURE=127.53.2.1      # testbed/capture's fresh Unbound

# name|address|kind for every long-running process, in start order
TB_PROCS="nsd-root|$TB_ROOT_NSD|nsd knot-root|$TB_ROOT_KNOT|knot
nsd-tld|$TB_TLD_NSD|nsd knot-tld|$TB_TLD_KNOT|knot
nsd-leaf|$TB_LEAF_NSD|nsd knot-leaf|$TB_LEAF_KNOT|knot sink|$TB_SINK|sink
unbound|$TB_UNBOUND|unbound kresd|$TB_KRESD|kresd dnsmasq|$TB_DNSMASQ|dnsmasq"

tb_log() { printf 'testbed: %s\n' "$*" >&2; }
tb_die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

# tb_dir [DIR]: absolute testbed directory (default testbed/run)
tb_dir() {
	_d=${1:-$TB_HOME/run}
	mkdir -p "$_d" || tb_die "cannot create $_d"
	(cd "$_d" && pwd -P)
}

# tb_pid_ours PID: true if PID is alive and was started by this testbed:
# tb_start puts WARD_TB_OWNER=$TB_DIR in the environment of everything it
# starts (inherited by children); older or foreign processes are recognised
# by a command line naming $TB_DIR. Guards against a recycled pid.
tb_pid_ours() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] || return 1
	# (2>/dev/null first: the process may exit while we look)
	tr '\0' '\n' 2>/dev/null <"/proc/$1/environ" | grep -qxF "WARD_TB_OWNER=$TB_DIR" && return 0
	tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF "$TB_DIR/"
}

# tb_group PGID: pids of the process group PGID whose command line names
# $TB_DIR (NSD forks children; after a kill -9 of the parent they may remain).
# One pass over /proc/*/stat (comm, field 2, may hold spaces and parens: the
# fields after the last ')' are state, ppid, pgrp).
tb_group() {
	for _p in $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '{
		match($0, /.*\)/); split(substr($0, RLENGTH + 2), f, " ")
		if (f[3] == g) print $1 }'); do
		tb_pid_ours "$_p" && printf '%s\n' "$_p"
	done
	return 0
}

# tb_running NAME: true if NAME's recorded process (group leader) is alive
tb_running() {
	[ -f "$TB_DIR/run/$1.pid" ] || return 1
	tb_pid_ours "$(cat "$TB_DIR/run/$1.pid")"
}

# tb_stop NAME: stop the process group recorded in run/NAME.pid, by pid.
# TERM, wait up to 5 s, then KILL. Removes the pid file.
tb_stop() {
	_pf=$TB_DIR/run/$1.pid
	[ -f "$_pf" ] || return 0
	_pg=$(cat "$_pf")
	_i=0
	_pids=$(tb_group "$_pg")
	[ -n "$_pids" ] && kill -TERM $_pids 2>/dev/null
	while [ $_i -lt 50 ]; do
		_pids=$(tb_group "$_pg")
		[ -z "$_pids" ] && break
		sleep 0.1; _i=$((_i + 1))
	done
	if [ -n "$_pids" ]; then
		tb_log "$1: still running after 5 s, sending KILL to $_pids"
		kill -KILL $_pids 2>/dev/null
		sleep 0.2
	fi
	rm -f "$_pf"
}

# tb_start NAME LOGFILE CMD...: start CMD in its own session (so it is the
# leader of a process group whose id is its pid), record the pid in
# run/NAME.pid. stdin is /dev/null, stdout/stderr go to LOGFILE.
tb_start() {
	_n=$1; _lf=$2; shift 2
	mkdir -p "$TB_DIR/run"
	rm -f "$TB_DIR/run/$_n.pid"
	WARD_TB_OWNER=$TB_DIR setsid sh -c 'echo $$ >"$0"; exec "$@"' "$TB_DIR/run/$_n.pid" "$@" \
		</dev/null >>"$_lf" 2>&1 &
	_i=0
	while [ ! -s "$TB_DIR/run/$_n.pid" ] && [ $_i -lt 50 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ -s "$TB_DIR/run/$_n.pid" ] || tb_die "$_n: did not start (see $_lf)"
}

# tb_addr_free ADDR: true if no socket is bound to ADDR:53 or to the
# wildcard 0.0.0.0:53 (which would make binding ADDR:53 fail), udp or tcp
tb_addr_free() {
	! ss -Hlnut 2>/dev/null | awk '{print $5}' | grep -qxE "($1|0\.0\.0\.0|\*):53"
}

# tb_wait_answer ADDR QNAME [TRIES [+rec|+norec]]: wait until ADDR answers
# QNAME SOA (any rcode)
tb_wait_answer() {
	_i=0
	while [ $_i -lt "${3:-50}" ]; do
		dig +tries=1 +time=2 "${4:-+norec}" @"$1" "$2" SOA >/dev/null 2>&1 && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
