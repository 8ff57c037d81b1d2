package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each {@code --server} preset whose server installs from Debian runs the example app bound to loopback, believes
 * the scheme the front asserts (and only that), and stops cleanly on TERM.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerPresetsIT {

    static final Path HELLO = FrontProcess.HELLO;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gunicorn, /usr/bin/gunicorn",
            "waitress, /usr/lib/python3/dist-packages/waitress",
            "uwsgi,    /usr/lib/uwsgi/plugins/python3_plugin.so",
            "uvicorn,  /usr/lib/python3/dist-packages/uvicorn",
    })
    void presetServesTheAppAndTrustsOnlyTheFront(String server, String installed) throws Exception {
        assumeTrue(Files.exists(Path.of(installed)), server + " from Debian is not installed (" + installed + ")");
        List<String> args = new ArrayList<>(List.of("--app-root", HELLO.toString(), "--server", server,
                "--application", "app:application", "--processes", "1", "--threads", "2",
                "--url-alias", "/static", "static",
                "--trust-proxy", "127.0.0.1/32", "--trust-proxy-header", "X-Forwarded-Proto"));
        try (FrontProcess front = FrontProcess.start(args)) {
            front.awaitStatus("/", 200, Duration.ofSeconds(60));
            try (RawHttp http = RawHttp.connect(front.port())) {
                String environ = http.send("GET /environ HTTP/1.1\r\nHost: app.example\r\n"
                        + "X-Forwarded-Proto: https\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n").read().bodyText();
                assertThat(environ).contains("\"wsgi.url_scheme\": \"https\"", "\"HTTP_X_FORWARDED_PORT\"")
                        .doesNotContain("6.6.6.6");
                assertThat(http.get("/static/hello.txt").status()).isEqualTo(200);
            }
            front.signal("TERM");
            int status = front.awaitExit(Duration.ofSeconds(60));
            // A server stopped by its own stop signal exits 0, or dies of it (128+N) if it has no handler.
            assertThat(status).as("exit status\n%s", front.stderr()).isIn(0, 130, 143);
        }
    }
}
