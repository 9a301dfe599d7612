#!/usr/bin/env python3
"""check_report.py: open memsim reports in a real browser and check them.

    check_report.py SHOTS_DIR REPORT.html ...   (prints "N passed, N failed")

Each report is opened in headless Chromium (Debian's chromium), driven
through the DevTools protocol over --remote-debugging-pipe: no network, no
extra packages.  A report passes when
  - the page loaded, and every <img> in it loaded (naturalWidth > 0);
  - nothing was logged as an error (console or browser log);
  - it holds no <script> and no link off the machine (http:, https:, //);
  - every local link it makes (images, data files, .gp) exists beside it.
A screenshot of each is kept in SHOTS_DIR.  Without chromium the checks
that need it fail loudly (the set-up installs it).
"""
import base64
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium",) if os.access(p, os.X_OK)),
                None) or shutil.which("chromium") or shutil.which("chromium-browser")
passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + msg, file=sys.stderr)


class Browser:
    """Chromium with the DevTools protocol on file descriptors 3 and 4."""

    def __init__(self, profile):
        r3, w3 = os.pipe()         # our commands -> chromium's fd 3
        r4, w4 = os.pipe()         # chromium's fd 4 -> our responses
        # the child's ends, moved above 9 so that they cannot be 3 or 4 themselves
        hi3, hi4 = fcntl.fcntl(r3, fcntl.F_DUPFD, 10), fcntl.fcntl(w4, fcntl.F_DUPFD, 10)
        os.close(r3)
        os.close(w4)
        r3, w4 = hi3, hi4
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-pipe",
                "--window-size=1200,900", "about:blank"]

        # the descriptors are put at 3 and 4 by a shell's redirections: the
        # child's other descriptors are closed before anything else runs
        shell = 'exec 3<&%d 4>&%d %d<&- %d>&-; exec "$@"' % (r3, w4, r3, w4)
        self.proc = subprocess.Popen(["bash", "-c", shell, "bash"] + args, pass_fds=(r3, w4),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r3)
        os.close(w4)
        self.out, self.inp = w3, r4
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.out, json.dumps(msg).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def read(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.inp, 65536)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def wait(self, match, seconds=30):
        deadline = time.monotonic() + seconds
        for i, m in enumerate(self.events):
            if match(m):
                return self.events.pop(i)
        while True:
            m = self.read(deadline)
            if match(m):
                return m
            self.events.append(m)

    def close(self):
        try:
            self.send("Browser.close")
        except (EOFError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def static_checks(path):
    text = open(path, encoding="utf-8").read()
    name = os.path.relpath(path)
    check("<script" not in text.lower(), f"{name}: holds a script")
    links = re.findall(r'(?:src|href)="([^"]*)"', text)
    check(links, f"{name}: links to nothing")
    for link in links:
        check(not re.match(r"(https?:)?//", link), f"{name}: links off the machine: {link}")
        local = urllib.parse.unquote(link)
        check(os.path.exists(os.path.join(os.path.dirname(path), local)), f"{name}: {link} is missing")


def browser_checks(path, shots, browser):
    name = os.path.relpath(path)
    target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(domain + ".enable", session=session)
    browser.send("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=session)
    browser.wait(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session)
    broken = browser.send("Runtime.evaluate", {
        "expression": "JSON.stringify(Array.from(document.images)"
                      ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')))",
        "returnByValue": True}, session=session)["result"]["result"]["value"]
    images = browser.send("Runtime.evaluate", {"expression": "document.images.length",
                                               "returnByValue": True}, session=session)
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                        session=session)["result"]["data"]
    with open(os.path.join(shots, os.path.basename(os.path.dirname(path)) + ".png"), "wb") as f:
        f.write(base64.b64decode(shot))
    errors = [m for m in browser.events if m.get("sessionId") == session and (
        (m.get("method") == "Runtime.consoleAPICalled" and m["params"].get("type") == "error") or
        (m.get("method") == "Runtime.exceptionThrown") or
        (m.get("method") == "Log.entryAdded" and m["params"]["entry"].get("level") == "error"))]
    check(json.loads(broken) == [], f"{name}: images that did not load: {broken}")
    check(not errors, f"{name}: errors logged: {[e['params'] for e in errors]}")
    check(images["result"]["result"]["value"] >= 0, f"{name}: no document")
    browser.send("Target.closeTarget", {"targetId": target})


def main():
    shots, reports = sys.argv[1], sys.argv[2:]
    os.makedirs(shots, exist_ok=True)
    for r in reports:
        static_checks(r)
    if CHROMIUM is None:
        check(False, "chromium is not installed: the reports were not opened in a browser "
                     "(scripts/setup.sh installs it)")
    else:
        with tempfile.TemporaryDirectory() as profile:
            browser = Browser(profile)
            try:
                for r in reports:
                    browser_checks(r, shots, browser)
            finally:
                browser.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
