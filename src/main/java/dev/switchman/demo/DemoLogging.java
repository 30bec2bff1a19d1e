package dev.switchman.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback without a configuration file logs everything at DEBUG to stdout (Netty, the pool, Vert.x). The demo's
 * stdout is one start line and the warnings that matter, unless a logback configuration is given.
 */
final class DemoLogging {
    private DemoLogging() {}

    static void quietLibraries() {
        if (System.getProperty("logback.configurationFile") != null
                || DemoLogging.class.getClassLoader().getResource("logback.xml") != null
                || DemoLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return;
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }
}
