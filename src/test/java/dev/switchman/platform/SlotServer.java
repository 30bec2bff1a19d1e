package dev.switchman.platform;

import dev.switchman.model.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The program the platform tests run in their slots: an HTTP server on $HOST:$PORT answering every GET with
 * $SLOT_VERSION. IGNORE_TERM, SPAWN_CHILD and TERM_MARKER (a file written on SIGTERM before a clean exit) change
 * how it dies.
 */
public final class SlotServer {
    public static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private static final String SCRIPT = """
            import http.server, os, signal, subprocess, sys
            if os.environ.get("IGNORE_TERM"):
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if os.environ.get("TERM_MARKER"):
                def finish(signum, frame):
                    with open(os.environ["TERM_MARKER"], "w") as marker:
                        marker.write("finished on SIGTERM\\n")
                    sys.exit(0)
                signal.signal(signal.SIGTERM, finish)
            if os.environ.get("SPAWN_CHILD"):
                child = subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"])
                print("child", child.pid, flush=True)
            print("home=" + os.environ.get("HOME", ""), flush=True)
            print("serving", os.environ["SLOT_VERSION"], "on", os.environ["PORT"], flush=True)
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = os.environ["SLOT_VERSION"].encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            http.server.HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Handler).serve_forever()
            """;

    private SlotServer() {}

    /** Writes the script to {@code dir/server.py}. */
    public static Path write(Path dir) throws IOException {
        return Files.writeString(dir.resolve("server.py"), SCRIPT);
    }

    /** Runs the script unbuffered, so that its lines reach the slot's log at once. */
    public static List<String> command(Path script) {
        return List.of(PYTHON, "-u", script.toString());
    }

    /** The body of GET / on the endpoint. */
    public static String get(Endpoint endpoint) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + "/"))
                    .timeout(Duration.ofSeconds(5)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    public static boolean accepts(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
