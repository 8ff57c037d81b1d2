package dev.front.core.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.List;

/**
 * Chooses the certificate for a TLS handshake by the host name the client sent (SNI): the first certificate with a
 * SubjectAltName equal to it, else the first whose wildcard {@code *.example.com} covers it (one label only, as
 * clients match them), else the first certificate, the default. Immutable: a reload makes a new one.
 */
final class CertificateMapping implements Mapping<String, SslContext> {

    /** A certificate's context and the names it serves. */
    record Entry(SslContext context, List<String> names) {
    }

    private final List<Entry> entries;

    CertificateMapping(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        this.entries = List.copyOf(entries);
    }

    /** @param hostname the SNI name, lower case (Netty's SniHandler gives it so); {@code null} when none was sent */
    @Override
    public SslContext map(String hostname) {
        return entries.get(index(hostname)).context();
    }

    /** The index of the certificate for {@code hostname}: 0, the default, when none is for it. */
    int index(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).names().contains(hostname)) {
                return i;
            }
        }
        int dot = hostname.indexOf('.');
        if (dot > 0) {
            String wildcard = "*" + hostname.substring(dot);
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).names().contains(wildcard)) {
                    return i;
                }
            }
        }
        return 0;
    }
}
