package dev.front.core.compress;

import io.netty.util.AsciiString;

/**
 * The content codings the front sends, in the order it prefers them when the client accepts several equally:
 * smaller output first (brotli, then zstd, then gzip).
 */
public enum Coding {
    BR("br"),
    ZSTD("zstd"),
    GZIP("gzip");

    private final String token;
    private final AsciiString headerValue;

    Coding(String token) {
        this.token = token;
        this.headerValue = AsciiString.cached(token);
    }

    /** The Content-Encoding token. */
    public String token() {
        return token;
    }

    /** The Content-Encoding value, ready for a header. */
    public AsciiString headerValue() {
        return headerValue;
    }
}
