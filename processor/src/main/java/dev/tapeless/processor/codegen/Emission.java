package dev.tapeless.processor.codegen;

import com.palantir.javapoet.CodeBlock;

/**
 * The Java expression that computes one IR node, and how many ND4J ops it runs: {@code fewest}
 * when the shape guards of the support code take their fast path, {@code most} when they do not.
 */
record Emission(CodeBlock expression, int fewest, int most) {

    static Emission java(String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 0, 0);
    }

    static Emission op(String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), 1, 1);
    }

    static Emission guarded(int fewest, int most, String format, Object... args) {
        return new Emission(CodeBlock.of(format, args), fewest, most);
    }
}
