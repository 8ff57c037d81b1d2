package dev.front.staticfiles;

import java.util.OptionalLong;

/**
 * Evaluates conditional requests in the order of RFC 9110 §13.2.2 for a GET or HEAD of an existing file: If-Match,
 * else If-Unmodified-Since; then If-None-Match, else If-Modified-Since. Range and If-Range come after and are decided
 * by {@link #ifRangeHolds}. Dates compare in whole seconds, since HTTP dates carry no more.
 */
final class Preconditions {

    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {
    }

    /**
     * @param etag         the current strong tag, quotes included
     * @param lastModified the modification time, in seconds since the epoch
     */
    static Outcome evaluate(RequestFacts request, String etag, long lastModified) {
        if (request.ifMatch() != null) {
            if (!EntityTags.matchesStrongly(request.ifMatch(), etag)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else if (request.ifUnmodifiedSince() != null) {
            OptionalLong date = HttpDates.parse(request.ifUnmodifiedSince());
            if (date.isPresent() && lastModified > date.getAsLong()) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        if (request.ifNoneMatch() != null) {
            if (EntityTags.matchesWeakly(request.ifNoneMatch(), etag)) {
                return Outcome.NOT_MODIFIED;
            }
        } else if (request.ifModifiedSince() != null) {
            OptionalLong date = HttpDates.parse(request.ifModifiedSince());
            if (date.isPresent() && lastModified <= date.getAsLong()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * If-Range (RFC 9110 §13.1.5): the Range applies only if the validator still holds. An entity tag must match
     * strongly (a weak tag never does); a date must equal Last-Modified exactly. Anything unparseable does not hold,
     * so the client gets the whole representation rather than a part of one it does not have.
     */
    static boolean ifRangeHolds(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        OptionalLong date = HttpDates.parse(value);
        return date.isPresent() && date.getAsLong() == lastModified;
    }
}
