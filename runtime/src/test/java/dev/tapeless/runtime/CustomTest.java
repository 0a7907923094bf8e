package dev.tapeless.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code Variable.custom}: one tape entry whose backward rule calls the derivatives the function's
 * companion lists. The companion here is written by hand, as the processor would write its constant.
 */
class CustomTest {
    @AfterEach
    void reset() {
        Tape.reset();
    }

    private static Variable v(double... values) {
        return Variable.constant(Nd4j.createFromArray(values));
    }

    @Test
    void theTapeCallsTheDerivativeTheCompanionNames() {
        Variable x = v(1, -2, 3);
        Variable s = Squares.scaled(x, 2.5, 7);
        assertEquals(1, Tape.size(), "one entry for the whole function");
        List<Variable> g = Tape.grad(s.sum(), x);
        // d/dx sum(k x²) = 2 k x, by the hand-written derivative
        assertEquals(Nd4j.createFromArray(5.0, -10.0, 15.0), g.get(0).value());
    }

    @Test
    void withoutRecordingNothingIsRecordedAndNothingLookedUp() {
        Variable y = Tape.withoutRecording(() -> Squares.noCompanion(v(1, 2)));
        assertEquals(0, Tape.size());
        assertEquals(Nd4j.createFromArray(1.0, 2.0), y.value());
        assertTrue(Tape.isRecording());
    }

    @Test
    void aFunctionWithoutCompanionIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Squares.noCompanion(v(1, 2)));
        assertTrue(e.getMessage().contains("Variable.custom in Squares.noCompanion: dev.tapeless.runtime.SquaresDerivatives"
                + ".NO_COMPANION_DERIVATIVES does not exist"), e.getMessage());
    }

    @Test
    void aCallFromALambdaIsAClearError() {
        java.util.function.UnaryOperator<Variable> f = x -> Variable.custom(x.value(), x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.apply(v(1, 2)));
        assertTrue(e.getMessage().contains(": called from a lambda; call Variable.custom in the @Differentiable function itself"),
                e.getMessage());
    }

    @Test
    void argumentsThatAreNotTheParametersAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Squares.tooFew(v(1, 2)));
        assertTrue(e.getMessage().contains("1 arguments for 2 parameters; pass the value, then the function's parameters in order"),
                e.getMessage());
    }

    @Test
    void aDerivativeOfTheWrongShapeIsAClearErrorThatNamesIt() {
        Variable x = v(1, 2, 3);
        Variable y = Squares.wrongShape(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tape.grad(y.sum(), x));
        assertTrue(e.getMessage().contains("Squares.wrongShapeDerivative returned DOUBLE[2] for a parameter DOUBLE[3]"),
                e.getMessage());
    }

    @Test
    void aDerivativeThatReturnsItsUpstreamIsCopied() {
        Variable x = v(1, 2, 3);
        Variable y = Squares.through(x);
        Variable loss = y.mul(y).sum();
        List<Variable> g = Tape.grad(loss, x);
        assertEquals(Nd4j.createFromArray(2.0, 4.0, 6.0), g.get(0).value());
    }
}

/** Functions with custom derivatives, as a user writes them. */
final class Squares {
    private Squares() {}

    static Variable scaled(Variable x, double k, int unused) {
        return Variable.custom(x.value().mul(x.value()).mul(k), x, k, unused);
    }

    static INDArray scaledDerivative(INDArray x, double k, int unused, INDArray upstream) {
        return x.mul(2 * k).mul(upstream);
    }

    static Variable noCompanion(Variable x) {
        return Variable.custom(x.value(), x);
    }

    static Variable tooFew(Variable x) {
        return Variable.custom(x.value(), x);
    }

    static Variable wrongShape(Variable x) {
        return Variable.custom(x.value(), x);
    }

    static INDArray wrongShapeDerivative(INDArray x, INDArray upstream) {
        return Nd4j.zeros(DataType.DOUBLE, 2);
    }

    static Variable through(Variable x) {
        return Variable.custom(x.value(), x);
    }

    static INDArray throughDerivative(INDArray x, INDArray upstream) {
        return upstream;
    }
}

/** What the processor writes for {@link Squares}: the derivative of each parameter, by name. */
final class SquaresDerivatives {
    private SquaresDerivatives() {}

    public static final String[] SCALED_DERIVATIVES = {"scaledDerivative", null, null};
    public static final String[] TOO_FEW_DERIVATIVES = {"x", null};
    public static final String[] WRONG_SHAPE_DERIVATIVES = {"wrongShapeDerivative"};
    public static final String[] THROUGH_DERIVATIVES = {"throughDerivative"};
}
