package dev.front.core.observe;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An access log line from an Apache {@code mod_log_config} style pattern, so a {@code LogFormat} from an Apache or
 * mod_wsgi-express setup keeps working. Supported directives:
 * <pre>
 *   %h client address (as the forwarded-header policy derives it)   %a peer address of the connection
 *   %l %u "-" (no identd, no user)        %t [10/Oct/2000:13:55:36 +0000] when the request arrived
 *   %r request line   %m method   %U path   %q query string with its "?"   %H protocol
 *   %s %>s status     %b body bytes or "-"  %B body bytes   %I request body bytes
 *   %D duration in microseconds   %T in seconds   %{ms}T %{us}T %{s}T in that unit
 *   %{Name}i request header   %{Name}o response header   %L error id or "-"   %R route kind   %% a percent sign
 * </pre>
 * Text from the client is escaped as Apache does ({@code \"}, {@code \\}, {@code \xhh}), so a request can never
 * forge a line or a field.
 */
final class PatternLogFormat implements AccessLogFormat {

    private static final String EXPECTED = "common, combined, json, or a pattern of %h %a %l %u %t %r %m %U %q %H %s"
            + " %>s %b %B %I %D %T %{ms}T %{Header}i %{Header}o %L %R %%";
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH).withZone(ZoneId.systemDefault());
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** One piece of the line. */
    private interface Part {
        void append(StringBuilder line, RequestRecord record);
    }

    private final Part[] parts;

    private PatternLogFormat(List<Part> parts) {
        this.parts = parts.toArray(Part[]::new);
    }

    static PatternLogFormat parse(String pattern) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i >= pattern.length()) {
                throw invalid(pattern);
            }
            String argument = null;
            if (pattern.charAt(i) == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw invalid(pattern);
                }
                argument = pattern.substring(i + 1, close);
                i = close + 1;
            } else if (pattern.charAt(i) == '>') {
                i++; // %>s: the final status, which is the only status the front logs
            }
            if (i >= pattern.length()) {
                throw invalid(pattern);
            }
            char directive = pattern.charAt(i++);
            if (directive == '%') {
                literal.append('%');
                continue;
            }
            if (!literal.isEmpty()) {
                String text = literal.toString();
                parts.add((line, record) -> line.append(text));
                literal.setLength(0);
            }
            parts.add(directive(directive, argument, pattern));
        }
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((line, record) -> line.append(text));
        }
        return new PatternLogFormat(parts);
    }

    private static Part directive(char directive, String argument, String pattern) {
        if (argument != null) {
            return switch (directive) {
                case 'i' -> (line, r) -> escapedOrDash(line, r.requestHeaders().get(argument));
                case 'o' -> (line, r) -> escapedOrDash(line,
                        r.responseHeaders() == null ? null : r.responseHeaders().get(argument));
                case 'T' -> switch (argument) {
                    case "ms" -> (line, r) -> line.append(r.durationNanos() / 1_000_000);
                    case "us" -> (line, r) -> line.append(r.durationNanos() / 1_000);
                    case "s" -> (line, r) -> line.append(r.durationNanos() / 1_000_000_000);
                    default -> throw invalid(pattern);
                };
                default -> throw invalid(pattern);
            };
        }
        return switch (directive) {
            case 'h' -> (line, r) -> line.append(r.client());
            case 'a' -> (line, r) -> line.append(r.peer());
            case 'l', 'u' -> (line, r) -> line.append('-');
            case 't' -> (line, r) -> CLF_TIME.formatTo(Instant.ofEpochMilli(r.startMillis()), line);
            case 'r' -> (line, r) -> {
                escaped(line, r.method());
                line.append(' ');
                escaped(line, r.target());
                line.append(' ').append(r.protocol());
            };
            case 'm' -> (line, r) -> escaped(line, r.method());
            case 'U' -> (line, r) -> {
                int query = r.target().indexOf('?');
                escaped(line, query < 0 ? r.target() : r.target().substring(0, query));
            };
            case 'q' -> (line, r) -> {
                int query = r.target().indexOf('?');
                if (query >= 0) {
                    escaped(line, r.target().substring(query));
                }
            };
            case 'H' -> (line, r) -> line.append(r.protocol());
            case 's' -> (line, r) -> {
                if (r.status() == 0) {
                    line.append('-');
                } else {
                    line.append(r.status());
                }
            };
            case 'b' -> (line, r) -> {
                if (r.bytesOut() == 0) {
                    line.append('-');
                } else {
                    line.append(r.bytesOut());
                }
            };
            case 'B' -> (line, r) -> line.append(r.bytesOut());
            case 'I' -> (line, r) -> line.append(r.bytesIn());
            case 'D' -> (line, r) -> line.append(r.durationNanos() / 1_000);
            case 'T' -> (line, r) -> line.append(r.durationNanos() / 1_000_000_000);
            case 'L' -> (line, r) -> line.append(r.errorId() == null ? "-" : r.errorId());
            case 'R' -> (line, r) -> line.append(r.route().label());
            default -> throw invalid(pattern);
        };
    }

    private static IllegalArgumentException invalid(String pattern) {
        return new IllegalArgumentException("--access-log-format: " + pattern + " (expected: " + EXPECTED + ")");
    }

    @Override
    public String format(RequestRecord record) {
        StringBuilder line = new StringBuilder(128);
        for (Part part : parts) {
            part.append(line, record);
        }
        return line.toString();
    }

    private static void escapedOrDash(StringBuilder line, String text) {
        if (text == null) {
            line.append('-');
        } else {
            escaped(line, text);
        }
    }

    /** Apache's escaping of logged request text: quote and backslash escaped, anything not printable ASCII as hex. */
    static void escaped(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                // Header text is ISO-8859-1 on the wire: one char is one byte.
                line.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else {
                line.append(c);
            }
        }
    }
}
