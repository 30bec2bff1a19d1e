package dev.switchman.traffic.builtin;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code router.tls}: the PEM certificate (the server's first, then any intermediates) and private key the public
 * port serves HTTPS with. A path that is absolute is checked here: it must name a file this user can read; a
 * relative one is checked once {@link #relativeTo resolved} against the config file's directory.
 */
public record RouterTls(String certificate, String key) {

    public RouterTls {
        if (certificate == null && key == null) {
            throw new IllegalArgumentException("router.tls needs certificate and key: the paths of the PEM files the"
                    + " public port serves HTTPS with (or no router.tls, for plain HTTP)");
        }
        certificate = file("router.tls.certificate", certificate, "router.tls.key");
        key = file("router.tls.key", key, "router.tls.certificate");
    }

    /** The same files, a relative path taken from {@code dir}. */
    RouterTls relativeTo(Path dir) {
        return new RouterTls(dir.resolve(certificate).normalize().toString(), dir.resolve(key).normalize().toString());
    }

    /** Blocking: reads the file system when the path is absolute. */
    private static String file(String key, String path, String other) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(key + " is required with " + other + ": set both (PEM files), or"
                    + " neither for plain HTTP");
        }
        Path file = Path.of(path);
        if (!file.isAbsolute()) {
            return path;
        }
        String fix = ": fix " + key + " (absolute, or relative to the config file)";
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(key + ": " + file + " does not exist" + fix);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(key + ": " + file + " is not a file" + fix);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": " + file + " cannot be read by this user: let it read the file"
                    + " (chmod, chown) or" + fix.substring(1));
        }
        return path;
    }
}
