package dev.tapeless.runtime.support;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What generated code calls for a function with a custom derivative ({@code @Derivative}): its
 * value, when it is written over {@code Variable}s, and the checks on what its derivatives return.
 */
public final class Custom {
    private Custom() {}

    /** Static methods by class, name and number of parameters. */
    private static final ClassValue<Map<String, Method>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /**
     * The value of {@code owner.function(arguments)}, a function over {@code Variable}s, run with the
     * tape paused: each {@code INDArray} passed for a {@code Variable} parameter becomes a constant
     * (a copy: the function cannot write into the caller's array), and nothing is recorded.
     */
    public static INDArray value(Class<?> owner, String function, Object... arguments) {
        Method m = method(owner, function, arguments.length);
        Class<?>[] types = m.getParameterTypes();
        Object[] call = arguments.clone();
        for (int i = 0; i < call.length; i++) {
            if (types[i] == Variable.class && call[i] instanceof INDArray a) call[i] = Variable.constant(a);
        }
        Object out = Tape.withoutRecording(() -> invoke(m, call));
        if (!(out instanceof Variable v)) {
            throw new IllegalStateException(owner.getSimpleName() + "." + function + " returned null");
        }
        return v.value().dup(); // a copy: the function may return an array that it or its caller keeps
    }

    /**
     * A copy of what the derivative method {@code derivative} returned for a parameter shaped like
     * {@code like}, which generated code may then write into and free: the derivative may have
     * returned {@code upstream} itself (a straight-through surrogate does) or an array it keeps.
     *
     * @throws IllegalStateException if it is null, or not of the shape and data type of {@code like}
     */
    public static INDArray adjoint(INDArray adjoint, String derivative, INDArray like, INDArray upstream) {
        if (adjoint == null) throw new IllegalStateException(derivative + " returned null");
        if (!Arrays.equals(adjoint.shape(), like.shape()) || adjoint.dataType() != like.dataType()) {
            throw new IllegalStateException(derivative + " returned " + adjoint.dataType() + Arrays.toString(adjoint.shape())
                    + " for a parameter " + like.dataType() + Arrays.toString(like.shape())
                    + ": a derivative's result has the shape and data type of its parameter");
        }
        return adjoint.dup();
    }

    private static Method method(Class<?> owner, String function, int parameters) {
        return METHODS.get(owner).computeIfAbsent(function + "/" + parameters, key -> {
            Method m = staticMethod(owner, function, parameters);
            if (m != null) return m;
            throw new IllegalStateException("no static method " + owner.getName() + "." + function + " with "
                    + parameters + " parameters: recompile " + owner.getSimpleName() + " and its companion together");
        });
    }

    /**
     * The static method {@code name} of {@code owner} with {@code parameters} parameters, made
     * accessible (a function or derivative may be package-private), or null when there is none.
     */
    public static Method staticMethod(Class<?> owner, String name, int parameters) {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == parameters && Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true);
                return m;
            }
        }
        return null;
    }

    /** Calls the static method {@code m}, rethrowing what it throws as it is (an unchecked one). */
    public static Object invoke(Method m, Object[] arguments) {
        try {
            return m.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
