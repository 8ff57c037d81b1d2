package dev.front.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ForwardedConfig;
import dev.front.core.connection.RequestAttributes;
import dev.front.core.connection.RouteKind;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestObserverHandlerTest {

    /** An embedded connection from a trusted proxy at 10.0.0.5, which may assert X-Forwarded-For. */
    private static final class ProxiedChannel extends EmbeddedChannel {
        ProxiedChannel(RequestObserverHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("10.0.0.5", 40000);
        }
    }

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ProxyHeaderPolicy policy = new ProxyHeaderPolicy(
            new ForwardedConfig(List.of("X-Forwarded-For"), List.of("10.0.0.0/8"), 1, false));
    private final AccessLog accessLog = new AccessLog("json", policy, 8080, stdout, metrics);
    private final EmbeddedChannel channel = new ProxiedChannel(new RequestObserverHandler(metrics, accessLog));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        accessLog.close();
    }

    private static HttpRequest get(String target) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        request.headers().set("Host", "example.org").add("X-Forwarded-For", "198.51.100.7");
        return request;
    }

    /** Closes the log (the writer thread writes everything queued) and parses each line as JSON. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> lines() {
        accessLog.close();
        String text = stdout.toString(StandardCharsets.UTF_8);
        return text.lines().map(line -> (Map<String, Object>) new Yaml().load(line)).toList();
    }

    private void respond(HttpResponseStatus status, String body) {
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status));
        channel.writeOutbound(new DefaultLastHttpContent(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
    }

    @Test
    void aForwardedRequestIsLoggedOnceItsLastWriteCompletesWithTheDerivedClientAddress() {
        channel.writeInbound(get("/a?b=1"));
        channel.attr(RequestAttributes.ROUTE).set(RouteKind.FORWARDED);
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(new DefaultHttpContent(Unpooled.copiedBuffer("hello ", StandardCharsets.US_ASCII)));
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"forwarded\",status=\"2xx\"}"))
                .as("not counted before the last content").isZero();
        channel.writeOutbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII)));

        Map<String, Object> line = lines().getFirst();
        assertThat(line).containsEntry("client", "198.51.100.7").containsEntry("method", "GET")
                .containsEntry("target", "/a?b=1").containsEntry("protocol", "HTTP/1.1")
                .containsEntry("status", 200).containsEntry("bytes", 11).containsEntry("route", "forwarded")
                .containsKeys("time", "duration_ms").doesNotContainKeys("error_id", "aborted");
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"forwarded\",status=\"2xx\"}"))
                .isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_sent_bytes_total{route=\"forwarded\"}")).isEqualTo(11);
    }

    @Test
    void anUntrustedPeerCannotChooseTheLoggedClientAddress() {
        EmbeddedChannel direct = new EmbeddedChannel(new RequestObserverHandler(metrics, accessLog));
        direct.writeInbound(get("/"));
        direct.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
        direct.finishAndReleaseAll();
        // An embedded channel has no IP peer: the logged client is its address, never the header's claim.
        assertThat(lines().getFirst().get("client")).isEqualTo("embedded").isNotEqualTo("198.51.100.7");
    }

    @Test
    void requestBodyBytesAreCountedAndAContinueDoesNotEndTheRequest() {
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        post.headers().set("Host", "a").set("Expect", "100-continue").set("Content-Length", 7);
        channel.writeInbound(post);
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("defg", StandardCharsets.US_ASCII)));
        channel.attr(RequestAttributes.ROUTE).set(RouteKind.FORWARDED);
        respond(HttpResponseStatus.CREATED, "ok");

        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).containsEntry("status", 201).containsEntry("bytes", 2);
        assertThat(PrometheusText.value(metrics, "front_received_bytes_total{route=\"forwarded\"}")).isEqualTo(7);
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"forwarded\",status=\"1xx\"}"))
                .isZero();
    }

    @Test
    void pipelinedRequestsAreMatchedToTheirResponsesInOrder() {
        channel.writeInbound(get("/first"));
        channel.writeInbound(get("/second"));
        respond(HttpResponseStatus.OK, "1");
        respond(HttpResponseStatus.NOT_FOUND, "22");
        List<Map<String, Object>> lines = lines();
        assertThat(lines).extracting(l -> l.get("target")).containsExactly("/first", "/second");
        assertThat(lines).extracting(l -> l.get("status")).containsExactly(200, 404);
        assertThat(lines).extracting(l -> l.get("bytes")).containsExactly(1, 2);
    }

    @Test
    void fileRegionsCountTheirBytesAndTheRouteAndErrorIdAreTakenFromTheChannel(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "x".repeat(1000));
        channel.writeInbound(get("/static/f.txt"));
        channel.attr(RequestAttributes.ROUTE).set(RouteKind.STATIC);
        channel.attr(RequestAttributes.ERROR_ID).set("e-42");
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(new DefaultFileRegion(file.toFile(), 0, 1000));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(lines().getFirst()).containsEntry("bytes", 1000).containsEntry("route", "static")
                .containsEntry("error_id", "e-42");
        assertThat(channel.attr(RequestAttributes.ERROR_ID).get()).as("cleared for the next request").isNull();
    }

    @Test
    void aConnectionThatEndsMidResponseIsLoggedAsAbortedAndConnectionsAreCounted() {
        assertThat(PrometheusText.value(metrics, "front_connections_open")).isEqualTo(1);
        channel.writeInbound(get("/slow"));
        channel.attr(RequestAttributes.ROUTE).set(RouteKind.FORWARDED);
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.close();

        assertThat(lines().getFirst()).containsEntry("status", 200).containsEntry("aborted", true);
        assertThat(PrometheusText.value(metrics,
                "front_requests_seconds_count{route=\"forwarded\",status=\"aborted\"}")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_connections_open")).isZero();
    }

    @Test
    void withoutAnAccessLogOnlyMetricsAreKept() {
        EmbeddedChannel quiet = new EmbeddedChannel(new RequestObserverHandler(metrics, null));
        quiet.writeInbound(get("/"));
        quiet.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST));
        quiet.finishAndReleaseAll();
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"front\",status=\"4xx\"}"))
                .isEqualTo(1);
        assertThat(lines()).isEmpty();
    }
}
