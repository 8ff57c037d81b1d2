package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.SiteConfig;
import dev.front.core.http.Failure;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorPagesTest {

    private static final ErrorPages PAGES = new ErrorPages(Map.of(
            503, new SiteConfig.ErrorDocument("/errors/503.html", "<p>busy, id {error_id} ({error_id})</p>")));

    private static HttpRequest accepting(String accept) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        if (accept != null) {
            request.headers().set("Accept", accept);
        }
        return request;
    }

    @Test
    void onlyAnAcceptThatNamesHtmlAsksForIt() {
        assertThat(ErrorPages.wantsHtml(accepting("text/html,application/xhtml+xml,*/*;q=0.8"))).isTrue();
        assertThat(ErrorPages.wantsHtml(accepting("application/json, TEXT/HTML;q=0.5"))).isTrue();
        assertThat(ErrorPages.wantsHtml(accepting("text/html;q=0"))).isFalse();
        assertThat(ErrorPages.wantsHtml(accepting("text/html; q=0.000"))).isFalse();
        assertThat(ErrorPages.wantsHtml(accepting("*/*"))).isFalse();
        assertThat(ErrorPages.wantsHtml(accepting("text/htmlx"))).isFalse();
        assertThat(ErrorPages.wantsHtml(accepting(null))).isFalse();
    }

    @Test
    void theFailureAnswerOfAnHtmlClientIsThePageWithItsErrorId() {
        EmbeddedChannel client = new EmbeddedChannel();
        client.attr(RequestAttributes.ERROR_PAGES).set(PAGES);
        client.attr(RequestAttributes.WANTS_HTML).set(true);
        FullHttpResponse page = ErrorResponses.of(client, Failure.queueTimeout(Duration.ofSeconds(1), "a slot"), false);
        FullHttpResponse other = ErrorResponses.of(client, Failure.upstreamTimeout("child", Duration.ofSeconds(1)),
                false);
        client.attr(RequestAttributes.WANTS_HTML).set(false);
        FullHttpResponse text = ErrorResponses.of(client, Failure.queueTimeout(Duration.ofSeconds(1), "a slot"), false);
        try {
            String id = page.headers().get(ErrorResponses.ERROR_ID_HEADER);
            assertThat(page.status().code()).isEqualTo(503);
            assertThat(page.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.headers().get("Retry-After")).isEqualTo("1");
            assertThat(page.content().toString(StandardCharsets.UTF_8)).isEqualTo("<p>busy, id " + id + " (" + id
                    + ")</p>");
            assertThat(other.headers().get("Content-Type")).as("no page for 504").startsWith("text/plain");
            assertThat(text.headers().get("Content-Type")).as("not asked for HTML").startsWith("text/plain");
        } finally {
            page.release();
            other.release();
            text.release();
        }
    }
}
