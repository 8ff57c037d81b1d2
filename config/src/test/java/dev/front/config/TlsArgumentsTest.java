package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsArgumentsTest {

    private static FrontConfig parse(String... args) throws UsageException {
        return ((CommandLineParser.Outcome.Run) CommandLineParser.parse(List.of(args), Map.of())).config();
    }

    private static List<String> problems(String... args) {
        try {
            CommandLineParser.parse(List.of(args), Map.of());
        } catch (UsageException e) {
            return e.problems();
        }
        throw new AssertionError("expected a usage error for " + List.of(args));
    }

    @Test
    void noHttpsPortNoTls() throws Exception {
        assertThat(parse().tls()).isEmpty();
    }

    @Test
    void pairsKeepTheirOrderAfterThePrefixForm() throws Exception {
        TlsConfig tls = parse("--app-root", "/srv", "--https-port", "8443", "--ssl-certificate", "site",
                "--ssl-certificate-file", "b.crt", "--ssl-certificate-key-file", "b.key",
                "--ssl-certificate-file", "/c.crt", "--ssl-certificate-key-file", "/c.key").tls().orElseThrow();
        assertThat(tls.httpsPort()).isEqualTo(8443);
        assertThat(tls.certificates()).containsExactly(
                new TlsConfig.CertificatePair(Path.of("/srv/site.crt"), Path.of("/srv/site.key")),
                new TlsConfig.CertificatePair(Path.of("/srv/b.crt"), Path.of("/srv/b.key")),
                new TlsConfig.CertificatePair(Path.of("/c.crt"), Path.of("/c.key")));
        assertThat(tls.provider()).isEqualTo(TlsConfig.Provider.AUTO);
        assertThat(tls.httpsOnly()).isFalse();
        assertThat(tls.hstsPolicy()).isEmpty();
    }

    @Test
    void sslPortIsTheOlderName() throws Exception {
        assertThat(parse("--ssl-port", "9443", "--ssl-certificate", "/site").tls().orElseThrow().httpsPort())
                .isEqualTo(9443);
    }

    @Test
    void eachMistakeIsOneLineNamingItsOption() {
        assertThat(problems("--https-port", "8443")).singleElement().asString()
                .startsWith("--https-port: 8443 (expected: --ssl-certificate-file");
        assertThat(problems("--https-port", "8443", "--ssl-certificate-file", "a.crt")).singleElement().asString()
                .startsWith("--ssl-certificate-file: given 1 times, --ssl-certificate-key-file 0 times");
        assertThat(problems("--ssl-certificate-file", "a.crt", "--ssl-certificate-key-file", "a.key"))
                .containsExactly("--ssl-certificate-file: given without --https-port (expected: --https-port N too)");
        assertThat(problems("--https-only")).containsExactly(
                "--https-only: given without --https-port (expected: --https-port N too)");
        assertThat(problems("--port", "8443", "--https-port", "8443", "--ssl-certificate", "s")).containsExactly(
                "--https-port: 8443 (expected: another port than --port 8443)");
        assertThat(problems("--https-port", "8443", "--ssl-certificate", "s", "--ssl-provider", "gnutls"))
                .containsExactly("--ssl-provider: gnutls (expected: openssl or jdk)");
        assertThat(problems("--https-port", "8443", "--ssl-certificate", "s", "--hsts-policy", "max-age=1\u00e9"))
                .singleElement().asString().startsWith("--hsts-policy: ");
    }
}
