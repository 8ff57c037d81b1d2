package dev.front.staticfiles;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * Maps a file-system failure on a client-chosen path to a status. Everything a path can do wrong (missing, not a
 * directory, a symlink loop, a name too long) is 404; only permissions (403) and the front running out of file
 * descriptors (503, worth a retry) are told apart. A bad path is never a 500.
 */
final class FileErrors {

    private FileErrors() {
    }

    static HttpResponseStatus statusOf(IOException e) {
        if (e instanceof AccessDeniedException) {
            return HttpResponseStatus.FORBIDDEN;
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().startsWith("Too many open files")) { // EMFILE and ENFILE (strerror text)
            return HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        return HttpResponseStatus.NOT_FOUND;
    }
}
