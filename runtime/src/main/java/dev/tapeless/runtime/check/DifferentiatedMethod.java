package dev.tapeless.runtime.check;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code @Differentiable} method together with the code Tapeless generated for it, as its
 * companion describes it in a constant named after the method ({@code SeedDerivatives.LOSS} for
 * {@code Seed.loss}): how to run the method itself (on the runtime tape, for a method over
 * {@code Variable}s), its generated forward pass, gradient and pullback, and the names and kinds
 * of its parameters. {@link GradientCheck#check} takes one, so a user's test reads
 * {@code GradientCheck.check(SeedDerivatives.LOSS, a, b).assertWithin(1e-8)}.
 *
 * <p>Arguments are passed as the generated code takes them: an {@code INDArray} for a
 * {@code Variable} parameter (it becomes a constant on the tape), a {@code Double} for a
 * {@code double}, a {@code double[]} for a {@code double[]}, and data as it is.
 */
public final class DifferentiatedMethod {

    /** How a parameter is passed and whether it carries a derivative. */
    public enum Kind {
        /** A {@code Variable} in the method, an {@code INDArray} in generated code. */
        VARIABLE,
        /** A {@code double}. */
        DOUBLE,
        /** A {@code double[]}, whose gradient is a {@code double[]}. */
        DOUBLE_ARRAY,
        /** Anything else: {@code INDArray}, {@code int}, {@code long}, {@code boolean} and their arrays. */
        DATA
    }

    /** A parameter: its name, kind, and whether the method is differentiated with respect to it. */
    public record Parameter(String name, Kind kind, boolean differentiated) {}

    /** A call with the arguments in order. */
    @FunctionalInterface
    public interface Call {
        Object apply(Object[] arguments);
    }

    /** A pullback: the arguments in order, then the upstream adjoint. */
    @FunctionalInterface
    public interface Pullback {
        Object apply(Object[] arguments, Object upstream);
    }

    private final String name;
    private final List<Parameter> parameters;
    private final boolean arrayResult;
    private final Call source;
    private final Call forward;
    private final Call gradient;
    private final Pullback pullback;

    /**
     * Written by the processor into each companion.
     *
     * @param name        {@code Seed.loss}
     * @param arrayResult whether the method returns a {@code Variable} (else a {@code double})
     * @param source      runs the method itself (Variables for its Variable parameters); null when
     *                    the companion cannot call it (it, or its class, is private)
     */
    public DifferentiatedMethod(String name, List<Parameter> parameters, boolean arrayResult, Call source, Call forward,
            Call gradient, Pullback pullback) {
        this.name = Objects.requireNonNull(name);
        this.parameters = List.copyOf(parameters);
        this.arrayResult = arrayResult;
        this.source = source;
        this.forward = Objects.requireNonNull(forward);
        this.gradient = Objects.requireNonNull(gradient);
        this.pullback = Objects.requireNonNull(pullback);
    }

    public String name() {
        return name;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The names of the parameters the method is differentiated with respect to, in order. */
    public List<String> wrt() {
        return parameters.stream().filter(Parameter::differentiated).map(Parameter::name).toList();
    }

    /** Whether the method returns a {@code Variable}. */
    public boolean arrayResult() {
        return arrayResult;
    }

    /** Whether the method itself can be run from its companion (it is not private). */
    public boolean hasSource() {
        return source != null;
    }

    /** The method itself: a {@code Variable} for a Variable result (its arguments are the Variables), a {@code Double}. */
    public Object source(Object... arguments) {
        if (source == null) {
            throw new IllegalStateException(name + " is private (or in a private class), so its companion cannot run it;"
                    + " make it package-private to check it against the tape");
        }
        return source.apply(check(arguments, true));
    }

    /** The generated forward pass. */
    public Object forward(Object... arguments) {
        return forward.apply(check(arguments, false));
    }

    /** The generated gradient: the value, then one component per differentiated parameter. */
    public List<Object> gradient(Object... arguments) {
        return components(gradient.apply(check(arguments, false)));
    }

    /** The generated pullback of {@code upstream}: the value, then one component per differentiated parameter. */
    public List<Object> pullback(Object upstream, Object... arguments) {
        return components(pullback.apply(check(arguments, false), upstream));
    }

    /** The arguments, checked: for the method itself a {@code Variable} where it takes one, else an {@code INDArray}. */
    private Object[] check(Object[] arguments, boolean forSource) {
        if (arguments.length != parameters.size()) {
            throw new IllegalArgumentException(name + " takes " + parameters.size() + " arguments " + names() + ", got "
                    + arguments.length);
        }
        for (int i = 0; i < arguments.length; i++) {
            Parameter p = parameters.get(i);
            Object a = arguments[i];
            String wanted = switch (p.kind()) {
                case VARIABLE -> forSource ? (a instanceof dev.tapeless.runtime.Variable ? null : "a Variable")
                        : a instanceof org.nd4j.linalg.api.ndarray.INDArray ? null : "an INDArray";
                case DOUBLE -> a instanceof Double ? null : "a double (write 1.0, not 1)";
                case DOUBLE_ARRAY -> a instanceof double[] ? null : "a double[]";
                case DATA -> null;
            };
            if (wanted != null) {
                throw new IllegalArgumentException(name + ": pass " + wanted + " for parameter " + p.name() + ", got "
                        + (a == null ? "null" : a.getClass().getSimpleName()));
            }
        }
        return arguments;
    }

    private static List<Object> components(Object record) {
        List<Object> out = new ArrayList<>();
        try {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                out.add(accessor.invoke(record));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private List<String> names() {
        return parameters.stream().map(Parameter::name).toList();
    }

    @Override
    public String toString() {
        return name + names().toString().replace('[', '(').replace(']', ')') + " with respect to " + String.join(", ", wrt());
    }
}
