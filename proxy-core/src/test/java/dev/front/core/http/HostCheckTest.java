package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.SiteConfig;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostCheckTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.9", 40000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);

    private static HostCheck check(boolean allowLocalhost) {
        return new HostCheck(new SiteConfig(Optional.of("www.example.com"), List.of("[::1]"), allowLocalhost, "/",
                Optional.empty(), Map.of(), 0));
    }

    private static HttpRequest request(HttpVersion version, String host) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.GET, "/");
        if (host != null) {
            request.headers().set("Host", host);
        }
        return request;
    }

    @Test
    void thePortIsNoPartOfTheName() {
        assertThat(HostCheck.withoutPort("www.example.com:8443")).isEqualTo("www.example.com");
        assertThat(HostCheck.withoutPort("[::1]:8080")).isEqualTo("[::1]");
        assertThat(HostCheck.withoutPort("[::1]")).isEqualTo("[::1]");
        assertThat(check(false).refusal(request(HttpVersion.HTTP_1_1, "[::1]:80"), REMOTE)).isNull();
        assertThat(check(false).refusal(request(HttpVersion.HTTP_1_1, "www.example.com:1"), REMOTE)).isNull();
    }

    @Test
    void anotherHostIs421AndOnlyLoopbackPeersMayUseAnyWithAllowLocalhost() {
        Failure refused = check(false).refusal(request(HttpVersion.HTTP_1_1, "evil.example"), LOOPBACK);
        assertThat(refused.status().code()).isEqualTo(421);
        assertThat(refused.kind()).isEqualTo("server-name");
        assertThat(refused.cause()).isEqualTo("Host evil.example is not --server-name www.example.com or one of its"
                + " --server-alias");
        assertThat(check(true).refusal(request(HttpVersion.HTTP_1_1, "evil.example"), LOOPBACK)).isNull();
        assertThat(check(true).refusal(request(HttpVersion.HTTP_1_1, "evil.example"), REMOTE)).isNotNull();
    }

    @Test
    void theParentDomainOfAWwwNameIsRedirectedToItKeepingSchemePortAndTarget() {
        HostCheck check = check(true);
        assertThat(check.parentDomainRedirect(request(HttpVersion.HTTP_1_1, "Example.com:8443"), "/a?b=c"))
                .isEqualTo("//www.example.com:8443/a?b=c");
        assertThat(check.parentDomainRedirect(request(HttpVersion.HTTP_1_1, "example.com."), "/"))
                .isEqualTo("//www.example.com/");
        assertThat(check.parentDomainRedirect(request(HttpVersion.HTTP_1_1, "www.example.com"), "/")).isNull();
        assertThat(check.parentDomainRedirect(request(HttpVersion.HTTP_1_1, "an.example.com"), "/")).isNull();
        assertThat(check.parentDomainRedirect(request(HttpVersion.HTTP_1_0, null), "/")).isNull();
        HostCheck plain = new HostCheck(new SiteConfig(Optional.of("example.com"), List.of(), false, "/",
                Optional.empty(), Map.of(), 0));
        assertThat(plain.parentDomainRedirect(request(HttpVersion.HTTP_1_1, "com"), "/")).isNull();
    }

    @Test
    void anHttp10RequestWithoutHostNamesNoSite() {
        assertThat(check(false).refusal(request(HttpVersion.HTTP_1_0, null), REMOTE).cause())
                .startsWith("HTTP/1.0 request without Host is not --server-name");
        assertThat(check(true).refusal(request(HttpVersion.HTTP_1_0, null), LOOPBACK)).isNull();
    }
}
