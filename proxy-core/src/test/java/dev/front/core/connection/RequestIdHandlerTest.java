package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.Cidr;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdHandlerTest {

    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void newIdsAreVersion4UuidsAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIdHandler.newId();
            assertThat(id).matches(UUID_V4);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void validIdsAreOneTo200VisibleAsciiCharacters() {
        assertThat(RequestIdHandler.valid("a")).isTrue();
        assertThat(RequestIdHandler.valid("x".repeat(200))).isTrue();
        assertThat(RequestIdHandler.valid("req-1:2/3@4")).isTrue();
        assertThat(RequestIdHandler.valid("")).isFalse();
        assertThat(RequestIdHandler.valid("x".repeat(201))).isFalse();
        assertThat(RequestIdHandler.valid("a b")).isFalse();
        assertThat(RequestIdHandler.valid("a\tb")).isFalse();
        assertThat(RequestIdHandler.valid("é")).isFalse();
    }

    /** An embedded channel's peer is no IP address, so it is never a trusted proxy: ids are always made. */
    @Test
    void anUntrustedPeersIdIsReplacedAndEachResponseCarriesItsRequestsId() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestIdHandler("X-Request-ID",
                List.of(Cidr.parse("0.0.0.0/0"))));
        HttpRequest first = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
        first.headers().add("X-Request-ID", "forged").add("x-request-id", "twice");
        HttpRequest second = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/b");
        channel.writeInbound(first, second);
        String firstId = first.headers().get("X-Request-ID");
        assertThat(first.headers().getAll("X-Request-ID")).containsExactly(firstId);
        assertThat(firstId).matches(UUID_V4);
        String secondId = second.headers().get("X-Request-ID");
        assertThat(secondId).matches(UUID_V4).isNotEqualTo(firstId);
        assertThat(channel.attr(RequestAttributes.REQUEST_ID).get()).isEqualTo(secondId);

        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        HttpResponse interim = channel.readOutbound();
        HttpResponse toFirst = channel.readOutbound();
        HttpResponse toSecond = channel.readOutbound();
        assertThat(interim.headers().contains("X-Request-ID")).isFalse();
        assertThat(toFirst.headers().get("X-Request-ID")).isEqualTo(firstId);
        assertThat(toSecond.headers().get("X-Request-ID")).isEqualTo(secondId);
        channel.finishAndReleaseAll();
    }
}
