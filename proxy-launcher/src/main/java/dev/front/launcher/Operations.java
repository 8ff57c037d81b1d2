package dev.front.launcher;

import dev.front.config.FrontConfig;
import dev.front.core.AccessLog;
import dev.front.core.AdminServer;
import dev.front.core.ChildGate;
import dev.front.core.ForwardedHeaderPolicy;
import dev.front.core.FrontMetrics;
import dev.front.core.ReadyState;
import dev.front.core.ReloadRequests;
import dev.front.core.RequestObserver;
import dev.front.core.Transport;
import dev.front.core.UpstreamWatch;
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
    private final FrontMetrics metrics = new FrontMetrics();
    private final ReadyState ready;
    private final AccessLog accessLog;
    private final RequestObserver observer;
    private AdminServer admin;

    /** @throws IllegalArgumentException naming {@code --access-log-format} when its pattern is not understood */
    Operations(FrontConfig config, ForwardedHeaderPolicy policy, ChildGate gate) {
        this.config = config;
        this.ready = new ReadyState(gate);
        if (config.spawnsChild()) {
            metrics.watchChild(gate);
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
        admin = new AdminServer(transport, group, metrics, ready, reloads);
        admin.start(config.host(), config.adminPort().getAsInt());
        return admin.port();
    }

    /** {@code /readyz} fails while the sidecar upstream {@code watch} looks at refuses connections. */
    void watchUpstream(UpstreamWatch watch) {
        ready.watchUpstream(watch);
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
