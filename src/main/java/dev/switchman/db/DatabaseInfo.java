package dev.switchman.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
