package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Every construct of {@link Constructs}, checked by {@link Checked} (source value bit for bit,
 * partials against finite differences, pullbacks against the gradient) on both sides of every
 * branch, at trip counts 0, 1 and many, and at magnitudes of 1e±100 where the method allows them.
 * Points sit away from the boundaries between pieces (finite differences would straddle them);
 * boundaries are checked on their own against the one-sided partial of the branch Java takes.
 */
class ConstructsTest {
    private static final double BIG = 1e100;
    private static final double TINY = 1e-100;

    private static Checked check(String name) {
        return Checked.of(Constructs.class, name);
    }

    // ---- branches ------------------------------------------------------------------------------

    @Test
    void ifWithoutElseKeepsTheValueWhenTheBranchIsNotTaken() {
        Checked c = check("ifWithoutElse");
        for (double x : new double[] {2, 0.5, -0.3, -2, BIG, -BIG, TINY, -TINY, 3e30}) c.at(x);
        assertEquals(8 + 2, c.at(2.0)[0]);
        assertEquals(3 * 4 + 1, c.at(2.0)[1], 1e-15);
        // At 1 and -1 neither condition holds: y = x², so d/dx = 2x + 1.
        assertEquals(3.0, c.atBoundary(1.0)[1]);
        assertEquals(-1.0, c.atBoundary(-1.0)[1]);
    }

    @Test
    void elseIfChainDifferentiatesThePieceTaken() {
        Checked c = check("elseIfChain");
        double[][] points = {{-3, 1.5}, {-BIG, TINY}, {-BIG, -BIG}, {-0.5, -2}, {-TINY, TINY}, {-0.25, 3},
                {0.5, 3}, {TINY, 1e50}, {TINY, -BIG}, {2, -1.5}, {BIG, 1e-50}, {BIG, BIG}};
        for (double[] p : points) c.at(p[0], p[1]);
        // On each boundary Java takes the piece to the right: x < -1 is false at -1.
        double[] atMinusOne = c.atBoundary(-1.0, 2.0); // sin(x) + y
        assertEquals(Math.cos(-1.0), atMinusOne[1], 1e-15);
        assertEquals(1.0, atMinusOne[2]);
        double[] atZero = c.atBoundary(0.0, 2.0); // x² y
        assertEquals(0.0, atZero[1]);
        assertEquals(0.0, atZero[2]);
        double[] atOne = c.atBoundary(1.0, 2.0); // log(x) y²
        assertEquals(4.0, atOne[1], 1e-15);
        assertEquals(0.0, atOne[2]);
    }

    @Test
    void nestedIfsReturnAtEveryDepthAndFallThrough() {
        Checked c = check("nestedIfs");
        for (double s : new double[] {1, BIG, TINY}) {
            c.at(2 * s, 3 * s, true);      // x > 0, y > 0
            c.at(2 * s, 3 * s, false);
            c.at(2 * s, -3 * s, true);     // x > 0, y <= 0, flag
            c.at(2 * s, -3 * s, false);    // x > 0, y <= 0, !flag
            c.at(-2 * s, 1 * s, true);     // x <= 0, flag, y > x
            c.at(-2 * s, -3 * s, true);    // x <= 0, flag, y <= x: out of all ifs
            c.at(-2 * s, 1 * s, false);    // x <= 0, !flag
        }
        // The fall-through: x + 2y.
        double[] g = c.at(-2.0, -3.0, true);
        assertEquals(1.0, g[1]);
        assertEquals(2.0, g[2]);
    }

    @Test
    void booleanLocalsAndOperatorsDecideAsInJava() {
        Checked c = check("booleans");
        for (double s : new double[] {1, 1e50, TINY}) {
            for (double x : new double[] {2, -2}) {
                for (double y : new double[] {0.5, -0.25, 5, -3}) {
                    for (boolean flag : new boolean[] {true, false}) {
                        c.at(x * s, y * s, flag);
                    }
                }
            }
        }
    }

    @Test
    void equalityAndRemainderOnDoublesAndInts() {
        Checked c = check("equalities");
        for (double x : new double[] {2.5, -0.7, BIG, -TINY}) {
            for (int n : new int[] {-4, -3, -1, 0, 1, 2, 5, 6, 7}) c.at(x, n);
        }
        // x == 0 returns the constant 1; x == 1 skips the product: r = x, times 3 for n = 1.
        double[] atZero = c.atBoundary(0.0, 4);
        assertEquals(1.0, atZero[0]);
        assertEquals(0.0, atZero[1]);
        assertEquals(3.0, c.atBoundary(1.0, 1)[1]);
        assertEquals(6.0, c.atBoundary(1.0, 4)[1]);
        assertEquals(-3.0, c.atBoundary(1.0, 5)[1]);
    }

    @Test
    void booleanCarriedAroundALoop() {
        Checked c = check("booleanCarried");
        for (int n : new int[] {0, 1, 2, 5}) {
            for (double x : new double[] {1.3, -0.8, TINY}) c.at(x, n);
        }
        for (int n : new int[] {0, 1, 2}) c.at(BIG, n);
    }

    // ---- loops ---------------------------------------------------------------------------------

    @Test
    void forLoopRunsZeroOneOrManyTimes() {
        Checked c = check("forSum");
        for (int n : new int[] {0, 1, 7, -2}) {
            for (double x : new double[] {0.3, -2.1, TINY}) c.at(x, n);
        }
        assertEquals(1.0, c.at(0.3, 0)[1], "no trip: d/dx of x");
    }

    @Test
    void whileLoopComputesAPower() {
        Checked c = check("whilePower");
        for (int n : new int[] {0, 1, 2, 3, 10}) {
            for (double x : new double[] {1.3, -0.7}) {
                double[] g = c.at(x, n);
                assertEquals(n * Math.pow(x, n - 1), g[1], 1e-13 * Math.abs(g[1]) + 0.0, "n x^(n-1)");
            }
        }
        for (int n : new int[] {0, 1, 2, 3}) {
            c.at(BIG, n);
            c.at(-TINY, n);
        }
        c.at(-1e30, 10);
    }

    @Test
    void doLoopRunsAtLeastOnce() {
        Checked c = check("doWhile");
        for (int n : new int[] {-3, 0, 1, 5}) {
            for (double x : new double[] {0.3, -1.2, TINY}) c.at(x, n);
        }
        c.at(BIG, 0);
        c.at(-BIG, 1);
        // Once, from n = 0: y = x²/2 + x.
        assertEquals(1.6, c.at(0.6, 0)[1], 1e-15);
    }

    @Test
    void continueInADoLoopGoesToTheCondition() {
        Checked c = check("doWhileContinue");
        for (int n : new int[] {0, 1, 2, 5}) {
            for (double x : new double[] {1.1, -0.6, TINY}) c.at(x, n);
        }
        c.at(BIG, 1);
        c.at(BIG, 2);
    }

    @Test
    void countersDownByTwoDownByOneAndUpByK() {
        Checked c = check("counters");
        for (int n : new int[] {0, 1, 2, 5, 6}) {
            for (int k : new int[] {1, 2, 3}) {
                for (double x : new double[] {0.9, -1.1, TINY}) c.at(x, n, k);
            }
        }
        for (int n : new int[] {0, 1}) c.at(BIG, n, 1);
    }

    @Test
    void twoCountersInOneFor() {
        Checked c = check("twoCounters");
        for (int n : new int[] {-1, 0, 1, 2, 7}) {
            for (double x : new double[] {0.4, -1.5, TINY}) c.at(x, n);
        }
        c.at(BIG, 2);
        c.at(BIG, 4);
    }

    @Test
    void postDecrementInAConditionAndIncrementsInExpressions() {
        Checked c = check("incrementsInExpressions");
        for (int n : new int[] {0, 1, 4}) {
            for (double x : new double[] {0.7, -1.3, TINY}) c.at(x, n);
        }
        c.at(BIG, 0);
        c.at(BIG, 1);
        // n = 0: s = x, t = u = 0, m = -1 after m-- > 0 fails.
        assertEquals(0.7 + 0.7, c.at(0.7, 0)[0]);
    }

    @Test
    void longCounters() {
        Checked c = check("longCounters");
        for (long m : new long[] {0, 1, 7, 123, -5, Long.MAX_VALUE}) {
            for (double x : new double[] {0.8, -1.4, TINY}) c.at(x, m);
        }
        for (long m : new long[] {0, 1, 10_000_000_000L}) c.at(BIG, m);
    }

    @Test
    void nestedLoopsWithTheInnerTripCountSetByTheOuterCounter() {
        Checked c = check("triangle");
        for (int n : new int[] {0, 1, 2, 4}) {
            for (double x : new double[] {0.6, -2.5, TINY}) c.at(x, n);
        }
        c.at(BIG, 1);
        c.at(-BIG, 3);
    }

    @Test
    void loopsThatNeverRunPassTheirValuesThrough() {
        Checked c = check("neverRuns");
        for (int n : new int[] {-3, 0, 4}) {
            for (double x : new double[] {1.5, -2, BIG, -TINY}) {
                double[] g = c.at(x, n);
                assertEquals(6 * x, g[1], Math.ulp(6 * x), "3x² whatever n");
            }
        }
    }

    @Test
    void tripCountSetByADoubleTimeAndHorizon() {
        Checked c = check("untilHorizon").wrt(0, 1);
        for (double horizon : new double[] {-1, 0, 0.05, 2.05}) {
            for (double y0 : new double[] {0.1, 0.9, TINY}) {
                for (double rate : new double[] {1.5, -0.5}) c.at(y0, rate, horizon);
            }
        }
        c.at(BIG, 0.5, 0.05);
        c.at(-BIG, 1e-99, 0.05);
        double[] none = c.at(0.3, 2.0, 0.0);
        assertEquals(1.0, none[1], "no step: y = y0");
        assertEquals(0.0, none[2]);
    }

    @Test
    void counterChangedInTheBody() {
        Checked c = check("counterChangedInBody");
        for (int n : new int[] {0, 1, 2, 6}) {
            for (double x : new double[] {0.9, -1.2, TINY}) c.at(x, n);
        }
        c.at(BIG, 1);
        c.at(BIG, 2);
    }

    @Test
    void localAssignedOnSomeTripsOnly() {
        Checked c = check("assignedOnSomeTrips");
        for (int n : new int[] {0, 1, 2, 5}) {
            for (double x : new double[] {0.8, -2, BIG, TINY}) c.at(x, n);
        }
    }

    // ---- break and continue --------------------------------------------------------------------

    @Test
    void breakBeforeTheWorkOnTheFirstTheLastOrNoTrip() {
        Checked c = check("breakBefore");
        for (int stop : new int[] {0, 2, 4, 5}) {
            for (double x : new double[] {1.1, -0.9, TINY}) c.at(x, 5, stop);
        }
        c.at(1.1, 0, 0);
        c.at(BIG, 5, 2);
        assertEquals(1.0, c.at(1.1, 5, 0)[1], "break on the first trip: s = x");
    }

    @Test
    void breakAfterTheWorkOnTheFirstOrTheLastTrip() {
        Checked c = check("breakAfter");
        for (int stop : new int[] {0, 2, 4, 7}) {
            for (double x : new double[] {0.7, -1.3, TINY}) c.at(x, 5, stop);
        }
        c.at(0.7, 0, 0);
        c.at(BIG, 5, 0);
        c.at(1e50, 5, 2);
    }

    @Test
    void continueOnTheFirstOrTheLastTrip() {
        Checked c = check("continueAt");
        for (int skip : new int[] {0, 2, 4, 9}) {
            for (double x : new double[] {1.2, -0.8, TINY, 1e60}) c.at(x, 5, skip);
        }
        c.at(1.2, 0, 0);
        assertEquals(0.0, c.at(1.2, 1, 0)[0], "the only trip skipped");
    }

    @Test
    void continueInAWhileLoop() {
        Checked c = check("continueInWhile");
        for (int n : new int[] {0, 1, 2, 7}) {
            for (double x : new double[] {0.5, -1.7, TINY}) c.at(x, n);
        }
        c.at(BIG, 2);
        c.at(BIG, 3);
    }

    @Test
    void breakDecidedByTheData() {
        Checked c = check("breakWhenLarge").wrt(0);
        double[][] points = {{0.3, 10}, {0.3, 1e30}, {-0.5, 10}, {2, 1e3}, {BIG, 1e101}, {TINY, 1e-95}};
        for (double[] p : points) c.at(p[0], p[1]);
    }

    @Test
    void breakAndContinueInAnInnerLoopLeaveTheOuterLoopRunning() {
        Checked c = check("innerBreakContinue");
        for (int n : new int[] {0, 1, 3, 5}) {
            for (double x : new double[] {0.9, -1.05, TINY}) c.at(x, n);
        }
        c.at(BIG, 1);
        c.at(BIG, 2);
    }

    @Test
    void foreverLoopsLeftByBreakAndByReturn() {
        Checked c = check("forever");
        for (int n : new int[] {0, 1, 4}) {
            for (int stop : new int[] {-1, 0, 2}) {
                for (double x : new double[] {0.9, -1.3, TINY, 1e50}) c.at(x, n, stop);
            }
        }
    }

    // ---- early returns -------------------------------------------------------------------------

    @Test
    void returnFromInsideALoop() {
        Checked c = check("returnFromLoop");
        // Not at tiny x: s = 1 + x + x² + ... is 1 to rounding there.
        for (int n : new int[] {0, 1, 3, 4, 10}) {
            for (double x : new double[] {2, 0.5, -3, BIG}) c.at(x, n);
        }
        // x = 2: s = 1, 3, 7, 15: returns 15² on the fourth trip, d/dx = 2 s ds/dx = 2 * 15 * 17.
        assertEquals(225.0, c.at(2.0, 10)[0]);
        assertEquals(2 * 15 * 17, c.at(2.0, 10)[1], 1e-12);
        assertEquals(-7.0, c.at(2.0, 3)[0], "the loop ends before s passes 10");
    }

    @Test
    void returnFromInsideNestedLoops() {
        Checked c = check("returnFromNestedLoops");
        for (int n : new int[] {0, 1, 3, 4}) {
            for (double x : new double[] {0.5, 30, -1, BIG, TINY}) c.at(x, n);
        }
    }

    @Test
    void returnOnTheFirstOrTheLastTrip() {
        Checked c = check("returnOnTrip");
        for (int at : new int[] {0, 4, 9}) {
            for (double x : new double[] {1.1, -0.7, TINY, 1e50}) c.at(x, 5, at);
        }
        c.at(1.1, 0, 0);
        c.at(1.1, 0, 3);
    }

    @Test
    void twoVjpsKeepTheirOwnSavedValues() {
        // Each Vjp keeps its own stacks of loop values: pulling back one after making another,
        // in any order and more than once, gives each its own gradient.
        var first = ConstructsDerivatives.triangleVjp(0.6, 4);
        var second = ConstructsDerivatives.triangleVjp(-2.5, 2);
        double expectedFirst = ConstructsDerivatives.triangleGradient(0.6, 4).x();
        double expectedSecond = ConstructsDerivatives.triangleGradient(-2.5, 2).x();
        assertEquals(expectedSecond, second.pullback(1).x());
        assertEquals(expectedFirst, first.pullback(1).x());
        assertEquals(expectedSecond, second.pullback(1).x());
        assertEquals(2 * expectedFirst, first.pullback(2).x());
    }

    @Test
    void methodsWithLoopsAndReturnsInlinedInALoop() {
        Checked c = check("callsInLoop");
        // Not at tiny x: the inlined returnFromLoop is 1 to rounding there.
        for (int n : new int[] {0, 1, 4}) {
            for (double x : new double[] {0.8, -1.5, 2.5}) c.at(x, n);
        }
    }
}
