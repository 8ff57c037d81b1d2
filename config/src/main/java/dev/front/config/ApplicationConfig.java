package dev.front.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The WSGI application the front runs under a server it chooses or is told ({@code --server}), named the way
 * mod_wsgi-express names it: an entry point that is a script file or a module, and a callable in it.
 *
 * @param entryPoint a WSGI script file ({@link Type#SCRIPT}) or a dotted module name ({@link Type#MODULE})
 * @param type       how to read the entry point ({@code --application-type})
 * @param callable   the WSGI callable's name ({@code --callable-object})
 * @param server     the server preset; empty = the default (gunicorn if importable, else waitress)
 * @param processes  worker processes ({@code --processes}); empty = the server's default
 * @param threads    threads per process ({@code --threads}); empty = the server's default
 */
public record ApplicationConfig(String entryPoint, Type type, String callable, Optional<ServerKind> server,
                                OptionalInt processes, OptionalInt threads) {

    public enum Type { SCRIPT, MODULE }

    public ApplicationConfig {
        if (entryPoint == null || entryPoint.isEmpty()) {
            throw new IllegalArgumentException("entry point: '' (expected: a WSGI script file or module name)");
        }
        if (!callable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--callable-object: " + callable + " (expected: a Python identifier)");
        }
        if (type == Type.MODULE && !entryPoint.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new IllegalArgumentException("--application-type module: " + entryPoint
                    + " (expected: a dotted module name such as mysite.wsgi)");
        }
    }

    /** {@code MODULE:CALLABLE}, as gunicorn, waitress and uvicorn take it. */
    public String moduleSpec() {
        return entryPoint + ":" + callable;
    }

    /**
     * How many requests the child can work on at once, when both numbers are known: the concurrency cap of the
     * forwarding service towards it.
     */
    public OptionalInt concurrency() {
        if (processes.isEmpty() && threads.isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(processes.orElse(1) * threads.orElse(1));
    }
}
