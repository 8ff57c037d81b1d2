package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.RecordingLogger;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final FailureLog log = new FailureLog(RecordingLogger.into(lines), now::get);

    private static final Failure REFUSED = new Failure(HttpResponseStatus.BAD_GATEWAY, "upstream-refused",
            "upstream 127.0.0.1:1: connection refused");
    private static final Failure MALFORMED = new Failure(HttpResponseStatus.BAD_REQUEST, "malformed-head",
            "malformed request head: No colon found");

    @Test
    void idsAreTenBase32DigitsAndDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = FailureLog.newId();
            assertThat(id).matches("[0-9a-hjkmnp-tv-z]{10}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void oneLinePerKindPerSecondAndTheNextCountsWhatWasLeftOut() {
        String first = log.report(REFUSED);
        assertThat(lines).containsExactly("502 Bad Gateway, error id " + first
                + ": upstream 127.0.0.1:1: connection refused");
        for (int i = 0; i < 199; i++) {
            now.addAndGet(1_000_000); // 199 more within 199 ms
            log.report(REFUSED);
        }
        String other = log.report(MALFORMED); // another kind has its own window
        assertThat(lines).hasSize(2).last().asString().contains(other, "No colon found").doesNotContain("more like");

        now.addAndGet(FailureLog.WINDOW_NANOS);
        String next = log.report(REFUSED);
        assertThat(lines).hasSize(3).last().asString()
                .isEqualTo("502 Bad Gateway, error id " + next + ": upstream 127.0.0.1:1: connection refused"
                        + " (199 more like it not logged since the last line)");
        now.addAndGet(FailureLog.WINDOW_NANOS);
        log.report(REFUSED);
        assertThat(lines).hasSize(4).last().asString().doesNotContain("more like it");
    }
}
