package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Branches, loops and arrays in double methods, checked three ways on every method of a source
 * file (test resources {@code controlflow/*.java}): the generated forward pass computes exactly
 * what the source computes; each partial derivative (each element of a {@code double[]}
 * component) agrees with central finite differences; {@code pullback(u)} is {@code u} times the
 * gradient (to rounding: a gradient may add up a loop's contributions in another order), twice in a
 * row; no argument array is written. Int parameters take 0, 1 and larger
 * values, so loops run zero, one and many times; int[] and boolean[] data get random elements.
 */
class ControlFlowTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Loops", "Tricky", "Arr", "Edges", "Fused", "FusedAdversarial", "Found"})
    void everyMethodAgreesWithTheSourceAndFiniteDifferences(String name) throws Exception {
        Compilation c = Sources.compile(JavaFileObjects.forResource("controlflow/" + name + ".java"));
        assertThat(c).succeededWithoutWarnings();
        Class<?> source = Sources.load(c, "cf." + name);
        Class<?> companion = Sources.load(c, "cf." + name + "Derivatives");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Method m : source.getDeclaredMethods()) {
            if (m.getReturnType() != double.class) continue;
            m.setAccessible(true);
            Random rnd = new Random(m.getName().hashCode());
            for (int trial = 0; trial < 8; trial++) {
                checkOnce(m, companion, arguments(m.getParameterTypes(), trial, rnd), failures);
                checked++;
            }
        }
        assertTrue(checked > 0);
        assertEquals(List.of(), failures);
    }

    private static Object[] arguments(Class<?>[] types, int trial, Random rnd) {
        int length = trial == 0 ? 1 : trial == 1 ? 2 : 1 + rnd.nextInt(7);
        double scale = trial == 7 ? 1e-3 : 1; // small magnitudes too
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == double.class) args[i] = (rnd.nextDouble() * 4 - 2) * scale;
            else if (t == int.class) args[i] = trial == 0 ? 0 : trial == 1 ? 1 : rnd.nextInt(12);
            else if (t == long.class) args[i] = (long) (trial == 0 ? 0 : rnd.nextInt(12));
            else if (t == boolean.class) args[i] = rnd.nextBoolean();
            else if (t == double[].class) {
                double[] d = new double[length];
                for (int k = 0; k < length; k++) d[k] = (rnd.nextDouble() * 4 - 2) * scale;
                args[i] = d;
            } else if (t == int[].class) {
                int[] d = new int[length + 1];
                for (int k = 0; k < d.length; k++) d[k] = rnd.nextInt(2);
                args[i] = d;
            } else if (t == boolean[].class) {
                boolean[] d = new boolean[length + 1];
                for (int k = 0; k < d.length; k++) d[k] = rnd.nextBoolean();
                args[i] = d;
            } else if (t == double[][].class) {
                double[][] d = new double[length + 1][length];
                for (double[] r : d) for (int k = 0; k < length; k++) r[k] = rnd.nextDouble() * 2 - 1;
                args[i] = d;
            } else {
                throw new IllegalArgumentException("no arguments of type " + t);
            }
        }
        return args;
    }

    private static void checkOnce(Method m, Class<?> companion, Object[] args, List<String> failures) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        String at = m.getName() + Arrays.deepToString(args);
        double want = value(m, args);
        Object[] passed = copy(args);
        double got = (double) companion.getMethod(m.getName(), types).invoke(null, passed);
        if (Double.compare(want, got) != 0) failures.add(at + ": forward " + got + ", source " + want);
        Object g = companion.getMethod(m.getName() + "Gradient", types).invoke(null, passed);
        Object vjp = companion.getMethod(m.getName() + "Vjp", types).invoke(null, passed);
        Object once = vjp.getClass().getMethod("pullback", double.class).invoke(vjp, 1.0);
        Object twice = vjp.getClass().getMethod("pullback", double.class).invoke(vjp, 3.0);
        if (!Arrays.deepEquals(passed, args)) failures.add(at + ": an argument array was written");
        double value = (double) g.getClass().getMethod("value").invoke(g);
        if (Double.compare(want, value) != 0) failures.add(at + ": gradient's value " + value + ", source " + want);
        int component = 0; // the record's components: the value, then each double and double[] parameter
        for (int i = 0; i < types.length; i++) {
            if (types[i] != double.class && types[i] != double[].class) continue;
            component++;
            String p = g.getClass().getRecordComponents()[component].getName();
            double[] d = components(g, component);
            double[] d1 = components(once, component);
            double[] d3 = components(twice, component);
            for (int k = 0; k < d.length; k++) {
                // A gradient may add a loop's contributions in the other order (a fused loop): to rounding.
                if (!(Math.abs(d1[k] - d[k]) <= 1e-12 * Math.max(1, Math.abs(d[k]))) && Double.compare(d1[k], d[k]) != 0) {
                    failures.add(at + ": pullback(1) " + p + " " + Arrays.toString(d1) + ", gradient " + Arrays.toString(d));
                }
                if (!(Math.abs(d3[k] - 3 * d[k]) <= 1e-12 * Math.abs(d[k])) && Double.compare(d3[k], 3 * d[k]) != 0) {
                    failures.add(at + ": pullback(3) " + p + "[" + k + "] " + d3[k]);
                }
                double fd = finiteDifference(m, args, i, k);
                // Written so that a NaN fails: NaN compares false with everything.
                if (!(Math.abs(fd - d[k]) <= 1e-5 * Math.max(1, Math.abs(fd)))) {
                    failures.add(at + ": d" + p + "[" + k + "] " + d[k] + ", finite differences " + fd);
                }
            }
        }
    }

    private static double[] components(Object record, int index) throws Exception {
        Object c = record.getClass().getRecordComponents()[index].getAccessor().invoke(record);
        return c instanceof double[] a ? a : new double[] {(double) c};
    }

    private static double finiteDifference(Method m, Object[] args, int i, int k) throws Exception {
        Object[] up = copy(args);
        Object[] down = copy(args);
        double x = args[i] instanceof double[] a ? a[k] : (double) args[i];
        double h = 1e-6 * Math.max(1e-3, Math.abs(x));
        if (args[i] instanceof double[]) {
            ((double[]) up[i])[k] = x + h;
            ((double[]) down[i])[k] = x - h;
        } else {
            up[i] = x + h;
            down[i] = x - h;
        }
        return (value(m, up) - value(m, down)) / (2 * h);
    }

    private static double value(Method m, Object[] args) throws Exception {
        return (double) m.invoke(null, copy(args));
    }

    private static Object[] copy(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof double[] d) out[i] = d.clone();
            if (out[i] instanceof int[] d) out[i] = d.clone();
            if (out[i] instanceof boolean[] d) out[i] = d.clone();
            if (out[i] instanceof double[][] d) {
                double[][] c = new double[d.length][];
                for (int r = 0; r < d.length; r++) c[r] = d[r].clone();
                out[i] = c;
            }
        }
        return out;
    }
}
