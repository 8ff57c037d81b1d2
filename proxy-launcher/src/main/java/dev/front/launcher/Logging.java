package dev.front.launcher;

import dev.front.config.LogLevel;
import dev.front.core.upstream.UpstreamWatch;
import java.util.Locale;

/** The front's own log: slf4j-simple on stderr, one line per event, level from {@code --log-level}. */
final class Logging {

    /** The logger of the startup line. */
    static final String STARTUP = "front.startup";

    private Logging() {
    }

    /** Must run before the first logger is created. */
    static void configure(LogLevel level) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.name().toLowerCase(Locale.ROOT));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // The startup line states the configuration in effect: shown at the default level (warn) too.
        System.setProperty("org.slf4j.simpleLogger.log." + STARTUP, level == LogLevel.ERROR ? "error"
                : level == LogLevel.DEBUG ? "debug" : "info");
        // A sidecar upstream's return (info) is shown with its refusal (warn), which it answers.
        System.setProperty("org.slf4j.simpleLogger.log." + UpstreamWatch.LOGGER, level == LogLevel.ERROR ? "error"
                : level == LogLevel.DEBUG ? "debug" : "info");
        // Netty's own debug chatter is not the front's log.
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", level == LogLevel.DEBUG ? "info" : "warn");
    }
}
