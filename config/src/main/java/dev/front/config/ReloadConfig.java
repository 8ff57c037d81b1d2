package dev.front.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How the front replaces its child with a fresh one (see docs/operations.md): what HUP does, what proves a new child
 * ready, and when a child is recycled on its own (mod_wsgi-express's names).
 *
 * @param onHup           {@code replace}: HUP starts a second child and switches to it once ready; {@code relay}:
 *                        HUP goes to the child's pid as before ({@code --on-hup})
 * @param probePath       the path a new child must answer below 500 before it gets traffic
 *                        ({@code --reload-probe-path})
 * @param maximumRequests replace the child after this many forwarded requests; 0 = never
 *                        ({@code --maximum-requests})
 * @param restartInterval replace the child this long after it became ready; zero = never
 *                        ({@code --restart-interval})
 * @param memoryLimit     replace the child when its process group's resident memory passes this
 *                        ({@code --memory-limit}); empty = never
 * @param reloadOnChanges replace the child when a Python file under {@code --app-root} changes, for development
 *                        ({@code --reload-on-changes})
 */
public record ReloadConfig(OnHup onHup, String probePath, long maximumRequests, Duration restartInterval,
                           Optional<MemoryLimit> memoryLimit, boolean reloadOnChanges) {

    /** What a HUP sent to the front does. */
    public enum OnHup {
        REPLACE, RELAY;

        static OnHup parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "replace" -> REPLACE;
                case "relay" -> RELAY;
                default -> throw new IllegalArgumentException("--on-hup: " + value + " (expected: replace or relay)");
            };
        }
    }

    /** A limit in bytes, or a percentage of the container's cgroup {@code memory.max} (resolved at start). */
    public sealed interface MemoryLimit {

        record Bytes(long bytes) implements MemoryLimit {
        }

        record Percent(int percent) implements MemoryLimit {
        }

        /** {@code 500000000}, {@code 512M}, {@code 1G}, {@code 80%}. */
        static MemoryLimit parse(String value) {
            String text = value.trim();
            try {
                if (text.endsWith("%")) {
                    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
                    if (percent >= 1 && percent <= 100) {
                        return new Percent(percent);
                    }
                } else {
                    long unit = switch (Character.toUpperCase(text.isEmpty() ? ' ' : text.charAt(text.length() - 1))) {
                        case 'K' -> 1L << 10;
                        case 'M' -> 1L << 20;
                        case 'G' -> 1L << 30;
                        default -> 1;
                    };
                    String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
                    if (digits.matches("[0-9]+")) {
                        long bytes = Math.multiplyExact(Long.parseLong(digits), unit);
                        if (bytes > 0) {
                            return new Bytes(bytes);
                        }
                    }
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new IllegalArgumentException("--memory-limit: " + value
                    + " (expected: bytes, optionally with K, M or G, 1 or more; or a percentage 1% to 100% of the"
                    + " container's memory limit)");
        }
    }

    public ReloadConfig {
        if (!probePath.startsWith("/")) {
            throw new IllegalArgumentException("--reload-probe-path: " + probePath + " (expected: a path starting with /)");
        }
        if (probePath.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("--reload-probe-path: " + probePath
                    + " (expected: no spaces, control or non-ASCII characters; percent-encode them)");
        }
    }

    public static ReloadConfig defaults() {
        return new ReloadConfig(OnHup.REPLACE, "/", 0, Duration.ZERO, Optional.empty(), false);
    }

    /** True when the front replaces the child on its own, not only when asked. */
    public boolean recycles() {
        return maximumRequests > 0 || !restartInterval.isZero() || memoryLimit.isPresent() || reloadOnChanges;
    }
}
