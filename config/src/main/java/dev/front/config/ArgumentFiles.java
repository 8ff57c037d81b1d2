package dev.front.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expands {@code @FILE} arguments the way a {@code .whiskey/server_args} file expects: options one or more per
 * line, {@code #} comments, single and double quotes, {@code $VAR} and {@code ${VAR}} from the environment
 * (not inside single quotes). Only the front's own arguments are expanded: after a literal {@code --} the child
 * command is passed through untouched.
 */
public final class ArgumentFiles {

    private static final int MAX_DEPTH = 8;

    private ArgumentFiles() {
    }

    public static List<String> expand(List<String> args, Map<String, String> env) throws UsageException {
        List<String> out = new ArrayList<>();
        expandInto(args, env, out, 0, Path.of(""));
        return out;
    }

    private static boolean expandInto(List<String> args, Map<String, String> env, List<String> out, int depth,
                                      Path base) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                return true;
            }
            if (arg.length() > 1 && arg.startsWith("@")) {
                if (depth >= MAX_DEPTH) {
                    throw new UsageException(arg + ": argument files nested too deeply (expected: at most "
                            + MAX_DEPTH + " levels)");
                }
                Path file = base.resolve(arg.substring(1));
                List<String> tokens = tokenize(read(arg, file), env, arg);
                if (expandInto(tokens, env, out, depth + 1, base)) {
                    out.addAll(args.subList(i + 1, args.size()));
                    return true;
                }
            } else {
                out.add(arg);
            }
        }
        return false;
    }

    private static String read(String arg, Path file) throws UsageException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(arg + ": cannot read " + file + " (expected: a readable file of options)");
        }
    }

    /** Splits text into arguments like a POSIX shell would, minus everything but quotes and variables. */
    static List<String> tokenize(String text, Map<String, String> env, String source) throws UsageException {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '$' && quote != '\'') {
                i = expandVariable(text, i, env, current);
                inToken = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && "\"\\$".indexOf(text.charAt(i + 1)) >= 0) {
                    current.append(text.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                if (next != '\n') {
                    current.append(next);
                    inToken = true;
                }
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else if (c == '#' && !inToken) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new UsageException(source + ": unterminated " + quote + " quote (expected: matching quotes)");
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    /** Appends the value of the variable at {@code text[dollar]} and returns the index of its last character. */
    private static int expandVariable(String text, int dollar, Map<String, String> env, StringBuilder out) {
        int i = dollar + 1;
        if (i < text.length() && text.charAt(i) == '{') {
            int close = text.indexOf('}', i);
            if (close > i + 1) {
                out.append(env.getOrDefault(text.substring(i + 1, close), ""));
                return close;
            }
            out.append('$');
            return dollar;
        }
        int end = i;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        if (end == i) {
            out.append('$');
            return dollar;
        }
        out.append(env.getOrDefault(text.substring(i, end), ""));
        return end - 1;
    }
}
