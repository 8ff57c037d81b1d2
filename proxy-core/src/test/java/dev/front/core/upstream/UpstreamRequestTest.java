package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpstreamRequestTest {

    private static HttpHeaders clients() {
        return new DefaultHttpHeaders()
                .add("Host", "example.com")
                .add("Expect", "100-continue")
                .add("Transfer-Encoding", "chunked")
                .add("Content-Length", "12")
                .add("Upgrade", "h2c")
                .add("X-Custom", "kept");
    }

    @Test
    void whatNeverCrossesThisHopIsGoneAndTheBufferedLengthIsSaid() {
        HttpHeaders headers = UpstreamRequest.rebuild(clients(), HttpMethod.POST, 5, false);
        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "X-Custom", "content-length");
        assertThat(headers.getAll("Content-Length")).containsExactly("5");
        assertThat(headers.get("X-Custom")).isEqualTo("kept");
    }

    @Test
    void anEmptyBodyIsSaidOnlyForMethodsThatHaveOne() {
        assertThat(UpstreamRequest.rebuild(clients(), HttpMethod.PUT, 0, false).get("Content-Length")).isEqualTo("0");
        assertThat(UpstreamRequest.rebuild(clients(), HttpMethod.PATCH, 0, false).get("Content-Length"))
                .isEqualTo("0");
        assertThat(UpstreamRequest.rebuild(clients(), HttpMethod.GET, 0, false).contains("Content-Length")).isFalse();
        assertThat(UpstreamRequest.rebuild(clients(), HttpMethod.DELETE, 3, false).get("Content-Length"))
                .isEqualTo("3");
    }

    @Test
    void aWebSocketHandshakeAsksForWebSocketOnly() {
        HttpHeaders headers = UpstreamRequest.rebuild(clients(), HttpMethod.GET, 0, true);
        assertThat(headers.getAll("Upgrade")).containsExactly("websocket");
        assertThat(headers.getAll("Connection")).containsExactly("upgrade");
        assertThat(headers.contains("Content-Length")).isFalse();
    }

    @Test
    void theDeadlineIsWhatIsLeftOfTheTimeoutNeverBelowZero() {
        long timeout = TimeUnit.SECONDS.toNanos(60);
        assertThat(UpstreamRequest.deadlineMillis(timeout, 0)).isEqualTo(60_000);
        assertThat(UpstreamRequest.deadlineMillis(timeout, TimeUnit.MILLISECONDS.toNanos(1_500))).isEqualTo(58_500);
        assertThat(UpstreamRequest.deadlineMillis(timeout, TimeUnit.SECONDS.toNanos(61))).isZero();
    }
}
