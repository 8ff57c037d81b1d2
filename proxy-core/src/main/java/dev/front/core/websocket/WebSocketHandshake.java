package dev.front.core.websocket;

import dev.front.core.http.HopByHopHeaders;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The WebSocket opening handshake as the front judges it (RFC 6455 4.1, 4.2.2): which requests it forwards with
 * their {@code Upgrade}, which of the child's {@code 101}s it turns into a tunnel, and the {@code 101} the client gets.
 */
public final class WebSocketHandshake {

    /** RFC 6455 1.3: appended to the key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {
    }

    /**
     * A client's opening handshake: HTTP/1.1 GET, {@code Upgrade} naming {@code websocket} and {@code Connection}
     * naming {@code upgrade} (tokens, any case), one key of 16 base64 bytes, version 13, no body and no
     * {@code Connection: close}. Anything less is forwarded as a plain request, without its {@code Upgrade}.
     */
    public static boolean requested(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.method().equals(HttpMethod.GET)
                && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)
                && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && HttpUtil.getContentLength(request, 0L) == 0
                && validKey(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY))
                && single(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION), "13");
    }

    /**
     * The child switched to WebSocket for {@code request}: {@code 101}, {@code Upgrade: websocket}, and the
     * {@code Sec-WebSocket-Accept} that proves it read this very key. Any other {@code 101} is a malformed answer.
     */
    public static boolean accepted(HttpRequest request, HttpResponse response) {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && single(response.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT),
                        accept(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY).trim()));
    }

    /** RFC 6455 4.2.2: base64(SHA-1(key + GUID)). */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * The {@code 101} the client gets: the child's end-to-end headers ({@code Sec-WebSocket-Accept}, {@code
     * -Protocol}, {@code -Extensions}, cookies ...) with the front's own {@code Connection} and {@code Upgrade}.
     */
    public static FullHttpResponse switchingProtocols(HttpResponse child) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
        HttpHeaders headers = response.headers().set(child.headers());
        HopByHopHeaders.removeFrom(headers);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH).remove(HttpHeaderNames.TRANSFER_ENCODING)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        return response;
    }

    private static boolean validKey(List<String> keys) {
        if (keys.size() != 1) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(keys.get(0).trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean single(List<String> values, String expected) {
        return values.size() == 1 && values.get(0).trim().equals(expected);
    }
}
