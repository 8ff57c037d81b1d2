package dev.front.launcher;

import dev.front.core.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    /**
     * Where the child listens after a crash, asked just before it is spawned again: this address, or another one
     * when this one is still held by something the crashed child left running and the front may pick anew.
     */
    default ChildAddress forRestart() throws IOException {
        return this;
    }

    /**
     * Where a second child listens while this one still serves (a replacement): a new socket in a directory of its
     * own, or another free port.
     *
     * @throws IOException when there is none: a port given with {@code --application-port} holds one child only
     */
    ChildAddress next() throws IOException;

    /** Removes what the front made for the child; idempotent. */
    @Override
    void close();

    /** The child's command with the placeholder replaced in every argument. */
    default List<String> substitute(List<String> argv) {
        return argv.stream().map(arg -> arg.replace(placeholder(), value())).toList();
    }

    /**
     * A loopback port: {@code PORT} and {@code HOST=127.0.0.1} in the environment, as most PaaS do.
     *
     * @param movable the front picked the port, so it may pick another one; a port given with
     *                {@code --application-port} stays as given
     */
    record LoopbackPort(int port, boolean movable) implements ChildAddress {

        /** The port {@code --application-port} names: the child is always restarted on it. */
        static LoopbackPort given(int port) {
            return new LoopbackPort(port, false);
        }

        /** A port that is free now, picked by the front. */
        static LoopbackPort free() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return new LoopbackPort(socket.getLocalPort(), true);
            }
        }

        /**
         * A worker of the crashed child that left its session (setsid) escapes the group cleanup and may keep the
         * listening socket open: every restart on that port would then fail with "address already in use". A port
         * the front picked moves to a free one instead.
         */
        @Override
        public ChildAddress forRestart() throws IOException {
            return !movable || bindable() ? this : free();
        }

        /**
         * Whether the child can listen here now. With SO_REUSEADDR, as the servers set it: only a socket still
         * listening on the port counts, not the connections of the crashed child waiting out TIME_WAIT.
         */
        boolean bindable() {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(probe(), 1);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public ChildAddress next() throws IOException {
            if (!movable) {
                throw new IOException("--application-port " + port + " holds one child: a new one cannot listen"
                        + " beside the old one (let the front pick the port, or use {socket})");
            }
            return free();
        }

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
