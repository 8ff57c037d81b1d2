package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "example.org", "example.org:8080", "EXAMPLE.org:0", "a:65535", "127.0.0.1",
            "127.0.0.1:80", "a_b-c~d", "a%41b", "xn--bcher-kva.example", "example.org.", "example.org.:80", "!$&'()*+;=", "[::1]", "[::1]:443",
            "[::]", "[1::]", "[2001:db8::8:800:200c:417a]", "[1:2:3:4:5:6:7:8]", "[::ffff:192.0.2.1]:80",
            "[1:2:3:4:5:6:1.2.3.4]", "[v1.fe80::a+en1]", "[V7.x]"})
    void hostsThatAreHosts(String value) {
        assertThat(HostSyntax.valid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\tb", "user@evil", "user:pw@evil", "a/b", "a\\b", "a?b", "a#b", "a%", "a%4",
            "a%zz", "a:b:c", "a:80x", "a:-1", "a:+80", "a:65536", "a:999999", "a:", ":80", "[::1", "::1", "[::1]x",
            "[::1]:", "[zz::1]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[1::2::3]", "[12345::]", "[:1]",
            "[1:]", "[::1%25eth0]", "[::256.0.0.1]", "[::1.2.3]", "[::01.2.3.4]", "[1:2:3:4:5:6:7:1.2.3.4]",
            "[v.x]", "[vz.x]", "[v1.]", "[]", "é.example", "a\"b", "a<b", "a{b", "a,b", "..", "a..b", ".a", ".", "a..:80"})
    void anythingElseIsNot(String value) {
        assertThat(HostSyntax.valid(value)).isFalse();
    }
}
