package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildSocketTest {

    @TempDir
    Path root;

    @Test
    void livesInADirectoryOnlyTheOwnerMayEnter() throws Exception {
        try (ChildSocket socket = ChildSocket.create(root)) {
            assertThat(socket.directory().getParent()).isEqualTo(root);
            assertThat(socket.directory().getFileName().toString()).startsWith("front-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.directory())))
                    .isEqualTo("rwx------");
            assertThat(socket.path()).isEqualTo(socket.directory().resolve("child.sock"));
            assertThat(socket.toString()).isEqualTo("unix:" + socket.path());
            assertThat(socket.probe()).isEqualTo(UnixDomainSocketAddress.of(socket.path()));
        }
    }

    @Test
    void aRelativeRootIsMadeAbsoluteForTheChildThatRunsElsewhere() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(root);
        try (ChildSocket socket = ChildSocket.create(relative)) {
            assertThat(socket.path()).isAbsolute();
        }
    }

    @Test
    void fillsTheSocketPlaceholderAndTellsTheChildNoPort() throws Exception {
        try (ChildSocket socket = ChildSocket.create(root)) {
            assertThat(socket.substitute(java.util.List.of("gunicorn", "-b", "unix:{socket}", "{port}")))
                    .containsExactly("gunicorn", "-b", "unix:" + socket.path(), "{port}");
            // an inherited PORT is the front's own public port: the child must not take it for its own
            assertThat(socket.environment(Map.of("PORT", "8080", "HOST", "0.0.0.0", "HOME", "/root")))
                    .containsEntry("FRONT_SOCKET", socket.path().toString())
                    .containsEntry("HOME", "/root")
                    .doesNotContainKeys("PORT", "HOST");
        }
    }

    @Test
    void aStaleSocketIsRemovedBeforeASpawnAndEverythingOnClose() throws Exception {
        ChildSocket socket = ChildSocket.create(root);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(socket.probe());
            assertThat(Readiness.accepts(socket.probe())).isTrue();
        }
        // the listener is gone, its file stays: refused, as after a crash
        assertThat(socket.path()).exists();
        assertThat(Readiness.accepts(socket.probe())).isFalse();
        socket.prepareSpawn();
        assertThat(socket.path()).doesNotExist();
        assertThat(Readiness.accepts(socket.probe())).isFalse();
        socket.prepareSpawn(); // nothing to remove is fine

        Files.writeString(socket.directory().resolve("server.lock"), "left by a server");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(socket.probe());
        }
        socket.close();
        assertThat(socket.directory()).doesNotExist();
        socket.close(); // twice is fine
    }

    @Test
    void aRootTooLongForASocketPathIsAUsageErrorNamingTempDir() throws Exception {
        // "/front-" + up to 20 digits + "/child.sock" is 38 bytes: 69 are left of the 107 a socket path holds
        Path longest = Path.of("/" + "d".repeat(68));
        ChildSocket.checkLength(longest);
        Path tooLong = Path.of("/" + "d".repeat(69));
        assertThatThrownBy(() -> ChildSocket.checkLength(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--temp-dir: " + tooLong + " (expected: a path of at most 69 bytes: the child's socket "
                        + tooLong + "/front-N/child.sock must fit the 107 bytes of a Unix socket path)");
        // bytes, not characters
        assertThatThrownBy(() -> ChildSocket.checkLength(Path.of("/" + "é".repeat(35))))
                .isInstanceOf(IllegalArgumentException.class);
        // and nothing is made for it
        Path deep = root.resolve("x".repeat(Math.max(1, 80 - root.toString().length())));
        Files.createDirectories(deep);
        assertThatThrownBy(() -> ChildSocket.create(deep)).isInstanceOf(IllegalArgumentException.class);
        try (var entries = Files.list(deep)) {
            assertThat(entries).isEmpty();
        }
    }
}
