package dev.front.core.admin;

import dev.front.core.observe.PrometheusMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.connection.RouteKind;
import dev.front.core.upstream.ChildGate;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final ChildGate gate = new ChildGate(false);
    private final ReadyState ready = new ReadyState(gate::isOpen);

    private record Answer(int status, String contentType, String body, String connection) {
    }

    private Answer ask(HttpMethod method, String path) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminHandler(metrics, ready, null));
        try {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path));
            FullHttpResponse response = channel.readOutbound();
            try {
                return new Answer(response.status().code(), response.headers().get("Content-Type"),
                        response.content().toString(StandardCharsets.UTF_8), response.headers().get("Connection"));
            } finally {
                response.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void readyzFollowsTheChildThenFailsForGoodOnceDrainingWhileHealthzStaysUp() {
        assertThat(ask(HttpMethod.GET, "/readyz")).extracting(Answer::status, Answer::body)
                .containsExactly(503, "not ready: the child is not accepting connections\n");
        gate.open();
        assertThat(ask(HttpMethod.GET, "/readyz").status()).isEqualTo(200);
        ready.drain();
        assertThat(ask(HttpMethod.GET, "/readyz")).extracting(Answer::status, Answer::body)
                .containsExactly(503, "not ready: draining: a stop was requested\n");
        gate.close();
        gate.open();
        assertThat(ask(HttpMethod.GET, "/readyz").status()).as("a restarted child does not undo draining")
                .isEqualTo(503);
        assertThat(ask(HttpMethod.GET, "/healthz")).extracting(Answer::status, Answer::body)
                .containsExactly(200, "ok\n");
    }

    @Test
    void metricsAreThePrometheusTextFormat() {
        metrics.request(RouteKind.STATIC, 200, 1_000_000, 0, 5);
        Answer answer = ask(HttpMethod.GET, "/metrics?name[]=x");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(answer.body()).contains("front_requests_seconds_count{route=\"static\",status=\"2xx\"} 1");
    }

    @Test
    void headHasNoBodyAndOtherPathsAndMethodsAreRefused() {
        assertThat(ask(HttpMethod.HEAD, "/healthz")).extracting(Answer::status, Answer::body).containsExactly(200, "");
        assertThat(ask(HttpMethod.GET, "/").status()).isEqualTo(404);
        assertThat(ask(HttpMethod.GET, "/metrics/x").status()).isEqualTo(404);
        assertThat(ask(HttpMethod.POST, "/readyz").status()).isEqualTo(405);
    }
}
