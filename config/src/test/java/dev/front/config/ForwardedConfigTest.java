package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedConfigTest {

    @Test
    void parsesHeadersCaseInsensitivelyInOrderEachOnce() {
        ForwardedConfig config = new ForwardedConfig(
                List.of("x-forwarded-for", "X-FORWARDED-PROTO", "X-Forwarded-For", "forwarded"), List.of(), 1, false);
        assertThat(config.headers()).containsExactly(
                ProxyHeader.X_FORWARDED_FOR, ProxyHeader.X_FORWARDED_PROTO, ProxyHeader.FORWARDED);
        assertThat(config.trustProxyHeaders())
                .containsExactly("x-forwarded-for", "X-FORWARDED-PROTO", "X-Forwarded-For", "forwarded");
    }

    @Test
    void parsesNetworks() {
        ForwardedConfig config = new ForwardedConfig(List.of(), List.of("10.0.0.0/8", "::1"), 2, true);
        assertThat(config.networks()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128"));
        assertThat(config.trustedHops()).isEqualTo(2);
        assertThat(config.strict()).isTrue();
    }

    @Test
    void everyRecognisedHeaderIsAccepted() {
        List<String> all = List.of("X-Forwarded-For", "X-Real-IP", "X-Client-IP", "Forwarded", "X-Forwarded-Proto",
                "X-Forwarded-Scheme", "X-Scheme", "X-Forwarded-Ssl", "X-Forwarded-HTTPS", "X-HTTPS",
                "Front-End-Https", "X-Forwarded-Port", "X-Forwarded-Host", "X-Host");
        assertThat(new ForwardedConfig(all, List.of(), 1, false).headers()).containsExactly(ProxyHeader.values());
    }

    @Test
    void reportsEveryBadValueOneLineEach() {
        assertThatThrownBy(() -> new ForwardedConfig(List.of("X-Forwarded-For", "X_Forwarded_For"),
                List.of("10.0.0.0/8", "10.0.0.0/33", "localhost"), -1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(String.join("\n",
                        "--trust-proxy-header: X_Forwarded_For (expected: one of X-Forwarded-For, X-Real-IP, "
                                + "X-Client-IP, Forwarded, X-Forwarded-Proto, X-Forwarded-Scheme, X-Scheme, "
                                + "X-Forwarded-Ssl, X-Forwarded-HTTPS, X-HTTPS, Front-End-Https, X-Forwarded-Port, "
                                + "X-Forwarded-Host, X-Host)",
                        "--trust-proxy: 10.0.0.0/33 (expected: an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8)",
                        "--trust-proxy: localhost (expected: an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8)",
                        "--trusted-hops: -1 (expected: 0 or more)"));
    }

    @Test
    void unknownHeaderNamesAreRejected() {
        assertThatThrownBy(() -> new ForwardedConfig(List.of("SCRIPT_NAME"), List.of(), 1, false))
                .hasMessageStartingWith("--trust-proxy-header: SCRIPT_NAME (expected: one of X-Forwarded-For,");
        assertThatThrownBy(() -> new ForwardedConfig(List.of("X-Script-Name"), List.of(), 1, false))
                .hasMessageStartingWith("--trust-proxy-header: X-Script-Name (expected: one of");
    }

    @Test
    void theCommandLineReportsBadValues() {
        assertThatThrownBy(() -> CommandLineParser.parse(
                List.of("--trust-proxy", "10.0.0.0/8", "--trust-proxy", "10.0.0.1/40", "--trust-proxy-header", "Host"),
                java.util.Map.of()))
                .isInstanceOf(UsageException.class)
                .satisfies(e -> assertThat(((UsageException) e).problems()).hasSize(1).first().asString()
                        .startsWith("--trust-proxy-header: Host (expected: one of")
                        .endsWith("\n--trust-proxy: 10.0.0.1/40 (expected: an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8)"));
    }
}
