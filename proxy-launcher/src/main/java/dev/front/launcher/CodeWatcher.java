package dev.front.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --reload-on-changes}: looks at the application's Python files under {@code --app-root} a few times a
 * second and, once an edit has settled (no further change at the next look), reports the first file that changed.
 * Polling rather than inotify: it sees files in directories made after the start and on any file system, and a
 * development tree is small. Static aliases, the temp directory, hidden files and directories and
 * {@code __pycache__} are not looked at: they change without the code changing.
 */
final class CodeWatcher implements AutoCloseable {

    static final long POLL_MILLIS = 400;
    /** More files than a development tree has: beyond it, the look would cost more than it is worth. */
    static final int MAX_FILES = 20_000;

    private static final Logger log = LoggerFactory.getLogger("front");

    /** When and how big a file was: a change in either is an edit. */
    private record Stamp(long modifiedNanos, long size) {
    }

    private final Path root;
    private final Set<Path> excluded;
    private final Consumer<Path> changed;
    private final Thread thread;
    private volatile boolean closed;
    private boolean warnedTooMany;

    private CodeWatcher(Path root, Set<Path> excluded, Consumer<Path> changed) {
        this.root = root;
        this.excluded = excluded;
        this.changed = changed;
        this.thread = Thread.ofPlatform().name("front-code-watch").daemon(true).unstarted(this::run);
    }

    /**
     * Starts watching {@code root}; {@code changed} is told (on the watcher's thread) of one changed file per
     * settled edit.
     *
     * @param excluded directories not to look into (the aliases, the temp directory)
     */
    static CodeWatcher start(Path root, List<Path> excluded, Consumer<Path> changed) {
        Set<Path> normalized = Set.copyOf(excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        CodeWatcher watcher = new CodeWatcher(root.toAbsolutePath().normalize(), normalized, changed);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        Map<Path, Stamp> seen = scan();
        Path pending = null;
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Map<Path, Stamp> now = scan();
            Path first = firstDifference(seen, now);
            seen = now;
            if (first != null) {
                pending = pending == null ? first : pending; // still being written: wait for the next look
            } else if (pending != null) {
                log.warn("--reload-on-changes: {} changed; replacing the child", root.relativize(pending));
                changed.accept(pending);
                pending = null;
            }
        }
    }

    private static Path firstDifference(Map<Path, Stamp> before, Map<Path, Stamp> after) {
        for (Map.Entry<Path, Stamp> entry : after.entrySet()) {
            if (!Objects.equals(before.get(entry.getKey()), entry.getValue())) {
                return entry.getKey();
            }
        }
        for (Path gone : before.keySet()) {
            if (!after.containsKey(gone)) {
                return gone;
            }
        }
        return null;
    }

    /** The .py files under the root, with their stamps. */
    Map<Path, Stamp> scan() {
        Map<Path, Stamp> files = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(root) && (name.startsWith(".") || name.equals("__pycache__")
                            || excluded.contains(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String name = file.getFileName().toString();
                    // not hidden files: an editor's lock and backup files (.#app.py) are not the code
                    if (name.endsWith(".py") && !name.startsWith(".") && attributes.isRegularFile()) {
                        files.put(file, new Stamp(attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                                attributes.size()));
                        if (files.size() >= MAX_FILES) {
                            return FileVisitResult.TERMINATE;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not code we can watch
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.debug("--reload-on-changes: cannot look at {}: {}", root, e.toString());
        }
        if (files.size() >= MAX_FILES && !warnedTooMany) {
            warnedTooMany = true;
            log.warn("--reload-on-changes: more than {} .py files under {}; only some are watched", MAX_FILES, root);
        }
        return files;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
