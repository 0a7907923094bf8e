package dev.tapeless.examples.ops;

import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.OpCounts;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One op of {@link Ops}, both ways: on the tape (the op alone, and its weighted sum with data
 * {@code w}) and generated (the weighted sum's gradient; the op's forward pass, its gradient, which
 * needs a one-element result, and its pullback).
 * Generated results are listed as the value, then one gradient per parameter.
 *
 * <p>The plain sum {@code op(...).sum()} is there too: its adjoint is the number 1 broadcast, which
 * the generated code handles apart from an array adjoint.
 *
 * @param counts       the op counts the companion declares for the weighted sum's entry points
 * @param summedCounts likewise for the plain sum
 * @param ownCounts    likewise for the op alone
 */
record OpUnderTest(
        String name,
        List<String> parameters,
        Function<List<Variable>, Variable> onTape,
        BiFunction<List<Variable>, INDArray, Variable> weightedOnTape,
        BiFunction<List<INDArray>, INDArray, List<INDArray>> weightedGradient,
        Function<List<INDArray>, INDArray> forward,
        Function<List<INDArray>, List<INDArray>> gradient,
        Function<List<Variable>, Variable> summedOnTape,
        Function<List<INDArray>, List<INDArray>> summedGradient,
        Function<List<INDArray>, Function<INDArray, List<INDArray>>> vjp,
        OpCounts counts,
        OpCounts summedCounts,
        OpCounts ownCounts) {

    /** The op's vjp at {@code x}, pulled back from {@code upstream}: the value, then the gradients. */
    List<INDArray> pullback(List<INDArray> x, INDArray upstream) {
        return vjp.apply(x).apply(upstream);
    }

    @Override
    public String toString() {
        return name;
    }
}
