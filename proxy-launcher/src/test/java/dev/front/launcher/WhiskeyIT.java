package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Django project deployed the mod_wsgi-express/whiskey way, started with no arguments but the listener: the
 * front reads {@code .whiskey/server_args}, gives the child the {@code user_vars/}, runs the {@code deploy} hook,
 * serves the collected static files itself and runs Django under the default server (Debian's gunicorn). An haproxy
 * in append mode stands for the OpenShift router.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WhiskeyIT {

    private static final String PYTHON = "/usr/bin/python3";
    /** The client's own address, as haproxy sees it: the one Django must be told. */
    private static final String CLIENT = "127.0.0.5";

    @TempDir
    static Path project;

    static FrontProcess front;
    static Process haproxy;
    static int routerPort;

    @BeforeAll
    static void deploy() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)) && run(PYTHON, "-c", "import django, gunicorn") == 0,
                "Debian's python3-django and gunicorn are not installed");
        assertThat(run(PYTHON, "-m", "django", "startproject", "mysite", project.toString())).isZero();
        Path settings = project.resolve("mysite/settings.py");
        Files.writeString(settings, Files.readString(settings) + """

                ALLOWED_HOSTS = ['*']
                STATIC_ROOT = BASE_DIR / 'static'
                SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
                MIDDLEWARE.insert(0, 'mysite.seen.middleware')
                """);
        // Every request Django sees is written down, so the test can tell which ones reached the child.
        Files.writeString(project.resolve("mysite/seen.py"), """
                import json, os
                from django.http import JsonResponse

                def middleware(get_response):
                    def record(request):
                        with open(os.path.join(os.getcwd(), 'seen.log'), 'a') as log:
                            log.write(request.path + '\\n')
                        return get_response(request)
                    return record

                def whoami(request):
                    return JsonResponse({
                        'scheme': request.scheme,
                        'forwarded_for': request.META.get('HTTP_X_FORWARDED_FOR'),
                        'greeting': os.environ.get('GREETING'),
                    })
                """);
        Path urls = project.resolve("mysite/urls.py");
        Files.writeString(urls, Files.readString(urls) + """

                from mysite.seen import whoami
                urlpatterns.append(path('whoami/', whoami))
                """);
        assertThat(run(PYTHON, project.resolve("manage.py").toString(), "collectstatic", "--noinput")).isZero();

        Path whiskey = Files.createDirectories(project.resolve(".whiskey"));
        Files.writeString(whiskey.resolve("server_args"), """
                --url-alias /static static --application-type module mysite.wsgi
                --trust-proxy-header X-Forwarded-For --trust-proxy-header X-Forwarded-Port
                --trust-proxy-header X-Forwarded-Scheme
                """);
        Files.createDirectories(whiskey.resolve("user_vars"));
        Files.writeString(whiskey.resolve("user_vars/GREETING"), "hello from user_vars\n");
        Path hooks = Files.createDirectories(whiskey.resolve("action_hooks"));
        Path deploy = hooks.resolve("deploy");
        Files.writeString(deploy, "#!/bin/sh\necho \"deployed: $GREETING\" > deploy.marker\necho deploy hook ran\n");
        deploy.toFile().setExecutable(true);

        front = FrontProcess.start(List.of("--log-level", "info"), Map.of(), project);
        front.awaitStatus("/whoami/", 200, Duration.ofSeconds(60));
        routerPort = FrontProcess.freePort();
        haproxy = startHaproxy(routerPort, front.port());
    }

    @AfterAll
    static void stop() throws IOException {
        if (haproxy != null) {
            haproxy.destroyForcibly();
        }
        if (front != null) {
            front.close();
        }
    }

    @Test
    void theDeployHookRanWithTheUserVariables() throws Exception {
        assertThat(Files.readString(project.resolve("deploy.marker"))).isEqualTo("deployed: hello from user_vars\n");
        assertThat(front.stderr()).contains("deploy hook ran");
        assertThat(front.stdout()).doesNotContain("deploy hook ran");
    }

    @Test
    void theAdminCssIsServedByTheFrontAndNeverReachesDjango() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            RawHttp.Response css = http.get("/static/admin/css/base.css");
            assertThat(css.status()).isEqualTo(200);
            assertThat(css.header("content-type")).startsWith("text/css");
            assertThat(css.body()).isEqualTo(Files.readAllBytes(project.resolve("static/admin/css/base.css")));
            assertThat(http.get("/admin/login/").status()).isEqualTo(200);
        }
        String seen = Files.readString(project.resolve("seen.log"));
        assertThat(seen).contains("/admin/login/").doesNotContain("/static/");
    }

    @Test
    void djangoAnswersWithTheUserVariable() throws Exception {
        try (RawHttp http = RawHttp.connect(front.port())) {
            RawHttp.Response whoami = http.get("/whoami/");
            assertThat(whoami.bodyText()).contains("\"greeting\": \"hello from user_vars\"");
        }
    }

    @Test
    void throughTheRouterDjangoSeesTheTrueClientAndScheme() throws Exception {
        assertThat(FrontProcess.awaitPort(routerPort, Duration.ofSeconds(20))).isTrue();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(CLIENT, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), routerPort), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /whoami/ HTTP/1.1\r\nHost: app.example\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Scheme: http\r\nX-Forwarded-Proto: http\r\n"
                    + "X_Forwarded_For: 7.7.7.7\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200")
                    .contains("\"scheme\": \"https\"", "\"forwarded_for\": \"" + CLIENT + "\"")
                    .doesNotContain("6.6.6.6", "7.7.7.7");
        }
    }

    private static Process startHaproxy(int port, int frontPort) throws IOException {
        assumeTrue(HaproxyRouter.installed(), "Debian's haproxy is not installed");
        // It says the client came over https, on port 443.
        return HaproxyRouter.start(project, port, frontPort, null, "X-Forwarded-Port 443",
                "X-Forwarded-Scheme https");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(argv).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
