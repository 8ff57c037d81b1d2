package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * The operator's view of the real front.jar: the JSON access log on stdout, {@code /metrics} moving with traffic,
 * {@code /readyz} and {@code /healthz} across startup and TERM, and the startup line.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OperationsIT {

    static final Path HELLO = FrontProcess.HELLO;
    static final Duration STARTUP = FrontProcess.STARTUP;

    static FrontProcess front;
    static int adminPort;

    @BeforeAll
    static void startFront() throws Exception {
        adminPort = FrontProcess.freePort();
        front = FrontProcess.startHello(List.of("--admin-port", Integer.toString(adminPort),
                "--access-log", "--access-log-format", "json",
                "--trust-proxy-header", "X-Forwarded-For", "--trust-proxy", "127.0.0.1/32"));
    }

    @AfterAll
    static void stopFront() throws IOException {
        front.close();
    }

    @Test
    void jsonAccessLogParsesAndCarriesTheClientAddressTheChildIsGiven() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            http.send("GET /environ?from=proxy HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n"
                    + "\r\n");
            assertThat(http.read().bodyText()).contains("\"HTTP_X_FORWARDED_FOR\": \"198.51.100.7\"");
            http.send("GET /static/hello.txt?from=proxy HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.8\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);
            assertThat(http.get("/static/missing.txt?from=direct").status()).isEqualTo(404);
        }

        Map<String, Object> forwarded = awaitLogLine("/environ?from=proxy");
        assertThat(forwarded).containsEntry("client", "198.51.100.7").containsEntry("method", "GET")
                .containsEntry("protocol", "HTTP/1.1").containsEntry("status", 200).containsEntry("route", "forwarded")
                .containsKeys("time", "duration_ms");
        assertThat((Integer) forwarded.get("bytes")).isPositive();
        assertThat(awaitLogLine("/static/hello.txt?from=proxy")).containsEntry("client", "198.51.100.8")
                .containsEntry("route", "static").containsEntry("bytes", 61);
        assertThat(awaitLogLine("/static/missing.txt?from=direct")).containsEntry("client", "127.0.0.1")
                .containsEntry("status", 404);
        // stdout holds the access log and nothing else: every line is one JSON object.
        for (String line : front.stdout().lines().toList()) {
            assertThat(new Yaml().<Object>load(line)).as(line).isInstanceOf(Map.class);
        }
    }

    @Test
    void startupLineStatesTheEffectiveConfigurationAtTheDefaultLogLevel() {
        assertThat(front.stderr()).contains("front up: listening on http://127.0.0.1:" + front.port(),
                "admin: http://127.0.0.1:" + adminPort + " (/metrics /healthz /readyz)",
                "aliases: /static -> " + HELLO.resolve("static"),
                "trusted proxies: 127.0.0.1/32 for X-Forwarded-For (hops 1)",
                "; child: python3 " + HELLO.resolve("app.py") + " ", "access log: json",
                "graceful 15s");
    }

    @Test
    void metricsExposeEveryFamilyAndMoveWithTraffic() throws Exception {
        String before = scrape();
        assertThat(before).contains("# TYPE front_requests_seconds histogram", "front_received_bytes_total",
                "front_sent_bytes_total", "front_connections_open", "front_queue_depth",
                "# TYPE front_queue_wait_seconds histogram", "front_upstream_errors_total{kind=\"refused\"}",
                "front_upstream_errors_total{kind=\"timeout\"}", "front_upstream_errors_total{kind=\"reset\"}",
                "front_upstream_errors_total{kind=\"malformed\"}", "front_child_restarts_total", "front_child_up 1",
                "front_orphans_reaped_total");
        String forwarded2xx = "front_requests_seconds_count{route=\"forwarded\",status=\"2xx\"}";
        String forwardedSlow = "front_requests_seconds_bucket{route=\"forwarded\",status=\"2xx\",le=\"+Inf\"}";
        String static4xx = "front_requests_seconds_count{route=\"static\",status=\"4xx\"}";
        String received = "front_received_bytes_total{route=\"forwarded\"}";
        String sent = "front_sent_bytes_total{route=\"forwarded\"}";
        String waited = "front_queue_wait_seconds_count";

        try (RawHttp http = RawHttp.connect(front.port())) {
            assertThat(http.get("/").status()).isEqualTo(200);
            http.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
            assertThat(http.read().status()).isEqualTo(200);
            assertThat(http.get("/static/nope.txt").status()).isEqualTo(404);
            // This connection is still open while the front is scraped.
            String during = scrape();
            assertThat(sample(during, "front_connections_open")).isGreaterThanOrEqualTo(1);
        }
        String after = awaitScrape(text -> sample(text, forwarded2xx) >= sample(before, forwarded2xx) + 2
                && sample(text, static4xx) >= sample(before, static4xx) + 1);
        assertThat(sample(after, forwardedSlow) - sample(before, forwardedSlow)).isGreaterThanOrEqualTo(2);
        assertThat(sample(after, received) - sample(before, received)).isGreaterThanOrEqualTo(1000);
        assertThat(sample(after, sent) - sample(before, sent)).isGreaterThan(100);
        // The example app closes its connection after each response: each request waited for a new one.
        assertThat(sample(after, waited) - sample(before, waited)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void readyzIs503UntilTheChildListensAndFromTheMomentOfTermWhileHealthzAnswersUntilExit() throws Exception {
        Path script = Files.createTempFile("slow-child", ".py");
        // Listens only after 3 s, and takes 3 s to stop on TERM: both windows are visible from outside.
        Files.writeString(script, """
                import signal, socket, sys, time
                time.sleep(3)
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
                def stop(*args):
                    time.sleep(3)
                    sys.exit(0)
                signal.signal(signal.SIGTERM, stop)
                while True:
                    c, _ = s.accept(); c.close()
                """);
        int admin = FrontProcess.freePort();
        try (FrontProcess slow = FrontProcess.start(List.of("--admin-port", Integer.toString(admin),
                "--", "python3", script.toString(), "{port}"))) {
            // Once under full-suite load this did not come within 30 s; the front's own words say why next time.
            assertThat(FrontProcess.awaitPort(admin, STARTUP)).as(() -> "admin listener up; alive=" + slow.isAlive()
                    + ", stderr:\n" + slow.stderr()).isTrue();
            assertThat(status(admin, "/readyz")).as("child still asleep").contains(503);
            assertThat(status(admin, "/healthz")).contains(200);
            awaitStatus(admin, "/readyz", 200);

            slow.signal("TERM");
            long termAt = System.nanoTime();
            awaitStatus(admin, "/readyz", 503);
            Duration turned = Duration.ofNanos(System.nanoTime() - termAt);
            assertThat(turned).as("readyz failing after TERM").isLessThan(Duration.ofSeconds(2));
            assertThat(slow.isAlive()).as("still draining: the child takes 3 s to stop").isTrue();
            assertThat(status(admin, "/healthz")).contains(200);
            List<Integer> healthAfterTerm = new ArrayList<>();
            while (slow.isAlive()) {
                status(admin, "/healthz").ifPresent(healthAfterTerm::add);
                Thread.sleep(100);
            }
            assertThat(slow.awaitExit(Duration.ofSeconds(30))).isZero();
            // Until the front exits /healthz only ever answers 200 (a refused connection at the very end is the exit).
            assertThat(healthAfterTerm).isNotEmpty().containsOnly(200);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void onlyARequestThatWaitedIsInTheQueueWait() throws Exception {
        int childPort = FrontProcess.freePort();
        int admin = FrontProcess.freePort();
        Path child = Path.of(OperationsIT.class.getResource("/operations/keepalive_upstream.py").toURI());
        Process upstream = new ProcessBuilder("python3", child.toString(), Integer.toString(childPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (FrontProcess sidecar = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + childPort,
                "--admin-port", Integer.toString(admin)))) {
            assertThat(FrontProcess.awaitPort(childPort, STARTUP)).isTrue();
            assertThat(FrontProcess.awaitPort(sidecar.port(), STARTUP)).isTrue();
            // The admin listener is bound on its own, not necessarily before the main one.
            assertThat(FrontProcess.awaitPort(admin, STARTUP)).isTrue();
            String waited = "front_queue_wait_seconds_count";
            String answered = "front_requests_seconds_count{route=\"forwarded\",status=\"2xx\"}";
            double before = sample(scrape(admin), waited);
            try (RawHttp http = RawHttp.connect(sidecar.port())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(http.get("/").status()).isEqualTo(200);
                }
            }
            String after = awaitScrape(admin, text -> sample(text, answered) >= 3);
            // The first request waited for a connection to the child; the next two went out at once on it.
            assertThat(sample(after, waited) - before).isEqualTo(1);
        } finally {
            FrontProcess.killTree(upstream);
        }
    }

    @Test
    void aBadAccessLogPatternIsAUsageError() throws Exception {
        try (FrontProcess bad = FrontProcess.start(List.of("--access-log", "--access-log-format", "%h %Z"))) {
            assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(bad.stderr().lines()).hasSize(1).first().asString()
                    .startsWith("front: --access-log-format: %h %Z (expected: ");
        }
    }

    /** The status of GET {@code path} on the admin port, or empty when the connection fails. */
    private static Optional<Integer> status(int port, String path) {
        try (RawHttp http = RawHttp.connect(port, 5000)) {
            return Optional.of(http.get(path).status());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void awaitStatus(int port, String path, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        Optional<Integer> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = status(port, path);
            if (last.isPresent() && last.get() == expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " never answered " + expected + " (last: " + last + ")");
    }

    private static String scrape() throws IOException {
        return scrape(adminPort);
    }

    private static String scrape(int port) throws IOException {
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response response = http.get("/metrics");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).startsWith("text/plain; version=0.0.4");
            return response.bodyText();
        }
    }

    /** Scrapes until {@code done} holds: a request is counted once its last write completes, just after the reply. */
    private static String awaitScrape(java.util.function.Predicate<String> done) throws Exception {
        return awaitScrape(adminPort, done);
    }

    private static String awaitScrape(int port, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = scrape(port);
        while (!done.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            text = scrape(port);
        }
        return text;
    }

    private static double sample(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + text));
    }

    /** The access log line of {@code target}, parsed; the log is written off the event loop, so it may lag. */
    private static Map<String, Object> awaitLogLine(String target) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : front.stdout().lines().toList()) {
                Map<String, Object> parsed = new Yaml().load(line);
                if (target.equals(parsed.get("target"))) {
                    return parsed;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no access log line for " + target + " in:\n" + front.stdout());
    }
}
