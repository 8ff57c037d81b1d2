package dev.front.core.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads a PEM private key as platforms write them: PKCS#8 ({@code PRIVATE KEY}: cert-manager, Let's Encrypt
 * clients, {@code openssl genpkey}), PKCS#1 ({@code RSA PRIVATE KEY}: {@code openssl genrsa}, older tools) and SEC1
 * ({@code EC PRIVATE KEY}: {@code openssl ecparam -genkey}). The latter two are wrapped as PKCS#8, which is all the
 * JDK reads, by adding the algorithm identifier PKCS#8 puts around them.
 */
final class PrivateKeys {

    /** rsaEncryption, 1.2.840.113549.1.1.1 */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
            0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1 */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PrivateKeys() {
    }

    /**
     * @throws IllegalArgumentException with a message for the user: what the file holds instead of a usable key
     */
    static PrivateKey read(String pem) {
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException("the private key is encrypted (expected: an unencrypted PEM key)");
        }
        byte[] pkcs8;
        String body;
        if ((body = block(pem, "PRIVATE KEY")) != null) {
            pkcs8 = decode(body);
        } else if ((body = block(pem, "RSA PRIVATE KEY")) != null) {
            pkcs8 = Der.tlv(Der.SEQUENCE, VERSION_0, Der.tlv(Der.SEQUENCE, RSA_OID, DER_NULL),
                    Der.tlv(Der.OCTET_STRING, decode(body)));
        } else if ((body = block(pem, "EC PRIVATE KEY")) != null) {
            byte[] sec1 = decode(body);
            byte[] parameters = Der.child(sec1, Der.CONTEXT_0);
            if (parameters == null) {
                throw new IllegalArgumentException("the EC private key does not name its curve (expected: a key"
                        + " written with its curve, as openssl does)");
            }
            byte[] curve = Der.value(parameters); // the named curve's OID, whole
            if (curve.length == 0 || (curve[0] & 0xFF) != Der.OID) {
                throw new IllegalArgumentException("the EC private key has explicit curve parameters (expected: a"
                        + " named curve such as P-256)");
            }
            pkcs8 = Der.tlv(Der.SEQUENCE, VERSION_0, Der.tlv(Der.SEQUENCE, EC_OID, curve),
                    Der.tlv(Der.OCTET_STRING, sec1));
        } else {
            throw new IllegalArgumentException("no PEM private key found (expected: BEGIN PRIVATE KEY,"
                    + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: the next
            }
        }
        throw new IllegalArgumentException("the private key cannot be read (expected: an RSA, EC or Ed25519 key)");
    }

    /** The base64 text between {@code BEGIN label} and {@code END label}, or {@code null}. */
    private static String block(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        int start = pem.indexOf(begin);
        if (start < 0) {
            return null;
        }
        int end = pem.indexOf("-----END " + label + "-----", start);
        if (end < 0) {
            throw new IllegalArgumentException("the PEM block " + label + " has no END line");
        }
        return pem.substring(start + begin.length(), end);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM key is not valid base64");
        }
    }
}
