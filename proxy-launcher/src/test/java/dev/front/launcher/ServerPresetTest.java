package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ApplicationConfig;
import dev.front.config.ServerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerPresetTest {

    private static final Path ROOT = Path.of("/srv/app");

    private static ApplicationConfig module(int processes, int threads) {
        return new ApplicationConfig("mysite.wsgi", ApplicationConfig.Type.MODULE, "application", Optional.empty(),
                OptionalInt.of(processes), OptionalInt.of(threads));
    }

    @Test
    void gunicornBindsLoopbackTrustsOnlyTheFrontAndTakesExtraArguments() {
        assertThat(ServerPreset.argv(ServerKind.GUNICORN, List.of("py", "-m", "gunicorn"), module(3, 2), ROOT,
                List.of("--timeout", "60")))
                .containsExactly("py", "-m", "gunicorn", "--bind", "127.0.0.1:{port}", "--forwarded-allow-ips",
                        "127.0.0.1", "--chdir", "/srv/app", "--workers", "3", "--threads", "2", "mysite.wsgi:application",
                        "--timeout", "60");
        assertThat(ServerPreset.stopSignal(ServerKind.GUNICORN)).isEqualTo("TERM");
    }

    @Test
    void waitressIsStoppedWithInt() {
        assertThat(ServerPreset.argv(ServerKind.WAITRESS, List.of("w"), module(1, 8), ROOT, List.of()))
                .contains("--listen=127.0.0.1:{port}", "--trusted-proxy=127.0.0.1", "--threads=8")
                .doesNotContain("--workers");
        assertThat(ServerPreset.stopSignal(ServerKind.WAITRESS)).isEqualTo("INT");
    }

    @Test
    void modWsgiExpressGetsItsOwnTrustFlagsAndTheEntryPoint() {
        ApplicationConfig script = new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "app",
                Optional.empty(), OptionalInt.empty(), OptionalInt.of(5));
        assertThat(ServerPreset.argv(ServerKind.MOD_WSGI, List.of("mod_wsgi-express"), script, ROOT, List.of()))
                .containsExactly("mod_wsgi-express", "start-server", "--host", "127.0.0.1", "--port", "{port}",
                        "--log-to-terminal", "--trust-proxy", "127.0.0.1", "--trust-proxy-header", "X-Forwarded-For",
                        "--trust-proxy-header", "X-Forwarded-Port", "--trust-proxy-header", "X-Forwarded-Proto",
                        "--threads", "5", "--application-type", "script", "--callable-object", "app", "wsgi.py");
        assertThat(ServerPreset.scriptEnvironment(ServerKind.MOD_WSGI, script, ROOT)).isEmpty();
    }

    @Test
    void scriptFilesGoThroughTheLoaderForModuleImportingServers() {
        ApplicationConfig script = new ApplicationConfig("wsgi.py", ApplicationConfig.Type.SCRIPT, "app",
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
        assertThat(ServerPreset.argv(ServerKind.UVICORN, List.of("u"), script, ROOT, List.of()))
                .endsWith("front_wsgi_script:application");
        assertThat(ServerPreset.scriptEnvironment(ServerKind.GUNICORN, script, ROOT))
                .containsEntry("FRONT_WSGI_SCRIPT", "/srv/app/wsgi.py").containsEntry("FRONT_WSGI_CALLABLE", "app");
        assertThat(ServerPreset.argv(ServerKind.UWSGI, List.of("uwsgi"), script, ROOT, List.of()))
                .contains("--wsgi-file", "wsgi.py", "--callable", "app", "--die-on-term");
    }
}
