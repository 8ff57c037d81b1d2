package dev.front.staticfiles;

import dev.front.config.Alias;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A bounded cache that lets a repeated request be answered on the event loop without touching the file system.
 *
 * <p>Staleness is bounded by {@link #TTL_NANOS} (one second): an entry older than that is never used, so a changed,
 * replaced or deleted file is seen at most a second late. Within that second the bytes and the validators sent
 * always belong together, because both come from the same open file.
 *
 * <p>Only what resolved to a real file is ever stored: a rejected or missing path never enters, so it can neither
 * shadow nor evict a real entry. Resolutions are keyed by (alias, sub-path) and point at the resolved file; open
 * files are keyed by the resolved file's real path, so several URLs of one file share one descriptor. When a map is
 * full, stale entries are swept and, if it is still full, the new entry is simply not cached.
 */
final class FileCache implements AutoCloseable {

    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a request path resolved to: the original file, its acceptable sidecars and the headers its name gives. */
    record Resolved(Resolution.Found original, Map<ContentCoding, Path> sidecars, NameHeaders names, long at) {
        Path pathFor(ContentCoding coding) {
            return coding == null ? original.file() : sidecars.get(coding);
        }
    }

    private record Key(Alias alias, String subPath) {
    }

    /** The coding is part of the key: {@code app.js.br} asked for by name is a different response from the sidecar. */
    private record FileKey(Path path, ContentCoding coding) {
    }

    private final int maxResolutions;
    private final int maxFiles;
    private final Map<Key, Resolved> resolutions = new ConcurrentHashMap<>();
    private final Map<FileKey, OpenFile> files = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    FileCache(int maxResolutions, int maxFiles) {
        this.maxResolutions = maxResolutions;
        this.maxFiles = maxFiles;
    }

    private static boolean fresh(long at, long now) {
        return now - at < TTL_NANOS;
    }

    /** A fresh resolution, or {@code null}. */
    Resolved resolved(Alias alias, String subPath) {
        Resolved resolved = resolutions.get(new Key(alias, subPath));
        return resolved != null && fresh(resolved.at(), System.nanoTime()) ? resolved : null;
    }

    void putResolved(Alias alias, String subPath, Resolution.Found original, Map<ContentCoding, Path> sidecars,
                     NameHeaders names) {
        long now = System.nanoTime();
        if (resolutions.size() >= maxResolutions) {
            resolutions.values().removeIf(r -> !fresh(r.at(), now));
            if (resolutions.size() >= maxResolutions) {
                return;
            }
        }
        resolutions.put(new Key(alias, subPath), new Resolved(original, Map.copyOf(sidecars), names, now));
    }

    /** A fresh open file with one reference for the caller, or {@code null}. */
    OpenFile file(Path path, ContentCoding coding) {
        OpenFile file = files.get(new FileKey(path, coding));
        if (file == null || !fresh(file.openedAt(), System.nanoTime())) {
            return null;
        }
        return file.tryRetain();
    }

    /** Keeps a reference of its own to {@code file} if there is room; the caller keeps its reference either way. */
    void putFile(Path path, OpenFile file) {
        long now = System.nanoTime();
        if (!fresh(lastSweep, now)) {
            // Stale entries of files nobody asks for any more would keep deleted files' space and descriptors.
            lastSweep = now;
            sweepFiles(now);
        }
        if (files.size() >= maxFiles) {
            sweepFiles(now);
            if (files.size() >= maxFiles) {
                return;
            }
        }
        file.retain();
        OpenFile previous = files.put(new FileKey(path, file.coding()), file);
        if (previous != null) {
            previous.release();
        }
    }

    private void sweepFiles(long now) {
        for (Map.Entry<FileKey, OpenFile> entry : files.entrySet()) {
            if (!fresh(entry.getValue().openedAt(), now) && files.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().release();
            }
        }
    }

    /** Drops every entry; responses still sending keep their files open until they finish. */
    @Override
    public void close() {
        resolutions.clear();
        for (Map.Entry<FileKey, OpenFile> entry : files.entrySet()) {
            if (files.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().release();
            }
        }
    }
}
