package dev.front.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the TLS options into a {@link TlsConfig}, or nothing when {@code --https-port} is not given. */
final class TlsArguments {

    private TlsArguments() {
    }

    static Optional<TlsConfig> of(FrontOptions o, Path appRoot, int port, List<String> problems) {
        String httpsPortText = o.httpsPort != null ? o.httpsPort : o.sslPort;
        String httpsPortOption = o.httpsPort != null ? "--https-port" : "--ssl-port";
        List<TlsConfig.CertificatePair> pairs = new ArrayList<>();
        if (o.sslCertificate != null) {
            // mod_wsgi-express's PREFIX form: the two files side by side, as openssl and most platforms name them.
            pairs.add(new TlsConfig.CertificatePair(appRoot.resolve(o.sslCertificate + ".crt"),
                    appRoot.resolve(o.sslCertificate + ".key")));
        }
        boolean unpaired = o.sslCertificateFiles.size() != o.sslCertificateKeyFiles.size();
        if (unpaired) {
            problems.add("--ssl-certificate-file: given " + o.sslCertificateFiles.size() + " times, --ssl-certificate-key-file "
                    + o.sslCertificateKeyFiles.size() + " times (expected: one key file for each certificate file, in the"
                    + " same order)");
        } else {
            for (int i = 0; i < o.sslCertificateFiles.size(); i++) {
                pairs.add(new TlsConfig.CertificatePair(appRoot.resolve(o.sslCertificateFiles.get(i)),
                        appRoot.resolve(o.sslCertificateKeyFiles.get(i))));
            }
        }
        TlsConfig.Provider provider = TlsConfig.Provider.AUTO;
        if (o.sslProvider != null) {
            try {
                provider = TlsConfig.Provider.parse(o.sslProvider);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (o.hstsPolicy != null && !fieldValue(o.hstsPolicy)) {
            problems.add("--hsts-policy: " + o.hstsPolicy + " (expected: a header value such as max-age=31536000)");
        }
        if (httpsPortText == null) {
            String without = !pairs.isEmpty() ? (o.sslCertificate != null ? "--ssl-certificate" : "--ssl-certificate-file")
                    : o.sslCertificateChainFile != null ? "--ssl-certificate-chain-file"
                    : o.httpsOnly ? "--https-only"
                    : o.hstsPolicy != null ? "--hsts-policy"
                    : o.sslProvider != null ? "--ssl-provider"
                    : o.trustProxyHeadersOnHttps ? "--trust-proxy-headers-on-https" : null;
            if (without != null) {
                problems.add(without + ": given without --https-port (expected: --https-port N too)");
            }
            return Optional.empty();
        }
        int httpsPort;
        try {
            httpsPort = Ports.parse(httpsPortOption, httpsPortText);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
        if (httpsPort == port) {
            problems.add(httpsPortOption + ": " + httpsPort + " (expected: another port than --port " + port + ")");
        }
        if (unpaired) {
            return Optional.empty(); // said above; "no certificate" would only repeat it
        }
        Optional<Path> chain = Optional.ofNullable(o.sslCertificateChainFile).map(appRoot::resolve);
        try {
            return Optional.of(new TlsConfig(httpsPort, pairs, chain, o.httpsOnly, Optional.ofNullable(o.hstsPolicy),
                    provider, o.trustProxyHeadersOnHttps));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    /** Visible ASCII and spaces: what a header value may hold without being refused by clients. */
    private static boolean fieldValue(String value) {
        if (value.isBlank()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
