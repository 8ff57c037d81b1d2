package dev.front.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.connection.RouteKind;
import dev.front.core.upstream.ChildGate;
import dev.front.core.upstream.ConcurrencyLimiter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrontMetricsTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @Test
    void everyFamilyIsInTheFirstScrapeAtZero() {
        metrics.watchChild(new ChildGate(false)::isOpen);
        String text = PrometheusText.scrape(metrics);
        assertThat(text).contains(
                "# TYPE front_requests_seconds histogram",
                "front_requests_seconds_count{route=\"forwarded\",status=\"5xx\"} 0",
                "front_requests_seconds_bucket{route=\"static\",status=\"2xx\",le=\"0.001\"} 0",
                "front_received_bytes_total{route=\"forwarded\"} 0.0",
                "front_sent_bytes_total{route=\"static\"} 0.0",
                "front_connections_open 0.0",
                "front_queue_depth 0.0",
                "# TYPE front_queue_wait_seconds histogram",
                "front_upstream_errors_total{kind=\"refused\"} 0.0",
                "front_upstream_errors_total{kind=\"timeout\"} 0.0",
                "front_upstream_errors_total{kind=\"reset\"} 0.0",
                "front_upstream_errors_total{kind=\"malformed\"} 0.0",
                "front_child_restarts_total 0.0",
                "front_child_up 0.0",
                "front_orphans_reaped_total 0.0",
                "front_access_log_dropped_total 0.0",
                "front_accept_errors_total 0.0",
                "front_clients_refused_total 0.0");
    }

    @Test
    void requestsAreCountedByRouteAndStatusClassWithTheirLatencyAndBytes() {
        metrics.request(RouteKind.FORWARDED, 201, TimeUnit.MILLISECONDS.toNanos(30), 10, 2000);
        metrics.request(RouteKind.FORWARDED, 204, TimeUnit.MILLISECONDS.toNanos(3), 0, 0);
        metrics.request(RouteKind.STATIC, 404, TimeUnit.MILLISECONDS.toNanos(1), 0, 15);
        metrics.request(RouteKind.STATIC, 0, TimeUnit.MILLISECONDS.toNanos(1), 0, 100);

        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"forwarded\",status=\"2xx\"}"))
                .isEqualTo(2);
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"static\",status=\"4xx\"}"))
                .isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_count{route=\"static\",status=\"aborted\"}"))
                .isEqualTo(1);
        // 3 ms is under the 5 ms bucket, 30 ms is not: the buckets are cumulative.
        assertThat(PrometheusText.value(metrics,
                "front_requests_seconds_bucket{route=\"forwarded\",status=\"2xx\",le=\"0.005\"}")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics,
                "front_requests_seconds_bucket{route=\"forwarded\",status=\"2xx\",le=\"0.05\"}")).isEqualTo(2);
        assertThat(PrometheusText.value(metrics, "front_requests_seconds_sum{route=\"forwarded\",status=\"2xx\"}"))
                .isCloseTo(0.033, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PrometheusText.value(metrics, "front_received_bytes_total{route=\"forwarded\"}")).isEqualTo(10);
        assertThat(PrometheusText.value(metrics, "front_sent_bytes_total{route=\"forwarded\"}")).isEqualTo(2000);
        assertThat(PrometheusText.value(metrics, "front_sent_bytes_total{route=\"static\"}")).isEqualTo(115);
    }

    @Test
    void gaugesFollowConnectionsTheQueueAndTheChild() {
        ChildGate gate = new ChildGate(false);
        metrics.watchChild(gate::isOpen);
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();
        long entered = metrics.queueEntered();
        assertThat(PrometheusText.value(metrics, "front_connections_open")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_queue_depth")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_child_up")).isZero();

        gate.open();
        metrics.queueLeft(entered);
        assertThat(PrometheusText.value(metrics, "front_child_up")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_queue_depth")).isZero();
        assertThat(PrometheusText.value(metrics, "front_queue_wait_seconds_count")).isEqualTo(1);
    }

    @Test
    void supervisorAndUpstreamCountersAddUp() {
        metrics.upstreamError(UpstreamError.TIMEOUT);
        metrics.upstreamError(UpstreamError.TIMEOUT);
        metrics.upstreamError(UpstreamError.RESET);
        metrics.childRestarted();
        metrics.orphansReaped(100);
        assertThat(PrometheusText.value(metrics, "front_upstream_errors_total{kind=\"timeout\"}")).isEqualTo(2);
        assertThat(PrometheusText.value(metrics, "front_upstream_errors_total{kind=\"reset\"}")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_upstream_errors_total{kind=\"refused\"}")).isZero();
        assertThat(PrometheusText.value(metrics, "front_child_restarts_total")).isEqualTo(1);
        assertThat(PrometheusText.value(metrics, "front_orphans_reaped_total")).isEqualTo(100);
    }

    @Test
    void saturationAndDroppedForwardingHeadersAreInTheFirstScrapeAtZero() {
        String text = PrometheusText.scrape(metrics);
        assertThat(text).contains("front_saturation 0.0",
                "front_forwarding_headers_dropped_total{header=\"X-Forwarded-For\",reason=\"untrusted_peer\"} 0.0",
                "front_forwarding_headers_dropped_total{header=\"X-Host\",reason=\"too_many_hops\"} 0.0");
        assertThat(text.lines().filter(line -> line.startsWith("front_forwarding_headers_dropped_total{"))).hasSize(14 * 4);

        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        metrics.watchSaturation(limiter::saturation);
        for (int i = 0; i < 3; i++) {
            limiter.acquire(io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE, () -> { });
        }
        assertThat(PrometheusText.value(metrics, "front_saturation")).isEqualTo(1.5);
    }
}
