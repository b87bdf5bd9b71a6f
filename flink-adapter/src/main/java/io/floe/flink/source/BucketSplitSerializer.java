package io.floe.flink.source;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Stores {@link BucketSplit}s in Flink checkpoints. Version 1 layout (big-endian, as
 * {@link DataOutputStream} writes):
 * <pre>
 * int    bucket
 * byte   phase (0 snapshot, 1 tail)
 * long   snapshotSeq
 * int    afterKey length, -1 for none; then the key bytes
 * long   nextSeq
 * </pre>
 * Version 2 appends the covered list ({@link BucketSplit.Covered}):
 * <pre>
 * int    count
 * count x (int upToKey length, -1 for none (every key); the key bytes; long seq)
 * </pre>
 * Version 1 splits read as having no covered entries.
 */
public final class BucketSplitSerializer implements SimpleVersionedSerializer<BucketSplit> {
    public static final BucketSplitSerializer INSTANCE = new BucketSplitSerializer();
    static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(BucketSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    static void write(BucketSplit split, DataOutputStream out) throws IOException {
        out.writeInt(split.bucket());
        out.writeByte(split.phase().ordinal());
        out.writeLong(split.snapshotSeq());
        byte[] key = split.afterKey();
        out.writeInt(key == null ? -1 : key.length);
        if (key != null) {
            out.write(key);
        }
        out.writeLong(split.nextSeq());
        out.writeInt(split.covered().size());
        for (BucketSplit.Covered c : split.covered()) {
            byte[] upTo = c.upToKey();
            out.writeInt(upTo == null ? -1 : upTo.length);
            if (upTo != null) {
                out.write(upTo);
            }
            out.writeLong(c.seq());
        }
    }

    @Override
    public BucketSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown Floe split version " + version + " (this build reads versions 1 and " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
            return read(in, version);
        }
    }

    static BucketSplit read(DataInputStream in, int version) throws IOException {
        int bucket = in.readInt();
        int phase = in.readByte();
        if (phase < 0 || phase >= BucketSplit.Phase.values().length) {
            throw new IOException("bad split phase " + phase);
        }
        long snapshotSeq = in.readLong();
        int keyLength = in.readInt();
        if (keyLength < -1 || keyLength > in.available()) {
            throw new IOException("bad split key length " + keyLength);
        }
        byte[] key = keyLength >= 0 ? in.readNBytes(keyLength) : null;
        long nextSeq = in.readLong();
        List<BucketSplit.Covered> covered = new ArrayList<>();
        if (version >= 2) {
            int n = in.readInt();
            if (n < 0 || n > in.available() / 12) {
                throw new IOException("bad split covered count " + n);
            }
            for (int i = 0; i < n; i++) {
                int upToLength = in.readInt();
                if (upToLength < -1 || upToLength > in.available()) {
                    throw new IOException("bad split covered key length " + upToLength);
                }
                byte[] upTo = upToLength >= 0 ? in.readNBytes(upToLength) : null;
                covered.add(new BucketSplit.Covered(upTo, in.readLong()));
            }
        }
        return new BucketSplit(bucket, BucketSplit.Phase.values()[phase], snapshotSeq, key, nextSeq, covered);
    }
}
