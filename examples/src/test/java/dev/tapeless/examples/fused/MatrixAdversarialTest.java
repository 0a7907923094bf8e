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
import dev.tapeless.runtime.support.OpCounts;
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
 * Adversarial cases for the matrix loops ({@link MatrixAdversarial}): each compared, on the
 * default path and on the ND4J path ({@link Dense#withoutFusedLoops}), with the other path, the
 * tape and finite differences; where the shapes are meant to take the matrix path, that it does
 * (no ND4J op but one per matrix product). Shapes broadcast on purpose: arguments of one shape take
 * the fused loops instead.
 */
class MatrixAdversarialTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private final Random rng = new Random(17);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Uniform in ±[0.1, 1] (away from the kinks of relu and abs at 0), row-major DOUBLE. */
    private INDArray u(long... shape) {
        return Companions.signedUniform(rng, 0.1, 1, shape);
    }

    private static INDArray of(long[] shape, double... data) {
        return Nd4j.createFromArray(data).reshape('c', shape);
    }

    private static long[] shape(long... s) {
        return s;
    }

    // ---- calling the companion ------------------------------------------------------------------

    private static OpCount gradientOps(String method) {
        try {
            return ((OpCounts) MatrixAdversarialDerivatives.class
                    .getField(method.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase() + "_OPS").get(null)).gradient();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A method at a point: its differentiated arguments, then its data; whether the matrix path must run there. */
    private record Point(String method, List<INDArray> differentiated, List<INDArray> data, boolean matrixPath) {
        Object[] args(List<?> first) {
            List<Object> all = new ArrayList<>(first);
            all.addAll(data);
            return all.toArray();
        }

        Object[] args() {
            return args(differentiated);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(method).append('(');
            for (INDArray a : differentiated) s.append(Arrays.toString(a.shape())).append(' ');
            for (INDArray a : data) s.append("data ").append(Arrays.toString(a.shape())).append(' ');
            return s.append(')').toString();
        }
    }

    private static Point matrix(String method, INDArray... differentiated) {
        return new Point(method, List.of(differentiated), List.of(), true);
    }

    private static Point nd4j(String method, INDArray... differentiated) {
        return new Point(method, List.of(differentiated), List.of(), false);
    }

    private static Point withData(Point p, boolean matrixPath, INDArray... data) {
        return new Point(p.method(), p.differentiated(), List.of(data), matrixPath);
    }

    private static List<INDArray> gradient(Point p, List<INDArray> differentiated) {
        return components(call(method(MatrixAdversarialDerivatives.class, p.method() + "Gradient", false), p.args(differentiated)));
    }

    private static List<INDArray> gradient(Point p) {
        return gradient(p, p.differentiated());
    }

    private static INDArray forward(Point p) {
        return (INDArray) call(method(MatrixAdversarialDerivatives.class, p.method(), false), p.args());
    }

    private GradientCheck.Report check(Point p) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.differentiated().size(); i++) names.add("arg" + i);
        Method source = method(MatrixAdversarial.class, p.method(), false);
        return GradientCheck.of(v -> (Variable) call(source, p.args(v)), x -> gradient(p, x), names, p.differentiated());
    }

    /**
     * Whether the matrix path ran: no ND4J op but the declared matrix products (the fused loops run
     * none either, but need every argument of one shape, which these points avoid).
     */
    private static boolean tookMatrixPath(Point p) {
        OpCount declared = gradientOps(p.method());
        return declared.matrixLoops() > 0 && OpCounter.countOps(() -> gradient(p)) == declared.matrixProducts();
    }

    // ---- comparisons ----------------------------------------------------------------------------

    /**
     * Both NaN at the same elements, the same infinities, and elsewhere within {@code tolerance}
     * of {@code expected}, relative to {@code max(|expected|, floor)}; null when they agree, else
     * what differs.
     */
    private static String disagreement(INDArray got, INDArray expected, double tolerance, double floor) {
        if (!Arrays.equals(got.shape(), expected.shape())) {
            return "shape " + Arrays.toString(got.shape()) + " vs " + Arrays.toString(expected.shape());
        }
        double[] a = got.dup('c').data().asDouble();
        double[] b = expected.dup('c').data().asDouble();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
                if (Double.isNaN(a[i]) != Double.isNaN(b[i])) return "element " + i + ": " + a[i] + " vs " + b[i];
                continue;
            }
            if (a[i] == b[i]) continue;
            if (Double.isInfinite(a[i]) || Double.isInfinite(b[i])
                    || Math.abs(a[i] - b[i]) > tolerance * Math.max(Math.abs(b[i]), floor)) {
                return "element " + i + ": " + a[i] + " vs " + b[i];
            }
        }
        return null;
    }

    /** The largest absolute element of {@code x} (ignoring NaN and infinities), or 1 if none. */
    private static double scale(INDArray x) {
        double m = 0;
        for (double v : x.dup('c').data().asDouble()) if (Double.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m > 0 ? m : 1;
    }

    /** The gradient on the default path agrees with the ND4J path's: NaN for NaN, normwise within 1e-12. */
    private static void assertPathsAgree(Point p) {
        List<INDArray> got = gradient(p);
        List<INDArray> expected = Dense.withoutFusedLoops(() -> gradient(p));
        assertEquals(expected.size(), got.size());
        for (int k = 0; k < got.size(); k++) {
            String d = disagreement(got.get(k), expected.get(k), 1e-12, scale(expected.get(k)));
            assertTrue(d == null, p + ", component " + k + ": " + d + "\n" + got.get(k) + "\n" + expected.get(k));
        }
    }

    // ---- the points -----------------------------------------------------------------------------

    /** Points at batch size {@code n} (never equal to the 4 columns, whose square case is a bug: see below). */
    private List<Point> points(long n) {
        List<Point> p = new ArrayList<>();
        // Sums over the last axis, dropped, of [n, 4] (the ND4J path: [n] and [n, 4] do not broadcast); over the first.
        p.add(nd4j("rowSumsSquared", u(n, 4)));
        p.add(nd4j("rowMeansExp", u(n, 4)));
        p.add(matrix("columnSumsSquared", u(n, 4)));
        p.add(matrix("columnSumsSquared", u(n, 1)));
        // The loop's first value smaller than a later one.
        p.add(matrix("vectorTimesColumn", u(4), u(n, 1)));
        p.add(matrix("vectorTimesColumn", u(1), u(n, 1)));
        p.add(nd4j("columnFirst", u(n, 1), u(n, 4))); // exp(c).sum() of the column in a loop over [n, 4]: ND4J path
        p.add(matrix("scalarFirst", Nd4j.scalar(0.3), u(n, 4)));
        p.add(matrix("scalarFirst", u(1, 1), u(n, 4)));
        p.add(matrix("scalarFirst", u(1), u(n, 4)));
        p.add(matrix("scalarFirst", u(4), u(n, 4)));
        p.add(matrix("rowThenMatrixThenColumn", u(1, 4), u(n, 4), u(n, 1)));
        p.add(matrix("rowThenMatrixThenColumn", u(4), u(n, 4), u(n, 1)));
        p.add(matrix("rowThenMatrixThenColumn", u(4), u(4), u(1, 1)));
        p.add(matrix("rowThenMatrixThenColumn", u(n, 4), u(n, 4), Nd4j.scalar(0.4)));
        // Sums and means over every axis, feeding later loops; a value read by several loops.
        p.add(matrix("allAxes", u(n, 4)));
        p.add(matrix("allAxes", u(1, 1)));
        p.add(matrix("meanCentered", u(n, 4)));
        p.add(matrix("reused", u(n, 4)));
        // Gradients of ones, gradients that are the other argument, unused and twin parameters.
        p.add(matrix("plain", u(n, 4), u(1, 4)));
        p.add(matrix("plain", u(n, 4), u(4)));
        p.add(matrix("plain", u(n, 4), Nd4j.scalar(0.5)));
        p.add(matrix("plain", u(n, 1), u(1, 4)));
        p.add(matrix("linear", u(n, 4), u(n, 1)));
        p.add(matrix("linear", u(4), u(n, 1)));
        p.add(matrix("unused", u(n, 4), u(2, 5)));
        p.add(matrix("twin", u(n, 4), u(4)));
        p.add(matrix("twin", u(n, 1), u(1, 4)));
        // Products: with itself, transposed (ND4J path), chained, one row or column, of vectors (ND4J path).
        p.add(matrix("selfProduct", u(4, 4)));
        p.add(matrix("selfProduct", u(1, 1)));
        p.add(nd4j("gram", u(n, 4)));
        p.add(matrix("chain", u(n, 3), u(3, 4), u(4, 2), u(2, 1)));
        p.add(matrix("chain", u(n, 1), u(1, 1), u(1, 5), u(5, 1)));
        p.add(matrix("outerInner", u(n, 1), u(1, 4), u(n, 4), u(4, 1)));
        p.add(nd4j("vectorProducts", u(4), u(4, 4)));
        // Softmax along 0 (ND4J path) and along the last axis, of vectors and of one column.
        p.add(withData(nd4j("softmaxColumns", u(n, 4)), false, u(n, 4)));
        p.add(withData(matrix("softmaxRowsTwice", u(n, 4)), true, u(n, 4)));
        p.add(withData(matrix("softmaxRowsTwice", u(n, 1)), true, u(n, 1)));
        p.add(withData(matrix("softmaxVector", u(4)), true, u(4)));
        p.add(withData(nd4j("logSoftmaxColumns", u(n, 4)), false, u(n, 4)));
        p.add(withData(matrix("logSoftmaxColumns", u(4)), true, u(4)));
        // A layer whose output is summed along rows: non-square (the ND4J path, see the bug below).
        p.add(withData(nd4j("layerRowSums", u(3, 4)), false, u(n, 3)));
        p.add(withData(matrix("linearLayer", u(3, 4), u(4)), true, u(n, 3)));
        p.add(withData(matrix("linearLayer", u(3, 1), u(1)), true, u(n, 3)));
        // Sums kept over everything, reversed operations, a value the reverse pass reads (a rank-0 tensor value:
        // the ND4J path), shape ops (ND4J path).
        p.add(matrix("keptEverything", u(n, 4), u(4)));
        p.add(matrix("keptEverything", u(n, 4), u(n, 1)));
        p.add(matrix("keptEverything", u(n, 4), Nd4j.scalar(0.6)));
        p.add(matrix("reversed", u(n, 4), u(n, 1), u(4)));
        p.add(nd4j("expOfTotal", u(n, 4), u(4)));
        p.add(nd4j("expOfTotal", u(n, 4), u(n, 1)));
        p.add(nd4j("shapeOps", u(3, 4), u(4)));
        return p;
    }

    @Test
    void everyPointAgreesWithTheNd4jPathTheTapeAndFiniteDifferences() {
        for (long n : new long[] {1, 3}) {
            for (Point p : points(n)) {
                GradientCheck.Report r = check(p);
                assertTrue(r.worst() <= 1e-6, p + "\n" + r);
                assertPathsAgree(p);
            }
        }
    }

    @Test
    void pointsMeantForTheMatrixPathTakeIt() {
        for (long n : new long[] {1, 3}) {
            for (Point p : points(n)) {
                if (p.matrixPath()) assertTrue(tookMatrixPath(p), p + ": " + gradientOps(p.method()));
            }
        }
        // Rank-1 products, a transpose, softmax along 0: the ND4J path (at least one op per value).
        for (Point p : List.of(nd4j("vectorProducts", u(4), u(4, 4)), nd4j("gram", u(3, 4)))) {
            assertTrue(OpCounter.countOps(() -> gradient(p)) >= gradientOps(p.method()).fewest(), p.toString());
        }
    }

    /** A double parameter between tensors: its gradient (a total) and the tensors' on both paths, against the tape and differences. */
    @Test
    void aDoubleParameterNextToTensors() {
        Method g = method(MatrixAdversarialDerivatives.class, "scaledGradient", false);
        for (long n : new long[] {1, 3}) {
            INDArray x = u(n, 4);
            INDArray b = u(4);
            double s = 0.7;
            var fast = call(g, x, s, b);
            var slow = Dense.withoutFusedLoops(() -> call(g, x, s, b));
            assertEquals(0, OpCounter.countOps(() -> call(g, x, s, b)));
            Tape.reset();
            Variable vx = Variable.constant(x.dup(), "x");
            Variable vb = Variable.constant(b.dup(), "b");
            List<Variable> tape = Tape.grad(MatrixAdversarial.scaled(vx, s, vb), vx, vb);
            Tape.reset();
            double h = 1e-6;
            double fd = (MatrixAdversarialDerivatives.scaled(x, s + h, b).getDouble(0)
                    - MatrixAdversarialDerivatives.scaled(x, s - h, b).getDouble(0)) / (2 * h);
            for (Object r : List.of(fast, slow)) {
                var gr = (MatrixAdversarialDerivatives.ScaledGradient) r;
                assertTrue(FiniteDifferences.maxRelDiff(gr.x(), tape.get(0).value()) <= 1e-12, "x at n = " + n);
                assertTrue(FiniteDifferences.maxRelDiff(gr.b(), tape.get(1).value()) <= 1e-12, "b at n = " + n);
                assertTrue(Math.abs(gr.s() - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), gr.s() + " vs " + fd);
            }
            var a = (MatrixAdversarialDerivatives.ScaledGradient) fast;
            var c = (MatrixAdversarialDerivatives.ScaledGradient) slow;
            assertTrue(Math.abs(a.s() - c.s()) <= 1e-12 * Math.abs(c.s()), a.s() + " vs " + c.s());
        }
    }

    /** NaN, infinities and signed zeros in broadcast operands: NaN and infinities where the ND4J path has them. */
    @Test
    void nonFiniteInputsGiveWhatTheNd4jPathGives() {
        INDArray odd = of(shape(3, 4), 0.0, -0.0, 1.0, -1.0, NAN, INF, -INF, 1e-300, -1e300, 2.0, 0.5, -3.0);
        List<Point> points = List.of(
                matrix("domains", odd, of(shape(4), 1.0, 0.0, -0.0, NAN)),
                matrix("domains", odd, of(shape(3, 1), -INF, 0.0, 2.0)),
                matrix("domains", of(shape(3, 1), 0.0, NAN, 4.0), odd),
                matrix("rowThenMatrixThenColumn", of(shape(4), 0.0, INF, -INF, NAN), odd, of(shape(3, 1), 0.0, NAN, INF)),
                matrix("scalarFirst", Nd4j.scalar(INF), u(3, 4)),
                matrix("scalarFirst", Nd4j.scalar(NAN), u(3, 4)),
                matrix("allAxes", odd),
                matrix("reused", odd),
                matrix("meanCentered", odd),
                matrix("plain", odd, of(shape(4), INF, -INF, NAN, 0.0)),
                matrix("twin", odd, of(shape(4), INF, -INF, NAN, 0.0)),
                matrix("chain", odd, u(4, 2), u(2, 3), u(3, 1)),
                withData(matrix("softmaxRowsTwice", of(shape(3, 4), INF, 1, 2, 3, -INF, 1, 2, 3, -INF, -INF, -INF, -INF)), true, u(3, 4)),
                withData(matrix("softmaxRowsTwice", of(shape(3, 4), NAN, 1, 2, 3, 1e308, -1e308, 2, 3, 1, 1, 1, 1)), true, u(3, 4)),
                withData(matrix("softmaxVector", of(shape(4), INF, 1, INF, 3)), true, u(4)),
                withData(matrix("softmaxVector", of(shape(4), 1e308, -1e308, 0, 3)), true, u(4)),
                withData(matrix("logSoftmaxColumns", of(shape(4), -INF, -INF, -INF, -INF)), true, u(4)));
        for (Point p : points) {
            assertPathsAgree(p);
            INDArray a = forward(p);
            INDArray b = Dense.withoutFusedLoops(() -> forward(p));
            String d = disagreement(a, b, 1e-12, scale(b));
            assertTrue(d == null, p + ", forward: " + d);
        }
    }

    /**
     * Large and tiny magnitudes: the paths agree normwise to 1e-12. (Without tanh: ND4J's tanh
     * loses relative accuracy near 0, about 1e-8 at 1e-8, and gives 0 at 1e-150, where
     * {@code Math.tanh} does not; that is the ND4J path's rounding, not the loops'.)
     */
    @Test
    void largeAndTinyMagnitudesAgreeWithTheNd4jPath() {
        for (double scale : new double[] {1e-150, 1e-8, 1e8, 1e150}) {
            List<Point> points = List.of(
                    matrix("meanCentered", u(3, 4).muli(scale)),
                    matrix("scalarFirst", Nd4j.scalar(0.3 * scale), u(3, 4)),
                    matrix("rowThenMatrixThenColumn", u(4).muli(scale), u(3, 4), u(3, 1).muli(scale)),
                    matrix("linear", u(3, 4).muli(scale), u(3, 1)),
                    matrix("outerInner", u(3, 1).muli(scale), u(1, 4), u(3, 4), u(4, 1).muli(1 / scale)),
                    matrix("selfProduct", u(4, 4).muli(Math.sqrt(scale))),
                    withData(matrix("softmaxRowsTwice", u(3, 4).muli(scale)), true, u(3, 4)),
                    withData(matrix("softmaxVector", u(4).muli(scale)), true, u(4)),
                    withData(matrix("logSoftmaxColumns", u(4).muli(scale)), true, u(4)));
            for (Point p : points) {
                assertPathsAgree(p);
                assertTrue(tookMatrixPath(p), p + " at scale " + scale);
            }
        }
    }

    /** One array passed as several arguments: read by each, the gradients of each its own array. */
    @Test
    void oneArrayAsSeveralArguments() {
        INDArray x = u(3, 4);
        INDArray square = u(3, 3);
        INDArray column = u(3, 1);
        List<Point> points = List.of(matrix("linear", x, x), matrix("twin", x, x), matrix("plain", x, x),
                matrix("chain", square, square, square, column), matrix("outerInner", column, u(1, 4), x, u(4, 1)),
                matrix("rowThenMatrixThenColumn", column, column, column));
        for (Point p : points) {
            INDArray before = p.differentiated().get(0).dup();
            GradientCheck.Report r = check(p);
            assertTrue(r.worst() <= 1e-6, p + "\n" + r);
            assertPathsAgree(p);
            List<INDArray> g = gradient(p);
            for (int i = 1; i < g.size(); i++) {
                for (int j = 1; j < i; j++) assertNotSame(g.get(i), g.get(j), p + ": components " + i + " and " + j);
            }
            assertEquals(before, p.differentiated().get(0), "the argument is unchanged");
        }
    }

    /** Views that fit (the first rows of a matrix) are read as they are; others (strided, column-major, at an offset) take the ND4J path. */
    @Test
    void viewsGiveTheAnswersOfTheirCopies() {
        INDArray big = u(5, 6);
        List<INDArray> views = List.of(
                big.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()),               // [3, 6], fits
                big.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)),               // [5, 4], rows apart by 6
                big.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1)),               // [5, 1], a column
                big.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 5)),      // [3, 3] at an offset
                big.getRow(0, true),                                                     // [1, 6]
                big.transpose(),                                                          // [6, 5], column-major
                Nd4j.createFromArray(1.0, -2.0, 3.0).reshape(1, 3).broadcast(4, 3));     // [4, 3]
        for (INDArray v : views) {
            INDArray copy = v.dup('c');
            long columns = v.size(1);
            for (String m : List.of("reused", "allAxes", "meanCentered")) {
                List<INDArray> got = gradient(matrix(m, v));
                List<INDArray> expected = Dense.withoutFusedLoops(() -> gradient(matrix(m, copy)));
                for (int k = 0; k < got.size(); k++) {
                    String d = disagreement(got.get(k), expected.get(k), 1e-12, scale(expected.get(k)));
                    assertTrue(d == null, m + " of a view " + Arrays.toString(v.shape()) + " strides " + Arrays.toString(v.stride())
                            + " offset " + v.offset() + ": " + d);
                }
            }
            Point p = matrix("rowThenMatrixThenColumn", u(columns), v, u(v.size(0), 1));
            List<INDArray> got = gradient(p);
            List<INDArray> expected = Dense.withoutFusedLoops(() -> gradient(matrix(p.method(), p.differentiated().get(0), copy,
                    p.differentiated().get(2))));
            for (int k = 0; k < got.size(); k++) {
                String d = disagreement(got.get(k), expected.get(k), 1e-12, scale(expected.get(k)));
                assertTrue(d == null, "a view " + Arrays.toString(v.shape()) + " as m, component " + k + ": " + d);
            }
        }
    }

    /** The reusing overload: arrays of the same shapes reused; others (other shapes, shared, not rank 0) replaced; answers unchanged. */
    @Test
    void previousResultsOfEveryKind() {
        INDArray r = u(4);
        INDArray m = u(3, 4);
        INDArray c = u(3, 1);
        var fresh = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c);
        var earlier = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r.add(1), m.mul(2), c.sub(1));
        var reused = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c, earlier);
        assertSame(earlier.r(), reused.r());
        assertSame(earlier.m(), reused.m());
        assertSame(earlier.c(), reused.c());
        assertSame(earlier.value(), reused.value());
        assertEquals(0, OpCounter.countOps(() -> MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c, reused)));
        assertSameValues(fresh, reused);

        // From a call at another batch size: new arrays for m and c (and every other: they are all or nothing).
        var other = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, u(5, 4), u(5, 1));
        var afterOther = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c, other);
        assertSameValues(fresh, afterOther);
        assertEquals(3, afterOther.m().size(0));
        // Components sharing one array, a value of shape [1, 1], a view that fits, a column-major array.
        INDArray shared = Nd4j.zeros(DataType.DOUBLE, 4);
        INDArray rows = Nd4j.zeros(DataType.DOUBLE, 5, 4);
        List<MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient> previous = List.of(
                new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.scalar(0.0), shared, Nd4j.zeros(3, 4), Nd4j.zeros(3, 1)),
                new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.zeros(1, 1), Nd4j.zeros(4), Nd4j.zeros(3, 4), Nd4j.zeros(3, 1)),
                new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.scalar(0.0), Nd4j.zeros(4),
                        rows.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()), Nd4j.zeros(3, 1)),
                new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.scalar(0.0), Nd4j.zeros(4),
                        Nd4j.zeros(DataType.DOUBLE, 3, 4).dup('f'), Nd4j.zeros(3, 1)),
                new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.scalar(0.0), Nd4j.zeros(4), shared.reshape(1, 4),
                        Nd4j.zeros(3, 1)));
        for (var p : previous) {
            var got = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c, p);
            assertSameValues(fresh, got);
        }
        // The twin gradients: one array each, never one for both.
        INDArray x = u(3, 4);
        INDArray y = u(4);
        var t0 = MatrixAdversarialDerivatives.twinGradient(x, y);
        var t1 = MatrixAdversarialDerivatives.twinGradient(x, y, MatrixAdversarialDerivatives.twinGradient(x.neg(), y.neg()));
        assertNotSame(t1.x(), t1.y());
        assertTrue(FiniteDifferences.maxRelDiff(t1.x(), t0.x()) <= 1e-15 && FiniteDifferences.maxRelDiff(t1.y(), t0.y()) <= 1e-15);
        // An argument as an earlier array: refused as on the ND4J path.
        var argument = new MatrixAdversarialDerivatives.RowThenMatrixThenColumnGradient(Nd4j.scalar(0.0), Nd4j.zeros(4), m, Nd4j.zeros(3, 1));
        assertThrows(IllegalArgumentException.class, () -> MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c, argument));
    }

    private static void assertSameValues(Record expected, Record got) {
        List<INDArray> a = components(expected);
        List<INDArray> b = components(got);
        for (int k = 0; k < a.size(); k++) {
            assertTrue(Arrays.equals(a.get(k).shape(), b.get(k).shape()), "component " + k + " shape " + Arrays.toString(b.get(k).shape()));
            assertTrue(FiniteDifferences.maxRelDiff(b.get(k), a.get(k)) <= 1e-15, "component " + k + "\n" + b.get(k) + "\n" + a.get(k));
        }
    }

    /** Earlier arrays full of NaN: every element is written (products by gemm too), none is read. */
    @Test
    void previousArraysFullOfNaNAreOverwritten() {
        INDArray w = u(3, 4);
        INDArray c = u(4);
        INDArray x = u(5, 3);
        var fresh = MatrixAdversarialDerivatives.linearLayerGradient(w, c, x);
        var previous = MatrixAdversarialDerivatives.linearLayerGradient(w, c, x);
        for (INDArray a : components(previous)) a.assign(NAN);
        var got = MatrixAdversarialDerivatives.linearLayerGradient(w, c, x, previous);
        assertSame(previous.w(), got.w());
        assertSameValues(fresh, got);
        INDArray a = u(3, 3);
        INDArray b = u(3, 4);
        INDArray cc = u(4, 2);
        INDArray d = u(2, 1);
        var chain = MatrixAdversarialDerivatives.chainGradient(a, b, cc, d);
        var earlier = MatrixAdversarialDerivatives.chainGradient(a, b, cc, d);
        for (INDArray e : components(earlier)) e.assign(NAN);
        var again = MatrixAdversarialDerivatives.chainGradient(a, b, cc, d, earlier);
        assertSame(earlier.d(), again.d());
        assertSameValues(chain, again);
        INDArray y = u(3, 4);
        INDArray z = u(3, 1);
        var exp = MatrixAdversarialDerivatives.expOfTotalGradient(y, z);
        var stale = MatrixAdversarialDerivatives.expOfTotalGradient(y, z);
        for (INDArray e : components(stale)) e.assign(NAN);
        var expAgain = MatrixAdversarialDerivatives.expOfTotalGradient(y, z, stale);
        assertSame(stale.value(), expAgain.value());
        assertSameValues(exp, expAgain);
    }

    /** One entry point called with operands of changing rank ([4], [1, 4], [], [n, 1], [1, 1], [1], [n, 4]): its buffers follow. */
    @Test
    void operandsOfChangingRank() {
        INDArray m = u(3, 4);
        List<INDArray> ys = List.of(u(4), u(1, 4), Nd4j.scalar(2.0), u(3, 1), u(1, 1), u(1), u(4), Nd4j.scalar(-1.0), u(1, 4));
        for (int round = 0; round < 2; round++) {
            for (INDArray y : ys) {
                for (String method : List.of("keptEverything", "twin", "plain")) {
                    Point p = matrix(method, m, y);
                    assertPathsAgree(p);
                    assertTrue(tookMatrixPath(p), p.toString());
                }
            }
        }
    }

    /** Per-thread buffers: threads mixing methods and shapes each get their own answers. */
    @Test
    void threadsAndChangingShapes() throws Exception {
        List<Point> points = new ArrayList<>();
        for (long n : new long[] {5, 1, 3, 5, 2}) {
            points.add(matrix("chain", u(n, 3), u(3, 4), u(4, 2), u(2, 1)));
            points.add(matrix("reused", u(n, 4)));
            points.add(matrix("rowThenMatrixThenColumn", u(4), u(n, 4), u(n, 1)));
            points.add(withData(matrix("softmaxRowsTwice", u(n, 3)), true, u(n, 3)));
        }
        List<List<INDArray>> expected = new ArrayList<>();
        for (Point p : points) expected.add(Dense.withoutFusedLoops(() -> gradient(p)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int offset = 7 * t;
                runs.add(pool.submit(() -> {
                    for (int r = 0; r < 80; r++) {
                        int k = (r * 3 + offset) % points.size();
                        List<INDArray> got = gradient(points.get(k));
                        for (int c = 0; c < got.size(); c++) {
                            String d = disagreement(got.get(c), expected.get(k).get(c), 1e-12, scale(expected.get(k).get(c)));
                            if (d != null) throw new AssertionError(points.get(k) + ", call " + r + ", component " + c + ": " + d);
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

    /** Values that are not scalars: forward only, on both paths and on the tape; a [1, 1] value's gradient as on the ND4J path. */
    @Test
    void forwardValuesOfEveryShape() {
        for (long n : new long[] {1, 3}) {
            for (INDArray b : List.of(u(4), u(1, 4), u(n, 4), Nd4j.scalar(0.25))) {
                INDArray w = u(3, 4);
                INDArray x = u(n, 3);
                INDArray got = MatrixAdversarialDerivatives.probabilities(w, b, x);
                INDArray nd4j = Dense.withoutFusedLoops(() -> MatrixAdversarialDerivatives.probabilities(w, b, x));
                Tape.reset();
                INDArray tape = MatrixAdversarial.probabilities(Variable.constant(w), Variable.constant(b), x).value();
                Tape.reset();
                assertTrue(disagreement(got, nd4j, 1e-12, 1) == null, "b " + Arrays.toString(b.shape()));
                assertTrue(disagreement(got, tape, 1e-12, 1) == null, "b " + Arrays.toString(b.shape()));
                if (b.rank() == 1 || b.rank() == 0) {
                    assertEquals(LAST_PRODUCTS, OpCounter.countOps(() -> MatrixAdversarialDerivatives.probabilities(w, b, x)));
                }
            }
        }
        INDArray x = u(3, 4);
        var got = MatrixAdversarialDerivatives.keptTotalGradient(x);
        var nd4j = Dense.withoutFusedLoops(() -> MatrixAdversarialDerivatives.keptTotalGradient(x));
        assertEquals(Arrays.toString(nd4j.value().shape()), Arrays.toString(got.value().shape()));
        assertTrue(FiniteDifferences.maxRelDiff(got.x(), nd4j.x()) <= 1e-12);
    }

    /** The forward pass of probabilities: one product, the rest in loops. */
    private static final long LAST_PRODUCTS = 1;

    /** The pullback of the Vjp at upstream 1 is the gradient, for points on the matrix path. */
    @Test
    void pullbacksAtOneAreTheGradients() {
        INDArray r = u(4);
        INDArray m = u(3, 4);
        INDArray c = u(3, 1);
        var vjp = MatrixAdversarialDerivatives.rowThenMatrixThenColumnVjp(r, m, c);
        var pulled = vjp.pullback(Nd4j.scalar(1.0));
        var g = MatrixAdversarialDerivatives.rowThenMatrixThenColumnGradient(r, m, c);
        assertSameValues(g, pulled);
        var twice = vjp.pullback(Nd4j.scalar(-2.0));
        assertTrue(FiniteDifferences.maxRelDiff(twice.m(), g.m().mul(-2)) <= 1e-15);
    }

    // ---- regressions --------------------------------------------------------------------------

    /**
     * Found by this review (fixed): a sum or mean over the last axis, dropped ({@code [n]} of
     * {@code [n, n]}), whose adjoint is computed elementwise, joined the loop of its {@code unreduce}
     * onto the square matrix; that loop ran over {@code broadcast([n], [n, n])}, where {@code [n]}
     * lines up with the columns, so {@code d_x[i, j]} got the adjoint of row {@code j}, not row
     * {@code i}. The same for {@code [n, 1]} (one output unit). An unreduce now never shares a loop
     * with its {@code g}.
     */
    @Test
    void droppedRowSumsOfSquareMatrices() {
        for (Point p : List.of(matrix("rowSumsSquared", u(3, 3)), matrix("rowSumsSquared", u(3, 1)), matrix("rowMeansExp", u(3, 3)),
                withData(matrix("layerRowSums", u(3, 3)), true, u(3, 3)))) {
            GradientCheck.Report r = check(p);
            assertTrue(r.worst() <= 1e-6, p + "\n" + r);
        }
    }
}
