package dev.tapeless.examples.fused;

import static dev.tapeless.examples.fused.Companions.call;
import static dev.tapeless.examples.fused.Companions.components;
import static dev.tapeless.examples.fused.Companions.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import dev.tapeless.runtime.support.OpCount;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Matrix loops ({@link Layers}): where the arguments fit ({@code Matrices.fit}: DOUBLE, row-major,
 * contiguous, rank 2 at most) and their shapes multiply and broadcast, the generated code runs Java
 * loops and one ND4J op per matrix product; its results agree with the ND4J path, the tape and
 * finite differences (GradientCheck runs both paths). Elsewhere (column-major, strided views, views
 * at an offset, FLOAT, mixed data types) the ND4J path runs, and shapes that do not fit fail as
 * there.
 */
class MatrixLoopsTest {
    private final Random rng = new Random(11);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    /** Uniform in ±[lo, hi] (away from relu's kink at 0). */
    private INDArray uniform(double lo, double hi, long... shape) {
        return Companions.signedUniform(rng, lo, hi, shape);
    }

    private INDArray oneHot(long rows, long classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) y.putScalar(i, rng.nextInt((int) classes), 1.0);
        return y;
    }

    /** A method of Layers at a point: its differentiated arguments, then its data. */
    private record Point(String method, List<INDArray> differentiated, List<INDArray> data) {
        Object[] args(List<?> first) {
            List<Object> all = new ArrayList<>(first);
            all.addAll(data);
            return all.toArray();
        }
    }

    private List<Point> points(long n) {
        return List.of(
                new Point("dense", List.of(uniform(0.1, 1, 3, 4), uniform(0.1, 1, 4)), List.of(uniform(0.1, 1, n, 3), uniform(0.1, 1, n, 4))),
                new Point("weightedCrossEntropy", List.of(uniform(0.1, 1, 6, 5), uniform(0.1, 1, 5), uniform(0.1, 1, 5, 3),
                        uniform(0.1, 1, n, 1)), List.of(uniform(0.1, 1, n, 6), oneHot(n, 3))),
                new Point("broadcasts", List.of(uniform(0.1, 1, n, 4), uniform(0.1, 1, 4), uniform(0.1, 1, n, 1),
                        Nd4j.scalar(0.7)), List.of()),
                new Point("broadcasts", List.of(uniform(0.1, 1, n, 4), uniform(0.1, 1, 1, 4), uniform(0.1, 1, n, 1),
                        uniform(0.1, 1, 1, 1)), List.of()),
                new Point("reductions", List.of(uniform(0.1, 1, n, 4), uniform(0.1, 1, n, 4)), List.of()),
                new Point("reductions", List.of(uniform(0.1, 1, n, 4), uniform(0.1, 1, 4)), List.of()),
                new Point("products", List.of(uniform(0.1, 1, n, 3), uniform(0.1, 1, 3, 4), uniform(0.1, 1, 4, 2)), List.of()),
                new Point("vectors", List.of(uniform(0.1, 1, 3), uniform(0.1, 1, 3, 4), uniform(0.1, 1, 4, 2)), List.of(uniform(0.1, 1, n, 3))));
    }

    private static List<INDArray> gradient(Point p, List<INDArray> differentiated) {
        return components(call(method(LayersDerivatives.class, p.method() + "Gradient", false), p.args(differentiated)));
    }

    private static OpCount ops(String method) {
        try {
            return ((dev.tapeless.runtime.support.OpCounts) LayersDerivatives.class
                    .getField(method.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase() + "_OPS").get(null)).gradient();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private GradientCheck.Report check(Point p) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.differentiated().size(); i++) names.add("arg" + i);
        Method source = method(Layers.class, p.method(), false);
        return GradientCheck.of(v -> (Variable) call(source, p.args(v)), x -> gradient(p, x), names, p.differentiated());
    }

    @Test
    void everyMethodAgreesWithTheTapeAndFiniteDifferencesOnBothPaths() {
        for (long n : new long[] {1, 5}) {
            for (Point p : points(n)) {
                GradientCheck.Report r = check(p);
                assertTrue(r.worst() <= 1e-6, p.method() + " at n = " + n + "\n" + r);
            }
        }
    }

    @Test
    void theMatrixPathRunsOneNd4jOpPerMatrixProductAndNoOther() {
        for (Point p : points(5)) {
            OpCount declared = ops(p.method());
            assertTrue(declared.matrixLoops() > 0, p.method() + ": " + declared);
            long matrix = OpCounter.countOps(() -> gradient(p, p.differentiated()));
            long nd4j = OpCounter.countOps(() -> Dense.withoutFusedLoops(() -> gradient(p, p.differentiated())));
            assertEquals(declared.matrixProducts(), matrix, p.method() + ": ND4J ops on the matrix path (" + declared + ")");
            assertTrue(nd4j >= declared.fewest() && nd4j <= declared.most(), p.method() + ": " + nd4j + " ops on the ND4J path, " + declared);
        }
    }

    /** Arguments the loops cannot read as they are: the ND4J path runs, with the same answers. */
    @Test
    void argumentsThatDoNotFitTakeTheNd4jPath() {
        Point p = points(5).get(0); // dense: w [3, 4], b [4], x [5, 3], y [5, 4]
        INDArray w = p.differentiated().get(0);
        INDArray b = p.differentiated().get(1);
        List<INDArray> expected = Dense.withoutFusedLoops(() -> gradient(p, List.of(w, b)));
        long nd4jOps = OpCounter.countOps(() -> Dense.withoutFusedLoops(() -> gradient(p, List.of(w, b))));
        INDArray wide = Nd4j.zeros(DataType.DOUBLE, 3, 8);
        wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)).assign(w); // every other column
        INDArray tall = Nd4j.zeros(DataType.DOUBLE, 4, 4);
        tall.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all()).assign(w); // rows 1-3: a view at an offset
        List<INDArray> misfits = List.of(w.dup('f'), wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)),
                tall.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all()));
        for (INDArray odd : misfits) {
            List<INDArray> got = gradient(p, List.of(odd, b));
            long ops = OpCounter.countOps(() -> gradient(p, List.of(odd, b)));
            assertEquals(nd4jOps, ops, "the ND4J path for w of strides " + Arrays.toString(odd.stride()) + ", offset " + odd.offset());
            for (int k = 0; k < expected.size(); k++) {
                assertTrue(FiniteDifferences.maxRelDiff(expected.get(k), got.get(k)) <= 1e-12, "component " + k);
            }
        }
        // FLOAT: the ND4J path, which rounds every op to float as the tape does.
        Point f = new Point("dense", List.of(w.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT)),
                List.of(p.data().get(0).castTo(DataType.FLOAT), p.data().get(1).castTo(DataType.FLOAT)));
        assertEquals(nd4jOps, OpCounter.countOps(() -> gradient(f, f.differentiated())));
        assertEquals(DataType.FLOAT, gradient(f, f.differentiated()).get(1).dataType());
        // Mixed data types: the ND4J path, and its error.
        assertThrows(IllegalArgumentException.class, () -> gradient(p, List.of(w.castTo(DataType.FLOAT), b)));
    }

    @Test
    void shapesThatDoNotMultiplyOrBroadcastFailAsOnTheNd4jPath() {
        Point p = points(5).get(0);
        INDArray w = p.differentiated().get(0);
        for (INDArray b : List.of(uniform(0.1, 1, 3), uniform(0.1, 1, 2, 4))) {
            IllegalArgumentException loops = assertThrows(IllegalArgumentException.class, () -> gradient(p, List.of(w, b)));
            IllegalArgumentException nd4j = assertThrows(IllegalArgumentException.class,
                    () -> Dense.withoutFusedLoops(() -> gradient(p, List.of(w, b))));
            assertEquals(nd4j.getMessage(), loops.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gradient(p, List.of(uniform(0.1, 1, 2, 4), p.differentiated().get(1))));
        assertTrue(e.getMessage().contains("mmul") && e.getMessage().contains("[5, 3]"), e.getMessage());
    }

    @Test
    void previousArraysAreWrittenWhereTheyFitAndReplacedWhereTheyDoNot() {
        INDArray w = uniform(0.1, 1, 3, 4);
        INDArray b = uniform(0.1, 1, 4);
        INDArray x = uniform(0.1, 1, 5, 3);
        INDArray y = uniform(0.1, 1, 5, 4);
        var fresh = LayersDerivatives.denseGradient(w, b, x, y);
        var first = LayersDerivatives.denseGradient(w.add(1), b, x, y);
        var reused = LayersDerivatives.denseGradient(w, b, x, y, first);
        assertSame(first.w(), reused.w());
        assertSame(first.b(), reused.b());
        assertSame(first.value(), reused.value());
        assertEquals(LayersDerivatives.DENSE_OPS.gradient().matrixProducts(),
                OpCounter.countOps(() -> LayersDerivatives.denseGradient(w, b, x, y, reused)), "x·w and xᵀ·g, nothing else");
        for (int k = 0; k < 3; k++) {
            assertTrue(FiniteDifferences.maxRelDiff(components(fresh).get(k), components(reused).get(k)) <= 1e-15, "component " + k);
        }
        // FLOAT or wrongly shaped earlier arrays: new ones, with the same values.
        var floats = new LayersDerivatives.DenseGradient(Nd4j.scalar(DataType.FLOAT, 0f), Nd4j.zeros(DataType.FLOAT, 3, 4),
                Nd4j.zeros(DataType.FLOAT, 4));
        var wrongShape = new LayersDerivatives.DenseGradient(Nd4j.scalar(0.0), Nd4j.zeros(DataType.DOUBLE, 4, 3),
                Nd4j.zeros(DataType.DOUBLE, 1, 4));
        for (var previous : List.of(floats, wrongShape)) {
            var got = LayersDerivatives.denseGradient(w, b, x, y, previous);
            assertNotSame(previous.w(), got.w());
            for (int k = 0; k < 3; k++) {
                assertTrue(FiniteDifferences.maxRelDiff(components(fresh).get(k), components(got).get(k)) <= 1e-15, "component " + k);
            }
        }
        var argument = new LayersDerivatives.DenseGradient(Nd4j.scalar(0.0), w, Nd4j.zeros(DataType.DOUBLE, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayersDerivatives.denseGradient(w, b, x, y, argument));
        assertTrue(e.getMessage().contains("previous.w()") && e.getMessage().contains("'w'"), e.getMessage());
    }

    /** The buffers are per thread and follow the shapes: threads and batch sizes mixed give each call its own answer. */
    @Test
    void buffersArePerThreadAndFollowTheShapes() throws Exception {
        List<Point> points = new ArrayList<>();
        List<List<INDArray>> expected = new ArrayList<>();
        for (long n : new long[] {7, 2, 7, 1, 4, 7}) {
            Point p = points(n).get(1); // weightedCrossEntropy
            points.add(p);
            expected.add(Dense.withoutFusedLoops(() -> gradient(p, p.differentiated())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    for (int r = 0; r < 60; r++) {
                        int k = (r + offset) % points.size();
                        List<INDArray> got = gradient(points.get(k), points.get(k).differentiated());
                        for (int c = 0; c < got.size(); c++) {
                            double d = FiniteDifferences.maxRelDiff(expected.get(k).get(c), got.get(c));
                            if (!(d <= 1e-12)) throw new AssertionError("call " + r + ", point " + k + ", component " + c + ": " + d);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) f.get();
        } finally {
            pool.shutdown();
        }
    }

    /** Large and tiny magnitudes: the same answers as the ND4J path, and log-softmax finite far from 0. */
    @Test
    void largeAndTinyMagnitudesAgreeWithTheNd4jPath() {
        for (double scale : new double[] {1e-150, 1e-8, 1e8, 1e150}) {
            INDArray w = uniform(0.5, 1, 3, 4).muli(scale);
            INDArray b = uniform(0.5, 1, 4).muli(scale);
            INDArray x = uniform(0.5, 1, 5, 3);
            INDArray loops = LayersDerivatives.logits(w, b, x);
            INDArray nd4j = Dense.withoutFusedLoops(() -> LayersDerivatives.logits(w, b, x));
            assertTrue(FiniteDifferences.maxRelDiff(nd4j, loops) <= 1e-12, "scale " + scale + "\n" + loops + "\n" + nd4j);
            for (double v : loops.data().asDouble()) assertTrue(Double.isFinite(v), "scale " + scale + ": " + loops);
            Point p = new Point("products", List.of(uniform(0.5, 1, 4, 3).muli(scale), uniform(0.5, 1, 3, 4), uniform(0.5, 1, 4, 2)),
                    List.of());
            List<INDArray> a = gradient(p, p.differentiated());
            List<INDArray> c = Dense.withoutFusedLoops(() -> gradient(p, p.differentiated()));
            for (int k = 0; k < a.size(); k++) {
                assertTrue(FiniteDifferences.maxRelDiff(c.get(k), a.get(k)) <= 1e-12, "scale " + scale + ", component " + k);
            }
        }
    }
}
