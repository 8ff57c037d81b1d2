package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real front.jar in front of one gunicorn sync worker with {@code --max-concurrency 1}, so that requests queue:
 * the child is told how long each request may still take, less its wait in the queue; and a queued request whose
 * client has gone never reaches the child.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlinesIT {

    static Gunicorn gunicorn;
    static FrontProcess front;

    @BeforeAll
    static void start() throws Exception {
        gunicorn = Gunicorn.echo();
        front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + gunicorn.port(), "--max-concurrency", "1",
                "--request-timeout", "10", "--deadline-header", "X-Request-Budget-Ms"));
        front.awaitListening(FrontProcess.STARTUP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
        if (gunicorn != null) {
            gunicorn.close();
        }
    }

    private static RawHttp send(String target, String extraHeaders) throws IOException {
        RawHttp http = RawHttp.connect(front.port(), 20_000);
        http.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n" + extraHeaders + "\r\n");
        return http;
    }

    private static long budgetSeen(RawHttp.Response response) {
        return response.bodyText().lines().filter(line -> line.startsWith("HTTP_X_REQUEST_BUDGET_MS\t"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf('\t') + 1))).findFirst().orElse(-1);
    }

    private static int served() throws IOException {
        try (RawHttp http = send("/count", "")) {
            return Integer.parseInt(http.read().bodyText().trim());
        }
    }

    @Test
    void theChildIsToldTheTimeLeftLessTheQueueWait() throws Exception {
        long direct;
        try (RawHttp http = send("/echo", "X-Request-Budget-Ms: 999999999\r\n")) { // a client's own is replaced
            direct = budgetSeen(http.read());
        }
        assertThat(direct).as("sent at once").isBetween(9_000L, 10_000L);
        long queued;
        try (RawHttp slow = send("/sleep?s=1.5", "")) {
            Thread.sleep(200); // the slow request holds the one slot
            try (RawHttp waiting = send("/echo", "")) {
                assertThat(slow.read().status()).isEqualTo(200);
                queued = budgetSeen(waiting.read());
            }
        }
        assertThat(queued).as("after about 1.3 s in the queue").isBetween(4_000L, 8_900L);
    }

    @Test
    void aQueuedRequestWhoseClientLeftNeverReachesTheChild() throws Exception {
        int before = served();
        try (RawHttp slow = send("/sleep?s=1.5", "")) {
            Thread.sleep(200);
            List<RawHttp> gone = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gone.add(send("/echo?abandoned=" + i, ""));
            }
            Thread.sleep(200);
            for (RawHttp client : gone) {
                client.close(); // while queued behind the slow one
            }
            assertThat(slow.read().status()).isEqualTo(200);
        }
        Thread.sleep(500); // what the queue would have sent next has had time to reach the child
        assertThat(served() - before).as("requests the child served: the slow one only").isEqualTo(1);
    }
}
