package dev.front.launcher;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Thin FFM bindings to the libc calls the supervisor needs, with errno captured at the call (a later
 * JVM-internal call could overwrite the thread's errno before Java code reads it).
 *
 * <p>Linux only (signal and errno numbers below are Linux's, the same on x86-64 and arm64). Every wrapper
 * either returns the call's result or throws {@link PosixException}; expected failures (ESRCH for a gone
 * process, ECHILD) are decided by the caller from {@link PosixException#errno()}.
 */
final class Posix {

    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGQUIT = 3;
    static final int SIGKILL = 9;
    static final int SIGUSR1 = 10;
    static final int SIGUSR2 = 12;
    static final int SIGTERM = 15;
    static final int SIGCHLD = 17;
    static final int SIGCONT = 18;
    static final int SIGTTIN = 21;
    static final int SIGTTOU = 22;
    static final int SIGWINCH = 28;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ENOEXEC = 8;
    static final int ECHILD = 10;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;

    static final int WNOHANG = 1;
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle WAITPID =
            bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    // siginfo_t is only written by the kernel here; we never read it, it just has to be big enough.
    private static final MethodHandle WAITID =
            bind("waitid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle KILL =
            bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETPID = bind("getpid", FunctionDescriptor.of(JAVA_INT));
    // prctl is variadic: the option is the only fixed argument, the rest are passed as unsigned longs.
    private static final MethodHandle PRCTL = bind("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final int SIGINFO_SIZE = 128;

    private Posix() {
    }

    /** The result of a successful waitpid: which process, and its raw wait status. */
    record WaitStatus(int pid, int raw) {

        /** The exit code, or 128+N when the process died of signal N (what a shell reports). */
        int exitCode() {
            int termSignal = raw & 0x7f;
            return termSignal == 0 ? (raw >> 8) & 0xff : 128 + termSignal;
        }
    }

    static long getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * waitpid(pid, &status, options). With {@link #WNOHANG} a {@code pid()} of 0 means "not exited yet".
     * Retries on EINTR so callers never see it.
     */
    static WaitStatus waitpid(long pid, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int result = (int) WAITPID.invokeExact(state, (int) pid, status, options);
                if (result >= 0) {
                    return new WaitStatus(result, status.get(JAVA_INT, 0));
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    throw new PosixException("waitpid(" + pid + ")", errno);
                }
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Blocks until the process has exited but leaves it a zombie (waitid with WNOWAIT), so its pid stays
     * reserved until the caller reaps it: a signal sent before the reap can never hit a recycled pid.
     */
    static void awaitExitWithoutReaping(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            while (true) {
                int result = (int) WAITID.invokeExact(state, P_PID, (int) pid, info, WEXITED | WNOWAIT);
                if (result == 0) {
                    return;
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    throw new PosixException("waitid(" + pid + ")", errno);
                }
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** kill(pid, signal); a negative pid addresses a process group. */
    static void kill(long pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) KILL.invokeExact(state, (int) pid, signal);
            if (result != 0) {
                throw new PosixException("kill(" + pid + ", " + signal + ")", errno(state));
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Makes orphaned descendants re-parent to this process instead of to PID 1 (Linux 3.4+). */
    static void becomeChildSubreaper() {
        prctl(PR_SET_CHILD_SUBREAPER, 1L, "prctl(PR_SET_CHILD_SUBREAPER)");
    }

    static boolean isChildSubreaper() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(JAVA_INT);
            prctl(PR_GET_CHILD_SUBREAPER, flag.address(), "prctl(PR_GET_CHILD_SUBREAPER)");
            return flag.get(JAVA_INT, 0) != 0;
        }
    }

    private static void prctl(int option, long argument, String call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) PRCTL.invokeExact(state, option, argument);
            if (result != 0) {
                throw new PosixException(call, errno(state));
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The C library's text for an errno value, e.g. "No such file or directory". */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return lookup(name, descriptor, options)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** For functions newer than the oldest C library we run on: absent means "use the fallback". */
    static Optional<MethodHandle> lookup(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor, options));
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
