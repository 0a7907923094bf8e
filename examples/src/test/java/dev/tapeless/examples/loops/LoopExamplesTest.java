package dev.tapeless.examples.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop examples benchmarked in {@code benchmarks/} (sum of squares, Horner's rule, an Euler
 * integration), at small sizes: each generated forward value is the source's bit for bit, and each
 * gradient matches central finite differences of the source.
 */
class LoopExamplesTest {

    /** The partial of {@code f} in {@code p[i]} by a five-point central difference, with a step scaled to |p[i]|. */
    private static double partial(ToDoubleFunction<double[]> f, double[] p, int i) {
        double h = 1e-3 * Math.max(1, Math.abs(p[i]));
        return (f.applyAsDouble(shifted(p, i, -2 * h)) - 8 * f.applyAsDouble(shifted(p, i, -h))
                + 8 * f.applyAsDouble(shifted(p, i, h)) - f.applyAsDouble(shifted(p, i, 2 * h))) / (12 * h);
    }

    private static double[] shifted(double[] p, int i, double by) {
        double[] q = p.clone();
        q[i] += by;
        return q;
    }

    /** Every component of {@code gradient} against the finite difference of {@code f} at {@code p}. */
    private static void matchesFiniteDifferences(String what, ToDoubleFunction<double[]> f, double[] p, double[] gradient) {
        assertEquals(p.length, gradient.length, what + ": one partial per input");
        for (int i = 0; i < p.length; i++) {
            double numeric = partial(f, p, i);
            assertTrue(Math.abs(numeric - gradient[i]) <= 1e-8 * Math.max(1, Math.abs(numeric)),
                    what + " at " + Arrays.toString(p) + ": d/dp" + i + " is " + gradient[i] + ", finite differences give " + numeric);
        }
    }

    /** The same double, to the bit (Double.compare, so -0.0 is not 0.0 and NaN is NaN). */
    private static void sameBits(double expected, double actual, String what) {
        assertTrue(Double.compare(expected, actual) == 0, what + ": expected " + expected + ", got " + actual);
    }

    private static double[] uniform(Random r, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * r.nextDouble();
        return x;
    }

    private static double[] concat(double[] a, double... b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // ---- sum of squares

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 33})
    void sumOfSquaresGradientIsTwiceX(int n) {
        double[] x = uniform(new Random(n), n, -3, 3);
        double[] before = x.clone();
        double source = SumOfSquares.sumOfSquares(x);
        var g = SumOfSquaresDerivatives.sumOfSquaresGradient(x);
        sameBits(source, SumOfSquaresDerivatives.sumOfSquares(x), "forward");
        sameBits(source, g.value(), "gradient's value");
        sameBits(source, SumOfSquaresDerivatives.sumOfSquaresVjp(x).value(), "vjp's value");
        double[] twice = new double[n];
        for (int i = 0; i < n; i++) twice[i] = 2 * x[i];
        assertArrayEquals(twice, g.x(), 0.0, "2x exactly (v + v)");
        matchesFiniteDifferences("sumOfSquares", SumOfSquares::sumOfSquares, x, g.x());
        assertArrayEquals(before, x, 0.0, "the argument is not written");
    }

    @Test
    void sumOfSquaresPullbackScalesAndRepeats() {
        double[] x = uniform(new Random(5), 9, -2, 2);
        var vjp = SumOfSquaresDerivatives.sumOfSquaresVjp(x);
        double[] g = SumOfSquaresDerivatives.sumOfSquaresGradient(x).x();
        for (int call = 0; call < 2; call++) {
            double[] p = vjp.pullback(-1.5).x();
            for (int i = 0; i < x.length; i++) assertEquals(-1.5 * g[i], p[i], 1e-15 * Math.abs(g[i]), "call " + call + ", [" + i + "]");
        }
    }

    // ---- Horner's rule

    /** The parameters of {@code horner} as one vector: the coefficients, then x. */
    private static double hornerOf(double[] p) {
        return Horner.horner(Arrays.copyOf(p, p.length - 1), p[p.length - 1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 20})
    void hornerGradientMatchesFiniteDifferences(int n) {
        Random r = new Random(100 + n);
        double[] a = uniform(r, n, -2, 2);
        double x = -1.1 + 2.2 * r.nextDouble();
        double source = Horner.horner(a, x);
        var g = HornerDerivatives.hornerGradient(a, x);
        sameBits(source, HornerDerivatives.horner(a, x), "forward");
        sameBits(source, g.value(), "gradient's value");
        sameBits(source, HornerDerivatives.hornerVjp(a, x).value(), "vjp's value");
        matchesFiniteDifferences("horner", LoopExamplesTest::hornerOf, concat(a, x), concat(g.a(), g.x()));
    }

    @Test
    void hornerCoefficientsComeHighestPowerFirst() {
        double[] a = {2, -3, 0.5, 4}; // 2x³ - 3x² + 0.5x + 4
        double x = 1.5;
        var g = HornerDerivatives.hornerGradient(a, x);
        assertEquals(2 * x * x * x - 3 * x * x + 0.5 * x + 4, g.value(), 1e-14);
        assertArrayEquals(new double[] {x * x * x, x * x, x, 1}, g.a(), 1e-14, "d/da[i] = x^(n-1-i)");
        assertEquals(6 * x * x - 6 * x + 0.5, g.x(), 1e-13, "p'(x)");
    }

    @Test
    void hornerPullbackRepeats() {
        double[] a = uniform(new Random(7), 6, -1, 1);
        var vjp = HornerDerivatives.hornerVjp(a, 0.8);
        var g = HornerDerivatives.hornerGradient(a, 0.8);
        for (int call = 0; call < 2; call++) {
            var p = vjp.pullback(3);
            assertEquals(3 * g.x(), p.x(), 1e-14, "call " + call);
            for (int i = 0; i < a.length; i++) assertEquals(3 * g.a()[i], p.a()[i], 1e-14, "call " + call + ", a[" + i + "]");
        }
    }

    // ---- explicit Euler integration of a damped pendulum

    private static final double DT = 0.05;

    /** The differentiated parameters of {@code pendulum} as one vector: theta, omega, stiffness, damping. */
    private static double pendulumOf(double[] p, int steps) {
        return Euler.pendulum(p[0], p[1], p[2], p[3], DT, steps);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 10, 60})
    void eulerGradientMatchesFiniteDifferences(int steps) {
        double[] p = {1.2, -0.4, 9.81 / 2, 0.3};
        double source = Euler.pendulum(p[0], p[1], p[2], p[3], DT, steps);
        var g = EulerDerivatives.pendulumGradient(p[0], p[1], p[2], p[3], DT, steps);
        sameBits(source, EulerDerivatives.pendulum(p[0], p[1], p[2], p[3], DT, steps), "forward");
        sameBits(source, g.value(), "gradient's value");
        sameBits(source, EulerDerivatives.pendulumVjp(p[0], p[1], p[2], p[3], DT, steps).value(), "vjp's value");
        matchesFiniteDifferences("pendulum, " + steps + " steps", q -> pendulumOf(q, steps), p,
                new double[] {g.theta(), g.omega(), g.stiffness(), g.damping()});
    }

    @Test
    void oneEulerStepHasTheClosedFormGradient() {
        // theta1 = theta + dt omega: d/dtheta = 1, d/domega = dt, and stiffness and damping act only from the second step.
        var g = EulerDerivatives.pendulumGradient(0.7, 0.2, 3, 0.5, DT, 1);
        assertArrayEquals(new double[] {0.7 + DT * 0.2, 1, DT, 0, 0},
                new double[] {g.value(), g.theta(), g.omega(), g.stiffness(), g.damping()}, 0.0);
    }

    @Test
    void eulerPullbackRepeats() {
        var vjp = EulerDerivatives.pendulumVjp(0.5, 0.1, 4, 0.2, DT, 40);
        var g = EulerDerivatives.pendulumGradient(0.5, 0.1, 4, 0.2, DT, 40);
        for (int call = 0; call < 2; call++) {
            var p = vjp.pullback(-2);
            assertArrayEquals(new double[] {-2 * g.theta(), -2 * g.omega(), -2 * g.stiffness(), -2 * g.damping()},
                    new double[] {p.theta(), p.omega(), p.stiffness(), p.damping()}, 1e-13, "call " + call);
        }
    }
}
