package dev.front.core.connection;

import dev.front.config.SiteConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --error-document STATUS URL-PATH}: the pages that replace the one-line text of the front's own failure
 * answers of that status, for a client that asks for HTML. Read once at start (a page that cannot be read stops the
 * front there), so an answer never waits on the disk and the page a failure gets cannot change under it. The
 * answer keeps its status, its {@value ErrorResponses#ERROR_ID_HEADER} and {@code Retry-After}; the text
 * {@value #ERROR_ID} in the page becomes the error id (a few letters and digits, nothing to escape), so the page
 * can show the id a user quotes to support.
 */
public final class ErrorPages {

    /** Replaced by the error id in a page. */
    public static final String ERROR_ID = "{error_id}";

    private final Map<Integer, String> pages = new HashMap<>();

    public ErrorPages(Map<Integer, SiteConfig.ErrorDocument> documents) {
        documents.forEach((status, document) -> pages.put(status, document.html()));
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }

    /** The page for {@code status} with {@code errorId} in it, or {@code null} when none was given. */
    String page(int status, String errorId) {
        String page = pages.get(status);
        return page == null ? null : page.replace(ERROR_ID, errorId);
    }

    /**
     * Whether the client asks for HTML: its Accept names {@code text/html} with a weight above 0, as a browser's
     * does. {@code *}{@code /*} alone (curl, most libraries) keeps the plain text, which a program reads better.
     */
    public static boolean wantsHtml(HttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (accept == null) {
            return false;
        }
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().equals("text/html")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).trim().matches("0(\\.0*)?");
                }
            }
            return !refused;
        }
        return false;
    }
}
