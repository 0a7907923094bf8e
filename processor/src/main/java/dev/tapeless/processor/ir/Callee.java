package dev.tapeless.processor.ir;

import java.util.List;

/**
 * A function a method calls rather than inlines (the attributes of a {@link Op#CALL} and its
 * {@link Op#CALL_ADJOINT}s): how generated code computes its value and the adjoint of each
 * parameter.
 *
 * <ul>
 *   <li>{@link Way#COMPANION}: a {@code @Differentiable} method whose companion exists, in a jar or
 *       written in this compilation: the value is {@code companion.method(args)}, the adjoint of
 *       parameter {@code p} is {@code companion.methodVjp(args).pullback(g).p()}.
 *   <li>{@link Way#CUSTOM}: a method with derivatives given by hand ({@code @Derivative}): the
 *       value is the method itself ({@code owner.method(args)}; over {@code Variable}s, run off the
 *       tape), the adjoint of {@code p} is {@code owner.derivative(args, g)}.
 * </ul>
 *
 * @param owner     the class of the function, qualified
 * @param companion the class of its companion, qualified
 * @param result    the kind of its result: TENSOR or SCALAR
 * @param params    its parameters, in order
 * @param counted   whether its companion counts the ND4J ops of its entry points ({@code F_OPS})
 */
public record Callee(Way way, String owner, String method, String companion, Kind result, List<Param> params,
        boolean counted) {

    public enum Way { COMPANION, CUSTOM }

    /**
     * One parameter.
     *
     * @param variable   whether it is declared {@code Variable} (a TENSOR that is not data)
     * @param derivative the component of the companion's gradient record, or the derivative method,
     *                   that gives its adjoint; null when the callee is not differentiated with respect to it
     */
    public record Param(String name, Kind kind, boolean variable, String derivative) {}

    public Callee {
        params = List.copyOf(params);
    }

    /** Whether it works on arrays (so that it may run ND4J ops). */
    public boolean usesArrays() {
        return result == Kind.TENSOR || params.stream().anyMatch(p -> p.kind() == Kind.TENSOR);
    }

    /**
     * The same call, made through the callee's companion: each adjoint is the component of its
     * gradient record, which is named after the parameter (not after a custom derivative method).
     */
    public Callee throughCompanion(boolean counts) {
        List<Param> components = params.stream()
                .map(p -> new Param(p.name(), p.kind(), p.variable(), p.derivative() == null ? null : p.name()))
                .toList();
        return new Callee(Way.COMPANION, owner, method, companion, result, components, counts);
    }

    /** Whether the callee gives the adjoint of its parameter {@code i}. */
    public boolean differentiates(int i) {
        return params.get(i).derivative() != null;
    }

    /** The parameters the callee is differentiated with respect to, by name. */
    public List<String> wrt() {
        return params.stream().filter(p -> p.derivative() != null).map(Param::name).toList();
    }

    /** {@code Normal.cdf}, as messages and IR text name the function. */
    public String shortName() {
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + method;
    }
}
