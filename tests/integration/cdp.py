#!/usr/bin/env python3
# tests/integration/cdp.py: drive headless Chromium through the DevTools
# protocol (over --remote-debugging-pipe: JSON messages ended by a NUL on
# file descriptors 3 and 4, no websocket library needed) through a list of
# steps, the way a person clicks through a page. Not a test itself (the
# *.sh tests call it). Standard library only.
#
#   cdp.py CHROMIUM USER_DATA_DIR STEP...
#     open URL            load URL in the tab
#     wait-url TEXT       until the tab's address contains TEXT
#     wait-text TEXT      until the page's text contains TEXT
#     no-text TEXT        the page's text does not contain TEXT
#     fill CSS VALUE      set the value of the element CSS selects
#     click CSS           click it (a submit button sends its form)
#     screenshot FILE     a PNG of the viewport (1200x900)
#     dump FILE           the page's HTML
# Prints "ok STEP" per step; the first step that fails prints "FAIL ..."
# and exits 1. Every wait is bounded (10 s); Chromium is killed at the end.
import json, os, subprocess, sys, time, base64, select

WAIT_S = 10.0


class Chrome:
    def __init__(self, binary, user_dir):
        r_cmd, self.w_cmd = os.pipe()      # ours -> chromium's fd 3
        self.r_evt, w_evt = os.pipe()      # chromium's fd 4 -> ours

        def fds():
            # via fresh descriptors: a pipe end may already be 3 or 4,
            # and dup2 onto itself would keep its close-on-exec flag
            a, b = os.dup(r_cmd), os.dup(w_evt)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
        self.p = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--window-size=1200,900", "--hide-scrollbars",
             "--remote-debugging-pipe", "--user-data-dir=" + user_dir,
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(user_dir, "chrome.err"), "ab"),
            preexec_fn=fds, close_fds=False)
        os.close(r_cmd)
        os.close(w_evt)
        self.buf = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.w_cmd, json.dumps(msg).encode() + b"\0")
        want = self.next_id
        deadline = time.time() + WAIT_S
        while True:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                m = json.loads(raw)
                if m.get("id") == want:
                    if "error" in m:
                        raise RuntimeError("%s: %s" % (method, m["error"]))
                    return m.get("result", {})
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError("%s: no answer from chromium" % method)
            r, _, _ = select.select([self.r_evt], [], [], left)
            if r:
                chunk = os.read(self.r_evt, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk

    def attach(self):
        t = self.send("Target.createTarget", {"url": "about:blank"}, False)
        a = self.send("Target.attachToTarget",
                      {"targetId": t["targetId"], "flatten": True}, False)
        self.session = a["sessionId"]
        self.send("Page.enable")

    def js(self, expr):
        r = self.send("Runtime.evaluate",
                      {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: %s" % r["exceptionDetails"])
        return r.get("result", {}).get("value")

    def until(self, expr, what):
        deadline = time.time() + WAIT_S
        while time.time() < deadline:
            try:
                if self.js(expr):
                    return
            except RuntimeError:
                pass          # the page is being replaced
            time.sleep(0.1)
        raise RuntimeError("%s: not within %.0f s (page: %s)" % (
            what, WAIT_S, self.js("location.href")))

    def close(self):
        try:
            self.p.kill()
        except OSError:
            pass
        self.p.wait()


def main(argv):
    if len(argv) < 3:
        print(__doc__ or "usage: cdp.py CHROMIUM DIR STEP...")
        return 2
    c = Chrome(argv[1], argv[2])
    steps = argv[3:]
    i = 0
    try:
        c.attach()
        while i < len(steps):
            op = steps[i]
            n = 2 if op in ("fill",) else 1
            args = steps[i + 1:i + 1 + n]
            i += 1 + n
            q = json.dumps
            if op == "open":
                c.send("Page.navigate", {"url": args[0]})
                c.until("document.readyState=='complete'&&location.href==%s"
                        % q(args[0]), "open " + args[0])
            elif op == "wait-url":
                c.until("location.href.indexOf(%s)>=0&&document.readyState"
                        "=='complete'" % q(args[0]), "address with " + args[0])
            elif op == "wait-text":
                c.until("document.body&&document.body.innerText.indexOf(%s)>=0"
                        % q(args[0]), "text " + args[0])
            elif op == "no-text":
                if c.js("document.body.innerText.indexOf(%s)>=0" % q(args[0])):
                    raise RuntimeError("the page shows " + args[0])
            elif op == "fill":
                if not c.js("(function(e){if(!e)return false;e.value=%s;"
                            "return true})(document.querySelector(%s))"
                            % (q(args[1]), q(args[0]))):
                    raise RuntimeError("no element " + args[0])
            elif op == "click":
                if not c.js("(function(e){if(!e)return false;e.click();"
                            "return true})(document.querySelector(%s))"
                            % q(args[0])):
                    raise RuntimeError("no element " + args[0])
            elif op == "screenshot":
                r = c.send("Page.captureScreenshot", {"format": "png"})
                with open(args[0], "wb") as f:
                    f.write(base64.b64decode(r["data"]))
            elif op == "dump":
                with open(args[0], "w") as f:
                    f.write(c.js("document.documentElement.outerHTML"))
            else:
                raise RuntimeError("unknown step " + op)
            print("ok   browser: %s %s" % (op, " ".join(args)))
    except (RuntimeError, IndexError, OSError, ValueError) as e:
        print("FAIL browser: %s" % e)
        return 1
    finally:
        c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
