package dev.tapeless.examples.control;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.Dense;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks one call of a tensor method of {@link TensorControlFlow} in every way its companion can be
 * called, by reflection (so that each method is named once in the test): the generated forward
 * pass, gradient, and Vjp against the tape running the method as written, and against central
 * finite differences of the method's value on the tape.
 *
 * <p>Arguments are given as the companion takes them: an {@code INDArray} for each {@code Variable}
 * parameter (differentiated), a boxed {@code int} or {@code boolean} for data.
 */
final class TensorCheck {
    private TensorCheck() {}

    /** Generated gradients against the tape's: the same ops, perhaps summed in another order. */
    static final double VS_TAPE = 1e-10;
    /** Generated gradients against central differences with a step of {@code 1e-6 max(1, |x|)}. */
    static final double VS_FINITE_DIFFERENCES = 1e-6;

    /** What one call gave, for tests that assert more about it. */
    record Result(INDArray value, List<INDArray> gradient) {}

    /** Uniform DOUBLE values in {@code [lo, hi)}, row-major. */
    static INDArray uniform(Random rng, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.nextDouble();
        return Nd4j.createFromArray(data).reshape('c', shape).dup('c');
    }

    /**
     * Runs every check on {@code method(args)}:
     * <ul>
     *   <li>the generated forward value, the gradient's and the Vjp's value equal the tape's, bit for bit;
     *   <li>for a one-element result, the gradient against {@code Tape.grad} and finite differences,
     *       and {@code pullback(1)} equal to it bit for bit; for any other result, {@code fGradient}
     *       refuses it, naming the shape;
     *   <li>{@code pullback(upstream)}, for a random upstream shaped like the result, against the
     *       tape's gradient of {@code sum(result * upstream)} and finite differences of that sum;
     *       a second {@code pullback} gives the same bits;
     *   <li>no argument written, every gradient component shaped like its parameter.
     * </ul>
     * Returns the value and the gradient (from the pullback of a one for scalar results, of the
     * random upstream otherwise).
     */
    static Result verify(Random rng, String method, Object... args) {
        Method source = find(TensorControlFlow.class, method);
        Class<?> companion = companion();
        List<Integer> differentiated = new ArrayList<>();
        for (int i = 0; i < args.length; i++) if (args[i] instanceof INDArray) differentiated.add(i);
        List<INDArray> before = new ArrayList<>();
        for (int i : differentiated) before.add(((INDArray) args[i]).dup());
        String label = method + Arrays.toString(Arrays.stream(args)
                .map(a -> a instanceof INDArray x ? Arrays.toString(x.shape()) : String.valueOf(a)).toArray());

        // The tape, running the method as written.
        Tape.reset();
        List<Variable> vars = constants(args, differentiated);
        Variable out = (Variable) invoke(source, tapeArgs(args, differentiated, vars));
        INDArray tapeValue = out.value();
        boolean scalar = tapeValue.length() == 1;
        INDArray upstream = uniform(rng, -1, 1, tapeValue.shape());
        List<INDArray> tapeGradient = scalar ? values(Tape.grad(out, vars.toArray(new Variable[0]))) : null;
        Tape.reset();
        vars = constants(args, differentiated);
        out = (Variable) invoke(source, tapeArgs(args, differentiated, vars));
        List<INDArray> tapeWeighted = values(Tape.grad(out.mul(Variable.constant(upstream)).sum(), vars.toArray(new Variable[0])));
        Tape.reset();

        // Forward pass, on the path the arguments take and on the ND4J path (where the first is fused
        // or matrix loops, the two agree to rounding).
        INDArray forward = (INDArray) invoke(find(companion, method), args);
        assertExact(tapeValue, forward, label + ": forward value vs tape");
        INDArray forwardNd4j = Dense.withoutFusedLoops(() -> (INDArray) invoke(find(companion, method), args));
        assertTrue(FiniteDifferences.maxRelDiff(forwardNd4j, forward) <= VS_TAPE, label + ": forward value, ND4J path");

        // Gradient.
        List<INDArray> gradient = null;
        Method gradientMethod = find(companion, method + "Gradient");
        if (scalar) {
            List<INDArray> g = components(invoke(gradientMethod, args));
            assertExact(tapeValue, g.get(0), label + ": gradient's value vs tape");
            gradient = g.subList(1, g.size());
            List<INDArray> fd = finiteDifferences(source, args, differentiated, null);
            compare(label + ": gradient", gradient, tapeGradient, fd, args, differentiated);
            List<INDArray> nd4j = Dense.withoutFusedLoops(() -> components(invoke(gradientMethod, args)));
            compare(label + ": gradient, ND4J path", nd4j.subList(1, nd4j.size()), tapeGradient, fd, args, differentiated);
        } else {
            Throwable e = assertThrows(IllegalArgumentException.class, () -> invokeOrThrow(gradientMethod, args));
            assertTrue(e.getMessage().contains(Arrays.toString(tapeValue.shape())) && e.getMessage().contains(method + "Vjp"),
                    label + ": " + e.getMessage());
        }

        // Vjp: its value, pullback against the tape's weighted gradient, twice; pullback(1) is the gradient.
        Object vjp = invoke(find(companion, method + "Vjp"), args);
        assertExact(tapeValue, (INDArray) call(vjp, "value"), label + ": Vjp value vs tape");
        List<INDArray> pulled = components(call(vjp, "pullback", upstream));
        List<INDArray> fdWeighted = finiteDifferences(source, args, differentiated, upstream);
        compare(label + ": pullback", pulled.subList(1, pulled.size()), tapeWeighted, fdWeighted, args, differentiated);
        List<INDArray> again = components(call(vjp, "pullback", upstream));
        for (int k = 1; k < pulled.size(); k++) assertExact(pulled.get(k), again.get(k), label + ": second pullback");
        if (scalar) {
            List<INDArray> ofOne = components(call(vjp, "pullback", Nd4j.scalar(DataType.DOUBLE, 1.0).reshape(tapeValue.shape())));
            for (int k = 0; k < gradient.size(); k++) {
                assertExact(gradient.get(k), ofOne.get(k + 1), label + ": pullback(1) vs gradient");
            }
        }

        for (int k = 0; k < differentiated.size(); k++) {
            assertExact(before.get(k), (INDArray) args[differentiated.get(k)], label + ": wrote into argument " + differentiated.get(k));
        }
        return new Result(forward, scalar ? gradient : pulled.subList(1, pulled.size()));
    }

    /** Each generated component against the tape's and the finite differences', shaped like its parameter. */
    private static void compare(String label, List<INDArray> generated, List<INDArray> tape, List<INDArray> fd,
            Object[] args, List<Integer> differentiated) {
        assertEquals(differentiated.size(), generated.size(), label + ": one component per Variable parameter");
        for (int k = 0; k < generated.size(); k++) {
            INDArray g = generated.get(k);
            String which = label + ", parameter " + differentiated.get(k);
            assertArrayEquals(((INDArray) args[differentiated.get(k)]).shape(), g.shape(), which + ": shape");
            assertEquals(DataType.DOUBLE, g.dataType(), which + ": data type");
            double vsTape = FiniteDifferences.maxRelDiff(g, tape.get(k));
            assertTrue(vsTape <= VS_TAPE, which + ": vs tape " + vsTape + "\ngenerated " + g + "\ntape " + tape.get(k));
            double vsFd = FiniteDifferences.maxRelDiff(g, fd.get(k));
            assertTrue(vsFd <= VS_FINITE_DIFFERENCES, which + ": vs finite differences " + vsFd
                    + "\ngenerated " + g + "\nfinite differences " + fd.get(k));
        }
    }

    /**
     * Central differences of the method's value on the tape (of {@code sum(value * weights)} when
     * {@code weights} is not null), one array per differentiated argument, with a step of
     * {@code 1e-6 max(1, |x|)} for each element {@code x}.
     */
    static List<INDArray> finiteDifferences(Method source, Object[] args, List<Integer> differentiated, INDArray weights) {
        List<INDArray> out = new ArrayList<>();
        for (int i : differentiated) {
            INDArray at = ((INDArray) args[i]).dup('c');
            INDArray partials = Nd4j.zeros(DataType.DOUBLE, at.shape());
            for (long j = 0; j < at.length(); j++) {
                double x = at.getDouble(j);
                double h = 1e-6 * Math.max(1, Math.abs(x));
                double up = x + h;
                double down = x - h;
                double fUp = valueAt(source, args, i, at, j, up, weights);
                double fDown = valueAt(source, args, i, at, j, down, weights);
                partials.putScalar(j, (fUp - fDown) / (up - down));
            }
            out.add(partials);
        }
        return out;
    }

    private static double valueAt(Method source, Object[] args, int i, INDArray at, long j, double x, INDArray weights) {
        INDArray moved = at.dup('c');
        moved.putScalar(j, x);
        Object[] a = args.clone();
        a[i] = moved;
        List<Integer> differentiated = new ArrayList<>();
        for (int k = 0; k < a.length; k++) if (a[k] instanceof INDArray) differentiated.add(k);
        Tape.reset();
        Variable out = (Variable) invoke(source, tapeArgs(a, differentiated, constants(a, differentiated)));
        INDArray value = weights == null ? out.value() : out.value().mul(weights).sum();
        Tape.reset();
        return value.getDouble(0);
    }

    private static List<Variable> constants(Object[] args, List<Integer> differentiated) {
        List<Variable> vars = new ArrayList<>();
        for (int i : differentiated) vars.add(Variable.constant(((INDArray) args[i]).dup()));
        return vars;
    }

    private static Object[] tapeArgs(Object[] args, List<Integer> differentiated, List<Variable> vars) {
        Object[] a = args.clone();
        for (int k = 0; k < differentiated.size(); k++) a[differentiated.get(k)] = vars.get(k);
        return a;
    }

    private static List<INDArray> values(List<Variable> gradient) {
        return gradient.stream().map(Variable::value).toList();
    }

    /** The components of a generated gradient record, in order: the value, then one per parameter. */
    private static List<INDArray> components(Object record) {
        List<INDArray> out = new ArrayList<>();
        try {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                Method m = rc.getAccessor();
                m.setAccessible(true);
                out.add((INDArray) m.invoke(record));
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static Class<?> companion() {
        try {
            return Class.forName(TensorControlFlow.class.getName() + "Derivatives");
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the companion of TensorControlFlow was not generated", e);
        }
    }

    private static Method find(Class<?> type, String name) {
        // fGradient(args..., previous) aside: the overload that reuses an earlier result.
        List<Method> found = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                .filter(m -> m.getParameterCount() == 0 || !m.getParameterTypes()[m.getParameterCount() - 1].isRecord()).toList();
        assertEquals(1, found.size(), type.getSimpleName() + "." + name);
        Method m = found.get(0);
        m.setAccessible(true);
        return m;
    }

    private static Object call(Object target, String name, Object... args) {
        Method m = Arrays.stream(target.getClass().getMethods()).filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(target.getClass() + " has no " + name));
        m.setAccessible(true);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(name + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object invoke(Method m, Object[] args) {
        try {
            return invokeOrThrow(m, args);
        } catch (Throwable e) {
            throw new AssertionError(m.getName() + " threw", e);
        }
    }

    /** Calls a static method, rethrowing what it threw. */
    private static Object invokeOrThrow(Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
