package dev.front.core.observe;

/** Turns one {@link RequestRecord} into one access log line (without the line end). */
interface AccessLogFormat {

    /** Apache's Common Log Format. */
    String COMMON = "%h %l %u %t \"%r\" %>s %b";
    /** Apache's Combined Log Format: common plus referrer and user agent. */
    String COMBINED = COMMON + " \"%{Referer}i\" \"%{User-Agent}i\"";

    String format(RequestRecord record);

    /**
     * {@code common}, {@code combined}, {@code json} or a custom pattern ({@link PatternLogFormat}).
     *
     * @throws IllegalArgumentException naming {@code --access-log-format} when the pattern has an unknown directive
     */
    static AccessLogFormat parse(String spec) {
        return switch (spec) {
            case "common" -> PatternLogFormat.parse(COMMON);
            case "combined" -> PatternLogFormat.parse(COMBINED);
            case "json" -> new JsonLogFormat();
            default -> PatternLogFormat.parse(spec);
        };
    }
}
