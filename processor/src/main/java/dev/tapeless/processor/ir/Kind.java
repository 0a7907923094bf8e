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
    VOID("void");

    private final String javaName;

    Kind(String javaName) {
        this.javaName = javaName;
    }

    public String javaName() {
        return javaName;
    }

    /** Whether values of this kind carry a derivative. */
    public boolean isDifferentiable() {
        return this == TENSOR || this == SCALAR;
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
