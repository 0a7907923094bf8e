package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code @Differentiable double} method and its generated companion, found by reflection
 * ({@code C.f} and {@code CDerivatives.f}, {@code fGradient}, {@code fVjp}), checked at a point
 * three ways:
 * <ol>
 *   <li>the generated forward pass {@code f}, {@code fGradient(...).value()} and {@code
 *       fVjp(...).value()} equal the source's value bit for bit ({@link Double#compare});
 *   <li>each partial equals a central finite difference of the source, within a relative
 *       tolerance, with a step of about {@code 1e-4 |x_i|} (a power of two, so that {@code x ± h}
 *       are exact);
 *   <li>{@code fVjp(...).pullback(u)} is {@code u} times the gradient: bit for bit for {@code u =
 *       1}, exactly for {@code u = -2} (a power of two scales without rounding; a zero's sign
 *       aside), within rounding for {@code u = 0.3}; and a pullback called again gives the same bits.
 * </ol>
 * The differentiated parameters are the {@code double} ones unless {@link #wrt} names their indices
 * (for methods with {@code @Differentiable(wrt = ...)}); the others are data, passed through.
 */
final class Checked {
    /** Relative tolerance of a partial against its finite difference. */
    static final double TOLERANCE = 1e-6;

    private final Method source;
    private final Method forward;
    private final Method gradient;
    private final Method vjp;
    private final int[] wrt;

    private Checked(Method source, Method forward, Method gradient, Method vjp, int[] wrt) {
        this.source = source;
        this.forward = forward;
        this.gradient = gradient;
        this.vjp = vjp;
        this.wrt = wrt;
    }

    /** The method {@code name} of {@code owner} (one of that name) and its companion's three entry points. */
    static Checked of(Class<?> owner, String name) {
        Method source = only(owner, name);
        Class<?> companion;
        try {
            companion = Class.forName(owner.getName() + "Derivatives", true, owner.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no companion for " + owner.getName(), e);
        }
        Class<?>[] types = source.getParameterTypes();
        List<Integer> doubles = new ArrayList<>();
        for (int i = 0; i < types.length; i++) if (types[i] == double.class) doubles.add(i);
        try {
            Method forward = companion.getDeclaredMethod(name, types);
            Method gradient = companion.getDeclaredMethod(name + "Gradient", types);
            Method vjp = companion.getDeclaredMethod(name + "Vjp", types);
            for (Method m : List.of(source, forward, gradient, vjp)) m.setAccessible(true);
            return new Checked(source, forward, gradient, vjp, doubles.stream().mapToInt(Integer::intValue).toArray());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(companion.getName() + " lacks an entry point for " + name, e);
        }
    }

    /** The same method with only the parameters at {@code indices} differentiated, in order. */
    Checked wrt(int... indices) {
        return new Checked(source, forward, gradient, vjp, indices.clone());
    }

    /** The source method's value at {@code args} (boxed: Double, Integer, Long, Boolean). */
    double original(Object... args) {
        return (double) call(source, null, args);
    }

    /**
     * Runs the three checks at {@code args} and returns the generated gradient: the value first,
     * then one partial per differentiated parameter.
     */
    double[] at(Object... args) {
        return check(true, args);
    }

    /**
     * All checks but finite differences, for a point on a boundary between pieces (a kink or a
     * jump), where they measure nothing; the caller asserts the one-sided partial Java's branch gives.
     */
    double[] atBoundary(Object... args) {
        return check(false, args);
    }

    private double[] check(boolean finiteDifferences, Object... args) {
        String where = source.getName() + Arrays.toString(args);
        double value = original(args);
        assertBits(value, (double) call(forward, null, args), where + ": forward pass");

        Object g = call(gradient, null, args);
        double[] grad = components(g);
        assertEquals(wrt.length + 1, grad.length, where + ": one component per differentiated parameter");
        assertBits(value, grad[0], where + ": fGradient(...).value()");

        for (int k = 0; k < wrt.length && finiteDifferences; k++) {
            double numeric = partial(wrt[k], args);
            double noise = noise(wrt[k], args);
            // A point where rounding alone could hide the partial checks nothing: refuse it (a
            // partial of exactly 0 is checked against the rounding level, the best there is).
            assertTrue(grad[k + 1] == 0 || noise <= 1e-3 * Math.abs(grad[k + 1]), where + ": partial in parameter "
                    + wrt[k] + " (" + grad[k + 1] + ") is lost in rounding of the value (" + noise
                    + "): finite differences cannot check it here; choose another point");
            double allowed = TOLERANCE * Math.max(Math.abs(numeric), Math.abs(grad[k + 1])) + noise;
            assertTrue(Math.abs(numeric - grad[k + 1]) <= allowed, where + ": partial in parameter " + wrt[k]
                    + ": generated " + grad[k + 1] + ", finite differences " + numeric + " (allowed " + allowed + ")");
        }

        Object v = call(vjp, null, args);
        assertBits(value, (double) call(method(v, "value"), v), where + ": fVjp(...).value()");
        double[] one = pullback(v, 1.0);
        double[] minusTwo = pullback(v, -2.0);
        double[] third = pullback(v, 0.3);
        // Rounding can differ once the upstream is not a power of two: up to a few ulps of the
        // largest partial (terms that cancel to a zero partial leave a rounding error of their size).
        double largest = 0;
        for (int k = 1; k <= wrt.length; k++) largest = Math.max(largest, Math.abs(grad[k]));
        for (int k = 0; k <= wrt.length; k++) {
            String c = k == 0 ? "value" : "partial in parameter " + wrt[k - 1];
            // The gradient to rounding: a gradient may add up a loop's contributions in the other
            // order (it runs a loop that only adds up together with its reverse).
            if (k == 0) {
                assertBits(value, one[0], where + ": pullback(1), value");
            } else {
                assertTrue(Math.abs(grad[k] - one[k]) <= 1e-13 * largest || Double.compare(grad[k], one[k]) == 0,
                        where + ": pullback(1), " + c + ": " + one[k] + ", gradient " + grad[k]);
            }
            assertSame(k == 0 ? value : -2 * one[k], minusTwo[k], where + ": pullback(-2), " + c);
            if (k == 0) {
                assertBits(value, third[0], where + ": pullback(0.3), value");
            } else {
                double expected = 0.3 * one[k];
                assertTrue(Math.abs(expected - third[k]) <= 1e-13 * largest || Double.compare(expected, third[k]) == 0,
                        where + ": pullback(0.3), " + c + ": " + third[k] + ", expected " + expected);
            }
        }
        double[] again = pullback(v, -2.0);
        for (int k = 0; k <= wrt.length; k++) {
            assertBits(minusTwo[k], again[k], where + ": pullback(-2) called twice, component " + k);
        }
        return grad;
    }

    /**
     * The partial of the source in {@code args[i]} by the five-point central difference {@code
     * (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h}, with {@code h} the power of two nearest
     * {@code 1e-4 max(|x|, tiny)}: truncation error of order {@code h⁴}, and rounding of order
     * {@code eps |f| / h}.
     */
    double partial(int i, Object... args) {
        double h = step(i, args);
        return (at(i, args, -2 * h) - 8 * at(i, args, -h) + 8 * at(i, args, h) - at(i, args, 2 * h)) / (12 * h);
    }

    /** What rounding alone can make a finite difference off by: a few ulps of the largest value it reads, over h. */
    private double noise(int i, Object... args) {
        double h = step(i, args);
        double largest = 0;
        for (int k = -2; k <= 2; k++) largest = Math.max(largest, Math.abs(at(i, args, k * h)));
        return 1e-13 * largest / h;
    }

    private static double step(int i, Object... args) {
        double x = (double) args[i];
        double scale = x == 0 ? 1 : Math.abs(x);
        return Math.scalb(1.0, Math.getExponent(scale * 1e-4));
    }

    private double at(int i, Object[] args, double by) {
        Object[] moved = args.clone();
        moved[i] = (double) args[i] + by;
        return original(moved);
    }

    private double[] pullback(Object v, double upstream) {
        return components(call(method(v, "pullback"), v, upstream));
    }

    /** A gradient record's components, in order: the value, then the partials. */
    private static double[] components(Object record) {
        RecordComponent[] parts = record.getClass().getRecordComponents();
        double[] out = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            Method accessor = parts[k].getAccessor();
            accessor.setAccessible(true);
            out[k] = (double) call(accessor, record);
        }
        return out;
    }

    /** Equal as numbers ({@code -0.0 == 0.0}: the sign of a zero adjoint means nothing), or both NaN. */
    static void assertSame(double expected, double actual, String message) {
        if (!(expected == actual || Double.isNaN(expected) && Double.isNaN(actual))) {
            fail(message + ": expected " + expected + ", got " + actual);
        }
    }

    static void assertBits(double expected, double actual, String message) {
        if (Double.compare(expected, actual) != 0) {
            fail(message + ": expected " + expected + ", got " + actual);
        }
    }

    private static Method only(Class<?> owner, String name) {
        Method found = null;
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                if (found != null) throw new AssertionError(owner.getName() + "." + name + " is overloaded");
                found = m;
            }
        }
        if (found == null) throw new AssertionError("no method " + owner.getName() + "." + name);
        found.setAccessible(true);
        return found;
    }

    private static Method method(Object target, String name) {
        for (Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new AssertionError(target.getClass().getName() + " has no method " + name);
    }

    private static Object call(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getDeclaringClass().getSimpleName() + "." + m.getName() + " threw", e.getCause());
        }
    }
}
