package dev.tapeless.examples.scalar;

import static dev.tapeless.examples.scalar.ScalarCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapeless.examples.scalar.ScalarCheck.Fn;
import dev.tapeless.examples.scalar.ScalarCheck.Grad;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported {@code java.lang.Math} function, one {@code @Differentiable} method each (see
 * {@link MathFunctions}): the generated forward pass and value equal the original method's
 * exactly; the generated gradient equals central finite differences at several points; the
 * pullback is the gradient scaled by the upstream adjoint.
 */
class MathFunctionsTest {

    /** The pullback of the pair (value, partials) with an upstream adjoint {@code u}. */
    @FunctionalInterface
    interface Vjp {
        double[] at(double u, double... x);
    }

    record Case(String name, Fn original, Fn forward, Grad gradient, Vjp vjp, double[][] points) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("sin",
                        x -> MathFunctions.sin(x[0]),
                        x -> MathFunctionsDerivatives.sin(x[0]),
                        x -> { var g = MathFunctionsDerivatives.sinGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.sinVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.3}, {0.7}, {2.5}}),
                new Case("cos",
                        x -> MathFunctions.cos(x[0]),
                        x -> MathFunctionsDerivatives.cos(x[0]),
                        x -> { var g = MathFunctionsDerivatives.cosGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.cosVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.3}, {0.7}, {2.5}}),
                new Case("tan",
                        x -> MathFunctions.tan(x[0]),
                        x -> MathFunctionsDerivatives.tan(x[0]),
                        x -> { var g = MathFunctionsDerivatives.tanGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.tanVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-1.2}, {-0.4}, {0.3}, {1.1}}),
                new Case("asin",
                        x -> MathFunctions.asin(x[0]),
                        x -> MathFunctionsDerivatives.asin(x[0]),
                        x -> { var g = MathFunctionsDerivatives.asinGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.asinVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-0.8}, {-0.2}, {0.4}, {0.9}}),
                new Case("acos",
                        x -> MathFunctions.acos(x[0]),
                        x -> MathFunctionsDerivatives.acos(x[0]),
                        x -> { var g = MathFunctionsDerivatives.acosGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.acosVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-0.8}, {-0.2}, {0.4}, {0.9}}),
                new Case("atan",
                        x -> MathFunctions.atan(x[0]),
                        x -> MathFunctionsDerivatives.atan(x[0]),
                        x -> { var g = MathFunctionsDerivatives.atanGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.atanVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-3.0}, {-0.5}, {0.5}, {4.0}}),
                new Case("atan2",
                        x -> MathFunctions.atan2(x[0], x[1]),
                        x -> MathFunctionsDerivatives.atan2(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.atan2Gradient(x[0], x[1]); return new double[] {g.value(), g.y(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.atan2Vjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.y(), g.x()}; },
                        new double[][] {{1.0, 2.0}, {-1.0, 0.5}, {2.0, -3.0}, {-0.5, -0.5}}),
                new Case("sinh",
                        x -> MathFunctions.sinh(x[0]),
                        x -> MathFunctionsDerivatives.sinh(x[0]),
                        x -> { var g = MathFunctionsDerivatives.sinhGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.sinhVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.3}, {0.6}, {1.5}}),
                new Case("cosh",
                        x -> MathFunctions.cosh(x[0]),
                        x -> MathFunctionsDerivatives.cosh(x[0]),
                        x -> { var g = MathFunctionsDerivatives.coshGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.coshVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.3}, {0.6}, {1.5}}),
                new Case("tanh",
                        x -> MathFunctions.tanh(x[0]),
                        x -> MathFunctionsDerivatives.tanh(x[0]),
                        x -> { var g = MathFunctionsDerivatives.tanhGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.tanhVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.3}, {0.6}, {1.5}}),
                new Case("exp",
                        x -> MathFunctions.exp(x[0]),
                        x -> MathFunctionsDerivatives.exp(x[0]),
                        x -> { var g = MathFunctionsDerivatives.expGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.expVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-3.0}, {-0.1}, {0.8}, {2.5}}),
                new Case("expm1",
                        x -> MathFunctions.expm1(x[0]),
                        x -> MathFunctionsDerivatives.expm1(x[0]),
                        x -> { var g = MathFunctionsDerivatives.expm1Gradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.expm1Vjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-3.0}, {-0.001}, {0.8}, {2.5}}),
                new Case("log",
                        x -> MathFunctions.log(x[0]),
                        x -> MathFunctionsDerivatives.log(x[0]),
                        x -> { var g = MathFunctionsDerivatives.logGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.logVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{0.2}, {0.7}, {3.0}, {40.0}}),
                new Case("log10",
                        x -> MathFunctions.log10(x[0]),
                        x -> MathFunctionsDerivatives.log10(x[0]),
                        x -> { var g = MathFunctionsDerivatives.log10Gradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.log10Vjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{0.2}, {0.7}, {3.0}, {40.0}}),
                new Case("log1p",
                        x -> MathFunctions.log1p(x[0]),
                        x -> MathFunctionsDerivatives.log1p(x[0]),
                        x -> { var g = MathFunctionsDerivatives.log1pGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.log1pVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-0.5}, {0.0}, {0.7}, {5.0}}),
                new Case("sqrt",
                        x -> MathFunctions.sqrt(x[0]),
                        x -> MathFunctionsDerivatives.sqrt(x[0]),
                        x -> { var g = MathFunctionsDerivatives.sqrtGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.sqrtVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{0.1}, {1.0}, {7.0}, {300.0}}),
                new Case("cbrt",
                        x -> MathFunctions.cbrt(x[0]),
                        x -> MathFunctionsDerivatives.cbrt(x[0]),
                        x -> { var g = MathFunctionsDerivatives.cbrtGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.cbrtVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-8.0}, {-0.3}, {0.4}, {27.0}}),
                new Case("pow",
                        x -> MathFunctions.pow(x[0], x[1]),
                        x -> MathFunctionsDerivatives.pow(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.powGradient(x[0], x[1]); return new double[] {g.value(), g.x(), g.p()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.powVjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x(), g.p()}; },
                        new double[][] {{2.0, 3.0}, {0.5, -1.5}, {3.0, 0.5}, {1.7, 2.2}}),
                new Case("cube",
                        x -> MathFunctions.cube(x[0]),
                        x -> MathFunctionsDerivatives.cube(x[0]),
                        x -> { var g = MathFunctionsDerivatives.cubeGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.cubeVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.5}, {1.3}}),
                new Case("square",
                        x -> MathFunctions.square(x[0]),
                        x -> MathFunctionsDerivatives.square(x[0]),
                        x -> { var g = MathFunctionsDerivatives.squareGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.squareVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {0.5}, {3.0}}),
                new Case("hypot",
                        x -> MathFunctions.hypot(x[0], x[1]),
                        x -> MathFunctionsDerivatives.hypot(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.hypotGradient(x[0], x[1]); return new double[] {g.value(), g.x(), g.y()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.hypotVjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x(), g.y()}; },
                        new double[][] {{3.0, 4.0}, {-1.0, 2.0}, {0.5, -0.2}}),
                new Case("abs",
                        x -> MathFunctions.abs(x[0]),
                        x -> MathFunctionsDerivatives.abs(x[0]),
                        x -> { var g = MathFunctionsDerivatives.absGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.absVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-2.0}, {-0.1}, {0.3}, {5.0}}),
                new Case("min",
                        x -> MathFunctions.min(x[0], x[1]),
                        x -> MathFunctionsDerivatives.min(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.minGradient(x[0], x[1]); return new double[] {g.value(), g.x(), g.y()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.minVjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x(), g.y()}; },
                        new double[][] {{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}}),
                new Case("max",
                        x -> MathFunctions.max(x[0], x[1]),
                        x -> MathFunctionsDerivatives.max(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.maxGradient(x[0], x[1]); return new double[] {g.value(), g.x(), g.y()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.maxVjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x(), g.y()}; },
                        new double[][] {{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}}),
                new Case("constants",
                        x -> MathFunctions.constants(x[0]),
                        x -> MathFunctionsDerivatives.constants(x[0]),
                        x -> { var g = MathFunctionsDerivatives.constantsGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.constantsVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{-1.0}, {2.0}}),
                new Case("strict",
                        x -> MathFunctions.strict(x[0]),
                        x -> MathFunctionsDerivatives.strict(x[0]),
                        x -> { var g = MathFunctionsDerivatives.strictGradient(x[0]); return new double[] {g.value(), g.x()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.strictVjp(x[0]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x()}; },
                        new double[][] {{0.4}, {2.0}}),
                new Case("chain",
                        x -> MathFunctions.chain(x[0], x[1]),
                        x -> MathFunctionsDerivatives.chain(x[0], x[1]),
                        x -> { var g = MathFunctionsDerivatives.chainGradient(x[0], x[1]); return new double[] {g.value(), g.x(), g.y()}; },
                        (u, x) -> { var v = MathFunctionsDerivatives.chainVjp(x[0], x[1]); var g = v.pullback(u);
                            return new double[] {v.value(), g.x(), g.y()}; },
                        new double[][] {{0.7, 1.3}, {1.2, 0.4}, {-0.5, 1.0}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardPassEqualsTheOriginalMethod(Case c) {
        for (double[] x : c.points()) {
            assertEquals(c.original().at(x), c.forward().at(x), c.name() + " at " + Arrays.toString(x));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Case c) {
        for (double[] x : c.points()) {
            ScalarCheck.matchesFiniteDifferences(c.name(), c.original(), c.gradient(), 1e-7, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pullbackIsTheGradientScaledByUpstream(Case c) {
        for (double[] x : c.points()) {
            double[] g = c.gradient().at(x);
            for (double u : new double[] {1.0, -2.5, 0.0}) {
                double[] p = c.vjp().at(u, x);
                String at = c.name() + " at " + Arrays.toString(x) + ", upstream " + u;
                assertEquals(g[0], p[0], at + ": value");
                for (int i = 1; i < g.length; i++) assertClose(u * g[i], p[i], 1e-14, at + ": component " + i);
            }
        }
    }

    @Test
    void absHasDerivativeZeroAtZero() {
        assertEquals(0.0, MathFunctionsDerivatives.absGradient(0.0).x());
        assertEquals(-1.0, MathFunctionsDerivatives.absGradient(-0.5).x());
        assertEquals(1.0, MathFunctionsDerivatives.absGradient(0.5).x());
    }

    @Test
    void maxOfATieGivesTheWholeAdjointToItsFirstArgument() {
        var g = MathFunctionsDerivatives.maxGradient(1.5, 1.5);
        assertEquals(1.5, g.value());
        assertEquals(1.0, g.x());
        assertEquals(0.0, g.y());
    }

    @Test
    void minOfATieGivesTheWholeAdjointToItsFirstArgument() {
        var g = MathFunctionsDerivatives.minGradient(-2.0, -2.0);
        assertEquals(-2.0, g.value());
        assertEquals(1.0, g.x());
        assertEquals(0.0, g.y());
    }

    @Test
    void powOfAConstantSquareIsExactlyTheProduct() {
        for (double x : new double[] {-3.1, 0.7, 1e10, 1.0000001}) {
            assertEquals(Math.pow(x, 2), MathFunctionsDerivatives.square(x));
            assertEquals(2 * x, MathFunctionsDerivatives.squareGradient(x).x());
        }
    }
}
