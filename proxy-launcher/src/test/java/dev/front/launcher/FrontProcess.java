package dev.front.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real front.jar started as a process for an end-to-end test, on a free loopback port, with its stdout and
 * stderr kept in files. Always closed by the test (try-with-resources): a front still running is stopped with TERM
 * (so it cleans up after its child), then killed if it does not exit in time.
 */
final class FrontProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("front.jar", "target/front.jar")).toAbsolutePath();
    static final Path EXAMPLES = Path.of(System.getProperty("front.examples", "../examples")).toAbsolutePath();
    /** The bundled example app (stdlib wsgiref) and its static/ directory. */
    static final Path HELLO = EXAMPLES.resolve("hello");
    /** How long a front and its Python child get to start, on a loaded 2-core machine. */
    /**
     * The front's {@code --transport} options for this test run: empty (auto) unless the build asks for one
     * ({@code front.transport}), so that the end-to-end tests can run on each transport.
     */
    static final List<String> TRANSPORT = System.getProperty("front.transport") == null ? List.of()
            : List.of("--transport", System.getProperty("front.transport"));

    static final Duration STARTUP = Duration.ofSeconds(30);

    /** The JDK 25 running the tests (Maven's toolchain), also used to run the front. */
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;

    private FrontProcess(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the front with {@code --host 127.0.0.1 --port <free>} followed by {@code args}; does not wait. */
    static FrontProcess start(List<String> args) throws IOException {
        return start(args, Map.of());
    }

    /**
     * The front in front of the example app, its static/ under /static, with {@code options} first; waits until
     * a dynamic page is served.
     */
    static FrontProcess startHello(List<String> options) throws Exception {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--url-alias", "/static", HELLO.resolve("static").toString(),
                "--", "python3", HELLO.resolve("app.py").toString(), "{port}"));
        FrontProcess front = start(args);
        try {
            return front.awaitStatus("/", 200, STARTUP);
        } catch (Exception | AssertionError e) {
            front.close();
            throw e;
        }
    }

    static FrontProcess start(List<String> args, Map<String, String> environment) throws IOException {
        return start(args, environment, null);
    }

    /** As {@link #start(List)}, in {@code workingDirectory} (null: the test's own) with extra environment. */
    static FrontProcess start(List<String> args, Map<String, String> environment, Path workingDirectory)
            throws IOException {
        return start(List.of(), args, environment, workingDirectory);
    }

    /**
     * As {@link #start(List)}, through {@code wrapper}, a command that execs the JVM in its own process (e.g.
     * {@code prlimit --nofile=256:256}, a limit the JVM must have from its start).
     */
    static FrontProcess startWrapped(List<String> wrapper, List<String> args) throws IOException {
        return start(wrapper, args, Map.of(), null);
    }

    private static FrontProcess start(List<String> wrapper, List<String> args, Map<String, String> environment,
                                      Path workingDirectory) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=paranoid", "-jar", JAR.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(TRANSPORT);
        command.addAll(args);
        return launch(command, port, environment, workingDirectory);
    }

    /** Starts the front with exactly {@code args} (no host or port added), e.g. to test option errors. */
    static FrontProcess startRaw(List<String> args) throws IOException {
        return startRaw(List.of(), args);
    }

    /** As {@link #startRaw(List)}, with options for the JVM before {@code -jar}. */
    static FrontProcess startRaw(List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        return launch(command, -1, Map.of(), null);
    }

    private static FrontProcess launch(List<String> command, int port, Map<String, String> environment,
                                       Path workingDirectory) throws IOException {
        Path stdout = Files.createTempFile("front-out", ".log");
        Path stderr = Files.createTempFile("front-err", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        return new FrontProcess(builder.start(), port, stdout, stderr);
    }

    /** Ports {@link #freePort()} handed out in this JVM: the kernel may offer a closed one again at once. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * A loopback port free now and never handed out before in this test run. A test that starts a server of its
     * own on one port and then a front on another must not get the same number twice: whichever process binds
     * first wins, and the test would talk to the wrong one.
     */
    static synchronized int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the public port accepts connections. */
    FrontProcess awaitListening(Duration timeout) throws InterruptedException {
        if (!awaitPort(port, timeout)) {
            throw new AssertionError("front did not listen on " + port + " within " + timeout + "; alive="
                    + process.isAlive() + "\nstderr:\n" + stderr());
        }
        return this;
    }

    /** Waits until a GET of {@code path} answers {@code status} (e.g. 200 once the child is ready). */
    FrontProcess awaitStatus(String path, int status, Duration timeout) throws Exception {
        awaitListening(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try (RawHttp http = RawHttp.connect(port)) {
                last = http.get(path).status();
                if (last == status) {
                    return this;
                }
            } catch (IOException e) {
                last = -1;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never answered " + status + " (last: " + last + ")\nstderr:\n"
                + stderr());
    }

    static boolean awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** Sends a signal by name (TERM, INT, HUP ...) to the front. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for the front to exit and returns its status; fails the test after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("front still running after " + timeout + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** The child's Unix socket as the startup line names it ({@code child: ... on unix:/PATH;}); fails if none. */
    Path childSocket() {
        Matcher socket = Pattern.compile("; child: .* on unix:(/\\S+);").matcher(stderr());
        if (!socket.find()) {
            throw new AssertionError("the startup line names no child socket\nstderr:\n" + stderr());
        }
        return Path.of(socket.group(1));
    }

    /** The TCP ports the front's descendants (the child and its workers) listen on. */
    Set<Integer> childTcpPorts() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (ProcessHandle descendant : process.descendants().toList()) {
            try {
                ports.addAll(ProcFiles.tcpListeningPorts(descendant.pid()));
            } catch (java.nio.file.NoSuchFileException gone) {
                // exited while listed
            }
        }
        return ports;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to 10 s for {@code text} to appear on the front's stdout (the access log). */
    boolean awaitStdout(String text) throws InterruptedException {
        return awaitOutput(this::stdout, text);
    }

    /** Waits up to 10 s for {@code text} to appear on the front's stderr (its own log). */
    boolean awaitStderr(String text) throws InterruptedException {
        return awaitOutput(this::stderr, text);
    }

    private static boolean awaitOutput(Supplier<String> output, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (output.get().contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            try {
                // TERM first, so the front removes its child's socket directory; KILL whatever is left after 5 s
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    killTree(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killTree(process);
            }
        }
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }

    /** SIGKILLs {@code process} and everything below it, and waits up to 10 s for it to be gone. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
