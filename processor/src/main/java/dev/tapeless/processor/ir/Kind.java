package dev.tapeless.processor.ir;

/** The static type of an IR value. Shapes are not part of it: they are known only at run time. */
public enum Kind {
    /** An ND4J array ({@code Variable} in the source, {@code INDArray} in generated code). */
    TENSOR("INDArray"),
    /** A Java {@code double}. */
    SCALAR("double"),
    /** A Java {@code int}: data, never differentiated. */
    INT("int"),
    /** A Java {@code long}: data, never differentiated. */
    LONG("long"),
    /** A Java {@code boolean}: data, never differentiated. */
    BOOL("boolean"),
    /** No value: a branch or a loop, whose values are its {@link Op#RESULT}s. */
    VOID("void"),
    /** A Java {@code double[]}: differentiable as a parameter (its gradient is a {@code double[]}), writable as a local. */
    DOUBLE_ARRAY("double[]"),
    /** A Java {@code int[]}: data. */
    INT_ARRAY("int[]"),
    /** A Java {@code long[]}: data. */
    LONG_ARRAY("long[]"),
    /** A Java {@code boolean[]}: data. */
    BOOL_ARRAY("boolean[]"),
    /** A Java {@code double[][]}: data (a parameter; its rows are {@code double[]}s). */
    DOUBLE_MATRIX("double[][]"),
    /**
     * An object of a called function's companion: its Vjp, or the gradient record its pullback
     * returns ({@link Op#CALL_VJP}, {@link Op#CALL_PULLBACK}, {@link Op#CALL_GRADIENT}); its Java type
     * is the node's callee's.
     */
    OBJECT("Object");

    private final String javaName;

    Kind(String javaName) {
        this.javaName = javaName;
    }

    public String javaName() {
        return javaName;
    }

    /** Whether values of this kind carry a derivative. */
    public boolean isDifferentiable() {
        return this == TENSOR || this == SCALAR || this == DOUBLE_ARRAY;
    }

    /** Whether values of this kind are Java arrays (mutable: generated code writes them in place). */
    public boolean isArray() {
        return this == DOUBLE_ARRAY || this == INT_ARRAY || this == LONG_ARRAY || this == BOOL_ARRAY || this == DOUBLE_MATRIX;
    }

    /** The kind of an element of an array of this kind. */
    public Kind element() {
        return switch (this) {
            case DOUBLE_ARRAY -> SCALAR;
            case INT_ARRAY -> INT;
            case LONG_ARRAY -> LONG;
            case BOOL_ARRAY -> BOOL;
            case DOUBLE_MATRIX -> DOUBLE_ARRAY;
            default -> throw new IllegalArgumentException(this + " is not an array");
        };
    }

    /** The array kind whose elements are of this kind, or null. */
    public Kind arrayOf() {
        return switch (this) {
            case SCALAR -> DOUBLE_ARRAY;
            case INT -> INT_ARRAY;
            case LONG -> LONG_ARRAY;
            case BOOL -> BOOL_ARRAY;
            case DOUBLE_ARRAY -> DOUBLE_MATRIX;
            default -> null;
        };
    }

    public boolean isNumber() {
        return this == SCALAR || this == INT || this == LONG;
    }

    /** The kind of an elementwise arithmetic result: Java's numeric promotion, arrays win. */
    public static Kind promote(Kind a, Kind b) {
        if (a == TENSOR || b == TENSOR) return TENSOR;
        if (a == SCALAR || b == SCALAR) return SCALAR;
        if (a == LONG || b == LONG) return LONG;
        return INT;
    }
}
