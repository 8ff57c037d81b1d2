package dev.front.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

    @ParameterizedTest(name = "[{0}] with {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                | br,zstd,gzip | identity
            ''                                  | br,zstd,gzip | identity
            gzip, deflate, br, zstd             | br,zstd,gzip | br
            gzip, deflate, br, zstd             | zstd,gzip    | zstd
            gzip, deflate, br, zstd             | gzip         | gzip
            gzip;q=0, br                        | br,zstd,gzip | br
            br;q=0, zstd;q=0, gzip              | br,zstd,gzip | gzip
            br;q=0.5, zstd;q=0.8, gzip;q=0.2    | br,zstd,gzip | zstd
            gzip;q=1, br;q=0.999                | br,zstd,gzip | gzip
            zstd, gzip                          | br,zstd,gzip | zstd
            identity                            | br,zstd,gzip | identity
            identity;q=0                        | br,zstd,gzip | identity
            *                                   | br,zstd,gzip | br
            *                                   | gzip         | gzip
            *;q=0                               | br,zstd,gzip | identity
            *;q=0, gzip                         | br,zstd,gzip | gzip
            *;q=0.5, br;q=0                     | br,zstd,gzip | zstd
            gzip;q=0.5                          | br,zstd,gzip | gzip
            gzip;q=0.5, identity                | br,zstd,gzip | identity
            gzip, identity;q=0.5                | br,zstd,gzip | gzip
            X-GZIP                              | br,zstd,gzip | gzip
            deflate, compress                   | br,zstd,gzip | identity
            br                                  | zstd,gzip    | identity
            gzip;q=2                            | br,zstd,gzip | identity
            gzip;q=0.1234, br;q=abc             | br,zstd,gzip | identity
            ' , ; ,ZSTD ;Q=0.8 '                | br,zstd,gzip | zstd
            """)
    void choosesByWeightThenByTheFrontsPreference(String header, String available, String expected) {
        Set<Coding> codings = EnumSet.noneOf(Coding.class);
        for (String token : available.split(",")) {
            codings.add(Coding.valueOf(token.strip().toUpperCase()));
        }
        Coding chosen = AcceptEncoding.negotiate(header, codings);
        assertThat(chosen == null ? "identity" : chosen.token()).isEqualTo(expected);
    }
}
