package dev.front.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child: an OS process spawned with {@link PosixSpawn} (own session, clean signal state, no inherited
 * descriptors) and waited for by pid on one dedicated platform thread.
 *
 * <p>Never {@code waitpid(-1)}: it would steal exit statuses that other waiters (java.lang.Process, this
 * class) rely on. The waiter first waits without reaping and only reaps under the same lock that
 * {@link #signal} takes, so a signal can never reach a pid the kernel has already recycled.
 */
public final class ChildProcess {

    /** Reported when the status was lost because something else reaped the child (should not happen). */
    static final int STATUS_LOST = 255;

    private static final Set<Long> WAITED_FOR = ConcurrentHashMap.newKeySet();

    private final long pid;
    private final String command;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Object reapLock = new Object();
    private boolean reaped; // guarded by reapLock

    private ChildProcess(long pid, String command) {
        this.pid = pid;
        this.command = command;
    }

    /**
     * Starts argv with exactly env as its environment, in workingDirectory (null: the front's).
     *
     * @throws SpawnException with status 127 (not found) or 126 (not executable)
     */
    public static ChildProcess spawn(List<String> argv, Map<String, String> env, Path workingDirectory)
            throws SpawnException {
        return spawn(argv, env, workingDirectory, PosixSpawn.defaultCloseMethod());
    }

    static ChildProcess spawn(List<String> argv, Map<String, String> env, Path workingDirectory,
                              PosixSpawn.CloseMethod closeMethod) throws SpawnException {
        return spawn(argv, env, workingDirectory, closeMethod, -1);
    }

    /** As {@link #spawn(List, Map, Path)}, its standard error going to {@code stderr} (see {@link StderrTail}). */
    static ChildProcess spawn(List<String> argv, Map<String, String> env, Path workingDirectory, StderrTail stderr)
            throws SpawnException {
        return spawn(argv, env, workingDirectory, PosixSpawn.defaultCloseMethod(), stderr.writeFd());
    }

    private static ChildProcess spawn(List<String> argv, Map<String, String> env, Path workingDirectory,
                                      PosixSpawn.CloseMethod closeMethod, int stderrFd) throws SpawnException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("child command: [] (expected: at least the program name)");
        }
        argv.forEach(arg -> requireNoNul("child command", arg));
        env.forEach((name, value) -> requireNoNul("child environment", name + "=" + value));
        long pid;
        try {
            pid = PosixSpawn.spawn(argv, env, workingDirectory, closeMethod, stderrFd);
        } catch (PosixException e) {
            throw SpawnException.of(argv.getFirst(), e.errno());
        }
        // Registered before anything else can see the zombie, so the orphan reaper leaves it to us.
        WAITED_FOR.add(pid);
        ChildProcess child = new ChildProcess(pid, argv.getFirst());
        Thread.ofPlatform().name("front-child-wait-" + pid).daemon(true).start(child::awaitExit);
        return child;
    }

    /** C strings end at the first NUL: an argument with one would be cut short without a word. */
    private static void requireNoNul(String what, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + ": " + text.replace('\0', '?')
                    + " (expected: no NUL character)");
        }
    }

    /** True while a ChildProcess waits for pid: the orphan reaper must not reap it. */
    static boolean isWaitedFor(long pid) {
        return WAITED_FOR.contains(pid);
    }

    public long pid() {
        return pid;
    }

    /** The program name it was started with, for messages. */
    public String command() {
        return command;
    }

    /** Blocks until the child has exited: its exit code, or 128+N when it died of signal N. */
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** True when the child has exited within timeout. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Completes with the exit status once the child has been reaped. */
    public CompletionStage<Integer> onExit() {
        return exit.copy();
    }

    public boolean isAlive() {
        return !exit.isDone();
    }

    /** Sends signal to the child's pid only (a HUP to the group would kill gunicorn's workers). */
    public void signal(int signal) {
        synchronized (reapLock) {
            if (!reaped) {
                killIgnoringGone(pid, signal);
            }
        }
    }

    /**
     * Sends signal to the child's process group (its session), also after the child itself is gone: for the
     * final SIGKILL and for cleaning up what it left behind.
     */
    public void signalGroup(int signal) {
        killIgnoringGone(-pid, signal);
    }

    /** True while any process (zombies included) is still in the child's process group. */
    public boolean groupExists() {
        try {
            Posix.kill(-pid, 0);
            return true;
        } catch (PosixException e) {
            if (e.errno() == Posix.ESRCH) {
                return false;
            }
            throw e;
        }
    }

    private void awaitExit() {
        int status = STATUS_LOST;
        try {
            Posix.awaitExitWithoutReaping(pid);
            synchronized (reapLock) {
                status = Posix.waitpid(pid, 0).exitCode();
                reaped = true;
            }
        } catch (PosixException e) {
            synchronized (reapLock) {
                reaped = true;
            }
            System.err.println("front: lost the exit status of " + command + " (pid " + pid + "): "
                    + e.getMessage());
        } finally {
            WAITED_FOR.remove(pid);
            exit.complete(status);
        }
    }

    private static void killIgnoringGone(long target, int signal) {
        try {
            Posix.kill(target, signal);
        } catch (PosixException e) {
            if (e.errno() != Posix.ESRCH) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return command + " (pid " + pid + ")";
    }
}
