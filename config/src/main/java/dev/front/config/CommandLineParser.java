package dev.front.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
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

    private CommandLineParser() {
    }

    public static Outcome parse(List<String> args, Map<String, String> env) throws UsageException {
        List<String> expanded = ArgumentFiles.expand(args, env);
        int separator = expanded.indexOf("--");
        List<String> own = separator < 0 ? expanded : expanded.subList(0, separator);
        List<String> child = separator < 0 ? List.of() : expanded.subList(separator + 1, expanded.size());

        FrontOptions options = new FrontOptions();
        CommandLine commandLine = new CommandLine(options)
                .setExpandAtFiles(false);
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
        return new Outcome.Run(toConfig(options, child, env));
    }

    private static FrontConfig toConfig(FrontOptions o, List<String> child, Map<String, String> env)
            throws UsageException {
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
            Alias alias = check(problems, null, () -> Alias.of(urlPath, path));
            if (alias != null) {
                if (aliases.stream().anyMatch(a -> a.urlPath().equals(alias.urlPath()))) {
                    problems.add("--url-alias: " + alias.urlPath() + " (expected: each URL path once)");
                }
                aliases.add(alias);
            }
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

        ForwardingConfig f = ForwardingConfig.defaults();
        ForwardingConfig forwarding = check(problems, f, () -> new ForwardingConfig(
                o.clientBodyBufferSize == null ? f.clientBodyBufferSize()
                        : nonNegativeInt("--client-body-buffer-size", o.clientBodyBufferSize),
                o.maxTempFileSize == null ? f.maxTempFileSize()
                        : nonNegativeLong("--max-temp-file-size", o.maxTempFileSize),
                o.tempDir == null ? Optional.empty() : Optional.of(directory("--temp-dir", o.tempDir)),
                o.maxConcurrency == null ? f.maxConcurrency() : nonNegativeInt("--max-concurrency", o.maxConcurrency)));

        LogLevel logLevel = check(problems, LogLevel.WARN, () -> logLevel(o.logLevel));
        if (child.isEmpty() && applicationPort.isPresent()) {
            problems.add("--application-port: " + applicationPort.getAsInt()
                    + " (expected: a child command after -- to run on it)");
        }
        if (!child.isEmpty() && upstream.isPresent()) {
            problems.add("--upstream: " + o.upstream + " (expected: either --upstream or a child command after --, not both)");
        }
        if (!problems.isEmpty()) {
            throw new UsageException(problems);
        }
        return new FrontConfig(o.host, port, adminPort, aliases, o.directoryIndex, forwarded, child, upstream,
                applicationPort, limits, forwarding, o.accessLog, o.accessLogFormat, logLevel);
    }

    /** Runs one validation, collecting its message instead of stopping at the first problem. */
    private static <T> T check(List<String> problems, T fallback, Supplier<T> validation) {
        try {
            return validation.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static Duration seconds(String option, String value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            if (seconds.signum() < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: seconds, 0 or more)");
        }
    }

    private static java.nio.file.Path directory(String option, String value) {
        java.nio.file.Path path = java.nio.file.Path.of(value);
        if (!java.nio.file.Files.isDirectory(path) || !java.nio.file.Files.isWritable(path)) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a writable directory)");
        }
        return path;
    }

    private static int nonNegativeInt(String option, String value) {
        long n = nonNegativeLong(option, value);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number, 0 or more)");
        }
        return (int) n;
    }

    private static long nonNegativeLong(String option, String value) {
        try {
            if (!value.matches("[0-9]+")) {
                throw new NumberFormatException();
            }
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number, 0 or more)");
        }
    }

    private static LogLevel logLevel(String value) {
        try {
            return LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log-level: " + value + " (expected: error, warn, info or debug)");
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
