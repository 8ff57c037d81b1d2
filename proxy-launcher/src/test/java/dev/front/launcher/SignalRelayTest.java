package dev.front.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real signals sent to this JVM, relayed to a real child; the handlers are put back after each test. */
@Timeout(60)
class SignalRelayTest {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private ChildProcess child;
    private SignalRelay relay;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
        if (child != null) {
            child.signalGroup(Posix.SIGKILL);
            child.waitFor(Duration.ofSeconds(5));
        }
    }

    private void install(int stopSignal) {
        relay = SignalRelay.install(() -> Optional.ofNullable(child), new SignalRelay.Listener() {
            @Override
            public void shutdownRequested(int signal) {
                events.add("shutdown " + signal);
            }

            @Override
            public void childStateChanged() {
                events.add("child");
            }
        }, stopSignal, new PrintStream(warnings, true, StandardCharsets.UTF_8));
    }

    @Test
    void relaysToTheChildPidAndNotToItsGroup(@TempDir Path dir) throws Exception {
        Path seen = dir.resolve("seen");
        Path ready = dir.resolve("ready");
        String traps = String.join(" ", SignalRelay.RELAYED.stream()
                .map(name -> "trap 'echo " + name + " >> " + seen + "' " + name + ";").toList());
        // the grandchild, in the same group, records anything that reaches it as GRAND-<name>
        String grandTraps = traps.replace("'echo ", "'echo GRAND-");
        child = ChildProcess.spawn(List.of("/bin/sh", "-c",
                "/bin/sh -c \"" + grandTraps + " while :; do sleep 0.05; done\" & "
                        + traps + " touch " + ready + "; while :; do sleep 0.05; done"),
                Map.of("PATH", "/usr/bin:/bin"), null);
        install(Posix.SIGTERM);
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> Files.exists(ready))).isTrue();
        Thread.sleep(200); // let the grandchild install its traps as well

        for (int signal : List.of(Posix.SIGHUP, Posix.SIGUSR1, Posix.SIGTTIN, Posix.SIGTTOU, Posix.SIGWINCH)) {
            Posix.kill(Posix.getpid(), signal);
        }
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> lines(seen).size() >= 5)).isTrue();
        Thread.sleep(300); // a wrongly relayed signal to the group would reach the grandchild by now
        assertThat(lines(seen)).containsExactlyInAnyOrderElementsOf(SignalRelay.RELAYED);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void termAndIntAskForShutdownAndTheStopSignalIsTheServers() throws Exception {
        child = ChildProcess.spawn(List.of("sleep", "30"), Map.of(), null);
        install(Posix.SIGINT);
        Posix.kill(Posix.getpid(), Posix.SIGTERM);
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("shutdown " + Posix.SIGTERM);
        Posix.kill(Posix.getpid(), Posix.SIGINT);
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("shutdown " + Posix.SIGINT);
        assertThat(child.isAlive()).as("TERM is not relayed by itself").isTrue();

        relay.sendStop();
        assertThat(child.waitFor()).isEqualTo(128 + Posix.SIGINT);
    }

    @Test
    void childExitIsReported() throws Exception {
        install(Posix.SIGTERM);
        ChildProcess quick = ChildProcess.spawn(List.of("true"), Map.of("PATH", "/usr/bin:/bin"), null);
        assertThat(quick.waitFor()).isZero();
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("child");
    }

    @Test
    void warnsWhenTermWasInheritedAsIgnored() throws Exception {
        // HotSpot silently refuses TERM handlers when TERM was ignored at start: only a fresh JVM shows it
        Process probe = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; exec \"$0\" \"$@\"",
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SignalProbe.class.getName()).start();
        try {
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(err.lines().toList()).containsExactly(
                    "front: warning: SIGTERM was ignored when the front started;"
                            + " it cannot be caught and will not reach the child");
        } finally {
            probe.destroyForcibly();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
