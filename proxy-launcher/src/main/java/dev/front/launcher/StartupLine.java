package dev.front.launcher;

import dev.front.config.FrontConfig;
import dev.front.core.transport.Transport;
import java.net.SocketAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one line the front logs when it is up, stating the configuration in effect (after defaults, {@code @file}s
 * and {@code $PORT}): listeners, aliases, trusted proxies, where requests go, the access log and the timeouts an
 * operator tunes against the orchestrator's. Enough to answer "what is this front actually doing" from the log.
 */
final class StartupLine {

    private StartupLine() {
    }

    /**
     * @param adminPort the admin listener's bound port, or -1 when there is none
     * @param upstream  where unmatched requests go, or {@code null} when nowhere
     * @param childArgv the child's command with its port or socket filled in, or {@code null} when nothing is
     *                  spawned
     */
    static String of(FrontConfig config, int publicPort, String transport, int adminPort, SocketAddress upstream,
                     List<String> childArgv) {
        StringBuilder line = new StringBuilder("front up: listening on http://")
                .append(config.host()).append(':').append(publicPort).append(" (").append(transport).append(')');
        line.append("; admin: ").append(adminPort < 0 ? "off"
                : "http://" + config.host() + ":" + adminPort + " (/metrics /healthz /readyz)");
        String aliases = config.aliases().stream().map(a -> a.urlPath() + " -> " + a.path())
                .collect(Collectors.joining(", "));
        line.append("; aliases: ").append(aliases.isEmpty() ? "none" : aliases);
        line.append("; trusted proxies: ").append(trustedProxies(config));
        if (childArgv != null) {
            line.append("; child: ").append(String.join(" ", childArgv)).append(" on ").append(Transport.text(upstream));
        } else {
            line.append("; upstream: ").append(upstream == null ? "none (unmatched requests get 404)" : Transport.text(upstream));
        }
        line.append("; access log: ").append(config.accessLog() ? config.accessLogFormat() : "off");
        var limits = config.limits();
        line.append("; timeouts: startup ").append(limits.startupTimeout().toSeconds())
                .append("s, queue ").append(limits.queueTimeout().toSeconds())
                .append("s, request ").append(limits.requestTimeout().toSeconds())
                .append("s, graceful ").append(limits.gracefulTimeout().toSeconds())
                .append("s; request body limit ").append(limits.limitRequestBody()).append(" bytes");
        return line.toString();
    }

    private static String trustedProxies(FrontConfig config) {
        var forwarded = config.forwarded();
        if (forwarded.trustProxyHeaders().isEmpty() || forwarded.trustedHops() == 0) {
            return "none (every forwarding header from clients is dropped)";
        }
        String peers = forwarded.trustProxies().isEmpty() ? "every peer" : String.join(", ", forwarded.trustProxies());
        return peers + " for " + String.join(", ", forwarded.trustProxyHeaders()) + " (hops "
                + forwarded.trustedHops() + (forwarded.strict() ? ", strict" : "") + ")";
    }
}
