package dev.front.config;

/** Port number checks shared by the options that take one. */
final class Ports {

    private Ports() {
    }

    static int check(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + ": " + port + " (expected: a port from 1 to 65535)");
        }
        return port;
    }

    static int parse(String option, String value) {
        try {
            return check(option, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a port from 1 to 65535)");
        }
    }
}
