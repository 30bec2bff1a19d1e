package dev.switchman.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where Switchman's own classes are (its jar, or the classes directory in a build), for {switchman.jar}. */
public final class SwitchmanJar {
    private SwitchmanJar() {}

    /**
     * The class path for processes that outlive this command (the router, slots started from Switchman's jar): a
     * copy of the jar under {@code <stateDir>/lib}, so that rebuilding or upgrading Switchman never pulls the jar
     * from under a running process. A class path that is not one jar (a build, the tests) is returned as it is.
     */
    public static String stableCopy(Path stateDir) {
        String path = path();
        Path jar = Path.of(path);
        if (!path.endsWith(".jar") || !Files.isRegularFile(jar)) {
            return path;
        }
        try {
            String name = jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-"
                    + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jar";
            Path copy = stateDir.resolve("lib").resolve(name);
            if (!Files.exists(copy)) {
                AtomicFiles.copy(jar, copy);
            }
            return copy.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " to " + stateDir.resolve("lib"), e);
        }
    }

    public static String path() {
        String override = System.getProperty("switchman.classpath");
        if (override != null) {
            return override;
        }
        try {
            Path location = Path.of(SwitchmanJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // The shaded jar holds everything; a classes directory (a build, the tests) needs the whole class path.
            return Files.isRegularFile(location) ? location.toString() : System.getProperty("java.class.path");
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }
}
