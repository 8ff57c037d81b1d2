package dev.front.core.compress;

import java.util.Locale;
import java.util.Set;

/**
 * The media types worth compressing: text and the text-like formats of the web. mod_wsgi-express compresses
 * {@code text/plain}, {@code text/html}, {@code text/xml}, {@code text/css}, {@code text/javascript},
 * {@code application/xhtml+xml} and {@code application/javascript}; the front compresses those and, since what
 * applications send most is JSON, every {@code text/*} type, JSON, XML, SVG and WebAssembly too. Never
 * {@code text/event-stream}: each event must reach the client as it is written, and events are small. Images, fonts,
 * archives, audio and video are compressed already.
 */
public final class CompressibleTypes {

    private static final Set<String> APPLICATION = Set.of("json", "javascript", "x-javascript", "ecmascript",
            "xml", "wasm");

    private CompressibleTypes() {
    }

    /** Whether a body of this Content-Type value (parameters allowed) is compressed; {@code null} is not. */
    public static boolean compressible(CharSequence contentType) {
        if (contentType == null) {
            return false;
        }
        String value = contentType.toString();
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String major = type.substring(0, slash);
        String minor = type.substring(slash + 1);
        return switch (major) {
            case "text" -> !minor.isEmpty() && !minor.equals("event-stream");
            case "application" -> APPLICATION.contains(minor) || minor.endsWith("+json") || minor.endsWith("+xml");
            case "image" -> minor.equals("svg+xml");
            default -> false;
        };
    }
}
