package dev.front.core.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request target decoded once, strictly, and normalised lexically before anything touches the disk or the router
 * looks at it. The static route and the forwarded path are both decided from
 * {@link #path()}.
 *
 * @param path       decoded and normalised: starts with {@code /}, no dot or empty segments, trailing {@code /} kept
 * @param rawQuery   the query as sent, without {@code ?}, or {@code null}
 * @param originForm what to send upstream: the client's own path when normalising changed nothing, else the
 *                   normalised path re-encoded; plus the query
 * @param authority  the {@code host[:port]} of an absolute-form target, which replaces the Host header
 *                   (RFC 9112 §3.2.2); {@code null} for origin-form
 */
public record RequestTarget(String path, String rawQuery, String originForm, String authority) {

    /** Why a target was refused; every case is a 400 for the client. */
    public static final class BadTargetException extends Exception {
        public BadTargetException(String message) {
            super(message, null, false, false);
        }
    }

    private static final String HEX = "0123456789ABCDEF";

    /** Parses origin-form ({@code /p?q}) or absolute-form ({@code http://h/p?q}); {@code *} is not a path. */
    public static RequestTarget parse(String target) throws BadTargetException {
        String rest = target;
        String authority = null;
        int scheme = target.regionMatches(true, 0, "http://", 0, 7) ? 7
                : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : 0;
        if (scheme > 0) {
            int end = scheme;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            authority = target.substring(scheme, end);
            if (!HostSyntax.valid(authority)) {
                throw new BadTargetException("invalid authority in absolute-form target");
            }
            rest = end == target.length() || target.charAt(end) == '?' ? "/" + target.substring(end)
                    : target.substring(end);
        }
        if (rest.isEmpty() || rest.charAt(0) != '/') {
            throw new BadTargetException("target does not start with /");
        }
        int question = rest.indexOf('?');
        String rawPath = question < 0 ? rest : rest.substring(0, question);
        String rawQuery = question < 0 ? null : rest.substring(question + 1);
        if (rawQuery != null) {
            checkRaw(rawQuery);
        }
        String decoded = decode(rawPath);
        String normalised = normalise(decoded);
        String forwardedPath = normalised.equals(decoded) ? rawPath : encode(normalised);
        return new RequestTarget(normalised, rawQuery, rawQuery == null ? forwardedPath : forwardedPath + "?" + rawQuery,
                authority);
    }

    /** Refuses bytes that never belong in a target: controls, space, DEL, {@code #}, non-ASCII. */
    private static void checkRaw(String raw) throws BadTargetException {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') {
                throw new BadTargetException("invalid character in target");
            }
        }
    }

    /** Percent-decodes once; the result must be valid UTF-8 without NUL, controls, encoded / or any backslash. */
    static String decode(String raw) throws BadTargetException {
        checkRaw(raw);
        if (raw.indexOf('%') < 0) {
            if (raw.indexOf('\\') >= 0) {
                throw new BadTargetException("backslash in path");
            }
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new BadTargetException("truncated percent escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadTargetException("invalid percent escape");
                }
                int b = hi << 4 | lo;
                if (b == '/' || b == '\\' || b < 0x20 || b == 0x7F) {
                    throw new BadTargetException("encoded slash, backslash or control character");
                }
                bytes.put((byte) b);
                i += 2;
            } else if (c == '\\') {
                throw new BadTargetException("backslash in path");
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            String text = chars.toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                    throw new BadTargetException("control character in path");
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new BadTargetException("path is not valid UTF-8");
        }
    }

    /** Resolves {@code .} and {@code ..} and merges empty segments; climbing above {@code /} is refused. */
    static String normalise(String path) throws BadTargetException {
        Deque<String> segments = new ArrayDeque<>();
        boolean directory = false;
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            boolean last = end == path.length();
            switch (segment) {
                case "", "." -> directory = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new BadTargetException("path climbs above the root");
                    }
                    segments.removeLast();
                    directory = last;
                }
                default -> {
                    segments.addLast(segment);
                    directory = false;
                }
            }
            start = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        if (directory) {
            out.append('/');
        }
        return out.toString();
    }

    /** Percent-encodes everything but RFC 3986 pchar and {@code /}. */
    public static String encode(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
        return out.toString();
    }
}
