package dev.front.config;

import java.nio.file.Path;

/**
 * One {@code --url-alias URL-PATH PATH}: a directory (or a single file) served at a URL prefix.
 *
 * @param urlPath the prefix, starting with {@code /}, without a trailing slash (except for {@code /} itself)
 * @param path    the directory or file on disk, absolute and normalised
 */
public record Alias(String urlPath, Path path) {

    public Alias {
        if (urlPath == null || !urlPath.startsWith("/")) {
            throw new IllegalArgumentException("--url-alias: " + urlPath + " (expected: a URL path starting with /)");
        }
        if (urlPath.length() > 1 && urlPath.endsWith("/")) {
            urlPath = urlPath.replaceAll("/+$", "");
            if (urlPath.isEmpty()) {
                urlPath = "/";
            }
        }
        if (urlPath.contains("//") || urlPath.contains("%") || urlPath.matches(".*(^|/)\\.{1,2}(/|$).*")) {
            throw new IllegalArgumentException("--url-alias: " + urlPath
                    + " (expected: a plain URL path without //, dot segments or percent escapes)");
        }
        path = path.toAbsolutePath().normalize();
    }

    /** Parses the two values of one {@code --url-alias} occurrence. */
    public static Alias of(String urlPath, String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("--url-alias: " + urlPath + " '' (expected: a directory or file path)");
        }
        return new Alias(urlPath, Path.of(path));
    }
}
