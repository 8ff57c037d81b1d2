package dev.front.staticfiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContentCodingTest {

    @ParameterizedTest(name = "[{0}] with {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                          | br,zstd,gzip | identity
            ''                            | br,zstd,gzip | identity
            gzip, deflate, br, zstd       | br,zstd,gzip | br
            gzip, deflate, br, zstd       | zstd,gzip    | zstd
            gzip, deflate, br, zstd       | gzip         | gzip
            gzip                          | br,zstd      | identity
            br;q=0, gzip                  | br,gzip      | gzip
            BR;Q=0.5, gzip;q=0.9          | br,gzip      | gzip
            br;q=1.0, gzip;q=1            | br,gzip      | br
            *                             | gzip         | gzip
            *;q=0.5, br;q=0               | br,gzip      | gzip
            *;q=0.5, identity;q=0.2       | br           | br
            gzip;q=0.5                    | gzip         | gzip
            gzip;q=0.5, identity          | gzip         | identity
            gzip, identity;q=0.5          | gzip         | gzip
            gzip;q=0.5, identity;q=0      | gzip         | gzip
            gzip;q=0, identity;q=0        | gzip         | identity
            x-gzip                        | gzip         | gzip
            gzip;q=2                      | gzip         | identity
            gzip;q=0.1234                 | gzip         | identity
            gzip;q=abc, br                | br,gzip      | br
            ' , ; ,gzip ;q=0.8 '          | gzip         | gzip
            ' , ; ,gzip ;q=0 '            | gzip         | identity
            ' , ; ,gzip ;q=1 '            | gzip         | gzip
            zstd                          | br,gzip      | identity
            """)
    void negotiates(String header, String available, String expected) {
        Set<ContentCoding> codings = EnumSet.noneOf(ContentCoding.class);
        for (String token : available.split(",")) {
            codings.add(ContentCoding.valueOf(token.strip().toUpperCase()));
        }
        ContentCoding chosen = ContentCoding.negotiate(header, codings);
        assertThat(chosen == null ? "identity" : chosen.token()).isEqualTo(expected);
    }
}
