package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/tls.md end to end: the real front.jar with {@code --https-port}, certificates made by {@code openssl} into a
 * temp directory, and real TLS clients (curl, {@code openssl s_client}, the JDK's SSLSocket).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsIT {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- handshake policy

    @Test
    void http11OverTlsWithAlpnOnBoringSsl() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            Curl page = curl(a, https, "a.test", "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.httpVersion()).isEqualTo("1.1");
            assertThat(page.body()).contains("Hello from a WSGI app");
            String alpn = sClient(https, "a.test", "-alpn", "h2,http/1.1");
            assertThat(alpn).contains("ALPN protocol: http/1.1");
            // BoringSSL is used, and loading it printed nothing (no JDK restricted-method warning, no Netty line).
            assertThat(front.stderr()).contains("tls: https://127.0.0.1:" + https + " (openssl BoringSSL");
            assertThat(front.stderr()).doesNotContain("WARNING").doesNotContain("restricted method");
            assertThat(front.stderr().lines().filter(line -> !line.contains("front up: "))
                    .filter(line -> line.contains("WARNING") || line.toLowerCase(Locale.ROOT)
                            .matches(".*(restricted|native|netty|ssl|tls).*")).toList())
                    .as("nothing on stderr about loading the TLS library:\n" + front.stderr()).isEmpty();
        }
    }

    @Test
    void withHttp2AlpnChoosesH2AndEachStreamTakesTheSamePath() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.add("--http2");
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            assertThat(sClient(https, "a.test", "-alpn", "h2,http/1.1")).contains("ALPN protocol: h2");
            Curl page = h2Curl(a, https, "/environ", "-H", "X-Forwarded-Proto: http");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.httpVersion()).isEqualTo("2");
            // the child is told what the TLS listener knows, not what the client claimed
            assertThat(page.body()).contains("\"HTTP_X_FORWARDED_PROTO\": \"https\"")
                    .contains("\"HTTP_X_FORWARDED_PORT\": \"" + https + "\"");
            Curl file = h2Curl(a, https, "/static/hello.txt", "-r", "0-4");
            assertThat(file.status()).isEqualTo(206);
            assertThat(file.body()).isEqualTo(Files.readString(FrontProcess.HELLO.resolve("static/hello.txt"))
                    .substring(0, 5));
            // a client that offers only HTTP/1.1 still gets it
            assertThat(curl(a, https, "a.test", "/").httpVersion()).isEqualTo("1.1");
        }
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            assertThat(h2Curl(a, https, "/").httpVersion()).as("h2 is offered only with --http2").isEqualTo("1.1");
        }
    }

    @Test
    void withoutBoringSslTheJdkServesAfterOneWarningAndAskingForOpenSslExits2() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> jvm = List.of("-Dio.netty.handler.ssl.noOpenSsl=true");
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port",
                Integer.toString(FrontProcess.freePort()), "--url-alias", "/static",
                FrontProcess.HELLO.resolve("static").toString()));
        args.addAll(tls(https, a));
        try (FrontProcess front = FrontProcess.startRaw(jvm, args)) {
            awaitTls(front, https);
            assertThat(curl(a, https, "a.test", "/static/style.css").status()).isEqualTo(200);
            assertThat(sClient(https, "a.test", "-tls1_2", "-cipher", "AES128-SHA")).contains("Cipher is (NONE)");
            assertThat(front.stderr().lines().filter(line -> line.contains("OpenSSL")).toList()).singleElement()
                    .asString().contains("WARN").contains("not available (").contains("using the JDK's TLS");
            assertThat(front.stderr()).contains("(jdk, certificates for a.test)");
        }
        args.addAll(List.of("--ssl-provider", "openssl"));
        try (FrontProcess front = FrontProcess.startRaw(jvm, args)) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().strip().lines().toList()).singleElement().asString()
                    .startsWith("front: --ssl-provider: openssl (not available: ");
        }
    }

    @Test
    void aReEncryptingRouterSpeaksH2ToTheTlsPortAndAForgedForwardedForNeverReachesTheChild() throws Exception {
        assumeTrue(HaproxyRouter.installed(), "Debian's haproxy is not installed");
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        int routerPort = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--http2", "--access-log", "--trust-proxy", "127.0.0.1/32",
                "--trust-proxy-header", "X-Forwarded-Proto", "--trust-proxy-headers-on-https"));
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            // An OpenShift re-encrypt route, as haproxy does it: TLS again to the pod, h2 offered by ALPN.
            Process haproxy = HaproxyRouter.startWith(dir, routerPort, https, " ssl verify none alpn h2,http/1.1",
                    "X-Forwarded-Proto https");
            try {
                assertThat(FrontProcess.awaitPort(routerPort, FrontProcess.STARTUP)).isTrue();
                Curl page = awaitPlainCurl(routerPort, 200, "-H", "X-Forwarded-For: 6.6.6.6",
                        "http://127.0.0.1:" + routerPort + "/environ");
                // the router's own client, not the forged value before it; the scheme the router asserted
                assertThat(page.body()).contains("\"HTTP_X_FORWARDED_FOR\": \"127.0.0.1\"")
                        .contains("\"HTTP_X_FORWARDED_PROTO\": \"https\"").doesNotContain("6.6.6.6");
                assertThat(front.stdout()).as("the router spoke h2 to the pod").contains("HTTP/2.0");
            } finally {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void tls11AndCbcSuitesAreRefused() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            assertThat(sClient(https, "a.test", "-tls1_1")).contains("Cipher is (NONE)");
            assertThat(sClient(https, "a.test", "-tls1_2", "-cipher", "AES128-SHA")).contains("Cipher is (NONE)");
            assertThat(sClient(https, "a.test", "-tls1_2", "-cipher", "AES128-GCM-SHA256"))
                    .as("static RSA key exchange").contains("Cipher is (NONE)");
            assertThat(sClient(https, "a.test", "-tls1_2")).contains("Cipher is ECDHE-RSA-AES");
            assertThat(sClient(https, "a.test", "-tls1_3")).contains("New, TLSv1.3");
        }
    }

    @Test
    void aConnectionClosedAfterItsResponseEndsWithCloseNotify() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            // HTTP/1.0 without keep-alive: the front closes after the response; OpenSSL 3 clients report a FIN
            // without close_notify as "unexpected eof while reading", a possible truncation.
            String out = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + https, "-servername", "a.test",
                    "-quiet", "-ign_eof"), "GET /static/style.css HTTP/1.0\r\nHost: a.test\r\n\r\n");
            assertThat(out).contains("HTTP/1.1 200").doesNotContain("unexpected eof");
        }
    }

    @Test
    void sessionsResumeOnTls13AndTls12() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Path session = dir.resolve("session" + version);
                // A request: a TLS 1.3 ticket comes after the handshake, with the server's first write.
                assertThat(sClient(https, "a.test", version, "-sess_out", session.toString()))
                        .contains("New, TLSv1.");
                assertThat(sClient(https, "a.test", version, "-sess_in", session.toString()))
                        .as(version).contains("Reused, TLSv1.");
            }
        }
    }

    @Test
    void sniChoosesTheCertificateByNameAndWildcardElseTheFirst() throws Exception {
        Pair a = certificate("a", "a.test", 11, KeyFormat.PKCS8);
        Pair b = certificate("b", "*.b.test", 22, KeyFormat.SEC1);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--ssl-certificate-file", b.certificate().toString(),
                "--ssl-certificate-key-file", b.key().toString()));
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            assertThat(serial(https, "a.test")).isEqualTo(11);
            assertThat(serial(https, "www.b.test")).isEqualTo(22);
            assertThat(serial(https, "deep.www.b.test")).as("a wildcard covers one label").isEqualTo(11);
            assertThat(serial(https, "b.test")).as("nor the bare domain").isEqualTo(11);
            assertThat(serial(https, "other.test")).isEqualTo(11);
            assertThat(curl(b, https, "x.b.test", "/").status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- certificate and key files

    @ParameterizedTest
    @ValueSource(strings = {"PKCS8", "PKCS1", "SEC1"})
    void keysAsPlatformsWriteThemStart(String format) throws Exception {
        Pair a = certificate("a", "a.test", 5, KeyFormat.valueOf(format));
        assertThat(Files.readString(a.key())).contains(KeyFormat.valueOf(format).pemLabel);
        int https = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(tls(https, a))) {
            awaitTls(front, https);
            assertThat(curl(a, https, "a.test", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void aKeyOfAnotherCertificateExits2WithOneLine() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        Pair b = certificate("b", "b.test", 2, KeyFormat.PKCS1);
        try (FrontProcess front = FrontProcess.start(List.of("--https-port", Integer.toString(FrontProcess.freePort()),
                "--ssl-certificate-file", a.certificate().toString(), "--ssl-certificate-key-file", b.key().toString(),
                "--", "python3", FrontProcess.HELLO.resolve("app.py").toString(), "{port}"))) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().strip().lines().toList()).singleElement().asString()
                    .startsWith("front: " + b.key() + ": ").contains("does not belong");
        }
    }

    @Test
    void anExpiredCertificateExits2WithOneLine() throws Exception {
        Path key = dir.resolve("old.key");
        Path certificate = dir.resolve("old.crt");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                certificate.toString(), "-subj", "/CN=old.test", "-days", "1");
        // The same certificate signed again with its end a day in the past.
        Path expired = dir.resolve("expired.crt");
        run("openssl", "x509", "-in", certificate.toString(), "-signkey", key.toString(), "-days", "-1", "-out",
                expired.toString());
        try (FrontProcess front = FrontProcess.start(List.of("--https-port", Integer.toString(FrontProcess.freePort()),
                "--ssl-certificate-file", expired.toString(), "--ssl-certificate-key-file", key.toString()))) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().strip().lines().toList()).singleElement().asString()
                    .startsWith("front: " + expired + ": the certificate expired on ");
        }
    }

    // ---------------------------------------------------------------- https-only, HSTS, what the child is told

    @Test
    void httpsOnlyRedirectsARequestThatNamedNoHostToTheServerName() throws Exception {
        Pair a = certificate("a", "shop.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        // --allow-localhost lets this loopback client through the host check without a Host at all
        options.addAll(List.of("--https-only", "--server-name", "shop.test", "--allow-localhost"));
        try (FrontProcess front = FrontProcess.start(withHello(options))) {
            front.awaitListening(FrontProcess.STARTUP);
            awaitTls(front, https);
            try (RawHttp http = RawHttp.connect(front.port())) {
                http.send("GET /cart?id=7 HTTP/1.0\r\n\r\n");
                RawHttp.Response get = http.read();
                assertThat(get.status()).isEqualTo(301);
                assertThat(header(get, "Location")).isEqualTo("https://shop.test:" + https + "/cart?id=7");
            }
        }
    }

    @Test
    void httpsOnlyRedirectsPlainRequestsUnlessATrustedProxySaysHttps() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--https-only", "--trust-proxy", "127.0.0.1/32",
                "--trust-proxy-header", "X-Forwarded-Proto"));
        try (FrontProcess front = FrontProcess.start(withHello(options))) {
            front.awaitListening(FrontProcess.STARTUP);
            awaitTls(front, https);
            try (RawHttp http = RawHttp.connect(front.port())) {
                RawHttp.Response get = http.get("/static/style.css?v=1");
                assertThat(get.status()).isEqualTo(301);
                assertThat(header(get, "Location")).as("the Host's name, the TLS port")
                        .isEqualTo("https://localhost:" + https + "/static/style.css?v=1");
            }
            Curl post = plainCurl(front.port(), "-X", "POST", "-d", "x=1", "-H", "Host: shop.test:8080",
                    "http://127.0.0.1:" + front.port() + "/cart?id=7");
            assertThat(post.status()).isEqualTo(308);
            assertThat(post.headers()).contains("location: https://shop.test:" + https + "/cart?id=7");
            Curl proxied = awaitPlainCurl(front.port(), 200, "-H", "X-Forwarded-Proto: https",
                    "http://127.0.0.1:" + front.port() + "/");
            assertThat(proxied.body()).contains("Hello from a WSGI app");
            assertThat(curl(a, https, "a.test", "/").status()).as("no redirect on the TLS port").isEqualTo(200);
        }
    }

    @Test
    void hstsIsSentOnTlsResponsesOnly() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--hsts-policy", "max-age=31536000; includeSubDomains"));
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            assertThat(curl(a, https, "a.test", "/").headers())
                    .contains("strict-transport-security: max-age=31536000; includesubdomains");
            Curl missing = curl(a, https, "a.test", "/static/none.css");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.headers()).contains("strict-transport-security: ");
            assertThat(plainCurl(front.port(), "http://127.0.0.1:" + front.port() + "/").headers())
                    .doesNotContain("strict-transport-security");
        }
    }

    @Test
    void theChildIsToldHttpsAndTheTlsPortAndForgedHeadersAreDropped() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--trust-proxy-header", "X-Forwarded-Proto", "--trust-proxy-header", "X-Forwarded-Port"));
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            String environ = curl(a, https, "a.test", "/environ", "-H", "X-Forwarded-Proto: http",
                    "-H", "X-Forwarded-Port: 80").body();
            assertThat(environ).contains("\"HTTP_X_FORWARDED_PROTO\": \"https\"")
                    .contains("\"HTTP_X_FORWARDED_PORT\": \"" + https + "\"");
            String plain = plainCurl(front.port(), "http://127.0.0.1:" + front.port() + "/environ").body();
            assertThat(plain).contains("\"HTTP_X_FORWARDED_PROTO\": \"http\"")
                    .contains("\"HTTP_X_FORWARDED_PORT\": \"" + front.port() + "\"");
        }
        // With --trust-proxy-headers-on-https, a re-encrypting router's headers are believed on the TLS port.
        options.add("--trust-proxy-headers-on-https");
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            String environ = curl(a, https, "a.test", "/environ", "-H", "X-Forwarded-Proto: https",
                    "-H", "X-Forwarded-Port: 443").body();
            assertThat(environ).contains("\"HTTP_X_FORWARDED_PORT\": \"443\"");
        }
    }

    // ---------------------------------------------------------------- bodies: no sendfile under TLS

    @Test
    void aStaticFileARangeAndASpooledChildResponseAreByteExact() throws Exception {
        Pair a = certificate("a", "a.test", 1, KeyFormat.PKCS8);
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new SecureRandom().nextBytes(file);
        Files.write(www.resolve("big.bin"), file);
        int https = FrontProcess.freePort();
        List<String> options = new ArrayList<>(tls(https, a));
        options.addAll(List.of("--url-alias", "/files", www.toString()));
        try (FrontProcess front = FrontProcess.startHello(options)) {
            awaitTls(front, https);
            Path out = dir.resolve("out.bin");
            assertThat(curl(a, https, "a.test", "/files/big.bin", "-o", out.toString()).status()).isEqualTo(200);
            assertThat(Files.readAllBytes(out)).isEqualTo(file);
            assertThat(curl(a, https, "a.test", "/files/big.bin", "-r", "1000-2500000", "-o", out.toString())
                    .status()).isEqualTo(206);
            assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(file, 1000, 2500001));
            // A client slower than the child: the response spills to the spool file and is read back in chunks.
            int n = 48 * 1024 * 1024;
            assertThat(curl(a, https, "a.test", "/bytes?n=" + n, "--limit-rate", "8M", "-o", out.toString())
                    .status()).isEqualTo(200);
            byte[] body = Files.readAllBytes(out);
            assertThat(body.length).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                if (body[i] != (byte) i) {
                    throw new AssertionError("byte " + i + " is " + body[i]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- rotation

    @Test
    void swappingTheDataSymlinkRotatesForNewHandshakesOnly() throws Exception {
        // A Kubernetes secret volume: tls.crt -> ..data/tls.crt, ..data -> ..2026_01; an update swaps ..data.
        Path secret = Files.createDirectories(dir.resolve("secret"));
        install(secret, "..2026_01", certificate("one", "a.test", 101, KeyFormat.PKCS8));
        Files.createSymbolicLink(secret.resolve("..data"), Path.of("..2026_01"));
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        int https = FrontProcess.freePort();
        int admin = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.startHello(List.of("--https-port", Integer.toString(https),
                "--ssl-certificate-file", secret.resolve("tls.crt").toString(),
                "--ssl-certificate-key-file", secret.resolve("tls.key").toString(),
                "--admin-port", Integer.toString(admin)))) {
            awaitTls(front, https);
            try (SSLSocket held = open(https)) {
                assertThat(get(held, "/")).startsWith("HTTP/1.1 200");
                assertThat(metrics(admin)).contains("front_tls_certificate_expiry_seconds{certificate=\""
                        + secret.resolve("tls.crt") + "\"}")
                        .contains("front_tls_certificate_reloads_total{result=\"failure\"} 0.0");

                install(secret, "..2026_02", certificate("two", "a.test", 202, KeyFormat.SEC1));
                swap(secret, "..2026_02");
                assertThat(awaitSerial(https, 202)).as("a new handshake sees the new certificate").isTrue();
                assertThat(get(held, "/")).as("the open connection keeps working").startsWith("HTTP/1.1 200");
                assertThat(((X509Certificate) held.getSession().getPeerCertificates()[0]).getSerialNumber())
                        .isEqualTo(BigInteger.valueOf(101));
                assertThat(metrics(admin)).contains("front_tls_certificate_reloads_total{result=\"success\"} 1.0");

                // A broken pair (the key of another certificate) keeps the one in use, with one error line.
                Pair three = certificate("three", "a.test", 303, KeyFormat.PKCS8);
                Pair other = certificate("other", "a.test", 404, KeyFormat.PKCS8);
                install(secret, "..2026_03", new Pair(three.certificate(), other.key()));
                swap(secret, "..2026_03");
                assertThat(front.awaitStderr("TLS: certificate reload failed")).as(front.stderr()).isTrue();
                assertThat(front.stderr().lines().filter(l -> l.contains("certificate reload failed")).count())
                        .isEqualTo(1);
                assertThat(serial(https, "a.test")).isEqualTo(202);
                assertThat(metrics(admin)).contains("front_tls_certificate_reloads_total{result=\"failure\"} 1.0");
                assertThat(get(held, "/")).startsWith("HTTP/1.1 200");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** How {@code openssl} writes the key. */
    enum KeyFormat {
        PKCS8("BEGIN PRIVATE KEY"), PKCS1("BEGIN RSA PRIVATE KEY"), SEC1("BEGIN EC PRIVATE KEY");

        final String pemLabel;

        KeyFormat(String pemLabel) {
            this.pemLabel = pemLabel;
        }
    }

    record Pair(Path certificate, Path key) {
    }

    record Curl(int status, String httpVersion, String headers, String body) {
    }

    /** A self-signed certificate for {@code name} (a SubjectAltName) with serial {@code serial}. */
    private Pair certificate(String file, String name, int serial, KeyFormat format) throws Exception {
        Path key = dir.resolve(file + ".key");
        Path certificate = dir.resolve(file + ".crt");
        switch (format) {
            case PKCS8 -> run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", key.toString());
            case PKCS1 -> {
                Path pkcs8 = dir.resolve(file + ".pkcs8");
                run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", pkcs8.toString());
                run("openssl", "rsa", "-in", pkcs8.toString(), "-traditional", "-out", key.toString());
            }
            case SEC1 -> run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        }
        run("openssl", "req", "-x509", "-key", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-set_serial",
                Integer.toString(serial));
        return new Pair(certificate, key);
    }

    private static List<String> tls(int https, Pair pair) {
        return List.of("--https-port", Integer.toString(https), "--ssl-certificate-file", pair.certificate().toString(),
                "--ssl-certificate-key-file", pair.key().toString());
    }

    private static List<String> withHello(List<String> options) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--url-alias", "/static", FrontProcess.HELLO.resolve("static").toString(),
                "--", "python3", FrontProcess.HELLO.resolve("app.py").toString(), "{port}"));
        return args;
    }

    private static void awaitTls(FrontProcess front, int https) throws InterruptedException {
        assertThat(FrontProcess.awaitPort(https, FrontProcess.STARTUP)).as(front.stderr()).isTrue();
    }

    private Curl curl(Pair trusted, int https, String host, String path, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--cacert",
                trusted.certificate().toString(), "--resolve", host + ":" + https + ":127.0.0.1"));
        command.addAll(List.of(more));
        command.add("https://" + host + ":" + https + path);
        return curlCommand(command);
    }

    /** curl offering h2 and HTTP/1.1 by ALPN, as browsers do. */
    private Curl h2Curl(Pair trusted, int https, String path, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http2", "--cacert",
                trusted.certificate().toString(), "--resolve", "a.test:" + https + ":127.0.0.1"));
        command.addAll(List.of(more));
        command.add("https://a.test:" + https + path);
        return curlCommand(command);
    }

    private Curl plainCurl(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS"));
        command.addAll(List.of(args));
        return curlCommand(command);
    }

    private Curl awaitPlainCurl(int port, int status, String... args) throws Exception {
        long deadline = System.nanoTime() + FrontProcess.STARTUP.toNanos();
        Curl last = null;
        while (System.nanoTime() < deadline) {
            last = plainCurl(port, args);
            if (last.status() == status) {
                return last;
            }
            Thread.sleep(200);
        }
        return last;
    }

    private Curl curlCommand(List<String> command) throws Exception {
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        List<String> full = new ArrayList<>(command.subList(0, 1));
        full.addAll(List.of("-D", headers.toString(), "-w", "\n%{http_code} %{http_version}"));
        full.addAll(command.subList(1, command.size()));
        boolean toFile = command.contains("-o");
        String out = run(full);
        int cut = out.lastIndexOf('\n');
        String[] trailer = out.substring(cut + 1).trim().split(" ");
        return new Curl(Integer.parseInt(trailer[0]), trailer.length > 1 ? trailer[1] : "",
                Files.readString(headers).toLowerCase(Locale.ROOT), toFile ? "" : out.substring(0, Math.max(cut, 0)));
    }

    /** {@code openssl s_client} with one GET, its whole output (stdout and stderr). */
    private String sClient(int https, String serverName, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + https,
                "-servername", serverName, "-ign_eof"));
        command.addAll(List.of(options));
        return run(command, "GET / HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n");
    }

    /** The serial of the certificate a new handshake naming {@code serverName} gets. */
    private long serial(int https, String serverName) throws Exception {
        String out = sClient(https, serverName, "-showcerts");
        Matcher pem = Pattern.compile("-----BEGIN CERTIFICATE-----[\\s\\S]+?-----END CERTIFICATE-----").matcher(out);
        assertThat(pem.find()).as(out).isTrue();
        String serial = run(List.of("openssl", "x509", "-noout", "-serial"), pem.group());
        return Long.parseLong(serial.trim().substring("serial=".length()), 16);
    }

    private boolean awaitSerial(int https, long serial) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (serial(https, "a.test") == serial) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static void install(Path secret, String version, Pair pair) throws IOException {
        Path target = Files.createDirectories(secret.resolve(version));
        Files.copy(pair.certificate(), target.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.key(), target.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** As the kubelet does: a new symlink renamed over {@code ..data}, atomically. */
    private static void swap(Path secret, String version) throws IOException {
        Path next = secret.resolve("..data_tmp");
        Files.createSymbolicLink(next, Path.of(version));
        Files.move(next, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static SSLSocket open(int https) throws Exception {
        // the test checks the serial it was given instead of the chain
        SSLContext context = ProxyProtocolIT.trustingEverything();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", https);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** One keep-alive GET on {@code socket}: the status line (the body, of Content-Length, is read and dropped). */
    private static String get(SSLSocket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: a.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = socket.getInputStream().read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        assertThat(length.find()).as(text).isTrue();
        socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
        return text;
    }

    private static String metrics(int admin) throws IOException {
        try (RawHttp http = RawHttp.connect(admin)) {
            return new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
        }
    }

    private static String header(RawHttp.Response response, String name) {
        for (String[] header : response.headers()) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    private static String run(String... command) throws Exception {
        return run(List.of(command));
    }

    private static String run(List<String> command) throws Exception {
        return run(command, null);
    }

    /** Runs {@code command} with {@code input} on its stdin; its stdout and stderr together. */
    private static String run(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running: " + command);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
