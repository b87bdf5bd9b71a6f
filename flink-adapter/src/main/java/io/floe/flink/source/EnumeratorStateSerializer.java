package io.floe.flink.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Stores the enumerator's unassigned splits: an int count, then each split as {@link BucketSplitSerializer}
 * writes it (state version n holds splits of split version n; version 1 is still read).
 */
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<List<BucketSplit>> {
    private static final int VERSION = BucketSplitSerializer.VERSION;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(List<BucketSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(splits.size());
            for (BucketSplit s : splits) {
                BucketSplitSerializer.write(s, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public List<BucketSplit> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown Floe enumerator state version " + version + " (this build reads versions 1 and " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            if (n < 0 || n > 4096) {
                throw new IOException("bad split count " + n);
            }
            List<BucketSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(BucketSplitSerializer.read(in, version));
            }
            return splits;
        }
    }
}
