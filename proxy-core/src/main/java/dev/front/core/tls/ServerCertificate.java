package dev.front.core.tls;

import dev.front.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * One certificate chain and its private key, read and checked: the leaf is valid now, and the key is the one its
 * public key belongs to. {@link #names()} are the host names it serves, for SNI.
 *
 * @param pair  the files it came from
 * @param chain the leaf first, then intermediates
 * @param key   the leaf's private key
 * @param names the leaf's DNS SubjectAltNames in lower case (its common name when it has none); {@code *.x} wildcards
 */
record ServerCertificate(TlsConfig.CertificatePair pair, X509Certificate[] chain, PrivateKey key, List<String> names) {

    /** A certificate or key file that cannot serve: the message names the file and says what is wrong. */
    static final class Problem extends Exception {
        Problem(Path file, String what) {
            super(file + ": " + what);
        }
    }

    /** The leaf's expiry. */
    Date notAfter() {
        return chain[0].getNotAfter();
    }

    /**
     * Reads {@code pair} (and {@code chainFile}'s intermediates after the leaf's own, when given).
     *
     * @throws Problem one line naming the file: unreadable, not PEM, expired, not yet valid, or a key of another
     *                 certificate
     */
    static ServerCertificate load(TlsConfig.CertificatePair pair, Optional<Path> chainFile) throws Problem {
        List<X509Certificate> chain = new ArrayList<>(certificates(pair.certificateFile()));
        if (chain.isEmpty()) {
            throw new Problem(pair.certificateFile(), "no PEM certificate found (expected: BEGIN CERTIFICATE)");
        }
        if (chainFile.isPresent()) {
            chain.addAll(certificates(chainFile.get()));
        }
        X509Certificate leaf = chain.getFirst();
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new Problem(pair.certificateFile(), "the certificate expired on " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new Problem(pair.certificateFile(), "the certificate is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        PrivateKey key;
        try {
            key = PrivateKeys.read(read(pair.keyFile()));
        } catch (IllegalArgumentException e) {
            throw new Problem(pair.keyFile(), e.getMessage());
        }
        if (!matches(key, leaf.getPublicKey())) {
            throw new Problem(pair.keyFile(), "the private key does not belong to the certificate of "
                    + pair.certificateFile());
        }
        return new ServerCertificate(pair, chain.toArray(X509Certificate[]::new), key, names(leaf));
    }

    private static List<X509Certificate> certificates(Path file) throws Problem {
        String text = read(file);
        try {
            Collection<? extends java.security.cert.Certificate> read = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Problem(file, "not a PEM certificate (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String read(Path file) throws Problem {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new Problem(file, "cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : ": " + e.getMessage())
                    + ")");
        }
    }

    /** The key signs what the certificate's public key verifies: the only check that holds for every key type. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            signer.initVerify(publicKey);
            signer.update(challenge);
            return signer.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // another algorithm than the certificate's, or a key of another curve
        }
    }

    /** DNS SubjectAltNames (type 2), else the subject's CN, lower case. */
    static List<String> names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() >= 2 && Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add(alternative.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no usable SubjectAltNames: the common name below
        }
        if (names.isEmpty()) {
            String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (String part : subject.split(",")) {
                if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                    names.add(part.substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(names);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
