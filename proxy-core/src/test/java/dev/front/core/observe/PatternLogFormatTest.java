package dev.front.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.front.core.connection.RouteKind;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PatternLogFormatTest {

    static final long START = ZonedDateTime.parse("2000-10-10T13:55:36Z").toInstant().toEpochMilli();

    static RequestRecord record(String target, int status, long bytesOut, HttpHeaders requestHeaders) {
        HttpHeaders response = new DefaultHttpHeaders().set("Content-Type", "text/html");
        return new RequestRecord(START, "198.51.100.7", "10.0.0.5", "GET", target, "HTTP/1.1", status, true, 12,
                bytesOut, 2_345_678, RouteKind.FORWARDED, null, null, requestHeaders, response);
    }

    /** %t is written in the front's zone, as Apache does. */
    private static String clfTime() {
        return DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH)
                .format(ZonedDateTime.parse("2000-10-10T13:55:36Z").withZoneSameInstant(ZoneId.systemDefault()));
    }

    @Test
    void commonIsApachesCommonLogFormat() {
        String line = AccessLogFormat.parse("common").format(record("/a?b=1", 200, 2326, new DefaultHttpHeaders()));
        assertThat(line).isEqualTo("198.51.100.7 - - " + clfTime() + " \"GET /a?b=1 HTTP/1.1\" 200 2326");
    }

    @Test
    void combinedAddsRefererAndUserAgentAndEmptyBodiesAreADash() {
        HttpHeaders headers = new DefaultHttpHeaders().set("Referer", "http://example.org/").set("User-Agent", "curl/8");
        String line = AccessLogFormat.parse("combined").format(record("/", 304, 0, headers));
        assertThat(line).endsWith("\"GET / HTTP/1.1\" 304 - \"http://example.org/\" \"curl/8\"");
        assertThat(AccessLogFormat.parse("combined").format(record("/", 200, 1, new DefaultHttpHeaders())))
                .endsWith(" 200 1 \"-\" \"-\"");
    }

    @Test
    void customPatternsUseEveryDirective() {
        HttpHeaders headers = new DefaultHttpHeaders().set("X-Request-Id", "r1");
        String line = PatternLogFormat.parse("%a|%h|%m|%U|%q|%H|%>s|%s|%b|%B|%I|%D|%T|%{ms}T|%{us}T|%{s}T"
                + "|%{X-Request-Id}i|%{Content-Type}o|%{Missing}i|%L|%R|100%%").format(record("/p?x=1", 201, 5, headers));
        assertThat(line).isEqualTo("10.0.0.5|198.51.100.7|GET|/p|?x=1|HTTP/1.1|201|201|5|5|12|2345|0|2|2345|0"
                + "|r1|text/html|-|-|forwarded|100%");
    }

    @Test
    void textFromTheClientCannotForgeFieldsOrLines() {
        HttpHeaders headers = new DefaultHttpHeaders(false).set("User-Agent", "evil\" 200 \\ \u0001\u00e9");
        String line = PatternLogFormat.parse("\"%r\" \"%{User-Agent}i\"").format(record("/\"x", 200, 0, headers));
        assertThat(line).isEqualTo("\"GET /\\\"x HTTP/1.1\" \"evil\\\" 200 \\\\ \\x01\\xe9\"");
    }

    @Test
    void anUnknownDirectiveIsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"%h %Z", "%{Referer", "trailing %", "%{x}q", "%{h}T"}) {
            assertThatThrownBy(() -> AccessLogFormat.parse(bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--access-log-format: " + bad + " (expected: common, combined, json");
        }
    }

    @Test
    void abortedRequestsHaveADashStatusWhenNothingWasSent() {
        RequestRecord aborted = new RequestRecord(START, "a", "a", "GET", "/", "HTTP/1.1", 0, false, 0, 0, 1,
                RouteKind.FORWARDED, null, null, new DefaultHttpHeaders(), null);
        assertThat(PatternLogFormat.parse("%s %b %{Content-Type}o").format(aborted)).isEqualTo("- - -");
    }
}
