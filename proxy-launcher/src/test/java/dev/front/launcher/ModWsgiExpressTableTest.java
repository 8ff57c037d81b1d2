package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.front.config.ApplicationConfig;
import dev.front.config.CommandLineParser;
import dev.front.config.FrontConfig;
import dev.front.config.ServerKind;
import dev.front.config.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the compatibility table of docs/whiskey.md: it has one row for every option of
 * {@code mod_wsgi-express start-server} (the list read from mod_wsgi's source, a resource of this test), and each
 * option does what its row says when parsed.
 */
class ModWsgiExpressTableTest {

    static final Path WHISKEY_MD = Path.of("..", "docs", "whiskey.md");
    private static final List<String> CATEGORIES = List.of("same meaning", "mapped", "accepted without effect",
            "refused", "not yet");
    private static final Pattern OPTION = Pattern.compile("^`(--[a-z0-9-]+)`$");
    /** An application the front runs under a preset, so that the application's options mean something. */
    private static final List<String> BASE = List.of("wsgi.py");

    /**
     * What each option that is not refused is tried with: the whole command line, chosen so that an option with
     * an effect changes the configuration. A row without one fails the walk, so a new row needs a sample.
     */
    private static final Map<String, List<String>> SAMPLES = new LinkedHashMap<>();

    private static void sample(String... args) {
        SAMPLES.put(args[0], List.of(args));
    }

    static {
        sample("--application-type", "module", "mysite.wsgi");
        sample("--entry-point", "other.wsgi");
        sample("--host", "127.0.0.1", "wsgi.py");
        sample("--port", "9999", "wsgi.py");
        sample("--http2", "wsgi.py");
        sample("--compress-responses", "wsgi.py");
        sample("--processes", "3", "wsgi.py");
        sample("--threads", "4", "wsgi.py");
        sample("--minimum-spare-workers", "0.2", "wsgi.py");
        sample("--maximum-spare-workers", "0.5", "wsgi.py");
        sample("--limit-request-body", "5", "wsgi.py");
        sample("--maximum-requests", "3", "wsgi.py");
        sample("--startup-timeout", "3", "wsgi.py");
        sample("--restart-interval", "30", "wsgi.py");
        sample("--graceful-timeout", "3", "wsgi.py");
        sample("--request-timeout", "3", "wsgi.py");
        sample("--socket-timeout", "3", "wsgi.py");
        sample("--queue-timeout", "3", "wsgi.py");
        sample("--header-timeout", "3", "wsgi.py");
        sample("--body-timeout", "3", "wsgi.py");
        sample("--send-buffer-size", "65536", "wsgi.py");
        sample("--receive-buffer-size", "65536", "wsgi.py");
        sample("--enable-sendfile", "wsgi.py");
        sample("--disable-reloading", "wsgi.py");
        sample("--reload-on-changes", "wsgi.py");
        sample("--callable-object", "app", "wsgi.py");
        sample("--directory-index", "home.html", "wsgi.py");
        sample("--url-alias", "/static", "static", "wsgi.py");
        sample("--trust-proxy-header", "X-Forwarded-For", "wsgi.py");
        sample("--trust-proxy", "10.0.0.0/8", "--trust-proxy-header", "X-Forwarded-For", "wsgi.py");
        sample("--keep-alive-timeout", "3", "wsgi.py");
        sample("--setenv", "GREETING", "hello", "wsgi.py");
        sample("--passenv", "HOME", "wsgi.py");
        sample("--working-directory", "lib", "wsgi.py");
        sample("--python-path", "lib", "wsgi.py");
        sample("--server-root", "/tmp/mod_wsgi-localhost:8000:0", "wsgi.py");
        sample("--server-mpm", "event", "wsgi.py");
        sample("--log-level", "info", "wsgi.py");
        sample("--access-log", "wsgi.py");
        sample("--startup-log", "wsgi.py");
        sample("--log-to-terminal", "wsgi.py");
        sample("--shell-executable", "/bin/bash", "wsgi.py");
        sample("--httpd-executable", "/usr/sbin/httpd", "wsgi.py");
        sample("--modules-directory", "/usr/lib/apache2/modules", "wsgi.py");
        sample("--socket-prefix", "/tmp/wsgi", "wsgi.py");
        sample("--chunked-request", "wsgi.py");
        sample("--initial-workers", "0.2", "wsgi.py");
        sample("--access-log-format", "combined", "--access-log", "wsgi.py");
        sample("--https-port", "8443", "--ssl-certificate", "site", "wsgi.py");
        sample("--ssl-port", "8443", "--ssl-certificate", "site", "wsgi.py");
        sample("--ssl-certificate-file", "site.crt", "--ssl-certificate-key-file", "site.key", "--https-port", "8443",
                "wsgi.py");
        sample("--ssl-certificate-key-file", "site.key", "--ssl-certificate-file", "site.crt", "--https-port", "8443",
                "wsgi.py");
        sample("--ssl-certificate", "site", "--https-port", "8443", "wsgi.py");
        sample("--ssl-certificate-chain-file", "chain.crt", "--ssl-certificate", "site", "--https-port", "8443",
                "wsgi.py");
        sample("--https-only", "--ssl-certificate", "site", "--https-port", "8443", "wsgi.py");
        sample("--hsts-policy", "max-age=60", "--ssl-certificate", "site", "--https-port", "8443", "wsgi.py");
        sample("--server-name", "www.example.com", "wsgi.py");
        sample("--server-alias", "*.example.com", "--server-name", "www.example.com", "wsgi.py");
        sample("--allow-localhost", "--server-name", "www.example.com", "wsgi.py");
        sample("--max-clients", "10", "wsgi.py");
        sample("--document-root", "static", "wsgi.py");
        sample("--mount-point", "/app", "wsgi.py");
        sample("--error-document", "404", "/static/404.html", "--url-alias", "/static", "static", "wsgi.py");
    }

    @TempDir
    Path app;

    @BeforeEach
    void application() throws IOException {
        Files.createDirectories(app.resolve("lib"));
        Files.createDirectories(app.resolve("static"));
        Files.writeString(app.resolve("static/404.html"), "<p>not here</p>\n");
    }

    @Test
    void theTableHasOneRowForEveryOptionOfModWsgiExpressAndNoOther() throws IOException {
        Map<String, String> table = table();
        List<String> options = modWsgiExpressOptions();
        assertThat(options).as("the option list of mod_wsgi-express").hasSizeGreaterThan(100)
                .contains("--port", "--setenv", "--compress-responses").doesNotHaveDuplicates();
        assertThat(table.keySet()).as("options in docs/whiskey.md's table").containsExactlyElementsOf(options);
    }

    @Test
    void everyOptionDoesWhatItsRowSays() throws Exception {
        FrontConfig baseline = parse(BASE);
        for (Map.Entry<String, String> row : table().entrySet()) {
            String option = row.getKey();
            String category = row.getValue();
            switch (category) {
                case "refused", "not yet" -> {
                    String expected = option + ": not supported" + (category.equals("not yet") ? " yet (" : " (");
                    assertThat(problems(List.of(option, "x", "wsgi.py"))).as(option).singleElement().asString()
                            .startsWith(expected).doesNotContain("\n");
                    assertThat(problems(List.of(option + "=x", "wsgi.py"))).as(option + "=VALUE").singleElement()
                            .asString().startsWith(expected);
                }
                case "accepted without effect" -> assertThat(parse(sample(option))).as(option).isEqualTo(baseline);
                case "same meaning", "mapped" -> {
                    FrontConfig config = parse(sample(option));
                    assertThat(config).as(option + " changes the configuration").isNotEqualTo(baseline);
                    if (category.equals("mapped")) {
                        assertMapped(option, config);
                    }
                }
                default -> fail("row of " + option + ": " + category + " (expected one of " + CATEGORIES + ")");
            }
        }
    }

    @Test
    void aRefusedOptionInServerArgsStopsTheFrontToo() throws Exception {
        Files.createDirectories(app.resolve(".whiskey"));
        Files.writeString(app.resolve(".whiskey/server_args"), "--processes 2\n--shutdown-timeout 5\n--user www\n");
        assertThatThrownBy(() -> CommandLineParser.parse(List.of("wsgi.py"), Map.of(), app))
                .isInstanceOf(UsageException.class)
                .satisfies(e -> assertThat(((UsageException) e).problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("--shutdown-timeout: not supported ("),
                        p -> assertThat(p).startsWith("--user: not supported (")));
    }

    /** Each server the mapped table gives a flag for gets it, with the option's value; the others get none. */
    private void assertMapped(String option, FrontConfig config) throws IOException {
        Map<ServerKind, Optional<String>> flags = mappedFlags().get(option);
        assertThat(flags).as("the row of " + option + " in the table of mapped flags").isNotNull()
                .containsOnlyKeys(ServerKind.values());
        String value = sample(option).get(1);
        ApplicationConfig app = config.application().orElseThrow();
        for (ServerKind kind : ServerKind.values()) {
            List<String> argv = ServerPreset.argv(kind, List.of("server"), app, config.appRoot(),
                    config.childEnvironment(), List.of(), ServerPreset.listensOnSocket(Optional.of(kind)));
            Optional<String> flag = flags.get(kind);
            if (flag.isPresent()) {
                int at = argv.indexOf(flag.get());
                boolean given = at >= 0 && at + 1 < argv.size() && argv.get(at + 1).equals(value)
                        || argv.contains(flag.get() + "=" + value);
                assertThat(given).as(option + " " + value + " for " + kind.optionName() + ": " + flag.get() + " "
                        + value + " in " + argv).isTrue();
            } else {
                // the value appears nowhere: the server's own default applies
                assertThat(argv).as(option + " for " + kind.optionName())
                        .noneMatch(arg -> arg.equals(value) || arg.endsWith("=" + value));
            }
        }
    }

    private List<String> sample(String option) {
        List<String> args = SAMPLES.get(option);
        assertThat(args).as("a sample command line for " + option + " in this test").isNotNull();
        return args;
    }

    private FrontConfig parse(List<String> args) throws UsageException {
        return ((CommandLineParser.Outcome.Run) CommandLineParser.parse(args, Map.of(), app)).config();
    }

    private List<String> problems(List<String> args) {
        try {
            CommandLineParser.parse(args, Map.of(), app);
        } catch (UsageException e) {
            return e.problems();
        }
        return List.of();
    }

    static List<String> modWsgiExpressOptions() throws IOException {
        try (InputStream in = ModWsgiExpressTableTest.class.getResourceAsStream("/mod_wsgi_express_options.txt")) {
            assertThat(in).as("mod_wsgi_express_options.txt").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).map(String::strip).toList();
        }
    }

    /** Option = category, from the table whose header is {@code | option | row | ...}, in its order. */
    static Map<String, String> table() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (List<String> cells : rows(Files.readString(WHISKEY_MD), "| option | row |")) {
            Matcher m = OPTION.matcher(cells.get(0));
            assertThat(m.matches()).as("first column of " + cells).isTrue();
            assertThat(rows.put(m.group(1), cells.get(1))).as("a second row for " + m.group(1)).isNull();
        }
        return rows;
    }

    /** Option = server = its flag (empty: not passed), from the table whose header is {@code | option | gunicorn |}. */
    static Map<String, Map<ServerKind, Optional<String>>> mappedFlags() throws IOException {
        String text = Files.readString(WHISKEY_MD);
        String header = text.lines().filter(line -> line.startsWith("| option | gunicorn |")).findFirst()
                .orElseThrow(() -> new AssertionError("a | option | gunicorn | table in docs/whiskey.md"));
        List<String> servers = cells(header);
        Map<String, Map<ServerKind, Optional<String>>> mapped = new LinkedHashMap<>();
        for (List<String> cells : rows(text, "| option | gunicorn |")) {
            Map<ServerKind, Optional<String>> flags = new LinkedHashMap<>();
            for (int i = 1; i < cells.size(); i++) {
                String flag = cells.get(i);
                String server = servers.get(i);
                flags.put(java.util.Arrays.stream(ServerKind.values()).filter(k -> k.optionName().equals(server))
                                .findFirst().orElseThrow(() -> new AssertionError("a server named " + server)),
                        flag.equals("—") ? Optional.empty() : Optional.of(flag.replace("`", "")));
            }
            Matcher m = OPTION.matcher(cells.get(0));
            assertThat(m.matches()).as("first column of " + cells).isTrue();
            mapped.put(m.group(1), flags);
        }
        return mapped;
    }

    /** The cells of the rows of the table whose header line starts with {@code headerStart}. */
    private static List<List<String>> rows(String text, String headerStart) {
        List<String> lines = text.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(headerStart)) {
                start = i + 2; // past the header and its |---| line
                break;
            }
        }
        assertThat(start).as("a table starting " + headerStart + " in docs/whiskey.md").isPositive();
        List<List<String>> rows = new ArrayList<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(cells(lines.get(i)));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String[] parts = line.split("(?<!\\\\)\\|", -1);
        List<String> cells = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            cells.add(parts[i].strip());
        }
        return cells;
    }
}
