package dev.switchman.release;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where Switchman's own classes are (its jar, or the classes directory in a build), for {switchman.jar}. */
public final class SwitchmanJar {
    private SwitchmanJar() {}

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
