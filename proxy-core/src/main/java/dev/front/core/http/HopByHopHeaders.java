package dev.front.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/** The headers of a child's response that concern only the child's connection, never the client's. */
public final class HopByHopHeaders {

    private HopByHopHeaders() {
    }

    /**
     * Removes {@code Connection}, every header it names (framing headers excepted: those are the codec's to
     * rewrite), {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer} and {@code Upgrade}.
     */
    public static void removeFrom(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("transfer-encoding") && !name.equals("content-length")) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION)
                .remove(HttpHeaderNames.KEEP_ALIVE)
                .remove("Proxy-Connection")
                .remove(HttpHeaderNames.TE)
                .remove(HttpHeaderNames.TRAILER)
                .remove(HttpHeaderNames.UPGRADE);
    }
}
