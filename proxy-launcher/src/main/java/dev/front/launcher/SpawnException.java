package dev.front.launcher;

/**
 * The child command could not be started. Carries the exit status a shell would report for it (127: not
 * found, 126: found but not executable) so the front can exit with it, and a one-line message naming the
 * command.
 */
public final class SpawnException extends Exception {

    public static final int NOT_FOUND = 127;
    public static final int NOT_EXECUTABLE = 126;

    private final int exitStatus;

    SpawnException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** Maps posix_spawnp's error for command to the shell's status and a readable reason. */
    static SpawnException of(String command, int errno) {
        return switch (errno) {
            case Posix.ENOENT, Posix.ENOTDIR, Posix.ENAMETOOLONG, Posix.ELOOP ->
                    new SpawnException("cannot run " + command + ": command not found", NOT_FOUND);
            default -> new SpawnException("cannot run " + command + ": " + Posix.strerror(errno)
                    + (errno == Posix.EACCES || errno == Posix.ENOEXEC ? " (not an executable)" : ""),
                    NOT_EXECUTABLE);
        };
    }

    /** 127 when the command was not found, 126 when it could not be executed. */
    public int exitStatus() {
        return exitStatus;
    }
}
