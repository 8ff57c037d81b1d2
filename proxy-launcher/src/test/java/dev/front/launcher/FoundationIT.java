package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real front.jar in front of the bundled example app (python3 stdlib wsgiref), spoken to over raw sockets. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FoundationIT {

    static final Path HELLO = FrontProcess.HELLO;
    static final Duration STARTUP = FrontProcess.STARTUP;

    static FrontProcess front;

    @BeforeAll
    static void startFront() throws Exception {
        front = FrontProcess.startHello(List.of());
    }

    @AfterAll
    static void stopFront() throws IOException {
        front.close();
    }

    @Test
    void staticFileIsServedWithoutTheChildSeeingARequest() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            RawHttp.Response response = http.get("/static/hello.txt?x=1");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.header("last-modified")).endsWith("GMT");
            assertThat(response.body()).isEqualTo(Files.readAllBytes(HELLO.resolve("static/hello.txt")));
        }
        // The child logs every request it serves on the front's stderr (inherited): none for the static path.
        assertThat(front.stderr()).contains("\"GET / HTTP/1.1\" 200").doesNotContain("hello.txt");
    }

    @Test
    void missingFileUnderAnAliasIs404FromTheFrontNotForwarded() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            assertThat(http.get("/static/nope.css").status()).isEqualTo(404);
            assertThat(http.get("/static/../../etc/passwd").status()).isEqualTo(400);
        }
        assertThat(front.stderr()).doesNotContain("nope.css");
    }

    @Test
    void dynamicPageComesFromTheChild() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            RawHttp.Response response = http.get("/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("Hello from a WSGI app behind front");
        }
    }

    @Test
    void tenMebibyteResponseArrivesIntact() throws Exception {
        int n = 10 * 1024 * 1024;
        try (RawHttp http = RawHttp.connect(front.port())) {
            RawHttp.Response response = http.get("/bytes?n=" + n);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(n);
            byte[] expected = new byte[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (byte) i;
            }
            assertThat(sha256(response.body())).isEqualTo(sha256(expected));
        }
    }

    @Test
    void tenMebibyteUploadArrivesIntact() throws Exception {
        byte[] upload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(upload);
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + upload.length + "\r\n\r\n");
            http.send(upload);
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("\"length\": " + upload.length)
                    .contains("\"sha256\": \"" + sha256(upload) + "\"");
        }
    }

    @Test
    void chunkedUploadReachesTheChildWithAContentLength() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("\"length\": 11")
                    .contains(sha256("hello world".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void keepAliveAndPipeliningAnswerInOrder() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET /static/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /environ HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "HEAD /static/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().bodyText()).startsWith("Hello from a static file");
            assertThat(http.read().bodyText()).contains("\"PATH_INFO\": \"/environ\"");
            RawHttp.Response head = http.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("61");
            assertThat(http.read().bodyText()).contains("Hello from a WSGI app");
            // Still open for one more request.
            assertThat(http.get("/static/style.css").status()).isEqualTo(200);
        }
    }

    @Test
    void childSeesHopByHopHeadersRemovedAndForwardingHeadersSet() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET /environ HTTP/1.1\r\nHost: example.org\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: 1\r\nKeep-Alive: 5\r\nX-Forwarded-For: 6.6.6.6\r\nX-Other: kept\r\n\r\n");
            String environ = http.read().bodyText();
            assertThat(environ).contains("\"HTTP_HOST\": \"example.org\"", "\"HTTP_X_OTHER\": \"kept\"",
                            "\"HTTP_X_FORWARDED_FOR\": \"127.0.0.1\"")
                    .doesNotContain("HTTP_X_SECRET", "HTTP_KEEP_ALIVE", "6.6.6.6");
        }
    }

    @Test
    void absoluteFormReachesTheChildAsOriginFormWithItsAuthorityAsHost() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET http://app.example:8443/environ?x=1 HTTP/1.1\r\nHost: other.example\r\n\r\n");
            String environ = http.read().bodyText();
            assertThat(environ).contains("\"HTTP_HOST\": \"app.example:8443\"", "\"PATH_INFO\": \"/environ\"",
                    "\"QUERY_STRING\": \"x=1\"").doesNotContain("other.example");
        }
    }

    @Test
    void malformedRequestsGetAClearAnswerAndClose() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(400);
            assertThat(http.closedByServer(5000)).isTrue();
        }
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET / HTTP/1.1\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(400); // no Host on HTTP/1.1
        }
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(414);
        }
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(413);
        }
    }

    @Test
    void badOptionExitsTwoWithAOneLineMessageNamingIt() throws Exception {
        try (FrontProcess bad = FrontProcess.startRaw(List.of("--port", "99999", "--no-such-option"))) {
            assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(bad.stderr()).contains("--no-such-option").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(bad.stderr().lines()).hasSize(1);
        }
        try (FrontProcess bad = FrontProcess.startRaw(List.of("--port", "99999"))) {
            assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(bad.stderr().strip()).isEqualTo("front: --port: 99999 (expected: a port from 1 to 65535)");
        }
    }

    @Test
    void aTransportThatCannotBeUsedHereExitsTwoNamingItAndAutoFallsBackToNio() throws Exception {
        // Netty's switch that keeps both native transports from loading, as on a kernel without them
        List<String> noNative = List.of("-Dio.netty.transport.noNative=true");
        int port = FrontProcess.freePort();
        try (FrontProcess bad = FrontProcess.startRaw(noNative, List.of("--port", Integer.toString(port),
                "--transport", "epoll"))) {
            assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(bad.stderr().lines()).singleElement().asString()
                    .startsWith("front: --transport: epoll (not available here: ");
        }
        try (FrontProcess nio = FrontProcess.startRaw(noNative, List.of("--host", "127.0.0.1",
                "--port", Integer.toString(port), "--log-level", "info"))) {
            assertThat(FrontProcess.awaitPort(port, FrontProcess.STARTUP)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!nio.stderr().contains("(nio)") && System.nanoTime() < deadline) {
                Thread.sleep(50); // the startup line follows the bind
            }
            assertThat(nio.stderr()).contains("native transports unavailable").contains("using NIO")
                    .contains("listening on http://127.0.0.1:" + port + " (nio)");
        }
    }

    @Test
    void childThatNeverListensFailsWithinTheStartupTimeout() throws Exception {
        long start = System.nanoTime();
        try (FrontProcess never = FrontProcess.start(List.of("--startup-timeout", "2",
                "--", "python3", "-c", "import time; time.sleep(60)"))) {
            int status = never.awaitExit(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(status).isNotZero();
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            assertThat(never.stderr()).contains("--startup-timeout");
        }
    }

    @Test
    void termStopsTheChildAndExitsWithItsStatus() throws Exception {
        Path script = Files.createTempFile("child", ".py");
        Files.writeString(script, """
                import signal, socket, sys
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
                signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
                while True:
                    c, _ = s.accept(); c.close()
                """);
        try (FrontProcess child = FrontProcess.start(List.of("--log-level", "info",
                "--", "python3", script.toString(), "{port}"))) {
            child.awaitListening(STARTUP);
            waitForChildReady(child);
            child.signal("TERM");
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void termClosesIdleKeepAliveConnectionsInsteadOfWaitingForThem() throws Exception {
        try (FrontProcess drained = FrontProcess.start(List.of("--graceful-timeout", "20", "--keep-alive-timeout", "60",
                "--", "python3", HELLO.resolve("app.py").toString(), "{port}"))) {
            drained.awaitStatus("/", 200, STARTUP);
            try (RawHttp idle = RawHttp.connect(drained.port())) {
                assertThat(idle.get("/").status()).isEqualTo(200);
                long start = System.nanoTime();
                drained.signal("TERM");
                assertThat(idle.closedByServer(10_000)).isTrue();
                drained.awaitExit(Duration.ofSeconds(30));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void sidecarForwardsToAnUpstreamItDidNotStartAndAnswers502WhenItIsGone() throws Exception {
        int upstreamPort = FrontProcess.freePort();
        Process upstream = new ProcessBuilder("python3", HELLO.resolve("app.py").toString(),
                Integer.toString(upstreamPort)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (FrontProcess sidecar = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + upstreamPort,
                "--queue-timeout", "1"))) { // a refused upstream is retried until the queue deadline
            assertThat(FrontProcess.awaitPort(upstreamPort, STARTUP)).isTrue();
            sidecar.awaitStatus("/", 200, STARTUP);
            upstream.destroy();
            upstream.waitFor();
            try (RawHttp http = RawHttp.connect(sidecar.port())) {
                assertThat(http.get("/").status()).isEqualTo(502);
            }
            sidecar.signal("TERM");
            assertThat(sidecar.awaitExit(Duration.ofSeconds(30))).isZero();
        } finally {
            upstream.destroyForcibly();
        }
    }

    @Test
    void gunicornChildIsServed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gunicorn")), "Debian's gunicorn is not installed");
        try (FrontProcess withGunicorn = FrontProcess.start(List.of("--url-alias", "/static",
                HELLO.resolve("static").toString(), "--", "/usr/bin/gunicorn", "--chdir", HELLO.toString(),
                "-b", "127.0.0.1:{port}", "-w", "1", "app:application"))) {
            withGunicorn.awaitStatus("/", 200, STARTUP);
            try (RawHttp http = RawHttp.connect(withGunicorn.port())) {
                RawHttp.Response page = http.get("/");
                assertThat(page.bodyText()).contains("Hello from a WSGI app");
                // gunicorn's sync worker closes after every response; the client connection stays open.
                assertThat(http.get("/environ").bodyText()).contains("\"SERVER_SOFTWARE\": \"gunicorn");
                assertThat(http.get("/static/hello.txt").status()).isEqualTo(200);
            }
            withGunicorn.signal("TERM");
            assertThat(withGunicorn.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    /** This child only accepts TCP connections, so readiness is read from the front's info log. */
    private static void waitForChildReady(FrontProcess front) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!front.stderr().contains("child ready")) {
            assertThat(System.nanoTime()).as("child ready within %s", STARTUP).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
