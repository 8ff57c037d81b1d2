package dev.front.core;

import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;

/** For unit tests of classes that log: a logger at warn that keeps the text of its warn lines. */
public final class RecordingLogger {

    private RecordingLogger() {
    }

    public static Logger into(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isWarnEnabled" -> true;
                    case "warn" -> {
                        lines.add((String) args[0]);
                        yield null;
                    }
                    case "getName" -> "test";
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }
}
