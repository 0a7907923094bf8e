package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Rosenbrock sum's generated gradient against its closed form. */
class RosenbrockTest {

    /** ∂/∂x_i = -400 x_i (x_{i+1} - x_i²) - 2 (1 - x_i) + 200 (x_i - x_{i-1}²), the missing terms dropped at the ends. */
    private static double[] closedForm(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (i + 1 < x.length) g[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            if (i > 0) g[i] += 200 * (x[i] - x[i - 1] * x[i - 1]);
        }
        return g;
    }

    private static double[] point(long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] x = new double[6];
        for (int i = 0; i < x.length; i++) x[i] = -2 + 4 * r.nextDouble();
        return x;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void gradientIsTheClosedForm(long seed) {
        double[] x = point(seed);
        var g = RosenbrockDerivatives.rosenbrockGradient(x[0], x[1], x[2], x[3], x[4], x[5]);
        assertEquals(Rosenbrock.rosenbrock(x[0], x[1], x[2], x[3], x[4], x[5]), g.value());
        double[] expected = closedForm(x);
        double[] actual = {g.x0(), g.x1(), g.x2(), g.x3(), g.x4(), g.x5()};
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "d/dx" + i);
        }
    }

    @Test
    void minimumIsZeroWithZeroGradient() {
        var g = RosenbrockDerivatives.rosenbrockGradient(1, 1, 1, 1, 1, 1);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0},
                new double[] {g.value(), g.x0(), g.x1(), g.x2(), g.x3(), g.x4(), g.x5()}, 0.0);
    }

    @Test
    void pullbackScalesTheGradient() {
        double[] x = point(9);
        var g = RosenbrockDerivatives.rosenbrockGradient(x[0], x[1], x[2], x[3], x[4], x[5]);
        var p = RosenbrockDerivatives.rosenbrockVjp(x[0], x[1], x[2], x[3], x[4], x[5]).pullback(-0.5);
        assertEquals(g.value(), p.value());
        assertEquals(-0.5 * g.x0(), p.x0(), 1e-14 * Math.abs(g.x0()));
        assertEquals(-0.5 * g.x5(), p.x5(), 1e-14 * Math.abs(g.x5()));
    }

    @Test
    void gradientDescentFromTheClassicStartGoesDownhill() {
        double[] x = {-1.2, 1, -1.2, 1, -1.2, 1};
        double before = Rosenbrock.rosenbrock(x[0], x[1], x[2], x[3], x[4], x[5]);
        for (int step = 0; step < 200; step++) {
            var g = RosenbrockDerivatives.rosenbrockGradient(x[0], x[1], x[2], x[3], x[4], x[5]);
            double[] d = {g.x0(), g.x1(), g.x2(), g.x3(), g.x4(), g.x5()};
            for (int i = 0; i < 6; i++) x[i] -= 1e-4 * d[i];
        }
        double after = Rosenbrock.rosenbrock(x[0], x[1], x[2], x[3], x[4], x[5]);
        org.junit.jupiter.api.Assertions.assertTrue(after < before / 10, before + " -> " + after);
    }
}
