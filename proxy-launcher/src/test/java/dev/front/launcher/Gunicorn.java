package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** A real gunicorn (Debian's) serving one of the test apps on a free loopback port; a test is skipped without it. */
record Gunicorn(Process process, int port) implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/gunicorn");

    /** The echo app of the forwarding tests, one sync worker. */
    static Gunicorn echo() throws Exception {
        return start(ForwardingIT.APPS, "echo_app:application", 1);
    }

    static Gunicorn start(Path appDirectory, String application, int workers) throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "Debian's gunicorn is not installed");
        int port = FrontProcess.freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "--chdir", appDirectory.toString(),
                "-b", "127.0.0.1:" + port, "-w", Integer.toString(workers), "--timeout", "120", application)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Gunicorn gunicorn = new Gunicorn(process, port);
        if (!FrontProcess.awaitPort(port, FrontProcess.STARTUP)) {
            gunicorn.close();
            assertThat(false).as("gunicorn listening on " + port).isTrue();
        }
        return gunicorn;
    }

    @Override
    public void close() {
        FrontProcess.killTree(process);
    }
}
