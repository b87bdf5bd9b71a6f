package io.floe.jmh.report;

import io.floe.jmh.report.Goal.Kind;
import io.floe.jmh.report.Goal.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the goals file ({@code goals.txt} beside this class): blocks of
 *
 * <pre>
 * goal &lt;name&gt;
 *   text       &lt;the goal in words, as the issue states it&gt;
 *   floe       &lt;Class.method&gt; [param=value ...]
 *   peer       &lt;Class.method&gt; [param=value ...]       (ratio goals only)
 *   ratio      &lt;at least this many times the peer&gt;
 *   | alloc    &lt;at most this many bytes per operation&gt;
 *   | percentile &lt;p, e.g. 99.0&gt; &lt;at most this value in the result's unit&gt;
 * </pre>
 *
 * Lines starting with # are comments.
 */
public final class GoalFile {
    private GoalFile() {
    }

    /** Returns the goals in {@code text}. Throws {@link IllegalArgumentException} naming the line if it is malformed. */
    public static List<Goal> parse(String text) {
        List<Goal> goals = new ArrayList<>();
        Map<String, String> block = null;
        String name = null;
        int lineNo = 0;
        int blockLine = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s+", 2);
            if (kv[0].equals("goal")) {
                if (kv.length == 1) {
                    throw new IllegalArgumentException("goals line " + lineNo + ": 'goal' needs a name");
                }
                if (block != null) {
                    goals.add(build(name, block, blockLine));
                }
                name = kv[1];
                block = new LinkedHashMap<>();
                blockLine = lineNo;
            } else if (block == null) {
                throw new IllegalArgumentException("goals line " + lineNo + ": '" + line + "' outside a goal block");
            } else {
                block.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        if (block != null) {
            goals.add(build(name, block, blockLine));
        }
        return goals;
    }

    private static Goal build(String name, Map<String, String> b, int line) {
        String where = "goal '" + name + "' (line " + line + ")";
        if (!b.containsKey("floe")) {
            throw new IllegalArgumentException(where + " has no 'floe' selector");
        }
        Selector floe = selector(b.get("floe"));
        String text = b.getOrDefault("text", name);
        try {
            if (b.containsKey("ratio")) {
                if (!b.containsKey("peer")) {
                    throw new IllegalArgumentException(where + " is a ratio goal without a 'peer' selector");
                }
                return new Goal(name, text, Kind.RATIO, floe, selector(b.get("peer")), Double.parseDouble(b.get("ratio")), null);
            }
            if (b.containsKey("alloc")) {
                return new Goal(name, text, Kind.ALLOC, floe, null, Double.parseDouble(b.get("alloc")), null);
            }
            if (b.containsKey("percentile")) {
                String[] p = b.get("percentile").split("\\s+");
                if (p.length != 2) {
                    throw new IllegalArgumentException(where + ": 'percentile' takes a percentile and a maximum");
                }
                return new Goal(name, text, Kind.PERCENTILE, floe, null, Double.parseDouble(p[1]), p[0]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(where + " has none of 'ratio', 'alloc' or 'percentile'");
    }

    private static Selector selector(String text) {
        String[] parts = text.split("\\s+");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("selector '" + text + "': expected param=value, got '" + parts[i] + "'");
            }
            params.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return new Selector(parts[0], params);
    }
}
