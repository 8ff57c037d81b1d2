package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/http2.md end to end: the real front.jar with {@code --http2} in front of the example app, spoken to by the
 * HTTP/2 clients Debian ships (curl, nghttp, h2load) and by python3-h2 clients that misbehave
 * ({@code http2/h2_client.py}, run with Debian's /usr/bin/python3).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Http2IT {

    static final String PY = "/usr/bin/python3";

    @TempDir
    static Path tmp;
    static Path files;
    static byte[] big;
    static FrontProcess front;

    @BeforeAll
    static void start() throws Exception {
        files = Files.createDirectory(tmp.resolve("files"));
        big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(files.resolve("big.bin"), big);
        front = FrontProcess.startHello(List.of("--http2", "--access-log", "--url-alias", "/files", files.toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + front.port() + path;
    }

    @Test
    void aForwardedPageComesOverHttp2() throws Exception {
        Run page = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}",
                url("/")));
        assertThat(page.out()).contains("Hello from a WSGI app").endsWith("\n2 200");
    }

    @Test
    void aPostBodyReachesTheChildWhole() throws Exception {
        byte[] body = new byte[200_000];
        new Random(11).nextBytes(body);
        Path file = Files.write(tmp.resolve("body.bin"), body);
        Run post = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + file,
                url("/upload")));
        assertThat(post.out()).contains("\"length\": 200000").contains(sha256(body));
    }

    @Test
    void aStaticFileAndARangeAreByteExact() throws Exception {
        Path whole = tmp.resolve("whole.bin");
        Run get = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-o", whole.toString(), "-w",
                "%{http_version} %{http_code}", url("/files/big.bin")));
        assertThat(get.out()).isEqualTo("2 200");
        assertThat(Files.readAllBytes(whole)).isEqualTo(big);

        Path part = tmp.resolve("part.bin");
        Run range = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-r", "1000-170999", "-o", part.toString(),
                "-w", "%{http_version} %{http_code}", url("/files/big.bin")));
        assertThat(range.out()).isEqualTo("2 206");
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(big, 1000, 171000));
    }

    @Test
    void aSpooledResponseToASlowClientArrivesWhole() throws Exception {
        // 4 MB read at 2 MB/s: the child is faster, so the front spools the rest and sends it in read pieces.
        Path out = tmp.resolve("spooled.bin");
        Run get = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--limit-rate", "2M", "-o", out.toString(),
                url("/bytes?n=4000000")));
        assertThat(get.exit()).isZero();
        byte[] got = Files.readAllBytes(out);
        assertThat(got).hasSize(4_000_000);
        for (int i = 0; i < got.length; i += 4093) {
            assertThat(got[i] & 0xff).as("byte %d", i).isEqualTo(i % 256);
        }
    }

    @Test
    void theChildSeesTheClientAndTheAuthority() throws Exception {
        Run environ = run(List.of("curl", "-sS", "--http2-prior-knowledge", url("/environ")));
        assertThat(environ.out())
                .contains("\"HTTP_HOST\": \"127.0.0.1:" + front.port() + "\"")
                .contains("\"HTTP_X_FORWARDED_FOR\": \"127.0.0.1\"")
                .contains("\"HTTP_X_FORWARDED_PROTO\": \"http\"")
                .doesNotContain("HTTP2", "STREAM_ID", "\"HTTP_CONNECTION\"");
    }

    @Test
    void manyConcurrentStreamsOnOneConnection() throws Exception {
        Run nghttp = run(List.of("nghttp", "-nv", "-m", "60", url("/files/big.bin")));
        assertThat(nghttp.out()).contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100");
        assertThat(count(nghttp.out(), ":status: 200")).isEqualTo(60);
        // connection-specific fields never go out on HTTP/2
        assertThat(nghttp.out()).doesNotContain("connection:", "keep-alive:", "transfer-encoding:");
        assertThat(count(nghttp.out(), "recv GOAWAY")).isZero();
    }

    @Test
    void theStreamsOfAConnectionReuseItsChildConnections() throws Exception {
        assumeTrue(Files.isExecutable(Gunicorn.BINARY), "Debian's gunicorn is not installed");
        Path apps = Path.of(script()).getParent();
        try (FrontProcess threaded = FrontProcess.start(List.of("--http2", "--", Gunicorn.BINARY.toString(),
                "-k", "gthread", "--threads", "10", "-b", "127.0.0.1:{port}", "--chdir", apps.toString(),
                "port_app:application"))) {
            threaded.awaitStatus("/", 200, FrontProcess.STARTUP);
            Run rounds = run(List.of(PY, script(), "rounds", String.valueOf(threaded.port()), "6", "5"));
            List<String> ports = rounds.out().lines().filter(line -> line.startsWith("BODY port=")).toList();
            assertThat(ports).as(rounds.out()).hasSize(30);
            // five streams at a time need five child connections, kept from one round to the next
            assertThat(ports.stream().distinct().count()).as(rounds.out()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void aTruncatedChildResponseResetsOnlyItsStream() throws Exception {
        int port = FrontProcess.freePort();
        Process bad = new ProcessBuilder("python3", ForwardingIT.APPS.resolve("misbehaving_upstream.py").toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (FrontProcess sidecar = FrontProcess.start(List.of("--http2", "--upstream", "127.0.0.1:" + port))) {
            assertThat(FrontProcess.awaitPort(port, FrontProcess.STARTUP)).isTrue();
            sidecar.awaitStatus("/ok", 200, FrontProcess.STARTUP);
            // stream 1: 16 MiB announced, 8 MiB sent, then the upstream closes; stream 3 beside it, 5 after it
            Run run = run(List.of(PY, script(), "truncated", String.valueOf(sidecar.port()), "/short-big"));
            assertThat(run.out()).contains("RESET 1 8", "STATUS 3 200", "ENDED 3", "STATUS 5 200", "ENDED 5")
                    .doesNotContain("ENDED 1", "GOAWAY", "CLOSED");
        } finally {
            FrontProcess.killTree(bad);
        }
    }

    @Test
    void h2loadGetsOnly2xx() throws Exception {
        Run load = run(List.of("h2load", "-n", "2000", "-c", "4", "-m", "10", url("/")));
        assertThat(load.out()).contains("2000 succeeded, 0 failed, 0 errored")
                .contains("status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx");
    }

    @Test
    void http11GoesOnOnTheSamePort() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            assertThat(http.get("/").status()).isEqualTo(200);
            assertThat(http.get("/files/big.bin").body()).isEqualTo(big); // same connection, kept alive
        }
    }

    @Test
    void theAccessLogSaysHttp2() throws Exception {
        run(List.of("curl", "-sS", "--http2-prior-knowledge", url("/files/big.bin?logged")));
        assertThat(front.awaitStdout("\"GET /files/big.bin?logged HTTP/2.0\" 200 300000")).as(front.stdout()).isTrue();
    }

    @Test
    void rapidResetEndsTheConnectionWithGoaway() throws Exception {
        Run attack = h2client("rapid-reset");
        assertThat(attack.out()).contains("GOAWAY 11", "CLOSED"); // ENHANCE_YOUR_CALM
        assertFrontAnswers();
    }

    @Test
    void aContinuationFloodEndsTheConnection() throws Exception {
        Run attack = h2client("continuation-flood");
        assertThat(attack.out()).contains("GOAWAY 11", "CLOSED");
        // ended after a bounded number of frames, not when the client gave up after 20 s
        int sent = Integer.parseInt(attack.out().replaceAll("(?s).*SENT (\\d+).*", "$1"));
        assertThat(sent).isLessThan(1000);
        assertFrontAnswers();
    }

    @Test
    void aStreamPastTheHundredIsRefused() throws Exception {
        Run attack = h2client("too-many-streams");
        // streams 1, 3 ... 199 are open and waiting for their bodies; the 101st (201) is refused
        assertThat(attack.out()).contains("RESET 201 7").doesNotContain("RESET 199", "GOAWAY", "CLOSED");
    }

    @Test
    void aWindowThatNeverOpensHoldsOnlyItsOwnStream() throws Exception {
        Process held = new ProcessBuilder(PY, script(), "zero-window", String.valueOf(front.port()),
                "/bytes?n=3000000").redirectErrorStream(true).start();
        try {
            // once the stuck stream is under way, another connection is still answered at once
            assertThat(new String(held.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("ASKED\n");
            Thread.sleep(1000);
            assertFrontAnswers();
            Run other = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w",
                    "%{http_code}", "--max-time", "10", url("/files/big.bin")));
            assertThat(other.out()).isEqualTo("200");
            assertThat(front.isAlive()).isTrue();
        } finally {
            held.destroy();
            held.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHeadLimitsAreHttp11s() throws Exception {
        String field = "x-big: " + "a".repeat(9000); // over the 8 KiB of one field
        String head = "x-many: " + "b".repeat(7000); // five of them: over the 32 KiB of a whole head
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            many.addAll(List.of("-H", head.replace("x-many", "x-many-" + i)));
        }
        for (List<String> protocol : List.of(List.of("--http2-prior-knowledge"), List.of("--http1.1"))) {
            assertThat(status(protocol, List.of("-H", field), "/")).as(protocol + " field").isEqualTo("431");
            assertThat(status(protocol, many, "/")).as(protocol + " head").isEqualTo("431");
            assertThat(status(protocol, List.of(), "/" + "c".repeat(9000))).as(protocol + " target").isEqualTo("414");
            assertThat(status(protocol, List.of(), "/")).as(protocol.toString()).isEqualTo("200");
        }
    }

    String status(List<String> protocol, List<String> headers, String path) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        command.addAll(protocol);
        command.addAll(headers);
        command.add(url(path));
        return run(command).out();
    }

    @Test
    void webSocketOverHttp2IsNotOffered() throws Exception {
        Run nghttp = run(List.of("nghttp", "-nv", url("/")));
        assertThat(nghttp.out()).doesNotContain("SETTINGS_ENABLE_CONNECT_PROTOCOL");
        Run connect = h2client("extended-connect");
        assertThat(connect.out()).contains("STATUS 1 400").doesNotContain("STATUS 1 200");
    }

    @Test
    void withoutTheOptionThePrefaceIsRefusedAsBefore() throws Exception {
        try (FrontProcess plain = FrontProcess.startHello(List.of());
             RawHttp http = RawHttp.connect(plain.port())) {
            RawHttp.Response answer = http.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read();
            assertThat(answer.status()).isEqualTo(505);
            Run curl = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--max-time", "10",
                    "http://127.0.0.1:" + plain.port() + "/"));
            assertThat(curl.exit()).isNotZero();
        }
    }

    @Test
    void termSaysGoawayAndTheStreamInFlightFinishes() throws Exception {
        try (FrontProcess stopping = FrontProcess.startHello(List.of("--http2"))) {
            Process client = new ProcessBuilder(PY, script(), "drain", String.valueOf(stopping.port()))
                    .redirectErrorStream(true).start();
            InputStream out = client.getInputStream();
            assertThat(new String(out.readNBytes(8), StandardCharsets.UTF_8)).isEqualTo("STARTED\n");
            // TERM once the child has answered: the front holds what the client has not read yet
            String answered = "\"GET /bytes?n=2000000 HTTP/1.1\" 200";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(stopping.stdout() + stopping.stderr()).contains(answered) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(stopping.stdout() + stopping.stderr()).contains(answered);
            stopping.signal("TERM");
            Thread.sleep(500);
            OutputStream in = client.getOutputStream();
            in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            String said = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            client.waitFor(30, TimeUnit.SECONDS);
            assertThat(said).as(stopping.stderr()).contains("GOAWAY 0", "ENDED 1 2000000", "CLOSED");
            assertThat(said.indexOf("GOAWAY 0")).isLessThan(said.indexOf("ENDED 1"));
            assertThat(stopping.awaitExit(java.time.Duration.ofSeconds(30))).isEqualTo(143); // as after any TERM
        }
    }

    /** The front still answers a new HTTP/2 connection. */
    void assertFrontAnswers() throws Exception {
        Run page = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--max-time", "10", "-o", "/dev/null", "-w",
                "%{http_code}", url("/")));
        assertThat(page.out()).isEqualTo("200");
    }

    record Run(int exit, String out) {
    }

    static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Run h2client(String scenario) throws Exception {
        List<String> command = new ArrayList<>(List.of(PY, script(), scenario, String.valueOf(front.port())));
        return run(command);
    }

    static String script() throws Exception {
        return Path.of(Http2IT.class.getResource("/http2/h2_client.py").toURI()).toString();
    }

    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
