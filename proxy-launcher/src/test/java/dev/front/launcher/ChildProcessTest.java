package dev.front.launcher;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ChildProcessTest {

    private static final Map<String, String> ENV = SpawnedChildren.ENV;

    @RegisterExtension
    final SpawnedChildren children = new SpawnedChildren();

    private ChildProcess spawn(String script) throws SpawnException {
        return children.shell(script);
    }

    private ChildProcess track(ChildProcess child) {
        return children.track(child);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 7, 42, 126, 127, 128, 200, 255})
    void reportsTheExitCode(int code) throws Exception {
        assertThat(spawn("exit " + code).waitFor()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {Posix.SIGKILL, Posix.SIGTERM, Posix.SIGHUP, Posix.SIGUSR1})
    void reportsDeathBySignalAs128PlusN(int signal) throws Exception {
        assertThat(spawn("kill -" + signal + " $$").waitFor()).isEqualTo(128 + signal);
    }

    @Test
    void statusIsCachedAfterTheFirstWait() throws Exception {
        ChildProcess child = spawn("exit 7");
        assertThat(child.waitFor()).isEqualTo(7);
        assertThat(child.waitFor()).isEqualTo(7);
        assertThat(child.waitFor(Duration.ZERO)).isTrue();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void missingCommandIs127AndNamesIt() {
        assertThatThrownBy(() -> ChildProcess.spawn(List.of("no-such-command-front-test"), ENV, null))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.exitStatus()).isEqualTo(127);
                    assertThat(e.getMessage()).contains("no-such-command-front-test").doesNotContain("\n");
                });
    }

    @Test
    void refusesArgumentsACStringWouldCutShort() {
        assertThatThrownBy(() -> ChildProcess.spawn(List.of("echo", "a\0b"), ENV, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a?b");
    }

    @Test
    void nonExecutableFileIs126(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("app.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ChildProcess.spawn(List.of(script.toString()), ENV, null))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.exitStatus()).isEqualTo(126);
                    assertThat(e.getMessage()).contains(script.toString());
                });
    }

    @Test
    void searchesThePathAndPassesExactlyTheEnvironmentAndDirectory(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        ChildProcess child = track(ChildProcess.spawn(
                List.of("sh", "-c", "echo \"$FRONT_TEST|$HOME|$(pwd)\" > out"),
                Map.of("PATH", "/usr/bin:/bin", "FRONT_TEST", "a b"), dir));
        assertThat(child.waitFor()).isZero();
        // HOME is set in the test JVM's environment but must not leak: the child gets env and nothing else
        assertThat(Files.readString(out).trim()).isEqualTo("a b||" + dir.toRealPath());
    }

    @Test
    void childStartsWithNoBlockedAndNoIgnoredSignals() throws Throwable {
        ChildProcess child;
        Process control;
        try (TestSignals dirty = new TestSignals(TestSignals.SIGPWR)) {
            // no shell: dash blocks every signal for a moment while it forks, which /proc would show
            child = track(ChildProcess.spawn(List.of("sleep", "20"), ENV, null));
            control = new ProcessBuilder("sleep", "20").start();
        }
        try {
            // the control shows the dirty state is real and inheritable: a plain spawn passes SIGPWR ignored on
            long bit = TestSignals.maskBit(TestSignals.SIGPWR);
            assertThat(ProcFiles.statusMask(control.pid(), "SigIgn") & bit).isEqualTo(bit);
            assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> execed(child.pid()))).isTrue();
            assertThat(ProcFiles.statusMask(child.pid(), "SigBlk")).isZero();
            assertThat(ProcFiles.statusMask(child.pid(), "SigIgn")).isZero();
        } finally {
            control.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @EnumSource(PosixSpawn.CloseMethod.class)
    void childInheritsNoSocket(PosixSpawn.CloseMethod closeMethod) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(ProcFiles.inheritableSockets()).as("sockets of the JVM a child could inherit").isNotEmpty();
            ChildProcess child = track(ChildProcess.spawn(List.of("sleep", "20"), ENV, null, closeMethod));
            assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> execed(child.pid()))).isTrue();
            // Just after the exec the dynamic loader holds libc open for a moment: wait for the 3 standard ones.
            ProcFiles.await(Duration.ofSeconds(5), () -> descriptorCount(child.pid()) <= 3);
            assertThat(ProcFiles.descriptorTargets(child.pid()))
                    .noneMatch(target -> target.startsWith("socket:"))
                    .hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void childLeadsItsOwnSession() throws Exception {
        ChildProcess child = spawn("sleep 20");
        ProcStat stat = ProcStat.of(child.pid()).orElseThrow();
        assertThat(stat.session()).isEqualTo(child.pid());
        assertThat(stat.pgrp()).isEqualTo(child.pid());
        assertThat(stat.session()).isNotEqualTo(ProcStat.of(Posix.getpid()).orElseThrow().session());
    }

    @Test
    void timedWaitSignalAndLiveness() throws Exception {
        ChildProcess child = spawn("sleep 20");
        assertThat(child.waitFor(Duration.ofMillis(200))).isFalse();
        assertThat(child.isAlive()).isTrue();
        child.signal(Posix.SIGTERM);
        assertThat(child.waitFor(Duration.ofSeconds(5))).isTrue();
        assertThat(child.waitFor()).isEqualTo(128 + Posix.SIGTERM);
        assertThat(child.isAlive()).isFalse();
        child.signal(Posix.SIGTERM); // after the reap: a no-op, never a recycled pid
    }

    @Test
    void signalGoesToThePidOnlyAndSignalGroupToEveryMember(@TempDir Path dir) throws Exception {
        Path grandchildPid = dir.resolve("grandchild");
        // the trap first: the test signals as soon as the pid file is there
        ChildProcess child = spawn("trap 'exit 3' USR1; sleep 30 & echo $! > " + grandchildPid + "; wait; wait");
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> Files.exists(grandchildPid)
                && !readQuietly(grandchildPid).isBlank())).isTrue();
        long grandchild = Long.parseLong(readQuietly(grandchildPid).trim());

        child.signal(Posix.SIGUSR1);
        assertThat(child.waitFor()).isEqualTo(3);
        assertThat(ProcStat.of(grandchild)).as("untouched by a signal to the pid").isPresent()
                .get().extracting(ProcStat::state).isNotEqualTo('Z');
        assertThat(child.groupExists()).isTrue();

        child.signalGroup(Posix.SIGKILL);
        // the orphan now belongs to the machine's init, which may be slow to reap: dead is enough
        assertThat(ProcFiles.await(Duration.ofSeconds(5),
                () -> ProcStat.of(grandchild).map(ProcStat::isZombie).orElse(true))).isTrue();
    }

    @Test
    void groupIsGoneOnceItsOnlyMemberIsReaped() throws Exception {
        // no shell: dash would fork sleep, and that orphan would stay in the group until init reaps it
        ChildProcess child = track(ChildProcess.spawn(List.of("sleep", "20"), ENV, null));
        assertThat(child.groupExists()).isTrue();
        child.signalGroup(Posix.SIGKILL);
        assertThat(child.waitFor()).isEqualTo(128 + Posix.SIGKILL);
        assertThat(child.groupExists()).isFalse();
        child.signalGroup(Posix.SIGKILL); // nobody left: not an error
    }

    private static boolean execed(long pid) {
        // glibc's posix_spawn returns after the exec, but nothing in POSIX promises that
        try {
            return !Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString().contains("java");
        } catch (IOException e) {
            return false;
        }
    }

    private static int descriptorCount(long pid) {
        try {
            return ProcFiles.descriptorTargets(pid).size();
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
