package io.floe.cli.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * The demo's change stream of orders: change {@code i} is a pure function of {@code i} (apart from
 * {@code updated_at}, the wall-clock time at which it is generated), so the final state of the
 * orders after the first {@code n} changes can be replayed in-process ({@link #replay}) and
 * compared with the table.
 *
 * <p>Changes come in blocks of ten: six inserts of new orders ({@code 6b .. 6b+5}), three updates of
 * orders of the three previous blocks (status PAID, SHIPPED, DELIVERED and a new amount) and one
 * delete of an order of block {@code b-4}, which no later change touches. The row kinds are an
 * upsert changelog: +I, +U (no -U), -D (the full row, status CANCELLED).
 */
public final class OrderChanges implements GeneratorFunction<Long, Row> {
    private static final long serialVersionUID = 1L;

    static final String[] REGIONS = {"north", "south", "east", "west", "central"};
    private static final String[] UPDATE_STATUS = {"PAID", "SHIPPED", "DELIVERED"};

    /** The row type: order_id BIGINT NOT NULL, customer_id INT, region STRING, amount DECIMAL(10,2), status STRING, updated_at TIMESTAMP(3). */
    public static DataType rowType() {
        return DataTypes.ROW(
                DataTypes.FIELD("order_id", DataTypes.BIGINT().notNull()),
                DataTypes.FIELD("customer_id", DataTypes.INT()),
                DataTypes.FIELD("region", DataTypes.STRING()),
                DataTypes.FIELD("amount", DataTypes.DECIMAL(10, 2)),
                DataTypes.FIELD("status", DataTypes.STRING()),
                DataTypes.FIELD("updated_at", DataTypes.TIMESTAMP(3))).notNull();
    }

    @Override
    public Row map(Long index) {
        return change(index, System.currentTimeMillis());
    }

    /** Returns change {@code i}, generated at {@code nowMillis} (epoch milliseconds, stored as a UTC TIMESTAMP(3)). */
    static Row change(long i, long nowMillis) {
        long b = i / 10;
        int j = (int) (i % 10);
        LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
        if (j < 6) {
            long id = 6 * b + j;
            return Row.ofKind(RowKind.INSERT, id, customer(id), region(id), amount(id, 0), "CREATED", at);
        }
        if (j < 9 || b < 4) {
            int u = (j - 6) % 3; // the deletes' slot updates too in the first four blocks
            long tb = Math.max(0, b - 1 - u); // block 0 updates its own orders, inserted just before
            long id = 6 * tb + (b + j) % 6;
            return Row.ofKind(RowKind.UPDATE_AFTER, id, customer(id), region(id), amount(id, i), UPDATE_STATUS[u], at);
        }
        long id = 6 * (b - 4) + b % 6;
        return Row.ofKind(RowKind.DELETE, id, customer(id), region(id), amount(id, 0), "CANCELLED", at);
    }

    static int customer(long id) {
        return (int) (id % 997);
    }

    static String region(long id) {
        return REGIONS[(int) (id % REGIONS.length)];
    }

    static BigDecimal amount(long id, long change) {
        return BigDecimal.valueOf(Math.floorMod(id * 7919 + change * 104729, 100_000), 2);
    }

    /** Per region: the number of live orders and the sum of their amounts after changes {@code 0 .. n-1}. */
    public static Map<String, Totals> replay(long n) {
        Map<Long, Row> live = new HashMap<>();
        for (long i = 0; i < n; i++) {
            Row r = change(i, 0);
            long id = (Long) r.getField(0);
            if (r.getKind() == RowKind.DELETE) {
                live.remove(id);
            } else {
                live.put(id, r);
            }
        }
        Map<String, Totals> totals = new TreeMap<>();
        for (Row r : live.values()) {
            totals.merge((String) r.getField(2), new Totals(1, (BigDecimal) r.getField(3)), Totals::plus);
        }
        return totals;
    }

    /** A region's number of orders and revenue. */
    public record Totals(long orders, BigDecimal revenue) {
        Totals plus(Totals o) {
            return new Totals(orders + o.orders, revenue.add(o.revenue));
        }

        @Override
        public String toString() {
            return orders + " orders, " + revenue.toPlainString();
        }
    }
}
