package dev.front.launcher;

/** A libc call failed; carries the call and its errno so callers can tell expected failures apart. */
final class PosixException extends RuntimeException {

    private final int errno;

    PosixException(String call, int errno) {
        super(call + ": " + Posix.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
