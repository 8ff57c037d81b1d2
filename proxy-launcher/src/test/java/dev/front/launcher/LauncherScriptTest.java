package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/front} picks the first Java 25 or newer it finds, reading a JDK's {@code release} file rather than
 * starting each JVM it looks at. The JDKs here are fakes whose {@code java} prints what it was asked to run, so the
 * test sees the choice without starting a JVM.
 */
class LauncherScriptTest {

    static final Path SCRIPT = Path.of("..", "bin", "front").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A JDK directory with {@code bin/java}; {@code release} is written only when {@code releaseVersion} is given. */
    private Path fakeJdk(String name, String releaseVersion, String specificationVersion) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Path java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                case "$1" in
                -XshowSettings:properties) echo "    java.specification.version = %s" >&2; echo "probed" >> "%s/probes" ;;
                *) echo "%s ran $*" ;;
                esac
                """.formatted(specificationVersion, home, name));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + releaseVersion + "\"\n");
        }
        return home;
    }

    private String run(Path javaHome) throws Exception {
        Path jar = Files.writeString(dir.resolve("front.jar"), "");
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString(), "--port", "1").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("FRONT_JAR", jar.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.trim();
    }

    @Test
    void aJdkIsChosenByItsReleaseFileWithoutStartingIt() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.1", "17");
        assertThat(run(jdk)).isEqualTo("jdk25 ran -jar " + dir.resolve("front.jar") + " --port 1");
        assertThat(jdk.resolve("probes")).doesNotExist();
    }

    @Test
    void anOlderJdkIsPassedOver() throws Exception {
        Path jdk = fakeJdk("jdk17", "17.0.15", "25");
        assertThat(run(jdk)).doesNotContain("jdk17 ran");
        assertThat(jdk.resolve("probes")).doesNotExist();
    }

    @Test
    void aJavaWithoutAReleaseFileIsAsked() throws Exception {
        Path jdk = fakeJdk("jre26", null, "26");
        assertThat(run(jdk)).isEqualTo("jre26 ran -jar " + dir.resolve("front.jar") + " --port 1");
        assertThat(jdk.resolve("probes")).exists();
    }
}
