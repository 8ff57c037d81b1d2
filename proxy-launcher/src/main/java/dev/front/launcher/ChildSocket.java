package dev.front.launcher;

import dev.front.config.Upstream;
import dev.front.core.transport.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child's Unix socket, {@code child.sock} in a directory of its own (mode 0700) under {@code --temp-dir}. Only
 * the front's user can enter the directory, so only the front (and the child it spawned) can connect, whatever mode
 * the server gives the socket itself (uvicorn makes it 0666): nothing else in the pod's network namespace can
 * bypass the front's forwarded-header scrubbing, as it could with a loopback port. The directory goes when the
 * front exits.
 */
final class ChildSocket implements ChildAddress {

    static final String FILE_NAME = "child.sock";
    /** The environment variable that holds the socket's path, for children that read it rather than {@code {socket}}. */
    static final String ENVIRONMENT = "FRONT_SOCKET";
    /** {@code sun_path} holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;
    static final String DIRECTORY_PREFIX = "front-";
    /** The longest name {@link Files#createTempDirectory} may give: the prefix and an unsigned long. */
    private static final int LONGEST_DIRECTORY_NAME = DIRECTORY_PREFIX.length() + Long.toUnsignedString(-1L).length();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final Logger log = LoggerFactory.getLogger("front");

    private final Path directory;
    private final Path path;
    private boolean closed; // guarded by this

    private ChildSocket(Path directory) {
        this.directory = directory;
        this.path = directory.resolve(FILE_NAME);
    }

    /**
     * Makes the private directory under {@code root}.
     *
     * @throws IllegalArgumentException when the socket's path could be too long for a Unix socket (a usage error:
     *                                  the message names {@code --temp-dir})
     * @throws IOException              when the directory cannot be made
     */
    static ChildSocket create(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize(); // the child runs elsewhere: a relative path would move
        checkLength(absolute);
        Path directory = Files.createTempDirectory(absolute, DIRECTORY_PREFIX,
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // the umask may only have taken bits away, but say it outright rather than rely on that
        Files.setPosixFilePermissions(directory, OWNER_ONLY);
        ChildSocket socket = new ChildSocket(directory);
        // Best effort should the front die without reaching close(): deleted in reverse order, the socket first.
        directory.toFile().deleteOnExit();
        socket.path.toFile().deleteOnExit();
        return socket;
    }

    /**
     * Refuses a root under which the socket's path might not fit in {@code sun_path}, whatever random name the
     * directory gets: servers fail on a long path with messages that do not say which path.
     */
    static void checkLength(Path root) {
        int fixed = 1 + LONGEST_DIRECTORY_NAME + 1 + FILE_NAME.length(); // "/front-N/child.sock"
        if (root.toString().getBytes(StandardCharsets.UTF_8).length + fixed > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("--temp-dir: " + root + " (expected: a path of at most "
                    + (MAX_PATH_BYTES - fixed) + " bytes: the child's socket " + root + "/" + DIRECTORY_PREFIX
                    + "N/" + FILE_NAME + " must fit the " + MAX_PATH_BYTES + " bytes of a Unix socket path)");
        }
    }

    /** A socket in a new private directory beside this one's. */
    @Override
    public ChildAddress next() throws IOException {
        return create(directory.getParent());
    }

    Path path() {
        return path;
    }

    Path directory() {
        return directory;
    }

    @Override
    public String placeholder() {
        return SOCKET_PLACEHOLDER;
    }

    @Override
    public String value() {
        return path.toString();
    }

    /** {@code FRONT_SOCKET}; an inherited {@code PORT} (the front's own) and {@code HOST} are not passed on. */
    @Override
    public Map<String, String> environment(Map<String, String> inherited) {
        Map<String, String> environment = new HashMap<>(inherited);
        environment.remove("PORT");
        environment.remove("HOST");
        environment.put(ENVIRONMENT, value());
        return Map.copyOf(environment);
    }

    @Override
    public SocketAddress upstream(Transport transport) {
        return transport.addressOf(new Upstream.Unix(path));
    }

    @Override
    public SocketAddress probe() {
        return UnixDomainSocketAddress.of(path);
    }

    /**
     * A crashed child leaves its socket file behind, and not every server removes one before binding (uvicorn with
     * {@code --workers} fails with "Address already in use").
     */
    @Override
    public void prepareSpawn() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!Files.isDirectory(directory)) {
            return;
        }
        try {
            // the socket and whatever else the server left in the directory (nothing of anyone else's is there)
            try (Stream<Path> entries = Files.list(directory)) {
                for (Path entry : entries.toList()) {
                    Files.deleteIfExists(entry);
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("cannot remove the child's socket directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return "unix:" + path;
    }
}
