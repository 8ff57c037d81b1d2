package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * File offload end to end: a real gunicorn app answers downloads with {@code X-Accel-Redirect}, and the real
 * front.jar serves the named file itself (a 100 MiB one, with ranges and conditionals, the app's Content-Type and
 * Content-Disposition kept), from an internal alias no client can request, or by absolute path under a
 * {@code --sendfile-root}; a name outside them is a 502 and an error line, never a read.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OffloadIT {

    static final long BIG = 100L << 20;

    static Path dir;
    static Gunicorn gunicorn;
    static FrontProcess front;
    static String bigDigest;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("front-offload-it");
        Files.createDirectories(dir.resolve("protected"));
        Files.createDirectories(dir.resolve("files/sub dir"));
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/secret.txt"), "secret\n");
        Files.writeString(dir.resolve("files/sub dir/report 100%.pdf"), "%PDF-1.7 a small report\n");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 251);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("protected/big.bin"))) {
            for (long written = 0; written < BIG; written += block.length) {
                out.write(block);
                sha.update(block);
            }
        }
        bigDigest = HexFormat.of().formatHex(sha.digest());
        gunicorn = Gunicorn.start(ForwardingIT.APPS.resolveSibling("offload"), "offload_app:application", 2);
        front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + gunicorn.port(),
                "--sendfile-header", "X-Accel-Redirect",
                "--internal-alias", "/protected", dir.resolve("protected").toString(),
                "--sendfile-root", dir.resolve("files").toString()));
        front.awaitListening(FrontProcess.STARTUP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
        if (gunicorn != null) {
            gunicorn.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static RawHttp.Response download(String method, String file, String extraHeaders) throws IOException {
        try (RawHttp http = RawHttp.connect(front.port(), 30_000)) {
            http.send(method + " /download?file=" + URLEncoder.encode(file, StandardCharsets.UTF_8)
                    + " HTTP/1.1\r\nHost: a\r\n" + extraHeaders
                    + (method.equals("POST") ? "Content-Length: 3\r\n\r\nabc" : "\r\n"));
            return http.read(method.equals("HEAD"));
        }
    }

    @Test
    void aNamedFileIsServedWholeWithTheAppsHeaders() throws Exception {
        RawHttp.Response whole = download("GET", "/protected/big.bin", "");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("content-length")).isEqualTo(Long.toString(BIG));
        assertThat(whole.header("content-type")).isEqualTo("application/pdf");
        assertThat(whole.header("content-disposition")).isEqualTo("attachment; filename=\"report.pdf\"");
        assertThat(whole.header("cache-control")).isEqualTo("private, max-age=0");
        assertThat(whole.header("x-accel-redirect")).as("never reaches the client").isNull();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole.body())))
                .isEqualTo(bigDigest);

        RawHttp.Response range = download("GET", "/protected/big.bin", "Range: bytes=1000-1999\r\n");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("content-range")).isEqualTo("bytes 1000-1999/" + BIG);
        byte[] part = range.body();
        assertThat(part).hasSize(1000);
        for (int i = 0; i < part.length; i++) {
            assertThat(part[i]).isEqualTo((byte) ((1000 + i) % 251));
        }

        RawHttp.Response unchanged = download("GET", "/protected/big.bin",
                "If-None-Match: " + whole.header("etag") + "\r\n");
        assertThat(unchanged.status()).isEqualTo(304);

        RawHttp.Response head = download("HEAD", "/protected/big.bin", "");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo(Long.toString(BIG));

        RawHttp.Response posted = download("POST", "/protected/big.bin", "Range: bytes=0-9\r\n");
        assertThat(posted.status()).as("served as GET, as nginx does").isEqualTo(206);
        assertThat(posted.body()).hasSize(10);
    }

    @Test
    void aFileUnderASendfileRootIsNamedByItsPath() throws Exception {
        RawHttp.Response report = download("GET", dir.resolve("files/sub dir/report 100%.pdf").toString(), "");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.bodyText()).isEqualTo("%PDF-1.7 a small report\n");
    }

    @Test
    void anInternalAliasIsNeverServedToAClient() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port(), 10_000)) {
            http.send("GET /protected/big.bin HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.bodyText()).isEqualTo("app answered GET /protected/big.bin\n");
        }
    }

    @Test
    void aNameOutsideEveryAliasAndRootIsABadGatewayNeverARead() throws Exception {
        for (String escape : List.of("/protected/../outside/secret.txt", "/protected/%2e%2e/outside/secret.txt",
                dir.resolve("files") + "/../outside/secret.txt", dir.resolve("outside/secret.txt").toString(),
                "/etc/passwd", "http://elsewhere/protected/big.bin", "relative/path")) {
            RawHttp.Response response = download("GET", escape, "");
            assertThat(response.status()).as(escape).isEqualTo(502);
            assertThat(response.bodyText()).as(escape).doesNotContain("secret").doesNotContain("root:");
            assertThat(response.header("x-front-error-id")).isNotNull();
        }
        // One line per kind of failure per second: the first escape's is there, the rest are counted in the next.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!front.stderr().contains("under no alias") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(front.stderr()).contains("named /protected/../outside/secret.txt in X-Accel-Redirect, under no"
                + " alias, --internal-alias or --sendfile-root");
    }
}
