package dev.front.config;

import java.util.List;

/** A user error on the command line: one line per problem, each naming its option. Exit status 2. */
public final class UsageException extends Exception {

    private final List<String> problems;

    public UsageException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public UsageException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
