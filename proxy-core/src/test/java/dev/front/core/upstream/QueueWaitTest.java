package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ForwardedConfig;
import dev.front.config.ForwardingConfig;
import dev.front.config.IoTransport;
import dev.front.config.Limits;
import dev.front.core.http.Failure;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueWaitTest {

    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(3);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final ChildGate gate = new ChildGate(false);
    private final ForwardingService service = service(gate);
    private Failure failed;
    private Channel connected;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestWithNoFreeSlotIsToldWhichLimitItWaitedFor() {
        ConcurrencyLimiter.Ticket other = service.limiter().acquire(ctx.executor(), () -> { });
        QueueWait wait = wait(false);
        wait.start();
        expire();
        assertThat(failed.status().code()).isEqualTo(503);
        assertThat(failed.cause()).contains("a slot (--max-concurrency 1)");
        wait.stop(); // as the exchange does once it has answered
        other.release();
        assertThat(service.limiter().inUse()).isZero(); // the waiting ticket left the queue, never granted
    }

    @Test
    void aRequestWhoseChildNeverOpensItsGateWaitsForTheChildNotASlot() {
        QueueWait wait = wait(false);
        wait.start();
        assertThat(service.limiter().inUse()).isEqualTo(1);
        expire();
        assertThat(failed.cause()).contains("to accept a connection");
        assertThat(connected).isNull();
        wait.stop();
        assertThat(service.limiter().inUse()).isZero();
    }

    @Test
    void theSlotStaysHeldAfterTheWaitUntilTakenOrStopped() {
        QueueWait wait = wait(false);
        wait.start();
        assertThat(service.limiter().inUse()).isEqualTo(1);
        ConcurrencyLimiter.Ticket taken = wait.takeSlot();
        wait.stop();
        assertThat(service.limiter().inUse()).isEqualTo(1); // taken over: no longer the wait's to free
        taken.release();
        assertThat(service.limiter().inUse()).isZero();
    }

    @Test
    void nothingIsDecidedBeforeTheDeadline() {
        wait(false).start();
        channel.advanceTimeBy(QUEUE_TIMEOUT.toMillis() - 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(failed).isNull();
    }

    private void expire() {
        channel.advanceTimeBy(QUEUE_TIMEOUT.toMillis() + 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private QueueWait wait(boolean handshake) {
        return new QueueWait(ctx, service, handshake, new QueueWait.Outcome() {
            @Override
            public void connected(Channel upstream, boolean reused) {
                connected = upstream;
            }

            @Override
            public void failed(Failure failure) {
                failed = failure;
            }
        });
    }

    private static ForwardingService service(ChildGate gate) {
        Limits d = Limits.defaults();
        Limits limits = new Limits(d.limitRequestBody(), d.headerTimeout(), d.bodyTimeout(), d.socketTimeout(),
                d.keepAliveTimeout(), d.startupTimeout(), QUEUE_TIMEOUT, d.requestTimeout(), d.gracefulTimeout());
        ForwardingConfig one = new ForwardingConfig(64 * 1024, 1024L * 1024 * 1024, Optional.empty(), 1, false,
                ForwardingConfig.DEFAULT_MAX_WEBSOCKETS, Optional.empty());
        return new ForwardingService(Transport.of(IoTransport.NIO), new InetSocketAddress("127.0.0.1", 9),
                new ProxyHeaderPolicy(ForwardedConfig.defaults()), limits, one, gate, true, 8080, new PrometheusMetrics());
    }
}
