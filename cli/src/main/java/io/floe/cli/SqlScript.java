package io.floe.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Flink SQL script into statements: at each {@code ;} that is outside a string literal
 * ({@code '...'}, with {@code ''} as an escaped quote), a quoted identifier ({@code `...`}), a line
 * comment ({@code -- ...}) and a block comment. Blank statements are dropped; comments stay in the
 * statement text (Flink's parser skips them). Stateless.
 */
final class SqlScript {
    private SqlScript() {
    }

    /** Returns the statements of {@code script}, trimmed, without their {@code ;}. Throws {@link IllegalArgumentException} naming the line of an unclosed quote or comment. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int openedAt = 0;
        char state = 0; // 0: code, '\'': string, '`': identifier, '-': line comment, '*': block comment
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            char next = i + 1 < script.length() ? script.charAt(i + 1) : 0;
            if (c == '\n') {
                line++;
            }
            switch (state) {
                case 0 -> {
                    if (c == ';') {
                        add(out, current);
                        continue;
                    }
                    if (c == '\'' || c == '`') {
                        state = c;
                        openedAt = line;
                    } else if (c == '-' && next == '-') {
                        state = '-';
                    } else if (c == '/' && next == '*') {
                        state = '*';
                        openedAt = line;
                    }
                }
                case '\'' -> {
                    if (c == '\'' && next == '\'') {
                        current.append(c);
                        i++;
                    } else if (c == '\'') {
                        state = 0;
                    }
                }
                case '`' -> {
                    if (c == '`') {
                        state = 0;
                    }
                }
                case '-' -> {
                    if (c == '\n') {
                        state = 0;
                    }
                }
                default -> {
                    if (c == '*' && next == '/') {
                        current.append(c);
                        i++;
                        c = '/';
                        state = 0;
                    }
                }
            }
            current.append(c);
        }
        if (state == '\'' || state == '`' || state == '*') {
            throw new IllegalArgumentException("the script ends inside " + (state == '*' ? "a comment" : "a quote") + " opened on line " + openedAt);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().strip();
        if (!onlyComments(s)) {
            out.add(s);
        }
        current.setLength(0);
    }

    /** Returns iff {@code s} holds nothing but whitespace and line comments. */
    private static boolean onlyComments(String s) {
        for (String l : s.split("\n")) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("--")) {
                return false;
            }
        }
        return true;
    }
}
