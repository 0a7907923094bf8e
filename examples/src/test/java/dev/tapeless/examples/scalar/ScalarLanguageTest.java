package dev.tapeless.examples.scalar;

import static dev.tapeless.examples.scalar.ScalarCheck.assertClose;
import static dev.tapeless.examples.scalar.ScalarCheck.matchesFiniteDifferences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The scalar language ({@link ScalarLanguage}): each construct's generated value and derivatives. */
class ScalarLanguageTest {
    private static final double TOLERANCE = 1e-8;

    @Test
    void intAndLongDataFollowJavasPromotionAndIntDivision() {
        for (int n : new int[] {-3, 0, 5, 8}) {
            for (long m : new long[] {1, 7, -2}) {
                double x = 1.3;
                assertEquals(ScalarLanguage.intData(x, n, m), ScalarLanguageDerivatives.intData(x, n, m));
                var g = ScalarLanguageDerivatives.intDataGradient(x, n, m);
                assertEquals(ScalarLanguage.intData(x, n, m), g.value());
                // d/dx = n/2 (int division) + 2x n/2.0 + (3m)/4 (long division)
                double expected = n / 2 + 2 * x * (n / 2.0) + m * 3 / 4;
                assertClose(expected, g.x(), 1e-14, "d/dx at n=" + n + ", m=" + m);
            }
        }
    }

    @Test
    void forwardPassKeepsTheSignOfZeroAsJavaDoes() {
        // assertEquals(double, double) tells -0.0 from +0.0.
        for (double x : new double[] {-0.0, 0.0, 2.5}) {
            assertEquals(ScalarLanguage.zeroPlus(x), ScalarLanguageDerivatives.zeroPlus(x), "0 + " + x);
            assertEquals(ScalarLanguage.zeroPlus(x), ScalarLanguageDerivatives.zeroPlusGradient(x).value(), "0 + " + x);
            assertEquals(ScalarLanguage.zeroMinus(x), ScalarLanguageDerivatives.zeroMinus(x), "0 - " + x);
            assertEquals(ScalarLanguage.zeroMinus(x), ScalarLanguageDerivatives.zeroMinusVjp(x).value(), "0 - " + x);
        }
        assertEquals(1.0, ScalarLanguageDerivatives.zeroPlusGradient(3).x());
        assertEquals(-1.0, ScalarLanguageDerivatives.zeroMinusGradient(3).x());
    }

    @Test
    void generatedExpressionsKeepTheSourcesGrouping() {
        for (double[] p : new double[][] {{0.5, 1.5, -2}, {-2, 0.25, 3}, {3, -1, 0.5}}) {
            for (int n : new int[] {7, -5}) {
                assertEquals(ScalarLanguage.grouping(p[0], p[1], p[2], n), ScalarLanguageDerivatives.grouping(p[0], p[1], p[2], n));
                matchesFiniteDifferences("grouping(n=" + n + ")", x -> ScalarLanguage.grouping(x[0], x[1], x[2], n),
                        x -> {
                            var g = ScalarLanguageDerivatives.groupingGradient(x[0], x[1], x[2], n);
                            return new double[] {g.value(), g.x(), g.y(), g.z()};
                        }, TOLERANCE, p);
            }
        }
    }

    @Test
    void compoundAssignmentsReassignLocals() {
        for (double[] p : new double[][] {{0.5, 1.5}, {-2, 0.25}, {3, -1}}) {
            matchesFiniteDifferences("compound", x -> ScalarLanguage.compound(x[0], x[1]),
                    x -> {
                        var g = ScalarLanguageDerivatives.compoundGradient(x[0], x[1]);
                        return new double[] {g.value(), g.x(), g.y()};
                    }, TOLERANCE, p);
        }
    }

    @Test
    void constantsAreFoldedAndNonFinalStaticFieldsAreReadAtRunTime() {
        double saved = ScalarLanguage.scale;
        try {
            for (double s : new double[] {2.0, -0.75}) {
                ScalarLanguage.scale = s;
                assertEquals(ScalarLanguage.fields(1.7), ScalarLanguageDerivatives.fields(1.7));
                assertEquals(s + 1.5, ScalarLanguageDerivatives.fieldsGradient(1.7).x(), 1e-15);
                assertEquals(s + 1.5, ScalarLanguageDerivatives.fieldsVjp(1.7).pullback(1).x(), 1e-15);
            }
        } finally {
            ScalarLanguage.scale = saved;
        }
    }

    @Test
    void blocksScopeTheirLocals() {
        for (double p : new double[] {-1.2, 0.3, 2}) {
            matchesFiniteDifferences("blocks", x -> ScalarLanguage.blocks(x[0]),
                    x -> {
                        var g = ScalarLanguageDerivatives.blocksGradient(x[0]);
                        return new double[] {g.value(), g.x()};
                    }, TOLERANCE, p);
        }
    }

    @Test
    void conditionalOperatorDifferentiatesTheOperandTaken() {
        // Points on each side of every condition, away from the boundaries.
        for (double[] p : new double[][] {{0.5, 1.5}, {2, 1.5}, {1.5, -1}, {-2, -1}, {0.2, 0.1}}) {
            matchesFiniteDifferences("piecewise", x -> ScalarLanguage.piecewise(x[0], x[1]),
                    x -> {
                        var g = ScalarLanguageDerivatives.piecewiseGradient(x[0], x[1]);
                        return new double[] {g.value(), g.x(), g.y()};
                    }, TOLERANCE, p);
        }
    }

    @Test
    void onABoundaryTheAdjointGoesToTheOperandJavaTakes() {
        // x == y: x < y is false, x <= y is true, x > y is false, x >= y is true.
        assertEquals(0.0, ScalarLanguageDerivatives.lessThanGradient(2, 2).x());
        assertEquals(1.0, ScalarLanguageDerivatives.lessThanGradient(2, 2).y());
        assertEquals(1.0, ScalarLanguageDerivatives.atMostGradient(2, 2).x());
        assertEquals(0.0, ScalarLanguageDerivatives.atMostGradient(2, 2).y());
        assertEquals(0.0, ScalarLanguageDerivatives.greaterThanGradient(2, 2).x());
        assertEquals(1.0, ScalarLanguageDerivatives.greaterThanGradient(2, 2).y());
        assertEquals(1.0, ScalarLanguageDerivatives.atLeastGradient(2, 2).x());
        assertEquals(0.0, ScalarLanguageDerivatives.atLeastGradient(2, 2).y());
    }

    @Test
    void comparisonsWithNaNAreFalseAsInJava() {
        double nan = Double.NaN;
        for (double[] p : new double[][] {{nan, 1}, {1, nan}, {nan, nan}}) {
            assertEquals(ScalarLanguage.lessThan(p[0], p[1]), ScalarLanguageDerivatives.lessThan(p[0], p[1]));
            assertEquals(ScalarLanguage.atMost(p[0], p[1]), ScalarLanguageDerivatives.atMost(p[0], p[1]));
            assertEquals(ScalarLanguage.greaterThan(p[0], p[1]), ScalarLanguageDerivatives.greaterThan(p[0], p[1]));
            assertEquals(ScalarLanguage.atLeast(p[0], p[1]), ScalarLanguageDerivatives.atLeast(p[0], p[1]));
        }
        // 1 < NaN is false: the adjoint goes to y.
        assertEquals(1.0, ScalarLanguageDerivatives.lessThanGradient(1, nan).y());
        assertEquals(0.0, ScalarLanguageDerivatives.lessThanGradient(1, nan).x());
    }

    @Test
    void theAdjointOfTheOperandNotTakenIsSkippedSoANaNThereDoesNotReachTheGradient() {
        var g = ScalarLanguageDerivatives.sqrtWhenPositiveGradient(-1);
        assertEquals(0.0, g.value());
        assertEquals(0.0, g.x(), "1 / sqrt(-1) is NaN, but only where sqrt is not taken: skipped, exactly zero");
        assertEquals(0.0, ScalarLanguageDerivatives.sqrtWhenPositiveVjp(-1).pullback(1).x());
        assertEquals(0.25, ScalarLanguageDerivatives.sqrtWhenPositiveGradient(4).x(), 1e-15);
        var safe = ScalarLanguageDerivatives.sqrtWhenPositiveSafelyGradient(-1);
        assertEquals(0.0, safe.value());
        assertEquals(0.0, safe.x());
        assertEquals(0.25, ScalarLanguageDerivatives.sqrtWhenPositiveSafelyGradient(4).x(), 1e-15);
    }

    @Test
    void callsToOtherDifferentiableMethodsAreInlined() {
        for (int n : new int[] {-2, 1, 3}) {
            for (double p : new double[] {-0.7, 0.2, 1.1}) {
                final int k = n;
                matchesFiniteDifferences("callsOthers(n=" + n + ")", x -> ScalarLanguage.callsOthers(x[0], k),
                        x -> {
                            var g = ScalarLanguageDerivatives.callsOthersGradient(x[0], k);
                            return new double[] {g.value(), g.x()};
                        }, TOLERANCE, p);
            }
        }
    }

    @Test
    void wrtLeavesOtherDoublesUndifferentiated() {
        var g = ScalarLanguageDerivatives.onlyYGradient(3.0, 2.0);
        assertEquals(ScalarLanguage.onlyY(3.0, 2.0), g.value());
        assertEquals(1.5, g.y(), 1e-15);
        assertEquals(1, ScalarLanguageDerivatives.OnlyYGradient.class.getRecordComponents().length - 1,
                "only y has a component besides the value");
    }

    @Test
    void aParameterTheResultDoesNotDependOnHasAZeroPartial() {
        var g = ScalarLanguageDerivatives.ignoresYGradient(2.0, 5.0);
        assertEquals(6.0, g.value());
        assertEquals(3.0, g.x());
        assertEquals(0.0, g.y());
    }

    @Test
    void doubleMethodsGetNoOpCountsForTheyRunNoNd4jOps() {
        for (var field : ScalarLanguageDerivatives.class.getDeclaredFields()) {
            assertNotEquals(dev.tapeless.runtime.support.OpCounts.class, field.getType(), field.getName());
        }
    }
}
