package io.floe.flink.source;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 */
public final class BucketSplitSerializer implements SimpleVersionedSerializer<BucketSplit> {
    public static final BucketSplitSerializer INSTANCE = new BucketSplitSerializer();
    private static final int VERSION = 1;

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
    }

    @Override
    public BucketSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown Floe split version " + version + " (this build reads version " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static BucketSplit read(DataInputStream in) throws IOException {
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
        byte[] key = null;
        if (keyLength >= 0) {
            key = in.readNBytes(keyLength);
        }
        return new BucketSplit(bucket, BucketSplit.Phase.values()[phase], snapshotSeq, key, in.readLong());
    }
}
