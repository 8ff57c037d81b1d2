package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineParserTest {

    private static FrontConfig parse(Map<String, String> env, String... args) throws UsageException {
        CommandLineParser.Outcome outcome = CommandLineParser.parse(List.of(args), env);
        assertThat(outcome).isInstanceOf(CommandLineParser.Outcome.Run.class);
        return ((CommandLineParser.Outcome.Run) outcome).config();
    }

    private static FrontConfig parse(String... args) throws UsageException {
        return parse(Map.of(), args);
    }

    private static List<String> problems(String... args) {
        try {
            CommandLineParser.parse(List.of(args), Map.of());
        } catch (UsageException e) {
            return e.problems();
        }
        throw new AssertionError("expected a usage error for " + List.of(args));
    }

    @Test
    void defaultsFollowTheContract() throws Exception {
        FrontConfig config = parse();
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.directoryIndex()).isEqualTo("index.html");
        assertThat(config.forwarded().trustedHops()).isEqualTo(1);
        assertThat(config.limits()).isEqualTo(Limits.defaults());
        assertThat(config.limits().limitRequestBody()).isEqualTo(10_485_760L);
        assertThat(config.logLevel()).isEqualTo(LogLevel.WARN);
        assertThat(config.transport()).isEqualTo(IoTransport.AUTO);
        assertThat(config.forwards()).isFalse();
        assertThat(parse("--transport", "IO_URING").transport()).isEqualTo(IoTransport.IO_URING);
        assertThat(parse("--transport", "epoll").transport()).isEqualTo(IoTransport.EPOLL);
    }

    @Test
    void requestIdHeaderIsATokenTheFrontDoesNotManage() throws Exception {
        assertThat(parse().requestIdHeader()).isEqualTo("X-Request-ID");
        assertThat(parse("--request-id-header", "X-Correlation-ID").requestIdHeader()).isEqualTo("X-Correlation-ID");
        for (String bad : List.of("Host", "x-forwarded-for", "Content-Length", "X Id", "", "Id:")) {
            assertThat(problems("--request-id-header", bad)).singleElement().asString()
                    .startsWith("--request-id-header: " + bad + " (expected: a header name the front does not manage");
        }
    }

    @Test
    void deadlineHeaderIsOffUnlessNamed() throws Exception {
        assertThat(parse().forwarding().deadlineHeader()).isEmpty();
        assertThat(parse("--deadline-header", "X-Request-Budget-Ms").forwarding().deadlineHeader())
                .contains("X-Request-Budget-Ms");
        for (String bad : List.of("Content-Length", "X-Request-ID", "a b")) {
            assertThat(problems("--deadline-header", bad)).singleElement().asString()
                    .startsWith("--deadline-header: " + bad + " (expected: a header name the front does not manage");
        }
    }

    @Test
    void offloadOptionsNeedTheirHeader() throws Exception {
        assertThat(parse().offload()).isEmpty();
        String tmp = System.getProperty("java.io.tmpdir");
        OffloadConfig offload = parse("--sendfile-header", "X-Accel-Redirect", "--internal-alias", "/protected",
                tmp, "--sendfile-root", tmp).offload().orElseThrow();
        assertThat(offload.header()).isEqualTo("X-Accel-Redirect");
        assertThat(offload.internalAliases()).extracting(Alias::urlPath).containsExactly("/protected");
        assertThat(offload.roots()).containsExactly(java.nio.file.Path.of(tmp).toAbsolutePath().normalize());
        assertThat(problems("--sendfile-root", tmp)).singleElement().asString()
                .isEqualTo("--sendfile-root: given without --sendfile-header (expected: --sendfile-header NAME too)");
        assertThat(problems("--sendfile-header", "X-Sendfile", "--sendfile-root", "relative")).singleElement()
                .asString().isEqualTo("--sendfile-root: relative (expected: an absolute path of a directory)");
        assertThat(problems("--sendfile-header", "Content-Type")).singleElement().asString()
                .startsWith("--sendfile-header: Content-Type (expected: a header name the front does not manage");
    }

    @Test
    void proxyProtocolIsOffByDefaultAndNeedsTrustProxy() throws Exception {
        assertThat(parse().proxyProtocol()).isFalse();
        assertThat(parse("--proxy-protocol", "--trust-proxy", "10.0.0.0/8").proxyProtocol()).isTrue();
        assertThat(problems("--proxy-protocol")).containsExactly("--proxy-protocol: given without --trust-proxy"
                + " (expected: the balancers' networks with --trust-proxy; else any peer could claim any client"
                + " address)");
    }

    @Test
    void portComesFromTheEnvironmentUnlessGiven() throws Exception {
        assertThat(parse(Map.of("PORT", "9000")).port()).isEqualTo(9000);
        assertThat(parse(Map.of("PORT", "9000"), "--port", "9001").port()).isEqualTo(9001);
        assertThatThrownBy(() -> parse(Map.of("PORT", "http")))
                .hasMessage("PORT: http (expected: a port from 1 to 65535)");
    }

    @Test
    void childCommandIsEverythingAfterTheFirstDoubleDash() throws Exception {
        FrontConfig config = parse("--port", "1", "--", "gunicorn", "-b", "127.0.0.1:{port}", "--", "@x");
        assertThat(config.childCommand()).containsExactly("gunicorn", "-b", "127.0.0.1:{port}", "--", "@x");
        assertThat(config.spawnsChild()).isTrue();
        assertThat(config.forwards()).isTrue();
    }

    @Test
    void aliasesArePairsAndEachUrlPathIsGivenOnce() throws Exception {
        FrontConfig config = parse("--url-alias", "/static/", "static", "--url-alias", "/media", "/srv/media");
        assertThat(config.aliases()).extracting(Alias::urlPath).containsExactly("/static", "/media");
        assertThat(config.aliases().getFirst().path()).isEqualTo(Path.of("static").toAbsolutePath());
        // The last alias for a URL path wins: the command line over .whiskey/server_args.
        assertThat(parse("--url-alias", "/a", "/x", "--url-alias", "/a/", "/y").aliases())
                .containsExactly(Alias.of("/a", "/y"));
        assertThat(problems("--url-alias", "static", "x")).singleElement().asString()
                .startsWith("--url-alias: static (expected:");
        assertThat(problems("--url-alias", "/a/../b", "x")).singleElement().asString().startsWith("--url-alias: /a/../b");
    }

    @Test
    void upstreamForms() throws Exception {
        assertThat(parse("--upstream", "127.0.0.1:8000").upstream()).contains(new Upstream.Tcp("127.0.0.1", 8000));
        assertThat(parse("--upstream", "[::1]:8000").upstream()).contains(new Upstream.Tcp("::1", 8000));
        assertThat(parse("--upstream", "unix:/run/app.sock").upstream())
                .contains(new Upstream.Unix(Path.of("/run/app.sock")));
        assertThat(problems("--upstream", "app")).containsExactly("--upstream: app (expected: HOST:PORT or unix:/PATH)");
        assertThat(problems("--upstream", "::1:80")).singleElement().asString().contains("[IPv6]:PORT");
        assertThat(problems("--upstream", "a:1", "--", "cmd")).singleElement().asString()
                .contains("either --upstream or an application to run");
    }

    @Test
    void timeoutsAreSecondsWithFractions() throws Exception {
        Limits limits = parse("--startup-timeout", "2.5", "--request-timeout", "0").limits();
        assertThat(limits.startupTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(limits.requestTimeout()).isZero();
        assertThat(problems("--queue-timeout", "-1")).containsExactly("--queue-timeout: -1 (expected: seconds, 0 or more)");
    }

    @Test
    void everyProblemIsReportedAtOnceOneLineEach() {
        assertThat(problems("--port", "0", "--admin-port", "x", "--trusted-hops", "-2", "--log-level", "loud",
                "--limit-request-body", "1e6", "--transport", "kqueue"))
                .containsExactlyInAnyOrder(
                        "--port: 0 (expected: a port from 1 to 65535)",
                        "--admin-port: x (expected: a port from 1 to 65535)",
                        "--trusted-hops: -2 (expected: a whole number, 0 or more)",
                        "--log-level: loud (expected: error, warn, info or debug)",
                        "--limit-request-body: 1e6 (expected: a whole number, 0 or more)",
                        "--transport: kqueue (expected: auto, io_uring, epoll or nio)")
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    }

    @Test
    void unknownOptionsAndStrayArgumentsAreNamed() {
        assertThat(problems("--no-such", "--port", "1")).containsExactly("--no-such: unknown option (see --help)");
        assertThat(problems("a.wsgi", "b.wsgi")).singleElement().asString().startsWith("b.wsgi: unexpected argument");
        assertThat(problems("--port")).singleElement().asString().contains("--port");
    }

    @Test
    void applicationPortNeedsAChild() {
        assertThat(problems("--application-port", "9000")).singleElement().asString()
                .startsWith("--application-port: 9000 (expected: a child command");
    }

    @Test
    void helpAndVersionArePrinted() throws Exception {
        assertThat(CommandLineParser.parse(List.of("--help"), Map.of()))
                .isInstanceOfSatisfying(CommandLineParser.Outcome.Print.class,
                        print -> assertThat(print.text()).contains("--url-alias", "--upstream", "--trust-proxy",
                                "{socket}", "$FRONT_SOCKET", "{port}"));
        assertThat(CommandLineParser.parse(List.of("--version"), Map.of()))
                .isInstanceOfSatisfying(CommandLineParser.Outcome.Print.class,
                        print -> assertThat(print.text()).startsWith("front "));
    }

    @Test
    void webSocketTunnellingIsOffByDefaultAndAlwaysCapped() throws Exception {
        assertThat(parse().forwarding().webSocket()).isFalse();
        assertThat(parse().forwarding().maxWebSockets()).isEqualTo(1024);
        ForwardingConfig on = parse("--websocket", "--max-websockets", "7").forwarding();
        assertThat(on.webSocket()).isTrue();
        assertThat(on.maxWebSockets()).isEqualTo(7);
        assertThat(problems("--websocket", "--max-websockets", "0"))
                .containsExactly("--max-websockets: 0 (expected: a whole number, 1 or more)");
        assertThat(problems("--websocket", "--max-websockets", "-3"))
                .containsExactly("--max-websockets: -3 (expected: a whole number, 1 or more)");
        assertThat(problems("--max-websockets", "5")).singleElement().asString()
                .startsWith("--max-websockets: 5 (expected: --websocket too");
    }

    @Test
    void modWsgiExpressCompatibilityFlagIsAccepted() throws Exception {
        assertThat(parse("--log-to-terminal").port()).isEqualTo(8080);
    }

    @Test
    void modWsgiExpressEntryPoints() throws Exception {
        ApplicationConfig script = parse("wsgi.py").application().orElseThrow();
        assertThat(script).isEqualTo(new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "application",
                java.util.Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty()));
        ApplicationConfig module = parse("--application-type", "module", "--entry-point", "mysite.wsgi",
                "--callable-object", "app", "--processes", "3", "--threads", "5").application().orElseThrow();
        assertThat(module.moduleSpec()).isEqualTo("mysite.wsgi:app");
        assertThat(module.concurrency()).hasValue(15);
        assertThat(parse("--application-type", "module", "m", "--processes", "2", "--threads", "3").forwarding()
                .maxConcurrency()).isEqualTo(6);
        assertThat(parse("--max-concurrency", "4", "--processes", "2", "m").forwarding().maxConcurrency()).isEqualTo(4);
        assertThat(parse("wsgi.py").spawnsChild()).isTrue();
        assertThat(problems("--application-type", "paste", "x.ini")).singleElement().asString()
                .startsWith("--application-type: paste (expected: script or module)");
        assertThat(problems("--application-type", "module", "my-site")).singleElement().asString()
                .startsWith("--application-type module: my-site");
        assertThat(problems("wsgi.py", "--", "gunicorn")).singleElement().asString()
                .startsWith("wsgi.py: unexpected argument (expected: either an application or a child command");
    }

    @Test
    void serverPresetsTakeAnApplicationAndExtraArguments() throws Exception {
        FrontConfig config = parse("--server", "gunicorn", "--application", "app:application", "--", "--timeout", "5");
        assertThat(config.application().orElseThrow().server()).contains(ServerKind.GUNICORN);
        assertThat(config.application().orElseThrow().moduleSpec()).isEqualTo("app:application");
        assertThat(config.childCommand()).containsExactly("--timeout", "5");
        assertThat(problems("--server", "gunicorn")).singleElement().asString()
                .startsWith("--server: gunicorn (expected: --application");
        assertThat(problems("--server", "tornado", "--application", "a:b")).singleElement().asString()
                .isEqualTo("--server: tornado (expected: gunicorn, waitress, uwsgi, mod_wsgi, uvicorn)");
        assertThat(problems("--application", "a:b", "--upstream", "127.0.0.1:9")).singleElement().asString()
                .contains("either --upstream or an application");
    }

    @Test
    void modWsgiExpressEnvironmentAndLevelsAndIgnoredOptions() throws Exception {
        FrontConfig config = parse(Map.of("MOD_WSGI_PROCESSES", "2", "MOD_WSGI_THREADS", "4", "MOD_WSGI_ACCESS_LOG", "1"),
                "--log-level", "notice", "--server-root", "/tmp/x", "--startup-log", "--initial-workers", "0.2", "a.wsgi");
        assertThat(config.application().orElseThrow().processes()).hasValue(2);
        assertThat(config.application().orElseThrow().threads()).hasValue(4);
        assertThat(config.accessLog()).isTrue();
        assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(parse(Map.of("MOD_WSGI_PROCESSES", "2"), "--processes", "6", "a.wsgi").application().orElseThrow()
                .processes()).hasValue(6);
        assertThat(problems("--threads", "0", "a.wsgi")).containsExactly("--threads: 0 (expected: 1 or more)");
    }

    @Test
    void replacementAndRecyclingOptions() throws Exception {
        ReloadConfig defaults = parse("--", "app").reload();
        assertThat(defaults).isEqualTo(ReloadConfig.defaults());
        assertThat(defaults.onHup()).isEqualTo(ReloadConfig.OnHup.REPLACE);
        assertThat(defaults.probePath()).isEqualTo("/");
        assertThat(defaults.recycles()).isFalse();
        ReloadConfig given = parse("--on-hup", "relay", "--reload-probe-path", "/health?deep=1",
                "--maximum-requests", "1000", "--restart-interval", "3600", "--memory-limit", "512M", "--", "app")
                .reload();
        assertThat(given.onHup()).isEqualTo(ReloadConfig.OnHup.RELAY);
        assertThat(given.probePath()).isEqualTo("/health?deep=1");
        assertThat(given.maximumRequests()).isEqualTo(1000);
        assertThat(given.restartInterval()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(given.memoryLimit()).contains(new ReloadConfig.MemoryLimit.Bytes(512L << 20));
        assertThat(parse("--memory-limit", "80%", "--", "app").reload().memoryLimit())
                .contains(new ReloadConfig.MemoryLimit.Percent(80));
        assertThat(parse("--memory-limit", "1000", "--", "app").reload().memoryLimit())
                .contains(new ReloadConfig.MemoryLimit.Bytes(1000));

        assertThat(problems("--on-hup", "reload", "--", "app"))
                .containsExactly("--on-hup: reload (expected: replace or relay)");
        assertThat(problems("--reload-probe-path", "health", "--", "app"))
                .containsExactly("--reload-probe-path: health (expected: a path starting with /)");
        assertThat(problems("--maximum-requests", "-1", "--", "app"))
                .containsExactly("--maximum-requests: -1 (expected: a whole number, 0 or more)");
        assertThat(problems("--restart-interval", "soon", "--", "app"))
                .containsExactly("--restart-interval: soon (expected: seconds, 0 or more)");
        for (String bad : List.of("0", "0%", "101%", "12X", "", "1.5G")) {
            assertThat(problems("--memory-limit", bad, "--", "app")).singleElement().asString()
                    .startsWith("--memory-limit: " + bad + " (expected: bytes");
        }
        assertThat(problems("--maximum-requests", "10", "--upstream", "127.0.0.1:9000")).containsExactly(
                "--maximum-requests: given without an application to run (expected: a child command after --, or an"
                        + " entry point; the front recycles only a child it runs)");
    }

    @Test
    void reloadOnChangesIsTakenWhereverItIsGiven(@org.junit.jupiter.api.io.TempDir Path app) throws Exception {
        assertThat(parse("a.wsgi").reload().reloadOnChanges()).isFalse();
        assertThat(parse("--reload-on-changes", "a.wsgi").reload().reloadOnChanges()).isTrue();
        // In an argument file, as a .whiskey/server_args written for mod_wsgi-express would have it.
        Path args = app.resolve("args");
        java.nio.file.Files.writeString(args, "--port 9000\n--reload-on-changes  # reload when code changes\n");
        assertThat(parse("@" + args, "a.wsgi").reload().reloadOnChanges()).isTrue();
        java.nio.file.Files.createDirectories(app.resolve(".whiskey"));
        java.nio.file.Files.writeString(app.resolve(".whiskey/server_args"), "--reload-on-changes hello.wsgi\n");
        CommandLineParser.Outcome outcome = CommandLineParser.parse(List.of(), Map.of(), app);
        assertThat(((CommandLineParser.Outcome.Run) outcome).config().reload().reloadOnChanges()).isTrue();
        assertThat(problems("--reload-on-changes", "--upstream", "127.0.0.1:9000")).containsExactly(
                "--reload-on-changes: given without an application to run (expected: a child command after --, or an"
                        + " entry point; the front recycles only a child it runs)");
    }

    @Test
    void whiskeyServerArgsUserVarsAndExplicitOptionsWin(@org.junit.jupiter.api.io.TempDir Path app) throws Exception {
        java.nio.file.Files.createDirectories(app.resolve(".whiskey/user_vars"));
        java.nio.file.Files.writeString(app.resolve(".whiskey/server_args"),
                "--url-alias /static ${STATIC_DIR} --port 9000 --application-type module hello.wsgi\n");
        java.nio.file.Files.writeString(app.resolve(".whiskey/user_vars/STATIC_DIR"), "collected\n");
        java.nio.file.Files.writeString(app.resolve(".whiskey/user_vars/not-a-name"), "x");
        CommandLineParser.Outcome outcome = CommandLineParser.parse(List.of("--port", "9001"), Map.of(), app);
        FrontConfig config = ((CommandLineParser.Outcome.Run) outcome).config();
        assertThat(config.port()).isEqualTo(9001);
        assertThat(config.aliases()).containsExactly(Alias.of("/static", app.resolve("collected").toString()));
        assertThat(config.application().orElseThrow().moduleSpec()).isEqualTo("hello.wsgi:application");
        assertThat(config.userVars()).containsExactly(Map.entry("STATIC_DIR", "collected"));
        assertThat(config.appRoot()).isEqualTo(app.toAbsolutePath());
        // --app-root points at the application from anywhere.
        FrontConfig fromElsewhere = ((CommandLineParser.Outcome.Run) CommandLineParser.parse(
                List.of("--app-root", app.toString()), Map.of(), Path.of("/"))).config();
        assertThat(fromElsewhere.port()).isEqualTo(9000);
    }
}
