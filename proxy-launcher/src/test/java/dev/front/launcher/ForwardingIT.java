package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The front in front of a real gunicorn sync worker ({@code -w 1}) that the test starts itself ({@code --upstream}),
 * and in front of a raw server that misbehaves on purpose, spoken to over raw sockets.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardingIT {

    static final Duration STARTUP = Duration.ofSeconds(30);
    static final Path GUNICORN = Path.of("/usr/bin/gunicorn");
    static final Path APPS = resources();

    static Path tempDir;
    static int gunicornPort;
    static Process gunicorn;
    static FrontProcess front;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(GUNICORN), "Debian's gunicorn is not installed");
        tempDir = Files.createTempDirectory("front-forwarding-it");
        gunicornPort = FrontProcess.freePort();
        gunicorn = startGunicorn("127.0.0.1:" + gunicornPort);
        assertThat(FrontProcess.awaitPort(gunicornPort, STARTUP)).isTrue();
        // The heap is kept small on purpose: a body or response held in memory would not fit.
        front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + gunicornPort, "--temp-dir", tempDir.toString(),
                        "--limit-request-body", Long.toString(2L << 30), "--queue-timeout", "20"),
                Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:MaxDirectMemorySize=64m"));
        front.awaitStatus("/fast", 200, STARTUP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
        if (gunicorn != null) {
            FrontProcess.killTree(gunicorn);
        }
        if (tempDir != null) {
            try (Stream<Path> files = Files.list(tempDir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(tempDir);
        }
    }

    static Process startGunicorn(String bind) throws IOException {
        return new ProcessBuilder(GUNICORN.toString(), "--chdir", APPS.toString(), "-b", bind, "-w", "1",
                "--timeout", "120", "echo_app:application")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static int served() throws IOException {
        try (RawHttp http = RawHttp.connect(front.port())) {
            return Integer.parseInt(http.get("/count").bodyText().trim());
        }
    }

    // ---- the request the child receives ----------------------------------------------------------------------

    /** Each vector, then a valid pipelined request that must never be forwarded either. */
    @Test
    void smugglingVectorsAreRefusedAndNeverReachTheChild() throws Exception {
        String valid = "GET /echo?smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        Map<String, Integer> vectors = new java.util.LinkedHashMap<>();
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 501);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501);
        vectors.put("POST /echo HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\nHost: a\n\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX : a\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nX(Y): a\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\n\r\n", 400);
        vectors.put("GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        vectors.put("\0\0GET /echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        vectors.put("xyz\r\nGET /echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nx\r\n0\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5,6\r\n\r\nhello!", 400);
        vectors.put("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400);
        vectors.putAll(http10Twins(vectors));
        for (String host : List.of("a b", "user@evil", "user:pw@evil", "a/b", "a\\b", "a%zz", "a%2", "a:b:c", "a:80x",
                "a:65536", "a:", "[::1", "[zz::1]", "[::1]x", "", "a,b", "..", "a..b")) {
            vectors.put("GET /echo HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400);
            vectors.put("GET /echo HTTP/1.0\r\nHost: " + host + "\r\n\r\n", 400);
        }
        vectors.put("GET http://user@evil/echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        vectors.put("GET http://a:65536/echo HTTP/1.0\r\n\r\n", 400);
        vectors.put("GET http://a:b:c/echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        int before = served();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Integer> vector : vectors.entrySet()) {
            try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
                http.send(vector.getKey() + valid);
                RawHttp.Response response = http.read();
                if (response.status() != vector.getValue() || !http.closedByServer(3000)) {
                    failures.add(response.status() + " for " + printable(vector.getKey()));
                }
            } catch (IOException e) {
                failures.add(e.getMessage() + " for " + printable(vector.getKey()));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(served()).as("requests that reached the child").isEqualTo(before);
    }

    /**
     * The HTTP/1.0 twin of each HTTP/1.1 vector: the same framing rules hold. A transfer coding on 1.0 is faulty
     * framing whatever it says (400, where 1.1 answers an unsupported one 501); 1.0 needs no Host.
     */
    static Map<String, Integer> http10Twins(Map<String, Integer> vectors) {
        Map<String, Integer> twins = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Integer> vector : vectors.entrySet()) {
            String request = vector.getKey();
            int requestLine = request.indexOf(" HTTP/1.1\r\n");
            if (requestLine < 0 || !request.contains("Host: ")) {
                continue; // junk before the request line, a bare LF, or the missing Host that only 1.1 requires
            }
            String twin = request.substring(0, requestLine) + " HTTP/1.0" + request.substring(requestLine + 9);
            twins.put(twin, twin.contains("Transfer-Encoding") ? 400 : vector.getValue());
        }
        return twins;
    }

    /** Hosts that are hosts pass, on both versions and in absolute form, and the child sees them as sent. */
    @Test
    void validHostsReachTheChild() throws Exception {
        for (String host : List.of("example.org:8080", "[::1]:443", "127.0.0.1", "a_b.example", "[2001:db8::1]")) {
            for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
                try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
                    http.send("GET /echo " + version + "\r\nHost: " + host + "\r\n\r\n");
                    RawHttp.Response response = http.read();
                    assertThat(response.status()).as(host + " " + version).isEqualTo(200);
                    assertThat(response.bodyText()).contains("HTTP_HOST\t" + host + "\n");
                }
            }
        }
        try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
            http.send("GET http://[::1]:8443/echo HTTP/1.0\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("HTTP_HOST\t[::1]:8443\n");
        }
    }

    /** A body on a method that defines none is framed by its Content-Length alike on both versions, then forwarded. */
    @Test
    void aBodyOnGetIsFramedAlikeOnBothVersions() throws Exception {
        for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
            try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
                http.send("GET /echo " + version + "\r\nHost: a\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"
                        + "helloGET /echo?next " + version + "\r\nHost: a\r\n\r\n");
                RawHttp.Response response = http.read();
                assertThat(response.status()).as(version).isEqualTo(200);
                assertThat(response.bodyText()).contains("BODY_LENGTH\t5\n");
                RawHttp.Response next = http.read();
                assertThat(next.status()).as(version + ", the request after the body").isEqualTo(200);
                assertThat(next.bodyText()).contains("TARGET\t/echo?next\n");
            }
        }
    }

    @Test
    void childReceivesARebuiltRequest() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("POST http://example.org/echo?q=1 HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\nTE: trailers\r\nTrailer: X-T\r\nUpgrade: h2c\r\nConnection: Upgrade, TE\r\n"
                    + "Proxy-Authorization: secret\r\nProxy-Connection: keep-alive\r\nKeep-Alive: 5\r\n\r\n");
            RawHttp.Response interim = http.read();
            assertThat(interim.status()).isEqualTo(100);
            http.send("5\r\nhello\r\n0\r\nX-T: trailer\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("TARGET\t/echo?q=1\n", "CONTENT_LENGTH\t5\n", "BODY_LENGTH\t5\n",
                            "HTTP_HOST\texample.org\n")
                    .doesNotContain("HTTP_EXPECT", "HTTP_TE", "HTTP_TRAILER", "HTTP_UPGRADE", "HTTP_PROXY_AUTHORIZATION",
                            "HTTP_PROXY_CONNECTION", "HTTP_KEEP_ALIVE", "HTTP_TRANSFER_ENCODING", "HTTP_X_T");
            assertThat(response.header("connection")).isNull(); // gunicorn's "close" is not passed on
            assertThat(http.get("/fast").status()).as("the client connection is still usable").isEqualTo(200);
        }
    }

    @Test
    void tooLargeBodyIsRefusedBeforeItIsSentWithoutContinue() throws Exception {
        int before = served();
        for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
            try (RawHttp http = RawHttp.connect(front.port())) {
                http.send("POST /echo " + version + "\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3000000000\r\n\r\n");
                assertThat(http.read().status()).as(version).isEqualTo(413);
                assertThat(http.closedByServer(3000)).isTrue();
            }
        }
        assertThat(served()).isEqualTo(before);
    }

    /**
     * HTTP/1.0 has no chunked coding: a response the child streams without a length reaches a 1.0 client as it
     * comes and ends with the close; a framed one keeps a connection the client asked to keep, and says so.
     */
    @Test
    void http10ClientsGetNoChunkedCodingAndAnExplicitKeepAlive() throws Exception {
        for (String connection : List.of("", "Connection: keep-alive\r\n")) {
            try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
                http.send("GET /stream?n=3 HTTP/1.0\r\nHost: a\r\n" + connection + "\r\n");
                RawHttp.Response response = http.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("transfer-encoding")).as(connection).isNull();
                assertThat(response.header("connection")).isEqualToIgnoringCase("close");
                assertThat(response.bodyText()).isEqualTo("line 0\nline 1\nline 2\n");
                assertThat(http.closedByServer(3000)).isTrue();
            }
        }
        try (RawHttp http = RawHttp.connect(front.port(), 5000)) {
            http.send("GET /fast HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response kept = http.read();
            assertThat(kept.status()).isEqualTo(200);
            assertThat(kept.header("connection")).isEqualToIgnoringCase("keep-alive");
            http.send("GET /fast HTTP/1.0\r\nHost: a\r\n\r\n");
            RawHttp.Response last = http.read();
            assertThat(last.status()).as("the kept connection serves the next request").isEqualTo(200);
            assertThat(last.header("connection")).isEqualToIgnoringCase("close");
            assertThat(http.closedByServer(3000)).isTrue();
        }
    }

    /** 417 for an expectation the front cannot meet on 1.1; HTTP/1.0 has no Expect, so there it is ignored. */
    @Test
    void expectationsOnBothVersions() throws Exception {
        int before = served();
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: something\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(http.read().status()).isEqualTo(417);
            assertThat(http.closedByServer(3000)).isTrue();
        }
        assertThat(served()).as("the refused request reached the child").isEqualTo(before);
        for (String expectation : List.of("100-continue", "something")) {
            try (RawHttp http = RawHttp.connect(front.port())) {
                http.send("POST /echo HTTP/1.0\r\nHost: a\r\nExpect: " + expectation + "\r\nContent-Length: 5\r\n\r\nhello");
                RawHttp.Response response = http.read();
                assertThat(response.status()).as("HTTP/1.0, Expect: " + expectation + " (no interim 100 either)")
                        .isEqualTo(200);
                assertThat(response.bodyText()).contains("BODY_LENGTH\t5\n").doesNotContain("HTTP_EXPECT");
            }
        }
    }

    @Test
    void headAnd204And304CarryNoBody() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("HEAD /bytes?n=1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response head = http.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("1000");
            for (int code : new int[] {204, 304}) {
                RawHttp.Response response = http.get("/status?code=" + code);
                assertThat(response.status()).isEqualTo(code);
                assertThat(response.header("transfer-encoding")).isNull();
            }
            // Had any body byte leaked, this response would not parse.
            assertThat(http.get("/fast").bodyText()).isEqualTo("fast\n");
        }
    }

    @Test
    void streamingResponseFlowsBeforeItEnds() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), front.port())) {
            socket.setSoTimeout(5000);
            long start = System.nanoTime();
            socket.getOutputStream().write(get("/stream?n=25").getBytes(StandardCharsets.ISO_8859_1));
            java.io.InputStream in = socket.getInputStream();
            byte[] head = readUntil(in, "line 0\n");
            long firstLine = System.nanoTime() - start;
            assertThat(new String(head, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT))
                    .contains("transfer-encoding: chunked");
            // The whole response takes 5 s; the first line must not wait for it (the bound leaves room for a loaded
            // machine while still telling a buffered response from a streamed one).
            assertThat(Duration.ofNanos(firstLine)).isLessThan(Duration.ofMillis(2500));
        }
    }

    // ---- buffering ---------------------------------------------------------------------------------------------

    /**
     * Clients that send a request and leave while its response is on the way (gunicorn writes the head and the
     * body separately): what arrives for them after the front noticed is dropped, never spooled to a temp file.
     * The delays spread the closes over the child's response time; before the fix about one in twenty of these
     * responses went to a file.
     */
    @Test
    void aResponseForAClientThatLeftIsNotSpooled() throws Exception {
        try (WatchService watch = tempDir.getFileSystem().newWatchService()) {
            tempDir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Random random = new Random(5);
            for (int i = 0; i < 300; i++) {
                try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                        front.port())) {
                    socket.getOutputStream().write(get("/fast").getBytes(StandardCharsets.ISO_8859_1));
                    LockSupport.parkNanos(random.nextLong(TimeUnit.MILLISECONDS.toNanos(4)));
                }
            }
            front.awaitStatus("/fast", 200, STARTUP); // the child is free again
            List<String> created = new ArrayList<>();
            WatchKey key;
            while ((key = watch.poll(500, TimeUnit.MILLISECONDS)) != null) {
                key.pollEvents().forEach(event -> created.add(event.context().toString()));
                key.reset();
            }
            assertThat(created).as("temp files created for clients that had left").isEmpty();
        }
    }

    @Test
    void slowUploadAndSlowDownloadDoNotHoldTheSingleWorker() throws Exception {
        int download = 32 * 1024 * 1024;
        try (RawHttp slowUpload = RawHttp.connect(front.port());
             RawHttp slowDownload = RawHttp.connect(front.port())) {
            // An upload that trickles at about 1 KB/s: the child must not see it before it is complete.
            slowUpload.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 8; i++) {
                        slowUpload.send(new byte[1024]);
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            // A large download that the client does not read: the front must drain it from the child anyway.
            slowDownload.send("GET /bytes?n=" + download + " HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(1500);
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (RawHttp fast = RawHttp.connect(front.port(), 5000)) {
                    assertThat(fast.get("/fast").status()).isEqualTo(200);
                }
                // Held behind the trickling upload or the unread download, it would wait for as long as they last.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                Thread.sleep(500);
            }
            trickle.get(30, TimeUnit.SECONDS);
            try (Stream<Path> spooled = Files.list(tempDir)) {
                assertThat(spooled.count()).as("the response waiting in a temp file").isPositive();
            }
            RawHttp.Response response = slowDownload.read();
            assertThat(response.body()).hasSize(download);
            for (int i = 0; i < download; i += 4099) {
                assertThat(response.body()[i]).isEqualTo((byte) (i % 251));
            }
        }
        awaitNoTempFiles();
    }

    @Test
    void largeUploadArrivesIntactWithBoundedMemoryAndNoTempFileLeft() throws Exception {
        long size = Long.getLong("front.it.uploadBytes", 256L * 1024 * 1024);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        new java.util.Random(7).nextBytes(block);
        long start = System.nanoTime();
        try (RawHttp http = RawHttp.connect(front.port(), 60_000)) {
            http.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
            OutputStream out = http.output();
            for (long sent = 0; sent < size; sent += block.length) {
                int n = (int) Math.min(block.length, size - sent);
                out.write(block, 0, n);
                digest.update(block, 0, n);
            }
            out.flush();
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("BODY_LENGTH\t" + size + "\n",
                    "BODY_SHA256\t" + HexFormat.of().formatHex(digest.digest()) + "\n");
        }
        long rssKib = statusKib(front.pid(), "VmHWM");
        System.out.printf("ForwardingIT: %d MiB upload in %d ms; front peak RSS %d MiB (heap cap 64 MiB)%n",
                size >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), rssKib >> 10);
        assertThat(rssKib).as("peak RSS of the front, KiB").isLessThan(400 * 1024);
        awaitNoTempFiles();
    }

    // ---- the child going away ------------------------------------------------------------------------------------

    @Test
    void requestDuringAChildRestartWaitsAndSucceeds() throws Exception {
        FrontProcess.killTree(gunicorn);
        try (RawHttp http = RawHttp.connect(front.port(), 20_000)) {
            http.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(1500); // the request is in the gap
            gunicorn = startGunicorn("127.0.0.1:" + gunicornPort);
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("fast\n");
        }
    }

    @Test
    void unixSocketUpstream() throws Exception {
        Path socket = tempDir.resolveSibling("front-it-" + ProcessHandle.current().pid() + ".sock");
        Process unixGunicorn = startGunicorn("unix:" + socket);
        try (FrontProcess unixFront = FrontProcess.start(List.of("--upstream", "unix:" + socket))) {
            unixFront.awaitStatus("/fast", 200, STARTUP);
            try (RawHttp http = RawHttp.connect(unixFront.port())) {
                http.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
                assertThat(http.read().bodyText()).contains("BODY_LENGTH\t3\n");
            }
        } finally {
            FrontProcess.killTree(unixGunicorn);
            Files.deleteIfExists(socket);
        }
    }

    // ---- limits, timeouts and a misbehaving child ------------------------------------------------------------

    @Test
    void limitsTimeoutsAndMisbehavingChild() throws Exception {
        int port = FrontProcess.freePort();
        Process bad = new ProcessBuilder("python3", APPS.resolve("misbehaving_upstream.py").toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (FrontProcess strict = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + port,
                "--limit-request-body", "1000", "--header-timeout", "1", "--body-timeout", "1",
                "--request-timeout", "3", "--queue-timeout", "1", "--max-concurrency", "1"))) {
            assertThat(FrontProcess.awaitPort(port, STARTUP)).isTrue();
            strict.awaitStatus("/ok", 200, STARTUP);
            int p = strict.port();
            assertThat(status(p, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(414);
            assertThat(status(p, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(9000) + "\r\n\r\n")).isEqualTo(431);
            assertThat(status(p, "GET / HTTP/1.1\r\nHost: a\r\n" + "X: b\r\n".repeat(101) + "\r\n")).isEqualTo(431);
            StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
            for (int i = 0; i < 8; i++) {
                big.append("X-").append(i).append(": ").append("c".repeat(5000)).append("\r\n");
            }
            assertThat(status(p, big + "\r\n")).isEqualTo(431);
            assertThat(status(p, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n")).isEqualTo(413);
            assertThat(status(p, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3e8\r\n" + "d".repeat(1000) + "\r\n1\r\nd\r\n0\r\n\r\n")).isEqualTo(413);
            // Slow head, slow body: 408 and close.
            try (RawHttp http = RawHttp.connect(p, 5000)) {
                http.send("GET / HTTP/1.1\r\nHo");
                assertThat(http.read().status()).isEqualTo(408);
                assertThat(http.closedByServer(3000)).isTrue();
            }
            try (RawHttp http = RawHttp.connect(p, 5000)) {
                http.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
                assertThat(http.read().status()).isEqualTo(408);
                assertThat(http.closedByServer(3000)).isTrue();
            }
            // The child's misbehaviours.
            assertThat(status(p, get("/close"))).isEqualTo(502);
            assertThat(status(p, get("/bad-status"))).isEqualTo(502);
            assertThat(status(p, get("/cl-and-te"))).isEqualTo(502);
            assertThat(status(p, get("/two-cl"))).isEqualTo(502);
            assertThat(status(p, get("/101"))).isEqualTo(502);
            try (RawHttp http = RawHttp.connect(p, 5000)) {
                http.send(get("/short"));
                byte[] raw = http.readToClose();
                String text = new String(raw, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                assertThat(text).startsWith("http/1.1 200").contains("content-length: 100").endsWith("\r\n\r\n0123456789");
            }
            try (RawHttp http = RawHttp.connect(p, 5000)) {
                // A client that reads late gets all that came before the cut, then the close.
                http.send(get("/short-big"));
                Thread.sleep(1000);
                String text = new String(http.readToClose(), StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("HTTP/1.1 200");
                assertThat(text.length() - text.indexOf("\r\n\r\n") - 4).isEqualTo(8 << 20);
            }
            try (RawHttp http = RawHttp.connect(p, 5000)) {
                http.send(get("/chunked-cut"));
                String text = new String(http.readToClose(), StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("HTTP/1.1 200").contains("hello").doesNotContain("\r\n0\r\n\r\n");
            }
            // No answer within --request-timeout: 504; a request queued behind it meanwhile: 503 + Retry-After.
            try (RawHttp silent = RawHttp.connect(p, 10_000); RawHttp queued = RawHttp.connect(p, 10_000)) {
                long start = System.nanoTime();
                silent.send(get("/silent"));
                Thread.sleep(200);
                queued.send(get("/ok"));
                RawHttp.Response refused = queued.read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("retry-after")).isNotNull();
                assertThat(silent.read().status()).isEqualTo(504);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(2900),
                        Duration.ofSeconds(6));
            }
            assertThat(status(p, get("/ok"))).as("the slot was given back").isEqualTo(200);
        } finally {
            bad.destroyForcibly();
            bad.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A refusal that ends the connection while the client is still sending (a body over the limit, a head too
     * large) reaches the client instead of a reset: the front drains what still comes (lingering close). 48 MiB is
     * far more than the two sockets' buffers hold, so a front that closed at once would fail the client's writes.
     */
    @Test
    void aClientStillSendingReadsItsRefusalNotAReset() throws Exception {
        try (FrontProcess strict = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + gunicornPort,
                "--limit-request-body", "1000"))) {
            strict.awaitStatus("/fast", 200, STARTUP);
            int p = strict.port();
            int before = served();
            byte[] filler = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = ("10000\r\n" + "x".repeat(64 * 1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(refusedWhileSending(p, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + (48 << 20)
                    + "\r\n\r\n", filler)).isEqualTo(413);
            assertThat(refusedWhileSending(p, "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                    chunk)).isEqualTo(413);
            assertThat(refusedWhileSending(p, "GET /fast HTTP/1.1\r\nHost: a\r\nX-Long: ", filler)).isEqualTo(431);
            // A request after one that asked to close is not read, let alone forwarded.
            try (RawHttp http = RawHttp.connect(p, 10_000)) {
                http.send("GET /fast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get("/fast"));
                assertThat(http.read().status()).isEqualTo(200);
                assertThat(http.readToClose()).isEmpty();
            }
            assertThat(served()).isEqualTo(before + 1);
        }
    }

    /** Sends {@code head}, then 48 MiB of {@code filler} (a failed write fails the test); the status answered. */
    static int refusedWhileSending(int port, String head, byte[] filler) throws IOException {
        try (RawHttp http = RawHttp.connect(port, 10_000)) {
            http.send(head);
            for (int sent = 0; sent < 48 << 20; sent += filler.length) {
                http.output().write(filler);
            }
            http.output().flush();
            int status = http.read().status();
            assertThat(http.closedByServer(3000)).as("end of stream after the answer").isTrue();
            return status;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    static int status(int port, String raw) throws IOException {
        try (RawHttp http = RawHttp.connect(port, 10_000)) {
            http.send(raw);
            return http.read().status();
        }
    }

    static byte[] readUntil(java.io.InputStream in, String marker) throws IOException {
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before " + marker);
            }
            seen.write(c);
        }
        return seen.toByteArray();
    }

    static void awaitNoTempFiles() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Path> left;
        do {
            try (Stream<Path> files = Files.list(tempDir)) {
                left = files.toList();
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("temp files left behind").isEmpty();
    }

    static long statusKib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not found for " + pid);
    }

    static String printable(String raw) {
        return raw.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    static Path resources() {
        try {
            return Path.of(ForwardingIT.class.getResource("/forwarding/echo_app.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
