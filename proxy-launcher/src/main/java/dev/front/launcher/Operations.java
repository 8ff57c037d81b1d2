package dev.front.launcher;

import dev.front.config.FrontConfig;
import dev.front.core.observe.AccessLog;
import dev.front.core.admin.AdminServer;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.NoMetrics;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.admin.ReadyState;
import dev.front.core.admin.ReloadRequests;
import dev.front.core.observe.RequestObserver;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import dev.front.core.upstream.ChildGate;
import dev.front.core.upstream.UpstreamWatch;
import io.netty.channel.EventLoopGroup;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * What the front offers its operators for one run: the metrics, the access log on stdout ({@code --access-log}),
 * the readiness state and the admin listener ({@code --admin-port}). Front builds it before the public listener,
 * drains it on TERM, and closes it last, so {@code /healthz} answers until the front exits.
 */
final class Operations implements AutoCloseable {

    private final FrontConfig config;
    /** Micrometer's registry only when the admin listener can serve it: else its classes are never loaded. */
    private final FrontMetrics metrics;
    private final ReadyState ready;
    private final AccessLog accessLog;
    private final RequestObserver observer;
    private AdminServer admin;

    /** @throws IllegalArgumentException naming {@code --access-log-format} when its pattern is not understood */
    Operations(FrontConfig config, ProxyHeaderPolicy policy, ChildGate gate) {
        this.config = config;
        this.metrics = config.adminPort().isPresent() ? new PrometheusMetrics() : NoMetrics.INSTANCE;
        this.ready = new ReadyState(gate::isOpen);
        if (config.spawnsChild()) {
            metrics.watchChild(gate::isOpen);
        }
        // stdout itself, not System.out: no PrintStream lock or autoflush on the writer thread's path.
        this.accessLog = config.accessLog() ? new AccessLog(config.accessLogFormat(), policy, config.port(),
                new FileOutputStream(FileDescriptor.out), metrics) : null;
        this.observer = new RequestObserver(metrics, accessLog);
    }

    FrontMetrics metrics() {
        return metrics;
    }

    RequestObserver observer() {
        return observer;
    }

    /**
     * Binds the admin listener when {@code --admin-port} is given; returns its port, or -1 when there is none.
     *
     * @param reloads where {@code POST /reload} asks for a new child; {@code null} when the front runs none
     */
    int startAdmin(Transport transport, EventLoopGroup group, ReloadRequests reloads) throws InterruptedException {
        if (config.adminPort().isEmpty()) {
            return -1;
        }
        admin = new AdminServer(transport, group, (PrometheusMetrics) metrics, ready, reloads);
        admin.start(config.host(), config.adminPort().getAsInt());
        return admin.port();
    }

    /** {@code /readyz} fails while the sidecar upstream {@code watch} looks at refuses connections. */
    void watchUpstream(UpstreamWatch watch) {
        ready.watchUpstream(watch::refusal);
    }

    /** The first step of a stop: {@code /readyz} answers 503 from now on. */
    void drain() {
        ready.drain();
    }

    @Override
    public void close() {
        if (accessLog != null) {
            accessLog.close();
        }
        if (admin != null) {
            admin.close();
        }
    }
}
