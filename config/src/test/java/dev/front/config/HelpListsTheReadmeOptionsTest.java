package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's option table and {@code --help} name the same options, so that neither can gain or lose one
 * without the other. Hidden options (mod_wsgi-express names accepted for compatibility) are in neither.
 */
class HelpListsTheReadmeOptionsTest {

    /** The repository's README: tests run in the module's directory. */
    static final Path README = Path.of("..", "README.md");

    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z0-9-]*");
    /** An option's own line in picocli's usage text ({@code "  -h, --help"}, {@code "      --port=N"}), not a
     *  wrapped description that happens to start with an option name (those are indented much further). */
    private static final Pattern HELP_OPTION_LINE = Pattern.compile("^ {2}(?:-[A-Za-z], | {4})(--[a-z][a-z0-9-]*)");

    @Test
    void helpAndTheReadmeTableNameTheSameOptions() throws Exception {
        Set<String> inReadme = readmeTableOptions(Files.readString(README));
        Set<String> inHelp = helpOptions();
        assertThat(inReadme).as("options in the README's table").contains("--port", "--max-concurrency");
        assertThat(inHelp).as("options in --help").contains("--port", "--max-concurrency");
        assertThat(difference(inHelp, inReadme)).as("in --help but not in the README's option table").isEmpty();
        assertThat(difference(inReadme, inHelp)).as("in the README's option table but not in --help").isEmpty();
    }

    @Test
    void theTableParserReadsOnlyTheFirstColumnOfTheOptionTable() {
        String readme = """
                | scenario | x |
                |---|---|
                | `--not-this` | |

                | option | default | meaning |
                |---|---|---|
                | `--a N`, `--b-c` | `--not-a-default` | see `--not-meaning` |
                | `ENTRY-POINT`, `--d` | | |

                | option | default | meaning |
                |---|---|---|
                | `--not-the-second-table` | | |
                """;
        assertThat(readmeTableOptions(readme)).containsExactlyInAnyOrder("--a", "--b-c", "--d");
    }

    /** The {@code --NAME}s of the first column of the README's first {@code | option | ...} table. */
    static Set<String> readmeTableOptions(String readme) {
        Set<String> options = new TreeSet<>();
        List<String> lines = readme.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replace(" ", "").startsWith("|option|")) {
                start = i + 2; // past the header and its |---| line
                break;
            }
        }
        assertThat(start).as("an | option | table in the README").isPositive();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String firstColumn = lines.get(i).split("\\|", -1)[1];
            Matcher m = OPTION.matcher(firstColumn);
            while (m.find()) {
                options.add(m.group());
            }
        }
        return options;
    }

    static Set<String> helpOptions() throws UsageException {
        CommandLineParser.Outcome outcome = CommandLineParser.parse(List.of("--help"), Map.of());
        assertThat(outcome).isInstanceOf(CommandLineParser.Outcome.Print.class);
        Set<String> options = new TreeSet<>();
        ((CommandLineParser.Outcome.Print) outcome).text().lines().forEach(line -> {
            Matcher m = HELP_OPTION_LINE.matcher(line);
            if (m.find()) {
                options.add(m.group(1));
            }
        });
        return options;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }
}
