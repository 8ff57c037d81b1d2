package dev.front.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One posix_spawnp call that starts a child the way an init must: in its own session, with an empty signal
 * mask, every signal at its default action, and no descriptor above 2 inherited. The JVM blocks and ignores
 * signals of its own and opens sockets without close-on-exec; none of that may leak into the child.
 */
final class PosixSpawn {

    // glibc's flag values (spawn.h); SETSID is a GNU extension.
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    // Opaque glibc structures, allocated larger than their x86-64/arm64 sizes (336, 80, 128 bytes) so a
    // different C library layout can never make the init functions write past our memory.
    private static final long SPAWNATTR_SIZE = 1024;
    private static final long FILE_ACTIONS_SIZE = 512;
    private static final long SIGSET_SIZE = 256;

    private static final FunctionDescriptor ONE_POINTER = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor POINTER_AND_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor TWO_POINTERS = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

    private static final MethodHandle SPAWNP = Posix.bind("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_INIT = Posix.bind("posix_spawnattr_init", ONE_POINTER);
    private static final MethodHandle ATTR_DESTROY = Posix.bind("posix_spawnattr_destroy", ONE_POINTER);
    private static final MethodHandle ATTR_SETFLAGS = Posix.bind("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = Posix.bind("posix_spawnattr_setsigmask", TWO_POINTERS);
    private static final MethodHandle ATTR_SETSIGDEFAULT = Posix.bind("posix_spawnattr_setsigdefault", TWO_POINTERS);
    private static final MethodHandle SIGEMPTYSET = Posix.bind("sigemptyset", ONE_POINTER);
    private static final MethodHandle ACTIONS_INIT = Posix.bind("posix_spawn_file_actions_init", ONE_POINTER);
    private static final MethodHandle ACTIONS_DESTROY = Posix.bind("posix_spawn_file_actions_destroy", ONE_POINTER);
    private static final MethodHandle ACTIONS_ADDDUP2 = Posix.bind("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_ADDCLOSE =
            Posix.bind("posix_spawn_file_actions_addclose", POINTER_AND_INT);
    // glibc 2.34+ and 2.29+ respectively; looked up at run time so an older C library still works.
    private static final Optional<MethodHandle> ACTIONS_ADDCLOSEFROM =
            Posix.lookup("posix_spawn_file_actions_addclosefrom_np", POINTER_AND_INT);
    private static final Optional<MethodHandle> ACTIONS_ADDCHDIR =
            Posix.lookup("posix_spawn_file_actions_addchdir_np", TWO_POINTERS);

    private static final int FIRST_FD_TO_CLOSE = 3;

    /** How inherited descriptors get closed in the child; the fallback exists for C libraries before 2.34. */
    enum CloseMethod { CLOSEFROM, LISTED_FDS }

    private PosixSpawn() {
    }

    static CloseMethod defaultCloseMethod() {
        return ACTIONS_ADDCLOSEFROM.isPresent() ? CloseMethod.CLOSEFROM : CloseMethod.LISTED_FDS;
    }

    /**
     * Starts argv (argv[0] searched on the front's PATH, like execvp) with exactly env as its environment.
     *
     * @return the child's pid
     * @throws PosixException with posix_spawnp's error (ENOENT, EACCES, ...) when the child could not start
     */
    static long spawn(List<String> argv, Map<String, String> env, Path workingDirectory, CloseMethod closeMethod) {
        return spawn(argv, env, workingDirectory, closeMethod, -1);
    }

    /** As above, with {@code stderrFd} (when 0 or more) as the child's standard error instead of the front's. */
    static long spawn(List<String> argv, Map<String, String> env, Path workingDirectory, CloseMethod closeMethod,
                      int stderrFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(SPAWNATTR_SIZE, 16);
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            try {
                check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
                try {
                    configureAttributes(arena, attr);
                    if (stderrFd >= 0) {
                        // before the closing below, which then closes stderrFd itself in the child
                        check("posix_spawn_file_actions_adddup2",
                                (int) ACTIONS_ADDDUP2.invokeExact(actions, stderrFd, 2));
                    }
                    configureFileActions(arena, actions, workingDirectory, closeMethod);
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int result = (int) SPAWNP.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr,
                            nullTerminated(arena, argv), nullTerminated(arena, environment(env)));
                    check("posix_spawnp(" + argv.getFirst() + ")", result);
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
                }
            } finally {
                int ignored = (int) ATTR_DESTROY.invokeExact(attr);
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw Posix.rethrow(t);
        }
    }

    private static void configureAttributes(Arena arena, MemorySegment attr) throws Throwable {
        check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr,
                (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
        MemorySegment emptyMask = arena.allocate(SIGSET_SIZE, 8);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(emptyMask));
        check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, emptyMask));
        // Every signal back to SIG_DFL: handlers are reset by exec anyway, but SIG_IGN survives it. Not
        // sigfillset: glibc leaves out its internal signals 32 and 33, and its spawn code sets exactly those
        // to SIG_IGN in the child when the parent handles them (the JVM does), so every child would start
        // with them ignored. A sigset is a plain bitmap; all bits set includes them.
        MemorySegment allSignals = arena.allocate(SIGSET_SIZE, 8).fill((byte) 0xff);
        check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, allSignals));
    }

    private static void configureFileActions(Arena arena, MemorySegment actions, Path workingDirectory,
                                             CloseMethod closeMethod) throws Throwable {
        if (workingDirectory != null) {
            MethodHandle addchdir = ACTIONS_ADDCHDIR.orElseThrow(() -> new UnsupportedOperationException(
                    "this C library cannot set a child's working directory (needs glibc 2.29+)"));
            check("posix_spawn_file_actions_addchdir_np",
                    (int) addchdir.invokeExact(actions, arena.allocateFrom(workingDirectory.toString())));
        }
        if (closeMethod == CloseMethod.CLOSEFROM && ACTIONS_ADDCLOSEFROM.isPresent()) {
            check("posix_spawn_file_actions_addclosefrom_np",
                    (int) ACTIONS_ADDCLOSEFROM.get().invokeExact(actions, FIRST_FD_TO_CLOSE));
            return;
        }
        // Fallback: close what is open now. A descriptor another thread opens between this listing and the
        // spawn can still leak; closing an fd that is gone by then is not an error for glibc.
        for (int fd : openDescriptors()) {
            if (fd >= FIRST_FD_TO_CLOSE) {
                check("posix_spawn_file_actions_addclose", (int) ACTIONS_ADDCLOSE.invokeExact(actions, fd));
            }
        }
    }

    private static List<Integer> openDescriptors() {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd to close inherited descriptors", e);
        }
        return fds;
    }

    private static List<String> environment(Map<String, String> env) {
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((name, value) -> entries.add(name + "=" + value));
        return entries;
    }

    private static MemorySegment nullTerminated(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** posix_spawn* functions return the error number instead of setting errno. */
    private static void check(String call, int result) {
        if (result != 0) {
            throw new PosixException(call, result);
        }
    }
}
