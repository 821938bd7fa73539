"""Starts `kofu serve --port 0` on 127.0.0.1 (or ::1, with --listen) for a test and stops it.

    with Server(kofu) as s:
        status, headers, body = s.request("GET", "/api/v1/schema")

The server picks a free port and prints its URL; requests go straight to it,
never through a proxy from the environment.
"""
import http.client
import json
import re
import signal
import subprocess
import time


class Server:
    # a command to run the server under, e.g. valgrind (set by the test runner)
    wrapper = []

    def __init__(self, kofu, *args, env=None):
        self.kofu = kofu
        self.args = list(args)
        self.env = env  # the server's environment (None: this process's)
        self.proc = None
        self.port = None

    def __enter__(self):
        self.proc = subprocess.Popen([*Server.wrapper, self.kofu, "serve", "--port", "0", *self.args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"http://(127\.0\.0\.1|\[::1\]):(\d+)/", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("kofu serve printed no URL: %r %r" % (line, self.proc.stderr.read()))
        self.netloc = "%s:%s" % (m.group(1), m.group(2))  # what a browser sends as Host
        self.host = m.group(1).strip("[]")                 # what to connect to
        self.port = int(m.group(2))
        self.url = "http://%s/" % self.netloc
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """SIGINT, as Ctrl+C: the server must stop cleanly with exit 0."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.rc = self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.rc = self.proc.wait()
        self.stderr = self.proc.stderr.read().decode() if self.proc else ""
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()
        return self.rc

    def request(self, method, path, body=None, headers=None, host=None):
        """One request on a fresh connection: (status, headers dict lowercased, bytes)."""
        h = {"Host": host or self.netloc}
        h.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in h.items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders()
        if body:
            c.send(body)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, data

    def json(self, method, path, body=None, headers=None, host=None):
        status, hdrs, data = self.request(method, path, body, headers, host)
        return status, hdrs, json.loads(data)


def wait_until(pred, timeout=20, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()
