package dev.front.staticfiles;

import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Strong entity tags for files and the two comparisons of RFC 9110 §8.8.3.2. A tag is derived from the size and the
 * modification time in nanoseconds, plus the content coding for a precompressed sidecar, so the identity and the
 * compressed representation of one file never share a tag.
 */
final class EntityTags {

    private EntityTags() {
    }

    /** A strong tag, quotes included: {@code "size-mtime"} or {@code "size-mtime-br"}, numbers in hex. */
    static String of(long size, FileTime modified, String coding) {
        StringBuilder tag = new StringBuilder(40).append('"')
                .append(Long.toHexString(size)).append('-')
                .append(Long.toHexString(modified.to(TimeUnit.NANOSECONDS)));
        if (coding != null) {
            tag.append('-').append(coding);
        }
        return tag.append('"').toString();
    }

    /** If-Match: {@code *} or a strong match with a strong tag from the list. */
    static boolean matchesStrongly(String header, String etag) {
        return matches(header, etag, true);
    }

    /** If-None-Match: {@code *} or a weak match (the opaque parts are equal, {@code W/} ignored). */
    static boolean matchesWeakly(String header, String etag) {
        return matches(header, etag, false);
    }

    /**
     * Walks the list {@code *} / {@code 1#entity-tag}. A malformed member ends the walk: what was read before it
     * still counts, nothing after it does, and no input ever throws.
     */
    private static boolean matches(String header, String etag, boolean strong) {
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            boolean weak = false;
            if (c == 'W' && i + 1 < n && header.charAt(i + 1) == '/') {
                weak = true;
                i += 2;
            }
            if (i >= n || header.charAt(i) != '"') {
                return false;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (!(strong && weak) && header.regionMatches(i, etag, 0, etag.length()) && close + 1 - i == etag.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
