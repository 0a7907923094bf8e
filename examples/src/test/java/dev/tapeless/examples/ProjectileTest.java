package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The projectile's generated gradient (many locals, compound assignments) against finite differences. */
class ProjectileTest {

    private static double partial(java.util.function.DoubleUnaryOperator f, double x) {
        double h = 1e-3 * Math.max(0.01, Math.abs(x)); // drag is about 0.01: the step must be small next to it
        return (f.applyAsDouble(x - 2 * h) - 8 * f.applyAsDouble(x - h) + 8 * f.applyAsDouble(x + h)
                - f.applyAsDouble(x + 2 * h)) / (12 * h);
    }

    @ParameterizedTest
    @CsvSource({"20, 0.7, 0.01, 0", "35, 0.3, 0.02, 3", "10, 1.2, 0.005, 1", "50, 0.9, 0.0, 2"})
    void gradientMatchesFiniteDifferences(double speed, double angle, double drag, int rolls) {
        var g = ProjectileDerivatives.distanceGradient(speed, angle, drag, rolls);
        assertEquals(Projectile.distance(speed, angle, drag, rolls), g.value());
        close("speed", partial(v -> Projectile.distance(v, angle, drag, rolls), speed), g.speed());
        close("angle", partial(a -> Projectile.distance(speed, a, drag, rolls), angle), g.angle());
        close("drag", partial(k -> Projectile.distance(speed, angle, k, rolls), drag), g.drag());
    }

    @Test
    void withoutDragTheDistanceIsLinearInSpeed() {
        double rolling = 1 + 0.7 * (1 - Math.pow(0.7, 2)) / 0.3;
        var g = ProjectileDerivatives.distanceGradient(30, 0.5, 0, 2);
        double expected = Math.cos(0.5) * 4 * Projectile.step + Math.cos(0.5) * (rolling - 1) * Projectile.step;
        assertEquals(expected, g.speed(), 1e-14);
        assertEquals(30 * expected, g.value(), 1e-12);
    }

    @Test
    void stepIsReadAtRunTime() {
        double saved = Projectile.step;
        try {
            Projectile.step = 0.1;
            assertEquals(Projectile.distance(20, 0.7, 0.01, 1), ProjectileDerivatives.distance(20, 0.7, 0.01, 1));
            assertEquals(Projectile.distance(20, 0.7, 0.01, 1), ProjectileDerivatives.distanceVjp(20, 0.7, 0.01, 1).value());
        } finally {
            Projectile.step = saved;
        }
    }

    private static void close(String what, double expected, double actual) {
        assertTrue(Math.abs(expected - actual) <= 1e-8 * Math.max(1, Math.abs(expected)),
                "d/d" + what + ": expected " + expected + ", got " + actual);
    }
}
