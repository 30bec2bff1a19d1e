package dev.switchman.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a command's first element names a program that can run, found the way the process will find it:
 * execvp, so a program with a '/' is a path from the working directory and any other is looked up on the PATH.
 * Checked before anything is touched, so a typo is exit 2 rather than a failure half-way through a release.
 * Blocking: reads the file system.
 */
public final class Programs {
    /** What execvp searches (glibc) when the environment has no PATH. */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    private Programs() {}

    /** The PATH a program is looked up on, and where it comes from, for the message. */
    public record SearchPath(String value, String source) {}

    /**
     * The PATH a section's command runs with: the one its {@code env} sets ({@code sectionPath}, expanded; null
     * when it sets none), else the inherited environment's, else execvp's default.
     */
    public static SearchPath searchPath(String section, String sectionPath, Map<String, String> inherited) {
        if (sectionPath != null) {
            return new SearchPath(sectionPath, "the PATH from " + section + ".env");
        }
        String path = inherited.get("PATH");
        return path == null
                ? new SearchPath(DEFAULT_PATH, "execvp's default PATH (neither " + section + ".env nor the coordinator sets one)")
                : new SearchPath(path, "the coordinator's PATH");
    }

    /**
     * @param key        the command's first element in the config, e.g. {@code platform.command[0]}
     * @param section    the section the command is in ({@code platform}), whose workingDir and env it runs with
     * @param program    command[0] as the process gets it (placeholders expanded); {@code template} as written
     * @param path       the PATH the process gets; {@code pathSource} says where it comes from, for the message
     * @throws ConfigException naming the key, where it looked and what to do
     */
    public static void check(String key, String section, String template, String program, Path workingDir, String path,
                             String pathSource) {
        String as = program.equals(template) ? "'" + program + "'" : "'" + program + "' (from '" + template + "')";
        if (program.isEmpty()) {
            throw new ConfigException(key + " is empty: it must name the program to run");
        }
        if (program.contains("/")) {
            checkFile(key, section, as, program, workingDir.resolve(program).normalize(), workingDir);
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
            throw new ConfigException(key + ": program " + as + " is " + notExecutable + " on " + where
                    + ", but that file is not executable. Make it executable (chmod +x " + notExecutable
                    + ") or name another program in " + key + ".");
        }
        throw new ConfigException(key + ": program " + as + " is not on " + where + ". Install it, give its path in "
                + key + " (absolute, or relative to " + section + ".workingDir " + workingDir
                + "), or set PATH in " + section + ".env to include its directory.");
    }

    private static void checkFile(String key, String section, String as, String program, Path file, Path workingDir) {
        String from = program.startsWith("/") ? "" : " (relative to " + section + ".workingDir " + workingDir + ")";
        if (Files.isDirectory(file)) {
            throw new ConfigException(key + ": " + as + " is " + file + from + ", a directory, not a program. Name the"
                    + " program to run in " + key + ".");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key + ": " + as + " is " + file + from + ": no such file. Fix " + key
                    + " (a program with a '/' is a path from " + section + ".workingDir; one without is looked up on the"
                    + " PATH) or " + section + ".workingDir.");
        }
        if (!Files.isExecutable(file)) {
            throw new ConfigException(key + ": " + as + " is " + file + from + ", which is not executable. Make it"
                    + " executable (chmod +x " + file + ") or run it through its interpreter, e.g. [\"sh\", \"" + program + "\"].");
        }
    }

    private static boolean runnable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
