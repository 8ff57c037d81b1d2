package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.http.Failure;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    private final EmbeddedChannel client = new EmbeddedChannel();

    @Test
    void aServiceUnavailableSaysWhenToComeBack() {
        FullHttpResponse response = ErrorResponses.of(client, Failure.queueTimeout(Duration.ofSeconds(45), "a slot"),
                false);
        try {
            assertThat(response.status().code()).isEqualTo(503);
            assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
            assertThat(response.headers().get(ErrorResponses.ERROR_ID_HEADER))
                    .isEqualTo(client.attr(RequestAttributes.ERROR_ID).get());
        } finally {
            response.release();
        }
    }

    @Test
    void otherFailuresDoNot() {
        FullHttpResponse response = ErrorResponses.of(client, Failure.upstreamTimeout("child", Duration.ofSeconds(60)),
                false);
        try {
            assertThat(response.status().code()).isEqualTo(504);
            assertThat(response.headers().contains(HttpHeaderNames.RETRY_AFTER)).isFalse();
            assertThat(response.headers().contains(ErrorResponses.ERROR_ID_HEADER)).isTrue();
        } finally {
            response.release();
        }
    }
}
