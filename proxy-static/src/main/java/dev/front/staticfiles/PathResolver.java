package dev.front.staticfiles;

import dev.front.config.Alias;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;

/**
 * Resolves a request's sub-path under an alias to a regular file, safely (docs/static-files.md).
 * The router has already decoded the path strictly and resolved dot segments lexically; this class makes sure the
 * file system cannot undo that: the real path (all symlinks resolved) must lie inside the alias's real root by
 * {@link Path#startsWith(Path)} (whole names, so {@code /srv/static_secret} is not inside {@code /srv/static}),
 * dotfiles are hidden, and only regular files are served: FIFOs, devices and sockets are refused from their
 * attributes, so they are never opened. It blocks on the file system, so it runs off the event loop.
 */
final class PathResolver {

    private static final Resolution NOT_FOUND = new Resolution.Refused(HttpResponseStatus.NOT_FOUND);
    private static final String WELL_KNOWN = ".well-known";

    private final String directoryIndex;

    PathResolver(String directoryIndex) {
        if (directoryIndex == null || directoryIndex.isEmpty() || directoryIndex.contains("/")
                || directoryIndex.equals(".") || directoryIndex.equals("..") || directoryIndex.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--directory-index: " + directoryIndex + " (expected: a file name)");
        }
        this.directoryIndex = directoryIndex;
    }

    /**
     * @param alias   the alias that matched
     * @param subPath the normalised path below it: {@code ""} or starting with {@code /}, trailing slash kept
     * @param query   the raw query, kept on a redirect; {@code null} when the request had none
     */
    Resolution resolve(Alias alias, String subPath, String query) {
        if (hidden(subPath)) {
            return NOT_FOUND;
        }
        try {
            BasicFileAttributes rootAttributes = attributesIfExists(alias.path());
            if (rootAttributes == null) {
                return NOT_FOUND; // an alias whose directory does not exist (yet) serves nothing
            }
            if (rootAttributes.isRegularFile()) {
                // A single-file alias exposes that file at the alias's own URL and nothing below it.
                if (!subPath.isEmpty()) {
                    return NOT_FOUND;
                }
                Path file = alias.path().toRealPath();
                return new Resolution.Found(file, rootAttributes, file.getParent());
            }
            if (!rootAttributes.isDirectory()) {
                return NOT_FOUND;
            }
            Path root = alias.path().toRealPath();
            boolean trailingSlash = subPath.endsWith("/");
            Path candidate = subPath.length() <= 1 ? root : root.resolve(subPath.substring(1));
            Resolution target = confine(root, candidate);
            if (!(target instanceof Resolution.Found found)) {
                return target;
            }
            if (found.attributes().isDirectory()) {
                if (!trailingSlash) {
                    return new Resolution.Redirect(redirectTo(alias, subPath, query));
                }
                Resolution index = confine(root, found.file().resolve(directoryIndex));
                if (index instanceof Resolution.Found file && !file.attributes().isRegularFile()) {
                    return NOT_FOUND;
                }
                return index;
            }
            if (!found.attributes().isRegularFile() || trailingSlash) {
                return NOT_FOUND; // FIFO, device or socket: never opened. A file is not a directory.
            }
            return found;
        } catch (IOException e) {
            return new Resolution.Refused(FileErrors.statusOf(e));
        } catch (InvalidPathException e) {
            return NOT_FOUND;
        }
    }

    /**
     * The real path of {@code candidate} if it stays inside {@code root} and no name below the root is hidden (a
     * symlink may point at {@code .git/config}); its attributes are those of what the real path names.
     */
    static Resolution confine(Path root, Path candidate) throws IOException {
        BasicFileAttributes attributes = attributesIfExists(candidate);
        if (attributes == null) {
            return NOT_FOUND;
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            return NOT_FOUND;
        }
        Path relative = root.relativize(real);
        for (Path name : relative) {
            if (hiddenName(name.toString())) {
                return NOT_FOUND;
            }
        }
        return new Resolution.Found(real, attributes, root);
    }

    /** Attributes following symlinks, or {@code null} when nothing is there, without the cost of an exception. */
    static BasicFileAttributes attributesIfExists(Path path) throws IOException {
        FileSystemProvider provider = path.getFileSystem().provider();
        return provider.readAttributesIfExists(path, BasicFileAttributes.class);
    }

    /** Any segment of the request path that is a dotfile or dot-directory, except {@code .well-known}. */
    private static boolean hidden(String subPath) {
        int start = 0;
        while (true) {
            int slash = subPath.indexOf('/', start);
            String segment = subPath.substring(start, slash < 0 ? subPath.length() : slash);
            if (hiddenName(segment)) {
                return true;
            }
            if (slash < 0) {
                return false;
            }
            start = slash + 1;
        }
    }

    private static boolean hiddenName(String name) {
        return name.startsWith(".") && !name.equals(WELL_KNOWN);
    }

    /**
     * {@code ./name/} relative to the request URL, whatever prefix the client used to reach it: the last segment of
     * the path (the alias's own last segment when the sub-path is empty), percent-encoded, and the query as sent.
     * The leading {@code ./} keeps a segment with a colon from being read as a URI scheme.
     */
    private static String redirectTo(Alias alias, String subPath, String query) {
        String path = subPath.isEmpty() ? alias.urlPath() : subPath;
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.isEmpty()) {
            return query == null ? "/" : "/?" + query; // only an alias at "/" asked for without any path
        }
        StringBuilder location = new StringBuilder("./");
        encodeSegment(last, location);
        location.append('/');
        if (query != null) {
            location.append('?').append(query);
        }
        return location.toString();
    }

    private static void encodeSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
    }
}
