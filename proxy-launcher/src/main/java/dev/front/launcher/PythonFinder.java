package dev.front.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python that can import a given server module: the {@code python3} first on the PATH, then the
 * distribution's {@code /usr/bin/python3} (where Debian's gunicorn, waitress and uvicorn live).
 */
final class PythonFinder {

    private final List<String> candidates;

    PythonFinder(Map<String, String> environment) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        for (String dir : environment.getOrDefault("PATH", "").split(":")) {
            Path python = Path.of(dir.isEmpty() ? "." : dir, "python3");
            if (Files.isExecutable(python)) {
                found.add(python.toString());
                break;
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            found.add("/usr/bin/python3");
        }
        this.candidates = new ArrayList<>(found);
    }

    /** The first candidate that imports {@code module}, if any. */
    Optional<String> withModule(String module) {
        for (String python : candidates) {
            if (imports(python, module)) {
                return Optional.of(python);
            }
        }
        return Optional.empty();
    }

    List<String> candidates() {
        return candidates;
    }

    /** An executable on the PATH, if any. */
    static Optional<String> onPath(String name, Map<String, String> environment) {
        for (String dir : environment.getOrDefault("PATH", "").split(":")) {
            Path file = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(file)) {
                return Optional.of(file.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean imports(String python, String module) {
        try {
            Process probe = new ProcessBuilder(python, "-c", "import " + module)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!probe.waitFor(20, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
