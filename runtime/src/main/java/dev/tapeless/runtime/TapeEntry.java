package dev.tapeless.runtime;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One recorded op: its inputs, its outputs, and the rule that turns the adjoints of the outputs
 * into contributions to the adjoints of the inputs (the {@code TapeEntry} of the classic
 * pure-Python tape autograd).
 *
 * @param op        the op's name, for messages
 * @param inputs    the op's inputs, in order; the same variable may appear more than once
 * @param outputs   the op's outputs
 * @param propagate the backward rule
 */
record TapeEntry(String op, List<Variable> inputs, List<Variable> outputs, Propagate propagate) {

    /** The backward rule of one entry. */
    @FunctionalInterface
    interface Propagate {
        /**
         * Given one adjoint per output (never null: outputs that got no gradient get zeros),
         * returns one adjoint contribution per input, each of that input's shape, or
         * {@code null} for an input that gets no contribution. Plain INDArray math: never
         * recorded, never in place on anything it was given.
         */
        List<INDArray> apply(List<INDArray> outputAdjoints);
    }
}
