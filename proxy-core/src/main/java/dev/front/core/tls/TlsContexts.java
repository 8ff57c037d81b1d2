package dev.front.core.tls;

import dev.front.config.TlsConfig;
import dev.front.config.UsageException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server {@link SslContext} of one certificate with the front's fixed policy: TLS 1.3 and 1.2 only; AEAD
 * suites only (ECDHE key exchange with AES-GCM or ChaCha20-Poly1305: no static RSA key exchange, no CBC); ALPN
 * offering {@code http/1.1}; session resumption by tickets on both versions.
 */
final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger("front.tls");

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** TLS 1.3's suites are all AEAD; for 1.2 only the ECDHE + AEAD ones. Java names: Netty maps them for OpenSSL. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * The protocols offered by ALPN, in order of preference: {@code h2} first with {@code --http2}, and HTTP/1.1.
     * NO_ADVERTISE and ACCEPT are the behaviours both providers support: a client offering none of these gets no
     * ALPN answer and speaks HTTP/1.1.
     */
    static ApplicationProtocolConfig alpn(boolean http2) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                        : List.of(ApplicationProtocolNames.HTTP_1_1));
    }

    private final SslProvider provider;
    private final ApplicationProtocolConfig alpn;
    /**
     * OpenSSL only. Netty's OpenSSL contexts turn tickets off (SSL_OP_NO_TICKET) until keys are set; one set of
     * random keys for the process is given to every context, so a ticket stays good across SNI certificates and
     * certificate reloads. Renewed only by a restart: the front's processes are short-lived next to a key's life.
     */
    private final OpenSslSessionTicketKey[] ticketKeys;

    private TlsContexts(SslProvider provider, boolean http2) {
        this.provider = provider;
        this.alpn = alpn(http2);
        if (provider == SslProvider.OPENSSL) {
            SecureRandom random = new SecureRandom();
            byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
            byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
            byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
            random.nextBytes(name);
            random.nextBytes(hmac);
            random.nextBytes(aes);
            ticketKeys = new OpenSslSessionTicketKey[]{new OpenSslSessionTicketKey(name, hmac, aes)};
        } else {
            ticketKeys = null; // the JDK's server issues stateless tickets on 1.3 and 1.2 by default
        }
    }

    /**
     * The provider {@code --ssl-provider} asks for. Without one: OpenSSL (BoringSSL) when its native library loads,
     * else the JDK's, with one warning saying why.
     *
     * @throws UsageException {@code openssl} was asked for and cannot load
     */
    static TlsContexts forProvider(TlsConfig.Provider choice, boolean http2) throws UsageException {
        return switch (choice) {
            case JDK -> new TlsContexts(SslProvider.JDK, http2);
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new UsageException("--ssl-provider: openssl (not available: " + cause() + ")");
                }
                yield new TlsContexts(SslProvider.OPENSSL, http2);
            }
            case AUTO -> {
                if (OpenSsl.isAvailable()) {
                    yield new TlsContexts(SslProvider.OPENSSL, http2);
                }
                LOG.warn("TLS: OpenSSL (BoringSSL) is not available ({}); using the JDK's TLS", cause());
                yield new TlsContexts(SslProvider.JDK, http2);
            }
        };
    }

    private static String cause() {
        Throwable cause = OpenSsl.unavailabilityCause();
        if (cause == null) {
            return "unknown cause";
        }
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    String providerName() {
        return provider == SslProvider.OPENSSL ? "openssl " + OpenSsl.versionString() : "jdk";
    }

    SslContext newContext(ServerCertificate certificate) throws SSLException {
        SslContext context = SslContextBuilder.forServer(certificate.key(), certificate.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(alpn)
                .build();
        if (ticketKeys != null && context.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setTicketKeys(ticketKeys);
        }
        return context;
    }
}
