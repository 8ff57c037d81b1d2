package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mod_wsgi-express site options, each given in {@code .whiskey/server_args} as a deployment made for
 * mod_wsgi-express would: {@code --server-name}, {@code --server-alias}, {@code --allow-localhost},
 * {@code --mount-point}, {@code --document-root}, {@code --error-document} and {@code --max-clients}, with real
 * children (gunicorn, waitress, Django) that write down every request they see.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SiteOptionsIT {

    private static final String PYTHON = "/usr/bin/python3";

    /** Answers {@code SCRIPT_NAME|PATH_INFO} and writes down the Host and both for every request it sees. */
    private static final String APP = """
            import os
            def application(environ, start_response):
                seen = environ.get('HTTP_HOST', '-') + ' ' + environ['SCRIPT_NAME'] + '|' + environ['PATH_INFO']
                with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'seen.log'), 'a') as log:
                    log.write(seen + '\\n')
                body = (environ['SCRIPT_NAME'] + '|' + environ['PATH_INFO']).encode()
                start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
                return [body]
            """;

    @TempDir
    Path app;

    @BeforeEach
    void application() throws IOException {
        Files.writeString(app.resolve("app.wsgi"), APP);
        Files.createDirectories(app.resolve("static"));
        Files.writeString(app.resolve("static/site.css"), "body {}\n");
        Files.createDirectories(app.resolve(".whiskey"));
    }

    // --server-name, --server-alias, --allow-localhost

    @Test
    void aHostThatIsNoneOfTheServerNamesIsRefusedBeforeTheChildAndTheAliases() throws Exception {
        serverArgs("--server-name www.example.com --server-alias *.example.org --url-alias /static static app.wsgi");
        int admin = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.start(List.of("--admin-port", Integer.toString(admin)), Map.of(), app)) {
            awaitStatus(front, "www.example.com", "/", 200);
            assertThat(get(front, "www.example.com:8080", "/a").bodyText()).isEqualTo("|/a"); // port aside
            assertThat(get(front, "WWW.Example.COM.", "/b").status()).isEqualTo(200);
            assertThat(get(front, "shop.example.org", "/c").status()).isEqualTo(200);
            assertThat(get(front, "www.example.com", "/static/site.css").bodyText()).isEqualTo("body {}\n");

            for (String spoofed : List.of("evil.example", "example.org", "www.example.com.evil", "127.0.0.1")) {
                try (RawHttp http = RawHttp.connect(front.port())) {
                    RawHttp.Response refused = http.send("GET /spoofed HTTP/1.1\r\nHost: " + spoofed + "\r\n\r\n")
                            .read();
                    assertThat(refused.status()).as(spoofed).isEqualTo(421);
                    assertThat(refused.header("x-front-error-id")).as(spoofed).isNotBlank();
                    assertThat(refused.header("connection")).isEqualTo("close");
                }
            }
            assertThat(get(front, "evil.example", "/static/site.css").status()).as("an alias").isEqualTo(421);
            try (RawHttp http = RawHttp.connect(front.port())) {
                // absolute-form: its authority is the host, whatever the Host header says
                assertThat(http.send("GET http://evil.example/spoofed HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
                        .read().status()).isEqualTo(421);
            }
            try (RawHttp http = RawHttp.connect(front.port())) {
                // HTTP/1.0 without Host names no site: refused like a wrong one
                assertThat(http.send("GET /spoofed HTTP/1.0\r\n\r\n").read().status()).isEqualTo(421);
            }
            try (RawHttp http = RawHttp.connect(front.port())) {
                assertThat(http.send("GET /ten HTTP/1.0\r\nHost: www.example.com\r\n\r\n").read().bodyText())
                        .isEqualTo("|/ten");
            }
            RawHttp.Response parent = get(front, "example.com:8080", "/parent?q=1");
            assertThat(parent.status()).as("the parent domain of a www. name").isEqualTo(301);
            assertThat(parent.header("location")).isEqualTo("//www.example.com:8080/parent?q=1");
            try (RawHttp http = RawHttp.connect(admin)) {
                // the admin port is not the site: probes keep working whatever Host they send
                assertThat(http.send("GET /healthz HTTP/1.1\r\nHost: 10.1.2.3:9000\r\n\r\n").read().status())
                        .isEqualTo(200);
            }
            assertThat(Files.readString(app.resolve("seen.log"))).contains("/a", "/b", "/c", "/ten")
                    .doesNotContain("/spoofed", "/parent");
            assertThat(front.stderr()).contains("Host evil.example is not --server-name www.example.com");
        }
    }

    @Test
    void withAllowLocalhostOnlyLoopbackClientsMayUseAnyHost() throws Exception {
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeTrue(outside.isPresent(), "this machine has no address but loopback");
        serverArgs("--server-name www.example.com --allow-localhost app.wsgi");
        try (FrontProcess front = FrontProcess.start(List.of("--host", "0.0.0.0"), Map.of(), app)) {
            awaitStatus(front, "www.example.com", "/", 200);
            assertThat(get(front, "localhost", "/local").status()).isEqualTo(200);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outside.get(), front.port()), 5000);
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write("GET /outside HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(response).startsWith("HTTP/1.1 421 ");
            }
            assertThat(Files.readString(app.resolve("seen.log"))).contains("/local").doesNotContain("/outside");
        }
    }

    // --mount-point

    @ParameterizedTest
    @ValueSource(strings = {"gunicorn", "waitress", "uwsgi"})
    void theApplicationUnderTheMountPointGetsItAsScriptName(String server) throws Exception {
        assumeTrue(!server.equals("uwsgi") || Files.isExecutable(Path.of("/usr/bin/uwsgi")), "uwsgi is not installed");
        serverArgs("--server " + server + " --mount-point /app/ --url-alias /static static app.wsgi");
        int admin = FrontProcess.freePort();
        try (FrontProcess front = FrontProcess.start(List.of("--admin-port", Integer.toString(admin)), Map.of(), app)) {
            awaitStatus(front, "localhost", "/app/", 200);
            assertThat(get(front, "localhost", "/app/x/y").bodyText()).isEqualTo("/app|/x/y");
            assertThat(get(front, "localhost", "/app").bodyText()).isEqualTo("/app|");
            assertThat(get(front, "localhost", "/app/").bodyText()).isEqualTo("/app|/");
            assertThat(get(front, "localhost", "/static/site.css").bodyText()).isEqualTo("body {}\n");
            RawHttp.Response outside = get(front, "localhost", "/apple");
            assertThat(outside.status()).isEqualTo(404);
            assertThat(outside.header("server")).isNull(); // the front's own answer
            assertThat(get(front, "localhost", "/").status()).isEqualTo(404);
            assertThat(Files.readString(app.resolve("seen.log"))).contains("/app|/x/y")
                    .doesNotContain("apple", "static");
            // a new child is probed at the mount point, where it answers (gunicorn fails with a 500 outside it)
            try (RawHttp http = RawHttp.connect(admin, 60_000)) {
                http.send("POST /reload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
                assertThat(http.read().bodyText()).as(front::stderr).startsWith("{\"result\":\"replaced\"");
            }
            assertThat(get(front, "localhost", "/app/after").bodyText()).isEqualTo("/app|/after");
        }
    }

    @Test
    void djangoUnderTheMountPointReversesUrlsWithItAndNeverSeesASpoofedHost() throws Exception {
        assumeTrue(run(PYTHON, "-c", "import django, gunicorn") == 0, "Debian's python3-django is not installed");
        assertThat(run(PYTHON, "-m", "django", "startproject", "mysite", app.toString())).isZero();
        Path settings = app.resolve("mysite/settings.py");
        Files.writeString(settings, Files.readString(settings) + """

                ALLOWED_HOSTS = ['app.example']
                MIDDLEWARE.insert(0, 'mysite.seen.middleware')
                """);
        // Every request Django sees is written down, DisallowedHost ones included (this runs before CommonMiddleware)
        Files.writeString(app.resolve("mysite/seen.py"), """
                import os

                def middleware(get_response):
                    def record(request):
                        with open(os.path.join(os.getcwd(), 'seen.log'), 'a') as log:
                            log.write(request.META.get('HTTP_HOST', '-') + ' ' + request.path + '\\n')
                        return get_response(request)
                    return record
                """);
        serverArgs("--mount-point /app --server-name app.example --application-type module mysite.wsgi");
        try (FrontProcess front = FrontProcess.start(List.of(), Map.of(), app)) {
            awaitStatus(front, "app.example", "/app/admin/login/", 200);
            RawHttp.Response admin = get(front, "app.example", "/app/admin/");
            assertThat(admin.status()).isEqualTo(302);
            assertThat(admin.header("location")).isEqualTo("/app/admin/login/?next=/app/admin/");
            assertThat(get(front, "app.example", "/app/admin/login/").bodyText())
                    .contains("action=\"/app/admin/login/");
            assertThat(get(front, "evil.example", "/app/admin/spoofed/").status()).isEqualTo(421);
            assertThat(get(front, "app.example", "/admin/").status()).isEqualTo(404);
            assertThat(Files.readString(app.resolve("seen.log"))).contains("app.example /app/admin/")
                    .doesNotContain("evil.example", "spoofed");
        }
    }

    // --document-root

    @Test
    void aFileInTheDocumentRootIsServedAndAnythingElseGoesToTheApplication() throws Exception {
        Path root = Files.createDirectories(app.resolve("htdocs"));
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("robots.txt"), "User-agent: *\n");
        Files.writeString(root.resolve("sub/page.html"), "<p>page</p>\n");
        Files.writeString(app.resolve("secret.txt"), "secret\n");
        serverArgs("--document-root htdocs app.wsgi");
        try (FrontProcess front = FrontProcess.start(List.of(), Map.of(), app)) {
            awaitStatus(front, "localhost", "/missing", 200);
            RawHttp.Response robots = get(front, "localhost", "/robots.txt");
            assertThat(robots.bodyText()).isEqualTo("User-agent: *\n");
            assertThat(robots.header("etag")).isNotNull(); // the static file service's answer
            assertThat(get(front, "localhost", "/sub/page.html").header("content-type")).startsWith("text/html");
            assertThat(get(front, "localhost", "/sub/").bodyText()).isEqualTo("|/sub/"); // a directory
            assertThat(get(front, "localhost", "/sub").bodyText()).isEqualTo("|/sub");
            assertThat(get(front, "localhost", "/nothing.txt").bodyText()).isEqualTo("|/nothing.txt");
            assertThat(get(front, "localhost", "/../secret.txt").status()).isEqualTo(400);
            assertThat(get(front, "localhost", "/sub/../../secret.txt").status()).isEqualTo(400);
            assertThat(get(front, "localhost", "/%2e%2e/secret.txt").status()).isEqualTo(400);
            assertThat(get(front, "localhost", "/secret.txt").bodyText()).isEqualTo("|/secret.txt");
            assertThat(Files.readString(app.resolve("seen.log"))).doesNotContain("robots", "page.html");
        }
    }

    // --error-document

    @Test
    void anErrorDocumentIsTheBodyOfA502ForBrowsersWithTheErrorId() throws Exception {
        Files.createDirectories(app.resolve("errors"));
        Files.writeString(app.resolve("errors/502.html"), "<h1>Down for a moment</h1><p>Quote {error_id}.</p>\n");
        try (ServerSocket broken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerGarbage(broken));
            serverArgs("--url-alias /errors errors --error-document 502 /errors/502.html");
            try (FrontProcess front = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + broken.getLocalPort()),
                    Map.of(), app)) {
                front.awaitListening(FrontProcess.STARTUP);
                try (RawHttp http = RawHttp.connect(front.port())) {
                    RawHttp.Response page = http.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/html,"
                            + "application/xhtml+xml,*/*;q=0.8\r\n\r\n").read();
                    assertThat(page.status()).isEqualTo(502);
                    assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
                    String id = page.header("x-front-error-id");
                    assertThat(page.bodyText()).isEqualTo("<h1>Down for a moment</h1><p>Quote " + id + ".</p>\n");
                    assertThat(front.stderr()).contains("error id " + id);
                }
                try (RawHttp http = RawHttp.connect(front.port())) {
                    RawHttp.Response text = http.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n")
                            .read();
                    assertThat(text.status()).isEqualTo(502);
                    assertThat(text.bodyText()).startsWith("502 Bad Gateway (error id "
                            + text.header("x-front-error-id"));
                }
            }
        }
    }

    @Test
    void anErrorDocumentThatNoAliasServesStopsTheFrontWithOneLine() throws Exception {
        serverArgs("--url-alias /errors static --error-document 503 /errors/503.html app.wsgi");
        try (FrontProcess front = FrontProcess.start(List.of(), Map.of(), app)) {
            assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(front.stderr().strip()).isEqualTo("front: --error-document: /errors/503.html (expected: the"
                    + " URL path of a file served by a --url-alias or the --document-root)");
        }
    }

    // --max-clients

    @Test
    void theConnectionPastMaxClientsIsAnswered503AndCounted() throws Exception {
        Path root = Files.createDirectories(app.resolve("htdocs"));
        Files.writeString(root.resolve("index.txt"), "hello\n");
        int admin = FrontProcess.freePort();
        serverArgs("--document-root htdocs --max-clients 2");
        try (FrontProcess front = FrontProcess.start(List.of("--admin-port", Integer.toString(admin)), Map.of(), app)) {
            awaitStatus(front, "localhost", "/index.txt", 200);
            awaitNoClient(admin); // the connections that waited for the front must have given their places back
            try (RawHttp first = RawHttp.connect(front.port()); RawHttp second = RawHttp.connect(front.port())) {
                assertThat(first.get("/index.txt").status()).isEqualTo(200); // both held open, keep-alive
                assertThat(second.get("/index.txt").status()).isEqualTo(200);
                try (RawHttp third = RawHttp.connect(front.port())) {
                    RawHttp.Response refused = third.get("/index.txt");
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("retry-after")).isEqualTo("1");
                    assertThat(refused.header("x-front-error-id")).isNotBlank();
                    assertThat(third.closedByServer(5000)).isTrue();
                }
                assertThat(first.get("/index.txt").status()).as("the open ones are served on").isEqualTo(200);
            }
            // both places are free again once their connections close
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                try (RawHttp http = RawHttp.connect(front.port()); RawHttp other = RawHttp.connect(front.port())) {
                    status = Math.max(http.get("/index.txt").status(), other.get("/index.txt").status());
                }
            }
            assertThat(status).isEqualTo(200);
            try (RawHttp http = RawHttp.connect(admin)) {
                // at least the third one; one of the two that race their predecessors' close may be counted too
                assertThat(http.get("/metrics").bodyText()).containsPattern("(?m)^front_clients_refused_total [1-9]");
            }
        }
    }

    private static void awaitNoClient(int admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String metrics = "";
        while (System.nanoTime() < deadline) {
            try (RawHttp http = RawHttp.connect(admin)) {
                metrics = http.get("/metrics").bodyText();
            }
            if (metrics.contains("\nfront_connections_open 0.0")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("client connections still open:\n" + metrics);
    }

    private void serverArgs(String line) throws IOException {
        Files.writeString(app.resolve(".whiskey/server_args"), line + "\n");
    }

    private static RawHttp.Response get(FrontProcess front, String host, String target) throws IOException {
        try (RawHttp http = RawHttp.connect(front.port())) {
            return http.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    private static void awaitStatus(FrontProcess front, String host, String path, int status) throws Exception {
        front.awaitListening(FrontProcess.STARTUP);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = get(front, host, path).status();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                last = -1;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never answered " + status + " (last: " + last + ")\nstderr:\n"
                + front.stderr());
    }

    /** An upstream that answers every connection with something that is not HTTP: the front's 502. */
    private static void answerGarbage(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[4096]);
                socket.getOutputStream().write("this is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(app.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
