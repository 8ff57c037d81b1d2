package dev.front.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderNameTableTest {

    private static final HeaderNameTable TABLE;

    static {
        List<String> removed = new ArrayList<>(List.of("Connection", "X-Real-IP", "Proxy"));
        // Many names force probing past collisions in the open-addressing table.
        for (int i = 0; i < 200; i++) {
            removed.add("X-Filler-" + i);
        }
        TABLE = new HeaderNameTable(removed, new CharSequence[] {"X-Forwarded-For", "X-Real-IP"});
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "X-Forwarded-For, 0", "x-forwarded-for, 0", "X-FORWARDED-FOR, 0",
        "X-Real-IP, 1", "x-real-ip, 1",
        "Connection, -2", "CONNECTION, -2", "proxy, -2", "X-Filler-199, -2", "x-filler-7, -2",
        "X-Forwarded-Proto, -2", "x-forwarded-, -2", "X-Forwarded, -1", "X-Forwardedfor, -1",
        "Accept, -1", "Proxy-Foo, -1", "X-Filler-200, -1",
        "X_Forwarded_For, -3", "X.Forwarded.For, -3", "'', -3", "Acc ept, -3", "Ä, -3",
    })
    void classifiesIgnoringCase(String name, int expected) {
        assertThat(TABLE.classify(name)).isEqualTo(expected);
        assertThat(TABLE.classify(new AsciiString(name))).isEqualTo(expected);
    }
}
