package dev.switchman.release;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where Switchman's own classes are (its jar, or the classes directory in a build), for {switchman.jar}. */
public final class SwitchmanJar {
    private SwitchmanJar() {}

    /**
     * The class path for processes that outlive this command (the router, slots started from Switchman's jar): a
     * copy of the jar under {@code <stateDir>/lib}, so that rebuilding or upgrading Switchman never pulls the jar
     * from under a running process. A class path that is not one jar (a build, the tests) is returned as it is.
     */
    public static String stableCopy(java.nio.file.Path stateDir) {
        String path = path();
        java.nio.file.Path jar = java.nio.file.Path.of(path);
        if (!path.endsWith(".jar") || !java.nio.file.Files.isRegularFile(jar)) {
            return path;
        }
        try {
            String name = jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-"
                    + java.nio.file.Files.size(jar) + "-" + java.nio.file.Files.getLastModifiedTime(jar).toMillis() + ".jar";
            java.nio.file.Path copy = stateDir.resolve("lib").resolve(name);
            if (!java.nio.file.Files.exists(copy)) {
                dev.switchman.util.AtomicFiles.copy(jar, copy);
            }
            return copy.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot copy " + jar + " to " + stateDir.resolve("lib"), e);
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
            return java.nio.file.Files.isRegularFile(location) ? location.toString() : System.getProperty("java.class.path");
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }
}
