package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.check.DifferentiatedMethod;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.GradientTests;
import dev.tapeless.runtime.check.RandomInputs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every example method checked in one line each, through the constant its companion describes it
 * with ({@code SeedDerivatives.LOSS}), at random points drawn by {@link RandomInputs}: as dynamic
 * tests, one per method, point and parameter.
 */
class OneLineChecksTest {

    @TestFactory
    Stream<DynamicTest> everyExampleMethod() {
        RandomInputs in = RandomInputs.seeded(11);
        RandomInputs offKinks = RandomInputs.seeded(12).avoiding(0, 0.05); // relu's kink: keep pre-activations off it
        INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) labels.putScalar(i, i % 3, 1.0);
        INDArray zeroOne = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}});
        return GradientTests.within(1e-6)
                .check(SeedDerivatives.LOSS, in.array(10), in.array(10))
                .check(SeedDerivatives.SIMPLE, in.array(3, 4), in.array(3, 4))          // an array result: by a pullback
                .check(BlackScholesDerivatives.CALL_PRICE, 100.0, 105.0, 0.03, 0.25, 0.75)
                .check(BlackScholesDerivatives.NORMAL_CDF, in.number(-3, 3))
                .check(RosenbrockDerivatives.ROSENBROCK, in.number(), in.number(), in.number(), in.number(), in.number(), in.number())
                .check(ProjectileDerivatives.DISTANCE, 30.0, 0.7, 0.05, 3)
                .check(LogisticRegressionDerivatives.LOSS, in.array(3, 1), in.array(1), in.array(4, 3), zeroOne)
                .check(NormalizationDerivatives.WEIGHTED, in.array(4, 5), in.array(5), in.array(5), in.array(4, 5))
                .check(MlpDerivatives.LOSS, offKinks.array(3, 6), offKinks.array(6), in.array(6, 3), in.array(3),
                        offKinks.array(4, 3), labels)
                .stream();
    }

    @Test
    void theDescriptorNamesTheMethodAndItsParameters() {
        DifferentiatedMethod m = BlackScholesDerivatives.CALL_PRICE;
        assertEquals("BlackScholes.callPrice", m.name());
        assertEquals(List.of("spot", "rate", "volatility", "expiry"), m.wrt());
        assertEquals(DifferentiatedMethod.Kind.DOUBLE, m.parameters().get(1).kind());
        assertEquals("BlackScholes.callPrice(spot, strike, rate, volatility, expiry) with respect to spot, rate, volatility, expiry",
                m.toString());
        assertEquals(List.of(DifferentiatedMethod.Kind.VARIABLE, DifferentiatedMethod.Kind.VARIABLE, DifferentiatedMethod.Kind.DATA,
                DifferentiatedMethod.Kind.DATA), LogisticRegressionDerivatives.LOSS.parameters().stream()
                .map(DifferentiatedMethod.Parameter::kind).toList());
    }

    @Test
    void theWrongArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.check(SeedDerivatives.LOSS, Nd4j.ones(3)));
        assertEquals("Seed.loss takes 2 arguments [a, b], got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(SeedDerivatives.LOSS, Nd4j.ones(3), 2.0));
        assertEquals("Seed.loss: pass an INDArray for parameter b, got Double", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(BlackScholesDerivatives.NORMAL_CDF, 1));
        assertEquals("BlackScholes.normalCdf: pass a double (write 1.0, not 1) for parameter x, got Integer", e.getMessage());
    }

    @Test
    void aDoubleMethodsValueIsTheSourcesBitForBit() {
        GradientCheck.Report r = GradientCheck.check(BlackScholesDerivatives.CALL_PRICE, 100.0, 105.0, 0.03, 0.25, 0.75);
        assertEquals(0.0, r.valueDifference());
        assertTrue(r.toString().startsWith("value: the same bits as the method's"), r.toString());
    }
}
