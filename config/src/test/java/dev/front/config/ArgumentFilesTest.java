package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentFilesTest {

    @TempDir
    Path dir;

    @Test
    void whiskeyServerArgsExpandInPlace() throws Exception {
        Path file = dir.resolve("server_args");
        Files.writeString(file, """
                --url-alias /static static --application-type module hello_world.wsgi
                --trust-proxy-header X-Forwarded-For # the router appends
                # a whole comment line
                --trust-proxy-header X-Forwarded-Port
                """);
        assertThat(ArgumentFiles.expand(List.of("--port", "1", "@" + file, "--log-level", "info"), Map.of()))
                .containsExactly("--port", "1", "--url-alias", "/static", "static", "--application-type", "module",
                        "hello_world.wsgi", "--trust-proxy-header", "X-Forwarded-For", "--trust-proxy-header",
                        "X-Forwarded-Port", "--log-level", "info");
    }

    @Test
    void quotesAndVariables() throws Exception {
        Map<String, String> env = Map.of("HOME", "/home/app", "NAME", "x y");
        assertThat(ArgumentFiles.tokenize("a\"$HOME/s\" '$HOME' ${NAME} \"${NAME}\" $MISSING. \\$ 5$ $", env, "f"))
                .containsExactly("a/home/app/s", "$HOME", "x y", "x y", ".", "$", "5$", "$");
        assertThat(ArgumentFiles.tokenize("'it''s' \"a \\\"q\\\"\" a#b", Map.of(), "f"))
                .containsExactly("its", "a \"q\"", "a#b");
        assertThatThrownBy(() -> ArgumentFiles.tokenize("'open", Map.of(), "@f"))
                .hasMessage("@f: unterminated ' quote (expected: matching quotes)");
    }

    @Test
    void theChildCommandIsNeverExpanded() throws Exception {
        Path file = dir.resolve("args");
        Files.writeString(file, "--port 2 -- child $X");
        assertThat(ArgumentFiles.expand(List.of("@" + file, "tail", "@" + file), Map.of("X", "x")))
                .containsExactly("--port", "2", "--", "child", "x", "tail", "@" + file);
        assertThat(ArgumentFiles.expand(List.of("--", "@" + file), Map.of())).containsExactly("--", "@" + file);
    }

    @Test
    void aMissingFileIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> ArgumentFiles.expand(List.of("@" + dir.resolve("nope")), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("@" + dir.resolve("nope") + ": cannot read");
    }

    @Test
    void selfIncludingFilesStop() throws Exception {
        Path file = dir.resolve("loop");
        Files.writeString(file, "@" + file);
        assertThatThrownBy(() -> ArgumentFiles.expand(List.of("@" + file), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("nested too deeply");
    }
}
