package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code add sub mul div rsub rdiv pow} with a differentiated {@code double} parameter: the array's
 * gradient against the tape and finite differences, the {@code double}'s against finite differences
 * of the tape's value (the tape does not differentiate Java numbers), and the pullback.
 */
class ScalarOperandTest {

    /** A generated gradient as {@code [value, d_a]} and {@code d_s}. */
    record Gradient(List<INDArray> arrays, double ds) {}

    interface OnTape {
        Variable apply(Variable a, double s, INDArray w);
    }

    interface Generated {
        Gradient apply(INDArray a, double s, INDArray w);
    }

    record Case(String name, OnTape tape, Generated gradient, Generated pullbackOfOne, Inputs.Domain domain, double s) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("add", Ops::addSW, (a, s, w) -> { var g = OpsDerivatives.addSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.addSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.ANY, 0.7),
            new Case("sub", Ops::subSW, (a, s, w) -> { var g = OpsDerivatives.subSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.subSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.ANY, 0.7),
            new Case("mul", Ops::mulSW, (a, s, w) -> { var g = OpsDerivatives.mulSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.mulSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.ANY, -1.3),
            new Case("div", Ops::divSW, (a, s, w) -> { var g = OpsDerivatives.divSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.divSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.ANY, 1.9),
            new Case("rsub", Ops::rsubSW, (a, s, w) -> { var g = OpsDerivatives.rsubSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.rsubSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.ANY, 0.4),
            new Case("rdiv", Ops::rdivSW, (a, s, w) -> { var g = OpsDerivatives.rdivSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.rdivSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.NONZERO, -0.8),
            new Case("pow", Ops::powSW, (a, s, w) -> { var g = OpsDerivatives.powSWGradient(a, s, w); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    (a, s, w) -> { var g = OpsDerivatives.powSWVjp(a, s, w).pullback(one(a)); return new Gradient(List.of(g.value(), g.a()), g.s()); },
                    Inputs.Domain.POSITIVE, 1.7));

    private static INDArray one(INDArray like) {
        return Nd4j.scalar(like.dataType(), 1.0);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : CASES) {
            for (long[] shape : List.of(Inputs.shape(), Inputs.shape(3, 4), Inputs.shape(2, 3, 4))) {
                for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                    out.add(Arguments.of(c, Inputs.str(shape), type, shape));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}(a {1}, double s) {2}")
    @MethodSource("cases")
    void bothGradientsMatchTheTapeAndFiniteDifferences(Case c, String label, DataType type, long[] shape) {
        Random rng = new Random(c.name().hashCode() * 31L + label.hashCode());
        Verify.Tolerance tol = Verify.Tolerance.of(type);
        INDArray a = Inputs.array(rng, type, shape, c.domain());
        INDArray w = Inputs.array(rng, type, shape, Inputs.Domain.ANY);
        double s = c.s();

        GradientCheck.Report report = GradientCheck.of(v -> c.tape().apply(v.get(0), s, w),
                x -> c.gradient().apply(x.get(0), s, w).arrays(), List.of("a"), List.of(a), tol.eps());
        assertTrue(report.rows().get(0).vsTape() <= tol.vsTape(), report::toString);
        assertTrue(report.rows().get(0).vsFiniteDifferences() <= tol.vsFiniteDifferences(), report::toString);

        Gradient g = c.gradient().apply(a, s, w);
        assertEquals(type, g.arrays().get(1).dataType());
        double h = tol.eps();
        double numeric = (valueOnTape(c, a, s + h, w) - valueOnTape(c, a, s - h, w)) / (2 * h);
        assertEquals(numeric, g.ds(), tol.vsFiniteDifferences() * Math.max(1, Math.abs(numeric)), "d/ds");

        Gradient pulled = c.pullbackOfOne().apply(a, s, w);
        assertExact(g.arrays().get(1), pulled.arrays().get(1));
        assertEquals(g.ds(), pulled.ds(), 1e-12 * Math.max(1, Math.abs(g.ds())));
    }

    private static double valueOnTape(Case c, INDArray a, double s, INDArray w) {
        Tape.reset();
        double v = c.tape().apply(Variable.constant(a), s, w).value().getDouble(0);
        Tape.reset();
        return v;
    }
}
