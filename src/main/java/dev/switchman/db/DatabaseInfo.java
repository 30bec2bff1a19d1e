package dev.switchman.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to reach the PostgreSQL database. The password is read from the environment variable named by
 * {@code passwordEnv} when a connection opens, so it is never held in a config, a log line or the event log.
 */
public record DatabaseInfo(String host, int port, String name, String user, String passwordEnv) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** Parses {@code jdbc:postgresql://host[:port]/name[?...]}. */
    public static DatabaseInfo fromJdbcUrl(String url, String user, String passwordEnv) {
        String rest = url.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String name = slash < 0 ? "postgres" : rest.substring(slash + 1).replaceFirst("\\?.*$", "");
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
        return new DatabaseInfo(host.isEmpty() ? "localhost" : host, port, name.isEmpty() ? "postgres" : name, user, passwordEnv);
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
