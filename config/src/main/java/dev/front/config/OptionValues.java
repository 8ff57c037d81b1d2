package dev.front.config;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The checks of single option values: each returns the value or throws {@link IllegalArgumentException} with the
 * one line the user sees, {@code option: value (expected: ...)}.
 */
final class OptionValues {

    private OptionValues() {
    }

    /** Runs one validation, collecting its message instead of stopping at the first problem. */
    static <T> T check(List<String> problems, T fallback, Supplier<T> validation) {
        try {
            return validation.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    static Duration seconds(String option, String value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            if (seconds.signum() < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: seconds, 0 or more)");
        }
    }

    static Path directory(String option, String value) {
        Path path = Path.of(value);
        if (!Files.isDirectory(path) || !Files.isWritable(path)) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a writable directory)");
        }
        return path;
    }

    static int positiveInt(String option, String value) {
        try {
            int n = nonNegativeInt(option, value);
            if (n > 0) {
                return n;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expectation that fits this option
        }
        throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number, 1 or more)");
    }

    static int nonNegativeInt(String option, String value) {
        long n = nonNegativeLong(option, value);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number, 0 or more)");
        }
        return (int) n;
    }

    static long nonNegativeLong(String option, String value) {
        try {
            if (!value.matches("[0-9]+")) {
                throw new NumberFormatException();
            }
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number, 0 or more)");
        }
    }

    /** The front's levels, plus mod_wsgi-express's (Apache's) names mapped onto the nearest one. */
    static LogLevel logLevel(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "error", "emerg", "alert", "crit" -> LogLevel.ERROR;
            case "warn", "warning" -> LogLevel.WARN;
            case "info", "notice" -> LogLevel.INFO;
            case "debug", "trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8" ->
                    LogLevel.DEBUG;
            default -> throw new IllegalArgumentException("--log-level: " + value
                    + " (expected: error, warn, info or debug)");
        };
    }
}
