package dev.switchman.platform.process;

import dev.switchman.config.ConfigException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks that {@code platform.command[0]} names a program the slot can run, found the way the slot will find it:
 * setsid runs it with execvp, so a program with a '/' is a path from the slot's working directory and any other is
 * looked up on the slot's PATH. Blocking: reads the file system.
 */
final class SlotProgram {
    static final String KEY = "platform.command[0]";
    /** What execvp searches (glibc) when the environment has no PATH. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    private SlotProgram() {}

    /**
     * @param program    command[0] as the slot gets it (placeholders expanded); {@code template} as written
     * @param path       the PATH the slot gets; {@code pathSource} says where it comes from, for the message
     * @throws ConfigException naming the key, where it looked and what to do
     */
    static void check(String template, String program, Path workingDir, String path, String pathSource) {
        String as = program.equals(template) ? "'" + program + "'" : "'" + program + "' (from '" + template + "')";
        if (program.isEmpty()) {
            throw new ConfigException(KEY + " is empty: it must name the program the slot runs");
        }
        if (program.contains("/")) {
            checkFile(as, program, workingDir.resolve(program).normalize(), workingDir);
            return;
        }
        Set<Path> looked = new LinkedHashSet<>();
        Path notExecutable = null;
        for (String entry : path.split(":", -1)) {
            // As for execvp: an empty entry is the working directory, a relative one is relative to it.
            Path candidate = workingDir.resolve(entry).resolve(program).normalize();
            looked.add(candidate.getParent());
            if (runnable(candidate)) {
                return;
            }
            if (notExecutable == null && Files.isRegularFile(candidate)) {
                notExecutable = candidate;
            }
        }
        String where = pathSource + " (looked in " + String.join(File.pathSeparator, looked.stream().map(Path::toString).toList()) + ")";
        if (notExecutable != null) {
            throw new ConfigException(KEY + ": program " + as + " is " + notExecutable + " on " + where
                    + ", but that file is not executable. Make it executable (chmod +x " + notExecutable
                    + ") or name another program in " + KEY + ".");
        }
        throw new ConfigException(KEY + ": program " + as + " is not on " + where + ". Install it, give its path in "
                + KEY + " (absolute, or relative to platform.workingDir " + workingDir
                + "), or set PATH in platform.env to include its directory.");
    }

    private static void checkFile(String as, String program, Path file, Path workingDir) {
        String from = program.startsWith("/") ? "" : " (relative to platform.workingDir " + workingDir + ")";
        if (Files.isDirectory(file)) {
            throw new ConfigException(KEY + ": " + as + " is " + file + from + ", a directory, not a program. Name the"
                    + " program the slot runs in " + KEY + ".");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(KEY + ": " + as + " is " + file + from + ": no such file. Fix " + KEY
                    + " (a program with a '/' is a path from platform.workingDir; one without is looked up on the PATH)"
                    + " or platform.workingDir.");
        }
        if (!Files.isExecutable(file)) {
            throw new ConfigException(KEY + ": " + as + " is " + file + from + ", which is not executable. Make it"
                    + " executable (chmod +x " + file + ") or run it through its interpreter, e.g. [\"sh\", \"" + program + "\"].");
        }
    }

    private static boolean runnable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
