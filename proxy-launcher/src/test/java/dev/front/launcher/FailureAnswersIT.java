package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * The failures the real front.jar answers itself: each answer's error id is the same in its X-Front-Error-Id header,
 * its body, its access log line (json {@code error_id}, pattern {@code %L}) and the one stderr line that says the
 * cause; a flood of one failure writes only a few lines, which count what they left out. And a sidecar upstream
 * that refuses connections is said once, fails {@code /readyz}, and is said back once it accepts.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailureAnswersIT {

    private static final Duration STARTUP = FrontProcess.STARTUP;
    private static final Pattern ID = Pattern.compile("[0-9a-hjkmnp-tv-z]{10}");

    @Test
    void everyFailureAnswerCarriesOneIdInHeaderBodyAccessLogAndOneWarnLine() throws Exception {
        int closed = FrontProcess.freePort(); // bound once, then released: nobody listens
        try (FrontProcess front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + closed,
                "--queue-timeout", "1", "--header-timeout", "1", "--limit-request-body", "1000",
                "--access-log", "--access-log-format", "json"))) {
            front.awaitListening(STARTUP);

            RawHttp.Response refused = exchange(front, "GET /refused HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(refused.status()).isEqualTo(502);
            String id = agree(front, refused, "502 Bad Gateway", "/refused",
                    "upstream 127.0.0.1:" + closed + ": connection refused");

            RawHttp.Response malformed = exchange(front, "GET /malformed HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n");
            assertThat(malformed.status()).isEqualTo(400);
            agree(front, malformed, "400 Bad Request", "/malformed", "malformed request head");

            RawHttp.Response large = exchange(front, "POST /large HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
            assertThat(large.status()).isEqualTo(413);
            agree(front, large, "413 Request Entity Too Large", "/large",
                    "request body of Content-Length 5000 over --limit-request-body 1000");

            // A head that never ends: 408 after --header-timeout, logged against no request ("-").
            RawHttp.Response slow = exchange(front, "GET /slow HTTP/1.1\r\nHost: a\r\n");
            assertThat(slow.status()).isEqualTo(408);
            agree(front, slow, "408 Request Timeout", "-", "request head timed out after 1 s");

            assertThat(ID.matcher(id).matches()).as(id).isTrue();
        }
    }

    @Test
    void thePatternAccessLogCarriesTheIdAsPercentL() throws Exception {
        try (FrontProcess front = FrontProcess.start(List.of("--access-log", "--access-log-format", "%s %U %L"))) {
            front.awaitListening(STARTUP);
            RawHttp.Response bad = exchange(front, "GET /bad HTTP/1.1\r\n\r\n"); // HTTP/1.1 without Host
            assertThat(bad.status()).isEqualTo(400);
            String id = bad.header("x-front-error-id");
            assertThat(bad.bodyText()).isEqualTo("400 Bad Request (error id " + id + ", request id "
                    + bad.header("x-request-id") + ")\n");
            assertThat(front.awaitStdout("400 /bad " + id)).isTrue();
            assertThat(warnLines(front, id)).singleElement().asString().contains("HTTP/1.1 request without Host");
            // A 404 (no upstream, nothing failed) carries no id.
            RawHttp.Response missing = exchange(front, "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("x-front-error-id")).isNull();
            assertThat(front.awaitStdout("404 /missing -")).isTrue();
        }
    }

    @Test
    void aFloodOfOneFailureWritesAFewLinesThatCountTheRest() throws Exception {
        try (FrontProcess front = FrontProcess.start(List.of())) {
            front.awaitListening(STARTUP);
            int requests = 200;
            for (int i = 0; i < requests; i++) {
                assertThat(exchange(front, "GET /x HTTP/1.1\r\nBad header\r\n\r\n").status()).isEqualTo(400);
            }
            Thread.sleep(1100); // the next line of this kind is allowed, and counts the ones left out
            RawHttp.Response last = exchange(front, "GET /x HTTP/1.1\r\nBad header\r\n\r\n");
            assertThat(last.header("x-front-error-id")).isNotNull();
            assertThat(front.awaitStderr(last.header("x-front-error-id"))).isTrue();

            List<String> lines = front.stderr().lines().filter(l -> l.contains("400 Bad Request, error id")).toList();
            // At most one line per second of flood (it takes a few seconds at most here), plus the last one.
            assertThat(lines).hasSizeBetween(2, 10);
            Pattern more = Pattern.compile("\\((\\d+) more like it not logged since the last line\\)$");
            int counted = 0;
            for (String line : lines) {
                Matcher m = more.matcher(line);
                counted += m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            assertThat(counted + lines.size()).as(String.join("\n", lines)).isEqualTo(requests + 1);
            assertThat(lines.getLast()).contains(last.header("x-front-error-id")).containsPattern(more);
        }
    }

    @Test
    void aRefusingSidecarUpstreamIsSaidOnceFailsReadyzAndIsSaidBackOnceItAccepts() throws Exception {
        int upstreamPort = FrontProcess.freePort();
        int admin = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + upstreamPort,
                "--queue-timeout", "1", "--admin-port", Integer.toString(admin)))) {
            front.awaitListening(STARTUP);
            assertThat(FrontProcess.awaitPort(admin, STARTUP)).isTrue();
            String refusing = "upstream 127.0.0.1:" + upstreamPort + " does not accept connections";
            // Before its first look the front says it has not reached the upstream yet: 503 too.
            assertThat(awaitReadyz(admin, 503, "not ready: " + refusing)).endsWith("(connection refused)\n");
            // Requests still ride it out (up to --queue-timeout), each failing with its own line, not another warning.
            for (int i = 0; i < 2; i++) {
                assertThat(exchange(front, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(502);
            }
            assertThat(front.stderr().lines().filter(l -> l.contains(refusing))).singleElement().asString()
                    .contains(" WARN ");

            Process server = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", Integer.toString(upstreamPort),
                    "--bind", "127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                assertThat(awaitReadyz(admin, 200, "ready")).isEqualTo("ready\n");
                String back = "upstream 127.0.0.1:" + upstreamPort + " accepts connections again";
                assertThat(front.awaitStderr(back)).isTrue();
                assertThat(front.stderr().lines().filter(l -> l.contains(back))).singleElement().asString()
                        .contains(" INFO ");
                assertThat(exchange(front, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
                assertThat(front.stderr().lines().filter(l -> l.contains(refusing))).hasSize(1);
            } finally {
                FrontProcess.killTree(server);
            }
        }
    }

    /**
     * Checks that the id of {@code response} is in its body, in the access log line of {@code target} and in exactly
     * one warn line on stderr, which says {@code cause}; returns it.
     */
    private static String agree(FrontProcess front, RawHttp.Response response, String statusText, String target,
                                String cause) throws Exception {
        String id = response.header("x-front-error-id");
        assertThat(id).as(response.statusLine()).isNotNull();
        assertThat(ID.matcher(id).matches()).as(id).isTrue();
        // The request's id too, unless no request was read (a head that never ended).
        String requestId = response.header("x-request-id");
        assertThat(requestId == null).as("no request id").isEqualTo(target.equals("-"));
        String ids = "error id " + id + (requestId == null ? "" : ", request id " + requestId);
        assertThat(response.bodyText()).isEqualTo(statusText + " (" + ids + ")\n");
        assertThat(front.awaitStdout("\"error_id\":\"" + id + "\"")).as(front.stdout()).isTrue();
        Map<String, Object> logged = front.stdout().lines().map(line -> new Yaml().<Map<String, Object>>load(line))
                .filter(line -> id.equals(line.get("error_id"))).findFirst().orElseThrow();
        assertThat(logged).containsEntry("target", target).containsEntry("status", response.status());
        assertThat(logged.get("request_id")).isEqualTo(requestId);
        assertThat(front.awaitStderr(id)).isTrue();
        assertThat(warnLines(front, id)).singleElement().asString()
                .contains(" WARN ", statusText + ", " + ids + ": ", cause);
        return id;
    }

    private static List<String> warnLines(FrontProcess front, String id) {
        return front.stderr().lines().filter(line -> line.contains(id)).toList();
    }

    private static RawHttp.Response exchange(FrontProcess front, String raw) throws IOException {
        try (RawHttp http = RawHttp.connect(front.port())) {
            return http.send(raw).read();
        }
    }

    /** Waits up to 10 s for {@code text} in {@code output} (the logs are written off the event loop). */
    /** Waits for {@code /readyz} to answer {@code status} with a body that starts with {@code text}; returns it. */
    private static String awaitReadyz(int admin, int status, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Optional<RawHttp.Response> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            try (RawHttp http = RawHttp.connect(admin, 5000)) {
                last = Optional.of(http.get("/readyz"));
                if (last.get().status() == status && last.get().bodyText().startsWith(text)) {
                    return last.get().bodyText();
                }
            } catch (IOException e) {
                last = Optional.empty();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/readyz never answered " + status + " " + text + " (last: "
                + last.map(r -> r.status() + " " + r.bodyText()) + ")");
    }
}
