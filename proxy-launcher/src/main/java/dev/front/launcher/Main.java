package dev.front.launcher;

import dev.front.config.CommandLineParser;
import dev.front.config.FrontConfig;
import dev.front.config.UsageException;
import java.util.List;

/** {@code java -jar front.jar [OPTIONS] [-- CHILD-COMMAND [ARG...]]}: parse, then run the front until it exits. */
public final class Main {

    /** Exit status of a usage error (a bad option), as in the command-line contract. */
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        // Netty samples buffers for leak reports by default, at a measurable cost per request; the tests turn
        // paranoid detection on explicitly, and -Dio.netty.leakDetection.level=... still wins here.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        FrontConfig config;
        try {
            switch (CommandLineParser.parse(List.of(args), System.getenv())) {
                case CommandLineParser.Outcome.Print print -> {
                    System.out.print(print.text());
                    return 0;
                }
                case CommandLineParser.Outcome.Run run -> config = run.config();
            }
        } catch (UsageException e) {
            for (String problem : e.problems()) {
                System.err.println("front: " + problem);
            }
            return USAGE;
        }
        Logging.configure(config.logLevel());
        return new Front(config).run();
    }
}
