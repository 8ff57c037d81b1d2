package dev.front.staticfiles;

import dev.front.core.alias.AliasRequest;
import dev.front.core.alias.AliasService;
import dev.front.core.alias.Offload;
import dev.front.core.compress.Compressors;
import dev.front.core.connection.ErrorResponses;
import dev.front.core.connection.RequestAttributes;
import dev.front.core.http.Failure;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves files under {@code --url-alias} (docs/static-files.md). Called by the router on the client channel's
 * event loop. A file seen within the last second is answered right there from the {@link FileCache}; otherwise the
 * file-system work (resolving, stat, open) runs on a small executor of its own, because it can block on slow disks
 * and special files, and the response is written back on the event loop with sendfile.
 */
public final class StaticFileService implements AliasService, AutoCloseable {

    /** Requests waiting for a file-system thread beyond this are answered 503 at once rather than queued forever. */
    private static final int QUEUE_LIMIT = 4096;

    private final FileCache cache = new FileCache(4096, 512);
    private final ResponsePlanner planner;
    private final Executor fileSystem;
    private final ExecutorService owned;

    /** @param directoryIndex the {@code --directory-index} file name served for a directory URL ending in {@code /} */
    public StaticFileService(String directoryIndex) {
        this(directoryIndex, (Compressors) null);
    }

    /**
     * @param compressors with {@code --compress-responses}, the codings files without a sidecar are compressed in
     *                    (once, kept in a cache of {@link CompressedFiles#DEFAULT_CAPACITY} bytes); {@code null}: off
     */
    public StaticFileService(String directoryIndex, Compressors compressors) {
        this(directoryIndex, newFileSystemExecutor(), true,
                compressors == null ? null : new CompressedFiles(compressors, CompressedFiles.DEFAULT_CAPACITY));
    }

    /** For tests: runs the file-system work on the given executor, which the service does not own. */
    StaticFileService(String directoryIndex, Executor fileSystem) {
        this(directoryIndex, fileSystem, false, null);
    }

    private StaticFileService(String directoryIndex, Executor fileSystem, boolean owned, CompressedFiles compressed) {
        this.planner = new ResponsePlanner(new PathResolver(directoryIndex), cache, compressed);
        this.fileSystem = fileSystem;
        this.owned = owned ? (ExecutorService) fileSystem : null;
    }

    @Override
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target) {
        return serve(ctx, request, target, EmptyHttpHeaders.INSTANCE);
    }

    /** {@code kept}: the headers of the child that named this file, which replace ours on a 2xx ({@link Offload}). */
    @Override
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, AliasRequest target,
                               HttpHeaders kept) {
        RequestFacts facts = RequestFacts.of(request);
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return respond(ctx, facts, StatusResponses.of(HttpResponseStatus.METHOD_NOT_ALLOWED, facts), kept);
        }
        ResponsePlan cached = planner.planFromCache(facts, target);
        if (cached != null) {
            return respond(ctx, facts, cached, kept); // a file seen within the last second: no file-system work at all
        }
        ChannelPromise done = ctx.newPromise();
        try {
            fileSystem.execute(() -> {
                ResponsePlan plan;
                try {
                    plan = planner.plan(facts, target);
                } catch (RuntimeException e) {
                    // a defect, not a bad path: those are all mapped to 4xx by the resolver and the planner
                    plan = failure(ctx, facts, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "static file service failed for " + target + ": " + e, e);
                }
                later(ctx, facts, plan, done, kept);
            });
        } catch (RejectedExecutionException e) {
            return respond(ctx, facts, failure(ctx, facts, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    QUEUE_LIMIT + " static file requests already wait for a file-system thread", null), kept);
        }
        return done;
    }

    /**
     * Writes at once when called on the channel's event loop (the usual case: the router calls from its
     * channelRead), else as a task of it. A task per response used to cost a queue hop and a promise; it is no longer
     * needed since the router asks for the next request itself whenever an exchange completes. An inline write whose
     * flush completes at once completes the exchange inside this call, and the router then reads the next pipelined
     * request from inside that completion, so answers nest; Netty's promises bound that nesting (a listener more than
     * {@code io.netty.defaultPromise.maxListenerStackDepth}, 8, deep is run as a task), so the stack cannot grow
     * with the number of pipelined requests.
     */
    private static ChannelFuture respond(ChannelHandlerContext ctx, RequestFacts facts, ResponsePlan plan,
                                         HttpHeaders kept) {
        if (ctx.executor().inEventLoop()) {
            return write(ctx, facts, plan, kept);
        }
        ChannelPromise done = ctx.newPromise();
        later(ctx, facts, plan, done, kept);
        return done;
    }

    /** Writes as a task of the channel's event loop: for answers decided on the file-system executor. */
    private static void later(ChannelHandlerContext ctx, RequestFacts facts, ResponsePlan plan, ChannelPromise done,
                              HttpHeaders kept) {
        try {
            ctx.executor().execute(() -> relay(write(ctx, facts, plan, kept), done));
        } catch (RejectedExecutionException e) {
            plan.discard(); // the event loop is shutting down; the channel goes with it
            done.tryFailure(e);
        }
    }

    private static ChannelFuture write(ChannelHandlerContext ctx, RequestFacts facts, ResponsePlan plan,
                                       HttpHeaders kept) {
        if (!kept.isEmpty() && plan.head().status().codeClass() == HttpStatusClass.SUCCESS) {
            for (String name : kept.names()) {
                plan.head().headers().set(name, kept.getAll(name));
            }
        }
        if (plan.head().status().code() >= 500 && !plan.head().headers().contains(ErrorResponses.ERROR_ID_HEADER)) {
            // The planner's only 5xx: the front is out of file descriptors (FileErrors), told here with its id.
            plan.discard();
            plan = failure(ctx, facts, plan.head().status(), "cannot open a file: too many open files", null);
        }
        if (facts.http10KeepAlive()) {
            // An HTTP/1.0 client keeps the connection only when the response says so explicitly.
            plan.head().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return ResponseWriter.write(ctx, plan);
    }

    /** A 5xx on the front's side: reported with an error id (stderr, access log) that the answer carries too. */
    private static ResponsePlan failure(ChannelHandlerContext ctx, RequestFacts facts, HttpResponseStatus status,
                                        String cause, Throwable defect) {
        Failure failure = Failure.staticFiles(status, cause);
        String id = ErrorResponses.report(ctx.channel(), failure, defect);
        return StatusResponses.failure(failure, id, ctx.channel().attr(RequestAttributes.REQUEST_ID).get(), facts);
    }

    private static void relay(ChannelFuture written, ChannelPromise done) {
        written.addListener(f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        });
    }

    @Override
    public void close() {
        cache.close();
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
                owned.shutdownNow();
            }
        } catch (InterruptedException e) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A few daemon threads: enough to keep several slow opens in flight, few enough to stay out of the event loops'
     * way on a small container. Idle threads exit.
     */
    private static ExecutorService newFileSystemExecutor() {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_LIMIT), task -> {
                    Thread thread = new Thread(task, "front-static-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
