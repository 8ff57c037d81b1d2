package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults found by fault injection and fuzzing, each on the real front.jar: a request body that never comes on a route
 * that does not forward, a child's head with a line that is not a field, a temp directory that is full.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultsIT {

    static final Duration STARTUP = Duration.ofSeconds(30);
    static final Path APPS = ForwardingIT.APPS;

    static Path staticDir;

    @BeforeAll
    static void files() throws IOException {
        staticDir = Files.createTempDirectory("front-faults-static");
        Files.writeString(staticDir.resolve("small.txt"), "small\n");
    }

    @AfterAll
    static void removeFiles() throws IOException {
        if (staticDir != null) {
            try (Stream<Path> files = Files.list(staticDir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(staticDir);
        }
    }

    // ---- a request body on a route that does not forward -----------------------------------------------------

    /**
     * A static alias and the 404 of a front that forwards nowhere drain a request body before they answer, bounded
     * like a forwarded body: a body that never comes gets 408 and the close at {@code --body-timeout} (it used to
     * hold every such connection open for good), one past {@code --limit-request-body} gets 413, one that comes
     * is dropped and the answer follows on a connection that stays usable.
     */
    @Test
    void aRequestBodyOnARouteThatDoesNotForwardIsBoundedByTheBodyTimeout() throws Exception {
        try (FrontProcess front = FrontProcess.start(List.of("--url-alias", "/static", staticDir.toString(),
                "--body-timeout", "1", "--limit-request-body", "1000"))) {
            front.awaitStatus("/static/small.txt", 200, STARTUP);
            int port = front.port();
            for (String path : List.of("/static/small.txt", "/nowhere")) {
                long start = System.nanoTime();
                List<RawHttp> stalled = new ArrayList<>();
                try {
                    for (int i = 0; i < 10; i++) {
                        stalled.add(RawHttp.connect(port, 10_000).send("GET " + path
                                + " HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n"));
                    }
                    for (RawHttp http : stalled) {
                        assertThat(http.read().status()).as(path).isEqualTo(408);
                        assertThat(http.closedByServer(3000)).as(path).isTrue();
                    }
                } finally {
                    for (RawHttp http : stalled) {
                        http.close();
                    }
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
                try (RawHttp http = RawHttp.connect(port, 10_000)) {
                    http.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
                    assertThat(http.read().status()).as(path).isEqualTo(413);
                    assertThat(http.closedByServer(3000)).isTrue();
                }
                try (RawHttp http = RawHttp.connect(port, 10_000)) {
                    http.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "3e8\r\n" + "d".repeat(1000) + "\r\n1\r\nd\r\n0\r\n\r\n");
                    assertThat(http.read().status()).as(path).isEqualTo(413);
                }
                try (RawHttp http = RawHttp.connect(port, 10_000)) {
                    http.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel");
                    Thread.sleep(300);
                    http.send("lo");
                    int expected = path.startsWith("/static") ? 200 : 404;
                    assertThat(http.read().status()).isEqualTo(expected);
                    assertThat(http.get(path).status()).as("the connection stays usable").isEqualTo(expected);
                }
            }
        }
    }

    // ---- the child's malformed heads --------------------------------------------------------------------------

    /** A head line without a colon was relayed as a field ({@code this: }) under a 200. */
    @Test
    void aChildHeadLineThatIsNotAFieldIsABadGateway() throws Exception {
        int port = FrontProcess.freePort();
        Process bad = new ProcessBuilder("python3", APPS.resolve("misbehaving_upstream.py").toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (FrontProcess front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + port))) {
            assertThat(FrontProcess.awaitPort(port, STARTUP)).isTrue();
            front.awaitStatus("/ok", 200, STARTUP);
            try (RawHttp http = RawHttp.connect(front.port(), 10_000)) {
                RawHttp.Response response = http.get("/not-a-header");
                assertThat(response.status()).isEqualTo(502);
                assertThat(response.header("this")).isNull();
            }
        } finally {
            bad.destroyForcibly();
            bad.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- a full temp directory --------------------------------------------------------------------------------

    /**
     * {@code --temp-dir} on a 2 MiB tmpfs: an 8 MiB response to a client that reads late fills it. The response
     * used to stop there for good (the spool waited for a write that had failed, its file held open, and a TERM
     * waited the whole graceful timeout); now it comes whole at the client's pace, the file is gone, and one warn
     * line says so. An upload past the memory buffer that cannot be stored gets 507 and one warn line.
     */
    @Test
    void aFullTempDirectorySlowsAResponseDownAndRefusesAnUploadWith507() throws Exception {
        assumeTrue(Files.isExecutable(ForwardingIT.GUNICORN), "Debian's gunicorn is not installed");
        Path small = Files.createTempDirectory("front-faults-tmpfs");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted) {
            Files.deleteIfExists(small);
        }
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?)");
        int gunicornPort = FrontProcess.freePort();
        Process gunicorn = ForwardingIT.startGunicorn("127.0.0.1:" + gunicornPort);
        try (FrontProcess front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + gunicornPort,
                "--temp-dir", small.toString(), "--graceful-timeout", "40"))) {
            assertThat(FrontProcess.awaitPort(gunicornPort, STARTUP)).isTrue();
            front.awaitStatus("/fast", 200, STARTUP);
            int n = 8 << 20;
            try (RawHttp http = RawHttp.connect(front.port(), 15_000)) {
                http.send("GET /bytes?n=" + n + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(2000); // the front spools what the client does not take, until the tmpfs is full
                RawHttp.Response response = http.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).hasSize(n);
                for (int i = 0; i < n; i++) {
                    if (response.body()[i] != (byte) (i % 251)) {
                        throw new AssertionError("wrong byte at " + i);
                    }
                }
                assertThat(http.get("/fast").status()).as("the connection goes on").isEqualTo(200);
            }
            assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> spoolFiles(small) == 0))
                    .as("the spool file is deleted").isTrue();
            assertThat(warnLines(front, "cannot buffer a response")).isEqualTo(1);

            byte[] filler = new byte[1 << 20];
            try (var out = Files.newOutputStream(small.resolve("filler"))) {
                for (int i = 0; i < 4; i++) {
                    out.write(filler);
                }
            } catch (IOException full) {
                // full: what the test wants
            }
            try (RawHttp http = RawHttp.connect(front.port(), 15_000)) {
                int length = 1 << 20;
                http.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n");
                RawHttp.Response response;
                try {
                    http.send(new byte[length]);
                } catch (IOException refusedMidway) {
                    // the front answered and stopped reading: the answer is still there to read
                }
                response = http.read();
                assertThat(response.status()).isEqualTo(507);
            }
            assertThat(warnLines(front, "cannot buffer a request body")).isEqualTo(1);
            Files.delete(small.resolve("filler"));
            assertThat(spoolFiles(small)).as("the upload's temp file is deleted").isZero();

            long stopping = System.nanoTime();
            front.signal("TERM");
            front.awaitExit(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(20));
            assertThat(front.stderr()).as("no stack trace").doesNotContain("\tat ");
        } finally {
            FrontProcess.killTree(gunicorn);
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(small);
        }
    }

    private static long spoolFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("front-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long warnLines(FrontProcess front, String text) {
        return front.stderr().lines().filter(line -> line.contains(text)).count();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
