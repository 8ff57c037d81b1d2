package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * Request ids end to end, the real front.jar in front of a real gunicorn: each request's id reaches the child once,
 * comes back on the response, is in the access log and in the front's own error line and page; a client chooses
 * its id only from a {@code --trust-proxy} network, and only a well-formed one.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestIdsIT {

    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    static Gunicorn gunicorn;

    @BeforeAll
    static void startGunicorn() throws Exception {
        gunicorn = Gunicorn.echo();
    }

    @AfterAll
    static void stopGunicorn() {
        if (gunicorn != null) {
            gunicorn.close();
        }
    }

    private static FrontProcess front(String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--upstream", "127.0.0.1:" + gunicorn.port(),
                "--url-alias", "/static", FrontProcess.HELLO.resolve("static").toString(),
                "--limit-request-body", "1000", "--access-log", "--access-log-format", "json"));
        args.addAll(List.of(options));
        FrontProcess front = FrontProcess.start(args);
        front.awaitListening(FrontProcess.STARTUP);
        return front;
    }

    private static RawHttp.Response exchange(FrontProcess front, String raw) throws IOException {
        try (RawHttp http = RawHttp.connect(front.port(), 10_000)) {
            http.send(raw);
            return http.read();
        }
    }

    /** The value the echo app saw for {@code variable}, or null. */
    private static String seenByChild(RawHttp.Response response, String variable) {
        return response.bodyText().lines().filter(line -> line.startsWith(variable + "\t"))
                .map(line -> line.substring(variable.length() + 1)).findFirst().orElse(null);
    }

    private static Map<String, Object> logLine(FrontProcess front, String requestId) throws InterruptedException {
        assertThat(front.awaitStdout("\"request_id\":\"" + requestId + "\"")).as(front.stdout()).isTrue();
        return front.stdout().lines().map(line -> new Yaml().<Map<String, Object>>load(line))
                .filter(line -> requestId.equals(line.get("request_id"))).findFirst().orElseThrow();
    }

    @Test
    void everyRequestGetsAnIdTheChildTheClientAndTheLogsShare() throws Exception {
        try (FrontProcess front = front()) {
            // A client outside any --trust-proxy network cannot choose its id, however well-formed.
            RawHttp.Response response = exchange(front,
                    "GET /echo HTTP/1.1\r\nHost: a\r\nX-Request-ID: chosen-by-client\r\n\r\n");
            String id = response.header("x-request-id");
            assertThat(id).matches(UUID_V4);
            assertThat(seenByChild(response, "HTTP_X_REQUEST_ID")).isEqualTo(id);
            assertThat(logLine(front, id)).containsEntry("target", "/echo").containsEntry("status", 200);

            RawHttp.Response again = exchange(front, "GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(again.header("x-request-id")).matches(UUID_V4).isNotEqualTo(id);

            RawHttp.Response file = exchange(front, "GET /static/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(file.status()).isEqualTo(200);
            String fileId = file.header("x-request-id");
            assertThat(fileId).matches(UUID_V4);
            assertThat(logLine(front, fileId)).containsEntry("route", "static");

            // The front's own failure: the id is in its page and its one warn line too.
            RawHttp.Response large = exchange(front,
                    "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
            assertThat(large.status()).isEqualTo(413);
            String largeId = large.header("x-request-id");
            String errorId = large.header("x-front-error-id");
            assertThat(large.bodyText()).isEqualTo("413 Request Entity Too Large (error id " + errorId
                    + ", request id " + largeId + ")\n");
            assertThat(front.awaitStderr(errorId)).isTrue();
            assertThat(front.stderr().lines().filter(line -> line.contains(errorId)))
                    .singleElement().asString().contains("error id " + errorId + ", request id " + largeId + ": ");
            assertThat(logLine(front, largeId)).containsEntry("error_id", errorId);
        }
    }

    @Test
    void aTrustedProxysWellFormedIdIsKept() throws Exception {
        try (FrontProcess front = front("--trust-proxy", "127.0.0.1/32")) {
            RawHttp.Response kept = exchange(front, "GET /echo HTTP/1.0\r\nX-Request-ID: router-7f3a\r\n\r\n");
            assertThat(kept.header("x-request-id")).isEqualTo("router-7f3a");
            assertThat(seenByChild(kept, "HTTP_X_REQUEST_ID")).isEqualTo("router-7f3a");
            logLine(front, "router-7f3a");

            String tooLong = "x".repeat(201);
            for (String bad : List.of(tooLong, "has space", "caf\u00e9")) {
                RawHttp.Response replaced = exchange(front, "GET /echo HTTP/1.1\r\nHost: a\r\nX-Request-ID: "
                        + bad + "\r\n\r\n");
                assertThat(replaced.header("x-request-id")).as(bad).matches(UUID_V4);
                assertThat(seenByChild(replaced, "HTTP_X_REQUEST_ID")).isEqualTo(replaced.header("x-request-id"));
            }
            // Two values: neither is believed.
            RawHttp.Response two = exchange(front, "GET /echo HTTP/1.1\r\nHost: a\r\nX-Request-ID: a\r\n"
                    + "X-Request-ID: b\r\n\r\n");
            assertThat(two.header("x-request-id")).matches(UUID_V4);
        }
    }

    @Test
    void theHeaderCanBeRenamed() throws Exception {
        try (FrontProcess front = front("--request-id-header", "X-Correlation-ID")) {
            RawHttp.Response response = exchange(front,
                    "GET /echo HTTP/1.1\r\nHost: a\r\nX-Request-ID: passed-through\r\n\r\n");
            String id = response.header("x-correlation-id");
            assertThat(id).matches(UUID_V4);
            assertThat(response.header("x-request-id")).isNull();
            assertThat(seenByChild(response, "HTTP_X_CORRELATION_ID")).isEqualTo(id);
            assertThat(seenByChild(response, "HTTP_X_REQUEST_ID")).as("an ordinary header now")
                    .isEqualTo("passed-through");
        }
    }

}
