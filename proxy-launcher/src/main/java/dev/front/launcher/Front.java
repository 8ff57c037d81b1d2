package dev.front.launcher;

import dev.front.config.FrontConfig;
import dev.front.config.IoTransport;
import dev.front.config.ReloadConfig;
import dev.front.config.ServerKind;
import dev.front.config.Upstream;
import dev.front.config.TlsConfig;
import dev.front.config.UsageException;
import dev.front.core.FrontServer;
import dev.front.core.connection.ListenerFacts;
import dev.front.core.tls.CertificateWatcher;
import dev.front.core.tls.HttpsRedirect;
import dev.front.core.tls.TlsCertificates;
import dev.front.core.tls.TlsTermination;
import dev.front.core.alias.Offload;
import dev.front.core.compress.Compressors;
import dev.front.core.admin.ReloadRequests;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import dev.front.core.upstream.ChildGate;
import dev.front.core.upstream.ForwardingService;
import dev.front.core.upstream.UpstreamGeneration;
import dev.front.core.upstream.UpstreamWatch;
import dev.front.staticfiles.StaticFileService;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the front: bind the public listener, run the child (or wait, as a sidecar), shut down in order. */
final class Front {

    private static final Logger log = LoggerFactory.getLogger("front");
    /** Shown at the default level too (see {@link Logging}): the configuration in effect is always on record. */
    private static final Logger startupLog = LoggerFactory.getLogger(Logging.STARTUP);

    private final FrontConfig config;

    Front(FrontConfig config) {
        this.config = config;
    }

    int run() {
        StopSignal stop = StopSignal.install();
        Transport transport;
        try {
            transport = Transport.of(config.transport());
        } catch (IllegalArgumentException e) {
            System.err.println("front: " + e.getMessage());
            return Main.USAGE;
        }
        if (transport.name().equals("nio") && config.transport() == IoTransport.AUTO) {
            log.warn("native transports unavailable ({}): using NIO", Transport.nativeUnavailabilityCause());
        }
        EventLoopGroup group = transport.newGroup(0, "front-io");
        try {
            return run(stop, transport, group);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private int run(StopSignal stop, Transport transport, EventLoopGroup group) throws InterruptedException {
        ChildAddress childAddress = null;
        if (config.spawnsChild()) {
            try {
                childAddress = childAddress();
            } catch (IllegalArgumentException e) {
                System.err.println("front: " + e.getMessage()); // both placeholders, or a path too long
                return Main.USAGE;
            } catch (IOException e) {
                System.err.println("front: " + e.getMessage());
                return 1;
            }
        }
        try {
            return run(stop, transport, group, childAddress);
        } finally {
            if (childAddress != null) {
                childAddress.close(); // the socket's directory goes on every way out: TERM, the child's failure
            }
        }
    }

    /** Where the child will listen: a private Unix socket ({@code {socket}}, most presets) or a loopback port. */
    private ChildAddress childAddress() throws IOException {
        if (ChildCommand.listensOnSocket(config)) {
            Path root = config.forwarding().tempDirectory();
            try {
                return ChildSocket.create(root);
            } catch (IOException e) {
                throw new IOException("cannot make a private directory for the child's socket in " + root + ": "
                        + e.getMessage(), e);
            }
        }
        if (config.applicationPort().isPresent()) {
            return ChildAddress.LoopbackPort.given(config.applicationPort().getAsInt());
        }
        try {
            return ChildAddress.LoopbackPort.free();
        } catch (IOException e) {
            throw new IOException("cannot find a free loopback port for the child: " + e.getMessage(), e);
        }
    }

    private int run(StopSignal stop, Transport transport, EventLoopGroup group, ChildAddress childAddress)
            throws InterruptedException {
        ProxyHeaderPolicy policy = new ProxyHeaderPolicy(config.forwarded());
        ChildGate gate = config.spawnsChild() ? new ChildGate(false) : ChildGate.alwaysOpen();
        SocketAddress upstreamAddress = null;
        if (childAddress != null) {
            upstreamAddress = childAddress.upstream(transport);
        } else if (config.upstream().isPresent()) {
            upstreamAddress = transport.addressOf(config.upstream().get());
        }
        Operations operations;
        try {
            operations = new Operations(config, policy, gate);
        } catch (IllegalArgumentException e) {
            System.err.println("front: " + e.getMessage()); // a bad --access-log-format pattern
            return Main.USAGE;
        }
        ForwardingService forwarding = upstreamAddress == null ? null : new ForwardingService(transport,
                upstreamAddress, policy, config.limits(), config.forwarding(), gate, config.spawnsChild(),
                config.port(), operations.metrics());
        UpstreamWatch upstreamWatch = null;
        if (forwarding != null && !config.spawnsChild()) {
            upstreamWatch = forwarding.watchUpstream(group.next()); // a sidecar: said when it refuses
            operations.watchUpstream(upstreamWatch);
        }
        StaticFileService files = new StaticFileService(config.directoryIndex(),
                config.compressResponses() ? Compressors.load() : null);
        if (forwarding != null && config.offload().isPresent()) {
            forwarding.offload(new Offload(config.offload().get(), config.aliases(), files));
        }
        TlsCertificates certificates = null;
        TlsTermination tls = null;
        HttpsRedirect redirect = null;
        if (config.tls().isPresent()) {
            TlsConfig tlsConfig = config.tls().get();
            try {
                certificates = TlsCertificates.load(tlsConfig, config.http2(), operations.metrics());
            } catch (UsageException e) {
                operations.close();
                e.problems().forEach(problem -> System.err.println("front: " + problem));
                return Main.USAGE; // a certificate or key that cannot serve, before any child is started
            }
            tls = new TlsTermination(certificates, config.limits(), tlsConfig.hstsPolicy());
            if (tlsConfig.httpsOnly()) {
                redirect = new HttpsRedirect(tlsConfig.httpsPort(), policy, ListenerFacts.plain(config.port()),
                        config.site().serverName());
            }
        }
        FrontServer server = new FrontServer(config, transport, group, files, forwarding, operations.observer(), tls,
                redirect);
        try {
            server.start();
        } catch (Exception e) {
            operations.close();
            System.err.println("front: --port " + config.port() + ": cannot listen on " + config.host() + ":"
                    + config.port() + " (" + e.getMessage() + ")");
            return 1;
        }
        CertificateWatcher certificateWatcher = null;
        if (tls != null) {
            int httpsPort = config.tls().get().httpsPort();
            try {
                server.startTls();
            } catch (Exception e) {
                server.close();
                operations.close();
                System.err.println("front: --https-port " + httpsPort + ": cannot listen on " + config.host() + ":"
                        + httpsPort + " (" + e.getMessage() + ")");
                return 1;
            }
            certificateWatcher = CertificateWatcher.start(certificates);
        }
        ReloadRequests reloads = config.spawnsChild() ? new ReloadRequests() : null;
        int adminPort;
        try {
            adminPort = operations.startAdmin(transport, group, reloads);
        } catch (Exception e) {
            server.close();
            operations.close();
            System.err.println("front: --admin-port " + config.adminPort().getAsInt() + ": cannot listen on "
                    + config.host() + ":" + config.adminPort().getAsInt() + " (" + e.getMessage() + ")");
            return 1;
        }
        stop.onRequest(operations::drain); // first: /readyz fails the moment TERM arrives
        stop.onRequest(server::stopAccepting);
        logStartup(server, adminPort, upstreamAddress, childAddress, certificates);
        if (upstreamWatch != null) {
            upstreamWatch.start(); // after the startup line, which names the upstream its lines are about
        }
        if (policy.trustsEveryPeer() && !config.forwarded().trustProxyHeaders().isEmpty()) {
            log.warn("--trust-proxy-header is given without --trust-proxy: forwarding headers are trusted from every peer");
        }
        int status;
        try {
            if (config.spawnsChild()) {
                ChildCommand command;
                try {
                    command = ChildCommand.forConfig(config, childAddress,
                            WhiskeyHooks.prepare(config, System.getenv()));
                } catch (ChildCommand.UnavailableException e) {
                    System.err.println("front: " + e.getMessage());
                    return 127;
                }
                long memoryLimit;
                try {
                    memoryLimit = memoryLimit();
                } catch (IllegalArgumentException e) {
                    System.err.println("front: " + e.getMessage());
                    return Main.USAGE;
                }
                // forwarding is there whenever a child is: its address is the child's
                Supervisor supervisor = new Supervisor(command, childAddress,
                        config.limits().startupTimeout(), config.limits().gracefulTimeout(), gate,
                        server::awaitClientsClosed, operations.metrics(), new Supervisor.Upstream() {
                            @Override
                            public void move(ChildAddress address) {
                                forwarding.switchUpstream(address.upstream(transport));
                            }

                            @Override
                            public UpstreamGeneration switchTo(ChildAddress address) {
                                return forwarding.switchUpstream(address.upstream(transport));
                            }

                            @Override
                            public UpstreamGeneration current() {
                                return forwarding.upstream();
                            }
                        }, config.reload(), reloads, memoryLimit);
                CodeWatcher watcher = config.reload().reloadOnChanges() ? watchCode(reloads) : null;
                try {
                    status = supervisor.run(stop);
                } finally {
                    if (watcher != null) {
                        watcher.close();
                    }
                }
            } else {
                stop.await();
                // Sidecar or aliases only: requests in flight finish (idle connections were closed at once).
                server.awaitClientsClosed(config.limits().gracefulTimeout());
                status = 0;
            }
        } finally {
            if (certificateWatcher != null) {
                certificateWatcher.close();
            }
            server.close();
            operations.close(); // last: /healthz answers until the front exits
        }
        log.info("exiting with status {}", status);
        return status;
    }

    /** {@code --reload-on-changes}: the application's code, not its static files or the front's temp files. */
    private CodeWatcher watchCode(ReloadRequests reloads) {
        List<Path> excluded = new java.util.ArrayList<>(config.aliases().stream().map(alias -> alias.path()).toList());
        excluded.add(config.forwarding().tempDirectory());
        return CodeWatcher.start(config.appRoot(), excluded,
                file -> reloads.request("--reload-on-changes: " + file.getFileName() + " changed"));
    }

    /** {@code --memory-limit} in bytes (a percentage of the container's limit resolved now); 0 for none. */
    private long memoryLimit() {
        return switch (config.reload().memoryLimit().orElse(null)) {
            case null -> 0;
            case ReloadConfig.MemoryLimit.Bytes bytes -> bytes.bytes();
            case ReloadConfig.MemoryLimit.Percent percent -> GroupMemory.containerLimit("--memory-limit: "
                    + percent.percent() + "%") / 100 * percent.percent();
        };
    }

    private void logStartup(FrontServer server, int adminPort, SocketAddress upstream, ChildAddress childAddress,
                            TlsCertificates certificates) {
        List<String> childArgv = childAddress == null ? null : config.application()
                .map(app -> List.of(app.entryPoint(), "under", app.server().map(ServerKind::optionName)
                        .orElse("the default server (gunicorn, else waitress)")))
                .orElseGet(() -> childAddress.substitute(config.childCommand()));
        String line = StartupLine.of(config, server.port(), server.transportName(), adminPort, upstream, childArgv);
        if (certificates != null) {
            line += "; tls: https://" + config.host() + ":" + server.tlsPort() + " (" + certificates.describe()
                    + (config.tls().get().httpsOnly() ? "; plain port redirects to it" : "") + ")";
        }
        startupLog.info(line);
    }
}
