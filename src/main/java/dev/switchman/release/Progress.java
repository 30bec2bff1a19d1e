package dev.switchman.release;

import java.io.PrintStream;

/** Human progress of a release, one line per gate step, on stderr (stdout is kept for {@code --json}). */
public interface Progress {

    void line(String text);

    static Progress to(PrintStream out) {
        return text -> {
            out.println(text);
            out.flush();
        };
    }

    Progress SILENT = text -> {};
}
