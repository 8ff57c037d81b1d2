package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded soak: the front spawns a real gunicorn (3 sync workers on {@code {socket}}) and serves a static alias,
 * while client threads send mixed traffic over raw keep-alive connections (static files whole and in ranges, small
 * and large forwarded responses, some read late so they are spooled, uploads in memory and past the memory buffer
 * with their digests echoed back, pipelined requests, clients that leave mid-response). Meanwhile the child is
 * killed twice (the front restarts it) and the front gets a HUP once (the front replaces gunicorn with a new one,
 * which must fail nothing). Every 200 and 206 is checked byte for byte; failures (502/503/504, connection errors, cut responses)
 * may happen only around those events; and afterwards the front's descriptors, temp files and live heap are back
 * near where they were before the traffic. {@code -Dsoak.seconds=N} sets the traffic's length (default 45); the
 * longer run is {@code bench/soak}.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SoakIT {

    static final int SECONDS = Integer.getInteger("soak.seconds", 45);
    static final int CLIENTS = 4;
    /** Failures are expected from just before a kill or HUP until the child is back and the queue has drained. */
    static final long WINDOW_BEFORE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long WINDOW_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final Pattern GENERATION_USED =
            Pattern.compile("^\\s*(?:DefNew|Tenured|def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K",
                    Pattern.MULTILINE);

    record StaticFile(String name, byte[] bytes, String sha256) {
    }

    /** What went wrong, and when (nanoTime). */
    record Failure(long at, String what) {
    }

    private final List<Long> events = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final AtomicLong checked = new AtomicLong();

    @Test
    void mixedTrafficThroughKillsAndAHupLeavesNoWrongBodyAndNoLeak() throws Exception {
        assumeTrue(Files.isExecutable(ForwardingIT.GUNICORN), "Debian's gunicorn is not installed");
        Path staticDir = Files.createTempDirectory("front-soak-static");
        Path tempDir = Files.createTempDirectory("front-soak-temp");
        Random random = new Random(42);
        List<StaticFile> files = new ArrayList<>();
        for (int size : new int[] {1000, 100_000, 1 << 20}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(staticDir.resolve("f" + size + ".bin"), bytes);
            files.add(new StaticFile("f" + size + ".bin", bytes, sha256(bytes)));
        }
        try (FrontProcess front = FrontProcess.start(List.of("--url-alias", "/static", staticDir.toString(),
                        "--temp-dir", tempDir.toString(), "--queue-timeout", "20",
                        "--", ForwardingIT.GUNICORN.toString(), "--chdir", ForwardingIT.APPS.toString(),
                        "-b", "unix:{socket}", "-w", "3", "--timeout", "60", "echo_app:application"),
                Map.of("JAVA_TOOL_OPTIONS", "-Xmx128m"))) {
            front.awaitStatus("/fast", 200, FrontProcess.STARTUP);
            // Warm up every path once, then take the baseline.
            for (int i = 0; i < 3; i++) {
                Client warm = new Client(front.port(), files, new Random(i), Long.MAX_VALUE);
                for (int op = 0; op < Client.OPS; op++) {
                    warm.run(op);
                }
                warm.close();
            }
            assertThat(wrong).as("wrong answers while warming up").isEmpty();
            failures.clear();
            Thread.sleep(6000); // lingering closes of the warm-up end
            int baseFds = descriptors(front.pid());
            long baseHeap = liveHeap(front.pid());

            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                long seed = 100 + i;
                clients.add(Thread.ofPlatform().name("soak-" + i).start(() -> {
                    Random r = new Random(seed);
                    Client client = new Client(front.port(), files, r, end);
                    while (System.nanoTime() < end) {
                        client.run(r.nextInt(Client.OPS));
                    }
                    client.close();
                }));
            }
            sleepUntil(start + TimeUnit.SECONDS.toNanos(SECONDS) * 25 / 100);
            killChild(front);
            sleepUntil(start + TimeUnit.SECONDS.toNanos(SECONDS) * 55 / 100);
            killChild(front);
            sleepUntil(start + TimeUnit.SECONDS.toNanos(SECONDS) * 80 / 100);
            events.add(System.nanoTime());
            front.signal("HUP");
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(SECONDS + 60));
            }

            List<String> outside = new ArrayList<>();
            for (Failure failure : failures) {
                if (!nearAnEvent(failure.at())) {
                    outside.add(String.format("%.1f s: %s", (failure.at() - start) / 1e9, failure.what()));
                }
            }
            String eventTimes = events.stream().map(e -> String.format("%.1f", (e - start) / 1e9)).toList().toString();
            System.out.printf("soak: %d answers checked, %d failures (%d outside the windows), events at %s s%n",
                    checked.get(), failures.size(), outside.size(), eventTimes);
            assertThat(wrong).as("wrong answers").isEmpty();
            assertThat(outside).as("failures away from the kills and the HUP (at %s s)", eventTimes).isEmpty();
            assertThat(checked.get()).as("answers checked").isGreaterThan(SECONDS * 10L);
            assertThat(front.isAlive()).isTrue();
            assertThat(front.stderr()).as("leaks").doesNotContain("LEAK:");

            assertThat(ProcFiles.await(Duration.ofSeconds(40), () -> tempFiles(tempDir) == 0))
                    .as("temp files left in --temp-dir").isTrue();
            assertThat(ProcFiles.await(Duration.ofSeconds(40), () -> descriptors(front.pid()) <= baseFds + 4))
                    .as("descriptors back near %d (now %d)", baseFds, descriptors(front.pid())).isTrue();
            long heap = liveHeap(front.pid());
            System.out.printf("soak: descriptors %d -> %d, live heap %d -> %d KiB%n", baseFds,
                    descriptors(front.pid()), baseHeap >> 10, heap >> 10);
            assertThat(heap).as("live heap after a full GC, against %d before", baseHeap)
                    .isLessThan(baseHeap + (16L << 20));
        } finally {
            deleteTree(staticDir);
            deleteTree(tempDir);
        }
    }

    /** SIGKILLs the gunicorn master the front spawned; the front restarts it. */
    private void killChild(FrontProcess front) {
        ProcessHandle child = ProcessHandle.of(front.pid()).orElseThrow().children()
                .filter(p -> p.info().commandLine().orElse("").contains("gunicorn")).findFirst().orElseThrow();
        events.add(System.nanoTime());
        child.destroyForcibly();
    }

    private boolean nearAnEvent(long at) {
        synchronized (events) {
            return events.stream().anyMatch(e -> at >= e - WINDOW_BEFORE_NANOS && at <= e + WINDOW_AFTER_NANOS);
        }
    }

    /** One client: a keep-alive connection, opened again when the front or the client ended it. */
    final class Client {
        static final int OPS = 10;
        private final int port;
        private final List<StaticFile> files;
        private final Random random;
        private final long end;
        private RawHttp http;
        private int onThisConnection;

        Client(int port, List<StaticFile> files, Random random, long end) {
            this.port = port;
            this.files = files;
            this.random = random;
            this.end = end;
        }

        void run(int op) {
            String what = "op " + op;
            try {
                if (http == null || onThisConnection > 20) {
                    close();
                    http = RawHttp.connect(port, 30_000);
                    onThisConnection = 0;
                }
                onThisConnection++;
                switch (op) {
                    case 0 -> {
                        StaticFile file = files.get(random.nextInt(files.size()));
                        what = "GET /static/" + file.name();
                        check(what, http.get("/static/" + file.name()), 200, file.bytes());
                    }
                    case 1 -> {
                        StaticFile file = files.get(1 + random.nextInt(files.size() - 1));
                        int from = random.nextInt(file.bytes().length - 10);
                        int to = from + random.nextInt(Math.min(50_000, file.bytes().length - from));
                        what = "GET /static/" + file.name() + " bytes=" + from + "-" + to;
                        http.send("GET /static/" + file.name() + " HTTP/1.1\r\nHost: a\r\nRange: bytes=" + from + "-"
                                + to + "\r\n\r\n");
                        check(what, http.read(), 206, Arrays.copyOfRange(file.bytes(), from, to + 1));
                    }
                    case 2 -> {
                        what = "GET /fast";
                        check(what, http.get("/fast"), 200, "fast\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    case 3, 4 -> {
                        int n = op == 3 ? random.nextInt(200_000) : (1 << 20) + random.nextInt(3 << 20);
                        what = "GET /bytes?n=" + n;
                        check(what, http.get("/bytes?n=" + n), 200, pattern(n));
                    }
                    case 5 -> {
                        // Read late: the front spools what the client does not take.
                        int n = 4 << 20;
                        what = "GET /bytes?n=" + n + " read late";
                        http.send("GET /bytes?n=" + n + " HTTP/1.1\r\nHost: a\r\n\r\n");
                        Thread.sleep(300);
                        check(what, http.read(), 200, pattern(n));
                    }
                    case 6, 7 -> {
                        int n = op == 6 ? random.nextInt(30_000) : 100_000 + random.nextInt(1 << 20);
                        what = "POST /echo " + n + " bytes";
                        upload(what, n);
                    }
                    case 8 -> {
                        what = "3 pipelined";
                        StaticFile file = files.get(0);
                        http.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\nGET /static/" + file.name()
                                + " HTTP/1.1\r\nHost: a\r\n\r\nGET /bytes?n=70000 HTTP/1.1\r\nHost: a\r\n\r\n");
                        check(what, http.read(), 200, "fast\n".getBytes(StandardCharsets.US_ASCII));
                        check(what, http.read(), 200, file.bytes());
                        check(what, http.read(), 200, pattern(70_000));
                    }
                    default -> {
                        // Leaves mid-response.
                        what = "GET /bytes and leave";
                        boolean forwarded = random.nextBoolean();
                        http.send(forwarded ? "GET /bytes?n=" + (3 << 20) + " HTTP/1.1\r\nHost: a\r\n\r\n"
                                : "GET /static/" + files.get(2).name() + " HTTP/1.1\r\nHost: a\r\n\r\n");
                        InputStream in = http.input();
                        in.read(new byte[1000]); // whatever came first, even a short answer
                        close();
                    }
                }
            } catch (IOException e) {
                fail(what + ": " + e);
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void upload(String what, int n) throws IOException {
            byte[] body = new byte[n];
            random.nextBytes(body);
            http.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + n + "\r\n\r\n");
            http.send(body);
            RawHttp.Response response = http.read();
            if (failed(what, response)) {
                return;
            }
            String text = response.bodyText();
            if (response.status() != 200 || !text.contains("BODY_LENGTH\t" + n + "\n")
                    || !text.contains("BODY_SHA256\t" + sha256(body) + "\n")) {
                wrong.add(what + ": " + response.status() + " " + text);
            } else {
                checked.incrementAndGet();
            }
        }

        private void check(String what, RawHttp.Response response, int status, byte[] expected) {
            if (failed(what, response)) {
                return;
            }
            if (response.status() != status || !Arrays.equals(response.body(), expected)) {
                wrong.add(what + ": " + response.status() + ", " + response.body().length + " bytes (expected "
                        + status + ", " + expected.length + ")");
            } else {
                checked.incrementAndGet();
            }
        }

        /** A 502/503/504 is a failure to place in time; the connection is not reused after it. */
        private boolean failed(String what, RawHttp.Response response) {
            int status = response.status();
            if (status == 502 || status == 503 || status == 504) {
                fail(what + ": " + status);
                close();
                return true;
            }
            return false;
        }

        private void fail(String what) {
            if (System.nanoTime() < end) {
                failures.add(new Failure(System.nanoTime(), what));
            }
        }

        void close() {
            if (http != null) {
                try {
                    http.close();
                } catch (IOException e) {
                    // gone already
                }
                http = null;
            }
        }
    }

    /** What echo_app's /bytes sends: byte i is i % 251. */
    static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static int descriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The front's request-body and response spool files (its child's socket directory is also there). */
    static long tempFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("front-body-") || name.startsWith("front-response-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The front's heap in use right after a full collection (the test runs it on Serial GC), via jcmd. */
    static long liveHeap(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(FrontProcess.JAVA).resolveSibling("jcmd");
        jcmd(jcmd, pid, "GC.run");
        String info = jcmd(jcmd, pid, "GC.heap_info");
        Matcher used = GENERATION_USED.matcher(info);
        long kib = 0;
        int found = 0;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found++;
        }
        assertThat(found).as("jcmd GC.heap_info:\n%s", info).isEqualTo(2);
        return kib << 10;
    }

    private static String jcmd(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("jcmd %s: %s", command, out).isZero();
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
