package dev.front.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ProxyHeader;
import dev.front.core.RecordingLogger;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.observe.PrometheusText;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrustAlarmTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(5_000_000_000_000L);
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final TrustAlarm alarm = new TrustAlarm(metrics::forwardingHeadersDropped, RecordingLogger.into(lines),
            now::get);
    private final InetSocketAddress peer = new InetSocketAddress("192.0.2.9", 40000);

    private static int mask(ProxyHeader... headers) {
        int mask = 0;
        for (ProxyHeader header : headers) {
            mask |= 1 << header.ordinal();
        }
        return mask;
    }

    private double dropped(String header, String reason) {
        return PrometheusText.value(metrics,
                "front_forwarding_headers_dropped_total{header=\"" + header + "\",reason=\"" + reason + "\"}");
    }

    @Test
    void countsEveryHeaderUnderItsReason() {
        alarm.dropped(new ProxyHeaderPolicy.Dropped(mask(ProxyHeader.X_FORWARDED_FOR),
                mask(ProxyHeader.X_REAL_IP, ProxyHeader.FORWARDED), mask(ProxyHeader.X_FORWARDED_PORT),
                mask(ProxyHeader.X_FORWARDED_FOR)), peer);
        assertThat(dropped("X-Forwarded-For", "untrusted_peer")).isEqualTo(1);
        assertThat(dropped("X-Real-IP", "untrusted_header")).isEqualTo(1);
        assertThat(dropped("Forwarded", "untrusted_header")).isEqualTo(1);
        assertThat(dropped("X-Forwarded-Port", "invalid")).isEqualTo(1);
        assertThat(dropped("X-Forwarded-For", "too_many_hops")).isEqualTo(1);
        assertThat(dropped("X-Forwarded-For", "invalid")).isZero();
        assertThat(dropped("X-Host", "untrusted_peer")).isZero();
    }

    @Test
    void warnsOnceAMinuteAboutUntrustedPeersAndCountsWhatItLeftOut() {
        ProxyHeaderPolicy.Dropped spoofed = new ProxyHeaderPolicy.Dropped(
                mask(ProxyHeader.X_FORWARDED_FOR, ProxyHeader.X_FORWARDED_PROTO), 0, 0, 0);
        alarm.dropped(spoofed, peer);
        assertThat(lines).singleElement().asString().startsWith(
                "X-Forwarded-For, X-Forwarded-Proto from 192.0.2.9, a peer outside --trust-proxy: dropped")
                .doesNotContain("more requests");
        for (int i = 0; i < 30; i++) {
            now.addAndGet(1_000_000_000L);
            alarm.dropped(spoofed, peer);
        }
        assertThat(lines).hasSize(1);
        now.addAndGet(TrustAlarm.WINDOW_NANOS);
        alarm.dropped(spoofed, peer);
        assertThat(lines).hasSize(2).last().asString()
                .endsWith("(30 more requests like it not logged since the last line)");
        assertThat(dropped("X-Forwarded-For", "untrusted_peer")).isEqualTo(32);
    }

    @Test
    void otherReasonsCountButNeverWarn() {
        alarm.dropped(new ProxyHeaderPolicy.Dropped(0, mask(ProxyHeader.X_FORWARDED_HOST),
                mask(ProxyHeader.X_FORWARDED_FOR), mask(ProxyHeader.X_FORWARDED_FOR)), peer);
        assertThat(lines).isEmpty();
    }
}
