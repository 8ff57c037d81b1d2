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
        assertThat(config.forwards()).isFalse();
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
        assertThat(problems("--url-alias", "/a", "x", "--url-alias", "/a/", "y"))
                .containsExactly("--url-alias: /a (expected: each URL path once)");
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
                .contains("either --upstream or a child command");
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
                "--limit-request-body", "1e6"))
                .containsExactlyInAnyOrder(
                        "--port: 0 (expected: a port from 1 to 65535)",
                        "--admin-port: x (expected: a port from 1 to 65535)",
                        "--trusted-hops: -2 (expected: a whole number, 0 or more)",
                        "--log-level: loud (expected: error, warn, info or debug)",
                        "--limit-request-body: 1e6 (expected: a whole number, 0 or more)")
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    }

    @Test
    void unknownOptionsAndStrayArgumentsAreNamed() {
        assertThat(problems("--no-such", "--port", "1")).containsExactly("--no-such: unknown option (see --help)");
        assertThat(problems("gunicorn")).singleElement().asString().startsWith("gunicorn: unexpected argument");
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
                        print -> assertThat(print.text()).contains("--url-alias", "--upstream", "--trust-proxy"));
        assertThat(CommandLineParser.parse(List.of("--version"), Map.of()))
                .isInstanceOfSatisfying(CommandLineParser.Outcome.Print.class,
                        print -> assertThat(print.text()).startsWith("front "));
    }

    @Test
    void modWsgiExpressCompatibilityFlagIsAccepted() throws Exception {
        assertThat(parse("--log-to-terminal").port()).isEqualTo(8080);
    }
}
