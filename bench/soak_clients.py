#!/usr/bin/env python3
"""bench/soak.sh's misbehaving clients and slow upstream, all on 127.0.0.1, each bounded.

  soak_clients.py upstream PORT                       /slow/* sleeps 3 s, /big/* streams 4 MiB
  soak_clients.py drip PORT N DEADLINE                N clients dripping a header line a second
  soak_clients.py disconnect PORT N DEADLINE KEY      N clients closing mid-response or mid-request
  soak_clients.py timeouts PORT N DEADLINE KEY        N clients calling /slow (504 expected)

DEADLINE is a Unix time; each client mode prints one summary line when it has passed.
"""
import collections
import http.server
import select
import socket
import sys
import threading
import time

SLOW_SECONDS = 3
BIG = 4 * 1024 * 1024
CHUNK = b"x" * 65536


class Upstream(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        try:
            if self.path.startswith("/slow"):
                time.sleep(SLOW_SECONDS)
                self.answer(b'{"slow":true}')
            elif self.path.startswith("/big"):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(BIG))
                self.end_headers()
                for _ in range(BIG // len(CHUNK)):
                    self.wfile.write(CHUNK)
            else:
                self.answer(b'{"ok":true}')
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def status_of(reply):
    parts = reply.split(b" ", 2)
    return parts[1].decode("ascii", "replace") if len(parts) > 1 else "none"


def connect(port, timeout):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def drip(port, deadline, counts, lock):
    while time.time() < deadline:
        try:
            with connect(port, 15) as s:
                s.sendall(b"GET /ok/drip HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                outcome = "never cut off"
                for i in range(60):  # the header timeout (10 s) cuts this off long before
                    readable, _, _ = select.select([s], [], [], 1)
                    if readable:
                        outcome = "answered " + status_of(s.recv(4096))
                        break
                    s.sendall(b"X-Drip-%d: 1\r\n" % i)
        except OSError:
            outcome = "closed unanswered"
        with lock:
            counts[outcome] += 1


def disconnect(port, deadline, key, counts, lock):
    n = 0
    while time.time() < deadline:
        n += 1
        path = "/big/%d" % n if n % 2 else "/slow/%d" % n
        try:
            with connect(port, 10) as s:
                s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: %s\r\n\r\n"
                           % (path, key)).encode())
                if path.startswith("/big"):
                    s.recv(16384)  # the head and a little of the body, then gone
                    outcome = "closed mid-response"
                else:
                    time.sleep(0.3)  # the upstream is still sleeping
                    outcome = "closed mid-request"
        except OSError:
            outcome = "error"
        with lock:
            counts[outcome] += 1
        time.sleep(0.2)


def timeouts(port, deadline, key, counts, lock):
    while time.time() < deadline:
        try:
            with connect(port, 10) as s:
                s.sendall(("GET /slow/t HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: %s\r\n"
                           "Connection: close\r\n\r\n" % key).encode())
                outcome = status_of(s.recv(4096))
        except OSError:
            outcome = "error"
        with lock:
            counts[outcome] += 1


def run_clients(mode, target, n, deadline, *args):
    counts, lock = collections.Counter(), threading.Lock()
    threads = [threading.Thread(target=target, args=(port, deadline, *args, counts, lock),
                                daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1, deadline - time.time()) + 30)
    summary = ", ".join("%s %d" % kv for kv in sorted(counts.items()))
    print("%s (%d clients): %s" % (mode, n, summary or "nothing"), flush=True)


if __name__ == "__main__":
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "upstream":
        http.server.ThreadingHTTPServer.daemon_threads = True
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Upstream).serve_forever()
    n, deadline = int(sys.argv[3]), float(sys.argv[4])
    if mode == "drip":
        run_clients("slow clients, outcomes", drip, n, deadline)
    elif mode == "disconnect":
        run_clients("disconnecting clients", disconnect, n, deadline, sys.argv[5])
    elif mode == "timeouts":
        run_clients("slow-route clients, statuses", timeouts, n, deadline, sys.argv[5])
    else:
        sys.exit("unknown mode " + mode)
