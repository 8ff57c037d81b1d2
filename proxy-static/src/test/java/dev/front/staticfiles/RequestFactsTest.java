package dev.front.staticfiles;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestFactsTest {

    private static HttpRequest request(HttpMethod method, HttpVersion version, String... lines) {
        HttpRequest request = new DefaultHttpRequest(version, method, "/x");
        for (String line : lines) {
            int colon = line.indexOf(':');
            request.headers().add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return request;
    }

    @Test
    void readsEveryFieldWhateverTheCase() {
        RequestFacts facts = RequestFacts.of(request(HttpMethod.GET, HttpVersion.HTTP_1_1,
                "host: a", "RANGE: bytes=0-1", "if-range: \"t\"", "If-Match: \"m\"", "if-none-match: \"n\"",
                "If-Modified-Since: d1", "IF-UNMODIFIED-SINCE: d2", "accept-encoding: br", "X-Other: 1"));
        assertThat(facts).isEqualTo(new RequestFacts(false, false, "bytes=0-1", "\"t\"", "\"m\"", "\"n\"", "d1", "d2", "br"));
    }

    @Test
    void listsSplitOverLinesAreJoinedAndSingletonsSentTwiceAreIgnored() {
        RequestFacts facts = RequestFacts.of(request(HttpMethod.HEAD, HttpVersion.HTTP_1_1,
                "Accept-Encoding: gzip", "If-None-Match: \"a\"", "Range: bytes=0-1", "Accept-Encoding: br;q=0.5",
                "If-None-Match: \"b\"", "range: bytes=2-3", "If-Modified-Since: d", "If-Modified-Since: d"));
        assertThat(facts.head()).isTrue();
        assertThat(facts.acceptEncoding()).isEqualTo("gzip,br;q=0.5");
        assertThat(facts.ifNoneMatch()).isEqualTo("\"a\",\"b\"");
        assertThat(facts.range()).isNull();
        assertThat(facts.ifModifiedSince()).isNull();
    }

    @Test
    void absentFieldsAreNull() {
        RequestFacts facts = RequestFacts.of(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "Host: a"));
        assertThat(facts).isEqualTo(new RequestFacts(false, false, null, null, null, null, null, null, null));
    }

    @Test
    void http10KeepAliveOnlyWhenAsked() {
        assertThat(RequestFacts.of(request(HttpMethod.GET, HttpVersion.HTTP_1_0)).http10KeepAlive()).isFalse();
        assertThat(RequestFacts.of(request(HttpMethod.GET, HttpVersion.HTTP_1_0, "Connection: keep-alive"))
                .http10KeepAlive()).isTrue();
        assertThat(RequestFacts.of(request(HttpMethod.GET, HttpVersion.HTTP_1_1)).http10KeepAlive()).isFalse();
    }
}
