package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mod_wsgi-express's {@code --setenv}, {@code --passenv}, {@code --working-directory} and {@code --python-path}
 * given in {@code .whiskey/server_args}, as a migrated deployment carries them, reach a real gunicorn child: the app
 * reports its {@code os.environ}, {@code os.getcwd()} and {@code sys.path}. The app module lives only in the working
 * directory and imports a module that lives only on the Python path, so it starts only if both are honoured.
 */
class ChildEnvironmentIT {

    private static final String REPORT_APP = """
            import os, sys
            import helper

            def application(environ, start_response):
                lines = [
                    "cwd=" + os.getcwd(),
                    "greeting=" + os.environ.get("GREETING", "-"),
                    "inherited=" + os.environ.get("FRONT_IT_INHERITED", "-"),
                    "helper=" + helper.WHERE,
                    "path=" + ":".join(sys.path),
                ]
                body = ("\\n".join(lines) + "\\n").encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """;

    /** A PYTHONPATH entry the front inherits: --python-path goes before it. */
    private static final String INHERITED_PATH = "/nonexistent/inherited-python-path";

    @TempDir
    Path app;

    private void deploy(String serverArgs) throws Exception {
        assumeTrue(Files.isExecutable(Gunicorn.BINARY), "Debian's gunicorn is not installed");
        Files.createDirectories(app.resolve("work"));
        Files.createDirectories(app.resolve("lib"));
        Files.createDirectories(app.resolve(".whiskey"));
        Files.writeString(app.resolve("work/report_app.py"), REPORT_APP);
        Files.writeString(app.resolve("lib/helper.py"), "WHERE = 'lib'\n");
        Files.writeString(app.resolve(".whiskey/server_args"), serverArgs);
    }

    private String report(List<String> args) throws Exception {
        try (FrontProcess front = FrontProcess.start(args, Map.of("FRONT_IT_INHERITED", "from the front",
                "PYTHONPATH", INHERITED_PATH), app)) {
            front.awaitStatus("/", 200, Duration.ofSeconds(60));
            try (RawHttp http = RawHttp.connect(front.port())) {
                RawHttp.Response response = http.get("/");
                assertThat(response.status()).isEqualTo(200);
                return response.bodyText();
            }
        }
    }

    @Test
    void anEntryPointRunsInTheWorkingDirectoryWithThePythonPathAndTheVariables() throws Exception {
        deploy("""
                --application-type module
                --working-directory work
                --python-path lib
                --setenv GREETING "hello world"
                --passenv FRONT_IT_INHERITED
                --server gunicorn
                """);
        String report = report(List.of("report_app"));
        Path work = app.resolve("work").toRealPath();
        assertThat(report).contains("cwd=" + work + "\n", "greeting=hello world\n", "inherited=from the front\n",
                "helper=lib\n");
        String path = report.lines().filter(line -> line.startsWith("path=")).findFirst().orElseThrow();
        // --python-path comes before the PYTHONPATH the child would have had (gunicorn's --chdir puts the working
        // directory first of all, as Python does with a script's directory)
        assertThat(path.indexOf(app.resolve("lib").toString())).isPositive()
                .isLessThan(path.indexOf(INHERITED_PATH));
    }

    @Test
    void aCommandOfOnesOwnGetsThemToo() throws Exception {
        deploy("""
                --working-directory work
                --python-path lib
                --setenv GREETING from-server-args
                """);
        // the command line wins over server_args for the same variable
        String report = report(List.of("--setenv", "GREETING", "from-the-command-line", "--",
                Gunicorn.BINARY.toString(), "-b", "unix:{socket}", "report_app:application"));
        assertThat(report).contains("cwd=" + app.resolve("work").toRealPath() + "\n",
                "greeting=from-the-command-line\n", "inherited=from the front\n", "helper=lib\n");
    }

    @Test
    void anOptionNotSupportedYetInServerArgsStopsTheFrontWithOneLine() throws Exception {
        deploy("--map-head-to-get Off\n--ssl-environment\n");
        try (FrontProcess front = FrontProcess.start(List.of("--", Gunicorn.BINARY.toString(), "-b", "unix:{socket}",
                "report_app:application"), Map.of(), app)) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().lines().toList()).contains(
                    "front: --map-head-to-get: not supported (the front forwards HEAD as HEAD; the server of the"
                            + " child decides)",
                    "front: --ssl-environment: not supported yet (the child is told the scheme and port"
                            + " (X-Forwarded-Proto, X-Forwarded-Port), not TLS details)");
        }
    }
}
