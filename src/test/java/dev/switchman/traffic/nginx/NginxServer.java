package dev.switchman.traffic.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchman.model.Endpoint;
import dev.switchman.support.Futures;
import dev.switchman.support.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's, with its njs module) in a temporary prefix: a user config that includes Switchman's
 * file and sends {@code /} to {@code app_$switchman_colour}. It never reads or writes the system's nginx files.
 */
final class NginxServer {
    static final String MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";
    static final String PREFIX = "app";

    final Path dir;
    final Path include;
    final Path weights;
    final int port;
    private final String globals;
    private Process process;

    private NginxServer(Path dir) {
        this.dir = dir;
        this.include = dir.resolve("switchman").resolve(PREFIX + ".conf");
        this.weights = dir.resolve("switchman").resolve(PREFIX + ".weights");
        this.port = Ports.free();
        this.globals = "daemon off; pid " + dir.resolve("nginx.pid") + "; error_log " + dir.resolve("error.log") + " warn;";
    }

    /** Skips the test, naming what is missing, on a machine without nginx or njs (CI installs both). */
    static void assumeInstalled() {
        assumeTrue(onPath("nginx"), "nginx is not installed (Debian: apt-get install nginx libnginx-mod-http-js)");
        assumeTrue(Files.isRegularFile(Path.of(MODULE)), "njs is not installed: no " + MODULE
                + " (Debian: apt-get install libnginx-mod-http-js)");
    }

    /** Writes the user config; Switchman's include must exist before nginx starts, as on a real host. */
    static NginxServer prepare(Path dir) throws IOException {
        NginxServer server = new NginxServer(dir);
        Files.createDirectories(server.include.getParent());
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), server.userConfig(server.include));
        return server;
    }

    NginxRouterSettings settings() {
        return settings(include.toString());
    }

    NginxRouterSettings settings(String includePath) {
        return new NginxRouterSettings(includePath, weights.toString(), PREFIX, "nginx", command("-s", "reload"),
                command("-t"), Duration.ofMillis(200), dir.resolve("nginx.pid").toString());
    }

    /** Writes what Switchman writes before any target, then starts nginx and waits until it answers. */
    void start(NginxFiles files) throws IOException {
        Files.writeString(files.script(), files.scriptText());
        Files.writeString(files.include(), files.includeText(dev.switchman.traffic.TrafficTarget.none()));
        List<String> command = command();
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        await().atMost(Futures.BOUND).until(() -> {
            assertThat(process.isAlive()).as("nginx is running: " + Files.readString(dir.resolve("nginx.out"))).isTrue();
            return listening();
        });
    }

    Endpoint address() {
        return new Endpoint("127.0.0.1", port);
    }

    /** Replaces the user's config by one that {@code nginx -t} refuses. */
    void breakUserConfig() throws IOException {
        Files.writeString(dir.resolve("nginx.conf"), userConfig(include).replace("events {}", "events { no_such_directive on; }"));
    }

    String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops the master and its workers, and waits until they are gone. */
    void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.addAll(process.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Futures.BOUND).until(() -> !process.isAlive() && all.stream().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", globals));
        command.addAll(List.of(args));
        return command;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String userConfig(Path switchmanInclude) {
        Path tmp = dir.resolve("tmp");
        boolean root = "root".equals(System.getProperty("user.name"));
        return String.join("\n",
                "load_module " + MODULE + ";",
                root ? "user root;" : "",
                "worker_processes 2;",
                "events {}",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + tmp.resolve("body") + ";",
                "    proxy_temp_path " + tmp.resolve("proxy") + ";",
                "    fastcgi_temp_path " + tmp.resolve("fastcgi") + ";",
                "    uwsgi_temp_path " + tmp.resolve("uwsgi") + ";",
                "    scgi_temp_path " + tmp.resolve("scgi") + ";",
                "    keepalive_requests 1000000;",
                "    include " + switchmanInclude + ";",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        location / {",
                "            proxy_pass http://" + PREFIX + "_$switchman_colour;",
                "            proxy_http_version 1.1;",
                "            proxy_set_header Connection \"\";",
                "        }",
                "    }",
                "}",
                "");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
