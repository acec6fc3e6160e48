#!/bin/bash
# tests/integration/wardd_http_diagnose.sh: the dashboard's one-click
# diagnosis (docs/dashboard.md, "One-click diagnosis"). wardd resolves
# recursively against the testbed (its root hints, its root DS as
# trust-anchor-file=) with the dashboard on a random 127.88.x.y address;
# a query of the signature-expired name (make demo's) puts it on the
# DNSSEC failures page. Then:
#   - headless Chromium, driven over the DevTools protocol on a pipe
#     (python3, no extra package), clicks that row's Diagnose button; the
#     result page names the same verdict, EDE and first break as
#     `ward diagnose --recursive --root-hints --anchor` prints for the
#     name, and holds the chain picture as inline <svg>; a screenshot
#     (docs/img/dashboard-diagnose.png with WARD_SCREENSHOT_DIR=docs/img);
#   - a name under wardd's dnssec-nta=: the page says wardd does not
#     validate there;
#   - POST without the token, with a wrong one, from another Origin: 403;
#     GET /diagnose: 405; the second diagnosis of the name is the cached
#     result;
#   - a wardd forwarding to the testbed's Unbound: the walk asks it, with
#     `ward diagnose --server`'s result; with a silent forwarder listed
#     first, the walk moves on to the next;
#   - a second wardd whose root hints point at a server that never
#     answers: two diagnoses run (ward_dashboard_diagnoses_running 2), a
#     third gets the "busy" page (503) at once, and the two end at the
#     time limit (10 s) with a page that says so; SIGTERM during a
#     diagnosis: wardd exits within 4 s.
. "$(dirname "$0")/wardd_lib.sh"

command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }
command -v dot >/dev/null || { echo "skip: graphviz dot is not installed"; exit 77; }
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || { echo "skip: chromium is not installed (scripts/deps installs it)"; exit 77; }

wl_testbed
A=127.88.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
PORT=$((20000 + RANDOM % 4000))
HPORT=$((24000 + RANDOM % 4000))
URL="http://$A:$HPORT"
NAME=www.sig-expired.nsec.

wl_start_wardd w --conf-file=/dev/null --port="$PORT" --listen-address="$A" \
	--bind-interfaces --no-resolv --no-hosts --root-hints="$WARD_TB_ROOT_HINTS" \
	--dnssec --trust-anchor-file="$WARD_TB_ANCHOR" --pid-file= --user= \
	--dnssec-nta=/ds-mismatch.nsec/ --dashboard-address="$A#$HPORT"
wl_wait_dns "$A" "$PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }

# a second wardd for the busy/time-limit checks: its root servers are
# three UDP and TCP black holes (python3) on port 53 of other loopback
# addresses; one question tries each once (2 s a try): two questions take
# more than the 10 s a diagnosis may
NET=127.89.$((RANDOM % 250 + 1))
H=$((RANDOM % 240 + 1))
HOLES="$NET.$H $NET.$((H + 1)) $NET.$((H + 2))"
B=$NET.$((H + 3))
BPORT=$((28000 + RANDOM % 2000))
BHPORT=$((30000 + RANDOM % 2000))
python3 - "$WL_DIR/hole.ready" $HOLES >"$WL_DIR/hole.out" 2>&1 <<'PY' &
import socket, select, sys, time
udp, tcp = [], []
for a in sys.argv[2:]:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((a, 53))
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((a, 53))
    t.listen(16)
    udp.append(u)
    tcp.append(t)
open(sys.argv[1], "w").close()
held = []
end = time.time() + 120
while time.time() < end:
    r, _, _ = select.select(udp + tcp, [], [], 1)
    for s in r:
        if s in udp:
            s.recvfrom(4096)          # never answered
        else:
            held.append(s.accept()[0])
PY
WL_PIDS+=($!)
for _ in $(seq 50); do [ -e "$WL_DIR/hole.ready" ] && break; sleep 0.1; done
for h in $HOLES; do printf '.  3600 NS %s.hole.\n%s.hole. 3600 A %s\n' "$h" "$h" "$h"; done >"$WL_DIR/hole.hints"
wl_start_wardd b --conf-file=/dev/null --port="$BPORT" --listen-address="$B" \
	--bind-interfaces --no-resolv --no-hosts --root-hints="$WL_DIR/hole.hints" \
	--dnssec --trust-anchor-file="$WARD_TB_ANCHOR" --pid-file= --user= \
	--dashboard-address="$B#$BHPORT"
BPID=$WL_WARDD_PID
BURL="http://$B:$BHPORT"
for _ in $(seq 50); do curl -s -o /dev/null "$BURL/metrics" && break; sleep 0.1; done

metric() { # url name (a scrape the loop could not answer in time, on a
	# loaded machine, is asked again)
	local v
	for _ in $(seq 10); do
		v=$(curl -s --max-time 10 "$1/metrics" | awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }')
		[ "$v" != missing ] && break
		sleep 0.2
	done
	echo "$v"
}
jar() { # url: the cookie file of that dashboard's session
	echo "$WL_DIR/cookies.${1##*:}"
}
token() { # url: the CSRF token of the failures page's forms (and the session cookie)
	curl -s -c "$(jar "$1")" -b "$(jar "$1")" "$1/dnssec" |
		sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}
post() { # url out-file form-fields... (prints the HTTP status)
	local url=$1 out=$2
	shift 2
	local args=()
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	curl -s -b "$(jar "$url")" -o "$out" -w '%{http_code}' --max-time 30 "${args[@]}" "$url/diagnose"
}

# ---- the busy path first (it runs out while the rest goes on) ----
BTOK=$(token "$BURL")
check "the second wardd's failures page carries a token" [ ${#BTOK} = 64 ]
t0=$SECONDS
post "$BURL" "$WL_DIR/slow1.html" "csrf=$BTOK" name=slow1.nsec. type=A >"$WL_DIR/slow1.code" &
S1=$!
post "$BURL" "$WL_DIR/slow2.html" "csrf=$BTOK" name=slow2.nsec. type=AAAA >"$WL_DIR/slow2.code" &
S2=$!
WL_PIDS+=("$S1" "$S2")
for _ in $(seq 50); do
	[ "$(metric "$BURL" ward_dashboard_diagnoses_running)" = 2 ] && break
	sleep 0.1
done
check "two diagnoses run at once (ward_dashboard_diagnoses_running 2)" \
	[ "$(metric "$BURL" ward_dashboard_diagnoses_running)" = 2 ]
code=$(post "$BURL" "$WL_DIR/busy.html" "csrf=$BTOK" name=slow3.nsec. type=A)
check "a third is refused at once: 503" [ "$code" = 503 ]
check "... with the busy page" grep -q 'id="busy">2 diagnoses are running' "$WL_DIR/busy.html"
check "... counted (ward_dashboard_diagnoses_busy 1)" [ "$(metric "$BURL" ward_dashboard_diagnoses_busy)" = 1 ]

# ---- a bogus answer on the failures page ----
dig +dnssec +time=10 +tries=1 @"$A" -p "$PORT" "$NAME" A >"$WL_DIR/bogus.dig"
check "$NAME is SERVFAIL with EDE 7" grep -q "EDE: 7" "$WL_DIR/bogus.dig"
curl -s -o "$WL_DIR/dnssec.html" "$URL/dnssec"
check "the failures page lists $NAME with a Diagnose button" \
	grep -q "name=\"name\" value=\"$NAME\"><input type=\"hidden\" name=\"type\" value=\"A\"><button type=\"submit\">Diagnose</button>" "$WL_DIR/dnssec.html"
TOK=$(token "$URL")
check "the form carries a 64-hex-digit token" [ ${#TOK} = 64 ]
check "the two wardds have different tokens" [ "$TOK" != "$BTOK" ]

# ---- refusals ----
code=$(post "$URL" "$WL_DIR/r1.html" "name=$NAME" type=A)
check "POST without the token: 403" [ "$code" = 403 ]
if [ "${TOK: -1}" = 0 ]; then WRONG=${TOK%?}1; else WRONG=${TOK%?}0; fi
code=$(post "$URL" "$WL_DIR/r2.html" "csrf=$WRONG" "name=$NAME" type=A)
check "POST with a wrong token: 403" [ "$code" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' \
	--data-urlencode "csrf=$TOK" --data-urlencode "name=$NAME" "$URL/diagnose")
check "POST with the token but without the session cookie: 403" [ "$code" = 403 ]
code=$(curl -s -b "$(jar "$URL")" -o /dev/null -w '%{http_code}' -H 'Origin: http://evil.example' \
	--data-urlencode "csrf=$TOK" --data-urlencode "name=$NAME" "$URL/diagnose")
check "POST from another Origin (with the token): 403" [ "$code" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/diagnose?name=$NAME")
check "GET /diagnose: 405" [ "$code" = 405 ]
code=$(post "$URL" "$WL_DIR/r3.html" "csrf=$TOK" "name=bad..name" type=A)
check "a name that does not parse: 400" [ "$code" = 400 ]
n=$(metric "$URL" ward_dashboard_diagnoses_total)
check "no diagnosis ran for any of them (ward_dashboard_diagnoses_total $n)" [ "$n" = 0 ]

# ---- what ward diagnose says for the name, from the same inputs ----
"$WARD" diagnose "$NAME" A --recursive --root-hints "$WARD_TB_ROOT_HINTS" \
	--anchor "$WARD_TB_ANCHOR" >"$WL_DIR/cli.txt" 2>&1
check "ward diagnose: bogus (exit 2)" [ $? = 2 ]
VERDICT=$(sed -n 's/^verdict: //p' "$WL_DIR/cli.txt")
SENTENCE=$(grep -A1 '^verdict: ' "$WL_DIR/cli.txt" | tail -n 1 | sed 's/^  //')
echo "     ward diagnose: verdict: $VERDICT / $SENTENCE"

# ---- Chromium clicks the button ----
IMG=${WARD_SCREENSHOT_DIR:-$WL_DIR/img}
mkdir -p "$IMG"
rm -f "$IMG/dashboard-diagnose.png"
timeout -k 5 60 python3 - "$CHROME" "$URL/dnssec" "$NAME" "$WL_DIR/result.html" \
	"$IMG/dashboard-diagnose.png" "$WL_DIR/chrome" >"$WL_DIR/cdp.out" 2>&1 <<'PY'
# the DevTools protocol over --remote-debugging-pipe: JSON messages ended
# by a NUL byte, commands on the browser's fd 3, answers and events on 4
import base64, json, os, subprocess, sys, time
chrome, url, name, out_html, out_png, profile = sys.argv[1:7]
import fcntl
to_r, to_w = os.pipe()
from_r, from_w = os.pipe()
# inheritable copies above 10, so that the dup2s onto 3 and 4 cannot
# clobber each other or be no-ops on a close-on-exec descriptor
hi_r = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
hi_w = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
def fds():
    os.dup2(hi_r, 3)
    os.dup2(hi_w, 4)
p = subprocess.Popen([chrome, "--headless", "--no-sandbox", "--disable-gpu",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--user-data-dir=" + profile, "--window-size=1200,1100",
    "--remote-debugging-pipe"], preexec_fn=fds, close_fds=False,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for fd in (to_r, from_w, hi_r, hi_w):
    os.close(fd)
buf = b""
seq = 0
def call(method, params=None, session=None, deadline=20):
    global buf, seq
    seq += 1
    msg = {"id": seq, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(to_w, json.dumps(msg).encode() + b"\0")
    end = time.time() + deadline
    while time.time() < end:
        while b"\0" in buf:
            raw, buf = buf.split(b"\0", 1)
            m = json.loads(raw)
            if m.get("id") == seq:
                if "error" in m:
                    raise RuntimeError(method + ": " + str(m["error"]))
                return m["result"]
        chunk = os.read(from_r, 1 << 20)
        if not chunk:
            raise RuntimeError("browser closed the pipe")
        buf += chunk
    raise RuntimeError(method + ": no answer")
def js(session, expr):
    r = call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    return r["result"].get("value")
def wait_for(session, expr, want, secs):
    end = time.time() + secs
    while time.time() < end:
        try:
            if js(session, expr) == want:
                return True
        except RuntimeError:
            pass          # a navigation replaced the context: ask again
        time.sleep(0.1)
    return False
try:
    tid = call("Target.createTarget", {"url": url})["targetId"]
    sid = call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
    if not wait_for(sid, "location.pathname + ' ' + document.readyState", "/dnssec complete", 15):
        raise RuntimeError("the failures page did not load")
    where = js(sid, """(function(){
        var fs = document.querySelectorAll('form.diag');
        for (var i = 0; i < fs.length; i++) {
            var n = fs[i].querySelector('input[name=name]');
            if (n && n.value == %s) {
                var b = fs[i].querySelector('button');
                b.scrollIntoView();
                var r = b.getBoundingClientRect();
                return [r.x + r.width / 2, r.y + r.height / 2];
            }
        }
        return null; })()""" % json.dumps(name))
    if not where:
        raise RuntimeError("no Diagnose button for " + name)
    print("clicking at", where)
    for t in ("mousePressed", "mouseReleased"):
        call("Input.dispatchMouseEvent", {"type": t, "x": where[0], "y": where[1],
             "button": "left", "clickCount": 1}, sid)
    if not wait_for(sid, "location.pathname + ' ' + document.readyState", "/diagnose complete", 20):
        raise RuntimeError("no result page after the click")
    open(out_html, "w").write(js(sid, "document.documentElement.outerHTML"))
    shot = call("Page.captureScreenshot", {"format": "png"}, sid)
    open(out_png, "wb").write(base64.b64decode(shot["data"]))
    print("result page saved")
finally:
    try:
        call("Browser.close", deadline=5)
    except Exception:
        pass
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
PY
rc=$?
cat "$WL_DIR/cdp.out" | sed 's/^/     /'
check "chromium clicked Diagnose and got the result page" [ $rc = 0 ]
unesc() { python3 -c 'import html,sys; print(html.unescape(sys.stdin.read()))' <"$1"; }
unesc "$WL_DIR/result.html" >"$WL_DIR/result.txt" 2>/dev/null
check "the result names the verdict: bogus" grep -q '<th>verdict</th><td class="bad">bogus</td>' "$WL_DIR/result.html"
check "the result names the EDE: 7 (Signature Expired)" grep -qF '<th>Extended DNS Error</th><td>7 (Signature Expired)</td>' "$WL_DIR/result.txt"
check "ward diagnose's verdict line agrees (bogus, EDE 7)" [ "$VERDICT" = "bogus (EDE 7: Signature Expired)" ]
check "the first break is ward diagnose's sentence" grep -qF "<th>first break</th><td>$SENTENCE</td>" "$WL_DIR/result.txt"
check "the sentence names the expired signature" grep -q "signature expired" <<<"$SENTENCE"
check "the chain picture is inline SVG" grep -q '<div class="chain"><svg' "$WL_DIR/result.html"
check "the picture shows the broken RRSIG" grep -q 'signature expired' <(sed -n '/<svg/,/<\/svg>/p' "$WL_DIR/result.txt")
check "the walk used wardd's root hints" grep -q "recursive from wardd's root hints" "$WL_DIR/result.txt"
check "a screenshot of the result page" bash -c "head -c 8 '$IMG/dashboard-diagnose.png' | grep -q PNG"
check "one diagnosis ran (ward_dashboard_diagnoses_total 1)" [ "$(metric "$URL" ward_dashboard_diagnoses_total)" = 1 ]
code=$(post "$URL" "$WL_DIR/again.html" "csrf=$TOK" "name=$NAME" type=A)
check "the same name again: the kept result (200, no new walk)" \
	bash -c "[ '$code' = 200 ] && grep -q 'The result of [0-9]* s ago' '$WL_DIR/again.html' && [ '$(metric "$URL" ward_dashboard_diagnoses_total)' = 1 ]"
check "a name under no negative trust anchor: no NTA note" \
	bash -c "! grep -q 'negative trust anchor' '$WL_DIR/result.html'"
# a name under wardd's dnssec-nta=: the walk still finds the break, and the
# page says wardd does not validate there
code=$(post "$URL" "$WL_DIR/nta.html" "csrf=$TOK" name=www.ds-mismatch.nsec. type=A)
check "under dnssec-nta=: the walk's verdict (bogus) and a note that wardd does not validate there" \
	bash -c "[ '$code' = 200 ] && grep -q 'bogus' '$WL_DIR/nta.html' && grep -qF 'is under the negative trust anchor <code>dnssec-nta=/ds-mismatch.nsec/</code>' '$WL_DIR/nta.html'"

# ---- forwarding mode: the walk asks wardd's forwarder (CD=1) ----
FPORT=$((PORT + 1))
FHPORT=$((HPORT + 1))
wl_start_wardd f --conf-file=/dev/null --port="$FPORT" --listen-address="$A" \
	--bind-interfaces --no-resolv --no-hosts --server="$WARD_TB_UNBOUND" \
	--dnssec --trust-anchor-file="$WARD_TB_ANCHOR" --pid-file= --user= \
	--dashboard-address="$A#$FHPORT"
FURL="http://$A:$FHPORT"
for _ in $(seq 50); do curl -s -o /dev/null "$FURL/metrics" && break; sleep 0.1; done
code=$(post "$FURL" "$WL_DIR/fwd.html" "csrf=$(token "$FURL")" "name=$NAME" type=A)
unesc "$WL_DIR/fwd.html" >"$WL_DIR/fwd.txt" 2>/dev/null
"$WARD" diagnose "$NAME" A --server "$WARD_TB_UNBOUND" --anchor "$WARD_TB_ANCHOR" >"$WL_DIR/cli2.txt" 2>&1
FSENT=$(grep -A1 '^verdict: ' "$WL_DIR/cli2.txt" | tail -n 1 | sed 's/^  //')
check "forwarding: the walk asked wardd's forwarder" grep -qF "server $WARD_TB_UNBOUND#53 (wardd's forwarder for .)" "$WL_DIR/fwd.txt"
check "forwarding: bogus with ward diagnose --server's first break" \
	bash -c "[ '$code' = 200 ] && grep -qF '<th>first break</th><td>$FSENT</td>' '$WL_DIR/fwd.txt'"

# ---- the two slow ones end at the time limit ----
wait "$S1" "$S2"
took=$((SECONDS - t0))
check "the slow diagnoses ended within the time limit (+3 s): ${took}s" [ "$took" -le 13 ]
check "... and say so" bash -c "grep -q 'no server answered within the time limit (10 s' '$WL_DIR/slow1.html' && grep -q 'within the time limit' '$WL_DIR/slow2.html'"
check "... nothing runs any more" [ "$(metric "$BURL" ward_dashboard_diagnoses_running)" = 0 ]
# SIGTERM while a diagnosis runs: the walk stops asking, wardd exits soon
post "$BURL" "$WL_DIR/slow4.html" "csrf=$BTOK" name=slow4.nsec. type=A >/dev/null &
WL_PIDS+=($!)
for _ in $(seq 50); do
	[ "$(metric "$BURL" ward_dashboard_diagnoses_running)" = 1 ] && break
	sleep 0.1
done
t1=$SECONDS
kill -TERM "$BPID"
for _ in $(seq 100); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM during a diagnosis: wardd exits within 4 s ($((SECONDS - t1)) s)" \
	bash -c "! kill -0 $BPID 2>/dev/null && [ $((SECONDS - t1)) -le 4 ]"
check "wardd still answers DNS (the name's data with CD=1)" \
	bash -c "dig +time=3 +tries=1 @'$A' -p '$PORT' '$NAME' A +cd +short | grep -qx '[0-9.]*'"

# ---- forwarding, the first forwarder silent: the walk moves on ----
GPORT=$((PORT + 2))
GHPORT=$((HPORT + 2))
wl_start_wardd g --conf-file=/dev/null --port="$GPORT" --listen-address="$A" \
	--bind-interfaces --no-resolv --no-hosts --server="$NET.$H" \
	--server="$WARD_TB_UNBOUND" --dnssec --trust-anchor-file="$WARD_TB_ANCHOR" \
	--pid-file= --user= --dashboard-address="$A#$GHPORT"
GURL="http://$A:$GHPORT"
for _ in $(seq 50); do curl -s -o /dev/null "$GURL/metrics" && break; sleep 0.1; done
code=$(post "$GURL" "$WL_DIR/fwd2.html" "csrf=$(token "$GURL")" "name=$NAME" type=A)
unesc "$WL_DIR/fwd2.html" >"$WL_DIR/fwd2.txt" 2>/dev/null
check "a silent first forwarder: the walk asked the next one" \
	grep -qF "server $WARD_TB_UNBOUND#53 (wardd's forwarder for .; the ones before it did not answer)" "$WL_DIR/fwd2.txt"
check "... with ward diagnose --server's first break, and its command line" \
	bash -c "[ '$code' = 200 ] && grep -qF '<th>first break</th><td>$FSENT</td>' '$WL_DIR/fwd2.txt' && grep -qF -- '--server $WARD_TB_UNBOUND#53' '$WL_DIR/fwd2.txt'"
wl_finish
