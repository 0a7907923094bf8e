package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a derivative is a convention, not a limit: {@code relu'(0) = 0}, {@code abs'(0) = 0}
 * (the sign of 0), and {@code d/dx x^0 = 0} at {@code x = 0} too. Generated code and tape agree
 * exactly, in both data types.
 */
class KinksTest {

    private static INDArray xs(DataType type) {
        return Nd4j.createFromArray(-1.5, 0.0, 0.5, -0.0, 2.0).castTo(type);
    }

    private static INDArray ones(DataType type) {
        return Nd4j.ones(type, 5);
    }

    private static INDArray expected(DataType type, double... values) {
        return Nd4j.createFromArray(values).castTo(type);
    }

    private static INDArray onTape(OpUnderTest op, INDArray x, INDArray w) {
        Tape.reset();
        Variable v = Variable.constant(x);
        INDArray g = Tape.grad(op.weightedOnTape().apply(List.of(v), w), v).get(0).value();
        Tape.reset();
        return g;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void reluHasDerivativeZeroAtZero(DataType type) {
        INDArray g = OpsDerivatives.reluWGradient(xs(type), ones(type)).x();
        assertExact(expected(type, 0, 0, 1, 0, 1), g);
        assertExact(onTape(OpCatalogue.op("relu"), xs(type), ones(type)), g);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void absHasDerivativeZeroAtZero(DataType type) {
        INDArray g = OpsDerivatives.absWGradient(xs(type), ones(type)).x();
        assertExact(expected(type, -1, 0, 1, 0, 1), g);
        assertExact(onTape(OpCatalogue.op("abs"), xs(type), ones(type)), g);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void powerZeroHasDerivativeZeroEverywhereZeroIncluded(DataType type) {
        INDArray g = OpsDerivatives.pow0WGradient(xs(type), ones(type)).x();
        assertExact(expected(type, 0, 0, 0, 0, 0), g);
        assertExact(onTape(OpCatalogue.op("pow0"), xs(type), ones(type)), g);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void powerOneHasDerivativeOneAtZero(DataType type) {
        INDArray g = OpsDerivatives.pow1WGradient(xs(type), ones(type)).x();
        assertExact(expected(type, 1, 1, 1, 1, 1), g);
        assertExact(onTape(OpCatalogue.op("pow1"), xs(type), ones(type)), g);
    }
}
