package dev.front.core.observe;

/** Why a request to the upstream failed, as counted by {@code front_upstream_errors_total{kind=...}}. */
public enum UpstreamError {
    /** The connection was refused (or could not be made) until the request gave up. */
    REFUSED("refused"),
    /** No response head within {@code --request-timeout}. */
    TIMEOUT("timeout"),
    /** The connection closed or was reset before the response was complete. */
    RESET("reset"),
    /** The response could not be parsed, or was one the front never asked for (101). */
    MALFORMED("malformed");

    private final String label;

    UpstreamError(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
