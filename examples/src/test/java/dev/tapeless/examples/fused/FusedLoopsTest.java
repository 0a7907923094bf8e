package dev.tapeless.examples.fused;

import static dev.tapeless.examples.fused.Companions.components;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fused loops ({@link Elementwise}): where the arguments fit ({@code Dense.fits}: one shape, one
 * data type, row-major, contiguous), the forward pass and the gradient run Java loops and no ND4J
 * op, and agree with their ND4J path (to rounding: sums add up in another order, and {@code Math}'s
 * functions may differ from ND4J's by an ulp) and with the tape and finite differences; where they
 * do not fit (a strided view, column-major, shapes that broadcast, mixed data types), the ND4J path
 * runs.
 */
class FusedLoopsTest {
    private static final String[] METHODS = {"seed", "softplusMean", "logistic", "variance", "normalizedDot", "kinks"};
    private final Random rng = new Random(5);

    @AfterEach
    void clearTape() {
        Tape.reset();
    }

    private INDArray uniform(DataType type, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) {
            double v = lo + (hi - lo) * rng.nextDouble();
            data[i] = rng.nextBoolean() ? v : -v; // away from the kinks at 0 of relu and abs
        }
        return Nd4j.createFromArray(data).reshape('c', shape).castTo(type);
    }

    private List<INDArray> inputs(String method, DataType type, long... shape) {
        List<INDArray> in = new ArrayList<>();
        for (int i = 0; i < 2; i++) in.add(uniform(type, 0.2, 1.5, shape));
        if (method.equals("logistic")) in.set(1, Nd4j.rand(type, shape).gt(0.5).castTo(type)); // labels
        if (method.equals("variance")) in.remove(1);
        return in;
    }

    private static Method companion(String name, int arity) {
        for (Method m : ElementwiseDerivatives.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity) return m;
        }
        throw new AssertionError("no " + name);
    }

    private static Object call(String name, List<INDArray> args) {
        try {
            return companion(name, args.size()).invoke(null, args.toArray());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.dup().data().asDouble();
        double[] a = actual.dup().data().asDouble();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tolerance * Math.max(scale, 1e-300),
                    what + "[" + i + "]: ND4J path " + e[i] + ", fused " + a[i]);
        }
    }

    private static <T> T withoutOps(Supplier<T> call, String what) {
        OpCounter.Counted<T> c = OpCounter.count(call);
        assertEquals(0, c.ops(), what + " ran ND4J ops on the fused path: " + c.breakdown());
        return c.value();
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "softplusMean", "logistic", "variance", "normalizedDot", "kinks"})
    void fusedLoopsAgreeWithTheNd4jPathAndRunNoOp(String method) {
        for (long[] shape : new long[][] {{7}, {3, 4}, {1}, {2, 3, 2}}) {
            List<INDArray> in = inputs(method, DataType.DOUBLE, shape);
            List<INDArray> before = in.stream().map(INDArray::dup).toList();
            String at = method + Arrays.toString(shape);
            assertTrue(Dense.fits(in.get(0), in.subList(1, in.size()).toArray(new INDArray[0])), at);

            INDArray value = withoutOps(() -> (INDArray) call(method, in), at + " forward");
            INDArray nd4jValue = Dense.withoutFusedLoops(() -> (INDArray) call(method, in));
            assertClose(nd4jValue, value, 1e-14, at + " forward");

            List<INDArray> g = withoutOps(() -> components(call(method + "Gradient", in)), at + " gradient");
            List<INDArray> nd4j = Dense.withoutFusedLoops(() -> components(call(method + "Gradient", in)));
            for (int k = 0; k < g.size(); k++) assertClose(nd4j.get(k), g.get(k), 1e-13, at + " gradient component " + k);
            for (int k = 1; k < g.size(); k++) {
                for (INDArray x : in) assertNotSame(x, g.get(k), at + ": a component is an argument");
                for (int j = 1; j < k; j++) assertNotSame(g.get(j), g.get(k), at + ": two components share an array");
            }
            for (int k = 0; k < in.size(); k++) assertEquals(before.get(k), in.get(k), at + ": an argument was written");

            GradientCheck.of(v -> onTape(method, v), x -> components(call(method + "Gradient", x)),
                    in.size() == 1 ? List.of("x") : List.of("x", "y"), in).assertWithin(1e-6);
        }
    }

    private static Variable onTape(String method, List<Variable> v) {
        return switch (method) {
            case "seed" -> Elementwise.seed(v.get(0), v.get(1));
            case "softplusMean" -> Elementwise.softplusMean(v.get(0), v.get(1));
            case "logistic" -> Elementwise.logistic(v.get(0), v.get(1));
            case "variance" -> Elementwise.variance(v.get(0));
            case "normalizedDot" -> Elementwise.normalizedDot(v.get(0), v.get(1));
            case "kinks" -> Elementwise.kinks(v.get(0), v.get(1));
            default -> throw new AssertionError(method);
        };
    }

    @Test
    void aDoubleParametersAdjointIsASumOverTheElements() {
        INDArray x = uniform(DataType.DOUBLE, 0.1, 1, 5, 2);
        double k = 0.7;
        var g = withoutOps(() -> ElementwiseDerivatives.scaledTanhGradient(x, k), "scaledTanh gradient");
        var nd4j = Dense.withoutFusedLoops(() -> ElementwiseDerivatives.scaledTanhGradient(x, k));
        assertClose(nd4j.value(), g.value(), 1e-14, "value");
        assertClose(nd4j.x(), g.x(), 1e-13, "d_x");
        assertEquals(nd4j.k(), g.k(), 1e-13 * Math.abs(nd4j.k()));
        double h = 1e-6;
        double fd = (ElementwiseDerivatives.scaledTanh(x, k + h).getDouble(0) - ElementwiseDerivatives.scaledTanh(x, k - h).getDouble(0)) / (2 * h);
        assertEquals(fd, g.k(), 1e-6 * Math.max(1, Math.abs(fd)));
    }

    @Test
    void aNonScalarResultIsFusedForwardAndRefusedByTheGradient() {
        INDArray x = uniform(DataType.DOUBLE, 0.1, 1, 3, 3);
        INDArray y = uniform(DataType.DOUBLE, 0.1, 1, 3, 3);
        INDArray fused = withoutOps(() -> ElementwiseDerivatives.product(x, y), "product");
        assertClose(Dense.withoutFusedLoops(() -> ElementwiseDerivatives.product(x, y)), fused, 1e-15, "product");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementwiseDerivatives.productGradient(x, y));
        assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
    }

    @Test
    void floatArraysTakeTheNd4jPath() {
        // ND4J rounds every FLOAT op to float (and computes exp and log in float): FLOAT results mean that.
        List<INDArray> in = inputs("seed", DataType.FLOAT, 4, 5);
        assertFalse(Dense.fits(in.get(0), in.get(1)));
        assertTrue(OpCounter.countOps(() -> ElementwiseDerivatives.seedGradient(in.get(0), in.get(1))) > 0);
    }

    @Test
    void argumentsThatDoNotFitTakeTheNd4jPathAndBroadcastsTheMatrixLoops() {
        INDArray m = uniform(DataType.DOUBLE, 0.2, 1, 4, 3);
        INDArray column = m.getColumn(0); // a strided view
        INDArray columnMajor = uniform(DataType.DOUBLE, 0.2, 1, 3, 4).dup('f');
        INDArray row = uniform(DataType.DOUBLE, 0.2, 1, 3, 4);
        INDArray vector = uniform(DataType.DOUBLE, 0.2, 1, 4); // broadcasts along the rows of row
        INDArray secondRow = m.getRow(1); // contiguous, but starts inside its buffer
        List<List<INDArray>> cases = List.of(
                List.of(column, uniform(DataType.DOUBLE, 0.2, 1, 4)),
                List.of(columnMajor, row),
                List.of(secondRow, uniform(DataType.DOUBLE, 0.2, 1, 3)),
                List.of(uniform(DataType.DOUBLE, 0.2, 1, 3), m.slice(3)));
        for (List<INDArray> in : cases) {
            assertFalse(Dense.fits(in.get(0), in.get(1)), in.toString());
            OpCounter.Counted<Object> c = OpCounter.count(() -> call("seedGradient", in));
            assertTrue(c.ops() > 0, "the ND4J path runs ops: " + c.breakdown());
            GradientCheck.of(v -> Elementwise.seed(v.get(0), v.get(1)), x -> components(call("seedGradient", x)),
                    List.of("a", "b"), in).assertWithin(1e-6);
        }
        // Shapes that broadcast do not fit fused loops; they fit the matrix loops, which run no ND4J op here.
        List<INDArray> broadcast = List.of(row, vector);
        assertFalse(Dense.fits(row, vector));
        OpCounter.Counted<Object> c = OpCounter.count(() -> call("seedGradient", broadcast));
        assertEquals(0, c.ops(), c.breakdown());
        GradientCheck.of(v -> Elementwise.seed(v.get(0), v.get(1)), x -> components(call("seedGradient", x)),
                List.of("a", "b"), broadcast).assertWithin(1e-6);
    }

    @Test
    void mixedDataTypesGetTheNd4jPathsError() {
        INDArray row = uniform(DataType.DOUBLE, 0.2, 1, 3, 4);
        INDArray floats = row.castTo(DataType.FLOAT);
        assertFalse(Dense.fits(row, floats));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementwiseDerivatives.seedGradient(row, floats));
        assertTrue(e.getMessage().contains("DOUBLE and FLOAT"), e.getMessage());
    }

    @Test
    void theCountsNameTheLoops() {
        assertEquals(1, ElementwiseDerivatives.SEED_OPS.forward().fusedLoops());
        assertEquals(1, ElementwiseDerivatives.SEED_OPS.gradient().fusedLoops());
        assertEquals(2, ElementwiseDerivatives.VARIANCE_OPS.forward().fusedLoops());
        assertEquals(0, ElementwiseDerivatives.SEED_OPS.vjp().fusedLoops());
        assertTrue(ElementwiseDerivatives.SEED_OPS.gradient().toString().contains("1 fused loop"));
    }

    @Test
    void aReusedResultGetsTheNewGradientInItsOwnArraysWithNoOp() {
        INDArray a = uniform(DataType.DOUBLE, 0.2, 1, 4, 5);
        INDArray b = uniform(DataType.DOUBLE, 0.2, 1, 4, 5);
        var previous = ElementwiseDerivatives.seedGradient(a, b);
        for (int step = 0; step < 3; step++) {
            a = a.add(0.25); // new inputs each step, as in training
            INDArray x = a;
            var earlier = previous;
            var reused = withoutOps(() -> ElementwiseDerivatives.seedGradient(x, b, earlier), "reuse");
            var fresh = ElementwiseDerivatives.seedGradient(a, b);
            assertTrue(reused.value() == earlier.value() && reused.a() == earlier.a() && reused.b() == earlier.b(),
                    "the earlier arrays come back");
            assertClose(fresh.value(), reused.value(), 1e-15, "value");
            assertClose(fresh.a(), reused.a(), 0, "d_a");
            assertClose(fresh.b(), reused.b(), 0, "d_b");
            previous = reused;
        }
        assertNotSame(b, previous.a());
    }

    @Test
    void aResultOfOtherShapesIsNotReused() {
        INDArray a = uniform(DataType.DOUBLE, 0.2, 1, 6);
        INDArray b = uniform(DataType.DOUBLE, 0.2, 1, 6);
        var other = ElementwiseDerivatives.seedGradient(uniform(DataType.DOUBLE, 0.2, 1, 3), uniform(DataType.DOUBLE, 0.2, 1, 3));
        var g = ElementwiseDerivatives.seedGradient(a, b, other);
        assertNotSame(other.a(), g.a());
        assertClose(ElementwiseDerivatives.seedGradient(a, b).b(), g.b(), 0, "d_b");
        assertClose(ElementwiseDerivatives.seedGradient(a, b).a(), ElementwiseDerivatives.seedGradient(a, b, null).a(), 0, "null previous");
    }

    @Test
    void anArgumentAsTheEarlierResultIsRefused() {
        INDArray a = uniform(DataType.DOUBLE, 0.2, 1, 6);
        INDArray b = uniform(DataType.DOUBLE, 0.2, 1, 6);
        var g = ElementwiseDerivatives.seedGradient(a, b);
        var sneaky = new ElementwiseDerivatives.SeedGradient(g.value(), b, g.b());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementwiseDerivatives.seedGradient(a, b, sneaky));
        assertTrue(e.getMessage().contains("previous.a() is the argument 'b'"), e.getMessage());
        INDArray view = b.reshape(2, 3); // shares b's memory
        var viewOfArgument = new ElementwiseDerivatives.SeedGradient(g.value(), g.a(), view.reshape(6));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseDerivatives.seedGradient(a, b, viewOfArgument));
    }

    @Test
    void withoutFusedLoopsTheNewResultIsCopiedIntoTheEarlierArrays() {
        INDArray x = uniform(DataType.DOUBLE, 0.2, 1, 3, 4);
        INDArray w = uniform(DataType.DOUBLE, 0.2, 1, 4, 2);
        var previous = ElementwiseDerivatives.linearGradient(x, w);
        INDArray x2 = x.mul(1.5);
        var reused = ElementwiseDerivatives.linearGradient(x2, w, previous);
        var fresh = ElementwiseDerivatives.linearGradient(x2, w);
        assertTrue(reused.x() == previous.x() && reused.w() == previous.w() && reused.value() == previous.value());
        assertClose(fresh.x(), reused.x(), 0, "d_x");
        assertClose(fresh.w(), reused.w(), 0, "d_w");
        assertClose(fresh.value(), reused.value(), 0, "value");
    }

    @Test
    void viewsThatStartTheirBufferFitAndReadTheRightElements() {
        INDArray m = uniform(DataType.DOUBLE, 0.2, 1, 4, 3);
        INDArray firstRows = m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray other = uniform(DataType.DOUBLE, 0.2, 1, 2, 3);
        assertTrue(Dense.fits(firstRows, other));
        var fused = withoutOps(() -> ElementwiseDerivatives.seedGradient(firstRows, other), "a view");
        var copies = ElementwiseDerivatives.seedGradient(firstRows.dup(), other);
        assertClose(copies.value(), fused.value(), 1e-15, "value");
        assertClose(copies.a(), fused.a(), 0, "d_a");
        assertClose(copies.b(), fused.b(), 0, "d_b");
    }
}
