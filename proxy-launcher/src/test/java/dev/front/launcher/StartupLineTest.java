package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.CommandLineParser;
import dev.front.config.FrontConfig;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupLineTest {

    static FrontConfig parse(String... args) throws Exception {
        return ((CommandLineParser.Outcome.Run) CommandLineParser.parse(List.of(args), Map.of())).config();
    }

    @Test
    void sidecarWithoutTrustedHeadersOrAdmin() throws Exception {
        FrontConfig config = parse("--port", "8080", "--upstream", "[::1]:8000", "--request-timeout", "30");
        String line = StartupLine.of(config, 8080, "nio", -1,
                new InetSocketAddress(InetAddress.getByName("::1"), 8000), null);
        assertThat(line).startsWith("front up: listening on http://0.0.0.0:8080 (nio); admin: off; aliases: none;")
                .contains("trusted proxies: none (every forwarding header from clients is dropped)",
                        "upstream: [0:0:0:0:0:0:0:1]:8000", "access log: off", "request 30s")
                .doesNotContain("child:");
    }

    @Test
    void trustingEveryPeerIsSpelledOut() throws Exception {
        FrontConfig config = parse("--trust-proxy-header", "X-Forwarded-For", "--trusted-hops", "2",
                "--access-log", "--", "app", "{port}");
        String line = StartupLine.of(config, 8080, "epoll", 9090,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000), List.of("app", "4000"));
        assertThat(line).contains("admin: http://0.0.0.0:9090 (/metrics /healthz /readyz)",
                "trusted proxies: every peer for X-Forwarded-For (hops 2)", "child: app 4000 on 127.0.0.1:4000",
                "access log: common");
    }

    @Test
    void aUnixSocketIsNamedTheWayUpstreamTakesIt() throws Exception {
        FrontConfig config = parse("--", "gunicorn", "-b", "unix:{socket}", "app");
        String line = StartupLine.of(config, 8080, "epoll", -1, new DomainSocketAddress("/tmp/front-1/child.sock"),
                List.of("gunicorn", "-b", "unix:/tmp/front-1/child.sock", "app"));
        assertThat(line).contains("; child: gunicorn -b unix:/tmp/front-1/child.sock app on unix:/tmp/front-1/child.sock;");
        FrontConfig sidecar = parse("--upstream", "unix:/run/app.sock");
        assertThat(StartupLine.of(sidecar, 8080, "nio", -1, UnixDomainSocketAddress.of("/run/app.sock"), null))
                .contains("; upstream: unix:/run/app.sock;");
    }
}
