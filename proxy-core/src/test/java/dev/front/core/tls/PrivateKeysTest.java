package dev.front.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys written by openssl in each PEM form read as the same key. */
class PrivateKeysTest {

    @TempDir
    Path dir;

    @Test
    void pkcs1RsaReadsAsItsPkcs8Form() throws Exception {
        Path pkcs8 = dir.resolve("rsa.pem");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8.toString());
        Path pkcs1 = dir.resolve("rsa1.pem");
        openssl("rsa", "-in", pkcs8.toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");

        RSAPrivateCrtKey expected = (RSAPrivateCrtKey) PrivateKeys.read(Files.readString(pkcs8));
        RSAPrivateCrtKey read = (RSAPrivateCrtKey) PrivateKeys.read(Files.readString(pkcs1));
        assertThat(read.getModulus()).isEqualTo(expected.getModulus());
        assertThat(read.getPrivateExponent()).isEqualTo(expected.getPrivateExponent());
    }

    @Test
    void sec1EcWithItsParametersBlockReadsAsItsPkcs8Form() throws Exception {
        Path sec1 = dir.resolve("ec.pem");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", sec1.toString()); // EC PARAMETERS first
        Path pkcs8 = dir.resolve("ec8.pem");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", sec1.toString(), "-out", pkcs8.toString());
        assertThat(Files.readString(sec1)).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");

        ECPrivateKey expected = (ECPrivateKey) PrivateKeys.read(Files.readString(pkcs8));
        ECPrivateKey read = (ECPrivateKey) PrivateKeys.read(Files.readString(sec1));
        assertThat(read.getS()).isEqualTo(expected.getS());
        assertThat(read.getParams().getCurve()).isEqualTo(expected.getParams().getCurve());
    }

    @Test
    void anEncryptedKeyOrNoKeyIsRefusedInWords() throws Exception {
        Path encrypted = dir.resolve("enc.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x",
                "-out", encrypted.toString());
        assertThatThrownBy(() -> PrivateKeys.read(Files.readString(encrypted)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PrivateKeys.read("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no PEM private key found");
        assertThatThrownBy(() -> PrivateKeys.read("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
    }
}
