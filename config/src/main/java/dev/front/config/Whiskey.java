package dev.front.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code .whiskey/} contract of a mod_wsgi-express deployment, as far as starting the front goes:
 * {@code server_args} are options read as if given with {@code @}, and each file of {@code user_vars/} is a variable
 * of the child's environment. The action hooks are run by the launcher.
 *
 * @param appRoot    the application's directory
 * @param serverArgs {@code .whiskey/server_args} when it exists
 * @param userVars   name = file name, value = its content without the final newline
 */
public record Whiskey(Path appRoot, Optional<Path> serverArgs, Map<String, String> userVars) {

    public Whiskey {
        userVars = Map.copyOf(userVars);
    }

    /** The {@code .whiskey/} directory of {@code appRoot}, whether or not it exists. */
    public static Path directory(Path appRoot) {
        return appRoot.resolve(".whiskey");
    }

    static Whiskey find(Path appRoot) throws UsageException {
        Path root = appRoot.toAbsolutePath().normalize();
        Path dir = directory(root);
        Path serverArgs = dir.resolve("server_args");
        return new Whiskey(root, Files.isRegularFile(serverArgs) ? Optional.of(serverArgs) : Optional.empty(),
                userVars(dir.resolve("user_vars")));
    }

    private static Map<String, String> userVars(Path dir) throws UsageException {
        Map<String, String> vars = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return vars;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    String value = Files.readString(file, StandardCharsets.UTF_8);
                    vars.put(name, value.endsWith("\n") ? value.substring(0, value.length() - 1) : value);
                }
            }
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot read (" + e.getMessage() + ")");
        }
        return vars;
    }
}
