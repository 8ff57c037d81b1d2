package dev.front.core.connection;

/** Who answered a request: the static file service, the upstream, or the front itself (refusals, 404s). */
public enum RouteKind {
    STATIC("static"),
    FORWARDED("forwarded"),
    /** The front's own answer before or instead of routing: a malformed request, or a 404 with no upstream. */
    FRONT("front");

    private final String label;

    RouteKind(String label) {
        this.label = label;
    }

    /** The route the router took: an alias matched, else forwarded when there is an upstream, else the front's 404. */
    public static RouteKind of(boolean aliasMatched, boolean forwards) {
        return aliasMatched ? STATIC : forwards ? FORWARDED : FRONT;
    }

    /** The word used in the access log and as the {@code route} metric tag. */
    public String label() {
        return label;
    }
}
