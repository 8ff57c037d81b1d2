package dev.front.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The raw option values as picocli binds them. Names follow mod_wsgi-express's {@code start-server} wherever it
 * has the same concept, so a {@code .whiskey/server_args} file keeps working. Validation happens in
 * {@link CommandLineParser}, which turns these into a {@link FrontConfig}.
 */
@Command(name = "front", mixinStandardHelpOptions = true, version = "front 0.1.0",
        usageHelpWidth = 100, sortOptions = false,
        description = "PID 1, trusted forwarded headers, static files and a buffering front for a WSGI server.",
        footer = {"", "The child command comes after --. {socket} in it becomes the path of a private Unix socket the"
                + " front forwards to (also in $FRONT_SOCKET); otherwise {port} and $PORT are the loopback port the"
                + " front chose. Not both in one command."})
final class FrontOptions {

    @Option(names = "--host", paramLabel = "ADDR", description = "Address of the public listener (default: 0.0.0.0).")
    String host = "0.0.0.0";

    @Option(names = "--port", paramLabel = "N", description = "Port of the public listener (default: $PORT, else 8080).")
    String port;

    @Option(names = "--admin-port", paramLabel = "N", description = "Listener for /metrics, /healthz, /readyz (default: off).")
    String adminPort;

    // hideParamSyntax: picocli would otherwise print the two-word label twice for arity 2.
    @Option(names = "--url-alias", arity = "2", paramLabel = "URL-PATH PATH", hideParamSyntax = true,
            description = "Serve a directory or file at a URL prefix (repeatable); a relative PATH is relative to"
                    + " --app-root.")
    List<String> urlAliases = new ArrayList<>();

    @Option(names = "--sendfile-header", paramLabel = "NAME",
            description = "A child response carrying this header (X-Accel-Redirect, X-Sendfile) is replaced by the"
                    + " file it names, served by the front (default: off).")
    String sendfileHeader;

    @Option(names = "--internal-alias", arity = "2", paramLabel = "URL-PATH DIR", hideParamSyntax = true,
            description = "An alias the child may name in --sendfile-header but clients can never request"
                    + " (repeatable); a relative DIR is relative to --app-root.")
    List<String> internalAliases = new ArrayList<>();

    @Option(names = "--sendfile-root", paramLabel = "DIR",
            description = "A directory under which the child may name a file by its absolute path in"
                    + " --sendfile-header (repeatable).")
    List<String> sendfileRoots = new ArrayList<>();

    @Option(names = "--directory-index", paramLabel = "NAME", description = "Index file of a directory (default: index.html).")
    String directoryIndex = "index.html";

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "The site's host name: a request for any other Host (port aside) gets 421 before the"
                    + " child sees it; a www. name also redirects its parent domain to itself (default: every Host"
                    + " is served).")
    String serverName;

    @Option(names = "--server-alias", paramLabel = "NAME",
            description = "Another host name of the site, * and ? as wildcards, e.g. *.example.com (repeatable;"
                    + " with --server-name).")
    List<String> serverAliases = new ArrayList<>();

    @Option(names = "--allow-localhost",
            description = "With --server-name, clients connecting from a loopback address may use any Host.")
    boolean allowLocalhost;

    @Option(names = "--mount-point", paramLabel = "URL-PATH",
            description = "The application's URL prefix, its SCRIPT_NAME; outside it only aliases are served, the"
                    + " rest is 404 (default: /).")
    String mountPoint;

    @Option(names = "--document-root", paramLabel = "DIR",
            description = "A file that exists in DIR is served at its URL; anything else goes to the application; a"
                    + " relative DIR is relative to --app-root.")
    String documentRoot;

    @Option(names = "--error-document", arity = "2", paramLabel = "STATUS URL-PATH", hideParamSyntax = true,
            description = "The page, served by an alias or --document-root, of the front's own answers with this"
                    + " status to clients that accept text/html; {error_id} in it becomes the error id (repeatable).")
    List<String> errorDocuments = new ArrayList<>();

    @Option(names = "--max-clients", paramLabel = "N",
            description = "Client connections open at once; one more is answered 503 with Retry-After and closed"
                    + " (default: no cap).")
    String maxClients;

    @Option(names = "--request-id-header", paramLabel = "NAME",
            description = "Header that carries each request's id to the child and back to the client (default:"
                    + " X-Request-ID); kept from a --trust-proxy peer, made by the front otherwise.")
    String requestIdHeader = "X-Request-ID";

    @Option(names = "--trust-proxy-header", paramLabel = "NAME",
            description = "A forwarding header the front may consume from a trusted peer (repeatable; default:"
                    + " none, every forwarding header from clients is dropped).")
    List<String> trustProxyHeaders = new ArrayList<>();

    @Option(names = "--trust-proxy", paramLabel = "CIDR", description = "Trusted peers and X-Forwarded-For hops"
            + " (repeatable; default: with --trust-proxy-header, every peer, with a warning).")
    List<String> trustProxies = new ArrayList<>();

    @Option(names = "--proxy-protocol",
            description = "Every connection to the public listeners begins with a PROXY protocol header (v1 or v2)"
                    + " from a --trust-proxy peer, whose client address is the client's; others are closed"
                    + " (default: off).")
    boolean proxyProtocol;

    @Option(names = "--trusted-hops", paramLabel = "N", description = "Trusted proxies appending to X-Forwarded-For (default: 1).")
    String trustedHops = "1";

    @Option(names = "--strict-forwarded-headers",
            description = "Answer 400 instead of dropping invalid forwarding header names or values.")
    boolean strictForwardedHeaders;

    @Option(names = "--https-port", paramLabel = "N",
            description = "Port of a second public listener, for HTTP/1.1 over TLS (default: off).")
    String httpsPort;

    /** mod_wsgi-express's older name of {@code --https-port}. */
    @Option(names = "--ssl-port", paramLabel = "N", hidden = true)
    String sslPort;

    @Option(names = "--ssl-certificate-file", paramLabel = "FILE",
            description = "PEM certificate (leaf first, then intermediates) for --https-port (repeatable, paired in"
                    + " order with --ssl-certificate-key-file; the first is the default, the others are chosen by SNI).")
    List<String> sslCertificateFiles = new ArrayList<>();

    @Option(names = "--ssl-certificate-key-file", paramLabel = "FILE",
            description = "PEM private key of the --ssl-certificate-file of the same rank: PKCS#8, RSA or EC.")
    List<String> sslCertificateKeyFiles = new ArrayList<>();

    @Option(names = "--ssl-certificate", paramLabel = "PREFIX",
            description = "The same as --ssl-certificate-file PREFIX.crt --ssl-certificate-key-file PREFIX.key, first.")
    String sslCertificate;

    @Option(names = "--ssl-certificate-chain-file", paramLabel = "FILE",
            description = "PEM intermediate certificates sent after the default certificate.")
    String sslCertificateChainFile;

    @Option(names = "--https-only",
            description = "The plain port answers every request with a permanent redirect to --https-port.")
    boolean httpsOnly;

    @Option(names = "--hsts-policy", paramLabel = "VALUE",
            description = "Strict-Transport-Security value sent on TLS responses, e.g. max-age=31536000 (default: none).")
    String hstsPolicy;

    @Option(names = "--ssl-provider", paramLabel = "P",
            description = "openssl (BoringSSL) or jdk (default: openssl if its native library loads, else jdk).")
    String sslProvider;

    @Option(names = "--trust-proxy-headers-on-https",
            description = "Believe forwarding headers on the TLS listener too, under the same --trust-proxy rules.")
    boolean trustProxyHeadersOnHttps;

    @Option(names = "--upstream", paramLabel = "HOST:PORT|unix:/PATH",
            description = "Forward to an already running server (sidecar); nothing is spawned.")
    String upstream;

    @Option(names = "--application-port", paramLabel = "N", description = "Fixed loopback port for the child.")
    String applicationPort;

    @Parameters(arity = "0..1", paramLabel = "ENTRY-POINT",
            description = "A WSGI script file, or a module with --application-type module (mod_wsgi-express style).")
    String entryPoint;

    @Option(names = "--entry-point", paramLabel = "ENTRY-POINT", description = "The same as the positional ENTRY-POINT.")
    String entryPointOption;

    @Option(names = "--application-type", paramLabel = "TYPE", description = "script (default) or module.")
    String applicationType = "script";

    @Option(names = "--callable-object", paramLabel = "NAME", description = "The WSGI callable (default: application).")
    String callableObject = "application";

    @Option(names = "--server", paramLabel = "NAME",
            description = "Run the application under gunicorn, waitress, uwsgi, mod_wsgi or uvicorn (default: gunicorn if importable, else waitress).")
    String server;

    @Option(names = "--application", paramLabel = "MODULE:CALLABLE", description = "The WSGI application for --server.")
    String application;

    @Option(names = "--processes", paramLabel = "N", description = "Worker processes of the server of --server or an"
            + " entry point (default: $MOD_WSGI_PROCESSES, else the server's); not used with a command after --.")
    String processes;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per process of the server of --server or an"
            + " entry point (default: $MOD_WSGI_THREADS, else the server's); not used with a command after --.")
    String threads;

    @Option(names = "--app-root", paramLabel = "DIR",
            description = "The application's directory, with its .whiskey/ (default: the current directory).")
    String appRoot;

    @Option(names = "--working-directory", paramLabel = "DIR",
            description = "The child's working directory, where its server imports the application from (default:"
                    + " --app-root); a relative DIR is relative to --app-root.")
    String workingDirectory;

    @Option(names = "--python-path", paramLabel = "DIR",
            description = "A directory put first on the child's PYTHONPATH (repeatable, in order); a relative DIR is"
                    + " relative to --app-root.")
    List<String> pythonPath = new ArrayList<>();

    @Option(names = "--setenv", arity = "2", paramLabel = "NAME VALUE", hideParamSyntax = true,
            description = "A variable of the child's environment (repeatable; wins over the front's environment,"
                    + " .whiskey/user_vars and deploy-env).")
    List<String> setenv = new ArrayList<>();

    // mod_wsgi-express options that have no effect for the front (docs/whiskey.md says why, one by one): accepted
    // so that server_args keep working. --passenv: the child already inherits the front's whole environment.
    @Option(names = {"--server-root", "--passenv", "--minimum-spare-workers", "--maximum-spare-workers",
            "--initial-workers", "--send-buffer-size", "--receive-buffer-size", "--server-mpm", "--shell-executable",
            "--httpd-executable", "--modules-directory", "--socket-prefix"}, paramLabel = "VALUE", hidden = true)
    List<String> ignoredWithValue = new ArrayList<>();

    @Option(names = {"--startup-log", "--enable-sendfile", "--disable-reloading", "--chunked-request"}, hidden = true)
    List<Boolean> ignoredFlags = new ArrayList<>();


    @Option(names = "--limit-request-body", paramLabel = "BYTES", description = "Largest request body (default: 10485760).")
    String limitRequestBody;

    @Option(names = "--client-body-buffer-size", paramLabel = "BYTES",
            description = "Request body kept in memory; larger bodies go to a temp file (default: 65536).")
    String clientBodyBufferSize;

    @Option(names = "--max-temp-file-size", paramLabel = "BYTES",
            description = "Response bytes buffered on disk for a slow client; 0 = none (default: 1073741824).")
    String maxTempFileSize;

    @Option(names = "--temp-dir", paramLabel = "PATH", description = "Directory for temp files (default: java.io.tmpdir).")
    String tempDir;

    @Option(names = "--max-concurrency", paramLabel = "N",
            description = "Requests forwarded at once; more wait in a FIFO queue up to --queue-timeout; 0 = no cap"
                    + " (default: --processes x --threads, a missing one counting 1, when either is given for an"
                    + " application the front runs; else 0).")
    String maxConcurrency;

    @Option(names = "--http2",
            description = "Also speak HTTP/2 without TLS (h2c) on the listener to clients that open with its preface"
                    + " (prior knowledge); HTTP/1.1 goes on as before (default: off).")
    boolean http2;

    @Option(names = "--websocket",
            description = "Tunnel WebSocket connections to the upstream after its 101 (default: off; Upgrade is removed).")
    boolean webSocket;

    @Option(names = "--compress-responses",
            description = "Compress text, JSON, JavaScript, XML and SVG responses (from the child, and files without a"
                    + " precompressed sidecar) with br, zstd or gzip, as the client accepts (default: off).")
    boolean compressResponses;

    @Option(names = "--max-websockets", paramLabel = "N",
            description = "WebSocket tunnels open at once, with --websocket; more get 503 (default: 1024).")
    String maxWebSockets;

    @Option(names = "--deadline-header", paramLabel = "NAME",
            description = "Tell the child, in this header, how many milliseconds each request may still take:"
                    + " --request-timeout less its wait in the front's queue (default: none sent).")
    String deadlineHeader;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", description = "Time to receive request headers (default: 15).")
    String headerTimeout;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", description = "Request body inactivity (default: 15).")
    String bodyTimeout;

    @Option(names = "--socket-timeout", paramLabel = "SECONDS", description = "Client write inactivity (default: 60).")
    String socketTimeout;

    @Option(names = "--keep-alive-timeout", paramLabel = "SECONDS", description = "Idle client connection (default: 30).")
    String keepAliveTimeout;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", description = "Time for the child to listen (default: 15).")
    String startupTimeout;

    @Option(names = "--queue-timeout", paramLabel = "SECONDS", description = "Wait for the child before 503 (default: 45).")
    String queueTimeout;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Wait for response headers before 504 (default: 60).")
    String requestTimeout;

    @Option(names = "--graceful-timeout", paramLabel = "SECONDS", description = "Time to finish on TERM before SIGKILL (default: 15).")
    String gracefulTimeout;

    @Option(names = "--on-hup", paramLabel = "WHAT",
            description = "replace (default): HUP starts a new child and switches to it once ready; relay: HUP goes"
                    + " to the child.")
    String onHup;

    @Option(names = "--reload-probe-path", paramLabel = "PATH",
            description = "What a new child must answer below 500 before it gets traffic (default: --mount-point,"
                    + " else /).")
    String reloadProbePath;

    @Option(names = "--maximum-requests", paramLabel = "N",
            description = "Replace the child after N forwarded requests (default: 0, never).")
    String maximumRequests;

    @Option(names = "--restart-interval", paramLabel = "SECONDS",
            description = "Replace the child this long after it became ready (default: 0, never).")
    String restartInterval;

    @Option(names = "--memory-limit", paramLabel = "BYTES|N%",
            description = "Replace the child when its processes' resident memory passes this, or N% of the"
                    + " container's memory limit (default: none).")
    String memoryLimit;

    @Option(names = "--reload-on-changes",
            description = "Replace the child when a .py file under --app-root changes (for development).")
    boolean reloadOnChanges;

    @Option(names = "--access-log", description = "Log one line per request on stdout.")
    boolean accessLog;

    @Option(names = "--access-log-format", paramLabel = "F", description = "common, combined, json or a pattern (default: common).")
    String accessLogFormat = "common";

    @Option(names = "--log-level", paramLabel = "L", description = "error, warn, info or debug (default: warn).")
    String logLevel = "warn";

    @Option(names = "--transport", paramLabel = "T",
            description = "auto (default: io_uring if the kernel allows it, else epoll), io_uring, epoll or nio.")
    String transport = "auto";

    @Option(names = "--log-to-terminal", description = "Accepted for mod_wsgi-express compatibility; the front always logs to the terminal.")
    boolean logToTerminal;
}
