package dev.vwb.repl;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A line read as a short command: its name, the format of {@code x/NFMT}, and the arguments.
 *
 * <p>A line is a command when it begins with a command's name followed by nothing, a space, or
 * (for {@code x}) a slash, and what follows does not continue a Java expression ({@code c = 5},
 * {@code regs.size()}, {@code b -> ...}, {@code si;}). Everything else is Java. So a Java
 * variable named like a command is read by writing it in parentheses: {@code (c)}.
 *
 * @param name   the command's name as typed
 * @param format for {@code x}, what follows the slash ({@code 16xb}); otherwise ""
 * @param args   the words after the name
 */
record CommandLine(String name, String format, List<String> args) {
    /** What, after a command name and a space, can only be Java: assignment, member access, lambda, operators. */
    private static final Pattern JAVA_CONTINUES =
            Pattern.compile("^(?:[-+*/%&|^<>!=]?=(?!=)|==|\\+\\+|--|->|&&|\\|\\||[.(\\[;?:<>{])");

    public CommandLine {
        args = List.copyOf(args);
    }

    /** The line as a command, if it is one of {@code names}. */
    static Optional<CommandLine> parse(String line, Set<String> names) {
        String s = line.strip();
        int end = 0;
        while (end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) {
            end++;
        }
        String name = s.substring(0, end);
        if (!names.contains(name)) {
            return Optional.empty();
        }
        String rest = s.substring(end);
        String format = "";
        if (name.equals("x") && rest.startsWith("/")) {
            int space = indexOfSpace(rest);
            format = rest.substring(1, space);
            rest = rest.substring(space);
        }
        if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
            return Optional.empty();
        }
        rest = rest.strip();
        if (JAVA_CONTINUES.matcher(rest).find()) {
            return Optional.empty();
        }
        List<String> args = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("\\s+"));
        return Optional.of(new CommandLine(name, format, args));
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return s.length();
    }

    /** The argument at {@code i}, or {@code otherwise} when there are fewer. */
    String arg(int i, String otherwise) {
        return i < args.size() ? args.get(i) : otherwise;
    }

    /** A count argument (decimal, 1 or more) at {@code i}, {@code otherwise} when absent. */
    long count(int i, long otherwise) {
        if (i >= args.size()) {
            return otherwise;
        }
        String a = args.get(i).replace("_", "").replace(",", "");
        try {
            long n = Long.parseLong(a);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " takes a count of 1 or more (decimal), not '" + args.get(i) + "'");
    }

    /** Refuses more than {@code max} arguments, with the command's usage. */
    void atMost(int max, String usage) {
        if (args.size() > max) {
            throw new IllegalArgumentException("too many arguments: " + usage);
        }
    }
}
