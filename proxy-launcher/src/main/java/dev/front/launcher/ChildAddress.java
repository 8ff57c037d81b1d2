package dev.front.launcher;

import dev.front.core.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the spawned child listens and the front connects: a loopback TCP port ({@code {port}}) or a Unix socket in
 * a directory only the front's user can enter ({@code {socket}}, see {@link ChildSocket}). Each names the
 * placeholder it fills in the child's command, the variables it puts in the child's environment, the address the
 * forwarding service connects to and the one the readiness probe tries.
 */
sealed interface ChildAddress extends AutoCloseable permits ChildAddress.LoopbackPort, ChildSocket {

    String PORT_PLACEHOLDER = "{port}";
    String SOCKET_PLACEHOLDER = "{socket}";

    /** The text in the child's arguments that this address replaces. */
    String placeholder();

    /** What replaces {@link #placeholder()}: the port number or the socket's path. */
    String value();

    /** The child's environment: {@code inherited} plus what tells the child where to listen. */
    Map<String, String> environment(Map<String, String> inherited);

    /** The address the forwarding service connects to, in the form {@code transport}'s channels take. */
    SocketAddress upstream(Transport transport);

    /** The JDK address the readiness probe connects to. */
    SocketAddress probe();

    /** Called before every (re)spawn: clears what a crashed child may have left where the next one listens. */
    void prepareSpawn() throws IOException;

    /** Removes what the front made for the child; idempotent. */
    @Override
    void close();

    /** The child's command with the placeholder replaced in every argument. */
    default List<String> substitute(List<String> argv) {
        return argv.stream().map(arg -> arg.replace(placeholder(), value())).toList();
    }

    /** A loopback port: {@code PORT} and {@code HOST=127.0.0.1} in the environment, as most PaaS do. */
    record LoopbackPort(int port) implements ChildAddress {

        @Override
        public String placeholder() {
            return PORT_PLACEHOLDER;
        }

        @Override
        public String value() {
            return Integer.toString(port);
        }

        @Override
        public Map<String, String> environment(Map<String, String> inherited) {
            Map<String, String> environment = new HashMap<>(inherited);
            environment.put("PORT", value());
            environment.put("HOST", "127.0.0.1");
            return Map.copyOf(environment);
        }

        @Override
        public SocketAddress upstream(Transport transport) {
            return probe();
        }

        @Override
        public SocketAddress probe() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public void prepareSpawn() {
            // a port holds nothing between two children
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            String host = InetAddress.getLoopbackAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
