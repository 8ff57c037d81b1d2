package dev.front.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompressibleTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            text/html; charset=utf-8        | true
            TEXT/PLAIN                      | true
            text/css                        | true
            text/javascript                 | true
            text/xml                        | true
            text/event-stream               | false
            application/json                | true
            application/problem+json        | true
            application/javascript          | true
            application/xhtml+xml           | true
            application/xml;charset=utf-8   | true
            application/wasm                | true
            image/svg+xml                   | true
            image/png                       | false
            application/octet-stream        | false
            application/zip                 | false
            font/woff2                      | false
            text/                           | false
            garbage                         | false
            NULL                            | false
            """)
    void textLikeTypesOnly(String contentType, boolean compressible) {
        assertThat(CompressibleTypes.compressible(contentType)).isEqualTo(compressible);
    }
}
