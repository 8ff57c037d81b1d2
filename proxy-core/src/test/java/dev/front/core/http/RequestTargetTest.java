package dev.front.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/                        | /                 | /",
            "/static/app.js           | /static/app.js    | /static/app.js",
            "/static/../admin         | /admin            | /admin",
            "/a/./b/                  | /a/b/             | /a/b/",
            "/a//b                    | /a/b              | /a/b",
            "/a/b/..                  | /a/               | /a/",
            "/a/%2e%2e/b              | /b                | /b",
            "/caf%C3%A9               | /café             | /caf%C3%A9",
            "/a%20b/./c               | /a b/c            | /a%20b/c",
            "/a;b=c                   | /a;b=c            | /a;b=c",
            "/a+b                     | /a+b              | /a+b",
            "/a?x=1&y=%2F             | /a                | /a?x=1&y=%2F",
            "http://example.org/p?q   | /p                | /p?q",
            "http://example.org       | /                 | /",
            "HTTP://example.org?x     | /                 | /?x",
            "http://a                 | /                 | /",
            "https://a:8443/b/../c    | /c                | /c",
    })
    void decodesOnceAndNormalises(String raw, String path, String originForm) throws Exception {
        RequestTarget target = RequestTarget.parse(raw);
        assertThat(target.path()).isEqualTo(path);
        assertThat(target.originForm()).isEqualTo(originForm);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/..", "/a/../..", "/%2e%2e/", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/a%00b", "/a%0d%0aX: y",
            "/%", "/%4", "/%zz", "/%c0%ae%c0%ae/", "/%C0%AF", "/%ed%a0%80", "/%ff", "/a#b", "/a b",
            "/\u00e9", "*", "example.org:443", "", "a/b", "/a%7F",
    })
    void refusesWhatCannotBeAPath(String raw) {
        assertThatThrownBy(() -> RequestTarget.parse(raw)).isInstanceOf(RequestTarget.BadTargetException.class);
    }

    @org.junit.jupiter.api.Test
    void absoluteFormCarriesTheAuthorityThatReplacesHost() throws Exception {
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("http://Example.org:8080/p").authority())
                .isEqualTo("Example.org:8080");
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("http://[::1]/").authority()).isEqualTo("[::1]");
        org.assertj.core.api.Assertions.assertThat(RequestTarget.parse("/p").authority()).isNull();
        for (String bad : new String[] {"http://user@evil/", "http:///p", "http://a b/", "http://a:99999999/"}) {
            assertThatThrownBy(() -> RequestTarget.parse(bad)).isInstanceOf(RequestTarget.BadTargetException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/%252e%252e/secret", "/%25"})
    void decodesOnlyOnce(String raw) throws Exception {
        assertThat(RequestTarget.parse(raw).path()).contains("%");
    }
}
