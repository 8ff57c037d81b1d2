package dev.front.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.connection.RouteKind;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class JsonLogFormatTest {

    @Test
    void oneFlatObjectWithEveryField() {
        RequestRecord record = new RequestRecord(PatternLogFormatTest.START, "2001:db8::7", "10.0.0.5", "POST",
                "/u?a=1", "HTTP/1.0", 502, true, 3, 21, 1_234_567, RouteKind.FORWARDED, "0f3a",
                "9b2e-r", new DefaultHttpHeaders(),
                null);
        assertThat(new JsonLogFormat().format(record)).isEqualTo("{\"time\":\"2000-10-10T13:55:36Z\","
                + "\"client\":\"2001:db8::7\",\"method\":\"POST\",\"target\":\"/u?a=1\",\"protocol\":\"HTTP/1.0\","
                + "\"status\":502,\"bytes\":21,\"duration_ms\":1.234,\"route\":\"forwarded\",\"error_id\":\"0f3a\","
                + "\"request_id\":\"9b2e-r\"}");
    }

    @Test
    void targetsWithQuotesAndControlCharactersStayOneValidObject() {
        RequestRecord record = new RequestRecord(PatternLogFormatTest.START + 7, "a", "a", "GET",
                "/\"}\\\n\u0007\u00ff", "HTTP/1.1", 0, false, 0, 0, 42_000, RouteKind.STATIC, null,
                null, new DefaultHttpHeaders(), null);
        String line = new JsonLogFormat().format(record);
        assertThat(line).doesNotContain("\n").matches("\\p{ASCII}*");
        Map<String, Object> parsed = new Yaml().load(line);
        assertThat(parsed).containsEntry("target", "/\"}\\\n\u0007\u00ff").containsEntry("aborted", true)
                .containsEntry("time", "2000-10-10T13:55:36.007Z").containsEntry("duration_ms", 0.042)
                .containsEntry("status", 0).containsEntry("route", "static");
    }
}
