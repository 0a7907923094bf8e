package dev.tapeless.examples.arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one {@code @Differentiable double} method with array parameters against its generated
 * companion, at a point (one argument list):
 * <ul>
 * <li>the generated forward pass, {@code fGradient(...).value()} and {@code fVjp(...).value()}
 *     equal the method's value bit for bit;</li>
 * <li>the gradient has exactly the expected components, each {@code double[]} one as long as its
 *     argument and a new array, and every element matches a central finite difference of the
 *     original method;</li>
 * <li>{@code pullback(u)} is {@code u} times the gradient (bit for bit when {@code u} is a power of
 *     two, which scales every product and sum exactly), the same however often it is called, and
 *     returns new arrays each time;</li>
 * <li>no entry point writes into an argument, and no result is an argument or an earlier result.</li>
 * </ul>
 * The methods are found by reflection: the test names the parameters (javac does not keep them).
 */
final class ArrayCheck {
    /** Relative tolerance of a partial against its finite difference. */
    static final double TOLERANCE = 1e-6;

    private final Method original;
    private final Method forward;
    private final Method gradient;
    private final Method vjp;
    private final List<String> names;
    private List<String> wrt;
    private double stepFloor = 1;
    private double absoluteStep = 0;
    private double tolerance = TOLERANCE;

    private ArrayCheck(Class<?> owner, String method, List<String> names) {
        this.original = only(owner, method);
        Class<?> companion = companionOf(owner);
        Class<?>[] types = original.getParameterTypes();
        this.forward = find(companion, method, types);
        this.gradient = find(companion, method + "Gradient", types);
        this.vjp = find(companion, method + "Vjp", types);
        assertEquals(types.length, names.size(), method + ": one name per parameter");
        this.names = names;
        List<String> differentiable = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == double.class || types[i] == double[].class) differentiable.add(names.get(i));
        }
        this.wrt = List.copyOf(differentiable);
    }

    /** The method {@code method} of {@code owner}, whose parameters are called {@code names} in order. */
    static ArrayCheck of(Class<?> owner, String method, String... names) {
        return new ArrayCheck(owner, method, List.of(names));
    }

    /** The parameters {@code @Differentiable(wrt = ...)} selects (all double and double[] ones if not called). */
    ArrayCheck wrt(String... selected) {
        this.wrt = List.of(selected);
        return this;
    }

    /**
     * The smallest finite-difference step, relative: the step for an element {@code x} is
     * {@code 1e-3 max(|x|, floor)}. The default 1 suits inputs around 1; tiny inputs need a floor
     * of their scale, or the step would be far larger than they are.
     */
    ArrayCheck stepFloor(double floor) {
        this.stepFloor = floor;
        return this;
    }

    /**
     * A fixed finite-difference step instead of one scaled to the element: for functions that vary
     * on a scale of their own whatever the size of their inputs ({@code exp(x - max)} at
     * {@code x = 800} varies on the scale of 1, not of 800).
     */
    ArrayCheck absoluteStep(double h) {
        this.absoluteStep = h;
        return this;
    }

    /** The relative tolerance of a partial against its finite difference (default {@link #TOLERANCE}). */
    ArrayCheck tolerance(double relative) {
        this.tolerance = relative;
        return this;
    }

    /**
     * Runs every check at {@code args} and returns the generated gradient, component by component
     * (a {@code Double} or a {@code double[]}), for further assertions.
     */
    Map<String, Object> at(Object... args) {
        String where = original.getName() + " at " + show(args);
        Object[] before = deepCopy(args);
        double value = (double) call(original, deepCopy(args));

        assertBits(value, (double) call(forward, args), where + ": forward");
        assertUnchanged(before, args, where + ": after the forward pass");

        Object g = call(gradient, args);
        assertUnchanged(before, args, where + ": after the gradient");
        assertBits(value, component(g, "value"), where + ": gradient's value");
        Map<String, Object> grad = components(g, where);
        assertEquals(wrt, List.copyOf(grad.keySet()), where + ": the gradient's components");
        for (Map.Entry<String, Object> e : grad.entrySet()) {
            int p = names.indexOf(e.getKey());
            if (e.getValue() instanceof double[] d) {
                double[] arg = (double[]) args[p];
                assertEquals(arg.length, d.length, where + ": length of d" + e.getKey());
                for (Object a : args) assertNotSame(a, d, where + ": d" + e.getKey() + " is an argument");
            }
        }
        matchesFiniteDifferences(args, grad, where);
        Map<String, Object> again = components(call(gradient, args), where);
        for (String name : wrt) {
            assertScaledExactly(1, grad.get(name), again.get(name), where + ": the gradient again, d" + name);
            if (again.get(name) instanceof double[] a) assertNotSame(grad.get(name), a, where + ": two gradients share d" + name);
        }

        Object v = call(vjp, args);
        assertUnchanged(before, args, where + ": after the vjp");
        assertBits(value, component(v, "value"), where + ": vjp's value");
        // pullback(1) is the gradient to rounding: a gradient may add up a loop's contributions in
        // the other order (it runs a loop that only adds up together with its reverse); a pullback
        // scales exactly by a power of two.
        Map<String, Object> unit = components(pullback(v, 1), where);
        for (String name : wrt) {
            double[] expected = flat(grad.get(name));
            double[] actual = flat(unit.get(name));
            for (int i = 0; i < expected.length; i++) {
                assertClose(expected[i], actual[i], 1e-13, largest(grad), where + ": pullback(1)." + name + "[" + i + "]");
            }
        }
        for (double u : new double[] {1, 2, -0.5}) {
            Object pulled = pullback(v, u);
            assertUnchanged(before, args, where + ": after pullback");
            assertBits(value, component(pulled, "value"), where + ": pullback's value");
            Map<String, Object> first = components(pulled, where);
            Map<String, Object> second = components(pullback(v, u), where);
            for (String name : wrt) {
                String what = where + ": pullback(" + u + ")." + name;
                assertScaledExactly(u, unit.get(name), first.get(name), what);
                assertScaledExactly(1, first.get(name), second.get(name), what + ", called again");
                if (first.get(name) instanceof double[] a) {
                    assertNotSame(a, second.get(name), what + ": two calls return one array");
                    assertNotSame(a, grad.get(name), what + ": the gradient's array");
                    Arrays.fill(a, Double.NaN); // a caller may write into what it was given
                }
            }
            Map<String, Object> third = components(pullback(v, u), where);
            for (String name : wrt) {
                assertScaledExactly(1, second.get(name), third.get(name), where + ": pullback(" + u + ")." + name
                        + " after the caller wrote into an earlier result");
            }
        }
        double u = 0.3;
        Map<String, Object> scaled = components(pullback(v, u), where);
        for (String name : wrt) {
            double[] expected = flat(unit.get(name));
            double[] actual = flat(scaled.get(name));
            double largest = largest(unit);
            for (int i = 0; i < expected.length; i++) {
                assertClose(u * expected[i], actual[i], 1e-14, u * largest, where + ": pullback(0.3)." + name + "[" + i + "]");
            }
        }
        assertUnchanged(before, args, where + ": at the end");
        return grad;
    }

    /**
     * Each partial against the five-point central difference
     * {@code (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h}, {@code h = 1e-3 max(|x|, floor)}
     * (or the absolute step, if set),
     * within the tolerance relative to the larger of the partial's own size and a thousandth of
     * the gradient's largest element (a partial that should be 0 is compared to the gradient's
     * scale, not to 0).
     */
    private void matchesFiniteDifferences(Object[] args, Map<String, Object> grad, String where) {
        Map<String, double[]> numeric = new LinkedHashMap<>();
        double largest = 0;
        for (String name : grad.keySet()) {
            int p = names.indexOf(name);
            double[] fd;
            if (args[p] instanceof double[] array) {
                fd = new double[array.length];
                for (int i = 0; i < array.length; i++) fd[i] = partial(args, p, i);
            } else {
                fd = new double[] {partial(args, p, -1)};
            }
            for (double d : fd) largest = Math.max(largest, Math.abs(d));
            numeric.put(name, fd);
        }
        for (String name : grad.keySet()) {
            double[] fd = numeric.get(name);
            double[] g = flat(grad.get(name));
            for (int i = 0; i < fd.length; i++) {
                String label = where + ": d" + name + (grad.get(name) instanceof double[] ? "[" + i + "]" : "");
                assertClose(fd[i], g[i], tolerance, 1e-3 * largest, label);
            }
        }
    }

    /** The partial of the original in parameter {@code p} (element {@code i} of it, or the double if {@code i < 0}). */
    private double partial(Object[] args, int p, int i) {
        double x = i < 0 ? (double) args[p] : ((double[]) args[p])[i];
        double h = absoluteStep > 0 ? absoluteStep : 1e-3 * Math.max(Math.abs(x), stepFloor);
        double m2 = shifted(args, p, i, x - 2 * h);
        double m1 = shifted(args, p, i, x - h);
        double p1 = shifted(args, p, i, x + h);
        double p2 = shifted(args, p, i, x + 2 * h);
        return (m2 - 8 * m1 + 8 * p1 - p2) / (12 * h);
    }

    private double shifted(Object[] args, int p, int i, double to) {
        Object[] copy = deepCopy(args);
        if (i < 0) copy[p] = to;
        else ((double[]) copy[p])[i] = to;
        return (double) call(original, copy);
    }

    /** {@code |expected - actual| <= tolerance max(|expected|, floor)}. */
    static void assertClose(double expected, double actual, double tolerance, double floor, String message) {
        double allowed = tolerance * Math.max(Math.abs(expected), floor);
        assertTrue(Math.abs(expected - actual) <= allowed || Double.compare(expected, actual) == 0,
                message + ": expected " + expected + ", got " + actual + " (difference " + Math.abs(expected - actual)
                        + ", allowed " + allowed + ")");
    }

    private static void assertScaledExactly(double u, Object expected, Object actual, String message) {
        double[] e = flat(expected);
        double[] a = flat(actual);
        assertEquals(e.length, a.length, message + ": length");
        for (int i = 0; i < e.length; i++) {
            // == : the sign of a zero adjoint is immaterial (0 * -0.5 is -0.0, an untouched adjoint +0.0).
            double scaled = u * e[i];
            assertTrue(scaled == a[i] || Double.isNaN(scaled) && Double.isNaN(a[i]),
                    message + "[" + i + "]: expected " + scaled + ", got " + a[i]);
        }
    }

    private static void assertBits(double expected, double actual, String message) {
        assertTrue(Double.compare(expected, actual) == 0, message + ": expected " + expected + ", got " + actual);
    }

    private static void assertUnchanged(Object[] before, Object[] now, String message) {
        for (int i = 0; i < before.length; i++) {
            Object b = before[i];
            Object a = now[i];
            if (b instanceof double[] d) assertArrayEquals(d, (double[]) a, message + ": argument " + i);
            else if (b instanceof double[][] d) assertTrue(Arrays.deepEquals(d, (double[][]) a), message + ": argument " + i);
            else if (b instanceof int[] d) assertArrayEquals(d, (int[]) a, message + ": argument " + i);
            else if (b instanceof long[] d) assertArrayEquals(d, (long[]) a, message + ": argument " + i);
            else if (b instanceof boolean[] d) assertArrayEquals(d, (boolean[]) a, message + ": argument " + i);
        }
    }

    private static double largest(Map<String, Object> grad) {
        double m = 0;
        for (Object o : grad.values()) for (double d : flat(o)) m = Math.max(m, Math.abs(d));
        return m;
    }

    private static double[] flat(Object component) {
        return component instanceof double[] d ? d : new double[] {(double) component};
    }

    /** The components of a gradient record but its value, in order, by name. */
    private static Map<String, Object> components(Object record, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            if (rc.getName().equals("value")) continue;
            Object c = invoke(rc.getAccessor(), record);
            assertNotNull(c, where + ": component " + rc.getName());
            out.put(rc.getName(), c);
        }
        return out;
    }

    private static double component(Object holder, String name) {
        try {
            Method m = holder.getClass().getMethod(name);
            m.setAccessible(true);
            return (double) invoke(m, holder);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(holder.getClass() + " has no " + name + "()", e);
        }
    }

    private static Object pullback(Object vjp, double upstream) {
        try {
            Method m = vjp.getClass().getMethod("pullback", double.class);
            m.setAccessible(true);
            return invoke(m, vjp, upstream);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(vjp.getClass() + " has no pullback(double)", e);
        }
    }

    private static Object call(Method m, Object[] args) {
        return invoke(m, null, args);
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new AssertionError(e.getCause());
        }
    }

    static Object[] deepCopy(Object[] args) {
        Object[] copy = new Object[args.length];
        for (int i = 0; i < args.length; i++) copy[i] = deepCopy(args[i]);
        return copy;
    }

    private static Object deepCopy(Object o) {
        if (o instanceof double[] d) return d.clone();
        if (o instanceof int[] d) return d.clone();
        if (o instanceof long[] d) return d.clone();
        if (o instanceof boolean[] d) return d.clone();
        if (o instanceof double[][] d) {
            double[][] c = new double[d.length][];
            for (int i = 0; i < d.length; i++) c[i] = d[i] == null ? null : d[i].clone();
            return c;
        }
        return o;
    }

    static String show(Object[] args) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) s.append(", ");
            Object a = args[i];
            if (a instanceof double[] d) s.append(Arrays.toString(d));
            else if (a instanceof double[][] d) s.append(Arrays.deepToString(d));
            else if (a instanceof int[] d) s.append(Arrays.toString(d));
            else if (a instanceof long[] d) s.append(Arrays.toString(d));
            else if (a instanceof boolean[] d) s.append(Arrays.toString(d));
            else s.append(a);
        }
        return s.append(')').toString();
    }

    private static Method only(Class<?> owner, String name) {
        Method found = null;
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                assertTrue(found == null, owner + " has two methods " + name);
                found = m;
            }
        }
        assertNotNull(found, owner + " has no method " + name);
        found.setAccessible(true);
        return found;
    }

    private static Class<?> companionOf(Class<?> owner) {
        try {
            return Class.forName(owner.getName() + "Derivatives", true, owner.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no companion for " + owner, e);
        }
    }

    private static Method find(Class<?> companion, String name, Class<?>[] types) {
        try {
            Method m = companion.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(companion + " has no " + name + Arrays.toString(types), e);
        }
    }
}
