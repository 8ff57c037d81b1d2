package dev.front.staticfiles;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What a request path under an alias resolves to on disk. */
sealed interface Resolution {

    /**
     * A regular file to serve.
     *
     * @param file       its real path (no symlinks), inside {@code root}
     * @param attributes its attributes when it was resolved (size and times are re-read after opening)
     * @param root       the real path that confines this alias: the directory, or a single file's directory
     */
    record Found(Path file, BasicFileAttributes attributes, Path root) implements Resolution {
    }

    /** A directory asked for without its trailing slash. @param location relative, query kept */
    record Redirect(String location) implements Resolution {
    }

    /** Nothing to serve: 404, 403 or 503. */
    record Refused(HttpResponseStatus status) implements Resolution {
    }
}
