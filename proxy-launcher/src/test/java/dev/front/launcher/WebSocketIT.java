package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket through the real front.jar ({@code --websocket}) to a stdlib-Python echo server ({@code --upstream}),
 * spoken to over raw sockets with masked frames; the server's {@code /log} tells what the child really saw.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebSocketIT {

    static final Duration STARTUP = Duration.ofSeconds(30);
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static Process echo;
    static int echoPort;
    static FrontProcess on;
    static FrontProcess off;

    @BeforeAll
    static void start() throws Exception {
        echoPort = FrontProcess.freePort();
        echo = new ProcessBuilder("python3", resources().resolve("echo_server.py").toString(),
                Integer.toString(echoPort)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(FrontProcess.awaitPort(echoPort, STARTUP)).isTrue();
        on = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + echoPort, "--websocket"));
        off = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + echoPort));
        on.awaitStatus("/ready", 200, STARTUP);
        off.awaitStatus("/ready", 200, STARTUP);
    }

    @AfterAll
    static void stop() throws IOException {
        String stderr = on == null ? "" : on.stderr();
        for (FrontProcess front : new FrontProcess[] {on, off}) {
            if (front != null) {
                front.close();
            }
        }
        if (echo != null) {
            echo.destroyForcibly();
            try {
                echo.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Paranoid leak detection runs in the front: a buffer lost between the two sides of a tunnel shows here.
        assertThat(stderr).doesNotContain("LEAK");
    }

    static String handshake(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Connects through {@code front} and completes the handshake; fails unless the answer is a real 101. */
    static RawHttp open(FrontProcess front, String path) throws Exception {
        RawHttp http = RawHttp.connect(front.port(), 5000);
        RawHttp.Response response = http.send(handshake(path, "")).read();
        assertThat(response.status()).as(response.statusLine()).isEqualTo(101);
        assertThat(response.header("upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(response.header("connection")).isEqualToIgnoringCase("upgrade");
        assertThat(response.header("sec-websocket-accept")).isEqualTo(accept(KEY));
        return http;
    }

    static String accept(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** A client frame (RFC 6455 5.2): FIN, the opcode, a random mask, the masked payload. */
    static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        new Random().nextBytes(mask);
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads one server frame (unmasked). */
    static Frame readFrame(RawHttp http) throws IOException {
        InputStream in = http.input();
        byte[] head = in.readNBytes(2);
        if (head.length < 2) {
            throw new IOException("connection closed before a frame");
        }
        assertThat(head[1] & 0x80).as("a server frame is not masked").isZero();
        long length = head[1] & 0x7F;
        int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (extended > 0) {
            length = 0;
            for (byte b : in.readNBytes(extended)) {
                length = (length << 8) | (b & 0xFF);
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new IOException("frame truncated");
        }
        return new Frame(head[0] & 0x0F, payload);
    }

    static String childLog() throws IOException {
        try (RawHttp http = RawHttp.connect(echoPort, 5000)) {
            return http.get("/log").bodyText();
        }
    }

    /** Waits until the child's log has {@code line}; fails after 10 s. */
    static void awaitChildLog(String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (childLog().lines().anyMatch(line::equals)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the child never logged \"" + line + "\":\n" + childLog());
    }

    // ---- the tunnel ------------------------------------------------------------------------------------------

    @Test
    void maskedFramesComeBackThroughTheTunnelAndACloseHandshakeClosesBothSides() throws Exception {
        try (RawHttp ws = open(on, "/echo")) {
            ws.send(frame(1, "hello".getBytes(StandardCharsets.UTF_8)));
            assertThat(readFrame(ws).text()).isEqualTo("hello");
            byte[] big = new byte[200_000]; // more than the socket buffers: both directions go through backpressure
            new Random(7).nextBytes(big);
            ws.send(frame(2, big));
            Frame back = readFrame(ws);
            assertThat(back.opcode()).isEqualTo(2);
            assertThat(back.payload()).isEqualTo(big);
            ws.send(frame(8, new byte[] {0x03, (byte) 0xE8}));
            assertThat(readFrame(ws).opcode()).isEqualTo(8);
            assertThat(ws.closedByServer(5000)).isTrue();
        }
        awaitChildLog("closed /echo");
        assertThat(childLog()).contains("request /echo upgrade=websocket connection=upgrade")
                .doesNotContain("bad-frame");
    }

    @Test
    void theClientClosingClosesTheChildsConnection() throws Exception {
        try (RawHttp ws = open(on, "/client-closes")) {
            ws.send(frame(1, "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(readFrame(ws).text()).isEqualTo("x");
        } // the socket closes without a close frame
        awaitChildLog("closed /client-closes");
    }

    @Test
    void theChildClosingClosesTheClientsConnection() throws Exception {
        try (RawHttp ws = open(on, "/child-closes")) {
            ws.send(frame(1, "bye".getBytes(StandardCharsets.UTF_8))); // the child closes its socket at once
            assertThat(ws.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void aRefusedHandshakeIsAnOrdinaryResponseAndTheConnectionStaysHttp() throws Exception {
        try (RawHttp http = RawHttp.connect(on.port(), 5000)) {
            RawHttp.Response refused = http.send(handshake("/refuse", "")).read();
            assertThat(refused.status()).isEqualTo(426);
            assertThat(refused.bodyText()).isEqualTo("nope");
            RawHttp.Response next = http.get("/after-refusal");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("plain");
        }
    }

    // ---- what never reaches the child ------------------------------------------------------------------------

    @Test
    void withoutTheOptionTheChildNeverSeesTheUpgrade() throws Exception {
        try (RawHttp http = RawHttp.connect(off.port(), 5000)) {
            RawHttp.Response response = http.send(handshake("/off", "")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("plain");
        }
        awaitChildLog("closed /off");
        assertThat(childLog()).contains("request /off upgrade=None connection=None");
    }

    @Test
    void h2cNeverReachesTheChildAndOnlyWebSocketIsNamed() throws Exception {
        try (RawHttp http = RawHttp.connect(on.port(), 5000)) {
            RawHttp.Response response = http.send("GET /h2c HTTP/1.1\r\nHost: localhost\r\nUpgrade: h2c\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        try (RawHttp ws = RawHttp.connect(on.port(), 5000)) {
            assertThat(ws.send(handshake("/both", "").replace("Upgrade: websocket", "Upgrade: h2c, websocket"))
                    .read().status()).isEqualTo(101);
        }
        awaitChildLog("closed /both");
        assertThat(childLog()).contains("request /h2c upgrade=None connection=None",
                "request /both upgrade=websocket connection=upgrade");
    }

    @Test
    void aRequestPipelinedBehindTheHandshakeIsRefusedNotTunnelled() throws Exception {
        try (RawHttp http = RawHttp.connect(on.port(), 5000)) {
            http.send(handshake("/pipelined", "") + "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(http.closedByServer(5000)).isTrue();
        }
        awaitChildLog("closed /pipelined");
        assertThat(childLog()).doesNotContain("/smuggled").doesNotContain("bad-frame");
    }

    @Test
    void overTheCapTheFrontAnswers503AndTheChildIsNotAsked() throws Exception {
        try (FrontProcess capped = FrontProcess.start(List.of("--upstream", "127.0.0.1:" + echoPort, "--websocket",
                "--max-websockets", "1"))) {
            capped.awaitStatus("/ready", 200, STARTUP);
            try (RawHttp first = open(capped, "/first")) {
                try (RawHttp second = RawHttp.connect(capped.port(), 5000)) {
                    RawHttp.Response refused = second.send(handshake("/over-the-cap", "")).read();
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("retry-after")).isNotNull();
                    assertThat(second.get("/plain-still-fine").status()).isEqualTo(200);
                }
                first.send(frame(1, "still open".getBytes(StandardCharsets.UTF_8)));
                assertThat(readFrame(first).text()).isEqualTo("still open");
            }
            // The first tunnel's place comes back once it closed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 0;
            while (status != 101 && System.nanoTime() < deadline) {
                try (RawHttp again = RawHttp.connect(capped.port(), 5000)) {
                    status = again.send(handshake("/again", "")).read().status();
                }
                Thread.sleep(status == 101 ? 0 : 50);
            }
            assertThat(status).isEqualTo(101);
        }
        assertThat(childLog()).doesNotContain("/over-the-cap");
    }

    static Path resources() {
        try {
            return Path.of(WebSocketIT.class.getResource("/websocket/echo_server.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
