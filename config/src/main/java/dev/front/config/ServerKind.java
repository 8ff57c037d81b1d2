package dev.front.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The WSGI servers {@code --server} knows how to run (see the launcher's presets). */
public enum ServerKind {
    GUNICORN, WAITRESS, UWSGI, MOD_WSGI, UVICORN;

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ServerKind parse(String value) {
        for (ServerKind kind : values()) {
            if (kind.optionName().equalsIgnoreCase(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--server: " + value + " (expected: "
                + Arrays.stream(values()).map(ServerKind::optionName).collect(Collectors.joining(", ")) + ")");
    }
}
