package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A parameter used twice gets the sum of both uses; one that does not reach the result gets zeros; wrt narrows the record. */
class ParametersTest {
    private final Random rng = new Random(8);

    private INDArray x(long... shape) {
        return Inputs.array(rng, DataType.DOUBLE, shape, Inputs.Domain.ANY);
    }

    @Test
    void aParameterUsedTwiceInOneOpGetsBothContributions() {
        INDArray x = x(3, 4);
        assertExact(x.mul(2), OpsDerivatives.squareGradient(x).x());
        INDArray w = x(3, 4);
        assertExact(w.mul(2), OpsDerivatives.twiceInOneAddGradient(x, w).x());
        Tape.reset();
        Variable v = Variable.constant(x);
        assertExact(Tape.grad(Ops.square(v), v).get(0).value(), OpsDerivatives.squareGradient(x).x());
        Tape.reset();
    }

    @Test
    void aParameterThatDoesNotReachTheResultGetsZerosOfItsShapeAndType() {
        INDArray a = x(2, 3);
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray b = x(4, 1, 5).castTo(type);
            INDArray aa = a.castTo(type);
            assertExact(Nd4j.zeros(type, 4, 1, 5), OpsDerivatives.ignoresBGradient(aa, b).b());
            assertExact(Nd4j.zeros(type, 4, 1, 5), OpsDerivatives.ignoresBVjp(aa, b).pullback(Nd4j.scalar(type, 2.0)).b());
        }
    }

    @Test
    void wrtNarrowsTheGradientToTheNamedParameters() {
        List<String> components = Arrays.stream(OpsDerivatives.OnlyAGradient.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertEquals(List.of("value", "a"), components);
        INDArray a = x(3, 4);
        INDArray b = x(4);
        assertExact(Nd4j.zeros(DataType.DOUBLE, 3, 4).add(b), OpsDerivatives.onlyAGradient(a, b).a());
    }
}
