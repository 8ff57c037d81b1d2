package dev.front.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the child process gets besides its command, named the mod_wsgi-express way: variables for its environment
 * ({@code --setenv}), its working directory ({@code --working-directory}) and directories put first on its
 * {@code PYTHONPATH} ({@code --python-path}).
 *
 * @param variables        {@code --setenv} NAME = VALUE, the last one of a name winning; set over the inherited
 *                         environment, the user variables and what {@code deploy-env} sets
 * @param workingDirectory the child's working directory (default: the application's directory)
 * @param pythonPath       absolute directories, in the order given, ahead of any {@code PYTHONPATH} the child
 *                         would have had
 */
public record ChildEnvironment(Map<String, String> variables, Path workingDirectory, List<Path> pythonPath) {

    public ChildEnvironment {
        variables = Map.copyOf(variables);
        pythonPath = List.copyOf(pythonPath);
    }

    /** The child of an application in {@code appRoot} with no option of its own. */
    public static ChildEnvironment defaults(Path appRoot) {
        return new ChildEnvironment(Map.of(), appRoot, List.of());
    }
}
