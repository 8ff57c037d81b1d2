package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code --proxy-protocol} end to end (docs/forwarded-headers.md#proxy-protocol): the real front.jar in front of the
 * example app, whose {@code /environ} shows what the child was told. The PROXY headers are written by hand (v1 text,
 * v2 binary as the protocol's specification lays them out) so that they can name a client no loopback socket could
 * be, and by a real haproxy ({@code send-proxy}, {@code send-proxy-v2}) in TCP mode. Loopback has the whole 127/8:
 * the balancer connects from {@value #BALANCER} (the only trusted peer), anyone else from {@value #STRANGER}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {

    private static final String BALANCER = "127.0.0.3";
    private static final String STRANGER = "127.0.0.5";
    /** The v2 signature: 12 bytes that cannot begin any text protocol. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }

    @Test
    void aV1HeaderNamesTheClientAndPortTheChildAndTheAccessLogSee() throws Exception {
        FrontProcess front = start("--access-log");
        byte[] header = "PROXY TCP4 203.0.113.7 192.0.2.1 51000 443\r\n".getBytes(StandardCharsets.US_ASCII);

        Map<String, Object> environ = environ(BALANCER, front.port(), header);

        assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", "203.0.113.7")
                .containsEntry("HTTP_X_FORWARDED_PORT", "443")
                .containsEntry("HTTP_X_FORWARDED_PROTO", "http");
        assertThat(front.awaitStdout("/environ")).as(front.stdout()).isTrue();
        assertThat(front.stdout().lines().filter(line -> line.contains("/environ")))
                .singleElement().asString().startsWith("203.0.113.7 ");
    }

    @Test
    void aV2HeaderNamesTheClientForEveryRequestOfTheConnection() throws Exception {
        FrontProcess front = start();
        byte[] header = v2Proxy(new byte[] {(byte) 198, 51, 100, 9}, new byte[] {(byte) 192, 0, 2, 1}, 40000, 8443);

        try (Socket socket = connect(BALANCER, front.port())) {
            socket.getOutputStream().write(header);
            Thread.sleep(300); // the header alone in a read of its own: the request must still be read after it
            for (int i = 0; i < 2; i++) {
                // keep-alive: the second request is read long after the header left the pipeline
                Map<String, Object> environ = request(socket, "/environ", false);
                assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", "198.51.100.9")
                        .containsEntry("HTTP_X_FORWARDED_PORT", "8443");
            }
        }
    }

    @Test
    void aV2HeaderOfAnIpv6Client() throws Exception {
        FrontProcess front = start();
        byte[] client = InetAddress.getByName("2001:db8::7").getAddress();
        byte[] destination = InetAddress.getByName("2001:db8::1").getAddress();

        Map<String, Object> environ = environ(BALANCER, front.port(), v2Proxy(client, destination, 40000, 443));

        assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", "2001:db8::7")
                .containsEntry("HTTP_X_FORWARDED_PORT", "443");
    }

    @Test
    void theBalancersOwnConnectionsKeepThePeerAsTheClient() throws Exception {
        FrontProcess front = start();
        // v1 UNKNOWN and v2 LOCAL: health checks, no client behind them
        byte[] unknown = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] local = ByteBuffer.allocate(16).put(V2_SIGNATURE).put((byte) 0x20).put((byte) 0x00)
                .putShort((short) 0).array();

        for (byte[] header : List.of(unknown, local)) {
            Map<String, Object> environ = environ(BALANCER, front.port(), header);
            assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", BALANCER)
                    .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(front.port()));
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedUnanswered() throws Exception {
        FrontProcess front = start();

        byte[] answer = exchange(BALANCER, front.port(),
                "GET /environ HTTP/1.1\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).isEmpty();
        assertThat(front.isAlive()).isTrue();
    }

    @Test
    void aHeaderFromAPeerOutsideTrustProxyIsClosedUnanswered() throws Exception {
        FrontProcess front = start();
        byte[] header = "PROXY TCP4 203.0.113.7 192.0.2.1 51000 443\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] request = "GET /environ HTTP/1.1\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        byte[] answer = exchange(STRANGER, front.port(), concat(header, request));

        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).isEmpty();
        // the same bytes from the balancer are served
        assertThat(environ(BALANCER, front.port(), header)).containsEntry("HTTP_X_FORWARDED_FOR", "203.0.113.7");
    }

    @Test
    void withoutTrustProxyTheOptionIsRefusedAtStart() throws Exception {
        FrontProcess front = FrontProcess.startRaw(List.of("--port", Integer.toString(FrontProcess.freePort()),
                "--proxy-protocol", "--", "python3", FrontProcess.HELLO.resolve("app.py").toString(), "{port}"));
        started.add(front);

        assertThat(front.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(front.stderr().strip()).startsWith("front: --proxy-protocol: given without --trust-proxy")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void haproxySendProxyV2AndV1TellTheClientBehindIt() throws Exception {
        FrontProcess front = start();
        for (String send : List.of("send-proxy-v2", "send-proxy")) {
            int balancerPort = FrontProcess.freePort();
            Process haproxy = startHaproxy(balancerPort, front.port(), send);
            try {
                Map<String, Object> environ = environ(STRANGER, balancerPort, new byte[0]);
                assertThat(environ).as(send).containsEntry("HTTP_X_FORWARDED_FOR", STRANGER)
                        .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(balancerPort));
            } finally {
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void onTheTlsListenerTheHeaderComesBeforeTheClientHello() throws Exception {
        Path key = dir.resolve("a.key");
        Path certificate = dir.resolve("a.crt");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                certificate.toString(), "-days", "2", "-subj", "/CN=a.test", "-addext", "subjectAltName=DNS:a.test");
        int https = FrontProcess.freePort();
        FrontProcess front = start("--https-port", Integer.toString(https), "--ssl-certificate-file",
                certificate.toString(), "--ssl-certificate-key-file", key.toString());
        FrontProcess.awaitPort(https, Duration.ofSeconds(30));

        // v2 written by hand, then TLS on the same socket
        byte[] header = v2Proxy(new byte[] {(byte) 203, 0, 113, 7}, new byte[] {(byte) 192, 0, 2, 1}, 40000, 443);
        try (Socket socket = connect(BALANCER, https)) {
            socket.getOutputStream().write(header);
            Thread.sleep(300); // alone in its read: the ClientHello must still be read after it
            SSLSocket tls = (SSLSocket) trustingEverything().getSocketFactory()
                    .createSocket(socket, "a.test", https, true);
            tls.startHandshake();
            Map<String, Object> environ = request(tls, "/environ", true);
            assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", "203.0.113.7")
                    .containsEntry("HTTP_X_FORWARDED_PORT", "443")
                    .containsEntry("HTTP_X_FORWARDED_PROTO", "https");
        }

        // curl's v1 header (it names curl's own address, the balancer's here) in front of its ClientHello
        Process curl = new ProcessBuilder("curl", "-sS", "--haproxy-protocol", "--interface", BALANCER, "--cacert",
                certificate.toString(), "--resolve", "a.test:" + https + ":127.0.0.1",
                "https://a.test:" + https + "/environ").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(out).isZero();
        Map<String, Object> environ = new Yaml().load(out);
        assertThat(environ).containsEntry("HTTP_X_FORWARDED_FOR", BALANCER)
                .containsEntry("HTTP_X_FORWARDED_PORT", Integer.toString(https));
    }

    // ---- the parties -----------------------------------------------------------------------------------------------

    /** The front with {@code --proxy-protocol}, the balancer trusted, in front of the example app; ready. */
    private FrontProcess start(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--proxy-protocol", "--trust-proxy", BALANCER + "/32"));
        args.addAll(List.of(more));
        args.addAll(List.of("--", "python3", FrontProcess.HELLO.resolve("app.py").toString(), "{port}"));
        FrontProcess front = FrontProcess.start(args);
        started.add(front);
        front.awaitListening(Duration.ofSeconds(30));
        // the usual readiness probe would have no header: ask with one until the child answers
        byte[] health = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String answer = new String(exchange(BALANCER, front.port(), concat(health,
                    "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
                    StandardCharsets.ISO_8859_1);
            if (answer.startsWith("HTTP/1.1 200 ")) {
                return front;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never ready: " + answer + "\nstderr:\n" + front.stderr());
            }
            Thread.sleep(100);
        }
    }

    private Process startHaproxy(int port, int frontPort, String send) throws Exception {
        String config = """
                global
                    maxconn 64
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend balancer
                    bind 127.0.0.1:%d
                    default_backend pod
                backend pod
                    server front 127.0.0.1:%d %s source %s
                """.formatted(port, frontPort, send, BALANCER);
        Path file = dir.resolve("haproxy-" + send + ".cfg");
        Files.writeString(file, config);
        Process haproxy = new ProcessBuilder(HaproxyRouter.HAPROXY.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        if (!FrontProcess.awaitPort(port, Duration.ofSeconds(15))) {
            throw new AssertionError("haproxy did not listen:\n" + Files.readString(dir.resolve("haproxy.log")));
        }
        return haproxy;
    }

    // ---- PROXY headers and raw HTTP ----------------------------------------------------------------------------

    /** A v2 PROXY command over TCP, IPv4 (4-byte addresses) or IPv6 (16), without TLVs. */
    private static byte[] v2Proxy(byte[] source, byte[] destination, int sourcePort, int destinationPort) {
        boolean v4 = source.length == 4;
        int addressLength = 2 * source.length + 4;
        return ByteBuffer.allocate(16 + addressLength).put(V2_SIGNATURE)
                .put((byte) 0x21) // version 2, PROXY
                .put((byte) (v4 ? 0x11 : 0x21)) // AF_INET or AF_INET6, STREAM
                .putShort((short) addressLength)
                .put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort)
                .array();
    }

    /** One GET /environ after {@code header} from the loopback address {@code from}; the child's environ. */
    private static Map<String, Object> environ(String from, int port, byte[] header) throws IOException {
        try (Socket socket = connect(from, port)) {
            socket.getOutputStream().write(header);
            return request(socket, "/environ", true);
        }
    }

    private static Map<String, Object> request(Socket socket, String path, boolean close) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: a.test\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readResponse(socket.getInputStream());
        assertThat(response).startsWith("HTTP/1.1 200 ");
        return new Yaml().load(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    /** Writes {@code bytes}, then reads whatever comes until the front closes (or 10 s of silence). */
    private static byte[] exchange(String from, int port, byte[] bytes) throws IOException {
        try (Socket socket = connect(from, port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (SocketTimeoutException | java.net.SocketException ended) {
                // a reset or silence ends the answer as well
            }
            return answer.toByteArray();
        }
    }

    private static Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Headers, then exactly Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int headerEnd = -1;
        int contentLength = -1;
        while (headerEnd < 0 || bytes.size() < headerEnd + 4 + contentLength) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            bytes.write(b);
            if (headerEnd < 0) {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                if ((headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    for (String line : text.substring(0, headerEnd).split("\r\n")) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            contentLength = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (contentLength < 0) {
                        break;
                    }
                }
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    /** A TLS client for the tests' own self-signed certificates: what they check is not the chain. */
    static SSLContext trustingEverything() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
    }
}
