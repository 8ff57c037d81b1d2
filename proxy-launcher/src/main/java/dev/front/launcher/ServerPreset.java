package dev.front.launcher;

import dev.front.config.ApplicationConfig;
import dev.front.config.ServerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child command for an application under a WSGI server: bound to loopback on the front's port, trusting the
 * front's forwarding headers (and nobody else's), with the worker counts asked for. {@code {port}} is left in for
 * {@link ChildCommand} to fill in. See docs/servers.md.
 */
final class ServerPreset {

    /** The module that loads a WSGI script file for servers that import modules; a resource of this jar. */
    static final String SCRIPT_LOADER = "front_wsgi_script";

    /** Headers the front sets and every server below is told to believe from 127.0.0.1 only. */
    private static final String[] FORWARDED = {"X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"};

    private ServerPreset() {
    }

    /**
     * @param program  how to start the server: {@code [python, -m, module]} or {@code [executable]}
     * @param appRoot  the application's directory (the child's working directory)
     * @param extra    arguments the user gave after {@code --}, appended
     */
    static List<String> argv(ServerKind kind, List<String> program, ApplicationConfig app, Path appRoot,
                             List<String> extra) {
        List<String> argv = new ArrayList<>(program);
        boolean script = app.type() == ApplicationConfig.Type.SCRIPT;
        String moduleSpec = script ? SCRIPT_LOADER + ":application" : app.moduleSpec();
        switch (kind) {
            case GUNICORN -> {
                argv.addAll(List.of("--bind", "127.0.0.1:{port}", "--forwarded-allow-ips", "127.0.0.1",
                        "--chdir", appRoot.toString()));
                app.processes().ifPresent(n -> argv.addAll(List.of("--workers", Integer.toString(n))));
                app.threads().ifPresent(n -> argv.addAll(List.of("--threads", Integer.toString(n))));
                argv.add(moduleSpec);
            }
            case WAITRESS -> {
                argv.addAll(List.of("--listen=127.0.0.1:{port}", "--trusted-proxy=127.0.0.1",
                        "--trusted-proxy-headers=x-forwarded-for x-forwarded-proto x-forwarded-port"));
                app.threads().ifPresent(n -> argv.add("--threads=" + n));
                argv.add(moduleSpec);
            }
            case UWSGI -> {
                argv.addAll(List.of("--plugin", "python3", "--http-socket", "127.0.0.1:{port}", "--master",
                        "--die-on-term", "--need-app", "--chdir", appRoot.toString()));
                app.processes().ifPresent(n -> argv.addAll(List.of("--processes", Integer.toString(n))));
                app.threads().ifPresent(n -> argv.addAll(List.of("--threads", Integer.toString(n))));
                if (script) {
                    argv.addAll(List.of("--wsgi-file", app.entryPoint(), "--callable", app.callable()));
                } else {
                    argv.addAll(List.of("--module", app.moduleSpec()));
                }
            }
            case UVICORN -> {
                argv.addAll(List.of("--interface", "wsgi", "--host", "127.0.0.1", "--port", "{port}",
                        "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--app-dir", appRoot.toString()));
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
                argv.addAll(List.of("--application-type", script ? "script" : "module",
                        "--callable-object", app.callable(), app.entryPoint()));
            }
        }
        argv.addAll(extra);
        return argv;
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
