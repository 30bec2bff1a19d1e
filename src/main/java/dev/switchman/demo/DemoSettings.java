package dev.switchman.demo;

import java.util.Map;
import java.util.Set;

/**
 * The demo application's settings, read only from environment variables:
 * {@code PORT} (0 picks a free port), {@code APP_VERSION} (v1, v2 or v3), {@code DB_URL} (a jdbc:postgresql: URL),
 * {@code DB_USER} (default postgres), {@code DB_PASSWORD_ENV} (the name of the variable holding the password; empty or
 * unset means no password) and the optional {@code HOST} (default 127.0.0.1).
 */
public record DemoSettings(String host, int port, String version, String dbUrl, String dbUser, String dbPassword) {
    public static final Set<String> VERSIONS = Set.of("v1", "v2", "v3");

    public DemoSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + port);
        }
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("APP_VERSION must be one of v1, v2, v3, got '" + version + "'");
        }
        if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("DB_URL must be a jdbc:postgresql: URL, got '" + dbUrl + "'");
        }
    }

    public static DemoSettings fromEnv(Map<String, String> env) {
        String portText = env.get("PORT");
        if (portText == null || portText.isBlank()) {
            throw new IllegalArgumentException("PORT is not set");
        }
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, got '" + portText + "'");
        }
        String host = blankToNull(env.get("HOST"));
        String user = blankToNull(env.get("DB_USER"));
        String passwordEnv = blankToNull(env.get("DB_PASSWORD_ENV"));
        String password = passwordEnv == null ? null : env.get(passwordEnv);
        return new DemoSettings(
                host == null ? "127.0.0.1" : host,
                port,
                blankToNull(env.get("APP_VERSION")),
                blankToNull(env.get("DB_URL")),
                user == null ? "postgres" : user,
                password);
    }

    /** The column that holds an item's title in this version's schema: v1 predates the rename. */
    public String titleColumn() {
        return version.equals("v1") ? "name" : "title";
    }

    /** v3 is the deliberately broken release: its health check always fails. */
    public boolean misconfigured() {
        return version.equals("v3");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "DemoSettings[host=" + host + ", port=" + port + ", version=" + version + ", dbUrl=" + dbUrl
                + ", dbUser=" + dbUser + ", password=" + (dbPassword == null ? "none" : "***") + "]";
    }
}
