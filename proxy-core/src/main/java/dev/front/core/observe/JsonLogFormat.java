package dev.front.core.observe;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per line, for log collectors:
 * <pre>
 * {"time":"2025-01-31T12:00:00.123Z","client":"198.51.100.7","method":"GET","target":"/a?b=1","protocol":"HTTP/1.1",
 *  "status":200,"bytes":1234,"duration_ms":1.234,"route":"forwarded","error_id":"..."}
 * </pre>
 * {@code client} is the address the forwarded-header policy derives (what the child sees as X-Forwarded-For);
 * {@code bytes} counts the response body; {@code status} is 0 when no response was sent; {@code "aborted":true} is
 * added when the connection ended before the response was complete, and {@code error_id} only when the front
 * answered a failure itself (the id its stderr line carries, unless a flood of them left that line out). Output is
 * pure ASCII.
 */
final class JsonLogFormat implements AccessLogFormat {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String format(RequestRecord r) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"time\":\"");
        DateTimeFormatter.ISO_INSTANT.formatTo(Instant.ofEpochMilli(r.startMillis()), line);
        line.append("\",\"client\":");
        string(line, r.client());
        line.append(",\"method\":");
        string(line, r.method());
        line.append(",\"target\":");
        string(line, r.target());
        line.append(",\"protocol\":");
        string(line, r.protocol());
        line.append(",\"status\":").append(r.status())
                .append(",\"bytes\":").append(r.bytesOut())
                .append(",\"duration_ms\":").append(r.durationNanos() / 1_000_000).append('.');
        long micros = r.durationNanos() / 1_000 % 1_000;
        line.append((char) ('0' + micros / 100)).append((char) ('0' + micros / 10 % 10)).append((char) ('0' + micros % 10));
        line.append(",\"route\":\"").append(r.route().label()).append('"');
        if (!r.complete()) {
            line.append(",\"aborted\":true");
        }
        if (r.errorId() != null) {
            line.append(",\"error_id\":");
            string(line, r.errorId());
        }
        if (r.requestId() != null) {
            line.append(",\"request_id\":");
            string(line, r.requestId());
        }
        return line.append('}').toString();
    }

    /** A JSON string (RFC 8259): quote, backslash and every character outside printable ASCII escaped. */
    static void string(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                line.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else {
                line.append(c);
            }
        }
        line.append('"');
    }
}
