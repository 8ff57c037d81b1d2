package dev.front.core.alias;

import dev.front.config.Alias;
import dev.front.core.http.RequestTarget;
import java.util.Comparator;
import java.util.List;

/**
 * Matches a normalised path against the aliases: whole segments only ({@code /static} matches {@code /static} and
 * {@code /static/x}, never {@code /staticfoo}), the longest alias wins whatever the command-line order.
 */
public final class Router {

    private final List<Alias> longestFirst;

    public Router(List<Alias> aliases) {
        this.longestFirst = aliases.stream()
                .sorted(Comparator.comparingInt((Alias a) -> a.urlPath().length()).reversed())
                .toList();
    }

    /** The alias request for {@code target}, or {@code null} when the request is forwarded. */
    public AliasRequest route(RequestTarget target) {
        String path = target.path();
        for (Alias alias : longestFirst) {
            String prefix = alias.urlPath();
            if (prefix.equals("/")) {
                return new AliasRequest(alias, path, target.rawQuery());
            }
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return new AliasRequest(alias, path.substring(prefix.length()), target.rawQuery());
            }
        }
        return null;
    }
}
