package dev.switchman.support;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.switchman.cli.Main;
import dev.switchman.model.Endpoint;
import dev.switchman.traffic.builtin.BuiltinRouterServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy or nginx (or the builtin router, driven through commands) in front of a {@link GreeterStack}, started from the shipped templates
 * (config/haproxy/haproxy.cfg.example, config/nginx/switchman-site.conf.example) with only the paths and ports a
 * test needs changed, and the stack's {@code router:} section rewritten to drive it, as a user would configure it.
 * {@link #close} stops the daemon and its workers.
 */
public final class FrontStack implements AutoCloseable {
    private static final Path HAPROXY_TEMPLATE = Path.of("config/haproxy/haproxy.cfg.example");
    private static final Path NGINX_TEMPLATE = Path.of("config/nginx/switchman-site.conf.example");
    private static final String NJS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";

    public final Endpoint address;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    private FrontStack(Endpoint address, Path log, Process process) {
        this.address = address;
        this.log = log;
        this.process = process;
    }

    /**
     * HAProxy on haproxy.cfg.example: its stats socket in the stack's directory, its frontend on a free loopback
     * port, and the servers at the stack's slot ports (which Switchman sets anyway).
     */
    public static FrontStack haproxy(GreeterStack stack) throws IOException {
        assumeThat(Files.isExecutable(Path.of("/usr/sbin/haproxy"))).as("haproxy is not installed (apt-get install haproxy)").isTrue();
        Path dir = Files.createDirectories(stack.dir.resolve("haproxy"));
        Path socket = dir.resolve("admin.sock");
        int port = Ports.free();
        String config = Files.readString(HAPROXY_TEMPLATE)
                .replace("/run/haproxy/switchman.sock", socket.toString())
                .replace("bind :8080", "bind 127.0.0.1:" + port)
                .replace("127.0.0.1:8081", "127.0.0.1:" + stack.bluePort)
                .replace("127.0.0.1:8082", "127.0.0.1:" + stack.greenPort);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        stack.editConfig(yaml -> router(yaml, """
                router:
                  type: haproxy
                  socket: %s
                  backend: app
                  servers: { blue: blue, green: green }
                  drainTimeout: 10s
                """.formatted(socket)));
        return start(List.of("/usr/sbin/haproxy", "-db", "-f", file.toString()), new Endpoint("127.0.0.1", port),
                dir.resolve("haproxy.log"));
    }

    /**
     * nginx on switchman-site.conf.example in a prefix of its own, the way a user adds Switchman to an nginx already
     * running: it starts on a config without Switchman's lines (answering 503), then the template's lines replace
     * it, unloaded, and the first release writes the include, tests the config and reloads nginx.
     */
    public static FrontStack nginx(GreeterStack stack) throws IOException {
        assumeThat(Files.isRegularFile(Path.of(NJS_MODULE))).as("nginx with njs is not installed "
                + "(apt-get install nginx libnginx-mod-http-js)").isTrue();
        Path dir = Files.createDirectories(stack.dir.resolve("nginx"));
        Path include = Files.createDirectories(dir.resolve("switchman")).resolve("greeter.conf");
        Path weights = include.resolveSibling("greeter.weights");
        Path conf = dir.resolve("nginx.conf");
        Path pid = dir.resolve("nginx.pid");
        int port = Ports.free();
        Files.createDirectories(dir.resolve("tmp"));
        String site = Files.readString(NGINX_TEMPLATE)
                .replace("/etc/nginx/switchman/shop.conf", include.toString())
                .replace("shop_$switchman_colour", "greeter_$switchman_colour")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("server_name shop.example.com;", "server_name localhost;")
                .replace("http {", "http {\n" + httpContext(dir.resolve("tmp")))
                .replace("ngx_http_js_module.so;", "ngx_http_js_module.so;\n" + mainContext(pid, dir.resolve("error.log")));
        // What was there before Switchman: the same server, without Switchman's include and upstreams.
        String before = site.replace("include " + include + ";", "")
                .replace("proxy_pass http://greeter_$switchman_colour;", "return 503;");
        Files.writeString(conf, before);
        List<String> nginx = List.of("nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", conf.toString());
        List<String> reload = new ArrayList<>(nginx);
        reload.addAll(List.of("-s", "reload"));
        List<String> test = new ArrayList<>(nginx);
        test.add("-t");
        stack.editConfig(yaml -> router(yaml, """
                router:
                  type: nginx
                  include: %s
                  weightsFile: %s
                  reloadCommand: %s
                  testCommand: %s
                  pidFile: %s
                  drainTime: 1s
                """.formatted(include, weights, yamlList(reload), yamlList(test), pid)));
        List<String> start = new ArrayList<>(nginx);
        start.addAll(List.of("-g", "daemon off;"));
        FrontStack front = start(start, new Endpoint("127.0.0.1", port), dir.resolve("nginx.out"));
        Files.writeString(conf, site);
        return front;
    }

    /**
     * The builtin router as {@code switchman router} runs it, a process of its own on the stack's config, as a user
     * runs it as a system service (the release finds it running and drives it).
     */
    public static FrontStack builtin(GreeterStack stack) throws IOException {
        return routerProcess(stack, stack.config, stack.dir.resolve("router.log"));
    }

    /**
     * The builtin router as a router Switchman does not know: a process of its own (its own config and state),
     * driven through its admin API by curl, the way the README's {@code router.type: command} example drives an HTTP
     * admin API. {@code status} prints the router's status with its counters, so the default analysis judges.
     */
    public static FrontStack builtinThroughCommands(GreeterStack stack) throws IOException {
        Path state = stack.dir.resolve("router-state");
        Path config = stack.dir.resolve("router.yaml"); // beside the stack's, whose relative paths it shares
        Files.writeString(config, Files.readString(stack.config).replace("stateDir: state", "stateDir: " + state));
        FrontStack front = routerProcess(stack, config, stack.dir.resolve("router.log"));
        // The token the router wrote at its start, in a header file only its owner reads: on no command line.
        Path header = stack.dir.resolve("admin-auth.header");
        Files.createFile(header, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(header, "Authorization: Bearer " + BuiltinRouterServer.token(state, stack.routerPort) + "\n");
        String weights = "http://127.0.0.1:" + stack.adminPort + "/weights";
        stack.editConfig(yaml -> router(yaml, """
                router:
                  type: command
                  setWeights: ["curl", "-sS", "--fail-with-body", "-X", "PUT", "-H", "@%s",
                               "-H", "Content-Type: application/json", "--data-binary", "{target.json}", "%s"]
                  status: ["curl", "-sS", "--fail-with-body", "-H", "@%s", "%s"]
                  timeout: 10s
                  drainTime: 1s
                """.formatted(header, weights, header, weights)));
        return front;
    }

    private static FrontStack routerProcess(GreeterStack stack, Path config, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return start(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "router", "-c",
                config.toString()), new Endpoint("127.0.0.1", stack.routerPort), log);
    }

    /** The body of GET / through the front, as "status body", or the failure. */
    public String get() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().trim();
        } catch (IOException e) {
            return "error " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error " + e;
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The daemon's processes now: the master (or HAProxy's one process) and its workers. */
    public List<Long> processes() {
        List<Long> all = new ArrayList<>(List.of(process.pid()));
        process.descendants().forEach(child -> all.add(child.pid()));
        return all;
    }

    private static FrontStack start(List<String> command, Endpoint address, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FrontStack front = new FrontStack(address, log, process);
        try {
            await().atMost(Futures.BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(command.getFirst() + " exited with " + process.exitValue() + ": " + front.log());
                }
                return listening(address);
            });
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
        return front;
    }

    /** The stack's {@code router:} section (up to {@code health:}) replaced by {@code section}. */
    private static String router(String yaml, String section) {
        String replaced = yaml.replaceFirst("(?s)\nrouter:\n.*?\nhealth:", "\n" + section.stripTrailing() + "\nhealth:");
        if (replaced.equals(yaml)) {
            throw new IllegalStateException("no router section in the stack's config:\n" + yaml);
        }
        return replaced;
    }

    private static String mainContext(Path pid, Path errorLog) {
        // Workers as root where the tests run as root: they read the weights file in the test's directory.
        boolean root = "root".equals(System.getProperty("user.name"));
        return "pid " + pid + ";\nerror_log " + errorLog + " warn;\n" + (root ? "user root;\n" : "")
                + "worker_processes 2;\nevents {}\n";
    }

    private static String httpContext(Path tmp) {
        return "    access_log off;\n"
                + "    client_body_temp_path " + tmp.resolve("body") + ";\n"
                + "    proxy_temp_path " + tmp.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + tmp.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + tmp.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + tmp.resolve("scgi") + ";\n";
    }

    private static String yamlList(List<String> items) {
        return "[" + String.join(", ", items.stream().map(item -> "\"" + item + "\"").toList()) + "]";
    }

    private static boolean listening(Endpoint address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        http.close();
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        all.addAll(process.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Futures.BOUND).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
    }
}
