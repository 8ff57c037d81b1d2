package dev.front.core.alias;

import dev.front.config.Alias;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code --document-root DIR}: a request whose path names a regular file in DIR is served as by an alias at
 * {@code /}; a directory or a missing file goes on to the application, as mod_wsgi-express's rewrite rule
 * ({@code RewriteCond %{REQUEST_FILENAME} !-f}) sends it. The look-up is a stat, so it runs on threads of its own
 * rather than on the event loop: the file system can block (a slow disk, a network mount).
 */
public final class DocumentRoot implements AutoCloseable {

    /** Look-ups waiting beyond this fail at once (a 503), rather than queueing without bound. */
    private static final int QUEUE_LIMIT = 4096;

    private final Alias alias;
    private final ThreadPoolExecutor lookups;

    public DocumentRoot(Path directory) {
        this.alias = new Alias("/", directory);
        this.lookups = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_LIMIT),
                runnable -> {
                    Thread thread = new Thread(runnable, "front-document-root");
                    thread.setDaemon(true);
                    return thread;
                });
        lookups.allowCoreThreadTimeOut(true);
    }

    /** The document root as the alias the static file service serves it through. */
    public Alias alias() {
        return alias;
    }

    /**
     * Whether {@code path} (decoded and normalised: no dot segments, see {@link dev.front.core.http.RequestTarget})
     * names a regular file under the directory. Completes exceptionally when no look-up thread can take it.
     */
    public CompletableFuture<Boolean> hasFile(String path) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                Path file = alias.path().resolve(path.replaceFirst("^/+", "")).normalize();
                return file.startsWith(alias.path()) && Files.isRegularFile(file);
            }, lookups);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
