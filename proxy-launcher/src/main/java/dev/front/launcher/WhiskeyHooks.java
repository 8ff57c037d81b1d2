package dev.front.launcher;

import dev.front.config.FrontConfig;
import dev.front.config.Whiskey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time part of the {@code .whiskey/} contract, before the child starts: {@code user_vars/} join the
 * environment, {@code action_hooks/deploy-env} may add variables (it is sourced by a shell, as whiskey does), and
 * {@code action_hooks/deploy} runs with that environment. Like whiskey, a failing hook is reported and the
 * application is started anyway. The build-time hooks ({@code pre-build}, {@code build}) belong to the image build.
 */
final class WhiskeyHooks {

    private static final Logger log = LoggerFactory.getLogger("front");

    private WhiskeyHooks() {
    }

    /** The child's base environment: the front's own, the user variables, then what deploy-env adds. */
    static Map<String, String> prepare(FrontConfig config, Map<String, String> inherited) throws InterruptedException {
        Map<String, String> environment = new HashMap<>(inherited);
        environment.putAll(config.userVars());
        Path hooks = Whiskey.directory(config.appRoot()).resolve("action_hooks");
        Path deployEnv = hooks.resolve("deploy-env");
        if (Files.isRegularFile(deployEnv)) {
            environment = sourced(deployEnv, environment, config.appRoot());
        }
        Path deploy = hooks.resolve("deploy");
        if (Files.isRegularFile(deploy) && Files.isExecutable(deploy)) {
            run(deploy, environment, config.appRoot());
        }
        return environment;
    }

    /** Sources the script in a shell and reads back the environment it leaves, NUL-separated. */
    private static Map<String, String> sourced(Path script, Map<String, String> environment, Path appRoot)
            throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", ". \"$1\" >&2 && env -0", "sh",
                    script.toString())
                    .directory(appRoot.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process shell = builder.start();
            byte[] output = shell.getInputStream().readAllBytes();
            int status = shell.waitFor();
            if (status != 0) {
                log.warn("{} failed with status {}; its variables are not used, the application starts anyway",
                        script, status);
                return environment;
            }
            Map<String, String> result = new HashMap<>();
            for (String entry : new String(output, StandardCharsets.UTF_8).split("\0")) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    result.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
            result.remove("PWD");
            result.remove("SHLVL");
            result.remove("_");
            log.info("{} set {} variables", script, result.size());
            return result;
        } catch (IOException e) {
            log.warn("{} could not be run ({}); the application starts anyway", script, e.getMessage());
            return environment;
        }
    }

    /** Runs the deploy hook to completion; its output goes to the front's log (stderr). */
    private static void run(Path hook, Map<String, String> environment, Path appRoot) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(hook.toString())
                    .directory(appRoot.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            // stdout belongs to the access log: all the hook says goes to the front's log on stderr
            try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
                lines.lines().forEach(line -> System.err.println("deploy: " + line));
            }
            int status = process.waitFor();
            if (status != 0) {
                log.error("{} failed with status {}; starting the application anyway, as whiskey does", hook, status);
            } else {
                log.info("{} done", hook);
            }
        } catch (IOException e) {
            log.error("{} could not be run ({}); starting the application anyway, as whiskey does", hook,
                    e.getMessage());
        }
    }
}
