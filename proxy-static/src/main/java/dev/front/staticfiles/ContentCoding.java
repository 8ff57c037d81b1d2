package dev.front.staticfiles;

import dev.front.core.compress.AcceptEncoding;
import dev.front.core.compress.Coding;
import io.netty.util.AsciiString;

import java.util.EnumSet;
import java.util.Set;

/**
 * The precompressed sidecars the service looks for beside a file, in the order it prefers them when the client
 * accepts several equally: smaller first.
 */
enum ContentCoding {
    BR("br", ".br"),
    ZSTD("zstd", ".zst"),
    GZIP("gzip", ".gz");

    private static final ContentCoding[] BY_CODING = new ContentCoding[Coding.values().length];

    static {
        for (ContentCoding sidecar : values()) {
            BY_CODING[sidecar.coding.ordinal()] = sidecar;
        }
    }

    private final String token;
    private final String suffix;
    private final AsciiString headerValue;
    private final Coding coding;

    ContentCoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
        this.headerValue = AsciiString.cached(token);
        this.coding = Coding.valueOf(name());
    }

    /** The Content-Encoding value, ready for a header. */
    AsciiString headerValue() {
        return headerValue;
    }

    /** The Content-Encoding token. */
    String token() {
        return token;
    }

    /** What is appended to the original's file name to find the sidecar. */
    String suffix() {
        return suffix;
    }

    /** The same coding as the front's compression names it. */
    Coding coding() {
        return coding;
    }

    /** The sidecar of a coding. */
    static ContentCoding of(Coding coding) {
        return BY_CODING[coding.ordinal()];
    }

    /**
     * Chooses among the available sidecars and identity by the client's {@code Accept-Encoding}, as
     * {@link AcceptEncoding#negotiate} does for every response of the front (same weights, same ties: smaller first).
     *
     * @return the coding to send, or {@code null} for identity
     */
    static ContentCoding negotiate(String acceptEncoding, Set<ContentCoding> available) {
        if (acceptEncoding == null || available.isEmpty()) {
            return null;
        }
        Set<Coding> codings = EnumSet.noneOf(Coding.class);
        for (ContentCoding sidecar : available) {
            codings.add(sidecar.coding);
        }
        Coding chosen = AcceptEncoding.negotiate(acceptEncoding, codings);
        return chosen == null ? null : of(chosen);
    }
}
