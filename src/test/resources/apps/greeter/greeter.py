#!/usr/bin/env python3
"""A tiny non-Java application for Switchman's tests (Python 3 standard library only).

Environment: PORT (0 picks a free port), VERSION, HOST (default 127.0.0.1), and for fault injection COLOUR and
FAULTS_DIR: while <FAULTS_DIR>/<COLOUR>-crash exists it exits at start, -unhealthy makes /health answer 503,
-errors makes / answer 500, -lag makes / take 2 s, -slow waits 5 s before it listens. With GREETER_TABLE set, every
request to / first reads that table (through libpq's variables, psycopg2) as a service guarded by a lock_timeout
(GREETER_LOCK_TIMEOUT, default 300ms) does, and answers 503 when the read fails.
GET /health -> {"status":"UP","version":"<VERSION>"}; GET / -> a greeting naming the version; POST / reads the body
and answers the greeting without its newline, a colon and the number of bytes it read ("Hello from greeter v2:2048"),
so that a client can tell the whole body arrived.
Prints one line when it listens; exits 0 on SIGTERM or SIGINT.
"""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = os.environ.get("VERSION", "unknown")
COLOUR = os.environ.get("COLOUR", "")
FAULTS_DIR = os.environ.get("FAULTS_DIR", "")
TABLE = os.environ.get("GREETER_TABLE", "")
LOCK_TIMEOUT = os.environ.get("GREETER_LOCK_TIMEOUT", "300ms")
local = threading.local()


def read_table():
    """None when the table reads, else why not. One connection per client connection (a thread each)."""
    if not TABLE:
        return None
    import psycopg2  # only services on the database need it
    try:
        if getattr(local, "connection", None) is None:
            local.connection = psycopg2.connect()
            local.connection.autocommit = True
            with local.connection.cursor() as cursor:
                cursor.execute("set lock_timeout = %s", (LOCK_TIMEOUT,))
        with local.connection.cursor() as cursor:
            cursor.execute("select count(*) from " + TABLE)
            cursor.fetchone()
        return None
    except psycopg2.Error as e:
        if getattr(local, "connection", None) is not None and local.connection.closed:
            local.connection = None
        return str(e).strip().splitlines()[0]


def fault(kind):
    return bool(FAULTS_DIR) and os.path.exists(os.path.join(FAULTS_DIR, COLOUR + "-" + kind))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response sets Content-Length

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            if fault("unhealthy"):
                self._send(503, "application/json", json.dumps({"status": "DOWN", "version": VERSION}))
            else:
                self._send(200, "application/json", json.dumps({"status": "UP", "version": VERSION}))
        elif path == "/" and fault("errors"):
            self._send(500, "text/plain; charset=utf-8", "greeter %s: failing on purpose\n" % VERSION)
        elif path == "/" and self._table_unreadable():
            pass
        elif path == "/":
            if fault("lag"):
                time.sleep(2)
            self._send(200, "text/plain; charset=utf-8", "Hello from greeter %s\n" % VERSION)
        else:
            self._send(404, "application/json", json.dumps({"error": "not found: " + path}))

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        # Read the whole body before answering, or the keep-alive connection would hold its rest as the next request.
        body = self.rfile.read(length) if length > 0 else b""
        if path != "/":
            self._send(404, "application/json", json.dumps({"error": "not found: " + path}))
        elif fault("errors"):
            self._send(500, "text/plain; charset=utf-8", "greeter %s: failing on purpose\n" % VERSION)
        elif self._table_unreadable():
            pass
        else:
            if fault("lag"):
                time.sleep(2)
            self._send(200, "text/plain; charset=utf-8", "Hello from greeter %s:%d" % (VERSION, len(body)))

    def _table_unreadable(self):
        """Answers 503 (and says so) when GREETER_TABLE does not read."""
        failure = read_table()
        if failure:
            self._send(503, "text/plain; charset=utf-8", "greeter %s: database: %s\n" % (VERSION, failure))
        return bool(failure)

    def _send(self, status, content_type, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-App-Version", VERSION)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass  # one line per start is enough


class Server(ThreadingHTTPServer):
    # socketserver listens with a queue of 5: a router opening a connection per request in flight as load begins
    # overflows it, and the kernel stalls or resets some of them after their request went out (no proxy may resend
    # a POST).
    request_queue_size = 1024
    daemon_threads = True


def main():
    if fault("slow"):
        time.sleep(5)
    if fault("crash"):
        print("greeter %s: crashing at start" % VERSION, file=sys.stderr, flush=True)
        return 1
    try:
        port = int(os.environ.get("PORT", "8080"))
    except ValueError:
        print("greeter: PORT must be a number", file=sys.stderr)
        return 2
    server = Server((os.environ.get("HOST", "127.0.0.1"), port), Handler)

    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("greeter %s listening on %s:%d (pid %d)" % (VERSION, server.server_address[0], server.server_address[1],
                                                      os.getpid()), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
