package dev.front.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run of the JDK's AOT cache ({@code java -XX:AOTCacheOutput=FILE -cp front.jar
 * dev.front.launcher.AotTraining}), which {@code bin/front} and the image builds start once: the classes and method
 * profiles the JVM records here are what a later start finds ready in the cache. So it runs the paths a front
 * starts on and serves with: a front with a static alias, an upstream and the admin listener, forwarding to a
 * second front, both in this JVM; raw HTTP/1.1 on loopback, like a client; then exits, which writes the cache.
 */
public final class AotTraining {

    /** Enough rounds for the profiles of the request path to mean something, few enough to take seconds. */
    private static final int ROUNDS = 300;
    /** Generous, for a loaded machine; but a training that cannot finish must not hold up bin/front for ever. */
    private static final int TIMEOUT_MILLIS = 60_000;

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("front-aot-training");
        int status = 1;
        try {
            Files.write(dir.resolve("file.bin"), new byte[1024]);
            Files.writeString(dir.resolve("index.html"), "<p>training</p>\n");
            int upstream = freePort();
            int port = freePort();
            int admin = freePort();
            start("upstream", "--host", "127.0.0.1", "--port", Integer.toString(upstream), "--url-alias", "/", dir.toString());
            start("front", "--host", "127.0.0.1", "--port", Integer.toString(port), "--admin-port", Integer.toString(admin),
                    "--url-alias", "/static", dir.toString(), "--upstream", "127.0.0.1:" + upstream);
            awaitListening(port);
            awaitListening(admin);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket operator = new Socket(InetAddress.getLoopbackAddress(), admin)) {
                client.setSoTimeout(TIMEOUT_MILLIS);
                operator.setSoTimeout(TIMEOUT_MILLIS);
                for (int round = 0; round < ROUNDS; round++) {
                    exchange(client, "GET /static/file.bin HTTP/1.1\r\nHost: t\r\n\r\n");
                    exchange(client, "GET /static/file.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n\r\n");
                    exchange(client, "HEAD /static/index.html HTTP/1.1\r\nHost: t\r\n\r\n");
                    exchange(client, "GET /static/missing HTTP/1.1\r\nHost: t\r\n\r\n");
                    exchange(client, "GET /file.bin HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n");
                    exchange(client, "POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                    if (round % 10 == 0) {
                        exchange(operator, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
                        exchange(operator, "GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n");
                    }
                }
            }
            status = 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            // The fronts' threads do not end by themselves; exiting writes the cache.
            System.exit(status);
        }
    }

    private static void start(String name, String... args) {
        Thread thread = new Thread(() -> Main.run(args), "aot-training-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        for (int i = 0; i < TIMEOUT_MILLIS / 20; i++) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("the training front did not listen on port " + port);
    }

    /** Sends one request and reads its whole response: the head, then Content-Length bytes (none for HEAD). */
    private static void exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a response to: " + request.lines().findFirst().orElse(""));
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        if (!request.startsWith("HEAD")) {
            in.readNBytes(Math.toIntExact(length));
        }
    }
}
