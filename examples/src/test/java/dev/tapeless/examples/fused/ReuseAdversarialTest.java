package dev.tapeless.examples.fused;

import static dev.tapeless.examples.fused.Companions.call;
import static dev.tapeless.examples.fused.Companions.components;
import static dev.tapeless.examples.fused.Companions.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import dev.tapeless.runtime.support.OpCount;
import dev.tapeless.runtime.support.OpCounts;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adversarial cases for the reusing overload {@code fGradient(args..., previous)} of
 * {@link ReuseAdversarial}, and for the chaining of its three paths (fused loops, matrix loops,
 * ND4J): previous arrays filled with NaN, of other layouts (rank-1 or [1, 1] values, FLOAT,
 * column-major, views at an offset or with gaps, views of one buffer, one array twice), from
 * another batch size, shared with the arguments (refused), passed again and again, and across
 * threads. Every answer is compared with the ND4J path ({@link Dense#withoutFusedLoops}); fresh
 * results also with the tape and finite differences ({@link GradientCheck}).
 */
class ReuseAdversarialTest {
    private static final double NAN = Double.NaN;

    private final Random rng = new Random(23);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Uniform in ±[0.1, 1], row-major DOUBLE. */
    private INDArray u(long... shape) {
        return Companions.signedUniform(rng, 0.1, 1, shape);
    }

    /** A one-hot row per example. */
    private INDArray oneHot(long rows, long columns) {
        INDArray l = Nd4j.zeros(DataType.DOUBLE, rows, columns);
        for (long i = 0; i < rows; i++) l.putScalar(i, rng.nextInt((int) columns), 1.0);
        return l;
    }

    /**
     * A view of {@code buffer}'s memory shaped {@code shape}, starting at element {@code offset},
     * its elements {@code step} apart (row-major order): any rank, rank 0 included.
     */
    private static INDArray view(INDArray buffer, long offset, long step, long[] shape) {
        long[] strides = new long[shape.length];
        long s = step;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return Nd4j.create(buffer.data(), shape, strides, buffer.offset() + offset, 'c', buffer.dataType());
    }

    private static INDArray nanLike(INDArray x) {
        return Nd4j.valueArrayOf(x.shape(), NAN, x.dataType());
    }

    // ---- calling the companion ------------------------------------------------------------------

    /** The method's gradient record holding {@code arrays} (value first). */
    private static Object record(String method, List<INDArray> arrays) {
        Class<?> type = method(ReuseAdversarialDerivatives.class, method + "Gradient", false).getReturnType();
        try {
            Constructor<?> c = type.getDeclaredConstructors()[0];
            return c.newInstance(arrays.toArray());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static OpCount ops(String method, boolean gradient) {
        try {
            OpCounts c = (OpCounts) ReuseAdversarialDerivatives.class
                    .getField(method.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase() + "_OPS").get(null);
            return gradient ? c.gradient() : c.forward();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private enum Path { FUSED, MATRIX, ND4J }

    /** A method at a point: its differentiated arguments, then its data, and the path they are meant to take. */
    private record Point(String method, List<INDArray> differentiated, List<INDArray> data, Path path) {
        Object[] args(List<?> first) {
            List<Object> all = new ArrayList<>(first);
            all.addAll(data);
            return all.toArray();
        }

        Object[] args() {
            return args(differentiated);
        }

        Object[] args(Object previous) {
            List<Object> all = new ArrayList<>(Arrays.asList(args()));
            all.add(previous);
            return all.toArray();
        }

        List<INDArray> arguments() {
            List<INDArray> all = new ArrayList<>(differentiated);
            all.addAll(data);
            return all;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(method).append('(');
            for (INDArray a : arguments()) s.append(Arrays.toString(a.shape())).append(a.dataType() == DataType.FLOAT ? "f " : " ");
            return s.append(") ").append(path).toString();
        }
    }

    private static Point p(String method, Path path, List<INDArray> differentiated, INDArray... data) {
        return new Point(method, differentiated, List.of(data), path);
    }

    private static List<INDArray> gradient(Point p) {
        return components(call(method(ReuseAdversarialDerivatives.class, p.method() + "Gradient", false), p.args()));
    }

    private static Object reuse(Point p, Object previous) {
        return call(method(ReuseAdversarialDerivatives.class, p.method() + "Gradient", true), p.args(previous));
    }

    private static INDArray forward(Point p) {
        return (INDArray) call(method(ReuseAdversarialDerivatives.class, p.method(), false), p.args());
    }

    private static List<INDArray> nd4j(Point p) {
        return Dense.withoutFusedLoops(() -> gradient(p));
    }

    /** The same method and path at new values of the same shapes and types. */
    private Point again(Point p) {
        List<INDArray> d = new ArrayList<>();
        for (INDArray a : p.differentiated()) d.add(u(a.shape()).castTo(a.dataType()));
        return new Point(p.method(), d, p.data(), p.path());
    }

    // ---- comparisons ----------------------------------------------------------------------------

    /** Null when {@code got} has {@code expected}'s shape and type and its elements within 1e-12 normwise (NaN for NaN). */
    private static String disagreement(INDArray got, INDArray expected) {
        if (!Arrays.equals(got.shape(), expected.shape())) {
            return "shape " + Arrays.toString(got.shape()) + " vs " + Arrays.toString(expected.shape());
        }
        if (got.dataType() != expected.dataType()) return "type " + got.dataType() + " vs " + expected.dataType();
        double[] a = got.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] b = expected.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double scale = 1;
        for (double v : b) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        double tolerance = expected.dataType() == DataType.FLOAT ? 1e-5 : 1e-12;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) != Double.isNaN(b[i])) return "element " + i + ": " + a[i] + " vs " + b[i];
            if (Double.isNaN(a[i]) || a[i] == b[i]) continue;
            if (Math.abs(a[i] - b[i]) > tolerance * scale) return "element " + i + ": " + a[i] + " vs " + b[i];
        }
        return null;
    }

    private static void assertAgree(List<INDArray> got, List<INDArray> expected, String what) {
        assertEquals(expected.size(), got.size(), what);
        for (int k = 0; k < got.size(); k++) {
            String d = disagreement(got.get(k), expected.get(k));
            assertTrue(d == null, what + ", component " + k + ": " + d + "\n" + got.get(k) + "\n" + expected.get(k));
        }
    }

    private static List<INDArray> copies(List<INDArray> arrays) {
        return arrays.stream().map(a -> a.dup()).toList();
    }

    /** Every argument still holds what it held (bit for bit). */
    private static void assertUnchanged(List<INDArray> now, List<INDArray> before, String what) {
        for (int k = 0; k < now.size(); k++) {
            assertTrue(Arrays.equals(now.get(k).dup('c').data().asDouble(), before.get(k).dup('c').data().asDouble()),
                    what + ": argument " + k + " changed");
        }
    }

    /** No component is (or shares memory with) an argument, nor with another component. */
    private static void assertOwnArrays(List<INDArray> result, List<INDArray> arguments, String what) {
        for (int i = 0; i < result.size(); i++) {
            for (INDArray a : arguments) assertFalse(shares(result.get(i), a), what + ": component " + i + " is an argument");
            for (int j = 0; j < i; j++) assertFalse(shares(result.get(i), result.get(j)), what + ": components " + j + ", " + i);
        }
    }

    private static boolean shares(INDArray a, INDArray b) {
        return a == b || a.data() == b.data() || a.data().address() == b.data().address();
    }

    /** How many ND4J ops a reusing call runs, and whether it is what the path declares. */
    private static void assertPath(Point p, Object previous) {
        OpCount declared = ops(p.method(), true);
        long ops = OpCounter.countOps(() -> reuse(p, previous));
        switch (p.path()) {
            case FUSED -> assertTrue(declared.fusedLoops() > 0 && ops == 0, p + ": " + ops + " ops, " + declared);
            case MATRIX -> assertTrue(declared.matrixLoops() > 0 && ops == declared.matrixProducts(), p + ": " + ops + " ops, " + declared);
            case ND4J -> assertTrue(ops >= declared.fewest(), p + ": " + ops + " ops, " + declared);
        }
    }

    // ---- the points -----------------------------------------------------------------------------

    private List<Point> points(long n) {
        List<Point> p = new ArrayList<>();
        p.add(p("mixed", Path.FUSED, List.of(u(n, 4), u(n, 4))));
        p.add(p("mixed", Path.FUSED, List.of(Nd4j.scalar(0.3), Nd4j.scalar(-0.7))));
        p.add(p("mixed", Path.FUSED, List.of(u(2, n, 3), u(2, n, 3))));
        p.add(p("mixed", Path.MATRIX, List.of(u(n, 4), u(4))));
        p.add(p("mixed", Path.MATRIX, List.of(u(n, 1), u(1, 4))));
        p.add(p("mixed", Path.MATRIX, List.of(Nd4j.scalar(0.4), u(n, 4))));
        p.add(p("mixed", Path.ND4J, List.of(u(2, n, 4), u(4))));
        p.add(p("mixed", Path.ND4J, List.of(u(n, 4).castTo(DataType.FLOAT), u(n, 4).castTo(DataType.FLOAT))));
        p.add(p("argumentsAndZeros", Path.FUSED, List.of(u(n, 4), u(n, 4), u(n, 4))));
        p.add(p("argumentsAndZeros", Path.MATRIX, List.of(u(n, 4), u(n, 4), u(2, 5))));
        p.add(p("argumentsAndZeros", Path.MATRIX, List.of(u(n, 4), u(4), Nd4j.scalar(0.5))));
        p.add(p("argumentsAndZeros", Path.ND4J, List.of(u(n, 4), u(4), u(2, 2, 2))));
        p.add(p("twins", Path.FUSED, List.of(u(n, 4), u(n, 4))));
        p.add(p("twins", Path.MATRIX, List.of(u(n, 1), u(1, 4))));
        p.add(p("twins", Path.ND4J, List.of(u(n, 1, 1), u(4))));
        p.add(p("layer", Path.MATRIX, List.of(u(3, 4), u(4), u(n, 1)), u(n, 3)));
        p.add(p("layer", Path.MATRIX, List.of(u(3, 4), u(1, 4), Nd4j.scalar(0.8)), u(n, 3)));
        p.add(p("layer", Path.ND4J, List.of(u(3, 4), u(1, 1, 4), u(n, 1)), u(n, 3)));
        p.add(p("crossEntropy", Path.MATRIX, List.of(u(n, 4), Nd4j.scalar(1.3)), oneHot(n, 4)));
        p.add(p("crossEntropy", Path.MATRIX, List.of(u(n, 4), u(4)), oneHot(n, 4)));
        p.add(p("crossEntropy", Path.MATRIX, List.of(u(n, 4), u(n, 4)), oneHot(n, 4)));
        p.add(p("crossEntropy", Path.ND4J, List.of(u(n, 4).castTo(DataType.FLOAT), Nd4j.scalar(1.3f)),
                oneHot(n, 4).castTo(DataType.FLOAT)));
        p.add(p("itself", Path.ND4J, List.of(Nd4j.scalar(0.25))));
        p.add(p("itself", Path.ND4J, List.of(u(1, 1))));
        return p;
    }

    private GradientCheck.Report check(Point p) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.differentiated().size(); i++) names.add("arg" + i);
        Method source = null;
        for (Method m : ReuseAdversarial.class.getMethods()) if (m.getName().equals(p.method())) source = m;
        Method s = source;
        Function<List<Variable>, Variable> onTape = v -> {
            try {
                List<Object> all = new ArrayList<>(v);
                all.addAll(p.data());
                return (Variable) s.invoke(null, all.toArray());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        };
        return GradientCheck.of(onTape, x -> components(call(method(ReuseAdversarialDerivatives.class, p.method() + "Gradient", false), p.args(x))), names,
                p.differentiated());
    }

    // ---- tests ----------------------------------------------------------------------------------

    /** The fresh results: against the tape and finite differences, and the ND4J path; and the forward pass. */
    @Test
    void freshResultsAndForwardAgreeWithTheTapeAndTheNd4jPath() {
        for (long n : new long[] {1, 3}) {
            for (Point p : points(n)) {
                if (p.arguments().stream().allMatch(a -> a.dataType() == DataType.DOUBLE)) {
                    GradientCheck.Report r = check(p);
                    assertTrue(r.worst() <= 1e-6, p + "\n" + r);
                }
                List<INDArray> before = copies(p.arguments());
                List<INDArray> got = gradient(p);
                assertAgree(got, nd4j(p), p.toString());
                assertOwnArrays(got, p.arguments(), p.toString());
                INDArray f = forward(p);
                INDArray slow = Dense.withoutFusedLoops(() -> forward(p));
                String d = disagreement(f, slow);
                assertTrue(d == null, p + ", forward: " + d);
                assertAgree(List.of(f), List.of(got.get(0)), p + ", forward vs the gradient's value");
                assertOwnArrays(List.of(f), p.arguments(), p + ", forward");
                assertUnchanged(p.arguments(), before, p.toString());
                // The forward pass's ops on the loops paths: none but the declared products.
                OpCount declared = ops(p.method(), false);
                long ops = OpCounter.countOps(() -> forward(p));
                if (p.path() == Path.FUSED) assertEquals(0, ops, p + ", forward");
                if (p.path() == Path.MATRIX) assertEquals(declared.matrixProducts(), ops, p + ", forward");
            }
        }
    }

    /** A result (fresh or reused) is not changed by a later call of the same shapes: no per-thread buffer leaks out. */
    @Test
    void resultsSurviveLaterCalls() {
        for (Point p : points(3)) {
            List<INDArray> first = gradient(p);
            List<INDArray> kept = copies(first);
            INDArray f = forward(p);
            INDArray fKept = f.dup();
            Point q = again(p);
            gradient(q);
            forward(q);
            Object reused = reuse(q, record(p.method(), copies(first)));
            assertAgree(first, kept, p + ": fresh result after a later call");
            assertAgree(List.of(f), List.of(fKept), p + ": forward after a later call");
            List<INDArray> r = copies(components(reused));
            gradient(p);
            forward(p);
            assertAgree(components(reused), r, p + ": reused result after a later call");
        }
    }

    /**
     * Previous arrays filled with NaN, of the right layouts: written in place on every path
     * (the same arrays come back), every element overwritten, the values of the ND4J path; the
     * returned record passed again with new arguments; the op counts of the path.
     */
    @Test
    void nanFilledPreviousIsOverwrittenOnEveryPathAndPassedAgain() {
        for (long n : new long[] {1, 3}) {
            for (Point p : points(n)) {
                List<INDArray> fresh = gradient(p);
                List<INDArray> nan = fresh.stream().map(ReuseAdversarialTest::nanLike).toList();
                Object previous = record(p.method(), nan);
                List<INDArray> before = copies(p.arguments());
                Object r = reuse(p, previous);
                List<INDArray> got = components(r);
                for (int k = 0; k < nan.size(); k++) assertSame(nan.get(k), got.get(k), p + ": component " + k + " not reused");
                assertAgree(got, nd4j(p), p + ", reused");
                assertUnchanged(p.arguments(), before, p.toString());
                assertOwnArrays(got, p.arguments(), p.toString());
                // Twice more, with new values, passing what came back.
                for (int round = 0; round < 2; round++) {
                    Point q = again(p);
                    Object r2 = reuse(q, r);
                    List<INDArray> got2 = components(r2);
                    for (int k = 0; k < nan.size(); k++) assertSame(nan.get(k), got2.get(k), q + ": round " + round);
                    assertAgree(got2, nd4j(q), q + ", reused, round " + round);
                    r = r2;
                }
                assertPath(p, r);
            }
        }
    }

    /**
     * Previous arrays that cannot be written in place: a value of shape [1] or [1, 1], FLOAT
     * components, column-major, views at an offset, views with gaps (offset 0, not contiguous),
     * views of one buffer, one array as two components, arrays from another batch size. Each call
     * gives the ND4J path's values; memory outside a view is never written; where the result is
     * new, the previous arrays keep what they held.
     */
    @Test
    void previousOfOtherLayoutsGivesTheRightValuesAndWritesNothingElse() {
        for (Point p : points(3)) {
            List<INDArray> expected = nd4j(p);
            List<List<INDArray>> variants = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<long[]> outside = new ArrayList<>(); // of each buffer in guards: the elements outside its view
            List<INDArray> guards = new ArrayList<>(); // whole buffers whose parts outside the views must stay NaN
            // value [1] and [1, 1]
            for (long[] s : new long[][] {{1}, {1, 1}}) {
                List<INDArray> v = expected.stream().map(ReuseAdversarialTest::nanLike).toList();
                v = new ArrayList<>(v);
                v.set(0, Nd4j.valueArrayOf(s, NAN, expected.get(0).dataType()));
                variants.add(v);
                names.add("value " + Arrays.toString(s));
            }
            // another data type
            DataType other = expected.get(0).dataType() == DataType.DOUBLE ? DataType.FLOAT : DataType.DOUBLE;
            variants.add(expected.stream().map(e -> Nd4j.valueArrayOf(e.shape(), NAN, other)).toList());
            names.add("all " + other);
            List<INDArray> mixedTypes = new ArrayList<>(expected.stream().map(ReuseAdversarialTest::nanLike).toList());
            mixedTypes.set(mixedTypes.size() - 1, Nd4j.valueArrayOf(expected.get(expected.size() - 1).shape(), NAN, other));
            variants.add(mixedTypes);
            names.add("last component " + other);
            // column-major
            variants.add(expected.stream().map(e -> Nd4j.valueArrayOf(e.shape(), NAN, e.dataType()).dup('f')).toList());
            names.add("column-major");
            // views at an offset, and views with gaps at offset 0, each in a NaN buffer of its own
            for (boolean atOffset : new boolean[] {true, false}) {
                List<INDArray> v = new ArrayList<>();
                for (INDArray e : expected) {
                    long len = Math.max(1, e.length());
                    INDArray big = Nd4j.valueArrayOf(new long[] {2 * len + 1}, NAN, e.dataType());
                    guards.add(big);
                    List<Long> out = new ArrayList<>();
                    for (long i = 0; i < 2 * len + 1; i++) {
                        boolean inView = atOffset ? i >= 1 && i <= len : i % 2 == 0 && i < 2 * len;
                        if (!inView) out.add(i);
                    }
                    outside.add(out.stream().mapToLong(Long::longValue).toArray());
                    v.add(atOffset ? view(big, 1, 1, e.shape()) : view(big, 0, 2, e.shape()));
                }
                variants.add(v);
                names.add(atOffset ? "views at offset 1" : "strided views at offset 0");
            }
            // views of one buffer, one after another
            {
                long total = 0;
                for (INDArray e : expected) total += Math.max(1, e.length());
                INDArray big = Nd4j.valueArrayOf(new long[] {total}, NAN, expected.get(0).dataType());
                List<INDArray> v = new ArrayList<>();
                long at = 0;
                for (INDArray e : expected) {
                    v.add(view(big, at, 1, e.shape()));
                    at += e.length();
                }
                variants.add(v);
                names.add("views of one buffer");
            }
            // one array as every component of one shape (value excepted)
            if (expected.size() > 2 && Arrays.equals(expected.get(1).shape(), expected.get(2).shape())) {
                List<INDArray> v = new ArrayList<>(expected.stream().map(ReuseAdversarialTest::nanLike).toList());
                v.set(2, v.get(1));
                variants.add(v);
                names.add("one array twice");
            }
            for (int k = 0; k < variants.size(); k++) {
                List<INDArray> prev = variants.get(k);
                List<INDArray> held = copies(prev);
                Object r = reuse(p, record(p.method(), prev));
                List<INDArray> got = components(r);
                String what = p + ", previous " + names.get(k);
                assertAgree(got, expected, what);
                assertOwnArrays(got, p.arguments(), what);
                boolean reused = false;
                for (int i = 0; i < got.size(); i++) reused |= got.get(i) == prev.get(i);
                if (!reused) {
                    // A new result: previous keeps what it held.
                    for (int i = 0; i < prev.size(); i++) {
                        assertTrue(prev.get(i).isNaN().all() || disagreement(prev.get(i), held.get(i)) == null,
                                what + ": previous component " + i + " written though not returned");
                    }
                }
            }
            for (int g = 0; g < guards.size(); g++) {
                for (long i : outside.get(g)) {
                    assertTrue(Double.isNaN(guards.get(g).getDouble(i)), p + ": element " + i + " outside a view written");
                }
            }
        }
    }

    /** A strided view at offset 0 ({@code big[0::2]}) as the previous array: the odd elements of its buffer are never written. */
    @Test
    void stridedViewsAtOffsetZeroAreNotWrittenAsIfContiguous() {
        for (Point p : points(3)) {
            List<INDArray> expected = nd4j(p);
            List<INDArray> bigs = new ArrayList<>();
            List<INDArray> prev = new ArrayList<>();
            for (INDArray e : expected) {
                long len = Math.max(1, e.length());
                INDArray big = Nd4j.valueArrayOf(new long[] {2 * len}, -7.0, e.dataType());
                bigs.add(big);
                prev.add(view(big, 0, 2, e.shape()));
            }
            List<INDArray> got = components(reuse(p, record(p.method(), prev)));
            assertAgree(got, expected, p + ", strided previous");
            for (INDArray big : bigs) {
                for (long i = 1; i < big.length(); i += 2) {
                    assertEquals(-7.0, big.getDouble(i), p + ": element " + i + " of a strided previous's buffer written");
                }
            }
        }
    }

    /**
     * Arguments that are views (at an offset, strided at offset 0, column-major): the loops must
     * not read them as contiguous; the answers are the ND4J path's on copies.
     */
    @Test
    void argumentsThatAreViewsGiveTheValuesOfTheirCopies() {
        for (Point p : points(3)) {
            for (int kind = 0; kind < 3; kind++) {
                List<INDArray> d = new ArrayList<>();
                for (INDArray a : p.differentiated()) {
                    long len = a.length();
                    INDArray view;
                    if (kind == 0) {
                        INDArray big = Nd4j.zeros(a.dataType(), 2 * len + 1);
                        view = view(big, 1, 1, a.shape());
                    } else if (kind == 1) {
                        INDArray big = Nd4j.zeros(a.dataType(), 2 * len);
                        view = view(big, 0, 2, a.shape());
                    } else {
                        view = Nd4j.createUninitialized(a.dataType(), a.shape(), 'f');
                    }
                    view.assign(a);
                    d.add(view);
                }
                Point v = new Point(p.method(), d, p.data(), Path.ND4J);
                List<INDArray> expected = nd4j(p);
                String what = p + ", argument views of kind " + kind;
                assertAgree(gradient(v), expected, what);
                List<INDArray> prev = expected.stream().map(ReuseAdversarialTest::nanLike).toList();
                assertAgree(components(reuse(v, record(p.method(), prev))), expected, what + ", reused");
                String f = disagreement(forward(v), Dense.withoutFusedLoops(() -> forward(p)));
                assertTrue(f == null, what + ", forward: " + f);
            }
        }
    }

    /**
     * A previous array that is an argument, a view of one, or in one buffer with one: refused
     * with IllegalArgumentException, and neither the argument nor previous is written.
     */
    @Test
    void previousSharingAnArgumentIsRefused() {
        for (Point p : points(3)) {
            List<INDArray> fresh = gradient(p);
            List<INDArray> args = p.arguments();
            for (int c = 0; c < fresh.size(); c++) {
                for (int a = 0; a < args.size(); a++) {
                    INDArray arg = args.get(a);
                    List<INDArray> candidates = new ArrayList<>();
                    if (Arrays.equals(arg.shape(), fresh.get(c).shape()) && arg.dataType() == fresh.get(c).dataType()) {
                        candidates.add(arg);
                    }
                    if (arg.length() >= fresh.get(c).length()) {
                        candidates.add(view(arg, 0, 1, fresh.get(c).shape()));
                    }
                    if (arg.length() > fresh.get(c).length()) {
                        candidates.add(view(arg, 1, 1, fresh.get(c).shape()));
                    }
                    for (INDArray shared : candidates) {
                        List<INDArray> prev = new ArrayList<>(copies(fresh));
                        prev.set(c, shared);
                        List<INDArray> before = copies(args);
                        List<INDArray> prevBefore = copies(prev);
                        String what = p + ": component " + c + " on argument " + a + " " + Arrays.toString(shared.shape());
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> reuse(p, record(p.method(), prev)), what);
                        assertTrue(e.getMessage().contains("previous."), e.getMessage());
                        assertUnchanged(args, before, what);
                        assertUnchanged(prev, prevBefore, what + " (previous)");
                    }
                }
            }
        }
        // An argument that is a view of previous's buffer: refused too.
        INDArray big = u(2, 3, 4);
        Point p = p("mixed", Path.FUSED, List.of(big.get(NDArrayIndex.point(0)), u(3, 4)));
        List<INDArray> fresh = gradient(p);
        Object prev = record("mixed", List.of(fresh.get(0), big.get(NDArrayIndex.point(1)), fresh.get(2)));
        INDArray held = big.dup();
        assertThrows(IllegalArgumentException.class, () -> reuse(p, prev));
        assertUnchanged(List.of(big), List.of(held), "the argument's buffer");
    }

    /**
     * A layer's previous from another batch size: {@code w} and {@code b} fit, {@code perRow}
     * does not. The answer is right, new, and previous keeps what it held; then back again.
     */
    @Test
    void previousFromAnotherBatchSize() {
        INDArray w = u(3, 4);
        INDArray b = u(4);
        for (long[] ns : new long[][] {{3, 5}, {5, 3}, {1, 4}, {4, 1}}) {
            Point first = p("layer", Path.MATRIX, List.of(w, b, u(ns[0], 1)), u(ns[0], 3));
            Point second = p("layer", Path.MATRIX, List.of(w, b, u(ns[1], 1)), u(ns[1], 3));
            Object r1 = reuse(first, record("layer", copies(gradient(first))));
            List<INDArray> held = copies(components(r1));
            Object r2 = reuse(second, r1);
            assertAgree(components(r2), nd4j(second), Arrays.toString(ns) + ", second");
            assertAgree(components(r1), held, Arrays.toString(ns) + ": previous written though not returned");
            for (int k = 0; k < held.size(); k++) assertNotSame(components(r1).get(k), components(r2).get(k));
            // Back to the first batch size, with r1: written in place again.
            Object r3 = reuse(first, r1);
            for (int k = 0; k < held.size(); k++) assertSame(components(r1).get(k), components(r3).get(k));
            assertAgree(components(r3), nd4j(first), Arrays.toString(ns) + ", back");
        }
    }

    /**
     * Calls that alternate between the fused loops, the matrix loops of two shapes and the ND4J
     * path, each with its own previous, in one thread and in four at once: each answer the ND4J
     * path's (per-thread buffers are reallocated as shapes change, never shared).
     */
    @Test
    void alternatingPathsInOneThreadAndAcrossThreads() throws Exception {
        List<Point> cycle = List.of(
                p("mixed", Path.FUSED, List.of(u(3, 4), u(3, 4))),
                p("mixed", Path.MATRIX, List.of(u(3, 4), u(4))),
                p("mixed", Path.MATRIX, List.of(u(5, 2), u(5, 1))),
                p("mixed", Path.ND4J, List.of(u(2, 3, 4), u(4))),
                p("mixed", Path.MATRIX, List.of(u(1, 7), u(7))),
                p("layer", Path.MATRIX, List.of(u(3, 4), u(4), u(2, 1)), u(2, 3)),
                p("layer", Path.MATRIX, List.of(u(3, 4), u(4), u(6, 1)), u(6, 3)),
                p("crossEntropy", Path.MATRIX, List.of(u(3, 4), u(4)), oneHot(3, 4)),
                p("crossEntropy", Path.MATRIX, List.of(u(2, 5), Nd4j.scalar(0.9)), oneHot(2, 5)));
        List<List<INDArray>> expected = cycle.stream().map(this::nd4jOf).toList();
        List<INDArray> forwards = cycle.stream().map(q -> Dense.withoutFusedLoops(() -> forward(q))).toList();
        Runnable work = () -> {
            Object[] previous = new Object[cycle.size()];
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < cycle.size(); k++) {
                    int i = (k * 5 + round) % cycle.size(); // a different order each round
                    Point q = cycle.get(i);
                    Object r = reuse(q, previous[i]);
                    assertAgree(components(r), expected.get(i), q + ", round " + round);
                    if (previous[i] != null) {
                        List<INDArray> a = components(previous[i]);
                        List<INDArray> b = components(r);
                        for (int c = 0; c < a.size(); c++) assertSame(a.get(c), b.get(c), q + ": not reused");
                    }
                    previous[i] = r;
                    assertAgree(gradient(q), expected.get(i), q + ", fresh, round " + round);
                    String d = disagreement(forward(q), forwards.get(i));
                    assertTrue(d == null, q + ", forward: " + d);
                }
            }
        };
        work.run();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) futures.add(pool.submit(work));
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private List<INDArray> nd4jOf(Point q) {
        return nd4j(q);
    }
}
