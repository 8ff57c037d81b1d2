package dev.front.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Validates the site options ({@link SiteConfig}) of one command line, collecting a one-line problem for each bad
 * value, and reads the {@code --error-document} pages: a page that cannot be read at start is a usage error rather
 * than a plain answer the first time a failure needs it.
 */
final class SiteOptions {

    /** A page larger than this is a usage error: the front holds every page in memory. */
    static final int MAX_ERROR_DOCUMENT_BYTES = 64 * 1024;

    private SiteOptions() {
    }

    static SiteConfig site(FrontOptions o, Path appRoot, List<Alias> aliases, List<String> problems) {
        Optional<String> serverName = Optional.empty();
        if (o.serverName != null) {
            if (hostName(o.serverName, false)) {
                serverName = Optional.of(stripDot(o.serverName.toLowerCase(Locale.ROOT)));
            } else {
                problems.add("--server-name: " + o.serverName + " (expected: a host name or IP address, no port)");
            }
        }
        List<String> serverAliases = new java.util.ArrayList<>();
        for (String alias : o.serverAliases) {
            if (hostName(alias, true)) {
                serverAliases.add(stripDot(alias.toLowerCase(Locale.ROOT)));
            } else {
                problems.add("--server-alias: " + alias + " (expected: a host name, * and ? allowed, no port)");
            }
        }
        if (o.serverName == null && !o.serverAliases.isEmpty()) {
            problems.add("--server-alias: given without --server-name (expected: --server-name NAME too)");
        }
        if (o.serverName == null && o.allowLocalhost) {
            problems.add("--allow-localhost: given without --server-name (expected: --server-name NAME too; without"
                    + " it every Host is served)");
        }
        String mountPoint = "/";
        if (o.mountPoint != null) {
            mountPoint = mountPoint(o.mountPoint, problems);
        }
        Optional<Path> documentRoot = Optional.empty();
        if (o.documentRoot != null) {
            Path dir = appRoot.resolve(o.documentRoot).toAbsolutePath().normalize();
            if (o.documentRoot.isEmpty() || !Files.isDirectory(dir)) {
                problems.add("--document-root: " + o.documentRoot + " (expected: a directory)");
            } else {
                documentRoot = Optional.of(dir);
            }
        }
        Map<Integer, SiteConfig.ErrorDocument> errorDocuments = new HashMap<>();
        for (int i = 0; i + 1 < o.errorDocuments.size(); i += 2) {
            String status = o.errorDocuments.get(i);
            String urlPath = o.errorDocuments.get(i + 1);
            if (!status.matches("[45][0-9][0-9]")) {
                problems.add("--error-document: " + status + " (expected: a status from 400 to 599, then a URL path)");
                continue;
            }
            SiteConfig.ErrorDocument page = errorDocument(urlPath, aliases, documentRoot, problems);
            if (page != null) {
                errorDocuments.put(Integer.parseInt(status), page); // the last one of a status wins
            }
        }
        int maxClients = 0;
        if (o.maxClients != null) {
            if (o.maxClients.matches("[0-9]{1,9}") && Integer.parseInt(o.maxClients) > 0) {
                maxClients = Integer.parseInt(o.maxClients);
            } else {
                problems.add("--max-clients: " + o.maxClients + " (expected: a whole number, 1 or more)");
            }
        }
        return new SiteConfig(serverName, serverAliases, o.allowLocalhost, mountPoint, documentRoot, errorDocuments,
                maxClients);
    }

    /** mod_wsgi-express puts a missing leading {@code /} in front; a trailing one is dropped. */
    private static String mountPoint(String value, List<String> problems) {
        String path = value.startsWith("/") ? value : "/" + value;
        path = path.replaceAll("/+$", "");
        if (path.isEmpty()) {
            return "/";
        }
        if (path.contains("//") || path.matches(".*(^|/)\\.{1,2}(/|$).*")
                || !path.matches("[A-Za-z0-9/._~!$&'()*+,;=:@-]+")) {
            problems.add("--mount-point: " + value + " (expected: a plain URL path such as /app, without //, dot"
                    + " segments, percent escapes or a query)");
            return "/";
        }
        return path;
    }

    /** The page at {@code urlPath}, found as a client's request would be: the longest alias, then the document root. */
    private static SiteConfig.ErrorDocument errorDocument(String urlPath, List<Alias> aliases,
                                                          Optional<Path> documentRoot, List<String> problems) {
        Path file = null;
        if (urlPath.startsWith("/") && !urlPath.contains("%") && !urlPath.matches(".*(^|/)\\.{1,2}(/|$).*")) {
            Optional<Alias> alias = aliases.stream()
                    .filter(a -> a.urlPath().equals("/") || urlPath.equals(a.urlPath())
                            || urlPath.startsWith(a.urlPath() + "/"))
                    .max(Comparator.comparingInt(a -> a.urlPath().length()));
            if (alias.isPresent()) {
                String rest = alias.get().urlPath().equals("/") ? urlPath : urlPath.substring(alias.get().urlPath().length());
                file = rest.isEmpty() ? alias.get().path() : inside(alias.get().path(), rest);
            } else if (documentRoot.isPresent()) {
                file = inside(documentRoot.get(), urlPath);
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            problems.add("--error-document: " + urlPath + " (expected: the URL path of a file served by a --url-alias"
                    + " or the --document-root)");
            return null;
        }
        try {
            if (Files.size(file) > MAX_ERROR_DOCUMENT_BYTES) {
                problems.add("--error-document: " + urlPath + " (expected: a page of at most "
                        + MAX_ERROR_DOCUMENT_BYTES + " bytes)");
                return null;
            }
            return new SiteConfig.ErrorDocument(urlPath, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            problems.add("--error-document: " + urlPath + " (expected: a readable UTF-8 file; " + e.getMessage() + ")");
            return null;
        }
    }

    private static Path inside(Path dir, String rest) {
        Path file = dir.resolve(rest.replaceAll("^/+", "")).normalize();
        return file.startsWith(dir) ? file : null;
    }

    /** A DNS name (letters, digits, - and .), an IPv4 address, or an IPv6 address in brackets; no port. */
    private static boolean hostName(String value, boolean wildcards) {
        if (value.isEmpty() || value.length() > 255) {
            return false;
        }
        if (value.startsWith("[")) {
            return value.matches("\\[[0-9A-Fa-f:.]+\\]");
        }
        return value.matches(wildcards ? "[A-Za-z0-9.*?-]+" : "[A-Za-z0-9.-]+") && !value.startsWith(".");
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
