package dev.front.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The TLS listener's options (docs/tls.md), checked for shape only: whether the files hold a usable certificate and
 * key is decided when the front loads them, before it listens.
 *
 * @param httpsPort                port of the TLS listener, on the same host as the plain one
 * @param certificates             certificate and key files, the first the default; the others are chosen by SNI
 * @param chainFile                intermediate certificates sent after the default certificate, if given apart
 * @param httpsOnly                the plain listener answers every request with a permanent redirect to https
 * @param hstsPolicy               the value of {@code Strict-Transport-Security} on TLS responses, if any
 * @param provider                 which TLS implementation to use
 * @param trustProxyHeadersOnHttps forwarding headers are believed on the TLS listener too (same trust rules)
 */
public record TlsConfig(int httpsPort, List<CertificatePair> certificates, Optional<Path> chainFile,
                        boolean httpsOnly, Optional<String> hstsPolicy, Provider provider,
                        boolean trustProxyHeadersOnHttps) {

    /** One certificate (the leaf, optionally followed by intermediates) and its private key, as PEM files. */
    public record CertificatePair(Path certificateFile, Path keyFile) {
    }

    /** {@code --ssl-provider}: BoringSSL through netty-tcnative, or the JDK's own TLS. */
    public enum Provider {
        /** OpenSSL (BoringSSL) when its native library loads, else the JDK's, with a warning. */
        AUTO,
        OPENSSL,
        JDK;

        static Provider parse(String value) {
            return switch (value) {
                case "openssl" -> OPENSSL;
                case "jdk" -> JDK;
                default -> throw new IllegalArgumentException("--ssl-provider: " + value + " (expected: openssl or jdk)");
            };
        }
    }

    public TlsConfig {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("--https-port: " + httpsPort
                    + " (expected: --ssl-certificate-file and --ssl-certificate-key-file, or --ssl-certificate, too)");
        }
    }

    /** The default certificate: served when the client names no host, or one no certificate is for. */
    public CertificatePair defaultCertificate() {
        return certificates.getFirst();
    }
}
