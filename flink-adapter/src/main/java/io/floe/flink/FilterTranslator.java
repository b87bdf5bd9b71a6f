package io.floe.flink;

import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import io.floe.flink.source.ScanFilter.Op;
import io.floe.flink.source.ScanFilter.Term;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Turns the filters Flink offers a Floe source into {@link io.floe.flink.source.ScanFilter} terms, when (and only when)
 * the kernel evaluates them exactly as Flink would. A filter the translator is unsure of is left to
 * Flink: a term the source evaluated too strictly would lose rows.
 *
 * <p>What is translated: a column compared ({@code =, <, <=, >, >=}) with a non-null literal in
 * either order; {@code IS NULL}; {@code IN} and an {@code OR} of {@code =} on one column; a BOOLEAN
 * column alone, under {@code NOT}, {@code IS TRUE} or {@code IS FALSE}; {@code AND} of those. Only
 * when the literal's type is the column's type family and its value is exact in the column's type:
 * INT/BIGINT columns with integer literals in the column's range; DECIMAL(p, s) with integer or
 * decimal literals that need no rounding at scale s and fit p; DATE; TIMESTAMP(p) with literals
 * that have no digits below p; strings; BOOLEAN; BYTES with {@code =} and {@code IN} only. Never
 * FLOAT or DOUBLE: SQL's {@code -0.0 = 0.0} and NaN differ from the kernel's total order. Why exact
 * values matter: the kernel converts a literal to the column's type to skip SST files by their
 * statistics, and a rounded literal could skip a file that holds a matching row.
 *
 * <p>Threads: stateless.
 */
final class FilterTranslator {
    private FilterTranslator() {
    }

    /**
     * Returns the terms that together are exactly {@code filter} on rows of {@code schema}, or null
     * if it cannot be pushed exactly.
     */
    static List<Term> translate(ResolvedExpression filter, Schema schema) {
        List<Term> out = new ArrayList<>();
        return add(filter, schema, out) ? out : null;
    }

    private static boolean add(ResolvedExpression e, Schema schema, List<Term> out) {
        if (e instanceof FieldReferenceExpression field) {
            return booleanColumn(field, schema, true, out);
        }
        if (!(e instanceof CallExpression call)) {
            return false;
        }
        FunctionDefinition f = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (f == BuiltInFunctionDefinitions.AND) {
            for (ResolvedExpression a : args) {
                if (!add(a, schema, out)) {
                    return false;
                }
            }
            return true;
        }
        if (f == BuiltInFunctionDefinitions.OR) {
            return sameColumnEqualities(call, schema, out);
        }
        if (f == BuiltInFunctionDefinitions.NOT || f == BuiltInFunctionDefinitions.IS_FALSE) {
            return args.size() == 1 && args.get(0) instanceof FieldReferenceExpression field && booleanColumn(field, schema, false, out);
        }
        if (f == BuiltInFunctionDefinitions.IS_TRUE) {
            return args.size() == 1 && args.get(0) instanceof FieldReferenceExpression field && booleanColumn(field, schema, true, out);
        }
        if (f == BuiltInFunctionDefinitions.IS_NULL) {
            if (args.size() == 1 && args.get(0) instanceof FieldReferenceExpression field && schema.indexOf(field.getName()) >= 0) {
                out.add(new Term(field.getName(), Op.IS_NULL, List.of()));
                return true;
            }
            return false;
        }
        if (f == BuiltInFunctionDefinitions.IN) {
            return in(args, schema, out);
        }
        Op op = comparison(f);
        if (op == null || args.size() != 2) {
            return false;
        }
        if (args.get(0) instanceof FieldReferenceExpression field && args.get(1) instanceof ValueLiteralExpression literal) {
            return compare(field, op, literal, schema, out);
        }
        if (args.get(1) instanceof FieldReferenceExpression field && args.get(0) instanceof ValueLiteralExpression literal) {
            return compare(field, flip(op), literal, schema, out);
        }
        return false;
    }

    private static Op comparison(FunctionDefinition f) {
        if (f == BuiltInFunctionDefinitions.EQUALS) {
            return Op.EQ;
        } else if (f == BuiltInFunctionDefinitions.LESS_THAN) {
            return Op.LT;
        } else if (f == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL) {
            return Op.LE;
        } else if (f == BuiltInFunctionDefinitions.GREATER_THAN) {
            return Op.GT;
        } else if (f == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL) {
            return Op.GE;
        }
        return null;
    }

    /** Returns the operator of {@code literal op column} written as {@code column op' literal}. */
    private static Op flip(Op op) {
        return switch (op) {
            case LT -> Op.GT;
            case LE -> Op.GE;
            case GT -> Op.LT;
            case GE -> Op.LE;
            default -> op;
        };
    }

    private static boolean booleanColumn(FieldReferenceExpression field, Schema schema, boolean value, List<Term> out) {
        int c = schema.indexOf(field.getName());
        if (c < 0 || schema.type(c).root() != TypeRoot.BOOLEAN) {
            return false;
        }
        out.add(new Term(field.getName(), Op.EQ, List.of(value)));
        return true;
    }

    private static boolean compare(FieldReferenceExpression field, Op op, ValueLiteralExpression literal, Schema schema, List<Term> out) {
        int c = schema.indexOf(field.getName());
        if (c < 0) {
            return false;
        }
        ColumnType type = schema.type(c);
        if (type.root() == TypeRoot.BYTES && op != Op.EQ) {
            return false; // only equality: Flink's and the kernel's byte orders need not agree
        }
        Object value = value(type, literal);
        if (value == null) {
            return false;
        }
        out.add(new Term(field.getName(), op, List.of(value)));
        return true;
    }

    /** {@code column IN (literal, ...)}. */
    private static boolean in(List<ResolvedExpression> args, Schema schema, List<Term> out) {
        if (args.size() < 2 || !(args.get(0) instanceof FieldReferenceExpression field)) {
            return false;
        }
        int c = schema.indexOf(field.getName());
        if (c < 0) {
            return false;
        }
        List<Object> values = new ArrayList<>();
        for (ResolvedExpression a : args.subList(1, args.size())) {
            Object v = a instanceof ValueLiteralExpression literal ? value(schema.type(c), literal) : null;
            if (v == null) {
                return false;
            }
            values.add(v);
        }
        out.add(new Term(field.getName(), Op.IN, values));
        return true;
    }

    /** {@code c = v1 OR c = v2 OR ...} (nested ORs flattened) as {@code c IN (v1, v2, ...)}. */
    private static boolean sameColumnEqualities(CallExpression or, Schema schema, List<Term> out) {
        List<Term> alternatives = new ArrayList<>();
        if (!equalities(or, schema, alternatives) || alternatives.isEmpty()) {
            return false;
        }
        String column = alternatives.get(0).column();
        List<Object> values = new ArrayList<>();
        for (Term t : alternatives) {
            if (!t.column().equals(column) || t.op() != Op.EQ) {
                return false;
            }
            values.add(t.values().get(0));
        }
        out.add(new Term(column, Op.IN, values));
        return true;
    }

    private static boolean equalities(ResolvedExpression e, Schema schema, List<Term> out) {
        if (e instanceof CallExpression call && call.getFunctionDefinition() == BuiltInFunctionDefinitions.OR) {
            for (ResolvedExpression a : call.getResolvedChildren()) {
                if (!equalities(a, schema, out)) {
                    return false;
                }
            }
            return true;
        }
        if (e instanceof CallExpression call && call.getFunctionDefinition() == BuiltInFunctionDefinitions.EQUALS) {
            List<Term> one = new ArrayList<>();
            if (add(e, schema, one) && one.size() == 1) {
                out.addAll(one);
                return true;
            }
        }
        return false;
    }

    /**
     * Returns {@code literal} as the Java value of a {@code type} column, or null if it is null, of
     * another type family, or not exactly representable in {@code type}.
     */
    static Object value(ColumnType type, ValueLiteralExpression literal) {
        if (literal.isNull()) {
            return null;
        }
        LogicalTypeRoot root = literal.getOutputDataType().getLogicalType().getTypeRoot();
        Object v = literal.getValueAs(Object.class).orElse(null);
        if (v == null) {
            return null;
        }
        boolean integral = root == LogicalTypeRoot.TINYINT || root == LogicalTypeRoot.SMALLINT || root == LogicalTypeRoot.INTEGER
                || root == LogicalTypeRoot.BIGINT;
        switch (type.root()) {
            case INT, BIGINT: {
                if (!integral || !(v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)) {
                    return null;
                }
                long n = ((Number) v).longValue();
                if (type.root() == TypeRoot.INT) {
                    return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : null;
                }
                return n;
            }
            case DECIMAL: {
                BigDecimal d;
                if (integral && v instanceof Number n && !(v instanceof BigDecimal)) {
                    d = BigDecimal.valueOf(n.longValue());
                } else if (root == LogicalTypeRoot.DECIMAL) {
                    d = literal.getValueAs(BigDecimal.class).orElse(null);
                } else {
                    return null;
                }
                if (d == null) {
                    return null;
                }
                try {
                    BigDecimal exact = d.setScale(type.scale());
                    return exact.precision() <= type.precision() ? exact : null;
                } catch (ArithmeticException needsRounding) {
                    return null;
                }
            }
            case DATE:
                return root == LogicalTypeRoot.DATE ? literal.getValueAs(LocalDate.class).orElse(null) : null;
            case TIMESTAMP: {
                if (root != LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE) {
                    return null;
                }
                LocalDateTime ts = literal.getValueAs(LocalDateTime.class).orElse(null);
                long unit = 1;
                for (int i = type.precision(); i < 9; i++) {
                    unit *= 10;
                }
                return ts != null && ts.getNano() % unit == 0 ? ts : null;
            }
            case STRING:
                return root == LogicalTypeRoot.CHAR || root == LogicalTypeRoot.VARCHAR ? literal.getValueAs(String.class).orElse(null) : null;
            case BOOLEAN:
                return root == LogicalTypeRoot.BOOLEAN && v instanceof Boolean b ? b : null;
            case BYTES:
                return root == LogicalTypeRoot.BINARY || root == LogicalTypeRoot.VARBINARY ? literal.getValueAs(byte[].class).orElse(null) : null;
            default:
                return null; // FLOAT, DOUBLE: see the class comment
        }
    }
}
