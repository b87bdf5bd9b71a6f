package io.floe.flink.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What one sink writer prepared for one bucket on a checkpoint barrier: the bucket's writes up to
 * {@code seq} are durable and wait for the checkpoint to complete, when the committer publishes
 * them with {@code Table.commit(bucket, seq, seq)} (the seq doubles as the kernel's commit id, see
 * {@link FloeSink}). Immutable.
 *
 * @param bucket the bucket
 * @param seq    the prepared seq ({@code BucketWriter.prepareCommit}), >= 0
 */
public record FloeCommittable(int bucket, long seq) {

    /** Version 1: {@code int bucket, long seq}, big-endian. */
    public static final class Serializer implements SimpleVersionedSerializer<FloeCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FloeCommittable c) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(12);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(c.bucket());
                out.writeLong(c.seq());
            }
            return bytes.toByteArray();
        }

        /** Throws {@link IOException} if {@code version} is not 1 or the bytes are not 12. */
        @Override
        public FloeCommittable deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 || serialized.length != 12) {
                throw new IOException("cannot read a Floe sink committable of version " + version + " and " + serialized.length
                        + " bytes (this connector reads version 1, 12 bytes): restore the job with the connector version that wrote the checkpoint");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new FloeCommittable(in.readInt(), in.readLong());
            }
        }
    }
}
