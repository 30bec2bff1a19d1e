package dev.switchman.traffic.haproxy;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's {@code haproxy}, which {@code .ci/run} installs) run in the foreground as a child process
 * on config/haproxy/haproxy.cfg.example, with its public port, its stats socket (a unix socket in the test's
 * directory, and a loopback TCP one) and faster health checks put in. {@link #close} stops it.
 */
final class HaproxyDaemon implements AutoCloseable {
    static final Path TEMPLATE = Path.of("config/haproxy/haproxy.cfg.example");
    private static final Path PROGRAM = Path.of("/usr/sbin/haproxy");

    final Endpoint publicAddress;
    final Path socket;
    final int tcpSocketPort;
    private final Path log;
    private final Process process;

    private HaproxyDaemon(Endpoint publicAddress, Path socket, int tcpSocketPort, Path log, Process process) {
        this.publicAddress = publicAddress;
        this.socket = socket;
        this.tcpSocketPort = tcpSocketPort;
        this.log = log;
        this.process = process;
    }

    /** Skips the test, naming the program, when HAProxy is not installed. */
    static void assumeInstalled() {
        assumeThat(Files.isExecutable(PROGRAM) || onPath()).as("haproxy is not installed (apt-get install haproxy)").isTrue();
    }

    static HaproxyDaemon start(Path dir) {
        assumeInstalled();
        try {
            Files.createDirectories(dir);
            int port = Ports.free();
            int tcpSocketPort = Ports.free();
            Path socket = dir.resolve("admin.sock");
            String config = Files.readString(TEMPLATE)
                    .replace("/run/haproxy/switchman.sock", socket.toString())
                    .replace("# stats socket ipv4@127.0.0.1:9999", "stats socket ipv4@127.0.0.1:" + tcpSocketPort)
                    .replace("bind :8080", "bind 127.0.0.1:" + port)
                    .replace("inter 500ms rise 2 fall 2", "inter 100ms rise 1 fall 1")
                    // Where nothing answers: the servers are down until Switchman gives them the colours' endpoints.
                    .replace("127.0.0.1:8081", "127.0.0.1:" + Ports.free())
                    .replace("127.0.0.1:8082", "127.0.0.1:" + Ports.free());
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, config);
            Path log = dir.resolve("haproxy.log");
            Process process = new ProcessBuilder(Files.isExecutable(PROGRAM) ? PROGRAM.toString() : "haproxy", "-db", "-f", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            HaproxyDaemon daemon = new HaproxyDaemon(new Endpoint("127.0.0.1", port), socket, tcpSocketPort, log, process);
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": " + daemon.log());
                    }
                    return daemon.socketAnswers() && daemon.serversDown();
                });
            } catch (RuntimeException e) {
                daemon.close();
                throw e;
            }
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean socketAnswers() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    /** HAProxy starts its servers up and marks them down at their first failed check. */
    private boolean serversDown() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("show servers state app\n".getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) > 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            Map<String, ServerState> servers = ServerState.parse(answer.toString(StandardCharsets.UTF_8));
            return servers != null && servers.values().stream().noneMatch(ServerState::running);
        }
    }

    private static boolean onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
