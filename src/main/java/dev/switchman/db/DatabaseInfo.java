package dev.switchman.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach the PostgreSQL database. The password is read from the environment variable named by
 * {@code passwordEnv} when a connection opens, so it is never held in a config, a log line or the event log.
 */
public record DatabaseInfo(String host, int port, String name, String user, String passwordEnv, String params) {

    public DatabaseInfo(String host, int port, String name, String user, String passwordEnv) {
        this(host, port, name, user, passwordEnv, "");
    }

    /** The URL, with the configured parameters (sslmode and the like) kept. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + (params.isEmpty() ? "" : "?" + params);
    }

    /**
     * The URL libpq and the clients built on it (psql, psycopg, SQLAlchemy, pg, pgx...) read, without the password,
     * which they take from {@code PGPASSWORD} (see {@link #libpqEnvironment}).
     */
    public String libpqUrl() {
        return "postgresql://" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "@" + host + ":" + port + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + sslMode().map(mode -> "?sslmode=" + mode).orElse("");
    }

    /**
     * libpq's variables for a process that connects: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE},
     * {@code PGUSER}, {@code PGSSLMODE} when the URL sets sslmode, and {@code PGPASSWORD} from the variable
     * {@code passwordEnv} names, when {@code from} (the coordinator's environment) has it.
     */
    public Map<String, String> libpqEnvironment(Map<String, String> from) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", name);
        env.put("PGUSER", user);
        sslMode().ifPresent(mode -> env.put("PGSSLMODE", mode));
        if (passwordEnv != null && from.get(passwordEnv) != null) {
            env.put("PGPASSWORD", from.get(passwordEnv));
        }
        return env;
    }

    private Optional<String> sslMode() {
        for (String param : params.split("&")) {
            if (param.startsWith("sslmode=")) {
                return Optional.of(param.substring("sslmode=".length()));
            }
        }
        return Optional.empty();
    }

    /** Parses {@code jdbc:postgresql://host[:port]/name[?...]}. */
    public static DatabaseInfo fromJdbcUrl(String url, String user, String passwordEnv) {
        String rest = url.substring("jdbc:postgresql://".length());
        int question = rest.indexOf('?');
        String params = question < 0 ? "" : rest.substring(question + 1);
        rest = question < 0 ? rest : rest.substring(0, question);
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String name = slash < 0 ? "postgres" : rest.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
        return new DatabaseInfo(host.isEmpty() ? "localhost" : host, port, name.isEmpty() ? "postgres" : name, user,
                passwordEnv, params);
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (passwordEnv != null) {
            String password = System.getenv(passwordEnv);
            if (password != null) {
                props.setProperty("password", password);
            }
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "switchman");
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + name;
    }
}
