package dev.switchman.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.support.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The non-Java test application: greeter.py as a process, and its formatted-SQL changelogs on PostgreSQL. */
class GreeterTest {
    private static final String V1 = "apps/greeter/db/1.0.0.sql";
    private static final String V2 = "apps/greeter/db/2.0.0.sql";

    @Test
    void servesHealthAndGreetingOverKeptAliveConnectionsAndStopsOnSigterm() throws Exception {
        Process process = start();
        try {
            int port = port(process);

            // Two requests on one connection: HTTP/1.1 keep-alive with Content-Length.
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response health = read(in);
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.headers()).containsEntry("x-app-version", "1.0.0");
                assertThat(new JsonObject(health.body()))
                        .isEqualTo(new JsonObject().put("status", "UP").put("version", "1.0.0"));

                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response greeting = read(in);
                assertThat(greeting.status()).isEqualTo(200);
                assertThat(greeting.body()).contains("1.0.0");
            }

            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A router in front opens a connection per request in flight, all at once when load begins. A listener whose
     * queue is too short for them (Python's socketserver keeps 5) has the kernel stall or reset some after the request went
     * out, which no proxy may resend for a POST: the greeter listens with a queue as long as real servers keep.
     */
    @Test
    void answersABurstOfNewConnectionsEachSendingAPost() throws Exception {
        Process process = start();
        try {
            int port = port(process);
            int connections = 200;
            // From one event loop, as a router opens them: every connect goes out before the first is accepted.
            Vertx vertx = Vertx.vertx();
            List<String> failed;
            try {
                NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(15_000));
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    answers.add(client.connect(port, "127.0.0.1").compose(socket -> {
                        Promise<String> answer = Promise.promise();
                        Buffer received = Buffer.buffer();
                        socket.handler(data -> {
                            received.appendBuffer(data);
                            if (received.toString().endsWith("Hello from greeter 1.0.0:5")) {
                                answer.tryComplete("answered");
                                socket.close();
                            }
                        });
                        socket.exceptionHandler(e -> answer.tryComplete(e.toString()));
                        socket.closeHandler(v -> answer.tryComplete("closed after " + received.length() + " bytes"));
                        vertx.setTimer(15_000, id -> answer.tryComplete("no answer in 15 s"));
                        socket.write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
                        return answer.future();
                    }).otherwise(Throwable::toString));
                }
                failed = Futures.await(Future.all(answers)).<String>list().stream().filter(a -> !a.equals("answered")).toList();
            } finally {
                Futures.await(vertx.close());
            }
            assertThat(failed).as("of " + connections + " new connections").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process start() throws Exception {
        Path dir = ChangelogsTest.resource("apps/greeter");
        ProcessBuilder builder = new ProcessBuilder("python3", "greeter.py").directory(dir.toFile());
        builder.environment().putAll(Map.of("PORT", "0", "VERSION", "1.0.0"));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }

    private static int port(Process process) throws Exception {
        String first = ProcessLines.first(process, Duration.ofSeconds(20));
        assertThat(first).as("the start line").isNotNull().startsWith("greeter 1.0.0 listening on 127.0.0.1:");
        return Integer.parseInt(first.replaceFirst("^greeter 1\\.0\\.0 listening on 127\\.0\\.0\\.1:(\\d+) .*$", "$1"));
    }

    @Test
    void changelogsExpandRollBackAndContract(@TempDir Path dataDirectory) throws Exception {
        try (SharedDatabase postgres = SharedDatabase.start(dataDirectory)) {
            String db = postgres.newDatabase();
            Liquibases.update(db, V1, "@expand");
            assertThat(SharedDatabase.columns(db, "greeting")).containsExactly("id", "message", "style");

            Liquibases.tag(db, "before-2.0.0");
            Liquibases.update(db, V2, "@expand");
            assertThat(SharedDatabase.columns(db, "greeting")).containsExactly("id", "message", "style", "language");
            assertThat(SharedDatabase.strings(db, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                    .as("1.0.0's changesets are recognised in 2.0.0's file").containsExactly("1", "2", "3");

            Liquibases.rollbackToTag(db, V2, "before-2.0.0");
            assertThat(SharedDatabase.columns(db, "greeting")).containsExactly("id", "message", "style");

            Liquibases.update(db, V2, "@expand");
            Liquibases.update(db, V2, "@contract");
            assertThat(SharedDatabase.columns(db, "greeting")).containsExactly("id", "message", "language");
            assertThat(SharedDatabase.strings(db, "SELECT message || ' ' || language FROM greeting"))
                    .containsExactly("Hello en");
        }
    }

    record Response(int status, Map<String, String> headers, String body) {}

    /** Reads one HTTP/1.1 response framed by Content-Length, leaving the connection open for the next. */
    private static Response read(InputStream in) throws Exception {
        List<String> head = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("connection closed after " + head);
            }
            if (b == '\n') {
                String text = line.toString().stripTrailing();
                line.setLength(0);
                if (text.isEmpty()) {
                    break;
                }
                head.add(text);
            } else {
                line.append((char) b);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : head.subList(1, head.size())) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.get("content-length"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(head.getFirst().split(" ")[1]), headers, body);
    }
}
