package dev.front.staticfiles;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Finds the precompressed sidecars of a resolved file ({@code app.js.br}, {@code .zst}, {@code .gz} beside
 * {@code app.js}). A sidecar counts only if it is a regular file inside the alias's root (a symlinked one is confined
 * like any request) and is not older than the original: an older one was left behind by a previous build and would
 * serve stale content.
 */
final class Sidecars {

    private Sidecars() {
    }

    static Map<ContentCoding, Resolution.Found> of(Resolution.Found original) throws IOException {
        Map<ContentCoding, Resolution.Found> found = null;
        for (ContentCoding coding : ContentCoding.values()) {
            Path path = original.file().resolveSibling(original.file().getFileName() + coding.suffix());
            Resolution.Found sidecar = find(original, path);
            if (sidecar != null) {
                if (found == null) {
                    found = new EnumMap<>(ContentCoding.class);
                }
                found.put(coding, sidecar);
            }
        }
        return found == null ? Collections.emptyMap() : found;
    }

    private static Resolution.Found find(Resolution.Found original, Path path) throws IOException {
        BasicFileAttributes attributes = path.getFileSystem().provider()
                .readAttributesIfExists(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes == null) {
            return null;
        }
        Resolution.Found sidecar;
        if (attributes.isSymbolicLink()) {
            try {
                if (!(PathResolver.confine(original.root(), path) instanceof Resolution.Found confined)) {
                    return null;
                }
                sidecar = confined;
            } catch (IOException e) {
                return null; // a dangling or unreadable link is no sidecar; the original is still served
            }
        } else {
            // The parent is already a real path inside the root, so a plain file here is confined.
            sidecar = new Resolution.Found(path, attributes, original.root());
        }
        if (!sidecar.attributes().isRegularFile()
                || sidecar.attributes().lastModifiedTime().compareTo(original.attributes().lastModifiedTime()) < 0) {
            return null;
        }
        return sidecar;
    }
}
