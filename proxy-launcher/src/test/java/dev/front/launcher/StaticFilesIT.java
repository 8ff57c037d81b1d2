package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/static-files.md end to end: the real front.jar with only {@code --url-alias} (no child, so everything
 * outside the aliases is 404), spoken to over raw sockets. Every response goes through {@link #checked}: no 5xx, and
 * never the secret planted outside the root.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticFilesIT {

    /** Outside the alias root; its content must never appear in any response. */
    static final String SECRET = "SECRET-" + UUID.randomUUID();
    static final String DIGITS = "0123456789".repeat(10);
    /** 2024-01-02T03:04:05.5Z: the half second checks that validators truncate to whole seconds. */
    static final Instant DIGITS_MTIME = Instant.parse("2024-01-02T03:04:05.500Z");
    static final String DIGITS_DATE = "Tue, 02 Jan 2024 03:04:05 GMT";
    static final long SPARSE_SIZE = 5L << 30;
    static final long SPARSE_MARK_AT = (9L << 29) + 12345; // 4.5 GiB + a bit: beyond any 32-bit offset
    static final String SPARSE_MARK = "far-away-bytes";
    // Straddles 2 GiB, the last offset a signed 32-bit int holds (io_uring's splice in Netty 4.2.18 takes one)
    static final long SPARSE_EDGE_AT = Integer.MAX_VALUE - 6L;
    static final String SPARSE_EDGE = "either-side-of-2GiB";

    @TempDir
    static Path tmp;
    static Path root;
    static FrontProcess front;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectory(tmp.resolve("static"));
        Files.writeString(tmp.resolve("secret.txt"), SECRET);
        // a sibling whose name starts with the root's name: a String.startsWith check would let it through
        Files.writeString(Files.createDirectory(tmp.resolve("static_secret")).resolve("secret.txt"), SECRET);

        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.writeString(root.resolve("digits.txt"), DIGITS);
        Files.setLastModifiedTime(root.resolve("digits.txt"), FileTime.from(DIGITS_MTIME));
        Files.writeString(root.resolve("a;b.txt"), "semicolon\n");
        Files.writeString(root.resolve("café.txt"), "unicode\n");
        Files.writeString(root.resolve("style.0a1b2c3d4e.css"), "body{}\n");
        for (String name : List.of("a.css", "a.SVG", "a.wasm", "a.woff2", "a.json", "a.mjs", "a.html", "a.webmanifest",
                "a.unknownext", "noextension")) {
            Files.writeString(root.resolve(name), "x");
        }
        Files.writeString(root.resolve(".env"), SECRET);
        Files.writeString(Files.createDirectory(root.resolve(".git")).resolve("config"), SECRET);
        Files.writeString(Files.createDirectory(root.resolve(".well-known")).resolve("security.txt"), "Contact: x\n");
        Files.writeString(Files.createDirectory(root.resolve("dir")).resolve("index.html"), "<p>index</p>\n");
        Files.createDirectory(root.resolve("emptydir"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("sibling"), Path.of("../static_secret/secret.txt"));
        Files.createSymbolicLink(root.resolve("envlink"), Path.of(".env"));
        Files.createSymbolicLink(root.resolve("inside"), Path.of("hello.txt"));
        mkfifo(root.resolve("fifo"));
        Files.writeString(root.resolve("piped.txt"), "plain\n");
        mkfifo(root.resolve("piped.txt.gz")); // a sidecar that is a FIFO: never opened, identity is served

        Instant t = Instant.now().minusSeconds(3600);
        Files.writeString(root.resolve("app.js"), "console.log('identity');\n");
        Files.writeString(root.resolve("app.js.br"), "BROTLI-BYTES");
        Files.writeString(root.resolve("app.js.gz"), "GZIP-BYTES");
        Files.writeString(root.resolve("app.js.zst"), "STALE-ZSTD-BYTES");
        Files.setLastModifiedTime(root.resolve("app.js"), FileTime.from(t));
        Files.setLastModifiedTime(root.resolve("app.js.br"), FileTime.from(t.plusSeconds(1)));
        Files.setLastModifiedTime(root.resolve("app.js.gz"), FileTime.from(t.plusSeconds(1)));
        Files.setLastModifiedTime(root.resolve("app.js.zst"), FileTime.from(t.minusSeconds(60))); // older: ignored

        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("sparse.bin").toFile(), "rw")) {
            sparse.setLength(SPARSE_SIZE);
            sparse.seek(SPARSE_MARK_AT);
            sparse.write(SPARSE_MARK.getBytes(StandardCharsets.US_ASCII));
            sparse.seek(SPARSE_EDGE_AT);
            sparse.write(SPARSE_EDGE.getBytes(StandardCharsets.US_ASCII));
        }

        front = FrontProcess.start(List.of("--url-alias", "/static", root.toString(),
                "--url-alias", "/one", root.resolve("hello.txt").toString()));
        front.awaitStatus("/static/hello.txt", 200, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
    }

    static RawHttp connect() throws IOException {
        return RawHttp.connect(front.port(), 10_000);
    }

    /** Every response: no server error, and nothing of the secret in the head or the body. */
    static RawHttp.Response checked(RawHttp.Response response) {
        assertThat(response.status()).as(response.statusLine()).isLessThan(500);
        for (String[] header : response.headers()) {
            assertThat(header[1]).doesNotContain(SECRET);
        }
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        return response;
    }

    static RawHttp.Response get(RawHttp http, String target, String... headers) throws IOException {
        return request(http, "GET", target, headers);
    }

    static RawHttp.Response request(RawHttp http, String method, String target, String... headers) throws IOException {
        StringBuilder raw = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: t\r\n");
        for (String header : headers) {
            raw.append(header).append("\r\n");
        }
        http.send(raw.append("\r\n").toString());
        return checked(http.read(method.equals("HEAD")));
    }

    static RawHttp.Response get(String target, String... headers) throws IOException {
        try (RawHttp http = connect()) {
            return get(http, target, headers);
        }
    }

    /** The status of a GET of {@code target}; the connection must still serve a request afterwards unless it was a 400. */
    static int status(String target) throws IOException {
        try (RawHttp http = connect()) {
            int status = get(http, target).status();
            if (status != 400) {
                assertThat(get(http, "/static/hello.txt").bodyText()).isEqualTo("hello\n");
            }
            return status;
        }
    }

    // ---- routing and safety ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/static/../secret.txt | 404",              // normalised to /secret.txt: outside the alias, no child
            "/static/../../secret.txt | 400",           // climbs above /
            "/static/%2e%2e/secret.txt | 404",
            "/static/%2e%2e/%2e%2e/secret.txt | 400",
            "/static/.%2e/.%2E/secret.txt | 400",
            "/static/..%2fsecret.txt | 400",            // encoded slash
            "/static/..%2Fsecret.txt | 400",
            "/static/..%5csecret.txt | 400",            // encoded backslash
            "/static/..\\secret.txt | 400",            // raw backslash
            "/static/%252e%252e/secret.txt | 404",      // double encoding: a literal '%2e%2e' segment
            "/static/%252e%252e%252fsecret.txt | 404",
            "/static/%c0%ae%c0%ae/secret.txt | 400",    // overlong UTF-8 for '.'
            "/static/%c0%afsecret.txt | 400",           // overlong UTF-8 for '/'
            "/static/%e0%80%ae%e0%80%ae/x | 400",
            "/static/hello.txt%00.css | 400",           // NUL
            "/static/%ff | 400",                        // not UTF-8
            "/static/%zz | 400",                        // not an escape
            "/static/..;/secret.txt | 404",             // ';' is an ordinary character
            "/static/hello.txt;.css | 404",
            "/static_secret/secret.txt | 404",          // sibling prefix: not the alias
            "/staticsecret.txt | 404",
            "/static/sibling | 404",                    // symlink into the sibling-prefix directory
            "/static/escape | 404",                     // symlink out of the root
            "/static/up/secret.txt | 404",              // symlink to the parent
            "/static/up/static_secret/secret.txt | 404",
            "/static/up/../secret.txt | 404",           // lexically /static/secret.txt: nothing there
            "/static/up/%2e%2e/%2e%2e/secret.txt | 404",
            "/static/.env | 404",                       // dotfiles anywhere
            "/static/.git/config | 404",
            "/static/.git/ | 404",
            "/static/envlink | 404",                    // a symlink to a dotfile
            "/static/fifo | 404",                       // never opened: opening a FIFO blocks
            "/static/hello.txt/ | 404",                 // a file is not a directory
            "/static/emptydir/ | 404",                  // no index file
            "/static/missing.css | 404",
            "/one/x | 404",                             // a single-file alias exposes that file only
            "/elsewhere | 404",                         // no child: everything outside the aliases
    })
    void refusedPaths(String target, int expected) throws IOException {
        assertThat(status(target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/static/hello.txt | hello\\n",
            "/static/inside | hello\\n",                 // a symlink that stays inside is followed
            "/static/up/static/hello.txt | hello\\n",    // out and back in: the real path is inside
            "/static/dir/../hello.txt | hello\\n",
            "/static//hello.txt | hello\\n",
            "/static/%68ello.txt | hello\\n",
            "/static/a;b.txt | semicolon\\n",
            "/static/a%3Bb.txt | semicolon\\n",
            "/static/caf%C3%A9.txt | unicode\\n",
            "/static/.well-known/security.txt | Contact: x\\n",
            "/static/dir/ | <p>index</p>\\n",
            "/one | hello\\n",
            "http://t/static/hello.txt | hello\\n",      // absolute form
    })
    void servedPaths(String target, String body) throws IOException {
        RawHttp.Response response = get(target);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(body.replace("\\n", "\n"));
    }

    @Test
    void fifoNeverHangsTheConnectionOrTheServer() throws Exception {
        try (RawHttp http = connect()) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(get(http, "/static/fifo").status()).isEqualTo(404);
            }
            // an acceptable sidecar that is a FIFO is passed over for the original
            RawHttp.Response piped = get(http, "/static/piped.txt", "Accept-Encoding: gzip");
            assertThat(piped.status()).isEqualTo(200);
            assertThat(piped.bodyText()).isEqualTo("plain\n");
            assertThat(piped.header("content-encoding")).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void directoryWithoutSlashRedirectsRelativelyKeepingTheQuery() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response redirect = get(http, "/static/dir?a=1&b=%20x");
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("location")).isEqualTo("./dir/?a=1&b=%20x");
            assertThat(redirect.header("content-length")).isEqualTo("0");
            RawHttp.Response alias = get(http, "/static");
            assertThat(alias.status()).isEqualTo(301);
            assertThat(alias.header("location")).isEqualTo("./static/");
            // the connection carries on after the empty body
            assertThat(get(http, "/static/dir/").bodyText()).isEqualTo("<p>index</p>\n");
        }
    }

    @Test
    void responseHeaders() throws IOException {
        RawHttp.Response js = get("/static/app.js");
        assertThat(js.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(js.header("accept-ranges")).isEqualTo("bytes");
        assertThat(js.header("etag")).matches("\"[^\"]+\"");
        assertThat(js.header("date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(js.header("cache-control")).isEqualTo("public, max-age=60");
        RawHttp.Response digits = get("/static/digits.txt");
        assertThat(digits.header("last-modified")).isEqualTo(DIGITS_DATE);
        assertThat(digits.header("content-length")).isEqualTo("100");
        assertThat(digits.header("vary")).isNull(); // no sidecars
        assertThat(get("/static/style.0a1b2c3d4e.css").header("cache-control"))
                .isEqualTo("public, max-age=31536000, immutable");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a.css | text/css; charset=utf-8",
            "a.SVG | image/svg+xml",                     // extension matched ignoring case
            "a.wasm | application/wasm",
            "a.woff2 | font/woff2",
            "a.json | application/json",
            "a.mjs | text/javascript; charset=utf-8",
            "a.html | text/html; charset=utf-8",
            "a.webmanifest | application/manifest+json",
            "a.unknownext | application/octet-stream",
            "noextension | application/octet-stream",
    })
    void contentTypes(String name, String type) throws IOException {
        RawHttp.Response response = get("/static/" + name);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo(type);
        assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
    }

    // ---- methods, framing, keep-alive ----

    @Test
    void otherMethodsAre405WithAllowAndTheConnectionIsKept() throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST /static/hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde");
            RawHttp.Response post = checked(http.read());
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("allow")).isEqualTo("GET, HEAD");
            http.send("DELETE /static/hello.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n");
            assertThat(checked(http.read()).status()).isEqualTo(405);
            // the bodies were drained, not read as the next request
            assertThat(get(http, "/static/hello.txt").bodyText()).isEqualTo("hello\n");
            assertThat(http.closedByServer(200)).isFalse();
        }
    }

    @Test
    void pipelinedHeadThenGetKeepTheFraming() throws IOException {
        try (RawHttp http = connect()) {
            http.send("HEAD /static/digits.txt HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /static/hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /static/app.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br\r\n\r\n"
                    + "GET /static/digits.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=0-2\r\n\r\n");
            RawHttp.Response head = checked(http.read(true));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("100");
            assertThat(checked(http.read()).bodyText()).isEqualTo("hello\n");
            RawHttp.Response headBr = checked(http.read(true));
            assertThat(headBr.header("content-encoding")).isEqualTo("br");
            assertThat(headBr.header("content-length")).isEqualTo("12");
            RawHttp.Response range = checked(http.read());
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.bodyText()).isEqualTo("012");
            assertThat(http.closedByServer(200)).isFalse();
        }
    }

    @Test
    void pipelinedBurstIsAnsweredInOrder() throws IOException {
        // Answers that complete at once nest in one another's completion on the event loop. 1000: far more than the
        // 128 requests decoded and not yet answered at which Netty's HttpServerCodec gives up and closes.
        int n = 1000;
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < n; i++) {
            batch.append("GET /static/").append(i % 2 == 0 ? "hello.txt" : "digits.txt").append("?i=").append(i)
                    .append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        try (RawHttp http = connect()) {
            // written from another thread: the front may answer before the client has sent everything
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    http.send(batch.toString());
                } catch (IOException e) {
                    // the reads below fail then
                }
            });
            for (int i = 0; i < n; i++) {
                RawHttp.Response response = checked(http.read());
                assertThat(response.bodyText()).as("response %d", i).isEqualTo(i % 2 == 0 ? "hello\n" : DIGITS);
            }
            writer.join(10_000);
            assertThat(http.closedByServer(200)).isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void headSendsExactlyTheHeadersOfGet() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response get = get(http, "/static/app.js", "Accept-Encoding: gzip");
            RawHttp.Response head = request(http, "HEAD", "/static/app.js", "Accept-Encoding: gzip");
            // The date and the request id are the response's own: the same header, another value.
            assertThat(head.headers()).usingElementComparator((a, b) -> a[0].equals(b[0])
                    && (a[0].equals("date") || a[0].equals("x-request-id")) ? 0
                    : (a[0] + a[1]).compareTo(b[0] + b[1])).isEqualTo(get.headers());
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void http10GetsALengthAndAClose() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET /static/hello.txt HTTP/1.0\r\n\r\n");
            RawHttp.Response response = checked(http.read());
            assertThat(response.statusLine()).startsWith("HTTP/1.");
            assertThat(response.header("content-length")).isEqualTo("6");
            assertThat(response.bodyText()).isEqualTo("hello\n");
            assertThat(http.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void http10KeepAliveWhenAskedFor() throws IOException {
        try (RawHttp http = connect()) {
            http.send("GET /static/hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response response = checked(http.read());
            assertThat(response.header("connection")).isEqualToIgnoringCase("keep-alive");
            http.send("GET /static/digits.txt HTTP/1.0\r\n\r\n");
            assertThat(checked(http.read()).bodyText()).isEqualTo(DIGITS);
            assertThat(http.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void notModifiedKeepsTheConnection() throws IOException {
        try (RawHttp http = connect()) {
            String etag = get(http, "/static/hello.txt").header("etag");
            RawHttp.Response notModified = get(http, "/static/hello.txt", "If-None-Match: " + etag);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("connection")).isNull();
            assertThat(http.closedByServer(300)).isFalse();
            assertThat(get(http, "/static/hello.txt").bodyText()).isEqualTo("hello\n");
            // and once more, pipelined behind another 304
            http.send("GET /static/hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n"
                    + "GET /static/digits.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(checked(http.read()).status()).isEqualTo(304);
            assertThat(checked(http.read()).bodyText()).isEqualTo(DIGITS);
        }
    }

    // ---- conditional requests (RFC 9110 §13.2.2) ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "If-Match: ETAG | 200",
            "If-Match: * | 200",
            "If-Match: \"other\", ETAG | 200",
            "If-Match: \"other\" | 412",
            "If-Match: W/ETAG | 412",                                        // strong comparison
            "If-Unmodified-Since: " + DIGITS_DATE + " | 200",
            "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT | 412",
            "If-Unmodified-Since: not a date | 200",
            "If-Match: ETAG && If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT | 200", // IUS ignored
            "If-None-Match: ETAG | 304",
            "If-None-Match: W/ETAG | 304",                                   // weak comparison
            "If-None-Match: \"a\", ETAG | 304",
            "If-None-Match: * | 304",
            "If-None-Match: \"other\" | 200",
            "If-Modified-Since: " + DIGITS_DATE + " | 304",                  // mtime has a half second
            "If-Modified-Since: Wed, 01 Jan 2025 00:00:00 GMT | 304",        // later also
            "If-Modified-Since: Tuesday, 02-Jan-24 03:04:05 GMT | 304",      // RFC 850
            "If-Modified-Since: Tue Jan  2 03:04:05 2024 | 304",             // asctime
            "If-Modified-Since: Tue, 02 Jan 2024 03:04:04 GMT | 200",
            "If-Modified-Since: yesterday | 200",
            "If-None-Match: \"other\" && If-Modified-Since: " + DIGITS_DATE + " | 200", // IMS ignored
            "If-Match: \"other\" && If-None-Match: ETAG | 412",              // If-Match first
            "If-None-Match: ETAG && Range: bytes=0-1 | 304",                 // before Range
    })
    void conditionalTable(String conditions, int expected) throws IOException {
        String etag = get("/static/digits.txt").header("etag");
        String[] headers = conditions.replace("ETAG", etag).split(" && ");
        try (RawHttp http = connect()) {
            RawHttp.Response get = get(http, "/static/digits.txt", headers);
            assertThat(get.status()).isEqualTo(expected);
            RawHttp.Response head = request(http, "HEAD", "/static/digits.txt", headers);
            assertThat(head.status()).isEqualTo(expected);
            if (expected == 304) {
                assertThat(get.header("etag")).isEqualTo(etag);
                assertThat(get.header("date")).isNotNull();
                assertThat(get.header("cache-control")).isNotNull();
                assertThat(get.header("content-length")).isNull();
                assertThat(get.header("content-type")).isNull();
            }
            if (expected == 200) {
                assertThat(get.bodyText()).isEqualTo(DIGITS);
            }
            assertThat(get(http, "/static/hello.txt").status()).isEqualTo(200); // connection kept for all three
        }
    }

    // ---- ranges ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-9 | 0-9 | 0123456789",
            "bytes=10-12 | 10-12 | 012",
            "bytes=95- | 95-99 | 56789",
            "bytes=-3 | 97-99 | 789",
            "bytes=98-5000 | 98-99 | 89",           // clamped end
            "bytes=0-0 | 0-0 | 0",
    })
    void singleRanges(String range, String span, String body) throws IOException {
        RawHttp.Response response = get("/static/digits.txt", "Range: " + range);
        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes " + span + "/100");
        assertThat(response.bodyText()).isEqualTo(body);
    }

    @Test
    void severalRangesAreMultipartWithAnExactLength() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response response = get(http, "/static/digits.txt", "Range: bytes=0-1,5-6");
            assertThat(response.status()).isEqualTo(206);
            String type = response.header("content-type");
            assertThat(type).startsWith("multipart/byteranges; boundary=");
            String boundary = type.substring(type.indexOf('=') + 1);
            assertThat(response.bodyText()).isEqualTo(
                    "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/100\r\n\r\n01"
                    + "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 5-6/100\r\n\r\n56"
                    + "\r\n--" + boundary + "--\r\n");
            // the length was exact: the next response starts where it should
            assertThat(get(http, "/static/hello.txt").bodyText()).isEqualTo("hello\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=100-", "bytes=200-300", "bytes=-0", "bytes=100-,150-"})
    void unsatisfiableRangesAre416(String range) throws IOException {
        RawHttp.Response response = get("/static/digits.txt", "Range: " + range);
        assertThat(response.status()).isEqualTo(416);
        assertThat(response.header("content-range")).isEqualTo("bytes */100");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=abc", "bytes=5-1", "items=0-1", "bytes=", "bytes=--1",
            "bytes=99999999999999999999999-", "bytes=0-99999999999999999999999", "bytes=-99999999999999999999999"})
    void malformedRangesAreIgnoredOr416NeverAnError(String range) throws IOException {
        RawHttp.Response response = get("/static/digits.txt", "Range: " + range);
        assertThat(response.status()).isIn(200, 206, 416);
        if (response.status() == 200) {
            assertThat(response.bodyText()).isEqualTo(DIGITS);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "ETAG | 206",
            "\"other\" | 200",
            "W/ETAG | 200",                                      // If-Range needs a strong validator
            DIGITS_DATE + " | 206",
            "Tue, 02 Jan 2024 03:04:06 GMT | 200",               // only the exact date
    })
    void ifRange(String validator, int expected) throws IOException {
        String etag = get("/static/digits.txt").header("etag");
        RawHttp.Response response = get("/static/digits.txt", "Range: bytes=0-4",
                "If-Range: " + validator.replace("ETAG", etag));
        assertThat(response.status()).isEqualTo(expected);
        assertThat(response.bodyText()).isEqualTo(expected == 206 ? "01234" : DIGITS);
    }

    @Test
    void rangeFarBeyondFourGibibytesOfASparseFile() throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Response head = request(http, "HEAD", "/static/sparse.bin");
            assertThat(head.header("content-length")).isEqualTo(Long.toString(SPARSE_SIZE));
            long last = SPARSE_MARK_AT + SPARSE_MARK.length() - 1;
            RawHttp.Response range = get(http, "/static/sparse.bin", "Range: bytes=" + SPARSE_MARK_AT + "-" + last);
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-range")).isEqualTo("bytes " + SPARSE_MARK_AT + "-" + last + "/" + SPARSE_SIZE);
            assertThat(range.bodyText()).isEqualTo(SPARSE_MARK);
            RawHttp.Response tail = get(http, "/static/sparse.bin", "Range: bytes=-4");
            assertThat(tail.header("content-range")).isEqualTo("bytes " + (SPARSE_SIZE - 4) + "-" + (SPARSE_SIZE - 1)
                    + "/" + SPARSE_SIZE);
            assertThat(tail.body()).containsExactly(0, 0, 0, 0);
            long edgeLast = SPARSE_EDGE_AT + SPARSE_EDGE.length() - 1;
            RawHttp.Response edge = get(http, "/static/sparse.bin", "Range: bytes=" + SPARSE_EDGE_AT + "-" + edgeLast);
            assertThat(edge.status()).isEqualTo(206);
            assertThat(edge.bodyText()).isEqualTo(SPARSE_EDGE);
        }
    }

    // ---- precompressed sidecars ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip, br | br | BROTLI-BYTES",
            "gzip;q=1, br;q=0.5 | gzip | GZIP-BYTES",
            "br;q=0, gzip | gzip | GZIP-BYTES",
            "BR | br | BROTLI-BYTES",
            "* | br | BROTLI-BYTES",
            "*;q=0.5, br;q=0 | gzip | GZIP-BYTES",
            "zstd | identity | console.log('identity');\\n",   // the .zst is older than the original
            "gzip;q=0, br;q=0 | identity | console.log('identity');\\n",
            "identity | identity | console.log('identity');\\n",
            "gzip;q=0.5, identity;q=1 | identity | console.log('identity');\\n",
            "NONE | identity | console.log('identity');\\n",
    })
    void sidecarNegotiation(String accept, String coding, String body) throws IOException {
        RawHttp.Response response = accept.equals("NONE") ? get("/static/app.js")
                : get("/static/app.js", "Accept-Encoding: " + accept);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-encoding")).isEqualTo(coding.equals("identity") ? null : coding);
        assertThat(response.bodyText()).isEqualTo(body.replace("\\n", "\n"));
        assertThat(response.header("vary")).isEqualToIgnoringCase("Accept-Encoding");
        assertThat(response.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    }

    @Test
    void eachSidecarHasItsOwnEtagAndItsOwnRanges() throws IOException {
        try (RawHttp http = connect()) {
            String identity = get(http, "/static/app.js").header("etag");
            String br = get(http, "/static/app.js", "Accept-Encoding: br").header("etag");
            String gzip = get(http, "/static/app.js", "Accept-Encoding: gzip").header("etag");
            assertThat(List.of(identity, br, gzip)).doesNotHaveDuplicates();
            RawHttp.Response range = get(http, "/static/app.js", "Accept-Encoding: br", "Range: bytes=0-5");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-range")).isEqualTo("bytes 0-5/12");
            assertThat(range.bodyText()).isEqualTo("BROTLI");
            RawHttp.Response notModified = get(http, "/static/app.js", "Accept-Encoding: br", "If-None-Match: " + br);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("vary")).isEqualToIgnoringCase("Accept-Encoding");
            // the br tag does not validate the identity representation
            assertThat(get(http, "/static/app.js", "If-None-Match: " + br).status()).isEqualTo(200);
            // a sidecar asked for by name is a file of its own, not negotiated
            RawHttp.Response byName = get(http, "/static/app.js.br");
            assertThat(byName.header("content-encoding")).isNull();
            assertThat(byName.bodyText()).isEqualTo("BROTLI-BYTES");
        }
    }
}
