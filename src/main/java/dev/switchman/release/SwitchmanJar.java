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
            return Path.of(SwitchmanJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }
}
