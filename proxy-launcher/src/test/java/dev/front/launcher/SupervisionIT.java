package dev.front.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real front.jar as PID 1 of a new PID namespace ({@code unshare --pid --fork --mount-proc}), the way it
 * runs as a container's entrypoint, with small scripted children (src/test/resources/supervision/child.py).
 * The test sees the namespace from outside: host pids, host /proc.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisionIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static Path childScript;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private final List<RunningFront> started = new ArrayList<>();
    private final String tag = UUID.randomUUID().toString();

    @BeforeAll
    static void copyChildScript() throws IOException {
        try (InputStream in = SupervisionIT.class.getResourceAsStream("/supervision/child.py")) {
            childScript = shared.resolve("child.py");
            Files.copy(in, childScript, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterEach
    void stopEverything() {
        started.forEach(RunningFront::close);
    }

    // ---- exit status ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 42, 127, 128, 200, 255})
    void exitsWithTheChildsStatusAfterTerm(int code) throws Exception {
        RunningFront front = start(List.of(), child("on-term=exit:" + code));
        front.awaitServing();
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {Posix.SIGKILL, 6, 11, Posix.SIGUSR1})
    void exitsWith128PlusNWhenTheChildDiesOfSignalN(int signal) throws Exception {
        RunningFront front = start(List.of(), child("on-term=signal:" + signal));
        front.awaitServing();
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(128 + signal);
    }

    @Test
    void missingCommandIs127() throws Exception {
        RunningFront front = start(List.of(), List.of("no-such-command-front-it"));
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(127);
        assertThat(front.stderr()).contains("no-such-command-front-it", "not found");
    }

    @Test
    void nonExecutableCommandIs126() throws Exception {
        Path script = Files.writeString(dir.resolve("app.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        RunningFront front = start(List.of(), List.of(script.toString()));
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(126);
        assertThat(front.stderr()).contains(script.toString());
    }

    // ---- signals -------------------------------------------------------------------------------------

    @Test
    void relaysEachSignalToTheChild() throws Exception {
        Path seen = dir.resolve("seen");
        // HUP replaces the child by default; relayed, it reaches the child like the others
        RunningFront front = start(List.of("--on-hup", "relay"), child("signals=" + seen));
        front.awaitServing();
        for (int signal : List.of(Posix.SIGHUP, Posix.SIGUSR1, Posix.SIGTTIN, Posix.SIGTTOU, Posix.SIGWINCH)) {
            front.signal(signal);
        }
        assertThat(ProcFiles.await(Duration.ofSeconds(10), () -> lines(seen).size() >= 5)).isTrue();
        assertThat(lines(seen)).containsExactlyInAnyOrder("SIGHUP", "SIGUSR1", "SIGTTIN", "SIGTTOU", "SIGWINCH");
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isZero();
    }

    @Test
    void childStartsCleanInItsOwnSessionWithoutTheListeningSocket() throws Exception {
        // never listens: the front stays in its startup wait, which a TERM must also end properly
        RunningFront front = start(List.of("--startup-timeout", "30"), List.of("sleep", "60"));
        long child = front.childPid();
        assertThat(ProcFiles.statusMask(child, "SigBlk")).isZero();
        assertThat(ProcFiles.statusMask(child, "SigIgn")).isZero();
        assertThat(ProcFiles.descriptorTargets(front.pid())).anyMatch(t -> t.startsWith("socket:"));
        assertThat(ProcFiles.descriptorTargets(child)).noneMatch(t -> t.startsWith("socket:"));
        ProcStat stat = ProcStat.of(child).orElseThrow();
        assertThat(stat.session()).isEqualTo(child);
        assertThat(stat.pgrp()).isEqualTo(child);
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(128 + Posix.SIGTERM);
    }

    // ---- PID 1: orphans ------------------------------------------------------------------------------

    @ParameterizedTest(name = "as PID 1: {0}")
    @ValueSource(booleans = {true, false})
    void hundredOrphanedGrandchildrenLeaveNoZombie(boolean asPid1) throws Exception {
        // not PID 1, the front is a child subreaper: the orphans still come to it
        RunningFront front = start(List.of("--log-level", "info"), child("orphans=100"), asPid1);
        front.awaitServing();
        long self = front.pid();
        long child = front.childPid();
        // the sleeps (0.3 s) re-parent to the front, exit, and must be reaped; only the child stays its child
        boolean clean = ProcFiles.await(Duration.ofSeconds(10), () -> ProcStat.all().stream()
                .filter(p -> p.ppid() == self).allMatch(p -> p.pid() == child));
        assertThat(clean).as("children of the front: only the child, no zombie").isTrue();
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isZero();
        assertThat(front.stderr()).contains("reaped 100 orphaned processes");
    }

    // ---- restart -------------------------------------------------------------------------------------

    @Test
    void aCrashedChildIsRestartedAndServedAgain() throws Exception {
        RunningFront front = start(List.of(), child("crash-once=" + dir.resolve("crashed")));
        String first = front.awaitServing();
        boolean servedByANewChild = ProcFiles.await(Duration.ofSeconds(15), () -> {
            String body = front.getQuietly();
            return body.contains("tag=" + tag) && !body.equals(first);
        });
        assertThat(servedByANewChild).as(front.stderr()).isTrue();
        assertThat(front.stderr()).contains("exited with status 1; restarting in 1.0s");
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isZero();
    }

    @Test
    void aRestartedChildMovesToANewPortWhenALeakedWorkerStillHoldsTheOldOne() throws Exception {
        // not PID 1: the pids the test reads (the leaked grandchild writes its own) must be the host's
        RunningFront front = start(List.of(), child("port={port}", "leak-once=" + dir), false);
        Path leakedPidFile = dir.resolve("leaked-pid");
        long leaked = -1;
        try {
            String first = front.awaitServing();
            String oldPort = field(first, "port");
            assertThat(ProcFiles.await(Duration.ofSeconds(10), () -> Files.exists(leakedPidFile)))
                    .as("the grandchild holding the port started").isTrue();
            leaked = Long.parseLong(Files.readString(leakedPidFile).trim());
            Posix.kill(front.childPid(), Posix.SIGKILL);

            String[] served = {""};
            boolean movedAndServed = ProcFiles.await(Duration.ofSeconds(20), () -> {
                String body = front.getQuietly();
                served[0] = body;
                return body.contains("tag=" + tag) && !field(body, "port").equals(oldPort);
            });
            assertThat(movedAndServed).as("a 200 from a child on a port other than %s; last: %s; stderr: %s",
                    oldPort, served[0], front.stderr()).isTrue();
            String newPort = field(served[0], "port");
            assertThat(front.stderr()).containsPattern("WARN front - the child's address \\S+:" + oldPort
                    + " is still in use \\(.*\\); the child moves to \\S+:" + newPort + "\n");
            front.signal(Posix.SIGTERM);
            assertThat(front.awaitExit()).as(front::stderr).isZero();
        } finally {
            killLeaked(leaked, leakedPidFile);
        }
    }

    /** The leaked grandchild outlives the front when it is not PID 1: always killed, and only if it is ours. */
    private void killLeaked(long known, Path pidFile) throws IOException {
        long pid = known;
        if (pid < 0 && Files.exists(pidFile)) {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        }
        if (pid > 0) {
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            try {
                if (Files.readString(cmdline).contains(tag)) {
                    Posix.kill(pid, Posix.SIGKILL);
                }
            } catch (IOException gone) {
                // exited already
            }
        }
    }

    /** The value of {@code name=} in a child's answer ({@code pid=.. port=.. tag=..}), or "" when absent. */
    private static String field(String body, String name) {
        for (String part : body.trim().split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "";
    }

    @Test
    void aCrashLoopGivesUpWithTheChildsStatus() throws Exception {
        long start = System.nanoTime();
        RunningFront front = start(List.of(), List.of("/bin/sh", "-c", "exit 9"));
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(9);
        String err = front.stderr();
        assertThat(err.lines().filter(l -> l.contains("restarting in"))).hasSize(RestartPolicy.DEFAULT_RETRIES);
        assertThat(err).contains("not restarting");
        // backoff 1 s + 2 s + 3 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void gunicornsAppLoadErrorIsNeverRestarted() throws Exception {
        RunningFront front = start(List.of(), List.of("/bin/sh", "-c", "exit 4"));
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(4);
        assertThat(front.stderr()).doesNotContain("restarting in").contains("gunicorn");
    }

    // ---- graceful stop -------------------------------------------------------------------------------

    @Test
    void aChildIgnoringTermIsKilledAfterTheGracePeriod() throws Exception {
        RunningFront front = start(List.of("--graceful-timeout", "2"), child("on-term=ignore"));
        front.awaitServing();
        long start = System.nanoTime();
        front.signal(Posix.SIGTERM);
        assertThat(front.awaitExit()).as(front::stderr).isEqualTo(128 + Posix.SIGKILL);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(front.stderr()).contains("SIGKILL");
    }

    @Test
    void termUnderLoadFailsNoRequestThatWasAlreadyAccepted() throws Exception {
        // the child exits the moment it gets TERM: only draining before relaying it saves the requests in flight
        RunningFront front = start(List.of("--graceful-timeout", "10"), child("on-term=exit:0"));
        front.awaitServing();
        int requests = 20;
        List<Future<String>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(requests)) {
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> front.getQuietly("/slow?ms=1500")));
            }
            Thread.sleep(500); // all of them are in the child by now
            front.signal(Posix.SIGTERM);
            for (var answer : answers) {
                assertThat(answer.get(20, TimeUnit.SECONDS)).contains("tag=" + tag);
            }
        }
        assertThat(front.awaitExit()).as(front::stderr).isZero();
    }

    @Test
    void aConnectionClosingLingeringDoesNotHoldTheExit() throws Exception {
        // Its response asks to close, so the front drains the client's side (lingering close) for up to 5 s of quiet;
        // on TERM that drain must not hold the exit.
        RunningFront front = start(List.of("--graceful-timeout", "10"), child());
        front.awaitServing();
        try (RawHttp http = RawHttp.connect(front.port, 10_000)) {
            http.send("GET /slow?ms=1000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            Thread.sleep(300);
            front.signal(Posix.SIGTERM);
            assertThat(http.read().bodyText()).contains("tag=" + tag);
            long answered = System.nanoTime();
            assertThat(front.awaitExit()).as(front::stderr).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).as("the socket is still open on this side")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** The scripted child; every answer carries a tag unique to this run (see RunningFront#awaitServing). */
    private List<String> child(String... options) {
        List<String> command = new ArrayList<>(List.of(PYTHON, childScript.toString(), "tag=" + tag));
        command.addAll(List.of(options));
        return command;
    }

    private RunningFront start(List<String> options, List<String> childCommand) throws IOException {
        return start(options, childCommand, true);
    }

    private RunningFront start(List<String> options, List<String> childCommand, boolean asPid1) throws IOException {
        RunningFront front = RunningFront.start(dir, options, childCommand, tag, asPid1);
        started.add(front);
        return front;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** front.jar as PID 1 of a new PID namespace (or as a plain process); pids are the host's. */
    private static final class RunningFront implements AutoCloseable {

        private final Process process; // unshare, or the front itself when it does not run as PID 1
        private final boolean asPid1;
        private final int port;
        private final Path stderr;
        private final String tag;
        private final List<String> signalled = new CopyOnWriteArrayList<>();

        private RunningFront(Process process, boolean asPid1, int port, Path stderr, String tag) {
            this.process = process;
            this.asPid1 = asPid1;
            this.port = port;
            this.stderr = stderr;
            this.tag = tag;
        }

        static RunningFront start(Path dir, List<String> options, List<String> childCommand, String tag,
                                  boolean asPid1) throws IOException {
            int port = FrontProcess.freePort();
            List<String> command = new ArrayList<>();
            if (asPid1) {
                command.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
            }
            command.addAll(List.of(FrontProcess.JAVA,
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", FrontProcess.JAR.toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port)));
            command.addAll(FrontProcess.TRANSPORT);
            command.addAll(options);
            command.add("--");
            command.addAll(childCommand);
            Path stderr = Files.createTempFile(dir, "front", ".err");
            Process process = new ProcessBuilder(command).redirectInput(Path.of("/dev/null").toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
            return new RunningFront(process, asPid1, port, stderr, tag);
        }

        /** The front's host pid (unshare's forked child, which is PID 1 inside). */
        long pid() throws InterruptedException {
            return asPid1 ? awaitOnlyChild(process.toHandle(), "the front") : process.pid();
        }

        /** The child's host pid. */
        long childPid() throws InterruptedException {
            return awaitOnlyChild(ProcessHandle.of(pid()).orElseThrow(), "the child");
        }

        private long awaitOnlyChild(ProcessHandle parent, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                Optional<ProcessHandle> child = parent.children().findFirst();
                if (child.isPresent()) {
                    return child.get().pid();
                }
                Thread.sleep(20);
            }
            throw new AssertionError(what + " did not start; stderr: " + stderr());
        }

        void signal(int signal) throws InterruptedException {
            long pid = pid();
            signalled.add(pid + ":" + signal + ":" + ProcStat.of(pid).map(ProcStat::toString).orElse("gone"));
            Posix.kill(pid, signal);
        }

        /**
         * Waits until a GET through the front is answered 200 by our own child; returns the body. The tag
         * matters: other fronts run on this machine, and the free port picked for ours may be taken meanwhile.
         */
        String awaitServing() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String body = getQuietly();
                if (body.contains("tag=" + tag)) {
                    return body;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the front exited with " + process.exitValue() + ": " + stderr());
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the front did not serve in time; stderr: " + stderr());
        }

        /** The body of a 200 answer to GET /, or "" for anything else (refused, reset, other status). */
        String getQuietly() {
            return getQuietly("/");
        }

        /** The body of a 200 answer to GET target, or "" for anything else (refused, reset, other status). */
        String getQuietly(String target) {
            // Connection: close, so a finished request leaves no idle connection for the drain to wait for
            try (RawHttp http = RawHttp.connect(port, 5000)) {
                RawHttp.Response response = http.send("GET " + target
                        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
                return response.status() == 200 ? response.bodyText() : "";
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }

        /** The front's exit status; a front that does not exit in time fails the test with its thread dump. */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                throw new AssertionError("the front did not exit in time; stderr: " + stderr() + "\n" + threadDump());
            }
            return process.exitValue();
        }

        private String threadDump() {
            try {
                StringBuilder signals = new StringBuilder("signalled pids: " + signalled + "\n");
                long pid = pid();
                try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                    for (Path task : tasks.toList()) {
                        signals.append(task.getFileName()).append(' ')
                                .append(Files.readString(task.resolve("comm")).trim()).append(": ");
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("Sig") || line.startsWith("ShdPnd")) {
                                signals.append(line.replace('\t', ' ')).append("; ");
                            }
                        }
                        signals.append('\n');
                    }
                }
                return signals + threadDumpOnly();
            } catch (IOException | InterruptedException e) {
                return "(no signal state: " + e + ")" + threadDumpOnly();
            }
        }

        private String threadDumpOnly() {
            try {
                Path jstack = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jstack");
                Process dump = new ProcessBuilder(jstack.toString(), Long.toString(pid())).redirectErrorStream(true)
                        .start();
                if (!dump.waitFor(15, TimeUnit.SECONDS)) {
                    dump.destroyForcibly();
                }
                return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                return "(no thread dump: " + e + ")";
            }
        }

        String stderr() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        @Override
        public void close() {
            // --kill-child: killing unshare SIGKILLs the namespace's PID 1, and with it everything inside
            FrontProcess.killTree(process);
        }
    }
}
