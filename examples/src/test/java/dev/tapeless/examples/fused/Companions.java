package dev.tapeless.examples.fused;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reflection over the tests' companions, so that each method is named once in a test; and their inputs. */
final class Companions {
    private Companions() {}

    /**
     * The static method {@code name} of {@code c}: the overload that takes an earlier result (its
     * last parameter a gradient record) when {@code reusing}, else the other.
     */
    static Method method(Class<?> c, String name, boolean reusing) {
        for (Method m : c.getMethods()) {
            if (!m.getName().equals(name)) continue;
            boolean takesPrevious = m.getParameterCount() > 0
                    && m.getParameterTypes()[m.getParameterCount() - 1].getSimpleName().endsWith("Gradient");
            if (takesPrevious == reusing) return m;
        }
        throw new AssertionError("no method " + name);
    }

    /** Calls a static method; what it throws unchecked comes out as it is. */
    static Object call(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** The value, then each component of a gradient record. */
    static List<INDArray> components(Object record) {
        List<INDArray> out = new ArrayList<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                out.add((INDArray) c.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Uniform in ±[lo, hi] (away from the kinks of relu and abs at 0), row-major DOUBLE. */
    static INDArray signedUniform(Random rng, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) {
            double v = lo + (hi - lo) * rng.nextDouble();
            data[i] = rng.nextBoolean() ? v : -v;
        }
        return Nd4j.createFromArray(data).reshape('c', shape);
    }
}
