package dev.tapeless.runtime.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.OpCounter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The support code generated companions call, against expectations written out by hand: small
 * integer-valued arrays, so that every expected element is exact and compared bit for bit.
 */
class KernelsTest {

    // ---- broadcasting -------------------------------------------------------------------------

    @Test
    void broadcastShapeFollowsNumPy() {
        assertArrayEquals(shape(3, 4), Kernels.broadcastShape(shape(3, 4), shape(4), "add", "T.java:1"));
        assertArrayEquals(shape(3, 4), Kernels.broadcastShape(shape(3, 1), shape(1, 4), "add", "T.java:1"));
        assertArrayEquals(shape(3, 4), Kernels.broadcastShape(shape(3, 1), shape(4), "add", "T.java:1"));
        assertArrayEquals(shape(2, 3, 4), Kernels.broadcastShape(shape(2, 3, 4), shape(3, 1), "add", "T.java:1"));
        assertArrayEquals(shape(2, 3), Kernels.broadcastShape(shape(), shape(2, 3), "add", "T.java:1"));
        assertArrayEquals(shape(), Kernels.broadcastShape(shape(), shape(), "add", "T.java:1"));
    }

    @Test
    void shapesThatDoNotBroadcastNameTheSiteTheOpAndBothShapes() {
        assertMessage("T.java:7: mul: shapes [3, 4] and [2, 4] do not broadcast",
                () -> Kernels.broadcastShape(shape(3, 4), shape(2, 4), "mul", "T.java:7"));
        assertMessage("T.java:7: add: shapes [3, 4] and [3] do not broadcast",
                () -> Kernels.add(zeros(3, 4), zeros(3), "T.java:7"));
        assertMessage("T.java:8: div: data types DOUBLE and FLOAT differ; convert one with castTo",
                () -> Kernels.div(zeros(3), Nd4j.zeros(DataType.FLOAT, 3), "T.java:8"));
    }

    @Test
    void binaryOpsBroadcastWhereNd4jAloneWouldFail() {
        INDArray column = array(shape(3, 1), 1, 2, 3);
        INDArray row = array(shape(4), 10, 20, 30, 40);
        // ND4J throws on [3,1] + [4]; Kernels raises [4] to [1,4] first.
        assertExact(array(shape(3, 4), 11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43), Kernels.add(column, row, "s"));
        assertExact(array(shape(3, 4), 9, 19, 29, 39, 8, 18, 28, 38, 7, 17, 27, 37), Kernels.sub(row, column, "s"));
        assertExact(array(shape(3, 4), 10, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120), Kernels.mul(row, column, "s"));
        assertExact(array(shape(3, 4), 10, 20, 30, 40, 5, 10, 15, 20, 2.5, 5, 7.5, 10),
                Kernels.div(row, array(shape(3, 1), 1, 2, 4), "s"));
    }

    // ---- reductions and their dims ------------------------------------------------------------

    @Test
    void sumAndMeanOverDimsNegativeDimsAndKeptDims() {
        INDArray x = array(shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertExact(array(shape(3), 5, 7, 9), Kernels.sum(x, false, 0));
        assertExact(array(shape(2, 1), 6, 15), Kernels.sum(x, true, -1));
        assertExact(Nd4j.scalar(21.0), Kernels.sum(x, false));
        assertExact(array(shape(1, 1), 21), Kernels.sum(x, true));
        assertExact(array(shape(1, 1), 21), Kernels.sum(x, true, 1, 0));
        assertExact(array(shape(3), 2.5, 3.5, 4.5), Kernels.mean(x, false, -2));
        assertExact(array(shape(2, 1), 2, 5), Kernels.mean(x, true, 1));
        assertExact(Nd4j.scalar(3.5), Kernels.mean(x, false));
    }

    @Test
    void countIsTheNumberOfElementsEachReducedElementCombines() {
        INDArray x = zeros(2, 3, 4);
        assertEquals(24.0, Kernels.count(x));
        assertEquals(3.0, Kernels.count(x, 1));
        assertEquals(8.0, Kernels.count(x, 0, -1));
        assertEquals(12.0, Kernels.count(Layout.of(x), -1, -2));
        assertMessage("mean: dim 3 is out of range for shape [2, 3, 4]", () -> Kernels.count(x, 3));
        assertMessage("mean: dim -1 is repeated in [2, -1] for shape [2, 3, 4]", () -> Kernels.count(x, 2, -1));
    }

    @Test
    void normalizeSortsAndCountsNegativeDimsFromTheEnd() {
        assertArrayEquals(new int[] {0, 2}, Kernels.normalize(new int[] {-1, 0}, shape(2, 3, 4), "sum"));
        assertArrayEquals(new int[] {0, 1, 2}, Kernels.normalize(new int[] {2, -2, -3}, shape(2, 3, 4), "sum"));
        assertArrayEquals(new int[0], Kernels.normalize(new int[0], shape(2, 3), "sum"));
        assertMessage("sum: dim 2 is out of range for shape [3, 4]", () -> Kernels.normalize(new int[] {2}, shape(3, 4), "sum"));
        assertMessage("sum: dim -3 is out of range for shape [3, 4]", () -> Kernels.normalize(new int[] {-3}, shape(3, 4), "sum"));
        assertMessage("softmax: dim 0 is out of range for shape []", () -> Kernels.softmax(Nd4j.scalar(1.0), 0));
    }

    /** The tape rejects an axis named twice; so does Kernels, whichever way it is named, in the tape's words. */
    @Test
    void repeatedDimsAreRejectedWithTheTapesMessage() {
        INDArray x = zeros(3, 4);
        List<int[]> repeated = List.of(new int[] {1, 1}, new int[] {0, -2}, new int[] {-1, 1}, new int[] {0, 1, 0});
        for (int[] dims : repeated) {
            for (boolean keep : new boolean[] {false, true}) {
                String sum = message(() -> Kernels.sum(x, keep, dims));
                assertEquals(message(() -> Variable.constant(x).sum(keep, dims)), sum, Arrays.toString(dims));
                assertTrue(sum.startsWith("sum: dim ") && sum.contains(" is repeated in " + Arrays.toString(dims)), sum);
                assertEquals(message(() -> Variable.constant(x).mean(keep, dims)), message(() -> Kernels.mean(x, keep, dims)));
            }
            assertThrows(IllegalArgumentException.class, () -> Kernels.unreduce(zeros(3), x, false, dims));
            assertThrows(IllegalArgumentException.class, () -> Kernels.count(x, dims));
        }
        Tape.reset();
        assertMessage("sum: dim -2 is repeated in [0, -2] for shape [3, 4]", () -> Kernels.sum(x, false, 0, -2));
        // On rank 3, (0, -2) names two axes.
        assertExact(array(shape(4), 0, 0, 0, 0), Kernels.sum(zeros(2, 3, 4), false, 0, -2));
    }

    // ---- the reverse pass's shape computations ------------------------------------------------

    @Test
    void sumToSumsOverTheAxesALikeWasBroadcastAlong() {
        INDArray g = array(shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertExact(array(shape(4), 15, 18, 21, 24), Kernels.sumTo(g, zeros(4)));
        assertExact(array(shape(1, 4), 15, 18, 21, 24), Kernels.sumTo(g, zeros(1, 4)));
        assertExact(array(shape(3, 1), 10, 26, 42), Kernels.sumTo(g, zeros(3, 1)));
        assertExact(Nd4j.scalar(78.0), Kernels.sumTo(g, Nd4j.scalar(0.0)));
        assertExact(array(shape(1, 1), 78), Kernels.sumTo(g, zeros(1, 1)));
        INDArray g3 = Nd4j.linspace(1, 24, 24, DataType.DOUBLE).reshape(2, 3, 4);
        assertExact(array(shape(3, 1), 1 + 2 + 3 + 4 + 13 + 14 + 15 + 16, 5 + 6 + 7 + 8 + 17 + 18 + 19 + 20,
                9 + 10 + 11 + 12 + 21 + 22 + 23 + 24), Kernels.sumTo(g3, zeros(3, 1)));
        assertEquals(78.0, Kernels.sumToScalar(g));
        assertEquals(5.0, Kernels.sumToScalar(array(shape(1, 1), 5)));
    }

    @Test
    void sumToRunsNoOpWhereShapesAgreeOrOnlyAxesOfSizeOneDiffer() {
        INDArray g = array(shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertEquals(0, OpCounter.countOps(() -> assertSame(g, Kernels.sumTo(g, zeros(3, 4)))));
        assertEquals(0, OpCounter.countOps(() -> Kernels.sumTo(g, zeros(1, 3, 4))));
        assertExact(array(shape(1, 3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), Kernels.sumTo(g, zeros(1, 3, 4)));
        assertEquals(1, OpCounter.countOps(() -> Kernels.sumTo(g, zeros(4))));
    }

    @Test
    void unreduceSpreadsAnAdjointBackOverTheReducedAxes() {
        INDArray like = zeros(2, 3);
        assertExact(array(shape(2, 3), 1, 2, 3, 1, 2, 3), Kernels.unreduce(array(shape(3), 1, 2, 3), like, false, 0));
        assertExact(array(shape(2, 3), 1, 1, 1, 2, 2, 2), Kernels.unreduce(array(shape(2), 1, 2), like, false, -1));
        assertExact(array(shape(2, 3), 1, 1, 1, 2, 2, 2), Kernels.unreduce(array(shape(2, 1), 1, 2), like, true, 1));
        assertExact(array(shape(2, 3), 7, 7, 7, 7, 7, 7), Kernels.unreduce(Nd4j.scalar(7.0), like, false));
        assertExact(array(shape(2, 3), 7, 7, 7, 7, 7, 7), Kernels.unreduce(array(shape(1, 1), 7), like, true, 0, 1));
        assertExact(array(shape(2, 3), 7, 7, 7, 7, 7, 7), Kernels.unreduce(7.0, like, false, 0, 1));
        assertExact(array(shape(2, 3), 7, 7, 7, 7, 7, 7), Kernels.unreduce(7.0, Layout.of(like), true));
        INDArray same = array(shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertSame(same, Kernels.unreduce(same, like, true, new int[0]));
    }

    @Test
    void expandLikeBroadcastsAgainstAPartner() {
        assertExact(array(shape(3, 4), 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4),
                Kernels.expandLike(array(shape(4), 1, 2, 3, 4), zeros(3, 4)));
        assertExact(array(shape(3, 4), 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3),
                Kernels.expandLike(array(shape(3, 1), 1, 2, 3), zeros(1, 4)));
        assertExact(array(shape(2, 2), 5, 5, 5, 5), Kernels.expandLike(Nd4j.scalar(5.0), zeros(2, 2)));
        // The result may be larger than the partner: the shape of x op like.
        assertExact(array(shape(2, 2), 1, 2, 1, 2), Kernels.expandLike(array(shape(2, 2), 1, 2, 1, 2), zeros(2)));
        INDArray x = array(shape(2), 1, 2);
        assertSame(x, Kernels.expandLike(x, zeros(2)));
        assertMessage("adjoint: broadcast: shapes [3] and [2] do not broadcast", () -> Kernels.expandLike(zeros(3), zeros(2)));
    }

    @Test
    void expandAndReshapeCheckTheirTargets() {
        assertExact(array(shape(2, 3), 1, 2, 3, 1, 2, 3), Kernels.expand(array(shape(3), 1, 2, 3), "s", 2, 3));
        assertMessage("T.java:3: expand: cannot expand [2, 3] to [3]", () -> Kernels.expand(zeros(2, 3), "T.java:3", 3));
        assertMessage("T.java:3: expand: shapes [2] and [3] do not broadcast", () -> Kernels.expand(zeros(2), "T.java:3", 3));
        assertExact(array(shape(3, 2), 1, 2, 3, 4, 5, 6), Kernels.reshape(array(shape(2, 3), 1, 2, 3, 4, 5, 6), "s", -1, 2));
        assertMessage("T.java:4: reshape: cannot reshape [2, 3] (6 elements) to [4, -1]",
                () -> Kernels.reshape(zeros(2, 3), "T.java:4", 4, -1));
        assertMessage("T.java:4: reshape: cannot reshape [2, 3] (6 elements) to [-1, -1]",
                () -> Kernels.reshape(zeros(2, 3), "T.java:4", -1, -1));
    }

    @Test
    void reshapeLikeTakesTheShapeOfItsPartner() {
        INDArray g = array(shape(6), 1, 2, 3, 4, 5, 6);
        assertExact(array(shape(2, 3), 1, 2, 3, 4, 5, 6), Kernels.reshapeLike(g, zeros(2, 3)));
        assertExact(array(shape(3, 2), 1, 2, 3, 4, 5, 6), Kernels.reshapeLike(g, Layout.of(zeros(3, 2))));
        assertSame(g, Kernels.reshapeLike(g, zeros(6)));
        assertEquals(0, OpCounter.countOps(() -> Kernels.reshapeLike(g, zeros(2, 3))));
    }

    @Test
    void transposeReversesTheAxes() {
        assertExact(array(shape(3, 2), 1, 4, 2, 5, 3, 6), Kernels.transpose(array(shape(2, 3), 1, 2, 3, 4, 5, 6)).dup('c'));
        assertArrayEquals(shape(4, 3, 2), Kernels.transpose(zeros(2, 3, 4)).shape());
        INDArray v = zeros(3);
        assertSame(v, Kernels.transpose(v));
    }

    // ---- matrix products by rank ----------------------------------------------------------------

    private static final INDArray M23 = array(shape(2, 3), 1, 2, 3, 4, 5, 6);
    private static final INDArray M32 = array(shape(3, 2), 1, -1, 2, 0, -3, 2);
    private static final INDArray V3 = array(shape(3), 2, -1, 3);
    private static final INDArray W3 = array(shape(3), 1, 4, -2);

    @Test
    void mmulIsNumPysMatmulForRanksOneAndTwo() {
        assertExact(product(M23, M32), Kernels.mmul(M23, M32, "s"));
        assertExact(array(shape(2, 2), -4, 5, -4, 8), Kernels.mmul(M23, M32, "s"));
        assertExact(array(shape(2), 9, 21), Kernels.mmul(M23, V3, "s"));
        assertExact(array(shape(2), -9, 4), Kernels.mmul(V3, M32, "s"));
        assertExact(Nd4j.scalar(-8.0), Kernels.mmul(V3, W3, "s"));
        assertMessage("T.java:9: mmul: shapes [2, 3] and [2, 3] do not multiply (ranks 1 and 2, inner sizes equal)",
                () -> Kernels.mmul(M23, M23, "T.java:9"));
        assertMessage("T.java:9: mmul: shapes [] and [3] do not multiply (ranks 1 and 2, inner sizes equal)",
                () -> Kernels.mmul(Nd4j.scalar(1.0), V3, "T.java:9"));
        assertMessage("T.java:9: mmul: data types DOUBLE and FLOAT differ; convert one with castTo",
                () -> Kernels.mmul(M23, M32.castTo(DataType.FLOAT), "T.java:9"));
    }

    /** For y = a·b with upstream g: d_a = g·bᵀ and d_b = aᵀ·g, vectors read as a row (left) or a column (right). */
    @Test
    void mmulGradientsByRank() {
        INDArray g22 = array(shape(2, 2), 1, -2, 3, 5);
        assertExact(product(g22, M32.transpose()), Kernels.mmulGradLeft(g22, M23, M32));
        assertExact(product(M23.transpose(), g22), Kernels.mmulGradRight(g22, M23, M32));

        INDArray g2 = array(shape(2), 3, -1); // [2,3]·[3] = [2]
        assertExact(array(shape(2, 3), 6, -3, 9, -2, 1, -3), Kernels.mmulGradLeft(g2, M23, V3));
        assertExact(array(shape(3), -1, 1, 3), Kernels.mmulGradRight(g2, M23, V3));

        INDArray g2b = array(shape(2), 2, 1); // [3]·[3,2] = [2]
        assertExact(array(shape(3), 1, 4, -4), Kernels.mmulGradLeft(g2b, V3, M32));
        assertExact(array(shape(3, 2), 4, 2, -2, -1, 6, 3), Kernels.mmulGradRight(g2b, V3, M32));

        INDArray g0 = Nd4j.scalar(-2.0); // [3]·[3] = []
        assertExact(array(shape(3), -2, -8, 4), Kernels.mmulGradLeft(g0, V3, W3));
        assertExact(array(shape(3), -4, 2, -6), Kernels.mmulGradRight(g0, V3, W3));
    }

    /** A number as the upstream: that number broadcast over the product's shape. */
    @Test
    void mmulGradientsOfANumberAreThoseOfTheNumberBroadcast() {
        assertExact(Kernels.mmulGradLeft(Nd4j.valueArrayOf(shape(2, 2), 3.0, DataType.DOUBLE), M23, M32),
                Kernels.mmulGradLeft(3.0, M23, M32));
        assertExact(Kernels.mmulGradRight(Nd4j.valueArrayOf(shape(2), 3.0, DataType.DOUBLE), M23, V3),
                Kernels.mmulGradRight(3.0, M23, V3));
        assertExact(Kernels.mmulGradLeft(Nd4j.scalar(3.0), V3, W3), Kernels.mmulGradLeft(3.0, V3, W3));
        // A one-element product of a row and a column: g times the other operand, in one op.
        INDArray row = array(shape(1, 3), 2, -1, 3);
        INDArray column = array(shape(3, 1), 1, 4, -2);
        assertExact(array(shape(1, 3), 3, 12, -6), Kernels.mmulGradLeft(3.0, row, column));
        assertExact(array(shape(3, 1), 6, -3, 9), Kernels.mmulGradRight(3.0, row, column));
        assertEquals(1, OpCounter.countOps(() -> Kernels.mmulGradLeft(3.0, row, column)));
    }

    // ---- softmax at large logits ----------------------------------------------------------------

    /** The reproducer: ND4J's log-softmax gives -∞ here; the answer is finite. */
    @Test
    void logSoftmaxOfFarApartLogitsIsFinite() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray x = array(shape(1, 2), 0, 800).castTo(type);
            assertExact(array(shape(1, 2), -800, 0).castTo(type), Kernels.logSoftmax(x, -1));
            assertExact(array(shape(1, 2), -800, 0).castTo(type), Kernels.logSoftmax(x, 1));
            assertExact(array(shape(1, 2), 0, 1).castTo(type), Kernels.softmax(x, 1));
            assertExact(array(shape(1, 2), 0, 0).castTo(type), Kernels.logSoftmax(x, 0));
        }
    }

    /**
     * Softmax and log-softmax against a plain-Java reference (max-shifted, in double) at logits up
     * to ±1e4, on every axis of ranks 1 to 3, negative axes included, in both data types; and
     * against the tape.
     */
    @Test
    void softmaxAndLogSoftmaxAreStableOnEveryAxisAndBothTypes() {
        java.util.Random rng = new java.util.Random(8);
        // Axes of size 1 included: ND4J's own softmax does not shift there (NaN from [[1e4]]).
        for (long[] s : List.of(shape(5), shape(3, 4), shape(2, 3, 4), shape(1), shape(1, 1), shape(1, 4), shape(4, 1),
                shape(1, 1, 1), shape(2, 1, 3))) {
            for (double scale : new double[] {1, 1e3, 1e4}) {
                double[] data = new double[(int) length(s)];
                for (int i = 0; i < data.length; i++) data[i] = scale * (2 * rng.nextDouble() - 1);
                data[0] = scale; // the largest and the smallest in one slice
                data[data.length - 1] = -scale;
                for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                    INDArray x = Nd4j.create(data, s).castTo(type);
                    double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
                    for (int dim = -s.length; dim < s.length; dim++) {
                        String at = Arrays.toString(s) + " " + type + " scale " + scale + " dim " + dim;
                        INDArray soft = Kernels.softmax(x, dim);
                        INDArray logSoft = Kernels.logSoftmax(x, dim);
                        assertEquals(type, soft.dataType(), at);
                        assertEquals(type, logSoft.dataType(), at);
                        assertClose(referenceLogSoftmax(x, dim, false), soft, tol, "softmax " + at);
                        assertClose(referenceLogSoftmax(x, dim, true), logSoft, tol * Math.max(1, scale), "logSoftmax " + at);
                        Tape.reset();
                        assertClose(Variable.constant(x).softmax(dim).value(), soft, tol, "softmax vs tape " + at);
                        assertClose(Variable.constant(x).logSoftmax(dim).value(), logSoft, tol * Math.max(1, scale),
                                "logSoftmax vs tape " + at);
                        Tape.reset();
                    }
                }
            }
        }
    }

    /** The generated code declares these counts (processor's Emitter): three ops for softmax, four for log-softmax. */
    @Test
    void softmaxRunsThreeOpsAndLogSoftmaxFourOnEveryAxis() {
        INDArray x = Nd4j.linspace(-3, 3, 24, DataType.DOUBLE).reshape(2, 3, 4);
        for (int dim = -3; dim < 3; dim++) {
            int d = dim;
            assertEquals(3, OpCounter.countOps(() -> Kernels.softmax(x, d)), "softmax dim " + dim);
            assertEquals(4, OpCounter.countOps(() -> Kernels.logSoftmax(x, d)), "logSoftmax dim " + dim);
        }
    }

    @Test
    void logSoftmaxLeavesItsArgumentAlone() {
        INDArray x = array(shape(2, 2), 1, 2, 3, 4);
        INDArray before = x.dup();
        INDArray y = Kernels.logSoftmax(x, 0);
        assertExact(before, x);
        y.assign(0);
        assertExact(before, x);
    }

    // ---- results and temporaries --------------------------------------------------------------

    @Test
    void distinctCopiesOnlyWhatSharesABuffer() {
        INDArray a = array(shape(2, 3), 1, 2, 3, 4, 5, 6);
        INDArray other = array(shape(2), 1, 2);
        assertSame(a, Kernels.distinct(a, other, null));

        INDArray view = a.reshape(3, 2);
        INDArray copy = Kernels.distinct(view, other, a);
        assertNotSame(view, copy);
        assertExact(array(shape(3, 2), 1, 2, 3, 4, 5, 6), copy);
        copy.assign(0);
        assertExact(array(shape(2, 3), 1, 2, 3, 4, 5, 6), a);

        INDArray transposed = Kernels.distinct(a.transpose(), a); // not c-ordered: ND4J's dup
        assertExact(array(shape(3, 2), 1, 4, 2, 5, 3, 6), transposed.dup('c'));
        transposed.assign(0);
        assertExact(array(shape(2, 3), 1, 2, 3, 4, 5, 6), a);

        assertNotSame(a, Kernels.distinct(a, a));
    }

    @Test
    void releaseClosesFreshArraysAndSkipsTheRest() {
        INDArray fresh = array(shape(2), 1, 2);
        Kernels.release(fresh, null);
        assertTrue(fresh.wasClosed());
        Kernels.release(fresh); // twice: no error
        assertTrue(fresh.wasClosed());
    }

    @Test
    void filledAndZerosTakeTheShapeAndTypeOfTheirPartner() {
        INDArray like = Nd4j.zeros(DataType.FLOAT, 2, 3);
        assertExact(Nd4j.valueArrayOf(shape(2, 3), 2.5, DataType.FLOAT), Kernels.filled(2.5, like));
        assertExact(Nd4j.zeros(DataType.FLOAT, 2, 3), Kernels.zerosLike(Nd4j.ones(DataType.FLOAT, 2, 3)));
        assertExact(Nd4j.scalar(DataType.DOUBLE, 0.0), Kernels.zerosLike(Layout.of(Nd4j.scalar(4.0))));
    }

    // ---- argument checks ----------------------------------------------------------------------

    @Test
    void argumentChecksNameWhatIsWrong() {
        assertMessage("argument 'x' is null", () -> Kernels.requireArgument(null, "x"));
        assertMessage("a gradient needs a scalar result, but the value has shape [2, 3]; use fVjp(...).pullback(upstream)"
                + " for a vector-Jacobian product", () -> Kernels.requireScalar(zeros(2, 3), "fVjp"));
        Kernels.requireScalar(zeros(1, 1), "fVjp");
        assertMessage("upstream must have the value's shape [2] and type DOUBLE, got [2] FLOAT",
                () -> Kernels.requireSameShape(Nd4j.zeros(DataType.FLOAT, 2), zeros(2), "upstream"));
        assertMessage("upstream must have the value's shape [2] and type DOUBLE, got [3] DOUBLE",
                () -> Kernels.requireSameShape(zeros(3), zeros(2), "upstream"));
        assertMessage("argument 'upstream' is null", () -> Kernels.requireSameShape(null, zeros(2), "upstream"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static long[] shape(long... s) {
        return s;
    }

    private static long length(long[] s) {
        long n = 1;
        for (long d : s) n *= d;
        return n;
    }

    private static INDArray array(long[] shape, double... values) {
        return Nd4j.create(values, shape);
    }

    private static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.DOUBLE, shape);
    }

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, message(call));
    }

    /** Same shape, same data type, and every element the same bits. */
    private static void assertExact(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertEquals(expected.dataType(), actual.dataType(), "data type");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < expected.length(); i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                throw new AssertionError("element " + i + ": expected " + e[i] + " but was " + a[i]
                        + "\nexpected " + expected + "\nactual   " + actual);
            }
        }
    }

    /** Same shape, every element finite and within {@code tol} of the reference, absolutely. */
    private static void assertClose(INDArray expected, INDArray actual, double tol, String at) {
        assertArrayEquals(expected.shape(), actual.shape(), at);
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < expected.length(); i++) {
            int k = i;
            assertTrue(Double.isFinite(a[i]) && Math.abs(a[i] - e[i]) <= tol,
                    () -> at + ": element " + k + " is " + a[k] + ", expected " + e[k]);
        }
    }

    /** The plain matrix product, in Java. */
    private static INDArray product(INDArray a, INDArray b) {
        int m = (int) a.size(0);
        int k = (int) a.size(1);
        int n = (int) b.size(1);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) s += a.getDouble(i, l) * b.getDouble(l, j);
                out[i * n + j] = s;
            }
        }
        return Nd4j.create(out, new long[] {m, n});
    }

    /** Softmax (or its log) along {@code dim}, in double, shifted by each slice's maximum. */
    private static INDArray referenceLogSoftmax(INDArray x, int dim, boolean log) {
        long[] s = x.shape();
        int d = dim < 0 ? dim + s.length : dim;
        double[] v = x.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] out = new double[v.length];
        long inner = 1;
        for (int i = d + 1; i < s.length; i++) inner *= s[i];
        long size = s[d];
        for (int base = 0; base < v.length; base++) {
            if ((base / inner) % size != 0) continue; // the first element of a slice along d
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) max = Math.max(max, v[(int) (base + j * inner)]);
            double sum = 0;
            for (int j = 0; j < size; j++) sum += Math.exp(v[(int) (base + j * inner)] - max);
            for (int j = 0; j < size; j++) {
                int i = (int) (base + j * inner);
                out[i] = log ? v[i] - max - Math.log(sum) : Math.exp(v[i] - max) / sum;
            }
        }
        return Nd4j.create(out, s);
    }
}
