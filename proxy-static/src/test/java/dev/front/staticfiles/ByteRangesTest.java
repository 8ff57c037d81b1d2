package dev.front.staticfiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {

    /** Results as text: "whole", "416", or the ranges "a-b,c-d". */
    private static String describe(ByteRanges.Result result) {
        return switch (result) {
            case ByteRanges.Whole w -> "whole";
            case ByteRanges.Unsatisfiable u -> "416";
            case ByteRanges.Partial p -> p.ranges().stream()
                    .map(r -> r.first() + "-" + r.last()).collect(Collectors.joining(","));
        };
    }

    @ParameterizedTest(name = "[{0}] of {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                          | 100        | whole
            ''                            | 100        | whole
            bytes=0-9                     | 100        | 0-9
            BYTES=0-9                     | 100        | 0-9
            bytes=90-                     | 100        | 90-99
            bytes=-10                     | 100        | 90-99
            bytes=-1000                   | 100        | 0-99
            bytes=50-1000                 | 100        | 50-99
            bytes=99-99                   | 100        | 99-99
            bytes= 0-0 , 5-9              | 100        | 0-0,5-9
            bytes=5-9,0-0                 | 100        | 5-9,0-0
            'bytes=0-1,,4-5'              | 100        | 0-1,4-5
            bytes=100-                    | 100        | 416
            bytes=100-200                 | 100        | 416
            bytes=-0                      | 100        | 416
            bytes=0-                      | 0          | 416
            bytes=-5                      | 0          | 416
            bytes=100-,0-4                | 100        | 0-4
            bytes=9-5                     | 100        | whole
            bytes=a-5                     | 100        | whole
            bytes=5                       | 100        | whole
            bytes=-                       | 100        | whole
            bytes=                        | 100        | whole
            bytes=1--2                    | 100        | whole
            bytes=0-9;x                   | 100        | whole
            items=0-9                     | 100        | whole
            bytes 0-9                     | 100        | whole
            bytes=0-9,5-15                | 100        | whole
            bytes=0-9,9-15                | 100        | whole
            bytes=99999999999999999999-   | 100        | 416
            bytes=0-99999999999999999999  | 100        | 0-99
            bytes=-99999999999999999999   | 100        | 0-99
            bytes=4294967296-4294967305   | 5000000000 | 4294967296-4294967305
            bytes=-10                     | 5000000000 | 4999999990-4999999999
            """)
    void parses(String header, long length, String expected) {
        assertThat(describe(ByteRanges.parse(header, length))).isEqualTo(expected);
    }

    @Test
    void tooManyRangesAreAnsweredWithTheWholeFile() {
        StringBuilder header = new StringBuilder("bytes=");
        for (int i = 0; i <= ByteRanges.MAX_PARTS; i++) {
            header.append(i == 0 ? "" : ",").append(i * 10).append('-').append(i * 10 + 1);
        }
        assertThat(ByteRanges.parse(header.toString(), 1000)).isEqualTo(new ByteRanges.Whole());
        String allowed = header.substring(0, header.lastIndexOf(","));
        assertThat(ByteRanges.parse(allowed, 1000)).isInstanceOf(ByteRanges.Partial.class);
    }

    @Test
    void lengthIsInclusive() {
        assertThat(new ByteRanges.ByteRange(5, 9).length()).isEqualTo(5);
        assertThat(ByteRanges.parse("bytes=0-0", 1)).isEqualTo(new ByteRanges.Partial(List.of(new ByteRanges.ByteRange(0, 0))));
    }
}
