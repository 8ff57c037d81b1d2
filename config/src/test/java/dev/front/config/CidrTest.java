package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3/8, 10.0.0.0/8",
        "127.0.0.1, 127.0.0.1/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "192.168.1.129/25, 192.168.1.128/25",
        "::1, 0:0:0:0:0:0:0:1/128",
        "fd00::/8, fd00:0:0:0:0:0:0:0/8",
        "2001:db8:abcd:12::ffff/64, 2001:db8:abcd:12:0:0:0:0/64",
        "2001:db8::1/65, 2001:db8:0:0:0:0:0:0/65",
        "::/0, 0:0:0:0:0:0:0:0/0",
        "::ffff:10.0.0.0/104, 10.0.0.0/8",
        "::ffff:127.0.0.1, 127.0.0.1/32",
    })
    void parsesToCanonicalForm(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest(name = "rejects [{0}]")
    @ValueSource(strings = {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/+8",
        "10.0.0.0/8/8", "10/8", "10.0.0.0 /8", "localhost", "::1/129", "[::1]/128", "fe80::1%eth0/64", "*",
        "10.0.0.0/8 ", "010.0.0.0/8", "10.0.0.0/1000"})
    void rejectsWithTheOptionMessage(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--trust-proxy: " + text + " (expected: an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8)");
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.0.0.0/8, 9.255.255.255, false",
        "192.168.1.128/25, 192.168.1.128, true",
        "192.168.1.128/25, 192.168.1.127, false",
        "127.0.0.1/32, 127.0.0.1, true",
        "127.0.0.1/32, 127.0.0.2, false",
        "0.0.0.0/0, 255.255.255.255, true",
        "0.0.0.0/0, ::1, false",
        "255.0.0.0/8, 255.1.2.3, true",
        "::/0, ::1, true",
        "::/0, 1.2.3.4, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "2001:db8::1/128, 2001:db8::1, true",
        "2001:db8::1/128, 2001:db8::2, false",
        "2001:db8::/65, 2001:db8::7fff:ffff:ffff:ffff, true",
        "2001:db8::/65, 2001:db8::8000:0:0:0, false",
        "ffff::/1, 8000::, true",
        "ffff::/1, 7fff::, false",
        "::ffff:10.0.0.0/104, 10.9.9.9, true",
        "10.0.0.0/8, ::ffff:10.9.9.9, true",
        "::ffff:0:0/95, 10.9.9.9, false",
    })
    void contains(String cidr, String address, boolean expected) {
        byte[] bytes = IpAddresses.unmapped(IpAddresses.parseLiteral(address));
        assertThat(Cidr.parse(cidr).contains(bytes)).isEqualTo(expected);
    }

    @Test
    void equalNetworksAreEqual() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"))
                .hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"))
                .isNotEqualTo(Cidr.parse("10.0.0.0/9"));
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::/0")).isNotEqualTo(Cidr.parse("0.0.0.0/0"));
    }
}
