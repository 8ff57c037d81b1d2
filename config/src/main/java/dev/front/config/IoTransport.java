package dev.front.config;

import java.util.Locale;

/**
 * The network transport asked for with {@code --transport}. {@link #AUTO} takes the fastest one the kernel allows:
 * io_uring, else epoll (container runtimes' default seccomp profiles often refuse io_uring), else Java's NIO.
 */
public enum IoTransport {
    AUTO, IO_URING, EPOLL, NIO;

    /** The name on the command line and in the startup line. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static IoTransport parse(String value) {
        for (IoTransport transport : values()) {
            if (transport.optionValue().equals(value.toLowerCase(Locale.ROOT))) {
                return transport;
            }
        }
        throw new IllegalArgumentException("--transport: " + value + " (expected: auto, io_uring, epoll or nio)");
    }
}
