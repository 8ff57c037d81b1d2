package dev.front.launcher;

import dev.front.config.ApplicationConfig;
import dev.front.config.ChildEnvironment;
import dev.front.config.ServerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child command for an application under a WSGI server: listening on the front's private Unix socket where the
 * server can (else on a loopback port), trusting the front's forwarding headers (and nobody else's), with the
 * worker counts asked for. {@code {socket}} or {@code {port}} is left in for {@link ChildCommand} to fill in. How
 * each server decides whom to trust was read in its source (gunicorn 20.1, waitress 2.1, uvicorn 0.17, uWSGI 2.0);
 * see docs/servers.md.
 */
final class ServerPreset {

    /** The module that loads a WSGI script file for servers that import modules; a resource of this jar. */
    static final String SCRIPT_LOADER = "front_wsgi_script";

    /** Headers the front sets and mod_wsgi-express is told to believe from 127.0.0.1 only. */
    private static final String[] FORWARDED = {"X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"};

    private ServerPreset() {
    }

    /**
     * Whether {@code kind} (empty: the default server, gunicorn or waitress) can listen on a Unix socket and still
     * be told to trust the front's headers there. mod_wsgi-express has no option for a socket.
     */
    static boolean listensOnSocket(Optional<ServerKind> kind) {
        return kind.map(k -> k != ServerKind.MOD_WSGI).orElse(true);
    }

    /**
     * @param program  how to start the server: {@code [python, -m, module]} or {@code [executable]}
     * @param appRoot  the application's directory, which a relative script entry point is relative to
     * @param child    the child's working directory (where the server imports the application from) and
     *                 {@code --python-path}, for the servers that take them as options
     * @param extra    arguments the user gave after {@code --}, appended
     * @param socket   listen on {@code {socket}} rather than {@code 127.0.0.1:{port}}; only where
     *                 {@link #listensOnSocket} says the server can
     */
    static List<String> argv(ServerKind kind, List<String> program, ApplicationConfig app, Path appRoot,
                             ChildEnvironment child, List<String> extra, boolean socket) {
        return argv(kind, program, app, appRoot, child, extra, socket, "/");
    }

    /**
     * @param mountPoint {@code --mount-point}: the URL prefix the server must give the application as
     *                   {@code SCRIPT_NAME} (the front forwards the whole path); {@code /} for none. gunicorn takes it
     *                   from the environment ({@link #mountEnvironment}), the others from an option of their own.
     */
    static List<String> argv(ServerKind kind, List<String> program, ApplicationConfig app, Path appRoot,
                             ChildEnvironment child, List<String> extra, boolean socket, String mountPoint) {
        boolean mounted = !mountPoint.equals("/");
        if (socket && !listensOnSocket(Optional.of(kind))) {
            throw new IllegalArgumentException(kind.optionName() + " cannot listen on a Unix socket");
        }
        List<String> argv = new ArrayList<>(program);
        boolean script = app.type() == ApplicationConfig.Type.SCRIPT;
        String moduleSpec = script ? SCRIPT_LOADER + ":application" : app.moduleSpec();
        String directory = child.workingDirectory().toString();
        // a server that reads the script itself does so from its working directory, which may not be the app root
        String scriptFile = child.workingDirectory().equals(appRoot) ? app.entryPoint()
                : appRoot.resolve(app.entryPoint()).toString();
        switch (kind) {
            case GUNICORN -> {
                // gunicorn believes X-Forwarded-Proto from any peer that is not an IP address (a Unix socket's),
                // whatever --forwarded-allow-ips says (gunicorn/http/message.py): the option only matters on TCP.
                argv.addAll(socket ? List.of("--bind", "unix:{socket}")
                        : List.of("--bind", "127.0.0.1:{port}", "--forwarded-allow-ips", "127.0.0.1"));
                argv.addAll(List.of("--chdir", directory));
                app.processes().ifPresent(n -> argv.addAll(List.of("--workers", Integer.toString(n))));
                app.threads().ifPresent(n -> argv.addAll(List.of("--threads", Integer.toString(n))));
                argv.add(moduleSpec);
            }
            case WAITRESS -> {
                // On a Unix socket waitress gives every peer the address "localhost" (its fix_addr), and trusts a
                // proxy by comparing REMOTE_ADDR with --trusted-proxy: "localhost" is exactly the front there.
                argv.addAll(socket ? List.of("--unix-socket={socket}", "--trusted-proxy=localhost")
                        : List.of("--listen=127.0.0.1:{port}", "--trusted-proxy=127.0.0.1"));
                argv.add("--trusted-proxy-headers=x-forwarded-for x-forwarded-proto x-forwarded-port");
                app.threads().ifPresent(n -> argv.add("--threads=" + n));
                if (mounted) {
                    argv.add("--url-prefix=" + mountPoint); // SCRIPT_NAME, and the rest of the path as PATH_INFO
                }
                argv.add(moduleSpec);
            }
            case UWSGI -> {
                // uWSGI reads X-Forwarded-Proto from every peer and never rewrites REMOTE_ADDR (0.0.0.0 on a socket)
                argv.addAll(List.of("--plugin", "python3", "--http-socket", socket ? "{socket}" : "127.0.0.1:{port}",
                        "--master",
                        "--die-on-term", "--need-app", "--chdir", directory));
                app.processes().ifPresent(n -> argv.addAll(List.of("--processes", Integer.toString(n))));
                app.threads().ifPresent(n -> argv.addAll(List.of("--threads", Integer.toString(n))));
                if (mounted) {
                    // --mount with --manage-script-name: uWSGI splits SCRIPT_NAME off the path by the mount's prefix
                    argv.addAll(List.of("--manage-script-name", "--mount", mountPoint + "="
                            + (script ? scriptFile : app.moduleSpec())));
                    if (script) {
                        argv.addAll(List.of("--callable", app.callable()));
                    }
                } else if (script) {
                    argv.addAll(List.of("--wsgi-file", scriptFile, "--callable", app.callable()));
                } else {
                    argv.addAll(List.of("--module", app.moduleSpec()));
                }
            }
            case UVICORN -> {
                // uvicorn trusts a peer by its IP address, and a Unix socket's peer has none (scope["client"] is
                // None), so only "*" makes it believe the front there. Safe: the front is the socket's only peer,
                // and it sends exactly one X-Forwarded-For value, the one "*" picks (the first).
                argv.addAll(List.of("--interface", "wsgi"));
                argv.addAll(socket ? List.of("--uds", "{socket}", "--proxy-headers", "--forwarded-allow-ips", "*")
                        : List.of("--host", "127.0.0.1", "--port", "{port}", "--proxy-headers",
                                "--forwarded-allow-ips", "127.0.0.1"));
                argv.addAll(List.of("--app-dir", directory));
                app.processes().ifPresent(n -> argv.addAll(List.of("--workers", Integer.toString(n))));
                argv.add(moduleSpec);
            }
            case MOD_WSGI -> {
                argv.addAll(List.of("start-server", "--host", "127.0.0.1", "--port", "{port}", "--log-to-terminal",
                        "--trust-proxy", "127.0.0.1"));
                for (String header : FORWARDED) {
                    argv.addAll(List.of("--trust-proxy-header", header));
                }
                app.processes().ifPresent(n -> argv.addAll(List.of("--processes", Integer.toString(n))));
                app.threads().ifPresent(n -> argv.addAll(List.of("--threads", Integer.toString(n))));
                // its daemon processes start in their own directory and path: say both with its own options
                argv.addAll(List.of("--working-directory", directory));
                if (mounted) {
                    argv.addAll(List.of("--mount-point", mountPoint));
                }
                child.pythonPath().forEach(dir -> argv.addAll(List.of("--python-path", dir.toString())));
                argv.addAll(List.of("--application-type", script ? "script" : "module",
                        "--callable-object", app.callable(), script ? scriptFile : app.entryPoint()));
            }
        }
        argv.addAll(extra);
        return argv;
    }

    /**
     * gunicorn's way to a mount point: it takes {@code SCRIPT_NAME} from its own environment and strips it from
     * the front of each path (gunicorn/http/wsgi.py). Given to every child of a mounted application, so that a
     * gunicorn command of the user's own after {@code --} gets it too; other servers ignore the variable.
     */
    static Map<String, String> mountEnvironment(String mountPoint) {
        return mountPoint.equals("/") ? Map.of() : Map.of("SCRIPT_NAME", mountPoint);
    }

    /** Environment the script loader needs (nothing for module applications or servers that read files). */
    static Map<String, String> scriptEnvironment(ServerKind kind, ApplicationConfig app, Path appRoot) {
        if (app.type() != ApplicationConfig.Type.SCRIPT || kind == ServerKind.UWSGI || kind == ServerKind.MOD_WSGI) {
            return Map.of();
        }
        return Map.of("FRONT_WSGI_SCRIPT", appRoot.resolve(app.entryPoint()).toString(),
                "FRONT_WSGI_CALLABLE", app.callable());
    }

    /**
     * The signal that stops the server gracefully. waitress has no handler of its own: INT ends it through
     * KeyboardInterrupt, while TERM would kill it mid-request. The others drain on TERM (uWSGI because of
     * {@code --die-on-term}).
     */
    static String stopSignal(ServerKind kind) {
        return kind == ServerKind.WAITRESS ? "INT" : "TERM";
    }
}
