package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end (docs/forwarded-headers.md): a real haproxy in append mode in front of the real front.jar, in
 * front of a real gunicorn child that echoes its environ. Loopback has the whole 127/8, so the three parties get
 * different addresses: the client connects from {@value #CLIENT}, haproxy connects to the front from
 * {@value #ROUTER} (the only trusted proxy), and the front reaches the child from 127.0.0.1.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ForwardedHeadersIT {

    private static final String CLIENT = "127.0.0.5";
    private static final String ROUTER = "127.0.0.3";
    private static final String GUNICORN = "/usr/bin/gunicorn";

    /** Everything a client could write to pose as a proxy: none of it may reach the child. */
    private static final List<String> SPOOFED = List.of(
            "X-Forwarded-For: 6.6.6.6",
            "X-Forwarded-For: 7.7.7.7, 8.8.8.8",
            "X-Forwarded-Proto: http",
            "X-Forwarded-Port: 1",
            "X-Forwarded-Host: evil.test",
            "X-Forwarded-Ssl: off",
            "X-Forwarded-Protocol: ssl",
            "X-Real-IP: 9.9.9.9",
            "X-Client-IP: 9.9.9.9",
            "True-Client-IP: 9.9.9.9",
            "Forwarded: for=6.6.6.6;proto=https",
            "X_Forwarded_For: 6.6.6.6",
            "SCRIPT_NAME: /admin",
            "X-Script-Name: /admin",
            "Proxy: http://evil.test:3128",
            "Connection: X-Forwarded-For, X-Forwarded-Proto");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : processes.reversed()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void throughHaproxyInAppendModeTheChildSeesTheTrueClientSchemeAndPortOnce() throws Exception {
        int frontPort = FrontProcess.freePort();
        int routerPort = FrontProcess.freePort();
        startFront(frontPort, "--trust-proxy", ROUTER + "/32",
                "--trust-proxy-header", "X-Forwarded-For",
                "--trust-proxy-header", "X-Forwarded-Proto",
                "--trust-proxy-header", "X-Forwarded-Port");
        startHaproxy(routerPort, frontPort);

        Map<String, String> environ = echo(routerPort, SPOOFED);

        // haproxy appended its own line after the client's: only that value reached the child.
        assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", CLIENT)
                // haproxy says https (it stands for a TLS-terminating router); gunicorn believes the front.
                .containsEntry("HTTP_X_FORWARDED_PROTO", "https")
                .containsEntry("wsgi.url_scheme", "https")
                .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(routerPort))
                .containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("SCRIPT_NAME", "");
        assertThat(forwardingKeys(environ)).containsExactlyInAnyOrder(
                "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT");
    }

    @Test
    void anUntrustedDirectPeerCannotSetAnyFact() throws Exception {
        int frontPort = FrontProcess.freePort();
        startFront(frontPort, "--trust-proxy", ROUTER + "/32",
                "--trust-proxy-header", "X-Forwarded-For",
                "--trust-proxy-header", "X-Forwarded-Proto",
                "--trust-proxy-header", "X-Forwarded-Port",
                "--trust-proxy-header", "X-Forwarded-Host");
        List<String> spoofed = new ArrayList<>(SPOOFED);
        spoofed.add("X-Forwarded-Proto: https");
        spoofed.add("X-Forwarded-Ssl: on");

        Map<String, String> environ = echo(frontPort, spoofed);

        assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", CLIENT)
                .containsEntry("HTTP_X_FORWARDED_PROTO", "http")
                .containsEntry("wsgi.url_scheme", "http")
                .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(frontPort))
                .containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("SCRIPT_NAME", "");
        assertThat(forwardingKeys(environ)).containsExactlyInAnyOrder(
                "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT");
    }

    @Test
    void withoutTrustProxyEveryPeerIsTrustedAndTheFrontWarnsAtStartup() throws Exception {
        int frontPort = FrontProcess.freePort();
        startFront(frontPort, "--trust-proxy-header", "X-Forwarded-For");

        awaitLog("trusted from every peer");
        // mod_wsgi-express's meaning: any peer may assert the client, but still only the rightmost value counts.
        assertThat(echo(frontPort, List.of("X-Forwarded-For: 6.6.6.6, 198.51.100.7")))
                .containsEntry("HTTP_X_FORWARDED_FOR", "198.51.100.7");
    }

    @Test
    void noWarningWhenTheTrustedProxiesAreNamed() throws Exception {
        int frontPort = FrontProcess.freePort();
        startFront(frontPort, "--trust-proxy", ROUTER, "--trust-proxy-header", "X-Forwarded-For");

        assertThat(echo(frontPort, List.of())).containsEntry("HTTP_X_FORWARDED_FOR", CLIENT);
        assertThat(Files.readString(dir.resolve("front.log"))).doesNotContain("every peer");
    }

    @Test
    void aWrongTrustProxyShowsUpAsCountersAndOneWarningLine() throws Exception {
        int frontPort = FrontProcess.freePort();
        int adminPort = FrontProcess.freePort();
        // The router is 127.0.0.3, but this --trust-proxy names another address: its headers are not believed.
        startFront(frontPort, "--admin-port", Integer.toString(adminPort), "--trust-proxy", "127.0.0.4/32",
                "--trust-proxy-header", "X-Forwarded-For",
                "--trust-proxy-header", "X-Forwarded-Proto",
                "--trust-proxy-header", "X-Forwarded-Port");
        for (int i = 0; i < 5; i++) {
            assertThat(echo(ROUTER, frontPort, List.of("X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https",
                    "X-Forwarded-Port: 443", "X-Real-IP: 198.51.100.7")))
                    .containsEntry("HTTP_X_FORWARDED_FOR", ROUTER);
        }
        String metrics = scrape(adminPort);
        assertThat(sample(metrics, dropped("X-Forwarded-For", "untrusted_peer"))).isEqualTo(5);
        assertThat(sample(metrics, dropped("X-Forwarded-Proto", "untrusted_peer"))).isEqualTo(5);
        assertThat(sample(metrics, dropped("X-Forwarded-Port", "untrusted_peer"))).isEqualTo(5);
        // Never trusted from anyone: counted apart, so the alarm stays about the peer.
        assertThat(sample(metrics, dropped("X-Real-IP", "untrusted_header"))).isEqualTo(5);
        assertThat(sample(metrics, dropped("X-Real-IP", "untrusted_peer"))).isZero();
        awaitLog("a peer outside --trust-proxy");
        assertThat(Files.readString(dir.resolve("front.log")).lines()
                .filter(line -> line.contains("a peer outside --trust-proxy")).toList())
                .singleElement().asString().contains("WARN", "X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Port from "
                        + ROUTER + ", a peer outside --trust-proxy");
    }

    @Test
    void aTrustedPeersValidHeadersCountNothingAndItsInvalidOnesCountAsInvalid() throws Exception {
        int frontPort = FrontProcess.freePort();
        int adminPort = FrontProcess.freePort();
        startFront(frontPort, "--admin-port", Integer.toString(adminPort), "--trust-proxy", ROUTER + "/32",
                "--trust-proxy-header", "X-Forwarded-For",
                "--trust-proxy-header", "X-Forwarded-Proto",
                "--trust-proxy-header", "X-Forwarded-Port");
        assertThat(echo(ROUTER, frontPort, List.of("X-Forwarded-For: 198.51.100.7", "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 443"))).containsEntry("HTTP_X_FORWARDED_FOR", "198.51.100.7");
        String metrics = scrape(adminPort);
        assertThat(metrics.lines().filter(line -> line.startsWith("front_forwarding_headers_dropped_total{"))
                .toList()).hasSize(14 * 4).allSatisfy(line -> assertThat(line).endsWith(" 0.0"));

        assertThat(echo(ROUTER, frontPort, List.of("X-Forwarded-For: 198.51.100.7, 127.0.0.3",
                "X-Forwarded-Proto: gopher", "X-Forwarded-Port: 99999")))
                .containsEntry("HTTP_X_FORWARDED_PROTO", "http")
                .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(frontPort));
        metrics = scrape(adminPort);
        assertThat(sample(metrics, dropped("X-Forwarded-Proto", "invalid"))).isEqualTo(1);
        assertThat(sample(metrics, dropped("X-Forwarded-Port", "invalid"))).isEqualTo(1);
        // The one hop walked was the router itself, with more to its left: --trusted-hops is too low for this chain.
        assertThat(sample(metrics, dropped("X-Forwarded-For", "too_many_hops"))).isEqualTo(1);
        assertThat(sample(metrics, dropped("X-Forwarded-For", "untrusted_peer"))).isZero();
        assertThat(Files.readString(dir.resolve("front.log"))).doesNotContain("outside --trust-proxy");
    }

    private static String dropped(String header, String reason) {
        return "front_forwarding_headers_dropped_total{header=\"" + header + "\",reason=\"" + reason + "\"}";
    }

    private static String scrape(int adminPort) throws IOException {
        try (RawHttp http = RawHttp.connect(adminPort)) {
            RawHttp.Response response = http.get("/metrics");
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }

    private static double sample(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + text));
    }

    // ---- the parties -----------------------------------------------------------------------------------------------

    private void startFront(int port, String... forwardedOptions) throws IOException {
        Path app = dir.resolve("echo_environ.py");
        try (InputStream in = getClass().getResourceAsStream("/forwarded/echo_environ.py")) {
            Files.copy(in, app);
        }
        List<String> command = new ArrayList<>(List.of(java(), "-jar", System.getProperty("front.jar"),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(FrontProcess.TRANSPORT);
        command.addAll(List.of(forwardedOptions));
        command.addAll(List.of("--", GUNICORN, "--bind", "127.0.0.1:{port}", "--workers", "1",
                "--chdir", dir.toString(), "echo_environ:application"));
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("front.log").toFile()).start());
        awaitListening(port);
    }

    private void startHaproxy(int port, int frontPort) throws IOException {
        processes.add(HaproxyRouter.start(dir, port, frontPort, ROUTER, "X-Forwarded-Port %[dst_port]",
                "X-Forwarded-Proto https"));
        awaitListening(port);
    }

    // ---- raw HTTP ------------------------------------------------------------------------------------------------

    /** One GET from {@link #CLIENT} with the given extra header lines; the echo app's environ. */
    private Map<String, String> echo(int port, List<String> headerLines) throws IOException {
        return echo(CLIENT, port, headerLines);
    }

    /** One GET from the loopback address {@code from} with the given extra header lines; the echo app's environ. */
    private Map<String, String> echo(String from, int port, List<String> headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET /echo HTTP/1.1\r\nHost: app.example.com\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n");
        String response;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            response = readResponse(socket.getInputStream());
        }
        assertThat(response).as(logs()).startsWith("HTTP/1.1 200 ");
        Map<String, String> environ = new LinkedHashMap<>();
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        for (String line : body.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                environ.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return environ;
    }

    /** Headers, then exactly Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        int length = 0;
        int headerEnd = -1;
        int contentLength = -1;
        while (true) {
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
            String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headerEnd).split("\r\n")) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headerEnd >= 0 && contentLength >= 0 && length >= headerEnd + 4 + contentLength) {
                break;
            }
        }
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static List<String> forwardingKeys(Map<String, String> environ) {
        return environ.keySet().stream().filter(key -> {
            String k = key.toUpperCase(java.util.Locale.ROOT);
            return k.contains("FORWARD") || k.contains("REAL_IP") || k.contains("CLIENT_IP") || k.contains("PROXY")
                    || k.contains("SCRIPT_NAME") && k.startsWith("HTTP_");
        }).toList();
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private static String java() {
        // The JDK running this test is the toolchain's JDK 25, which front.jar needs.
        return ProcessHandle.current().info().command().orElse("java");
    }

    private void awaitListening(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("nothing listens on port " + port + "\n" + logs());
    }

    private void awaitLog(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.readString(dir.resolve("front.log")).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the front never logged \"" + text + "\"\n" + logs());
            }
            Thread.sleep(50);
        }
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("front.log", "haproxy.log")) {
            try {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    text.append("--- ").append(name).append('\n').append(Files.readString(file));
                }
            } catch (IOException e) {
                text.append(e);
            }
        }
        return text.toString();
    }
}
