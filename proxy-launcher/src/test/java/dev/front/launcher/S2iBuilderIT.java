package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S2I builder's scripts run as Source-to-Image runs them, without a container engine: {@code assemble} copies a
 * repository into a temporary application root and installs it into a virtual environment that sees Debian's Django
 * and gunicorn (PyPI is out of reach: pip is told to use no index, and every requirement is already satisfied);
 * {@code run} then replaces itself with the front as PID 1 of a new PID namespace ({@code unshare --pid --fork}).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S2iBuilderIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPTS = Path.of("../s2i/bin").toAbsolutePath().normalize();

    @TempDir
    static Path work;

    static Path venv;
    static Path djangoRoot;
    static Started django;

    @BeforeAll
    static void buildTheDjangoProject() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)) && exec(List.of(PYTHON, "-c", "import django, gunicorn"),
                Map.of(), work).status == 0, "Debian's python3-django and gunicorn are not installed");
        assumeTrue(exec(List.of("unshare", "--pid", "--fork", "true"), Map.of(), work).status == 0,
                "unshare --pid --fork is not permitted here (needs root or user namespaces)");
        venv = work.resolve("venv");
        assertThat(exec(List.of(PYTHON, "-m", "venv", "--system-site-packages", venv.toString()), Map.of(), work)
                .status).isZero();

        Path source = Files.createDirectories(work.resolve("django-src"));
        assertThat(exec(List.of(PYTHON, "-m", "django", "startproject", "hello_world", source.toString()),
                Map.of(), work).status).isZero();
        Path settings = source.resolve("hello_world/settings.py");
        Files.writeString(settings, Files.readString(settings) + """

                ALLOWED_HOSTS = ['*']
                STATIC_ROOT = BASE_DIR / 'static'
                MIDDLEWARE.insert(0, 'hello_world.seen.middleware')
                """);
        // Every path Django is asked for is written down, so the test can tell what never reached it.
        Files.writeString(source.resolve("hello_world/seen.py"), """
                import os

                def middleware(get_response):
                    def record(request):
                        with open(os.path.join(os.getcwd(), 'seen.log'), 'a') as log:
                            log.write(request.path + '\\n')
                        return get_response(request)
                    return record
                """);
        Files.writeString(source.resolve("requirements.txt"), "Django\ngunicorn\n");
        Path whiskey = Files.createDirectories(source.resolve(".whiskey"));
        Files.writeString(whiskey.resolve("server_args"), """
                --application-type module hello_world.wsgi
                --url-alias /static static
                --trust-proxy-header X-Forwarded-For --trust-proxy-header X-Forwarded-Port
                --trust-proxy-header X-Forwarded-Proto
                """);
        Files.createDirectories(whiskey.resolve("user_vars"));
        Files.writeString(whiskey.resolve("user_vars/GREETING"), "hello from user_vars\n");
        hook(source, "pre-build", "echo \"pre-build: $GREETING\" >> hooks.log");
        hook(source, "build", "echo \"build: $GREETING\" >> hooks.log\npython manage.py collectstatic --noinput");
        hook(source, "deploy", "echo \"deploy: $GREETING\" >> hooks.log");

        djangoRoot = work.resolve("django-root");
        Exec assembled = assemble(source, djangoRoot, Map.of());
        assertThat(assembled.status).as(assembled.output).isZero();
        django = Started.run(djangoRoot, Map.of());
        django.awaitStatus("/admin/login/", 200);
    }

    @AfterAll
    static void stop() {
        if (django != null) {
            django.kill();
        }
    }

    @Test
    @Order(1)
    void theFrontIsPid1OfTheContainer() throws Exception {
        ProcessHandle init = django.init();
        String status = Files.readString(Path.of("/proc", Long.toString(init.pid()), "status"));
        assertThat(status).containsPattern("(?m)^NSpid:\\s+" + init.pid() + "\\s+1$");
        assertThat(init.info().commandLine().orElse("")).contains("-jar " + FrontProcess.JAR);
    }

    @Test
    @Order(1)
    void theAdminCssComesFromTheAliasAndTheLoginPageFromDjango() throws Exception {
        Path app = djangoRoot.resolve("src");
        try (RawHttp http = RawHttp.connect(django.port)) {
            RawHttp.Response css = http.get("/static/admin/css/base.css");
            assertThat(css.status()).isEqualTo(200);
            assertThat(css.header("content-type")).startsWith("text/css");
            assertThat(css.body()).isEqualTo(Files.readAllBytes(app.resolve("static/admin/css/base.css")));
            RawHttp.Response login = http.get("/admin/login/");
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.bodyText()).contains("/static/admin/css/base.css");
        }
        assertThat(Files.readString(app.resolve("seen.log"))).contains("/admin/login/").doesNotContain("/static/");
    }

    @Test
    @Order(1)
    void theHooksRanInOrderWithTheUserVariables() throws Exception {
        assertThat(Files.readString(djangoRoot.resolve("src/hooks.log"))).isEqualTo("""
                pre-build: hello from user_vars
                build: hello from user_vars
                deploy: hello from user_vars
                """);
    }

    @Test
    @Order(1)
    void theTreeIsWritableByGroup0() throws Exception {
        Path settings = djangoRoot.resolve("src/hello_world/settings.py");
        assertThat(Files.getPosixFilePermissions(settings)).contains(PosixFilePermission.GROUP_WRITE);
        assertThat(Files.getAttribute(settings, "unix:gid")).isEqualTo(0);
    }

    @Test
    @Order(2)
    void termStopsItWithTheChildsStatus() throws Exception {
        django.init().destroy(); // SIGTERM to PID 1 of the namespace
        assertThat(django.awaitExit()).as(django.stderr()).isZero(); // gunicorn's status after a graceful TERM
        assertThat(django.stderr()).contains("Handling signal: term");
    }

    @Test
    void withoutWhiskeyDjangosStaticRootIsCollectedAndServedByTheFront() throws Exception {
        // The same project as the stock Python builder would get it: no .whiskey/ at all.
        Path source = work.resolve("stock-src");
        copyTree(work.resolve("django-src"), source);
        deleteTree(source.resolve(".whiskey"));
        Path root = work.resolve("stock-root");
        Exec assembled = assemble(source, root, Map.of());
        assertThat(assembled.status).as(assembled.output).isZero();
        assertThat(assembled.output).contains("Collecting Django's static files");
        Path app = root.resolve("src");
        try (Started started = Started.run(root, Map.of())) {
            started.awaitStatus("/admin/login/", 200);
            try (RawHttp http = RawHttp.connect(started.port)) {
                RawHttp.Response css = http.get("/static/admin/css/base.css");
                assertThat(css.status()).isEqualTo(200);
                assertThat(css.body()).isEqualTo(Files.readAllBytes(app.resolve("static/admin/css/base.css")));
            }
            assertThat(started.stderr()).contains("aliases: /static -> " + app.resolve("static"),
                    "child: hello_world.wsgi under gunicorn");
        }
        assertThat(Files.readString(app.resolve("seen.log"))).contains("/admin/login/").doesNotContain("/static/");
    }

    @Test
    void aRepositoryWithOnlyWsgiPyRunsItUnderGunicorn() throws Exception {
        Path source = Files.createDirectories(work.resolve("wsgi-src"));
        Files.writeString(source.resolve("requirements.txt"), "gunicorn\n");
        Files.writeString(source.resolve("wsgi.py"), wsgiApp("application", "hello from wsgi.py"));
        Path root = work.resolve("wsgi-root");
        Exec assembled = assemble(source, root, Map.of());
        assertThat(assembled.status).as(assembled.output).isZero();
        try (Started started = Started.run(root, Map.of())) {
            started.awaitStatus("/", 200);
            try (RawHttp http = RawHttp.connect(started.port)) {
                assertThat(http.get("/").bodyText()).isEqualTo("hello from wsgi.py");
            }
            assertThat(started.stderr()).contains("child: wsgi under gunicorn", "Starting gunicorn");
        }
    }

    @Test
    void appModuleNamesTheApplicationBeforeAnyWsgiPyWithWebConcurrencyAndAppConfig() throws Exception {
        Path source = Files.createDirectories(work.resolve("module-src"));
        Files.createDirectories(source.resolve("shop"));
        Files.writeString(source.resolve("shop/__init__.py"), "");
        Files.writeString(source.resolve("shop/web.py"), """
                import os

                def app(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [('hello from APP_MODULE, ' + os.environ.get('FROM_CONFIG', 'no APP_CONFIG')).encode()]
                """);
        // gunicorn reads APP_CONFIG; the bind in it loses to the front's socket given on the command line.
        Files.writeString(source.resolve("gunicorn.conf.py"), "raw_env = ['FROM_CONFIG=APP_CONFIG read']\n"
                + "bind = '127.0.0.1:1'\n");
        Files.writeString(source.resolve("wsgi.py"), wsgiApp("application", "the wrong application"));
        Path root = work.resolve("module-root");
        assertThat(assemble(source, root, Map.of()).status).isZero();
        try (Started started = Started.run(root, Map.of("APP_MODULE", "shop.web:app", "WEB_CONCURRENCY", "2",
                "APP_CONFIG", "gunicorn.conf.py"))) {
            started.awaitStatus("/", 200);
            try (RawHttp http = RawHttp.connect(started.port)) {
                assertThat(http.get("/").bodyText()).isEqualTo("hello from APP_MODULE, APP_CONFIG read");
            }
            assertThat(started.stderr()).contains("child: shop.web under gunicorn");
            started.awaitStderr("Booting worker(.|\\n)*Booting worker"); // WEB_CONCURRENCY=2: two workers
        }
    }

    @Test
    void appFileRunsAProgramOnTheGivenPortAndItsExitStatusIsTheContainers() throws Exception {
        Path source = Files.createDirectories(work.resolve("file-src"));
        Files.writeString(source.resolve("serve.py"), """
                import os, signal, sys
                from wsgiref.simple_server import make_server

                def application(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [b'hello from APP_FILE']

                signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))
                make_server(os.environ['HOST'], int(os.environ['PORT']), application).serve_forever()
                """);
        Path root = work.resolve("file-root");
        assertThat(assemble(source, root, Map.of()).status).isZero();
        try (Started started = Started.run(root, Map.of("APP_FILE", "serve.py"))) {
            started.awaitStatus("/", 200);
            try (RawHttp http = RawHttp.connect(started.port)) {
                assertThat(http.get("/").bodyText()).isEqualTo("hello from APP_FILE");
            }
            started.init().destroy();
            assertThat(started.awaitExit()).as(started.stderr()).isEqualTo(7);
        }
    }

    @Test
    void nothingRunnableGetsTheUsageMessageAndAFailure() throws Exception {
        Path source = Files.createDirectories(work.resolve("empty-src"));
        Files.writeString(source.resolve("README.md"), "nothing to run here\n");
        Files.writeString(source.resolve("app.py"), "print('the stock builder would run me')\n");
        Path root = work.resolve("empty-root");
        assertThat(assemble(source, root, Map.of()).status).isZero();
        Exec run = exec(List.of(SCRIPTS.resolve("run").toString()), environment(root, Map.of()), root);
        assertThat(run.status).isEqualTo(2);
        assertThat(run.output).startsWith("run: nothing to run in " + root.resolve("src"))
                .contains("APP_MODULE", "wsgi.py", "oc new-app")
                .doesNotContain("Traceback", "Exception", "the stock builder would run me");
    }

    @Test
    void aFailingBuildHookFailsTheBuildSayingWhich() throws Exception {
        Path source = Files.createDirectories(work.resolve("failing-src"));
        Files.writeString(source.resolve("wsgi.py"), wsgiApp("application", "never built"));
        hook(source, "build", "echo compiling assets\nexit 3");
        Exec assembled = assemble(source, work.resolve("failing-root"), Map.of());
        assertThat(assembled.status).isNotZero();
        assertThat(assembled.output).contains("compiling assets")
                .contains("assemble: .whiskey/action_hooks/build failed with status 3");
    }

    @Test
    void savedArtifactsGiveTheNextBuildThePipCache() throws Exception {
        Path source = Files.createDirectories(work.resolve("cache-src"));
        Files.writeString(source.resolve("wsgi.py"), wsgiApp("application", "cached"));
        Path first = work.resolve("cache-root-1");
        assertThat(assemble(source, first, Map.of()).status).isZero();
        Path empty = work.resolve("empty-artifacts.tar");
        // Nothing cached yet: still a tar S2I can unpack, and nothing else on stdout.
        assertThat(exec(List.of("sh", "-c", "\"$0\" > " + empty + " && tar tf " + empty,
                SCRIPTS.resolve("save-artifacts").toString()), environment(first, Map.of()), work)).isEqualTo(
                new Exec(0, ""));
        Path cached = Files.createDirectories(first.resolve(".cache/pip/http")).resolve("entry");
        Files.writeString(cached, "a cached download");
        Path artifacts = Files.createDirectories(work.resolve("artifacts"));
        assertThat(exec(List.of("sh", "-c", "\"$0\" | tar xf - -C " + artifacts,
                SCRIPTS.resolve("save-artifacts").toString()), environment(first, Map.of()), work).status).isZero();
        Path second = work.resolve("cache-root-2");
        Map<String, String> env = environment(second, Map.of());
        env.put("S2I_SOURCE_DIR", source.toString());
        env.put("S2I_ARTIFACTS_DIR", artifacts.toString());
        Exec assembled = exec(List.of(SCRIPTS.resolve("assemble").toString()), env, work);
        assertThat(assembled.output).contains("Restoring the pip cache");
        assertThat(second.resolve(".cache/pip/http/entry")).hasContent("a cached download");
    }

    private static String wsgiApp(String callable, String text) {
        return """
                def %s(environ, start_response):
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [b'%s']
                """.formatted(callable, text);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        assertThat(exec(List.of("cp", "-R", from.toString(), to.toString()), Map.of(), work).status).isZero();
    }

    private static void deleteTree(Path tree) throws Exception {
        assertThat(exec(List.of("rm", "-rf", tree.toString()), Map.of(), work).status).isZero();
    }

    private static void hook(Path source, String name, String body) throws IOException {
        Path hook = Files.createDirectories(source.resolve(".whiskey/action_hooks")).resolve(name);
        Files.writeString(hook, "#!/bin/sh\nset -e\n" + body + "\n");
        assertThat(hook.toFile().setExecutable(true)).isTrue();
    }

    private static Exec assemble(Path source, Path root, Map<String, String> extra) throws Exception {
        Map<String, String> env = environment(root, extra);
        env.put("S2I_SOURCE_DIR", source.toString());
        env.put("S2I_ARTIFACTS_DIR", work.resolve("no-artifacts").toString());
        return exec(List.of(SCRIPTS.resolve("assemble").toString()), env, work);
    }

    /** What S2I and the image give the scripts, pointing at this build's jar and JDK and the test's venv. */
    private static Map<String, String> environment(Path root, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        List.of("APP_MODULE", "APP_FILE", "APP_SCRIPT", "APP_CONFIG", "APP_HOME", "WEB_CONCURRENCY", "PORT",
                "DISABLE_COLLECTSTATIC").forEach(env::remove);
        env.put("APP_ROOT", root.toString());
        env.put("VIRTUAL_ENV", venv.toString());
        env.put("PIP_NO_INDEX", "1"); // no network here: a requirement not already satisfied fails at once
        env.put("JAVA", FrontProcess.JAVA);
        env.put("FRONT_JAR", FrontProcess.JAR.toString());
        env.putAll(extra);
        return env;
    }

    private record Exec(int status, String output) {
    }

    private static Exec exec(List<String> command, Map<String, String> env, Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env.isEmpty() ? System.getenv() : env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Exec(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** {@code run} under {@code unshare --pid --fork}, as a container runtime would start it. */
    static final class Started implements AutoCloseable {

        final Process unshare;
        final int port;
        final Path stderr;

        private Started(Process unshare, int port, Path stderr) {
            this.unshare = unshare;
            this.port = port;
            this.stderr = stderr;
        }

        static Started run(Path root, Map<String, String> extra) throws IOException {
            int port = FrontProcess.freePort();
            Map<String, String> env = environment(root, extra);
            env.put("PORT", Integer.toString(port));
            List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork",
                    SCRIPTS.resolve("run").toString(), "--log-level", "info"));
            command.addAll(FrontProcess.TRANSPORT);
            Path stderr = Files.createTempFile(work, "run", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            return new Started(builder.start(), port, stderr);
        }

        /** The process unshare forked: PID 1 of the new namespace. */
        ProcessHandle init() {
            return unshare.children().findFirst().orElseThrow(() -> new AssertionError("unshare has no child\n"
                    + stderr()));
        }

        void awaitStatus(String path, int status) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            int last = -1;
            while (System.nanoTime() < deadline && unshare.isAlive()) {
                try (RawHttp http = RawHttp.connect(port)) {
                    last = http.get(path).status();
                    if (last == status) {
                        return;
                    }
                } catch (IOException e) {
                    last = -1;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("GET " + path + " never answered " + status + " (last: " + last + ")\nstderr:\n"
                    + stderr());
        }

        /** Waits until the log matches {@code regex} (a worker may boot after the server answers). */
        void awaitStderr(String regex) throws InterruptedException {
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!pattern.matcher(stderr()).find()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the log never matched " + regex + "\n" + stderr());
                }
                Thread.sleep(100);
            }
        }

        int awaitExit() throws InterruptedException {
            if (!unshare.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("still running 30 s after TERM\n" + stderr());
            }
            return unshare.exitValue();
        }

        String stderr() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        void kill() {
            unshare.descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
        }

        @Override
        public void close() {
            kill();
        }
    }
}
