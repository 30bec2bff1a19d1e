package dev.switchman.config;

/** Bad input: a config file, a key, a value, a changelog, an argument. Exit code 2; nothing was touched. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
