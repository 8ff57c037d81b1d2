package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --compress-responses} end to end: the real front.jar with a real gunicorn child (compress_app.py) and a
 * static alias. Every compressed body is decoded by Debian's own {@code gzip}, {@code brotli} and {@code zstd}
 * command-line tools and must equal, byte for byte, the identity body the same URL gives a client that asks for no
 * coding. A streamed child response must arrive in pieces while the child is still writing; a file is compressed
 * once and served from the cache until it changes; what must never be compressed is not.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompressionIT {

    static final Map<String, String> DECODERS = Map.of("gzip", "/usr/bin/gzip", "br", "/usr/bin/brotli",
            "zstd", "/usr/bin/zstd");

    static Path dir;
    static FrontProcess front;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Gunicorn.BINARY), "Debian's gunicorn is not installed");
        dir = Files.createTempDirectory("front-compress-it");
        Path files = Files.createDirectories(dir.resolve("static"));
        Files.write(files.resolve("app.js"), text("var x = 1; // app", 30_000));
        Files.write(files.resolve("style.css"), text("body { color: red } /* original */", 20_000));
        // The sidecar holds other text than the original, so that a test sees which of the two was sent.
        Files.write(files.resolve("style.css.gz"), gzip(text("/* the sidecar */", 20_000)));
        Files.write(files.resolve("small.txt"), text("small", 200));
        Files.write(files.resolve("logo.png"), text("not really a png", 20_000));
        Files.createDirectories(dir.resolve("spool"));
        front = FrontProcess.start(List.of("--compress-responses", "--temp-dir", dir.resolve("spool").toString(),
                "--url-alias", "/static", files.toString(),
                "--", Gunicorn.BINARY.toString(), "-b", "127.0.0.1:{port}", "-w", "2", "--timeout", "60",
                "--chdir", ForwardingIT.APPS.resolveSibling("compress").toString(), "compress_app:application"));
        front.awaitStatus("/html", 200, FrontProcess.STARTUP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
        if (dir != null) {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- child responses: byte-exact through the real decoders ----

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void childJsonRoundTripsThroughTheDecoder(String coding) throws Exception {
        RawHttp.Response identity = get("/json", null);
        RawHttp.Response compressed = get("/json", coding);
        assertThat(identity.header("content-encoding")).isNull();
        assertThat(compressed.status()).isEqualTo(200);
        assertThat(compressed.header("content-encoding")).isEqualTo(coding);
        assertThat(compressed.body().length).isLessThan(identity.body().length / 3);
        assertThat(decode(coding, compressed.body())).isEqualTo(identity.body());
        // The child's Vary is kept and Accept-Encoding added to it; its strong ETag is weak on the compressed body.
        assertThat(compressed.header("vary")).isEqualTo("Cookie, Accept-Encoding");
        assertThat(identity.header("vary")).isEqualTo("Cookie, Accept-Encoding");
        assertThat(compressed.header("etag")).isEqualTo("W/\"v1\"");
        assertThat(identity.header("etag")).isEqualTo("\"v1\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void childHtmlRoundTripsThroughTheDecoder(String coding) throws Exception {
        for (int size : new int[] {2_000, 300_000}) {
            RawHttp.Response identity = get("/html?n=" + size, null);
            RawHttp.Response compressed = get("/html?n=" + size, "gzip;q=0.1, " + coding);
            assertThat(compressed.header("content-encoding")).as("size " + size).isEqualTo(coding);
            assertThat(decode(coding, compressed.body())).as("size " + size).isEqualTo(identity.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void streamedChildResponseStaysStreamed(String coding) throws Exception {
        // Three 4000-byte pieces, the child sleeping a second between them.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), front.port())) {
            socket.setSoTimeout(20_000);
            long sent = System.nanoTime();
            socket.getOutputStream().write(("GET /stream?chunks=3&sleep=1 HTTP/1.1\r\nHost: t\r\nAccept-Encoding: "
                    + coding + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            List<String> head = new ArrayList<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(head.getFirst()).startsWith("http/1.1 200");
            assertThat(head).contains("content-encoding: " + coding, "transfer-encoding: chunked");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            List<Long> arrivals = new ArrayList<>();
            while (true) {
                int size = Integer.parseInt(line(in).strip(), 16);
                if (size == 0) {
                    assertThat(line(in)).isEmpty();
                    break;
                }
                body.write(in.readNBytes(size));
                assertThat(line(in)).isEmpty();
                arrivals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
            }
            // The first piece came long before the child wrote its last one, two seconds in.
            assertThat(arrivals.getFirst()).as("arrivals %s", arrivals).isLessThan(1_500);
            assertThat(arrivals.getLast()).as("arrivals %s", arrivals).isGreaterThanOrEqualTo(1_900);
            byte[] expected = get("/stream?chunks=3&sleep=0", null).body();
            assertThat(expected).hasSize(12_000);
            assertThat(decode(coding, body.toByteArray())).isEqualTo(expected);
        }
    }

    @Test
    void slowClientGetsTheSpooledBodyCompressed() throws Exception {
        // 16 MiB of hex digits, about 8 MiB compressed: more than the client's socket and the front's memory buffer
        // hold while the client does not read, so the rest waits in the front's temp file, and is compressed as it
        // is read back from there.
        int size = 16 << 20;
        Path spool = dir.resolve("spool");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8192);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), front.port()));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /noise?n=" + size + " HTTP/1.1\r\nHost: t\r\n"
                    + "Accept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean spooled = false;
            while (!spooled && System.nanoTime() < deadline) {
                try (var files = Files.list(spool)) {
                    spooled = files.anyMatch(f -> f.getFileName().toString().startsWith("front-response-"));
                }
                Thread.sleep(50);
            }
            assertThat(spooled).as("a spool file in " + spool).isTrue();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            List<String> head = new ArrayList<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(head).contains("content-encoding: gzip", "transfer-encoding: chunked");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int chunk = Integer.parseInt(line(in).strip(), 16); chunk > 0;
                 chunk = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(chunk));
                assertThat(line(in)).isEmpty();
            }
            byte[] identity = get("/noise?n=" + size, null).body();
            assertThat(identity).hasSize(size);
            assertThat(body.size()).isLessThan(size * 3 / 4);
            assertThat(decode("gzip", body.toByteArray())).isEqualTo(identity);
        }
    }

    // ---- what the client accepts ----

    @Test
    void qvaluesDecide() throws Exception {
        assertThat(get("/json", "gzip;q=0, br").header("content-encoding")).isEqualTo("br");
        assertThat(get("/json", "gzip, deflate, br, zstd").header("content-encoding")).isEqualTo("br");
        assertThat(get("/json", "br;q=0.5, zstd;q=0.8, gzip;q=0.2").header("content-encoding")).isEqualTo("zstd");
        assertThat(get("/json", "gzip;q=1, br;q=0.9").header("content-encoding")).isEqualTo("gzip");
        assertThat(get("/json", "*").header("content-encoding")).isEqualTo("br");
        assertThat(get("/json", "*;q=0.5, br;q=0").header("content-encoding")).isEqualTo("zstd");
        assertThat(get("/json", "identity").header("content-encoding")).isNull();
        assertThat(get("/json", "*;q=0").header("content-encoding")).isNull();
        assertThat(get("/json", "gzip;q=0.5, identity").header("content-encoding")).isNull();
        assertThat(get("/json", "deflate").header("content-encoding")).isNull();
        assertThat(get("/json", "").header("content-encoding")).isNull();
    }

    // ---- what is never compressed ----

    @Test
    void rangeRequestsAreNotCompressed() throws Exception {
        RawHttp.Response response = request("GET /json HTTP/1.1\r\nHost: t\r\nRange: bytes=0-99\r\n"
                + "Accept-Encoding: gzip, br, zstd\r\n\r\n");
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.body()).isEqualTo(get("/json", null).body()); // the app ignores Range
    }

    @Test
    void headIsNotCompressedButVaries() throws Exception {
        RawHttp.Response response;
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("HEAD /html HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br\r\n\r\n");
            response = http.read(true);
        }
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.header("vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void noTransformTinyImagesAndEncodedBodiesPassAsTheyAre() throws Exception {
        for (String path : List.of("/no-transform", "/tiny", "/png", "/encoded")) {
            RawHttp.Response identity = get(path, null);
            RawHttp.Response response = get(path, "gzip, br, zstd");
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo(identity.body());
            assertThat(response.header("vary")).as(path).isNull();
            assertThat(response.header("content-length")).as(path)
                    .isEqualTo(Integer.toString(identity.body().length));
        }
        assertThat(get("/encoded", "br").header("content-encoding")).isEqualTo("gzip"); // the child's own
        assertThat(get("/no-transform", "br").header("content-encoding")).isNull();
    }

    // ---- static files ----

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void staticFileWithoutSidecarRoundTripsThroughTheDecoder(String coding) throws Exception {
        RawHttp.Response identity = get("/static/app.js", null);
        RawHttp.Response compressed = get("/static/app.js", coding);
        assertThat(identity.body()).isEqualTo(Files.readAllBytes(dir.resolve("static/app.js")));
        assertThat(compressed.header("content-encoding")).isEqualTo(coding);
        assertThat(compressed.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(identity.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(compressed.header("content-length")).isEqualTo(Integer.toString(compressed.body().length));
        assertThat(decode(coding, compressed.body())).isEqualTo(identity.body());
        // Its own strong tag, and a revalidation with it is a 304.
        String etag = compressed.header("etag");
        assertThat(etag).isNotEqualTo(identity.header("etag")).endsWith("-" + coding + "\"");
        RawHttp.Response revalidated = request("GET /static/app.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: "
                + coding + "\r\nIf-None-Match: " + etag + "\r\n\r\n");
        assertThat(revalidated.status()).isEqualTo(304);
        assertThat(revalidated.header("etag")).isEqualTo(etag);
    }

    @Test
    void staticSidecarWinsAndRangesComeFromTheFile() throws Exception {
        RawHttp.Response sidecar = get("/static/style.css", "gzip, br, zstd");
        assertThat(sidecar.header("content-encoding")).isEqualTo("gzip");
        assertThat(decode("gzip", sidecar.body())).isEqualTo(text("/* the sidecar */", 20_000));
        RawHttp.Response range = request("GET /static/app.js HTTP/1.1\r\nHost: t\r\nRange: bytes=10-19\r\n"
                + "Accept-Encoding: br\r\n\r\n");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("content-encoding")).isNull();
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(
                Files.readAllBytes(dir.resolve("static/app.js")), 10, 20));
        for (String path : List.of("/static/small.txt", "/static/logo.png")) {
            RawHttp.Response plain = get(path, "br, gzip");
            assertThat(plain.header("content-encoding")).as(path).isNull();
            assertThat(plain.header("vary")).as(path).isNull();
        }
    }

    @Test
    void staticFileIsCompressedOnceAndAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("static/cached.html");
        byte[] first = text("<p>first version</p>", 40_000);
        byte[] second = text("<p>other version</p>", 40_000);
        assertThat(second).hasSameSizeAs(first);
        Files.write(file, first);
        FileTime modified = Files.getLastModifiedTime(file);
        assertThat(decode("br", get("/static/cached.html", "br").body())).isEqualTo(first);

        // Same size, same modification time, other bytes: the validators say unchanged, so the kept compressed body
        // is what comes, while the identity body is read from the file as always. Past the second for which the
        // front trusts an open file, so the file is looked at again.
        Files.write(file, second);
        Files.setLastModifiedTime(file, modified);
        Thread.sleep(1_100);
        assertThat(get("/static/cached.html", null).body()).isEqualTo(second);
        assertThat(decode("br", get("/static/cached.html", "br").body())).isEqualTo(first);

        // A new modification time: compressed anew.
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified.toMillis() + 5_000));
        Thread.sleep(1_100);
        assertThat(decode("br", get("/static/cached.html", "br").body())).isEqualTo(second);
    }

    // ---- the native libraries ----

    @Test
    void theNativeCodecsLoadWithoutAWarning() {
        assertThat(front.stderr()).doesNotContain("restricted method").doesNotContain("is not offered");
    }

    @Test
    void aCodecWhoseLibraryCannotLoadIsNotOfferedAndSaidOnce() throws Exception {
        // zstd-jni unpacks its library into this directory, which does not exist.
        try (FrontProcess zstdless = FrontProcess.start(List.of("--compress-responses",
                "--url-alias", "/static", dir.resolve("static").toString()),
                Map.of("JAVA_TOOL_OPTIONS", "-DZstdTempFolder=" + dir.resolve("missing")))) {
            zstdless.awaitStatus("/static/app.js", 200, FrontProcess.STARTUP);
            RawHttp.Response response;
            try (RawHttp http = RawHttp.connect(zstdless.port())) {
                response = http.send("GET /static/app.js HTTP/1.1\r\nHost: t\r\n"
                        + "Accept-Encoding: zstd, br;q=0.9, gzip;q=0.5\r\n\r\n").read();
            }
            assertThat(response.header("content-encoding")).isEqualTo("br");
            assertThat(decode("br", response.body())).isEqualTo(Files.readAllBytes(dir.resolve("static/app.js")));
            assertThat(zstdless.stderr().lines().filter(l -> l.contains("is not offered")).toList())
                    .singleElement().asString()
                    .contains("--compress-responses: zstd is not offered: its native library cannot load here (");
        }
    }

    // ---- helpers ----

    static RawHttp.Response get(String target, String acceptEncoding) throws IOException {
        return request("GET " + target + " HTTP/1.1\r\nHost: t\r\n"
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n");
    }

    static RawHttp.Response request(String raw) throws IOException {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send(raw);
            return http.read();
        }
    }

    /** The body through Debian's decoder for {@code coding}, which must accept it whole. */
    static byte[] decode(String coding, byte[] body) throws Exception {
        String tool = DECODERS.get(coding);
        assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (apt-get install gzip brotli zstd)");
        Path in = Files.createTempFile(dir, "body", ".bin");
        Files.write(in, body);
        Process process = new ProcessBuilder(tool, "-d", "-c", in.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(tool + " -d: " + errors).isZero();
        Files.delete(in);
        return out;
    }

    /** The same text as compress_app.py's {@code text()}, for files. */
    static byte[] text(String seed, int n) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            line.append(seed).append(' ').append(String.format("%05d", i)).append(' ')
                    .append("lorem ipsum dolor sit amet", 0, i % 27).append('\n');
        }
        StringBuilder all = new StringBuilder();
        while (all.length() < n) {
            all.append(line);
        }
        return all.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
