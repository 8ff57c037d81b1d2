package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of the S2I builder's Containerfile without a container engine: the labels Source-to-Image
 * reads point at where the scripts are copied, every script of the contract is there and executable, the jar and
 * the JRE the run script is told about ({@code FRONT_JAR}, {@code JAVA}) are the ones copied in, and the image
 * runs as a numeric user of group 0 with a group-writable application root.
 */
class S2iContainerfileTest {

    static final Path S2I = Path.of("../s2i");
    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9_.\\-]+)=(\"([^\"]*)\"|\\S+)");

    /** Instructions with continuation lines joined and comments dropped: {keyword, arguments}. */
    static List<String[]> instructions() throws Exception {
        List<String[]> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(S2I.resolve("Containerfile"))) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.strip()).append(' ');
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 2);
                continue;
            }
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            result.add(new String[] {text.substring(0, space), text.substring(space + 1).strip()});
            current.setLength(0);
        }
        return result;
    }

    static List<String> all(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    /** The key=value pairs of every instruction of a kind (LABEL, ENV), quotes removed. */
    static Map<String, String> pairs(List<String[]> instructions, String keyword) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String arguments : all(instructions, keyword)) {
            Matcher pair = PAIR.matcher(arguments);
            while (pair.find()) {
                pairs.put(pair.group(1), pair.group(3) != null ? pair.group(3) : pair.group(2));
            }
        }
        return pairs;
    }

    @Test
    void theScriptsUrlLabelPointsAtTheCopiedScriptsWhichAreAllThereAndExecutable() throws Exception {
        List<String[]> instructions = instructions();
        Map<String, String> labels = pairs(instructions, "LABEL");
        String scripts = labels.get("io.openshift.s2i.scripts-url");
        assertThat(scripts).startsWith("image://");
        assertThat(labels.get("io.s2i.scripts-url")).isEqualTo(scripts);
        String directory = scripts.substring("image://".length());
        assertThat(all(instructions, "COPY")).contains("s2i/bin/ " + directory + "/");
        for (String script : List.of("assemble", "run", "usage", "save-artifacts")) {
            assertThat(S2I.resolve("bin").resolve(script)).isRegularFile().isExecutable();
        }
        assertThat(labels.get("io.openshift.s2i.destination")).isEqualTo("/tmp"); // the scripts' /tmp/src default
        List<String> cmd = execForm(all(instructions, "CMD").getLast());
        assertThat(cmd).containsExactly(directory + "/usage");
    }

    @Test
    void theRunScriptIsToldOfTheJarAndTheJreThatAreCopiedIn() throws Exception {
        List<String[]> instructions = instructions();
        Map<String, String> env = pairs(instructions, "ENV");
        assertThat(all(instructions, "FROM").getLast()).startsWith("python:3");
        assertThat(all(instructions, "COPY")).contains("--from=build /src/proxy-launcher/target/front.jar "
                + env.get("FRONT_JAR"));
        assertThat(all(instructions, "FROM")).anySatisfy(from -> assertThat(from).startsWith("eclipse-temurin:25-jre")
                .endsWith("AS jre"));
        assertThat(all(instructions, "COPY")).anySatisfy(copy -> {
            assertThat(copy).startsWith("--from=jre ");
            assertThat(env.get("JAVA")).startsWith(copy.split(" ")[2] + "/bin/");
        });
        assertThat(env.get("APP_ROOT")).isEqualTo("/opt/app-root");
        assertThat(env.get("PATH")).startsWith(env.get("VIRTUAL_ENV") + "/bin:");
        assertThat(all(instructions, "RUN")).anySatisfy(run -> assertThat(run)
                .contains("python3 -m venv " + env.get("VIRTUAL_ENV")).contains("pip install --no-cache-dir gunicorn"));
    }

    @Test
    void itRunsAsANumericUserOfGroup0WithAGroupWritableAppRoot() throws Exception {
        List<String[]> instructions = instructions();
        String user = all(instructions, "USER").getLast();
        assertThat(user).matches("[1-9][0-9]*");
        assertThat(pairs(instructions, "LABEL").get("io.openshift.s2i.assemble-user")).isEqualTo(user);
        assertThat(all(instructions, "RUN")).anySatisfy(run -> assertThat(run)
                .contains("--uid " + user + " --gid 0").contains("chown -R " + user + ":0 /opt/app-root")
                .contains("chmod -R g=u /opt/app-root"));
        assertThat(all(instructions, "STOPSIGNAL")).containsExactly("SIGTERM");
        String port = pairs(instructions, "LABEL").get("io.openshift.expose-services").split(":")[0];
        assertThat(all(instructions, "EXPOSE")).containsExactly(port);
    }

    @SuppressWarnings("unchecked")
    private static List<String> execForm(String arguments) {
        assertThat(arguments).startsWith("[");
        return (List<String>) new Yaml().load(arguments);
    }
}
