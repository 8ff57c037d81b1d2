package dev.front.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orphan reaping needs a process that orphans come to, and the test JVM must not become one: each case runs
 * {@link OrphanProbe} in a JVM of its own, bounded in time.
 */
@Timeout(90)
class OrphanReaperTest {

    @Test
    void asPid1InANewPidNamespaceNoZombieIsLeft() throws Exception {
        String report = runProbe(true, "reap");
        assertThat(report).startsWith("pid=1 subreaper=false ").contains(" child=5 ", " reaped=100 ", " zombies=0 ");
    }

    @Test
    void asSubreaperNoZombieIsLeft() throws Exception {
        String report = runProbe(false, "reap");
        assertThat(report).doesNotStartWith("pid=1 ").contains(" subreaper=true ", " child=5 ", " reaped=100 ", " zombies=0 ");
    }

    @Test
    void withoutTheReaperTheOrphansStayZombies() throws Exception {
        // the control: the same scene without the reaper leaves every grandchild a zombie of the probe
        String report = runProbe(false, "no-reap");
        assertThat(report).contains(" child=5 ", " zombies=100 ");
    }

    private static String runProbe(boolean asPid1, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPid1) {
            // --kill-child: if the test gives up and kills unshare, the namespace's PID 1 and all in it die too
            command.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), OrphanProbe.class.getName(), mode));
        Process probe = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("probe finished in time").isTrue();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(probe.exitValue()).as(out).isZero();
            System.out.println("orphan probe (" + (asPid1 ? "PID 1" : "subreaper") + ", " + mode + "): " + out);
            return out;
        } finally {
            probe.destroyForcibly();
            probe.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
