package dev.tapeless.examples.arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The array language ({@link ArrayLanguage}): at each point, every entry point of the companion
 * against the method itself and central finite differences ({@link ArrayCheck}), on arrays of
 * length 0 and 1 as well as longer ones, and at large and tiny magnitudes where the function
 * allows them.
 */
class ArrayLanguageTest {
    private static ArrayCheck check(String method, String... parameters) {
        return ArrayCheck.of(ArrayLanguage.class, method, parameters);
    }

    private static double[] d(double... x) {
        return x;
    }

    @Test
    void parameterArrayReadByIndexInALoop() {
        ArrayCheck c = check("sumOfSquares", "x");
        c.at((Object) d());
        c.at((Object) d(3));
        Map<String, Object> g = c.at((Object) d(1.5, -2, 0.25, 0));
        assertArrayEquals(d(3, -4, 0.5, 0), (double[]) g.get("x"));
        c.at((Object) d(1e150, -3e150, 2e149));
        check("sumOfSquares", "x").stepFloor(1e-125).at((Object) d(3e-120, -2e-121, 5e-122));
    }

    @Test
    void twoDifferentiatedArraysOfDifferentLengths() {
        ArrayCheck c = check("dot", "x", "y");
        c.at(d(1, 2, 3), d(4, -5));
        c.at(d(), d(1));
        c.at(d(2), d());
        Map<String, Object> g = c.at(d(0.5, -1.5), d(2, 3, 7));
        assertArrayEquals(d(2, 3), (double[]) g.get("x"));
        assertArrayEquals(d(0.5, -1.5, 0), (double[]) g.get("y"), "an element past the shorter length has a zero partial");
        c.at(d(1e100, -2e100), d(3e100, 4e99));
        check("dot", "x", "y").stepFloor(1e-105).at(d(1e-100, -2e-100), d(3e-100, 4e-101));
    }

    @Test
    void wrtSelectsOnlyTheArray() {
        ArrayCheck c = check("onlyTheArray", "x", "s").wrt("x");
        c.at(d(0.3, -1.2, 2), 0.7);
        c.at(d(), 0.7);
        c.at(d(-0.4), 1.3);
        assertEquals(2, ArrayLanguageDerivatives.OnlyTheArrayGradient.class.getRecordComponents().length);
    }

    @Test
    void wrtSelectsOnlyTheDouble() {
        ArrayCheck c = check("onlyTheDouble", "x", "s").wrt("s");
        c.at(d(0.3, -1.2, 2), 0.7);
        c.at(d(), 0.7);
        c.at(d(-0.4), 1.3);
        assertEquals(2, ArrayLanguageDerivatives.OnlyTheDoubleGradient.class.getRecordComponents().length);
        assertEquals(double.class, ArrayLanguageDerivatives.OnlyTheDoubleGradient.class.getRecordComponents()[1].getType());
    }

    @Test
    void dataMatrixReadByRowAndColumn() {
        ArrayCheck c = check("quadraticForm", "x", "a");
        c.at(d(1, -2, 0.5), new double[][] {{1, 2, 3}, {0.5}, {-1, 2, 0}});
        c.at(d(1, -2), new double[][] {});
        c.at(d(1.5), new double[][] {{2}});
        c.at(d(1.5), new double[][] {{}});
        c.at(d(1e100, -2e100, 3e99), new double[][] {{1, 2, 3}, {0.5, -4}, {-1, 2, 0}});
    }

    @Test
    void lengthInConditions() {
        ArrayCheck c = check("byLength", "x", "y");
        double[] all = {0.7, -1.1, 2.3, 0.4, -0.9, 1.6, 0.2};
        for (int n = 0; n <= all.length; n++) {
            c.at(java.util.Arrays.copyOf(all, n), -1.3);
        }
    }

    @Test
    void enhancedForWithBreakAndContinue() {
        ArrayCheck c = check("sqrtsUntilLarge", "x", "limit");
        Map<String, Object> g = c.at(d(4, -1, 0.25, 9, 100, 2), 50.0);
        assertArrayEquals(d(0.25, 0, 2, 0.5, 0, 0), (double[]) g.get("x"),
                "skipped and unvisited elements have zero partials");
        assertEquals(0.0, (double) g.get("limit"));
        c.at(d(4, -1, 0.25, 9, 3, 2), 50.0); // no break
        c.at(d(-1, -2), 50.0); // all skipped
        c.at(d(), 50.0);
        c.at(d(60), 50.0); // breaks at once
    }

    @Test
    void nestedEnhancedForsOverOneArray() {
        ArrayCheck c = check("pairs", "x");
        c.at((Object) d(0.5, 1.2, -0.7, 2));
        c.at((Object) d());
        c.at((Object) d(1));
    }

    @Test
    void earlyReturnFromALoopOverTheArray() {
        ArrayCheck c = check("firstAbove", "x", "threshold").wrt("x");
        Map<String, Object> g = c.at(d(0.5, 2, 3), 1.0);
        assertArrayEquals(d(0, 8, 0), (double[]) g.get("x"));
        c.at(d(0.5, 2, 3), 5.0);
        c.at(d(), 5.0);
        ArrayCheck p = check("firstPositive", "x", "t");
        p.at(d(-1, -2, 0.5, 3), 1.5);
        p.at(d(-1, -2), 1.5);
        p.at(d(), 1.5);
        p.at(d(7), -2.0);
    }

    @Test
    void whileConditionReadsTheArrayBehindAnd() {
        ArrayCheck c = check("positivePrefix", "x");
        c.at((Object) d(0.5, 2, -1, 3));
        c.at((Object) d(1, 2));
        c.at((Object) d());
        c.at((Object) d(-1));
    }

    @Test
    void localArrayOverwrittenInLoopsAndBranches() {
        ArrayCheck c = check("overwrites", "x", "t");
        c.at(d(0.5, -0.3, 1.2, -2), 0.8);
        c.at(d(), 0.8);
        c.at(d(1.5), -0.6);
    }

    @Test
    void inPlaceSweepReadsUpdatedNeighbours() {
        ArrayCheck c = check("sweep", "x", "passes");
        for (int passes : new int[] {0, 1, 3}) {
            c.at(d(0.3, -0.5, 0.8, 0.1), passes);
            c.at(d(0.6), passes);
            c.at(d(), passes);
        }
    }

    @Test
    void arrayInitializerReadAtComputedIndices() {
        ArrayCheck c = check("initializer", "a", "b", "k");
        for (int k : new int[] {0, 1, 2, 3, 5, -3}) {
            c.at(0.7, -1.2, k);
        }
    }

    @Test
    void readsKeepTheirPlaceAmongWrites() {
        ArrayCheck c = check("readBeforeOverwrite", "x");
        Map<String, Object> g = c.at((Object) d(0.7, -1.3, 5));
        assertEquals(0.0, ((double[]) g.get("x"))[2]);
        c.at((Object) d(-2.5, 0.4));
    }

    @Test
    void compoundAssignmentsAndIncrementsOnElements() {
        ArrayCheck c = check("compoundElements", "x", "c");
        c.at(d(0.3, -0.8, 1.1, 0.5), 1.2);
        c.at(d(), 1.2);
        c.at(d(2), -0.7);
    }

    @Test
    void intBooleanAndLongLocalArraysAsDataAndFlags() {
        ArrayCheck c = check("flags", "x", "pick");
        c.at(d(0.5, -1, 2, 0.7), new int[] {0, 3, 0, 1, 1, 1});
        c.at(d(0.5, -1, 2, 0.7), new int[] {});
        c.at(d(1.5), new int[] {0, 0});
        c.at(d(), new int[] {});
    }

    @Test
    void dataArrayParametersOfEveryType() {
        ArrayCheck c = check("gather", "x", "index", "weight", "negate");
        int[] index = {2, 0, 2, 1, 2};
        long[] weight = {1, 3, -2, 5, 1};
        boolean[] negate = {false, true, false, false, true};
        Map<String, Object> g = c.at(d(1.5, -2, 0.5), index, weight, negate);
        // x2 is gathered three times, for x2² (1 - 2 - 1) = -2 x2²: its partial is -4 x2 = -2.
        assertEquals(-2.0, ((double[]) g.get("x"))[2], 1e-15);
        c.at(d(1e100, -2e100, 3e99), index, weight, negate);
        c.at(d(1.5), new int[] {}, new long[] {}, new boolean[] {});
    }

    @Test
    void arraysPassedToInlinedCallees() {
        check("norm", "v").at((Object) d(3, 4));
        check("norm", "v").at((Object) d(-2));
        check("norm", "v").at((Object) d(3e150, 4e150));
        check("norm", "v").stepFloor(1e-105).at((Object) d(3e-100, -4e-100));
        double[][] m = {{1, 2, 3}, {-1, 0.5, 2}};
        check("weighted", "a", "b", "m", "row").at(d(0.5, 1.5), d(2, -1, 4), m, 1);
        ArrayCheck c = check("callsWithArrays", "x", "t", "m");
        c.at(d(0.5, 1.5, -1), 0.7, m);
        c.at(d(2), -0.4, m);
    }

    @Test
    void oneArrayPassedForTwoParameters() {
        // Both parameters are read, never written: the same array for both is two readings of it.
        double[] x = {0.5, -1.5, 2};
        Map<String, Object> g = check("dot", "x", "y").at(x, x);
        assertArrayEquals(x, (double[]) g.get("x"));
        assertArrayEquals(x, (double[]) g.get("y"));
    }

    @Test
    void enhancedForOverIntData() {
        ArrayCheck c = check("enhancedForOverIndices", "x", "pick");
        Map<String, Object> g = c.at(d(1.5, -2, 3), new int[] {0, 2, 2});
        assertEquals(0.0, ((double[]) g.get("x"))[1], "an element never picked");
        c.at(d(1.5), new int[] {});
        c.at(d(), new int[] {});
    }

    @Test
    void incrementsReadAsValues() {
        check("incrementsAsValues", "x").at((Object) d(1.5, -2));
        check("incrementsAsValues", "x").at((Object) d(-0.25, 3, 9));
    }

    @Test
    void loopConditionOnAnOverwrittenElement() {
        ArrayCheck c = check("elementInLoopCondition", "x");
        c.at((Object) d(1.3, 0.7));
        c.at((Object) d(11, 0.7)); // the loop never runs
    }

    @Test
    void writesAndReadsAtIndicesThatMayCoincide() {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // With i = j = 2 the result has sin(x2⁴), x2⁴ near 19: a step of 1e-3 |x2| would move
                // it by 0.08, too far for the difference to be good to 1e-6.
                check("sameIndexReadAndWritten", "x", "i", "j").absoluteStep(1e-4).at(d(1.3, -0.7, 2.1), i, j);
            }
        }
    }

    @Test
    void rowsOfADataMatrixPassedToACallee() {
        ArrayCheck c = check("rowsToCallee", "w", "xs");
        c.at(d(0.3, -0.5), new double[][] {{1, 2}, {-1, 0.5}, {0.2, 0.1}});
        c.at(d(0.3, -0.5), new double[][] {});
        c.at(d(), new double[][] {{}, {}});
    }

    @Test
    void scatterAtRepeatedIndices() {
        ArrayCheck c = check("scatter", "x", "index");
        c.at(d(0.3, -0.5, 1.5, 0.7), new int[] {2, 0, 2, 2});
        c.at(d(0.3), new int[] {1});
        c.at(d(), new int[] {});
    }

    @Test
    void localArrayWrittenUntilABreak() {
        ArrayCheck c = check("writtenUntilBreak", "x");
        c.at((Object) d(0.3, -0.5, 1.5, 0.2));
        c.at((Object) d(0.3, -0.5));
        c.at((Object) d());
    }

    @Test
    void earlyReturnsWhileWritingALocalArray() {
        ArrayCheck c = check("returnsWhileWriting", "x");
        c.at((Object) d(1.3));
        c.at((Object) d(0.3));
        c.at((Object) d(-1.7, 4));
    }

    @Test
    void overwritesInANestedLoop() {
        ArrayCheck c = check("nestedLoopOverwrites", "x");
        c.at((Object) d(0.3, 1.2, -0.4));
        c.at((Object) d(0.9));
        c.at((Object) d());
    }

    @Test
    void doWhileAndACountDown() {
        ArrayCheck c = check("doWhileAndCountingDown", "x", "n");
        for (int n : new int[] {0, 1, 5}) {
            c.at(d(0.3, 1.2, -0.4), n);
            c.at(d(0.8), n);
        }
    }

    @Test
    void dataElementsAsLoopBounds() {
        ArrayCheck c = check("dataBounds", "x", "counts");
        c.at(d(0.3, -0.5, 1.5), new int[] {2, 0, 3});
        c.at(d(0.3), new int[] {});
    }
}
