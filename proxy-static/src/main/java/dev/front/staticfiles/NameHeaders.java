package dev.front.staticfiles;

import io.netty.util.AsciiString;

/**
 * The headers that follow from a file's name alone, looked up once per resolution (the cache keeps them with it)
 * rather than once per response: the Cache-Control rule is a regular expression.
 *
 * @param contentType  from the original's extension, also when a sidecar is sent
 * @param cacheControl long and immutable for fingerprinted names, short otherwise
 */
record NameHeaders(AsciiString contentType, AsciiString cacheControl) {

    static NameHeaders of(String fileName) {
        return new NameHeaders(new AsciiString(MimeTypes.of(fileName)), new AsciiString(CachePolicy.cacheControl(fileName)));
    }
}
