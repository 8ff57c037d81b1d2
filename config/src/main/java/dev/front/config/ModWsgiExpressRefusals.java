package dev.front.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mod_wsgi-express {@code start-server} options the front refuses, each with the one line that says why and
 * what to use instead. Refused rather than unknown so that a {@code .whiskey/server_args} written for
 * mod_wsgi-express stops with advice, and refused rather than ignored because each of them changes what the
 * server does. docs/whiskey.md has the same list in its compatibility table.
 */
final class ModWsgiExpressRefusals {

    private static final String NOT_YET = "not supported yet";
    private static final String REFUSED = "not supported";

    private static final Map<String, String> REASONS = new LinkedHashMap<>();

    private static void notYet(String reason, String... options) {
        for (String option : options) {
            REASONS.put(option, NOT_YET + " (" + reason + ")");
        }
    }

    private static void refused(String reason, String... options) {
        for (String option : options) {
            REASONS.put(option, REFUSED + " (" + reason + ")");
        }
    }

    static {
        notYet("the front does not ask clients for certificates; verify them at the router",
                "--ssl-ca-certificate-file", "--ssl-verify-client");
        notYet("the child is told the scheme and port (X-Forwarded-Proto, X-Forwarded-Port), not TLS details",
                "--ssl-environment");

        refused("the application runs in the child's main interpreter; give a process per application",
                "--application-group");
        refused("the front runs one child; HUP or POST /reload on the admin port replaces it", "--process-group");
        refused("the front does not switch users; run the container as that user (USER, runAsUser)",
                "--user", "--group");
        refused("use --graceful-timeout", "--shutdown-timeout", "--eviction-timeout");
        refused("use --restart-interval, --maximum-requests or --memory-limit", "--cpu-time-limit",
                "--inactivity-timeout", "--ignore-activity");
        refused("give the server its own worker timeout after --, such as gunicorn's --timeout",
                "--deadlock-timeout", "--interrupt-timeout");
        refused("use --queue-timeout", "--connect-timeout");
        refused("the front does not proxy to other sites; route them at the router, or use --upstream",
                "--proxy-timeout", "--proxy-mount-point", "--proxy-url-alias", "--proxy-virtual-host");
        refused("the front's --header-timeout is a fixed limit; give a larger one", "--header-max-timeout",
                "--header-min-rate");
        refused("the front's --body-timeout is a fixed inactivity limit; give a larger one", "--body-max-timeout",
                "--body-min-rate");
        refused("the front's listen backlog is the kernel's somaxconn", "--server-backlog");
        refused("give the server its own backlog option after --, such as gunicorn's --backlog", "--daemon-backlog");
        refused("the front's limit on the child's response head is fixed", "--header-buffer-size");
        refused("the front buffers responses for slow clients up to --max-temp-file-size", "--response-buffer-size",
                "--response-flush-delay");
        refused("use --socket-timeout", "--response-socket-timeout");
        refused("the front forwards HEAD as HEAD; the server of the child decides", "--map-head-to-get");
        refused("the front never lists directories", "--directory-listing");
        refused(".htaccess files are Apache's; the front reads none", "--allow-override");
        refused("the front never replaces the application's own error responses", "--error-override");
        refused("use --admin-port: /metrics, /healthz, /readyz", "--server-metrics", "--server-status",
                "--telemetry-service", "--enable-telemetry", "--telemetry-ui-port", "--telemetry-interval",
                "--telemetry-options", "--slow-requests");
        refused("a mod_wsgi interpreter setting; give the child's Python its own, e.g. --setenv PYTHON_GIL 0",
                "--switch-interval", "--free-threading", "--orphan-interpreter");
        refused("authenticate in the application or at the router", "--host-access-script", "--auth-user-script",
                "--auth-type", "--auth-group-script", "--auth-group");
        refused("Apache configuration; the front has none", "--include-file", "--rewrite-rules", "--add-handler",
                "--with-php5", "--with-cgi");
        refused("use .whiskey/action_hooks/deploy-env or --setenv", "--envvars-script");
        refused("use --setenv LANG VALUE", "--lang");
        refused("use --setenv LC_ALL VALUE", "--locale");
        refused("use --setenv PYTHON_EGG_CACHE DIR", "--python-eggs");
        refused("use --setenv PYTHONWARNINGS SPEC", "--python-warnings");
        refused("the front is the container's process; ask the runtime for its pid", "--pid-file");
        refused("the front's own log goes to stderr and the access log to stdout; redirect them", "--log-directory",
                "--error-log-name", "--access-log-name", "--startup-log-name", "--rotate-logs", "--max-log-size",
                "--rotatelogs-executable");
        refused("the front's own log lines have one format; --access-log-format sets the access log's",
                "--error-log-format");
        refused("use --log-level debug", "--verbose-debugging");
        refused("the front's process is java; name its container instead", "--process-name");
        refused("the front's MIME types are built in", "--mime-types");
        refused("run other processes in a container of their own", "--service-script", "--service-user",
                "--service-group", "--service-log-file");
        refused("the application always runs in a child process", "--embedded-mode");
        refused("the front serves no documentation", "--enable-docs");
        refused("to debug, run the server directly, without the front", "--debug-mode", "--enable-coverage",
                "--coverage-directory", "--enable-profiler", "--profiler-directory", "--enable-recorder",
                "--recorder-directory", "--enable-gdb", "--gdb-executable", "--enable-debugger", "--debugger-startup");
        refused("the front generates no configuration to set up", "--setup-only");
    }

    private ModWsgiExpressRefusals() {
    }

    /** The refused options among the front's own arguments, one line each: {@code --option: not supported (...)}. */
    static List<String> problems(List<String> own) {
        List<String> problems = new ArrayList<>();
        for (String arg : own) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            String reason = REASONS.get(name);
            if (reason != null && problems.stream().noneMatch(p -> p.startsWith(name + ":"))) {
                problems.add(name + ": " + reason);
            }
        }
        return problems;
    }
}
