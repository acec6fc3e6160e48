#!/bin/bash
# tests/integration/dnsmasq_side_by_side.sh: every small configuration in
# tests/integration/dnsmasq-compat/ run by dnsmasq and by wardd side by
# side, each against its own identical loopback fake upstreams; the answers
# (rcode, AA, RA, answer set, TTLs and upstream query counts where the case
# asks) must agree except for the lines of dnsmasq-compat/expected-differences.
# As root the whole run happens in a private network namespace (only lo:
# nothing can leave the machine, and resolv-file= cases can use port 53).
#   tests/integration/dnsmasq_side_by_side.sh [CASE...]
cd "$(dirname "$0")/../.." || exit 2
for tool in python3 dnsmasq; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done
RUNNER=tests/integration/dnsmasq-compat/runner.py
if [ "$(id -u)" -eq 0 ] && [ -z "${WARD_COMPAT_NETNS:-}" ] &&
	unshare -n true 2>/dev/null; then
	exec unshare -n env WARD_COMPAT_NETNS=1 bash -c 'ip link set lo up && exec python3 "$0" "$@"' "$RUNNER" "$@"
fi
exec python3 "$RUNNER" "$@"
