package dev.front.staticfiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PreconditionsTest {

    /** Sun, 06 Nov 1994 08:49:37 GMT */
    private static final long MODIFIED = 784111777L;
    private static final String ETAG = "\"a-b\"";

    private static RequestFacts facts(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch, String ifModifiedSince) {
        return new RequestFacts(false, false, null, null, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, null);
    }

    @ParameterizedTest(name = "If-Match={0} IUS={1} INM={2} IMS={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL             | NULL                          | NULL             | NULL                          | PROCEED
            '"a-b"'          | NULL                          | NULL             | NULL                          | PROCEED
            '*'              | NULL                          | NULL             | NULL                          | PROCEED
            '"x", "a-b"'     | NULL                          | NULL             | NULL                          | PROCEED
            'W/"a-b"'        | NULL                          | NULL             | NULL                          | PRECONDITION_FAILED
            '"x"'            | NULL                          | NULL             | NULL                          | PRECONDITION_FAILED
            'garbage'        | NULL                          | NULL             | NULL                          | PRECONDITION_FAILED
            '"a-b"'          | Sat, 05 Nov 1994 00:00:00 GMT | NULL             | NULL                          | PROCEED
            NULL             | Sat, 05 Nov 1994 00:00:00 GMT | NULL             | NULL                          | PRECONDITION_FAILED
            NULL             | Sun, 06 Nov 1994 08:49:37 GMT | NULL             | NULL                          | PROCEED
            NULL             | not a date                    | NULL             | NULL                          | PROCEED
            NULL             | NULL                          | '"a-b"'          | NULL                          | NOT_MODIFIED
            NULL             | NULL                          | 'W/"a-b"'        | NULL                          | NOT_MODIFIED
            NULL             | NULL                          | '"x" , W/"a-b"'  | NULL                          | NOT_MODIFIED
            NULL             | NULL                          | '*'              | NULL                          | NOT_MODIFIED
            NULL             | NULL                          | '"x"'            | NULL                          | PROCEED
            NULL             | NULL                          | '"x"'            | Sun, 06 Nov 1994 08:49:37 GMT | PROCEED
            NULL             | NULL                          | NULL             | Sun, 06 Nov 1994 08:49:37 GMT | NOT_MODIFIED
            NULL             | NULL                          | NULL             | Mon, 07 Nov 1994 00:00:00 GMT | NOT_MODIFIED
            NULL             | NULL                          | NULL             | Sunday, 06-Nov-94 08:49:37 GMT| NOT_MODIFIED
            NULL             | NULL                          | NULL             | Sun Nov  6 08:49:37 1994      | NOT_MODIFIED
            NULL             | NULL                          | NULL             | Sun, 06 Nov 1994 08:49:36 GMT | PROCEED
            NULL             | NULL                          | NULL             | Sun, 6 Nov 1994 08:49:37 GMT  | PROCEED
            NULL             | NULL                          | NULL             | yesterday                     | PROCEED
            '"x"'            | NULL                          | '"a-b"'          | NULL                          | PRECONDITION_FAILED
            """)
    void evaluatesInRfc9110Order(String ifMatch, String ius, String inm, String ims, Preconditions.Outcome expected) {
        assertThat(Preconditions.evaluate(facts(ifMatch, ius, inm, ims), ETAG, MODIFIED)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "If-Range={0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                          | true
            '"a-b"'                       | true
            'W/"a-b"'                     | false
            '"x"'                         | false
            Sun, 06 Nov 1994 08:49:37 GMT | true
            Sun, 06 Nov 1994 08:49:38 GMT | false
            Sat, 05 Nov 1994 08:49:37 GMT | false
            garbage                       | false
            """)
    void ifRange(String ifRange, boolean holds) {
        assertThat(Preconditions.ifRangeHolds(ifRange, ETAG, MODIFIED)).isEqualTo(holds);
    }
}
