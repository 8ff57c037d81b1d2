package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each {@code --server} preset whose server installs from Debian runs the example app on the front's private Unix
 * socket (no TCP listener of its own), believes the forwarding facts the front asserts (and only those), and stops
 * cleanly on TERM, leaving no socket behind.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerPresetsIT {

    static final Path HELLO = FrontProcess.HELLO;

    /**
     * The client (127.0.0.1, trusted for these headers) says it forwards for 203.0.113.9 over https on 8443, behind
     * a forged 6.6.6.6. The REMOTE_ADDR each server reports tells whether it believed the front's X-Forwarded-For
     * (waitress, uvicorn rewrite it) or what a Unix socket peer looks like to it (gunicorn "", uWSGI "0.0.0.0"):
     * on a loopback port every one of them would say 127.0.0.1, or uvicorn and waitress nothing useful if they
     * distrusted the socket's peer.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gunicorn, /usr/bin/gunicorn,                         '',          ''",
            "waitress, /usr/lib/python3/dist-packages/waitress,   203.0.113.9, 8443",
            "uwsgi,    /usr/lib/uwsgi/plugins/python3_plugin.so,  0.0.0.0,     ''",
            "uvicorn,  /usr/lib/python3/dist-packages/uvicorn,    203.0.113.9, ''",
    })
    void presetServesTheAppOnThePrivateSocketAndTrustsOnlyTheFront(String server, String installed,
                                                                   String remoteAddr, String serverPort)
            throws Exception {
        assumeTrue(Files.exists(Path.of(installed)), server + " from Debian is not installed (" + installed + ")");
        List<String> args = new ArrayList<>(List.of("--app-root", HELLO.toString(), "--server", server,
                "--application", "app:application", "--processes", "1", "--threads", "2",
                "--url-alias", "/static", "static",
                "--trust-proxy", "127.0.0.1/32", "--trust-proxy-header", "X-Forwarded-For",
                "--trust-proxy-header", "X-Forwarded-Proto", "--trust-proxy-header", "X-Forwarded-Port"));
        try (FrontProcess front = FrontProcess.start(args)) {
            front.awaitStatus("/", 200, Duration.ofSeconds(60));
            Path socket = front.childSocket();
            assertThat(front.stderr()).contains("under " + server + " on unix:" + socket + ";");
            assertThat(socket.getFileName()).hasToString("child.sock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            assertThat(socket).exists();
            assertThat(front.childTcpPorts()).as("TCP ports the child listens on").isEmpty();
            try (RawHttp http = RawHttp.connect(front.port())) {
                String environ = http.send("GET /environ HTTP/1.1\r\nHost: app.example\r\n"
                        + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\n"
                        + "X-Forwarded-For: 6.6.6.6, 203.0.113.9\r\n\r\n").read().bodyText();
                assertThat(environ).contains("\"wsgi.url_scheme\": \"https\"",
                                "\"HTTP_X_FORWARDED_FOR\": \"203.0.113.9\"", "\"HTTP_X_FORWARDED_PORT\": \"8443\"",
                                "\"REMOTE_ADDR\": \"" + remoteAddr + "\"")
                        .doesNotContain("6.6.6.6");
                if (!serverPort.isEmpty()) {
                    assertThat(environ).contains("\"SERVER_PORT\": \"" + serverPort + "\"");
                }
                assertThat(http.get("/static/hello.txt").status()).isEqualTo(200);
            }
            front.signal("TERM");
            int status = front.awaitExit(Duration.ofSeconds(60));
            // A server stopped by its own stop signal exits 0, or dies of it (128+N) if it has no handler.
            assertThat(status).as("exit status\n%s", front.stderr()).isIn(0, 130, 143);
            assertThat(socket.getParent()).as("the socket's directory after the front exited").doesNotExist();
        }
    }
}
