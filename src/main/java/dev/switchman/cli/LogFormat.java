package dev.switchman.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.io.PrintStream;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format json}: every line on stderr a JSON object (logback's JsonEncoder), the progress lines too, as
 * events of the logger {@link #PROGRESS} with the gate, step, result, time and detail as key-value pairs. For log
 * collectors that parse each line; stdout keeps the one {@code --json} summary either way.
 */
final class LogFormat {
    static final String PROGRESS = "switchman.progress";
    private static volatile boolean json;

    private LogFormat() {}

    static boolean json() {
        return json;
    }

    /** A line of a command's own on stderr: as it is, or with {@code --log-format json} a log event at {@code level}. */
    static void print(PrintStream err, Level level, String line) {
        if (!json) {
            err.println(line);
            return;
        }
        org.slf4j.Logger log = LoggerFactory.getLogger(PROGRESS);
        if (level == Level.ERROR) {
            log.error(line);
        } else {
            log.info(line);
        }
    }

    /** Switches the stderr appender to JSON lines. */
    static void useJson() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                encoder.start();
                console.stop();
                console.setEncoder(encoder);
                console.start();
            }
        }
        context.getLogger(PROGRESS).setLevel(Level.INFO);
        json = true;
    }
}
