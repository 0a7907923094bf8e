package dev.tapeless.processor.codegen;

import com.palantir.javapoet.CodeBlock;

import java.util.List;

/**
 * The Java expression that computes one IR node, and how many ND4J ops it runs: {@code fewest}
 * when the shape guards of the support code take their fast path, {@code most} when they do not.
 * {@code precedence} is that of the expression's outermost operator (Java's levels), for writing
 * it into another expression with exactly the parentheses it needs. {@code calledCounts}: the op
 * counts of the generated code it calls (a library's companion), known only at run time.
 */
record Emission(CodeBlock expression, int fewest, int most, int precedence, List<CodeBlock> calledCounts) {
    static final int PRIMARY = 16;
    static final int UNARY = 13;
    static final int MULTIPLICATIVE = 12;
    static final int ADDITIVE = 11;
    static final int RELATIONAL = 9;
    static final int EQUALITY = 8;
    static final int AND = 4;
    static final int OR = 3;
    static final int CONDITIONAL = 2;

    Emission(CodeBlock expression, int fewest, int most, int precedence) {
        this(expression, fewest, most, precedence, List.of());
    }

    /**
     * A call of generated code whose ND4J ops are counted where it is generated: {@code counts} are
     * the {@code OpCount} expressions (a companion's {@code F_OPS.forward()}) to add to this entry point's.
     */
    static Emission call(List<CodeBlock> counts, String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 0, 0, PRIMARY, List.copyOf(counts));
    }

    /** In {@code calledCounts}: code whose ND4J ops nobody counts (a function with a custom derivative, a loop). */
    static final CodeBlock UNCOUNTED = CodeBlock.of("/* uncounted */");

    static Emission java(String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 0, 0, PRIMARY);
    }

    /** Java arithmetic whose outermost operator has the given precedence. */
    static Emission java(int precedence, String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 0, 0, precedence);
    }

    static Emission op(String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 1, 1, PRIMARY);
    }

    static Emission guarded(int fewest, int most, String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), fewest, most, PRIMARY);
    }
}
