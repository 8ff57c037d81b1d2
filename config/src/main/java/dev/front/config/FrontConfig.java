package dev.front.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the front was told to do, validated. Built by {@link CommandLineParser}.
 *
 * @param host            address of the public listener
 * @param port            port of the public listener
 * @param adminPort       port of the admin listener, if any
 * @param aliases         static aliases, in command-line order (the router picks the longest match)
 * @param directoryIndex  file served for a directory URL ending in {@code /}
 * @param forwarded       the forwarded-header policy's options
 * @param childCommand    the child command after {@code --} ({@code {port}} not yet substituted); empty if none
 * @param upstream        an already running server to forward to (sidecar mode), if given
 * @param applicationPort a fixed port for the child instead of a free one
 * @param limits          limits and timeouts
 * @param forwarding      buffering, temp files and the concurrency cap of forwarding
 * @param accessLog       whether to log one line per request on stdout
 * @param accessLogFormat {@code common}, {@code combined}, {@code json} or a custom pattern
 * @param logLevel        level of the front's own log on stderr
 * @param transport       the network transport asked for
 * @param http2           whether the listener also takes HTTP/2 by prior knowledge (h2c) ({@code --http2})
 * @param application     the WSGI application to run under a server preset, if named (instead of a child command)
 * @param appRoot         the application's directory: the child's working directory, where {@code .whiskey/} is
 * @param userVars        variables for the child's environment from {@code .whiskey/user_vars/} (name = file name)
 * @param requestIdHeader the header that carries each request's id ({@code --request-id-header})
 * @param offload         file offload from the child ({@code --sendfile-header}), if on
 * @param reload          how the child is replaced (HUP, {@code POST /reload}) and recycled
 * @param childEnvironment the child's extra variables, working directory and {@code PYTHONPATH} entries
 * @param tls             the TLS listener ({@code --https-port}), if any
 * @param compressResponses whether responses are compressed for clients that accept it ({@code --compress-responses})
 * @param site            host names, mount point, document root, error documents and the client cap
 * @param proxyProtocol   every connection to the public listeners begins with a PROXY protocol header, whose
 *                        client address replaces the peer's ({@code --proxy-protocol}; needs {@code --trust-proxy})
 */
public record FrontConfig(String host, int port, OptionalInt adminPort, List<Alias> aliases, String directoryIndex,
                          ForwardedConfig forwarded, List<String> childCommand, Optional<Upstream> upstream,
                          OptionalInt applicationPort, Limits limits, ForwardingConfig forwarding,
                          boolean accessLog, String accessLogFormat, LogLevel logLevel, IoTransport transport, boolean http2,
                          Optional<ApplicationConfig> application, java.nio.file.Path appRoot,
                          java.util.Map<String, String> userVars, String requestIdHeader,
                          Optional<OffloadConfig> offload, ReloadConfig reload,
                          ChildEnvironment childEnvironment, Optional<TlsConfig> tls,
                          boolean compressResponses, SiteConfig site, boolean proxyProtocol) {

    public FrontConfig {
        aliases = List.copyOf(aliases);
        childCommand = List.copyOf(childCommand);
        userVars = java.util.Map.copyOf(userVars);
        if (spawns(childCommand, application) && upstream.isPresent()) {
            throw new IllegalArgumentException("--upstream: " + upstream.get()
                    + " (expected: either --upstream or an application to run, not both)");
        }
    }

    private static boolean spawns(List<String> childCommand, Optional<ApplicationConfig> application) {
        return !childCommand.isEmpty() || application.isPresent();
    }

    /**
     * True when the front spawns and supervises a child process: a command after {@code --}, or an application
     * run under a server preset (then anything after {@code --} is extra arguments for that server).
     */
    public boolean spawnsChild() {
        return spawns(childCommand, application);
    }

    /**
     * The front's own name when it needs one (an absolute redirect of its own): {@code --server-name}, if given;
     * else the Host of the request is the only name there is.
     */
    public java.util.Optional<String> serverName() {
        return site.serverName();
    }

    /** True when requests that match no alias have somewhere to go. */
    public boolean forwards() {
        return spawnsChild() || upstream.isPresent();
    }
}
