package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest(name = "literal {0}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0                 | 00000000",
        "127.0.0.1               | 7f000001",
        "255.255.255.255         | ffffffff",
        "198.51.100.7            | c6336407",
        "10.0.0.100              | 0a000064",
        "::                      | 00000000000000000000000000000000",
        "::1                     | 00000000000000000000000000000001",
        "1::                     | 00010000000000000000000000000000",
        "2001:db8::1             | 20010db8000000000000000000000001",
        "2001:DB8::A:b           | 20010db80000000000000000000a000b",
        "2001:0db8:0000:0000:0000:0000:0000:0001 | 20010db8000000000000000000000001",
        "1:2:3:4:5:6:7:8         | 00010002000300040005000600070008",
        "1:2:3:4:5:6:7::         | 00010002000300040005000600070000",
        "::2:3:4:5:6:7:8         | 00000002000300040005000600070008",
        "::ffff:10.1.2.3         | 00000000000000000000ffff0a010203",
        "::1.2.3.4               | 00000000000000000000000001020304",
        "1:2:3:4:5:6:1.2.3.4     | 00010002000300040005000601020304",
        "fe80::1:2.3.4.5         | fe800000000000000000000102030405",
    })
    void acceptsLiterals(String text, String expected) {
        assertThat(hex(IpAddresses.parseLiteral(text))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "rejects literal [{0}]")
    @ValueSource(strings = {
        "", " ", "unknown", "localhost", "example.com", "_hidden", "0x7f.0.0.1", "0x7f000001", "2130706433",
        "127.1", "127.0.1", "010.0.0.1", "127.0.0.01", "00.0.0.0", "256.0.0.1", "1.2.3.4.5", "1.2.3.", ".1.2.3.4",
        "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\t", "\"1.2.3.4\"", "1.2.3.-4", "+1.2.3.4", "1.2.3.4/32",
        "1.2.3.1234", "١.٢.٣.٤", "１.２.３.４",
        ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "12345::", "g::1", "fe80::1%eth0", "fe80::1%25eth0", "[::1]", "::1 ", "::ffff:1.2.3",
        "::ffff:01.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "::١", "2001:db8::1/64",
    })
    void rejectsLiterals(String text) {
        assertThat(IpAddresses.parseLiteral(text)).isNull();
    }

    @ParameterizedTest(name = "node {0}")
    @CsvSource(delimiter = '|', value = {
        "198.51.100.7            | c6336407",
        "198.51.100.7:443        | c6336407",
        "198.51.100.7:65535      | c6336407",
        "2001:db8::1             | 20010db8000000000000000000000001",
        "[2001:db8::1]           | 20010db8000000000000000000000001",
        "[2001:db8::1]:8080      | 20010db8000000000000000000000001",
        "::ffff:10.1.2.3         | 0a010203",
        "[::ffff:10.1.2.3]:1     | 0a010203",
        "::ffff:0a01:0203        | 0a010203",
    })
    void acceptsNodes(String text, String expected) {
        assertThat(hex(IpAddresses.parseNode(text, 0, text.length()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "rejects node [{0}]")
    @ValueSource(strings = {
        "", "unknown", "_gazonk", "127.1:80", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:123456",
        "1.2.3.4:+80", "1.2.3.4: 80", "1.2.3.4:80:80", "[1.2.3.4]", "[1.2.3.4]:80", "[::1", "::1]", "[::1]:",
        "[::1]80", "[::1]:0", "[::1]:x", "[fe80::1%eth0]:80", "[]", "[]:80", "[ ::1]", "localhost:80",
    })
    void rejectsNodes(String text) {
        assertThat(IpAddresses.parseNode(text, 0, text.length())).isNull();
    }

    @org.junit.jupiter.api.Test
    void parsesInsideALargerValueWithoutLookingOutside() {
        String value = "x, 10.0.0.1:80, y";
        assertThat(hex(IpAddresses.parseNode(value, 3, 13))).isEqualTo("0a000001");
        assertThat(hex(IpAddresses.parseLiteral(value, 3, 11))).isEqualTo("0a000001");
        assertThat(IpAddresses.parseLiteral(value, 3, 12)).isNull();
    }

    @ParameterizedTest(name = "port {0} = {1}")
    @CsvSource({"1,1", "80,80", "0443,443", "65535,65535", "0,-1", "65536,-1", "123456,-1", "'',-1", "-1,-1",
        "8a,-1", "' 80',-1"})
    void parsesPorts(String text, int expected) {
        assertThat(IpAddresses.parsePort(text, 0, text.length())).isEqualTo(expected);
    }
}
