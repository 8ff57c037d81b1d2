package dev.front.staticfiles;

import io.netty.util.AsciiString;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate is generated (with a two-digit day); IMF-fixdate, the obsolete RFC 850
 * form and asctime are accepted. Parsing is strict: anything else, including a day name that does not fit the date,
 * is "not a date" so that the caller ignores the header as the RFC requires.
 */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    /**
     * RFC 9110 §5.6.7: a two-digit year that would lie more than 50 years in the future is in the past century, so the
     * window is the 100 years starting 49 years ago (fixed when the class loads; it drifts by a year at most per year
     * of uptime, which no client sending RFC 850 dates will notice).
     */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDateTime.now(ZoneOffset.UTC).getYear() - 49)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter
            .ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US)
            .withResolverStyle(ResolverStyle.STRICT);

    /** The Date header changes once a second; formatting it once per second keeps it off the hot path. */
    private record Cached(long second, AsciiString text) {
    }

    private static volatile Cached now = new Cached(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    private HttpDates() {
    }

    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /** The current time as IMF-fixdate, ready for a header. */
    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Cached cached = now;
        if (cached.second() != second) {
            cached = new Cached(second, new AsciiString(format(second)));
            now = cached;
        }
        return cached.text();
    }

    /** Seconds since the epoch, or empty when the text is not an HTTP date in one of the three formats. */
    static OptionalLong parse(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String value = text.strip();
        try {
            if (value.length() == 29 && value.charAt(3) == ',') {
                return OptionalLong.of(LocalDateTime.parse(value, IMF_FIXDATE).toEpochSecond(ZoneOffset.UTC));
            }
            if (value.length() == 24 && value.charAt(3) == ' ') {
                return OptionalLong.of(LocalDateTime.parse(value, ASCTIME).toEpochSecond(ZoneOffset.UTC));
            }
            if (value.indexOf(',') > 5 && value.indexOf('-') > 0) {
                return OptionalLong.of(LocalDateTime.parse(value, RFC_850).toEpochSecond(ZoneOffset.UTC));
            }
        } catch (DateTimeException e) {
            // not a date: the caller ignores the header
        }
        return OptionalLong.empty();
    }
}
