package dev.tapeless.examples.ops;

import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.OpCounts;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One op of {@link Ops}, both ways: on the tape (the op alone, and its weighted sum with data
 * {@code w}) and generated (the weighted sum's gradient, the op's forward pass and its pullback).
 * Generated results are listed as the value, then one gradient per parameter.
 *
 * @param counts the op counts the companion declares for the weighted sum's entry points
 */
record OpUnderTest(
        String name,
        List<String> parameters,
        Function<List<Variable>, Variable> onTape,
        BiFunction<List<Variable>, INDArray, Variable> weightedOnTape,
        BiFunction<List<INDArray>, INDArray, List<INDArray>> weightedGradient,
        Function<List<INDArray>, INDArray> forward,
        BiFunction<List<INDArray>, INDArray, List<INDArray>> pullback,
        OpCounts counts) {

    @Override
    public String toString() {
        return name;
    }
}
