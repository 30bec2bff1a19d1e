#!/usr/bin/python3
"""A Python service on PostgreSQL for Switchman's tests, connecting as psycopg2 does by default: through libpq's
variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), which Switchman gives every slot. No URL, no wrapper.

Environment: PORT, VERSION, HOST (default 127.0.0.1); COLOUR and FAULTS_DIR for fault injection: while
<FAULTS_DIR>/<COLOUR>-unhealthy exists, /health answers 503.
GET /health -> {"status":"UP","version":"<VERSION>"} once the database answers; GET / -> the columns of orders.
"""
import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

VERSION = os.environ.get("VERSION", "unknown")
COLOUR = os.environ.get("COLOUR", "")
FAULTS_DIR = os.environ.get("FAULTS_DIR", "")


def fault(kind):
    return bool(FAULTS_DIR) and os.path.exists(os.path.join(FAULTS_DIR, COLOUR + "-" + kind))


def columns():
    with psycopg2.connect() as connection, connection.cursor() as cursor:
        cursor.execute("select column_name from information_schema.columns where table_name = 'orders'"
                       " order by ordinal_position")
        return [row[0] for row in cursor.fetchall()]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path == "/health":
                columns()
                status = 503 if fault("unhealthy") else 200
                self._send(status, json.dumps({"status": "UP" if status == 200 else "DOWN", "version": VERSION}))
            elif path == "/":
                self._send(200, json.dumps({"version": VERSION, "columns": columns()}))
            else:
                self._send(404, json.dumps({"error": "not found: " + path}))
        except psycopg2.Error as e:
            self._send(503, json.dumps({"status": "DOWN", "version": VERSION, "error": str(e).strip()}))

    def _send(self, status, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 1024  # not socketserver's 5, which a router's burst of new connections overflows
    daemon_threads = True


def main():
    server = Server((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8080"))), Handler)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("orders %s listening on %s:%d" % (VERSION, server.server_address[0], server.server_address[1]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
