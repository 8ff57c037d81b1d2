package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.front.config.FrontConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildCommandTest {

    @TempDir
    Path tmp;

    private static FrontConfig parse(String... args) throws Exception {
        return StartupLineTest.parse(args);
    }

    @Test
    void theSocketPlaceholderPutsTheChildOnASocket() throws Exception {
        assertThat(ChildCommand.listensOnSocket(parse("--", "gunicorn", "-b", "unix:{socket}", "app"))).isTrue();
        assertThat(ChildCommand.listensOnSocket(parse("--", "gunicorn", "-b", "127.0.0.1:{port}", "app"))).isFalse();
        // no placeholder at all: a port in $PORT, as before
        assertThat(ChildCommand.listensOnSocket(parse("--", "python3", "app.py"))).isFalse();
    }

    @Test
    void bothPlaceholdersAreRefused() throws Exception {
        FrontConfig both = parse("--", "server", "--listen", "unix:{socket}", "--also", "{port}");
        assertThatThrownBy(() -> ChildCommand.listensOnSocket(both))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("child command: uses both {port} and {socket} (expected: one of them: {socket} for a"
                        + " private Unix socket, {port} for a loopback port)");
    }

    @Test
    void aFixedPortMakesNoSenseForASocket() throws Exception {
        FrontConfig config = parse("--application-port", "9000", "--", "gunicorn", "-b", "unix:{socket}");
        assertThatThrownBy(() -> ChildCommand.listensOnSocket(config))
                .hasMessage("--application-port: 9000 (expected: no port when the child command listens on {socket})");
    }

    @Test
    void presetsListenOnASocketUnlessTheServerCannotOrAPortIsAskedFor() throws Exception {
        assertThat(ChildCommand.listensOnSocket(parse("--server", "gunicorn", "--application", "app:application")))
                .isTrue();
        assertThat(ChildCommand.listensOnSocket(parse("--application-type", "module", "app"))).isTrue();
        assertThat(ChildCommand.listensOnSocket(parse("--server", "mod_wsgi", "--application", "app:application")))
                .isFalse();
        assertThat(ChildCommand.listensOnSocket(parse("--server", "uvicorn", "--application", "app:application",
                "--application-port", "9000"))).isFalse();
        // a placeholder after -- of a preset must be the one the preset fills
        assertThatThrownBy(() -> ChildCommand.listensOnSocket(parse("--server", "waitress", "--application",
                "app:application", "--", "--port={port}")))
                .hasMessage("child command: {port} after -- (expected: {socket}: --server waitress listens on a"
                        + " private Unix socket; --application-port N puts it on a loopback port)");
        assertThatThrownBy(() -> ChildCommand.listensOnSocket(parse("--server", "mod_wsgi", "--application",
                "app:application", "--", "--socket", "{socket}")))
                .hasMessage("child command: {socket} after -- (expected: {port}: --server mod_wsgi listens on a"
                        + " loopback port)");
    }

    @Test
    void anOwnCommandGetsTheSocketInItsArgumentsAndEnvironment() throws Exception {
        FrontConfig config = parse("--app-root", tmp.toString(), "--", "gunicorn", "--bind=unix:{socket}", "app");
        try (ChildSocket socket = ChildSocket.create(tmp)) {
            ChildCommand command = ChildCommand.forConfig(config, socket, Map.of("PORT", "8080", "PATH", "/bin"));
            assertThat(command.argv(socket)).containsExactly("gunicorn", "--bind=unix:" + socket.path(), "app");
            assertThat(command.environment(socket)).containsEntry("FRONT_SOCKET", socket.path().toString())
                    .containsEntry("PATH", "/bin").doesNotContainKey("PORT");
            assertThat(command.workingDirectory()).isEqualTo(tmp);
            assertThat(command.stopSignal()).isEqualTo("TERM");
        }
    }

    @Test
    void anOwnCommandOnAPortKeepsPortAndHost() throws Exception {
        FrontConfig config = parse("--", "python3", "app.py", "{port}");
        ChildCommand command = ChildCommand.forConfig(config, ChildAddress.LoopbackPort.given(4321),
                Map.of("PORT", "8080"));
        assertThat(command.argv(ChildAddress.LoopbackPort.given(4321))).containsExactly("python3", "app.py", "4321");
        assertThat(command.environment(ChildAddress.LoopbackPort.given(4321))).containsEntry("PORT", "4321")
                .containsEntry("HOST", "127.0.0.1").doesNotContainKey("FRONT_SOCKET");
    }

    @Test
    void aRestartOnAnotherPortGetsItsArgumentsAndEnvironmentRebuilt() throws Exception {
        FrontConfig config = parse("--", "gunicorn", "-b", "127.0.0.1:{port}", "--name={port}", "app");
        ChildCommand command = ChildCommand.forConfig(config, new ChildAddress.LoopbackPort(4321, true),
                Map.of("PATH", "/bin"));
        ChildAddress moved = new ChildAddress.LoopbackPort(5432, true);
        assertThat(command.argv(new ChildAddress.LoopbackPort(4321, true)))
                .containsExactly("gunicorn", "-b", "127.0.0.1:4321", "--name=4321", "app");
        assertThat(command.argv(moved)).containsExactly("gunicorn", "-b", "127.0.0.1:5432", "--name=5432", "app");
        assertThat(command.environment(moved)).containsEntry("PORT", "5432").containsEntry("PATH", "/bin");
        // the template keeps the placeholder: a later move fills in its own port, not the previous one's
        assertThat(command.argvTemplate()).containsExactly("gunicorn", "-b", "127.0.0.1:{port}", "--name={port}",
                "app");
        assertThat(command.baseEnvironment()).doesNotContainKeys("PORT", "HOST");
    }
}
