package dev.front.core.alias;

import dev.front.config.Alias;

/**
 * A request routed to an alias.
 *
 * @param alias    the alias that matched (the longest one)
 * @param subPath  the decoded, normalised path below the alias: {@code ""} for the alias itself, else it starts with
 *                 {@code /}; a trailing {@code /} is kept. It never contains {@code .} or {@code ..} segments, empty
 *                 segments, NUL, control characters or a backslash.
 * @param rawQuery the query string as the client sent it, without {@code ?}; {@code null} when there was none
 */
public record AliasRequest(Alias alias, String subPath, String rawQuery) {
}
