package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front's weight in the pod: what it loads for the options it is given, and how far its memory goes with the
 * JVM options it ships with (bin/jvm-options) in a container with a small memory limit.
 */
class FootprintIT {

    /** The memory limit of the pod the front believes it is in; the JVM reads the same from a cgroup. */
    private static final int POD_MIB = 256;
    /**
     * The front's share of it, 60%: the rest is the Python child's. bin/jvm-options gives the heap 1/8 of the limit
     * (Netty's buffers as much at most); the rest is the JVM's: libjvm and classes about 60 MiB, and C2's code and
     * leftovers 30-40 MiB once the burst has made it compile the request paths. Measured: 87-128 MiB at the peak
     * (the more CPU C2 gets during the burst, the more), 82 MiB with C1 alone.
     */
    private static final int SHARE_MIB = POD_MIB * 60 / 100;

    @TempDir
    Path dir;

    @Test
    void micrometerIsLoadedOnlyForTheAdminListener() throws Exception {
        Path withoutAdmin = dir.resolve("classes-without-admin.log");
        try (FrontProcess front = startHello(List.of(), withoutAdmin)) {
            try (RawHttp http = RawHttp.connect(front.port())) {
                assertThat(http.get("/static/style.css").status()).isEqualTo(200);
                assertThat(http.get("/").status()).isEqualTo(200);
            }
        }
        Path withAdmin = dir.resolve("classes-with-admin.log");
        int adminPort = FrontProcess.freePort();
        try (FrontProcess front = startHello(List.of("--admin-port", Integer.toString(adminPort)), withAdmin)) {
            try (RawHttp admin = RawHttp.connect(adminPort)) {
                assertThat(admin.get("/metrics").bodyText()).contains("front_requests_seconds_count");
            }
        }
        List<String> without = Files.readAllLines(withoutAdmin);
        assertThat(without).as("classes loaded without --admin-port").hasSizeGreaterThan(1000)
                .noneMatch(line -> line.contains(" io.micrometer.") || line.contains(" io.prometheus."));
        assertThat(Files.readAllLines(withAdmin)).as("classes loaded with --admin-port")
                .anyMatch(line -> line.contains(" io.micrometer."));
    }

    /**
     * The front before the example app, with the JVM's class-load log into {@code classLog} (through the variable
     * every java launcher reads); waits until the app's page is served.
     */
    private static FrontProcess startHello(List<String> options, Path classLog) throws Exception {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--url-alias", "/static", FrontProcess.HELLO.resolve("static").toString(),
                "--", "python3", FrontProcess.HELLO.resolve("app.py").toString(), "{port}"));
        FrontProcess front = FrontProcess.start(args, Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classLog));
        try {
            return front.awaitStatus("/", 200, FrontProcess.STARTUP);
        } catch (Exception | AssertionError e) {
            front.close();
            throw e;
        }
    }

    /**
     * bin/front with its defaults, told the machine has 256 MiB (-XX:MaxRAM, as a cgroup limit would), holds 1,000
     * idle keep-alive connections and serves a burst of large files, uploads and large forwarded answers from 16
     * clients at once: every answer is whole and the front's RSS never passes its share of the limit.
     */
    @Test
    void withItsDefaultsInA256MiBPodTheFrontStaysInItsShareThroughABurst() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Gunicorn.BINARY), "Debian's gunicorn is not installed");
        Path files = Files.createDirectories(dir.resolve("static"));
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Files.write(files.resolve("big.bin"), big);
        Files.writeString(files.resolve("small.txt"), "small\n");
        int port = FrontProcess.freePort();
        List<String> command = new ArrayList<>(List.of("sh", LauncherScriptTest.SCRIPT.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--url-alias", "/static", files.toString()));
        command.addAll(FrontProcess.TRANSPORT);
        // gunicorn, as in a pod: the example app's own server (wsgiref) has a listen backlog of 5.
        command.addAll(List.of("--", Gunicorn.BINARY.toString(), "-w", "2", "-b", "127.0.0.1:{port}",
                "--chdir", FrontProcess.HELLO.toString(), "app:application"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("front.log").toFile());
        builder.environment().putAll(Map.of(
                "JAVA_HOME", Path.of(FrontProcess.JAVA).getParent().getParent().toString(),
                "FRONT_JAR", FrontProcess.JAR.toString(),
                "FRONT_AOT", "off", // the cache changes the start, not the memory under load; its training takes long
                "FRONT_JAVA_OPTS", "-XX:MaxRAM=" + POD_MIB + "m"));
        Process process = builder.start();
        List<RawHttp> idle = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong peakKib = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (sampling.get() && process.isAlive()) {
                peakKib.accumulateAndGet(rssKib(process.pid()), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            awaitPage(port, process);
            sampler.start();
            for (int i = 0; i < 1000; i++) {
                RawHttp http = RawHttp.connect(port, 30_000);
                idle.add(http);
                assertThat(http.get("/static/small.txt").status()).isEqualTo(200);
            }
            byte[] upload = new byte[256 * 1024];
            List<Future<?>> burst = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                burst.add(clients.submit(() -> {
                    try (RawHttp http = RawHttp.connect(port, 60_000)) {
                        for (int i = 0; i < 20; i++) {
                            assertThat(http.get("/static/big.bin").body()).isEqualTo(big);
                            assertThat(http.get("/bytes?n=1048576").body()).hasSize(1 << 20);
                            http.send(("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + upload.length
                                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            http.send(upload);
                            assertThat(http.read().bodyText()).contains("\"length\": " + upload.length);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : burst) {
                try {
                    client.get(5, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    throw new AssertionError("a client failed; the front's log:\n"
                            + Files.readString(dir.resolve("front.log")), e.getCause());
                }
            }
            for (RawHttp http : idle) {
                assertThat(http.get("/static/small.txt").status()).isEqualTo(200);
            }
            assertThat(process.isAlive()).isTrue();
        } finally {
            sampling.set(false);
            sampler.join();
            clients.shutdownNow();
            for (RawHttp http : idle) {
                http.close();
            }
            FrontProcess.killTree(process);
        }
        long peakMib = peakKib.get() / 1024;
        System.out.println("FootprintIT: the front's peak RSS " + peakMib + " MiB in a " + POD_MIB + " MiB pod");
        assertThat(peakMib).as("peak RSS in MiB; the log:\n" + Files.readString(dir.resolve("front.log")))
                .isLessThanOrEqualTo(SHARE_MIB);
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException gone) {
            // the front exited: the test fails on that elsewhere
        }
        return 0;
    }

    private static void awaitPage(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + FrontProcess.STARTUP.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (RawHttp http = RawHttp.connect(port)) {
                if (http.get("/").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, or the child is starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the front never served / (alive=" + process.isAlive() + ")");
    }
}
