package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code {socket}} in the child command: the child listens on a Unix socket in a private directory, the front
 * forwards there, restarts the child on the same path after a crash, and removes the directory when it exits.
 * Also a sidecar on a Unix socket that appears only after the request came, and the usage errors.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChildSocketIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path HELLO = FrontProcess.HELLO;
    private static final Pattern STARTED = Pattern.compile("child started: pid (\\d+) on (\\S+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void gunicornIsInstalled() {
        assumeTrue(Files.exists(Path.of("/usr/lib/python3/dist-packages/gunicorn")),
                "gunicorn for " + PYTHON + " is not installed (apt-get install gunicorn)");
    }

    private static List<String> gunicorn(String bind) {
        return List.of(PYTHON, "-m", "gunicorn", "--bind", bind, "--workers", "1", "--chdir", HELLO.toString(),
                "app:application");
    }

    @Test
    void gunicornOnTheSocketBelievesTheFrontIsRestartedOnItAndLeavesNothingBehind() throws Exception {
        List<String> args = new ArrayList<>(List.of("--log-level", "info", "--trust-proxy", "127.0.0.1/32",
                "--trust-proxy-header", "X-Forwarded-For", "--trust-proxy-header", "X-Forwarded-Proto",
                "--trust-proxy-header", "X-Forwarded-Port", "--"));
        args.addAll(gunicorn("unix:{socket}"));
        try (FrontProcess front = FrontProcess.start(args, Map.of("PORT", "1"))) {
            front.awaitStatus("/", 200, FrontProcess.STARTUP);
            Path socket = front.childSocket();
            assertThat(socket.toString()).startsWith(System.getProperty("java.io.tmpdir")).endsWith("/child.sock");
            assertThat(front.stderr()).contains("; child: " + PYTHON + " -m gunicorn --bind unix:" + socket + " ");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            assertThat(front.childTcpPorts()).as("TCP ports the child listens on").isEmpty();

            long firstPid = startedChildren(front).getFirst().pid();
            // the child's environment names the socket, and no PORT (the one given to the front here is its own)
            String environment = Files.readString(Path.of("/proc", Long.toString(firstPid), "environ"),
                    StandardCharsets.UTF_8);
            assertThat(List.of(environment.split("\0"))).contains("FRONT_SOCKET=" + socket)
                    .noneMatch(variable -> variable.startsWith("PORT=") || variable.startsWith("HOST="));

            try (RawHttp http = RawHttp.connect(front.port())) {
                String environ = http.send("GET /environ HTTP/1.1\r\nHost: app.example\r\n"
                        + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 8443\r\n"
                        + "X-Forwarded-For: 6.6.6.6, 203.0.113.9\r\n\r\n").read().bodyText();
                // gunicorn believes the scheme from a Unix socket peer, which has no address ("" rather than the
                // 127.0.0.1 a loopback port would show); the other facts are the front's single values
                assertThat(environ).contains("\"wsgi.url_scheme\": \"https\"", "\"REMOTE_ADDR\": \"\"",
                                "\"HTTP_X_FORWARDED_FOR\": \"203.0.113.9\"", "\"HTTP_X_FORWARDED_PORT\": \"8443\"",
                                "\"HTTP_X_FORWARDED_PROTO\": \"https\"")
                        .doesNotContain("6.6.6.6");
            }

            // KILL: no chance to clean up; its worker is killed with its group, its socket file stays behind
            new ProcessBuilder("kill", "-KILL", Long.toString(firstPid)).inheritIO().start().waitFor();
            assertThat(ProcFiles.await(Duration.ofSeconds(15), () -> front.stderr().contains("restarting in")))
                    .as(front.stderr()).isTrue();
            // sent while nothing serves: it waits for the new child instead of failing
            try (RawHttp http = RawHttp.connect(front.port(), 30_000)) {
                RawHttp.Response response = http.get("/");
                assertThat(response.status()).as(front.stderr()).isEqualTo(200);
                assertThat(response.bodyText()).contains("Hello from a WSGI app");
            }
            List<Started> started = startedChildren(front);
            assertThat(started).hasSize(2);
            assertThat(started.get(1).pid()).isNotEqualTo(firstPid);
            assertThat(started).allMatch(child -> child.address().equals("unix:" + socket));
            assertThat(front.childTcpPorts()).isEmpty();

            front.signal("TERM");
            assertThat(front.awaitExit(Duration.ofSeconds(30))).as(front.stderr()).isZero();
            assertThat(socket.getParent()).as("the socket's directory after TERM").doesNotExist();
        }
    }

    @Test
    void theDirectoryGoesAlsoWhenTheChildFailsForGood() throws Exception {
        // gunicorn's "application could not be loaded" (4) is never restarted: the front exits with it
        try (FrontProcess front = FrontProcess.start(List.of("--", "/bin/sh", "-c", "exit 4", "sh", "{socket}"))) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(4);
            Path socket = front.childSocket();
            assertThat(socket.getParent()).as(front.stderr()).doesNotExist();
        }
    }

    @Test
    void theSocketGoesUnderTempDir() throws Exception {
        List<String> args = new ArrayList<>(List.of("--temp-dir", dir.toString(), "--"));
        args.addAll(gunicorn("unix:{socket}"));
        try (FrontProcess front = FrontProcess.start(args)) {
            front.awaitStatus("/", 200, FrontProcess.STARTUP);
            assertThat(front.childSocket().getParent().getParent()).isEqualTo(dir);
            front.signal("TERM");
            assertThat(front.awaitExit(Duration.ofSeconds(30))).as(front.stderr()).isZero();
        }
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aSidecarSocketThatAppearsLateIsWaitedFor() throws Exception {
        // The path does not exist when the request comes (ENOENT, not ECONNREFUSED): still "not yet listening"
        Path socket = dir.resolve("late.sock");
        try (FrontProcess front = FrontProcess.start(List.of("--upstream", "unix:" + socket, "--queue-timeout", "30"))) {
            front.awaitListening(FrontProcess.STARTUP);
            try (RawHttp http = RawHttp.connect(front.port(), 60_000)) {
                http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                Thread.sleep(500); // the front has tried the missing path by now
                Process sidecar = new ProcessBuilder(gunicorn("unix:" + socket))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    RawHttp.Response response = http.read();
                    assertThat(response.status()).as(front.stderr()).isEqualTo(200);
                    assertThat(response.bodyText()).contains("Hello from a WSGI app");
                } finally {
                    sidecar.destroy();
                    if (!sidecar.waitFor(10, TimeUnit.SECONDS)) {
                        sidecar.destroyForcibly();
                    }
                }
            }
        }
    }

    @Test
    void bothPlaceholdersOrASocketPathTooLongAreUsageErrors() throws Exception {
        try (FrontProcess front = FrontProcess.start(List.of("--", "server", "unix:{socket}", "{port}"))) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().lines().filter(line -> line.startsWith("front:")))
                    .containsExactly("front: child command: uses both {port} and {socket} (expected: one of them:"
                            + " {socket} for a private Unix socket, {port} for a loopback port)");
        }
        Path deep = Files.createDirectories(dir.resolve("d".repeat(Math.max(1, 80 - dir.toString().length()))));
        try (FrontProcess front = FrontProcess.start(List.of("--temp-dir", deep.toString(), "--", "server",
                "unix:{socket}"))) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().lines().filter(line -> line.startsWith("front:")))
                    .singleElement().asString()
                    .startsWith("front: --temp-dir: " + deep + " (expected: a path of at most");
        }
        try (var left = Files.list(deep)) {
            assertThat(left).isEmpty();
        }
    }

    private record Started(long pid, String address) {
    }

    /** The "child started" log lines (--log-level info), in order. */
    private static List<Started> startedChildren(FrontProcess front) {
        List<Started> started = new ArrayList<>();
        Matcher matcher = STARTED.matcher(front.stderr());
        while (matcher.find()) {
            started.add(new Started(Long.parseLong(matcher.group(1)), matcher.group(2)));
        }
        return started;
    }
}
