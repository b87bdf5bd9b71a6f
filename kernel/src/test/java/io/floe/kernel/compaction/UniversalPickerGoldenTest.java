package io.floe.kernel.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.GoldenFile;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.CompactionOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden picks (testdata/compaction_picker.txt). Command: {@code pick [trigger=N] [size-amp=PCT]
 * [ratio=PCT] [min-width=N] [max-width=N]} (defaults: {@link CompactionOptions#defaults()}).
 * Input: {@code runs S1 S2 ...}, run sizes newest first; the newest run has the highest id
 * ({@code #n} .. {@code #1}). Output: the plan, or {@code none}.
 */
class UniversalPickerGoldenTest {
    @Test
    void goldenPicks() {
        GoldenFile.run("compaction_picker.txt", c -> {
            UniversalPicker picker = new UniversalPicker(options(c.command()));
            return describe(picker.pick(shape(c.input().get(0))));
        });
    }

    /** Properties every plan has, over random shapes: adjacent inputs, bottom iff the last run is in, at least 2 runs. */
    @Test
    void randomShapesGiveWellFormedPlansAndCompactionConverges() {
        SplittableRandom r = Seeds.random("UniversalPickerGoldenTest.randomShapes");
        for (int i = 0; i < 2_000; i++) {
            int min = 2 + r.nextInt(3);
            CompactionOptions o = new CompactionOptions(2 + r.nextInt(8), r.nextInt(400), r.nextInt(50), min, min + r.nextInt(10));
            UniversalPicker picker = new UniversalPicker(o);
            List<BucketShape.Run> runs = new ArrayList<>();
            int n = r.nextInt(20);
            for (int k = 0; k < n; k++) {
                runs.add(new BucketShape.Run(n - k, 1 + r.nextInt(1_000)));
            }
            // apply plans until none: the run count must fall below trigger or settle, never loop forever
            for (int step = 0; step < 100; step++) {
                Optional<CompactionPlan> plan = picker.pick(new BucketShape(runs));
                if (plan.isEmpty()) {
                    assertThat(runs.size()).isLessThanOrEqualTo(Math.max(o.sortedRunTrigger(), 1));
                    break;
                }
                List<BucketShape.Run> in = plan.get().inputs();
                int first = runs.indexOf(in.get(0));
                assertThat(runs.subList(first, first + in.size())).isEqualTo(in);
                assertThat(plan.get().outputBottom()).isEqualTo(first + in.size() == runs.size());
                List<BucketShape.Run> next = new ArrayList<>(runs.subList(0, first));
                next.add(new BucketShape.Run(in.get(0).runId(), plan.get().inputBytes()));
                next.addAll(runs.subList(first + in.size(), runs.size()));
                runs = next;
                assertThat(step).as("compaction of %s did not settle with %s", runs, o).isLessThan(99);
            }
        }
    }

    private static CompactionOptions options(String command) {
        Map<String, Integer> kv = new HashMap<>();
        String[] words = command.trim().split("\\s+");
        for (int i = 1; i < words.length; i++) {
            String[] p = words[i].split("=");
            kv.put(p[0], Integer.parseInt(p[1]));
        }
        CompactionOptions d = CompactionOptions.defaults();
        return new CompactionOptions(kv.getOrDefault("trigger", d.sortedRunTrigger()), kv.getOrDefault("size-amp", d.maxSizeAmplificationPercent()),
                kv.getOrDefault("ratio", d.sizeRatioPercent()), kv.getOrDefault("min-width", d.minMergeWidth()),
                kv.getOrDefault("max-width", d.maxMergeWidth()));
    }

    private static BucketShape shape(String line) {
        String[] words = line.trim().split("\\s+");
        List<BucketShape.Run> runs = new ArrayList<>();
        int n = words.length - 1;
        for (int i = 1; i < words.length; i++) {
            runs.add(new BucketShape.Run(n - i + 1, Long.parseLong(words[i])));
        }
        return new BucketShape(runs);
    }

    private static String describe(Optional<CompactionPlan> plan) {
        if (plan.isEmpty()) {
            return "none";
        }
        CompactionPlan p = plan.get();
        StringBuilder sb = new StringBuilder(p.reason().name().toLowerCase().replace('_', '-')).append(": merge");
        for (BucketShape.Run r : p.inputs()) {
            sb.append(" #").append(r.runId());
        }
        return sb.append(" (").append(p.inputs().size()).append(" runs, ").append(p.inputBytes()).append(" bytes) into ")
                .append(p.outputBottom() ? "the bottom run" : "a run above the bottom").toString();
    }
}
