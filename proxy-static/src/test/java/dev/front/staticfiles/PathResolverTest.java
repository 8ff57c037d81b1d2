package dev.front.staticfiles;

import dev.front.config.Alias;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PathResolverTest {

    @TempDir
    static Path tmp;
    static Path root;
    static Alias alias;
    static final PathResolver resolver = new PathResolver("index.html");

    @BeforeAll
    static void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("static"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("app.js"), "console.log(1)");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "sub");
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("dir:colon"));
        Files.createDirectories(root.resolve("caf\u00e9"));
        Files.createDirectories(root.resolve("index-is-dir/index.html"));
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core]");
        Files.createDirectories(root.resolve(".well-known"));
        Files.writeString(root.resolve(".well-known/security.txt"), "Contact: x");
        Files.createDirectories(root.resolve("a;b"));
        Files.writeString(root.resolve("a;b/c.txt"), "semicolon");
        Files.createDirectories(tmp.resolve("static_secret"));
        Files.writeString(tmp.resolve("static_secret/secret.txt"), "secret");
        Files.writeString(tmp.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(root.resolve("link-in.js"), Path.of("app.js"));
        Files.createSymbolicLink(root.resolve("link-sub"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("link-out.txt"), Path.of("../outside.txt"));
        Files.createSymbolicLink(root.resolve("link-sibling"), Path.of("../static_secret"));
        Files.createSymbolicLink(root.resolve("link-abs"), tmp.resolve("static_secret/secret.txt"));
        Files.createSymbolicLink(root.resolve("link-etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("link-dot"), Path.of(".git/config"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        // A symlink whose target climbs out through "..": containment is judged after the kernel resolves it.
        Files.createSymbolicLink(root.resolve("sub/escape"), Path.of("../../static_secret/secret.txt"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
        assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        Files.createSymbolicLink(root.resolve("fifo-link.txt"), Path.of("fifo"));
        alias = new Alias("/static", root);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /app.js                    | app.js
            /                          | index.html
            /sub/                      | sub/index.html
            /link-in.js                | app.js
            /link-sub/                 | sub/index.html
            /.well-known/security.txt  | .well-known/security.txt
            /a;b/c.txt                 | a;b/c.txt
            """)
    void servesRegularFilesInside(String subPath, String expected) throws IOException {
        Resolution resolution = resolver.resolve(alias, subPath, null);
        assertThat(resolution).isInstanceOf(Resolution.Found.class);
        assertThat(((Resolution.Found) resolution).file()).isEqualTo(root.toRealPath().resolve(expected));
    }

    @ParameterizedTest(name = "{0} -> 404")
    @CsvSource(textBlock = """
            /missing.txt
            /app.js/
            /empty/
            /index-is-dir/
            /.env
            /.git/config
            /sub/.hidden
            /link-dot
            /link-out.txt
            /link-sibling/secret.txt
            /link-abs
            /link-etc/passwd
            /sub/escape
            /dangling
            /loop
            /fifo
            /fifo-link.txt
            /app.js/x
            """)
    void refusesWithNotFound(String subPath) {
        assertThat(resolver.resolve(alias, subPath, null))
                .isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
    }

    @Test
    void siblingDirectoryWithCommonPrefixIsNotInside() throws IOException {
        // ".../static_secret/secret.txt" starts with ".../static" as a string, not as a path
        Path realRoot = root.toRealPath();
        Path sibling = tmp.toRealPath().resolve("static_secret/secret.txt");
        assertThat(sibling.toString()).startsWith(realRoot.toString());
        assertThat(PathResolver.confine(realRoot, sibling))
                .isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
    }

    @ParameterizedTest(name = "{0}?{1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            /sub          | NULL     | ./sub/
            /sub          | a=1&b=2  | ./sub/?a=1&b=2
            /sub          | ''       | ./sub/?
            /link-sub     | NULL     | ./link-sub/
            /dir:colon    | NULL     | ./dir:colon/
            /café         | x        | ./caf%C3%A9/?x
            /empty        | NULL     | ./empty/
            ''            | q        | ./static/?q
            """)
    void directoryWithoutSlashRedirects(String subPath, String query, String location) {
        assertThat(resolver.resolve(alias, subPath, query)).isEqualTo(new Resolution.Redirect(location));
    }

    @Test
    void singleFileAliasServesOnlyItself() throws IOException {
        Alias file = new Alias("/robots.txt", root.resolve("app.js"));
        assertThat(resolver.resolve(file, "", null)).isInstanceOf(Resolution.Found.class);
        assertThat(resolver.resolve(file, "/", null)).isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
        assertThat(resolver.resolve(file, "/x", null)).isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
    }

    @Test
    void aliasWhoseDirectoryDoesNotExistServesNothing() {
        Alias missing = new Alias("/later", tmp.resolve("not-yet"));
        assertThat(resolver.resolve(missing, "/x.txt", null))
                .isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
        assertThat(resolver.resolve(missing, "/", null))
                .isEqualTo(new Resolution.Refused(HttpResponseStatus.NOT_FOUND));
    }

    @Test
    void directoryWithoutSearchPermissionIsForbidden() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permissions; FileErrorsTest covers the mapping");
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.writeString(locked.resolve("f.txt"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assertThat(resolver.resolve(alias, "/locked/f.txt", null))
                    .isEqualTo(new Resolution.Refused(HttpResponseStatus.FORBIDDEN));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void fileErrorsMapToStatuses() {
        assertThat(FileErrors.statusOf(new AccessDeniedException("/x"))).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(FileErrors.statusOf(new FileSystemException("/x", null, "Too many open files")))
                .isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(FileErrors.statusOf(new FileSystemException("/x", null, "Too many open files in system")))
                .isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(FileErrors.statusOf(new FileSystemException("/x", null, "Not a directory")))
                .isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(FileErrors.statusOf(new IOException("anything else"))).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void refusesADirectoryIndexThatIsNotAFileName() {
        for (String bad : new String[] {"", "a/b", "..", "."}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PathResolver(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--directory-index: ");
        }
    }
}
