package dev.front.launcher;

import dev.front.config.ApplicationConfig;
import dev.front.config.ChildEnvironment;
import dev.front.config.FrontConfig;
import dev.front.config.ServerKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What to spawn: the command after {@code --} or a server preset's, the application's directory as working
 * directory, and the signal that stops it gracefully. The command and environment are templates: each spawn fills
 * in its {@link ChildAddress} ({@code {socket}} or {@code {port}} replaced, {@code FRONT_SOCKET} or {@code PORT} and
 * {@code HOST} set), as a restarted child may listen elsewhere than the first one.
 *
 * @param argvTemplate    the command with its placeholder still in
 * @param baseEnvironment the environment without the address variables
 */
record ChildCommand(List<String> argvTemplate, Map<String, String> baseEnvironment, Path workingDirectory,
                    String stopSignal) {

    /** The command of a child listening on {@code address}. */
    List<String> argv(ChildAddress address) {
        return address.substitute(argvTemplate);
    }

    /** The environment of a child listening on {@code address}. */
    Map<String, String> environment(ChildAddress address) {
        return address.environment(baseEnvironment);
    }

    /** The child cannot be described: no server to run the application with. Exit status 127, like a shell. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Whether the child listens on a Unix socket rather than a loopback port, decided from the command line alone
     * (before anything starts). A command of one's own says so with the placeholder it uses; a preset listens on
     * a socket unless its server cannot ({@link ServerPreset#listensOnSocket}) or {@code --application-port} asks
     * for a port.
     *
     * @throws IllegalArgumentException a usage error: both placeholders, or one the child does not listen on
     */
    static boolean listensOnSocket(FrontConfig config) {
        List<String> args = config.childCommand(); // the whole command, or what is appended to a preset's
        boolean port = mentions(args, ChildAddress.PORT_PLACEHOLDER);
        boolean socket = mentions(args, ChildAddress.SOCKET_PLACEHOLDER);
        if (port && socket) {
            throw new IllegalArgumentException("child command: uses both {port} and {socket} (expected: one of"
                    + " them: {socket} for a private Unix socket, {port} for a loopback port)");
        }
        if (config.application().isEmpty()) {
            if (socket && config.applicationPort().isPresent()) {
                throw new IllegalArgumentException("--application-port: " + config.applicationPort().getAsInt()
                        + " (expected: no port when the child command listens on {socket})");
            }
            return socket;
        }
        ApplicationConfig app = config.application().get();
        String server = app.server().map(kind -> "--server " + kind.optionName()).orElse("the default server");
        if (!ServerPreset.listensOnSocket(app.server()) || config.applicationPort().isPresent()) {
            if (socket) {
                throw new IllegalArgumentException("child command: {socket} after -- (expected: {port}: "
                        + (config.applicationPort().isPresent() ? "with --application-port " : "")
                        + server + " listens on a loopback port)");
            }
            return false;
        }
        if (port) {
            throw new IllegalArgumentException("child command: {port} after -- (expected: {socket}: " + server
                    + " listens on a private Unix socket; --application-port N puts it on a loopback port)");
        }
        return true;
    }

    private static boolean mentions(List<String> args, String placeholder) {
        return args.stream().anyMatch(arg -> arg.contains(placeholder));
    }

    /**
     * The child for {@code config}: its own command, or the application under a preset (or the default server),
     * listening on the kind of {@code address} (a {@link ChildSocket} only where {@link #listensOnSocket} said so).
     */
    static ChildCommand forConfig(FrontConfig config, ChildAddress address, Map<String, String> inherited)
            throws UnavailableException {
        ChildEnvironment child = config.childEnvironment();
        Map<String, String> environment = new HashMap<>(inherited);
        environment.putAll(ServerPreset.mountEnvironment(config.site().mountPoint()));
        environment.putAll(child.variables());
        List<String> pythonPath = new ArrayList<>();
        child.pythonPath().forEach(dir -> pythonPath.add(dir.toString()));
        if (config.application().isEmpty()) {
            withPythonPath(environment, pythonPath);
            return new ChildCommand(config.childCommand(), Map.copyOf(environment), child.workingDirectory(), "TERM");
        }
        ApplicationConfig app = config.application().get();
        Path appRoot = config.appRoot();
        PythonFinder pythons = new PythonFinder(inherited);
        ServerKind kind = app.server().orElseGet(() -> defaultServer(pythons));
        if (kind == null) {
            throw new UnavailableException("no WSGI server to run " + app.entryPoint() + " with: neither gunicorn nor"
                    + " waitress is importable by " + String.join(" or ", pythons.candidates())
                    + " (install one: apt-get install gunicorn, or pip install gunicorn; or name one with --server)");
        }
        environment.putAll(ServerPreset.scriptEnvironment(kind, app, appRoot));
        if (!ServerPreset.scriptEnvironment(kind, app, appRoot).isEmpty()) {
            pythonPath.addFirst(scriptLoaderDirectory().toString());
        }
        // the application is imported from the working directory, as under mod_wsgi-express; the app root stays
        // on the path after it so that a module entry point found there before still is
        pythonPath.add(child.workingDirectory().toString());
        if (!child.workingDirectory().equals(appRoot)) {
            pythonPath.add(appRoot.toString());
        }
        withPythonPath(environment, pythonPath);
        List<String> argv = ServerPreset.argv(kind, program(kind, pythons, inherited), app, appRoot, child,
                config.childCommand(), address instanceof ChildSocket, config.site().mountPoint());
        return new ChildCommand(argv, Map.copyOf(environment), child.workingDirectory(),
                ServerPreset.stopSignal(kind));
    }

    /** Puts {@code first} ahead of the {@code PYTHONPATH} already in {@code environment}. */
    private static void withPythonPath(Map<String, String> environment, List<String> first) {
        if (first.isEmpty()) {
            return;
        }
        String existing = environment.get("PYTHONPATH");
        String joined = String.join(":", first);
        environment.put("PYTHONPATH", existing == null || existing.isEmpty() ? joined : joined + ":" + existing);
    }

    /** mod_wsgi-express users name no server: gunicorn when a Python here imports it, else waitress. */
    private static ServerKind defaultServer(PythonFinder pythons) {
        if (pythons.withModule("gunicorn").isPresent()) {
            return ServerKind.GUNICORN;
        }
        if (pythons.withModule("waitress").isPresent()) {
            return ServerKind.WAITRESS;
        }
        return null;
    }

    private static List<String> program(ServerKind kind, PythonFinder pythons, Map<String, String> environment)
            throws UnavailableException {
        return switch (kind) {
            case GUNICORN, WAITRESS, UVICORN -> {
                String module = kind.optionName();
                String python = pythons.withModule(module).orElseThrow(() -> new UnavailableException(
                        "--server " + module + ": no Python here imports " + module + " (tried "
                                + String.join(", ", pythons.candidates()) + "; install it, e.g. apt-get install "
                                + (kind == ServerKind.GUNICORN ? "gunicorn" : "python3-" + module) + ")"));
                yield List.of(python, "-m", module);
            }
            case UWSGI -> List.of(PythonFinder.onPath("uwsgi", environment).orElseThrow(() -> new UnavailableException(
                    "--server uwsgi: uwsgi is not on the PATH (apt-get install uwsgi uwsgi-plugin-python3)")));
            case MOD_WSGI -> List.of(PythonFinder.onPath("mod_wsgi-express", environment).orElseThrow(
                    () -> new UnavailableException("--server mod_wsgi: mod_wsgi-express is not on the PATH"
                            + " (pip install mod_wsgi)")));
        };
    }

    /** A directory holding the script loader module, made once per run and removed when the front exits. */
    private static synchronized Path scriptLoaderDirectory() throws UnavailableException {
        try {
            Path dir = Files.createTempDirectory("front-wsgi");
            Path module = dir.resolve(ServerPreset.SCRIPT_LOADER + ".py");
            try (InputStream in = ChildCommand.class.getResourceAsStream(ServerPreset.SCRIPT_LOADER + ".py")) {
                Files.copy(in, module);
            }
            dir.toFile().deleteOnExit();
            module.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UnavailableException("cannot write the WSGI script loader to a temporary directory: "
                    + e.getMessage());
        }
    }
}
