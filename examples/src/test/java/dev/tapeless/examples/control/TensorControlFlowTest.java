package dev.tapeless.examples.control;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.examples.control.TensorCheck.Result;
import dev.tapeless.runtime.Tape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Control flow in tensor methods ({@link TensorControlFlow}): each method on the paths that matter
 * (each side of a branch; loops run 0 times, once, and many times; break, continue and an early
 * return taken and not taken), each call checked by {@link TensorCheck#verify}: forward values equal
 * to the tape's, gradient and pullback against {@code Tape.grad} and central finite differences.
 */
class TensorControlFlowTest {
    private final Random rng = new Random(17);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    private INDArray matrix(long rows, long cols) {
        return TensorCheck.uniform(rng, -1, 1, rows, cols);
    }

    private Result verify(String method, Object... args) {
        return TensorCheck.verify(rng, method, args);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void ifElseDifferentiatesTheSideTaken(boolean smooth) {
        INDArray x = matrix(3, 4);
        INDArray y = matrix(3, 4);
        Result r = verify("choose", x, y, smooth);
        // The other side's value would differ: the branch is really taken at run time.
        Tape.reset();
        INDArray other = TensorControlFlowDerivatives.choose(x, y, !smooth);
        assertNotEquals(r.value().getDouble(0), other.getDouble(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7})
    void elseIfChainTakesEachBranchAndTheFallThrough(int mode) {
        verify("chain", matrix(2, 3), matrix(2, 3), mode);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void ifWithoutElseReassignsAVariableOnOnePath(boolean squash) {
        verify("maybeSquash", matrix(3, 2), squash);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5})
    void returnsOnBothSidesOfAnIf(int n) {
        verify("returnFromBoth", matrix(2, 4), matrix(2, 4), n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void aProductCarriedThroughAForLoopRunZeroOnceAndManyTimes(int n) {
        INDArray x = matrix(2, 3);
        Result r = verify("power", x, n);
        // d/dx sum(x^n) = n x^(n-1): 1 when the loop never runs.
        INDArray expected = x.dup().muli(0).addi(1);
        for (int i = 1; i < n; i++) expected.muli(x);
        expected.muli(n);
        assertTrue(dev.tapeless.runtime.check.FiniteDifferences.maxRelDiff(r.gradient().get(0), expected) < 1e-12,
                r.gradient().get(0) + " vs " + expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void twoVariablesCarriedThroughAWhileLoop(int n) {
        INDArray a = matrix(2, 3);
        INDArray b = matrix(2, 3);
        Result r = verify("twoCarried", a, b, matrix(2, 3), n);
        if (n == 0) {
            // No trip: d sum(a b)/da = b, d/db = a, and w gets zeros of its shape.
            assertExact(b, r.gradient().get(0));
            assertExact(a, r.gradient().get(1));
            assertEquals(0.0, r.gradient().get(2).sumNumber().doubleValue());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void aDoWhileRunsItsBodyAtLeastOnce(int n) {
        Result r = verify("atLeastOnce", matrix(3, 3), matrix(3, 3), n);
        // w is read in the body, which always runs: its gradient is not zero.
        assertTrue(r.gradient().get(1).norm2Number().doubleValue() > 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6})
    void aCounterDecrementedInTheCondition(int n) {
        verify("countDown", matrix(2, 2), n);
    }

    @ParameterizedTest
    @CsvSource({"4, 0", "4, 1", "4, 3", "4, 9", "0, 2"})
    void breakStopsTheLoopAtItsTrip(int n, int stop) {
        INDArray x = matrix(2, 3);
        INDArray y = matrix(2, 3);
        verify("stopAt", x, y, n, stop);
        if (stop >= n) {
            // Never taken: the same as running to n without the break.
            Tape.reset();
            assertExact(TensorControlFlowDerivatives.stopAt(x, y, n, n), TensorControlFlowDerivatives.stopAt(x, y, n, stop));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5})
    void continueSkipsEveryOtherTrip(int n) {
        INDArray x = matrix(2, 3);
        INDArray y = matrix(2, 3);
        verify("oddTripsOnly", x, y, n);
        if (n == 1) {
            // The only trip is skipped: the value is sum(y*y), as with no trip at all.
            assertExact(TensorControlFlowDerivatives.oddTripsOnly(x, y, 0), TensorControlFlowDerivatives.oddTripsOnly(x, y, 1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 6})
    void anIfElseInsideALoopOnTheCounter(int n) {
        verify("alternate", matrix(3, 2), matrix(3, 2), n);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4})
    void nestedLoopsWithSlicesByBothCounters(int n) {
        verify("nested", matrix(4, 3), matrix(4, 3), n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void sliceByTheLoopCounter(int n) {
        INDArray x = matrix(5, 3);
        INDArray w = matrix(5, 3);
        Result r = verify("weightedRows", x, w, n);
        // Rows from n on are never read: their gradient is exactly zero.
        for (int row = n; row < 5; row++) {
            assertEquals(0.0, r.gradient().get(0).getRow(row).norm1Number().doubleValue());
            assertEquals(0.0, r.gradient().get(1).getRow(row).norm1Number().doubleValue());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void aRecurrenceWithANonScalarResultPullsBackThroughTheLoop(int n) {
        verify("recurrence", matrix(5, 3), matrix(3, 4), matrix(4, 4), n);
    }

    @ParameterizedTest
    @CsvSource({"0, true", "1, false", "3, true", "3, false"})
    void aLoopBoundFromAParameterWithADataConditionInside(int n, boolean flip) {
        verify("boundAndFlag", matrix(2, 2), matrix(2, 2), n, flip);
    }

    @Test
    void aVjpKeepsItsOwnTripsSoTwoVjpsOfDifferentLengthsPullBackIndependently() {
        INDArray xs = matrix(5, 3);
        INDArray w = matrix(3, 4);
        INDArray u = matrix(4, 4);
        var shortRun = TensorControlFlowDerivatives.recurrenceVjp(xs, w, u, 2);
        var longRun = TensorControlFlowDerivatives.recurrenceVjp(xs, w, u, 5);
        INDArray upstream = Nd4j.ones(DataType.DOUBLE, 4);
        var longFirst = longRun.pullback(upstream);
        var shortThen = shortRun.pullback(upstream);
        var shortAlone = TensorControlFlowDerivatives.recurrenceVjp(xs, w, u, 2).pullback(upstream);
        assertExact(shortAlone.u(), shortThen.u());
        assertExact(shortAlone.xs(), shortThen.xs());
        assertNotEquals(longFirst.u().getDouble(0, 0), shortThen.u().getDouble(0, 0));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aVjpOfOneSideKeepsNothingOfTheOther(boolean b) {
        verify("returnsOnEitherSide", matrix(2, 3), b);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5})
    void anEarlyReturnFromALoopDifferentiatesTheValueReturned(int n) {
        verify("returnFromLoop", matrix(2, 3), matrix(2, 3), n);
    }

    @Test
    void aLoopThatReturnsButNeverRuns() {
        verify("returnFromALoopThatNeverRuns", matrix(2, 3));
    }
}
