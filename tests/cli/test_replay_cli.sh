#!/usr/bin/env bash
# CLI tests of `ward replay --rpl`: exit statuses (0 every check passed,
# 1 a check failed or a step is unsupported, 2 a file cannot be run or bad
# usage), per-step lines and the summary, --json, --quiet, --help, and a
# scenario of the shared Unbound corpus that passes.
#   WARD=path/to/bin/ward WARD_TESTDATA=path/to/shared/testdata \
#     tests/cli/test_replay_cli.sh
# The last line is "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
WARD=${WARD:-bin/ward}
TESTDATA=${WARD_TESTDATA:-../shared/testdata}
RPL="$TESTDATA/rpl/unbound"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
contains() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		bad "$1 ('$3' not in output)"; sed 's/^/    | /' "$2" | head -n 12; fi
}
status() { # NAME WANT GOT
	if [ "$3" -eq "$2" ]; then ok "$1"; else bad "$1 (exit $3, want $2)"; fi
}

if [ ! -x "$WARD" ]; then
	echo "no ward binary at $WARD"
	echo "0 passed, 1 failed"
	exit 1
fi

# A root that refers com. to a server that knows www.example.com.
head_part='server:
	qname-minimisation: no
stub-zone:
	name: "."
	stub-addr: 193.0.14.129
CONFIG_END
SCENARIO_BEGIN cli test
RANGE_BEGIN 0 100
	ADDRESS 193.0.14.129
ENTRY_BEGIN
MATCH opcode qtype qname
ADJUST copy_id
REPLY QR AA NOERROR
SECTION QUESTION
. IN NS
SECTION ANSWER
. IN NS k.root-servers.net.
SECTION ADDITIONAL
k.root-servers.net. IN A 193.0.14.129
ENTRY_END
ENTRY_BEGIN
MATCH opcode subdomain
ADJUST copy_id copy_query
REPLY QR NOERROR
SECTION QUESTION
com. IN A
SECTION AUTHORITY
com. IN NS a.gtld-servers.net.
SECTION ADDITIONAL
a.gtld-servers.net. IN A 192.5.6.30
ENTRY_END
RANGE_END
RANGE_BEGIN 0 100
	ADDRESS 192.5.6.30
ENTRY_BEGIN
MATCH opcode qtype qname
ADJUST copy_id
REPLY QR AA NOERROR
SECTION QUESTION
www.example.com. IN A
SECTION ANSWER
www.example.com. IN A 10.20.30.40
ENTRY_END
RANGE_END
STEP 1 QUERY
ENTRY_BEGIN
REPLY RD
SECTION QUESTION
www.example.com. IN A
ENTRY_END'
check() { # ADDRESS
	printf 'STEP 10 CHECK_ANSWER
ENTRY_BEGIN
MATCH all
REPLY QR RD RA NOERROR
SECTION QUESTION
www.example.com. IN A
SECTION ANSWER
www.example.com. IN A %s
ENTRY_END
SCENARIO_END
' "$1"
}
{ echo "$head_part"; check 10.20.30.40; } >"$TMP/good.rpl"
{ echo "$head_part"; check 10.20.30.41; } >"$TMP/bad.rpl"
{ echo "$head_part"; echo "STEP 5 TIME_PASSES EVAL \${\$t0 + 1}"; check 10.20.30.40; } >"$TMP/unsup.rpl"
printf 'CONFIG_END\nSCENARIO_BEGIN x\nSTEP 1 FROBNICATE\nSCENARIO_END\n' >"$TMP/broken.rpl"

"$WARD" replay --rpl "$TMP/good.rpl" >"$TMP/out" 2>&1
status "passing scenario: exit 0" 0 $?
contains "per-step line" "$TMP/out" "CHECK_ANSWER     pass"
contains "summary line" "$TMP/out" "1 files: 1 passed, 0 failed, 0 could not run"

"$WARD" replay --rpl "$TMP/bad.rpl" >"$TMP/out" 2>&1
status "failing check: exit 1" 1 $?
contains "the difference is shown" "$TMP/out" "ANSWER: missing    www.example.com."

"$WARD" replay --rpl "$TMP/unsup.rpl" >"$TMP/out" 2>&1
status "unsupported step: exit 1" 1 $?
contains "unsupported step named" "$TMP/out" "unsupported"

"$WARD" replay --rpl "$TMP/broken.rpl" >"$TMP/out" 2>&1
status "unloadable file: exit 2" 2 $?
contains "load error with file:line" "$TMP/out" "broken.rpl:3"

"$WARD" replay --rpl "$TMP/good.rpl" "$TMP/nonexistent.rpl" >"$TMP/out" 2>&1
status "missing file among good ones: exit 2" 2 $?

"$WARD" replay --rpl "$TMP/good.rpl" "$TMP/bad.rpl" >"$TMP/out" 2>&1
status "one failing file among two: exit 1" 1 $?
contains "summary of two" "$TMP/out" "2 files: 1 passed, 1 failed"

"$WARD" replay --rpl --json "$TMP/bad.rpl" >"$TMP/out" 2>&1
status "--json: exit 1" 1 $?
if command -v python3 >/dev/null; then
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["failed"] == 1; assert d["files"][0]["steps"][1]["verdict"] == "fail"' "$TMP/out"; then
		ok "--json parses, verdicts inside"
	else
		bad "--json output"
		head -c 600 "$TMP/out"
	fi
else
	contains "--json summary" "$TMP/out" '"summary": {"files": 1'
fi

"$WARD" replay --rpl --quiet "$TMP/good.rpl" >"$TMP/out" 2>&1
if grep -q "QUERY" "$TMP/out"; then bad "--quiet hides passing steps"; else ok "--quiet hides passing steps"; fi

"$WARD" replay --help >"$TMP/out" 2>&1
status "--help: exit 0" 0 $?
contains "--help names --rpl" "$TMP/out" "--rpl"
"$WARD" replay "$TMP/good.rpl" >"$TMP/out" 2>&1
status "no --rpl: exit 2" 2 $?
"$WARD" replay --rpl --bogus "$TMP/good.rpl" >"$TMP/out" 2>&1
status "unknown option: exit 2" 2 $?

if [ -f "$RPL/iter_resolve.rpl" ]; then
	"$WARD" replay --rpl "$RPL/iter_resolve.rpl" >"$TMP/out" 2>&1
	status "Unbound's iter_resolve.rpl passes" 0 $?
	"$WARD" replay --rpl --trace "$RPL/iter_resolve.rpl" >/dev/null 2>"$TMP/err"
	contains "--trace shows the upstream queries" "$TMP/err" "query www.example.com. type1 to 1.2.3.4"
else
	echo "skip Unbound corpus (not in $RPL)"
fi

echo
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
