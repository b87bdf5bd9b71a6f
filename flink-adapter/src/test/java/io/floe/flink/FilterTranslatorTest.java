package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.junit.jupiter.api.Test;

/** The literals {@link FilterTranslator} hands the kernel: exact in the column's type, or none (the filter stays with Flink). */
class FilterTranslatorTest {
    @Test
    void integerLiteralsOutsideTheColumnsRangeAreNotPushed() {
        ColumnType intColumn = ColumnType.parse("INT");
        assertThat(FilterTranslator.value(intColumn, new ValueLiteralExpression(7))).isEqualTo(7);
        assertThat(FilterTranslator.value(intColumn, new ValueLiteralExpression(3_000_000_000L))).as("the kernel would truncate it").isNull();
        assertThat(FilterTranslator.value(ColumnType.parse("BIGINT"), new ValueLiteralExpression(7))).isEqualTo(7L);
        assertThat(FilterTranslator.value(intColumn, new ValueLiteralExpression(new BigDecimal("2.5"), DataTypes.DECIMAL(2, 1).notNull()))).isNull();
    }

    @Test
    void decimalsAndTimestampsArePushedOnlyWhenExactInTheColumn() {
        ColumnType price = ColumnType.decimal(10, 2);
        assertThat(FilterTranslator.value(price, new ValueLiteralExpression(new BigDecimal("12.5"), DataTypes.DECIMAL(3, 1).notNull())))
                .isEqualTo(new BigDecimal("12.50"));
        assertThat(FilterTranslator.value(price, new ValueLiteralExpression(new BigDecimal("1.005"), DataTypes.DECIMAL(4, 3).notNull())))
                .as("would need rounding").isNull();
        assertThat(FilterTranslator.value(ColumnType.decimal(3, 2), new ValueLiteralExpression(new BigDecimal("12.5"), DataTypes.DECIMAL(3, 1).notNull())))
                .as("does not fit the precision").isNull();
        assertThat(FilterTranslator.value(price, new ValueLiteralExpression(3))).isEqualTo(new BigDecimal("3.00"));

        ColumnType ts3 = ColumnType.timestamp(3);
        LocalDateTime millis = LocalDateTime.of(2024, 1, 1, 12, 0, 0, 500_000_000);
        assertThat(FilterTranslator.value(ts3, new ValueLiteralExpression(millis))).isEqualTo(millis);
        assertThat(FilterTranslator.value(ts3, new ValueLiteralExpression(millis.plusNanos(400_000), DataTypes.TIMESTAMP(6).notNull())))
                .as("digits below the column's precision").isNull();
    }

    @Test
    void floatsNullsAndOtherFamiliesAreNotPushed() {
        assertThat(FilterTranslator.value(ColumnType.parse("DOUBLE"), new ValueLiteralExpression(0.5))).isNull();
        assertThat(FilterTranslator.value(ColumnType.parse("INT"), new ValueLiteralExpression(null, DataTypes.INT()))).isNull();
        assertThat(FilterTranslator.value(ColumnType.parse("STRING"), new ValueLiteralExpression(5))).isNull();
        assertThat(FilterTranslator.value(ColumnType.parse("STRING"), new ValueLiteralExpression("n3"))).isEqualTo("n3");
        assertThat(FilterTranslator.value(ColumnType.parse("BOOLEAN"), new ValueLiteralExpression(true))).isEqualTo(true);
    }
}
