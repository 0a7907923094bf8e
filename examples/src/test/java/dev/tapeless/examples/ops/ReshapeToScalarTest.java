package dev.tapeless.examples.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tapeless.runtime.check.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code reshape()} with no sizes makes a one-element array rank 0, on the tape and in generated code. */
class ReshapeToScalarTest {

    @Test
    void aOneElementArrayReshapedToRankZeroDifferentiatesLikeTheTape() {
        var x = Nd4j.createFromArray(0.25).reshape(1, 1).castTo(DataType.DOUBLE);
        var g = OpsDerivatives.reshapeToScalarGradient(x);
        assertArrayEquals(new long[0], g.value().shape());
        assertArrayEquals(new long[] {1, 1}, g.x().shape());
        GradientCheck.of(v -> Ops.reshapeToScalar(v.get(0)),
                in -> {
                    var r = OpsDerivatives.reshapeToScalarGradient(in.get(0));
                    return List.of(r.value(), r.x());
                }, List.of("x"), List.of(x)).assertWithin(1e-7);
    }
}
