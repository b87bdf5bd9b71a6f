package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Table options as string key/value pairs, the form Flink's {@code WITH (...)} clause and the
 * table's stored options use. Keys:
 *
 * <pre>
 * bucket                                      1..4096
 * memtable.size                               bytes, with an optional unit: 4kb, 64mb, 1gb
 * memtable.max-immutable                      1..16
 * compression.flush / .compacted / .bottom    none | lz4 | zstd
 * compression.zstd-level                      1..19
 * compaction.sorted-run-trigger               2..64
 * compaction.max-size-amplification-percent   0..10000
 * compaction.size-ratio-percent               0..1000
 * compaction.min-merge-width                  2..64
 * compaction.max-merge-width                  min-merge-width..1024
 * merge-engine                                deduplicate | partial-update | aggregation | first-row
 * fields.&lt;column&gt;.aggregate-function         sum | min | max | count | last-non-null | last
 * aggregation.default-function                as above (default last-non-null)
 * aggregation.delete                          reject | remove-row
 * changelog-producer                          none | full
 * changelog.retention                         a duration: 0, 500 ms, 30 s, 15 min, 2 h, 7 d
 * file.page-size                              bytes as memtable.size, 1kb..8mb (default 64kb)
 * file.page-rows                              16..1048576 (default 65536)
 * </pre>
 *
 * A key that is absent takes its default; an unknown key is an error (a typo must not be silently
 * ignored). A stored options file written before a key existed therefore opens with that key's
 * default, which is what such a table used.
 */
public final class TableOptionsCodec {
    private static final List<String> KEYS = List.of("bucket", "memtable.size", "memtable.max-immutable", "compression.flush",
            "compression.compacted", "compression.bottom", "compression.zstd-level", "compaction.sorted-run-trigger",
            "compaction.max-size-amplification-percent", "compaction.size-ratio-percent", "compaction.min-merge-width",
            "compaction.max-merge-width", "merge-engine", "aggregation.default-function", "aggregation.delete", "changelog-producer",
            "changelog.retention", "file.page-size", "file.page-rows");
    private static final String FIELD_PREFIX = "fields.";
    private static final String FIELD_SUFFIX = ".aggregate-function";

    private TableOptionsCodec() {
    }

    /**
     * Returns the options {@code map} spells, with defaults for absent keys.
     * Throws {@link InvalidOptionException} naming the key if a key is unknown or a value is invalid.
     */
    public static TableOptions parse(Map<String, String> map) {
        Map<String, String> m = new HashMap<>(map);
        Map<String, AggregateFunction> aggregates = new TreeMap<>();
        for (String key : new TreeMap<>(map).keySet()) {
            if (key.startsWith(FIELD_PREFIX) && key.endsWith(FIELD_SUFFIX) && key.length() > FIELD_PREFIX.length() + FIELD_SUFFIX.length()) {
                String column = key.substring(FIELD_PREFIX.length(), key.length() - FIELD_SUFFIX.length());
                aggregates.put(column, AggregateFunction.parse(key, m.remove(key)));
            } else if (!KEYS.contains(key)) {
                throw new InvalidOptionException(key, map.get(key), "not a table option; known options: " + String.join(", ", KEYS)
                        + ", fields.<column>.aggregate-function");
            }
        }
        TableOptions d = TableOptions.defaults();
        WriteBufferOptions wb = new WriteBufferOptions(bytes(m, "memtable.size", d.writeBuffer().memtableBytes()),
                integer(m, "memtable.max-immutable", d.writeBuffer().maxImmutableMemtables()));
        CompressionOptions cd = d.compression();
        CompressionOptions compression = new CompressionOptions(compression(m, "compression.flush", cd.flush()),
                compression(m, "compression.compacted", cd.compacted()), compression(m, "compression.bottom", cd.bottom()),
                integer(m, "compression.zstd-level", cd.zstdLevel()));
        CompactionOptions c = d.compaction();
        CompactionOptions compaction = new CompactionOptions(integer(m, "compaction.sorted-run-trigger", c.sortedRunTrigger()),
                integer(m, "compaction.max-size-amplification-percent", c.maxSizeAmplificationPercent()),
                integer(m, "compaction.size-ratio-percent", c.sizeRatioPercent()), integer(m, "compaction.min-merge-width", c.minMergeWidth()),
                integer(m, "compaction.max-merge-width", c.maxMergeWidth()));
        MergeEngineKind kind = m.containsKey("merge-engine") ? MergeEngineKind.parse(m.get("merge-engine")) : MergeEngineKind.DEDUPLICATE;
        AggregateFunction defaultAggregate = m.containsKey("aggregation.default-function")
                ? AggregateFunction.parse("aggregation.default-function", m.get("aggregation.default-function")) : AggregateFunction.LAST_NON_NULL;
        AggregationDeletePolicy onDelete = m.containsKey("aggregation.delete")
                ? AggregationDeletePolicy.parse(m.get("aggregation.delete")) : AggregationDeletePolicy.REJECT;
        MergeEngineOptions merge = new MergeEngineOptions(kind, aggregates, defaultAggregate, onDelete);
        ChangelogProducer producer = m.containsKey("changelog-producer") ? ChangelogProducer.parse(m.get("changelog-producer"))
                : ChangelogProducer.NONE;
        FileLayoutOptions layout = new FileLayoutOptions(bytes(m, "file.page-size", d.fileLayout().pageBytes()),
                integer(m, "file.page-rows", d.fileLayout().pageRows()));
        return new TableOptions(integer(m, "bucket", d.buckets()), wb, compression, compaction, merge, producer,
                duration(m, "changelog.retention", d.changelogRetention()), layout);
    }

    /**
     * Returns iff option {@code key} (as {@link #format} spells it) shapes the stored data and so is
     * fixed when the table is created: the bucket count, the merge engine with its aggregation
     * options, and the changelog producer.
     */
    public static boolean isFixed(String key) {
        return key.equals("bucket") || key.equals("merge-engine") || key.equals("changelog-producer") || key.startsWith("aggregation.")
                || key.startsWith(FIELD_PREFIX) && key.endsWith(FIELD_SUFFIX);
    }

    /**
     * Returns the fixed options ({@link #isFixed}) whose values differ between {@code stored} and
     * {@code given}, by key in key order, each as {@code {storedValue, givenValue}} (null where the
     * option is absent, e.g. a per-column aggregate function named on one side only).
     */
    public static SortedMap<String, String[]> fixedDifferences(TableOptions stored, TableOptions given) {
        Map<String, String> s = format(stored);
        Map<String, String> g = format(given);
        TreeSet<String> keys = new TreeSet<>(s.keySet());
        keys.addAll(g.keySet());
        SortedMap<String, String[]> out = new TreeMap<>();
        for (String key : keys) {
            if (isFixed(key) && !Objects.equals(s.get(key), g.get(key))) {
                out.put(key, new String[] {s.get(key), g.get(key)});
            }
        }
        return out;
    }

    /** Returns every option of {@code o} as key/value pairs, in a stable order; {@code parse(format(o))} equals {@code o}. */
    public static Map<String, String> format(TableOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bucket", Integer.toString(o.buckets()));
        m.put("memtable.size", Long.toString(o.writeBuffer().memtableBytes()));
        m.put("memtable.max-immutable", Integer.toString(o.writeBuffer().maxImmutableMemtables()));
        m.put("compression.flush", o.compression().flush().optionValue());
        m.put("compression.compacted", o.compression().compacted().optionValue());
        m.put("compression.bottom", o.compression().bottom().optionValue());
        m.put("compression.zstd-level", Integer.toString(o.compression().zstdLevel()));
        m.put("compaction.sorted-run-trigger", Integer.toString(o.compaction().sortedRunTrigger()));
        m.put("compaction.max-size-amplification-percent", Integer.toString(o.compaction().maxSizeAmplificationPercent()));
        m.put("compaction.size-ratio-percent", Integer.toString(o.compaction().sizeRatioPercent()));
        m.put("compaction.min-merge-width", Integer.toString(o.compaction().minMergeWidth()));
        m.put("compaction.max-merge-width", Integer.toString(o.compaction().maxMergeWidth()));
        m.put("merge-engine", o.mergeEngine().kind().optionValue());
        new TreeMap<>(o.mergeEngine().aggregates()).forEach((column, f) -> m.put(FIELD_PREFIX + column + FIELD_SUFFIX, f.optionValue()));
        m.put("aggregation.default-function", o.mergeEngine().defaultAggregate().optionValue());
        m.put("aggregation.delete", o.mergeEngine().onDelete().optionValue());
        m.put("changelog-producer", o.changelogProducer().optionValue());
        m.put("changelog.retention", formatDuration(o.changelogRetention()));
        m.put("file.page-size", Long.toString(o.fileLayout().pageBytes()));
        m.put("file.page-rows", Integer.toString(o.fileLayout().pageRows()));
        return m;
    }

    private static int integer(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(key, v, "an integer");
        }
    }

    private static Compression compression(Map<String, String> m, String key, Compression dflt) {
        String v = m.get(key);
        return v == null ? dflt : Compression.parse(key, v);
    }

    private static final String[][] DURATION_UNITS = {{"ms", "1"}, {"s", "1000"}, {"min", "60000"}, {"h", "3600000"}, {"d", "86400000"}};

    /** Parses "0", "500 ms", "30 s", "15 min", "2 h", "7 d". */
    static Duration duration(Map<String, String> m, String key, Duration dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        String s = v.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = -1;
        for (int i = DURATION_UNITS.length - 1; i >= 0 && unit < 0; i--) {
            String[] u = DURATION_UNITS[i];
            if (s.endsWith(u[0]) && !(u[0].equals("s") && s.endsWith("ms"))) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0 || (unit < 0 && n != 0)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.multiplyExact(n, Math.max(unit, 1)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidOptionException(key, v, "a duration of 0 or more with a unit: ms, s, min, h or d (e.g. '30 min', '7 d')");
        }
    }

    /** Returns {@code d} in the largest unit that divides it exactly ({@code duration} reads it back). */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        for (int i = DURATION_UNITS.length - 1; i >= 0; i--) {
            long unit = Long.parseLong(DURATION_UNITS[i][1]);
            if (ms != 0 && ms % unit == 0) {
                return (ms / unit) + " " + DURATION_UNITS[i][0];
            }
        }
        return ms + " ms";
    }

    /** Parses "4096", "4kb", "64 MB", "1gb" (binary units). */
    static long bytes(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        String s = v.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] u : new String[][] {{"kb", "10"}, {"mb", "20"}, {"gb", "30"}, {"b", "0"}}) {
            if (s.endsWith(u[0])) {
                unit = 1L << Integer.parseInt(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidOptionException(key, v, "a byte size such as 4096, 4kb, 64mb or 1gb");
        }
    }
}
