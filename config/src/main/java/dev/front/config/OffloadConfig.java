package dev.front.config;

import java.nio.file.Path;
import java.util.List;

/**
 * File offload from the child (nginx's {@code X-Accel-Redirect}, Apache's {@code X-Sendfile}): a response of the child
 * that carries {@code header} is replaced by the file it names, served by the front.
 *
 * @param header          the response header the child names the file in ({@code --sendfile-header})
 * @param internalAliases aliases the child may name but clients can never request ({@code --internal-alias})
 * @param roots           directories under which the child may name a file by its absolute path
 *                        ({@code --sendfile-root}); absolute and normalised
 */
public record OffloadConfig(String header, List<Alias> internalAliases, List<Path> roots) {

    public OffloadConfig {
        internalAliases = List.copyOf(internalAliases);
        roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
    }
}
