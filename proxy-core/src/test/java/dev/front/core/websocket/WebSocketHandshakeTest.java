package dev.front.core.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebSocketHandshakeTest {

    /** RFC 6455 1.3's own example. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HttpRequest handshake(Consumer<HttpRequest> change) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/chat");
        request.headers().set("Host", "a").set("Upgrade", "websocket").set("Connection", "Upgrade")
                .set("Sec-WebSocket-Key", KEY).set("Sec-WebSocket-Version", "13");
        change.accept(request);
        return request;
    }

    private static HttpResponse switching(Consumer<HttpResponse> change) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Accept", ACCEPT);
        change.accept(response);
        return response;
    }

    @Test
    void acceptsTheRfcExampleWithTokensInAnyCaseAndPlace() {
        assertThat(WebSocketHandshake.accept(KEY)).isEqualTo(ACCEPT);
        assertThat(WebSocketHandshake.requested(handshake(r -> { }))).isTrue();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers()
                .set("Upgrade", "WebSocket").set("Connection", "keep-alive, UPGRADE")))).isTrue();
    }

    @Test
    void anythingLessIsAPlainRequest() {
        assertThat(WebSocketHandshake.requested(handshake(r -> r.setMethod(HttpMethod.POST)))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.setProtocolVersion(HttpVersion.HTTP_1_0)))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Upgrade", "h2c")))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Upgrade", "websocketx")))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Connection", "keep-alive")))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Connection", "upgrade, close"))))
                .isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().remove("Sec-WebSocket-Key")))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Sec-WebSocket-Key", "c2hvcnQ="))))
                .isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Sec-WebSocket-Key", "not base64!!"))))
                .isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().add("Sec-WebSocket-Key", KEY)))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Sec-WebSocket-Version", "8"))))
                .isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Content-Length", "5")))).isFalse();
        assertThat(WebSocketHandshake.requested(handshake(r -> r.headers().set("Transfer-Encoding", "chunked"))))
                .isFalse();
    }

    @Test
    void onlyA101ThatProvesItReadTheKeyOpensATunnel() {
        HttpRequest request = handshake(r -> { });
        assertThat(WebSocketHandshake.accepted(request, switching(r -> { }))).isTrue();
        assertThat(WebSocketHandshake.accepted(request, switching(r -> r.headers().set("Sec-WebSocket-Accept",
                WebSocketHandshake.accept("AAAAAAAAAAAAAAAAAAAAAA=="))))).isFalse();
        assertThat(WebSocketHandshake.accepted(request, switching(r -> r.headers().remove("Sec-WebSocket-Accept"))))
                .isFalse();
        assertThat(WebSocketHandshake.accepted(request, switching(r -> r.headers().set("Upgrade", "h2c")))).isFalse();
        assertThat(WebSocketHandshake.accepted(request, switching(r -> r.setStatus(HttpResponseStatus.OK)))).isFalse();
    }

    @Test
    void theClientGetsTheChildsEndToEndHeadersAndTheFrontsOwnConnectionHeaders() {
        FullHttpResponse response = WebSocketHandshake.switchingProtocols(switching(r -> r.headers()
                .set("Connection", "Upgrade, X-Private").set("X-Private", "1").set("Keep-Alive", "timeout=5")
                .set("Sec-WebSocket-Protocol", "chat").set("Content-Length", "0")));
        assertThat(response.status()).isEqualTo(HttpResponseStatus.SWITCHING_PROTOCOLS);
        assertThat(response.headers().get("Sec-WebSocket-Accept")).isEqualTo(ACCEPT);
        assertThat(response.headers().get("Sec-WebSocket-Protocol")).isEqualTo("chat");
        assertThat(response.headers().getAll("Connection")).containsExactly("upgrade");
        assertThat(response.headers().getAll("Upgrade")).containsExactly("websocket");
        assertThat(response.headers().contains("X-Private")).isFalse();
        assertThat(response.headers().contains("Keep-Alive")).isFalse();
        assertThat(response.headers().contains("Content-Length")).isFalse();
        response.release();
    }
}
