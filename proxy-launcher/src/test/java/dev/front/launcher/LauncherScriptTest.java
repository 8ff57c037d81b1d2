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
 * starting each JVM it looks at, and runs it with {@code bin/jvm-options} and an AOT cache it trains once. The JDKs
 * here are fakes whose {@code java} prints what it was asked to run (and counts the training runs it is asked for,
 * writing the cache when {@code TRAINING_WRITES} is set), so the test sees the choices without starting a JVM.
 */
class LauncherScriptTest {

    static final Path SCRIPT = Path.of("..", "bin", "front").toAbsolutePath().normalize();
    static final Path OPTIONS = SCRIPT.resolveSibling("jvm-options");

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
                *)
                    for arg; do
                        case $arg in -XX:AOTCacheOutput=*)
                            echo trained >> "%s/trainings"
                            [ -z "$TRAINING_WRITES" ] || echo cache > "${arg#-XX:AOTCacheOutput=}"
                            exit 0 ;;
                        esac
                    done
                    echo "%s ran $*" ;;
                esac
                """.formatted(specificationVersion, home, home, name));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + releaseVersion + "\"\n");
        }
        return home;
    }

    private String run(Path javaHome) throws Exception {
        return run(javaHome, Map.of());
    }

    private String run(Path javaHome, Map<String, String> extraEnv) throws Exception {
        Path jar = dir.resolve("jars/front.jar");
        if (!Files.exists(jar)) {
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "");
        }
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString(), "--port", "1").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("FRONT_JAR", jar.toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.remove("FRONT_JAVA_OPTS");
        env.remove("FRONT_AOT");
        env.putAll(extraEnv);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.trim();
    }

    @Test
    void aJdkIsChosenByItsReleaseFileWithoutStartingIt() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.1", "17");
        assertThat(run(jdk)).isEqualTo("jdk25 ran @" + OPTIONS + " -jar " + dir.resolve("jars/front.jar") + " --port 1");
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
        assertThat(run(jdk)).isEqualTo("jre26 ran @" + OPTIONS + " -jar " + dir.resolve("jars/front.jar") + " --port 1");
        assertThat(jdk.resolve("probes")).exists();
    }

    @Test
    void theAotCacheIsTrainedOnceNextToTheJarAndUsedFromThenOn() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.1", "25");
        String first = run(jdk, Map.of("TRAINING_WRITES", "1"));
        String second = run(jdk, Map.of("TRAINING_WRITES", "1", "FRONT_JAVA_OPTS", "-Xmx9m -Dx=y"));
        assertThat(Files.readAllLines(jdk.resolve("trainings"))).hasSize(1);
        assertThat(first).matches("jdk25 ran @\\S+ -XX:AOTCache=" + dir.resolve("jars") + "/front-\\d+\\.aot"
                + " -Xlog:aot=off -Xlog:cds=off -jar \\S+ --port 1");
        assertThat(second).startsWith(first.substring(0, first.indexOf(" -jar ")) + " -Xmx9m -Dx=y -jar ");
    }

    @Test
    void aTrainingThatWritesNothingIsNotRepeatedAndTheFrontStartsWithoutACache() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.1", "25");
        assertThat(run(jdk)).isEqualTo("jdk25 ran @" + OPTIONS + " -jar " + dir.resolve("jars/front.jar") + " --port 1");
        assertThat(run(jdk)).doesNotContain("AOTCache");
        assertThat(Files.readAllLines(jdk.resolve("trainings"))).hasSize(1);
    }

    @Test
    void frontAotOffNeverTrains() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.1", "25");
        assertThat(run(jdk, Map.of("FRONT_AOT", "off", "TRAINING_WRITES", "1"))).doesNotContain("AOTCache");
        assertThat(jdk.resolve("trainings")).doesNotExist();
    }
}
