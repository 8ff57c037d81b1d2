package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.CommandLineParser;
import dev.front.config.FrontConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of the Dockerfile without a Docker engine: the instructions the runtime depends on (exec-form
 * ENTRYPOINT so the front is PID 1, TERM as the stop signal, a numeric non-root user in group 0), that every COPY
 * source exists and is not ignored, that the jar the final stage runs is the one the build stage makes, and that
 * the default CMD is a command line the front accepts.
 */
class DockerfileTest {

    static final Path ROOT = Path.of("..");

    /** Instructions with continuation lines joined and comments dropped: {keyword, arguments}. */
    static List<String[]> instructions() throws Exception {
        List<String[]> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                continue;
            }
            String text = current.toString();
            int space = text.indexOf(' ');
            result.add(new String[] {text.substring(0, space), text.substring(space + 1).strip()});
            current.setLength(0);
        }
        return result;
    }

    static List<String> all(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> execForm(String arguments) {
        assertThat(arguments).as("exec form (a JSON array), so no shell sits between PID 1 and the front")
                .startsWith("[");
        return (List<String>) new Yaml().load(arguments);
    }

    @Test
    void theFrontIsPid1StopsOnTermAndRunsAsANonRootUserOfGroup0() throws Exception {
        List<String[]> instructions = instructions();
        assertThat(all(instructions, "FROM")).hasSize(2);
        assertThat(all(instructions, "FROM").getFirst()).contains("temurin-25").endsWith("AS build");
        assertThat(all(instructions, "FROM").getLast()).startsWith("eclipse-temurin:25-jre");
        assertThat(all(instructions, "STOPSIGNAL")).containsExactly("SIGTERM");
        String user = all(instructions, "USER").getLast();
        assertThat(user).matches("[1-9][0-9]*"); // numeric: Kubernetes' runAsNonRoot can only verify a number
        assertThat(all(instructions, "RUN")).anySatisfy(run -> assertThat(run)
                .contains("--uid " + user + " --gid 0").contains("chmod -R g=u"));

        List<String> entrypoint = execForm(all(instructions, "ENTRYPOINT").getLast());
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
        assertThat(all(instructions, "COPY")).anySatisfy(copy -> assertThat(copy)
                .startsWith("--from=build").endsWith("/src/proxy-launcher/target/front.jar " + jar));
    }

    @Test
    void theDefaultCommandIsOneTheFrontAccepts() throws Exception {
        List<String> cmd = execForm(all(instructions(), "CMD").getLast());
        FrontConfig config = ((CommandLineParser.Outcome.Run) CommandLineParser.parse(cmd, Map.of())).config();
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.adminPort()).hasValue(9090);
        assertThat(all(instructions(), "EXPOSE")).containsExactly("8080 9090");
        assertThat(config.childCommand()).startsWith("python3", "/app/app.py");
    }

    @Test
    void everyCopySourceExistsAndIsNotIgnored() throws Exception {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.replace("**/", "").replaceAll("/$", ""))
                .toList();
        for (String copy : all(instructions(), "COPY")) {
            if (copy.startsWith("--from=")) {
                continue;
            }
            String[] words = copy.replaceAll("--chown=\\S+ ", "").split(" ");
            for (int i = 0; i < words.length - 1; i++) {
                Path source = ROOT.resolve(words[i]);
                assertThat(source).as(copy).exists();
                for (String pattern : ignored) {
                    assertThat(Path.of(words[i]).startsWith(pattern)).as("%s is in .dockerignore (%s)", words[i], pattern)
                            .isFalse();
                }
            }
        }
    }
}
