package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Results are the caller's to keep and write: no gradient component shares a buffer with another
 * or with an argument, no value is an argument, and a pullback can be called again after the
 * caller wrote into what the previous call returned.
 */
class OwnershipTest {
    private final Random rng = new Random(11);

    private INDArray x(long... shape) {
        return Inputs.array(rng, DataType.DOUBLE, shape, Inputs.Domain.ANY);
    }

    @Test
    void gradientsOfASumOfTwoSameShapedArraysAreTwoBuffers() {
        INDArray a = x(3, 4);
        INDArray b = x(3, 4);
        List<INDArray> g = Verify.ownedResults("addSum", List.of(a, b), () -> {
            var r = OpsDerivatives.addSumGradient(a, b);
            return List.of(r.value(), r.a(), r.b());
        });
        assertExact(Nd4j.ones(a.dataType(), a.shape()), g.get(1));
        assertExact(Nd4j.ones(b.dataType(), b.shape()), g.get(2));
    }

    @Test
    void gradientsThroughReshapesAreTwoBuffers() {
        INDArray a = x(3, 4);
        INDArray b = x(12);
        List<INDArray> g = Verify.ownedResults("reshapeSum", List.of(a, b), () -> {
            var r = OpsDerivatives.reshapeSumGradient(a, b);
            return List.of(r.value(), r.a(), r.b());
        });
        assertExact(Nd4j.ones(a.dataType(), a.shape()), g.get(1));
        assertExact(Nd4j.ones(b.dataType(), b.shape()), g.get(2));
    }

    @Test
    void aValueEqualToAnArgumentIsACopy() {
        INDArray a = x(2, 3);
        List<INDArray> forward = Verify.ownedResults("timesOne", List.of(a), () -> List.of(OpsDerivatives.timesOne(a)));
        assertExact(a, forward.get(0));
        INDArray u = x(2, 3);
        Verify.ownedResults("timesOne pullback", List.of(a, u), () -> {
            var r = OpsDerivatives.timesOneVjp(a).pullback(u);
            return List.of(r.value(), r.a());
        });
    }

    @Test
    void aPullbackGivesTheSameAnswerAfterTheCallerWroteIntoTheLastOne() {
        INDArray a = x(3, 4);
        INDArray b = x(4);
        INDArray u = x(3, 4);
        var vjp = OpsDerivatives.mulVjp(a, b);
        var first = vjp.pullback(u);
        INDArray da = first.a().dup();
        INDArray db = first.b().dup();
        first.a().assign(-7.0);
        first.b().assign(-7.0);
        var second = vjp.pullback(u);
        assertExact(da, second.a());
        assertExact(db, second.b());
        assertExact(u.mul(b), second.a());
        assertExact(u.mul(a).sum(0), second.b());
    }
}
