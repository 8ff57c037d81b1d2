package dev.front.launcher;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The standard error of a child started to replace another: passed on to the front's own, byte for byte, while its
 * last lines are kept, so that when the new child fails, the error the front logs carries what it said (the
 * traceback of an import error) next to the phase that failed. A pipe the front reads; its write end is the child's
 * descriptor 2 and closes in the front once the child runs.
 */
final class StderrTail implements AutoCloseable {

    static final int LINES = 30;
    /** A line longer than this is kept cut: a tail is for a person to read. */
    static final int LINE_LIMIT = 400;

    private static final int O_CLOEXEC = 0x80000;
    private static final MethodHandle PIPE2 = Posix.bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = Posix.bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int readFd;
    private int writeFd;
    private boolean started;
    private final ArrayDeque<String> lines = new ArrayDeque<>(); // guarded by this
    private final StringBuilder partial = new StringBuilder(); // pump thread only

    private StderrTail(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** A new pipe (close-on-exec: only the child it is handed to gets it, as its descriptor 2). */
    static StderrTail open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if ((int) PIPE2.invokeExact(fds, O_CLOEXEC) != 0) {
                throw new IOException("cannot make a pipe for the new child's standard error");
            }
            return new StderrTail(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Posix.rethrow(t);
        }
    }

    int writeFd() {
        return writeFd;
    }

    /**
     * The child runs with its copy of the write end: the front's copy closes (so the pipe ends when the child and
     * whatever it started are gone) and a thread passes what comes on to {@code out}.
     */
    void start(String name, OutputStream out) throws IOException {
        closeWriteEnd();
        started = true;
        // A stream of our own on the read end, through /proc: the JDK offers no stream over a bare descriptor.
        InputStream in = new FileInputStream("/proc/self/fd/" + readFd);
        close(readFd);
        Thread.ofPlatform().name("front-child-stderr-" + name).daemon(true).start(() -> pump(in, out));
    }

    /** {@link #start(String, OutputStream)} onto the front's standard error. */
    void start(String name) throws IOException {
        start(name, new FileOutputStream(FileDescriptor.err));
    }

    private void pump(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                try {
                    out.write(buffer, 0, read);
                } catch (IOException e) {
                    // the front's stderr is gone: keep reading so the child never blocks on a full pipe
                }
                remember(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the pipe broke: nothing more will come
        }
        if (!partial.isEmpty()) {
            keep(partial.toString());
        }
    }

    private void remember(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                keep(partial.toString());
                partial.setLength(0);
            } else if (partial.length() < LINE_LIMIT) {
                partial.append(c);
            }
        }
    }

    private synchronized void keep(String line) {
        lines.addLast(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        while (lines.size() > LINES) {
            lines.removeFirst();
        }
    }

    /** The last lines the child wrote, oldest first. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * The last lines, waiting up to {@code millis} for the pump to catch up with what a child that just exited
     * wrote last.
     */
    List<String> lines(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return lines();
    }

    private void closeWriteEnd() {
        if (writeFd >= 0) {
            close(writeFd);
            writeFd = -1;
        }
    }

    /** When the child could not be started: the pipe goes (after {@link #start}, the pump closes it). */
    @Override
    public void close() {
        closeWriteEnd();
        if (!started) {
            started = true;
            close(readFd);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw Posix.rethrow(t);
        }
    }
}
