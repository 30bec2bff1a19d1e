package dev.switchman.config;

/**
 * The application's PostgreSQL database, where Switchman also keeps its own schema. {@code url: embedded} is
 * Switchman's own server in the state directory; otherwise a JDBC URL. The password is never in the file:
 * {@code passwordEnv} names the environment variable that holds it.
 */
public record DatabaseConfig(String url, String user, String passwordEnv, String name) {
    public static final String EMBEDDED = "embedded";

    public DatabaseConfig {
        url = url == null ? EMBEDDED : url.trim();
        if (!url.equals(EMBEDDED) && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database.url must be 'embedded' or a jdbc:postgresql: URL, got '"
                    + redacted(url) + "'");
        }
        user = user == null ? "postgres" : user;
        name = name == null ? "postgres" : name;
        if (url.matches("(?i).*[?&]password=.*")) {
            throw new IllegalArgumentException("database.url must not carry the password (" + redacted(url)
                    + "): put it in an environment variable and name that variable in database.passwordEnv");
        }
        if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("database.passwordEnv must be the name of an environment variable, got '" + passwordEnv + "'");
        }
    }

    /** A URL fit for a message: credentials written into it (which they should not be) are hidden. */
    static String redacted(String url) {
        return url.replaceAll("//[^/@]*@", "//***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public static DatabaseConfig embedded() {
        return new DatabaseConfig(null, null, null, null);
    }

    public boolean isEmbedded() {
        return url.equals(EMBEDDED);
    }
}
