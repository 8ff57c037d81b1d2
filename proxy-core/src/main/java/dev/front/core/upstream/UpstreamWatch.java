package dev.front.core.upstream;

import dev.front.core.http.Failure;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an upstream the front does not supervise ({@code --upstream}, a sidecar) accepts connections. Requests
 * still ride through a refusing upstream (they retry until {@code --queue-timeout}), but the change is said once,
 * not per request: one {@code warn} line when it starts refusing, one {@code info} line when it accepts again; and
 * {@code /readyz} fails meanwhile, so the platform stops routing to this pod.
 *
 * <p>Every connection attempt to the upstream, a request's or a probe's, tells the watch how it went. While the
 * upstream refuses, a probe runs every second, so that its return is noticed with no traffic (traffic stops once
 * {@code /readyz} fails). While it accepts, each {@code /readyz} starts one probe, whose outcome the next one
 * answers, so an upstream that goes away while no request comes is noticed too.
 */
public final class UpstreamWatch implements ChannelFutureListener {

    private enum State { UNKNOWN, ACCEPTING, REFUSING }

    /** Shown at the default level ({@code warn}) with its {@code info} line: the return of the upstream is news too. */
    public static final String LOGGER = "front.upstream";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    static final long PROBE_MILLIS = 1000;

    private final String upstream;
    private final Duration queueTimeout;
    private final Supplier<ChannelFuture> connect;
    private final EventLoop loop;
    private final AtomicReference<State> state = new AtomicReference<>(State.UNKNOWN);
    /** A probe chain runs (one per second while refusing). */
    private final AtomicBoolean probing = new AtomicBoolean();
    /** A single probe is in flight (started by {@code /readyz}). */
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile String refusal;

    /**
     * @param upstream how the log names it ("upstream 127.0.0.1:8000")
     * @param connect  opens a connection to the upstream on {@code loop}, reporting to this watch
     */
    UpstreamWatch(String upstream, Duration queueTimeout, Supplier<ChannelFuture> connect, EventLoop loop) {
        this.upstream = upstream;
        this.queueTimeout = queueTimeout;
        this.connect = connect;
        this.loop = loop;
    }

    /** The first look, once the front is up. */
    public void start() {
        check();
    }

    /** Why the upstream is not ready, or {@code null} while it accepts connections (see the class comment). */
    public String refusal() {
        return switch (state.get()) {
            case ACCEPTING -> {
                check();
                yield null;
            }
            case REFUSING -> refusal;
            case UNKNOWN -> upstream + " not reached yet";
        };
    }

    /** The outcome of one connection attempt to the upstream. */
    @Override
    public void operationComplete(ChannelFuture attempt) {
        if (attempt.isSuccess()) {
            accepted();
        } else if (!attempt.isCancelled()) {
            refused(attempt.cause());
        }
    }

    private void accepted() {
        if (state.get() != State.ACCEPTING && state.getAndSet(State.ACCEPTING) == State.REFUSING) {
            LOG.info("{} accepts connections again", upstream);
        }
    }

    private void refused(Throwable cause) {
        if (state.get() == State.REFUSING) {
            return;
        }
        String reason = upstream + " does not accept connections (" + Failure.connectError(cause) + ")";
        refusal = reason;
        if (state.getAndSet(State.REFUSING) != State.REFUSING) {
            LOG.warn("{}: requests wait up to --queue-timeout {} for it; /readyz answers 503 until it accepts", reason,
                    Failure.duration(queueTimeout));
            probeLater();
        }
    }

    /** One probe, unless one is in flight already. */
    private void check() {
        if (checking.compareAndSet(false, true)) {
            probe().addListener(f -> checking.set(false));
        }
    }

    private ChannelFuture probe() {
        ChannelFuture attempt = connect.get();
        attempt.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                f.channel().close(); // only asked whether it accepts: the upstream sees a connection and its close
            }
        });
        return attempt;
    }

    private void probeLater() {
        if (probing.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        try {
            loop.schedule(this::probeTick, PROBE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            probing.set(false); // the front is shutting down
        }
    }

    private void probeTick() {
        if (state.get() == State.REFUSING) {
            probe().addListener(f -> schedule());
            return;
        }
        probing.set(false);
        if (state.get() == State.REFUSING) {
            probeLater(); // it refused again between the look and the flag: that refusal's chain is this one
        }
    }
}
