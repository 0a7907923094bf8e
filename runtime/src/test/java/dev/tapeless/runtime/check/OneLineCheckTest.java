package dev.tapeless.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GradientCheck#check}, {@link GradientTests} and {@link RandomInputs} on methods described
 * by hand, as a companion describes them: right ones pass, each kind of wrong one fails with the table.
 */
class OneLineCheckTest {
    @AfterEach
    void reset() {
        Tape.reset();
    }

    record G(double value, double x, double y) {}

    record T(INDArray value, INDArray a) {}

    private static double f(double x, double y) {
        return x * y + Math.sin(x);
    }

    /** f(x, y) = x y + sin x, its gradient scaled by {@code wrongY} in y, its forward off by {@code ulps}. */
    private static DifferentiatedMethod doubles(double wrongY, int ulps) {
        return new DifferentiatedMethod("F.f", List.of(new DifferentiatedMethod.Parameter("x", DifferentiatedMethod.Kind.DOUBLE, true),
                new DifferentiatedMethod.Parameter("y", DifferentiatedMethod.Kind.DOUBLE, true)), false,
                a -> f((double) a[0], (double) a[1]),
                a -> {
                    double v = f((double) a[0], (double) a[1]);
                    for (int i = 0; i < ulps; i++) v = Math.nextUp(v);
                    return v;
                },
                a -> new G(f((double) a[0], (double) a[1]), (double) a[1] + Math.cos((double) a[0]), wrongY * (double) a[0]),
                (a, u) -> new G(f((double) a[0], (double) a[1]), (double) u * ((double) a[1] + Math.cos((double) a[0])),
                        (double) u * wrongY * (double) a[0]));
    }

    /** sum(a²) on the tape; its generated gradient 2a, scaled by {@code wrong}. */
    private static DifferentiatedMethod arrays(double wrong) {
        return new DifferentiatedMethod("S.squares", List.of(new DifferentiatedMethod.Parameter("a", DifferentiatedMethod.Kind.VARIABLE, true)),
                true,
                a -> ((Variable) a[0]).mul((Variable) a[0]).sum(),
                a -> ((INDArray) a[0]).mul((INDArray) a[0]).sum(),
                a -> new T(((INDArray) a[0]).mul((INDArray) a[0]).sum(), ((INDArray) a[0]).mul(2 * wrong)),
                (a, u) -> new T(((INDArray) a[0]).mul((INDArray) a[0]).sum(), ((INDArray) a[0]).mul(2 * wrong).mul((INDArray) u)));
    }

    @Test
    void aRightDoubleMethodPasses() {
        GradientCheck.Report r = GradientCheck.check(doubles(1, 0), 0.7, -1.3).assertWithin(1e-8);
        assertEquals(0.0, r.valueDifference());
        assertEquals(List.of("x", "y"), r.rows().stream().map(GradientCheck.Row::parameter).toList());
    }

    @Test
    void aWrongDerivativeFailsWithTheTable() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.check(doubles(1.01, 0), 0.7, -1.3).assertWithin(1e-6));
        assertTrue(e.getMessage().contains("vs pullback") && e.getMessage().contains("\ny "), e.getMessage());
    }

    @Test
    void aValueOneUlpOffIsNotTheSourcesValue() {
        GradientCheck.Report r = GradientCheck.check(doubles(1, 1), 0.7, -1.3);
        assertEquals(Double.POSITIVE_INFINITY, r.valueDifference());
        assertTrue(r.toString().startsWith("value: NOT the method's"), r.toString());
    }

    @Test
    void anArrayMethodAgainstTheTapeAndFiniteDifferences() {
        INDArray a = RandomInputs.seeded(3).array(2, 3);
        GradientCheck.check(arrays(1), a).assertWithin(1e-8);
        GradientCheck.Report wrong = GradientCheck.check(arrays(1.001), a);
        assertTrue(wrong.rows().get(0).vsTape() > 1e-4 && wrong.rows().get(0).vsFiniteDifferences() > 1e-4, wrong.toString());
    }

    @Test
    void floatArraysAreCheckedWithAStepTheyCanSee() {
        INDArray a = RandomInputs.seeded(4).array(2, 3).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        GradientCheck.Report r = GradientCheck.check(arrays(1), a);
        assertTrue(r.rows().get(0).vsFiniteDifferences() < 1e-3, r.toString());
    }

    @Test
    void dynamicTestsOnePerPointAndParameterFailWithTheTable() throws Throwable {
        List<DynamicTest> tests = GradientTests.within(1e-6)
                .check(doubles(1, 0), 1.5, -0.5)
                .check(doubles(1.5, 0), 0.25, 2.0)
                .stream().toList();
        assertEquals(List.of("F.f at point 1 (1.5, -0.5): x", "F.f at point 1 (1.5, -0.5): y",
                "F.f at point 2 (0.25, 2.0): x", "F.f at point 2 (0.25, 2.0): y"),
                tests.stream().map(DynamicTest::getDisplayName).toList());
        tests.get(0).getExecutable().execute();
        tests.get(1).getExecutable().execute();
        tests.get(2).getExecutable().execute();
        AssertionError e = assertThrows(AssertionError.class, () -> tests.get(3).getExecutable().execute());
        assertTrue(e.getMessage().startsWith("F.f, parameter y: difference ") && e.getMessage().contains("vs fin. diff."), e.getMessage());
    }

    @Test
    void randomInputsAreSeededInRangeAndOffTheKinks() {
        INDArray a = RandomInputs.seeded(5).array(100);
        assertEquals(a, RandomInputs.seeded(5).array(100));
        assertFalse(a.equals(RandomInputs.seeded(6).array(100)));
        INDArray off = RandomInputs.seeded(5).avoiding(0, 0.1).avoiding(0.5, 0.05).arrayBetween(-1, 1, 1000);
        for (long i = 0; i < off.length(); i++) {
            double x = off.getDouble(i);
            assertTrue(x >= -1 && x < 1 && Math.abs(x) >= 0.1 && Math.abs(x - 0.5) >= 0.05, "element " + x);
        }
        assertEquals(3, RandomInputs.seeded(1).numbers(3).length);
        double n = RandomInputs.seeded(1).number(2, 3);
        assertTrue(n >= 2 && n < 3);
        assertThrows(IllegalArgumentException.class, () -> RandomInputs.seeded(1).avoiding(0, 2).number(-1, 1));
        assertEquals(org.nd4j.linalg.api.buffer.DataType.DOUBLE, RandomInputs.seeded(1).array(2).dataType());
    }
}
