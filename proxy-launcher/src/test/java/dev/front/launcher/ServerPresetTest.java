package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.front.config.ApplicationConfig;
import dev.front.config.ChildEnvironment;
import dev.front.config.ServerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerPresetTest {

    private static final Path ROOT = Path.of("/srv/app");
    private static final ChildEnvironment AT_ROOT = ChildEnvironment.defaults(ROOT);

    private static ApplicationConfig module(int processes, int threads) {
        return new ApplicationConfig("mysite.wsgi", ApplicationConfig.Type.MODULE, "application", Optional.empty(),
                OptionalInt.of(processes), OptionalInt.of(threads));
    }

    @Test
    void gunicornListensOnTheSocketAndTakesExtraArguments() {
        // no --forwarded-allow-ips: gunicorn believes X-Forwarded-Proto from every Unix socket peer anyway
        assertThat(ServerPreset.argv(ServerKind.GUNICORN, List.of("py", "-m", "gunicorn"), module(3, 2), ROOT, AT_ROOT,
                List.of("--timeout", "60"), true))
                .containsExactly("py", "-m", "gunicorn", "--bind", "unix:{socket}", "--chdir", "/srv/app",
                        "--workers", "3", "--threads", "2", "mysite.wsgi:application", "--timeout", "60");
        assertThat(ServerPreset.stopSignal(ServerKind.GUNICORN)).isEqualTo("TERM");
    }

    @Test
    void gunicornOnAPortTrustsOnlyLoopback() {
        assertThat(ServerPreset.argv(ServerKind.GUNICORN, List.of("py", "-m", "gunicorn"), module(3, 2), ROOT, AT_ROOT,
                List.of(), false))
                .containsExactly("py", "-m", "gunicorn", "--bind", "127.0.0.1:{port}", "--forwarded-allow-ips",
                        "127.0.0.1", "--chdir", "/srv/app", "--workers", "3", "--threads", "2",
                        "mysite.wsgi:application");
    }

    @Test
    void waitressTrustsTheAddressItGivesSocketPeersAndIsStoppedWithInt() {
        assertThat(ServerPreset.argv(ServerKind.WAITRESS, List.of("w"), module(1, 8), ROOT, AT_ROOT, List.of(), true))
                .contains("--unix-socket={socket}", "--trusted-proxy=localhost",
                        "--trusted-proxy-headers=x-forwarded-for x-forwarded-proto x-forwarded-port", "--threads=8")
                .doesNotContain("--workers")
                .noneMatch(arg -> arg.contains("{port}") || arg.startsWith("--listen"));
        assertThat(ServerPreset.argv(ServerKind.WAITRESS, List.of("w"), module(1, 8), ROOT, AT_ROOT, List.of(), false))
                .contains("--listen=127.0.0.1:{port}", "--trusted-proxy=127.0.0.1")
                .noneMatch(arg -> arg.contains("{socket}"));
        assertThat(ServerPreset.stopSignal(ServerKind.WAITRESS)).isEqualTo("INT");
    }

    @Test
    void uvicornTrustsEveryPeerOnlyOnTheSocket() {
        assertThat(ServerPreset.argv(ServerKind.UVICORN, List.of("u"), module(2, 1), ROOT, AT_ROOT, List.of(), true))
                .containsSequence("--uds", "{socket}", "--proxy-headers", "--forwarded-allow-ips", "*")
                .doesNotContain("--host", "--port");
        assertThat(ServerPreset.argv(ServerKind.UVICORN, List.of("u"), module(2, 1), ROOT, AT_ROOT, List.of(), false))
                .containsSequence("--host", "127.0.0.1", "--port", "{port}", "--proxy-headers",
                        "--forwarded-allow-ips", "127.0.0.1")
                .doesNotContain("*", "--uds");
    }

    @Test
    void uwsgiTakesThePathAsItsHttpSocket() {
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), module(1, 1), ROOT, AT_ROOT, List.of(), true))
                .containsSequence("--http-socket", "{socket}");
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), module(1, 1), ROOT, AT_ROOT, List.of(), false))
                .containsSequence("--http-socket", "127.0.0.1:{port}");
    }

    @Test
    void everyServerButModWsgiListensOnASocket() {
        assertThat(ServerPreset.listensOnSocket(Optional.empty())).isTrue(); // gunicorn or waitress
        for (ServerKind kind : ServerKind.values()) {
            assertThat(ServerPreset.listensOnSocket(Optional.of(kind))).as(kind.optionName())
                    .isEqualTo(kind != ServerKind.MOD_WSGI);
        }
        assertThatThrownBy(() -> ServerPreset.argv(ServerKind.MOD_WSGI, List.of("m"), module(1, 1), ROOT, AT_ROOT,
                List.of(), true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modWsgiExpressGetsItsOwnTrustFlagsAndTheEntryPoint() {
        ApplicationConfig script = new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "app",
                Optional.empty(), OptionalInt.empty(), OptionalInt.of(5));
        assertThat(ServerPreset.argv(ServerKind.MOD_WSGI, List.of("mod_wsgi-express"), script, ROOT, AT_ROOT, List.of(),
                false))
                .containsExactly("mod_wsgi-express", "start-server", "--host", "127.0.0.1", "--port", "{port}",
                        "--log-to-terminal", "--trust-proxy", "127.0.0.1", "--trust-proxy-header", "X-Forwarded-For",
                        "--trust-proxy-header", "X-Forwarded-Port", "--trust-proxy-header", "X-Forwarded-Proto",
                        "--threads", "5", "--working-directory", "/srv/app", "--application-type", "script",
                        "--callable-object", "app", "wsgi.py");
        assertThat(ServerPreset.scriptEnvironment(ServerKind.MOD_WSGI, script, ROOT)).isEmpty();
    }

    @Test
    void scriptFilesGoThroughTheLoaderForModuleImportingServers() {
        ApplicationConfig script = new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "app",
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
        assertThat(ServerPreset.argv(ServerKind.UVICORN, List.of("u"), script, ROOT, AT_ROOT, List.of(), true))
                .endsWith("front_wsgi_script:application");
        assertThat(ServerPreset.scriptEnvironment(ServerKind.GUNICORN, script, ROOT))
                .containsEntry("FRONT_WSGI_SCRIPT", "/srv/app/wsgi.py").containsEntry("FRONT_WSGI_CALLABLE", "app");
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), script, ROOT, AT_ROOT, List.of(), false))
                .contains("--wsgi-file", "wsgi.py", "--callable", "app", "--die-on-term");
    }

    @Test
    void eachServerIsToldTheMountPointItsOwnWay() {
        ApplicationConfig script = new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "app",
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
        assertThat(ServerPreset.argv(ServerKind.WAITRESS, List.of("w"), module(1, 1), ROOT, AT_ROOT, List.of(), true,
                "/app")).contains("--url-prefix=/app");
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), script, ROOT, AT_ROOT, List.of(), true,
                "/app")).contains("--manage-script-name", "--callable", "app").containsSequence("--mount",
                "/app=wsgi.py").doesNotContain("--wsgi-file");
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), module(1, 1), ROOT, AT_ROOT, List.of(), true,
                "/app")).containsSequence("--mount", "/app=mysite.wsgi:application").doesNotContain("--module");
        assertThat(ServerPreset.argv(ServerKind.MOD_WSGI, List.of("m"), script, ROOT, AT_ROOT, List.of(), false,
                "/app")).containsSequence("--mount-point", "/app");
        // gunicorn reads SCRIPT_NAME from its environment, and so gets no flag
        assertThat(ServerPreset.argv(ServerKind.GUNICORN, List.of("g"), script, ROOT, AT_ROOT, List.of(), true,
                "/app")).isEqualTo(ServerPreset.argv(ServerKind.GUNICORN, List.of("g"), script, ROOT, AT_ROOT,
                List.of(), true));
        assertThat(ServerPreset.mountEnvironment("/app")).containsExactly(Map.entry("SCRIPT_NAME", "/app"));
        assertThat(ServerPreset.mountEnvironment("/")).isEmpty();
        for (ServerKind kind : ServerKind.values()) {
            assertThat(ServerPreset.argv(kind, List.of("s"), script, ROOT, AT_ROOT, List.of(), false, "/"))
                    .as(kind.optionName() + " at /").isEqualTo(ServerPreset.argv(kind, List.of("s"), script, ROOT,
                            AT_ROOT, List.of(), false));
        }
    }
}
