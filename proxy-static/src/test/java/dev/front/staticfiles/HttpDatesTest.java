package dev.front.staticfiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HttpDatesTest {

    @Test
    void formatsImfFixdateWithATwoDigitDay() {
        assertThat(HttpDates.format(784111777L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.now().toString()).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"})
    void parsesAllThreeFormats(String text) {
        assertThat(HttpDates.parse(text)).hasValue(784111777L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
            "sun, 06 nov 1994 08:49:37 gmt", "Sun Nov 6 08:49:37 1994", "2024-01-01T00:00:00Z", "Sun, 06 Nov 1994"})
    void rejectsAnythingElse(String text) {
        assertThat(HttpDates.parse(text)).isEmpty();
    }
}
