package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code front_saturation}, the gauge meant for autoscaling (docs/operations.md), against a real gunicorn sync
 * worker ({@code -w 1}) the front spawns with {@code --max-concurrency 1}: slow requests beyond the one slot queue
 * in the front, the gauge counts them, and it falls back to 0 once they are answered.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SaturationIT {

    @Test
    void slowRequestsBeyondTheCapRaiseTheGaugeAboveOneAndItFallsBackToZero() throws Exception {
        assumeTrue(Files.isExecutable(ForwardingIT.GUNICORN), "Debian's gunicorn is not installed");
        int adminPort = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.start(List.of("--admin-port", Integer.toString(adminPort),
                "--max-concurrency", "1", "--queue-timeout", "30", "--",
                ForwardingIT.GUNICORN.toString(), "--chdir", ForwardingIT.APPS.toString(), "-b", "127.0.0.1:{port}",
                "-w", "1", "echo_app:application"))) {
            front.awaitStatus("/count", 200, ForwardingIT.STARTUP);
            assertThat(awaitGauge(adminPort, v -> v == 0)).isZero();

            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp client = RawHttp.connect(front.port(), 30_000);
                    client.send("GET /sleep?s=2 HTTP/1.1\r\nHost: a\r\n\r\n");
                    clients.add(client);
                }
                // One request in the worker's slot, two waiting in the front: (1 + 2) / 1.
                assertThat(awaitGauge(adminPort, v -> v == 3)).isEqualTo(3);
                for (RawHttp client : clients) {
                    assertThat(client.read().status()).isEqualTo(200);
                }
            } finally {
                for (RawHttp client : clients) {
                    client.close();
                }
            }
            assertThat(awaitGauge(adminPort, v -> v == 0)).as(front.stderr()).isZero();
        }
    }

    /** Scrapes until the gauge satisfies {@code done} (or 10 s pass); its last value. */
    private static double awaitGauge(int adminPort, DoublePredicate done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double value = gauge(adminPort);
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = gauge(adminPort);
        }
        return value;
    }

    private static double gauge(int adminPort) throws Exception {
        try (RawHttp http = RawHttp.connect(adminPort)) {
            String text = http.get("/metrics").bodyText();
            return text.lines().filter(line -> line.startsWith("front_saturation "))
                    .mapToDouble(line -> Double.parseDouble(line.substring("front_saturation ".length()).trim()))
                    .findFirst().orElseThrow(() -> new AssertionError("no front_saturation in:\n" + text));
        }
    }
}
