package dev.front.launcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The child's argv and environment for a given loopback port: {@code {port}} replaced, PORT and HOST set. */
record ChildCommand(List<String> argv, Map<String, String> environment) {

    static ChildCommand of(List<String> command, int port, Map<String, String> inherited) {
        String text = Integer.toString(port);
        List<String> argv = command.stream().map(arg -> arg.replace("{port}", text)).toList();
        Map<String, String> environment = new HashMap<>(inherited);
        environment.put("PORT", text);
        environment.put("HOST", "127.0.0.1");
        return new ChildCommand(argv, Map.copyOf(environment));
    }
}
