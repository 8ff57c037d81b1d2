package dev.front.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What mod_wsgi-express calls the site around the application: the host names it answers
 * ({@code --server-name}, {@code --server-alias}, {@code --allow-localhost}), the URL path the application is
 * mounted at ({@code --mount-point}), the directory whose files are served before the application
 * ({@code --document-root}), the pages of the front's own failure answers ({@code --error-document}) and the cap
 * on client connections ({@code --max-clients}).
 *
 * @param serverName     the primary host name, lower case; empty: every Host is served
 * @param serverAliases  more host names, lower case, {@code *} and {@code ?} matching as in Apache's ServerAlias
 * @param allowLocalhost clients connecting from a loopback address may use any Host
 * @param mountPoint     the application's URL prefix, without a trailing slash; {@code /} for the whole site
 * @param documentRoot   a directory whose existing files are served at their URL, else the request goes on
 * @param errorDocuments status code to the page read at start (with its URL path), for the front's own answers
 * @param maxClients     client connections open at once; 0 for no cap
 */
public record SiteConfig(Optional<String> serverName, List<String> serverAliases, boolean allowLocalhost,
                         String mountPoint, Optional<Path> documentRoot, Map<Integer, ErrorDocument> errorDocuments,
                         int maxClients) {

    /** One {@code --error-document STATUS URL-PATH}: the page's URL path and its text, read once at start. */
    public record ErrorDocument(String urlPath, String html) {
    }

    public SiteConfig {
        serverAliases = List.copyOf(serverAliases);
        errorDocuments = Map.copyOf(errorDocuments);
    }

    public static SiteConfig defaults() {
        return new SiteConfig(Optional.empty(), List.of(), false, "/", Optional.empty(), Map.of(), 0);
    }

    /** True when the application is mounted below {@code /}. */
    public boolean mounted() {
        return !mountPoint.equals("/");
    }

    /** True when a Host must be one of the server's names. */
    public boolean checksHost() {
        return serverName.isPresent();
    }

    /**
     * Whether {@code host} (a host name or IP literal, without port; any case) is the server name or matches one
     * of its aliases. A trailing dot (an absolute DNS name) is the same name.
     */
    public boolean servesHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (serverName.isEmpty() || serverName.get().equals(name)) {
            return true;
        }
        if (name.length() > 255) {
            return false; // no DNS name is longer; and it bounds the backtracking of a pattern with several *
        }
        for (String alias : serverAliases) {
            if (glob(alias, 0, name, 0)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} any run of characters, {@code ?} one character, as Apache's ServerAlias (fnmatch) does. */
    private static boolean glob(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = t; k <= text.length(); k++) {
                    if (glob(pattern, p + 1, text, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }
}
