package io.floe.kernel.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A model of a manifest's state and a random edit generator, for the manifest tests. */
final class ManifestTestSupport {
    /** The model: live files by number, and watermarks. */
    static final class Model {
        final int buckets;
        final TreeMap<Long, FileMeta> files = new TreeMap<>();
        final long[] flushed;
        final long[] committed;
        final long[] nextSeq;
        long nextFile = 1;

        Model(int buckets) {
            this.buckets = buckets;
            this.flushed = new long[buckets];
            this.committed = new long[buckets];
            this.nextSeq = new long[buckets];
        }

        void apply(VersionEdit e) {
            e.removed().forEach(r -> files.remove(r.fileNumber()));
            e.added().forEach(f -> files.put(f.fileNumber(), f));
            e.flushedSeq().forEach((b, s) -> flushed[b] = s);
            e.committedCheckpoint().forEach((b, c) -> committed[b] = c);
        }

        /** Returns a random edit: a flush (a new run), a compaction (runs replaced by one), or watermarks. */
        VersionEdit randomEdit(SplittableRandom r, VersionSet set) {
            int bucket = r.nextInt(buckets);
            VersionEdit.Builder edit = VersionEdit.builder();
            int kind = r.nextInt(4);
            List<FileMeta> inBucket = new ArrayList<>();
            files.values().stream().filter(f -> f.bucket() == bucket).forEach(inBucket::add);
            if (kind == 0 || kind == 3 && inBucket.isEmpty()) {
                long runId = set.newFileNumber();
                long seq = nextSeq[bucket] + 1;
                nextSeq[bucket] += 10;
                for (FileMeta f : runFiles(r, bucket, runId, set, seq, nextSeq[bucket])) {
                    edit.add(f);
                }
                edit.flushedSeq(bucket, nextSeq[bucket]);
            } else if (kind == 3) {
                // a compaction: every file of some runs out, one new run in
                TreeMap<Long, List<FileMeta>> runs = new TreeMap<>();
                inBucket.forEach(f -> runs.computeIfAbsent(f.runId(), x -> new ArrayList<>()).add(f));
                long minSeq = Long.MAX_VALUE;
                long maxSeq = 0;
                for (List<FileMeta> run : runs.values()) {
                    if (r.nextBoolean() || run == runs.firstEntry().getValue()) {
                        for (FileMeta f : run) {
                            edit.remove(bucket, f.fileNumber());
                            minSeq = Math.min(minSeq, f.minSeq());
                            maxSeq = Math.max(maxSeq, f.maxSeq());
                        }
                    }
                }
                if (r.nextInt(5) > 0) {
                    long runId = set.newFileNumber();
                    runFiles(r, bucket, runId, set, minSeq, maxSeq).forEach(edit::add);
                }
            } else if (kind == 1) {
                edit.committedCheckpoint(bucket, committed[bucket] + 1 + r.nextInt(3));
            } else {
                edit.flushedSeq(bucket, flushed[bucket] + r.nextInt(5));
            }
            return edit.build();
        }

        private static List<FileMeta> runFiles(SplittableRandom r, int bucket, long runId, VersionSet set, long minSeq, long maxSeq) {
            int n = 1 + r.nextInt(3);
            List<FileMeta> out = new ArrayList<>();
            int key = r.nextInt(10);
            for (int i = 0; i < n; i++) {
                byte[] small = key(key);
                key += 1 + r.nextInt(50);
                byte[] large = key(key);
                key += 1 + r.nextInt(5);
                long number = i == 0 ? runId : set.newFileNumber();
                out.add(new FileMeta(bucket, runId, number, 100 + r.nextInt(1_000_000), small, large, minSeq, maxSeq, r.nextInt(10_000)));
            }
            return out;
        }

        private static byte[] key(int k) {
            return k % 3 == 0 ? new byte[] {(byte) (k >>> 8), (byte) k} : new byte[] {(byte) (k >>> 8), (byte) k, (byte) 7};
        }

        /** Returns the model as the version's form: per bucket, its files by number, and the watermarks. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < buckets; b++) {
                sb.append("bucket ").append(b).append(" flushed=").append(flushed[b]).append(" committed=").append(committed[b]).append('\n');
                for (FileMeta f : files.values()) {
                    if (f.bucket() == b) {
                        sb.append("  ").append(f).append('\n');
                    }
                }
            }
            return sb.toString();
        }
    }

    /** Returns {@code v} described as {@link Model#describe()} does, checking the run invariants. */
    static String describe(Version v) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < v.bucketCount(); b++) {
            BucketVersion bv = v.bucket(b);
            sb.append("bucket ").append(b).append(" flushed=").append(bv.flushedSeq()).append(" committed=").append(bv.committedCheckpoint())
                    .append('\n');
            Map<Long, FileMeta> byNumber = new TreeMap<>();
            long newer = Long.MAX_VALUE;
            for (SortedRun run : bv.runs()) {
                if (run.maxSeq() > newer) {
                    throw new AssertionError("runs of bucket " + b + " are not newest first: " + bv.runs());
                }
                newer = run.maxSeq();
                run.files().forEach(f -> byNumber.put(f.fileNumber(), f));
            }
            byNumber.values().forEach(f -> sb.append("  ").append(f).append('\n'));
        }
        return sb.toString();
    }

    private ManifestTestSupport() {
    }
}
