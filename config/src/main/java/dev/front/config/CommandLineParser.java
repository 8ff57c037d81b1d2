package dev.front.config;

import static dev.front.config.OptionValues.check;
import static dev.front.config.OptionValues.directory;
import static dev.front.config.OptionValues.logLevel;
import static dev.front.config.OptionValues.nonNegativeInt;
import static dev.front.config.OptionValues.nonNegativeLong;
import static dev.front.config.OptionValues.positiveInt;
import static dev.front.config.OptionValues.seconds;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns the command line (and {@code @FILE}s and {@code $PORT}) into a {@link FrontConfig}, reporting every
 * problem at once, one line each, as {@code option: value (expected: ...)}.
 */
public final class CommandLineParser {

    /** What the command line asks for: run the front, or print help or version text and exit 0. */
    public sealed interface Outcome {
        record Run(FrontConfig config) implements Outcome {
        }

        record Print(String text) implements Outcome {
        }
    }

    /**
     * Headers whose value the front or the response's framing decides: an option naming the front's own header
     * (request id, deadline, file offload) under one of these would overwrite them or be overwritten.
     */
    private static final java.util.Set<String> MANAGED_HEADERS = java.util.Set.of("host", "content-length",
            "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect",
            "proxy-connection", "proxy-authorization", "forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-port", "x-forwarded-host", "x-real-ip", "x-front-error-id", "content-type",
            "content-encoding", "content-disposition", "cache-control", "set-cookie", "location", "etag",
            "last-modified", "range");

    private CommandLineParser() {
    }

    /** {@code --sendfile-header} with its internal aliases and roots, which mean nothing without it. */
    private static Optional<OffloadConfig> offload(FrontOptions o, Path appRoot, List<String> problems) {
        List<Alias> internal = new ArrayList<>();
        for (int i = 0; i + 1 < o.internalAliases.size(); i += 2) {
            String urlPath = o.internalAliases.get(i);
            String dir = o.internalAliases.get(i + 1);
            Alias alias = check(problems, null, () -> Alias.of(urlPath, dir.isEmpty() ? dir
                    : appRoot.resolve(dir).toString()));
            if (alias != null) {
                internal.add(alias);
            }
        }
        List<Path> roots = new ArrayList<>();
        for (String root : o.sendfileRoots) {
            Path path = Path.of(root);
            if (!path.isAbsolute() || !java.nio.file.Files.isDirectory(path)) {
                problems.add("--sendfile-root: " + root + " (expected: an absolute path of a directory)");
            } else {
                roots.add(path);
            }
        }
        if (o.sendfileHeader == null) {
            if (!internal.isEmpty() || !roots.isEmpty()) {
                problems.add((internal.isEmpty() ? "--sendfile-root" : "--internal-alias")
                        + ": given without --sendfile-header (expected: --sendfile-header NAME too)");
            }
            return Optional.empty();
        }
        if (!headerName(o.sendfileHeader) || MANAGED_HEADERS.contains(o.sendfileHeader.toLowerCase(Locale.ROOT))) {
            problems.add("--sendfile-header: " + o.sendfileHeader + " (expected: a header name the front does not"
                    + " manage itself, such as X-Accel-Redirect or X-Sendfile)");
        }
        return Optional.of(new OffloadConfig(o.sendfileHeader, internal, roots));
    }

    /** An RFC 9110 token: what a header name may be. */
    private static boolean headerName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x7F || !(Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    public static Outcome parse(List<String> args, Map<String, String> env) throws UsageException {
        return parse(args, env, Path.of("").toAbsolutePath());
    }

    /**
     * @param workingDirectory where the front was started: the default {@code --app-root}, whose
     *                         {@code .whiskey/server_args} is read first (so options given here win) and whose
     *                         {@code .whiskey/user_vars/} join the environment used to expand {@code $VAR}s
     */
    public static Outcome parse(List<String> args, Map<String, String> env, Path workingDirectory)
            throws UsageException {
        Whiskey whiskey = Whiskey.find(workingDirectory.resolve(appRootArgument(args)));
        Map<String, String> environment = new HashMap<>(env);
        environment.putAll(whiskey.userVars());
        List<String> all = new ArrayList<>();
        whiskey.serverArgs().ifPresent(file -> all.add("@" + file));
        all.addAll(args);
        List<String> expanded = ArgumentFiles.expand(all, environment);
        int separator = expanded.indexOf("--");
        List<String> own = separator < 0 ? expanded : expanded.subList(0, separator);
        List<String> child = separator < 0 ? List.of() : expanded.subList(separator + 1, expanded.size());

        List<String> refused = ModWsgiExpressRefusals.problems(own);
        if (!refused.isEmpty()) {
            throw new UsageException(refused);
        }
        FrontOptions options = new FrontOptions();
        CommandLine commandLine = new CommandLine(options)
                .setExpandAtFiles(false)
                .setOverwrittenOptionsAllowed(true); // server_args first, then the command line: the last one wins
        try {
            commandLine.parseArgs(own.toArray(String[]::new));
        } catch (UnmatchedArgumentException e) {
            List<String> problems = new ArrayList<>();
            for (String unmatched : e.getUnmatched()) {
                problems.add(unmatched.startsWith("-")
                        ? unmatched + ": unknown option (see --help)"
                        : unmatched + ": unexpected argument (expected: options, then -- and the child command)");
            }
            throw new UsageException(problems);
        } catch (ParameterException e) {
            throw new UsageException(firstLine(e.getMessage()));
        }
        if (commandLine.isUsageHelpRequested()) {
            StringWriter text = new StringWriter();
            commandLine.usage(new PrintWriter(text));
            return new Outcome.Print(text.toString());
        }
        if (commandLine.isVersionHelpRequested()) {
            StringWriter text = new StringWriter();
            commandLine.printVersionHelp(new PrintWriter(text));
            return new Outcome.Print(text.toString());
        }
        return new Outcome.Run(toConfig(options, child, environment, whiskey));
    }

    /** The value of {@code --app-root} among the front's own arguments, or "" (the working directory). */
    private static String appRootArgument(List<String> args) {
        String value = "";
        for (int i = 0; i < args.size() && !args.get(i).equals("--"); i++) {
            if (args.get(i).equals("--app-root") && i + 1 < args.size()) {
                value = args.get(i + 1);
            } else if (args.get(i).startsWith("--app-root=")) {
                value = args.get(i).substring("--app-root=".length());
            }
        }
        return value;
    }

    private static FrontConfig toConfig(FrontOptions o, List<String> child, Map<String, String> env,
                                        Whiskey whiskey) throws UsageException {
        Path appRoot = whiskey.appRoot();
        List<String> problems = new ArrayList<>();
        String portText = o.port != null ? o.port : env.get("PORT");
        int port = check(problems, 8080, () -> portText == null ? 8080
                : Ports.parse(o.port != null ? "--port" : "PORT", portText));
        OptionalInt adminPort = o.adminPort == null ? OptionalInt.empty()
                : OptionalInt.of(check(problems, 0, () -> Ports.parse("--admin-port", o.adminPort)));
        OptionalInt applicationPort = o.applicationPort == null ? OptionalInt.empty()
                : OptionalInt.of(check(problems, 0, () -> Ports.parse("--application-port", o.applicationPort)));

        List<Alias> aliases = new ArrayList<>();
        for (int i = 0; i + 1 < o.urlAliases.size(); i += 2) {
            String urlPath = o.urlAliases.get(i);
            String path = o.urlAliases.get(i + 1);
            Alias alias = check(problems, null,
                    () -> Alias.of(urlPath, path.isEmpty() ? path : appRoot.resolve(path).toString()));
            if (alias != null) {
                // A later alias for the same URL path replaces the earlier one (the command line over server_args).
                aliases.removeIf(a -> a.urlPath().equals(alias.urlPath()));
                aliases.add(alias);
            }
        }
        Optional<OffloadConfig> offload = offload(o, appRoot, problems);
        if (!headerName(o.requestIdHeader) || MANAGED_HEADERS.contains(o.requestIdHeader.toLowerCase(Locale.ROOT))) {
            problems.add("--request-id-header: " + o.requestIdHeader + " (expected: a header name the front does not"
                    + " manage itself, such as X-Request-ID or X-Correlation-ID)");
        }
        if (o.directoryIndex.isEmpty() || o.directoryIndex.contains("/")) {
            problems.add("--directory-index: " + o.directoryIndex + " (expected: a file name)");
        }

        int hops = check(problems, 1, () -> nonNegativeInt("--trusted-hops", o.trustedHops));
        ForwardedConfig forwarded = check(problems, ForwardedConfig.defaults(),
                () -> new ForwardedConfig(o.trustProxyHeaders, o.trustProxies, hops, o.strictForwardedHeaders));

        Optional<Upstream> upstream = o.upstream == null ? Optional.empty()
                : Optional.ofNullable(check(problems, null, () -> Upstream.parse(o.upstream)));

        Limits d = Limits.defaults();
        Limits limits = check(problems, d, () -> new Limits(
                o.limitRequestBody == null ? d.limitRequestBody() : nonNegativeLong("--limit-request-body", o.limitRequestBody),
                seconds("--header-timeout", o.headerTimeout, d.headerTimeout()),
                seconds("--body-timeout", o.bodyTimeout, d.bodyTimeout()),
                seconds("--socket-timeout", o.socketTimeout, d.socketTimeout()),
                seconds("--keep-alive-timeout", o.keepAliveTimeout, d.keepAliveTimeout()),
                seconds("--startup-timeout", o.startupTimeout, d.startupTimeout()),
                seconds("--queue-timeout", o.queueTimeout, d.queueTimeout()),
                seconds("--request-timeout", o.requestTimeout, d.requestTimeout()),
                seconds("--graceful-timeout", o.gracefulTimeout, d.gracefulTimeout())));

        Optional<ApplicationConfig> application = application(o, child, env, problems);
        ForwardingConfig f = ForwardingConfig.defaults();
        // Without --max-concurrency, an application with known workers (processes x threads) caps itself.
        int concurrency = application.map(a -> a.concurrency().orElse(f.maxConcurrency())).orElse(f.maxConcurrency());
        ForwardingConfig forwarding = check(problems, f, () -> new ForwardingConfig(
                o.clientBodyBufferSize == null ? f.clientBodyBufferSize()
                        : nonNegativeInt("--client-body-buffer-size", o.clientBodyBufferSize),
                o.maxTempFileSize == null ? f.maxTempFileSize()
                        : nonNegativeLong("--max-temp-file-size", o.maxTempFileSize),
                o.tempDir == null ? Optional.empty() : Optional.of(directory("--temp-dir", o.tempDir)),
                o.maxConcurrency == null ? concurrency : nonNegativeInt("--max-concurrency", o.maxConcurrency),
                o.webSocket,
                o.maxWebSockets == null ? f.maxWebSockets() : positiveInt("--max-websockets", o.maxWebSockets),
                Optional.ofNullable(o.deadlineHeader)));
        if (o.deadlineHeader != null && (!headerName(o.deadlineHeader)
                || MANAGED_HEADERS.contains(o.deadlineHeader.toLowerCase(Locale.ROOT))
                || o.deadlineHeader.equalsIgnoreCase(o.requestIdHeader))) {
            problems.add("--deadline-header: " + o.deadlineHeader + " (expected: a header name the front does not"
                    + " manage itself, such as X-Request-Budget-Ms)");
        }
        if (o.maxWebSockets != null && !o.webSocket) {
            problems.add("--max-websockets: " + o.maxWebSockets + " (expected: --websocket too; without it no"
                    + " WebSocket is tunnelled)");
        }

        if (o.proxyProtocol && o.trustProxies.isEmpty()) {
            problems.add("--proxy-protocol: given without --trust-proxy (expected: the balancers' networks with"
                    + " --trust-proxy; else any peer could claim any client address)");
        }

        SiteConfig site = SiteOptions.site(o, appRoot, aliases, problems);
        ReloadConfig r = ReloadConfig.defaults();
        ReloadConfig reload = check(problems, r, () -> new ReloadConfig(
                o.onHup == null ? r.onHup() : ReloadConfig.OnHup.parse(o.onHup),
                // a mounted application answers nothing outside its mount point (gunicorn fails there with a 500)
                o.reloadProbePath != null ? o.reloadProbePath : site.mounted() ? site.mountPoint() : r.probePath(),
                o.maximumRequests == null ? r.maximumRequests() : nonNegativeLong("--maximum-requests", o.maximumRequests),
                seconds("--restart-interval", o.restartInterval, r.restartInterval()),
                o.memoryLimit == null ? r.memoryLimit() : Optional.of(ReloadConfig.MemoryLimit.parse(o.memoryLimit)),
                o.reloadOnChanges));
        ChildEnvironment childEnvironment = childEnvironment(o, appRoot, problems);
        Optional<TlsConfig> tls = TlsArguments.of(o, appRoot, port, problems);
        LogLevel logLevel = check(problems, LogLevel.WARN, () -> logLevel(o.logLevel));
        IoTransport transport = check(problems, IoTransport.AUTO, () -> IoTransport.parse(o.transport));
        if (child.isEmpty() && application.isEmpty() && applicationPort.isPresent()) {
            problems.add("--application-port: " + applicationPort.getAsInt()
                    + " (expected: a child command after -- to run on it)");
        }
        if (child.isEmpty() && application.isEmpty() && reload.recycles()) {
            problems.add((reload.maximumRequests() > 0 ? "--maximum-requests"
                    : !reload.restartInterval().isZero() ? "--restart-interval"
                    : reload.memoryLimit().isPresent() ? "--memory-limit" : "--reload-on-changes")
                    + ": given without an application to run (expected: a child command after --, or an entry point;"
                    + " the front recycles only a child it runs)");
        }
        if ((!child.isEmpty() || application.isPresent()) && upstream.isPresent()) {
            problems.add("--upstream: " + o.upstream
                    + " (expected: either --upstream or an application to run, not both)");
        }
        if (site.mounted() && application.flatMap(ApplicationConfig::server).orElse(null) == ServerKind.UVICORN) {
            problems.add("--mount-point: " + site.mountPoint() + " (expected: --server gunicorn, waitress, uwsgi or"
                    + " mod_wsgi; uvicorn's WSGI interface always gives the application an empty SCRIPT_NAME)");
        }
        if (!problems.isEmpty()) {
            throw new UsageException(problems);
        }
        boolean accessLog = o.accessLog || env.containsKey("MOD_WSGI_ACCESS_LOG");
        return new FrontConfig(o.host, port, adminPort, aliases, o.directoryIndex, forwarded, child, upstream,
                applicationPort, limits, forwarding, accessLog, o.accessLogFormat, logLevel, transport, o.http2,
                application, appRoot, whiskey.userVars(), o.requestIdHeader, offload, reload, childEnvironment, tls,
                o.compressResponses, site, o.proxyProtocol);
    }

    /** {@code --setenv}, {@code --working-directory} and {@code --python-path}, relative paths from the app root. */
    private static ChildEnvironment childEnvironment(FrontOptions o, Path appRoot, List<String> problems) {
        Map<String, String> variables = new java.util.TreeMap<>();
        for (int i = 0; i + 1 < o.setenv.size(); i += 2) {
            String name = o.setenv.get(i);
            String value = o.setenv.get(i + 1);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("--setenv: " + name + " (expected: a variable name: letters, digits and _, not"
                        + " starting with a digit)");
            } else if (value.indexOf('\0') >= 0) {
                problems.add("--setenv: " + name + " (expected: a value without NUL characters)");
            } else {
                variables.put(name, value); // server_args first, then the command line: the last one wins
            }
        }
        Path workingDirectory = appRoot;
        if (o.workingDirectory != null) {
            workingDirectory = appRoot.resolve(o.workingDirectory).normalize();
            if (o.workingDirectory.isEmpty() || !java.nio.file.Files.isDirectory(workingDirectory)) {
                problems.add("--working-directory: " + o.workingDirectory + " (expected: a directory)");
            }
        }
        List<Path> pythonPath = new ArrayList<>();
        for (String dir : o.pythonPath) {
            if (dir.isEmpty() || dir.contains(":")) {
                problems.add("--python-path: " + dir + " (expected: a directory path without ':')");
            } else {
                pythonPath.add(appRoot.resolve(dir).normalize());
            }
        }
        return new ChildEnvironment(variables, workingDirectory, pythonPath);
    }

    /**
     * The application named mod_wsgi-express style (an entry point) or with {@code --application}; with one, any
     * arguments after {@code --} are extra arguments for its server rather than a command of their own.
     */
    private static Optional<ApplicationConfig> application(FrontOptions o, List<String> child,
                                                           Map<String, String> env, List<String> problems) {
        String entryPoint = o.entryPoint != null ? o.entryPoint : o.entryPointOption;
        if (o.entryPoint != null && o.entryPointOption != null && !o.entryPoint.equals(o.entryPointOption)) {
            problems.add(o.entryPoint + ": unexpected argument (expected: one entry point; --entry-point "
                    + o.entryPointOption + " is given too)");
        }
        if (o.application != null && entryPoint != null) {
            problems.add("--application: " + o.application + " (expected: either --application or an entry point "
                    + entryPoint + ", not both)");
            return Optional.empty();
        }
        Optional<ServerKind> server = o.server == null ? Optional.empty()
                : Optional.ofNullable(check(problems, null, () -> ServerKind.parse(o.server)));
        if (entryPoint == null && o.application == null) {
            if (o.server != null) {
                problems.add("--server: " + o.server + " (expected: --application MODULE:CALLABLE or an entry point)");
            }
            return Optional.empty();
        }
        if (!child.isEmpty() && server.isEmpty()) {
            problems.add((entryPoint != null ? entryPoint : "--application " + o.application)
                    + ": unexpected argument (expected: either an application or a child command after --;"
                    + " with --server, arguments after -- go to that server)");
            return Optional.empty();
        }
        OptionalInt processes = count(problems, "--processes", o.processes, env.get("MOD_WSGI_PROCESSES"));
        OptionalInt threads = count(problems, "--threads", o.threads, env.get("MOD_WSGI_THREADS"));
        return Optional.ofNullable(check(problems, null, () -> {
            if (o.application != null) {
                int colon = o.application.lastIndexOf(':');
                String module = colon < 0 ? o.application : o.application.substring(0, colon);
                String callable = colon < 0 ? o.callableObject : o.application.substring(colon + 1);
                return new ApplicationConfig(module, ApplicationConfig.Type.MODULE, callable, server, processes,
                        threads);
            }
            ApplicationConfig.Type type = switch (o.applicationType.toLowerCase(Locale.ROOT)) {
                case "script" -> ApplicationConfig.Type.SCRIPT;
                case "module" -> ApplicationConfig.Type.MODULE;
                default -> throw new IllegalArgumentException("--application-type: " + o.applicationType
                        + " (expected: script or module)");
            };
            return new ApplicationConfig(entryPoint, type, o.callableObject, server, processes, threads);
        }));
    }

    /** A positive count from its option, else from the mod_wsgi-express environment variable, else unset. */
    private static OptionalInt count(List<String> problems, String option, String value, String fromEnvironment) {
        String text = value != null ? value : fromEnvironment;
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        String name = value != null ? option : option.equals("--processes") ? "MOD_WSGI_PROCESSES" : "MOD_WSGI_THREADS";
        Integer n = check(problems, null, () -> {
            int parsed = nonNegativeInt(name, text.trim());
            if (parsed == 0) {
                throw new IllegalArgumentException(name + ": 0 (expected: 1 or more)");
            }
            return parsed;
        });
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
