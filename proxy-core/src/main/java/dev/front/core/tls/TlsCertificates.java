package dev.front.core.tls;

import dev.front.config.TlsConfig;
import dev.front.config.UsageException;
import dev.front.core.observe.FrontMetrics;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the TLS listener serves now, replaceable while it runs: each handshake asks {@link #mapping()}
 * for the current set, so new handshakes get reloaded files and open connections keep the context they began with.
 * A reload that fails keeps the previous set.
 */
public final class TlsCertificates {

    private static final Logger LOG = LoggerFactory.getLogger("front.tls");

    private final TlsConfig config;
    private final TlsContexts contexts;
    private final FrontMetrics metrics;
    private volatile Loaded current;

    /** One consistent set: the certificates, in command-line order, and the mapping made of them. */
    private record Loaded(List<ServerCertificate> certificates, CertificateMapping mapping) {
    }

    private TlsCertificates(TlsConfig config, TlsContexts contexts, FrontMetrics metrics, Loaded loaded) {
        this.config = config;
        this.contexts = contexts;
        this.metrics = metrics;
        this.current = loaded;
    }

    /**
     * Loads every certificate and key of {@code config}, and registers their expiry gauges.
     *
     * @throws UsageException one line per file that cannot serve, or the provider asked for is unavailable
     */
    public static TlsCertificates load(TlsConfig config, boolean http2, FrontMetrics metrics)
            throws UsageException {
        TlsContexts contexts = TlsContexts.forProvider(config.provider(), http2);
        Loaded loaded;
        try {
            loaded = load(config, contexts);
        } catch (ServerCertificate.Problem e) {
            throw new UsageException(e.getMessage());
        }
        TlsCertificates certificates = new TlsCertificates(config, contexts, metrics, loaded);
        metrics.watchTlsCertificateReloads();
        for (int i = 0; i < config.certificates().size(); i++) {
            int index = i;
            metrics.watchTlsCertificateExpiry(config.certificates().get(i).certificateFile().toString(),
                    () -> certificates.current.certificates().get(index).notAfter().getTime() / 1000.0);
        }
        return certificates;
    }

    private static Loaded load(TlsConfig config, TlsContexts contexts) throws ServerCertificate.Problem {
        List<ServerCertificate> certificates = new ArrayList<>();
        List<CertificateMapping.Entry> entries = new ArrayList<>();
        for (int i = 0; i < config.certificates().size(); i++) {
            TlsConfig.CertificatePair pair = config.certificates().get(i);
            // The chain file completes the default certificate, as mod_wsgi-express's does its one certificate.
            ServerCertificate certificate = ServerCertificate.load(pair,
                    i == 0 ? config.chainFile() : java.util.Optional.empty());
            SslContext context;
            try {
                context = contexts.newContext(certificate);
            } catch (SSLException | RuntimeException e) {
                throw new ServerCertificate.Problem(pair.certificateFile(), "cannot be used for TLS ("
                        + e.getMessage() + ")");
            }
            certificates.add(certificate);
            entries.add(new CertificateMapping.Entry(context, certificate.names()));
        }
        return new Loaded(List.copyOf(certificates), new CertificateMapping(entries));
    }

    /** For SniHandler: the context of the current set for a host name. */
    public Mapping<String, SslContext> mapping() {
        return hostname -> current.mapping().map(hostname);
    }

    /**
     * Reads the files again. On success new handshakes get the new set; else the old set stays and one error
     * line says why. Either way the reload is counted.
     */
    void reload() {
        try {
            Loaded loaded = load(config, contexts);
            current = loaded;
            metrics.tlsCertificatesReloaded(true);
            ServerCertificate first = loaded.certificates().getFirst();
            LOG.info("TLS: certificates reloaded; {} now serves serial {}, valid until {}",
                    first.pair().certificateFile(), first.chain()[0].getSerialNumber().toString(16),
                    first.notAfter().toInstant());
        } catch (ServerCertificate.Problem e) {
            metrics.tlsCertificatesReloaded(false);
            LOG.error("TLS: certificate reload failed, the previous certificates stay in use: {}", e.getMessage());
        }
    }

    /** What the startup line says about TLS: the provider and the certificates' names. */
    public String describe() {
        List<String> names = new ArrayList<>();
        for (ServerCertificate certificate : current.certificates()) {
            names.add(String.join(",", certificate.names()));
        }
        return contexts.providerName() + ", certificates for " + String.join(" | ", names);
    }

    /** The files whose change means a reload: each certificate and key, and the chain file. */
    List<java.nio.file.Path> files() {
        List<java.nio.file.Path> files = new ArrayList<>();
        for (TlsConfig.CertificatePair pair : config.certificates()) {
            files.add(pair.certificateFile());
            files.add(pair.keyFile());
        }
        config.chainFile().ifPresent(files::add);
        return files;
    }
}
