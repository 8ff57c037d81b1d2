package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RelayedHeadTest {

    private static HttpRequest request(HttpMethod method, HttpVersion version) {
        return new DefaultHttpRequest(version, method, "/");
    }

    private static HttpResponse response(int status, String... headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.valueOf(status));
        for (int i = 0; i < headers.length; i += 2) {
            response.headers().add(headers[i], headers[i + 1]);
        }
        return response;
    }

    @Test
    void framingIsTrustedOnlyWhenItIsUnambiguous() {
        assertThat(RelayedHead.wellFramed(response(200, "Content-Length", "3"))).isTrue();
        assertThat(RelayedHead.wellFramed(response(200, "Transfer-Encoding", "chunked"))).isTrue();
        assertThat(RelayedHead.wellFramed(response(200))).isTrue();
        assertThat(RelayedHead.wellFramed(response(200, "Content-Length", "3", "Transfer-Encoding", "chunked")))
                .isFalse();
        assertThat(RelayedHead.wellFramed(response(200, "Content-Length", "3", "Content-Length", "3"))).isFalse();
    }

    @Test
    void aFramedBodyKeepsItsFramingAndLosesTheHopByHopHeaders() {
        HttpResponse head = response(200, "Content-Length", "3", "Connection", "keep-alive, X-Hop", "X-Hop", "1",
                "Keep-Alive", "timeout=5", "X-End", "kept");
        assertThat(RelayedHead.relay(request(HttpMethod.GET, HttpVersion.HTTP_1_1), head)).isFalse();
        assertThat(head.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.headers().names()).containsExactlyInAnyOrder("Content-Length", "X-End");
    }

    @Test
    void aBodyEndedByClosingStreamsChunkedToAnHttp11Client() {
        HttpResponse head = response(200);
        assertThat(RelayedHead.relay(request(HttpMethod.GET, HttpVersion.HTTP_1_1), head)).isTrue();
        assertThat(head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void anHttp10ClientGetsACloseDelimitedBodyAsItCame() {
        HttpResponse head = response(200);
        assertThat(RelayedHead.relay(request(HttpMethod.GET, HttpVersion.HTTP_1_0), head)).isTrue();
        assertThat(head.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(head.headers().get("Connection")).isEqualToIgnoringCase("close");
    }

    @Test
    void bodilessAnswersLoseTheirBodyFraming() {
        HttpResponse noContent = response(204, "Content-Length", "0", "Transfer-Encoding", "chunked");
        assertThat(RelayedHead.relay(request(HttpMethod.GET, HttpVersion.HTTP_1_1), noContent)).isFalse();
        assertThat(noContent.headers().contains("Content-Length")).isFalse();
        assertThat(noContent.headers().contains("Transfer-Encoding")).isFalse();
        HttpResponse head = response(200, "Content-Length", "42");
        assertThat(RelayedHead.relay(request(HttpMethod.HEAD, HttpVersion.HTTP_1_1), head)).isFalse();
        assertThat(head.headers().get("Content-Length")).isEqualTo("42");
        HttpResponse notModified = response(304);
        assertThat(RelayedHead.relay(request(HttpMethod.GET, HttpVersion.HTTP_1_1), notModified)).isFalse();
        assertThat(notModified.headers().contains("Transfer-Encoding")).isFalse();
    }
}
