package dev.front.launcher;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Test-only: puts the calling thread / the test JVM into the dirty signal state a parent can pass on
 * (a blocked signal, an ignored signal), so tests can show the child does not inherit it.
 */
final class TestSignals implements AutoCloseable {

    static final int SIGPWR = 30;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_SETMASK = 2;
    private static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1);

    private static final MethodHandle SIGNAL =
            Posix.bind("signal", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = Posix.bind("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGADDSET =
            Posix.bind("sigaddset", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK =
            Posix.bind("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment oldMask = arena.allocate(256, 8);
    private final int signal;
    private final MemorySegment oldHandler;

    /** Ignores signal process-wide and blocks it in the calling thread until {@link #close()}. */
    TestSignals(int signal) throws Throwable {
        this.signal = signal;
        this.oldHandler = (MemorySegment) SIGNAL.invokeExact(signal, SIG_IGN);
        MemorySegment set = arena.allocate(256, 8);
        int r = (int) SIGEMPTYSET.invokeExact(set);
        r = (int) SIGADDSET.invokeExact(set, signal);
        r = (int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set, oldMask);
        if (r != 0) {
            throw new IllegalStateException("pthread_sigmask: " + r);
        }
    }

    /** The bit a signal has in /proc status masks (SigBlk, SigIgn). */
    static long maskBit(int signal) {
        return 1L << (signal - 1);
    }

    @Override
    public void close() throws Exception {
        try {
            MemorySegment ignored = (MemorySegment) SIGNAL.invokeExact(signal, oldHandler);
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_SETMASK, oldMask, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
