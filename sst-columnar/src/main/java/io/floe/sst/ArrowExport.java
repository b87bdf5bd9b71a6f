package io.floe.sst;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.memory.OffHeapBlock;
import io.floe.common.row.BinaryRowLayout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Exports a {@link ColumnBatch} as an Arrow {@link VectorSchemaRoot}.
 *
 * <p>Zero-copy where the layouts agree and the batch kept every row of its page: BIGINT
 * ({@code BigIntVector}), DOUBLE ({@code Float8Vector}), TIMESTAMP(p &lt;= 3)
 * ({@code TimeStampMilliVector}), _seq, and STRING / BYTES / _key ({@code VarCharVector} /
 * {@code VarBinaryVector}: offsets and data): the decoded vector's off-heap blocks are handed to
 * Arrow ({@link BufferAllocator#wrapForeignAllocation}); Arrow frees them (back to Floe's
 * allocator) when its buffers are released, and the scan decodes into fresh blocks next time. The
 * validity bitmap moves the same way when the page has nulls, and is built by Arrow otherwise.
 * Everything else is copied: narrower types (BOOLEAN bits, INT, DATE, FLOAT, _kind), DECIMAL
 * (Arrow's 16-byte decimals), TIMESTAMP(p &gt; 3) (to nanoseconds; outside 1677..2262 raises
 * {@link ValueOutOfRangeException}), and every column of a batch whose predicate dropped rows.
 * A stored value that its type cannot hold (a TIMESTAMP(p &gt; 3) not of 12 bytes or with a
 * nanosecond part outside its millisecond, a DECIMAL wider than its precision) raises
 * {@link CorruptionException} naming the file.
 *
 * <p>Threads: call from the scan's thread. The returned root belongs to the caller, who closes it.
 */
public final class ArrowExport {
    private ArrowExport() {
    }

    /** Returns the batch's kept rows as a new root allocated from {@code allocator}. */
    public static VectorSchemaRoot export(ColumnBatch batch, BufferAllocator allocator) {
        List<FieldVector> vectors = new ArrayList<>();
        try {
            for (int i = 0; i < batch.columnCount(); i++) {
                vectors.add(exportColumn(batch, i, allocator));
            }
        } catch (RuntimeException e) {
            vectors.forEach(FieldVector::close);
            throw e;
        }
        return new VectorSchemaRoot(vectors);
    }

    private static FieldVector exportColumn(ColumnBatch batch, int i, BufferAllocator allocator) {
        FileColumn c = batch.column(i);
        ValueVector v = batch.vector(i);
        int n = batch.size();
        boolean all = batch.allSelected();
        switch (c.root()) {
            case BIGINT -> {
                BigIntVector out = new BigIntVector(field(c, new ArrowType.Int(64, true)), allocator);
                return all ? transferFixed(batch, i, out) : copyFixed(batch, v, out, n);
            }
            case DOUBLE -> {
                Float8Vector out = new Float8Vector(field(c, new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), allocator);
                return all ? transferFixed(batch, i, out) : copyFixed(batch, v, out, n);
            }
            case TIMESTAMP -> {
                if (c.type().isCompactTimestamp()) {
                    TimeStampMilliVector out = new TimeStampMilliVector(field(c, new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)), allocator);
                    return all ? transferFixed(batch, i, out) : copyFixed(batch, v, out, n);
                }
                TimeStampNanoVector out = new TimeStampNanoVector(field(c, new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)), allocator);
                out.allocateNew(n);
                for (int k = 0; k < n; k++) {
                    int row = batch.selected(k);
                    if (!v.isNull(row)) {
                        int at = v.offset(row);
                        if (v.length(row) != BinaryRowLayout.TIMESTAMP_VAR_BYTES) {
                            out.close();
                            throw corrupt(batch, c, "a TIMESTAMP of " + v.length(row) + " bytes");
                        }
                        long millis = v.data().getLong(at);
                        int nanos = v.data().getInt(at + 8);
                        if (nanos < 0 || nanos > 999_999) {
                            out.close();
                            throw corrupt(batch, c, "a TIMESTAMP with nanoOfMilli " + nanos);
                        }
                        try {
                            out.set(k, Math.addExact(Math.multiplyExact(millis, 1_000_000L), nanos));
                        } catch (ArithmeticException e) {
                            out.close();
                            throw new ValueOutOfRangeException("timestamp of " + millis + " ms does not fit Arrow nanoseconds in column '" + c.name() + "'");
                        }
                    }
                }
                out.setValueCount(n);
                return out;
            }
            case STRING, BYTES -> {
                FieldVector out = c.root() == io.floe.common.schema.TypeRoot.STRING
                        ? new VarCharVector(field(c, ArrowType.Utf8.INSTANCE), allocator)
                        : new VarBinaryVector(field(c, ArrowType.Binary.INSTANCE), allocator);
                if (all) {
                    return transferVariable(batch, i, out);
                }
                return copyVariable(batch, v, out, n);
            }
            default -> {
                return copyNarrow(batch, c, v, n, allocator);
            }
        }
    }

    private static Field field(FileColumn c, ArrowType type) {
        return new Field(c.name(), new FieldType(c.nullable(), type, null), null);
    }

    /** Wraps a detached Floe block as an Arrow buffer that frees the block when released. */
    private static ArrowBuf wrap(OffHeapBlock block, BufferAllocator allocator) {
        return allocator.wrapForeignAllocation(new ForeignAllocation(block.capacity(), block.address()) {
            @Override
            protected void release0() {
                block.close();
            }
        });
    }

    private static ArrowBuf validity(ValueVector v, int n, BufferAllocator allocator) {
        if (v.hasValidity()) {
            return wrap(v.validity.detach(), allocator);
        }
        int bytes = (n + 7) >>> 3;
        ArrowBuf buf = allocator.buffer(Math.max(8, bytes));
        buf.setOne(0, bytes);
        return buf;
    }

    private static FieldVector transferFixed(ColumnBatch batch, int i, FieldVector out) {
        ValueVector v = batch.vector(i);
        int n = v.size();
        int nulls = v.nullCount();
        ArrowBuf validity = validity(v, n, out.getAllocator());
        ArrowBuf data = wrap(v.values.detach(), out.getAllocator());
        batch.cursor.invalidate(batch.physical[i]);
        load(out, n, nulls, validity, data);
        return out;
    }

    private static FieldVector transferVariable(ColumnBatch batch, int i, FieldVector out) {
        ValueVector v = batch.vector(i);
        int n = v.size();
        int nulls = v.nullCount();
        ArrowBuf validity = validity(v, n, out.getAllocator());
        ArrowBuf offsets = wrap(v.values.detach(), out.getAllocator());
        OffHeapBlock dataBlock = v.data.detach();
        ArrowBuf data = dataBlock == null ? out.getAllocator().buffer(8) : wrap(dataBlock, out.getAllocator());
        batch.cursor.invalidate(batch.physical[i]);
        load(out, n, nulls, validity, offsets, data);
        return out;
    }

    private static void load(FieldVector out, int n, int nulls, ArrowBuf... buffers) {
        try {
            out.loadFieldBuffers(new ArrowFieldNode(n, nulls), List.of(buffers));
        } finally {
            for (ArrowBuf b : buffers) {
                b.close(); // the vector holds its own reference now
            }
        }
    }

    private static FieldVector copyFixed(ColumnBatch batch, ValueVector v, FieldVector out, int n) {
        out.setInitialCapacity(n);
        out.allocateNew();
        ArrowBuf data = out.getDataBuffer();
        for (int k = 0; k < n; k++) {
            int row = batch.selected(k);
            if (v.isNull(row)) {
                org.apache.arrow.vector.BitVectorHelper.unsetBit(out.getValidityBuffer(), k);
            } else {
                org.apache.arrow.vector.BitVectorHelper.setBit(out.getValidityBuffer(), k);
                data.setLong((long) k << 3, v.getLong(row));
            }
        }
        out.setValueCount(n);
        return out;
    }

    private static FieldVector copyVariable(ColumnBatch batch, ValueVector v, FieldVector out, int n) {
        org.apache.arrow.vector.BaseVariableWidthVector var = (org.apache.arrow.vector.BaseVariableWidthVector) out;
        var.allocateNew(n);
        byte[] scratch = new byte[64];
        for (int k = 0; k < n; k++) {
            int row = batch.selected(k);
            if (v.isNull(row)) {
                var.setNull(k);
                continue;
            }
            int len = v.length(row);
            if (scratch.length < len) {
                scratch = new byte[Math.max(len, scratch.length * 2)];
            }
            v.data().getBytes(v.offset(row), scratch, 0, len);
            var.setSafe(k, scratch, 0, len);
        }
        var.setValueCount(n);
        return out;
    }

    private static FieldVector copyNarrow(ColumnBatch batch, FileColumn c, ValueVector v, int n, BufferAllocator allocator) {
        switch (c.root()) {
            case BOOLEAN -> {
                BitVector out = new BitVector(field(c, ArrowType.Bool.INSTANCE), allocator);
                out.allocateNew(n);
                forEach(batch, v, n, out::setNull, (k, slot) -> out.set(k, (int) (slot & 1)));
                out.setValueCount(n);
                return out;
            }
            case INT -> {
                IntVector out = new IntVector(field(c, new ArrowType.Int(32, true)), allocator);
                out.allocateNew(n);
                forEach(batch, v, n, out::setNull, (k, slot) -> out.set(k, (int) slot));
                out.setValueCount(n);
                return out;
            }
            case DATE -> {
                DateDayVector out = new DateDayVector(field(c, new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY)), allocator);
                out.allocateNew(n);
                forEach(batch, v, n, out::setNull, (k, slot) -> out.set(k, (int) slot));
                out.setValueCount(n);
                return out;
            }
            case FLOAT -> {
                Float4Vector out = new Float4Vector(field(c, new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)), allocator);
                out.allocateNew(n);
                forEach(batch, v, n, out::setNull, (k, slot) -> out.set(k, Float.intBitsToFloat((int) slot)));
                out.setValueCount(n);
                return out;
            }
            case DECIMAL -> {
                DecimalVector out = new DecimalVector(field(c, new ArrowType.Decimal(c.type().precision(), c.type().scale(), 128)), allocator);
                out.allocateNew(n);
                for (int k = 0; k < n; k++) {
                    int row = batch.selected(k);
                    if (v.isNull(row)) {
                        out.setNull(k);
                    } else if (c.type().isCompactDecimal()) {
                        out.set(k, v.getLong(row));
                    } else {
                        int len = v.length(row);
                        if (len < 1 || len > BinaryRowLayout.MAX_DECIMAL_VAR_BYTES) {
                            out.close();
                            throw corrupt(batch, c, "a DECIMAL of " + len + " bytes");
                        }
                        byte[] bytes = new byte[len];
                        v.data().getBytes(v.offset(row), bytes);
                        BigDecimal value = new BigDecimal(new BigInteger(bytes), c.type().scale());
                        if (value.precision() > c.type().precision()) {
                            out.close();
                            throw corrupt(batch, c, "a DECIMAL of " + value.precision() + " digits");
                        }
                        out.set(k, value);
                    }
                }
                out.setValueCount(n);
                return out;
            }
            default -> throw new IllegalStateException("no Arrow export for " + c.type());
        }
    }

    /**
     * Returns the error for a stored value of column {@code c} that its type cannot hold (the page
     * decoded, or the row was read, so the value is corrupt): naming the file and page of a scanned
     * batch; for a batch built from rows ({@link ColumnBatch.Builder}, which has no file), naming that.
     */
    private static CorruptionException corrupt(ColumnBatch batch, FileColumn c, String what) {
        if (batch.cursor == null) {
            return new CorruptionException(BUILT_BATCH, -1, "column '" + c.name() + "' holds " + what);
        }
        return new CorruptionException(batch.cursor.reader.file.name(), -1, "column '" + c.name() + "' holds " + what
                + " in row group " + batch.cursor.group() + " page " + batch.cursor.page());
    }

    /** What a corruption error names as the source of a batch built from rows. */
    static final String BUILT_BATCH = "a column batch built from rows";

    private interface SlotSink {
        void set(int index, long slot);
    }

    private interface NullSink {
        void setNull(int index);
    }

    private static void forEach(ColumnBatch batch, ValueVector v, int n, NullSink nulls, SlotSink values) {
        for (int k = 0; k < n; k++) {
            int row = batch.selected(k);
            if (v.isNull(row)) {
                nulls.setNull(k);
            } else {
                values.set(k, v.getLong(row));
            }
        }
    }
}
