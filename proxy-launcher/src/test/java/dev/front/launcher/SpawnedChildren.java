package dev.front.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real children a unit test spawns (register with {@code @RegisterExtension}): each is SIGKILLed with its
 * process group after the test, whatever the test left running.
 */
final class SpawnedChildren implements AfterEachCallback {

    /** A small environment, so that the tests do not depend on the one running them. */
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    private final List<ChildProcess> spawned = new ArrayList<>();

    /** {@code script} run by {@code /bin/sh -c}. */
    ChildProcess shell(String script) throws SpawnException {
        return track(ChildProcess.spawn(List.of("/bin/sh", "-c", script), ENV, null));
    }

    ChildProcess track(ChildProcess child) {
        spawned.add(child);
        return child;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (ChildProcess child : spawned) {
            child.signalGroup(Posix.SIGKILL);
            child.waitFor(Duration.ofSeconds(5));
        }
        spawned.clear();
    }
}
