package dev.front.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the TLS certificates when their files change, without a restart.
 *
 * <p>It polls rather than using a WatchService: Kubernetes updates a secret volume by writing a new hidden
 * directory and swapping the {@code ..data} symlink the file names point through, so the file named on the command
 * line never changes itself; ConfigMaps, cert-manager's CSI driver and bind mounts each change things differently,
 * and inotify on some of those (overlay, network volumes) reports nothing. Every few seconds the front resolves each
 * path through its symlinks and compares the real file's identity (inode), modification time and size with the last
 * seen: any change in any file reloads the whole set once. A poll costs a few stat calls.
 */
public final class CertificateWatcher implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final TlsCertificates certificates;
    private final List<Path> files;
    private final ScheduledExecutorService timer;
    private List<Object> seen;

    private CertificateWatcher(TlsCertificates certificates) {
        this.certificates = certificates;
        this.files = certificates.files();
        this.seen = snapshot();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "front-tls-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static CertificateWatcher start(TlsCertificates certificates) {
        CertificateWatcher watcher = new CertificateWatcher(certificates);
        watcher.timer.scheduleWithFixedDelay(watcher::poll, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void poll() {
        List<Object> now = snapshot();
        if (!now.equals(seen)) {
            seen = now;
            certificates.reload();
        }
    }

    /** Per file: its real path, inode, modification time and size; a file that cannot be read counts as its error. */
    private List<Object> snapshot() {
        List<Object> state = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                Path real = file.toRealPath();
                BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
                state.add(List.of(real, Objects.requireNonNullElse(attributes.fileKey(), ""),
                        attributes.lastModifiedTime(), attributes.size()));
            } catch (IOException e) {
                state.add(e.getClass().getName());
            }
        }
        return state;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
