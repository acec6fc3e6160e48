#!/bin/bash
# tests/integration/wardd_http_blocklist.sh: the dashboard's blocklists page
# (docs/dashboard.md, "Blocklists"). wardd forwards to a loopback dnsmasq
# with a file list, a URL list (a local python3 HTTP server) and the
# dashboard's own list, on a random 127.89.x.y address and random ports.
# Checks: the page lists every source with its names and result; headless
# Chromium (tests/integration/cdp.py) adds a name with the page's form and
# the name is blocked at once (EDE 15), removes it and it resolves again,
# a malformed name shows an error and changes nothing; a POST without or
# with a wrong CSRF token is 403 and changes nothing; the page works
# without JavaScript (curl); the added name survives SIGHUP and a restart;
# refreshing a file and a URL list takes their new names, a URL that fails
# keeps the list in force and says why. Screenshot:
# $WARD_SCREENSHOT_DIR/dashboard-blocklists.png (WARD_SCREENSHOT_DIR=docs/img
# makes the README's). Chromium missing: the browser steps are skipped.
. "$(dirname "$0")/wardd_lib.sh"

command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

A=127.89.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
# below the kernel's ephemeral range: nobody else's client socket holds them
UP_PORT=$((20000 + RANDOM % 4000))
PORT=$((24000 + RANDOM % 4000))
HPORT=$((28000 + RANDOM % 4000))
LPORT=$((HPORT + 1))
URL="http://$A:$HPORT"

wl_start_upstream "$A" "$UP_PORT" --local=/up.test/ \
	--host-record=ads.up.test,192.0.2.80 --host-record=sub.ads.up.test,192.0.2.81 \
	--host-record=file.up.test,192.0.2.82 --host-record=url.up.test,192.0.2.83 \
	--host-record=keep.up.test,192.0.2.84 --host-record=other.up.test,192.0.2.85

# the URL list, served by python3's HTTP server from $WL_DIR/www
mkdir -p "$WL_DIR/www"
printf '# url list\nurl-old.up.test\n' >"$WL_DIR/www/list.txt"
python3 -m http.server "$LPORT" --bind "$A" --directory "$WL_DIR/www" \
	>"$WL_DIR/http.log" 2>&1 &
HTTPD_PID=$!
WL_PIDS+=("$HTTPD_PID")
for _ in $(seq 50); do
	curl -s -o /dev/null "http://$A:$LPORT/list.txt" && break
	sleep 0.1
done

printf 'file-old.up.test\n' >"$WL_DIR/file.txt"
DASH="$WL_DIR/state/dashboard.list"
mkdir -p "$WL_DIR/state"
{ wl_fwd_conf "$A" "$PORT" "$A#$UP_PORT"; cat <<EOF; } >"$WL_DIR/w.conf"
control-socket=$WL_DIR/ctl.sock
dashboard-address=$A#$HPORT
dashboard-blocklist=$DASH
blocklist=$WL_DIR/file.txt
blocklist=http://$A:$LPORT/list.txt
EOF
start() {
	wl_start_wardd w --conf-file="$WL_DIR/w.conf" --pid-file= --user=
	wl_wait_dns "$A" "$PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }
}
start

q() { dig +time=3 +tries=1 @"$A" -p "$PORT" "$@"; }
blocked() { # name: answered by a blocklist (EDE 15, 0.0.0.0)
	q "$1" A >"$WL_DIR/q.out"
	grep -q 'EDE: 15 (Blocked)' "$WL_DIR/q.out" && grep -q "^$1\.[[:space:]].*A[[:space:]]0\.0\.0\.0" "$WL_DIR/q.out"
}
resolves() { # name address
	q "$1" A >"$WL_DIR/q.out"
	grep -q "^$1\.[[:space:]].*A[[:space:]]$2" "$WL_DIR/q.out" && ! grep -q 'EDE: 15' "$WL_DIR/q.out"
}
until_ok() { # command...: true within 10 s
	for _ in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
page() { # file: GET /blocklists with the cookie jar
	curl -s -b "$WL_DIR/jar" -c "$WL_DIR/jar" -o "$1" -w '%{http_code}' "$URL/blocklists"
}
token() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -n 1 | sed 's/.*value="//; s/"$//'; }
post() { # path data...: the status code
	local path=$1
	shift
	curl -s -b "$WL_DIR/jar" -o "$WL_DIR/post.html" -D "$WL_DIR/post.h" -w '%{http_code}' \
		"$@" "$URL$path"
}

# the URL list is fetched after start
check "the URL list is fetched (url-old.up.test blocked)" until_ok blocked url-old.up.test
check "the file list is in force (file-old.up.test blocked)" blocked file-old.up.test

# the page without JavaScript: sources, counts, results, the forms
code=$(page "$WL_DIR/p1.html")
check "GET /blocklists is 200" [ "$code" = 200 ]
check "the page gives a session cookie (HttpOnly, SameSite=Strict)" \
	grep -q "ward_sid" "$WL_DIR/jar"
check "the page lists the file list" grep -q "<code>$WL_DIR/file.txt</code>" "$WL_DIR/p1.html"
check "the page lists the URL list" grep -q "<code>http://$A:$LPORT/list.txt</code>" "$WL_DIR/p1.html"
check "the page lists the dashboard's own list" grep -q "<code>$DASH</code>" "$WL_DIR/p1.html"
check "the page says the blocking mode" grep -q '<div class="v">null</div>' "$WL_DIR/p1.html"
check "every form carries the CSRF token" \
	bash -c "[ \$(grep -o '<form[^>]*method=\"post\"' '$WL_DIR/p1.html' | wc -l) -ge 4 ] && [ \$(grep -o '<form[^>]*method=\"post\"' '$WL_DIR/p1.html' | wc -l) = \$(grep -o 'name=\"csrf\" value=\"[0-9a-f]\{64\}\"' '$WL_DIR/p1.html' | wc -l) ]"
TOK=$(token "$WL_DIR/p1.html")
check "no names added yet" grep -q 'none yet' "$WL_DIR/p1.html"

# POSTs without the token, with a wrong one, without the cookie: 403, nothing changes
code=$(post /blocklists/add --data "name=ads.up.test&kind=block")
check "a POST without a token is 403" [ "$code" = 403 ]
if [ "${TOK: -1}" = 0 ]; then BAD="${TOK%?}1"; else BAD="${TOK%?}0"; fi
code=$(post /blocklists/add --data "csrf=$BAD&name=ads.up.test&kind=block")
check "a POST with a wrong token is 403" [ "$code" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --data "csrf=$TOK&name=ads.up.test" "$URL/blocklists/add")
check "the right token without its session cookie is 403" [ "$code" = 403 ]
check "the 403 page says nothing changed" grep -q 'Nothing was changed' "$WL_DIR/post.html"
check "after the refused POSTs ads.up.test still resolves" resolves ads.up.test 192.0.2.80
check "and no file was written" [ ! -e "$DASH" ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/")
check "POST elsewhere is still 405" [ "$code" = 405 ]

# headless Chromium: click through adding, a bad name, removing
CHROME=$(command -v chromium || command -v chromium-browser || true)
IMG=${WARD_SCREENSHOT_DIR:-$WL_DIR/img}
mkdir -p "$IMG" "$WL_DIR/chrome"
cdp() { timeout -k 5 60 python3 tests/integration/cdp.py "$CHROME" "$WL_DIR/chrome" "$@"; }
if [ -n "$CHROME" ]; then
	check "chromium adds ads.up.test with the form" cdp \
		open "$URL/blocklists" wait-text "none yet" \
		fill '#bl-name' 'Ads.Up.Test.' click '#bl-add' \
		wait-url 'done=blocked' wait-text 'ads.up.test is now blocked.' \
		dump "$WL_DIR/added.html"
	check "the page lists ads.up.test as blocked" \
		grep -q '<td>ads.up.test</td><td class="bad">blocked' "$WL_DIR/added.html"
else
	echo "note: chromium is not installed (scripts/deps installs it): adding with curl instead"
	code=$(post /blocklists/add --data "csrf=$TOK&name=Ads.Up.Test.&kind=block")
	check "adding ads.up.test: 303" [ "$code" = 303 ]
fi
check "ads.up.test is blocked at once (EDE 15, 0.0.0.0)" blocked ads.up.test
check "and the names below it" blocked sub.ads.up.test
check "the file holds the name" grep -qx 'ads.up.test' "$DASH"
check "no temporary file is left" [ ! -e "$DASH.tmp" ]

if [ -n "$CHROME" ]; then
	check "chromium: a malformed name shows an error" cdp \
		open "$URL/blocklists" fill '#bl-name' 'bad name!.example' click '#bl-add' \
		wait-text 'between its dots' wait-text 'Nothing was changed' \
		open "$URL/blocklists" wait-text 'ads.up.test' \
		screenshot "$IMG/dashboard-blocklists.png"
	check "chromium screenshot of /blocklists" bash -c "head -c 8 '$IMG/dashboard-blocklists.png' | grep -q PNG"
fi
code=$(post /blocklists/add --data-urlencode "csrf=$TOK" --data-urlencode "name=bad name!.example" --data "kind=block")
check "a malformed name is 400" [ "$code" = 400 ]
check "with a clear error" grep -q 'id="bl-err".*between its dots' "$WL_DIR/post.html"
check "the bad name stays in the field to be fixed" grep -q 'value="bad name!.example"' "$WL_DIR/post.html"
code=$(post /blocklists/add --data "csrf=$TOK&name=localhost&kind=block")
check "localhost is refused (400)" [ "$code" = 400 ]
check "the file did not change" [ "$(grep -cv '^#' "$DASH")" = 1 ]

# allow beats every list: the URL list's name allowed by hand
code=$(post /blocklists/add --data "csrf=$TOK&name=url-old.up.test&kind=allow")
check "allowing url-old.up.test: 303" [ "$code" = 303 ]
check "an allowed name is answered by the upstream (NXDOMAIN there)" \
	bash -c "dig +time=3 +tries=1 @$A -p $PORT url-old.up.test A | grep -q 'status: NXDOMAIN'"
code=$(post /blocklists/add --data "csrf=$TOK&name=url-old.up.test&kind=block")
check "blocking an allowed name asks to remove it first (400)" [ "$code" = 400 ]
code=$(post /blocklists/add --data "csrf=$TOK&name=keep.up.test")
check "adding keep.up.test (kind left out: block)" [ "$code" = 303 ]

# reload and restart keep the names
kill -HUP "$WL_WARDD_PID"
reread() { grep -q "dashboard blocklist $DASH: 3 names" "$WL_DIR/w.log"; }
check "SIGHUP reads the dashboard's list again (3 names)" until_ok reread
check "after SIGHUP keep.up.test is still blocked" until_ok blocked keep.up.test
kill -TERM "$WL_WARDD_PID"
for _ in $(seq 50); do kill -0 "$WL_WARDD_PID" 2>/dev/null || break; sleep 0.1; done
start
check "after a restart keep.up.test is still blocked" blocked keep.up.test
check "after a restart ads.up.test is still blocked" blocked ads.up.test

# removing: with chromium's remove button (or curl), then it resolves
rm -f "$WL_DIR/jar"
page "$WL_DIR/p2.html" >/dev/null
TOK=$(token "$WL_DIR/p2.html")
check "the new wardd's page lists the names kept" \
	bash -c "grep -q '<td>keep.up.test</td>' '$WL_DIR/p2.html' && grep -q '<td>ads.up.test</td>' '$WL_DIR/p2.html'"
code=$(post /blocklists/remove --data "csrf=$TOK&name=ads.up.test")
check "removing ads.up.test: 303 to the page" \
	bash -c "[ '$code' = 303 ] && grep -qi '^location: /blocklists?done=removed&name=ads.up.test' '$WL_DIR/post.h'"
check "ads.up.test resolves again" resolves ads.up.test 192.0.2.80
if [ -n "$CHROME" ]; then
	check "chromium removes keep.up.test with its button" cdp \
		open "$URL/blocklists" wait-text 'keep.up.test' \
		click '#bl-entries form:has(input[value="keep.up.test"]) button' \
		wait-url 'done=removed' \
		wait-text 'keep.up.test was removed.'
else
	code=$(post /blocklists/remove --data "csrf=$TOK&name=keep.up.test")
	check "removing keep.up.test: 303" [ "$code" = 303 ]
fi
check "keep.up.test resolves again" resolves keep.up.test 192.0.2.84
code=$(post /blocklists/remove --data "csrf=$TOK&name=never.up.test")
check "removing a name that is not there is 400" [ "$code" = 400 ]

# the same with ward ctl
ctl() { "$WARD" ctl --socket "$WL_DIR/ctl.sock" blocklist "$@" >"$WL_DIR/ctl.out" 2>&1; }
ctl block other.up.test
check "ward ctl blocklist block: exit 0" [ $? = 0 ]
check "other.up.test is blocked at once" blocked other.up.test
ctl list
check "ward ctl blocklist list shows it and the lists" \
	bash -c "grep -qx 'blocked other.up.test' '$WL_DIR/ctl.out' && grep -q '^0 blocklist $WL_DIR/file.txt names=1 last=.* ok' '$WL_DIR/ctl.out'"
ctl block 'bad!name.example'
check "ward ctl blocklist block of a malformed name: exit 2 with why" \
	bash -c "[ $? = 2 ] && grep -q 'between its dots' '$WL_DIR/ctl.out'"
ctl remove other.up.test
check "ward ctl blocklist remove: exit 0" [ $? = 0 ]
check "other.up.test resolves again" resolves other.up.test 192.0.2.85
ctl refresh 9
check "ward ctl blocklist refresh of no list: exit 1" [ $? = 1 ]

# refresh: the file and the URL list read again at once
printf 'file-old.up.test\nfile.up.test\n' >"$WL_DIR/file.txt"
printf 'url-old.up.test\nurl.up.test\n' >"$WL_DIR/www/list.txt"
check "file.up.test resolves before the refresh" resolves file.up.test 192.0.2.82
code=$(post /blocklists/refresh --data "csrf=$TOK&source=0")
check "refreshing the file list: 303" [ "$code" = 303 ]
check "file.up.test is blocked after the refresh" until_ok blocked file.up.test
check "url.up.test still resolves (its list was not refreshed)" resolves url.up.test 192.0.2.83
code=$(post /blocklists/refresh --data "csrf=$TOK&source=all")
check "refreshing every list: 303" [ "$code" = 303 ]
check "url.up.test is blocked after the refresh" until_ok blocked url.up.test
code=$(post /blocklists/refresh --data "csrf=$TOK&source=7")
check "refreshing a list that does not exist is 400" [ "$code" = 400 ]
# the URL fails: the list in force stays, the page says why
rm -f "$WL_DIR/www/list.txt"
code=$(post /blocklists/refresh --data "csrf=$TOK&source=1")
failed() { page "$WL_DIR/p3.html" >/dev/null; grep -q 'failed: HTTP status 404; the list in force is kept' "$WL_DIR/p3.html"; }
check "a failed fetch shows on the page" until_ok failed
check "and the list in force stays (url.up.test blocked)" blocked url.up.test

# a file that cannot be written: the page says why and nothing changes
P2=$((PORT + 1)) HP2=$((HPORT + 2))
wl_start_wardd n --port="$P2" --listen-address="$A" --bind-interfaces --no-resolv \
	--no-hosts --server="$A#$UP_PORT" --pid-file= --user= --control-socket= \
	--dashboard-address="$A#$HP2" --dashboard-blocklist="$WL_DIR/no/such/dir/d.list"
wl_wait_dns "$A" "$P2" || { cat "$WL_DIR/n.out"; echo "FAIL: the second wardd did not start"; exit 1; }
URL="http://$A:$HP2"
rm -f "$WL_DIR/jar"
page "$WL_DIR/p4.html" >/dev/null
code=$(post /blocklists/add --data "csrf=$(token "$WL_DIR/p4.html")&name=other.up.test")
check "an unwritable file: 500 with why" \
	bash -c "[ '$code' = 500 ] && grep -qi 'cannot write $WL_DIR/no/such/dir/d.list.tmp' '$WL_DIR/post.html'"
check "and the name is not blocked" \
	bash -c "dig +time=3 +tries=1 @$A -p $P2 other.up.test A | grep -q '192.0.2.85'"

# a file that cannot be read (over 1 MiB): no change may overwrite it
P3=$((PORT + 2)) HP3=$((HPORT + 3))
BIG="$WL_DIR/big.list"
head -c 1100000 /dev/zero | tr '\0' '#' >"$BIG"
wl_start_wardd o --port="$P3" --listen-address="$A" --bind-interfaces --no-resolv \
	--no-hosts --server="$A#$UP_PORT" --pid-file= --user= --control-socket= \
	--dashboard-address="$A#$HP3" --dashboard-blocklist="$BIG"
wl_wait_dns "$A" "$P3" || { cat "$WL_DIR/o.out"; echo "FAIL: the third wardd did not start"; exit 1; }
URL="http://$A:$HP3"
rm -f "$WL_DIR/jar"
page "$WL_DIR/p5.html" >/dev/null
check "the page says the file cannot be read" grep -q 'failed: larger than 1048576 bytes' "$WL_DIR/p5.html"
code=$(post /blocklists/add --data "csrf=$(token "$WL_DIR/p5.html")&name=other.up.test")
check "adding to it is refused (500, could not be read)" \
	bash -c "[ '$code' = 500 ] && grep -q 'could not be read' '$WL_DIR/post.html'"
check "and the file is left as it was" [ "$(stat -c %s "$BIG")" = 1100000 ]
wl_finish
