package dev.front.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.observe.PrometheusText;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptPauseTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final EmbeddedChannel listener = new EmbeddedChannel(new AcceptPause(metrics::acceptFailed));

    @Test
    void aFailedAcceptPausesAcceptingForAMomentAndIsCounted() {
        listener.freezeTime(); // only advanceTimeBy moves the loop's clock
        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));

        assertThat(listener.config().isAutoRead()).isFalse();
        assertThat(PrometheusText.scrape(metrics)).contains("front_accept_errors_total 1.0");
        listener.advanceTimeBy(AcceptPause.PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();
        listener.checkException(); // the failure went no further down the pipeline
    }

    @Test
    void failuresDuringAPauseAreCountedAndDoNotExtendIt() {
        listener.pipeline().fireExceptionCaught(new IOException("one"));
        listener.pipeline().fireExceptionCaught(new IOException("two"));
        listener.advanceTimeBy(AcceptPause.PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();

        assertThat(listener.config().isAutoRead()).isTrue();
        assertThat(PrometheusText.scrape(metrics)).contains("front_accept_errors_total 2.0");
    }

    @Test
    void otherFailuresAreNotAcceptFailures() {
        listener.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));

        assertThat(listener.config().isAutoRead()).isTrue();
        assertThat(PrometheusText.scrape(metrics)).contains("front_accept_errors_total 0.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(listener::checkException)
                .isInstanceOf(IllegalStateException.class);
    }
}
