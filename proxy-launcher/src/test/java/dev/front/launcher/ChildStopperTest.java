package dev.front.launcher;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real children. The test JVM is no subreaper, so leftovers go to the machine's init and are checked by pid
 * ("gone or a zombie"); the front as PID 1 is covered by SupervisionIT.
 */
@Timeout(30)
class ChildStopperTest {

    private static final Duration GRACE = Duration.ofMillis(500);

    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
    private final ChildStopper stopper = new ChildStopper(() -> 0,
            new PrintStream(messages, true, StandardCharsets.UTF_8));
    @RegisterExtension
    final SpawnedChildren children = new SpawnedChildren();

    private ChildProcess spawn(String script) throws SpawnException {
        return children.shell(script);
    }

    @Test
    void aChildThatObeysExitsWithItsOwnStatusAtOnce(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        ChildProcess child = spawn("trap 'exit 0' INT; touch " + ready + "; while :; do sleep 0.05; done");
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> Files.exists(ready))).isTrue();
        long start = System.nanoTime();
        assertThat(stopper.stop(child, Posix.SIGINT, GRACE)).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(messages.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aChildThatIgnoresItsStopSignalIsKilledAfterTheGrace(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        ChildProcess child = spawn("trap '' TERM; touch " + ready + "; while :; do sleep 0.05; done");
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> Files.exists(ready))).isTrue();
        long start = System.nanoTime();
        assertThat(stopper.stop(child, Posix.SIGTERM, GRACE)).isEqualTo(128 + Posix.SIGKILL);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(messages.toString(StandardCharsets.UTF_8)).contains("--graceful-timeout", "SIGKILL");
    }

    @Test
    void leftoversInTheGroupGetTermThenKill(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        // one leftover dies on TERM, one ignores it and needs KILL; the child itself exits at once on TERM
        ChildProcess child = spawn("sleep 60 & echo $! >> " + pids + "; "
                + "sh -c \"trap '' TERM; while :; do sleep 0.05; done\" & echo $! >> " + pids + "; "
                + "trap 'exit 0' TERM; while :; do sleep 0.05; done");
        assertThat(ProcFiles.await(Duration.ofSeconds(5), () -> lines(pids).size() == 2)).isTrue();
        Thread.sleep(100); // the TERM-ignoring leftover installs its trap
        assertThat(stopper.stop(child, Posix.SIGTERM, GRACE)).isZero();
        for (String pid : lines(pids)) {
            assertThat(ProcStat.of(Long.parseLong(pid)).map(ProcStat::isZombie).orElse(true))
                    .as("leftover " + pid + " is dead").isTrue();
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
