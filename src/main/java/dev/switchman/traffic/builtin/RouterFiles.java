package dev.switchman.traffic.builtin;

import dev.switchman.traffic.TrafficTarget;
import dev.switchman.util.AtomicFiles;
import dev.switchman.util.ChildEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The builtin router's files in the state directory. All methods block: call them off the event loop. */
final class RouterFiles {

    static final String TOKEN_ENV = ChildEnvironment.ROUTER_TOKEN;

    private RouterFiles() {}

    static Path tokenFile(Path stateDir, int port) {
        return stateDir.resolve("router-" + port + ".token");
    }

    static Path stateFile(Path stateDir, int port) {
        return stateDir.resolve("router-" + port + ".json");
    }

    /** Where the token comes from, for messages: the environment variable or the token file. */
    static String tokenSource(Path stateDir, int port) {
        return envToken() != null ? "the environment variable " + TOKEN_ENV : tokenFile(stateDir, port).toString();
    }

    static String envToken() {
        String env = System.getenv(TOKEN_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /**
     * {@code SWITCHMAN_ROUTER_TOKEN} when set, else the token file's content; the file is created with a random
     * token, readable by its owner only, when missing. Two processes creating it at once agree on one token.
     */
    static String token(Path stateDir, int port) {
        String env = envToken();
        if (env != null) {
            return env;
        }
        Path file = tokenFile(stateDir, port);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalStateException("the router token file " + file + " is empty: delete it to have a new one made");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the router token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp", ownerOnly(file));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                // A hard link fails when the file exists, so the first writer wins and the others read its token.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException lost) {
                // another process made it first
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /** The persisted target, or null when there is no state file. A corrupt file is an error naming it. */
    static TrafficTarget readState(Path stateDir, int port) {
        Path file = stateFile(stateDir, port);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the router state file " + file + ": " + e.getMessage(), e);
        }
        try {
            return TargetJson.fromText(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the router state file " + file + " is corrupt (" + e.getMessage()
                    + "): fix it, or delete it to start with no target", e);
        }
    }

    /** Writes the target durably and atomically: a reader sees the old file or the new one, never a part. */
    static void writeState(Path stateDir, int port, TrafficTarget target) {
        Path file = stateFile(stateDir, port).toAbsolutePath();
        try {
            AtomicFiles.write(file, TargetJson.toJson(target).encodePrettily().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the router state file " + file + ": " + e.getMessage(), e);
        }
    }
}
