package dev.tapeless.processor.ir;

import java.util.List;

/**
 * The compile-time attributes of a node: a number for constants, dimensions for reductions and
 * shapes, a name for parameters and fields. Compared by value, which is what CSE needs.
 */
public record Attrs(double number, long integer, List<Integer> ints, boolean keepDims, List<Long> longs, String text,
        Callee callee) {

    public static final Attrs NONE = new Attrs(0, 0, List.of(), false, List.of(), "");

    public Attrs(double number, long integer, List<Integer> ints, boolean keepDims, List<Long> longs, String text) {
        this(number, integer, ints, keepDims, longs, text, null);
    }

    /** A call of {@code callee}; for its CALL_ADJOINT, the adjoint of its parameter {@code parameter}. */
    public static Attrs call(Callee callee, int parameter) {
        return new Attrs(0, parameter, List.of(), false, List.of(), "", callee);
    }

    /** The value of a {@code double} constant. */
    public static Attrs number(double value) {
        return new Attrs(value, 0, List.of(), false, List.of(), "");
    }

    /**
     * The value of an {@code int}, {@code long} or {@code boolean} (0 or 1) constant, exactly:
     * {@link #integer()}; {@link #number()} holds it converted to double, as Java's promotion would.
     */
    public static Attrs integer(long value) {
        return new Attrs((double) value, value, List.of(), false, List.of(), "");
    }

    public static Attrs text(String text) {
        return new Attrs(0, 0, List.of(), false, List.of(), text);
    }

    public static Attrs dims(List<Integer> dims, boolean keepDims) {
        return new Attrs(0, 0, List.copyOf(dims), keepDims, List.of(), "");
    }

    public static Attrs shape(List<Long> shape) {
        return new Attrs(0, 0, List.of(), false, List.copyOf(shape), "");
    }

    public Attrs withText(String newText) {
        return new Attrs(number, integer, ints, keepDims, longs, newText, callee);
    }

    @Override
    public boolean equals(Object o) {
        // -0.0 and 0.0 differ, NaN equals itself: Double.compare semantics.
        return o instanceof Attrs a
                && Double.compare(number, a.number) == 0
                && integer == a.integer
                && ints.equals(a.ints)
                && keepDims == a.keepDims
                && longs.equals(a.longs)
                && text.equals(a.text)
                && java.util.Objects.equals(callee, a.callee);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Double.hashCode(number), integer, ints, keepDims, longs, text, callee);
    }

    /** Attribute text for printing a node of {@code kind}, empty when there is none. */
    public String describe(Op op, Kind kind) {
        if (op == Op.CONST && kind != Kind.SCALAR && kind != Kind.TENSOR) return Long.toString(integer);
        return describe(op);
    }

    /** Attribute text for printing, empty when there is none. */
    public String describe(Op op) {
        return switch (op) {
            case PARAM, FIELD -> text;
            case CONST -> formatNumber(number);
            case SUM, MEAN, UNREDUCE, COUNT -> "dims=" + ints + (keepDims ? " keep" : "");
            case SOFTMAX, LOG_SOFTMAX -> "dim=" + ints.get(0);
            case RESHAPE, EXPAND -> "shape=" + longs;
            case CALL -> callee.shortName();
            case CALL_ADJOINT, CALL_COMPONENT -> callee.shortName() + " d_" + callee.params().get((int) integer).name();
            case CALL_VJP, CALL_VALUE, CALL_PULLBACK, CALL_GRADIENT -> callee.shortName();
            default -> "";
        };
    }

    static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) + ".0" : Double.toString(v);
    }
}
